#!/usr/bin/env bash
# Load formtab-emit output into a real, throwaway PostgreSQL server with
# scripts/load-postgres and check the records in SQL: counts, typed values,
# and that a second load of the same files changes nothing.
#
# The server: Debian's postgresql binaries, initdb in a temporary directory
# (as nobody when run by root, since postgres refuses root), a unix socket in
# that directory and no TCP (listen_addresses=''); stopped and removed on
# exit. Exits 77 (ctest SKIP) only when the postgres binaries are absent.
#
# The input: the hand-written truth grids of seeds 001 and 003, re-spelled as
# table streams by grid2tables.py. Expected values are read off the seeds by
# hand. Usage: test_postgres.sh SOURCE_DIR FORMTAB_EMIT
set -u
src=$1 emit=$2

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && bindir=$d
done
if [ -z "$bindir" ] || ! command -v psql >/dev/null; then
  echo "SKIP: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)"
  exit 77
fi

tmp=$(mktemp -d /tmp/formtab-pg.XXXXXX) || exit 1
run_pg=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$tmp"
  run_pg=(runuser -u nobody --)
fi
started=0
cleanup() {
  if [ "$started" = 1 ]; then
    "${run_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"${run_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U formtab --auth=trust \
  --encoding=UTF8 --locale=C >"$tmp/initdb.log" 2>&1 ||
  { cat "$tmp/initdb.log"; echo "FAIL: initdb"; exit 1; }
"${run_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-c listen_addresses='' -k $tmp -c fsync=off" start >/dev/null ||
  { cat "$tmp/server.log"; echo "FAIL: server did not start"; exit 1; }
started=1

export PGHOST=$tmp PGUSER=formtab PGDATABASE=postgres
unset PGPORT PGPASSWORD PGSERVICE
load=$src/scripts/load-postgres
fails=0

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }

# check NAME EXPECTED SQL
check() {
  local got
  got=$(q "$3" 2>&1)
  if [ "$got" = "$2" ]; then
    echo "ok   $1"
  else
    echo "FAIL $1: got [$got], expected [$2]"
    fails=$((fails + 1))
  fi
}

data=$tmp/out
mkdir -p "$data/split"
py=/usr/bin/python3
for s in 001 003; do
  "$py" "$src/tests/emit/grid2tables.py" "$s" "seeds/$s.txt" > "$data/s$s.tables" ||
    { echo "FAIL: grid2tables $s"; exit 1; }
  "$emit" -q --records=form --split="$data/split" "$data/s$s.tables" > "$data/split-$s.list" ||
    { echo "FAIL: emit --split $s"; exit 1; }
  "$emit" -q --records=form --format=jsonl "$data/s$s.tables" > "$data/s$s.jsonl" ||
    { echo "FAIL: emit jsonl $s"; exit 1; }
  "$emit" --records=cells --crlf --bom "$data/s$s.tables" > "$data/s$s.cells.csv" ||
    { echo "FAIL: emit cells $s"; exit 1; }
done
files=()
while IFS= read -r f; do files+=("$f"); done < <(cat "$data"/split-*.list)
files+=("$data/s001.jsonl" "$data/s003.jsonl" "$data/s001.cells.csv" "$data/s003.cells.csv")

sha001=$(printf 001 | sha256sum | cut -c1-64)
sha003=$(printf 003 | sha256sum | cut -c1-64)

counts() {
  q "SELECT (SELECT count(*) FROM formtab_field) || ' ' ||
            (SELECT count(*) FROM formtab_indicator) || ' ' ||
            (SELECT count(*) FROM formtab_budget_item) || ' ' ||
            (SELECT count(*) FROM formtab_cell) || ' ' ||
            (SELECT count(*) FROM formtab_record)"
}

for pass in 1 2; do
  "$load" -q "${files[@]}" || { echo "FAIL: load-postgres pass $pass"; exit 1; }
  c=$(counts)
  echo "pass $pass: field indicator budget_item cell record = $c"
  [ "$pass" = 1 ] && first=$c
done
check "second load changes no row count" "$first" "SELECT '$(counts)'"

# Counts read off the seeds by hand.
# Seed 001: two self-evaluation forms of 9 indicators each.
check "001 indicators" 18 "SELECT count(*) FROM formtab_indicator WHERE sha256 = '$sha001'"
# Seed 001 fields per form: form_title, year, project_name, department,
# implementer, 4 funds rows x 6 columns, goal_expected, goal_actual,
# total_weight, total_score = 33.
check "001 fields" 66 "SELECT count(*) FROM formtab_field WHERE sha256 = '$sha001'"
# Seed 003 budget breakdowns: 15 + 1 + 12 + 3 + 2 + 1 + 10 + 5 lines.
check "003 budget items" 49 "SELECT count(*) FROM formtab_budget_item WHERE sha256 = '$sha003'"
check "003 one total line (政府信息公开第三方测评 合计)" "合计|190000" \
  "SELECT item || '|' || amount_value FROM formtab_budget_item WHERE is_total"
# Cells: every cell record of the streams, none lost, none doubled.
ncells=$(cat "$data"/s001.tables "$data"/s003.tables | grep -c '^cell'$'\t')
check "cells loaded" "$ncells" "SELECT count(*) FROM formtab_cell"
# JSON Lines: one formtab_record per line.
nlines=$(cat "$data"/s001.jsonl "$data"/s003.jsonl | wc -l)
check "jsonl records" "$nlines" "SELECT count(*) FROM formtab_record"

# Typed values (exact numerics; units as printed).
check "001 executed funds" "378240.36|万元" \
  "SELECT value_number || '|' || value_unit FROM formtab_field
   WHERE sha256 = '$sha001' AND \"table\" = 1 AND name = 'funds_total_executed'"
check "001 execution rate" "94.57|%" \
  "SELECT value_number || '|' || value_unit FROM formtab_field
   WHERE sha256 = '$sha001' AND \"table\" = 1 AND name = 'funds_total_execution_rate'"
check "001 total score" "95.46" \
  "SELECT value_number FROM formtab_field
   WHERE sha256 = '$sha001' AND \"table\" = 1 AND name = 'total_score'"
check "001 first indicator" "产出指标|数量指标|>=|8|次|10|次|15|15" \
  "SELECT concat_ws('|', level1, level2, target_op, target_value, target_unit,
                    actual_value, actual_unit, weight, score)
   FROM formtab_indicator WHERE sha256 = '$sha001' AND \"table\" = 1 AND seq = 1"
check "001 merged level filled" "效益指标|可持续影响指标" \
  "SELECT level1 || '|' || level2 FROM formtab_indicator
   WHERE sha256 = '$sha001' AND \"table\" = 1 AND level3 = '人员配置情况'"
check "003 东西部扶贫帮困 total funds" "37780000.00|元" \
  "SELECT f.value_number || '|' || f.value_unit FROM formtab_field f
   JOIN formtab_field p ON p.form_id = f.form_id AND p.name = 'project_name'
   WHERE p.value_text = '东西部扶贫帮困' AND f.name = 'total_funds'"
check "003 dates" "2024-01-01|2024-12-31" \
  "SELECT min(value_date) || '|' || max(value_date) FROM formtab_field
   WHERE sha256 = '$sha003' AND value_type = 'date'"
check "003 target ≤25.00(万元)" "<=|25.00|万元" \
  "SELECT target_op || '|' || target_value || '|' || target_unit FROM formtab_indicator
   WHERE level3 = '援藏干部人才人均工作经费'"
check "003 LaTeX target" ">=|90.00|%" \
  "SELECT DISTINCT target_op || '|' || target_value || '|' || target_unit
   FROM formtab_indicator WHERE target_text = '≥90.00%'"
check "003 budget line 餐费（市外）" "2000|人|150|元/人|30|万元" \
  "SELECT concat_ws('|', quantity_value, quantity_unit, unit_price_value,
                    unit_price_unit, amount_value, amount_unit)
   FROM formtab_budget_item WHERE item = '餐费（市外）'"
check "003 援藏援滇干部工作 amounts sum" "675.5" \
  "SELECT sum(amount_value) FROM formtab_budget_item
   WHERE item_group = '援藏援滇干部工作项目组成'"
check "jsonb keeps exact numbers" "37780000.00" \
  "SELECT doc->>'value_number' FROM formtab_record
   WHERE kind = 'field' AND doc->>'name' = 'total_funds'
     AND doc->>'value_text' = '37,780,000.00' LIMIT 1"
check "jsonl and csv agree on ids" "0" \
  "SELECT count(*) FROM formtab_field f
   WHERE NOT EXISTS (SELECT 1 FROM formtab_record r WHERE r.record_id = f.record_id)"
check "cell ids computed in SQL match emit's rule" "t" \
  "SELECT record_id = encode(sha256(convert_to('cell' || E'\\n' || sha256 || E'\\n' ||
          page || E'\\n' || \"table\" || E'\\n' || \"row\" || E'\\n' || col, 'UTF8')), 'hex')
   FROM formtab_cell LIMIT 1"

# A rejected file names itself and changes nothing.
printf 'source,sha256,page,table,row,c1\nx,y,1,1,1,a\n' > "$data/rows.csv"
if "$load" -q "$data/rows.csv" 2>"$data/err"; then
  echo "FAIL rows-mode CSV should be rejected"; fails=$((fails + 1))
else
  grep -q "rows.csv: not a formtab CSV" "$data/err" && echo "ok   rows-mode CSV rejected" ||
    { echo "FAIL message: $(cat "$data/err")"; fails=$((fails + 1)); }
fi
check "nothing changed by the rejected file" "$first" "SELECT '$(counts)'"

if [ "$fails" -gt 0 ]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all checks passed"
