#!/bin/bash
# What the text normalisation rules cost: formtab-normalize on a 500-page
# layout stream with the default rules and with no rules (--rules-only
# /dev/null): CPU time over several runs each and, with valgrind, the exact
# instruction count; the difference as a share of
# the run without rules. The target (issue "Unruled tables and the text
# heuristics") is under 10 %.
#
# usage: bench/rules-bench.sh [BUILD_DIR] [PAGES] [RUNS]
#   BUILD_DIR  where formtab-extract and formtab-normalize are (default: build)
#   PAGES      pages in the synthetic document (default 500)
#   RUNS       timed runs per variant, CPU times summed (default 10)
#
# The document repeats the pages of text-heavy fixtures (CJK forms with long
# wrapped cells, an English statistics table, unruled budget tables), renumbered
# 1..PAGES, so the rules see every kind of cell the seeds have. Prints one line
# per variant and the overhead; exit 0 when the overhead is under 10 %, 1 when
# it is not, 2 on a usage or setup error.
set -euo pipefail
export LC_ALL=C

build=${1:-build}
pages=${2:-500}
runs=${3:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
extract=$build/formtab-extract
normalize=$build/formtab-normalize
for t in "$extract" "$normalize"; do
    if [ ! -x "$t" ]; then
        echo "rules-bench: $t not found (build first, or pass the build dir)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Pages of the source fixtures, one layout stream each.
srcs=(seed002-unruled-landscape seed003-forms-unruled x-en-stats-unruled
      seed003-budgets-unruled seed000-hrules)
for s in "${srcs[@]}"; do
    pdf=$here/fixtures/pdf/$s/input.pdf
    [ -f "$pdf" ] || { echo "rules-bench: $pdf missing" >&2; exit 2; }
    "$extract" "$pdf" > "$tmp/$s.layout"
done

# Concatenate their pages, renumbered, until PAGES pages: header and doc of
# the first, every page's records, then the end record.
/usr/bin/python3 - "$pages" "$tmp" "${srcs[@]}" > "$tmp/doc.layout" <<'EOF'
import sys
pages, tmp, srcs = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
src_pages = []
head = None
for s in srcs:
    lines = open("%s/%s.layout" % (tmp, s), encoding="utf-8").read().split("\n")
    if head is None:
        head = lines[:2]
    cur = None
    for l in lines[2:]:
        f = l.split("\t")
        if f[0] == "page":
            cur = [f[1:]]
        elif f[0] == "endpage":
            src_pages.append(cur)
            cur = None
        elif cur is not None:
            cur.append(l)
out = sys.stdout
out.write(head[0] + "\n")
d = head[1].split("\t")
d[1] = "bench.pdf"
d[4] = str(pages)
out.write("\t".join(d) + "\n")
for n in range(1, pages + 1):
    p = src_pages[(n - 1) % len(src_pages)]
    out.write("page\t%d\t%s\n" % (n, "\t".join(p[0][1:])))
    for l in p[1:]:
        out.write(l + "\n")
    out.write("endpage\t%d\tok\n" % n)
out.write("end\t%d\t0\n" % pages)
EOF

ncells() { "$normalize" -q "$@" < "$tmp/doc.layout" | grep -c '^cell' || true; }

# CPU seconds (user + system) of RUNS runs of each variant, interleaved so
# that a busy machine slows both alike; wall time on a shared machine is
# too noisy to show a 10 % difference.
cpu_none=0
cpu_with=0
for _ in $(seq "$runs"); do
    for v in none with; do
        opt=()
        [ "$v" = none ] && opt=(--rules-only=/dev/null)
        t=$( { /usr/bin/time -f '%U %S' "$normalize" -q "${opt[@]}" \
                 < "$tmp/doc.layout" > /dev/null; } 2>&1 | tail -1)
        s=$(awk -v t="$t" 'BEGIN { split(t, a, " "); print a[1] + a[2] }')
        if [ "$v" = none ]; then
            cpu_none=$(awk -v a="$cpu_none" -v b="$s" 'BEGIN { print a + b }')
        else
            cpu_with=$(awk -v a="$cpu_with" -v b="$s" 'BEGIN { print a + b }')
        fi
    done
done

size=$(wc -c < "$tmp/doc.layout")
cells=$(ncells)
echo "document:      $pages pages, $size bytes of layout stream, $cells cells"
pct=$(awk -v a="$cpu_with" -v b="$cpu_none" \
      'BEGIN { printf "%.1f", (b > 0) ? 100 * (a - b) / b : 0 }')
echo "CPU time:      no rules $cpu_none s, default rules $cpu_with s ($runs runs each): overhead $pct %"

# Instructions (callgrind), when valgrind is there: exact and repeatable,
# the figure the target is checked against.
if command -v valgrind > /dev/null; then
    instr() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            "$normalize" -q "$@" < "$tmp/doc.layout" 2>&1 > /dev/null |
            awk '/refs:/ { gsub(",", "", $NF); print $NF }'
    }
    inone=$(instr --rules-only=/dev/null)
    iwith=$(instr)
    pct=$(awk -v a="$iwith" -v b="$inone" \
          'BEGIN { printf "%.1f", (b > 0) ? 100 * (a - b) / b : 0 }')
    echo "instructions:  no rules $inone, default rules $iwith: overhead $pct %"
fi
echo "target:        overhead under 10 % of normalize's time"
awk -v p="$pct" 'BEGIN { exit (p < 10) ? 0 : 1 }'
