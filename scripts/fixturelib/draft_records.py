#!/usr/bin/python3
"""Draft a records truth (fixtures/records/<seed>/truth.tsv) from the hand-checked
truth grids of one seed (fixtures/truth/<seed>-*.grid); python3 stdlib only.

This is a DRAFTING aid, as draft_grid.py is for the grids: its output was then
read against the seed text and corrected by hand line by line (the truth files
say which lines were changed). It never runs formtab. Its label table is written
from the printed forms and the field names of docs/records.md, not from
emit/formtab.map.

usage: draft_records.py SEED (000 .. 004) > truth.tsv
"""

import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from grid import load_grid  # noqa: E402

HERE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FW = {cp: cp - 0xFF01 + 0x21 for cp in range(0xFF01, 0xFF5F)}
FW[0x3000] = 0x20


def key(text):
    t = (text or "").translate(FW)
    t = re.sub(r"\s+", "", t)
    return t.rstrip(":")


# Printed label -> field name (docs/records.md vocabulary). Values to the right.
LABELS = [
    (r"项目名称", "project_name"), (r"项目类别", "project_type"),
    (r"项目性质", "project_nature"), (r"主管部门", "department"),
    (r"实施单位", "implementer"), (r"计划开始日期", "start_date"),
    (r"计划完成日期", "end_date"), (r"是否含有政府购买服务", "includes_procurement"),
    (r"绩效类型", "performance_type"), (r"项目概况", "overview"), (r"立项依据", "basis"),
    (r"项目设立的必要性", "necessity"), (r"保证项目实施的制度、措施", "safeguards"),
    (r"项目实施计划", "implementation_plan"), (r"总目标及阶段性目标", "overall_goal"),
    (r"项目总预算\(元\)", "total_budget"), (r"项目当年预算\(元\)", "current_year_budget"),
    (r"同名项目上年预算额\(元\)", "prev_year_budget"),
    (r"同名项目上年预算执行数\(元\)", "prev_year_executed"),
    (r"项目资金总额", "total_funds"), (r"其中:财政资金", "fiscal_funds"),
    (r"年度资金申请总额", "annual_request"), (r"其中:当年财政拨款", "annual_appropriation"),
    (r"上年结转资金", "annual_carryover"),
]
BELOW = [(r"项目总目标", "project_goal"), (r"年度总体目标", "annual_goal"),
         (r"预期目标", "goal_expected"), (r"实际完成情况", "goal_actual")]
FUNDS_ROWS = [(r"年度资金总额", "total"), (r"其中:当年财政拨款", "appropriation"),
              (r"上年结转资金", "carryover"), (r"其他资金", "other")]
FUNDS_COLS = [(r"年初预算数", "initial_budget"), (r"全年预算数", "full_year_budget"),
              (r"全年执行数", "executed"), (r"分值", "weight"), (r"执行率", "execution_rate"),
              (r"得分", "score")]
IND_COLS = [(r"一级(指标|目标)", "l1"), (r"二级(指标|目标)", "l2"), (r"三级(指标|目标)", "l3"),
            (r"年度(\(/项目\))?指标值|指标目标值|年度指标值", "target"), (r"实际完成值", "actual"),
            (r"分值", "weight"), (r"得分", "score"), (r"偏差原因分析及改进措施", "deviation")]


def match(table, text):
    k = key(text)
    for pat, name in table:
        if re.fullmatch(pat, k):
            return name
    return None


def draft_form(g, form, out, notes):
    owner = g.cell_at()
    for n in notes:
        m = re.fullmatch(r"#*\s*((?:财政)?项目支出绩效(?:目标|自评|目标申报)表(?:\(含转移支付项目\))?)",
                         n.translate(FW).strip())
        if m:
            out.append(("field", form, "", "form_title", n.strip().lstrip("# ")))
        m = re.fullmatch(r"\((\d{4})\s*年度\)", n.translate(FW).strip())
        if m:
            out.append(("field", form, "", "year", m.group(1)))
    other_seen = 0
    hdr = None      # indicator header: role -> col
    funds = None
    for r in range(1, g.nrows + 1):
        row = [owner[(r, c)] for c in range(1, g.ncols + 1)]
        starts = []
        for c in row:
            if c["row"] == r and not any(c is s for s in starts):
                starts.append(c)
        keys = [key(c["text"]) for c in row]
        # header rows
        roles = {}
        for c in starts:
            n = match(IND_COLS, c["text"])
            if n:
                roles[n] = c["col"]
        if "l1" in roles and "l3" in roles:
            hdr = roles
            funds = None
            continue
        froles = {}
        for c in starts:
            n = match(FUNDS_COLS, c["text"])
            if n:
                froles[n] = c["col"]
        if len(froles) >= 3:
            funds = froles
            continue
        if hdr:
            def at(role):
                c = hdr.get(role)
                if c is None:
                    return ""
                cell = owner[(r, c)]
                if role in ("l1", "l2", "l3"):
                    return cell["text"]
                return cell["text"] if cell["row"] == r else ""
            if key(row[0]["text"]) in ("总分", "合计") and row[0]["colspan"] > 1 or key(row[0]["text"]) == "总分":
                for role in ("weight", "score"):
                    c = hdr.get(role)
                    if c:
                        out.append(("field", form, "", "total_" + role, owner[(r, c)]["text"]))
                continue
            if at("l3"):
                out.append(("indicator", form, "", at("l1"), at("l2"), at("l3"), at("target"),
                            at("actual"), at("weight"), at("score"), at("deviation")))
            continue
        if funds:
            lab = match(FUNDS_ROWS, row[1]["text"]) if len(row) > 1 else None
            if lab:
                for role, c in funds.items():
                    cell = owner[(r, c)]
                    if cell["row"] == r and cell["text"].strip():
                        out.append(("field", form, "", "funds_%s_%s" % (lab, role), cell["text"]))
                continue
            funds = None
        for c in starts:
            t = c["text"]
            if r == 1 or (c["colspan"] == g.ncols):
                m = re.fullmatch(r"((?:财政)?项目支出绩效(?:目标|自评|目标申报)表)", key(t))
                if m:
                    out.append(("field", form, "", "form_title", t))
                    continue
                m = re.fullmatch(r"\((\d{4})年度\)", key(t))
                if m:
                    out.append(("field", form, "", "year", m.group(1)))
                    continue
            kt = t.translate(FW)
            m = re.match(r"\s*(申报单位名称|项目名称)\s*:(.+)$", kt)
            if m and c["colspan"] > 1:
                out.append(("field", form, "", {"申报单位名称": "applicant", "项目名称": "project_name"}[m.group(1)],
                            t[t.index(m.group(2)[:1]) if False else len(t) - len(m.group(2)):].strip()))
                continue
            n = match(LABELS, t)
            if key(t) == "其他资金":
                other_seen += 1
                n = "other_funds" if c["col"] <= g.ncols // 2 else "annual_other_funds"
            if n:
                nc = c["col"] + c["colspan"]
                v = owner[(r, nc)]["text"] if nc <= g.ncols else ""
                if nc <= g.ncols and match(LABELS, v):
                    v = ""
                out.append(("field", form, "", n, v))
                continue
            n = match(BELOW, t)
            if n and r < g.nrows:
                v = owner[(r + 1, c["col"])]
                out.append(("field", form, "", n, v["text"]))
    return out


def main():
    seed = sys.argv[1]
    grids = sorted(glob.glob(os.path.join(HERE, "fixtures/truth/%s-*.grid" % seed)))
    out = []
    form = 0
    for p in grids:
        g = load_grid(p)
        if "budget" in os.path.basename(p):
            continue
        form += 1
        draft_form(g, form, out, g.directive_all("note-before"))
    for rec in out:
        print("\t".join(str(x) for x in rec))


if __name__ == "__main__":
    main()
