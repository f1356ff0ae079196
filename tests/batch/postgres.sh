#!/usr/bin/env bash
# `formtab batch --load postgres` against a real, throwaway PostgreSQL
# server: records land once per record id; a rerun loads nothing again; a
# failed load is retried by the next run without converting again; and a
# run killed with SIGKILL at random moments, then rerun, leaves exactly the
# rows of an uninterrupted run: zero lost, zero duplicated.
#
# The server: Debian's PostgreSQL binaries, initdb in a temporary directory
# (as nobody when run by root: postgres refuses root), a unix socket there
# and no TCP (listen_addresses=''); stopped and removed on exit. Exits 77
# (ctest SKIP) only when the binaries are absent.
#
# Usage: postgres.sh BUILD_DIR SOURCE_DIR [KILL_POINTS]   (default 20)
set -u
BIN=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
npoints=${3:-20}
BATCH=$BIN/formtab-batch
export LC_ALL=C

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done
if [ -z "$bindir" ] || ! command -v psql >/dev/null; then
  echo "SKIP: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)"
  exit 77
fi

WS=$(mktemp -d /tmp/batch-pg.XXXXXX) || exit 1
chmod 711 "$WS" # the server's user must reach its directory inside
run_pg=()
if [ "$(id -u)" = 0 ]; then
  mkdir "$WS/pg"
  chown nobody "$WS/pg"
  run_pg=(runuser -u nobody --)
else
  mkdir "$WS/pg"
fi
started=0
cleanup() {
  if [ "$started" = 1 ]; then
    "${run_pg[@]}" "$bindir/pg_ctl" -D "$WS/pg/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$WS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "FAIL [postgres]: $*" >&2; exit 1; }
note() { echo "ok [postgres]: $*"; }

"${run_pg[@]}" "$bindir/initdb" -D "$WS/pg/data" -U formtab --auth=trust \
  --encoding=UTF8 --locale=C >"$WS/initdb.log" 2>&1 ||
  { cat "$WS/initdb.log"; fail "initdb"; }
"${run_pg[@]}" "$bindir/pg_ctl" -D "$WS/pg/data" -l "$WS/pg/server.log" -w \
  -o "-c listen_addresses='' -k $WS/pg -c fsync=off" start >/dev/null ||
  { cat "$WS/pg/server.log"; fail "server did not start"; }
started=1
export PGHOST=$WS/pg PGUSER=formtab PGDATABASE=postgres
unset PGPORT PGPASSWORD PGSERVICE

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }
# Every loaded row, as id, kind and a digest of the document.
db_rows() { q -d "$1" -c "SELECT record_id, kind, md5(doc::text) FROM formtab_record ORDER BY 1"; }

mkdir -p "$WS/run"
run() { # EXPECTED_RC DB ARGS...
  local want=$1 db=$2; shift 2
  (cd "$WS/run" && PGDATABASE=$db "$BATCH" "$@") >"$WS/stdout" 2>"$WS/err"
  local rc=$?
  [ "$rc" = "$want" ] || { cat "$WS/err" >&2; fail "formtab-batch $* exited $rc, want $want"; }
}
report() { # OUT_DIR PYTHON-EXPR...
  local out=$1; shift
  python3 - "$out" "$@" <<'EOF'
import glob, json, os, sys
out = sys.argv[1]
reports = sorted(glob.glob(os.path.join(out, ".formtab/runs/*.json")), key=os.path.getmtime)
r = json.load(open(reports[-1]))
s = r["summary"]
files = {f["path"]: f for f in r["files"]}
for expr in sys.argv[2:]:
    if not eval(expr):
        print("report check failed: %s\nsummary: %s" % (expr, s), file=sys.stderr)
        sys.exit(1)
EOF
}

in=$WS/in
for i in $(seq 1 12); do
  d="$in/20$((20 + i % 3))/dept$((i % 4))"
  mkdir -p "$d"
  { cat "$SRC/fixtures/textcases/seed00$((i % 5))/input.txt"; echo "variant $i"; } >"$d/form$i.txt"
done
opts=(--format=jsonl --records=form --load=postgres -j 2)

# An uninterrupted run: every record of every output, once.
fresh_db ref
run 0 ref "$in" "$WS/ref" "${opts[@]}"
report "$WS/ref" 's["ok"] == 12' 's["loaded"] == 12' 's["load_failed"] == 0' \
  'all(f["load"] == "ok" for f in r["files"])' || fail "reference report"
python3 - "$WS/ref" >"$WS/ids" <<'EOF' || fail "reading the outputs"
import glob, json, sys
ids = []
for p in glob.glob(sys.argv[1] + "/**/*.jsonl", recursive=True):
    ids += [json.loads(l)["record_id"] for l in open(p) if l.strip()]
assert len(ids) == len(set(ids)), "a record id twice in the outputs"
print("\n".join(sorted(ids)))
EOF
nrec=$(wc -l <"$WS/ids")
[ "$nrec" -gt 100 ] || fail "too few records to mean anything ($nrec)"
[ "$(q -d ref -c 'SELECT record_id FROM formtab_record ORDER BY 1')" = "$(cat "$WS/ids")" ] ||
  fail "the loaded ids are not the outputs' ids"
report "$WS/ref" "s['records'] == $nrec" || fail "report records != loaded rows"
ref_rows=$(db_rows ref)
note "uninterrupted run: $nrec records loaded, each once"

# A rerun converts and loads nothing (no row touched: loaded_at unchanged).
stamp=$(q -d ref -c "SELECT max(loaded_at) FROM formtab_record")
run 0 ref "$WS/in" "$WS/ref" "${opts[@]}"
report "$WS/ref" 's["processed"] == 0' 's["loaded"] == 0' || fail "rerun report"
[ "$(q -d ref -c "SELECT max(loaded_at) FROM formtab_record")" = "$stamp" ] || fail "a rerun loaded again"
note "a rerun loads nothing again"

# The warehouse down: outputs done, loads failed (exit 6); the next run
# loads them without converting again.
fresh_db late
(cd "$WS/run" && PGHOST=$WS/nowhere PGDATABASE=late "$BATCH" "$in" "$WS/late" "${opts[@]}") \
  >/dev/null 2>"$WS/err"
[ $? = 6 ] || { cat "$WS/err" >&2; fail "load failures: exit status"; }
grep -q "load failed (retried next run)" "$WS/err" || fail "load failure not logged"
report "$WS/late" 's["ok"] == 12' 's["load_failed"] == 12' || fail "load failure report"
run 0 late "$in" "$WS/late" "${opts[@]}"
report "$WS/late" 's["processed"] == 0' 's["loaded"] == 12' \
  'all(f["action"] == "load" for f in r["files"])' || fail "late load report"
[ "$(db_rows late)" = "$ref_rows" ] || fail "late load differs from the reference"
note "failed loads are retried by the next run, without converting again"

# SIGKILL at random moments of runs with --load, then a full run.
t0=$(date +%s%N)
fresh_db timing
run 0 timing "$in" "$WS/timing" "${opts[@]}"
span_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
for k in $(seq 1 "$npoints"); do
  out=$WS/out-$k
  fresh_db kill
  kills=$(( 1 + RANDOM % 2 ))
  for j in $(seq 1 $kills); do
    delay_ms=$(( RANDOM % (span_ms + 20) ))
    (cd "$WS/run" && PGDATABASE=kill exec "$BATCH" "$in" "$out" "${opts[@]}" 2>/dev/null) &
    pid=$!
    sleep "$(awk -v ms="$delay_ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    echo "  kill point $k.$j at ${delay_ms} ms" >&2
  done
  run 0 kill "$in" "$out" "${opts[@]}"
  [ "$(db_rows kill)" = "$ref_rows" ] || fail "kill point $k: the database differs from the uninterrupted run's"
  diff -r --exclude=.formtab "$WS/ref" "$out" >/dev/null || fail "kill point $k: outputs differ"
  rm -rf "$out"
done
note "$npoints kill points: zero records lost or duplicated in PostgreSQL"
