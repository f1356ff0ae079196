#!/usr/bin/python3
"""Write the hand-written truth grids of one seed (fixtures/truth/<seed>-*.grid)
as one formtab-tables stream: one table per grid in order, each grid's
note-before lines as notes, page 1, method "text", no geometry.

The stream is a mechanical re-spelling of hand-written truth, so tests that
feed it to formtab-emit do not depend on extract or normalize.

Usage: grid2tables.py SEED_PREFIX [SOURCE_NAME]   (e.g. 003 seeds/003.txt)
"""
import glob
import hashlib
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, os.path.join(root, "scripts", "fixturelib"))
from grid import load_grid  # noqa: E402


def esc(s):
    return (s.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def main(argv):
    prefix = argv[1]
    source = argv[2] if len(argv) > 2 else "seeds/%s.txt" % prefix
    paths = sorted(glob.glob(os.path.join(root, "fixtures", "truth",
                                          prefix + "-*.grid")))
    if not paths:
        sys.exit("no grids for %s" % prefix)
    sha = hashlib.sha256(prefix.encode()).hexdigest()
    out = ["formtab-tables\t1", "doc\t%s\t%s\ttext\t1" % (esc(source), sha)]
    for tid, p in enumerate(paths, 1):
        g = load_grid(p)
        for note in g.directive_all("note-before"):
            out.append("note\t1\t\t\t\t\t" + esc(note))
        out.append("table\t%d\t1\t1\ttext\t%d\t%d\t\t\t\t" % (tid, g.nrows, g.ncols))
        for c in sorted(g.cells, key=lambda c: (c["row"], c["col"])):
            out.append("cell\t%d\t%d\t%d\t%d\t1\t\t\t\t\t\t0\t%s" % (
                c["row"], c["col"], c["rowspan"], c["colspan"], esc(c["text"])))
        out.append("endtable\t%d" % tid)
    out.append("end\t%d\t0" % len(paths))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv)
