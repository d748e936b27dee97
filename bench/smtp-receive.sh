#!/usr/bin/env bash
# SMTP receive benchmark (issue: foundation). 20 concurrent sessions deliver MESSAGES messages of
# 10 KB to one local mailbox, fsync on, against Estafeta and against Postfix 3.7 delivering to a
# Maildir on this machine, in the same run, with the same load generator (Postfix's smtp-source,
# a new connection per message). Then resident memory of Estafeta with 1,000 idle SMTP connections.
# Prints messages/s for both and the ratio. Run as root (it installs postfix when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${MESSAGES:-10000}
SESSIONS=${SESSIONS:-20}
SIZE=${SIZE:-10240}
PF_PORT=${PF_PORT:-10025}
out=bench/results; mkdir -p "$out"

command -v smtp-source >/dev/null || { echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null; }
dotnet build src/Estafeta -c Release -nologo -v quiet -o artifacts/bench-estafeta >/dev/null
now() { date +%s.%N; }

# --- Postfix: time until every message is in the Maildir -------------------------------------
bash ../shared/peers/postfix-loopback maildir "$PF_PORT" >/dev/null
rm -rf /var/tmp/postfix-bench/Maildir
start=$(now)
smtp-source -s "$SESSIONS" -l "$SIZE" -m "$MESSAGES" -f bench@bench.test -t sink@bench.test "127.0.0.1:$PF_PORT"
until [ "$(find /var/tmp/postfix-bench/Maildir/new -type f 2>/dev/null | wc -l)" -ge "$MESSAGES" ]; do sleep 0.05; done
pf_secs=$(echo "$(now) - $start" | bc -l)
bash ../shared/peers/postfix-loopback stop

# --- Estafeta: 250 is sent only once the message is in the mailbox (fsync'd) -----------------
data=$(mktemp -d /var/tmp/estafeta-bench.XXXXXX)
est="dotnet artifacts/bench-estafeta/estafeta.dll"
$est domain add bench.test --data "$data" >/dev/null
echo bench | $est account add sink@bench.test --password-stdin --data "$data" >/dev/null
$est serve --data "$data" --http off --smtp 127.0.0.1:0 --submission off --submissions off --pop3 off --pop3s off \
  --max-connections-per-ip 2000 --max-message-size 52428800 > "$out/estafeta-serve.log" 2>&1 &
pid=$!
until [ -f "$data/ports.json" ]; do sleep 0.1; done
port=$(sed -n 's/.*"smtp": *"127.0.0.1:\([0-9]*\)".*/\1/p' "$data/ports.json")
start=$(now)
smtp-source -s "$SESSIONS" -l "$SIZE" -m "$MESSAGES" -f bench@bench.test -t sink@bench.test "127.0.0.1:$port"
est_secs=$(echo "$(now) - $start" | bc -l)
stored=$(find "$data/messages" -name '*.eml' | wc -l)

# --- 1,000 idle SMTP connections ---------------------------------------------------------------
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
python3 - "$port" <<'PY' &
import socket, sys, time
port = int(sys.argv[1]); socks = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", port)); s.recv(512); socks.append(s)
open("/tmp/estafeta-idle-ready", "w").close()
time.sleep(20)
PY
idle=$!
until [ -f /tmp/estafeta-idle-ready ]; do sleep 0.1; done
sleep 2
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
rm -f /tmp/estafeta-idle-ready
kill $idle 2>/dev/null || true
kill -TERM $pid; wait $pid || true
rm -rf "$data"

pf_rate=$(echo "$MESSAGES / $pf_secs" | bc -l)
est_rate=$(echo "$MESSAGES / $est_secs" | bc -l)
ratio=$(echo "$est_rate / $pf_rate" | bc -l)
printf 'SMTP receive, %d x %d B, %d sessions, new connection per message, fsync on both sides\n' "$MESSAGES" "$SIZE" "$SESSIONS"
printf '  postfix 3.7 -> Maildir : %8.0f msg/s (%.2fs until all in the Maildir)\n' "$pf_rate" "$pf_secs"
printf '  estafeta -> mailbox    : %8.0f msg/s (%.2fs, %d message files)\n' "$est_rate" "$est_secs" "$stored"
printf '  ratio estafeta/postfix : %.2f\n' "$ratio"
printf '  RSS with 1000 idle SMTP connections: %d MB (before: %d MB)\n' $((rss_idle / 1024)) $((rss_before / 1024))
