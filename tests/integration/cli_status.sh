#!/bin/bash
# sealkit status new/set/sign/show against independent expectations:
# python3-cbor2 and python3's zlib decode our token and list, the bits
# are read back with the draft's LSB-first rule, the ES256 signature is
# checked by the openssl CLI over a Sig_structure python rebuilds, and
# the draft's own example token (section 5.2) is read by "status show".
# Needs $SEALKIT, openssl and a python3 with cbor2.
set -euo pipefail

: "${SEALKIT:?set SEALKIT to the sealkit binary}"
SEALKIT=$(cd "$(dirname "$SEALKIT")" && pwd)/$(basename "$SEALKIT")
KEYS=${SK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/keys-example
W=$(mktemp -d "${TMPDIR:-/tmp}/sk-status.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
umask 022

PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import cbor2' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "no python3 with cbor2 (python3-cbor2)" >&2
	exit 1
fi

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() {
	local desc=$1; shift
	if "$@"; then ok; else bad "$desc"; fi
}
# rc WANT DESC CMD...: CMD must exit WANT; stdout in out, stderr in err.
rc() {
	local want=$1 desc=$2 got=0; shift 2
	"$@" >out 2>err || got=$?
	if grep -q -e 'Sanitizer' -e 'runtime error:' err; then
		bad "$desc: sanitizer report"
		sed 's/^/  stderr: /' err >&2
	elif [ "$got" -eq "$want" ]; then
		ok
	else
		bad "$desc: exit $got, want $want"
		sed 's/^/  stderr: /' err >&2
	fi
}

URI=https://zzk.example.gov.cn/status/7
KEY=$KEYS/issuer-a.key.pem
CERT=$KEYS/issuer-a.crt.pem

# --- usage ------------------------------------------------------------------
for v in new set sign show; do
	rc 0 "status $v --help" "$SEALKIT" status $v --help
done
check "show --help names --cert" grep -q -- --cert out
rc 2 "new: too few entries" "$SEALKIT" status new --uri $URI \
    --entries 1000 --out x.bin
rc 2 "new: bits 3" "$SEALKIT" status new --uri $URI --entries 131072 \
    --bits 3 --out x.bin
rc 2 "new: no --uri" "$SEALKIT" status new --entries 131072 --out x.bin
check "nothing written on usage errors" test ! -e x.bin

# --- working list -------------------------------------------------------------
rc 0 "new" "$SEALKIT" status new --uri $URI --entries 131072 --out l.bin
rc 3 "new refuses to overwrite" "$SEALKIT" status new --uri $URI \
    --entries 131072 --out l.bin
rc 0 "set 3 invalid" "$SEALKIT" status set --list l.bin --idx 3 \
    --status invalid
rc 0 "set 131071 suspended" "$SEALKIT" status set --list l.bin \
    --idx 131071 --status suspended
rc 0 "set 4 suspended" "$SEALKIT" status set --list l.bin --idx 4 \
    --status suspended
rc 0 "set 4 back to valid" "$SEALKIT" status set --list l.bin --idx 4 \
    --status valid
rc 2 "set out of range" "$SEALKIT" status set --list l.bin --idx 131072 \
    --status invalid
rc 2 "set value over 2 bits" "$SEALKIT" status set --list l.bin --idx 1 \
    --status 4
rc 2 "set unknown status" "$SEALKIT" status set --list l.bin --idx 1 \
    --status gone

# --- sign ---------------------------------------------------------------------
rc 2 "sign without ttl or exp" "$SEALKIT" status sign --list l.bin \
    --key "$KEY" --cert "$CERT" --out t.cwt
rc 3 "sign with another URI" "$SEALKIT" status sign --list l.bin \
    --key "$KEY" --cert "$CERT" --uri https://other.example/1 --ttl 60 \
    --out t.cwt
rc 3 "sign with a certificate of another key" "$SEALKIT" status sign \
    --list l.bin --key "$KEY" --cert "$KEYS/issuer-b.crt.pem" --ttl 60 \
    --out t.cwt
check "nothing written on errors" test ! -e t.cwt
rc 0 "sign" "$SEALKIT" status sign --list l.bin --key "$KEY" \
    --cert "$CERT" --uri $URI --iat @1800000000 --ttl 43200 \
    --exp @1800086400 --out t.cwt

# Independent decode: cbor2 + zlib, the draft's LSB-first bit order, and
# the Sig_structure for openssl.
check "cbor2/zlib decode the token" "$PY" - "$URI" <<'EOF'
import sys, zlib, cbor2
uri = sys.argv[1]
tok = open("t.cwt", "rb").read()
msg = cbor2.loads(tok)
assert isinstance(msg, list) and len(msg) == 4, "untagged COSE_Sign1"
prot = cbor2.loads(msg[0])
assert prot[1] == -7 and prot[16] == "application/statuslist+cwt", prot
assert len(prot[4]) == 8 and msg[1] == {}, "kid, empty unprotected"
claims = cbor2.loads(msg[2])
assert sorted(claims) == [2, 4, 6, 65533, 65534], claims.keys()
assert claims[2] == uri and claims[6] == 1800000000
assert claims[4] == 1800086400 and claims[65534] == 43200
sl = claims[65533]
assert set(sl) == {"bits", "lst"} and sl["bits"] == 2
raw = zlib.decompress(sl["lst"])
assert len(raw) == 131072 * 2 // 8
st = lambda i: (raw[i // 4] >> (2 * (i % 4))) & 3
assert st(3) == 1 and st(131071) == 2 and st(4) == 0
assert sum(1 for i in range(131072) if st(i)) == 2
assert raw[0] == 0x40 and raw[-1] == 0x80, (raw[0], raw[-1])
assert sl["lst"] == zlib.compress(raw, 9), "zlib level 9"
tbs = cbor2.dumps(["Signature1", msg[0], b"", msg[2]])
open("tbs.bin", "wb").write(tbs)
sig = msg[3]
assert len(sig) == 64
def der_int(b):
    b = b.lstrip(b"\0") or b"\0"
    if b[0] & 0x80:
        b = b"\0" + b
    return b"\x02" + bytes([len(b)]) + b
seq = der_int(sig[:32]) + der_int(sig[32:])
open("sig.der", "wb").write(b"\x30" + bytes([len(seq)]) + seq)
EOF
openssl x509 -in "$CERT" -pubkey -noout >pub.pem
rc 0 "openssl verifies the ES256 signature" openssl dgst -sha256 \
    -verify pub.pem -signature sig.der tbs.bin

# --- show ---------------------------------------------------------------------
rc 0 "show unverified" "$SEALKIT" status show --in t.cwt --idx 3
check "show says NOT VERIFIED" grep -q "NOT VERIFIED" out
check "show: idx 3 invalid" grep -q "idx 3: *invalid" out
rc 0 "show verified, fresh" "$SEALKIT" status show --in t.cwt \
    --cert "$CERT" --at @1800040000 --idx 131071 --json
check "show --json fields" "$PY" -c '
import json, sys
o = json.load(open("out"))
assert o["verified"] and o["fresh"] and o["status"] == "suspended", o
assert o["counts"] == {"valid": 131070, "invalid": 1, "suspended": 1,
    "other": 0}, o
assert o["entries"] == 131072 and o["bits"] == 2 and o["ttl"] == 43200
'
rc 1 "stale by ttl" "$SEALKIT" status show --in t.cwt --cert "$CERT" \
    --at @1800043201
rc 0 "ttl boundary" "$SEALKIT" status show --in t.cwt --cert "$CERT" \
    --at @1800043200
rc 1 "before iat" "$SEALKIT" status show --in t.cwt --cert "$CERT" \
    --at @1799999999
rc 1 "idx out of range" "$SEALKIT" status show --in t.cwt \
    --cert "$CERT" --at @1800000001 --idx 131072
rc 1 "wrong certificate" "$SEALKIT" status show --in t.cwt \
    --cert "$KEYS/issuer-b.crt.pem" --at @1800000001
"$PY" -c '
d = bytearray(open("t.cwt", "rb").read())
d[-70] ^= 0x01
open("bad.cwt", "wb").write(d)'
rc 1 "tampered token" "$SEALKIT" status show --in bad.cwt \
    --cert "$CERT" --at @1800000001
rc 3 "not a token" "$SEALKIT" status show --in l.bin

# Stale by exp: a second token with exp before iat + ttl.
rc 0 "sign with exp" "$SEALKIT" status sign --list l.bin --key "$KEY" \
    --cert "$CERT" --iat @1800000000 --exp @1800000100 --out e.cwt
rc 0 "fresh before exp" "$SEALKIT" status show --in e.cwt --cert "$CERT" \
    --at @1800000099
rc 1 "stale at exp" "$SEALKIT" status show --in e.cwt --cert "$CERT" \
    --at @1800000100

# The draft's example token (examples/status_list_cwt): 16 entries.
"$PY" -c '
import sys
h = ("d2845820a2012610781a6170706c69636174696f6e2f7374617475736c6973742b63"
"7774a1044231325850a502782168747470733a2f2f6578616d706c652e636f6d2f73"
"74617475736c697374732f31061a648c5bea041a8898dfea19fffe19a8c019fffda2"
"646269747301636c73744a78dadbb918000217015d584093fa4d01032b18c35e2fe1"
"101b77fd6cc9440022caa4694450c4e4e9feab4e99d1fa6d9772ce2bf3a12e0323de"
"d7c982c5e101a5e67f0cbc1e2b6f57ce99c279")
open("draft.cwt", "wb").write(bytes.fromhex(h))'
rc 0 "show the draft example" "$SEALKIT" status show --in draft.cwt \
    --idx 15 --at @1686920171
check "draft example: uri" grep -q "https://example.com/statuslists/1" out
check "draft example: 16 entries, 9 invalid" grep -q "invalid:   9" out
check "draft example: idx 15" grep -q "idx 15: *invalid" out
rc 1 "draft example: not signed by our issuer" "$SEALKIT" status show \
    --in draft.cwt --cert "$CERT"

echo "cli_status: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
