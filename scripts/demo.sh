#!/bin/sh
# The sealkit demo: a business licence issued, printed as a QR code, read
# back by an independent decoder (zbarimg) and verified offline; then a
# tampered copy failing.  Uses the example PKI in keys-example/ (its keys
# are public: examples only).  Writes into var/demo/ (git-ignored).
# Usage: scripts/demo.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build/demo
out=$top/var/demo
keys=$top/keys-example
lic=$top/api/examples/business-licence.json
sk=$build/sealkit/sealkit

step() {
	printf '\n==> %s\n' "$*"
}

step "1. Dependencies (scripts/deps.sh)"
"$top/scripts/deps.sh"

step "2. Build (gcc, release, $build)"
if [ ! -f "$build/build.ninja" ]; then
	cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
	    -DCMAKE_C_COMPILER=gcc >/dev/null
fi
mkdir -p "$out"
if ! ninja -C "$build" sealkit >"$out/build.log" 2>&1; then
	cat "$out/build.log" >&2
	exit 1
fi
echo "built $sk"

step "3. Trust list: anchor-ec signs the issuer certificate of authority A"
"$sk" trust build --anchor-key "$keys/anchor-ec.key.pem" \
    --anchor-cert "$keys/anchor-ec.crt.pem" \
    --issuer "$keys/issuer-a.crt.pem" --out "$out/trust-list.cose" --force
"$sk" trust show --in "$out/trust-list.cose" \
    --anchors "$keys/trust-anchors.pem"

step "4. Issue api/examples/business-licence.json (ES256, issuer-a)"
"$sk" licence issue --in "$lic" --key "$keys/issuer-a.key.pem" \
    --cert "$keys/issuer-a.crt.pem" --out "$out/licence.cose" \
    --qr-text "$out/licence.txt" --force
echo "credential: $(wc -c <"$out/licence.cose") bytes;" \
    "QR text: $(head -c 40 "$out/licence.txt")..."

step "5. The QR code in the terminal"
"$sk" licence qr --in "$out/licence.cose" --format text

step "6. The QR code as PNG and SVG"
"$sk" licence qr --in "$out/licence.cose" --format png \
    --out "$out/licence.png" --force
"$sk" licence qr --in "$out/licence.cose" --format svg \
    --out "$out/licence.svg" --force 2>/dev/null
echo "wrote $out/licence.png and $out/licence.svg"

step "7. Read the PNG back with zbarimg (an independent QR decoder)"
zbarimg --raw -q "$out/licence.png" >"$out/zbarimg.txt" 2>/dev/null
if cmp -s "$out/zbarimg.txt" "$out/licence.txt"; then
	echo "zbarimg read the same $(wc -c <"$out/zbarimg.txt") bytes"
else
	echo "zbarimg read something else" >&2
	exit 1
fi

# The licence refers to entry 4242 of this status list; authority A
# publishes it (only if this sealkit has the "status" group).
status=""
if "$sk" status --help >/dev/null 2>&1; then
	step "7b. Status list of authority A (entry 4242 valid)"
	"$sk" status new --uri https://certd.example/v1/status/1 \
	    --entries 131072 --out "$out/status.list" --force
	"$sk" status sign --list "$out/status.list" \
	    --key "$keys/issuer-a.key.pem" --cert "$keys/issuer-a.crt.pem" \
	    --ttl 86400 --out "$out/status.cose" --force
	echo "wrote $out/status.cose"
	status="--status $out/status.cose"
fi

step "8. Verify what zbarimg read, with the trust list"
rc=0
# shellcheck disable=SC2086
"$sk" licence verify --qr-text "$out/zbarimg.txt" \
    --trust-list "$out/trust-list.cose" \
    --anchors "$keys/trust-anchors.pem" $status || rc=$?
echo "(exit status $rc)"
if [ "$rc" -ne 0 ]; then
	echo "the credential did not verify" >&2
	exit 1
fi

step "9. A copy with one character changed must fail"
text=$(cat "$out/zbarimg.txt")
i=$((${#text} / 2))
head=$(printf '%s' "$text" | cut -c1-"$i")
tail=$(printf '%s' "$text" | cut -c$((i + 2))-)
c=$(printf '%s' "$text" | cut -c$((i + 1)))
if [ "$c" = A ]; then new=B; else new=A; fi
printf '%s%s%s\n' "$head" "$new" "$tail" >"$out/tampered.txt"
echo "character $((i + 1)): '$c' -> '$new'"
rc=0
# shellcheck disable=SC2086
"$sk" licence verify --qr-text "$out/tampered.txt" \
    --trust-list "$out/trust-list.cose" \
    --anchors "$keys/trust-anchors.pem" $status || rc=$?
echo "(exit status $rc)"
if [ "$rc" -ne 1 ]; then
	echo "the tampered copy was not rejected" >&2
	exit 1
fi

step "Files"
for f in trust-list.cose licence.cose licence.txt licence.png licence.svg \
    zbarimg.txt tampered.txt status.cose; do
	if [ -f "$out/$f" ]; then
		echo "  $out/$f"
	fi
done
