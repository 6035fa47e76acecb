/*
 * statuslists.c: status lists in the store, the slot permutation and the
 * signed-token cache (statuslists.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sealkit/cbor.h"

#include "statuslists.h"
#include "util.h"

/* Store keys (database "status"). */
#define K_COUNT		'n'	/* "n": lists opened, 4 bytes BE */
#define K_ISSUER	'i'	/* "i" uscc: the issuer's open list */
#define K_LIST		'l'	/* "l" n: [1, uscc, uri, counter, K] */
#define K_VERSION	'v'	/* "v" n: changes so far, 8 bytes BE */
#define K_CHUNK		'c'	/* "c" n chunk(2 BE): CERTD_SL_CHUNK bytes */

#define CHUNKS		(CERTD_SL_ENTRIES * CERTD_SL_BITS / 8u / CERTD_SL_CHUNK)
#define PER_CHUNK	(CERTD_SL_CHUNK * 8u / CERTD_SL_BITS)
/* Feistel: two 9-bit halves (2^18), cycle-walking into 2^17. */
#define HALF_BITS	9u
#define HALF_MASK	((1u << HALF_BITS) - 1u)
#define ROUNDS		8u

struct list_rec {
	char		 uscc[CERTD_USCC_MAX + 1];
	char		 uri[SK_STATUSLIST_MAX_URI + 1];
	uint64_t	 counter;
	uint8_t		 key[CERTD_SL_KEY_LEN];
};

/* One list's signed token in memory. */
struct slc {
	uint8_t		*tok;
	size_t		 len;
	uint64_t	 version;
	int64_t		 iat;
	char		 etag[CERTD_SL_ETAG_LEN];
};

struct certd_statuslists {
	struct certd_store	*st;
	struct certd_sl_opts	 o;
	char			*base;
	pthread_mutex_t		 mu;
	struct slc		*cache;		/* cache[n - 1] */
	size_t			 ncache;
	atomic_uint_fast64_t	 signings;
};

static void
put_be(uint8_t *p, uint64_t v, size_t n)
{
	while (n-- > 0) {
		p[n] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t
get_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Key "x" n [chunk]: 5 or 7 bytes. */
static size_t
lkey(uint8_t k[7], char kind, uint32_t n, int chunk)
{
	k[0] = (uint8_t)kind;
	put_be(k + 1, n, 4);
	if (chunk < 0)
		return 5;
	put_be(k + 5, (uint64_t)chunk, 2);
	return 7;
}

/*
 * The permutation.
 */

static uint32_t
round_fn(const uint8_t key[CERTD_SL_KEY_LEN], unsigned r, uint32_t half)
{
	uint8_t in[CERTD_SL_KEY_LEN + 3], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	memcpy(in, key, CERTD_SL_KEY_LEN);
	in[CERTD_SL_KEY_LEN] = (uint8_t)r;
	put_be(in + CERTD_SL_KEY_LEN + 1, half, 2);
	if (EVP_Digest(in, sizeof(in), md, &mdlen, EVP_sha256(), NULL) != 1)
		abort();	/* SHA-256 cannot fail but for a broken build */
	return (uint32_t)get_be(md, 2) & HALF_MASK;
}

static uint32_t
feistel(const uint8_t key[CERTD_SL_KEY_LEN], uint32_t x)
{
	uint32_t l = x >> HALF_BITS, r = x & HALF_MASK, t;
	unsigned i;

	for (i = 0; i < ROUNDS; i++) {
		t = r;
		r = l ^ round_fn(key, i, r);
		l = t;
	}
	return l << HALF_BITS | r;
}

uint32_t
certd_sl_permute(const uint8_t key[CERTD_SL_KEY_LEN], uint32_t i)
{
	uint32_t x = i;

	if (i >= CERTD_SL_ENTRIES)
		return CERTD_SL_ENTRIES;
	/* Cycle-walking keeps a permutation of the smaller domain. */
	do
		x = feistel(key, x);
	while (x >= CERTD_SL_ENTRIES);
	return x;
}

int
certd_sl_split(uint64_t slot, uint32_t *list, uint32_t *idx)
{
	uint64_t n = slot / CERTD_SL_ENTRIES;

	*list = 0;
	*idx = 0;
	if (n == 0 || n > CERTD_SL_LISTS_MAX)
		return SK_ERR_ARG;
	*list = (uint32_t)n;
	*idx = (uint32_t)(slot % CERTD_SL_ENTRIES);
	return 0;
}

/*
 * Records.
 */

static int
enc_list(const struct list_rec *l, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_array(b, 5)) != 0 ||
	    (rc = sk_cbor_put_uint(b, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, l->uscc)) != 0 ||
	    (rc = sk_cbor_put_cstr(b, l->uri)) != 0 ||
	    (rc = sk_cbor_put_uint(b, l->counter)) != 0)
		return rc;
	return sk_cbor_put_bstr(b, l->key, sizeof(l->key));
}

static int
tstr_to(const struct sk_cbor_item *it, char *dst, size_t cap)
{
	if (it == NULL || it->type != SK_CBOR_TSTR || it->len == 0 ||
	    it->len >= cap || memchr(it->ptr, '\0', it->len) != NULL)
		return SK_ERR_FORMAT;
	memcpy(dst, it->ptr, it->len);
	dst[it->len] = '\0';
	return 0;
}

static int
dec_list(const struct sk_buf *b, struct list_rec *l)
{
	struct sk_cbor_limits lim;
	const struct sk_cbor_item *it;
	struct sk_cbor_doc *doc;
	int rc;

	memset(l, 0, sizeof(*l));
	sk_cbor_limits_default(&lim);
	lim.max_bytes = CERTD_RECORD_MAX;
	if ((rc = sk_cbor_decode(b->data, b->len, &lim, &doc)) != 0)
		return rc;
	it = sk_cbor_root(doc);
	rc = SK_ERR_FORMAT;
	if (it->type != SK_CBOR_ARRAY || it->len != 5 ||
	    (it = it->child)->type != SK_CBOR_UINT ||
	    it->u != CERTD_RECORD_VERSION)
		goto out;
	it = it->next;
	if (tstr_to(it, l->uscc, sizeof(l->uscc)) != 0 ||
	    tstr_to(it->next, l->uri, sizeof(l->uri)) != 0)
		goto out;
	it = it->next->next;
	if (it->type != SK_CBOR_UINT || it->u > CERTD_SL_ENTRIES ||
	    it->next->type != SK_CBOR_BSTR ||
	    it->next->len != sizeof(l->key))
		goto out;
	l->counter = it->u;
	memcpy(l->key, it->next->ptr, sizeof(l->key));
	rc = 0;
out:
	sk_cbor_free(doc);
	return rc;
}

/*
 * Writes (in the writer thread).
 */

struct assign {
	struct certd_statuslists	*sl;
	const char			*uscc;
	uint32_t			 list;
	uint32_t			 idx;
	char				 uri[SK_STATUSLIST_MAX_URI + 1];
};

static int
wtx_be(struct certd_wtx *tx, const uint8_t *k, size_t klen, size_t n,
    uint64_t *v)
{
	struct sk_buf b;
	int rc;

	*v = 0;
	sk_buf_init(&b, 8);
	if ((rc = certd_wtx_get(tx, CERTD_XDB_STATUS, k, klen, &b)) == 0)
		rc = b.len == n ? 0 : SK_ERR_FORMAT;
	if (rc == 0)
		*v = get_be(b.data, n);
	sk_buf_free(&b);
	return rc;
}

static int
put_list(struct certd_wtx *tx, uint32_t n, const struct list_rec *l)
{
	uint8_t k[7];
	struct sk_buf b;
	int rc;

	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = enc_list(l, &b)) == 0)
		rc = certd_wtx_put(tx, CERTD_XDB_STATUS, k, lkey(k, K_LIST, n,
		    -1), b.data, b.len, 0);
	sk_buf_free(&b);
	return rc;
}

/* Open list count + 1 for a->uscc; fills l. */
static int
open_list(struct certd_wtx *tx, struct assign *a, struct list_rec *l,
    uint32_t *n)
{
	uint8_t k[1 + CERTD_USCC_MAX], v[8], ck = K_COUNT;
	uint64_t count;
	size_t ulen = strlen(a->uscc);
	int rc;

	rc = wtx_be(tx, &ck, 1, 4, &count);
	if (rc != 0 && rc != SK_ERR_NOTFOUND)
		return rc;
	if (count >= CERTD_SL_LISTS_MAX)
		return SK_ERR_LIMIT;
	*n = (uint32_t)count + 1;
	memset(l, 0, sizeof(*l));
	memcpy(l->uscc, a->uscc, ulen + 1);
	if (snprintf(l->uri, sizeof(l->uri), "%s/v1/status/%u",
	    a->sl->base, *n) >= (int)sizeof(l->uri))
		return SK_ERR_LIMIT;
	if (RAND_bytes(l->key, sizeof(l->key)) != 1)
		return SK_ERR_CRYPTO;
	put_be(v, *n, 4);
	if ((rc = certd_wtx_put(tx, CERTD_XDB_STATUS, &ck, 1, v, 4, 0)) != 0)
		return rc;
	k[0] = K_ISSUER;
	memcpy(k + 1, a->uscc, ulen);
	if ((rc = certd_wtx_put(tx, CERTD_XDB_STATUS, k, 1 + ulen, v, 4,
	    0)) != 0)
		return rc;
	put_be(v, 0, 8);
	return certd_wtx_put(tx, CERTD_XDB_STATUS, k, lkey(k, K_VERSION, *n,
	    -1), v, 8, 1);
}

static int
assign_tx(struct certd_wtx *tx, void *arg)
{
	struct assign *a = arg;
	struct list_rec l;
	struct sk_buf b;
	uint8_t k[1 + CERTD_USCC_MAX];
	uint64_t cur;
	uint32_t n;
	size_t ulen = strlen(a->uscc);
	int rc;

	memset(&l, 0, sizeof(l));
	k[0] = K_ISSUER;
	memcpy(k + 1, a->uscc, ulen);
	rc = wtx_be(tx, k, 1 + ulen, 4, &cur);
	if (rc == 0) {
		n = (uint32_t)cur;
		sk_buf_init(&b, CERTD_RECORD_MAX);
		if ((rc = certd_wtx_get(tx, CERTD_XDB_STATUS, k, lkey(k,
		    K_LIST, n, -1), &b)) == 0)
			rc = dec_list(&b, &l);
		sk_buf_free(&b);
		if (rc != 0)
			return rc;
	}
	if (rc == SK_ERR_NOTFOUND || l.counter >= CERTD_SL_ENTRIES)
		rc = open_list(tx, a, &l, &n);
	if (rc != 0)
		return rc;
	a->list = n;
	a->idx = certd_sl_permute(l.key, (uint32_t)l.counter++);
	memcpy(a->uri, l.uri, sizeof(a->uri));
	return put_list(tx, n, &l);
}

int
certd_statuslists_assign(struct certd_statuslists *sl, const char *uscc,
    uint64_t *slot, uint64_t *idx, char uri[SK_STATUSLIST_MAX_URI + 1])
{
	struct assign a;
	int rc;

	*slot = *idx = 0;
	uri[0] = '\0';
	if (sl == NULL || uscc == NULL || strlen(uscc) == 0 ||
	    strlen(uscc) > CERTD_USCC_MAX)
		return SK_ERR_ARG;
	memset(&a, 0, sizeof(a));
	a.sl = sl;
	a.uscc = uscc;
	if ((rc = certd_store_ext_write(sl->st, assign_tx, &a)) != 0)
		return rc;
	*slot = (uint64_t)a.list * CERTD_SL_ENTRIES + a.idx;
	*idx = a.idx;
	memcpy(uri, a.uri, sizeof(a.uri));
	return 0;
}

/* The store hook: one chunk and the version, nothing else. */
static int
hook(void *ctx, struct certd_wtx *tx, uint64_t slot, unsigned state)
{
	uint8_t k[7], chunk[CERTD_SL_CHUNK], v[8];
	struct sk_buf b;
	uint64_t version;
	uint32_t n, idx, off, shift;
	int rc;

	(void)ctx;
	if (state > 3 || certd_sl_split(slot, &n, &idx) != 0)
		return SK_ERR_FORMAT;
	if ((rc = wtx_be(tx, k, lkey(k, K_VERSION, n, -1), 8,
	    &version)) != 0)
		return rc == SK_ERR_NOTFOUND ? SK_ERR_FORMAT : rc;
	memset(chunk, 0, sizeof(chunk));
	sk_buf_init(&b, CERTD_SL_CHUNK);
	rc = certd_wtx_get(tx, CERTD_XDB_STATUS, k, lkey(k, K_CHUNK, n,
	    (int)(idx / PER_CHUNK)), &b);
	if (rc == 0 && b.len == CERTD_SL_CHUNK)
		memcpy(chunk, b.data, CERTD_SL_CHUNK);
	else if (rc == 0)
		rc = SK_ERR_FORMAT;
	sk_buf_free(&b);
	if (rc != 0 && rc != SK_ERR_NOTFOUND)
		return rc;
	/* draft-ietf-oauth-status-list section 4.1: LSB first. */
	off = idx % PER_CHUNK * CERTD_SL_BITS / 8u;
	shift = idx * CERTD_SL_BITS % 8u;
	chunk[off] = (uint8_t)((chunk[off] & ~(3u << shift)) |
	    (state << shift));
	if ((rc = certd_wtx_put(tx, CERTD_XDB_STATUS, k, 7, chunk,
	    sizeof(chunk), 0)) != 0)
		return rc;
	put_be(v, version + 1, 8);
	return certd_wtx_put(tx, CERTD_XDB_STATUS, k, lkey(k, K_VERSION, n,
	    -1), v, 8, 0);
}

/*
 * Reads.
 */

static int
get_version(struct certd_statuslists *sl, uint32_t n, uint64_t *version)
{
	uint8_t k[7];
	struct sk_buf b;
	int rc;

	*version = 0;
	sk_buf_init(&b, 8);
	if ((rc = certd_store_ext_get(sl->st, CERTD_XDB_STATUS, k, lkey(k,
	    K_VERSION, n, -1), &b)) == 0 && b.len != 8)
		rc = SK_ERR_FORMAT;
	if (rc == 0)
		*version = get_be(b.data, 8);
	sk_buf_free(&b);
	return rc;
}

/* Chunk c of list n into dst (zeros if never written). */
static int
get_chunk(struct certd_statuslists *sl, uint32_t n, uint32_t c,
    uint8_t dst[CERTD_SL_CHUNK])
{
	uint8_t k[7];
	struct sk_buf b;
	int rc;

	memset(dst, 0, CERTD_SL_CHUNK);
	sk_buf_init(&b, CERTD_SL_CHUNK);
	rc = certd_store_ext_get(sl->st, CERTD_XDB_STATUS, k, lkey(k,
	    K_CHUNK, n, (int)c), &b);
	if (rc == 0 && b.len == CERTD_SL_CHUNK)
		memcpy(dst, b.data, CERTD_SL_CHUNK);
	else if (rc == 0)
		rc = SK_ERR_FORMAT;
	sk_buf_free(&b);
	return rc == SK_ERR_NOTFOUND ? 0 : rc;
}

int
certd_statuslists_get(struct certd_statuslists *sl, uint64_t slot,
    unsigned *status)
{
	uint8_t chunk[CERTD_SL_CHUNK];
	uint64_t version;
	uint32_t n, idx;
	int rc;

	*status = 0;
	if (certd_sl_split(slot, &n, &idx) != 0)
		return SK_ERR_ARG;
	if ((rc = get_version(sl, n, &version)) != 0 ||
	    (rc = get_chunk(sl, n, idx / PER_CHUNK, chunk)) != 0)
		return rc;
	*status = chunk[idx % PER_CHUNK * CERTD_SL_BITS / 8u] >>
	    (idx * CERTD_SL_BITS % 8u) & 3u;
	return 0;
}

/* The list n as an sk_statuslist, from its record and chunks. */
static int
build_list(struct certd_statuslists *sl, uint32_t n, struct list_rec *rec,
    struct sk_statuslist **out)
{
	uint8_t k[7], chunk[CERTD_SL_CHUNK];
	struct sk_buf b;
	uint32_t c, i, e;
	int rc;

	*out = NULL;
	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = certd_store_ext_get(sl->st, CERTD_XDB_STATUS, k, lkey(k,
	    K_LIST, n, -1), &b)) == 0)
		rc = dec_list(&b, rec);
	sk_buf_free(&b);
	if (rc != 0 || (rc = sk_statuslist_new(CERTD_SL_BITS,
	    CERTD_SL_ENTRIES, rec->uri, out)) != 0)
		return rc;
	for (c = 0; c < CHUNKS && rc == 0; c++) {
		if ((rc = get_chunk(sl, n, c, chunk)) != 0)
			break;
		for (i = 0; i < CERTD_SL_CHUNK && rc == 0; i++) {
			if (chunk[i] == 0)
				continue;
			for (e = 0; e < 4 && rc == 0; e++)
				rc = sk_statuslist_set(*out, (uint64_t)c *
				    PER_CHUNK + i * 4u + e,
				    chunk[i] >> (2u * e) & 3u);
		}
	}
	if (rc != 0) {
		sk_statuslist_free(*out);
		*out = NULL;
	}
	return rc;
}

static int
cache_slot(struct certd_statuslists *sl, uint32_t n, struct slc **e)
{
	struct slc *v;
	size_t want = n;

	if (want > sl->ncache) {
		if (want < 2 * sl->ncache)
			want = 2 * sl->ncache;
		if (want > CERTD_SL_LISTS_MAX)
			want = CERTD_SL_LISTS_MAX;
		if ((v = reallocarray(sl->cache, want, sizeof(*v))) == NULL)
			return SK_ERR_NOMEM;
		memset(v + sl->ncache, 0, (want - sl->ncache) * sizeof(*v));
		sl->cache = v;
		sl->ncache = want;
	}
	*e = &sl->cache[n - 1];
	return 0;
}

static int
resign(struct certd_statuslists *sl, uint32_t n, int64_t now,
    uint64_t version, struct slc *e)
{
	struct sk_statuslist_meta meta;
	struct sk_statuslist *l;
	struct list_rec rec;
	struct sk_buf tok;
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	char hex[33];
	int rc;

	if ((rc = build_list(sl, n, &rec, &l)) != 0)
		return rc;
	memset(&meta, 0, sizeof(meta));
	meta.iat = now;
	meta.exp = now + (int64_t)sl->o.valid_s;
	meta.has_exp = 1;
	meta.ttl = sl->o.ttl_s;
	meta.has_ttl = 1;
	sk_buf_init(&tok, SK_STATUSLIST_MAX_TOKEN);
	rc = sl->o.sign(sl->o.sign_ctx, rec.uscc, l, &meta, &tok);
	sk_statuslist_free(l);
	if (rc == 0 && EVP_Digest(tok.data, tok.len, md, &mdlen,
	    EVP_sha256(), NULL) != 1)
		rc = SK_ERR_CRYPTO;
	if (rc != 0) {
		sk_buf_free(&tok);
		return rc;
	}
	free(e->tok);
	e->tok = tok.data;	/* steal the buffer */
	e->len = tok.len;
	e->version = version;
	e->iat = now;
	certd_hex(md, 16, hex);
	(void)snprintf(e->etag, sizeof(e->etag), "\"%s\"", hex);
	atomic_fetch_add(&sl->signings, 1);
	return 0;
}

/* Whether the cached token e must be re-made for version at now. */
static int
stale(const struct certd_statuslists *sl, const struct slc *e,
    uint64_t version, int64_t now)
{
	int64_t age = now - e->iat;

	if (e->tok == NULL || age < 0 || age >= (int64_t)sl->o.ttl_s / 2)
		return 1;
	return e->version != version && age >= (int64_t)sl->o.resign_s;
}

int
certd_statuslists_token(struct certd_statuslists *sl, uint32_t n,
    int64_t now, struct sk_buf *tok, char etag[CERTD_SL_ETAG_LEN],
    int64_t *iat, uint64_t *ttl)
{
	struct slc *e;
	uint64_t version;
	int rc;

	etag[0] = '\0';
	*iat = 0;
	*ttl = sl->o.ttl_s;
	if (n == 0 || n > CERTD_SL_LISTS_MAX)
		return SK_ERR_NOTFOUND;
	/* The version first: a change after it only makes us re-sign. */
	if ((rc = get_version(sl, n, &version)) != 0)
		return rc;
	pthread_mutex_lock(&sl->mu);
	if ((rc = cache_slot(sl, n, &e)) == 0 &&
	    stale(sl, e, version, now))
		rc = resign(sl, n, now, version, e);
	if (rc == 0 && (rc = sk_buf_append(tok, e->tok, e->len)) == 0) {
		memcpy(etag, e->etag, CERTD_SL_ETAG_LEN);
		*iat = e->iat;
	}
	pthread_mutex_unlock(&sl->mu);
	return rc;
}

uint64_t
certd_statuslists_signings(const struct certd_statuslists *sl)
{
	return atomic_load(&((struct certd_statuslists *)
	    (uintptr_t)sl)->signings);
}

int
certd_statuslists_new(struct certd_store *st, const struct certd_sl_opts *o,
    struct certd_statuslists **out)
{
	struct certd_statuslists *sl;
	size_t blen;

	*out = NULL;
	if (st == NULL || o == NULL || o->sign == NULL ||
	    o->ttl_s < CERTD_SL_TTL_MIN || o->ttl_s > CERTD_SL_TIME_MAX ||
	    o->valid_s <= o->ttl_s || o->valid_s > CERTD_SL_TIME_MAX ||
	    o->resign_s == 0 || o->ttl_s < 2 * o->resign_s)
		return SK_ERR_ARG;
	blen = o->base_url != NULL ? strlen(o->base_url) : 0;
	/* Room for "/v1/status/65536" within the URI cap. */
	if (blen > SK_STATUSLIST_MAX_URI - 32)
		return SK_ERR_ARG;
	while (blen > 0 && o->base_url[blen - 1] == '/')
		blen--;
	if ((sl = calloc(1, sizeof(*sl))) == NULL ||
	    (sl->base = strndup(o->base_url != NULL ? o->base_url : "",
	    blen)) == NULL) {
		free(sl);
		return SK_ERR_NOMEM;
	}
	sl->st = st;
	sl->o = *o;
	sl->o.base_url = sl->base;
	pthread_mutex_init(&sl->mu, NULL);
	certd_store_set_status_hook(st, hook, sl);
	*out = sl;
	return 0;
}

void
certd_statuslists_free(struct certd_statuslists *sl)
{
	size_t i;

	if (sl == NULL)
		return;
	certd_store_set_status_hook(sl->st, NULL, NULL);
	for (i = 0; i < sl->ncache; i++)
		free(sl->cache[i].tok);
	free(sl->cache);
	free(sl->base);
	pthread_mutex_destroy(&sl->mu);
	free(sl);
}
