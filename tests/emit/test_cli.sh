#!/usr/bin/env bash
# Command-line behaviour of formtab-emit that the golden cases cannot show:
# --split files (names, atomic creation, printed paths), --help/--version,
# file operands, the shipped map file, and '| head' ending quietly (SIGPIPE).
# Usage: test_cli.sh SOURCE_DIR FORMTAB_EMIT
set -u
src=$1 emit=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
expect() { # NAME COND...
  local name=$1; shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}

in=$src/fixtures/emit/rows-csv-merged/input.tables
form=$src/fixtures/emit/form-jsonl/input.tables

# --help: stdout, exit 0, every option named
out=$("$emit" --help); rc=$?
expect "--help exits 0" test "$rc" = 0
for o in --format --records --kind --map --split --header --no-header --bom \
         --crlf --empty-ok --quiet --verbose --help --version "Exit status"; do
  case "$out" in *"$o"*) ;; *) bad "--help mentions $o" ;; esac
done
expect "--version" test "$("$emit" --version)" = "formtab-emit $("$emit" --version | cut -d' ' -f2)"
"$emit" --version | grep -qE '^formtab-emit [0-9]+\.[0-9]+\.[0-9]+$' && ok "--version format" || bad "--version format"

# operands: FILE, '-', a missing file, two files
expect "FILE operand" cmp -s <("$emit" "$in") "$src/fixtures/emit/rows-csv-merged/expected.out"
expect "'-' is stdin" cmp -s <("$emit" - < "$in") "$src/fixtures/emit/rows-csv-merged/expected.out"
"$emit" "$tmp/missing.tables" 2>"$tmp/err"; rc=$?
expect "missing file exits 1" test "$rc" = 1
expect "missing file message" grep -q "^formtab-emit: $tmp/missing.tables: cannot open: No such file or directory$" "$tmp/err"
"$emit" a b 2>"$tmp/err"; rc=$?
expect "two operands: usage, exit 2" test "$rc" = 2
expect "usage hint" grep -q "^Try 'formtab-emit --help' for more information.$" "$tmp/err"
"$emit" --split="$tmp" --format=json "$in" 2>/dev/null; rc=$?
expect "--split with --format: usage" test "$rc" = 2

# --split, rows mode: one file per table, data only, filled; paths printed
mkdir "$tmp/rows"
"$emit" --split="$tmp/rows" "$in" > "$tmp/paths"; rc=$?
expect "--split rows exits 0" test "$rc" = 0
printf '%s\n' "$tmp/rows/t-p1-t1.csv" "$tmp/rows/t-p2-t2.csv" > "$tmp/want"
expect "--split prints the paths" cmp -s "$tmp/paths" "$tmp/want"
printf '项目名称：,项目名称：,合作交流\n投入管理,预算执行率,> 95%%\n投入管理,资金到位率,=100%%\n' > "$tmp/want1"
expect "--split table 1 content" cmp -s "$tmp/rows/t-p1-t1.csv" "$tmp/want1"
expect "--split table 2 content" test "$(cat "$tmp/rows/t-p2-t2.csv")" = "a,b"
expect "no temporary files left" test "$(ls "$tmp/rows" | wc -l)" = 2

# --split, cells mode: per table, with the header
mkdir "$tmp/cells"
"$emit" --records=cells --split="$tmp/cells" "$in" >/dev/null
expect "--split cells header" test "$(head -1 "$tmp/cells/t-p1-t1.csv")" = "source,sha256,page,table,row,col,rowspan,colspan,text,conf,flags"

# --split, form mode: four files, each with its header
mkdir "$tmp/form"
"$emit" --records=form --split="$tmp/form" "$form" > "$tmp/paths"; rc=$?
expect "--split form exits 0" test "$rc" = 0
expect "--split form files" test "$(sed "s|$tmp/form/||" "$tmp/paths" | tr '\n' ' ')" = "t-field.csv t-indicator.csv t-budget_item.csv t-cell.csv "
expect "form field file: header + 6 fields" test "$(wc -l < "$tmp/form/t-field.csv")" = 7
expect "form indicator file = --kind=indicator" cmp -s "$tmp/form/t-indicator.csv" "$src/fixtures/emit/form-csv-indicator/expected.out"
expect "form budget file: header only" test "$(wc -l < "$tmp/form/t-budget_item.csv")" = 1

# --split into a directory that does not exist: exit 3, nothing written
"$emit" --split="$tmp/nodir" "$in" > "$tmp/paths" 2>"$tmp/err"; rc=$?
expect "--split to a missing dir exits 3" test "$rc" = 3
expect "--split error names the file" grep -q "nodir/t-p1-t1.csv: cannot create" "$tmp/err"

# a truncated stream with --split form: the files keep what was read, exit 1
mkdir "$tmp/trunc"
head -n 20 "$form" > "$tmp/trunc.tables"
"$emit" --records=form --split="$tmp/trunc" "$tmp/trunc.tables" >/dev/null 2>&1; rc=$?
expect "--split on a truncated stream exits 1" test "$rc" = 1

# the shipped map file gives what the built-in map gives
expect "--map=emit/formtab.map = built-in" cmp -s \
  <("$emit" --records=form --format=jsonl "$form") \
  <("$emit" --records=form --format=jsonl --map="$src/emit/formtab.map" "$form")

# | head ends quietly: SIGPIPE keeps its default, no message
big=$tmp/big.tables
{ head -n 2 "$in"
  for i in $(seq 1 3000); do
    printf 'table\t%d\t1\t1\ttext\t1\t2\t\t\t\t\n' "$i"
    printf 'cell\t1\t1\t1\t1\t1\t\t\t\t\t\t0\t%s\n' "row $i left" "row $i right" | sed '2s/^cell\t1\t1/cell\t1\t2/'
    printf 'endtable\t%d\n' "$i"
  done
  printf 'end\t3000\t0\n'; } > "$big"
"$emit" "$big" > "$tmp/all.csv"; rc=$?
expect "big stream ok" test "$rc" = 0 -a "$(wc -l < "$tmp/all.csv")" = 3000
set -o pipefail
"$emit" "$big" 2>"$tmp/err" | head -n 1 >/dev/null; rc=$?
set +o pipefail
expect "| head: killed by SIGPIPE (141) or done (0)" test "$rc" = 141 -o "$rc" = 0
expect "| head: nothing on stderr" test ! -s "$tmp/err"

# a write error (full disk) is reported and exits 3
if [ -w /dev/full ]; then
  "$emit" "$big" > /dev/full 2>"$tmp/err"; rc=$?
  expect "/dev/full exits 3" test "$rc" = 3
  expect "/dev/full message" grep -q "write error" "$tmp/err"
fi

[ "$fails" = 0 ] && echo "all checks passed" || { echo "$fails check(s) failed"; exit 1; }
