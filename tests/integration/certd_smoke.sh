#!/bin/bash
# certd smoke test: init a store with keys-example, add clients, run certd
# on 127.0.0.1 (port 0), issue the example licence, pull it with purpose and
# matter code, verify its QR text, decode its QR PNG with zbarimg, check
# 401/403/409 and the problem+json shape, then SIGTERM -> exit 0.
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example
LIC=$SK_SOURCE_DIR/api/examples/business-licence.json
ID='1.2.156.3005.2.11990000000000107Q001.11990100000000019F.2024000123.001.L'
HOLDER=91990100MA000004XB

for tool in curl jq zbarimg; do
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

# HTTP status of a request; the body goes to $T/body.
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
check "trust list built" test -s "$T/list.cose"

"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" >/dev/null
check "init" test $? -eq 0
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" 2>/dev/null
check "init refuses an existing store (exit 3)" test $? -eq 3
"$CERTD" init --store "$T/store2" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-b.key.pem" 2>/dev/null
check "init refuses a key that is not the certificate's" test $? -eq 3

ISS=$("$CERTD" client add --store "$T/store" --name issuing-system \
    --scope licences:issue --scope licences:status --scope licences:qr)
APP=$("$CERTD" client add --store "$T/store" --name approval-system \
    --scope licences:read)
AUD=$("$CERTD" client add --store "$T/store" --name holder-portal \
    --scope holders:read)
tokens_ok() { [[ $ISS =~ ^ck_[A-Za-z0-9_-]{43}$ && $APP =~ ^ck_ ]]; }
check "client tokens" tokens_ok
check "token not stored in clear" \
    bash -c "! grep -q -- '${ISS#ck_}' '$T/store/data.mdb'"

"$CERTD" run --store "$T/store" --listen 127.0.0.1:0 --threads 2 \
    2>"$T/log" &
PID=$!
for _ in $(seq 50); do
	grep -q 'listening on' "$T/log" && break
	sleep 0.1
done
PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$T/log" | cut -d: -f2)
check "listening" test -n "$PORT"
B=http://127.0.0.1:$PORT

check "healthz" test "$(code "$B/healthz")" = 200

c=$(code -X POST -H "Authorization: Bearer $ISS" \
    -H 'Content-Type: application/json' --data-binary @"$LIC" \
    "$B/v1/licences")
check "issue 201" test "$c" = 201
check "issue id" test "$(jq -r .id "$T/body")" = "$ID"
QR=$(jq -r .qr_text "$T/body")
qr_ok() { [[ $QR == LC1:* ]]; }
check "issue qr_text LC1:" qr_ok

c=$(code -X POST -H "Authorization: Bearer $ISS" \
    -H 'Content-Type: application/json' --data-binary @"$LIC" \
    "$B/v1/licences")
check "duplicate 409" test "$c" = 409
check "problem type conflict" test "$(jq -r .type "$T/body")" = \
    https://certd.example/problems/conflict

c=$(code -X POST -H "Authorization: Bearer $APP" \
    -H 'Content-Type: application/json' --data-binary @"$LIC" \
    "$B/v1/licences")
check "issue without scope 403" test "$c" = 403
c=$(code -X POST -H 'Content-Type: application/json' \
    --data-binary @"$LIC" "$B/v1/licences")
check "issue without token 401" test "$c" = 401
check "401 is problem+json" test "$(curl -s -o /dev/null \
    -w '%{content_type}' "$B/v1/licences/$ID")" = application/problem+json
check "401 problem type" test "$(jq -r .type "$T/body")" = \
    https://certd.example/problems/unauthorized

c=$(code -H "Authorization: Bearer $APP" "$B/v1/licences/$ID")
check "get without purpose 400" test "$c" = 400
c=$(code -H "Authorization: Bearer $APP" \
    "$B/v1/licences/$ID?purpose=smoke%20test&matter=11110000000013338W3000117000002")
check "get 200" test "$c" = 200
check "get licence holder" test "$(jq -r .licence.holder_code "$T/body")" \
    = "$HOLDER"
c=$(code -H "Authorization: Bearer $APP" \
    "$B/v1/licences?holder=$HOLDER&purpose=list&matter=M1")
check "list 200 with one item" test "$c:$(jq '.items | length' \
    "$T/body")" = "200:1"

c=$(code -H "Authorization: Bearer $AUD" \
    "$B/v1/holders/$HOLDER/access-log")
check "access log has both pulls" test "$c:$(jq '.items | length' \
    "$T/body")" = "200:2"
check "access log purpose" test "$(jq -r '.items[0].purpose' \
    "$T/body")" = "smoke test"

c=$(code -X POST -H 'Content-Type: application/json' \
    -d "{\"qr_text\": \"$QR\"}" "$B/v1/verify")
check "verify 200 valid" test "$c:$(jq -r .valid "$T/body")" = "200:true"

c=$(code -H "Authorization: Bearer $ISS" "$B/v1/licences/$ID/qr.png")
cp "$T/body" "$T/qr.png"
check "qr.png 200" test "$c" = 200
c=$(code -H "Authorization: Bearer $APP" "$B/v1/licences/$ID/qr.svg")
check "qr.svg without licences:qr 403" test "$c" = 403
check "zbarimg reads the QR text" test \
    "$(zbarimg --raw -q "$T/qr.png" 2>/dev/null | tr -d '\n')" = "$QR"

c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$ID/suspend")
check "suspend 200" test "$c:$(jq -r .status "$T/body")" = "200:suspended"
c=$(code -X POST -H 'Content-Type: application/json' \
    -d "{\"qr_text\": \"$QR\"}" "$B/v1/verify")
check "verify suspended" test "$(jq -c '[.valid, .reasons]' "$T/body")" \
    = '[false,["suspended"]]'
c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$ID/revoke")
check "revoke 200" test "$c:$(jq -r .status "$T/body")" = "200:revoked"
c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$ID/reinstate")
check "reinstate after revoke 409" test "$c" = 409

c=$(code "$B/v1/trust")
check "trust list served as is" cmp -s "$T/body" "$T/list.cose"
check "method not allowed 405" test "$(code -X DELETE "$B/v1/trust")" = 405
check "metrics" bash -c "curl -s '$B/metrics' | grep -q \
    '^certd_issuance_total{result=\"ok\"} 1'"

kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
check "SIGTERM exits 0" test "$rc" -eq 0
check "no token in the log" bash -c "! grep -q -- '${ISS#ck_}' '$T/log'"

"$CERTD" backup --store "$T/store" --out "$T/backup" >/dev/null
check "backup" test -s "$T/backup/data.mdb"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
