/*
 * Keys, certificates, signer and signature primitives (sealkit/key.h),
 * checked against the openssl command line tool: key files are made by
 * `openssl genpkey/pkcs8/pkcs12/req` at test time, signatures are
 * cross-verified in both directions, kids against `sha256sum`.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sealkit/key.h"
#include "key_int.h"
#include "sktest.h"

#define PW		"correct horse"
#define MSG		"sealkit test message"

static char tmpdir[] = "/tmp/sk-test-key-XXXXXX";

static void	sh_fmt(char *, size_t, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));
static int	sh(const char *, ...) __attribute__((format(printf, 1, 2)));
static int	sh_out(char *, size_t, const char *, ...)
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

/* Run a command and keep the first line of its output. */
static int
sh_out(char *out, size_t size, const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	sh_fmt(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(out, (int)size, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
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

/* Our public key PEM equals what `openssl pkey -pubout` says of file. */
static int
same_pub(const struct sk_key *key, const char *file, const char *pwopt)
{
	struct sk_buf b;
	uint8_t *ref;
	size_t reflen;
	int same;

	if (sh("openssl pkey -in %s %s -pubout -out ref.pub", file,
	    pwopt) != 0)
		return 0;
	if ((ref = skt_read_file(tpath("ref.pub"), &reflen)) == NULL)
		return 0;
	sk_buf_init(&b, 4096);
	same = sk_key_write_public_pem(key, &b) == 0 && b.len == reflen &&
	    memcmp(b.data, ref, reflen) == 0;
	sk_buf_free(&b);
	free(ref);
	return same;
}

static int	cross_ours_to_openssl(size_t, const char *, const char *,
		    const char *);

static const struct {
	int		 alg;
	const char	*genpkey;	/* openssl genpkey arguments */
	const char	*digest;	/* pkeyutl -digest, or "" */
	const char	*opts;		/* extra pkeyutl options */
	const char	*reqmd;		/* req digest options */
} algs[] = {
	{ SK_ALG_ES256, "-algorithm EC -pkeyopt ec_paramgen_curve:P-256",
	    "-digest sha256", "", "-sha256" },
	{ SK_ALG_EDDSA, "-algorithm ED25519", "", "", "" },
	{ SK_ALG_SM2_SM3, "-algorithm SM2", "-digest sm3",
	    "-pkeyopt distid:" SK_SM2_ID,
	    "-sm3 -sigopt distid:" SK_SM2_ID },
};
#define NALGS	(sizeof(algs) / sizeof(algs[0]))

static void
test_alg_names(void)
{
	SKT_EQ(sk_alg_from_name("es256"), SK_ALG_ES256);
	SKT_EQ(sk_alg_from_name("EdDSA"), SK_ALG_EDDSA);
	SKT_EQ(sk_alg_from_name("ed25519"), SK_ALG_EDDSA);
	SKT_EQ(sk_alg_from_name("SM2"), SK_ALG_SM2_SM3);
	SKT_EQ(sk_alg_from_name("sm2-sm3"), SK_ALG_SM2_SM3);
	SKT_EQ(sk_alg_from_name("PS256"), SK_ALG_PS256);
	SKT_EQ(sk_alg_from_name("ES257"), SK_ALG_NONE);
	SKT_EQ(sk_alg_from_name(NULL), SK_ALG_NONE);
	SKT_CHECK(strcmp(sk_alg_name(SK_ALG_ES512), "ES512") == 0);
	SKT_CHECK(strcmp(sk_alg_name(SK_ALG_SM2_SM3), "SM2-SM3") == 0);
	SKT_CHECK(sk_alg_name(-999) == NULL);
	SKT_EQ(SK_ALG_SM2_SM3, -65537);
}

/* Generate, sign, verify; tampering fails; the public half verifies. */
static void
test_generate_sign_verify(void)
{
	static const uint8_t msg[] = MSG;
	struct sk_signer *s;
	struct sk_key *key, *pub;
	struct sk_buf sig, pem;
	size_t i;

	for (i = 0; i < NALGS; i++) {
		SKT_RC(sk_key_generate(algs[i].alg, &key), 0);
		if (key == NULL)
			continue;
		SKT_EQ(sk_key_default_alg(key), algs[i].alg);
		SKT_CHECK(sk_key_is_private(key));
		SKT_CHECK(sk_key_fits_alg(key, algs[i].alg));
		sk_buf_init(&pem, 4096);
		SKT_RC(sk_key_write_public_pem(key, &pem), 0);
		SKT_RC(sk_pubkey_load_mem(pem.data, pem.len, &pub), 0);
		SKT_CHECK(pub != NULL && !sk_key_is_private(pub));
		SKT_RC(sk_signer_from_key(key, SK_ALG_NONE, NULL, &s), 0);
		sk_buf_init(&sig, SK_SIG_MAX);
		SKT_RC(sk_signer_sign(s, msg, sizeof(msg), &sig), 0);
		SKT_EQ(sig.len, 64);
		SKT_EQ(s->alg, algs[i].alg);
		SKT_EQ(s->has_kid, 0);
		SKT_RC(sk_verify_signature(pub, algs[i].alg, msg, sizeof(msg),
		    sig.data, sig.len), 0);
		SKT_RC(sk_verify_signature(pub, algs[i].alg, msg,
		    sizeof(msg) - 1, sig.data, sig.len), SK_ERR_SIGNATURE);
		sig.data[5] ^= 1;
		SKT_RC(sk_verify_signature(pub, algs[i].alg, msg, sizeof(msg),
		    sig.data, sig.len), SK_ERR_SIGNATURE);
		SKT_RC(sk_verify_signature(pub, algs[i].alg, msg, sizeof(msg),
		    sig.data, sig.len - 1), SK_ERR_SIGNATURE);
		sk_buf_free(&sig);
		sk_buf_free(&pem);
		sk_key_free(pub);
		sk_signer_free(s);
	}
}

/* Ed25519 is deterministic (RFC 8032): two signatures are equal. */
static void
test_ed25519_deterministic(void)
{
	struct sk_signer *s;
	struct sk_key *key;
	struct sk_buf a, b;

	SKT_RC(sk_key_generate(SK_ALG_EDDSA, &key), 0);
	SKT_RC(sk_signer_from_key(key, SK_ALG_EDDSA, NULL, &s), 0);
	sk_buf_init(&a, SK_SIG_MAX);
	sk_buf_init(&b, SK_SIG_MAX);
	SKT_RC(sk_signer_sign(s, (const uint8_t *)"x", 1, &a), 0);
	SKT_RC(sk_signer_sign(s, (const uint8_t *)"x", 1, &b), 0);
	SKT_MEMEQ(a.data, a.len, b.data, b.len);
	sk_buf_free(&a);
	sk_buf_free(&b);
	sk_signer_free(s);
}

/* Key kind and curve must match the algorithm (api/FORMATS.md 1). */
static void
test_fits_alg(void)
{
	static const uint8_t msg[] = MSG;
	struct sk_key *p256, *sm2, *ed, *sm2pub;
	struct sk_signer *s;
	struct sk_buf sig, pem;

	SKT_RC(sk_key_generate(SK_ALG_ES256, &p256), 0);
	SKT_RC(sk_key_generate(SK_ALG_SM2_SM3, &sm2), 0);
	SKT_RC(sk_key_generate(SK_ALG_EDDSA, &ed), 0);
	SKT_CHECK(!sk_key_fits_alg(sm2, SK_ALG_ES256));
	SKT_CHECK(!sk_key_fits_alg(sm2, SK_ALG_ES512));
	SKT_CHECK(!sk_key_fits_alg(p256, SK_ALG_SM2_SM3));
	SKT_CHECK(!sk_key_fits_alg(ed, SK_ALG_ES256));
	SKT_CHECK(!sk_key_fits_alg(p256, SK_ALG_PS256));
	SKT_CHECK(sk_key_fits_alg(p256, SK_ALG_ES512));
	SKT_CHECK(!sk_key_fits_alg(p256, 12345));
	SKT_EQ(sk_key_kind(sm2), SK_KIND_SM2);
	sk_buf_init(&pem, 4096);
	SKT_RC(sk_key_write_public_pem(sm2, &pem), 0);
	SKT_RC(sk_pubkey_load_mem(pem.data, pem.len, &sm2pub), 0);
	sk_buf_free(&pem);

	/* An SM2 signature never verifies as ES256 with the same key. */
	SKT_RC(sk_signer_from_key(sm2, SK_ALG_NONE, NULL, &s), 0);
	sk_buf_init(&sig, SK_SIG_MAX);
	SKT_RC(sk_signer_sign(s, msg, sizeof(msg), &sig), 0);
	SKT_RC(sk_verify_signature(sm2pub, SK_ALG_SM2_SM3, msg, sizeof(msg),
	    sig.data, sig.len), 0);
	SKT_RC(sk_verify_signature(sm2pub, SK_ALG_ES256, msg, sizeof(msg),
	    sig.data, sig.len), SK_ERR_KEY);
	sk_key_free(sm2pub);
	SKT_RC(sk_verify_signature(p256, SK_ALG_SM2_SM3, msg, sizeof(msg),
	    sig.data, sig.len), SK_ERR_KEY);
	SKT_RC(sk_verify_signature(p256, -999, msg, sizeof(msg), sig.data,
	    sig.len), SK_ERR_UNSUPPORTED);
	sk_buf_free(&sig);
	sk_signer_free(s);

	/* Signer: mismatches are SK_ERR_KEY, verify-only algs unsupported. */
	SKT_RC(sk_signer_from_key(p256, SK_ALG_SM2_SM3, NULL, &s),
	    SK_ERR_KEY);
	SKT_CHECK(s == NULL);
	SKT_RC(sk_key_generate(SK_ALG_ES256, &p256), 0);
	SKT_RC(sk_signer_from_key(p256, SK_ALG_ES512, NULL, &s),
	    SK_ERR_UNSUPPORTED);
	SKT_RC(sk_signer_from_key(ed, SK_ALG_ES256, NULL, &s), SK_ERR_KEY);
	SKT_RC(sk_key_generate(SK_ALG_PS256, &p256), SK_ERR_UNSUPPORTED);
	SKT_CHECK(p256 == NULL);
}

/* Each algorithm in each key file format loads as the same key. */
static void
test_load_formats(void)
{
	static const struct {
		const char	*file;
		const char	*make;	/* from k.pem; %s = extra */
		int		 encrypted;
	} fmts[] = {
		{ "k.pem", "true", 0 },
		{ "k8.der", "openssl pkcs8 -topk8 -nocrypt -in k.pem "
		    "-outform DER -out k8.der", 0 },
		{ "k8e.pem", "openssl pkcs8 -topk8 -v2 aes-256-cbc -in k.pem "
		    "-passout 'pass:" PW "' -out k8e.pem", 1 },
		{ "k8e.der", "openssl pkcs8 -topk8 -v2 aes-256-cbc -in k.pem "
		    "-passout 'pass:" PW "' -outform DER -out k8e.der", 1 },
		/* Traditional (SEC 1 / RFC 5915) form, as `openssl ec`. */
		{ "kt.pem", "openssl ec -in k.pem -out kt.pem", 0 },
		{ "kte.pem", "openssl ec -aes-256-cbc -in k.pem "
		    "-passout 'pass:" PW "' -out kte.pem", 1 },
		{ "k.p12", "openssl pkcs12 -export -inkey k.pem -in c.pem "
		    "-passout 'pass:" PW "' -out k.p12", 1 },
	};
	struct sk_key *key;
	size_t i, j;
	int rc;

	put_file("msg", MSG, sizeof(MSG) - 1);
	for (i = 0; i < NALGS; i++) {
		SKT_EQ(sh("openssl genpkey %s -out k.pem && openssl pkey -in "
		    "k.pem -pubout -out pub.pem", algs[i].genpkey), 0);
		SKT_EQ(sh("openssl req -x509 -new -key k.pem -subj /CN=sk "
		    "-days 2 %s -out c.pem", algs[i].reqmd), 0);
		for (j = 0; j < sizeof(fmts) / sizeof(fmts[0]); j++) {
			if (j > 0)
				unlink(tpath(fmts[j].file));
			if (sh("%s", fmts[j].make) != 0) {
				/* No traditional form for Ed25519. */
				SKT_CHECK(algs[i].alg == SK_ALG_EDDSA &&
				    fmts[j].file[1] == 't');
				continue;
			}
			rc = sk_key_load_file(tpath(fmts[j].file),
			    fmts[j].encrypted ? PW : NULL, &key);
			if (rc != 0)
				fprintf(stderr, "load %s alg %d: %s\n",
				    fmts[j].file, algs[i].alg,
				    sk_errname(rc));
			SKT_RC(rc, 0);
			if (key == NULL)
				continue;
			SKT_CHECK(sk_key_is_private(key));
			SKT_EQ(sk_key_default_alg(key), algs[i].alg);
			SKT_CHECK(same_pub(key, "k.pem", ""));
			/* An SM2 key must sign as SM2 (not ECDSA) whatever
			 * form it came in: openssl verifies it. */
			if (algs[i].alg == SK_ALG_SM2_SM3)
				SKT_CHECK(EVP_PKEY_is_a(sk_key_pkey(key),
				    "SM2"));
			SKT_EQ(cross_ours_to_openssl(i, fmts[j].file,
			    fmts[j].encrypted ? PW : NULL, algs[i].opts), 1);
			sk_key_free(key);
			if (!fmts[j].encrypted)
				continue;
			SKT_RC(sk_key_load_file(tpath(fmts[j].file), "wrong",
			    &key), SK_ERR_PASSWORD);
			SKT_CHECK(key == NULL);
			SKT_RC(sk_key_load_file(tpath(fmts[j].file), NULL,
			    &key), SK_ERR_PASSWORD);
		}
	}
}

/* kid = SHA-256(cert DER)[0..7] (PRODUCT.md), against sha256sum. */
static void
test_cert_kid(void)
{
	struct sk_cert *pem, *der, *p12cert;
	struct sk_key *p12key, *pub;
	uint8_t kid[SK_KID_LEN], kid2[SK_KID_LEN];
	char ref[128], hex[2 * SK_KID_LEN + 1];
	const uint8_t *d;
	size_t dlen, i;

	SKT_EQ(sh("openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out k.pem"), 0);
	SKT_EQ(sh("openssl req -x509 -new -key k.pem -subj /CN=kid -days 2 "
	    "-out c.pem && openssl x509 -in c.pem -outform DER -out c.der"),
	    0);
	SKT_EQ(sh_out(ref, sizeof(ref), "openssl x509 -in c.pem -outform DER"
	    " | sha256sum"), 0);
	SKT_RC(sk_cert_load_file(tpath("c.pem"), &pem), 0);
	SKT_RC(sk_cert_load_file(tpath("c.der"), &der), 0);
	if (pem == NULL || der == NULL)
		return;
	SKT_RC(sk_cert_kid(pem, kid), 0);
	for (i = 0; i < SK_KID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", kid[i]);
	SKT_CHECK(strncmp(ref, hex, 2 * SK_KID_LEN) == 0);
	SKT_RC(sk_cert_kid(der, kid2), 0);
	SKT_MEMEQ(kid, sizeof(kid), kid2, sizeof(kid2));
	sk_cert_der(der, &d, &dlen);
	SKT_CHECK(dlen > 100 && d[0] == 0x30);
	SKT_RC(sk_cert_pubkey(pem, &pub), 0);
	SKT_CHECK(same_pub(pub, "k.pem", ""));
	sk_key_free(pub);

	/* The same certificate out of a PKCS#12 file. */
	SKT_EQ(sh("openssl pkcs12 -export -inkey k.pem -in c.pem "
	    "-passout 'pass:" PW "' -out k.p12"), 0);
	SKT_RC(sk_pkcs12_load_file(tpath("k.p12"), PW, &p12key, &p12cert), 0);
	if (p12cert != NULL) {
		SKT_RC(sk_cert_kid(p12cert, kid2), 0);
		SKT_MEMEQ(kid, sizeof(kid), kid2, sizeof(kid2));
	}
	SKT_CHECK(p12key != NULL && same_pub(p12key, "k.pem", ""));
	sk_key_free(p12key);
	sk_cert_free(p12cert);
	SKT_RC(sk_pkcs12_load_file(tpath("k.p12"), "wrong", &p12key,
	    &p12cert), SK_ERR_PASSWORD);
	SKT_CHECK(p12key == NULL && p12cert == NULL);
	SKT_RC(sk_pkcs12_load_file(tpath("c.pem"), PW, &p12key, NULL),
	    SK_ERR_FORMAT);
	sk_cert_free(pem);
	sk_cert_free(der);
}

/* A signer with a certificate carries its kid; a foreign cert is refused. */
static void
test_signer_kid(void)
{
	struct sk_cert *cert;
	struct sk_key *key, *other;
	struct sk_signer *s;
	uint8_t kid[SK_KID_LEN];

	SKT_EQ(sh("openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-256 -out k.pem && openssl req -x509 -new "
	    "-key k.pem -subj /CN=kid -days 2 -out c.pem"), 0);
	SKT_RC(sk_cert_load_file(tpath("c.pem"), &cert), 0);
	SKT_RC(sk_key_load_file(tpath("k.pem"), NULL, &key), 0);
	SKT_RC(sk_key_generate(SK_ALG_ES256, &other), 0);
	if (cert == NULL || key == NULL)
		return;
	SKT_RC(sk_signer_from_key(other, SK_ALG_ES256, cert, &s),
	    SK_ERR_CERT);
	SKT_RC(sk_signer_from_key(key, SK_ALG_ES256, cert, &s), 0);
	SKT_RC(sk_cert_kid(cert, kid), 0);
	SKT_CHECK(s != NULL && s->has_kid);
	if (s != NULL)
		SKT_MEMEQ(s->kid, SK_KID_LEN, kid, SK_KID_LEN);
	sk_signer_free(s);
	sk_cert_free(cert);
	SKT_RC(sk_key_load_file(tpath("c.pem"), NULL, &key), SK_ERR_FORMAT);
	sk_signer_free(NULL);
	sk_key_free(NULL);
	sk_cert_free(NULL);
}

/* Written PEM is PKCS#8, AES-256-CBC/PBKDF2 when a password is given. */
static void
test_write_private(void)
{
	struct sk_key *key, *back;
	struct sk_buf b;
	char line[256];

	SKT_RC(sk_key_generate(SK_ALG_SM2_SM3, &key), 0);
	sk_buf_init_secret(&b, 8192);
	SKT_RC(sk_key_write_private_pem(key, NULL, &b), 0);
	SKT_CHECK(b.len > 30 &&
	    memcmp(b.data, "-----BEGIN PRIVATE KEY-----", 27) == 0);
	put_file("w.pem", b.data, b.len);
	SKT_CHECK(same_pub(key, "w.pem", ""));
	sk_buf_reset(&b);
	SKT_RC(sk_key_write_private_pem(key, PW, &b), 0);
	SKT_CHECK(b.len > 40 && memcmp(b.data,
	    "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) == 0);
	put_file("we.pem", b.data, b.len);
	SKT_CHECK(same_pub(key, "we.pem", "-passin 'pass:" PW "'"));
	SKT_EQ(sh_out(line, sizeof(line), "openssl asn1parse -in we.pem | "
	    "grep -c -e PBKDF2 -e aes-256-cbc"), 0);
	SKT_CHECK(strcmp(line, "2") == 0);
	SKT_RC(sk_key_load_mem(b.data, b.len, PW, &back), 0);
	SKT_CHECK(back != NULL && same_pub(back, "w.pem", ""));
	sk_key_free(back);
	SKT_RC(sk_key_load_mem(b.data, b.len, "nope", &back),
	    SK_ERR_PASSWORD);
	sk_buf_free(&b);
	sk_key_free(key);
}

/* Public keys: SPKI PEM and DER, certificate PEM and DER. */
static void
test_pubkey_load(void)
{
	static const char *files[] = { "p.pem", "p.der", "c.pem", "c.der" };
	struct sk_key *pub;
	size_t i;

	SKT_EQ(sh("openssl genpkey -algorithm SM2 -out k.pem && "
	    "openssl pkey -in k.pem -pubout -out p.pem && "
	    "openssl pkey -in k.pem -pubout -outform DER -out p.der && "
	    "openssl req -x509 -new -key k.pem -subj /CN=p -days 2 "
	    "-sm3 -sigopt distid:" SK_SM2_ID " -out c.pem && "
	    "openssl x509 -in c.pem -outform DER -out c.der"), 0);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		SKT_RC(sk_pubkey_load_file(tpath(files[i]), &pub), 0);
		SKT_CHECK(pub != NULL && same_pub(pub, "k.pem", ""));
		SKT_CHECK(pub != NULL && !sk_key_is_private(pub));
		SKT_EQ(sk_key_default_alg(pub), SK_ALG_SM2_SM3);
		sk_key_free(pub);
	}
	SKT_RC(sk_pubkey_load_file(tpath("nonexistent"), &pub), SK_ERR_IO);
	SKT_RC(sk_pubkey_load_file(tmpdir, &pub), SK_ERR_IO);
}

/* Oversized, empty, garbage, public-only and unusable key files. */
static void
test_load_errors(void)
{
	static const uint8_t junk[] = "-----BEGIN PRIVATE KEY-----\nAAAA\n";
	struct sk_key *key;
	uint8_t *big;

	if ((big = calloc(1, SK_KEYFILE_MAX + 1)) == NULL)
		return;
	put_file("big.pem", big, SK_KEYFILE_MAX + 1);
	free(big);
	SKT_RC(sk_key_load_file(tpath("big.pem"), NULL, &key), SK_ERR_LIMIT);
	SKT_RC(sk_pubkey_load_file(tpath("big.pem"), &key), SK_ERR_LIMIT);
	put_file("empty.pem", "", 0);
	SKT_RC(sk_key_load_file(tpath("empty.pem"), NULL, &key),
	    SK_ERR_FORMAT);
	SKT_RC(sk_key_load_mem(junk, sizeof(junk) - 1, NULL, &key),
	    SK_ERR_FORMAT);
	SKT_RC(sk_key_load_file(tpath("missing"), NULL, &key), SK_ERR_IO);
	SKT_EQ(sh("openssl genpkey -algorithm EC -pkeyopt "
	    "ec_paramgen_curve:P-384 -out p384.pem && openssl pkey -in "
	    "p384.pem -pubout -out p384.pub"), 0);
	/* We cannot sign with P-384: not a usable private key. */
	SKT_RC(sk_key_load_file(tpath("p384.pem"), NULL, &key),
	    SK_ERR_UNSUPPORTED);
	SKT_RC(sk_key_load_file(tpath("p384.pub"), NULL, &key),
	    SK_ERR_FORMAT);
	SKT_RC(sk_pubkey_load_file(tpath("p384.pub"), &key), 0);
	SKT_CHECK(key != NULL && sk_key_fits_alg(key, SK_ALG_ES384));
	SKT_EQ(sk_key_default_alg(key), SK_ALG_NONE);
	sk_key_free(key);
}

static int
cross_ours_to_openssl(size_t i, const char *file, const char *pw,
    const char *distid)
{
	static const uint8_t msg[] = MSG;
	struct sk_signer *s;
	struct sk_key *key;
	struct sk_buf sig, der;
	int ok = 0;

	if (sk_key_load_file(tpath(file), pw, &key) != 0 ||
	    sk_signer_from_key(key, algs[i].alg, NULL, &s) != 0)
		return -1;
	sk_buf_init(&sig, SK_SIG_MAX);
	sk_buf_init(&der, SK_SIG_MAX);
	if (sk_signer_sign(s, msg, sizeof(msg) - 1, &sig) == 0) {
		if (algs[i].alg == SK_ALG_EDDSA)
			ok = sk_buf_append(&der, sig.data, sig.len) == 0;
		else
			ok = sk_ecsig_raw_to_der(sig.data, sig.len, &der) == 0;
	}
	if (ok) {
		put_file("ours.sig", der.data, der.len);
		ok = sh("openssl pkeyutl -verify -pubin -inkey pub.pem -rawin "
		    "%s %s -in msg -sigfile ours.sig", algs[i].digest,
		    distid) == 0;
	}
	sk_buf_free(&sig);
	sk_buf_free(&der);
	sk_signer_free(s);
	return ok;
}

static int
cross_openssl_to_ours(int alg, size_t width, const char *sign)
{
	static const uint8_t msg[] = MSG;
	struct sk_key *pub;
	struct sk_buf raw;
	uint8_t *sig;
	size_t siglen;
	int rc = -1;

	if (sh("%s", sign) != 0 ||
	    (sig = skt_read_file(tpath("cli.sig"), &siglen)) == NULL)
		return -100;
	if (sk_pubkey_load_file(tpath("pub.pem"), &pub) != 0) {
		free(sig);
		return -101;
	}
	sk_buf_init(&raw, SK_SIG_MAX);
	if (width == 0)
		rc = sk_buf_append(&raw, sig, siglen);
	else
		rc = sk_ecsig_der_to_raw(sig, siglen, width, &raw);
	if (rc == 0)
		rc = sk_verify_signature(pub, alg, msg, sizeof(msg) - 1,
		    raw.data, raw.len);
	sk_buf_free(&raw);
	sk_key_free(pub);
	free(sig);
	return rc;
}

/* Our signatures verify with openssl pkeyutl, and openssl's with ours. */
static void
test_cross_openssl(void)
{
	char sign[512];
	size_t i;

	put_file("msg", MSG, sizeof(MSG) - 1);
	for (i = 0; i < NALGS; i++) {
		SKT_EQ(sh("openssl genpkey %s -out k.pem && openssl pkey "
		    "-in k.pem -pubout -out pub.pem", algs[i].genpkey), 0);
		SKT_EQ(cross_ours_to_openssl(i, "k.pem", NULL, algs[i].opts),
		    1);
		snprintf(sign, sizeof(sign), "openssl pkeyutl -sign -inkey "
		    "k.pem -rawin %s %s -in msg -out cli.sig", algs[i].digest,
		    algs[i].opts);
		SKT_RC(cross_openssl_to_ours(algs[i].alg,
		    algs[i].alg == SK_ALG_EDDSA ? 0 : 32, sign), 0);
	}
	/* SM2 without the ID: 3.0 uses an empty ID, so this must fail. */
	SKT_EQ(cross_ours_to_openssl(NALGS - 1, "k.pem", NULL, ""), 0);
	SKT_RC(cross_openssl_to_ours(SK_ALG_SM2_SM3, 32, "openssl pkeyutl "
	    "-sign -inkey k.pem -rawin -digest sm3 -in msg -out cli.sig"),
	    SK_ERR_SIGNATURE);
	SKT_EQ(sh("openssl dgst -sm3 -sign k.pem -sigopt distid:" SK_SM2_ID
	    " -out d.sig msg && openssl dgst -sm3 -verify pub.pem -sigopt "
	    "distid:" SK_SM2_ID " -signature d.sig msg"), 0);
}

/* Verify-only algorithms: signatures made by the openssl tool. */
static void
test_verify_only(void)
{
	static const char pss[] = "openssl dgst -sha256 -sign k.pem "
	    "-sigopt rsa_padding_mode:pss -sigopt rsa_mgf1_md:sha256 "
	    "-sigopt rsa_pss_saltlen:%d -out cli.sig msg";
	char cmd[512];

	put_file("msg", MSG, sizeof(MSG) - 1);
	SKT_EQ(sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"
	    "P-384 -out k.pem && openssl pkey -in k.pem -pubout -out pub.pem"),
	    0);
	SKT_RC(cross_openssl_to_ours(SK_ALG_ES384, 48, "openssl pkeyutl "
	    "-sign -inkey k.pem -rawin -digest sha384 -in msg -out cli.sig"),
	    0);
	SKT_RC(cross_openssl_to_ours(SK_ALG_ES512, 48, "openssl pkeyutl "
	    "-sign -inkey k.pem -rawin -digest sha384 -in msg -out cli.sig"),
	    SK_ERR_SIGNATURE);
	SKT_EQ(sh("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:"
	    "P-521 -out k.pem && openssl pkey -in k.pem -pubout -out pub.pem"),
	    0);
	SKT_RC(cross_openssl_to_ours(SK_ALG_ES512, 66, "openssl pkeyutl "
	    "-sign -inkey k.pem -rawin -digest sha512 -in msg -out cli.sig"),
	    0);
	SKT_EQ(sh("openssl genpkey -algorithm ED448 -out k.pem && openssl "
	    "pkey -in k.pem -pubout -out pub.pem"), 0);
	SKT_RC(cross_openssl_to_ours(SK_ALG_EDDSA, 0, "openssl pkeyutl "
	    "-sign -inkey k.pem -rawin -in msg -out cli.sig"), 0);

	SKT_EQ(sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"
	    "2048 -out k.pem && openssl pkey -in k.pem -pubout -out pub.pem"),
	    0);
	snprintf(cmd, sizeof(cmd), pss, 32);
	SKT_RC(cross_openssl_to_ours(SK_ALG_PS256, 0, cmd), 0);
	/* RFC 8230: the salt is 32 bytes; 20 must not verify. */
	snprintf(cmd, sizeof(cmd), pss, 20);
	SKT_RC(cross_openssl_to_ours(SK_ALG_PS256, 0, cmd), SK_ERR_SIGNATURE);
	SKT_RC(cross_openssl_to_ours(SK_ALG_PS256, 0, "openssl dgst -sha256 "
	    "-sign k.pem -out cli.sig msg"), SK_ERR_SIGNATURE);
	SKT_EQ(sh("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"
	    "1024 -out k.pem && openssl pkey -in k.pem -pubout -out pub.pem"),
	    0);
	snprintf(cmd, sizeof(cmd), pss, 32);
	SKT_RC(cross_openssl_to_ours(SK_ALG_PS256, 0, cmd), SK_ERR_KEY);
}

/*
 * An SM2-curve key typed "EC" (OpenSSL can produce one) is signed with
 * ECDSA by OpenSSL unless re-typed: ours must still make SM2 signatures
 * that `openssl pkeyutl ... distid` accepts.
 */
static void
test_sm2_ec_typed(void)
{
	EVP_PKEY *pkey;
	struct sk_key *key;
	struct sk_buf b;

	put_file("msg", MSG, sizeof(MSG) - 1);
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "SM2");
	SKT_CHECK(pkey != NULL && EVP_PKEY_is_a(pkey, "EC"));
	SKT_RC(sk_key_wrap(pkey, &key), 0);
	if (key == NULL)
		return;
	SKT_CHECK(EVP_PKEY_is_a(sk_key_pkey(key), "SM2"));
	SKT_EQ(sk_key_default_alg(key), SK_ALG_SM2_SM3);
	sk_buf_init_secret(&b, 4096);
	SKT_RC(sk_key_write_private_pem(key, NULL, &b), 0);
	put_file("ec-sm2.pem", b.data, b.len);
	sk_buf_reset(&b);
	SKT_RC(sk_key_write_public_pem(key, &b), 0);
	put_file("pub.pem", b.data, b.len);
	SKT_EQ(cross_ours_to_openssl(NALGS - 1, "ec-sm2.pem", NULL,
	    algs[NALGS - 1].opts), 1);
	sk_buf_free(&b);
	sk_key_free(key);
}

/* r||s <-> DER: too-wide integers and trailing bytes are refused. */
static void
test_ecsig_convert(void)
{
	static const uint8_t der[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02,
	    0x01, 0x02 };
	static const uint8_t trail[] = { 0x30, 0x06, 0x02, 0x01, 0x01, 0x02,
	    0x01, 0x02, 0x00 };
	struct sk_buf b;

	sk_buf_init(&b, 256);
	SKT_RC(sk_ecsig_der_to_raw(der, sizeof(der), 2, &b), 0);
	SKT_MEMEQ(b.data, b.len, "\x00\x01\x00\x02", 4);
	sk_buf_reset(&b);
	SKT_RC(sk_ecsig_raw_to_der((const uint8_t *)"\x00\x01\x00\x02", 4,
	    &b), 0);
	SKT_MEMEQ(b.data, b.len, der, sizeof(der));
	sk_buf_reset(&b);
	SKT_RC(sk_ecsig_der_to_raw(trail, sizeof(trail), 2, &b),
	    SK_ERR_SIGNATURE);
	SKT_RC(sk_ecsig_raw_to_der(der, 3, &b), SK_ERR_SIGNATURE);
	SKT_EQ(b.len, 0);
	sk_buf_free(&b);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	if (system("openssl version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "no openssl tool\n");
		return 77;
	}
	SKT_RUN(test_alg_names);
	SKT_RUN(test_generate_sign_verify);
	SKT_RUN(test_ed25519_deterministic);
	SKT_RUN(test_fits_alg);
	SKT_RUN(test_load_formats);
	SKT_RUN(test_cert_kid);
	SKT_RUN(test_signer_kid);
	SKT_RUN(test_write_private);
	SKT_RUN(test_pubkey_load);
	SKT_RUN(test_load_errors);
	SKT_RUN(test_cross_openssl);
	SKT_RUN(test_verify_only);
	SKT_RUN(test_sm2_ec_typed);
	SKT_RUN(test_ecsig_convert);
	if (sh("rm -rf '%s'", tmpdir) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return skt_done();
}
