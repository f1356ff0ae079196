"""Unit tests of the accuracy scorer (scripts/fixturelib/scorelib.py).
Run: cd scripts/fixturelib && /usr/bin/python3 -m unittest test_score"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scorelib  # noqa: E402
from grid import parse_grid  # noqa: E402

SCORE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "score")

GRID = """项目名称\t合作交流工作业务费\t<\t<
产出指标\t数量指标\t赴对口支援地区工作次数\t>=8 次
^\t质量指标\t完成项目预期规模\t按计划
^\t时效指标\t项目启动及时性\t及时
效益指标\t经济效益指标\t课题转化成果率\t100%
总分\t<\t<\t95.46
"""


def truth_table():
    g = parse_grid(GRID)
    return {"cells": [dict(c) for c in g.cells], "pages": [1, 1], "kind": "ruled", "group": "ruled"}


def score(pred_cells, truth=None):
    truth = truth or [truth_table()]
    per, extra = scorelib.score_fixture([pred_cells] if pred_cells is not None else [], truth)
    t = scorelib.Totals()
    for r in per:
        t.add(r)
    for e in extra:
        t.add_fp(e)
    return t.result()


class ScoreTest(unittest.TestCase):
    def test_perfect(self):
        res = score([dict(c) for c in truth_table()["cells"]])
        self.assertEqual(res["exact"], 1)
        self.assertEqual(res["cell_f1"], 1.0)
        self.assertEqual(res["adj_f1"], 1.0)

    def test_whitespace_folding_only(self):
        cells = [dict(c) for c in truth_table()["cells"]]
        cells[0]["text"] = "  项目名称 "
        self.assertEqual(score(cells)["cell_f1"], 1.0)
        cells[0]["text"] = "项目 名称"  # a space between CJK characters is a difference
        self.assertLess(score(cells)["cell_f1"], 1.0)

    def test_dropped_cell_lowers_recall(self):
        cells = [c for c in truth_table()["cells"] if c["text"] != "及时"]
        res = score(cells)
        self.assertEqual(res["cell_precision"], 1.0)
        self.assertLess(res["cell_recall"], 1.0)
        self.assertEqual(res["exact"], 0)

    def test_extra_row_at_top_does_not_zero_the_rest(self):
        cells = [dict(c, row=c["row"] + 1) for c in truth_table()["cells"]]
        cells.append({"row": 1, "col": 1, "rowspan": 1, "colspan": 4, "text": "财政项目支出绩效自评表"})
        res = score(cells)
        n = res["cell_counts"][2]
        self.assertEqual(res["cell_counts"][0], n)  # every truth cell found
        self.assertEqual(res["cell_recall"], 1.0)
        self.assertLess(res["cell_precision"], 1.0)
        self.assertEqual(res["exact"], 0)

    def test_extra_row_in_the_middle(self):
        cells = [dict(c, row=c["row"] + (1 if c["row"] >= 4 else 0)) for c in truth_table()["cells"]]
        # the label spanning rows 2-4 now spans 2-5 in the prediction
        for c in cells:
            if c["text"] == "产出指标":
                c["rowspan"] = 4
        cells.append({"row": 4, "col": 2, "rowspan": 1, "colspan": 3, "text": "page 2"})
        res = score(cells)
        self.assertEqual(res["cell_counts"][0], res["cell_counts"][2] - 1)  # only 产出指标 lost

    def test_wrong_span_counts_as_wrong(self):
        cells = [dict(c) for c in truth_table()["cells"]]
        for c in cells:
            if c["text"] == "合作交流工作业务费":
                c["colspan"] = 2
        cells.append({"row": 1, "col": 4, "rowspan": 1, "colspan": 1, "text": ""})
        res = score(cells)
        self.assertEqual(res["cell_counts"][0], res["cell_counts"][2] - 1)
        self.assertEqual(res["exact"], 0)

    def test_no_prediction(self):
        res = score(None)
        self.assertEqual(res["cell_f1"], 0.0)
        self.assertEqual(res["cell_recall"], 0.0)

    def test_tables_matched_by_content_not_order(self):
        t1 = truth_table()
        t2 = {"cells": [{"row": 1, "col": 1, "rowspan": 1, "colspan": 1, "text": "Item"},
                        {"row": 1, "col": 2, "rowspan": 1, "colspan": 1, "text": "Price"},
                        {"row": 2, "col": 1, "rowspan": 1, "colspan": 1, "text": "Pen"},
                        {"row": 2, "col": 2, "rowspan": 1, "colspan": 1, "text": "1.00"}],
              "pages": [1, 1], "kind": "unruled", "group": "unruled"}
        per, extra = scorelib.score_fixture([[dict(c) for c in t2["cells"]], [dict(c) for c in t1["cells"]]],
                                            [t1, t2])
        self.assertEqual([r["exact"] for r in per], [1, 1])
        self.assertEqual(extra, [])

    def test_records_parser_ignores_extra_keys_and_junk(self):
        lines = ['{"source":"a.pdf","sha256":"x","page":1,"table":2,"row":1,"col":1,"rowspan":1,'
                 '"colspan":1,"text":"a","conf":null,"x0":1}', "not json", "",
                 '{"source":"a.pdf","table":1,"row":1,"col":1,"text":"b"}']
        tables, notes = scorelib.parse_records(lines)
        self.assertEqual([[c["text"] for c in t] for t in tables], [["b"], ["a"]])
        self.assertEqual(len(notes), 1)

    def test_cli_missing_formtab_scores_zero(self):
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "truth.json"), "w", encoding="utf-8") as f:
            json.dump([truth_table()], f, ensure_ascii=False)
        open(os.path.join(d, "input.pdf"), "wb").close()
        r = subprocess.run([sys.executable, SCORE, "--run", "--formtab", "/nonexistent/formtab",
                            "--json", "--min-f1", "0.5", d], stdout=subprocess.PIPE)
        self.assertEqual(r.returncode, 1)
        out = json.loads(r.stdout)
        self.assertEqual(out["overall"]["cell_f1"], 0.0)
        self.assertIn("not found", out["fixtures"][0]["notes"][0])
        r = subprocess.run([sys.executable, SCORE, "--bogus"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(r.returncode, 2)

    def test_cli_perfect_from_file(self):
        d = tempfile.mkdtemp()
        t = truth_table()
        with open(os.path.join(d, "truth.json"), "w", encoding="utf-8") as f:
            json.dump([t], f, ensure_ascii=False)
        with open(os.path.join(d, "out.cells.jsonl"), "w", encoding="utf-8") as f:
            for c in t["cells"]:
                f.write(json.dumps(dict(c, table=1, page=1, source="x", conf=None), ensure_ascii=False) + "\n")
        r = subprocess.run([sys.executable, SCORE, "--min-f1", "0.99", d], stdout=subprocess.PIPE)
        self.assertEqual(r.returncode, 0, r.stdout)


if __name__ == "__main__":
    unittest.main()
