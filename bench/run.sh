#!/bin/sh
# Benchmarks.  Each figure is a ratio against a reference measured in the
# same run on the same machine (docs/PERFORMANCE.md), never an absolute
# time.  Usage: bench/run.sh [SECONDS]   (default 5 per measurement)
#
# Each figure is the best of SK_BENCH_ROUNDS (default 3) alternating runs
# of ours and the reference.
#
# verify: offline verification of licence QR texts by libsealkit (the
#   whole pipeline of `sealkit licence verify`), single-threaded, against
#   `openssl speed` verifications per second for the same algorithm.
#   Target (issue 3): ratio >= 0.8.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
build="$top/build/bench"
keys="$top/keys-example"
"$top/scripts/deps.sh" >/dev/null
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target bench_verify >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# An Ed25519 issuer for authority A (same USCC), under the example P-256
# anchor; keys-example has no Ed25519 issuer of its own.
openssl genpkey -algorithm ed25519 -out "$work/ed.key" 2>/dev/null
openssl req -new -key "$work/ed.key" -out "$work/ed.csr" \
    -subj "/C=CN/O=Example/CN=Example Ed25519 issuer/serialNumber=11990100000000019F" \
    2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' \
    >"$work/ext"
openssl x509 -req -in "$work/ed.csr" -CA "$keys/anchor-ec.crt.pem" \
    -CAkey "$keys/anchor-ec.key.pem" -days 365 -set_serial 77 \
    -extfile "$work/ext" -out "$work/ed.crt" 2>/dev/null

# openssl speed -mr: +F4:i:bits:sign:verify (ECDSA), +F6/+F7:i:bits:name:
# sign:verify (EdDSA, SM2); the verify rate is the last field.
ossl_verify() {
	openssl speed -seconds "$secs" -mr "$1" 2>/dev/null |
	    awk -F: -v tag="$2" '$1 == tag { v = $NF } END { print v }'
}

# Best of ROUNDS alternating runs of each side: other load on the machine
# only ever slows a run down, so the best run is the closest to the truth
# for both sides alike.
rounds=${SK_BENCH_ROUNDS:-3}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

bench() {
	alg=$1 cert=$2 key=$3 lic=$4 speed=$5 tag=$6
	ours=0 ref=0 i=0
	while [ "$i" -lt "$rounds" ]; do
		o=$("$build/bench/bench_verify" "$keys/trust-anchors.pem" \
		    "$cert" "$key" "$lic" "$secs" | sed 's/.*verifies_per_sec=//')
		r=$(ossl_verify "$speed" "$tag")
		ours=$(best "$ours" "$o")
		ref=$(best "$ref" "$r")
		i=$((i + 1))
	done
	ratio=$(awk -v a="$ours" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
	printf '| %s | %.0f | %.0f | %s |\n' "$alg" "$ours" "$ref" "$ratio"
}

echo "machine: $(nproc) cores, $(uname -m), $(openssl version)"
echo "| algorithm | sealkit verify/s (QR text, full pipeline) | openssl speed verify/s | ratio |"
echo "|---|---|---|---|"
bench ES256 "$keys/issuer-a.crt.pem" "$keys/issuer-a.key.pem" \
    "$top/api/examples/business-licence.json" ecdsap256 +F4
bench Ed25519 "$work/ed.crt" "$work/ed.key" \
    "$top/api/examples/business-licence.json" ed25519 +F6
bench SM2-SM3 "$keys/issuer-b.crt.pem" "$keys/issuer-b.key.pem" \
    "$top/api/examples/resident-permit.json" sm2 +F7
