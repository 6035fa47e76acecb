#!/bin/bash
# certd API test: a real certd on 127.0.0.1 (port 0) driven over HTTP with
# curl, every route, and for every route the bad inputs: malformed JSON,
# wrong media type, oversized and chunked bodies, bad identifiers and
# codes, missing or bad tokens, wrong scopes, unknown routes and methods.
#
# After each bad request the test proves that nothing was stored: the
# store counts in /metrics (licences, access-log entries, writes) and, when
# lmdb-utils is installed, the entry count of every LMDB database
# (mdb_stat) are unchanged, the would-be licence is still 404, and the
# request log has the request's id with the status it was answered with.
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example
LIC=$SK_SOURCE_DIR/api/examples/business-licence.json
RP=$SK_SOURCE_DIR/api/examples/resident-permit.json
HOLDER=91990100MA000004XB
TYPE=11990000000000107Q001
ISSUER=11990100000000019F
MATTER=11110000000013338W3000117000002
PROB=https://certd.example/problems

for tool in curl jq zbarimg; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
[ -x "$CERTD" ] || { echo "no certd at $CERTD"; exit 1; }
MDBSTAT=$(command -v mdb_stat || true)
[ -n "$MDBSTAT" ] || echo "note: no mdb_stat; store checked via /metrics only"

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

# ISO/IEC 7064 MOD 37,36 check character (sealkit/lib/ident.c).
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
# The identifier of the example licence with another serial.
ident() {
	echo "1.2.156.3005.2.$TYPE.$ISSUER.$1.001.$(check_char \
	    "$TYPE$ISSUER${1}001")"
}
# The example licence with identifier $1.
licence() {
	jq --arg id "$1" '.identifier = $id' "$LIC"
}

ID=$(ident 2024000123)
check "check character as sealkit computes it" test "$ID" = \
    "1.2.156.3005.2.$TYPE.$ISSUER.2024000123.001.L"
NEWID=$(ident 2024000999)	# never issued: every bad issuance uses it

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" >/dev/null
check "init" test $? -eq 0
ISS=$("$CERTD" client add --store "$T/store" --name issuing-system \
    --scope licences:issue --scope licences:status --scope licences:qr)
APP=$("$CERTD" client add --store "$T/store" --name approval-system \
    --scope licences:read)
AUD=$("$CERTD" client add --store "$T/store" --name holder-portal \
    --scope holders:read)
OLD=$("$CERTD" client add --store "$T/store" --name retired \
    --scope licences:issue --scope licences:read)
"$CERTD" client revoke --store "$T/store" --name retired >/dev/null
check "clients" test -n "$ISS" -a -n "$APP" -a -n "$AUD" -a -n "$OLD"
LATE=$("$CERTD" client add --store "$T/store" --name revoked-while-up \
    --scope licences:issue)

# Small body cap so that "too large" is cheap to send.
cat >"$T/config.json" <<EOF
{ "store": "$T/store", "listen": "127.0.0.1:0", "threads": 2,
  "body_max": 16384, "timeout_s": 5 }
EOF
"$CERTD" run --config "$T/config.json" 2>"$T/log" &
PID=$!
for _ in $(seq 100); do
	grep -q 'listening on' "$T/log" && break
	sleep 0.1
done
PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$T/log" | cut -d: -f2)
if [ -z "$PORT" ]; then
	cat "$T/log"
	bad "certd listening"
	exit 1
fi
B=http://127.0.0.1:$PORT

# One request: status code out, body in $T/body, headers in $T/hdr.
code() { curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' "$@"; }
hdr() {
	tr -d '\r' <"$T/hdr" | awk -v h="$1" 'BEGIN { IGNORECASE = 1 }
	    tolower($0) ~ "^" tolower(h) ":" { sub(/^[^:]*: */, ""); v = $0 }
	    END { print v }'
}

# The store's state: counts from /metrics and, with mdb_stat, the
# entries of every named database.
snap() {
	curl -s "$B/metrics" | awk '
	    /^certd_store_licences / || /^certd_store_access_entries / ||
	    /^certd_store_writes_total / ||
	    /^certd_issuance_total\{result="ok"\} / ||
	    /^certd_access_log_entries_total / { print $1 "=" $2 }'
	if [ -n "$MDBSTAT" ]; then
		"$MDBSTAT" -a "$T/store" | awk '/^Status of/ { db = $3 }
		    /Entries:/ { print db "=" $2 }'
	fi
}

# The request log line of request id $1 (written when the request ends).
logline() {
	local i
	for i in $(seq 50); do
		grep -F "[$1]" "$T/log" && return 0
		sleep 0.05
	done
	return 1
}

# expect NAME STATUS PROBLEM CURL-ARGS...: a refused request.  Checks the
# status, the problem document (type, status, request_id = X-Request-Id),
# the request log line, and that the store did not change.
expect() {
	local name=$1 want=$2 prob=$3 before after c rid line
	shift 3
	before=$(snap)
	c=$(code "$@")
	after=$(snap)
	if [ "$c" != "$want" ]; then
		bad "$name: status $c, want $want ($(head -c 300 "$T/body"))"
		return
	fi
	rid=$(hdr X-Request-Id)
	if [ "$(hdr Content-Type)" != application/problem+json ] ||
	    [ "$(jq -r .type "$T/body")" != "$PROB/$prob" ] ||
	    [ "$(jq -r .status "$T/body")" != "$want" ] ||
	    [ "$(jq -r .request_id "$T/body")" != "$rid" ] ||
	    [ -z "$(jq -r '.title // empty' "$T/body")" ]; then
		bad "$name: problem document $(head -c 300 "$T/body")"
		return
	fi
	if ! line=$(logline "$rid") || [[ $line != *" $want "* ]]; then
		bad "$name: request log line [$rid] ($line)"
		return
	fi
	if [ "$before" != "$after" ]; then
		bad "$name: the store changed: $(diff <(echo "$before") \
		    <(echo "$after") | tr '\n' ' ')"
		return
	fi
	ok "$name ($want $prob, nothing stored)"
}

jqe() { jq -e "$@" >/dev/null; }

# Nothing issued under NEWID.
absent() {
	check "$1: $NEWID not stored" test "$(code -H \
	    "Authorization: Bearer $APP" \
	    "$B/v1/licences/$NEWID?purpose=check&matter=M1")" = 404
}

J='Content-Type: application/json'
AI="Authorization: Bearer $ISS"
AA="Authorization: Bearer $APP"
AH="Authorization: Bearer $AUD"
Q="purpose=api%20test&matter=$MATTER"
licence "$NEWID" >"$T/new.json"

echo "# healthz, metrics, trust"
check "healthz 200 ok" test "$(code "$B/healthz"):$(jq -r .status \
    "$T/body")" = "200:ok"
check "metrics 200 text" test "$(code "$B/metrics")" = 200
check "metrics content type" bash -c "[[ '$(hdr Content-Type)' == \
    text/plain* ]]"
check "metrics store counters" grep -q '^certd_store_licences 0$' "$T/body"
check "trust 200" test "$(code "$B/v1/trust")" = 200
check "trust is the list init was given" cmp -s "$T/body" "$T/list.cose"
check "trust content type" test "$(hdr Content-Type)" = application/cose
ETAG=$(hdr ETag)
check "trust ETag" test -n "$ETAG"
check "trust If-None-Match 304" test "$(code -H "If-None-Match: $ETAG" \
    "$B/v1/trust")" = 304
check "trust other ETag 200" test "$(code -H 'If-None-Match: "x"' \
    "$B/v1/trust")" = 200

echo "# unknown routes and methods"
expect "GET / 404" 404 not-found "$B/"
expect "unknown route 404" 404 not-found "$B/v1/nothing"
expect "unknown version 404" 404 not-found "$B/v2/licences"
expect "trailing slash 404" 404 not-found -H "$AA" "$B/v1/licences/"
expect "extra segment 404" 404 not-found -H "$AA" \
    "$B/v1/licences/$ID/qr.png/x"
expect "nine segments 404" 404 not-found "$B/a/b/c/d/e/f/g/h/i"
expect "path over 512 bytes 404" 404 not-found -H "$AA" \
    "$B/v1/licences/$(printf 'A%.0s' $(seq 600))?$Q"
expect "POST to a GET route 405" 405 method-not-allowed -X POST -H "$J" \
    -d '{}' "$B/healthz"
check "405 Allow names GET" test "$(hdr Allow)" = GET
expect "DELETE licence 405" 405 method-not-allowed -X DELETE -H "$AI" \
    "$B/v1/licences/$ID"
check "405 Allow GET, POST" test "$(hdr Allow)" = "GET, POST"
expect "PUT 405" 405 method-not-allowed -X PUT -H "$AI" -H "$J" \
    --data-binary @"$T/new.json" "$B/v1/licences"
absent "PUT"
expect "OPTIONS 405" 405 method-not-allowed -X OPTIONS "$B/v1/verify"
expect "GET /v1/verify 405" 405 method-not-allowed "$B/v1/verify"
check "Allow POST" test "$(hdr Allow)" = POST

echo "# POST /v1/licences: authentication and scopes"
expect "issue, no token 401" 401 unauthorized -X POST -H "$J" \
    --data-binary @"$T/new.json" "$B/v1/licences"
check "401 WWW-Authenticate Bearer" bash -c "[[ '$(hdr WWW-Authenticate)' \
    == Bearer* ]]"
expect "issue, Basic auth 401" 401 unauthorized -X POST -H "$J" \
    -u "user:pass" --data-binary @"$T/new.json" "$B/v1/licences"
expect "issue, malformed token 401" 401 unauthorized -X POST -H "$J" \
    -H 'Authorization: Bearer not-a-token' --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, unknown token 401" 401 unauthorized -X POST -H "$J" \
    -H "Authorization: Bearer ck_${ISS:4:41}AA" \
    --data-binary @"$T/new.json" "$B/v1/licences"
expect "issue, token without scheme 401" 401 unauthorized -X POST \
    -H "$J" -H "Authorization: $ISS" --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, token of 47 characters 401" 401 unauthorized -X POST \
    -H "$J" -H "Authorization: Bearer ${ISS}A" --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, revoked client 401" 401 unauthorized -X POST -H "$J" \
    -H "Authorization: Bearer $OLD" --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, read scope only 403" 403 forbidden -X POST -H "$J" -H "$AA" \
    --data-binary @"$T/new.json" "$B/v1/licences"
expect "issue, holders scope only 403" 403 forbidden -X POST -H "$J" \
    -H "$AH" --data-binary @"$T/new.json" "$B/v1/licences"
absent "after the refused tokens"

echo "# POST /v1/licences: bodies"
expect "issue, malformed JSON 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary '{"identifier": "x",' "$B/v1/licences"
expect "issue, truncated licence 400" 400 bad-request -X POST -H "$AI" \
    -H "$J" --data-binary "$(head -c 200 "$T/new.json")" "$B/v1/licences"
expect "issue, JSON array 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary '[1,2]' "$B/v1/licences"
expect "issue, JSON string 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary '"licence"' "$B/v1/licences"
expect "issue, empty body 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary '' "$B/v1/licences"
expect "issue, NUL in body 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary @<(printf '{"name": "a\0b"}') "$B/v1/licences"
expect "issue, duplicate key 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary "$(jq -c . "$T/new.json" | sed 's/^{/{"name":"x",/')" \
    "$B/v1/licences"
expect "issue, invalid UTF-8 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    --data-binary @<(printf '{"name": "\xff\xfe"}') "$B/v1/licences"
expect "issue, text/plain 415" 415 unsupported-media-type -X POST -H "$AI" \
    -H 'Content-Type: text/plain' --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, no content type 415" 415 unsupported-media-type -X POST \
    -H "$AI" -H 'Content-Type:' --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, application/jsonx 415" 415 unsupported-media-type -X POST \
    -H "$AI" -H 'Content-Type: application/jsonx' \
    --data-binary @"$T/new.json" "$B/v1/licences"
# 16384 is the configured body_max: one byte more is refused unread.
{ jq -c . "$T/new.json" | head -c -2; printf ',"pad":"%s"}' \
    "$(head -c 20000 /dev/zero | tr '\0' x)"; } >"$T/big.json"
expect "issue, body over body_max 413" 413 payload-too-large -X POST \
    -H "$AI" -H "$J" --data-binary @"$T/big.json" "$B/v1/licences"
expect "issue, body over body_max without Expect 413" 413 \
    payload-too-large -X POST -H "$AI" -H "$J" -H 'Expect:' \
    --data-binary @"$T/big.json" "$B/v1/licences"
head -c 16385 "$T/big.json" >"$T/limit1.json"
expect "issue, body_max + 1 bytes 413" 413 payload-too-large -X POST \
    -H "$AI" -H "$J" --data-binary @"$T/limit1.json" "$B/v1/licences"
expect "issue, huge Content-Length 413" 413 payload-too-large -X POST \
    -H "$AI" -H "$J" -H 'Content-Length: 99999999999' -H 'Expect:' \
    --data-binary '{}' "$B/v1/licences"
expect "issue, chunked body 411" 411 length-required -X POST -H "$AI" \
    -H "$J" -H 'Transfer-Encoding: chunked' --data-binary @"$T/new.json" \
    "$B/v1/licences"
expect "issue, big body without token 401" 401 unauthorized \
    -X POST -H "$J" --data-binary @"$T/big.json" "$B/v1/licences"
absent "after the refused bodies"

echo "# POST /v1/licences: bad licences and identifiers"
badlic() {
	local name=$1 prob=$2 filter=$3
	jq "$filter" "$T/new.json" >"$T/bad.json"
	expect "issue, $name 422" 422 "$prob" -X POST -H "$AI" -H "$J" \
	    --data-binary @"$T/bad.json" "$B/v1/licences"
	if [ "$prob" = invalid-licence ] && ! jq -e \
	    '.detail | length > 0' "$T/body" >/dev/null; then
		bad "issue, $name: detail names the field"
	fi
}
badlic "wrong check character" invalid-licence \
    ".identifier = \"${NEWID%?}$([ "${NEWID: -1}" = A ] && echo B || echo A)\""
badlic "lower-case identifier" invalid-licence \
    '.identifier |= ascii_downcase'
badlic "identifier of another issuer" invalid-licence \
    ".identifier = \"$(ident 2024000999 | sed "s/$ISSUER/11990100000000027A/")\""
badlic "identifier without root arc" invalid-licence \
    ".identifier |= sub(\"^1.2.156.3005.2.\"; \"\")"
badlic "empty identifier" invalid-licence '.identifier = ""'
badlic "identifier of 300 characters" invalid-licence \
    ".identifier = \"$(printf '1%.0s' $(seq 300))\""
badlic "identifier not a string" invalid-licence '.identifier = 42'
badlic "missing holder_code" invalid-licence 'del(.holder_code)'
badlic "bad holder USCC" invalid-licence '.holder_code = "91990100MA000004XC"'
badlic "unknown field" invalid-licence '.colour = "red"'
badlic "bad issue date" invalid-licence '.issue_date = "2024-02-30"'
badlic "type_code other than the identifier's" invalid-licence \
    '.type_code = "11990000000000107Q002"'
# A correct licence of authority B, whose key this certd does not hold.
jq . "$RP" >"$T/rp.json"
expect "issue, issuer without key 422" 422 unknown-issuer -X POST -H "$AI" \
    -H "$J" --data-binary @"$T/rp.json" "$B/v1/licences"
RPID=$(jq -r .identifier "$T/rp.json")
check "unknown-issuer: nothing stored" test "$(code -H "$AA" \
    "$B/v1/licences/$RPID?$Q")" = 404
absent "after the refused licences"

echo "# POST /v1/licences: issuance"
before=$(snap)
c=$(code -X POST -H "$AI" -H "$J" --data-binary @"$LIC" "$B/v1/licences")
check "issue 201" test "$c" = 201
check "issue Location" test "$(hdr Location)" = "/v1/licences/$ID"
check "issue body" test "$(jq -r '[.id, .status, .licence.holder_code,
    .links.self, .links.qr_png, .links.qr_svg] | join(" ")' "$T/body")" = \
    "$ID valid $HOLDER /v1/licences/$ID /v1/licences/$ID/qr.png /v1/licences/$ID/qr.svg"
check "issue set iat to now" jqe \
    "(.licence.iat - now | fabs) < 120" "$T/body"
cp "$T/body" "$T/issued.json"
QR=$(jq -r .qr_text "$T/issued.json")
jq -r .credential "$T/issued.json" | base64 -d >"$T/cred.cose"
check "issued credential verifies offline (sealkit)" "$SEALKIT" licence \
    verify --in "$T/cred.cose" --trust-list "$T/list.cose" \
    --anchors "$K/trust-anchors.pem" >/dev/null
printf '%s' "$QR" >"$T/qr.txt"
check "issued QR text verifies offline (sealkit)" "$SEALKIT" licence \
    verify --qr-text "$T/qr.txt" --trust-list "$T/list.cose" \
    --anchors "$K/trust-anchors.pem" >/dev/null
after=$(snap)
check "issue stored one licence" bash -c "grep -qx 'certd_store_licences=1' \
    <<<'$after'"
check "issue wrote" test "$before" != "$after"
expect "issue again 409" 409 conflict -X POST -H "$AI" -H "$J" \
    --data-binary @"$LIC" "$B/v1/licences"
expect "issue again, other content, 409" 409 conflict -X POST -H "$AI" \
    -H "$J" --data-binary "$(jq '.holder_name = "其他公司"' "$LIC")" \
    "$B/v1/licences"
check "409 kept the first record" bash -c "test \"\$(curl -s -H '$AA' \
    '$B/v1/licences/$ID?$Q' | jq -r .credential)\" = \
    \"$(jq -r .credential "$T/issued.json")\""
ID2=$(ident 2024000124)
check "second licence 201" test "$(code -X POST -H "$AI" -H "$J" \
    --data-binary "$(licence "$ID2")" "$B/v1/licences")" = 201

echo "# GET /v1/licences/{id}"
expect "get, no token 401" 401 unauthorized "$B/v1/licences/$ID?$Q"
expect "get, issuing scope 403" 403 forbidden -H "$AI" "$B/v1/licences/$ID?$Q"
expect "get, revoked client 401" 401 unauthorized \
    -H "Authorization: Bearer $OLD" "$B/v1/licences/$ID?$Q"
expect "get, no purpose 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?matter=$MATTER"
expect "get, no matter 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=x"
expect "get, empty purpose 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=&matter=$MATTER"
expect "get, control character in purpose 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=a%0Ab&matter=$MATTER"
expect "get, purpose over 256 bytes 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=$(printf 'p%.0s' $(seq 257))&matter=M"
expect "get, invalid UTF-8 purpose 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=%FF%FE&matter=$MATTER"
expect "get, bad matter 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=x&matter=a_b"
expect "get, matter over 64 400" 400 bad-request -H "$AA" \
    "$B/v1/licences/$ID?purpose=x&matter=$(printf 'M%.0s' $(seq 65))"
expect "get, unknown id 404" 404 not-found -H "$AA" "$B/v1/licences/$NEWID?$Q"
expect "get, id with bad check 404" 404 not-found -H "$AA" \
    "$B/v1/licences/${ID%L}M?$Q"
expect "get, garbage id 404" 404 not-found -H "$AA" \
    "$B/v1/licences/%00%01%7F?$Q"
expect "get, id with an encoded slash 404" 404 not-found -H "$AA" \
    "$B/v1/licences/a%2Fb?$Q"
expect "get, traversal 404" 404 not-found -H "$AA" \
    "$B/v1/licences/..%2F..%2Fmetrics?$Q"
before=$(snap)
c=$(code -H "$AA" "$B/v1/licences/$ID?$Q")
check "get 200" test "$c" = 200
check "get returns the issued record" test "$(jq -c '[.id, .credential,
    .qr_text, .status]' "$T/body")" = "$(jq -c '[.id, .credential,
    .qr_text, .status]' "$T/issued.json")"
check "get recorded one access entry" test "$(diff <(echo "$before") \
    <(snap) | grep -c '^>.*access')" -ge 1

echo "# GET /v1/licences (list)"
expect "list, no holder 400" 400 bad-request -H "$AA" "$B/v1/licences?$Q"
expect "list, bad holder 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=a%20b&$Q"
expect "list, holder over 64 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$(printf 'H%.0s' $(seq 65))&$Q"
expect "list, short type 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER&type=119&$Q"
expect "list, limit 0 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER&limit=0&$Q"
expect "list, limit 101 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER&limit=101&$Q"
expect "list, limit -1 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER&limit=-1&$Q"
expect "list, limit 1x 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER&limit=1x&$Q"
expect "list, bad page token 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER&after=zzz&$Q"
expect "list, no purpose 400" 400 bad-request -H "$AA" \
    "$B/v1/licences?holder=$HOLDER"
expect "list, wrong scope 403" 403 forbidden -H "$AH" \
    "$B/v1/licences?holder=$HOLDER&$Q"
c=$(code -H "$AA" "$B/v1/licences?holder=$HOLDER&limit=1&$Q")
check "list page 1" test "$c:$(jq '.items | length' "$T/body")" = "200:1"
NEXT=$(jq -r .next "$T/body")
FIRST=$(jq -r '.items[0].id' "$T/body")
check "list page token" test "$NEXT" != null
c=$(code -H "$AA" --get --data-urlencode "after=$NEXT" \
    "$B/v1/licences?holder=$HOLDER&limit=1&$Q")
check "list page 2" test "$c:$(jq -r '.items[0].id' "$T/body")" != \
    "200:$FIRST"
check "list page 2 is the other licence" test "$(printf '%s\n%s\n' \
    "$FIRST" "$(jq -r '.items[0].id' "$T/body")" | sort | tr '\n' ' ')" = \
    "$(printf '%s\n%s\n' "$ID" "$ID2" | sort | tr '\n' ' ')"
c=$(code -H "$AA" "$B/v1/licences?holder=$HOLDER&type=$TYPE&$Q")
check "list by type" test "$c:$(jq '.items | length' "$T/body")" = "200:2"
c=$(code -H "$AA" "$B/v1/licences?holder=91990100MA000005X8&$Q")
check "list of a holder with none: 200, empty" test \
    "$c:$(jq -c .items "$T/body")" = "200:[]"

echo "# status changes"
S=$B/v1/licences/$ID
expect "suspend, no token 401" 401 unauthorized -X POST "$S/suspend"
expect "suspend, read scope 403" 403 forbidden -X POST -H "$AA" "$S/suspend"
expect "suspend, unknown id 404" 404 not-found -X POST -H "$AI" \
    "$B/v1/licences/$NEWID/suspend"
expect "suspend, bad reason 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    -d '{"reason": "Not Allowed!"}' "$S/suspend"
expect "suspend, long reason 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    -d "{\"reason\": \"$(printf 'r%.0s' $(seq 65))\"}" "$S/suspend"
expect "suspend, unknown key 400" 400 bad-request -X POST -H "$AI" -H "$J" \
    -d '{"why": "x"}' "$S/suspend"
expect "suspend, reason not a string 400" 400 bad-request -X POST -H "$AI" \
    -H "$J" -d '{"reason": 7}' "$S/suspend"
expect "suspend, malformed JSON 400" 400 bad-request -X POST -H "$AI" \
    -H "$J" -d '{"reason": ' "$S/suspend"
expect "suspend, text/plain body 415" 415 unsupported-media-type -X POST \
    -H "$AI" -H 'Content-Type: text/plain' -d 'reason' "$S/suspend"
expect "suspend, chunked 411" 411 length-required -X POST -H "$AI" -H "$J" \
    -H 'Transfer-Encoding: chunked' -d '{}' "$S/suspend"
check "still valid after the refusals" test "$(curl -s -H "$AA" \
    "$S?$Q" | jq -r .status)" = valid
c=$(code -X POST -H "$AI" -H "$J" -d '{"reason": "audit_hold"}' "$S/suspend")
check "suspend 200" test "$c:$(jq -c '[.status, .changed, .reason]' \
    "$T/body")" = '200:["suspended",true,"audit_hold"]'
if [ -n "$MDBSTAT" ]; then
	ev() { "$MDBSTAT" -s events "$T/store" | awk '/Entries/ { print $2 }'; }
	e0=$(ev)
	c=$(code -X POST -H "$AI" "$S/suspend")
	check "suspend again: 200, changed false" test \
	    "$c:$(jq .changed "$T/body")" = "200:false"
	check "suspend again wrote no event" test "$(ev)" = "$e0"
fi
c=$(code -X POST -H 'Content-Type: application/json' \
    -d "{\"qr_text\": \"$QR\"}" "$B/v1/verify")
check "verify while suspended" test "$(jq -c '[.valid, .reasons, .record]' \
    "$T/body")" = '[false,["suspended"],"suspended"]'
c=$(code -X POST -H "$AI" "$S/reinstate")
check "reinstate 200" test "$c:$(jq -r .status "$T/body")" = "200:valid"
c=$(code -X POST -H "$AI" -H "$J" -d '{}' "$S/revoke")
check "revoke 200 (empty object body)" test \
    "$c:$(jq -c '[.status, .reason]' "$T/body")" = \
    '200:["revoked","unspecified"]'
expect "reinstate after revoke 409" 409 conflict -X POST -H "$AI" \
    "$S/reinstate"
expect "suspend after revoke 409" 409 conflict -X POST -H "$AI" "$S/suspend"
c=$(code -X POST -H "$AI" "$S/revoke")
check "revoke again 200 unchanged" test "$c:$(jq .changed "$T/body")" = \
    "200:false"

echo "# QR images"
expect "qr.png, no token 401" 401 unauthorized "$B/v1/licences/$ID2/qr.png"
expect "qr.png, read scope 403" 403 forbidden -H "$AA" \
    "$B/v1/licences/$ID2/qr.png"
expect "qr.svg, holders scope 403" 403 forbidden -H "$AH" \
    "$B/v1/licences/$ID2/qr.svg"
expect "qr.png, unknown id 404" 404 not-found -H "$AI" \
    "$B/v1/licences/$NEWID/qr.png"
expect "qr.jpg 404" 404 not-found -H "$AI" "$B/v1/licences/$ID2/qr.jpg"
c=$(code -H "$AI" "$B/v1/licences/$ID2/qr.png")
cp "$T/body" "$T/qr2.png"
check "qr.png 200 image/png" test "$c:$(hdr Content-Type)" = "200:image/png"
QR2=$(curl -s -H "$AA" "$B/v1/licences/$ID2?$Q" | jq -r .qr_text)
check "zbarimg reads the licence's QR text" test \
    "$(zbarimg --raw -q "$T/qr2.png" 2>/dev/null | tr -d '\n')" = "$QR2"
c=$(code -H "$AI" "$B/v1/licences/$ID2/qr.svg")
check "qr.svg 200 image/svg+xml" test "$c:$(hdr Content-Type)" = \
    "200:image/svg+xml"
check "qr.svg is SVG" grep -q '<svg' "$T/body"

echo "# GET /v1/holders/{code}/access-log"
AL=$B/v1/holders/$HOLDER/access-log
expect "access log, no token 401" 401 unauthorized "$AL"
expect "access log, read scope 403" 403 forbidden -H "$AA" "$AL"
expect "access log, bad holder 400" 400 bad-request -H "$AH" \
    "$B/v1/holders/a_b/access-log"
expect "access log, holder over 64 400" 400 bad-request -H "$AH" \
    "$B/v1/holders/$(printf 'H%.0s' $(seq 65))/access-log"
expect "access log, limit 0 400" 400 bad-request -H "$AH" "$AL?limit=0"
expect "access log, after x 400" 400 bad-request -H "$AH" "$AL?after=x"
expect "access log, after -1 400" 400 bad-request -H "$AH" "$AL?after=-1"
expect "access log, after 2^64-1 400" 400 bad-request -H "$AH" \
    "$AL?after=18446744073709551615"
c=$(code -H "$AH" "$AL?limit=100")
check "access log 200" test "$c" = 200
# The successful pulls of this holder's licences so far, one entry each:
# the 409 check, "get 200", list pages 1 and 2, the list by type (2), the
# "still valid" check and the QR2 lookup.  None of the refused ones.
check "access log holds the 8 successful pulls, no refused one" test \
    "$(jq '.items | length' "$T/body")" -eq 8
check "access log entries name purpose, matter, client" test \
    "$(jq -r '.items[-1] | [.purpose, .matter, .client] | join("|")' \
    "$T/body")" = "api test|$MATTER|approval-system"
c=$(code -H "$AH" "$AL?limit=1")
check "access log paging" test "$(jq '.items | length' "$T/body"):$(jq \
    -r '.next | type' "$T/body")" = "1:number"
check "access log of a holder nobody asked about" test \
    "$(code -H "$AH" "$B/v1/holders/X1/access-log"):$(jq -c .items \
    "$T/body")" = "200:[]"

echo "# POST /v1/verify"
V=$B/v1/verify
expect "verify, malformed JSON 400" 400 bad-request -X POST -H "$J" \
    -d '{"qr_text": ' "$V"
expect "verify, array 400" 400 bad-request -X POST -H "$J" -d '[]' "$V"
expect "verify, empty object 400" 400 bad-request -X POST -H "$J" -d '{}' "$V"
expect "verify, both inputs 400" 400 bad-request -X POST -H "$J" \
    -d "{\"qr_text\": \"$QR2\", \"credential\": \"AA==\"}" "$V"
expect "verify, extra key 400" 400 bad-request -X POST -H "$J" \
    -d "{\"qr_text\": \"$QR2\", \"x\": 1}" "$V"
expect "verify, qr_text not a string 400" 400 bad-request -X POST -H "$J" \
    -d '{"qr_text": 1}' "$V"
expect "verify, credential not base64 400" 400 bad-request -X POST -H "$J" \
    -d '{"credential": "***"}' "$V"
expect "verify, text/plain 415" 415 unsupported-media-type -X POST \
    -H 'Content-Type: text/plain' -d "{\"qr_text\": \"$QR2\"}" "$V"
expect "verify, body over body_max 413" 413 payload-too-large -X POST \
    -H "$J" --data-binary @"$T/big.json" "$V"
expect "verify, chunked 411" 411 length-required -X POST -H "$J" \
    -H 'Transfer-Encoding: chunked' -d "{\"qr_text\": \"$QR2\"}" "$V"
verdict() {
	before=$(snap)
	c=$(code -X POST -H "$J" -d "$1" "$V")
	[ "$before" = "$(snap)" ] || echo "store changed"
	echo "$c:$(jq -c "$2" "$T/body")"
}
check "verify QR text: valid" test "$(verdict "{\"qr_text\": \"$QR2\"}" \
    '[.valid, .record, .alg]')" = '200:[true,"valid","ES256"]'
check "verify credential: valid" test "$(verdict "{\"credential\": \
    \"$(curl -s -H "$AA" "$B/v1/licences/$ID2?$Q" | jq -r .credential)\"}" \
    '[.valid, .record]')" = '200:[true,"valid"]'
check "verify revoked licence" test "$(verdict "{\"qr_text\": \"$QR\"}" \
    '[.valid, .reasons, .record]')" = '200:[false,["revoked"],"revoked"]'
i=$((${#QR2} / 2))
c=${QR2:i:1}
[ "$c" = A ] && n=B || n=A
TAMP=${QR2:0:i}$n${QR2:i+1}
check "verify tampered QR text: invalid" test "$(verdict \
    "{\"qr_text\": \"$TAMP\"}" '.valid')" = "200:false"
check "verify garbage QR text: invalid, not an error" test "$(verdict \
    '{"qr_text": "LC1:hello"}' '.valid')" = "200:false"
check "verify QR text without prefix: invalid" test "$(verdict \
    "{\"qr_text\": \"${QR2#LC1:}\"}" '.valid')" = "200:false"
check "verify empty QR text: invalid" test "$(verdict \
    '{"qr_text": ""}' '.valid')" = "200:false"
expect "verify, empty credential 400" 400 bad-request -X POST -H "$J" \
    -d '{"credential": ""}' "$V"

echo "# revocation of a client while certd runs"
check "token works" test "$(code -X POST -H "Authorization: Bearer $LATE" \
    -H "$J" --data-binary "$(licence "$(ident 2024000125)")" \
    "$B/v1/licences")" = 201
"$CERTD" client revoke --store "$T/store" --name revoked-while-up >/dev/null
expect "revoked while running: next request 401" 401 unauthorized -X POST \
    -H "Authorization: Bearer $LATE" -H "$J" --data-binary @"$T/new.json" \
    "$B/v1/licences"
absent "after the revoked client"

echo "# abuse of the connection"
before=$(snap)
c=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 70000 \
    /dev/zero | tr '\0' a)" "$B/healthz")
check "70 KB header refused ($c)" test "$c" != 200
# A request line that is not HTTP.
c=$(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'HELLO\r\n\r\n' >&3 &&
    timeout 5 head -c 12 <&3)
check "garbage request line refused (${c:-closed})" \
    bash -c "[[ '$c' != 'HTTP/1.1 200' ]]"
check "store unchanged by the abuse" test "$before" = "$(snap)"
check "healthz after the abuse" test "$(code "$B/healthz")" = 200

echo "# metrics agree"
curl -s "$B/metrics" >"$T/metrics"
check "licences 3" grep -q '^certd_store_licences 3$' "$T/metrics"
check "issuance ok 3" grep -q '^certd_issuance_total{result="ok"} 3$' \
    "$T/metrics"
check "404 counted by route" grep -q \
    'certd_http_requests_total{method="GET",route="/v1/licences/{id}",status="404"}' \
    "$T/metrics"
check "unmatched routes counted" grep -q 'route="unmatched",status="404"' \
    "$T/metrics"

echo "# log hygiene"
check "no token in the log" bash -c "! grep -qF -- '${ISS#ck_}' '$T/log' &&
    ! grep -qF -- '${APP#ck_}' '$T/log'"
check "no holder code or purpose in the log" bash -c \
    "! grep -qF -- '$HOLDER' '$T/log' && ! grep -qF 'api test' '$T/log'"

kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
check "SIGTERM exits 0" test "$rc" -eq 0

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
