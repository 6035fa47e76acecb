#!/bin/bash
# The sealkit tool's foundation commands (key, cose, b45) against
# independent expectations: RFC 9285 examples, the openssl CLI (keys,
# certificates, signatures in both directions) and python3-cbor2.
# Needs $SEALKIT (the tool), openssl and a python3 with cbor2.
set -euo pipefail

: "${SEALKIT:?set SEALKIT to the sealkit binary}"
SEALKIT=$(cd "$(dirname "$SEALKIT")" && pwd)/$(basename "$SEALKIT")
W=$(mktemp -d "${TMPDIR:-/tmp}/sk-cli.XXXXXX")
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

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1; shift
	if "$@"; then ok; else bad "$desc"; fi
}

# rc WANT DESC CMD...: CMD must exit WANT; stdout in out, stderr in err.
rc() {
	local want=$1 desc=$2 got=0; shift 2
	"$@" >out 2>err || got=$?
	# A sanitizer report may exit 1, which some cases expect: look too.
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

# --- help, usage errors --------------------------------------------------

# help_mentions "group verb" options...: --help exits 0, names each option.
help_mentions() {
	local cmd=$1 o; shift
	# shellcheck disable=SC2086
	rc 0 "$cmd --help" "$SEALKIT" $cmd --help
	for o in "$@"; do
		check "$cmd --help mentions $o" grep -q -- "$o" out
	done
}

rc 0 "--help" "$SEALKIT" --help
check "--help lists the groups" grep -q 'key.*cose.*b45' <(tr '\n' ' ' <out)
check "--help documents exit code 4" grep -q '^  4 ' out
rc 0 "--version" "$SEALKIT" --version
check "--version prints a version" grep -q '^sealkit [0-9]' out
for g in key cose b45; do
	rc 0 "$g --help" "$SEALKIT" $g --help
	rc 0 "help $g" "$SEALKIT" help $g
done
help_mentions "key gen" --alg --out --pub --password-file --password-env \
    --force
help_mentions "key pub" --in --out --password-file --password-env --force
help_mentions "cose sign" --key --cert --alg --in --out --aad --untagged \
    --password-file --password-env --force
help_mentions "cose verify" --in --cert --pubkey --aad --require-tag \
    --payload-out --json --force
help_mentions "cose show" --in "NOT VERIFIED"
help_mentions "b45 encode" --in --out --force
help_mentions "b45 decode" --in --out --force

rc 2 "no arguments" "$SEALKIT"
rc 2 "unknown command" "$SEALKIT" frobnicate
check "unknown command message" grep -q "unknown command 'frobnicate'" err
rc 2 "unknown verb" "$SEALKIT" key frob
rc 2 "unknown option" "$SEALKIT" key gen --alg es256 --out k --frob
check "unknown option named" grep -q -- '--frob' err
rc 2 "missing option value" "$SEALKIT" key gen --out k --alg
rc 2 "missing --alg" "$SEALKIT" key gen --out k
rc 2 "unsupported --alg" "$SEALKIT" key gen --alg rsa --out k
rc 2 "stray operand" "$SEALKIT" b45 encode extra
rc 2 "private key to stdout" "$SEALKIT" key gen --alg es256 --out -
rc 2 "both password options" "$SEALKIT" key gen --alg es256 --out k \
    --password-file f --password-env V
check "usage errors wrote nothing" test ! -e k

# --- base45 (RFC 9285 section 4.3 examples) --------------------------------

printf 'Hello!!' >hello
rc 0 "b45 encode" "$SEALKIT" b45 encode --in hello
check "b45 'Hello!!' is '%69 VD92EX0'" test "$(cat out)" = '%69 VD92EX0'
rc 0 "b45 encode stdin" sh -c "printf 'ietf!' | '$SEALKIT' b45 encode"
check "b45 'ietf!' is 'QED8WEX0'" test "$(cat out)" = 'QED8WEX0'
rc 0 "b45 decode" sh -c "echo 'QED8WEX0' | '$SEALKIT' b45 decode"
check "b45 decode 'QED8WEX0' is 'ietf!'" test "$(cat out)" = 'ietf!'
rc 3 "b45 decode GGW (65536 > 65535)" sh -c "echo GGW | '$SEALKIT' b45 decode"
check "b45 decode reason" grep -q 'malformed' err
rc 3 "b45 decode strips one newline only" \
    sh -c "printf 'QED8WEX0\n\n' | '$SEALKIT' b45 decode"
rc 3 "b45 decode lower case" sh -c "echo 'qed8wex0' | '$SEALKIT' b45 decode"
head -c 3000 /dev/urandom >rand
rc 0 "b45 encode file" "$SEALKIT" b45 encode --in rand --out rand.b45
rc 0 "b45 decode file" "$SEALKIT" b45 decode --in rand.b45 --out rand.back
check "b45 round trip" cmp -s rand rand.back
rc 3 "b45 refuses to overwrite" "$SEALKIT" b45 decode --in rand.b45 \
    --out rand.back
rc 0 "b45 --force overwrites" "$SEALKIT" b45 decode --in rand.b45 \
    --out rand.back --force
head -c 70000 /dev/zero >big
rc 3 "b45 encode over SK_BASE45_MAX_BYTES" "$SEALKIT" b45 encode --in big
check "limit named" grep -q SK_BASE45_MAX_BYTES err
rc 3 "unreadable input" "$SEALKIT" b45 encode --in no-such-file

# --- python helpers: COSE structure, Sig_structure, DER <-> r||s ----------

cat >cose.py <<'EOF'
import sys, cbor2

def der_to_raw(der, n=32):
    assert der[0] == 0x30
    i = 2 if der[1] < 0x80 else 3
    out = b""
    for _ in range(2):
        assert der[i] == 0x02
        l = der[i + 1]
        v = int.from_bytes(der[i + 2:i + 2 + l], "big")
        out += v.to_bytes(n, "big")
        i += 2 + l
    return out

def raw_to_der(raw):
    def integer(b):
        b = b.lstrip(b"\0") or b"\0"
        if b[0] & 0x80:
            b = b"\0" + b
        return bytes([2, len(b)]) + b
    body = integer(raw[:len(raw) // 2]) + integer(raw[len(raw) // 2:])
    return bytes([0x30, len(body)]) + body

def protected(alg, kid):
    return cbor2.dumps({1: alg, 4: bytes.fromhex(kid)})

def tbs(prot, payload):
    return cbor2.dumps(["Signature1", prot, b"", payload])

cmd = sys.argv[1]
if cmd == "check":
    # check MSG ALG KID PAYLOAD TBS_OUT SIG_OUT: our message, decoded by
    # cbor2; writes the Sig_structure and the signature in openssl's form.
    msg, alg, kid, pay = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    t = cbor2.loads(open(msg, "rb").read())
    assert isinstance(t, cbor2.CBORTag) and t.tag == 18, "tag 18"
    a = t.value
    assert isinstance(a, list) and len(a) == 4, "array of 4"
    prot = cbor2.loads(a[0])
    assert prot == {1: alg, 4: bytes.fromhex(kid)}, prot
    assert a[1] == {}, a[1]
    assert a[2] == open(pay, "rb").read(), "payload"
    open(sys.argv[6], "wb").write(tbs(a[0], a[2]))
    sig = a[3] if alg == -8 else raw_to_der(a[3])
    open(sys.argv[7], "wb").write(sig)
elif cmd == "tbs":
    # tbs ALG KID PAYLOAD: the Sig_structure of the message we will build
    sys.stdout.buffer.write(tbs(protected(int(sys.argv[2]), sys.argv[3]),
                                open(sys.argv[4], "rb").read()))
elif cmd == "build":
    # build ALG KID PAYLOAD SIG OUT: a tagged COSE_Sign1 from openssl's sig
    alg = int(sys.argv[2])
    sig = open(sys.argv[5], "rb").read()
    if alg != -8:
        sig = der_to_raw(sig)
    m = [protected(alg, sys.argv[3]), {}, open(sys.argv[4], "rb").read(), sig]
    open(sys.argv[6], "wb").write(cbor2.dumps(cbor2.CBORTag(18, m)))
elif cmd == "json":
    # json FILE KEY=VALUE...: the file is one JSON object with these values
    import json
    d = json.load(open(sys.argv[2]))
    for kv in sys.argv[3:]:
        k, v = kv.split("=", 1)
        v = json.loads(v)
        assert d.get(k) == v, "%s: %r != %r" % (k, d.get(k), v)
EOF

jsonis() { "$PY" cose.py json "$@"; }

# openssl signing and verifying in COSE form, per algorithm.
ossl_sign() {	# alg key in out
	case $1 in
	es256) openssl dgst -sha256 -sign "$2" -out "$4" "$3" ;;
	ed25519) openssl pkeyutl -sign -inkey "$2" -rawin -in "$3" -out "$4" ;;
	sm2) openssl pkeyutl -sign -inkey "$2" -rawin -digest sm3 \
	    -pkeyopt distid:1234567812345678 -in "$3" -out "$4" ;;
	esac
}
ossl_verify() {	# alg pub in sig
	case $1 in
	es256) openssl dgst -sha256 -verify "$2" -signature "$4" "$3" ;;
	ed25519) openssl pkeyutl -verify -pubin -inkey "$2" -rawin \
	    -in "$3" -sigfile "$4" ;;
	sm2) openssl pkeyutl -verify -pubin -inkey "$2" -rawin -digest sm3 \
	    -pkeyopt distid:1234567812345678 -in "$3" -sigfile "$4" ;;
	esac >/dev/null 2>&1
}

# flip FILE OFFSET OUT: OUT is FILE with one bit of byte OFFSET flipped
# (negative OFFSET counts from the end).
flip() {
	"$PY" -c 'import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[int(sys.argv[2])] ^= 1
open(sys.argv[3], "wb").write(d)' "$@"
}

# --- keys, certificates, COSE_Sign1 per algorithm --------------------------

for alg in es256 ed25519 sm2; do
	case $alg in
	es256) cose_alg=-7 name=ES256 oid='ASN1 OID: prime256v1' ;;
	ed25519) cose_alg=-8 name=EdDSA oid='ED25519 Public-Key' ;;
	sm2) cose_alg=-65537 name=SM2-SM3 oid='ASN1 OID: SM2' ;;
	esac
	k=$alg.key
	rc 0 "$alg: key gen" "$SEALKIT" key gen --alg $alg --out $k \
	    --pub $alg.pub
	check "$alg: private key mode 0600" test "$(stat -c %a $k)" = 600
	check "$alg: PKCS#8 PEM" grep -q '^-----BEGIN PRIVATE KEY-----$' $k
	check "$alg: openssl sees the right key type" \
	    grep -q "$oid" <(openssl pkey -in $k -text_pub -noout)
	openssl pkey -in $k -pubout -out $alg.ossl.pub
	check "$alg: --pub equals openssl pkey -pubout" cmp -s $alg.pub \
	    $alg.ossl.pub
	rc 0 "$alg: key pub" "$SEALKIT" key pub --in $k --out -
	check "$alg: key pub equals openssl pkey -pubout" cmp -s out \
	    $alg.ossl.pub
	rc 3 "$alg: key gen refuses to overwrite" "$SEALKIT" key gen \
	    --alg $alg --out $k
	check "$alg: key unchanged" grep -q "$(sed -n 2p $k)" $k

	sigopt=()
	[ $alg = sm2 ] && sigopt=(-sm3 -sigopt distid:1234567812345678)
	openssl req -x509 -new -key $k -subj "/CN=sealkit test $alg" \
	    -days 30 "${sigopt[@]}" -out $alg.crt 2>/dev/null
	kid=$(openssl x509 -in $alg.crt -outform DER | sha256sum | cut -c1-16)

	printf 'payload for %s\n' $alg >$alg.payload
	rc 0 "$alg: cose sign" "$SEALKIT" cose sign --key $k --cert $alg.crt \
	    --in $alg.payload --out $alg.cose
	check "$alg: cbor2 sees tag 18, {1: $cose_alg, 4: kid}, payload" \
	    "$PY" cose.py check $alg.cose "$cose_alg" "$kid" $alg.payload \
	    $alg.tbs $alg.sig
	check "$alg: openssl verifies our signature over the Sig_structure" \
	    ossl_verify $alg $alg.ossl.pub $alg.tbs $alg.sig

	rc 0 "$alg: cose verify --cert" "$SEALKIT" cose verify \
	    --in $alg.cose --cert $alg.crt
	check "$alg: verify prints alg and kid" \
	    test "$(cat out)" = "valid alg=$name kid=$kid"
	rc 0 "$alg: cose verify --pubkey" "$SEALKIT" cose verify \
	    --in $alg.cose --pubkey $alg.pub
	rc 0 "$alg: cose verify --json" "$SEALKIT" cose verify \
	    --in $alg.cose --cert $alg.crt --json
	check "$alg: JSON verdict" jsonis out valid=true "alg=\"$name\"" \
	    "kid=\"$kid\"" kid_matches=true
	rc 0 "$alg: verify from stdin, payload out" sh -c \
	    "'$SEALKIT' cose verify --in - --cert $alg.crt \
	    --payload-out $alg.got <$alg.cose"
	check "$alg: payload out equals payload" cmp -s $alg.got $alg.payload

	# A different key of the same type: the signature stage fails.
	"$SEALKIT" key gen --alg $alg --out other-$alg.key 2>/dev/null
	openssl req -x509 -new -key other-$alg.key -subj "/CN=other $alg" \
	    "${sigopt[@]}" -out other-$alg.crt 2>/dev/null
	rc 1 "$alg: verify with another key" "$SEALKIT" cose verify \
	    --in $alg.cose --cert other-$alg.crt --payload-out never
	check "$alg: verdict names the signature" \
	    grep -q '^invalid: signature: ' out
	check "$alg: kid mismatch warned" grep -q 'warning: message kid' err
	check "$alg: no payload written when invalid" test ! -e never
	rc 1 "$alg: verify with another key, --json" "$SEALKIT" cose verify \
	    --in $alg.cose --cert other-$alg.crt --json
	check "$alg: JSON invalid" jsonis out valid=false \
	    'error="signature"' kid_matches=false "kid=\"$kid\""

	# Tampering.  Last byte: inside the signature, still well formed, so
	# exit 1.  Byte 1: the array head 0x84 becomes 0x85, an array of five
	# that ends early: malformed, exit 3.
	flip $alg.cose -1 $alg.badsig
	rc 1 "$alg: tampered signature byte" "$SEALKIT" cose verify \
	    --in $alg.badsig --cert $alg.crt
	check "$alg: tampered signature is a signature failure" \
	    grep -q '^invalid: signature: ' out
	off=$(grep -abo 'payload for' $alg.cose | cut -d: -f1)
	flip $alg.cose "$off" $alg.badpay
	rc 1 "$alg: tampered payload byte" "$SEALKIT" cose verify \
	    --in $alg.badpay --cert $alg.crt
	flip $alg.cose 1 $alg.badhead
	rc 3 "$alg: tampered array head" "$SEALKIT" cose verify \
	    --in $alg.badhead --cert $alg.crt
	check "$alg: malformed message is a parse failure" \
	    grep -q '^invalid: parse: ' out

	# openssl signs, we verify: the verifier is checked independently.
	"$PY" cose.py tbs "$cose_alg" "$kid" $alg.payload >$alg.otbs
	ossl_sign $alg $k $alg.otbs $alg.osig
	"$PY" cose.py build "$cose_alg" "$kid" $alg.payload $alg.osig $alg.ocose
	rc 0 "$alg: verify a message signed by openssl" "$SEALKIT" cose verify \
	    --in $alg.ocose --cert $alg.crt --require-tag

	rc 0 "$alg: cose show" "$SEALKIT" cose show --in $alg.cose
	check "$alg: show says NOT VERIFIED" grep -q 'NOT VERIFIED' out
	check "$alg: show prints the protected header" \
	    grep -q "<<{1: $cose_alg, 4: h'$kid'}>>" out
done

# A key of another type than the message's algorithm.
rc 1 "key mismatch" "$SEALKIT" cose verify --in es256.cose --pubkey \
    ed25519.pub
check "key mismatch stage" grep -q '^invalid: key mismatch: ' out
rc 3 "cose sign: certificate of another key" "$SEALKIT" cose sign \
    --key es256.key --cert other-es256.crt --in es256.payload --out x.cose
check "nothing written with the wrong certificate" test ! -e x.cose
rc 3 "cose sign: --alg the key cannot do" "$SEALKIT" cose sign \
    --key es256.key --alg eddsa --in es256.payload --out x.cose
rc 2 "cose verify needs --cert or --pubkey" "$SEALKIT" cose verify \
    --in es256.cose
rc 3 "cose show of non-CBOR" "$SEALKIT" cose show --in hello
: >empty
rc 3 "cose verify of an empty message" "$SEALKIT" cose verify --in empty \
    --cert es256.crt --json
check "empty message: JSON parse failure" jsonis out valid=false \
    'stage="parse"' 'error="truncated"'
rc 0 "cose sign of an empty payload" "$SEALKIT" cose sign --key es256.key \
    --in empty --out empty.cose
rc 0 "... verifies" "$SEALKIT" cose verify --in empty.cose \
    --pubkey es256.pub --payload-out empty.got
check "... empty payload out" test -f empty.got -a ! -s empty.got

# External AAD, untagged messages.
rc 0 "sign untagged with aad" "$SEALKIT" cose sign --key ed25519.key \
    --in ed25519.payload --out u.cose --untagged --aad 00ff10
first=$(head -c1 u.cose | od -An -tx1 | tr -d ' ')
check "untagged: starts with the array, no tag 18" test "$first" = 84
rc 0 "verify with the aad" "$SEALKIT" cose verify --in u.cose \
    --pubkey ed25519.pub --aad 00FF10
check "no kid without --cert" grep -q 'kid=none' out
rc 1 "verify with another aad" "$SEALKIT" cose verify --in u.cose \
    --pubkey ed25519.pub --aad 00ff11
rc 1 "verify without the aad" "$SEALKIT" cose verify --in u.cose \
    --pubkey ed25519.pub
rc 1 "--require-tag rejects untagged" "$SEALKIT" cose verify --in u.cose \
    --pubkey ed25519.pub --aad 00ff10 --require-tag
check "tag stage" grep -q '^invalid: tag: ' out
rc 2 "bad hex aad" "$SEALKIT" cose verify --in u.cose \
    --pubkey ed25519.pub --aad 0g

# --- encrypted keys ----------------------------------------------------------

rc 0 "key gen --password-env" env SK_TEST_PW='correct horse' \
    "$SEALKIT" key gen --alg sm2 --out enc.key --password-env SK_TEST_PW
check "encrypted PKCS#8" grep -q '^-----BEGIN ENCRYPTED PRIVATE KEY-----$' \
    enc.key
rc 1 "openssl: wrong password fails" openssl pkey -in enc.key \
    -passin pass:wrong -noout
rc 0 "openssl: right password works" openssl pkey -in enc.key \
    -passin 'pass:correct horse' -noout
printf 'correct horse\n' >pw
chmod 600 pw
rc 0 "key pub --password-file" "$SEALKIT" key pub --in enc.key --out - \
    --password-file pw
check "public key of the encrypted key" cmp -s out \
    <(openssl pkey -in enc.key -passin 'pass:correct horse' -pubout)
rc 3 "encrypted key without a password" "$SEALKIT" key pub --in enc.key \
    --out -
rc 3 "encrypted key, wrong password" env SK_TEST_PW=wrong "$SEALKIT" \
    key pub --in enc.key --out - --password-env SK_TEST_PW
rc 3 "password variable unset" "$SEALKIT" key pub --in enc.key --out - \
    --password-env SK_TEST_PW_UNSET
rc 0 "cose sign with an encrypted key" "$SEALKIT" cose sign --key enc.key \
    --password-file pw --in hello --out enc.cose
openssl pkey -in enc.key -passin 'pass:correct horse' -pubout -out enc.pub
rc 0 "... verifies" "$SEALKIT" cose verify --in enc.cose --pubkey enc.pub

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
