/*
 * test_presentations.c: presentation codes: a code verifies with certd's
 * key and offline with the anchors and the presentation certificate; its
 * claims decode as api/presentation.cddl says (checked with the CBOR
 * decoder, not our own); expired, tampered, forged (another key) and
 * foreign-prefix codes fail with their own errors; redemption is once
 * only and writes the access entry with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/verify.h"

#include "presentations.h"
#include "sktest.h"
#include "store.h"

#define NOW	INT64_C(1767225600)	/* 2026-01-01 */
#define LIC	"11990100000000019F2026000001"
#define HOLDER	"110101199003074477"

static char dir[256];
static char src[256];

static void
path(char *out, size_t len, const char *name)
{
	(void)snprintf(out, len, "%s/keys-example/%s", src, name);
}

static struct certd_presenter *
presenter(const char *key, const char *crt)
{
	struct certd_presenter *p = NULL;
	char k[512], c[512], err[256];

	path(k, sizeof(k), key);
	path(c, sizeof(c), crt);
	SKT_RC(certd_presenter_load(k, c, NULL, &p, err, sizeof(err)), 0);
	return p;
}

static void
make(struct certd_presenter *p, int64_t now, struct certd_pres *c,
    struct sk_buf *text)
{
	sk_buf_init(text, CERTD_PRES_TEXT_MAX);
	SKT_RC(certd_pres_make(p, LIC, HOLDER, now, 300, c, text), 0);
	SKT_CHECK(text->len > 4 && memcmp(text->data, "LP1:", 4) == 0);
}

/* The claims, read with the plain CBOR decoder. */
static void
test_claims(void)
{
	struct certd_presenter *p = presenter("presentation.key.pem",
	    "presentation.crt.pem");
	struct sk_cose_sign1 *msg = NULL;
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc = NULL;
	const struct sk_cbor_item *root, *it;
	struct certd_pres c;
	struct sk_buf text, cose;
	enum sk_stage stage;
	const uint8_t *pl;
	size_t len;

	make(p, NOW, &c, &text);
	sk_buf_init(&cose, 4096);
	SKT_RC(sk_qrtext_decode((const char *)text.data, text.len, "LP1:", 0,
	    &cose, &stage), 0);
	SKT_RC(sk_cose_sign1_parse(cose.data, cose.len, 0, &msg), 0);
	SKT_EQ(sk_cose_sign1_alg(msg), SK_ALG_ES256);
	SKT_RC(sk_cose_sign1_payload(msg, &pl, &len), 0);
	sk_cbor_limits_default(&lim);
	SKT_RC(sk_cbor_decode(pl, len, &lim, &doc), 0);
	root = sk_cbor_root(doc);
	SKT_EQ(root->len, 5);
	it = sk_cbor_map_int(root, 2);
	SKT_CHECK(it != NULL && it->len == strlen(HOLDER) &&
	    memcmp(it->ptr, HOLDER, it->len) == 0);
	it = sk_cbor_map_int(root, -65538);
	SKT_CHECK(it != NULL && it->len == strlen(LIC) &&
	    memcmp(it->ptr, LIC, it->len) == 0);
	it = sk_cbor_map_int(root, 4);
	SKT_CHECK(it != NULL && it->u == (uint64_t)NOW + 300);
	it = sk_cbor_map_int(root, 6);
	SKT_CHECK(it != NULL && it->u == (uint64_t)NOW);
	it = sk_cbor_map_int(root, 7);
	SKT_CHECK(it != NULL && it->len == 16 &&
	    memcmp(it->ptr, c.id, 16) == 0);
	sk_cbor_free(doc);
	sk_cose_sign1_free(msg);
	sk_buf_free(&cose);
	sk_buf_free(&text);
	certd_presenter_free(p);
}

static void
test_verify(void)
{
	struct certd_presenter *p = presenter("presentation.key.pem",
	    "presentation.crt.pem");
	struct certd_presenter *f = presenter("issuer-a.key.pem",
	    "issuer-a.crt.pem");
	struct certd_pres c, v, c2;
	struct sk_trust *t = NULL;
	struct sk_cert *pc = NULL;
	struct sk_buf text, forged, text2;
	char a[512], pcp[512];

	path(a, sizeof(a), "trust-anchors.pem");
	path(pcp, sizeof(pcp), "presentation.crt.pem");
	SKT_RC(sk_trust_new_file(a, &t), 0);
	SKT_RC(sk_cert_load_file(pcp, &pc), 0);
	make(p, NOW, &c, &text);
	make(p, NOW, &c2, &text2);
	SKT_CHECK(memcmp(c.id, c2.id, 16) != 0);	/* fresh nonces */
	SKT_RC(certd_pres_verify(p, (const char *)text.data, text.len,
	    NOW + 10, &v), 0);
	SKT_CHECK(strcmp(v.licence, LIC) == 0 &&
	    strcmp(v.holder, HOLDER) == 0 && v.exp == NOW + 300 &&
	    memcmp(v.id, c.id, 16) == 0);
	/* Offline: anchors and the presentation certificate. */
	SKT_RC(certd_pres_verify_trust(t, pc, (const char *)text.data,
	    text.len, NOW + 10, &v), 0);
	SKT_RC(certd_pres_verify_trust(t, NULL, (const char *)text.data,
	    text.len, NOW + 10, &v), SK_ERR_NOTFOUND);
	/* Expired: at exp and after; and iat far in the future. */
	SKT_RC(certd_pres_verify(p, (const char *)text.data, text.len,
	    NOW + 299, &v), 0);
	SKT_RC(certd_pres_verify(p, (const char *)text.data, text.len,
	    NOW + 300, &v), SK_ERR_EXPIRED);
	SKT_RC(certd_pres_verify_trust(t, pc, (const char *)text.data,
	    text.len, NOW + 301, &v), SK_ERR_EXPIRED);
	SKT_RC(certd_pres_verify(p, (const char *)text.data, text.len,
	    NOW - 61, &v), SK_ERR_EXPIRED);
	/* Forged: signed by another key (an issuer's). */
	make(f, NOW, &c2, &forged);
	SKT_RC(certd_pres_verify(p, (const char *)forged.data, forged.len,
	    NOW + 10, &v), SK_ERR_SIGNATURE);
	SKT_RC(certd_pres_verify_trust(t, pc, (const char *)forged.data,
	    forged.len, NOW + 10, &v), SK_ERR_NOTFOUND);
	/* Tampered text, wrong prefix, too long. */
	text.data[text.len - 5] = text.data[text.len - 5] == 'A' ? 'B' : 'A';
	SKT_CHECK(certd_pres_verify(p, (const char *)text.data, text.len,
	    NOW + 10, &v) != 0);
	SKT_RC(certd_pres_verify(p, "LC1:ABC", 7, NOW, &v), SK_ERR_FORMAT);
	SKT_RC(certd_pres_verify(p, (const char *)text.data,
	    CERTD_PRES_TEXT_MAX + 1, NOW, &v), SK_ERR_LIMIT);
	SKT_RC(certd_pres_make(p, LIC, HOLDER, NOW, 5, &c, &text2),
	    SK_ERR_ARG);
	sk_buf_free(&text);
	sk_buf_free(&text2);
	sk_buf_free(&forged);
	sk_cert_free(pc);
	sk_trust_free(t);
	certd_presenter_free(p);
	certd_presenter_free(f);
}

static void
test_redeem(void)
{
	struct certd_store_opts o = { 64u << 20, 1 };
	struct certd_presenter *p = presenter("presentation.key.pem",
	    "presentation.crt.pem");
	struct certd_store *st = NULL;
	struct certd_access e, *got = NULL;
	struct certd_pres c;
	struct sk_buf text;
	uint64_t next;
	size_t n;
	char d[300];

	(void)snprintf(d, sizeof(d), "%s/redeem", dir);
	SKT_RC(certd_store_open(d, &o, &st), 0);
	make(p, NOW, &c, &text);
	memset(&e, 0, sizeof(e));
	e.time = NOW;
	memcpy(e.client, "approver", 9);
	memcpy(e.purpose, "test", 5);
	memcpy(e.matter, "M1", 3);
	memcpy(e.licence, LIC, sizeof(LIC));
	SKT_RC(certd_pres_redeem(st, &c, &e), 0);
	SKT_RC(certd_pres_redeem(st, &c, &e), SK_ERR_DUPLICATE);
	/* Exactly one access entry: the refused second one wrote nothing. */
	SKT_RC(certd_store_list_access(st, HOLDER, 0, 10, &got, &n, &next),
	    0);
	SKT_EQ(n, 1);
	SKT_CHECK(n == 1 && strcmp(got[0].licence, LIC) == 0);
	free(got);
	certd_store_close(st);
	sk_buf_free(&text);
	certd_presenter_free(p);
}

int
main(void)
{
	const char *s = getenv("SK_SOURCE_DIR");
	char cmd[300];

	(void)snprintf(src, sizeof(src), "%s", s != NULL ? s : "..");
	(void)snprintf(dir, sizeof(dir), "%s/certd-pres-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	SKT_RUN(test_claims);
	SKT_RUN(test_verify);
	SKT_RUN(test_redeem);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return skt_done();
}
