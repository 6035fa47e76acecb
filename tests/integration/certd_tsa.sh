#!/bin/bash
# certd as an RFC 3161 TSA at POST /v1/tsa, with the openssl ts command
# line as the independent client: query, reply "Granted", and
# `openssl ts -verify` against the anchor; SHA-1 is refused with badAlg,
# garbage gets a rejection reply, an oversized query 413, a wrong media
# type 415; serial numbers keep increasing across a restart (the counter
# is reserved in blocks in the store).
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example

for tool in curl openssl python3; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
[ -x "$CERTD" ] || { echo "no certd at $CERTD"; exit 1; }

T=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }

start() {
	: >"$T/log"
	"$CERTD" run --store "$T/store" --listen 127.0.0.1:0 --threads 2 \
	    2>"$T/log" &
	PID=$!
	for _ in $(seq 50); do
		grep -q 'listening on' "$T/log" && break
		sleep 0.1
	done
	PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$T/log" | cut -d: -f2)
	B=http://127.0.0.1:$PORT
}
stop() {
	kill -TERM "$PID"
	wait "$PID"
	local rc=$?
	PID=
	return $rc
}
# POST a query file; the reply goes to $2; prints the HTTP status.
tsa() {
	curl -s -o "$2" -w '%{http_code}' -X POST \
	    -H "Content-Type: ${3:-application/timestamp-query}" \
	    --data-binary @"$1" "$B/v1/tsa"
}
serial() {
	openssl ts -reply -in "$1" -text 2>/dev/null |
	    sed -n 's/^Serial number: //p'
}

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" \
    --tsa "$K/tsa.crt.pem=$K/tsa.key.pem" >/dev/null
check "init with the TSA key" test $? -eq 0
"$CERTD" init --store "$T/store2" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" \
    --tsa "$K/issuer-a.crt.pem=$K/issuer-a.key.pem" 2>/dev/null
check "init refuses a certificate without timeStamping" test $? -eq 3

start
check "listening" test -n "$PORT"

printf 'document to time-stamp\n' >"$T/doc"
openssl ts -query -data "$T/doc" -sha256 -cert -out "$T/q.tsq" 2>/dev/null
c=$(tsa "$T/q.tsq" "$T/r.tsr")
check "query: 200" test "$c" = 200
check "reply: Granted" \
    bash -c "openssl ts -reply -in '$T/r.tsr' -text 2>/dev/null |
    grep -q 'Status: Granted'"
openssl ts -verify -data "$T/doc" -in "$T/r.tsr" \
    -CAfile "$K/anchor-ec.crt.pem" >"$T/v.out" 2>&1
check "openssl ts -verify: OK" grep -q 'Verification: OK' "$T/v.out"
printf 'another document\n' >"$T/doc2"
openssl ts -verify -data "$T/doc2" -in "$T/r.tsr" \
    -CAfile "$K/anchor-ec.crt.pem" >/dev/null 2>&1
check "openssl ts -verify of another document fails" test $? -ne 0
S1=$(serial "$T/r.tsr")
check "serial number present" test -n "$S1"

openssl ts -query -data "$T/doc" -sha1 -cert -out "$T/q1.tsq" 2>/dev/null
c=$(tsa "$T/q1.tsq" "$T/r1.tsr")
openssl ts -reply -in "$T/r1.tsr" -text >"$T/r1.txt" 2>/dev/null
check "SHA-1 query: rejection" grep -q 'Status: Rejected' "$T/r1.txt"
check "SHA-1 query: badAlg" \
    grep -q 'unrecognized or unsupported algorithm identifier' "$T/r1.txt"

printf 'not a time-stamp query' >"$T/garbage"
c=$(tsa "$T/garbage" "$T/rg.tsr")
check "garbage: 200 with a reply" test "$c" = 200
check "garbage: rejection" \
    bash -c "openssl ts -reply -in '$T/rg.tsr' -text 2>/dev/null |
    grep -q 'Status: Rejected'"

head -c 5000 /dev/zero >"$T/big"
c=$(tsa "$T/big" "$T/rb")
check "oversized query: 413" test "$c" = 413
c=$(tsa "$T/q.tsq" "$T/rt" application/octet-stream)
check "wrong media type: 415" test "$c" = 415

curl -s "$B/metrics" >"$T/metrics"
check "metrics count /v1/tsa" grep -q '/v1/tsa' "$T/metrics"

# sealkit seal sign --tsa URL against this TSA: the signature carries a
# token that sealkit seal verify accepts as valid and bound.
qrencode -o "$T/pic.png" "SEAL" 2>/dev/null
"$SEALKIT" seal make --maker-key "$K/seal-maker.key.pem" \
    --maker-cert "$K/seal-maker.crt.pem" --owner 91990100MA000004XB \
    --type 1 --name "示例科技有限公司合同专用章" --picture "$T/pic.png" \
    --cert "$K/seal-owner.crt.pem" --valid-from 2026-01-01 \
    --valid-to 2035-12-31 --out "$T/seal.der" >/dev/null 2>&1
check "seal make" test $? -eq 0
"$SEALKIT" seal sign --seal "$T/seal.der" --key "$K/seal-owner.key.pem" \
    --cert "$K/seal-owner.crt.pem" --in "$T/doc" --out "$T/doc.sig" \
    --tsa "$B/v1/tsa" >"$T/sign.out" 2>&1
check "seal sign --tsa URL" test $? -eq 0
"$SEALKIT" seal verify --in "$T/doc.sig" --data "$T/doc" \
    --tsa-cert "$K/tsa.crt.pem" --require-timestamp >"$T/sv.out" 2>&1
check "seal verify: time-stamped signature valid" test $? -eq 0
"$SEALKIT" seal sign --seal "$T/seal.der" --key "$K/seal-owner.key.pem" \
    --cert "$K/seal-owner.crt.pem" --in "$T/doc" --out "$T/doc2.sig" \
    --tsa "$B/v1/nothing-here" >"$T/sign2.out" 2>&1
check "seal sign --tsa: a URL that is no TSA fails (exit 3)" test $? -eq 3
check "... and writes nothing" test ! -e "$T/doc2.sig"

stop
check "SIGTERM exits 0" test $? -eq 0
start
check "listening again" test -n "$PORT"
c=$(tsa "$T/q.tsq" "$T/r2.tsr")
S2=$(serial "$T/r2.tsr")
check "serials increase across a restart" \
    python3 -c "import sys; sys.exit(0 if int('$S2', 16) > int('$S1', 16) else 1)"
c=$(tsa "$T/q.tsq" "$T/r3.tsr")
S3=$(serial "$T/r3.tsr")
check "serials increase within a run" \
    python3 -c "import sys; sys.exit(0 if int('$S3', 16) > int('$S2', 16) else 1)"
stop

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
