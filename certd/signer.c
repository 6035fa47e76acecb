/*
 * signer.c: issuer keys and licence signing (signer.h).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/cose.h"
#include "sealkit/key.h"

#include "signer.h"
#include "util.h"

struct certd_issuer_signer {
	char			 uscc[CERTD_USCC_MAX + 1];
	struct sk_signer	*signer;
};

struct certd_signers {
	struct certd_issuer_signer	*v;
	size_t				 n;
	size_t				 cap;
	const struct certd_config	*cfg;	/* during load only */
	char				*err;	/* during load only */
	size_t				 errlen;
};

static void
serr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
serr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Read a password file: its first line, without the line end. */
static int
read_password(const char *path, struct sk_buf *pw)
{
	size_t i;
	int rc;

	if ((rc = certd_read_file(path, CERTD_PASSWORD_MAX, 1, pw)) != 0)
		return rc;
	for (i = 0; i < pw->len; i++)
		if (pw->data[i] == '\n' || pw->data[i] == '\r' ||
		    pw->data[i] == '\0')
			break;
	pw->len = i;
	if ((rc = sk_buf_putc(pw, '\0')) != 0)
		sk_buf_free(pw);
	return rc;
}

/* The certificate is one of the trust list's issuers. */
static int
in_trust(const struct sk_trust *trust, const struct sk_cert *cert)
{
	const struct sk_cert *c;
	const uint8_t *a, *b;
	uint8_t kid[SK_KID_LEN];
	size_t alen, blen, i;

	if (sk_cert_kid(cert, kid) != 0)
		return 0;
	sk_cert_der(cert, &a, &alen);
	for (i = 0; sk_trust_lookup(trust, kid, sizeof(kid), i, &c) == 0;
	    i++) {
		sk_cert_der(c, &b, &blen);
		if (alen == blen && memcmp(a, b, alen) == 0)
			return 1;
	}
	return 0;
}

static int
load_signer(const struct sk_cert *cert, const char *keypath,
    const char *password, struct sk_signer **out, char *err, size_t errlen)
{
	struct sk_key *key;
	int rc;

	*out = NULL;
	if ((rc = sk_key_load_file(keypath, password, &key)) != 0) {
		serr(err, errlen, "%s: %s", keypath, sk_strerror(rc));
		return rc;
	}
	/* Refuses (SK_ERR_CERT) a certificate that does not carry the key. */
	if ((rc = sk_signer_from_key(key, SK_ALG_NONE, cert, out)) != 0)
		serr(err, errlen, "%s: %s", keypath, rc == SK_ERR_CERT ?
		    "the key is not the certificate's" : sk_strerror(rc));
	return rc;
}

int
certd_issuer_prepare(const char *certpath, const char *keypath,
    const char *password, const struct sk_trust *trust,
    struct certd_issuer_rec *rec, char *err, size_t errlen)
{
	struct sk_signer *signer = NULL;
	struct sk_cert *cert = NULL;
	const uint8_t *der;
	char *abs = NULL;
	size_t len;
	int rc;

	memset(rec, 0, sizeof(*rec));
	if ((rc = sk_cert_load_file(certpath, &cert)) != 0) {
		serr(err, errlen, "%s: %s", certpath, sk_strerror(rc));
		return rc;
	}
	if ((rc = sk_cert_subject_uscc(cert, rec->uscc)) != 0) {
		serr(err, errlen, "%s: no valid USCC in the subject",
		    certpath);
		goto out;
	}
	if (trust != NULL && !in_trust(trust, cert)) {
		serr(err, errlen, "%s: not in the trust list", certpath);
		rc = SK_ERR_CERT;
		goto out;
	}
	if ((rc = load_signer(cert, keypath, password, &signer, err,
	    errlen)) != 0)
		goto out;
	if ((abs = realpath(keypath, NULL)) == NULL ||
	    strlen(abs) > CERTD_PATH_MAX) {
		serr(err, errlen, "%s: cannot resolve the path", keypath);
		rc = SK_ERR_IO;
		goto out;
	}
	memcpy(rec->key_path, abs, strlen(abs) + 1);
	sk_cert_der(cert, &der, &len);
	if ((rec->cert = malloc(len)) == NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	memcpy(rec->cert, der, len);
	rec->certlen = len;
out:
	free(abs);
	sk_signer_free(signer);
	sk_cert_free(cert);
	return rc;
}

static const struct certd_issuer_key *
config_key(const struct certd_config *cfg, const char *uscc)
{
	size_t i;

	for (i = 0; cfg != NULL && i < cfg->nkeys; i++)
		if (strcmp(cfg->keys[i].uscc, uscc) == 0)
			return &cfg->keys[i];
	return NULL;
}

static int
add_issuer(void *ctx, const struct certd_issuer_rec *r)
{
	struct certd_signers *s = ctx;
	const struct certd_issuer_key *k = config_key(s->cfg, r->uscc);
	struct sk_buf pw;
	struct sk_cert *cert;
	int rc;

	if (s->n == s->cap)
		return SK_ERR_LIMIT;
	if ((rc = sk_cert_load_mem(r->cert, r->certlen, &cert)) != 0) {
		serr(s->err, s->errlen, "issuer %s: stored certificate: %s",
		    r->uscc, sk_strerror(rc));
		return rc;
	}
	memset(&pw, 0, sizeof(pw));
	if (k != NULL && k->password_file != NULL &&
	    (rc = read_password(k->password_file, &pw)) != 0) {
		serr(s->err, s->errlen, "issuer %s: %s: %s", r->uscc,
		    k->password_file, sk_strerror(rc));
		sk_cert_free(cert);
		return rc;
	}
	rc = load_signer(cert, k != NULL ? k->key : r->key_path,
	    pw.data != NULL ? (const char *)pw.data : NULL,
	    &s->v[s->n].signer, s->err, s->errlen);
	sk_buf_free(&pw);
	sk_cert_free(cert);
	if (rc != 0)
		return rc;
	memcpy(s->v[s->n].uscc, r->uscc, sizeof(r->uscc));
	s->n++;
	return 0;
}

int
certd_signers_load(struct certd_store *st, const struct certd_config *cfg,
    struct certd_signers **out, char *err, size_t errlen)
{
	struct certd_signers *s;
	int rc;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->v = calloc(CERTD_STORE_ISSUERS_MAX, sizeof(*s->v))) == NULL) {
		free(s);
		return SK_ERR_NOMEM;
	}
	s->cap = CERTD_STORE_ISSUERS_MAX;
	s->cfg = cfg;
	s->err = err;
	s->errlen = errlen;
	if ((rc = certd_store_each_issuer(st, add_issuer, s)) != 0) {
		if (err[0] == '\0')
			serr(err, errlen, "issuers: %s",
			    certd_store_strerror(rc));
		certd_signers_free(s);
		return rc;
	}
	s->cfg = NULL;
	s->err = NULL;
	*out = s;
	return 0;
}

size_t
certd_signers_count(const struct certd_signers *s)
{
	return s == NULL ? 0 : s->n;
}

int
certd_signers_sign_licence(struct certd_signers *s,
    const struct sk_licence *lic, struct sk_buf *out)
{
	struct sk_buf claims;
	size_t i;
	int rc;

	if (s == NULL || lic == NULL || lic->issuer_code == NULL)
		return SK_ERR_ARG;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].uscc, lic->issuer_code) == 0)
			break;
	if (i == s->n)
		return SK_ERR_NOTFOUND;
	sk_buf_init(&claims, SK_LICENCE_MAX_CLAIMS);
	if ((rc = sk_licence_encode_claims(lic, &claims)) == 0)
		rc = sk_cose_sign1_sign(s->v[i].signer, claims.data,
		    claims.len, NULL, 0, 0, out);
	sk_buf_free(&claims);
	return rc;
}

int
certd_signers_has(const struct certd_signers *s, const char *uscc)
{
	size_t i;

	for (i = 0; s != NULL && uscc != NULL && i < s->n; i++)
		if (strcmp(s->v[i].uscc, uscc) == 0)
			return 1;
	return 0;
}

int
certd_signers_sign_statuslist(void *ctx, const char *uscc,
    const struct sk_statuslist *l, const struct sk_statuslist_meta *meta,
    struct sk_buf *out)
{
	struct certd_signers *s = ctx;
	size_t i;

	if (s == NULL || uscc == NULL)
		return SK_ERR_ARG;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].uscc, uscc) == 0)
			return sk_statuslist_token_sign(l, s->v[i].signer,
			    meta, out);
	return SK_ERR_NOTFOUND;
}

void
certd_signers_free(struct certd_signers *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		sk_signer_free(s->v[i].signer);
	free(s->v);
	free(s);
}
