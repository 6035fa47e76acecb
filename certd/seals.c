/*
 * seals.c: seal registry, server-side sealing and the TSA (seals.h).
 */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "sealkit/cbor.h"
#include "sealkit/ident.h"
#include "sealkit/trust.h"

#include "seals.h"
#include "signer.h"
#include "util.h"

#define META_KEYS	"seal_keys"
#define META_TSA	"tsa_key"
#define META_SERIAL	"tsa_serial"
/* Largest "seal_keys" or "tsa_key" record. */
#define KEYS_MAX	((CERTD_SEAL_OWNERS_MAX + 1) * \
	(SK_SEAL_MAX_CERT_BYTES + CERTD_PATH_MAX + 16))

/* One key pair: its certificate and an in-process signer. */
struct seal_key {
	struct sk_cert		*cert;
	struct sk_signer	*signer;
};

struct certd_seals {
	struct seal_key		 maker;
	struct seal_key		 owners[CERTD_SEAL_OWNERS_MAX];
	size_t			 nowners;
	pthread_mutex_t		 sign_mu;	/* signers are not shared */
	struct sk_tsa		*tsa;
	struct sk_cert		*tsa_cert;
	pthread_mutex_t		 tsa_mu;	/* sk_tsa is not thread-safe */
	struct certd_store	*st;		/* for the serial callback */
	uint64_t		 serial_next;	/* reserved: [next, limit) */
	uint64_t		 serial_limit;
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

static void
be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t
get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

int
certd_seal_id_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > CERTD_SEAL_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

void
certd_seal_rec_clear(struct certd_seal_rec *r)
{
	if (r == NULL)
		return;
	free(r->der);
	memset(r, 0, sizeof(*r));
}

/*
 * Records.
 */

static int
enc_seal(const struct certd_seal_rec *r, struct sk_buf *b)
{
	size_t i;
	int rc;

	if ((rc = sk_cbor_put_array(b, 7)) != 0 ||
	    (rc = sk_cbor_put_uint(b, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = sk_cbor_put_uint(b, r->state)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, r->der, r->derlen)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, r->owner)) != 0 ||
	    (rc = sk_cbor_put_int(b, r->created)) != 0 ||
	    (rc = sk_cbor_put_int(b, r->updated)) != 0 ||
	    (rc = sk_cbor_put_array(b, r->nsigners)) != 0)
		return rc;
	for (i = 0; i < r->nsigners && rc == 0; i++)
		rc = sk_cbor_put_cstr(b, r->signers[i]);
	return rc;
}

static int
get_tstr(const struct sk_cbor_item *it, char *dst, size_t cap)
{
	if (it == NULL || it->type != SK_CBOR_TSTR || it->len >= cap ||
	    memchr(it->ptr, '\0', it->len) != NULL)
		return SK_ERR_FORMAT;
	memcpy(dst, it->ptr, it->len);
	dst[it->len] = '\0';
	return 0;
}

static int
dec_signers(const struct sk_cbor_item *a, struct certd_seal_rec *r)
{
	const struct sk_cbor_item *it;

	if (a == NULL || a->type != SK_CBOR_ARRAY ||
	    a->len > CERTD_SEAL_SIGNERS_MAX)
		return SK_ERR_FORMAT;
	for (it = a->child; it != NULL; it = it->next)
		if (get_tstr(it, r->signers[r->nsigners++],
		    sizeof(r->signers[0])) != 0)
			return SK_ERR_FORMAT;
	return 0;
}

static int
dec_seal(const uint8_t *p, size_t len, const char *id,
    struct certd_seal_rec *r)
{
	const struct sk_cbor_item *it;
	struct sk_cbor_limits lim;
	struct sk_cbor_doc *doc;
	int64_t st;
	int rc;

	memset(r, 0, sizeof(*r));
	sk_cbor_limits_default(&lim);
	lim.max_bytes = CERTD_SEAL_RECORD_MAX;
	if ((rc = sk_cbor_decode(p, len, &lim, &doc)) != 0)
		return rc;
	it = sk_cbor_root(doc);
	rc = SK_ERR_FORMAT;
	if (it->type != SK_CBOR_ARRAY || it->len != 7 ||
	    it->child->type != SK_CBOR_UINT ||
	    it->child->u != CERTD_RECORD_VERSION)
		goto out;
	it = it->child->next;
	if (sk_cbor_int(it, &st) != 0 || st < 0 || st > 1 ||
	    it->next->type != SK_CBOR_BSTR || it->next->len == 0)
		goto out;
	r->state = (unsigned)st;
	it = it->next;
	if ((r->der = malloc(it->len)) == NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	memcpy(r->der, it->ptr, it->len);
	r->derlen = it->len;
	it = it->next;
	if (get_tstr(it, r->owner, sizeof(r->owner)) != 0 ||
	    sk_cbor_int(it->next, &r->created) != 0 ||
	    sk_cbor_int(it->next->next, &r->updated) != 0 ||
	    dec_signers(it->next->next->next, r) != 0)
		goto out;
	(void)snprintf(r->id, sizeof(r->id), "%s", id);
	rc = 0;
out:
	sk_cbor_free(doc);
	if (rc != 0)
		certd_seal_rec_clear(r);
	return rc;
}

static int
event_id(const char *id, char out[sizeof(CERTD_SEAL_EVENT_PREFIX) +
    CERTD_SEAL_ID_MAX])
{
	int n;

	n = snprintf(out, sizeof(CERTD_SEAL_EVENT_PREFIX) + CERTD_SEAL_ID_MAX,
	    "%s%s", CERTD_SEAL_EVENT_PREFIX, id);
	return n < 0 || (size_t)n >= sizeof(CERTD_SEAL_EVENT_PREFIX) +
	    CERTD_SEAL_ID_MAX ? SK_ERR_LIMIT : 0;
}

/*
 * Key pairs: init and load.
 */

static void
key_free(struct seal_key *k)
{
	sk_cert_free(k->cert);
	sk_signer_free(k->signer);
	memset(k, 0, sizeof(*k));
}

/* Load cert and key; alg SK_ALG_SM2_SM3 for seals, SK_ALG_NONE: keep key. */
static int
key_load(const uint8_t *der, size_t derlen, const char *certpath,
    const char *keypath, const char *password, struct seal_key *k,
    char *err, size_t errlen)
{
	struct sk_key *key;
	int rc;

	memset(k, 0, sizeof(*k));
	rc = der != NULL ? sk_cert_load_mem(der, derlen, &k->cert) :
	    sk_cert_load_file(certpath, &k->cert);
	if (rc != 0) {
		serr(err, errlen, "%s: %s", certpath, sk_strerror(rc));
		return rc;
	}
	if ((rc = sk_key_load_file(keypath, password, &key)) != 0) {
		serr(err, errlen, "%s: %s", keypath, sk_strerror(rc));
		key_free(k);
		return rc;
	}
	if ((rc = sk_signer_from_key(key, SK_ALG_SM2_SM3, k->cert,
	    &k->signer)) != 0) {
		serr(err, errlen, "%s: not the SM2 key of %s", keypath,
		    certpath);
		key_free(k);
	}
	return rc;
}

static int
split_pair(const char *arg, char *cert, char *key, size_t cap)
{
	const char *sep;

	if ((sep = strchr(arg, '=')) == NULL)
		sep = strchr(arg, ':');
	if (sep == NULL || sep == arg || sep[1] == '\0' ||
	    (size_t)(sep - arg) >= cap || strlen(sep + 1) >= cap)
		return SK_ERR_ARG;
	memcpy(cert, arg, (size_t)(sep - arg));
	cert[sep - arg] = '\0';
	memcpy(key, sep + 1, strlen(sep + 1) + 1);
	return 0;
}

int
certd_seal_init_opt(struct certd_seal_init *in, int which, const char *arg)
{
	switch (which) {
	case CERTD_SEAL_INIT_MAKER:
		in->maker = arg;
		return 0;
	case CERTD_SEAL_INIT_TSA:
		in->tsa = arg;
		return 0;
	case CERTD_SEAL_INIT_OWNER:
		if (in->nowners == CERTD_SEAL_OWNERS_MAX)
			return -1;
		in->owners[in->nowners++] = arg;
		return 0;
	}
	return -1;
}

#define PAIR_MAKER	0
#define PAIR_OWNER	1
#define PAIR_TSA	2

/* Append [cert DER, absolute key path] after checking the pair. */
static int
init_pair(const char *arg, int kind, const char *password, struct sk_buf *b,
    char *err, size_t errlen)
{
	char cert[PATH_MAX], key[PATH_MAX], uscc[CERTD_USCC_MAX + 1], *abs;
	struct seal_key k;
	struct sk_key *tk;
	struct sk_tsa *t;
	const uint8_t *der;
	size_t len;
	int rc;

	if (split_pair(arg, cert, key, sizeof(cert)) != 0) {
		serr(err, errlen, "%s: want CERT=KEY", arg);
		return SK_ERR_ARG;
	}
	memset(&k, 0, sizeof(k));
	if (kind == PAIR_TSA) {
		if ((rc = sk_cert_load_file(cert, &k.cert)) != 0 ||
		    (rc = sk_key_load_file(key, password, &tk)) != 0) {
			serr(err, errlen, "%s: %s", arg, sk_strerror(rc));
			key_free(&k);
			return rc;
		}
		rc = sk_tsa_new(tk, k.cert, NULL, 0, &t);
		sk_key_free(tk);
		sk_tsa_free(t);
		if (rc != 0)
			serr(err, errlen, "%s: not a TSA pair: %s", arg,
			    sk_strerror(rc));
	} else if ((rc = key_load(NULL, 0, cert, key, password, &k, err,
	    errlen)) == 0 && kind == PAIR_OWNER &&
	    (rc = sk_cert_subject_uscc(k.cert, uscc)) != 0)
		serr(err, errlen, "%s: no valid USCC in the subject", cert);
	if (rc == 0 && ((abs = realpath(key, NULL)) == NULL ||
	    strlen(abs) > CERTD_PATH_MAX)) {
		serr(err, errlen, "%s: cannot resolve the path", key);
		free(abs);
		rc = SK_ERR_IO;
	} else if (rc == 0) {
		sk_cert_der(k.cert, &der, &len);
		if ((rc = sk_cbor_put_array(b, 2)) == 0 &&
		    (rc = sk_cbor_put_bstr(b, der, len)) == 0)
			rc = sk_cbor_put_cstr(b, abs);
		free(abs);
	}
	key_free(&k);
	return rc;
}

int
certd_seal_init_prepare(struct certd_seal_init *in, const char *password,
    char *err, size_t errlen)
{
	size_t i;
	int rc;

	sk_buf_init(&in->keys, KEYS_MAX);
	sk_buf_init(&in->tsakey, KEYS_MAX);
	if (in->tsa != NULL &&
	    ((rc = sk_cbor_put_array(&in->tsakey, 2)) != 0 ||
	    (rc = sk_cbor_put_uint(&in->tsakey, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = init_pair(in->tsa, PAIR_TSA, password, &in->tsakey, err,
	    errlen)) != 0))
		return rc;
	if (in->maker == NULL && in->nowners == 0)
		return 0;
	if ((rc = sk_cbor_put_array(&in->keys, 3)) != 0 ||
	    (rc = sk_cbor_put_uint(&in->keys, CERTD_RECORD_VERSION)) != 0)
		return rc;
	if (in->maker == NULL)
		rc = sk_cbor_put_null(&in->keys);
	else
		rc = init_pair(in->maker, PAIR_MAKER, password, &in->keys,
		    err, errlen);
	if (rc != 0 || (rc = sk_cbor_put_array(&in->keys, in->nowners)) != 0)
		return rc;
	for (i = 0; i < in->nowners && rc == 0; i++)
		rc = init_pair(in->owners[i], PAIR_OWNER, password, &in->keys,
		    err, errlen);
	return rc;
}

int
certd_seal_init_write(struct certd_seal_init *in, struct certd_store *st)
{
	int rc = 0;

	if (in->keys.len > 0)
		rc = certd_store_put_meta(st, META_KEYS, in->keys.data,
		    in->keys.len);
	if (rc == 0 && in->tsakey.len > 0)
		rc = certd_store_put_meta(st, META_TSA, in->tsakey.data,
		    in->tsakey.len);
	return rc;
}

void
certd_seal_init_free(struct certd_seal_init *in)
{
	if (in == NULL)
		return;
	sk_buf_free(&in->keys);
	sk_buf_free(&in->tsakey);
}

/* Load a recorded [cert, path] pair as an SM2 signer. */
static int
load_pair(const struct sk_cbor_item *it, struct seal_key *k, char *err,
    size_t errlen)
{
	char path[CERTD_PATH_MAX + 1];

	if (it == NULL || it->type != SK_CBOR_ARRAY || it->len != 2 ||
	    it->child->type != SK_CBOR_BSTR ||
	    get_tstr(it->child->next, path, sizeof(path)) != 0) {
		serr(err, errlen, "seal keys: malformed record");
		return SK_ERR_FORMAT;
	}
	return key_load(it->child->ptr, it->child->len, "stored certificate",
	    path, NULL, k, err, errlen);
}

static int
load_keys(struct certd_seals *s, const struct sk_buf *b, char *err,
    size_t errlen)
{
	const struct sk_cbor_item *it, *o;
	struct sk_cbor_doc *doc;
	int rc;

	if ((rc = sk_cbor_decode(b->data, b->len, NULL, &doc)) != 0)
		return rc;
	it = sk_cbor_root(doc);
	rc = SK_ERR_FORMAT;
	if (it->type != SK_CBOR_ARRAY || it->len != 3 ||
	    it->child->next->next->type != SK_CBOR_ARRAY ||
	    it->child->next->next->len > CERTD_SEAL_OWNERS_MAX)
		goto out;
	it = it->child->next;
	rc = 0;
	if (it->type != SK_CBOR_SIMPLE)
		rc = load_pair(it, &s->maker, err, errlen);
	for (o = it->next->child; o != NULL && rc == 0; o = o->next)
		if ((rc = load_pair(o, &s->owners[s->nowners], err,
		    errlen)) == 0)
			s->nowners++;
out:
	sk_cbor_free(doc);
	return rc;
}

static int
load_tsa(struct certd_seals *s, const struct sk_buf *b, char *err,
    size_t errlen)
{
	const struct sk_cbor_item *it;
	struct sk_cbor_doc *doc;
	struct sk_key *key;
	char path[CERTD_PATH_MAX + 1];
	int rc;

	if ((rc = sk_cbor_decode(b->data, b->len, NULL, &doc)) != 0)
		return rc;
	it = sk_cbor_root(doc);
	rc = SK_ERR_FORMAT;
	if (it->type != SK_CBOR_ARRAY || it->len != 2 ||
	    (it = it->child->next)->type != SK_CBOR_ARRAY || it->len != 2 ||
	    it->child->type != SK_CBOR_BSTR ||
	    get_tstr(it->child->next, path, sizeof(path)) != 0)
		goto out;
	if ((rc = sk_cert_load_mem(it->child->ptr, it->child->len,
	    &s->tsa_cert)) != 0 ||
	    (rc = sk_key_load_file(path, NULL, &key)) != 0) {
		serr(err, errlen, "TSA key %s: %s", path, sk_strerror(rc));
		goto out;
	}
	rc = sk_tsa_new(key, s->tsa_cert, NULL, 0, &s->tsa);
	sk_key_free(key);
	if (rc != 0)
		serr(err, errlen, "TSA key %s: %s", path, sk_strerror(rc));
out:
	sk_cbor_free(doc);
	return rc;
}

static int tsa_serial(void *arg, uint64_t *counter);

int
certd_seals_load(struct certd_store *st, struct certd_seals **out,
    char *err, size_t errlen)
{
	struct certd_seals *s;
	struct sk_buf b;
	int rc = 0;

	*out = NULL;
	if (errlen > 0)
		err[0] = '\0';
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return SK_ERR_NOMEM;
	pthread_mutex_init(&s->sign_mu, NULL);
	pthread_mutex_init(&s->tsa_mu, NULL);
	s->st = st;
	if ((rc = certd_store_get_meta(st, META_KEYS, &b)) == 0)
		rc = load_keys(s, &b, err, errlen);
	sk_buf_free(&b);
	if (rc == SK_ERR_NOTFOUND)
		rc = 0;
	if (rc == 0 && (rc = certd_store_get_meta(st, META_TSA, &b)) == 0)
		rc = load_tsa(s, &b, err, errlen);
	sk_buf_free(&b);
	if (rc == SK_ERR_NOTFOUND)
		rc = 0;
	if (rc != 0) {
		if (err[0] == '\0')
			serr(err, errlen, "seal keys: %s",
			    certd_store_strerror(rc));
		certd_seals_free(s);
		return rc;
	}
	if (s->tsa != NULL)
		sk_tsa_set_serial_cb(s->tsa, tsa_serial, s);
	*out = s;
	return 0;
}

void
certd_seals_free(struct certd_seals *s)
{
	size_t i;

	if (s == NULL)
		return;
	key_free(&s->maker);
	for (i = 0; i < s->nowners; i++)
		key_free(&s->owners[i]);
	sk_tsa_free(s->tsa);
	sk_cert_free(s->tsa_cert);
	pthread_mutex_destroy(&s->sign_mu);
	pthread_mutex_destroy(&s->tsa_mu);
	free(s);
}

int
certd_seals_have_maker(const struct certd_seals *s)
{
	return s != NULL && s->maker.signer != NULL;
}

int
certd_seals_have_tsa(const struct certd_seals *s)
{
	return s != NULL && s->tsa != NULL;
}

const struct sk_cert *
certd_seals_tsa_cert(const struct certd_seals *s)
{
	return s != NULL ? s->tsa_cert : NULL;
}

/*
 * Registry.
 */

/* Owner USCC followed by the time and 4 random digits. */
static int
gen_esid(const char *owner, int64_t now, char id[CERTD_SEAL_ID_MAX + 1])
{
	uint8_t rnd[2];
	int n;

	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return SK_ERR_CRYPTO;
	n = snprintf(id, CERTD_SEAL_ID_MAX + 1, "%s%lld%04u", owner,
	    (long long)now, (unsigned)((rnd[0] << 8 | rnd[1]) % 10000u));
	return n < 0 || n > (int)CERTD_SEAL_ID_MAX ? SK_ERR_LIMIT : 0;
}

static int
check_owner_certs(const struct certd_seal_new *n)
{
	char uscc[CERTD_USCC_MAX + 1];
	size_t i;

	if (n->ncerts == 0 || n->ncerts > SK_SEAL_MAX_CERTS)
		return SK_ERR_ARG;
	for (i = 0; i < n->ncerts; i++)
		if (sk_cert_subject_uscc(n->certs[i], uscc) != 0 ||
		    strcmp(uscc, n->owner) != 0)
			return SK_ERR_ARG;
	return 0;
}

struct put_ctx {
	const struct certd_seal_rec	*rec;
	const struct certd_actor	*who;
};

static int
w_put_seal(struct certd_wtx *tx, void *arg)
{
	struct put_ctx *c = arg;
	char eid[sizeof(CERTD_SEAL_EVENT_PREFIX) + CERTD_SEAL_ID_MAX];
	struct sk_buf b;
	int rc;

	if ((rc = event_id(c->rec->id, eid)) != 0 ||
	    (rc = certd_wtx_event(tx, eid, "issue", "", c->who)) != 0)
		return rc;
	sk_buf_init(&b, CERTD_SEAL_RECORD_MAX);
	if ((rc = enc_seal(c->rec, &b)) == 0)
		rc = certd_wtx_put(tx, CERTD_XDB_SEALS, c->rec->id,
		    strlen(c->rec->id), b.data, b.len, 1);
	sk_buf_free(&b);
	return rc;
}

static int
make_der(struct certd_seals *s, const struct certd_seal_new *n,
    const struct certd_seal_rec *rec, struct sk_buf *der)
{
	struct sk_seal_params p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.vid = "certd";
	p.esid = rec->id;
	p.type = n->type;
	p.name = n->name;
	p.png = n->png;
	p.pnglen = n->pnglen;
	p.width_mm = n->width_mm;
	p.height_mm = n->height_mm;
	p.certs = n->certs;
	p.ncerts = n->ncerts;
	p.created = rec->created;
	p.valid_from = n->valid_from;
	p.valid_to = n->valid_to;
	pthread_mutex_lock(&s->sign_mu);
	rc = sk_seal_make(&p, s->maker.signer, s->maker.cert, der);
	pthread_mutex_unlock(&s->sign_mu);
	return rc;
}

int
certd_seals_make(struct certd_seals *s, struct certd_store *st,
    const struct certd_seal_new *n, const struct certd_actor *who,
    struct certd_seal_rec *rec)
{
	struct put_ctx c;
	struct sk_buf der;
	size_t i;
	int rc;

	memset(rec, 0, sizeof(*rec));
	if (!certd_seals_have_maker(s))
		return SK_ERR_NOTFOUND;
	if (strlen(n->owner) != CERTD_USCC_MAX || n->nsigners >
	    CERTD_SEAL_SIGNERS_MAX || check_owner_certs(n) != 0)
		return SK_ERR_ARG;
	memcpy(rec->owner, n->owner, CERTD_USCC_MAX + 1);
	rec->created = rec->updated = who->time;
	for (i = 0; i < n->nsigners; i++) {
		if (strlen(n->signers[i]) > CERTD_NAME_MAX)
			return SK_ERR_ARG;
		memcpy(rec->signers[i], n->signers[i],
		    strlen(n->signers[i]) + 1);
	}
	rec->nsigners = n->nsigners;
	if (n->esid[0] != '\0') {
		if (!certd_seal_id_ok(n->esid))
			return SK_ERR_ARG;
		memcpy(rec->id, n->esid, strlen(n->esid) + 1);
	} else if ((rc = gen_esid(n->owner, who->time, rec->id)) != 0)
		return rc;
	sk_buf_init(&der, SK_SEAL_MAX_BYTES);
	if ((rc = make_der(s, n, rec, &der)) != 0) {
		sk_buf_free(&der);
		return rc;
	}
	sk_buf_take(&der, &rec->der, &rec->derlen);
	c.rec = rec;
	c.who = who;
	if ((rc = certd_store_ext_write(st, w_put_seal, &c)) != 0)
		certd_seal_rec_clear(rec);
	return rc;
}

int
certd_seal_get(struct certd_store *st, const char *id,
    struct certd_seal_rec *rec)
{
	struct sk_buf b;
	int rc;

	memset(rec, 0, sizeof(*rec));
	if (!certd_seal_id_ok(id))
		return SK_ERR_NOTFOUND;
	sk_buf_init(&b, CERTD_SEAL_RECORD_MAX);
	if ((rc = certd_store_ext_get(st, CERTD_XDB_SEALS, id, strlen(id),
	    &b)) == 0)
		rc = dec_seal(b.data, b.len, id, rec);
	sk_buf_free(&b);
	return rc;
}

struct revoke_ctx {
	const char			*id;
	const char			*reason;
	const struct certd_actor	*who;
	int				 changed;
};

static int
w_revoke(struct certd_wtx *tx, void *arg)
{
	struct revoke_ctx *c = arg;
	char eid[sizeof(CERTD_SEAL_EVENT_PREFIX) + CERTD_SEAL_ID_MAX];
	struct certd_seal_rec rec;
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, CERTD_SEAL_RECORD_MAX);
	if ((rc = certd_wtx_get(tx, CERTD_XDB_SEALS, c->id, strlen(c->id),
	    &b)) != 0 || (rc = dec_seal(b.data, b.len, c->id, &rec)) != 0) {
		sk_buf_free(&b);
		return rc;
	}
	if (rec.state == CERTD_SEAL_REVOKED)
		goto out;
	rec.state = CERTD_SEAL_REVOKED;
	rec.updated = c->who->time;
	sk_buf_reset(&b);
	if ((rc = enc_seal(&rec, &b)) == 0 &&
	    (rc = certd_wtx_put(tx, CERTD_XDB_SEALS, c->id, strlen(c->id),
	    b.data, b.len, 0)) == 0 && (rc = event_id(c->id, eid)) == 0 &&
	    (rc = certd_wtx_event(tx, eid, "revoke", c->reason,
	    c->who)) == 0)
		c->changed = 1;
out:
	certd_seal_rec_clear(&rec);
	sk_buf_free(&b);
	return rc;
}

int
certd_seal_revoke(struct certd_store *st, const char *id, const char *reason,
    const struct certd_actor *who, int *changed)
{
	struct revoke_ctx c;
	int rc;

	*changed = 0;
	if (!certd_seal_id_ok(id))
		return SK_ERR_NOTFOUND;
	c.id = id;
	c.reason = reason;
	c.who = who;
	c.changed = 0;
	if ((rc = certd_store_ext_write(st, w_revoke, &c)) == 0)
		*changed = c.changed;
	return rc;
}

/*
 * Server-side sealing.
 */

static int
is_signer(const struct certd_seal_rec *rec, const char *client)
{
	size_t i;

	for (i = 0; i < rec->nsigners; i++)
		if (strcmp(rec->signers[i], client) == 0)
			return 1;
	return 0;
}

/* An owner key whose certificate is in the seal's certList, or NULL. */
static struct seal_key *
owner_key(struct certd_seals *s, const struct sk_seal *seal)
{
	struct sk_seal_cert_entry e;
	struct sk_seal_fields f;
	const uint8_t *der;
	size_t i, j, len;

	sk_seal_get(seal, &f);
	for (i = 0; i < s->nowners; i++) {
		sk_cert_der(s->owners[i].cert, &der, &len);
		for (j = 0; j < f.ncerts; j++)
			if (sk_seal_cert_at(seal, j, &e) == 0 && e.kind == 1 &&
			    e.value.len == len &&
			    memcmp(e.value.p, der, len) == 0)
				return &s->owners[i];
	}
	return NULL;
}

struct sign_ctx {
	const char			*id;
	const char			*hashhex;
	const struct certd_actor	*who;
};

/* The event, after re-checking the state: a revocation may have won. */
static int
w_sign_event(struct certd_wtx *tx, void *arg)
{
	struct sign_ctx *c = arg;
	char eid[sizeof(CERTD_SEAL_EVENT_PREFIX) + CERTD_SEAL_ID_MAX];
	struct certd_seal_rec rec;
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, CERTD_SEAL_RECORD_MAX);
	if ((rc = certd_wtx_get(tx, CERTD_XDB_SEALS, c->id, strlen(c->id),
	    &b)) == 0 && (rc = dec_seal(b.data, b.len, c->id, &rec)) == 0) {
		if (rec.state != CERTD_SEAL_VALID)
			rc = CERTD_ERR_CONFLICT;
		else if ((rc = event_id(c->id, eid)) == 0)
			rc = certd_wtx_event(tx, eid, "sign", c->hashhex,
			    c->who);
		certd_seal_rec_clear(&rec);
	}
	sk_buf_free(&b);
	return rc;
}

static int
sign_checked(struct certd_seals *s, const struct certd_seal_rec *rec,
    const uint8_t hash[SK_SM3_LEN], const char *property, int64_t now,
    struct sk_buf *out)
{
	struct sk_ses_sign_params p;
	struct sk_seal_fields f;
	struct sk_seal *seal;
	struct seal_key *k = NULL;
	int rc;

	if ((rc = sk_seal_parse(rec->der, rec->derlen, &seal)) != 0)
		return rc;
	sk_seal_get(seal, &f);
	if (now < f.valid_from || now > f.valid_to)
		rc = SK_ERR_EXPIRED;
	else if ((k = owner_key(s, seal)) == NULL)
		rc = SK_ERR_KEY;
	sk_seal_free(seal);
	if (rc != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	p.seal = rec->der;
	p.seallen = rec->derlen;
	p.data_hash = hash;
	p.hashlen = SK_SM3_LEN;
	p.property = property;
	p.time = now;
	pthread_mutex_lock(&s->sign_mu);
	rc = sk_ses_sig_sign(&p, k->signer, k->cert, out);
	pthread_mutex_unlock(&s->sign_mu);
	return rc;
}

int
certd_seals_sign(struct certd_seals *s, struct certd_store *st,
    const char *id, const uint8_t hash[SK_SM3_LEN], const char *property,
    const struct certd_actor *who, struct sk_buf *out)
{
	struct certd_seal_rec rec;
	struct sign_ctx c;
	char hex[2 * SK_SM3_LEN + 1];
	size_t mark = out->len;
	int rc;

	if (s == NULL)
		return SK_ERR_KEY;
	if ((rc = certd_seal_get(st, id, &rec)) != 0)
		return rc;
	if (!is_signer(&rec, who->client))
		rc = CERTD_ERR_NOT_SIGNER;
	else if (rec.state != CERTD_SEAL_VALID)
		rc = CERTD_ERR_CONFLICT;
	else
		rc = sign_checked(s, &rec, hash, property, who->time, out);
	certd_seal_rec_clear(&rec);
	if (rc != 0)
		return rc;
	certd_hex(hash, SK_SM3_LEN, hex);
	c.id = id;
	c.hashhex = hex;
	c.who = who;
	if ((rc = certd_store_ext_write(st, w_sign_event, &c)) != 0) {
		sk_wipe(out->data + mark, out->len - mark);
		out->len = mark;
	}
	return rc;
}

/*
 * TSA.  The stored value is the first counter not yet reserved.  A
 * block is reserved durably before any of its counters is used, so a
 * crash loses at most the rest of a block and never reuses a counter.
 */

struct serial_ctx {
	uint64_t	first;
};

static int
w_serial(struct certd_wtx *tx, void *arg)
{
	struct serial_ctx *c = arg;
	uint8_t v[8];
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, 8);
	rc = certd_wtx_get(tx, CERTD_XDB_META, META_SERIAL,
	    strlen(META_SERIAL), &b);
	if (rc == SK_ERR_NOTFOUND)
		c->first = 1;
	else if (rc == 0 && b.len == 8)
		c->first = get_be64(b.data);
	else
		rc = rc != 0 ? rc : SK_ERR_FORMAT;
	sk_buf_free(&b);
	if (rc != 0 && rc != SK_ERR_NOTFOUND)
		return rc;
	if (c->first == 0 || c->first > UINT64_MAX - CERTD_TSA_SERIAL_BLOCK)
		return SK_ERR_LIMIT;
	be64(v, c->first + CERTD_TSA_SERIAL_BLOCK);
	return certd_wtx_put(tx, CERTD_XDB_META, META_SERIAL,
	    strlen(META_SERIAL), v, sizeof(v), 0);
}

/* Called by sk_tsa_respond, under tsa_mu. */
static int
tsa_serial(void *arg, uint64_t *counter)
{
	struct certd_seals *s = arg;
	struct serial_ctx c;

	if (s->serial_next == s->serial_limit) {
		if (certd_store_ext_write(s->st, w_serial, &c) != 0)
			return -1;
		s->serial_next = c.first;
		s->serial_limit = c.first + CERTD_TSA_SERIAL_BLOCK;
	}
	*counter = s->serial_next++;
	return 0;
}

int
certd_seals_tsa(struct certd_seals *s, struct certd_store *st,
    const uint8_t *query, size_t len, struct sk_buf *reply,
    struct sk_tsa_outcome *outcome)
{
	int rc;

	if (!certd_seals_have_tsa(s))
		return SK_ERR_NOTFOUND;
	pthread_mutex_lock(&s->tsa_mu);
	s->st = st;
	rc = sk_tsa_respond(s->tsa, query, len, reply, outcome);
	pthread_mutex_unlock(&s->tsa_mu);
	return rc;
}
