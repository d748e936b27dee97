#!/usr/bin/env bash
# Ensures a local PostgreSQL server for the storage test suite, then prints the
# environment line the tests read:
#
#   eval "$(scripts/test-postgres.sh)"
#   dotnet test tests/Estafeta.Storage.Tests
#
# Idempotent: safe to run again while the server is already up. Needs root on
# Debian/Ubuntu (installs the postgresql package when it is missing).
set -euo pipefail

ROLE=estafeta
PASSWORD=estafeta
HOST=127.0.0.1
PORT=5432

log() { echo "test-postgres: $*" >&2; }

as_postgres() {
  if command -v runuser >/dev/null 2>&1; then
    runuser -u postgres -- "$@"
  else
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  fi
}

if [ "$(id -u)" -ne 0 ]; then
  log "run as root (it may install and start PostgreSQL)"
  exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if [ -z "$VERSION" ]; then
  log "no PostgreSQL version found under /usr/lib/postgresql"
  exit 1
fi

# Create a cluster when the package did not (for example when installed without a running init system).
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  log "creating cluster $VERSION/main on port $PORT"
  pg_createcluster "$VERSION" main --port "$PORT" >&2
fi

CLUSTER_PORT="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $3 }')"
STATUS="$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $4 }')"
if [ "$CLUSTER_PORT" != "$PORT" ]; then
  log "cluster $VERSION/main listens on port $CLUSTER_PORT; using that port"
  PORT="$CLUSTER_PORT"
fi

if [ "$STATUS" != "online" ]; then
  log "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start >&2
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h "$HOST" -p "$PORT"; then break; fi
  sleep 0.5
done
if ! pg_isready -q -h "$HOST" -p "$PORT"; then
  log "PostgreSQL did not become ready on $HOST:$PORT (see /var/log/postgresql/postgresql-$VERSION-main.log)"
  exit 1
fi

# The role the tests log in as: password login over TCP, allowed to create the per-test databases.
as_postgres psql -v ON_ERROR_STOP=1 -q -p "$PORT" -d postgres >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END
\$\$;
-- The tests drop their databases WITH (FORCE). An autovacuum worker busy in such a database has no role of
-- its own, and PostgreSQL lets only members of pg_signal_backend end it: without this the drop fails with
-- "must be a member of the role whose process is being terminated" whenever autovacuum is at work there.
GRANT pg_signal_backend TO $ROLE;
SQL

echo "export ESTAFETA_TEST_POSTGRES='Host=$HOST;Port=$PORT;Username=$ROLE;Password=$PASSWORD;Database=postgres'"
