#!/usr/bin/env bash
# Mail authentication benchmark (issue: mail authentication). On one core, in the same run:
# DKIM signing and verification of a 22 KB campaign message through the product's signer/verifier
# (RSA-2048 and Ed25519), beside `openssl speed` for the same primitives (the physical limit: a raw
# signature or verification with no canonicalization or hashing of the message), and SPF evaluations
# per second with a warm cache (a record with two levels of include, an a: and an mx).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${SECS:-5}
dotnet build bench/Estafeta.Bench -c Release -nologo -v quiet -o artifacts/bench-load >/dev/null
ours=$(taskset -c 0 dotnet artifacts/bench-load/estafeta-bench.dll auth "$SECS")
ossl=$(taskset -c 0 openssl speed -seconds "$SECS" rsa2048 ed25519 2>/dev/null)
rsa_sign=$(echo "$ossl" | awk '/^rsa 2048 bits/ {print $6}')
rsa_verify=$(echo "$ossl" | awk '/^rsa 2048 bits/ {print $7}')
ed_sign=$(echo "$ossl" | awk '/Ed25519\)/ {print $(NF-1)}' | head -n 1)
ed_verify=$(echo "$ossl" | awk '/Ed25519\)/ {print $NF}' | head -n 1)
get() { echo "$ours" | awk -v k="$1" '$1 == k {print $2}'; }
ratio() { echo "scale=2; $1 / $2" | bc; }
printf 'one core, 22 KB message (%s bytes), relaxed/relaxed\n' "$(get message-bytes)"
printf '  DKIM sign   rsa2048: %6s/s   openssl %8s/s   ratio %s\n' "$(get dkim-sign-rsa2048)" "$rsa_sign" "$(ratio "$(get dkim-sign-rsa2048)" "$rsa_sign")"
printf '  DKIM sign   ed25519: %6s/s   openssl %8s/s   ratio %s\n' "$(get dkim-sign-ed25519)" "$ed_sign" "$(ratio "$(get dkim-sign-ed25519)" "$ed_sign")"
printf '  DKIM verify rsa2048: %6s/s   openssl %8s/s   ratio %s\n' "$(get dkim-verify-rsa2048)" "$rsa_verify" "$(ratio "$(get dkim-verify-rsa2048)" "$rsa_verify")"
printf '  DKIM verify ed25519: %6s/s   openssl %8s/s   ratio %s\n' "$(get dkim-verify-ed25519)" "$ed_verify" "$(ratio "$(get dkim-verify-ed25519)" "$ed_verify")"
printf '  SPF evaluations (warm cache): %s/s\n' "$(get spf-eval-warm)"
