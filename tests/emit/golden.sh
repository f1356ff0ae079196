#!/usr/bin/env bash
# Run one golden case of formtab-emit (fixtures/emit/<case>/) and compare:
#   input.tables   the table stream on stdin (may be empty)
#   args           options, one per line (may be missing: none)
#   expected.out   standard output, byte for byte
#   expected.err   standard error, byte for byte (missing: must be empty)
#   expected.exit  the exit status (missing: 0)
# All expected files are written by hand. Usage: golden.sh CASE_DIR EMIT
set -u
dir=$1 emit=$2
case "$emit" in /*) ;; *) emit=$PWD/$emit ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
args=()
if [ -f "$dir/args" ]; then
  while IFS= read -r a || [ -n "$a" ]; do
    [ -n "$a" ] && args+=("${a//@CASE@/$dir}")
  done < "$dir/args"
fi
(cd "$dir" && LC_ALL=C "$emit" "${args[@]}" < input.tables > "$tmp/out" 2> "$tmp/err")
rc=$?
want_rc=0
[ -f "$dir/expected.exit" ] && want_rc=$(cat "$dir/expected.exit")
fail=0
if [ "$rc" != "$want_rc" ]; then
  echo "exit status $rc, expected $want_rc"; fail=1
fi
if ! cmp -s "$tmp/out" "$dir/expected.out"; then
  echo "stdout differs:"; diff "$dir/expected.out" "$tmp/out" | head -40; fail=1
fi
want_err=/dev/null
[ -f "$dir/expected.err" ] && want_err=$dir/expected.err
if ! cmp -s "$tmp/err" "$want_err"; then
  echo "stderr differs:"; diff "$want_err" "$tmp/err" | head -20; fail=1
fi
exit $fail
