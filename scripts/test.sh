#!/usr/bin/env bash
# Runs every Estafeta test: starts what the tests need (a local PostgreSQL server, installed
# when missing), builds once, runs all test projects, and ends with one line of totals taken
# from the test results: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

eval "$(bash scripts/test-postgres.sh)" || { echo "PostgreSQL could not be started: the storage tests need it." >&2; exit 1; }

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Estafeta.slnx -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; echo "build failed" >&2; exit 1; }

dotnet test Estafeta.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  --blame-hang-timeout 8m --blame-hang-dump-type none \
  -- RunConfiguration.TreatNoTestsAsError=false
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
# A test project whose host crashed or was killed leaves no results file: count it as failed.
expected=$(grep -l '<ProjectReference\|<PackageReference' tests/*/*.csproj | grep -vc 'Estafeta.Testing')
found=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$found" -lt "$expected" ]; then
  echo "only $found of $expected test projects reported results" >&2
  failed=$((failed + expected - found)); [ "$status" -eq 0 ] && status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
