/*
 * RFC 3161 time-stamping authority (sealkit/tsa.h), with the openssl
 * command line tool as the client: `openssl ts -query` makes the
 * requests, sk_tsa_respond() answers, `openssl ts -reply -text` reads the
 * replies and `openssl ts -verify` checks the tokens against the
 * keys-example anchor, all in a mkdtemp directory.
 */
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sealkit/key.h"
#include "sealkit/tsa.h"
#include "sktest.h"

/* 2026-06-01T00:00:00Z, inside the example TSA certificate's validity. */
#define T_JUN2026	1780272000
#define T_JUN2026_TEXT	"Time stamp: Jun  1 00:00:00 2026 GMT"
/* 2025-06-01T00:00:00Z, before it. */
#define T_JUN2025	1748736000
#define TEXT_MAX	8192

/* Extensions [0] { subjectKeyIdentifier, OCTET STRING { ab cd } }. */
static const uint8_t ext_req[] = {
	0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x1d, 0x0e, 0x04, 0x04, 0x04,
	0x02, 0xab, 0xcd
};

static char tmpdir[] = "/tmp/sk-test-tsa-XXXXXX";
static char keys[512];
static int64_t fixed_now = T_JUN2026;

static void	sh_fmt(char *, size_t, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static int	sh(const char *, ...) __attribute__((format(printf, 1, 2)));
static int	sh_text(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
sh_fmt(char *cmd, size_t size, const char *fmt, va_list ap)
{
	int n;

	if (chdir(tmpdir) == -1) {
		perror(tmpdir);
		exit(1);
	}
	n = vsnprintf(cmd, size, fmt, ap);
	if (n < 0 || (size_t)n >= size) {
		fprintf(stderr, "command too long\n");
		exit(1);
	}
}

/* Run a shell command inside tmpdir, quietly; its exit status. */
static int
sh(const char *fmt, ...)
{
	char cmd[2048], full[2100];
	va_list ap;
	int st;

	va_start(ap, fmt);
	sh_fmt(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "(%s) >/dev/null 2>&1", cmd);
	st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run a command and keep (the start of) its standard output. */
static int
sh_text(char *out, size_t size, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	FILE *p;
	size_t n;
	int st;

	va_start(ap, fmt);
	sh_fmt(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *
kpath(const char *name)
{
	static char buf[4][600];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", keys, name);
	return buf[i];
}

static const char *
tpath(const char *name)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tmpdir, name);
	return buf[i];
}

static void
put_file(const char *name, const void *p, size_t len)
{
	FILE *f = fopen(tpath(name), "wb");

	if (f == NULL || fwrite(p, 1, len, f) != len) {
		perror(name);
		exit(1);
	}
	fclose(f);
}

static uint8_t *
get_file(const char *name, size_t *len)
{
	uint8_t *p = skt_read_file(tpath(name), len);

	if (p == NULL) {
		perror(name);
		exit(1);
	}
	return p;
}

static int
fixed_clock(void *arg, int64_t *sec)
{
	(void)arg;
	*sec = fixed_now;
	return 0;
}

static int
broken_clock(void *arg, int64_t *sec)
{
	(void)arg;
	*sec = 0;
	return -1;
}

/* The example TSA with the fixed clock; exits if it cannot be made. */
static struct sk_tsa *
example_tsa(void)
{
	struct sk_key *key = NULL;
	struct sk_cert *cert = NULL;
	struct sk_tsa *tsa = NULL;

	if (sk_key_load_file(kpath("tsa.key.pem"), NULL, &key) != 0 ||
	    sk_cert_load_file(kpath("tsa.crt.pem"), &cert) != 0 ||
	    sk_tsa_new(key, cert, NULL, 0, &tsa) != 0) {
		fprintf(stderr, "cannot make the example TSA\n");
		exit(1);
	}
	sk_key_free(key);
	sk_cert_free(cert);
	fixed_now = T_JUN2026;
	sk_tsa_set_clock(tsa, fixed_clock, NULL);
	return tsa;
}

/* Answer bytes, writing the reply to file out; the sk_tsa_respond rc. */
static int
respond_mem(struct sk_tsa *tsa, const uint8_t *q, size_t qlen,
    const char *out, struct sk_tsa_outcome *oc)
{
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, SK_TSA_MAX_REPLY);
	rc = sk_tsa_respond(tsa, q, qlen, &b, oc);
	if (rc == 0)
		put_file(out, b.data, b.len);
	else
		SKT_EQ(b.len, 0);
	sk_buf_free(&b);
	return rc;
}

static int
respond_file(struct sk_tsa *tsa, const char *in, const char *out,
    struct sk_tsa_outcome *oc)
{
	uint8_t *q;
	size_t qlen;
	int rc;

	q = get_file(in, &qlen);
	rc = respond_mem(tsa, q, qlen, out, oc);
	free(q);
	return rc;
}

/* `openssl ts -reply -text` of a reply file into text. */
static int
reply_text(const char *file, char *text)
{
	return sh_text(text, TEXT_MAX, "openssl ts -reply -in %s -text "
	    "2>/dev/null", file);
}

/* `openssl ts -verify` of data against reply, with the anchor. */
static int
ts_verify(const char *data, const char *reply, int untrusted)
{
	return sh("openssl ts -verify -data %s -in %s -CAfile %s %s %s",
	    data, reply, kpath("anchor-ec.crt.pem"),
	    untrusted ? "-untrusted" : "",
	    untrusted ? kpath("tsa.crt.pem") : "");
}

/* The value after "label: " in text, up to the end of line. */
static int
field(const char *text, const char *label, char *out, size_t size)
{
	const char *p = strstr(text, label);
	size_t n;

	out[0] = '\0';
	if (p == NULL)
		return -1;
	p += strlen(label);
	n = strcspn(p, "\n");
	if (n >= size)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* A rejection with exactly one failure bit, as reply and as text. */
static void
check_rejected(const struct sk_tsa_outcome *oc, uint32_t bit,
    const char *file, const char *failtext)
{
	char text[TEXT_MAX];

	SKT_EQ(oc->status, SK_TSA_REJECTION);
	SKT_EQ(oc->failinfo, bit);
	SKT_EQ(reply_text(file, text), 0);
	SKT_CHECK(strstr(text, "Status: Rejected.") != NULL);
	SKT_CHECK(strstr(text, failtext) != NULL);
	SKT_CHECK(strstr(text, "TST info:\nNot included.") != NULL);
}

static void
test_granted_verify(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX], val[256];

	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -cert "
	    "-out q.tsq"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	SKT_EQ(oc.failinfo, 0);
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Status: Granted.") != NULL);
	SKT_EQ(field(text, "Policy OID: ", val, sizeof(val)), 0);
	SKT_CHECK(strcmp(val, SK_TSA_POLICY_EXAMPLE) == 0);
	SKT_CHECK(strstr(text, "Hash Algorithm: sha256") != NULL);
	SKT_EQ(field(text, "Serial number: 0x", val, sizeof(val)), 0);
	SKT_CHECK(strlen(val) == 2 + 16 && strncmp(val, "01", 2) == 0);
	SKT_CHECK(strstr(text, T_JUN2026_TEXT "\n") != NULL);
	SKT_CHECK(strstr(text, "Accuracy: 0x01 seconds") != NULL);
	SKT_CHECK(strstr(text, "TSA: DirName:/C=CN/O=certd example (not for "
	    "production)/CN=certd example TSA") != NULL);

	SKT_EQ(ts_verify("data.txt", "r.tsr", 1), 0);
	SKT_CHECK(ts_verify("other.txt", "r.tsr", 1) != 0);
	/* certReq: the token carries the certificate itself. */
	SKT_EQ(ts_verify("data.txt", "r.tsr", 0), 0);
	/* The query checks imprint, nonce and policy together. */
	SKT_EQ(sh("openssl ts -verify -queryfile q.tsq -in r.tsr -CAfile %s",
	    kpath("anchor-ec.crt.pem")), 0);
	/* RFC 5816: the signer is named by an ESSCertIDv2. */
	SKT_EQ(sh_text(text, sizeof(text), "openssl asn1parse -inform DER "
	    "-in r.tsr"), 0);
	SKT_CHECK(strstr(text, ":id-smime-aa-signingCertificateV2\n") != NULL);
	SKT_CHECK(strstr(text, ":id-smime-aa-signingCertificate\n") == NULL);
	SKT_CHECK(strstr(text, ":ecdsa-with-SHA256\n") != NULL);
	sk_tsa_free(tsa);
}

static void
test_cert_req(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX];

	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -out q.tsq"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	/* No certReq: no certificate in the token; -untrusted supplies it. */
	SKT_CHECK(ts_verify("data.txt", "r.tsr", 0) != 0);
	SKT_EQ(ts_verify("data.txt", "r.tsr", 1), 0);
	SKT_EQ(sh_text(text, sizeof(text), "openssl ts -reply -in r.tsr "
	    "-token_out -out t.p7 2>/dev/null && "
	    "openssl pkcs7 -inform DER -in t.p7 -print_certs"), 0);
	SKT_CHECK(strstr(text, "subject=") == NULL);
	sk_tsa_free(tsa);
}

static void
test_chain(void)
{
	struct sk_key *key;
	struct sk_cert *cert, *anchor;
	struct sk_tsa *tsa;
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX];
	const char *p;
	int n = 0;

	SKT_RC(sk_key_load_file(kpath("tsa.key.pem"), NULL, &key), 0);
	SKT_RC(sk_cert_load_file(kpath("tsa.crt.pem"), &cert), 0);
	SKT_RC(sk_cert_load_file(kpath("anchor-ec.crt.pem"), &anchor), 0);
	SKT_RC(sk_tsa_new(key, cert, (const struct sk_cert *const *)&anchor,
	    1, &tsa), 0);
	sk_key_free(key);
	sk_cert_free(cert);
	sk_cert_free(anchor);
	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -cert "
	    "-out q.tsq"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	SKT_EQ(ts_verify("data.txt", "r.tsr", 0), 0);
	SKT_EQ(sh_text(text, sizeof(text), "openssl ts -reply -in r.tsr "
	    "-token_out -out t.p7 2>/dev/null && "
	    "openssl pkcs7 -inform DER -in t.p7 -print_certs"), 0);
	for (p = text; (p = strstr(p, "subject=")) != NULL; p++)
		n++;
	SKT_EQ(n, 2);
	SKT_CHECK(strstr(text, "CN = certd example trust anchor") != NULL);
	sk_tsa_free(tsa);
}

static void
test_nonce(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX], qn[128], rn[128];

	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -out q.tsq"), 0);
	SKT_EQ(sh_text(text, sizeof(text), "openssl ts -query -in q.tsq "
	    "-text"), 0);
	SKT_EQ(field(text, "Nonce: 0x", qn, sizeof(qn)), 0);
	SKT_CHECK(strlen(qn) >= 8);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_EQ(field(text, "Nonce: 0x", rn, sizeof(rn)), 0);
	SKT_CHECK(strcmp(qn, rn) == 0);

	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -no_nonce "
	    "-out q.tsq"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Nonce: unspecified") != NULL);
	SKT_EQ(ts_verify("data.txt", "r.tsr", 1), 0);
	sk_tsa_free(tsa);
}

static void
test_digests(void)
{
	static const char *good[] = { "sha384", "sha512", "sm3" };
	static const char *bad[] = { "sha1", "md5", "sha224", "sha3-256" };
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX], want[64];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		SKT_EQ(sh("openssl ts -query -data data.txt -%s -cert "
		    "-out q.tsq", good[i]), 0);
		SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
		SKT_EQ(oc.status, SK_TSA_GRANTED);
		SKT_EQ(reply_text("r.tsr", text), 0);
		snprintf(want, sizeof(want), "Hash Algorithm: %s\n", good[i]);
		SKT_CHECK(strstr(text, want) != NULL);
		SKT_EQ(ts_verify("data.txt", "r.tsr", 0), 0);
		SKT_CHECK(ts_verify("other.txt", "r.tsr", 0) != 0);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		SKT_EQ(sh("openssl ts -query -data data.txt -%s -out q.tsq",
		    bad[i]), 0);
		SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
		check_rejected(&oc, SK_TSA_FAIL_BAD_ALG, "r.tsr",
		    "Failure info: unrecognized or unsupported algorithm");
	}
	/* Narrowed to SHA-512, SHA-256 is refused too. */
	SKT_RC(sk_tsa_set_digests(tsa, SK_TSA_MD_SHA512), 0);
	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -out q.tsq"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_BAD_ALG);
	SKT_RC(sk_tsa_set_digests(tsa, 0), SK_ERR_ARG);
	SKT_RC(sk_tsa_set_digests(tsa, 0x10), SK_ERR_ARG);
	sk_tsa_free(tsa);
}

/*
 * A no-nonce SHA-256 query for data.txt, 56 bytes: 30 36 { 02 01 01,
 * 30 31 { 30 0d { 06 09 <sha256>, 05 00 }, 04 20 <imprint> } }.
 */
static uint8_t *
plain_query(size_t *len)
{
	uint8_t *q;

	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -no_nonce "
	    "-out plain.tsq"), 0);
	q = get_file("plain.tsq", len);
	if (*len != 56 || q[1] != 0x36 || q[6] != 0x31 || q[20] != 0x05) {
		fprintf(stderr, "unexpected openssl ts -query output\n");
		exit(1);
	}
	return q;
}

static void
test_malformed(void)
{
	static const uint8_t garbage[] = "this is not a TimeStampReq";
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX];
	uint8_t *q, buf[128];
	size_t len;
	const char *wrongfmt = "Failure info: the data submitted has the "
	    "wrong format";

	q = plain_query(&len);
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);

	SKT_RC(respond_mem(tsa, garbage, sizeof(garbage), "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_DATA_FORMAT, "r.tsr", wrongfmt);
	SKT_RC(respond_mem(tsa, q, len - 1, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_DATA_FORMAT, "r.tsr", wrongfmt);
	SKT_RC(respond_mem(tsa, NULL, 0, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_DATA_FORMAT, "r.tsr", wrongfmt);

	memcpy(buf, q, len);
	buf[len] = 0x00;
	SKT_RC(respond_mem(tsa, buf, len + 1, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_DATA_FORMAT, "r.tsr", wrongfmt);

	/* BER, not DER: the outer length in long form (30 81 29). */
	buf[0] = 0x30;
	buf[1] = 0x81;
	memcpy(buf + 2, q + 1, len - 1);
	SKT_RC(respond_mem(tsa, buf, len + 1, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_DATA_FORMAT, "r.tsr", wrongfmt);

	/* Version 2. */
	memcpy(buf, q, len);
	buf[4] = 0x02;
	SKT_RC(respond_mem(tsa, buf, len, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_REQUEST, "r.tsr",
	    "Failure info: transaction not permitted or supported");
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Status description: Request version is not "
	    "1.\n") != NULL);

	/* The SHA-256 OID made SHA-384: a 32-byte imprint is too short. */
	memcpy(buf, q, len);
	SKT_EQ(buf[19], 0x01);
	buf[19] = 0x02;
	SKT_RC(respond_mem(tsa, buf, len, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_DATA_FORMAT, "r.tsr", wrongfmt);

	/* Hash parameters that are not NULL: 05 00 becomes 01 01 ff. */
	buf[0] = 0x30;
	buf[1] = 0x37;
	memcpy(buf + 2, q + 2, 3);
	buf[5] = 0x30;
	buf[6] = 0x32;
	buf[7] = 0x30;
	buf[8] = 0x0e;
	memcpy(buf + 9, q + 9, 11);
	buf[20] = 0x01;
	buf[21] = 0x01;
	buf[22] = 0xff;
	memcpy(buf + 23, q + 22, len - 22);
	SKT_RC(respond_mem(tsa, buf, len + 1, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_BAD_ALG, "r.tsr",
	    "Failure info: unrecognized or unsupported algorithm");
	/* Refused by our check, not only by OpenSSL's after it. */
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Status description: Hash algorithm "
	    "parameters are not absent or NULL.\n") != NULL);

	/* An extension. */
	memcpy(buf, q, len);
	memcpy(buf + len, ext_req, sizeof(ext_req));
	buf[1] = (uint8_t)(q[1] + sizeof(ext_req));
	SKT_RC(respond_mem(tsa, buf, len + sizeof(ext_req), "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_UNACCEPTED_EXTENSION, "r.tsr",
	    "Failure info: the requested extension is not supported");
	free(q);
	sk_tsa_free(tsa);
}

static void
test_limits(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	struct sk_buf b;
	uint8_t *big, *q;
	size_t len;

	q = plain_query(&len);
	big = calloc(1, SK_TSA_MAX_QUERY + 1);
	SKT_CHECK(big != NULL);
	memcpy(big, q, len);
	sk_buf_init(&b, SK_TSA_MAX_REPLY);
	SKT_RC(sk_tsa_respond(tsa, big, SK_TSA_MAX_QUERY + 1, &b, &oc),
	    SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	/* At the limit it is parsed: trailing zeros, badDataFormat. */
	SKT_RC(sk_tsa_respond(tsa, big, SK_TSA_MAX_QUERY, &b, &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_BAD_DATA_FORMAT);
	sk_buf_free(&b);

	/* A reply buffer too small for a token: nothing written. */
	sk_buf_init(&b, 200);
	SKT_RC(sk_tsa_respond(tsa, q, len, &b, &oc), SK_ERR_LIMIT);
	SKT_EQ(b.len, 0);
	SKT_RC(sk_tsa_respond(NULL, q, len, &b, &oc), SK_ERR_ARG);
	SKT_RC(sk_tsa_respond(tsa, NULL, 1, &b, &oc), SK_ERR_ARG);
	SKT_RC(sk_tsa_respond(tsa, q, len, NULL, &oc), SK_ERR_ARG);
	sk_buf_free(&b);
	free(big);
	free(q);
	sk_tsa_free(tsa);
}

static void
test_policy(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX];

	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -tspolicy %s "
	    "-out q.tsq", SK_TSA_POLICY_EXAMPLE), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	SKT_EQ(sh("openssl ts -query -data data.txt -sha256 -tspolicy "
	    "2.25.1 -out q.tsq"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_UNACCEPTED_POLICY, "r.tsr",
	    "Failure info: the requested TSA policy is not supported");
	/* Our check, before OpenSSL's ("Requested policy is not supp..."). */
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Status description: Request policy is not "
	    "this TSA's policy.\n") != NULL);

	SKT_RC(sk_tsa_set_policy(tsa, "2.25.1"), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Policy OID: 2.25.1\n") != NULL);
	SKT_RC(sk_tsa_set_accuracy(tsa, 0), 0);
	SKT_RC(respond_file(tsa, "q.tsq", "r.tsr", &oc), 0);
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_CHECK(strstr(text, "Accuracy: unspecified") != NULL);
	SKT_RC(sk_tsa_set_accuracy(tsa, SK_TSA_MAX_ACCURACY + 1), SK_ERR_ARG);

	SKT_RC(sk_tsa_set_policy(tsa, ""), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, "sha256"), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, "2..5"), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, "2.05"), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, "7.1"), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, "2"), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, "1.2.3 "), SK_ERR_FORMAT);
	SKT_RC(sk_tsa_set_policy(tsa, NULL), SK_ERR_ARG);
	memset(text, '1', SK_TSA_MAX_POLICY + 1);
	text[0] = '2';
	text[1] = '.';
	text[SK_TSA_MAX_POLICY + 1] = '\0';
	SKT_RC(sk_tsa_set_policy(tsa, text), SK_ERR_LIMIT);
	sk_tsa_free(tsa);
}

/* The serial number of a reply file as hex digits after 0x. */
static void
serial_of(const char *file, char *out, size_t size)
{
	char text[TEXT_MAX];

	SKT_EQ(reply_text(file, text), 0);
	SKT_EQ(field(text, "Serial number: 0x", out, size), 0);
}

/* Hex strings without leading zeros: compare as numbers. */
static int
hexcmp(const char *a, const char *b)
{
	if (strlen(a) != strlen(b))
		return strlen(a) < strlen(b) ? -1 : 1;
	return strcmp(a, b);
}

static uint64_t counter_next;

static int
counter_cb(void *arg, uint64_t *c)
{
	SKT_CHECK(arg == &counter_next);
	if (counter_next == 0)
		return -1;
	*c = counter_next;
	return 0;
}

static void
test_serials(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char s[3][64];
	uint8_t *q, buf[128];
	size_t len, i;

	q = plain_query(&len);
	for (i = 0; i < 3; i++) {
		SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
		serial_of("r.tsr", s[i], sizeof(s[i]));
		SKT_EQ(strlen(s[i]), 2 + 16);
		if (i > 0)
			SKT_CHECK(hexcmp(s[i - 1], s[i]) < 0);
	}
	/*
	 * Refusals use no serial, including one OpenSSL would only make
	 * after taking a serial (an extension): the next counter is 04.
	 */
	SKT_RC(respond_mem(tsa, q, len - 1, "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_REJECTION);
	memcpy(buf, q, len);
	memcpy(buf + len, ext_req, sizeof(ext_req));
	buf[1] = (uint8_t)(q[1] + sizeof(ext_req));
	SKT_RC(respond_mem(tsa, buf, len + sizeof(ext_req), "r.tsr", &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_UNACCEPTED_EXTENSION);
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	serial_of("r.tsr", s[0], sizeof(s[0]));
	SKT_CHECK(strncmp(s[0], "04", 2) == 0);

	sk_tsa_set_serial_cb(tsa, counter_cb, &counter_next);
	counter_next = 0x1234;
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	serial_of("r.tsr", s[1], sizeof(s[1]));
	SKT_CHECK(strlen(s[1]) == 4 + 16 && strncmp(s[1], "1234", 4) == 0);
	SKT_CHECK(hexcmp(s[0], s[1]) < 0);
	/* Not increasing, zero, or a failing callback: systemFailure. */
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_SYSTEM_FAILURE, "r.tsr",
	    "Failure info: the request cannot be handled due to system");
	counter_next = 0;
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_SYSTEM_FAILURE);
	counter_next = UINT64_MAX;
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	serial_of("r.tsr", s[2], sizeof(s[2]));
	SKT_CHECK(strncmp(s[2], "FFFFFFFFFFFFFFFF", 16) == 0 &&
	    strlen(s[2]) == 32);
	/* The built-in counter cannot pass UINT64_MAX either. */
	sk_tsa_set_serial_cb(tsa, NULL, NULL);
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_SYSTEM_FAILURE);
	free(q);
	sk_tsa_free(tsa);
}

static void
test_clock(void)
{
	struct sk_tsa *tsa = example_tsa();
	struct sk_tsa_outcome oc;
	char text[TEXT_MAX], val[64];
	uint8_t *q;
	size_t len;

	q = plain_query(&len);
	fixed_now = T_JUN2025;
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_SYSTEM_FAILURE, "r.tsr",
	    "Failure info: the request cannot be handled due to system");
	fixed_now = 2082758400;	/* 2036-01-01: after notAfter */
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_SYSTEM_FAILURE);
	fixed_now = -1;
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.failinfo, SK_TSA_FAIL_TIME_NOT_AVAILABLE);
	sk_tsa_set_clock(tsa, broken_clock, NULL);
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	check_rejected(&oc, SK_TSA_FAIL_TIME_NOT_AVAILABLE, "r.tsr",
	    "Failure info: the TSA's time source is not available");
	/* The system clock: today, per `date -u`. */
	sk_tsa_set_clock(tsa, NULL, NULL);
	SKT_RC(respond_mem(tsa, q, len, "r.tsr", &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	SKT_EQ(reply_text("r.tsr", text), 0);
	SKT_EQ(sh_text(val, sizeof(val), "LC_ALL=C date -u '+%%b %%e'"), 0);
	val[strcspn(val, "\n")] = '\0';
	SKT_CHECK(strstr(text, val) != NULL);
	free(q);
	sk_tsa_free(tsa);
}

static void
test_new_errors(void)
{
	struct sk_key *key, *pub, *ikey, *skey;
	struct sk_cert *cert, *anchor, *icert, *scert;
	static int dummy;
	struct sk_tsa *tsa = (struct sk_tsa *)(void *)&dummy;

	SKT_RC(sk_key_load_file(kpath("tsa.key.pem"), NULL, &key), 0);
	SKT_RC(sk_pubkey_load_file(kpath("tsa.crt.pem"), &pub), 0);
	SKT_RC(sk_key_load_file(kpath("issuer-a.key.pem"), NULL, &ikey), 0);
	SKT_RC(sk_key_load_file(kpath("seal-maker.key.pem"), NULL, &skey), 0);
	SKT_RC(sk_cert_load_file(kpath("tsa.crt.pem"), &cert), 0);
	SKT_RC(sk_cert_load_file(kpath("anchor-ec.crt.pem"), &anchor), 0);
	SKT_RC(sk_cert_load_file(kpath("issuer-a.crt.pem"), &icert), 0);
	SKT_RC(sk_cert_load_file(kpath("seal-maker.crt.pem"), &scert), 0);

	/* issuer-a: a P-256 key whose certificate has no timeStamping. */
	SKT_RC(sk_tsa_new(ikey, icert, NULL, 0, &tsa), SK_ERR_CERT);
	SKT_CHECK(tsa == NULL);
	SKT_RC(sk_tsa_new(key, anchor, NULL, 0, &tsa), SK_ERR_KEY);
	SKT_RC(sk_tsa_new(ikey, cert, NULL, 0, &tsa), SK_ERR_KEY);
	SKT_RC(sk_tsa_new(pub, cert, NULL, 0, &tsa), SK_ERR_KEY);
	SKT_RC(sk_tsa_new(skey, scert, NULL, 0, &tsa), SK_ERR_UNSUPPORTED);
	SKT_RC(sk_tsa_new(NULL, cert, NULL, 0, &tsa), SK_ERR_ARG);
	SKT_RC(sk_tsa_new(key, NULL, NULL, 0, &tsa), SK_ERR_ARG);
	SKT_RC(sk_tsa_new(key, cert, NULL, 1, &tsa), SK_ERR_ARG);
	SKT_RC(sk_tsa_new(key, cert, NULL, 0, NULL), SK_ERR_ARG);
	SKT_RC(sk_tsa_new(key, cert, (const struct sk_cert *const *)&anchor,
	    SK_TSA_MAX_CHAIN + 1, &tsa), SK_ERR_LIMIT);
	SKT_RC(sk_tsa_new(key, cert, NULL, 0, &tsa), 0);
	sk_tsa_free(tsa);
	sk_tsa_free(NULL);

	sk_key_free(key);
	sk_key_free(pub);
	sk_key_free(ikey);
	sk_key_free(skey);
	sk_cert_free(cert);
	sk_cert_free(anchor);
	sk_cert_free(icert);
	sk_cert_free(scert);
}

int
main(void)
{
	const char *top = getenv("SK_SOURCE_DIR");

	snprintf(keys, sizeof(keys), "%s/keys-example", top != NULL ? top :
	    "..");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	if (system("openssl version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "no openssl tool\n");
		return 77;
	}
	put_file("data.txt", "electronic licence\n", 19);
	put_file("other.txt", "electronic licencE\n", 19);
	SKT_RUN(test_granted_verify);
	SKT_RUN(test_cert_req);
	SKT_RUN(test_chain);
	SKT_RUN(test_nonce);
	SKT_RUN(test_digests);
	SKT_RUN(test_malformed);
	SKT_RUN(test_limits);
	SKT_RUN(test_policy);
	SKT_RUN(test_serials);
	SKT_RUN(test_clock);
	SKT_RUN(test_new_errors);
	if (sh("rm -rf '%s'", tmpdir) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return skt_done();
}
