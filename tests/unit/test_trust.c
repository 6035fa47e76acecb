/*
 * test_trust.c: anchors, the signed trust list, issuer rules and chain
 * validation at a time (include/sealkit/trust.h).  The PKI is made at
 * test time by the openssl command line tool in a mkdtemp directory, so
 * the certificates are independent of the code under test; SM2
 * certificates are signed with the distinguishing ID 1234567812345678 and
 * one with a wrong ID, and `openssl verify -vfyopt distid:...` is the
 * reference for which of them must chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sealkit/trust.h"
#include "skpki.h"
#include "sktest.h"


#define NOW	INT64_C(1893456000)	/* 2030-01-01T00:00:00Z */
#define DAY	INT64_C(86400)
#define IAT	(NOW - DAY)
#define NEXT	(NOW + 7 * DAY)
#define USCC_A	"11990100000000019F"

/* The shared test PKI (tests/lib/skpki.h). */
#define pki(name)		skt_pki(name)
#define sh(cmd)			skt_pki_sh(cmd)
#define cert(name)		skt_pki_cert(name)
#define signer(key, crt)	skt_pki_signer(key, crt)

/* A list of the named issuers signed by keyname with certname's kid. */
static int
build(const char *keyname, const char *certname, const char *const *names,
    size_t n, int64_t iat, int64_t next, struct sk_buf *out)
{
	const struct sk_cert *cs[16];
	struct sk_cert *own[16], *c;
	struct sk_signer *s;
	size_t i;
	int rc;

	if (strcmp(keyname, certname) == 0)
		s = signer(keyname, certname);
	else {
		/* A forger: own key, someone else's kid. */
		s = signer(keyname, keyname);
		c = cert(certname);
		if (sk_cert_kid(c, s->kid) != 0)
			exit(1);
		sk_cert_free(c);
	}

	for (i = 0; i < n; i++)
		cs[i] = own[i] = cert(names[i]);
	sk_buf_init(out, SK_TRUST_MAX_BYTES);
	rc = sk_trustlist_build(s, cs, n, iat, next, out);
	for (i = 0; i < n; i++)
		sk_cert_free(own[i]);
	sk_signer_free(s);
	return rc;
}

static struct sk_trust *
fresh(void)
{
	struct sk_trust *t = NULL;

	if (sk_trust_new_file(pki("anchors.pem"), &t) != 0)
		exit(1);
	return t;
}

/* The kid from the DER the openssl tool writes, hashed here. */
static void
cli_kid(const char *name, uint8_t kid[SK_KID_LEN])
{
	uint8_t md[EVP_MAX_MD_SIZE], *der;
	unsigned int mdlen = 0;
	char cmd[256];
	size_t len;

	snprintf(cmd, sizeof(cmd), "openssl x509 -in %s.crt -outform DER "
	    "-out %s.der", name, name);
	SKT_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s.der", name);
	der = skt_read_file(pki(cmd), &len);
	SKT_CHECK(der != NULL);
	if (der == NULL)
		return;
	SKT_CHECK(EVP_Digest(der, len, md, &mdlen, EVP_sha256(), NULL) == 1);
	memcpy(kid, md, SK_KID_LEN);
	free(der);
}

static void
test_anchors(void)
{
	struct sk_trust *t = NULL;
	static const uint8_t junk[] = "not a certificate";
	uint8_t *pem;
	size_t len;

	SKT_RC(sk_trust_new_file(pki("anchors.pem"), &t), 0);
	SKT_EQ(sk_trust_count(t), 0);
	sk_trust_free(t);
	/* An end-entity certificate is not an anchor. */
	SKT_RC(sk_trust_new_file(pki("iss-ec.crt"), &t), SK_ERR_CERT);
	SKT_CHECK(t == NULL);
	SKT_RC(sk_trust_new(junk, sizeof(junk), &t), SK_ERR_FORMAT);
	SKT_RC(sk_trust_new_file(pki("nonexistent.pem"), &t), SK_ERR_IO);
	/* A truncated bundle fails closed. */
	pem = skt_read_file(pki("anchors.pem"), &len);
	SKT_CHECK(pem != NULL && len > 100);
	SKT_CHECK(sk_trust_new(pem, len - 40, &t) != 0);
	SKT_CHECK(t == NULL);
	free(pem);
	sk_trust_free(NULL);
}

static void
test_build_load(void)
{
	static const char *const names[] = { "iss-ec", "iss-sm2", "iss-ed" };
	const struct sk_cert *c = NULL;
	struct sk_trust *t = fresh();
	uint8_t kid[SK_KID_LEN];
	int64_t a, b;
	struct sk_buf l;
	size_t i;

	SKT_RC(build("anchor-ec", "anchor-ec", names, 3, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), 0);
	SKT_EQ(sk_trust_count(t), 3);
	sk_trust_list_times(t, &a, &b);
	SKT_EQ(a, IAT);
	SKT_EQ(b, NEXT);
	for (i = 0; i < 3; i++) {
		cli_kid(names[i], kid);
		SKT_RC(sk_trust_lookup(t, kid, SK_KID_LEN, 0, &c), 0);
		SKT_CHECK(c != NULL);
		SKT_RC(sk_trust_lookup(t, kid, SK_KID_LEN, 1, &c),
		    SK_ERR_NOTFOUND);
		SKT_CHECK(c == NULL);
		SKT_RC(sk_trust_lookup(t, kid, SK_KID_LEN - 1, 0, &c),
		    SK_ERR_NOTFOUND);
		kid[0] ^= 1;
		SKT_RC(sk_trust_lookup(t, kid, SK_KID_LEN, 0, &c),
		    SK_ERR_NOTFOUND);
	}
	/* Reload over a loaded store; then the SM2 anchor signs. */
	sk_buf_free(&l);
	SKT_RC(build("anchor-sm2", "anchor-sm2", names, 1, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), 0);
	SKT_EQ(sk_trust_count(t), 1);
	sk_buf_free(&l);
	sk_trust_free(t);
}

static void
test_stale(void)
{
	static const char *const names[] = { "iss-ec" };
	struct sk_trust *t = fresh();
	struct sk_buf l;

	SKT_RC(build("anchor-ec", "anchor-ec", names, 1, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NEXT), SK_ERR_EXPIRED);
	SKT_EQ(sk_trust_count(t), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, IAT - 1), SK_ERR_EXPIRED);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NEXT - 1), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, IAT), 0);
	/* A failed load leaves no issuers behind. */
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NEXT), SK_ERR_EXPIRED);
	SKT_EQ(sk_trust_count(t), 0);
	/* The anchor itself expired (anchors end 2099-12-31). */
	SKT_RC(sk_trust_load_list(t, l.data, l.len, INT64_C(4102444800)),
	    SK_ERR_EXPIRED);
	sk_buf_free(&l);
	sk_buf_init(&l, SK_TRUST_MAX_BYTES);
	SKT_RC(build("anchor-ec", "anchor-ec", names, 1, NEXT, IAT, &l),
	    SK_ERR_ARG);
	sk_buf_free(&l);
	sk_trust_free(t);
}

static void
test_tamper(void)
{
	static const char *const names[] = { "iss-ec", "iss-sm2" };
	struct sk_trust *t = fresh();
	struct sk_buf l;
	size_t i, bad = 0;

	SKT_RC(build("anchor-ec", "anchor-ec", names, 2, IAT, NEXT, &l), 0);
	for (i = 0; i < l.len; i++) {
		l.data[i] ^= 0x01;
		if (sk_trust_load_list(t, l.data, l.len, NOW) == 0 ||
		    sk_trust_count(t) != 0)
			bad++;
		l.data[i] ^= 0x01;
	}
	SKT_EQ(bad, 0);
	for (i = 0; i < l.len; i++)
		if (sk_trust_load_list(t, l.data, i, NOW) == 0)
			bad++;
	SKT_EQ(bad, 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), 0);
	sk_buf_free(&l);
	sk_trust_free(t);
}

static void
test_wrong_signer(void)
{
	static const char *const names[] = { "iss-ec" };
	struct sk_trust *t = fresh();
	struct sk_buf l;

	/* Another hierarchy's anchor: its kid is not an anchor's. */
	SKT_RC(build("anchor-other", "anchor-other", names, 1, IAT, NEXT, &l),
	    0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), SK_ERR_NOTFOUND);
	sk_buf_free(&l);
	/* An issuer key cannot sign the list either. */
	SKT_RC(build("iss-ec", "iss-ec", names, 1, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), SK_ERR_NOTFOUND);
	sk_buf_free(&l);
	/* A forger claiming anchor-ec's kid with another key. */
	SKT_RC(build("anchor-other", "anchor-ec", names, 1, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), SK_ERR_SIGNATURE);
	SKT_EQ(sk_trust_count(t), 0);
	sk_buf_free(&l);
	sk_trust_free(t);
}

static void
test_issuer_rules(void)
{
	static const char *const bad[] = { "iss-ca", "iss-nods",
	    "iss-nouscc", "iss-foreign", "iss-sm2-noid" };
	const char *names[2];
	struct sk_trust *t = fresh();
	struct sk_cert *c;
	struct sk_buf l;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		names[0] = "iss-ec";
		names[1] = bad[i];
		SKT_RC(build("anchor-ec", "anchor-ec", names, 2, IAT, NEXT,
		    &l), 0);
		SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), SK_ERR_CERT);
		SKT_EQ(sk_trust_count(t), 0);
		sk_buf_free(&l);
		c = cert(bad[i]);
		SKT_RC(sk_trust_add_issuer_unsigned(t, c), SK_ERR_CERT);
		sk_cert_free(c);
	}
	/* An issuer whose certificate has expired is still listed. */
	names[0] = "iss-old";
	names[1] = "iss-old";
	SKT_RC(build("anchor-ec", "anchor-ec", names, 1, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), 0);
	sk_buf_free(&l);
	SKT_RC(build("anchor-ec", "anchor-ec", names, 2, IAT, NEXT, &l), 0);
	SKT_RC(sk_trust_load_list(t, l.data, l.len, NOW), SK_ERR_DUPLICATE);
	sk_buf_free(&l);
	/* Without a list. */
	c = cert("iss-sm2");
	SKT_RC(sk_trust_add_issuer_unsigned(t, c), 0);
	SKT_RC(sk_trust_add_issuer_unsigned(t, c), SK_ERR_DUPLICATE);
	SKT_EQ(sk_trust_count(t), 1);
	sk_cert_free(c);
	sk_trust_free(t);
}

/* The reference for the SM2 ID: what openssl verify says. */
static void
test_sm2_reference(void)
{
	SKT_EQ(sh("openssl verify -CAfile anchor-sm2.crt "
	    "-vfyopt distid:1234567812345678 iss-sm2.crt"), 0);
	SKT_CHECK(sh("openssl verify -CAfile anchor-sm2.crt "
	    "-vfyopt distid:1234567812345678 iss-sm2-noid.crt") != 0);
}

static void
test_check_at(void)
{
	struct sk_trust *t = fresh();
	struct sk_cert *ec = cert("iss-ec"), *old = cert("iss-old");
	struct sk_cert *sm2 = cert("iss-sm2"), *noid = cert("iss-sm2-noid");
	struct sk_cert *foreign = cert("iss-foreign");

	/* iss-ec: 2020-01-01 .. 2040-12-31; iss-old: 2010 .. 2015. */
	SKT_RC(sk_trust_check_at(t, ec, NOW), 0);
	SKT_RC(sk_trust_check_at(t, ec, INT64_C(1577836800)), 0);
	SKT_RC(sk_trust_check_at(t, ec, INT64_C(1577836799)), SK_ERR_EXPIRED);
	SKT_RC(sk_trust_check_at(t, ec, INT64_C(2240611200)), SK_ERR_EXPIRED);
	SKT_RC(sk_trust_check_at(t, old, INT64_C(1325376000)), 0);
	SKT_RC(sk_trust_check_at(t, old, NOW), SK_ERR_EXPIRED);
	SKT_RC(sk_trust_check_at(t, sm2, NOW), 0);
	SKT_RC(sk_trust_check_at(t, noid, NOW), SK_ERR_CERT);
	SKT_RC(sk_trust_check_at(t, foreign, NOW), SK_ERR_CERT);
	sk_cert_free(ec);
	sk_cert_free(old);
	sk_cert_free(sm2);
	sk_cert_free(noid);
	sk_cert_free(foreign);
	sk_trust_free(t);
}

static void
test_subject(void)
{
	char uscc[SK_TRUST_USCC_LEN + 1];
	struct sk_cert *c = cert("iss-ec"), *n = cert("iss-nouscc");
	struct sk_buf b;

	SKT_RC(sk_cert_subject_uscc(c, uscc), 0);
	SKT_CHECK(strcmp(uscc, USCC_A) == 0);
	SKT_RC(sk_cert_subject_uscc(n, uscc), SK_ERR_MISSING);
	SKT_CHECK(uscc[0] == '\0');
	sk_buf_init(&b, SK_TRUST_MAX_SUBJECT);
	SKT_RC(sk_cert_subject_text(c, &b), 0);
	SKT_CHECK(b.len > 0 && b.data[b.len - 1] == '\0');
	SKT_CHECK(b.data != NULL && strcmp((char *)b.data,
	    "serialNumber=" USCC_A ",CN=iss-ec,O=A,C=CN") == 0);
	sk_buf_free(&b);
	sk_cert_free(c);
	sk_cert_free(n);
}

int
main(void)
{
	skt_pki_make("trust");
	SKT_RUN(test_anchors);
	SKT_RUN(test_build_load);
	SKT_RUN(test_stale);
	SKT_RUN(test_tamper);
	SKT_RUN(test_wrong_signer);
	SKT_RUN(test_issuer_rules);
	SKT_RUN(test_sm2_reference);
	SKT_RUN(test_check_at);
	SKT_RUN(test_subject);
	skt_pki_cleanup();
	return skt_done();
}
