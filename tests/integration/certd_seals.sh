#!/bin/bash
# certd seal registry end to end: make a seal through the API (signed by
# the seal maker key certd holds), inspect and verify it offline with the
# sealkit tool, seal a file's SM3 through the API and verify the
# SES_Signature offline (sealkit seal verify --data) and through
# POST /v1/verify, revoke it and see the status in the verdict; wrong
# scope 403, bad JSON 400, and nothing stored after a bad request.
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example
PNG=$SK_SOURCE_DIR/tests/fuzz/corpus/qr_png/valid-gray8.png
OWNER=91990100MA000004XB

for tool in curl jq openssl base64; do
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
code() { curl -s -o "$T/body" -w '%{http_code}' "$@"; }
jbody() { jq -r "$1" "$T/body"; }

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" \
    --seal-maker "$K/seal-maker.crt.pem=$K/seal-maker.key.pem" \
    --seal-owner "$K/seal-owner.crt.pem=$K/seal-owner.key.pem" >/dev/null
check "init with seal maker and owner" test $? -eq 0
"$CERTD" init --store "$T/store2" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" \
    --seal-maker "$K/seal-maker.crt.pem=$K/seal-owner.key.pem" 2>/dev/null
check "init refuses a maker key that is not the certificate's" test $? -eq 3
check "nothing created after a refused init" test ! -e "$T/store2/data.mdb"
check "no private key in the store" \
    bash -c "! grep -aq 'PRIVATE KEY' '$T/store/data.mdb'"

MK=$("$CERTD" client add --store "$T/store" --name seal-office \
    --scope seals:issue --scope seals:read --scope seals:status)
SG=$("$CERTD" client add --store "$T/store" --name doc-system \
    --scope seals:sign)
OT=$("$CERTD" client add --store "$T/store" --name other-system \
    --scope seals:sign --scope licences:read)

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
J=(-H 'Content-Type: application/json')

jq -n --arg pic "$(base64 -w0 "$PNG")" \
    --rawfile cert "$K/seal-owner.crt.pem" --arg owner "$OWNER" \
    '{owner_uscc: $owner, type: 1, name: "示例科技有限公司合同专用章",
      picture: $pic, certs: [$cert], valid_from: "2024-01-01T00:00:00Z",
      valid_until: "2099-12-31T00:00:00Z", signers: ["doc-system"]}' \
    >"$T/seal.json"

c=$(code -X POST -H "Authorization: Bearer $OT" "${J[@]}" \
    --data-binary @"$T/seal.json" "$B/v1/seals")
check "make with the wrong scope: 403" test "$c" = 403
c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    --data-binary '{"owner_uscc": ' "$B/v1/seals")
check "bad JSON: 400" test "$c" = 400
jq '.esid = "BAD-SEAL-1" | .type = "one"' "$T/seal.json" >"$T/bad.json"
c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    --data-binary @"$T/bad.json" "$B/v1/seals")
check "wrong field type: 400" test "$c" = 400
jq '.esid = "BAD-SEAL-2" | .owner_uscc = "129901000000000352"' \
    "$T/seal.json" >"$T/bad.json"
c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    --data-binary @"$T/bad.json" "$B/v1/seals")
check "certs not of the owner: 400" test "$c" = 400
jq '.esid = "BAD-SEAL-3" | .extra = 1' "$T/seal.json" >"$T/bad.json"
c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    --data-binary @"$T/bad.json" "$B/v1/seals")
check "unknown member: 400" test "$c" = 400
for n in 1 2 3; do
	c=$(code -H "Authorization: Bearer $MK" "$B/v1/seals/BAD-SEAL-$n")
	check "nothing stored after bad request $n" test "$c" = 404
done

c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    --data-binary @"$T/seal.json" "$B/v1/seals")
check "make: 201" test "$c" = 201
ID=$(jbody .id)
check "id is the owner USCC and digits" \
    bash -c "[[ '$ID' =~ ^${OWNER}[0-9]+$ ]]"
jbody .seal | base64 -d >"$T/seal.der"
"$SEALKIT" seal inspect --in "$T/seal.der" --json >"$T/inspect.json"
check "sealkit seal inspect reads it" test $? -eq 0
check "inspect: esID is the id" \
    test "$(jq -r '.. | .esid? // empty' "$T/inspect.json" | head -1)" = "$ID"
"$SEALKIT" seal verify --seal "$T/seal.der" >/dev/null
check "sealkit seal verify: maker signature and validity" test $? -eq 0

c=$(code -H "Authorization: Bearer $MK" "$B/v1/seals/$ID")
check "get: 200 valid" test "$c:$(jbody .state)" = "200:valid"
check "get: same DER" test "$(jbody .seal)" = "$(base64 -w0 "$T/seal.der")"
c=$(code -H "Authorization: Bearer $SG" "$B/v1/seals/$ID")
check "get without seals:read: 403" test "$c" = 403
c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    --data-binary @<(jq --arg id "$ID" '.esid = $id' "$T/seal.json") \
    "$B/v1/seals")
check "same esid again: 409" test "$c" = 409

printf 'contract text\n' >"$T/doc.txt"
H=$(openssl dgst -sm3 -r "$T/doc.txt" | cut -d' ' -f1)
c=$(code -X POST -H "Authorization: Bearer $SG" "${J[@]}" \
    -d "{\"data_sm3\": \"$H\", \"property\": \"doc.txt\"}" \
    "$B/v1/seals/$ID/sign")
check "sign: 200" test "$c" = 200
jbody .signature | base64 -d >"$T/sig.der"
"$SEALKIT" seal verify --in "$T/sig.der" --data "$T/doc.txt" >/dev/null
check "sealkit seal verify --data: OK" test $? -eq 0
printf 'other text\n' >"$T/other.txt"
"$SEALKIT" seal verify --in "$T/sig.der" --data "$T/other.txt" \
    >/dev/null 2>&1
check "sealkit seal verify --data of another file fails" test $? -ne 0
c=$(code -X POST -H "Authorization: Bearer $OT" "${J[@]}" \
    -d "{\"data_sm3\": \"$H\"}" "$B/v1/seals/$ID/sign")
check "sign by a client not among the signers: 403" test "$c" = 403
c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    -d "{\"data_sm3\": \"$H\"}" "$B/v1/seals/$ID/sign")
check "sign without seals:sign: 403" test "$c" = 403
c=$(code -X POST -H "Authorization: Bearer $SG" "${J[@]}" \
    -d '{"data_sm3": "00"}' "$B/v1/seals/$ID/sign")
check "sign with a short hash: 400" test "$c" = 400
c=$(code -X POST -H "Authorization: Bearer $SG" "${J[@]}" \
    -d "{\"data_sm3\": \"$H\"}" "$B/v1/seals/NOSUCHSEAL/sign")
check "sign with an unknown seal: 404" test "$c" = 404

SIG=$(base64 -w0 "$T/sig.der")
c=$(code -X POST "${J[@]}" \
    -d "{\"seal_signature\": \"$SIG\", \"data_sm3\": \"$H\"}" "$B/v1/verify")
check "verify: valid, record valid" \
    test "$c:$(jbody .valid):$(jbody .record)" = "200:true:valid"
check "verify: data-hash passed" \
    test "$(jbody '.checks["data-hash"]')" = passed
H2=$(openssl dgst -sm3 -r "$T/other.txt" | cut -d' ' -f1)
c=$(code -X POST "${J[@]}" \
    -d "{\"seal_signature\": \"$SIG\", \"data_sm3\": \"$H2\"}" "$B/v1/verify")
check "verify with another hash: invalid" \
    test "$c:$(jbody .valid):$(jbody '.checks["data-hash"]')" != \
    "200:true:passed"

c=$(code -X POST -H "Authorization: Bearer $MK" "${J[@]}" \
    -d '{"reason": "key_compromise"}' "$B/v1/seals/$ID/revoke")
check "revoke: 200 changed" test "$c:$(jbody .changed)" = "200:true"
c=$(code -X POST -H "Authorization: Bearer $MK" "$B/v1/seals/$ID/revoke")
check "revoke again: 200 unchanged" test "$c:$(jbody .changed)" = "200:false"
c=$(code -X POST "${J[@]}" -d "{\"seal_signature\": \"$SIG\"}" \
    "$B/v1/verify")
check "verify after revoke: invalid, record revoked" \
    test "$c:$(jbody .valid):$(jbody .record)" = "200:false:revoked"
c=$(code -X POST -H "Authorization: Bearer $SG" "${J[@]}" \
    -d "{\"data_sm3\": \"$H\"}" "$B/v1/seals/$ID/sign")
check "sign with a revoked seal: 409" test "$c" = 409
c=$(code -H "Authorization: Bearer $MK" "$B/v1/seals/$ID")
check "get: revoked" test "$(jbody .state)" = revoked

kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
check "SIGTERM exits 0" test "$rc" -eq 0

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
