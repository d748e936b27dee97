#!/usr/bin/env bash
# Audience import benchmark (issue 6). One realistic 6-column CSV (default 1,000,000 rows, 1% bad rows) is
# imported by `estafeta contacts import` into SQLite and into PostgreSQL, beside each database's own bulk
# load of the same file in the same run (sqlite3 `.import`, PostgreSQL `\copy`), which only splits lines into
# text columns: no validation, no upsert, no consent records. Reported as rows/s and the ratio to the baseline.
# A third line per database, the floor: the same baseline load followed by the database's own SQL writing the rows
# into Estafeta's schema (a fresh database made by `estafeta lists add`: contacts with the address and creation
# indexes, subscriptions with their key and list index and, on SQLite, foreign keys), with no checks at all. No
# import that writes what this schema holds can be faster than that, whatever its code.
# Needs sqlite3 and psql; PostgreSQL from scripts/test-postgres.sh (run as root the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
work=$(mktemp -d /tmp/estafeta-bench-audience.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=bench/results; mkdir -p "$out"
csv="$work/contacts.csv"
python3 bench/audience/generate-contacts.py "$ROWS" "$csv"
dotnet build src/Estafeta -c Release -nologo -v quiet -o artifacts/bench-estafeta >/dev/null
estafeta() { dotnet artifacts/bench-estafeta/estafeta.dll "$@"; }
now() { date +%s.%N; }
rate() { echo "scale=0; $ROWS / ($2 - $1)" | bc; }
ratio() { echo "scale=2; $1 / $2" | bc; }

# SQLite: the product's import, then sqlite3 .import of the same file into a fresh database.
estafeta --data "$work/sqlite" lists add Boletín >/dev/null
t0=$(now); estafeta --data "$work/sqlite" contacts import "$csv" --list Boletín --consent-source "benchmark" --no-dns-check --json >"$work/sqlite-report.json"; t1=$(now)
t2=$(now); sqlite3 "$work/baseline.db" "PRAGMA journal_mode=WAL;" ".mode csv" ".separator ;" ".import $csv contacts" >/dev/null 2>&1; t3=$(now)
ours_sqlite=$(rate "$t0" "$t1"); base_sqlite=$(rate "$t2" "$t3")
estafeta --data "$work/floor" lists add Boletín >/dev/null
t4=$(now)
sqlite3 "$work/floor/estafeta.db" "PRAGMA foreign_keys=ON" ".mode csv" ".separator ;" ".import --schema temp $csv stage" "BEGIN" \
  "INSERT INTO contacts (email, name, validation, created_at, updated_at, fields) SELECT lower(email), first_name || ' ' || last_name, 'valid', unixepoch() * 1000, unixepoch() * 1000, json_object('country', country, 'city', city, 'signup_date', signup_date) FROM temp.stage WHERE true ON CONFLICT (email) DO NOTHING" \
  "INSERT INTO subscriptions (contact_id, list_id, status, created_at, updated_at) SELECT id, 1, 'subscribed', created_at, created_at FROM contacts" "COMMIT" >/dev/null 2>&1
t5=$(now); floor_sqlite=$(rate "$t4" "$t5")

# PostgreSQL: the same, into fresh databases. The baseline is \copy of the file's lines into a one-column text
# table (COPY stops at the first malformed CSV row, and 1% of the rows are malformed on purpose).
eval "$(bash scripts/test-postgres.sh 2>/dev/null)"
admin="$ESTAFETA_TEST_POSTGRES"
db="estafeta_bench_$$"; base="estafeta_bench_copy_$$"
pgurl() { python3 -c "import sys;kv=dict(p.split('=',1) for p in sys.argv[1].split(';') if p);print(f\"postgresql://{kv['Username']}:{kv['Password']}@{kv['Host']}:{kv.get('Port','5432')}/{sys.argv[2]}\")" "$admin" "$1"; }
psql "$(pgurl postgres)" -qc "CREATE DATABASE $db" -c "CREATE DATABASE $base"
trap 'psql "$(pgurl postgres)" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $base WITH (FORCE)"; rm -rf "$work"' EXIT
estafeta --data "$work/pg" --database "$(pgurl "$db")" lists add Boletín >/dev/null
t0=$(now); estafeta --data "$work/pg" --database "$(pgurl "$db")" contacts import "$csv" --list Boletín --consent-source "benchmark" --no-dns-check --json >"$work/pg-report.json"; t1=$(now)
psql "$(pgurl "$base")" -qc "CREATE TABLE contact_lines (line text)"
t2=$(now); psql "$(pgurl "$base")" -qc "\\copy contact_lines FROM '$csv' WITH (FORMAT text, DELIMITER E'\\x01')"; t3=$(now)
ours_pg=$(rate "$t0" "$t1"); base_pg=$(rate "$t2" "$t3")
floor="estafeta_bench_floor_$$"
psql "$(pgurl postgres)" -qc "CREATE DATABASE $floor"
trap 'psql "$(pgurl postgres)" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "DROP DATABASE IF EXISTS $base WITH (FORCE)" -c "DROP DATABASE IF EXISTS $floor WITH (FORCE)"; rm -rf "$work"' EXIT
estafeta --data "$work/pg-floor" --database "$(pgurl "$floor")" lists add Boletín >/dev/null
t4=$(now)
psql "$(pgurl "$floor")" -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TEMP TABLE stage (line text);
\\copy stage FROM '$csv' WITH (FORMAT text, DELIMITER E'\\x01')
BEGIN;
INSERT INTO contacts (email, name, validation, created_at, updated_at, fields)
  SELECT lower(split_part(line, ';', 1)), split_part(line, ';', 2) || ' ' || split_part(line, ';', 3), 'valid', 0, 0,
         jsonb_build_object('country', split_part(line, ';', 4), 'city', split_part(line, ';', 5), 'signup_date', split_part(line, ';', 6))
  FROM stage WHERE line NOT LIKE 'email;%' ON CONFLICT (email) DO NOTHING;
INSERT INTO subscriptions (contact_id, list_id, status, created_at, updated_at) SELECT id, 1, 'subscribed', 0, 0 FROM contacts;
COMMIT;
SQL
t5=$(now); floor_pg=$(rate "$t4" "$t5")

summary=$(python3 -c "import json,sys;r=json.load(open(sys.argv[1]));print(f\"{r['inserted']} imported, {r['rejected']} rejected\")" "$work/sqlite-report.json")
{
  printf 'audience import, %s rows (1%% bad), %s\n' "$ROWS" "$summary"
  printf '  SQLite:     estafeta %8s rows/s   sqlite3 .import %8s rows/s   ratio %s\n' "$ours_sqlite" "$base_sqlite" "$(ratio "$ours_sqlite" "$base_sqlite")"
  printf '              floor    %8s rows/s (.import, then SQL into the schema, no checks)    ratio %s; estafeta / floor %s\n' "$floor_sqlite" "$(ratio "$floor_sqlite" "$base_sqlite")" "$(ratio "$ours_sqlite" "$floor_sqlite")"
  printf '  PostgreSQL: estafeta %8s rows/s   \\copy          %8s rows/s   ratio %s\n' "$ours_pg" "$base_pg" "$(ratio "$ours_pg" "$base_pg")"
  printf '              floor    %8s rows/s (\\copy, then SQL into the schema, no checks)      ratio %s; estafeta / floor %s\n' "$floor_pg" "$(ratio "$floor_pg" "$base_pg")" "$(ratio "$ours_pg" "$floor_pg")"
} | tee "$out/audience-import.txt"
