#!/usr/bin/env bash
# Mail authentication benchmark (issue: mail authentication). On one core, in the same run:
# DKIM signing and verification of a 22 KB campaign message through the product's signer/verifier
# (RSA-2048 and Ed25519, relaxed/relaxed), beside `openssl speed` for the same primitives, and SPF
# evaluations per second with a warm cache (a record with two levels of include, an a: and an mx).
#
# Both sides count CPU time, not wall time (`openssl speed` divides by user CPU time unless given
# -elapsed; the .NET side reads the process's CPU time after warming up to steady state), so other
# work on a shared machine slows neither figure.
#
# Two limits, two ratios for each operation:
#   "raw"   - `openssl speed rsa2048` / `ed25519`: a bare signature or verification of a digest,
#             with nothing hashed. This is the figure the issue names; no DKIM implementation can
#             reach it, since a DKIM operation must also hash the whole message.
#   "whole" - the physical limit of a whole DKIM operation on this message: openssl's time for the
#             signature or verification plus openssl's SHA-256 time for the message's bytes
#             (`openssl speed -evp sha256 -bytes <message size>`, the body and the signed header
#             fields together being no larger than the message). 1 / (1/sig_rate + bytes/sha_rate).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-5}
BENCH=${BENCH:-artifacts/bench-load/estafeta-bench.dll}
if [ -z "${NO_BUILD:-}" ]; then
  dotnet build bench/Estafeta.Bench -c Release -nologo -v quiet -o artifacts/bench-load >/dev/null
fi
# openssl runs before and after ours and each of its figures is the mean of the two, so that a change of load
# during the run (this machine is shared) biases neither side.
openssl_rates() { taskset -c 0 openssl speed -seconds "$SECS" rsa2048 ed25519 2>/dev/null; }
openssl_sha() { taskset -c 0 openssl speed -seconds "$SECS" -evp sha256 -bytes "$1" 2>/dev/null | awk '/^sha256/ {sub(/k$/, "", $2); print $2 * 1000}'; }
bytes=$(dotnet "$BENCH" auth 0 no-kernel | awk '$1 == "message-bytes" {print $2}')
ossl_before=$(openssl_rates)
sha_before=$(openssl_sha "$bytes")
ours=$(taskset -c 0 dotnet "$BENCH" auth "$SECS")
get() { echo "$ours" | awk -v k="$1" '$1 == k {print $2}'; }
ossl_after=$(openssl_rates)
sha=$(awk -v a="$sha_before" -v b="$(openssl_sha "$bytes")" 'BEGIN { print (a + b) / 2 }')
mean() { awk -v a="$(echo "$ossl_before" | awk "$1")" -v b="$(echo "$ossl_after" | awk "$1")" 'BEGIN { print (a + b) / 2 }'; }
rsa_sign=$(mean '/^rsa 2048 bits/ {print $6}')
rsa_verify=$(mean '/^rsa 2048 bits/ {print $7}')
ed_sign=$(mean '/Ed25519\)/ {print $(NF-1); exit}')
ed_verify=$(mean '/Ed25519\)/ {print $NF; exit}')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# whole RATE: operations per second when each one also hashes the message at openssl's SHA-256 speed.
whole() { awk -v r="$1" -v n="$bytes" -v h="$sha" 'BEGIN { printf "%.1f", 1 / (1 / r + n / h) }'; }
printf 'one core, CPU time, 22 KB message (%s bytes), relaxed/relaxed; openssl SHA-256 at %s MB/s\n' "$bytes" "$(awk -v h="$sha" 'BEGIN { printf "%.0f", h / 1e6 }')"
printf '  %-20s %8s   %10s %6s   %10s %6s\n' "" "ours/s" "raw/s" "ratio" "whole/s" "ratio"
line() {
  local name=$1 ours_rate=$2 raw=$3 limit
  limit=$(whole "$raw")
  printf '  %-20s %8s   %10s %6s   %10s %6s\n' "$name" "$ours_rate" "$raw" "$(ratio "$ours_rate" "$raw")" "$limit" "$(ratio "$ours_rate" "$limit")"
}
line "DKIM sign   rsa2048" "$(get dkim-sign-rsa2048)" "$rsa_sign"
line "DKIM sign   ed25519" "$(get dkim-sign-ed25519)" "$ed_sign"
line "DKIM verify rsa2048" "$(get dkim-verify-rsa2048)" "$rsa_verify"
line "DKIM verify ed25519" "$(get dkim-verify-ed25519)" "$ed_verify"
# Ours through the DKIM code's SHA-256 and through .NET's; openssl's is the figure the whole limits use.
printf '  SHA-256 of the message: %s/s (.NET SHA256.HashData %s/s; openssl %s/s)\n' "$(get sha256-message)" "$(get sha256-message-dotnet)" "$(awk -v h="$sha" -v n="$bytes" 'BEGIN { printf "%.0f", h / n }')"
printf '  body hash (relaxed, simple): %s/s, %s/s\n' "$(get body-hash-relaxed)" "$(get body-hash-simple)"
printf '  SPF evaluations (warm cache): %s/s\n' "$(get spf-eval-warm)"
