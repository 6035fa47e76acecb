#!/bin/bash
# Status lists and presentation codes against a real certd on loopback:
# issuance puts a status claim (idx, uri) into the credential; GET
# /v1/status/1 serves a signed list with ETag, Cache-Control and 304;
# revoke -> the list's entry changes -> `sealkit licence verify --status`
# (offline, independent of certd) says revoked; suspend then reinstate;
# a tampered and a stale list fail closed (status_list_invalid);
# POST /v1/verify agrees; presentation codes are made, redeemed once,
# refused when replayed, forged, for another licence or expired.
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example
LIC=$SK_SOURCE_DIR/api/examples/business-licence.json
TYPE=11990000000000107Q001
ISSUER=11990100000000019F
URI=https://certd.example/v1/status/1

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
	curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@"
	touch "$T/body"
}
hdr() { grep -i "^$1:" "$T/hdr" | cut -d' ' -f2- | tr -d '\r'; }

# ISO/IEC 7064 MOD 37,36 check character (as certd_api.sh).
A36=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ
check_char() {
	local s=$1 p=36 t i v c
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		v=${A36%%"$c"*}
		v=${#v}
		t=$(((p + v) % 36))
		[ $t -eq 0 ] && t=36
		p=$((2 * t % 37))
	done
	echo "${A36:$(((37 - p) % 36)):1}"
}
ident() {
	echo "1.2.156.3005.2.$TYPE.$ISSUER.$1.001.$(check_char \
	    "$TYPE$ISSUER${1}001")"
}

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" >/dev/null
check "init" test $? -eq 0
ISS=$("$CERTD" client add --store "$T/store" --name issuing \
    --scope licences:issue --scope licences:status --scope licences:qr)
APP=$("$CERTD" client add --store "$T/store" --name approval \
    --scope licences:read)
AUD=$("$CERTD" client add --store "$T/store" --name audit \
    --scope holders:read)
cat >"$T/config.json" <<JSON
{ "store": "$T/store", "listen": "127.0.0.1:0", "threads": 2,
  "public_url": "https://certd.example",
  "status_ttl_s": 60, "status_valid_s": 600, "status_resign_s": 1,
  "presentation_ttl_s": 30,
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

# issue NAME SERIAL: issue the example licence under another serial.
issue() {
	jq --arg id "$(ident "$2")" '.identifier = $id' "$LIC" >"$T/$1.json"
	code -X POST -H "Authorization: Bearer $ISS" \
	    -H 'Content-Type: application/json' \
	    --data-binary @"$T/$1.json" "$B/v1/licences" >/dev/null
	jq -r .qr_text "$T/body" >"$T/$1.qr"
	jq -r .id "$T/body" >"$T/$1.id"
	jq -r '.licence.status.status_list.idx // .licence.status.idx // empty' \
	    "$T/body" >"$T/$1.idx"
}
issue a 2024000001
issue b 2024000002
issue c 2024000003
A=$(cat "$T/a.id") Bid=$(cat "$T/b.id") C=$(cat "$T/c.id")
check "issued three" test -s "$T/c.qr"
"$SEALKIT" licence show --in "$T/a.qr" >"$T/a.show" 2>&1
check "credential carries the status claim" grep -q "status.*$URI index" \
    "$T/a.show"
ia=$(grep -o 'index [0-9]*' "$T/a.show" | cut -d' ' -f2)
"$SEALKIT" licence show --in "$T/b.qr" >"$T/b.show" 2>&1
ib=$(grep -o 'index [0-9]*' "$T/b.show" | cut -d' ' -f2)
check "indexes differ and are not sequential" \
    test -n "$ia" -a -n "$ib" -a "$ia" != "$ib" -a $((ib - ia)) != 1

# vfy NAME [args]: offline verification with the trust list and list.
vfy() {
	local n=$1; shift
	"$SEALKIT" licence verify --qr-text "$T/$n.qr" --trust-list \
	    "$T/list.cose" --anchors "$K/trust-anchors.pem" "$@" --json \
	    >"$T/v.json" 2>/dev/null
	jq -r '[.valid, (.reasons | join(","))] | join(" ")' "$T/v.json"
}
fetch() { code "$B/v1/status/1" >/dev/null; cp "$T/body" "$T/$1.cwt"; }

c=$(code "$B/v1/status/1")
cp "$T/body" "$T/s0.cwt"
check "GET /v1/status/1 200" test "$c" = 200
check "content type" test "$(hdr content-type)" = application/statuslist+cwt
ETAG0=$(hdr etag)
check "ETag" test -n "$ETAG0"
cc=$(hdr cache-control)
cc_ok() { [[ $cc =~ ^public,\ max-age=([0-9]+)$ ]] && \
    [ "${BASH_REMATCH[1]}" -le 30 ]; }
check "Cache-Control public, max-age <= ttl/2 ($cc)" cc_ok
c=$(code -H "If-None-Match: $ETAG0" "$B/v1/status/1")
check "304 on If-None-Match" test "$c:$(wc -c <"$T/body")" = "304:0"
check "unknown list 404" test "$(code "$B/v1/status/2")" = 404
check "bad list number 404" test "$(code "$B/v1/status/01")" = 404
check "status list is public (no token)" test -s "$T/s0.cwt"
"$SEALKIT" status show --in "$T/s0.cwt" >"$T/s0.show" 2>&1
check "sealkit status show reads it (sub $URI)" grep -q "$URI" "$T/s0.show"

check "offline: valid before revocation" test \
    "$(vfy a --status "$T/s0.cwt")" = "true "

c=$(code -X POST -H "Authorization: Bearer $ISS" \
    -H 'Content-Type: application/json' -d '{"reason": "key_compromise"}' \
    "$B/v1/licences/$A/revoke")
check "revoke 200" test "$c:$(jq -r .changed "$T/body")" = "200:true"
c=$(code -X POST -H "Authorization: Bearer $ISS" "$B/v1/licences/$A/revoke")
check "revoke again: 200, changed false" test \
    "$c:$(jq -r .changed "$T/body")" = "200:false"
c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$A/reinstate")
check "reinstate after revoke 409" test "$c" = 409
sleep 1.2
fetch s1
ETAG1=$(hdr etag)
check "list re-signed after the interval (new ETag)" \
    test -n "$ETAG1" -a "$ETAG1" != "$ETAG0"
check "offline: revoked" test "$(vfy a --status "$T/s1.cwt")" = \
    "false revoked"
check "offline: neighbour still valid" test \
    "$(vfy b --status "$T/s1.cwt")" = "true "
check "offline: old list still says valid (why lists expire)" test \
    "$(vfy a --status "$T/s0.cwt")" = "true "
c=$(code -X POST -H 'Content-Type: application/json' \
    -d "{\"qr_text\": \"$(cat "$T/a.qr")\"}" "$B/v1/verify")
check "POST /v1/verify: revoked" test \
    "$(jq -r '[.valid, (.reasons | join(","))] | join(" ")' "$T/body")" \
    = "false revoked"

code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$Bid/suspend" >/dev/null
sleep 1.2
fetch s2
check "offline: suspended" test "$(vfy b --status "$T/s2.cwt")" = \
    "false suspended"
code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$Bid/reinstate" >/dev/null
sleep 1.2
fetch s3
check "offline: reinstated -> valid" test \
    "$(vfy b --status "$T/s3.cwt")" = "true "

# Tampered: one byte of the signature.
cp "$T/s3.cwt" "$T/bad.cwt"
sz=$(wc -c <"$T/bad.cwt")
printf '\x00' | dd of="$T/bad.cwt" bs=1 seek=$((sz - 2)) conv=notrunc \
    2>/dev/null
check "tampered list: status_list_invalid" bash -c \
    "[[ '$(vfy b --status "$T/bad.cwt")' == false*status_list_invalid* ]]"
check "stale list (--at after iat + ttl): status_list_invalid" bash -c \
    "[[ '$(vfy b --status "$T/s3.cwt" --at @$(($(date +%s) + 3600)))' == \
    false*status_list_invalid* ]]"
vfy b >/dev/null
check "no list: the verdict says status was not checked" test \
    "$(jq -r .status_checked "$T/v.json")" = false

# Presentation codes.
c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$C/presentations")
check "presentation 201" test "$c" = 201
P=$(jq -r .qr_text "$T/body")
PID_=$(jq -r .id "$T/body")
p_ok() { [[ $P == LP1:* ]]; }
check "code is LP1:" p_ok
check "code has PNG and SVG" test "$(jq -r '.png | length > 100' \
    "$T/body"):$(jq -r '.svg | startswith("<")' "$T/body")" = "true:true"
check "exp - iat = 30" test "$(jq '.exp - .iat' "$T/body")" = 30
c=$(code -X POST -H "Authorization: Bearer $APP" \
    "$B/v1/licences/$C/presentations")
check "presentation needs licences:qr (403)" test "$c" = 403
c=$(code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$A/presentations")
check "no code for a revoked licence (409)" test "$c" = 409

redeem() {
	code -X POST -H "Authorization: Bearer $APP" \
	    -H 'Content-Type: application/json' \
	    -d "{\"code\": \"$1\", \"purpose\": \"status test\", \"matter\": \"M1\"$2}" \
	    "$B/v1/presentations/redeem"
}
c=$(redeem "$P" ", \"licence\": \"$A\"")
check "code for another licence 422" test \
    "$c:$(jq -r .type "$T/body")" = \
    "422:https://certd.example/problems/presentation-invalid"
c=$(redeem "$P" "")
check "redeem 200 with the record" test \
    "$c:$(jq -r .id "$T/body"):$(jq -r .presentation "$T/body")" = \
    "200:$C:$PID_"
c=$(redeem "$P" "")
check "replay 409 presentation-used" test \
    "$c:$(jq -r .type "$T/body")" = \
    "409:https://certd.example/problems/presentation-used"
c=$(code -H "Authorization: Bearer $AUD" \
    "$B/v1/holders/91990100MA000004XB/access-log")
check "one access entry for the redemption" test \
    "$(jq "[.items[] | select(.licence == \"$C\")] | length" "$T/body")" = 1
check "the access entry names the presentation" test \
    "$(jq -r ".items[] | select(.licence == \"$C\") | .presentation" \
    "$T/body")" = "$PID_"
FORGED=${P:0:20}A${P:21}
[ "$FORGED" = "$P" ] && FORGED=${P:0:20}B${P:21}
c=$(redeem "$FORGED" "")
check "forged code 422 presentation-invalid" test \
    "$c:$(jq -r .type "$T/body")" = \
    "422:https://certd.example/problems/presentation-invalid"
c=$(redeem "$(cat "$T/c.qr")" "")
check "a licence QR is not a code (422)" test "$c" = 422
code -X POST -H "Authorization: Bearer $ISS" \
    "$B/v1/licences/$C/presentations" >/dev/null
P2=$(jq -r .qr_text "$T/body")
if [ "${SK_QUICK:-0}" != 1 ]; then
	sleep 31
	c=$(redeem "$P2" "")
	check "expired code 410 presentation-expired" test \
	    "$c:$(jq -r .type "$T/body")" = \
	    "410:https://certd.example/problems/presentation-expired"
fi

kill -TERM "$PID"
wait "$PID"
check "SIGTERM -> exit 0" test $? -eq 0
PID=
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
