#!/usr/bin/env bash
# MTA relay benchmark (issue 5). 10,000 messages of 10 KB, one recipient each, to 100 recipient domains, all
# relayed to Postfix's smtp-sink on loopback: Estafeta's outbound MTA (route * -> the sink) against Postfix 3.7
# (relayhost -> the same sink), in the same run, in two phases reported separately:
#   enqueue  - Postfix: smtp-source (10 clients at a time, 2 sessions each) into a held queue (defer_transports=smtp),
#              until incoming/ and active/ are empty. Estafeta: MailEngine.SubmitAsync in one process (bench/MtaLoad,
#              16 concurrent submitters, server stopped); each message is DKIM-signed (RSA-2048 + Ed25519, the keys
#              `domain add` creates) as it is queued. The two enqueue paths differ (SMTP vs in-process), so their
#              figures are context, not a ratio.
#   delivery - the figure compared: messages/s from "everything queued, delivery starts" until the queue is empty.
#              Postfix: from `postqueue -f` after lifting defer_transports until `postfix-loopback drained`.
#              Estafeta: from launching `estafeta serve` on the loaded data folder (so it includes process start)
#              until outbound_queue has no rows (a row goes only after its outcome is committed). The data folder
#              is set up as a server that has started before has it: the self-signed TLS certificate that the first
#              start makes (an RSA-2048 key, ~0.4 s of CPU) is made in the setup, as Postfix's is at installation.
# Both: SMTP to the sink without TLS, connections reused, at most 20 connections to the one next hop, fsync on.
# Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${MESSAGES:-10000}
DOMAINS=${DOMAINS:-100}
SIZE=${SIZE:-10240}
SINK_PORT=${SINK_PORT:-10040}
PF_PORT=${PF_PORT:-10041}
out=bench/results; mkdir -p "$out"
now() { date +%s.%N; }

command -v smtp-sink >/dev/null || { echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null; }
dotnet build src/Estafeta -c Release -nologo -v quiet -o artifacts/bench-estafeta >/dev/null
dotnet build bench/MtaLoad -c Release -nologo -v quiet -o artifacts/bench-mtaload >/dev/null

smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1000 > "$out/smtp-sink.log" 2>&1 &
sink=$!
trap 'kill $sink 2>/dev/null || true; [ -n "${SKIP_POSTFIX:-}" ] || bash ../shared/peers/postfix-loopback stop >/dev/null' EXIT

# --- Postfix -----------------------------------------------------------------------------------
# SKIP_POSTFIX=1 measures Estafeta alone (profiling between changes); the ratio needs both in the same run.
if [ -z "${SKIP_POSTFIX:-}" ]; then
# The machine's one Postfix may be serving another benchmark: wait until it is stopped.
for _ in $(seq 600); do postfix status >/dev/null 2>&1 || break; sleep 1; done
bash ../shared/peers/postfix-loopback relay "$PF_PORT" "$SINK_PORT" >/dev/null
postsuper -d ALL >/dev/null 2>&1 || true
postconf -e 'defer_transports = smtp' && postfix reload >/dev/null 2>&1
per=$(( MESSAGES / DOMAINS ))
pids=()
start=$(now)
for d in $(seq 0 $(( DOMAINS - 1 ))); do
  smtp-source -s 2 -l "$SIZE" -m "$per" -f bench@origen.bench.test -t "r@d$d.bench.test" "127.0.0.1:$PF_PORT" &
  pids+=($!)
  if (( ${#pids[@]} == 10 )); then wait "${pids[@]}"; pids=(); fi
done
if (( ${#pids[@]} > 0 )); then wait "${pids[@]}"; fi
until [ "$(find /var/spool/postfix/incoming /var/spool/postfix/active -type f | wc -l)" = 0 ]; do sleep 0.2; done
pf_load_secs=$(echo "$(now) - $start" | bc -l)
postconf -e 'defer_transports =' && postfix reload >/dev/null 2>&1
start=$(now); postqueue -f
until bash ../shared/peers/postfix-loopback drained; do sleep 0.05; done
pf_secs=$(echo "$(now) - $start" | bc -l)
bash ../shared/peers/postfix-loopback stop >/dev/null
fi

# --- Estafeta ----------------------------------------------------------------------------------
data=$(mktemp -d /var/tmp/estafeta-mta-bench.XXXXXX)
est="dotnet artifacts/bench-estafeta/estafeta.dll"
$est queue route add '*' "127.0.0.1:$SINK_PORT" --data "$data" >/dev/null
$est queue settings max-connections-per-destination 20 --data "$data" >/dev/null
$est domain add origen.bench.test --data "$data" >/dev/null
mkdir -p "$data/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$(hostname)" -keyout "$data/tls/selfsigned.key" -out "$data/tls/selfsigned.crt" 2>/dev/null
start=$(now)
dotnet artifacts/bench-mtaload/MtaLoad.dll "$data" "$MESSAGES" "$DOMAINS" "$SIZE" >/dev/null
est_load_secs=$(echo "$(now) - $start" | bc -l)
signed=$(find "$data/messages" -name '*.eml' -print0 | head -z -n 50 | xargs -0 grep -l '^DKIM-Signature:' | wc -l || true)
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from outbound_queue').fetchone()[0])" "$data/estafeta.db"; }
start=$(now)
$est serve --data "$data" --http off --smtp off --submission off --submissions off --pop3 off --pop3s off > "$out/estafeta-mta.log" 2>&1 &
pid=$!
until [ "$(count)" = 0 ]; do sleep 0.05; done
est_secs=$(echo "$(now) - $start" | bc -l)
kill -TERM $pid; wait $pid || true
if [ -n "${KEEP_DATA:-}" ]; then echo "data kept in $data"; else rm -rf "$data"; fi

est_rate=$(echo "$MESSAGES / $est_secs" | bc -l)
printf 'enqueue  Estafeta (SubmitAsync, DKIM-signed):   %6.0f msg/s (%.1f s; %s of 50 sampled files signed)\n' "$(echo "$MESSAGES / $est_load_secs" | bc -l)" "$est_load_secs" "$signed"
printf 'delivery Estafeta MTA:        %6.0f msg/s (%.1f s, including process start)\n' "$est_rate" "$est_secs"
[ -n "${SKIP_POSTFIX:-}" ] && exit 0
pf_rate=$(echo "$MESSAGES / $pf_secs" | bc -l)
printf 'enqueue  Postfix (smtp-source over SMTP):       %6.0f msg/s (%.1f s)\n' "$(echo "$MESSAGES / $pf_load_secs" | bc -l)" "$pf_load_secs"
printf 'delivery Postfix 3.7 relay:   %6.0f msg/s (%.1f s)\n' "$pf_rate" "$pf_secs"
printf 'ratio Estafeta/Postfix: %.2f\n' "$(echo "$est_rate / $pf_rate" | bc -l)"
