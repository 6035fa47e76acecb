#!/bin/bash
# certd benchmarks (issue 4).  Every figure is a ratio to a reference
# measured in the same run on the same machine, never an absolute target:
#
#   GET /v1/licences/{id}      / a bare libmicrohttpd server (bench_bare_mhd,
#                                certd's MHD options, the same JSON body)
#                                target >= 0.7
#   POST /v1/licences (durable) / `openssl speed` ECDSA P-256 signs/s on one
#                                core (the issuer's algorithm)  target >= 0.5
#   POST /v1/verify (QR text)  / `openssl speed -multi <cores>` verifies/s,
#                                the machine's rate              target >= 0.6
#
# plus latency percentiles (wrk --latency), certd's resident memory and
# lookup latency with 10 thousand and with 1 million licences stored.
#
# Usage: bench/certd.sh [SECONDS]   (default 10 per measurement)
# Environment: BENCH_CONNECTIONS (default 32), BENCH_LICENCES (default
# 1000000), BENCH_THREADS (certd and bare server threads, default 4).
# Builds a release tree in build/bench, works in a temporary directory,
# prints a Markdown report on stdout (docs/PERFORMANCE.md holds one run).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-10}
conns=${BENCH_CONNECTIONS:-32}
big=${BENCH_LICENCES:-1000000}
threads=${BENCH_THREADS:-4}
cores=$(nproc)
build=$top/build/bench
keys=$top/keys-example
lic=$top/api/examples/business-licence.json

"$top/scripts/deps.sh" >/dev/null
if ! command -v wrk >/dev/null; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get install -y -qq wrk >/dev/null
fi
cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=gcc -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" --target certd sealkit bench_bare_mhd bench_load \
    >/dev/null
certd=$build/certd/certd
sk=$build/sealkit/sealkit

work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do
		kill -9 "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

log() { echo "bench: $*" >&2; }

# start NAME CMD...: run a server, wait for "listening on", set PID, PORT.
start() {
	local name=$1
	shift
	"$@" 2>"$work/$name.log" &
	PID=$!
	pids="$pids $PID"
	PORT=
	for _ in $(seq 300); do
		PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' \
		    "$work/$name.log" | cut -d: -f2 || true)
		[ -n "$PORT" ] && return 0
		sleep 0.1
	done
	cat "$work/$name.log" >&2
	exit 1
}
stop() {
	kill -TERM "$1"
	wait "$1" || true
}

# wrk_run NAME URL [wrk args]: requests/s; the full output in $work/NAME.
wrk_run() {
	local name=$1 url=$2
	shift 2
	wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" "$@" \
	    >"$work/$name" 2>&1
	if grep -q 'Non-2xx' "$work/$name" ||
	    ! grep -q '^Requests/sec:' "$work/$name"; then
		log "$name: wrk failed or some answers were not 2xx:"
		cat "$work/$name" >&2
		echo failed
		return 1
	fi
	awk '/^Requests\/sec:/ { print $2 }' "$work/$name"
}
# pct NAME P: the P% latency of a wrk run, in milliseconds.
pct() {
	awk -v p="$2%" '$1 == p {
	    v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
	    if (u == "us") v /= 1000; else if (u == "s") v *= 1000
	    printf "%.2f", v }' "$work/$1"
}
lat() {
	echo "$(pct "$1" 50) / $(pct "$1" 90) / $(pct "$1" 99)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rss() {
	awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 }
	    END { printf "%.0f MiB (anonymous %.0f MiB)", r / 1024, a / 1024 }' \
	    "/proc/$1/status"
}

log "openssl speed (references, ${secs}s each)"
# -mr: +F4:i:bits:sign/s:verify/s for ECDSA.  One core for signing; every
# core (-multi) for the machine's verification rate.
speed1=$(openssl speed -seconds "$secs" -mr ecdsap256 2>/dev/null |
    awk -F: '$1 == "+F4" { s = $4; v = $5 } END { print s, v }')
sign1=${speed1% *}
verify1=${speed1#* }
verifyn=$(openssl speed -seconds "$secs" -multi "$cores" -mr ecdsap256 \
    2>/dev/null | awk -F: '$1 == "+F4" { v = $5 } END { print v }')

log "store, trust list, clients"
"$sk" trust build --anchor-key "$keys/anchor-ec.key.pem" \
    --anchor-cert "$keys/anchor-ec.crt.pem" \
    --issuer "$keys/issuer-a.crt.pem" --out "$work/list.cose" >/dev/null
store=$work/store
"$certd" init --store "$store" --anchors "$keys/trust-anchors.pem" \
    --trust-list "$work/list.cose" --map-size-mb 16384 \
    --issuer "$keys/issuer-a.crt.pem:$keys/issuer-a.key.pem" >/dev/null
iss=$("$certd" client add --store "$store" --name bench-issuer \
    --scope licences:issue)
app=$("$certd" client add --store "$store" --name bench-reader \
    --scope licences:read)
# The per-address and per-client rate limits are off: one load generator
# on one address would measure the limiter.
cat >"$work/config.json" <<EOF
{ "store": "$store", "listen": "127.0.0.1:0", "threads": $threads,
  "map_size_mb": 16384, "log_level": "warn",
  "rate_address_per_min": 0, "rate_client_per_min": 0 }
EOF

start certd "$certd" run --config "$work/config.json"
cpid=$PID
B=http://127.0.0.1:$PORT
curl -sf -X POST -H "Authorization: Bearer $iss" \
    -H 'Content-Type: application/json' --data-binary @"$lic" \
    "$B/v1/licences" >"$work/issued.json"
id=$(jq -r .id "$work/issued.json")
jq -r .credential "$work/issued.json" | base64 -d >"$work/cred.cose"
jq -c '{qr_text: .qr_text}' "$work/issued.json" >"$work/verify.json"
# The bare server answers with the very body certd's GET answers with.
curl -sf -H "Authorization: Bearer $app" \
    "$B/v1/licences/$id?purpose=bench&matter=M1" >"$work/get.json"
start bare "$build/bench/bench_bare_mhd" 0 "$threads" "$work/get.json"
bpid=$PID
bare=http://127.0.0.1:$PORT

log "GET: bare server, then certd (${conns} connections, ${secs}s)"
r_bare=$(wrk_run bare "$bare/v1/licences/$id")
r_get=$(wrk_run get "$B" -s "$top/bench/get.lua" -- "$app" "$id")
stop "$bpid"
log "POST /v1/licences"
r_issue=$(wrk_run issue "$B" -s "$top/bench/issue.lua" -- "$iss" "$lic")
log "POST /v1/verify"
r_verify=$(wrk_run verify "$B" -s "$top/bench/verify.lua" -- \
    "$work/verify.json")
metrics=$(curl -s "$B/metrics")
commits=$(awk '/^certd_store_commits_total / { print $2 }' <<<"$metrics")
writes=$(awk '/^certd_store_writes_total / { print $2 }' <<<"$metrics")
stop "$cpid"

# Lookups by identifier at 10 thousand, then at $big licences: sets
# look_r (requests/s), look_rss, look_n (licences stored).
lookup() {
	local n=$1 have=$2
	log "load to $n licences"
	"$build/bench/bench_load" "$store" "$work/cred.cose" $((have + 1)) \
	    $((n - have)) 64 >"$work/load.$n" 2>&1 || {
		cat "$work/load.$n" >&2
		exit 1
	}
	start "certd.$n" "$certd" run --config "$work/config.json"
	B=http://127.0.0.1:$PORT
	log "random lookups among $n"
	look_r=$(wrk_run "look$n" "$B" -s "$top/bench/get.lua" -- "$app" - 1 "$n")
	look_rss=$(rss "$PID")
	look_n=$(curl -s "$B/metrics" |
	    awk '/^certd_store_licences / { print $2 }')
	stop "$PID"
}
small=10000
lookup $small 0
r_looksmall=$look_r rsssmall=$look_rss storedsmall=$look_n
t0=$(date +%s)
lookup "$big" $small
t1=$(date +%s)
r_lookbig=$look_r rssbig=$look_rss storedbig=$look_n

cat <<EOF
### One run: $(date -u +%Y-%m-%d), $(uname -m), $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(openssl version | cut -d' ' -f1,2)

\`bench/certd.sh $secs\`: wrk -t2 -c$conns, ${secs}s per measurement, certd
and the bare server with $threads threads, everything on this machine
(wrk shares the cores).

| measurement | certd /s | reference /s | ratio | target | p50 / p90 / p99 ms |
|---|---|---|---|---|---|
| GET /v1/licences/{id} (recorded pull) | $r_get | $r_bare (bare MHD, same body) | $(ratio "$r_get" "$r_bare") | 0.7 | $(lat get) (bare: $(lat bare)) |
| POST /v1/licences (durable issuance) | $r_issue | $sign1 (openssl ECDSA P-256 sign, 1 core) | $(ratio "$r_issue" "$sign1") | 0.5 | $(lat issue) |
| POST /v1/verify (QR text) | $r_verify | $verifyn (openssl ECDSA P-256 verify, $cores cores) | $(ratio "$r_verify" "$verifyn") | 0.6 | $(lat verify) |

openssl speed on one core: $sign1 signs/s, $verify1 verifies/s.  Group
commit during the run: $writes writes in $commits commits.

| licences stored | random GET by id /s | p50 / p90 / p99 ms | certd VmRSS |
|---|---|---|---|
| $storedsmall | $r_looksmall | $(lat look$small) | $rsssmall |
| $storedbig | $r_lookbig | $(lat look$big) | $rssbig |

Lookup throughput at $storedbig relative to $storedsmall: $(ratio "$r_lookbig" "$r_looksmall").
Loading: $(cat "$work/load.$small"); $(cat "$work/load.$big") (bench_load,
64 threads through certd's store API with group commit; $((t1 - t0)) s
including the lookups).
EOF
