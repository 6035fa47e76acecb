#!/bin/bash
# The main job through certd: start the licence daemon on 127.0.0.1 with
# the example PKI of keys-example/ (its keys are public: examples only)
# and a fresh store under var/demo-store, issue the example business
# licence over HTTP, print its QR code in the terminal and the URLs to
# fetch and verify it, scan the QR image certd renders with zbarimg,
# verify what was scanned with POST /v1/verify and offline with sealkit,
# and show a tampered copy failing.
#
# Usage: scripts/demo.sh [--keep]
#   --keep  leave certd running afterwards (prints how to stop it).
# Files: var/demo-store (the store, recreated each run), var/demo (the
# trust list, tokens, answers, certd.log); both git-ignored.
set -eu

keep=0
case "${1:-}" in
--keep)	keep=1 ;;
"")	;;
*)	echo "usage: scripts/demo.sh [--keep]" >&2; exit 2 ;;
esac

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build/demo
out=$top/var/demo
store=$top/var/demo-store
keys=$top/keys-example
lic=$top/api/examples/business-licence.json
sk=$build/sealkit/sealkit
certd=$build/certd/certd

step() {
	printf '\n==> %s\n' "$*"
}

step "1. Dependencies (scripts/deps.sh)"
"$top/scripts/deps.sh"

step "2. Build (gcc, release, $build)"
if [ ! -f "$build/build.ninja" ]; then
	cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_COMPILER=gcc -DBUILD_TESTING=OFF >/dev/null
fi
mkdir -p "$out"
if ! ninja -C "$build" certd sealkit >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	exit 1
fi
echo "built $certd and $sk"

step "3. Trust list: anchor-ec signs the issuer certificate of authority A"
"$sk" trust build --anchor-key "$keys/anchor-ec.key.pem" \
    --anchor-cert "$keys/anchor-ec.crt.pem" \
    --issuer "$keys/issuer-a.crt.pem" --out "$out/trust-list.cose" --force
"$sk" trust show --in "$out/trust-list.cose" \
    --anchors "$keys/trust-anchors.pem"

step "4. A fresh store in var/demo-store, with two clients"
rm -rf "$store"
"$certd" init --store "$store" --anchors "$keys/trust-anchors.pem" \
    --trust-list "$out/trust-list.cose" \
    --issuer "$keys/issuer-a.crt.pem:$keys/issuer-a.key.pem"
umask 077
"$certd" client add --store "$store" --name issuing-system \
    --scope licences:issue --scope licences:status \
    --scope licences:qr >"$out/issuing-system.token"
"$certd" client add --store "$store" --name approval-system \
    --scope licences:read >"$out/approval-system.token"
umask 022
iss=$(cat "$out/issuing-system.token")
echo "tokens (shown once by certd, kept here for the demo):"
echo "  issuing-system   licences:issue licences:status licences:qr" \
    "-> $out/issuing-system.token"
echo "  approval-system  licences:read -> $out/approval-system.token"

step "5. certd run on 127.0.0.1 (a free port)"
"$certd" run --store "$store" --listen 127.0.0.1:0 --threads 2 \
    </dev/null >/dev/null \
    2>"$out/certd.log" &
pid=$!
stop_certd() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		pid=
	fi
}
trap stop_certd EXIT INT TERM
port=
for _ in $(seq 100); do
	port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$out/certd.log" |
	    cut -d: -f2 || true)
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$port" ]; then
	cat "$out/certd.log" >&2
	exit 1
fi
base=http://127.0.0.1:$port
echo "certd (pid $pid) listening on $base; log: $out/certd.log"
curl -sf "$base/healthz"
echo

step "6. POST /v1/licences: issue api/examples/business-licence.json"
code=$(curl -s -o "$out/issued.json" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $iss" -H 'Content-Type: application/json' \
    --data-binary @"$lic" "$base/v1/licences")
if [ "$code" != 201 ]; then
	echo "issuance answered $code:" >&2
	cat "$out/issued.json" >&2
	exit 1
fi
id=$(jq -r .id "$out/issued.json")
jq -r .credential "$out/issued.json" | base64 -d >"$out/licence.cose"
jq -r .qr_text "$out/issued.json" >"$out/licence.txt"
jq '{id, status, issued_at, holder: .licence.holder_name,
    name: .licence.name, links}' "$out/issued.json"
echo "credential: $(wc -c <"$out/licence.cose") bytes; QR text:" \
    "$(head -c 40 "$out/licence.txt")..."

step "7. The QR code in the terminal (the holder shows this)"
"$sk" licence qr --in "$out/licence.cose" --format text

step "8. Where to fetch and verify it"
q="purpose=demo&matter=11110000000013338W3000117000002"
cat <<EOF
licence (a recorded pull: purpose and matter code are required):
  $base/v1/licences/$id?$q
QR image (PNG and SVG):
  $base/v1/licences/$id/qr.png
  $base/v1/licences/$id/qr.svg
verification (public), the signed trust list, health, metrics:
  $base/v1/verify   $base/v1/trust   $base/healthz   $base/metrics

curl -H "Authorization: Bearer \$(cat $out/approval-system.token)" \\
    '$base/v1/licences/$id?$q'
curl -H "Authorization: Bearer \$(cat $out/issuing-system.token)" \\
    -o licence.png '$base/v1/licences/$id/qr.png'
curl -H 'Content-Type: application/json' \\
    -d "{\"qr_text\": \"\$(cat $out/licence.txt)\"}" $base/v1/verify
EOF

step "9. Scan certd's QR image with zbarimg (an independent decoder)"
curl -sf -H "Authorization: Bearer $iss" -o "$out/licence.png" \
    "$base/v1/licences/$id/qr.png"
zbarimg --raw -q "$out/licence.png" 2>/dev/null | tr -d '\n' \
    >"$out/scanned.txt"
if [ "$(cat "$out/scanned.txt")" = "$(cat "$out/licence.txt")" ]; then
	echo "zbarimg read the $(wc -c <"$out/scanned.txt") characters" \
	    "certd issued"
else
	echo "zbarimg read something else" >&2
	exit 1
fi

verify() {
	jq -c -n --rawfile t "$1" '{qr_text: ($t | rtrimstr("\n"))}' |
	    curl -s -X POST -H 'Content-Type: application/json' \
	    --data-binary @- "$base/v1/verify" >"$2"
	jq '{valid, reasons, record, alg, signer,
	    licence: (.licence | if . then {identifier, holder_name}
	    else null end)}' "$2"
}

step "10. POST /v1/verify of what was scanned"
verify "$out/scanned.txt" "$out/verdict.json"
if [ "$(jq -r .valid "$out/verdict.json")" != true ]; then
	echo "certd did not find the licence valid" >&2
	exit 1
fi
echo "offline, with sealkit and the trust list only:"
"$sk" licence verify --qr-text "$out/scanned.txt" \
    --trust-list "$out/trust-list.cose" \
    --anchors "$keys/trust-anchors.pem" | head -n 1

step "11. A copy with one character changed must fail"
text=$(cat "$out/scanned.txt")
i=$((${#text} / 2))
c=${text:i:1}
if [ "$c" = A ]; then new=B; else new=A; fi
printf '%s%s%s\n' "${text:0:i}" "$new" "${text:i+1}" >"$out/tampered.txt"
echo "character $((i + 1)): '$c' -> '$new'"
verify "$out/tampered.txt" "$out/tampered-verdict.json"
if [ "$(jq -r .valid "$out/tampered-verdict.json")" != false ]; then
	echo "the tampered copy was not rejected" >&2
	exit 1
fi

step "12. The request log (route templates only: no codes or purposes)"
grep -E ' (GET|POST) ' "$out/certd.log" | tail -n 6

if [ "$keep" -eq 1 ]; then
	trap - EXIT INT TERM
	step "certd keeps running (pid $pid) on $base"
	echo "stop it with:  kill $pid"
	exit 0
fi
step "Stopping certd (SIGTERM; --keep leaves it running)"
stop_certd
trap - EXIT INT TERM
echo "stopped; the store stays in $store"
