#!/usr/bin/env bash
# End-to-end checks of formtab-batch on real trees, run by ctest:
#   cli.sh GROUP BUILD_DIR SOURCE_DIR
# GROUP: basic (mirror, manifest, rerun, change, removal, formats, report),
#        safety (lock, timeouts, signals, refusal of an empty tree),
#        kill / kill20 (SIGKILL at random moments, then a rerun must end
#        with exactly the outputs of an uninterrupted run: 5 / 20 points),
#        shard (--shard K/N, --merge-manifests, the GNU parallel recipe),
#        pdf (PDF fixtures and qpdf variants, OCR timeouts).
# Expected values are written here by hand or computed independently
# (Python's csv and json modules, the formtab driver on the same file).
set -u
group=$1
BIN=$(cd "$2" && pwd)
SRC=$(cd "$3" && pwd)
BATCH=$BIN/formtab-batch
FORMTAB=$BIN/formtab
WS=$(mktemp -d /tmp/batch-cli.XXXXXX)
trap 'rm -rf "$WS"' EXIT
export LC_ALL=C

fail() { echo "FAIL [$group]: $*" >&2; exit 1; }
note() { echo "ok [$group]: $*"; }

# run EXPECTED_RC ARGS...: run formtab-batch from $WS/run (so its workers'
# cwd identifies them), stderr to $WS/err, and check the exit code.
mkdir -p "$WS/run"
run() {
  local want=$1; shift
  (cd "$WS/run" && "$BATCH" "$@") >"$WS/stdout" 2>"$WS/err"
  local rc=$?
  [ "$rc" = "$want" ] || { cat "$WS/err" >&2; fail "formtab-batch $* exited $rc, want $want"; }
}

# The newest run report of an output tree, as a Python expression source.
py_report() { # OUT_DIR PYTHON-EXPR...
  local out=$1; shift
  python3 - "$out" "$@" <<'EOF'
import glob, json, os, sys
out = sys.argv[1]
reports = sorted(glob.glob(os.path.join(out, ".formtab/runs/*.json")),
                 key=os.path.getmtime)
r = json.load(open(reports[-1]))
s = r["summary"]
files = {f["path"]: f for f in r["files"]}
for expr in sys.argv[2:]:
    if not eval(expr):
        print("report check failed: %s\nsummary: %s" % (expr, s), file=sys.stderr)
        sys.exit(1)
EOF
}

# Rows of the manifest as "path status sha256 output" lines.
manifest_rows() {
  python3 - "$1/.formtab/manifest.sqlite" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute("select path, status, sha256, coalesce(output,'-') from files order by path"):
    print(*row)
EOF
}

# No process may still work for a run: none with its cwd in the input tree
# (stages) or in $WS/run (supervisors). Waits up to 3 s for the kernel to
# deliver the parent-death signals.
no_workers_left() {
  local in=$(cd "$1" && pwd -P) run=$(cd "$WS/run" && pwd -P)
  for _ in $(seq 30); do
    local busy=0
    for p in /proc/[0-9]*; do
      [ "$p" = "/proc/$$" ] && continue
      local cwd
      cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
      case "$cwd" in "$in"|"$in"/*|"$run") busy=1 ;; esac
    done
    [ $busy = 0 ] && return 0
    sleep 0.1
  done
  fail "workers still running after the batch process ended"
}

# Build a tree of text dumps: N inputs spread over years/departments, each
# a fixture seed with a distinct last line so every hash differs.
make_text_tree() { # DIR N
  local dir=$1 n=$2
  for i in $(seq 1 "$n"); do
    local d="$dir/20$((20 + i % 3))/dept$((i % 4))"
    mkdir -p "$d"
    { cat "$SRC/fixtures/textcases/seed00$((i % 5))/input.txt"; echo "variant $i"; } >"$d/form$i.txt"
  done
}

# The records the driver writes for one input, read from IN_DIR as the
# batch job does (so `source` is the relative path).
driver_output() { # IN_DIR REL ARGS...
  local in=$1 rel=$2; shift 2
  (cd "$in" && "$FORMTAB" "$@" -- "$rel")
}

# ---------------------------------------------------------------------------
group_basic() {
  local in=$WS/in out=$WS/out-basic
  # Help and usage.
  "$BATCH" --help >"$WS/help" 2>&1 || fail "--help exit status"
  grep -q "^  6  some inputs failed" "$WS/help" || fail "--help lacks exit 6"
  grep -q "^  7  another run holds the lock" "$WS/help" || fail "--help lacks exit 7"
  "$FORMTAB" batch --help | grep -q "^Usage: formtab batch IN_DIR OUT_DIR" ||
    fail "the driver does not dispatch 'formtab batch'"
  run 2 "$in"
  grep -q "missing OUT_DIR" "$WS/err" && grep -q "Try 'formtab batch --help'" "$WS/err" ||
    fail "usage error message"
  [ "$(wc -l <"$WS/err")" = 2 ] || fail "usage error is not two lines"
  run 2 a b --format=xml
  note "help and usage"

  # A tree: 5 text dumps, a hidden file and directory, a non-input, a link
  # loop, a file link, and a "PDF" that is not one.
  make_text_tree "$in" 5
  mkdir -p "$in/.hidden" "$in/2021/misc"
  cp "$in/2021/dept1/form1.txt" "$in/.hidden/secret.txt"
  cp "$in/2021/dept1/form1.txt" "$in/2021/.draft.txt"
  echo "not an input" >"$in/2021/misc/notes.md"
  ln -s .. "$in/2021/misc/up"
  printf '%%PDF-1.4\nthis is no PDF\n' >"$in/2021/misc/broken.pdf"
  run 6 "$in" "$out" -j 2
  grep -q "2021/misc/broken.pdf: failed (exit 1" "$WS/err" || fail "failure not logged"
  # One timestamped summary line at the end (stderr is not a terminal).
  tail -n 1 "$WS/err" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{4} formtab-batch: done in .*5 ok, 0 partial, 1 failed' ||
    fail "summary line: $(tail -n 1 "$WS/err")"
  for i in 1 2 3 4 5; do
    local rel=20$((20 + i % 3))/dept$((i % 4))/form$i.txt
    [ -f "$out/$rel.csv" ] || fail "no output for $rel"
    driver_output "$in" "$rel" | cmp -s - "$out/$rel.csv" || fail "$rel.csv differs from the driver's output"
  done
  [ ! -e "$out/2021/misc/broken.pdf.csv" ] || fail "output for a failed input"
  [ -z "$(find "$out" -name '*secret*' -o -name '*.draft*' -o -name '*notes*')" ] || fail "hidden or non-input converted"
  [ -z "$(ls -A "$out/.formtab/tmp")" ] || fail "temporary files left"
  py_report "$out" 's["inputs"] == 6' 's["ok"] == 5' 's["failed"] == 1' 's["processed"] == 6' \
    's["ignored"] == 1' 's["hidden"] == 2' 'r["exit_code"] == 6' 'r["status"] == "some-failed"' \
    'files["2021/misc/broken.pdf"]["status"] == "failed"' \
    'files["2021/misc/broken.pdf"]["error"].startswith("formtab-extract: 2021/misc/broken.pdf: ")' \
    'files["2021/misc/broken.pdf"]["exit_code"] == 1' \
    'files["2021/misc/broken.pdf"]["output"] is None' \
    'all(f["action"] == "new" for f in r["files"])' || fail "first run report"
  # Records as Python's csv module counts them; pages and tables as the
  # text dumps hold them (one page each, tables counted in the stream).
  python3 - "$out" <<'EOF' || fail "record counts"
import csv, glob, json, os, sys
out = sys.argv[1]
r = json.load(open(sorted(glob.glob(out + "/.formtab/runs/*.json"))[-1]))
for f in r["files"]:
    if f["status"] != "ok":
        continue
    rows = list(csv.reader(open(os.path.join(out, f["output"]), newline="")))
    assert f["records"] == len(rows) > 0, (f["path"], f["records"], len(rows))
    assert f["pages"] == 1, f
    assert f["tables"] >= 1, f
EOF
  local sha
  sha=$(sha256sum "$in/2020/dept3/form3.txt" | cut -d' ' -f1)
  manifest_rows "$out" | grep -qx "2020/dept3/form3.txt ok $sha 2020/dept3/form3.txt.csv" ||
    fail "manifest row of form3: $(manifest_rows "$out" | grep form3)"
  note "first run: mirror, outputs equal the driver's, report, manifest"

  # Rerun: nothing processed, the known failure skipped, exit 0, no output
  # rewritten (same inode: a rewrite renames a new file in).
  local ino_before ino_after
  ino_before=$(stat -c %i "$out/2020/dept3/form3.txt.csv")
  run 0 "$in" "$out"
  ino_after=$(stat -c %i "$out/2020/dept3/form3.txt.csv")
  [ "$ino_before" = "$ino_after" ] || fail "an unchanged input was rewritten"
  py_report "$out" 's["processed"] == 0' 's["unchanged"] == 5' 's["known_failed"] == 1' \
    'r["exit_code"] == 0' || fail "rerun report"
  note "rerun skips unchanged inputs and known failures"

  # A changed input is redone; a deleted output is redone.
  echo "one more line" >>"$in/2022/dept2/form2.txt"
  rm "$out/2021/dept1/form1.txt.csv"
  run 0 "$in" "$out"
  py_report "$out" 's["processed"] == 2' 'files["2022/dept2/form2.txt"]["action"] == "changed"' \
    'files["2021/dept1/form1.txt"]["action"] == "missing-output"' || fail "change report"
  driver_output "$in" 2022/dept2/form2.txt | cmp -s - "$out/2022/dept2/form2.txt.csv" ||
    fail "changed input's output is stale"
  [ -f "$out/2021/dept1/form1.txt.csv" ] || fail "deleted output not redone"
  note "changed inputs and missing outputs are redone"

  # A removed input: reported once, output kept without --prune.
  rm "$in/2022/dept1/form5.txt"
  run 0 "$in" "$out"
  grep -q "2022/dept1/form5.txt: removed from the input tree (output kept)" "$WS/err" || fail "removal not logged"
  [ -f "$out/2022/dept1/form5.txt.csv" ] || fail "output of a removed input deleted without --prune"
  py_report "$out" 's["removed"] == 1' 'r["removed"][0]["path"] == "2022/dept1/form5.txt"' \
    'r["removed"][0]["pruned"] is False' || fail "removal report"
  manifest_rows "$out" | grep -q "^2022/dept1/form5.txt removed " || fail "manifest: not marked removed"
  run 0 "$in" "$out"
  py_report "$out" 's["removed"] == 0' || fail "a removal reported twice"
  run 0 "$in" "$out" --prune
  [ ! -e "$out/2022/dept1/form5.txt.csv" ] || fail "--prune kept the output"
  [ ! -e "$out/2022/dept1" ] || fail "--prune left an empty directory"
  manifest_rows "$out" | grep -q "^2022/dept1/form5.txt " && fail "--prune kept the row"
  note "removed inputs: reported, kept, then pruned"

  # --retry-failed runs the known failure again.
  run 6 "$in" "$out" --retry-failed
  py_report "$out" 's["processed"] == 1' 'files["2021/misc/broken.pdf"]["action"] == "retry"' || fail "retry"
  note "--retry-failed"

  # Another format: every input redone, old outputs replaced.
  rm "$in/2021/misc/broken.pdf"
  run 0 "$in" "$out" --format=jsonl
  [ -z "$(find "$out" -name '*.csv')" ] || fail "csv outputs left after --format=jsonl"
  for rel in 2022/dept2/form2.txt 2020/dept3/form3.txt; do
    driver_output "$in" "$rel" --format jsonl | cmp -s - "$out/$rel.jsonl" || fail "$rel.jsonl"
  done
  python3 - "$out" <<'EOF' || fail "jsonl record counts"
import glob, json, os, sys
out = sys.argv[1]
r = json.load(open(sorted(glob.glob(out + "/.formtab/runs/*.json"))[-1]))
assert all(f["action"] == "options" for f in r["files"]), r["files"]
for f in r["files"]:
    lines = [json.loads(l) for l in open(os.path.join(out, f["output"]))]
    assert f["records"] == len(lines), f
EOF
  run 0 "$in" "$out" --format=json --records=cells
  python3 - "$out" <<'EOF' || fail "json cells record counts"
import glob, json, os, sys
out = sys.argv[1]
r = json.load(open(sorted(glob.glob(out + "/.formtab/runs/*.json"))[-1]))
for f in r["files"]:
    assert f["records"] == len(json.load(open(os.path.join(out, f["output"])))), f
EOF
  run 0 "$in" "$out" --records=cells
  python3 - "$out" <<'EOF' || fail "csv cells (with header) record counts"
import csv, glob, json, os, sys
out = sys.argv[1]
r = json.load(open(sorted(glob.glob(out + "/.formtab/runs/*.json"))[-1]))
for f in r["files"]:
    rows = list(csv.reader(open(os.path.join(out, f["output"]), newline="")))
    assert f["records"] == len(rows) - 1, (f, len(rows))
EOF
  note "--format and --records: outputs replaced, records counted"

  # --dry-run lists the plan and changes nothing.
  echo "dry" >>"$in/2020/dept3/form3.txt"
  local before
  before=$(manifest_rows "$out" | md5sum)
  run 0 "$in" "$out" --records=cells --dry-run
  grep -qx "changed	2020/dept3/form3.txt" "$WS/stdout" || fail "dry run plan: $(cat "$WS/stdout")"
  [ "$(manifest_rows "$out" | md5sum)" = "$before" ] || fail "dry run changed the manifest"
  note "--dry-run"

  # On a terminal: the progress line redrawn in place, then the summary.
  if command -v script >/dev/null; then
    rm -rf "$WS/out-tty"
    script -qc "'$BATCH' '$in' '$WS/out-tty' -j 1" /dev/null >"$WS/tty" 2>&1 </dev/null
    grep -q $'\r\033\[Kformtab-batch: converting [0-9]*/4 files, [0-9.]* files/s, [0-9.]* pages/s, ETA ' "$WS/tty" ||
      fail "no progress line on a terminal: $(cat -A "$WS/tty" | head -c 400)"
    grep -q "formtab-batch: done in .*4 processed (4 ok" "$WS/tty" || fail "no summary on a terminal"
    grep -Eq '^[0-9]{4}-[0-9]{2}-' "$WS/tty" && fail "timestamps on a terminal"
    note "a terminal gets the redrawn progress line"
  fi

  # Old reports go: --keep-reports.
  run 0 "$in" "$out" --records=cells --keep-reports=2
  [ "$(ls "$out/.formtab/runs" | wc -l)" = 2 ] || fail "--keep-reports=2 kept $(ls "$out/.formtab/runs" | wc -l)"
  note "--keep-reports"

  # Every report is valid JSON.
  for f in "$out"/.formtab/runs/*.json; do
    python3 -m json.tool "$f" >/dev/null || fail "invalid report $f"
  done
  note "reports are valid JSON"
}

# ---------------------------------------------------------------------------
group_safety() {
  local in=$WS/in out=$WS/out
  make_text_tree "$in" 12

  # The lock: a second run leaves at once with exit 7.
  # (Held by this shell on fd 9, so releasing it is closing fd 9.)
  mkdir -p "$out/.formtab"
  exec 9>"$out/.formtab/lock"
  flock -n 9 || fail "cannot take the lock for the test"
  local t0=$SECONDS
  run 7 "$in" "$out"
  grep -q "another run is active" "$WS/err" || fail "lock message: $(cat "$WS/err")"
  [ $((SECONDS - t0)) -le 2 ] || fail "the second run waited for the lock"
  exec 9>&-
  # Two real runs at once: exactly one works.
  (cd "$WS/run" && "$BATCH" "$in" "$out" -j 1 2>"$WS/err1"; echo $? >"$WS/rc1") &
  (cd "$WS/run" && "$BATCH" "$in" "$out" -j 1 2>"$WS/err2"; echo $? >"$WS/rc2") &
  wait
  [ "$(sort "$WS/rc1" "$WS/rc2" | tr '\n' ' ')" = "0 7 " ] ||
    fail "two concurrent runs: exit codes $(cat "$WS/rc1") and $(cat "$WS/rc2")"
  note "the lock keeps two runs apart (exit 7)"

  # Timeouts: every input killed at its limit, remembered, skipped, retried.
  local tout=$WS/out-timeout
  run 6 "$in" "$tout" --timeout=0.001 -j 2
  no_workers_left "$in"
  py_report "$tout" 's["timeout"] == 12' 's["ok"] == 0' \
    'all(f["status"] == "timeout" and f["exit_code"] == 124 for f in r["files"])' \
    'all("timed out after" in f["error"] for f in r["files"])' || fail "timeout report"
  [ -z "$(find "$tout" -name '*.csv')" ] || fail "output of a timed-out input"
  [ -z "$(ls -A "$tout/.formtab/tmp")" ] || fail "temporary files left after timeouts"
  [ "$(manifest_rows "$tout" | awk '{print $2}' | sort -u)" = timeout ] || fail "manifest after timeouts"
  run 0 "$in" "$tout"
  py_report "$tout" 's["known_failed"] == 12' 's["processed"] == 0' || fail "timeouts not remembered"
  run 0 "$in" "$tout" --retry-failed
  py_report "$tout" 's["ok"] == 12' || fail "--retry-failed after timeouts"
  note "timeouts: killed, reported, remembered, retried"

  # SIGTERM and SIGINT: workers stopped, temporary files removed, the
  # report says interrupted; the rerun completes the tree.
  local sig
  for sig in TERM INT; do
    local sout=$WS/out-$sig
    (cd "$WS/run" && exec "$BATCH" "$in" "$sout" -j 1 2>"$WS/err") &
    local pid=$!
    sleep 0.3
    kill -s "$sig" "$pid"
    wait "$pid"
    local rc=$?
    if [ $rc -eq 0 ]; then
      note "(the run finished before SIG$sig: machine too fast to interrupt)"
    else
      [ $rc -eq $((128 + $(kill -l "$sig"))) ] || fail "SIG$sig: exit $rc"
      grep -q "interrupted by signal" "$WS/err" || fail "SIG$sig: no message"
      py_report "$sout" 'r["status"] == "interrupted"' 's["interrupted"] > 0' || fail "SIG$sig report"
    fi
    no_workers_left "$in"
    [ -z "$(ls -A "$sout/.formtab/tmp")" ] || fail "SIG$sig: temporary files left"
    run 0 "$in" "$sout"
    diff -r --exclude=.formtab "$out" "$sout" >/dev/null || fail "SIG$sig then rerun: tree differs"
  done
  note "SIGTERM and SIGINT stop cleanly; the rerun completes"

  # An empty input tree where the manifest knows inputs: refused.
  mv "$in" "$WS/in.away"
  mkdir "$in"
  run 3 "$in" "$out" --prune
  grep -q "holds no inputs but the manifest lists 12" "$WS/err" || fail "empty tree message"
  [ "$(find "$out" -name '*.csv' | wc -l)" = 12 ] || fail "outputs touched for an empty tree"
  rmdir "$in"
  run 3 "$in" "$out"
  mv "$WS/in.away" "$in"
  note "an empty or missing input tree is refused (exit 3)"

  # OUT inside IN, and IN == OUT.
  run 0 "$in" "$in/converted"
  run 0 "$in" "$in/converted"
  py_report "$in/converted" 's["inputs"] == 12' 's["processed"] == 0' || fail "OUT inside IN"
  run 2 "$in" "$in/."
  note "an output tree inside the input tree is never read as input"
}

# ---------------------------------------------------------------------------
# SIGKILL at random moments. The killed runs see version A of the tree;
# before the final run it becomes version B (an input changed, one removed,
# one added), and the final run (--prune) must leave exactly the tree and
# manifest states of an uninterrupted run over version B.
kill_points() {
  local npoints=$1
  local in=$WS/in ref=$WS/ref
  make_text_tree "$in" 16
  # How long a full run takes, to spread the kill points over it.
  local t0 t1
  t0=$(date +%s%N)
  run 0 "$in" "$WS/timing" -j 2
  t1=$(date +%s%N)
  local span_ms=$(( (t1 - t0) / 1000000 ))
  rm -rf "$WS/timing"
  change_tree() {
    echo "changed" >>"$in/2021/dept1/form1.txt"
    rm -f "$in/2022/dept2/form2.txt"
    cp "$SRC/fixtures/textcases/seed003/input.txt" "$in/2020/dept3/added.txt"
  }
  restore_tree() {
    rm -rf "$in"; make_text_tree "$in" 16
  }
  change_tree
  run 0 "$in" "$ref" --prune
  local ref_rows
  ref_rows=$(manifest_rows "$ref")
  for k in $(seq 1 "$npoints"); do
    restore_tree
    local out=$WS/out-$k
    # One or two kills, each at a random moment of a run.
    local kills=$(( 1 + RANDOM % 2 )) j
    for j in $(seq 1 $kills); do
      local delay_ms=$(( RANDOM % (span_ms + 20) ))
      (cd "$WS/run" && exec "$BATCH" "$in" "$out" -j 2 2>/dev/null) &
      local pid=$!
      sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
      kill -KILL "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
      no_workers_left "$in"
      echo "  kill point $k.$j at ${delay_ms} ms" >&2
    done
    change_tree
    run 0 "$in" "$out" --prune
    diff -r --exclude=.formtab "$ref" "$out" >"$WS/diff" || { cat "$WS/diff" >&2; fail "kill point $k: tree differs"; }
    [ "$(manifest_rows "$out")" = "$ref_rows" ] || fail "kill point $k: manifest differs"
    [ -z "$(ls -A "$out/.formtab/tmp")" ] || fail "kill point $k: temporary files left"
    rm -rf "$out"
  done
  note "$npoints kill points: every rerun ends with the uninterrupted run's outputs"
}

group_kill() { kill_points 5; }
group_kill20() { kill_points 20; }

# ---------------------------------------------------------------------------
group_shard() {
  local in=$WS/in ref=$WS/ref
  make_text_tree "$in" 15
  run 0 "$in" "$ref"
  local n=3 k
  for k in 0 1 2; do
    run 0 "$in" "$WS/shard$k" --shard=$k/$n
  done
  # Each input in exactly the shard its hash names, computed here apart.
  python3 - "$in" "$WS" $n <<'EOF' || fail "shard membership"
import hashlib, os, sqlite3, sys
root, ws, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
want = {}
for d, _, names in os.walk(root):
    for name in names:
        p = os.path.join(d, name)
        want[os.path.relpath(p, root)] = int(hashlib.sha256(open(p, "rb").read()).hexdigest()[:8], 16) % n
got = {}
for k in range(n):
    db = sqlite3.connect(os.path.join(ws, "shard%d" % k, ".formtab/manifest.sqlite"))
    for (path,) in db.execute("select path from files"):
        assert path not in got, path
        got[path] = k
assert got == want, (got, want)
assert len(set(want.values())) > 1, "all inputs in one shard: a poor test tree"
EOF
  run 0 --merge-manifests "$WS/merged" "$WS/shard0" "$WS/shard1" "$WS/shard2"
  diff -r --exclude=.formtab "$ref" "$WS/merged" >/dev/null || fail "merged tree differs from one run"
  [ "$(manifest_rows "$WS/merged")" = "$(manifest_rows "$ref")" ] || fail "merged manifest differs"
  run 0 --merge-manifests "$WS/merged" "$WS/shard0" "$WS/shard1" "$WS/shard2"
  grep -q "0 newer" "$WS/err" || fail "a second merge changed something: $(cat "$WS/err")"
  # The merged tree works as an ordinary output tree: nothing to do.
  run 0 "$in" "$WS/merged"
  py_report "$WS/merged" 's["processed"] == 0' 's["unchanged"] == 15' || fail "run over a merged tree"
  # A shard still running is not merged.
  exec 9>>"$WS/shard1/.formtab/lock"
  flock -n 9 || fail "cannot take the lock for the test"
  run 7 --merge-manifests "$WS/merged2" "$WS/shard0" "$WS/shard1"
  exec 9>&-
  note "--shard K/N splits by hash; --merge-manifests rebuilds one tree"

  # The multi-host recipe with GNU parallel, on "hosts" that are this
  # machine (':' in an --sshloginfile).
  command -v parallel >/dev/null || fail "GNU parallel is not installed (scripts/packages.txt)"
  printf ':\n:\n:\n' >"$WS/hosts"
  PATH=$BIN:$PATH "$SRC/scripts/batch-multihost" --hosts "$WS/hosts" --shards 4 \
    "$in" "$WS/multi" >"$WS/stdout" 2>"$WS/err" || { cat "$WS/err" >&2; fail "batch-multihost"; }
  diff -r --exclude=.formtab "$ref" "$WS/multi" >/dev/null || fail "multi-host tree differs from one run"
  [ "$(manifest_rows "$WS/multi")" = "$(manifest_rows "$ref")" ] || fail "multi-host manifest differs"
  note "scripts/batch-multihost over GNU parallel gives the one-run tree"
}

# ---------------------------------------------------------------------------
group_pdf() {
  local in=$WS/in out=$WS/out
  mkdir -p "$in/2020" "$in/2021/scans"
  local c
  for c in seed000-ruled seed004-ruled x-en-ruled-merges; do
    cp "$SRC/fixtures/pdf/$c/input.pdf" "$in/2020/$c.pdf"
    # A qpdf variant: same pages, different bytes (and hash).
    qpdf --object-streams=generate "$in/2020/$c.pdf" "$in/2021/$c-v2.pdf" ||
      fail "qpdf"
  done
  cp "$SRC/fixtures/pdf/seed000-ruled/input.pdf" "$in/2021/NOEXT"
  run 0 "$in" "$out" -j 2
  for c in seed000-ruled seed004-ruled x-en-ruled-merges; do
    driver_output "$in" "2020/$c.pdf" | cmp -s - "$out/2020/$c.pdf.csv" || fail "$c output"
  done
  [ -f "$out/2021/NOEXT.csv" ] || fail "a PDF without .pdf in its name was not found"
  py_report "$out" 's["ok"] == 7' 'files["2020/seed000-ruled.pdf"]["pages"] == 4' \
    'files["2020/seed004-ruled.pdf"]["pages"] == 4' 'files["2020/x-en-ruled-merges.pdf"]["pages"] == 1' \
    'files["2021/seed000-ruled-v2.pdf"]["pages"] == 4' \
    'files["2020/seed000-ruled.pdf"]["max_rss_kb"] > 0' || fail "pdf report"
  note "PDF inputs: found by content, converted as the driver does"

  # A scanned PDF needs OCR (seconds): a 1 s limit kills it.
  cp "$SRC/fixtures/pdf/scan300-seed000-ruled/input.pdf" "$in/2021/scans/scan.pdf"
  run 6 "$in" "$out" --timeout=1 -j 2
  no_workers_left "$in"
  py_report "$out" 'files["2021/scans/scan.pdf"]["status"] == "timeout"' 's["processed"] == 1' ||
    fail "OCR timeout"
  [ -z "$(ls -A "$out/.formtab/tmp")" ] || fail "temporary files left after an OCR timeout"
  note "a slow OCR input is killed at --timeout"
}

case "$group" in
  basic|safety|kill|kill20|shard|pdf) "group_$group" ;;
  *) echo "cli.sh: unknown group '$group'" >&2; exit 2 ;;
esac
