#!/bin/bash
# certd crash test: concurrent issuers post licences to a real certd, which
# is killed with SIGKILL in the middle; after a restart on the same store,
# every issuance that was answered 201 must be there, hold the credential
# that was answered, and verify (POST /v1/verify and offline with sealkit).
# Three rounds on one store.  Also: the store holds no licence beyond the
# answered ones and the requests still in flight at the kill, and each
# stored licence is whole (it verifies).
set -u
: "${SK_SOURCE_DIR:?}" "${SK_BINARY_DIR:?}" "${SEALKIT:?}"
CERTD=${CERTD:-$SK_BINARY_DIR/certd/certd}
K=$SK_SOURCE_DIR/keys-example
LIC=$SK_SOURCE_DIR/api/examples/business-licence.json
HOLDER=91990100MA000004XB
TYPE=11990000000000107Q001
ISSUER=11990100000000019F
ROUNDS=3
WORKERS=${CRASH_WORKERS:-4}
# Issue for this long before the kill (seconds).
RUN_S=${CRASH_SECONDS:-1}

for tool in curl jq; do
	command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
[ -x "$CERTD" ] || { echo "no certd at $CERTD"; exit 1; }

T=$(mktemp -d)
PID=
ALL=	# every certd started here, so that none outlives the test
cleanup() {
	local p
	touch "$T/stop"
	for p in $ALL; do
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
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
ident() {
	echo "1.2.156.3005.2.$TYPE.$ISSUER.$1.001.$(check_char \
	    "$TYPE$ISSUER${1}001")"
}

"$SEALKIT" trust build --anchor-key "$K/anchor-ec.key.pem" \
    --anchor-cert "$K/anchor-ec.crt.pem" --issuer "$K/issuer-a.crt.pem" \
    --out "$T/list.cose" >/dev/null
"$CERTD" init --store "$T/store" --anchors "$K/trust-anchors.pem" \
    --trust-list "$T/list.cose" \
    --issuer "$K/issuer-a.crt.pem:$K/issuer-a.key.pem" >/dev/null ||
    { echo "init failed"; exit 1; }
ISS=$("$CERTD" client add --store "$T/store" --name issuer \
    --scope licences:issue)
APP=$("$CERTD" client add --store "$T/store" --name reader \
    --scope licences:read)
# The licence template: no status claim (each licence would otherwise
# point at the same status list entry).
TPL=$(jq -c 'del(.status)' "$LIC")
ID0=$(jq -r .identifier "$LIC")

start() {
	: >"$T/log.$1"
	"$CERTD" run --store "$T/store" --listen 127.0.0.1:0 --threads 4 \
	    2>"$T/log.$1" &
	PID=$!
	ALL="$ALL $PID"
	PORT=
	for _ in $(seq 150); do
		PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$T/log.$1" |
		    cut -d: -f2)
		[ -n "$PORT" ] && break
		sleep 0.1
	done
	[ -n "$PORT" ] || { cat "$T/log.$1"; return 1; }
	B=http://127.0.0.1:$PORT
}

# Worker $1 of round $2: issue until $T/stop exists; the body of every
# 201 is kept as $T/ok/<serial>.json.  Serials never repeat.
worker() {
	local w=$1 r=$2 k=0 serial id c
	while [ ! -e "$T/stop" ]; do
		k=$((k + 1))
		serial=R$r$w$(printf '%06d' $k)
		id=$(ident "$serial")
		c=$(curl -s -o "$T/resp.$w" -w '%{http_code}' --max-time 30 \
		    -X POST -H "Authorization: Bearer $ISS" \
		    -H 'Content-Type: application/json' \
		    --data-binary "${TPL/$ID0/$id}" "$B/v1/licences")
		case $c in
		201)	mv "$T/resp.$w" "$T/ok/$serial.json" ;;
		000)	echo "$serial" >>"$T/inflight" ;;
		*)	echo "$serial $c" >>"$T/errors" ;;
		esac
	done
}

mkdir "$T/ok"
: >"$T/errors"
start 0 || { bad "certd did not start"; exit 1; }
for r in $(seq $ROUNDS); do
	echo "# round $r"
	rm -f "$T/stop"
	: >"$T/inflight"
	pids=
	for w in $(seq "$WORKERS"); do
		worker "$w" "$r" &
		pids="$pids $!"
	done
	sleep "$RUN_S"
	kill -9 "$PID"
	wait "$PID" 2>/dev/null
	PID=
	touch "$T/stop"
	# shellcheck disable=SC2086
	wait $pids
	n=$(find "$T/ok" -name "R$r*" | wc -l)
	check "round $r: issuances answered 201 before the kill: $n" \
	    test "$n" -gt 0
	check "round $r: no refused issuance" test ! -s "$T/errors"
	# The restarted certd serves the next round.
	start "r$r" || { bad "round $r: certd did not restart"; break; }
	check "round $r: restarted on the same store" test \
	    "$(curl -s -o /dev/null -w '%{http_code}' "$B/healthz")" = 200
done

echo "# every answered issuance, after the last restart"
Q="purpose=crash%20test&matter=M1"
mkdir "$T/got" "$T/ver"
# One curl for all the GETs and one for all the verifications (a process
# per request would take longer than the rounds).
: >"$T/get.cfg"
: >"$T/ver.cfg"
for f in "$T"/ok/*.json; do
	jq -r '[.id, .qr_text] | @tsv' "$f"
done >"$T/answered.tsv"
total=$(wc -l <"$T/answered.tsv")
i=0
while IFS=$'\t' read -r id qr; do
	i=$((i + 1))
	n=$(printf '%06d' $i)
	# Identifiers and QR texts ([0-9A-Z $%*+-./:]) need no escaping.
	[ $i -gt 1 ] && echo next >>"$T/get.cfg" && echo next >>"$T/ver.cfg"
	printf 'url = "%s/v1/licences/%s?%s"\noutput = "%s"\nheader = "%s"\n' \
	    "$B" "$id" "$Q" "$T/got/$n.json" "Authorization: Bearer $APP" \
	    >>"$T/get.cfg"
	printf 'url = "%s/v1/verify"\noutput = "%s"\nheader = "%s"\ndata-binary = "{\\"qr_text\\": \\"%s\\"}"\n' \
	    "$B" "$T/ver/$n.json" "Content-Type: application/json" "$qr" \
	    >>"$T/ver.cfg"
	printf '%s\n' "$qr" >"$T/qr.$n.txt"
done <"$T/answered.tsv"
curl -s -K "$T/get.cfg"
curl -s -K "$T/ver.cfg"
# The answers, in the same order as the GETs.
for f in "$T"/ok/*.json; do
	jq -c '[.id, .credential]' "$f"
done >"$T/want"
# shellcheck disable=SC2046
jq -c '[.id, .credential]' $(ls "$T"/got/*.json) >"$T/have" 2>/dev/null
missing=$(diff "$T/want" "$T/have" | grep -c '^>')
# shellcheck disable=SC2046
valid=$(jq -c '[.valid, .record]' $(ls "$T"/ver/*.json) 2>/dev/null |
    grep -cx '\[true,"valid"\]')
offline=0
for q in "$T"/qr.*.txt; do
	"$SEALKIT" licence verify --qr-text "$q" --trust-list "$T/list.cose" \
	    --anchors "$K/trust-anchors.pem" >/dev/null &&
	    offline=$((offline + 1))
done
check "answered issuances: $total" test "$total" -gt 0
check "every answered issuance is stored, with the answered credential" \
    test "$missing" -eq 0 -a "$(wc -l <"$T/have")" -eq "$total"
check "each verifies via POST /v1/verify ($valid)" test "$valid" -eq "$total"
check "each verifies offline with sealkit ($offline)" test \
    "$offline" -eq "$total"

echo "# nothing else, and nothing torn"
stored=$(curl -s "$B/metrics" | awk '/^certd_store_licences / { print $2 }')
inflight=$(sort -u "$T/inflight" | wc -l)
# Only the requests in flight at a kill may have been stored unanswered.
check "stored $stored = answered $total + at most $((ROUNDS * WORKERS)) in flight" \
    test "$stored" -ge "$total" -a "$stored" -le $((total + ROUNDS * WORKERS))
after=
: >"$T/listed"
while :; do
	page=()
	[ -n "$after" ] && page=(--data-urlencode "after=$after")
	c=$(curl -s -o "$T/page" -w '%{http_code}' --get \
	    -H "Authorization: Bearer $APP" "${page[@]}" \
	    "$B/v1/licences?holder=$HOLDER&limit=100&$Q")
	[ "$c" = 200 ] || { bad "list: $c"; break; }
	jq -r '.items[] | [.id, .qr_text] | @tsv' "$T/page" >>"$T/listed"
	after=$(jq -r '.next // empty' "$T/page")
	[ -n "$after" ] || break
done
check "the holder index lists every stored licence ($(wc -l <"$T/listed"))" \
    test "$(wc -l <"$T/listed")" -eq "$stored"
check "the listed ones include every answered one" test -z "$(comm -23 \
    <(cut -f1 "$T/answered.tsv" | sort) <(cut -f1 "$T/listed" | sort))"
# The unanswered ones that were stored are whole: they verify.
mkdir "$T/extra"
: >"$T/extra.cfg"
i=0
while IFS=$'\t' read -r id qr; do
	i=$((i + 1))
	[ $i -gt 1 ] && echo next >>"$T/extra.cfg"
	printf 'url = "%s/v1/verify"\noutput = "%s"\nheader = "%s"\ndata-binary = "{\\"qr_text\\": \\"%s\\"}"\n' \
	    "$B" "$T/extra/$i.json" "Content-Type: application/json" "$qr" \
	    >>"$T/extra.cfg"
done < <(grep -vFf <(cut -f1 "$T/answered.tsv") "$T/listed")
if [ "$i" -gt 0 ]; then
	curl -s -K "$T/extra.cfg"
	check "the $i stored but unanswered licences verify" test "$(cat \
	    "$T"/extra/*.json | jq -r .valid | grep -c true)" -eq "$i"
fi
echo "(requests without an answer at the kills: $inflight)"

kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
check "SIGTERM exits 0" test "$rc" -eq 0

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
