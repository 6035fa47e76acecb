#!/bin/bash
# Presentation codes verified offline by the sealkit tool: certd (on
# loopback) makes a code for an issued licence; `sealkit licence verify
# --presentation` with only the anchors and the presentation certificate
# says VALID with the licence, holder, id and exp certd reported (exit 0),
# also read from a PNG of the code; a copy changed at one character, a code
# checked after its exp, and a credential text are NOT VALID (exit 1)
# with their reasons; bad command lines exit 2.
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example
LIC=$SK_SOURCE_DIR/api/examples/business-licence.json

for tool in curl jq; do
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
code() {
	rm -f "$T/body"
	curl -s -o "$T/body" -w '%{http_code}' "$@"
	touch "$T/body"
}

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" >/dev/null
check "init" test $? -eq 0
ISS=$("$CERTD" client add --store "$T/store" --name issuing \
    --scope licences:issue --scope licences:qr)
cat >"$T/config.json" <<JSON
{ "store": "$T/store", "listen": "127.0.0.1:0", "threads": 2,
  "public_url": "https://certd.example",
  "presentation_ttl_s": 60,
  "presentation_key": "$K/presentation.key.pem",
  "presentation_cert": "$K/presentation.crt.pem" }
JSON
"$CERTD" run --config "$T/config.json" 2>"$T/log" &
PID=$!
for _ in $(seq 50); do
	grep -q 'listening on' "$T/log" && break
	sleep 0.1
done
PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$T/log" | cut -d: -f2)
check "listening" test -n "$PORT"
B=http://127.0.0.1:$PORT

c=$(code -X POST -H "Authorization: Bearer $ISS" \
    -H 'Content-Type: application/json' --data-binary @"$LIC" \
    "$B/v1/licences")
check "licence issued (201)" test "$c" = 201
ID=$(jq -r .id "$T/body")
jq -r .qr_text "$T/body" >"$T/cred.qr"
c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$ID/presentations")
check "presentation made (201)" test "$c" = 201
cp "$T/body" "$T/pres.json"
jq -j .qr_text "$T/pres.json" >"$T/code.txt"
EXP=$(jq -r .exp "$T/pres.json")
PRESID=$(jq -r .id "$T/pres.json")
# Nothing below talks to certd: stop it, the verification is offline.
kill -9 "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
PID=

# pv FILE-OPTION FILE [args]: verify offline, JSON in $T/v.json.
pv() {
	local opt=$1 f=$2; shift 2
	"$SEALKIT" licence verify --presentation "$opt" "$f" \
	    --anchors "$K/trust-anchors.pem" \
	    --presentation-cert "$K/presentation.crt.pem" "$@" \
	    >"$T/v.out" 2>"$T/v.err"
}

pv --qr-text "$T/code.txt"
rc=$?
check "genuine code VALID, exit 0 ($rc)" test "$rc:$(head -1 "$T/v.out")" \
    = "0:VALID"
check "text shows the licence identifier" grep -q "licence *$ID" "$T/v.out"
check "text shows the presentation id" grep -q "id *$PRESID" "$T/v.out"
pv --qr-text "$T/code.txt" --json
check "JSON: licence, id and exp as certd reported" test \
    "$(jq -r '[.valid, .licence, .id, .exp] | map(tostring) | join(" ")' \
    "$T/v.out")" = "true $ID $PRESID $EXP"
check "JSON: the holder is the licence's" test \
    "$(jq -r .holder "$T/v.out")" = "$(jq -r .holder_code "$LIC")"
# The image path: a PNG from an independent encoder (qrencode), and
# certd's own PNG, which zbarimg must read as exactly the code text.
qrencode -o "$T/code.png" -r "$T/code.txt"
pv --image "$T/code.png"
rc=$?
check "PNG of the code VALID ($rc)" test "$rc:$(head -1 "$T/v.out")" \
    = "0:VALID"
jq -r .png "$T/pres.json" | base64 -d >"$T/certd.png"
check "zbarimg reads certd's PNG as the code text" test \
    "$(zbarimg --raw -q "$T/certd.png")" = "$(cat "$T/code.txt")"
pv --image "$T/certd.png"
rc=$?
check "certd's PNG of the code VALID ($rc)" test \
    "$rc:$(head -1 "$T/v.out")" = "0:VALID"
printf '%s\n' "$(cat "$T/code.txt")" | pv --qr-text -
check "from stdin, with a line ending: VALID" test $? -eq 0

# One character changed: the 20th from the end, to another base45 one.
t=$(cat "$T/code.txt")
i=$((${#t} - 20))
ch=${t:i:1}
[ "$ch" = A ] && new=B || new=A
printf '%s' "${t:0:i}$new${t:i+1}" >"$T/tampered.txt"
pv --qr-text "$T/tampered.txt" --json
rc=$?
check "tampered NOT VALID, exit 1 ($rc)" test \
    "$rc:$(jq -r .valid "$T/v.out")" = "1:false"
check "tampered: reason bad_signature or malformed" \
    grep -Eq '"(bad_signature|malformed)"' "$T/v.out"

pv --qr-text "$T/code.txt" --at "@$EXP"
rc=$?
check "at exp: NOT VALID, exit 1 ($rc)" test \
    "$rc:$(head -1 "$T/v.out")" = "1:NOT VALID"
check "at exp: reason expired" grep -q "^reason: expired" "$T/v.out"
pv --qr-text "$T/code.txt" --at "@$((EXP - 1))"
check "one second before exp: VALID" test $? -eq 0

pv --qr-text "$T/cred.qr"
rc=$?
check "a licence credential is no presentation code (malformed, 1)" \
    test "$rc:$(grep -c '^reason: malformed' "$T/v.out")" = "1:1"
pv --qr-text "$T/code.txt" --anchors "$K/anchor-sm2.crt.pem"
rc=$?
check "other anchors: NOT VALID issuer_cert ($rc)" test \
    "$rc:$(grep -c '^reason: issuer_cert' "$T/v.out")" = "1:1"
pv --qr-text "$T/code.txt" --presentation-cert "$K/issuer-a.crt.pem"
rc=$?
check "another certificate: unknown_kid ($rc)" test \
    "$rc:$(grep -c '^reason: unknown_kid' "$T/v.out")" = "1:1"

"$SEALKIT" licence verify --presentation --qr-text "$T/code.txt" \
    --anchors "$K/trust-anchors.pem" >/dev/null 2>&1
check "missing --presentation-cert: usage (2)" test $? -eq 2
"$SEALKIT" licence verify --presentation --qr-text "$T/code.txt" \
    --anchors "$K/trust-anchors.pem" --trust-list "$T/list.cose" \
    --presentation-cert "$K/presentation.crt.pem" >/dev/null 2>&1
check "--presentation with --trust-list: usage (2)" test $? -eq 2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
