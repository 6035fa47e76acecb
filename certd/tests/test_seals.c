/*
 * test_seals.c: the seal registry and TSA module against a real store:
 * init records keys (never the key bytes) and refuses a mismatched pair;
 * a seal made through certd parses and verifies with libsealkit; esID
 * duplicates and bad owner certificates store nothing; revocation is
 * final and idempotent; signing needs a listed signer and a valid seal,
 * and its signature verifies against the SM3 of the data; TSA serials
 * are reserved in blocks in the store and never go back after reopening.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "seals.h"
#include "sktest.h"
#include "store.h"

#define OWNER	"91990100MA000004XB"

static char dir[256];
static char keys[512];

static const char *
kpath(const char *name)
{
	static char p[4][1024];
	static int i;

	i = (i + 1) % 4;
	(void)snprintf(p[i], sizeof(p[i]), "%s/%s", keys, name);
	return p[i];
}

static const char *
pair(const char *cert, const char *key)
{
	static char p[4][2048];
	static int i;

	i = (i + 1) % 4;
	(void)snprintf(p[i], sizeof(p[i]), "%s=%s", kpath(cert), kpath(key));
	return p[i];
}

static struct certd_store *
new_store(const char *name, int create)
{
	struct certd_store_opts o = { 16u << 20, create };
	struct certd_store *st = NULL;
	char path[512];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	SKT_RC(certd_store_open(path, &o, &st), 0);
	return st;
}

static struct certd_store *
init_store(const char *name)
{
	struct certd_seal_init in;
	struct certd_store *st = new_store(name, 1);
	char err[512];

	memset(&in, 0, sizeof(in));
	SKT_EQ(certd_seal_init_opt(&in, CERTD_SEAL_INIT_MAKER,
	    pair("seal-maker.crt.pem", "seal-maker.key.pem")), 0);
	SKT_EQ(certd_seal_init_opt(&in, CERTD_SEAL_INIT_OWNER,
	    pair("seal-owner.crt.pem", "seal-owner.key.pem")), 0);
	SKT_EQ(certd_seal_init_opt(&in, CERTD_SEAL_INIT_TSA,
	    pair("tsa.crt.pem", "tsa.key.pem")), 0);
	SKT_RC(certd_seal_init_prepare(&in, NULL, err, sizeof(err)), 0);
	SKT_RC(certd_seal_init_write(&in, st), 0);
	certd_seal_init_free(&in);
	return st;
}

static void
test_init_refuses(void)
{
	struct certd_seal_init in;
	char err[512];

	memset(&in, 0, sizeof(in));
	SKT_EQ(certd_seal_init_opt(&in, CERTD_SEAL_INIT_MAKER,
	    pair("seal-maker.crt.pem", "seal-owner.key.pem")), 0);
	SKT_CHECK(certd_seal_init_prepare(&in, NULL, err, sizeof(err)) != 0);
	certd_seal_init_free(&in);
	/* A P-256 TSA key is not a seal maker (SM2 only). */
	memset(&in, 0, sizeof(in));
	SKT_EQ(certd_seal_init_opt(&in, CERTD_SEAL_INIT_MAKER,
	    pair("tsa.crt.pem", "tsa.key.pem")), 0);
	SKT_CHECK(certd_seal_init_prepare(&in, NULL, err, sizeof(err)) != 0);
	certd_seal_init_free(&in);
	/* An issuer certificate is not a TSA certificate. */
	memset(&in, 0, sizeof(in));
	SKT_EQ(certd_seal_init_opt(&in, CERTD_SEAL_INIT_TSA,
	    pair("issuer-a.crt.pem", "issuer-a.key.pem")), 0);
	SKT_CHECK(certd_seal_init_prepare(&in, NULL, err, sizeof(err)) != 0);
	certd_seal_init_free(&in);
}

static void
new_params(struct certd_seal_new *n, struct sk_cert **cert,
    struct sk_buf *png, const char *esid)
{
	static const char *const signers[] = { "doc-system" };
	uint8_t *p;
	size_t len;

	SKT_RC(sk_cert_load_file(kpath("seal-owner.crt.pem"), cert), 0);
	p = skt_read_file(kpath("../tests/fuzz/corpus/qr_png/valid-gray8.png"),
	    &len);
	SKT_CHECK(p != NULL);
	sk_buf_init(png, CERTD_SEAL_PICTURE_MAX);
	SKT_RC(sk_buf_append(png, p, len), 0);
	free(p);
	memset(n, 0, sizeof(*n));
	n->esid = esid;
	n->owner = OWNER;
	n->type = 1;
	n->name = "test seal";
	n->png = png->data;
	n->pnglen = png->len;
	n->width_mm = n->height_mm = 40;
	n->certs = (const struct sk_cert *const *)cert;
	n->ncerts = 1;
	n->valid_from = 1700000000;
	n->valid_to = 4000000000;
	n->signers = signers;
	n->nsigners = 1;
}

static void
sm3(const char *s, uint8_t out[SK_SM3_LEN])
{
	unsigned len = 0;

	SKT_EQ(EVP_Digest(s, strlen(s), out, &len, EVP_sm3(), NULL), 1);
	SKT_EQ(len, SK_SM3_LEN);
}

static void
test_registry(void)
{
	struct certd_actor who = { "doc-system", "req1", 0 };
	struct sk_seal_verify_opts o;
	struct sk_seal_report rep;
	struct certd_seal_rec rec, got;
	struct certd_seal_new n;
	struct certd_seals *s;
	struct certd_store *st = init_store("reg");
	struct sk_ses_sig *sig;
	struct sk_seal *seal;
	struct sk_cert *cert;
	struct sk_buf png, out;
	uint8_t h[SK_SM3_LEN], h2[SK_SM3_LEN];
	char err[512];
	int changed;

	who.time = 1800000000;
	SKT_RC(certd_seals_load(st, &s, err, sizeof(err)), 0);
	SKT_CHECK(certd_seals_have_maker(s) && certd_seals_have_tsa(s));
	new_params(&n, &cert, &png, "SEAL-1");
	SKT_RC(certd_seals_make(s, st, &n, &who, &rec), 0);
	SKT_RC(certd_seals_make(s, st, &n, &who, &got), SK_ERR_DUPLICATE);
	SKT_RC(sk_seal_parse(rec.der, rec.derlen, &seal), 0);
	sk_seal_verify_opts_init(&o);
	o.at = who.time;
	SKT_RC(sk_seal_verify(seal, &o, &rep), 0);
	sk_seal_free(seal);
	/* Certificates that do not carry the owner: nothing stored. */
	n.esid = "SEAL-2";
	n.owner = "129901000000000352";
	SKT_RC(certd_seals_make(s, st, &n, &who, &got), SK_ERR_ARG);
	SKT_RC(certd_seal_get(st, "SEAL-2", &got), SK_ERR_NOTFOUND);
	SKT_RC(certd_seal_get(st, "SEAL-1", &got), 0);
	SKT_MEMEQ(got.der, got.derlen, rec.der, rec.derlen);
	SKT_EQ(got.nsigners, 1);
	certd_seal_rec_clear(&got);

	sm3("document", h);
	sm3("other", h2);
	sk_buf_init(&out, SK_SES_SIG_MAX_BYTES);
	who.client = "intruder";
	SKT_RC(certd_seals_sign(s, st, "SEAL-1", h, "doc", &who, &out),
	    CERTD_ERR_NOT_SIGNER);
	who.client = "doc-system";
	who.time = 4100000000;
	SKT_RC(certd_seals_sign(s, st, "SEAL-1", h, "doc", &who, &out),
	    SK_ERR_EXPIRED);
	who.time = 1800000000;
	SKT_RC(certd_seals_sign(s, st, "SEAL-1", h, "doc", &who, &out), 0);
	SKT_RC(sk_ses_sig_parse(out.data, out.len, &sig), 0);
	o.data_hash = h;
	o.hashlen = SK_SM3_LEN;
	SKT_RC(sk_ses_sig_verify(sig, &o, &rep), 0);
	o.data_hash = h2;
	SKT_RC(sk_ses_sig_verify(sig, &o, &rep), SK_ERR_SIGNATURE);
	sk_ses_sig_free(sig);

	SKT_RC(certd_seal_revoke(st, "SEAL-1", "test", &who, &changed), 0);
	SKT_EQ(changed, 1);
	SKT_RC(certd_seal_revoke(st, "SEAL-1", "test", &who, &changed), 0);
	SKT_EQ(changed, 0);
	SKT_RC(certd_seal_revoke(st, "NONE", "test", &who, &changed),
	    SK_ERR_NOTFOUND);
	sk_buf_reset(&out);
	SKT_RC(certd_seals_sign(s, st, "SEAL-1", h, "doc", &who, &out),
	    CERTD_ERR_CONFLICT);
	SKT_EQ(out.len, 0);
	SKT_RC(certd_seal_get(st, "SEAL-1", &got), 0);
	SKT_EQ(got.state, CERTD_SEAL_REVOKED);
	certd_seal_rec_clear(&got);

	sk_buf_free(&out);
	certd_seal_rec_clear(&rec);
	sk_buf_free(&png);
	sk_cert_free(cert);
	certd_seals_free(s);
	certd_store_close(st);
}

/* The first TSA counter not yet reserved, as stored. */
static uint64_t
stored_serial(struct certd_store *st)
{
	struct sk_buf b;
	uint64_t v = 0;
	size_t i;

	SKT_RC(certd_store_get_meta(st, "tsa_serial", &b), 0);
	SKT_EQ(b.len, 8);
	for (i = 0; i < b.len; i++)
		v = v << 8 | b.data[i];
	sk_buf_free(&b);
	return v;
}

static void
tsa_once(struct certd_seals *s, struct certd_store *st)
{
	/* TimeStampReq v1, SHA-256 of the empty string, no nonce. */
	static const char q256[] = "3036020101303130"
	    "0d06096086480165030402010500"
	    "0420e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8"
	    "55";
	struct sk_tsa_outcome oc;
	struct sk_buf reply;
	uint8_t *raw;
	size_t len;

	raw = skt_unhex(q256, &len);
	SKT_CHECK(raw != NULL);
	sk_buf_init(&reply, SK_TSA_MAX_REPLY);
	SKT_RC(certd_seals_tsa(s, st, raw, len, &reply, &oc), 0);
	SKT_EQ(oc.status, SK_TSA_GRANTED);
	sk_buf_free(&reply);
	free(raw);
}

static void
test_tsa_serials(void)
{
	struct certd_store *st = init_store("tsa");
	struct certd_seals *s;
	char err[512];
	int i;

	SKT_RC(certd_seals_load(st, &s, err, sizeof(err)), 0);
	tsa_once(s, st);
	SKT_EQ(stored_serial(st), 1 + CERTD_TSA_SERIAL_BLOCK);
	for (i = 0; i < 5; i++)
		tsa_once(s, st);
	/* Still within the first block: no further write. */
	SKT_EQ(stored_serial(st), 1 + CERTD_TSA_SERIAL_BLOCK);
	certd_seals_free(s);
	/* A restart (or a crash) moves to the next block, never back. */
	SKT_RC(certd_seals_load(st, &s, err, sizeof(err)), 0);
	tsa_once(s, st);
	SKT_EQ(stored_serial(st), 1 + 2 * CERTD_TSA_SERIAL_BLOCK);
	certd_seals_free(s);
	certd_store_close(st);
}

static void
test_no_keys(void)
{
	struct certd_store *st = new_store("empty", 1);
	struct certd_seals *s;
	struct certd_seal_rec rec;
	struct certd_seal_new n;
	struct certd_actor who = { "x", "r", 1800000000 };
	struct sk_cert *cert;
	struct sk_buf png;
	char err[512];

	SKT_RC(certd_seals_load(st, &s, err, sizeof(err)), 0);
	SKT_CHECK(!certd_seals_have_maker(s) && !certd_seals_have_tsa(s));
	new_params(&n, &cert, &png, "SEAL-X");
	SKT_RC(certd_seals_make(s, st, &n, &who, &rec), SK_ERR_NOTFOUND);
	sk_buf_free(&png);
	sk_cert_free(cert);
	certd_seals_free(s);
	certd_store_close(st);
}

int
main(void)
{
	const char *src = getenv("SK_SOURCE_DIR");
	char cmd[300];

	if (src == NULL) {
		fprintf(stderr, "SKIP: SK_SOURCE_DIR not set\n");
		return 77;
	}
	(void)snprintf(keys, sizeof(keys), "%s/keys-example", src);
	(void)snprintf(dir, sizeof(dir), "/tmp/certd-seals-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	SKT_RUN(test_init_refuses);
	SKT_RUN(test_registry);
	SKT_RUN(test_tsa_serials);
	SKT_RUN(test_no_keys);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return skt_done();
}
