"""Draft a .grid from a line range of a seed text; a typing aid only.

The draft is NOT truth: every draft was then corrected by hand, row by row
(spans decided from the whole form, shifted and page-broken rows repaired),
and each truth file says so in its comments. Usage:
    /usr/bin/python3 scripts/fixturelib/draft_grid.py SEED FIRST LAST NCOLS
"""

import re
import sys

from grid import escape


def clean(text):
    text = text.strip()
    text = re.sub(r"</?p>", "", text)
    m = re.fullmatch(r"\$(.*)\$", text)
    if m:
        t = m.group(1)
        t = t.replace("\\geq", "≥").replace("\\leq", "≤").replace("\\times", "×")
        t = t.replace("\\%", "%")
        t = re.sub(r"\s+", "", t)
        text = t
    return text


def draft(lines, ncols):
    out = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        fields = [clean(f) for f in line.split("\t")]
        if all(re.fullmatch(r"-*", f) for f in fields):
            continue  # markdown rule row
        while len(fields) > ncols and fields[-1] == "":
            fields.pop()
        fields += [""] * (ncols - len(fields))
        nonempty = [i for i, f in enumerate(fields) if f]
        slots = [escape(f) for f in fields]
        if nonempty == [0]:
            slots = [slots[0]] + ["<"] * (ncols - 1)
        else:
            for i in range(len(fields)):
                if fields[i] == "" and out:
                    if i < (nonempty[0] if nonempty else ncols):
                        slots[i] = "^"
                else:
                    break
        out.append("\t".join(slots))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    seed, first, last, ncols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    with open(seed, encoding="utf-8") as f:
        lines = f.readlines()[first - 1:last]
    sys.stdout.write(draft(lines, ncols))
