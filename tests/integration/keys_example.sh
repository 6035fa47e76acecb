#!/bin/bash
#
# keys_example.sh -- check the example PKI in keys-example/.
#
# Part 1 checks the committed files read-only (and proves they were not
# touched).  Part 2 runs generate.sh into a temporary directory and checks
# the fresh output the same way, plus its --force handling.
#
# Every check uses the openssl CLI or awk as the independent oracle.  SM2
# signatures must carry the distinguishing ID 1234567812345678; each one is
# checked to verify with it and to FAIL without it (STANDARDS.md sec. 0 fact 8,
# sec. 1.7).

set -Eeuo pipefail

SM2_ID=1234567812345678
SRC=${SK_SOURCE_DIR:?SK_SOURCE_DIR not set}
KX=$SRC/keys-example

if ! command -v openssl >/dev/null 2>&1; then
	echo "SKIP: openssl not found"
	exit 77
fi
case $(openssl version) in
"OpenSSL 3."*) ;;
*)	echo "SKIP: need OpenSSL 3.x, have $(openssl version)"; exit 77 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/keys_example.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'echo "FAIL: unexpected error at line $LINENO" >&2' ERR

nfail=0
fail()
{
	echo "FAIL: $*" >&2
	nfail=$((nfail + 1))
}

# Expected layout: name, algorithm (ec|sm2), signer, subject O, USCC.
# The names and codes are fixed by generate.sh; the USCC check characters
# are recomputed below, not trusted.
LAYOUT='anchor-ec ec self - -
anchor-sm2 sm2 self - -
issuer-a ec anchor-ec 示例市市场监督管理局 11990100000000019F
issuer-b sm2 anchor-sm2 示例市公安局 11990100000000027A
seal-maker sm2 anchor-sm2 示例市电子印章制作中心 129901000000000352
seal-owner sm2 anchor-sm2 示例科技有限公司 91990100MA000004XB
tsa ec anchor-ec - -
presentation ec anchor-ec - -'

# uscc_ok CODE: GB 32100-2015 check character (C18) and the GB 11714
# check character of the embedded organisation code (chars 9-17).
uscc_ok()
{
	awk -v c="$1" 'BEGIN {
		cs = "0123456789ABCDEFGHJKLMNPQRTUWXY"
		split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", w, " ")
		if (length(c) != 18)
			exit 1
		s = 0
		for (i = 1; i <= 17; i++) {
			v = index(cs, substr(c, i, 1))
			if (v == 0)
				exit 1
			s += (v - 1) * w[i]
		}
		k = 31 - s % 31
		if (k == 31)
			k = 0
		if (substr(cs, k + 1, 1) != substr(c, 18, 1))
			exit 1
		al = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		split("3 7 9 10 5 8 4 2", ow, " ")
		s = 0
		for (i = 1; i <= 8; i++) {
			v = index(al, substr(c, 8 + i, 1))
			if (v == 0)
				exit 1
			s += (v - 1) * ow[i]
		}
		k = 11 - s % 11
		e = k == 10 ? "X" : k == 11 ? "0" : k ""
		exit e == substr(c, 17, 1) ? 0 : 1
	}'
}

# The USCC checker must accept real codes and reject bad ones (STANDARDS.md
# sec. 3.3), or its verdicts below mean nothing.
uscc_selftest()
{
	local c
	for c in 11100000000013338W 11430000006122244L 11220000013544541J \
	    11330105002500287C 113700000045046442; do
		uscc_ok "$c" || fail "USCC checker rejects real code $c"
	done
	# legacy code with a wrong C18; one-char changes; bad org-code check
	for c in 91350100M0001TGQXM 11100000000013338X 11100000000013339W \
	    1110000000001333W 11100000000013348I 91990100MA0000041Y; do
		if uscc_ok "$c"; then
			fail "USCC checker accepts bad code $c"
		fi
	done
}

# ext CERT NAME: one extension as "critical|value" or "|value", or "".
ext()
{
	openssl x509 -in "$1" -noout -ext "$2" 2>/dev/null |
	    awk 'NR == 1 { c = ($0 ~ /critical/) ? "critical" : "" }
		 NR == 2 { sub(/^ +/, ""); v = $0 }
		 END { if (NR >= 2) print c "|" v }'
}

expect_ext()
{
	local crt=$1 name=$2 want=$3 got
	got=$(ext "$crt" "$name")
	[ "$got" = "$want" ] ||
	    fail "$crt: $name is '$got', want '$want'"
}

# sigcheck CERT ISSUERCERT DIGEST [ID]: verify CERT's signature over its
# TBSCertificate with pkeyutl, independently of the X.509 path code.
# Returns pkeyutl's status; with ID, the SM2 distinguishing ID is set.
sigcheck()
{
	local crt=$1 iss=$2 dgst=$3 id=${4:-} d offs b
	d=$(mktemp -d "$work/sig.XXXXXX")
	mapfile -t offs < <(openssl asn1parse -in "$crt" |
	    awk -F: '$2 ~ /^d=1 / { gsub(/ /, "", $1); print $1 }')
	[ "${#offs[@]}" -eq 3 ] || { echo "$crt: not 3 parts" >&2; return 2; }
	openssl asn1parse -in "$crt" -strparse "${offs[0]}" -noout \
	    -out "$d/tbs" >/dev/null
	openssl asn1parse -in "$crt" -strparse "${offs[2]}" -noout \
	    -out "$d/sig" >/dev/null
	openssl x509 -in "$iss" -noout -pubkey >"$d/pub"
	if [ "${SIGCHECK_FLIP:-0}" = 1 ]; then
		# complement one byte of the serial number
		b=$(od -An -tu1 -j 20 -N 1 "$d/tbs" | tr -d ' ')
		printf %b "\\$(printf %03o $((b ^ 255)))" |
		    dd of="$d/tbs" bs=1 seek=20 conv=notrunc status=none
	fi
	set -- -verify -pubin -inkey "$d/pub" -rawin -digest "$dgst" \
	    -in "$d/tbs" -sigfile "$d/sig"
	[ -z "$id" ] || set -- "$@" -pkeyopt "distid:$id"
	openssl pkeyutl "$@" >/dev/null 2>&1
}

pubkey_of_key()
{
	openssl pkey -in "$1" -pubout
}

pubkey_of_crt()
{
	openssl x509 -in "$1" -noout -pubkey
}

# check_cert DIR NAME ALG SIGNER ORG USCC
check_cert()
{
	local dir=$1 name=$2 alg=$3 signer=$4 org=$5 uscc=$6
	local crt=$dir/$name.crt.pem key=$dir/$name.key.pem
	local anc text subj nb na want

	[ -f "$crt" ] || { fail "$crt missing"; return; }
	[ -f "$key" ] || { fail "$key missing"; return; }
	[ "$signer" = self ] && anc=$crt || anc=$dir/$signer.crt.pem
	[ -f "$anc" ] || { fail "$anc missing"; return; }

	# Unencrypted PKCS#8, and the key belongs to the certificate.
	[ "$(head -n 1 "$key")" = "-----BEGIN PRIVATE KEY-----" ] ||
	    fail "$key: not an unencrypted PKCS#8 PEM"
	[ "$(pubkey_of_key "$key")" = "$(pubkey_of_crt "$crt")" ] ||
	    fail "$key does not match $crt"

	text=$(openssl x509 -in "$crt" -noout -text)
	if [ "$alg" = sm2 ]; then
		grep -q 'ASN1 OID: SM2$' <<<"$text" ||
		    fail "$crt: key not on the SM2 curve"
		grep -q 'ASN1 OID: SM2$' <<<"$(openssl pkey -in "$key" -noout \
		    -text)" || fail "$key: not an SM2 key"
	else
		grep -q 'NIST CURVE: P-256$' <<<"$text" ||
		    fail "$crt: key not P-256"
	fi
	case $signer in
	self) want=$alg ;;
	anchor-sm2) want=sm2 ;;
	*) want=ec ;;
	esac
	if [ "$want" = sm2 ]; then
		grep -q 'Signature Algorithm: SM2-with-SM3' <<<"$text" ||
		    fail "$crt: not signed with SM2-with-SM3"
	else
		grep -q 'Signature Algorithm: ecdsa-with-SHA256' <<<"$text" ||
		    fail "$crt: not signed with ecdsa-with-SHA256"
	fi

	# Signature, through the X.509 verifier and through raw pkeyutl.
	if [ "$want" = sm2 ]; then
		sigcheck "$crt" "$anc" sm3 "$SM2_ID" ||
		    fail "$crt: SM2 signature does not verify with ID $SM2_ID"
		if sigcheck "$crt" "$anc" sm3; then
			fail "$crt: SM2 signature verifies with the empty ID"
		fi
		if SIGCHECK_FLIP=1 sigcheck "$crt" "$anc" sm3 "$SM2_ID"; then
			fail "$crt: SM2 signature verifies over altered TBS"
		fi
	else
		sigcheck "$crt" "$anc" sha256 ||
		    fail "$crt: ECDSA signature does not verify"
		if SIGCHECK_FLIP=1 sigcheck "$crt" "$anc" sha256; then
			fail "$crt: ECDSA signature verifies over altered TBS"
		fi
	fi
	if [ "$signer" = self ]; then
		# 3.0's verify cannot give the ID to a self-signed anchor
		# (it checks the store's copy), so -check_ss_sig is EC only.
		if [ "$alg" = ec ]; then
			openssl verify -x509_strict -check_ss_sig \
			    -CAfile "$crt" "$crt" >/dev/null ||
			    fail "$crt: self-signature"
		fi
	elif [ "$want" = sm2 ]; then
		openssl verify -x509_strict -CAfile "$anc" \
		    -vfyopt "distid:$SM2_ID" "$crt" >/dev/null ||
		    fail "$crt: openssl verify -vfyopt distid fails"
		openssl verify -x509_strict -CAfile "$dir/trust-anchors.pem" \
		    -vfyopt "distid:$SM2_ID" "$crt" >/dev/null ||
		    fail "$crt: does not verify against trust-anchors.pem"
		if openssl verify -CAfile "$anc" "$crt" >/dev/null 2>&1; then
			fail "$crt: verifies without the distinguishing ID"
		fi
		if openssl verify -CAfile "$dir/anchor-ec.crt.pem" \
		    -vfyopt "distid:$SM2_ID" "$crt" >/dev/null 2>&1; then
			fail "$crt: verifies under the wrong anchor"
		fi
	else
		openssl verify -x509_strict -CAfile "$anc" "$crt" >/dev/null ||
		    fail "$crt: openssl verify fails"
		openssl verify -x509_strict -CAfile "$dir/trust-anchors.pem" \
		    "$crt" >/dev/null ||
		    fail "$crt: does not verify against trust-anchors.pem"
		if openssl verify -CAfile "$dir/anchor-sm2.crt.pem" \
		    "$crt" >/dev/null 2>&1; then
			fail "$crt: verifies under the wrong anchor"
		fi
	fi

	# Extensions.
	case $name in
	anchor-*)
		expect_ext "$crt" basicConstraints "critical|CA:TRUE, pathlen:0"
		expect_ext "$crt" keyUsage "critical|Certificate Sign, CRL Sign"
		expect_ext "$crt" extendedKeyUsage "" ;;
	tsa)
		expect_ext "$crt" basicConstraints "|CA:FALSE"
		expect_ext "$crt" keyUsage \
		    "critical|Digital Signature, Non Repudiation"
		expect_ext "$crt" extendedKeyUsage "critical|Time Stamping" ;;
	seal-owner)
		expect_ext "$crt" basicConstraints "|CA:FALSE"
		expect_ext "$crt" keyUsage \
		    "critical|Digital Signature, Non Repudiation"
		expect_ext "$crt" extendedKeyUsage "" ;;
	*)
		expect_ext "$crt" basicConstraints "|CA:FALSE"
		expect_ext "$crt" keyUsage "critical|Digital Signature"
		expect_ext "$crt" extendedKeyUsage "" ;;
	esac
	[ -n "$(ext "$crt" subjectKeyIdentifier)" ] ||
	    fail "$crt: no subjectKeyIdentifier"
	if [ "$signer" != self ]; then
		[ "$(ext "$crt" authorityKeyIdentifier | cut -d'|' -f2)" = \
		    "$(ext "$anc" subjectKeyIdentifier | cut -d'|' -f2)" ] ||
		    fail "$crt: AKI does not match $anc SKI"
	fi

	# Validity: the stated dates (README), and inside the anchor's.
	nb=$(openssl x509 -in "$crt" -noout -startdate -dateopt iso_8601)
	na=$(openssl x509 -in "$crt" -noout -enddate -dateopt iso_8601)
	[ "$nb" = "notBefore=2026-01-01 00:00:00Z" ] ||
	    fail "$crt: $nb"
	case $signer in
	self) want="notAfter=2045-12-31 23:59:59Z" ;;
	*) want="notAfter=2035-12-31 23:59:59Z" ;;
	esac
	[ "$na" = "$want" ] || fail "$crt: $na, want $want"
	openssl x509 -in "$crt" -noout -checkend 0 >/dev/null ||
	    fail "$crt: expired"

	# Subject: C=CN, O=<UTF-8 name>, CN=<name>, serialNumber=<USCC>.
	subj=$(openssl x509 -in "$crt" -noout -subject \
	    -nameopt oneline,utf8,-esc_msb,sname,show_type)
	if [ "$org" != - ]; then
		want="subject=C = PRINTABLESTRING:CN, O = UTF8STRING:$org"
		want="$want, CN = UTF8STRING:$org"
		want="$want, serialNumber = PRINTABLESTRING:$uscc"
		[ "$subj" = "$want" ] ||
		    fail "$crt: subject '$subj', want '$want'"
		uscc_ok "$uscc" || fail "$crt: USCC $uscc has a bad check"
		# and the one in the certificate, parsed separately
		local got
		got=$(sed -n 's/.*, serialNumber = PRINTABLESTRING://p' \
		    <<<"$subj")
		uscc_ok "$got" || fail "$crt: subject USCC '$got' invalid"
		want="^$name\\.crt\\.pem	.*	$uscc	"
		grep -q "$want" "$dir/MANIFEST" ||
		    fail "MANIFEST: $name.crt.pem lacks USCC $uscc"
	else
		case $subj in
		*serialNumber*) fail "$crt: unexpected serialNumber" ;;
		esac
	fi
	grep -q "^$name\\.key\\.pem	" "$dir/MANIFEST" ||
	    fail "MANIFEST: no $name.key.pem"
	grep -q "^$name\\.crt\\.pem	" "$dir/MANIFEST" ||
	    fail "MANIFEST: no $name.crt.pem"
}

# check_dir DIR: every certificate, key, the bundle and the MANIFEST.
check_dir()
{
	local dir=$1 name alg signer org uscc f n0=$nfail
	while read -r name alg signer org uscc; do
		check_cert "$dir" "$name" "$alg" "$signer" "$org" "$uscc"
	done <<<"$LAYOUT"

	cat "$dir/anchor-ec.crt.pem" "$dir/anchor-sm2.crt.pem" |
	    cmp -s - "$dir/trust-anchors.pem" ||
	    fail "$dir/trust-anchors.pem is not anchor-ec + anchor-sm2"
	[ "$(grep -c 'BEGIN CERTIFICATE' "$dir/trust-anchors.pem")" = 2 ] ||
	    fail "$dir/trust-anchors.pem: not 2 certificates"
	grep -q "^trust-anchors\\.pem	" "$dir/MANIFEST" ||
	    fail "MANIFEST: no trust-anchors.pem"
	# every file the MANIFEST names exists, and nothing else is listed
	while IFS=$'\t' read -r f _; do
		[ -f "$dir/$f" ] || fail "MANIFEST lists missing $f"
	done < <(grep -v '^#' "$dir/MANIFEST")
	[ "$(grep -vc '^#' "$dir/MANIFEST")" = 17 ] ||
	    fail "MANIFEST: not 17 entries"
	grep -q "FOR EXAMPLES AND TESTS ONLY" "$dir/MANIFEST" ||
	    fail "MANIFEST: no example-only warning"
	[ "$nfail" -eq "$n0" ] && echo "ok: $dir verifies"
	return 0
}

uscc_selftest

# Part 1: the committed files, read-only.
before=$(cd "$KX" && find . -type f -exec sha256sum {} + | sort)
check_dir "$KX"
readme=$KX/README.md
if [ -f "$readme" ]; then
	grep -q "FOR EXAMPLES AND TESTS ONLY" "$readme" ||
	    fail "README.md does not say FOR EXAMPLES AND TESTS ONLY"
	grep -qi "never use them in production" "$readme" ||
	    fail "README.md does not say never use them in production"
	grep -q "distid:$SM2_ID" "$readme" ||
	    fail "README.md lacks the SM2 distid note"
else
	fail "$readme missing"
fi
after=$(cd "$KX" && find . -type f -exec sha256sum {} + | sort)
[ "$before" = "$after" ] || fail "the read-only check changed $KX"

# Part 2: a fresh generation.
gen=$work/gen
mkdir "$gen"
if sh "$KX/generate.sh" "$gen" >"$work/gen.log" 2>&1; then
	check_dir "$gen"
	for f in "$gen"/*.key.pem; do
		[ "$(stat -c %a "$f")" = 600 ] || fail "$f: mode not 600"
	done
	cp "$gen/issuer-b.key.pem" "$work/old.key"
	if sh "$KX/generate.sh" "$gen" >"$work/gen2.log" 2>&1; then
		fail "generate.sh overwrote files without --force"
	fi
	grep -q -- "--force" "$work/gen2.log" ||
	    fail "generate.sh refusal does not mention --force"
	cmp -s "$work/old.key" "$gen/issuer-b.key.pem" ||
	    fail "refused generate.sh still changed issuer-b.key.pem"
	if sh "$KX/generate.sh" --force "$gen" >"$work/gen3.log" 2>&1; then
		cmp -s "$work/old.key" "$gen/issuer-b.key.pem" &&
		    fail "generate.sh --force did not make new keys"
		check_dir "$gen"
	else
		cat "$work/gen3.log" >&2
		fail "generate.sh --force failed"
	fi
else
	cat "$work/gen.log" >&2
	fail "generate.sh failed"
fi

if [ "$nfail" -ne 0 ]; then
	echo "keys_example: $nfail check(s) failed" >&2
	exit 1
fi
echo "keys_example: all checks passed"
