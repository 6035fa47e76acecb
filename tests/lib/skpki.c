/*
 * skpki.c: the test PKI of test_trust.c and test_verify.c (skpki.h),
 * made by the openssl command line tool so that the certificates do not
 * depend on the code under test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sealkit/key.h"
#include "skpki.h"

static const char pki_script[] =
	"set -e\n"
	"D=$1; cd \"$D\"; mkdir -p new; : > index.txt; echo 1000 > serial\n"
	"cat > ca.cnf <<'C'\n"
	"[ca]\n"
	"default_ca = d\n"
	"[d]\n"
	"dir = .\n"
	"database = ./index.txt\n"
	"new_certs_dir = ./new\n"
	"serial = ./serial\n"
	"default_md = sha256\n"
	"policy = p\n"
	"unique_subject = no\n"
	"preserve = yes\n"
	"[p]\n"
	"C = optional\n"
	"O = optional\n"
	"CN = supplied\n"
	"serialNumber = optional\n"
	"[req]\n"
	"distinguished_name = dn\n"
	"[dn]\n"
	"[ca_ext]\n"
	"basicConstraints = critical,CA:TRUE\n"
	"keyUsage = critical,keyCertSign,cRLSign\n"
	"subjectKeyIdentifier = hash\n"
	"[ee]\n"
	"basicConstraints = critical,CA:FALSE\n"
	"keyUsage = critical,digitalSignature\n"
	"subjectKeyIdentifier = hash\n"
	"authorityKeyIdentifier = keyid\n"
	"[ee_ca]\n"
	"basicConstraints = critical,CA:TRUE\n"
	"keyUsage = critical,digitalSignature,keyCertSign\n"
	"[ee_nods]\n"
	"basicConstraints = critical,CA:FALSE\n"
	"keyUsage = critical,nonRepudiation\n"
	"C\n"
	"O=\"openssl\"\n"
	"q() { \"$@\" >/dev/null 2>&1 || { echo \"FAILED: $*\" >&2; exit 1; }; }\n"
	"key() { case $2 in\n"
	"\tec) q $O genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out $1.key;;\n"
	"\tsm2) q $O genpkey -algorithm SM2 -out $1.key;;\n"
	"\ted) q $O genpkey -algorithm ED25519 -out $1.key;;\n"
	"\tesac; }\n"
	"SM2O=\"-sigopt distid:1234567812345678 -vfyopt distid:1234567812345678\"\n"
	"anchor() { # name kind\n"
	"\tkey $1 $2; m=sha256; x=; [ $2 = sm2 ] && { m=sm3; x=$SM2O; }\n"
	"\tq $O req -new -config ca.cnf -key $1.key -subj \"/CN=$1\" -$m \\\n"
	"\t    $( [ $2 = sm2 ] && echo -sigopt distid:1234567812345678 ) -out $1.csr\n"
	"\tq $O ca -batch -config ca.cnf -selfsign -keyfile $1.key -in $1.csr \\\n"
	"\t    -md $m $x -startdate 20000101000000Z -enddate 20991231235959Z \\\n"
	"\t    -extensions ca_ext -notext -out $1.crt; }\n"
	"ee() { # name kind anchor anchorkind ext start end subj\n"
	"\tkey $1 $2; rm=; [ $2 = sm2 ] && rm=\"-sm3 -sigopt distid:1234567812345678\"\n"
	"\t[ $2 = ec ] && rm=-sha256\n"
	"\tq $O req -new -config ca.cnf -key $1.key -subj \"$8\" $rm -out $1.csr\n"
	"\tm=sha256; x=; [ $4 = sm2 ] && { m=sm3; x=$SM2O; }\n"
	"\t[ $4 = sm2noid ] && { m=sm3; x=\"-sigopt distid:0000000000000000\"; }\n"
	"\t[ $2 = sm2 ] && x=\"$x -vfyopt distid:1234567812345678\"\n"
	"\tq $O ca -batch -config ca.cnf -cert $3.crt -keyfile $3.key -in $1.csr \\\n"
	"\t    -md $m $x -startdate $6 -enddate $7 -extensions $5 -notext -out $1.crt; }\n"
	"A=11990100000000019F; B=11990100000000027A\n"
	"S=20200101000000Z; E=20401231235959Z\n"
	"anchor anchor-ec ec; anchor anchor-sm2 sm2; anchor anchor-other ec\n"
	"cat anchor-ec.crt anchor-sm2.crt > anchors.pem\n"
	"ee iss-ec ec anchor-ec ec ee $S $E \"/C=CN/O=A/CN=iss-ec/serialNumber=$A\"\n"
	"ee iss-ec2 ec anchor-ec ec ee $S $E \"/C=CN/O=A/CN=iss-ec2/serialNumber=$A\"\n"
	"ee iss-sm2 sm2 anchor-sm2 sm2 ee $S $E \"/C=CN/O=B/CN=iss-sm2/serialNumber=$B\"\n"
	"ee iss-ed ed anchor-ec ec ee $S $E \"/C=CN/O=A/CN=iss-ed/serialNumber=$A\"\n"
	"ee iss-sm2-noid ec anchor-sm2 sm2noid ee $S $E \"/C=CN/O=B/CN=iss-sm2-noid/serialNumber=$B\"\n"
	"ee iss-old ec anchor-ec ec ee 20100101000000Z 20151231235959Z \"/C=CN/O=A/CN=iss-old/serialNumber=$A\"\n"
	"ee iss-ca ec anchor-ec ec ee_ca $S $E \"/C=CN/O=A/CN=iss-ca/serialNumber=$A\"\n"
	"ee iss-nods ec anchor-ec ec ee_nods $S $E \"/C=CN/O=A/CN=iss-nods/serialNumber=$A\"\n"
	"ee iss-nouscc ec anchor-ec ec ee $S $E \"/C=CN/O=A/CN=iss-nouscc\"\n"
	"ee iss-foreign ec anchor-other ec ee $S $E \"/C=CN/O=A/CN=iss-foreign/serialNumber=$A\"\n"
	"\n";

static char dir[64];

const char *
skt_pki(const char *name)
{
	static char buf[4][256];
	static int n;

	n = (n + 1) % 4;
	if ((size_t)snprintf(buf[n], sizeof(buf[n]), "%s/%s", dir, name) >=
	    sizeof(buf[n]))
		exit(1);
	return buf[n];
}

int
skt_pki_sh(const char *cmd)
{
	char buf[1024];

	if ((size_t)snprintf(buf, sizeof(buf), "cd '%s' && %s >/dev/null 2>&1",
	    dir, cmd) >= sizeof(buf))
		return -1;
	return system(buf);
}

void
skt_pki_make(const char *tag)
{
	FILE *f;

	if ((size_t)snprintf(dir, sizeof(dir), "/tmp/sk-test-%s-XXXXXX",
	    tag) >= sizeof(dir) || mkdtemp(dir) == NULL ||
	    (f = fopen(skt_pki("gen.sh"), "w")) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	fputs(pki_script, f);
	fclose(f);
	/* openssl is a declared dependency: no PKI is a failure, not a skip. */
	if (skt_pki_sh("sh gen.sh .") != 0) {
		fprintf(stderr, "openssl could not make the test PKI in %s\n",
		    dir);
		exit(1);
	}
}

void
skt_pki_cleanup(void)
{
	char cmd[128];

	if (strncmp(dir, "/tmp/sk-test-", 13) != 0)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

struct sk_cert *
skt_pki_cert(const char *name)
{
	struct sk_cert *c = NULL;
	char f[64];

	snprintf(f, sizeof(f), "%s.crt", name);
	if (sk_cert_load_file(skt_pki(f), &c) != 0) {
		fprintf(stderr, "cannot load %s\n", f);
		exit(1);
	}
	return c;
}

struct sk_signer *
skt_pki_signer(const char *keyname, const char *certname)
{
	struct sk_signer *s = NULL;
	struct sk_key *k = NULL;
	struct sk_cert *c = skt_pki_cert(certname);
	char f[64];

	snprintf(f, sizeof(f), "%s.key", keyname);
	if (sk_key_load_file(skt_pki(f), NULL, &k) != 0 ||
	    sk_signer_from_key(k, SK_ALG_NONE, c, &s) != 0) {
		fprintf(stderr, "cannot make signer %s\n", f);
		exit(1);
	}
	sk_cert_free(c);
	return s;
}
