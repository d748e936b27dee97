#!/usr/bin/env bash
# IMAP benchmark (issue: IMAP). Estafeta against Dovecot 2.3 (Debian, Maildir, default fsync policy) in
# the same run, with the same load generator (bench/Estafeta.Bench, a minimal raw-socket IMAP client):
# one 1,000-message INBOX, 10 and 50 concurrent clients looping over LOGIN, SELECT, FETCH headers,
# FETCH bodies, STORE flags, APPEND, STORE \Deleted, UID EXPUNGE, LOGOUT. Then resident memory with
# 1,000 idle logged-in sessions over 50 accounts, 20 each (Dovecot: all of its processes added up). Plaintext LOGIN on both sides.
# Run as root (it installs dovecot-imapd when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-20}
DV_IMAP=${DV_IMAP:-10143}; DV_POP3=${DV_POP3:-10110}
out=bench/results; mkdir -p "$out"
dotnet build src/Estafeta -c Release -nologo -v quiet -o artifacts/bench-estafeta >/dev/null
dotnet build bench/Estafeta.Bench -c Release -nologo -v quiet -o artifacts/bench-load >/dev/null
load="dotnet artifacts/bench-load/estafeta-bench.dll"
rss_of() { local t=0; for p in "$@"; do t=$((t + $(awk '/VmRSS/ {print $2}' /proc/$p/status 2>/dev/null || echo 0))); done; echo $((t / 1024)); }

run_side() { # name port userformat
  local name=$1 port=$2 fmt=$3
  $load imap-preload 127.0.0.1 "$port" "$fmt" bench 1 1000
  for clients in 10 50; do
    printf '%-9s %2d clients: %s\n' "$name" "$clients" "$($load imap-load 127.0.0.1 "$port" "$fmt" bench 1 "$clients" "$SECONDS_EACH")"
  done
}

# --- Dovecot ---------------------------------------------------------------------------------
bash ../shared/peers/dovecot-loopback stop >/dev/null 2>&1 || true
rm -rf /var/tmp/dovecot-bench/mail/user1
bash ../shared/peers/dovecot-loopback start "$DV_IMAP" "$DV_POP3" 50 >/dev/null
sed -i 's/^  process_min_avail = 2/  process_min_avail = 2\n  process_limit = 2000/' /var/tmp/dovecot-bench/dovecot.conf
grep -q '^service imap {' /var/tmp/dovecot-bench/dovecot.conf || printf 'service imap {\n  process_limit = 2000\n}\ndefault_client_limit = 3000\nprotocol imap {\n  mail_max_userip_connections = 100\n}\n' >> /var/tmp/dovecot-bench/dovecot.conf
doveadm -c /var/tmp/dovecot-bench/dovecot.conf reload >/dev/null 2>&1 || true
sleep 1
run_side dovecot "$DV_IMAP" "user{0}"
rm -f /tmp/imap-idle-ready
$load imap-idle 127.0.0.1 "$DV_IMAP" "user{0}" bench 50 1000 30 /tmp/imap-idle-ready &
idle=$!
until [ -f /tmp/imap-idle-ready ]; do sleep 0.2; done; sleep 2
dv_rss=$(rss_of $(pgrep -f 'dovecot|imap' | tr '\n' ' '))
kill $idle 2>/dev/null || true; wait $idle 2>/dev/null || true
bash ../shared/peers/dovecot-loopback stop >/dev/null

# --- Estafeta --------------------------------------------------------------------------------
data=$(mktemp -d /var/tmp/estafeta-imap-bench.XXXXXX)
est="dotnet artifacts/bench-estafeta/estafeta.dll"
$est domain add bench.test --data "$data" >/dev/null
for i in $(seq 1 50); do echo bench | $est account add "user$i@bench.test" --password-stdin --data "$data" >/dev/null; done
$est serve --data "$data" --http off --smtp off --submission off --submissions off --pop3 off --pop3s off --imaps off \
  --imap 127.0.0.1:0 --allow-plaintext-auth true --max-connections-per-ip 5000 --imap-max-sessions-per-account 100 > "$out/estafeta-imap.log" 2>&1 &
pid=$!
until [ -f "$data/ports.json" ]; do sleep 0.1; done
port=$(sed -n 's/.*"imap": *"127.0.0.1:\([0-9]*\)".*/\1/p' "$data/ports.json")
run_side estafeta "$port" "user{0}@bench.test"
rm -f /tmp/imap-idle-ready
$load imap-idle 127.0.0.1 "$port" "user{0}@bench.test" bench 50 1000 30 /tmp/imap-idle-ready &
idle=$!
until [ -f /tmp/imap-idle-ready ]; do sleep 0.2; done; sleep 2
est_rss=$(rss_of $pid)
kill $idle 2>/dev/null || true; wait $idle 2>/dev/null || true
kill -TERM $pid; wait $pid || true
rm -rf "$data"
printf 'RSS with 1000 idle IMAP sessions: estafeta %d MB, dovecot %d MB (all processes)\n' "$est_rss" "$dv_rss"
