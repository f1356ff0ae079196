#!/usr/bin/env bash
# End-to-end checks of formtab-batch on real trees, run by ctest:
#   cli.sh GROUP BUILD_DIR SOURCE_DIR
# GROUP: basic (mirror, manifest, rerun, change, removal, formats, report),
#        safety (lock, timeouts, signals, refusal of an empty tree),
#        kill / kill20 (SIGKILL at random moments, then a rerun must end
#        with exactly the outputs of an uninterrupted run: 5 / 20 points),
#        shard (--shard K/N, --merge-manifests, the GNU parallel recipe),
#        pdf (PDF fixtures and qpdf variants, OCR timeouts),
#        html (the HTML run page, --review, escaping, links, a partial PDF),
#        html-chromium (the run page in headless Chromium; exits 77 without).
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
  # Two reports and their two pages; the stylesheet of the pages stays.
  [ "$(ls "$out/.formtab/runs" | sed 's/^[0-9TZ]*-[0-9]*\././' | sort | tr '\n' ' ')" = \
    ".html .html .json .json inspect.css " ] ||
    fail "--keep-reports=2 kept $(ls "$out/.formtab/runs" | tr '\n' ' ')"
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

# ---------------------------------------------------------------------------
# The HTML run page: a tree with a good text dump, a ruled PDF, a broken
# PDF, a PDF whose page 2 cannot be read (partial), and names that are
# markup or URL syntax. The path `<script>alert(1)</script>.txt` holds a
# slash, so it is the file `script>.txt` in the directory `<script>alert(1)<`:
# the path is what the pages show.
SCRIPT_DIR='<script>alert(1)<'
SCRIPT_REL='<script>alert(1)</script>.txt'
URLISH_REL='a#b?c%20 "q".txt'

make_html_tree() { # DIR
  local in=$1
  mkdir -p "$in/2020" "$in/2021" "$in/$SCRIPT_DIR"
  cp "$SRC/fixtures/textcases/seed000/input.txt" "$in/good.txt"
  cp "$SRC/fixtures/textcases/seed001/input.txt" "$in/$SCRIPT_REL"
  cp "$SRC/fixtures/textcases/seed002/input.txt" "$in/$URLISH_REL"
  cp "$SRC/fixtures/pdf/x-en-ruled-merges/input.pdf" "$in/2020/ruled.pdf"
  # Cut short: "%PDF-" is there, the xref and most objects are not.
  head -c 3000 "$SRC/fixtures/pdf/x-en-ruled-merges/input.pdf" >"$in/2020/broken.pdf"
  # Two pages (the ruled page twice, by qpdf); the page tree's second kid
  # then points at an object that does not exist, so Poppler cannot load
  # page 2 while page 1 reads as before.
  qpdf --empty --pages "$SRC/fixtures/pdf/x-en-ruled-merges/input.pdf" \
    "$SRC/fixtures/pdf/x-en-ruled-merges/input.pdf" -- "$WS/two.pdf" || fail "qpdf"
  qpdf --qdf --object-streams=disable "$WS/two.pdf" "$WS/two-qdf.pdf" || fail "qpdf --qdf"
  python3 - "$WS/two-qdf.pdf" "$WS/partial-raw.pdf" <<'EOF2' || fail "making the partial PDF"
import re, sys
src = open(sys.argv[1], "rb").read()
kids = re.search(rb"/Kids \[\s*(\d+) 0 R\s+(\d+) 0 R\s*\]", src)
assert kids, "no two-kid page tree"
last = max(int(n) for n in re.findall(rb"^(\d+) 0 obj", src, re.M))
bad = src[:kids.start(2)] + str(last + 100).encode() + src[kids.end(2):]
open(sys.argv[2], "wb").write(bad)
EOF2
  fix-qdf "$WS/partial-raw.pdf" >"$in/2021/partial.pdf" || fail "fix-qdf"
}

# check_run_page PAGE CHECKS...: parse a run page (HTML) with Python's
# html.parser and evaluate each check (a Python expression) with
#   rows: {path: {column: text}}, links: {path: {column: href}},
#   attention: {path: message}, totals: {key: number}, status, html (raw),
#   resolves(href): the link's target exists (relative to the page).
check_run_page() {
  local page=$1; shift
  python3 - "$page" "$@" <<'EOF2'
import html.parser, os, sys, urllib.parse
page = sys.argv[1]
raw = open(page, encoding="utf-8").read()

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.table = None; self.row = None; self.cell = None
        self.heads = []; self.rows = {}; self.attention = {}
        self.totals = {}; self.status = None; self.in_status = False
        self.hrefs = []; self.tags = []
    def handle_starttag(self, tag, a):
        a = dict(a)
        self.tags.append(tag)
        if tag == "table":
            self.table = a.get("id"); self.heads = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = {"tag": tag, "text": "", "href": None, "id": a.get("id")}
        elif tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
            if self.cell is not None and self.cell["href"] is None:
                self.cell["href"] = a["href"]
        elif tag == "br" and self.cell is not None:
            self.cell["text"] += "\n"
        elif tag == "span" and a.get("id") == "run-status":
            self.in_status = True
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell); self.cell = None
        elif tag == "tr" and self.row is not None:
            r = self.row; self.row = None
            if all(c["tag"] == "th" for c in r):
                self.heads = [c["text"] for c in r]
            elif self.table == "file-list":
                d = {h: c for h, c in zip(self.heads, r)}
                self.rows[d["file"]["text"]] = d
            elif self.table == "attention-list":
                self.attention[r[0]["text"]] = r[-1]["text"]
            elif self.table == "totals" and r[1]["id"]:
                self.totals[r[1]["id"][4:]] = int(r[1]["text"])
        elif tag == "table":
            self.table = None
        elif tag == "span":
            self.in_status = False
    def handle_data(self, d):
        if self.cell is not None:
            self.cell["text"] += d
        if self.in_status:
            self.status = d

p = P(); p.feed(raw); p.close()
rows = {k: {h: c["text"] for h, c in v.items()} for k, v in p.rows.items()}
links = {k: {h: c["href"] for h, c in v.items()} for k, v in p.rows.items()}
attention, totals, status, html = p.attention, p.totals, p.status, raw
def resolves(href):
    if href is None or href.startswith("#"):
        return False
    u = urllib.parse.urlsplit(href)
    assert not u.scheme and not u.netloc and not u.query and not u.fragment, href
    return os.path.exists(os.path.join(os.path.dirname(page), urllib.parse.unquote(u.path)))
all_links_resolve = all(resolves(h) for h in p.hrefs if not h.startswith("#"))
scripts = [t for t in p.tags if t in ("script", "img", "iframe", "object")]
for expr in sys.argv[2:]:
    if not eval(expr):
        print("run page check failed: %s\n  page: %s\n  rows: %s\n  totals: %s\n  attention: %s"
              % (expr, page, rows, totals, attention), file=sys.stderr)
        sys.exit(1)
EOF2
}

group_html() {
  local in=$WS/in out=$WS/out
  make_html_tree "$in"
  local ruled_rows
  ruled_rows=$(python3 -c "import json,sys; t=json.load(open(sys.argv[1]))
print(max(c['row'] + c['rowspan'] - 1 for c in t[0]['cells']))" \
    "$SRC/fixtures/pdf/x-en-ruled-merges/truth.json")
  [ "$ruled_rows" = 11 ] || fail "truth.json of x-en-ruled-merges changed: $ruled_rows rows"

  # The partial PDF as formtab-extract sees it: page 1 read, page 2 failed.
  "$BIN/formtab-extract" "$in/2021/partial.pdf" >"$WS/partial.layout" 2>"$WS/partial.err"
  [ $? = 1 ] || fail "formtab-extract on the partial PDF: want exit 1"
  grep -q "page 2: page could not be read" "$WS/partial.err" || fail "partial PDF: $(cat "$WS/partial.err")"
  grep -qx $'endpage\t1\tok' "$WS/partial.layout" || fail "partial PDF: page 1 not read"
  grep -qx $'end\t2\t1' "$WS/partial.layout" || fail "partial PDF: end record"

  # Without --review: the file names link to the outputs.
  run 6 "$in" "$out" -j 2
  local page
  page=$(ls "$out"/.formtab/runs/*.html)
  [ "$(echo "$page" | wc -l)" = 1 ] || fail "want one run page, have: $page"
  [ "${page%.html}.json" = "$(ls "$out"/.formtab/runs/*.json)" ] || fail "the run page is not beside the JSON"
  [ -f "$out/.formtab/report.html" ] && [ -f "$out/.formtab/inspect.css" ] &&
    [ -f "$out/.formtab/runs/inspect.css" ] || fail "report.html or a stylesheet missing"
  grep -q "page $out/.formtab/report.html" "$WS/err" || fail "the summary line does not name the page"
  local p
  for p in "$page" "$out/.formtab/report.html"; do
    check_run_page "$p" \
      'status == "some-failed"' 'totals["inputs"] == 6' 'totals["processed"] == 6' \
      'totals["ok"] == 4' 'totals["partial"] == 1' 'totals["failed"] == 1' \
      'sorted(rows) == sorted(["good.txt", "2020/ruled.pdf", "2020/broken.pdf", "2021/partial.pdf", "<script>alert(1)</script>.txt", "a#b?c%20 \"q\".txt"])' \
      'rows["good.txt"]["status"] == "ok" and rows["good.txt"]["pages"] == "1" and rows["good.txt"]["failed pages"] == "0"' \
      'rows["2020/ruled.pdf"]["status"] == "ok" and rows["2020/ruled.pdf"]["pages"] == "1" and rows["2020/ruled.pdf"]["tables"] == "1"' \
      "rows['2020/ruled.pdf']['records'] == '$ruled_rows'" \
      'rows["2020/broken.pdf"]["status"] == "failed" and rows["2020/broken.pdf"]["pages"] == "0" and rows["2020/broken.pdf"]["records"] == "0"' \
      'rows["2020/broken.pdf"]["message"].startswith("formtab-extract: 2020/broken.pdf: damaged or unreadable PDF")' \
      'links["2020/broken.pdf"]["file"] is None and rows["2020/broken.pdf"]["output"] == ""' \
      'rows["2021/partial.pdf"]["status"] == "partial" and rows["2021/partial.pdf"]["pages"] == "2"' \
      'rows["2021/partial.pdf"]["failed pages"] == "1" and rows["2021/partial.pdf"]["tables"] == "1"' \
      "rows['2021/partial.pdf']['records'] == '$ruled_rows'" \
      '"page 2: page could not be read" in rows["2021/partial.pdf"]["message"]' \
      'rows["<script>alert(1)</script>.txt"]["status"] == "ok"' \
      'rows["a#b?c%20 \"q\".txt"]["status"] == "ok"' \
      'sorted(attention) == ["2020/broken.pdf", "2021/partial.pdf"]' \
      '"damaged or unreadable PDF" in attention["2020/broken.pdf"]' \
      'all(links[f]["file"] == links[f]["output"] and links[f]["file"].endswith(".csv") and resolves(links[f]["file"]) for f in rows if f != "2020/broken.pdf")' \
      'all(rows[f]["review"] == "" for f in rows)' \
      'all_links_resolve' 'not scripts' || fail "run page $p"
  done
  # Counts as the CSV outputs hold them (Python's csv module), every row.
  python3 - "$out" "$page" <<'EOF2' || fail "records on the page differ from the outputs"
import csv, os, re, sys
out, page = sys.argv[1], sys.argv[2]
raw = open(page, encoding="utf-8").read()
for rel in ["good.txt", "<script>alert(1)</script>.txt", "2021/partial.pdf"]:
    n = len(list(csv.reader(open(os.path.join(out, rel + ".csv"), newline=""))))
    assert n > 0, rel
    import html
    esc = html.escape(rel, quote=True).replace("&#x27;", "&#39;")
    m = re.search(r">%s</a></td>(?:<td[^>]*>[^<]*</td>){6}<td class=\"num\">(\d+)</td>" % re.escape(esc), raw)
    assert m and int(m.group(1)) == n, (rel, n, m and m.group(1))
EOF2
  note "run page and report.html: every file, its status and counts, failures' reasons, links to outputs"

  # The markup-named input is text: escaped in the raw HTML, never a tag.
  for p in "$page" "$out/.formtab/report.html"; do
    grep -q '&lt;script&gt;alert(1)&lt;/script&gt;.txt' "$p" || fail "$p: the escaped name is missing"
    grep -qi '<script' "$p" && fail "$p: an unescaped <script"
    grep -q 'href="[^"]*%3Cscript%3Ealert%281%29%3C/script%3E.txt.csv"' "$p" || fail "$p: the link is not percent-encoded"
    grep -q 'href="[^"]*a%23b%3Fc%2520%20%22q%22.txt.csv"' "$p" || fail "$p: a name with # ? % \" in a link"
    grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';" "$p" || fail "$p: no CSP"
  done
  note "names that are markup are escaped; links are percent-encoded; the CSP is there"

  # With --review: a review page per converted input, linked.
  run 6 "$in" "$out" -j 2 --force --review
  page=$(ls -t "$out"/.formtab/runs/*.html | head -n 1)
  for p in "$page" "$out/.formtab/report.html"; do
    check_run_page "$p" 'status == "some-failed"' 'totals["processed"] == 6' \
      'all(links[f]["review"] and resolves(links[f]["review"]) and links[f]["file"] == links[f]["review"] for f in rows if f != "2020/broken.pdf")' \
      'all(links[f]["review"].endswith("/index.html") and "/.formtab/review/" in links[f]["review"] for f in rows if f != "2020/broken.pdf")' \
      'links["2020/broken.pdf"]["review"] is None' \
      '"no review page: formtab-extract wrote nothing to show" in rows["2020/broken.pdf"]["message"]' \
      'all(resolves(links[f]["output"]) for f in rows if f != "2020/broken.pdf")' \
      'all_links_resolve' 'not scripts' || fail "run page with --review: $p"
  done
  local rv=$out/.formtab/review
  [ -f "$rv/2020/ruled.pdf/index.html" ] && [ -f "$rv/2020/ruled.pdf/page-0001.png" ] || fail "review of ruled.pdf"
  [ -f "$rv/2021/partial.pdf/index.html" ] || fail "review of the partial PDF"
  [ -f "$rv/$SCRIPT_REL/index.html" ] || fail "review of the markup-named input"
  [ ! -e "$rv/2020/broken.pdf" ] || fail "a review folder for an input that gave nothing"
  grep -q '&lt;script&gt;alert(1)&lt;/script&gt;.txt' "$rv/$SCRIPT_REL/index.html" || fail "review page: escaped name"
  grep -qi '<script' "$rv/$SCRIPT_REL/index.html" && fail "review page: an unescaped <script"
  # The review shows what the run saw: the Region/Country table of page 1,
  # and page 2 failed.
  grep -q 'Austria' "$rv/2021/partial.pdf/index.html" || fail "review of the partial PDF lacks its table"
  grep -q 'page could not be read' "$rv/2021/partial.pdf/index.html" || fail "review of the partial PDF: failed page not shown"
  [ -z "$(ls -A "$out/.formtab/tmp")" ] || fail "stream copies left in tmp/"
  py_report "$out" 'r["options"]["review"] is True' \
    'files["2020/ruled.pdf"]["review"] == ".formtab/review/2020/ruled.pdf/index.html"' \
    'files["2020/broken.pdf"]["review"] is None' \
    'files["2020/broken.pdf"]["review_error"] == "formtab-extract wrote nothing to show"' || fail "JSON review fields"
  note "--review: a review page per input, from the run's streams, linked and escaped"

  # A rerun converts nothing: report.html becomes the new run's, the old
  # run page stays, both are listed by time.
  run 0 "$in" "$out"
  [ "$(ls "$out"/.formtab/runs/*.html | wc -l)" = 3 ] || fail "three runs, $(ls "$out"/.formtab/runs/*.html | wc -l) pages"
  check_run_page "$out/.formtab/report.html" 'status == "ok"' 'totals["processed"] == 0' \
    'totals["unchanged"] == 5' 'totals["known_failed"] == 1' 'rows == {}' 'all_links_resolve' ||
    fail "report.html after a rerun"
  local newest
  newest=$(ls "$out"/.formtab/runs/*.html | sort | tail -n 1)
  grep -q "href=\"../.formtab/runs/$(basename "$newest")\"" "$out/.formtab/report.html" ||
    fail "report.html does not link the newest run page"
  # A changed input converted without --review loses its stale review;
  # --prune removes a removed input's review.
  echo "changed" >>"$in/good.txt"
  rm "$in/2020/ruled.pdf"
  run 0 "$in" "$out" --prune
  [ ! -e "$rv/good.txt" ] || fail "the review of a changed input was kept"
  [ ! -e "$rv/2020/ruled.pdf" ] || fail "--prune kept a removed input's review"
  [ -f "$rv/2021/partial.pdf/index.html" ] || fail "an unchanged input's review went"
  check_run_page "$out/.formtab/report.html" 'list(rows) == ["good.txt"]' \
    '"2020/ruled.pdf" in html and "Removed from the input tree (1)" in html' || fail "removed on the page"
  run 0 "$in" "$out" --keep-reports=2
  [ "$(ls "$out"/.formtab/runs/*.html | wc -l)" = 2 ] && [ "$(ls "$out"/.formtab/runs/*.json | wc -l)" = 2 ] ||
    fail "--keep-reports=2 kept $(ls "$out"/.formtab/runs | tr '\n' ' ')"
  note "report.html follows the newest run; stale reviews go; --keep-reports prunes pages too"

  # formtab-inspect missing: a warning, no review links, the rest as ever.
  local lone=$WS/lone
  mkdir -p "$lone"
  cp "$BIN/formtab-batch" "$BIN/formtab-extract" "$BIN/formtab-normalize" "$BIN/formtab-emit" "$lone/"
  (cd "$WS/run" && PATH=/usr/bin:/bin "$lone/formtab-batch" "$in" "$WS/out-lone" --review -j 2) >"$WS/stdout" 2>"$WS/err"
  [ $? = 6 ] || { cat "$WS/err" >&2; fail "without formtab-inspect: exit status"; }
  grep -q "formtab-batch: warning: cannot find formtab-inspect" "$WS/err" || fail "no warning about formtab-inspect"
  check_run_page "$WS/out-lone/.formtab/report.html" 'totals["ok"] == 3' 'totals["partial"] == 1' \
    'all(links[f]["review"] is None for f in rows)' \
    'all("no review page: formtab-inspect was not found" in rows[f]["message"] for f in rows)' \
    'all(links[f]["file"] == links[f]["output"] for f in rows if f != "2020/broken.pdf")' ||
    fail "run page without formtab-inspect"
  [ ! -e "$WS/out-lone/.formtab/review" ] || fail "review folder without formtab-inspect"
  note "without formtab-inspect: a warning, links to the outputs"
}

# The run page in headless Chromium (label slow): the DOM holds the markup
# name as text, no script element ran or exists, the title is unchanged,
# and a review link opens its page. Skips (77) without chromium.
group_html_chromium() {
  local chromium
  chromium=$(command -v chromium || command -v chromium-browser) || { echo "SKIP: no chromium"; exit 77; }
  local in=$WS/in out=$WS/out
  make_html_tree "$in"
  run 6 "$in" "$out" -j 2 --review
  browse() { # URL DOM_OUT
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --user-data-dir="$WS/profile" --dump-dom "$1" >"$2" 2>"$WS/chromium.err" ||
      fail "chromium on $1: $(tail -n 3 "$WS/chromium.err")"
  }
  browse "file://$out/.formtab/report.html" "$WS/dom.html"
  python3 - "$WS/dom.html" <<'EOF2' || fail "report.html in chromium"
import html.parser, sys
dom = open(sys.argv[1], encoding="utf-8").read()
class P(html.parser.HTMLParser):
    tags, title, texts, in_title = [], "", [], False
    def handle_starttag(self, tag, a):
        self.tags.append(tag); self.in_title = tag == "title"
    def handle_endtag(self, tag):
        self.in_title = False
    def handle_data(self, d):
        if self.in_title: self.title += d
        self.texts.append(d)
p = P(); p.feed(dom)
assert "script" not in p.tags, "a <script> element in the DOM"
assert p.title.startswith("formtab batch: run of "), p.title
assert "<script>alert(1)</script>.txt" in p.texts, "the name is not shown as text"
assert 'a#b?c%20 "q".txt' in p.texts
EOF2
  # The review link of the markup-named input, as the page has it.
  local href
  href=$(grep -o 'href="[^"]*%3Cscript%3Ealert%281%29%3C/script%3E.txt/index.html"' "$out/.formtab/report.html" | head -n 1)
  href=${href#href=\"}; href=${href%\"}
  browse "file://$out/.formtab/$href" "$WS/review.html"
  grep -q '&lt;script&gt;alert(1)&lt;/script&gt;.txt' "$WS/review.html" || fail "the review link did not open the review page"
  grep -qi '<script' "$WS/review.html" && fail "a script element in the review page"
  note "chromium: the name is text, no script element, links open"
}

case "$group" in
  basic|safety|kill|kill20|shard|pdf|html) "group_$group" ;;
  html-chromium) group_html_chromium ;;
  *) echo "cli.sh: unknown group '$group'" >&2; exit 2 ;;
esac
