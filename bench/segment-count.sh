#!/usr/bin/env bash
# Segment count benchmark (issue 6). A database with CONTACTS contacts (default 1,000,000: a country field, a tag on
# one in five, a list they are subscribed to) and EVENTS engagement events (default 10,000,000 over the last year,
# 60% of the contacts active: received, opened, clicked, bounced, converted, weekly campaigns) is loaded straight
# with SQL (bench/audience/segment-data.sql). Then each expression below is counted by `estafeta segments count`
# and by the same query written by hand in SQL, run by sqlite3 / psql, in the same run; best of RUNS each. Reported
# as seconds and the ratio hand-written / ours (1.0 = as fast), for the count itself (compile and query, as the
# command reports it) and for the whole command (with starting .NET and opening the database).
# The two counts must agree. Needs sqlite3, psql and python3; PostgreSQL from scripts/test-postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
CONTACTS=${CONTACTS:-1000000}
EVENTS=${EVENTS:-10000000}
RUNS=${RUNS:-3}
work=$(mktemp -d /tmp/estafeta-bench-segments.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=bench/results; mkdir -p "$out"
# Published and run as the program is installed (compiled ahead of time and self-contained: see
# src/Estafeta/Estafeta.csproj; run directly, like sqlite3 and psql, not through the dotnet command), into a folder of its
# own: the other benchmarks build into artifacts/bench-estafeta, and a plain build over a native image does not start.
dotnet publish src/Estafeta -c Release -nologo -v quiet -o artifacts/bench-published >/dev/null
estafeta() { artifacts/bench-published/estafeta "$@"; }
ms() { date +%s%3N; }
base=$(ms)

# The expressions, and the same queries by hand ({F} the country field of contact c, {L} list id, {Tn} now - n days in ms).
names=(country-opened active-90d example opened-3-times inactive-subscribers)
exprs=(
  'country = "ES" and opened(within: 30d)'
  'opened(within: 90d) or clicked(within: 90d)'
  'country = "ES" and tag("cliente") and opened(within: 30d) and not clicked(campaign: "navidad-2026")'
  'opened(within: 90d) >= 3'
  'list("Boletín") and not opened(within: 180d)'
)
hand=(
  "SELECT count(*) FROM contacts c WHERE lower({F}) = 'es'
     AND c.id IN (SELECT contact_id FROM engagement_events WHERE kind = 'opened' AND occurred_at >= {T30})"
  "SELECT count(*) FROM contacts WHERE id IN (SELECT contact_id FROM engagement_events WHERE kind IN ('opened', 'clicked') AND occurred_at >= {T90})"
  "SELECT count(*) FROM contacts c JOIN contact_tags t ON t.contact_id = c.id AND t.tag_key = 'cliente'
     WHERE lower({F}) = 'es'
     AND c.id IN (SELECT contact_id FROM engagement_events WHERE kind = 'opened' AND occurred_at >= {T30})
     AND NOT EXISTS (SELECT 1 FROM engagement_events e WHERE e.contact_id = c.id AND e.kind = 'clicked' AND e.campaign = 'navidad-2026')"
  "SELECT count(*) FROM (SELECT contact_id FROM engagement_events WHERE kind = 'opened' AND occurred_at >= {T90} GROUP BY contact_id HAVING count(*) >= 3) x"
  "SELECT count(*) FROM subscriptions s WHERE s.list_id = {L} AND s.status = 'subscribed'
     AND NOT EXISTS (SELECT 1 FROM engagement_events e WHERE e.contact_id = s.contact_id AND e.kind = 'opened' AND e.occurred_at >= {T180})"
)

sec() { echo "scale=3; $1 / 1000" | bc; }

# Each expression RUNS times, estafeta and the hand-written query taking turns (so a change of load hits both); the
# best of each, on both sides, of two times: the query alone (estafeta's own report of compiling and counting, --json
# "milliseconds"; the shells' own timers, sqlite3's .timer and psql's \timing, which leave out starting the shell and
# connecting), and the whole process (starting it and opening the database included). The count itself is the
# first ratio, the whole command the second.
run_all() {
  local label=$1 db=$2 field=$3 list=$4; shift 4
  local -a ours_cmd=("$@")
  for i in "${!exprs[@]}"; do
    local now sql cmd_b="" query_b="" hand_b="" handq_b="" t0 t1 ours_n hand_n q hq
    now=$(ms)
    sql=$(printf '%s' "${hand[$i]}" | sed -e "s/{F}/$field/g" -e "s/{L}/$list/g" \
      -e "s/{T30}/$((now - 30 * 86400000))/g" -e "s/{T90}/$((now - 90 * 86400000))/g" -e "s/{T180}/$((now - 180 * 86400000))/g")
    for _ in $(seq "$RUNS"); do
      t0=$(ms); "${ours_cmd[@]}" segments count "${exprs[$i]}" --json >"$work/ours"; t1=$(ms)
      if [ -z "$cmd_b" ] || [ $((t1 - t0)) -lt "$cmd_b" ]; then cmd_b=$((t1 - t0)); fi
      read -r ours_n q < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["count"], round(d["milliseconds"]))' "$work/ours")
      if [ -z "$query_b" ] || [ "$q" -lt "$query_b" ]; then query_b=$q; fi
      t0=$(ms)
      if [ "$label" = SQLite ]; then
        printf '.timer on\n%s;\n' "$sql" | sqlite3 "$db" >"$work/hand"
        hq=$(awk '/^Run Time:/ {printf "%.0f", $4 * 1000}' "$work/hand")
      else
        psql "$db" -Atq -c '\timing on' -c "$sql" >"$work/hand"
        hq=$(awk '/^Time:/ {printf "%.0f", $2}' "$work/hand")
      fi
      t1=$(ms)
      if [ -z "$hand_b" ] || [ $((t1 - t0)) -lt "$hand_b" ]; then hand_b=$((t1 - t0)); fi
      if [ -z "$handq_b" ] || [ "$hq" -lt "$handq_b" ]; then handq_b=$hq; fi
      hand_n=$(grep -v '^Run Time:\|^Time:' "$work/hand" | tr -dc '0-9')
      [ "$ours_n" = "$hand_n" ] || { echo "count mismatch on $label ${names[$i]}: estafeta $ours_n, hand-written $hand_n" >&2; exit 1; }
    done
    printf '  %-10s %-22s %9s contacts   query: hand-written %6ss, estafeta %6ss (ratio %s)   whole process: hand-written %6ss, estafeta %6ss (ratio %s)\n' \
      "$label" "${names[$i]}" "$ours_n" "$(sec "$handq_b")" "$(sec "$query_b")" "$(echo "scale=2; $handq_b / $query_b" | bc)" \
      "$(sec "$hand_b")" "$(sec "$cmd_b")" "$(echo "scale=2; $hand_b / $cmd_b" | bc)"
  done
}

# SQLite
estafeta --data "$work/sqlite" migrate >/dev/null
sdb="$work/sqlite/estafeta.db"
sidx=$(sqlite3 "$sdb" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'engagement_events' AND sql IS NOT NULL")
sdrop=$(sqlite3 "$sdb" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'engagement_events' AND sql IS NOT NULL")
t0=$(ms)
sqlite3 "$sdb" "$sdrop"
sed -e "s/{CONTACTS}/$CONTACTS/g" -e "s/{EVENTS}/$EVENTS/g" -e "s/{BASE}/$base/g" -e "s/{ACTIVE}/$((CONTACTS * 3 / 5))/g" \
    -e "s/{SERIES_C}/generate_series(1, $CONTACTS) AS g/g" -e "s/{SERIES_E}/generate_series(1, $EVENTS) AS g/g" -e "s/{JSON_OBJECT}/json_object/g" \
    bench/audience/segment-data.sql >"$work/load.sql"
{ echo "PRAGMA synchronous = OFF;"; cat "$work/load.sql"; echo "$sidx"; echo "ANALYZE;"; } | sqlite3 "$sdb" >/dev/null
sfield="json_extract(c.fields, '\$.\"country\"')"
slist=$(sqlite3 "$sdb" "SELECT id FROM lists WHERE name = 'Boletín'")
echo "SQLite loaded in $(( ($(ms) - t0) / 1000 ))s" >&2
sqlite_lines=$(run_all SQLite "$sdb" "$sfield" "$slist" estafeta --data "$work/sqlite")

# PostgreSQL
eval "$(bash scripts/test-postgres.sh 2>/dev/null)"
admin="$ESTAFETA_TEST_POSTGRES"
pdbname="estafeta_bench_segments_$$"
pgurl() { python3 -c "import sys;kv=dict(p.split('=',1) for p in sys.argv[1].split(';') if p);print(f\"postgresql://{kv['Username']}:{kv['Password']}@{kv['Host']}:{kv.get('Port','5432')}/{sys.argv[2]}\")" "$admin" "$1"; }
psql "$(pgurl postgres)" -qc "CREATE DATABASE $pdbname"
trap 'psql "$(pgurl postgres)" -qc "DROP DATABASE IF EXISTS $pdbname WITH (FORCE)"; rm -rf "$work"' EXIT
pdb=$(pgurl "$pdbname")
estafeta --data "$work/pg" --database "$pdb" migrate >/dev/null
pidx=$(psql "$pdb" -Atqc "SELECT indexdef || ';' FROM pg_indexes WHERE tablename = 'engagement_events' AND indexname NOT LIKE '%pkey'")
pdrop=$(psql "$pdb" -Atqc "SELECT 'DROP INDEX ' || indexname || ';' FROM pg_indexes WHERE tablename = 'engagement_events' AND indexname NOT LIKE '%pkey'")
t0=$(ms)
psql "$pdb" -qc "$pdrop" >/dev/null
sed -e "s/{CONTACTS}/$CONTACTS/g" -e "s/{EVENTS}/$EVENTS/g" -e "s/{BASE}/$base/g" -e "s/{ACTIVE}/$((CONTACTS * 3 / 5))/g" \
    -e "s/{SERIES_C}/generate_series(1::bigint, $CONTACTS) AS g(value)/g" -e "s/{SERIES_E}/generate_series(1::bigint, $EVENTS) AS g(value)/g" \
    -e "s/{JSON_OBJECT}/jsonb_build_object/g" \
    bench/audience/segment-data.sql >"$work/load.sql"
{ echo "SET synchronous_commit = off;"; cat "$work/load.sql"; echo "$pidx"; echo "VACUUM ANALYZE contacts, contact_fields, contact_tags, lists, subscriptions, engagement_events;"; } | psql "$pdb" -q >/dev/null
pfield="(c.fields->>'country')"
plist=$(psql "$pdb" -Atqc "SELECT id FROM lists WHERE name = 'Boletín'")
echo "PostgreSQL loaded in $(( ($(ms) - t0) / 1000 ))s" >&2
pg_lines=$(run_all PostgreSQL "$pdb" "$pfield" "$plist" estafeta --data "$work/pg" --database "$pdb")

{
  printf 'segment count, %s contacts, %s engagement events (best of %s; ratio = hand-written time / estafeta time; query: the shells'"'"' own timers and estafeta'"'"'s compile and count; whole process: from start to exit)\n' "$CONTACTS" "$EVENTS" "$RUNS"
  printf '%s\n%s\n' "$sqlite_lines" "$pg_lines"
} | tee "$out/segment-count.txt"
