"""Accuracy metrics for formtab against fixture truth; python3 stdlib only.

Metrics (see docs/accuracy.md):
* exact table match: a truth table whose every cell (row, col, rowspan, colspan,
  folded text, empty cells included) equals a predicted table's;
* cell precision/recall/F1 on (row, col, rowspan, colspan, folded text) of non-empty
  cells, after matching predicted tables to truth tables (best text overlap) and
  aligning rows and columns by text similarity (dynamic programming, so one extra
  predicted row or column shifts nothing below or right of it);
* ICDAR-2013 adjacency relations: each non-empty cell with its nearest non-empty
  neighbour to the right and below, as (text_a, text_b, direction); alignment-free.
Text is compared after whitespace folding (runs of whitespace -> one space, strip)
and formtab's documented canonical form (docs/rules.md): the full-width ASCII
variants U+FF01..U+FF5E and the ideographic space U+3000 mapped to ASCII, applied
to truth and prediction alike. That map is part of formtab's output contract, not
forgiveness of an error: the truth keeps the text as printed (`项目名称：`), formtab
promises `项目名称:`. CJK punctuation (、。《》「」) is not mapped. Nothing else is
forgiven; `--strict` (score) compares the folded text without the map.
"""

import json
from collections import Counter


# Full-width forms U+FF01..U+FF5E -> U+0021..U+007E, ideographic space -> space.
FULLWIDTH_MAP = {cp: cp - 0xFF01 + 0x21 for cp in range(0xFF01, 0xFF5F)}
FULLWIDTH_MAP[0x3000] = 0x20

STRICT = False  # set by `score --strict`: no canonical map


def fold(text):
    text = text or ""
    if not STRICT:
        text = text.translate(FULLWIDTH_MAP)
    return " ".join(text.split())


def load_truth(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def parse_records(lines):
    """Cell records (JSON Lines) -> (list of tables as cell lists in table order, notes)."""
    tables = {}
    notes = []
    bad = 0
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if not isinstance(rec, dict) or "row" not in rec or "col" not in rec:
            continue
        try:
            cell = {"row": int(rec["row"]), "col": int(rec["col"]),
                    "rowspan": int(rec.get("rowspan") or 1), "colspan": int(rec.get("colspan") or 1),
                    "text": rec.get("text") or ""}
            key = int(rec.get("table") or 1)
        except (TypeError, ValueError):
            bad += 1
            continue
        tables.setdefault(key, []).append(cell)
    if bad:
        notes.append("%d unreadable record line(s)" % bad)
    return [tables[k] for k in sorted(tables)], notes


def _slots_text(cells, axis):
    """Per row (axis='row') or column: Counter of folded non-empty texts starting there."""
    out = {}
    for c in cells:
        t = fold(c["text"])
        if t:
            out.setdefault(c[axis], Counter())[t] += 1
    return out


def _sim(a, b):
    if not a or not b:
        return 0.0
    inter = sum((a & b).values())
    return inter / max(sum(a.values()), sum(b.values()))


def align(pred_cells, truth_cells, axis):
    """Map predicted row (or col) numbers to truth numbers by a maximum-similarity
    monotone alignment (LCS-like DP). Unaligned predicted indices map to None."""
    P = _slots_text(pred_cells, axis)
    T = _slots_text(truth_cells, axis)
    pk = sorted(set(c[axis] for c in pred_cells))
    tk = sorted(set(c[axis] for c in truth_cells))
    n, m = len(pk), len(tk)
    # dp[i][j]: best score aligning pk[:i] with tk[:j]
    dp = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            s = _sim(P.get(pk[i - 1]), T.get(tk[j - 1]))
            # empty slots of equal rank may pair up (score epsilon) so that
            # empty rows do not drift
            if s == 0 and not P.get(pk[i - 1]) and not T.get(tk[j - 1]):
                s = 1e-6
            best = max(dp[i - 1][j], dp[i][j - 1])
            if s > 0:
                best = max(best, dp[i - 1][j - 1] + s)
            dp[i][j] = best
    mapping = {}
    i, j = n, m
    while i > 0 and j > 0:
        s = _sim(P.get(pk[i - 1]), T.get(tk[j - 1]))
        if s == 0 and not P.get(pk[i - 1]) and not T.get(tk[j - 1]):
            s = 1e-6
        if s > 0 and abs(dp[i][j] - (dp[i - 1][j - 1] + s)) < 1e-9:
            mapping[pk[i - 1]] = tk[j - 1]
            i -= 1
            j -= 1
        elif dp[i - 1][j] >= dp[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return mapping


def cell_tuples(cells):
    return Counter((c["row"], c["col"], c["rowspan"], c["colspan"], fold(c["text"]))
                   for c in cells if fold(c["text"]))


def full_tuples(cells):
    return Counter((c["row"], c["col"], c["rowspan"], c["colspan"], fold(c["text"])) for c in cells)


def adjacency(cells):
    """ICDAR-2013 adjacency relations of non-empty cells (right and down neighbours)."""
    owner = {}
    maxr = maxc = 0
    for c in cells:
        for r in range(c["row"], c["row"] + c["rowspan"]):
            for k in range(c["col"], c["col"] + c["colspan"]):
                owner[(r, k)] = c
        maxr = max(maxr, c["row"] + c["rowspan"] - 1)
        maxc = max(maxc, c["col"] + c["colspan"] - 1)
    rel = Counter()
    for c in cells:
        a = fold(c["text"])
        if not a:
            continue
        r, k = c["row"], c["col"] + c["colspan"]
        while k <= maxc:
            o = owner.get((r, k))
            if o is not None and o is not c and fold(o["text"]):
                rel[(a, fold(o["text"]), "right")] += 1
                break
            k += 1
        r, k = c["row"] + c["rowspan"], c["col"]
        while r <= maxr:
            o = owner.get((r, k))
            if o is not None and o is not c and fold(o["text"]):
                rel[(a, fold(o["text"]), "down")] += 1
                break
            r += 1
    return rel


def match_tables(pred_tables, truth_tables):
    """Greedy one-to-one matching by multiset overlap of folded non-empty texts."""
    pairs = []
    for i, p in enumerate(pred_tables):
        pt = Counter(fold(c["text"]) for c in p if fold(c["text"]))
        for j, t in enumerate(truth_tables):
            tt = Counter(fold(c["text"]) for c in t["cells"] if fold(c["text"]))
            ov = sum((pt & tt).values())
            if ov > 0:
                pairs.append((ov, -abs(i - j), i, j))
    pairs.sort(reverse=True)
    used_p, used_t, match = set(), set(), {}
    for ov, _, i, j in pairs:
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        match[j] = i
    return match


def score_fixture(pred_tables, truth_tables):
    """Counts per truth table: dict with group, exact, cell tp/npred/ntruth, adj tp/npred/ntruth.
    Unmatched predicted tables are returned as extra false positives."""
    match = match_tables(pred_tables, truth_tables)
    per = []
    for j, t in enumerate(truth_tables):
        tcells = t["cells"]
        tt = cell_tuples(tcells)
        ta = adjacency(tcells)
        row = {"group": t.get("group") or t.get("kind") or "?", "name": t.get("name", str(j + 1)),
               "exact": 0, "c_tp": 0, "c_pred": 0, "c_truth": sum(tt.values()),
               "a_tp": 0, "a_pred": 0, "a_truth": sum(ta.values())}
        if j in match:
            p = pred_tables[match[j]]
            row["exact"] = int(full_tuples(p) == full_tuples(tcells))
            rmap = align(p, tcells, "row")
            cmap = align(p, tcells, "col")
            mapped = Counter()
            for c in p:
                if not fold(c["text"]):
                    continue
                r, k = rmap.get(c["row"]), cmap.get(c["col"])
                if r is None or k is None:
                    mapped[("unaligned", c["row"], c["col"], fold(c["text"]))] += 1
                else:
                    mapped[(r, k, c["rowspan"], c["colspan"], fold(c["text"]))] += 1
            row["c_pred"] = sum(mapped.values())
            row["c_tp"] = sum((mapped & tt).values())
            pa = adjacency(p)
            row["a_pred"] = sum(pa.values())
            row["a_tp"] = sum((pa & ta).values())
        per.append(row)
    extra = []
    matched_p = set(match.values())
    for i, p in enumerate(pred_tables):
        if i not in matched_p:
            extra.append({"c_pred": sum(cell_tuples(p).values()), "a_pred": sum(adjacency(p).values())})
    return per, extra


def prf(tp, npred, ntruth):
    p = tp / npred if npred else (1.0 if ntruth == 0 else 0.0)
    r = tp / ntruth if ntruth else (1.0 if npred == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class Totals:
    def __init__(self):
        self.tables = self.exact = 0
        self.c = [0, 0, 0]
        self.a = [0, 0, 0]

    def add(self, row):
        self.tables += 1
        self.exact += row["exact"]
        self.c[0] += row["c_tp"]
        self.c[1] += row["c_pred"]
        self.c[2] += row["c_truth"]
        self.a[0] += row["a_tp"]
        self.a[1] += row["a_pred"]
        self.a[2] += row["a_truth"]

    def add_fp(self, e):
        self.c[1] += e["c_pred"]
        self.a[1] += e["a_pred"]

    def result(self):
        cp, cr, cf = prf(*self.c)
        ap, ar, af = prf(*self.a)
        return {"tables": self.tables, "exact": self.exact,
                "exact_rate": self.exact / self.tables if self.tables else 0.0,
                "cell_precision": cp, "cell_recall": cr, "cell_f1": cf,
                "adj_precision": ap, "adj_recall": ar, "adj_f1": af,
                "cell_counts": list(self.c), "adj_counts": list(self.a)}
