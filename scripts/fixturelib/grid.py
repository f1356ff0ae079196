"""Load and validate formtab truth grids (fixtures/truth/*.grid); stdlib only.

A .grid is a TSV picture of one table: each slot holds the cell text, `<` means
"covered by the cell to my left", `^` "covered by the cell above". The format is
specified in fixtures/truth/README.md; this module is its reference reader.
"""

import json
import os
import re

ESCAPES = {"<": "<", "^": "^", "\\": "\\", "t": "\t", "n": "\n"}
COVER_LEFT = object()
COVER_UP = object()


class GridError(ValueError):
    """A .grid file that breaks the format; the message names file and line."""


def _unescape(field, where):
    if field == "<":
        return COVER_LEFT
    if field == "^":
        return COVER_UP
    out = []
    i = 0
    while i < len(field):
        ch = field[i]
        if ch == "\\":
            if i + 1 >= len(field) or field[i + 1] not in ESCAPES:
                raise GridError("%s: bad escape in %r" % (where, field))
            out.append(ESCAPES[field[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


class Grid:
    """One table: cells (dicts row, col, rowspan, colspan, text; 1-based),
    the slot size nrows x ncols, directives (`#! key: value` lines) and the
    free comments."""

    def __init__(self, name):
        self.name = name
        self.cells = []
        self.nrows = 0
        self.ncols = 0
        self.directives = {}
        self.comments = []

    def cell_at(self):
        """Map (row, col) of every slot to the cell covering it."""
        owner = {}
        for c in self.cells:
            for r in range(c["row"], c["row"] + c["rowspan"]):
                for k in range(c["col"], c["col"] + c["colspan"]):
                    owner[(r, k)] = c
        return owner

    def directive(self, key, default=None):
        vals = self.directives.get(key)
        return vals[-1] if vals else default

    def directive_all(self, key):
        return list(self.directives.get(key, []))

    def to_json(self):
        return {"name": self.name, "nrows": self.nrows, "ncols": self.ncols,
                "cells": self.cells}


def parse_grid(text, name="<grid>"):
    """Parse .grid text into a validated Grid. Raises GridError."""
    g = Grid(name)
    rows = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if line.endswith("\r"):
            line = line[:-1]
        if line.startswith("#!"):
            m = re.match(r"#!\s*([A-Za-z0-9_-]+)\s*:\s?(.*)$", line)
            if not m:
                raise GridError("%s:%d: bad directive" % (name, lineno))
            g.directives.setdefault(m.group(1), []).append(m.group(2).strip())
            continue
        if line.startswith("#"):
            g.comments.append(line[1:].strip())
            continue
        if line == "":
            continue
        where = "%s:%d" % (name, lineno)
        rows.append((lineno, [_unescape(f, where) for f in line.split("\t")]))
    if not rows:
        raise GridError("%s: no rows" % name)
    ncols = max(len(r) for _, r in rows)
    for lineno, r in rows:
        if len(r) != ncols:
            raise GridError("%s:%d: %d fields, expected %d (every row must "
                            "have the same number of slots)"
                            % (name, lineno, len(r), ncols))
    nrows = len(rows)
    owner = {}
    cells = []
    for ri, (lineno, r) in enumerate(rows, 1):
        for ci, v in enumerate(r, 1):
            where = "%s:%d: row %d col %d" % (name, lineno, ri, ci)
            if v is COVER_LEFT:
                if ci == 1:
                    raise GridError(where + ": '<' in column 1")
                left = owner[(ri, ci - 1)]
                if left["row"] == ri:
                    # extends the cell to the left within its first row
                    if left["col"] + left["colspan"] != ci:
                        raise GridError(where + ": '<' after a gap")
                    left["colspan"] += 1
                else:
                    # row 2+ of a cell: must match the cell's first-row width
                    if ci >= left["col"] + left["colspan"]:
                        raise GridError(where + ": '<' widens a cell below its first row")
                owner[(ri, ci)] = left
            elif v is COVER_UP:
                if ri == 1:
                    raise GridError(where + ": '^' in row 1")
                up = owner[(ri - 1, ci)]
                if up["col"] != ci and owner.get((ri, ci - 1)) is not up:
                    raise GridError(where + ": '^' under the middle of a cell "
                                    "whose left slot in this row is not covered by it")
                if up["col"] == ci:
                    if up["row"] + up["rowspan"] != ri:
                        raise GridError(where + ": '^' after a gap")
                    up["rowspan"] += 1
                owner[(ri, ci)] = up
            else:
                c = {"row": ri, "col": ci, "rowspan": 1, "colspan": 1, "text": v}
                cells.append(c)
                owner[(ri, ci)] = c
    # rectangularity: every slot of each cell's rectangle is owned by it
    for c in cells:
        for rr in range(c["row"], c["row"] + c["rowspan"]):
            for cc in range(c["col"], c["col"] + c["colspan"]):
                if owner.get((rr, cc)) is not c:
                    raise GridError("%s: cell at row %d col %d (%dx%d) is not a "
                                    "rectangle: slot (%d,%d) is not covered by it"
                                    % (name, c["row"], c["col"], c["rowspan"],
                                       c["colspan"], rr, cc))
    # a '<' row 2+ slot must have been preceded by a covered slot of the same cell
    g.cells = cells
    g.nrows = nrows
    g.ncols = ncols
    return g


def load_grid(path):
    with open(path, encoding="utf-8") as f:
        return parse_grid(f.read(), os.path.basename(path))


def dump_grid(nrows, ncols, cells):
    """Write cells back as .grid body text (no comments)."""
    slots = [[None] * ncols for _ in range(nrows)]
    for c in cells:
        for r in range(c["row"], c["row"] + c["rowspan"]):
            for k in range(c["col"], c["col"] + c["colspan"]):
                if r == c["row"] and k == c["col"]:
                    slots[r - 1][k - 1] = escape(c["text"])
                elif k == c["col"]:
                    slots[r - 1][k - 1] = "^"
                elif r == c["row"]:
                    slots[r - 1][k - 1] = "<"
                else:
                    slots[r - 1][k - 1] = "<"
    return "".join("\t".join(row) + "\n" for row in slots)


def escape(text):
    if text in ("<", "^"):
        return "\\" + text
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n"))


def main(argv):
    rc = 0
    for p in argv:
        try:
            g = load_grid(p)
            print("%s: ok, %d x %d, %d cells" % (p, g.nrows, g.ncols, len(g.cells)))
        except (GridError, OSError) as e:
            print("%s: %s" % (p, e))
            rc = 1
    return rc


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv[1:]))
