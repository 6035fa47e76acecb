#!/bin/bash
# certd rate limits and sandbox: run 1 with a tiny per-address limit
# (6/min, burst 3): the 4th quick request is 429 problem+json
# too-many-requests with Retry-After, and after waiting Retry-After
# seconds the next is 200 again; 404s count too (every route).  Run 2 with
# a tiny per-client limit: client A is limited while client B and public
# routes are not.  Both runs are sandboxed (the default); when root, run 2
# also drops to "nobody" and must still serve and write the store.
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
chmod 755 "$T"
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

# HTTP status; body to $T/body, headers to $T/hdr.
code() { curl -s -D "$T/hdr" -o "$T/body" -w '%{http_code}' "$@"; }
retry_after() { tr -d '\r' <"$T/hdr" | awk -F': ' \
    'tolower($1) == "retry-after" { print $2 }'; }

start() {
	: >"$T/log"
	"$CERTD" run --config "$1" --listen 127.0.0.1:0 --threads 2 \
	    2>"$T/log" &
	PID=$!
	PORT=
	for _ in $(seq 100); do
		PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$T/log" |
		    cut -d: -f2)
		grep -q 'serving with' "$T/log" && [ -n "$PORT" ] && break
		sleep 0.1
	done
	[ -n "$PORT" ] || { cat "$T/log"; return 1; }
	B=http://127.0.0.1:$PORT
}

stop() {
	kill -TERM "$PID"
	wait "$PID"
	local rc=$?
	PID=
	return $rc
}

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" >/dev/null
check "init" test $? -eq 0
A=$("$CERTD" client add --store "$T/store" --name client-a \
    --scope licences:issue --scope licences:read)
BTOK=$("$CERTD" client add --store "$T/store" --name client-b \
    --scope licences:read)

# 6 a minute: one token every 10 s, so a slow machine (ASan, -j2) cannot
# refill a bucket between requests that must see it empty.
echo "# run 1: per address, 6/min, burst 3"
cat >"$T/addr.json" <<EOF
{ "store": "$T/store", "rate_address_per_min": 6, "rate_address_burst": 3,
  "rate_client_per_min": 0 }
EOF
start "$T/addr.json" || bad "run 1 started"
check "sandbox on by default" grep -q 'sandbox: .*seccomp' "$T/log"
codes=
for _ in 1 2 3; do codes="$codes $(code "$B/healthz")"; done
check "burst of 3 allowed" test "$codes" = " 200 200 200"
c=$(code "$B/healthz")
check "4th request 429" test "$c" = 429
check "429 is problem+json" grep -qi \
    '^content-type: application/problem+json' "$T/hdr"
check "problem type too-many-requests" test "$(jq -r .type "$T/body")" = \
    https://certd.example/problems/too-many-requests
check "problem status 429" test "$(jq -r .status "$T/body")" = 429
RA=$(retry_after)
check "Retry-After in whole seconds ($RA)" test -n "$RA" -a "${RA//[0-9]/}" = ""
check "Retry-After 10 for 6/min" test "$RA" = 10
c=$(code "$B/no/such/route")
check "404 routes are limited too" test "$c" = 429
c=$(code -H "Authorization: Bearer $BTOK" "$B/v1/licences?holder=x")
check "a client token does not escape the address limit" test "$c" = 429
sleep "${RA:-10}"
sleep 0.2
check "after Retry-After: 200 again" test "$(code "$B/healthz")" = 200
check "and then limited again" test "$(code "$B/healthz")" = 429
check "the log names the 429" grep -q 'GET - 429\|GET /healthz 429' \
    "$T/log"
stop
check "run 1: SIGTERM exits 0 (sandboxed shutdown)" test $? -eq 0

echo "# run 2: per client, 6/min, burst 2"
USERKEY=
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	chown -R nobody "$T/store"
	USERKEY='"user": "nobody",'
fi
cat >"$T/client.json" <<EOF
{ "store": "$T/store", $USERKEY "rate_client_per_min": 6,
  "rate_client_burst": 2, "rate_address_per_min": 0 }
EOF
start "$T/client.json" || bad "run 2 started"
if [ -n "$USERKEY" ]; then
	check "dropped to nobody" grep -q 'sandbox: user dropped' "$T/log"
	check "process runs as nobody" test \
	    "$(awk '/^Uid:/ { print $2 $3 $4 $5 }' /proc/$PID/status)" = \
	    "$(id -u nobody)$(id -u nobody)$(id -u nobody)$(id -u nobody)"
fi
c=$(code -X POST -H "Authorization: Bearer $A" \
    -H 'Content-Type: application/json' --data-binary @"$LIC" \
    "$B/v1/licences")
check "client A issues (store written in the sandbox)" test "$c" = 201
c=$(code -H "Authorization: Bearer $A" "$B/v1/licences/x")
check "client A second request not limited" test "$c" != 429
c=$(code -H "Authorization: Bearer $A" "$B/v1/licences/x")
check "client A third request 429" test "$c" = 429
check "client 429 names the client class" grep -q 'client rate limit' \
    "$T/body"
check "client 429 Retry-After" test "$(retry_after)" = 10
c=$(code -H "Authorization: Bearer $BTOK" "$B/v1/licences/x")
check "client B not limited" test "$c" != 429
c=$(code -H "Authorization: Bearer $BTOK" "$B/v1/licences/x")
check "client B second not limited" test "$c" != 429
codes=
for _ in 1 2 3 4 5; do codes="$codes $(code "$B/healthz")"; done
check "public route without token not limited" test "$codes" = \
    " 200 200 200 200 200"
sleep 10.2
c=$(code -H "Authorization: Bearer $A" "$B/v1/licences/x")
check "client A allowed again after Retry-After" test "$c" != 429
stop
check "run 2: SIGTERM exits 0" test $? -eq 0

echo "# --no-sandbox"
"$CERTD" run --config "$T/addr.json" --listen 127.0.0.1:0 --no-sandbox \
    2>"$T/log" &
PID=$!
for _ in $(seq 100); do
	grep -q 'serving with' "$T/log" && break
	sleep 0.1
done
check "--no-sandbox says so" grep -q 'sandbox off' "$T/log"
stop
check "bad rate config refused" bash -c "echo '{\"rate_client_burst\": 0}' \
    >'$T/bad.json' && ! '$CERTD' run --config '$T/bad.json' \
    --store '$T/store' 2>/dev/null"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
