#!/usr/bin/env bash
# Run one golden case (fixtures/golden/<case>/, see its README and
# fixtures/golden/README.md) and compare what it prints with the case's
# expected files. Usage: run_golden.sh BUILD_DIR CASE_DIR
#   args             the command: a program of the build root (formtab,
#                    formtab-extract, formtab-normalize, formtab-emit) and its
#                    arguments, on one line, split at spaces; run in CASE_DIR
#   stdin            fed to the command (else /dev/null)
#   expected.csv | expected.out | expected.json   its exact standard output
#   expected.stderr  its exact standard error (absent: not compared)
#   expected.exit    its exit status (absent: 0)
set -u
bin=$1
case_dir=$2
name=$(basename "$case_dir")
cd "$case_dir" || { echo "golden $name: no such case"; exit 1; }
read -r -a words < args
prog=${words[0]}
cmd=("$bin/$prog" "${words[@]:1}")
if [ ! -x "${cmd[0]}" ]; then
  echo "golden $name: $prog is not built in $bin"
  exit 1
fi
stdin=/dev/null
[ -f stdin ] && stdin=stdin
expected_out=
for f in expected.csv expected.out expected.json; do
  if [ -f "$f" ]; then expected_out=$f; break; fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C "${cmd[@]}" < "$stdin" > "$tmp/out" 2> "$tmp/err"
rc=$?
fail=0
want_rc=0
[ -f expected.exit ] && want_rc=$(tr -d ' \n' < expected.exit)
if [ "$rc" != "$want_rc" ]; then
  echo "golden $name: exit status $rc, expected $want_rc"
  fail=1
fi
if [ -n "$expected_out" ] && ! diff -u "$expected_out" "$tmp/out"; then
  echo "golden $name: standard output differs from $expected_out"
  fail=1
fi
if [ -f expected.stderr ] && ! diff -u expected.stderr "$tmp/err"; then
  echo "golden $name: standard error differs from expected.stderr"
  fail=1
fi
if [ "$fail" = 0 ]; then
  echo "golden $name: ok"
fi
exit "$fail"
