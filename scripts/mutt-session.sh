#!/usr/bin/env bash
# A real mutt session against `estafeta serve`, driven through tmux, checked on mutt's own screen.
#
# Plain IMAP on loopback (through scripts/imap-capture-proxy.py, which records every octet mutt sends and
# receives): open INBOX, read a message, flag it, copy one to Archive, save one to Trash, expunge, see new
# mail delivered by SMTP while mutt has INBOX open, postpone a draft (APPEND), visit the other folders.
# Then IMAPS and STARTTLS sessions that trust the server's self-signed certificate (certificate_file)
# and find the state the first session left. Exit status 0 when every step showed what it should.
#
# usage: scripts/mutt-session.sh [CAPTURE_FILE]   (default: artifacts/mutt-session/capture.log)
# needs: mutt, tmux, python3, openssl (apt-get install -y mutt tmux). ESTAFETA_DLL skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
for tool in mutt tmux python3; do
  command -v "$tool" >/dev/null || { echo "mutt-session: $tool is not installed (apt-get install -y mutt tmux)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/estafeta-mutt.XXXXXX)
capture=${1:-artifacts/mutt-session/capture.log}
mkdir -p "$(dirname "$capture")"
capture=$(cd "$(dirname "$capture")" && pwd)/$(basename "$capture")
dll=${ESTAFETA_DLL:-}
if [ -z "$dll" ]; then
  dotnet build src/Estafeta -c Release -nologo -v quiet -o artifacts/mutt-estafeta >/dev/null
  dll=$root/artifacts/mutt-estafeta/estafeta.dll
fi
est() { dotnet "$dll" "$@" --data "$work/data"; }
session=estafeta-mutt-$$
server_pid=; proxy_pid=
cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step=0
fail() { echo "FAIL (step $step): $*" >&2; echo "--- mutt's screen:" >&2; tmux capture-pane -p -t "$session" 2>/dev/null | grep -v '^$' >&2 || true; exit 1; }
screen() { tmux capture-pane -p -t "$session"; }
keys() { tmux send-keys -t "$session" "$@"; sleep 0.7; }
# expect TEXT [SECONDS]: waits until mutt's screen shows TEXT.
expect() {
  local deadline=$((SECONDS + ${2:-10}))
  until screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || fail "mutt never showed '$1'"
    sleep 0.3
  done
}
ok() { step=$((step + 1)); echo "ok $step - $*"; }
send_mail() { # subject
  python3 - "$smtp" "$1" <<'EOF'
import smtplib, sys
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
m = EmailMessage()
m["From"] = "Remitente <remitente@remoto.test>"; m["To"] = "ana@ejemplo.test"; m["Subject"] = sys.argv[2]
m["Date"] = formatdate(); m["Message-ID"] = make_msgid(domain="remoto.test")
m.set_content(f"Cuerpo de {sys.argv[2]}.\n")
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as s: s.send_message(m)
EOF
}
port_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]].rsplit(':', 1)[1])" "$work/data/ports.json" "$1"; }
start_mutt() { # muttrc
  tmux new-session -d -s "$session" -x 160 -y 40 "mutt -n -F $1"
}
quit_mutt() {
  keys q
  local deadline=$((SECONDS + 10))
  while tmux has-session -t "$session" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "mutt did not quit"
    sleep 0.3
  done
}

est domain add ejemplo.test >/dev/null
echo secreto | est account add ana@ejemplo.test --password-stdin >/dev/null
dotnet "$dll" serve --data "$work/data" --http off --submission off --submissions off --pop3 off --pop3s off \
  --smtp 127.0.0.1:0 --imap 127.0.0.1:0 --imaps 127.0.0.1:0 --allow-plaintext-auth true > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [ -f "$work/data/ports.json" ] && break; sleep 0.2; done
[ -f "$work/data/ports.json" ] || { cat "$work/serve.log" >&2; echo "FAIL: the server did not start" >&2; exit 1; }
smtp=$(port_of smtp); imap=$(port_of imap); imaps=$(port_of imaps)
proxy=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 scripts/imap-capture-proxy.py "$proxy" 127.0.0.1 "$imap" "$capture" &
proxy_pid=$!
for _ in $(seq 50); do python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])))" "$proxy" 2>/dev/null && break; sleep 0.1; done
for subject in "Mensaje uno" "Mensaje dos" "Mensaje tres"; do send_mail "$subject"; done

common() { # folder URL
  cat <<EOF
set folder="$1"
set spoolfile="+INBOX"
set imap_pass="secreto"
set from="ana@ejemplo.test"
set mail_check=2
set timeout=2
set record=""
set postponed="+Drafts"
set move=no
set confirmappend=no
set delete=yes
set header_cache=""
set message_cachedir=""
set sort=date
set editor="true"
set abort_unmodified=no
set mark_old=yes
EOF
}
common "imap://ana%40ejemplo.test@127.0.0.1:$proxy/" > "$work/muttrc"
printf 'set ssl_starttls=no\nset ssl_force_tls=no\n' >> "$work/muttrc"
cp "$work/data/tls/selfsigned.crt" "$work/certificates"
tls_settings="set ssl_force_tls=yes\nset certificate_file=$work/certificates\nset ssl_verify_host=no\n"
common "imaps://ana%40ejemplo.test@127.0.0.1:$imaps/" > "$work/muttrc-imaps"
printf "$tls_settings" >> "$work/muttrc-imaps"
common "imap://ana%40ejemplo.test@127.0.0.1:$imap/" > "$work/muttrc-starttls"
printf "set ssl_starttls=yes\n$tls_settings" >> "$work/muttrc-starttls"

# --- plain IMAP, recorded ------------------------------------------------------------------------
start_mutt "$work/muttrc"
expect "Mensaje tres"; expect "[Msgs:3 New:3"
ok "INBOX opens with three new messages"
keys 1 Enter; keys Enter
expect "Cuerpo de Mensaje uno."
keys i; expect "[Msgs:3 New:2"
ok "a message reads (and is seen)"
keys 1 Enter; keys F
expect "Flag:1"
ok "a message is flagged"
keys 2 Enter; keys C; keys "=Archive" Enter
ok "a message is copied to Archive"
keys 3 Enter; keys s; keys "=Trash" Enter
expect "Del:1"
keys '$'
expect "[Msgs:2 "
ok "a message is saved to Trash, deleted and expunged"
send_mail "Mensaje cuatro"
expect "Mensaje cuatro" 15
expect "[Msgs:3 "
ok "mail delivered by SMTP appears while INBOX is open"
keys m; keys "ana@ejemplo.test" Enter; keys "Borrador" Enter
expect "y:Send"
keys P
expect "Message postponed."
ok "a draft is postponed to Drafts (APPEND)"
keys c; keys "=Archive" Enter
expect "=Archive [Msgs:1"; expect "Mensaje dos"
keys c; keys "=Trash" Enter
expect "=Trash [Msgs:1"; expect "Mensaje tres"
keys c; keys "=Drafts" Enter
expect "=Drafts [Msgs:1"; expect "Borrador"
ok "Archive, Trash and Drafts hold what was put there"
quit_mutt
ok "mutt logs out"

# --- IMAPS and STARTTLS, with the self-signed certificate trusted --------------------------------
for variant in imaps starttls; do
  start_mutt "$work/muttrc-$variant"
  expect "Mensaje cuatro"; expect "[Msgs:3 "; expect "Flag:1"
  screen | grep -F "Mensaje uno" | grep -qF '!' || fail "message one is not shown flagged over $variant"
  ok "over $variant INBOX shows the state the first session left"
  quit_mutt
done
grep -c '^C ' "$capture" >/dev/null
echo "mutt session passed; the plain IMAP conversation is in $capture"
