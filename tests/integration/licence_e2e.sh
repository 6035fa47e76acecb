#!/bin/bash
# Licence credentials end to end through the sealkit tool, for ES256, SM2
# and Ed25519: trust build -> licence issue -> licence qr (PNG) -> zbarimg
# (an independent QR decoder) -> licence verify of the text zbarimg read.
# Then every failure reason through the command line, a tamper loop over
# every character of a QR text and every byte of a credential, and the
# generic mode (HC1: + base45(zlib(COSE_Sign1)), wrapped here by python3).
# Needs $SEALKIT, openssl, zbarimg (zbar-tools) and python3 with cbor2.
set -euo pipefail

: "${SEALKIT:?set SEALKIT to the sealkit binary}"
SEALKIT=$(cd "$(dirname "$SEALKIT")" && pwd)/$(basename "$SEALKIT")
SRC=${SK_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/api/examples
W=$(mktemp -d "${TMPDIR:-/tmp}/sk-lic.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
umask 022

for t in openssl zbarimg; do
	if ! command -v "$t" >/dev/null; then
		echo "SKIP: $t not found (scripts/deps.sh installs it)" >&2
		exit 77
	fi
done
PY=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import cbor2' 2>/dev/null; then PY=$p; break; fi
done
if [ -z "$PY" ]; then
	echo "no python3 with cbor2 (python3-cbor2)" >&2
	exit 1
fi

# The example PKI, or a fresh one made by the same script.
K=$SRC/keys-example
if [ ! -f "$K/issuer-a.key.pem" ] || [ ! -f "$K/issuer-b.key.pem" ]; then
	"$SRC/keys-example/generate.sh" "$W/pki" >/dev/null
	K=$W/pki
fi
ANCHORS=$K/trust-anchors.pem

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

sk() { "$SEALKIT" "$@"; }

# Python helpers: strict base45 (RFC 9285) and zlib level 9 (header 78 DA,
# what the LC1 profile requires), independent of libsealkit.
cat >wrap.py <<'EOF'
import sys, zlib
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
def b45(b):
    out = []
    for i in range(0, len(b) - 1, 2):
        n = b[i] * 256 + b[i + 1]
        out += [A[n % 45], A[n // 45 % 45], A[n // 2025]]
    if len(b) % 2:
        out += [A[b[-1] % 45], A[b[-1] // 45]]
    return "".join(out)
# wrap.py PREFIX FILE [raw]: PREFIX + base45(zlib(FILE)), or of FILE as is
prefix, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if len(sys.argv) < 4:
    data = zlib.compress(data, 9)
print(prefix + b45(data))
EOF
wrap() { "$PY" wrap.py "$@"; }

# jq-less JSON checks: jcheck FILE PYTHON-EXPR (j is the parsed object).
jcheck() {
	"$PY" -c 'import json,sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2"
}

# --- help and usage ------------------------------------------------------

help_mentions() {
	local cmd=$1 o; shift
	# shellcheck disable=SC2086
	rc 0 "$cmd --help" "$SEALKIT" $cmd --help
	for o in "$@"; do
		check "$cmd --help mentions $o" grep -q -- "$o" out
	done
}
rc 0 "licence --help" sk licence --help
rc 0 "trust --help" sk trust --help
help_mentions "licence issue" --in --key --cert --alg --iat --exp --out \
    --qr-text --password-file --password-env --force
help_mentions "licence show" --in --prefix --json "NOT VERIFIED"
help_mentions "licence qr" --in --format --ecc --scale --margin \
    --light-terminal --out --force
help_mentions "licence verify" --qr-text --in --image --trust-list \
    --anchors --cert --prefix --at --json malformed unknown_kid \
    bad_signature issuer_cert not_yet_valid expired revoked suspended \
    status_unknown
help_mentions "trust build" --anchor-key --anchor-cert --issuer --out \
    --iat --next-update --force
help_mentions "trust show" --in --anchors --at --json

# --- issuers and trust lists ---------------------------------------------

cat >ee.ext <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
SUBJ="/C=CN/O=示例市市场监督管理局/serialNumber=11990100000000019F"
# An Ed25519 issuer under the P-256 anchor, and an SM2 one under the SM2
# anchor, both for authority A (the business licence's issuer_code).
openssl genpkey -algorithm ed25519 -out ed.key 2>/dev/null
openssl req -new -key ed.key -utf8 -subj "$SUBJ/CN=A Ed25519" -out ed.csr
openssl x509 -req -in ed.csr -CA "$K/anchor-ec.crt.pem" \
    -CAkey "$K/anchor-ec.key.pem" -days 30 -extfile ee.ext -out ed.crt \
    2>/dev/null
openssl genpkey -algorithm SM2 -out sm.key 2>/dev/null
openssl req -new -key sm.key -utf8 -sm3 -sigopt distid:1234567812345678 \
    -subj "$SUBJ/CN=A SM2" -out sm.csr
openssl x509 -req -in sm.csr -CA "$K/anchor-sm2.crt.pem" \
    -CAkey "$K/anchor-sm2.key.pem" -sm3 -sigopt distid:1234567812345678 \
    -vfyopt distid:1234567812345678 -days 30 -extfile ee.ext -out sm.crt \
    2>/dev/null

# After the certificates: their notBefore is when they were made, and
# credentials issued at NOW must fall within their validity.
NOW=$(date +%s)
rc 0 "trust build (P-256 anchor)" sk trust build \
    --anchor-key "$K/anchor-ec.key.pem" --anchor-cert "$K/anchor-ec.crt.pem" \
    --issuer "$K/issuer-a.crt.pem" --issuer ed.crt --out list-ec
rc 0 "trust build (SM2 anchor)" sk trust build \
    --anchor-key "$K/anchor-sm2.key.pem" \
    --anchor-cert "$K/anchor-sm2.crt.pem" \
    --issuer "$K/issuer-b.crt.pem" --issuer sm.crt --out list-sm2
rc 0 "trust show --json" sk trust show --in list-ec --anchors "$ANCHORS" \
    --json
check "trust show lists both issuers" jcheck out \
    'j["valid"] and j["count"] == 2 and {i["uscc"] for i in j["issuers"]}
     == {"11990100000000019F"}'
rc 0 "trust show" sk trust show --in list-sm2 --anchors "$ANCHORS"
check "trust show names issuer B" grep -q 11990100000000027A out
rc 3 "trust build refuses to replace a list" sk trust build \
    --anchor-key "$K/anchor-ec.key.pem" --anchor-cert "$K/anchor-ec.crt.pem" \
    --issuer "$K/issuer-a.crt.pem" --out list-ec
rc 3 "trust build rejects an issuer of another anchor" sk trust build \
    --anchor-key "$K/anchor-ec.key.pem" --anchor-cert "$K/anchor-ec.crt.pem" \
    --issuer "$K/issuer-b.crt.pem" --out list-bad
check "no list written on failure" test ! -e list-bad
rc 3 "trust build rejects an anchor that is not the key's" sk trust build \
    --anchor-key "$K/anchor-ec.key.pem" --anchor-cert "$K/anchor-sm2.crt.pem" \
    --issuer "$K/issuer-b.crt.pem" --out list-bad
"$PY" -c 'import sys; b = bytearray(open("list-ec","rb").read())
b[-5] ^= 1; open("list-tampered","wb").write(b)'
rc 1 "trust show: tampered list" sk trust show --in list-tampered \
    --anchors "$ANCHORS"
rc 1 "trust show: list past next_update" sk trust show --in list-ec \
    --anchors "$ANCHORS" --at @$((NOW + 40 * 86400))
rc 2 "trust build: next-update before iat" sk trust build \
    --anchor-key "$K/anchor-ec.key.pem" --anchor-cert "$K/anchor-ec.crt.pem" \
    --issuer "$K/issuer-a.crt.pem" --iat 2026-05-01 --next-update 2026-04-01 \
    --out list-bad
rc 2 "trust build: bad time" sk trust build \
    --anchor-key "$K/anchor-ec.key.pem" --anchor-cert "$K/anchor-ec.crt.pem" \
    --issuer "$K/issuer-a.crt.pem" --iat 2026-02-30 --out list-bad

# --- issue -> QR PNG -> zbarimg -> verify, per algorithm --------------------

# name key cert licence list [issue options]
CASES="es256|$K/issuer-a.key.pem|$K/issuer-a.crt.pem|business-licence|list-ec|
sm2|$K/issuer-b.key.pem|$K/issuer-b.crt.pem|resident-permit|list-sm2|
sm2a|sm.key|sm.crt|business-licence|list-sm2|--iat @$NOW
ed25519|ed.key|ed.crt|business-licence|list-ec|--iat @$NOW"

: >qr-report
e2e() {
	local n=$1 key=$2 cert=$3 lic=$4 list=$5 opt=$6 ver chars alg
	# shellcheck disable=SC2086
	rc 0 "$n: issue" sk licence issue --in "$EX/$lic.json" --key "$key" \
	    --cert "$cert" --out "$n.cose" --qr-text "$n.txt" $opt
	rc 0 "$n: qr png" sk licence qr --in "$n.cose" --format png \
	    --out "$n.png"
	ver=$(sed -n 's/^QR version \([0-9]*\)-M, .*/\1/p' err)
	chars=$(sed -n 's/.*modules, \([0-9]*\) characters$/\1/p' err)
	check "$n: qr reports the version" test -n "$ver"
	echo "$n $lic ${ver:-?} ${chars:-?} $(wc -c <"$n.cose")" >>qr-report
	zbarimg --raw -q "$n.png" >"$n.zbar" 2>/dev/null || true
	check "$n: zbarimg reads the QR text issue wrote" cmp -s "$n.zbar" \
	    "$n.txt"
	rc 0 "$n: verify what zbarimg read" sk licence verify \
	    --qr-text "$n.zbar" --trust-list "$list" --anchors "$ANCHORS"
	check "$n: VALID" test "$(head -n 1 out)" = VALID
	check "$n: licence printed" grep -q "issuer_code" out
	rc 0 "$n: verify --json" sk licence verify --qr-text - \
	    --trust-list "$list" --anchors "$ANCHORS" --json <"$n.zbar"
	case $n in es256) alg=ES256 ;; ed25519) alg=EdDSA ;; *) alg=SM2-SM3 ;;
	esac
	check "$n: JSON verdict" jcheck out "j['valid'] is True and
	    j['reasons'] == [] and j['alg'] == '$alg' and
	    j['licence']['issuer_code'] == '$(grep -o '"issuer_code": "[^"]*"' \
	    "$EX/$lic.json" | cut -d'"' -f4)'"
	rc 0 "$n: verify --image" sk licence verify --image "$n.png" \
	    --trust-list "$list" --anchors "$ANCHORS"
	rc 0 "$n: verify --in" sk licence verify --in "$n.cose" \
	    --trust-list "$list" --anchors "$ANCHORS"
	rc 0 "$n: qr svg" sk licence qr --in "$n.txt" --format svg \
	    --out "$n.svg"
	check "$n: svg" grep -q '<svg' "$n.svg"
	rc 0 "$n: qr text" sk licence qr --in "$n.cose" --format text
	check "$n: terminal blocks" grep -q '█' out
	rc 0 "$n: qr qrtext" sk licence qr --in "$n.cose" --format qrtext
	check "$n: qrtext is the issued text" cmp -s out "$n.txt"
	rc 0 "$n: show" sk licence show --in "$n.zbar"
	check "$n: show says NOT VERIFIED" grep -q "NOT VERIFIED" out
}
while IFS='|' read -r n key cert lic list opt; do
	e2e "$n" "$key" "$cert" "$lic" "$list" "$opt"
done <<<"$CASES"

echo "QR of the example licences at ECC M (name licence version chars" \
    "cose-bytes):" >&2
sed 's/^/  /' qr-report >&2
while read -r n lic ver _; do
	[ "$lic" = business-licence ] || continue
	check "$n: business licence QR version $ver <= 20 at M" \
	    test "${ver:-99}" -le 20
done <qr-report

# --- issue errors ----------------------------------------------------------

sed 's/"issuer_code": "11990100000000019F"/"issuer_code": "11990100000000019G"/' \
    "$EX/business-licence.json" >bad-field.json
rc 3 "issue: invalid licence" sk licence issue --in bad-field.json \
    --key "$K/issuer-a.key.pem" --cert "$K/issuer-a.crt.pem" --out x.cose
check "issue: the error names the field" grep -q issuer_code err
rc 3 "issue: issuer_code is not the cert's USCC" sk licence issue \
    --in "$EX/business-licence.json" --key "$K/issuer-b.key.pem" \
    --cert "$K/issuer-b.crt.pem" --out x.cose
check "issue: mismatch named" grep -q "11990100000000027A" err
rc 3 "issue: cert not for the key" sk licence issue \
    --in "$EX/business-licence.json" --key ed.key \
    --cert "$K/issuer-a.crt.pem" --out x.cose
check "issue: nothing written" test ! -e x.cose
rc 3 "issue: existing output" sk licence issue \
    --in "$EX/business-licence.json" --key "$K/issuer-a.key.pem" \
    --cert "$K/issuer-a.crt.pem" --out es256.cose
rc 2 "issue: no output" sk licence issue --in "$EX/business-licence.json" \
    --key "$K/issuer-a.key.pem" --cert "$K/issuer-a.crt.pem"
rc 3 "issue: exp before iat" sk licence issue \
    --in "$EX/business-licence.json" --key "$K/issuer-a.key.pem" \
    --cert "$K/issuer-a.crt.pem" --exp 2026-01-01T00:00:00Z --out x.cose
rc 3 "qr: refuses what is not a credential" sk licence qr --in ee.ext \
    --format qrtext
rc 2 "qr: png needs --out" sk licence qr --in es256.cose
rc 2 "qr: bad ecc" sk licence qr --in es256.cose --ecc X --format text
rc 0 "qr: ecc H is a bigger symbol" sk licence qr --in sm2.cose --ecc H \
    --format qrtext
check "qr: ecc H reported" grep -q 'QR version [0-9]*-H' err
rc 2 "verify: two inputs" sk licence verify --in es256.cose \
    --image es256.png --trust-list list-ec --anchors "$ANCHORS"
rc 2 "verify: no anchors" sk licence verify --in es256.cose \
    --trust-list list-ec
rc 2 "verify: --cert with --trust-list" sk licence verify --in es256.cose \
    --trust-list list-ec --anchors "$ANCHORS" --cert "$K/issuer-a.crt.pem"
rc 3 "verify: missing trust list" sk licence verify --in es256.cose \
    --trust-list nonexistent --anchors "$ANCHORS"
rc 3 "verify: tampered trust list" sk licence verify --in es256.cose \
    --trust-list list-tampered --anchors "$ANCHORS"

# --- every failure reason --------------------------------------------------

# reason NAME STAGE DESC ARGS...: verify --json exits 1 with exactly the
# reason NAME (and, for malformed, the stage).
reason() {
	local name=$1 stage=$2 desc=$3; shift 3
	rc 1 "$desc" sk licence verify --json "$@"
	check "$desc: reasons == [$name]" jcheck out \
	    "j['valid'] is False and j['reasons'] == ['$name']"
	if [ -n "$stage" ]; then
		check "$desc: stage $stage" jcheck out "j['stage'] == '$stage'"
	fi
}
EC="--trust-list list-ec --anchors $ANCHORS"

sed 's/^LC1:/LC2:/' es256.txt >m-prefix.txt
# shellcheck disable=SC2086
reason malformed prefix "malformed: prefix" --qr-text m-prefix.txt $EC
sed 's/^LC1:./LC1:a/' es256.txt >m-b45.txt
# shellcheck disable=SC2086
reason malformed base45 "malformed: base45" --qr-text m-b45.txt $EC
rc 3 "show: malformed QR text" sk licence show --in m-b45.txt
check "show: names the stage" grep -q 'stage base45' err
printf 'not a zlib stream' >junk
wrap LC1: junk raw >m-zlib.txt
# shellcheck disable=SC2086
reason malformed zlib "malformed: zlib" --qr-text m-zlib.txt $EC
printf '\xa0' >emptymap
wrap LC1: emptymap >m-cose.txt
# shellcheck disable=SC2086
reason malformed cose "malformed: cose" --qr-text m-cose.txt $EC
# A correctly signed COSE_Sign1 whose payload is not a licence.
printf '\xa1\x01\x61x' >notlicence
rc 0 "cose sign a non-licence" sk cose sign --key "$K/issuer-a.key.pem" \
    --cert "$K/issuer-a.crt.pem" --in notlicence --out notlicence.cose
wrap LC1: notlicence.cose >m-claims.txt
# shellcheck disable=SC2086
reason malformed claims "malformed: claims" --qr-text m-claims.txt $EC
"$PY" -c 'import zlib, struct
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I",
        zlib.crc32(t + d))
raw = b"".join(b"\x00" + b"\xff" * 64 for _ in range(64))
open("blank.png", "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR",
    struct.pack(">IIBBBBB", 64, 64, 8, 0, 0, 0, 0)) +
    chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))'
# shellcheck disable=SC2086
reason malformed image "malformed: image without a QR code" \
    --image blank.png $EC
printf '' >empty
# shellcheck disable=SC2086
reason malformed "" "malformed: empty input" --qr-text empty $EC

reason unknown_kid "" "unknown kid: issuer not in the list" \
    --qr-text es256.txt --trust-list list-sm2 --anchors "$ANCHORS"

"$PY" -c 'b = bytearray(open("es256.cose","rb").read())
b[-1] ^= 0x01; open("badsig.cose","wb").write(b)
c = bytearray(open("es256.cose","rb").read())
i = c.find("示例科技".encode()); c[i + 1] ^= 0x01
open("badpay.cose","wb").write(c)'
# shellcheck disable=SC2086
reason bad_signature "" "bad signature: signature byte" --in badsig.cose $EC
# shellcheck disable=SC2086
reason bad_signature "" "bad signature: payload byte" --in badpay.cose $EC
check "bad signature: no licence shown" jcheck out "'licence' not in j"

rc 0 "issue with iat before the cert's notBefore" sk licence issue \
    --in "$EX/business-licence.json" --key "$K/issuer-a.key.pem" \
    --cert "$K/issuer-a.crt.pem" --iat 2025-06-01T00:00:00Z \
    --qr-text early.txt
# shellcheck disable=SC2086
reason issuer_cert "" "issuer cert not valid at iat" --qr-text early.txt $EC

# A licence of authority A signed by authority B's (listed) key.
rc 0 "extract the claims" sk cose verify --in es256.cose \
    --cert "$K/issuer-a.crt.pem" --payload-out claims.cbor
rc 0 "sign A's claims with B's key" sk cose sign \
    --key "$K/issuer-b.key.pem" --cert "$K/issuer-b.crt.pem" \
    --in claims.cbor --out mismatch.cose
reason issuer_mismatch "" "issuer_code is not the signer's USCC" \
    --in mismatch.cose --trust-list list-sm2 --anchors "$ANCHORS"

# shellcheck disable=SC2086
reason not_yet_valid "" "not yet valid: --at before nbf" \
    --qr-text es256.txt $EC --at 2026-03-01T23:59:59Z
# shellcheck disable=SC2086
rc 0 "valid at nbf" sk licence verify --qr-text es256.txt $EC \
    --at 2026-03-02T00:00:00Z
rc 0 "issue with --exp" sk licence issue --in "$EX/business-licence.json" \
    --key "$K/issuer-a.key.pem" --cert "$K/issuer-a.crt.pem" \
    --exp 2027-01-01T08:00:00+08:00 --qr-text exp.txt
# shellcheck disable=SC2086
rc 0 "valid before exp" sk licence verify --qr-text exp.txt $EC \
    --at 2026-12-31T23:59:59Z
# shellcheck disable=SC2086
reason expired "" "expired: --at after exp" --qr-text exp.txt $EC \
    --at 2027-01-01T00:00:00Z
reason expired "" "expired: resident permit in 2030" --qr-text sm2.txt \
    --trust-list list-sm2 --anchors "$ANCHORS" --at 2030-01-01
check "expired: licence still shown" jcheck out "'licence' in j"
# shellcheck disable=SC2086
rc 1 "two reasons at once" sk licence verify --qr-text early.txt $EC \
    --at 2025-01-01 --json
check "two reasons: issuer_cert and not_yet_valid" jcheck out \
    "j['reasons'] == ['issuer_cert', 'not_yet_valid']"
# shellcheck disable=SC2086
rc 1 "human output" sk licence verify --qr-text early.txt $EC --at 2025-01-01
check "human output: NOT VALID first" test "$(head -n 1 out)" = "NOT VALID"
check "human output: one line per reason" test \
    "$(grep -c '^reason: ' out)" -eq 2

# Status lists, made with "sealkit status" (when the tool has that group).
# The business licence refers to entry 4242 of .../v1/status/1.
URI=https://certd.example/v1/status/1
# status_token NAME STATUS [sign options]: a list with entry 4242 = STATUS.
status_token() {
	local n=$1 st=$2; shift 2
	rm -f "$n.list"
	sk status new --uri "${SURI:-$URI}" --entries 131072 --out "$n.list" &&
	    sk status set --list "$n.list" --idx 4242 --status "$st" &&
	    sk status sign --list "$n.list" --key "$K/issuer-a.key.pem" \
	    --cert "$K/issuer-a.crt.pem" --out "$n.tok" "$@"
}
if sk status --help >/dev/null 2>&1; then
	check "status: make lists" status_token st-valid valid --ttl 86400
	check "status: revoked list" status_token st-rev invalid --ttl 86400
	check "status: suspended list" status_token st-susp suspended \
	    --ttl 86400
	check "status: stale list" status_token st-stale valid \
	    --iat @$((NOW - 7200)) --ttl 60
	if SURI=$URI-other status_token st-other valid --ttl 86400; then
		ok
	else
		bad "status: list of another URI"
	fi
	# shellcheck disable=SC2086
	rc 0 "status: valid entry" sk licence verify --qr-text es256.txt $EC \
	    --status st-valid.tok --json
	check "status: checked" jcheck out \
	    "j['valid'] and j['status_checked'] is True"
	# shellcheck disable=SC2086
	rc 0 "status: not given" sk licence verify --qr-text es256.txt $EC \
	    --json
	check "status: not checked" jcheck out \
	    "j['valid'] and j['status_checked'] is False"
	# shellcheck disable=SC2086
	reason revoked "" "revoked" --qr-text es256.txt $EC \
	    --status st-rev.tok
	# shellcheck disable=SC2086
	reason suspended "" "suspended" --qr-text es256.txt $EC \
	    --status st-susp.tok
	# shellcheck disable=SC2086
	reason status_unknown "" "status unknown: no list for the URI" \
	    --qr-text es256.txt $EC --status st-other.tok
	# shellcheck disable=SC2086
	rc 1 "status list invalid: stale" sk licence verify --json \
	    --qr-text es256.txt $EC --status st-stale.tok
	check "status list invalid: reasons" jcheck out \
	    "'status_list_invalid' in j['reasons'] and not j['valid']"
	"$PY" -c 'b = bytearray(open("st-rev.tok","rb").read())
b[-3] ^= 1; open("st-bad.tok","wb").write(b)'
	# shellcheck disable=SC2086
	rc 1 "status: wrongly signed revocation list fails closed" sk \
	    licence verify --json --qr-text es256.txt $EC --status st-bad.tok
	check "status: not valid, no status" jcheck out \
	    "not j['valid'] and 'status_unknown' in j['reasons']"
	# shellcheck disable=SC2086
	rc 1 "status: human output" sk licence verify --qr-text es256.txt \
	    $EC --status st-rev.tok
	check "status: reason line" grep -q '^reason: revoked: ' out
else
	echo "NOTE: this sealkit has no 'status' group: revoked, suspended," \
	    "status_unknown not tested" >&2
fi

# --- tampering ---------------------------------------------------------------

# tamper_text NAME LIST STEP: every STEP-th character of NAME.txt replaced
# by another base45 character; each variant must be NOT VALID (exit 1).
tamper_text() {
	local n=$1 list=$2 step=$3 line i=0 bad_at=""
	"$PY" - "$n.txt" "$step" >variants <<'EOF'
import sys
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
t = open(sys.argv[1]).read().rstrip("\n")
for i in range(0, len(t), int(sys.argv[2])):
    c = A[(A.index(t[i]) + 1 + i % 44) % 45]
    print(t[:i] + c + t[i + 1:])
EOF
	while IFS= read -r line; do
		got=0
		printf '%s\n' "$line" | "$SEALKIT" licence verify --qr-text - \
		    --trust-list "$list" --anchors "$ANCHORS" >/dev/null \
		    2>err || got=$?
		if [ "$got" -ne 1 ] || grep -q Sanitizer err; then
			bad_at="$bad_at $i:$got"
		fi
		i=$((i + step))
	done <variants
	check "$n: $(wc -l <variants) tampered QR texts NOT VALID" \
	    test -z "$bad_at"
	[ -z "$bad_at" ] || echo "  position:exit of failures:$bad_at" >&2
}

# tamper_bytes NAME LIST STEP: every STEP-th byte of NAME.cose flipped.
tamper_bytes() {
	local n=$1 list=$2 step=$3 len i got bad_at=""
	len=$(wc -c <"$n.cose")
	for ((i = 0; i < len; i += step)); do
		"$PY" -c 'import sys; b = bytearray(open(sys.argv[1],"rb").read())
i = int(sys.argv[2]); b[i] ^= 1 << (i % 8); sys.stdout.buffer.write(b)' \
		    "$n.cose" "$i" >t.cose
		got=0
		"$SEALKIT" licence verify --in t.cose --trust-list "$list" \
		    --anchors "$ANCHORS" >/dev/null 2>err || got=$?
		if [ "$got" -ne 1 ] || grep -q Sanitizer err; then
			bad_at="$bad_at $i:$got"
		fi
	done
	check "$n: every ${step}th credential byte flipped: NOT VALID" \
	    test -z "$bad_at"
	[ -z "$bad_at" ] || echo "  offset:exit of failures:$bad_at" >&2
}

tamper_text es256 list-ec 1
tamper_text sm2 list-sm2 7
tamper_text ed25519 list-ec 7
tamper_bytes es256 list-ec 1
tamper_bytes ed25519 list-ec 5

# --- generic mode: any prefix + base45(zlib(COSE_Sign1)) --------------------

# iat now: the signer's certificate must be valid at iat.
"$PY" -c 'import cbor2, sys
sys.stdout.buffer.write(cbor2.dumps({1: "XX", 4: 2000000000,
    6: int(sys.argv[1]), -260: {1: {"nam": {"fn": "Muster"}}}}))' \
    "$NOW" >hc1.cbor
rc 0 "generic: cose sign" sk cose sign --key "$K/issuer-a.key.pem" \
    --cert "$K/issuer-a.crt.pem" --in hc1.cbor --out hc1.cose
wrap HC1: hc1.cose >hc1.txt
rc 0 "generic: verify --prefix HC1: --cert" sk licence verify \
    --qr-text hc1.txt --prefix HC1: --cert "$K/issuer-a.crt.pem"
check "generic: VALID" test "$(head -n 1 out)" = VALID
check "generic: claims in diagnostic notation" grep -q \
    '^claims: .*"Muster"' out
rc 0 "generic: --json" sk licence verify --qr-text hc1.txt --prefix HC1: \
    --cert "$K/issuer-a.crt.pem" --json
check "generic: JSON claims" jcheck out \
    "j['valid'] and '\"Muster\"' in j['claims'] and '2000000000' in j['claims']"
rc 1 "generic: another signer's cert" sk licence verify --qr-text hc1.txt \
    --prefix HC1: --cert "$K/issuer-b.crt.pem" --json
check "generic: bad_signature" jcheck out "'bad_signature' in j['reasons']"
rc 1 "generic: wrong prefix" sk licence verify --qr-text hc1.txt \
    --cert "$K/issuer-a.crt.pem" --json
check "generic: malformed prefix" jcheck out "j['stage'] == 'prefix'"
"$PY" -c 't = open("hc1.txt").read(); i = len(t) // 2
A = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
open("hc1-t.txt","w").write(t[:i] + A[(A.index(t[i]) + 1) % 45] + t[i+1:])'
rc 1 "generic: tampered" sk licence verify --qr-text hc1-t.txt \
    --prefix HC1: --cert "$K/issuer-a.crt.pem"
rc 0 "generic: EdDSA signer" sk cose sign --key ed.key --cert ed.crt \
    --in hc1.cbor --out hc1-ed.cose
wrap HC1: hc1-ed.cose >hc1-ed.txt
rc 0 "generic: EdDSA verify" sk licence verify --qr-text hc1-ed.txt \
    --prefix HC1: --cert ed.crt

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
