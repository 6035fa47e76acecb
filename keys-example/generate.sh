#!/bin/sh
#
# generate.sh -- regenerate the example PKI of certd and sealkit.
#
# FOR EXAMPLES AND TESTS ONLY: the private keys written here are public.
#
# usage: generate.sh [--force] [OUTDIR]
#
# Writes the files listed in FILES below into OUTDIR (default: the directory
# holding this script), from scratch: every key is new.  Refuses to replace
# an existing file unless --force is given.  Needs only the openssl 3.0
# command line tool (and POSIX sh utilities).
#
# Two hierarchies, both anchors in trust-anchors.pem:
#   anchor-ec  (P-256, ecdsa-with-SHA256) -> issuer-a, tsa, presentation
#   anchor-sm2 (SM2, SM2-with-SM3)        -> issuer-b, seal-maker, seal-owner
#
# Every SM2 signature is made with the GM/T 0009 / GB/T 35276 default
# distinguishing ID: OpenSSL 3.0 defaults to an empty ID, which Chinese PKI
# stacks reject (STANDARDS.md section 0 fact 8, section 1.7).

set -eu

SM2_ID=1234567812345678
NOT_BEFORE=20260101000000Z
ANCHOR_NOT_AFTER=20451231235959Z
LEAF_NOT_AFTER=20351231235959Z

# Unified social credit codes (GB 32100-2015).  Region code 990100 is not
# assigned in GB/T 2260, so none of these can name a real organisation.
USCC_A=11990100000000019F
USCC_B=11990100000000027A
USCC_MAKER=129901000000000352
USCC_OWNER=91990100MA000004XB

NAME_A='示例市市场监督管理局'
NAME_B='示例市公安局'
NAME_MAKER='示例市电子印章制作中心'
NAME_OWNER='示例科技有限公司'

CERTS='anchor-ec anchor-sm2 issuer-a issuer-b seal-maker seal-owner tsa
    presentation'

usage()
{
	echo "usage: generate.sh [--force] [OUTDIR]" >&2
	exit 2
}

die()
{
	echo "generate.sh: $*" >&2
	exit 1
}

force=0
outdir=
for arg; do
	case $arg in
	--force)
		force=1 ;;
	-*)
		usage ;;
	*)
		[ -z "$outdir" ] || usage
		outdir=$arg ;;
	esac
done
if [ -z "$outdir" ]; then
	outdir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
fi
[ -d "$outdir" ] || die "$outdir: not a directory"

command -v openssl >/dev/null 2>&1 || die "openssl not found"
case $(openssl version) in
"OpenSSL 3."*) ;;
*) die "need OpenSSL 3.x, have: $(openssl version)" ;;
esac

FILES='trust-anchors.pem MANIFEST'
for c in $CERTS; do
	FILES="$FILES $c.key.pem $c.crt.pem"
done
if [ "$force" -eq 0 ]; then
	for f in $FILES; do
		[ ! -e "$outdir/$f" ] ||
		    die "$outdir/$f exists; use --force to regenerate"
	done
fi

umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/keys-example.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
mkdir "$tmp/out" "$tmp/newcerts"
: >"$tmp/index.txt"

cat >"$tmp/openssl.cnf" <<EOF
[ ca ]
default_ca = ca_example

[ ca_example ]
database = $tmp/index.txt
new_certs_dir = $tmp/newcerts
serial = $tmp/serial
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
string_mask = utf8only

[ policy_any ]
countryName = optional
organizationName = optional
commonName = supplied
serialNumber = optional

[ req ]
distinguished_name = req_dn
string_mask = utf8only
utf8 = yes

[ req_dn ]

[ ext_anchor ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[ ext_signer ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ext_seal_owner ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ext_tsa ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF

# genkey NAME ec|sm2: unencrypted PKCS#8 private key.
genkey()
{
	case $2 in
	ec)
		openssl genpkey -algorithm EC \
		    -pkeyopt ec_paramgen_curve:P-256 \
		    -pkeyopt ec_param_enc:named_curve \
		    -out "$tmp/out/$1.key.pem" ;;
	sm2)
		openssl genpkey -algorithm SM2 -out "$tmp/out/$1.key.pem" ;;
	esac
}

# mkcert NAME ALG SIGNER EXT NOT_AFTER SUBJECT
# Makes NAME's key (ALG: ec|sm2), CSR and certificate.  SIGNER is the name
# of the issuing certificate, or "self"; its key type picks the signature
# algorithm.
mkcert()
{
	name=$1 alg=$2 signer=$3 ext=$4 end=$5 subj=$6

	genkey "$name" "$alg"
	if [ "$alg" = sm2 ]; then
		reqopts="-sm3 -sigopt distid:$SM2_ID"
	else
		reqopts="-sha256"
	fi
	# shellcheck disable=SC2086
	openssl req -new -config "$tmp/openssl.cnf" -utf8 \
	    -key "$tmp/out/$name.key.pem" -subj "$subj" $reqopts \
	    -out "$tmp/$name.csr.pem"

	if [ "$signer" = self ]; then
		sigalg=$alg
		set -- -selfsign -keyfile "$tmp/out/$name.key.pem"
	else
		sigalg=$(cat "$tmp/$signer.alg")
		set -- -cert "$tmp/out/$signer.crt.pem" \
		    -keyfile "$tmp/out/$signer.key.pem"
	fi
	if [ "$sigalg" = sm2 ]; then
		set -- "$@" -md sm3 -sigopt "distid:$SM2_ID"
	else
		set -- "$@" -md sha256
	fi
	if [ "$alg" = sm2 ]; then
		set -- "$@" -vfyopt "distid:$SM2_ID"
	fi
	openssl ca -batch -config "$tmp/openssl.cnf" -utf8 -preserveDN \
	    -notext -rand_serial -extensions "$ext" \
	    -startdate "$NOT_BEFORE" -enddate "$end" \
	    -in "$tmp/$name.csr.pem" -out "$tmp/out/$name.crt.pem" \
	    "$@" 2>"$tmp/ca.log" || { cat "$tmp/ca.log" >&2; exit 1; }
	echo "$alg" >"$tmp/$name.alg"
}

EX='/C=CN/O=certd example (not for production)'
mkcert anchor-ec ec self ext_anchor "$ANCHOR_NOT_AFTER" \
    "$EX/CN=certd example trust anchor"
mkcert anchor-sm2 sm2 self ext_anchor "$ANCHOR_NOT_AFTER" \
    "$EX/CN=certd example SM2 trust anchor"
mkcert issuer-a ec anchor-ec ext_signer "$LEAF_NOT_AFTER" \
    "/C=CN/O=$NAME_A/CN=$NAME_A/serialNumber=$USCC_A"
mkcert issuer-b sm2 anchor-sm2 ext_signer "$LEAF_NOT_AFTER" \
    "/C=CN/O=$NAME_B/CN=$NAME_B/serialNumber=$USCC_B"
mkcert seal-maker sm2 anchor-sm2 ext_signer "$LEAF_NOT_AFTER" \
    "/C=CN/O=$NAME_MAKER/CN=$NAME_MAKER/serialNumber=$USCC_MAKER"
mkcert seal-owner sm2 anchor-sm2 ext_seal_owner "$LEAF_NOT_AFTER" \
    "/C=CN/O=$NAME_OWNER/CN=$NAME_OWNER/serialNumber=$USCC_OWNER"
mkcert tsa ec anchor-ec ext_tsa "$LEAF_NOT_AFTER" \
    "$EX/CN=certd example TSA"
mkcert presentation ec anchor-ec ext_signer "$LEAF_NOT_AFTER" \
    "$EX/CN=certd example presentation key"

cat "$tmp/out/anchor-ec.crt.pem" "$tmp/out/anchor-sm2.crt.pem" \
    >"$tmp/out/trust-anchors.pem"

{
	cat <<EOF
# keys-example/MANIFEST -- written by generate.sh.
# FOR EXAMPLES AND TESTS ONLY: these private keys are public.
# Validity: anchors $NOT_BEFORE to $ANCHOR_NOT_AFTER,
# all other certificates $NOT_BEFORE to $LEAF_NOT_AFTER.
# Every SM2 signature uses the distinguishing ID $SM2_ID.
# Columns, tab-separated: file, algorithm, signed-by, USCC, role.
trust-anchors.pem@-@-@-@bundle: anchor-ec.crt.pem, anchor-sm2.crt.pem
EOF
	while IFS=@ read -r name alg signer uscc role; do
		printf '%s.key.pem@%s@-@%s@%s, private key\n' \
		    "$name" "$alg" "$uscc" "$role"
		printf '%s.crt.pem@%s@%s@%s@%s, certificate\n' \
		    "$name" "$alg" "$signer" "$uscc" "$role"
	done <<EOF
anchor-ec@ES256 P-256@self@-@trust anchor, P-256 hierarchy
anchor-sm2@SM2-with-SM3@self@-@trust anchor, SM2 hierarchy
issuer-a@ES256 P-256@anchor-ec@$USCC_A@issuing authority A $NAME_A
issuer-b@SM2-with-SM3@anchor-sm2@$USCC_B@issuing authority B $NAME_B
seal-maker@SM2-with-SM3@anchor-sm2@$USCC_MAKER@seal maker $NAME_MAKER
seal-owner@SM2-with-SM3@anchor-sm2@$USCC_OWNER@seal owner $NAME_OWNER
tsa@ES256 P-256@anchor-ec@-@RFC 3161 time-stamping authority
presentation@ES256 P-256@anchor-ec@-@certd presentation-code signer
EOF
} | tr @ '\t' >"$tmp/out/MANIFEST"

for f in $FILES; do
	case $f in
	*.key.pem) chmod 600 "$tmp/out/$f" ;;
	*) chmod 644 "$tmp/out/$f" ;;
	esac
	mv -f "$tmp/out/$f" "$outdir/$f"
done
echo "generate.sh: wrote $(echo "$FILES" | wc -w | tr -d ' ') files to $outdir"
