/*
 * store.c: LMDB environment, versioned CBOR records, and the writer
 * thread with group commit (store.h).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lmdb.h>

#include "sealkit/cbor.h"

#include "store.h"

enum db {
	DB_LICENCES = 0,
	DB_HOLDERS,
	DB_CLIENTS,
	DB_ACCESS,
	DB_EVENTS,
	DB_ISSUERS,
	DB_META,
	DB_SEALS,
	DB_STATUS,
	DB_PRESENTATIONS,
	NDB
};

static const char *const db_names[NDB] = {
	"licences", "holders", "clients", "access", "events", "issuers",
	"meta", "seals", "status", "presentations"
};

#define DEFAULT_MAP_SIZE	((size_t)4 << 30)
#define MAX_READERS		512u
/* Key prefixes in the clients database. */
#define CLIENT_BY_HASH		'h'
#define CLIENT_BY_NAME		'n'
/* Longest key we build: holder \0 type \0 id. */
#define KEY_MAX	(CERTD_HOLDER_MAX + 1 + CERTD_TYPE_MAX + 1 + CERTD_ID_MAX + 8)

enum wop {
	W_META = 1,
	W_LICENCE,
	W_STATUS,
	W_ACCESS,
	W_CLIENT,
	W_REVOKE_CLIENT,
	W_ISSUER,
	W_EXT
};

/*
 * One queued write; lives on the caller's stack until done, or, with a
 * completion callback (cb), on the heap until the writer has called it.
 */
struct wreq {
	enum wop		 op;
	const char		*key;	/* meta key, id, holder, name */
	const uint8_t		*val;
	size_t			 len;
	const void		*arg;	/* record of the op */
	const struct certd_actor *who;
	enum certd_action	 act;
	const char		*reason;
	int64_t			 when;
	unsigned		 state;	/* out: W_STATUS */
	int			 changed; /* out: W_STATUS */
	int			 rc;
	int			 done;
	pthread_cond_t		 cv;
	/* W_EXT */
	int			(*fn)(struct certd_wtx *, void *);
	void			*ctx;
	void			(*cb)(void *, int);
	void			*cbarg;
	struct wreq		*next;
};

struct certd_store {
	MDB_env			*env;
	MDB_dbi			 dbi[NDB];
	pthread_t		 writer;
	int			 writer_started;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;
	struct wreq		*head;
	struct wreq		*tail;
	int			 closing;
	atomic_uint_fast64_t	 batches;
	atomic_uint_fast64_t	 writes;
	/* certd_store_set_status_hook */
	int			(*status_hook)(void *, struct certd_wtx *,
				    uint64_t, unsigned);
	void			*status_ctx;
};

const char *
certd_store_strerror(int err)
{
	switch (err) {
	case CERTD_ERR_CONFLICT:
		return "the licence's state forbids this change";
	case CERTD_ERR_STORE:
		return "store (LMDB) failure";
	case CERTD_ERR_SCHEMA:
		return "not a certd store, or one of a newer schema";
	case CERTD_ERR_FULL:
		return "store map is full (raise map_size_mb)";
	case CERTD_ERR_CLOSED:
		return "store is shutting down";
	case CERTD_ERR_EXISTS:
		return "a store already exists there";
	default:
		return sk_strerror(err);
	}
}

static MDB_val
mval(const void *p, size_t len)
{
	MDB_val v;

	/* LMDB's API is not const-correct; it never writes through these. */
	v.mv_data = (void *)(uintptr_t)p;
	v.mv_size = len;
	return v;
}

static int
mdb_rc(int rc)
{
	if (rc == 0)
		return 0;
	if (rc == MDB_NOTFOUND)
		return SK_ERR_NOTFOUND;
	if (rc == MDB_KEYEXIST)
		return SK_ERR_DUPLICATE;
	if (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL)
		return CERTD_ERR_FULL;
	return CERTD_ERR_STORE;
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

/* Append s and a NUL to a key buffer of KEY_MAX bytes at *off. */
static int
key_add(uint8_t *key, size_t *off, const char *s)
{
	size_t n = strlen(s);

	if (n > KEY_MAX - 1 - *off)
		return SK_ERR_LIMIT;
	memcpy(key + *off, s, n);
	key[*off + n] = '\0';
	*off += n + 1;
	return 0;
}

/*
 * Records.
 */

static int
put_str(struct sk_buf *b, const char *s)
{
	return sk_cbor_put_cstr(b, s);
}

static int
enc_licence(const struct certd_licence_rec *r, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_array(b, 9)) != 0 ||
	    (rc = sk_cbor_put_uint(b, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = sk_cbor_put_uint(b, r->state)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, r->cred, r->credlen)) != 0 ||
	    (rc = put_str(b, r->holder)) != 0 ||
	    (rc = put_str(b, r->type)) != 0 ||
	    (rc = put_str(b, r->issuer)) != 0 ||
	    (rc = sk_cbor_put_int(b, r->issued)) != 0 ||
	    (rc = sk_cbor_put_int(b, r->updated)) != 0)
		return rc;
	return r->has_status_idx ? sk_cbor_put_uint(b, r->status_idx) :
	    sk_cbor_put_null(b);
}

/* Decode a record: an array of n elements whose first is our version. */
static int
dec_record(const MDB_val *v, size_t n, struct sk_cbor_doc **doc,
    const struct sk_cbor_item **first)
{
	struct sk_cbor_limits lim;
	const struct sk_cbor_item *root;
	int rc;

	*doc = NULL;
	sk_cbor_limits_default(&lim);
	lim.max_bytes = CERTD_RECORD_MAX;
	if ((rc = sk_cbor_decode(v->mv_data, v->mv_size, &lim, doc)) != 0)
		return rc;
	root = sk_cbor_root(*doc);
	if (root->type != SK_CBOR_ARRAY || root->len != n ||
	    root->child->type != SK_CBOR_UINT ||
	    root->child->u != CERTD_RECORD_VERSION) {
		sk_cbor_free(*doc);
		*doc = NULL;
		return SK_ERR_FORMAT;
	}
	*first = root->child;
	return 0;
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
get_i64(const struct sk_cbor_item *it, int64_t *out)
{
	if (it == NULL)
		return SK_ERR_FORMAT;
	return sk_cbor_int(it, out) == 0 ? 0 : SK_ERR_FORMAT;
}

static int
get_bstr(const struct sk_cbor_item *it, uint8_t **out, size_t *len)
{
	if (it == NULL || it->type != SK_CBOR_BSTR)
		return SK_ERR_FORMAT;
	if ((*out = malloc(it->len == 0 ? 1 : it->len)) == NULL)
		return SK_ERR_NOMEM;
	if (it->len > 0)
		memcpy(*out, it->ptr, it->len);
	*len = it->len;
	return 0;
}

static int
dec_licence(const MDB_val *v, struct certd_licence_rec *r)
{
	const struct sk_cbor_item *it;
	struct sk_cbor_doc *doc;
	int64_t st;
	int rc;

	if ((rc = dec_record(v, 9, &doc, &it)) != 0)
		return rc;
	it = it->next;
	rc = SK_ERR_FORMAT;
	if (get_i64(it, &st) != 0 || st < 0 || st > 2)
		goto out;
	if ((rc = get_bstr(it->next, &r->cred, &r->credlen)) != 0)
		goto out;
	r->state = (unsigned)st;
	it = it->next->next;
	if ((rc = get_tstr(it, r->holder, sizeof(r->holder))) != 0 ||
	    (rc = get_tstr(it->next, r->type, sizeof(r->type))) != 0 ||
	    (rc = get_tstr(it->next->next, r->issuer,
	    sizeof(r->issuer))) != 0)
		goto out;
	it = it->next->next->next;
	if ((rc = get_i64(it, &r->issued)) != 0 ||
	    (rc = get_i64(it->next, &r->updated)) != 0)
		goto out;
	it = it->next->next;
	if (it->type == SK_CBOR_UINT) {
		r->has_status_idx = 1;
		r->status_idx = it->u;
	} else if (it->type != SK_CBOR_SIMPLE || it->u != SK_CBOR_NULL)
		rc = SK_ERR_FORMAT;
out:
	sk_cbor_free(doc);
	return rc;
}

static int
enc_client(const struct certd_client *c, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_array(b, 5)) != 0 ||
	    (rc = sk_cbor_put_uint(b, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = put_str(b, c->name)) != 0 ||
	    (rc = sk_cbor_put_uint(b, c->scopes)) != 0 ||
	    (rc = sk_cbor_put_int(b, c->created)) != 0)
		return rc;
	return sk_cbor_put_int(b, c->revoked);
}

static int
dec_client(const MDB_val *v, struct certd_client *c)
{
	const struct sk_cbor_item *it;
	struct sk_cbor_doc *doc;
	int64_t scopes;
	int rc;

	if ((rc = dec_record(v, 5, &doc, &it)) != 0)
		return rc;
	it = it->next;
	if ((rc = get_tstr(it, c->name, sizeof(c->name))) != 0 ||
	    (rc = get_i64(it->next, &scopes)) != 0 ||
	    (rc = get_i64(it->next->next, &c->created)) != 0 ||
	    (rc = get_i64(it->next->next->next, &c->revoked)) != 0)
		goto out;
	if (scopes < 0 || scopes > UINT_MAX)
		rc = SK_ERR_FORMAT;
	c->scopes = (unsigned)scopes;
out:
	sk_cbor_free(doc);
	return rc;
}

static int
enc_access(const struct certd_access *e, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_array(b, 8)) != 0 ||
	    (rc = sk_cbor_put_uint(b, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = sk_cbor_put_int(b, e->time)) != 0 ||
	    (rc = put_str(b, e->client)) != 0 ||
	    (rc = put_str(b, e->purpose)) != 0 ||
	    (rc = put_str(b, e->matter)) != 0 ||
	    (rc = put_str(b, e->licence)) != 0 ||
	    (rc = put_str(b, e->reqid)) != 0)
		return rc;
	return put_str(b, e->presentation);
}

static int
dec_access(const MDB_val *v, struct certd_access *e)
{
	const struct sk_cbor_item *it;
	struct sk_cbor_doc *doc;
	int rc;

	if ((rc = dec_record(v, 8, &doc, &it)) != 0)
		return rc;
	it = it->next;
	if ((rc = get_i64(it, &e->time)) == 0 &&
	    (rc = get_tstr(it->next, e->client, sizeof(e->client))) == 0 &&
	    (rc = get_tstr(it->next->next, e->purpose,
	    sizeof(e->purpose))) == 0) {
		it = it->next->next->next;
		if ((rc = get_tstr(it, e->matter, sizeof(e->matter))) == 0 &&
		    (rc = get_tstr(it->next, e->licence,
		    sizeof(e->licence))) == 0 &&
		    (rc = get_tstr(it->next->next, e->reqid,
		    sizeof(e->reqid))) == 0)
			rc = get_tstr(it->next->next->next, e->presentation,
			    sizeof(e->presentation));
	}
	sk_cbor_free(doc);
	return rc;
}

static int
enc_issuer(const struct certd_issuer_rec *r, struct sk_buf *b)
{
	int rc;

	if ((rc = sk_cbor_put_array(b, 3)) != 0 ||
	    (rc = sk_cbor_put_uint(b, CERTD_RECORD_VERSION)) != 0 ||
	    (rc = sk_cbor_put_bstr(b, r->cert, r->certlen)) != 0)
		return rc;
	return put_str(b, r->key_path);
}

static int
dec_issuer(const MDB_val *k, const MDB_val *v, struct certd_issuer_rec *r)
{
	const struct sk_cbor_item *it;
	struct sk_cbor_doc *doc;
	int rc;

	memset(r, 0, sizeof(*r));
	if (k->mv_size > CERTD_USCC_MAX)
		return SK_ERR_FORMAT;
	memcpy(r->uscc, k->mv_data, k->mv_size);
	if ((rc = dec_record(v, 3, &doc, &it)) != 0)
		return rc;
	if ((rc = get_bstr(it->next, &r->cert, &r->certlen)) == 0 &&
	    (rc = get_tstr(it->next->next, r->key_path,
	    sizeof(r->key_path))) != 0) {
		free(r->cert);
		r->cert = NULL;
	}
	sk_cbor_free(doc);
	return rc;
}

/*
 * Write operations, each inside its own nested transaction.
 */

/* Put a record built by enc into db under key. */
static int
put_rec(MDB_txn *txn, MDB_dbi dbi, const void *key, size_t klen,
    const struct sk_buf *b, unsigned flags)
{
	MDB_val k = mval(key, klen), v = mval(b->data, b->len);

	return mdb_rc(mdb_put(txn, dbi, &k, &v, flags));
}

static int
put_event(struct certd_store *st, MDB_txn *txn, const char *id,
    const char *kind, const char *reason, const struct certd_actor *who,
    uint64_t *seq)
{
	uint8_t key[KEY_MAX];
	struct sk_buf b;
	size_t off = 0;
	int rc;

	if ((rc = key_add(key, &off, id)) != 0 || off + 8 > KEY_MAX)
		return rc != 0 ? rc : SK_ERR_LIMIT;
	be64(key + off, ++*seq);
	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = sk_cbor_put_array(&b, 6)) == 0 &&
	    (rc = sk_cbor_put_uint(&b, CERTD_RECORD_VERSION)) == 0 &&
	    (rc = sk_cbor_put_int(&b, who->time)) == 0 &&
	    (rc = put_str(&b, kind)) == 0 &&
	    (rc = put_str(&b, reason)) == 0 &&
	    (rc = put_str(&b, who->client)) == 0 &&
	    (rc = put_str(&b, who->reqid)) == 0)
		rc = put_rec(txn, st->dbi[DB_EVENTS], key, off + 8, &b,
		    MDB_NOOVERWRITE);
	sk_buf_free(&b);
	return rc;
}

/*
 * The index entry and the event go first and the licence last, so that a
 * duplicate fails after writing: its nested transaction rolls all of it
 * back without touching the rest of the batch.
 */
static int
w_licence(struct certd_store *st, MDB_txn *txn, struct wreq *r,
    uint64_t *seq)
{
	const struct certd_licence_rec *rec = r->arg;
	uint8_t key[KEY_MAX];
	struct sk_buf b;
	size_t off = 0;
	MDB_val k, v;
	int rc;

	if ((rc = key_add(key, &off, rec->holder)) != 0 ||
	    (rc = key_add(key, &off, rec->type)) != 0 ||
	    (rc = key_add(key, &off, rec->id)) != 0)
		return rc;
	k = mval(key, off - 1);
	v = mval("", 0);
	if ((rc = mdb_rc(mdb_put(txn, st->dbi[DB_HOLDERS], &k, &v, 0))) != 0 ||
	    (rc = put_event(st, txn, rec->id, "issue", "", r->who, seq)) != 0)
		return rc;
	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = enc_licence(rec, &b)) == 0)
		rc = put_rec(txn, st->dbi[DB_LICENCES], rec->id,
		    strlen(rec->id), &b, MDB_NOOVERWRITE);
	sk_buf_free(&b);
	return rc;
}

/* The state an action leads to; -1 for a conflict. */
static int
transition(unsigned from, enum certd_action act)
{
	if (from == CERTD_STATE_REVOKED)
		return act == CERTD_ACT_REVOKE ? (int)CERTD_STATE_REVOKED : -1;
	switch (act) {
	case CERTD_ACT_SUSPEND:
		return CERTD_STATE_SUSPENDED;
	case CERTD_ACT_REINSTATE:
		return CERTD_STATE_VALID;
	case CERTD_ACT_REVOKE:
		return CERTD_STATE_REVOKED;
	}
	return -1;
}

static const char *
action_name(enum certd_action act)
{
	switch (act) {
	case CERTD_ACT_SUSPEND:
		return "suspend";
	case CERTD_ACT_REINSTATE:
		return "reinstate";
	case CERTD_ACT_REVOKE:
		return "revoke";
	}
	return "";
}

static int	status_hook(struct certd_store *, MDB_txn *, uint64_t *,
		    uint64_t, unsigned);

static int
w_status(struct certd_store *st, MDB_txn *txn, struct wreq *r,
    uint64_t *seq)
{
	struct certd_licence_rec rec;
	struct sk_buf b;
	MDB_val k = mval(r->key, strlen(r->key)), v;
	uint64_t slot;
	int rc, to, has_slot;

	memset(&rec, 0, sizeof(rec));
	if ((rc = mdb_rc(mdb_get(txn, st->dbi[DB_LICENCES], &k, &v))) != 0)
		return rc;
	if ((rc = dec_licence(&v, &rec)) != 0) {
		certd_licence_rec_clear(&rec);
		return rc;
	}
	if ((to = transition(rec.state, r->act)) < 0) {
		r->state = rec.state;
		certd_licence_rec_clear(&rec);
		return CERTD_ERR_CONFLICT;
	}
	r->state = (unsigned)to;
	if ((unsigned)to == rec.state) {
		certd_licence_rec_clear(&rec);
		return 0;
	}
	rec.state = (unsigned)to;
	rec.updated = r->who->time;
	memcpy(rec.id, r->key, strlen(r->key) + 1);
	has_slot = rec.has_status_idx;
	slot = rec.status_idx;
	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = enc_licence(&rec, &b)) == 0)
		rc = put_rec(txn, st->dbi[DB_LICENCES], r->key, strlen(r->key),
		    &b, 0);
	sk_buf_free(&b);
	certd_licence_rec_clear(&rec);
	if (rc == 0)
		rc = put_event(st, txn, r->key, action_name(r->act), r->reason,
		    r->who, seq);
	/* The list entry changes in the same transaction (O(1)). */
	if (rc == 0 && has_slot)
		rc = status_hook(st, txn, seq, slot, (unsigned)to);
	if (rc == 0)
		r->changed = 1;
	return rc;
}

static int
w_access(struct certd_store *st, MDB_txn *txn, struct wreq *r,
    uint64_t *seq)
{
	const struct certd_access *e = r->arg;
	uint8_t key[KEY_MAX];
	struct sk_buf b;
	size_t i, off = 0;
	int rc;

	if ((rc = key_add(key, &off, r->key)) != 0 || off + 8 > KEY_MAX)
		return rc != 0 ? rc : SK_ERR_LIMIT;
	sk_buf_init(&b, CERTD_RECORD_MAX);
	for (i = 0; i < r->len && rc == 0; i++) {
		be64(key + off, ++*seq);
		sk_buf_reset(&b);
		if ((rc = enc_access(&e[i], &b)) == 0)
			rc = put_rec(txn, st->dbi[DB_ACCESS], key, off + 8,
			    &b, MDB_NOOVERWRITE);
	}
	sk_buf_free(&b);
	return rc;
}

static int
w_client(struct certd_store *st, MDB_txn *txn, struct wreq *r)
{
	const struct certd_client *c = r->arg;
	uint8_t key[1 + CERTD_NAME_MAX];
	struct sk_buf b;
	MDB_val k, v;
	size_t n = strlen(c->name);
	int rc;

	if (n == 0 || n > CERTD_NAME_MAX)
		return SK_ERR_ARG;
	key[0] = CLIENT_BY_NAME;
	memcpy(key + 1, c->name, n);
	k = mval(key, n + 1);
	v = mval(c->hash, sizeof(c->hash));
	if ((rc = mdb_rc(mdb_put(txn, st->dbi[DB_CLIENTS], &k, &v,
	    MDB_NOOVERWRITE))) != 0)
		return rc;
	key[0] = CLIENT_BY_HASH;
	memcpy(key + 1, c->hash, sizeof(c->hash));
	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = enc_client(c, &b)) == 0)
		rc = put_rec(txn, st->dbi[DB_CLIENTS], key,
		    1 + sizeof(c->hash), &b, MDB_NOOVERWRITE);
	sk_buf_free(&b);
	return rc;
}

static int
w_revoke_client(struct certd_store *st, MDB_txn *txn, struct wreq *r)
{
	struct certd_client c;
	uint8_t key[1 + CERTD_NAME_MAX];
	struct sk_buf b;
	MDB_val k, v;
	size_t n = strlen(r->key);
	int rc;

	if (n == 0 || n > CERTD_NAME_MAX)
		return SK_ERR_NOTFOUND;
	key[0] = CLIENT_BY_NAME;
	memcpy(key + 1, r->key, n);
	k = mval(key, n + 1);
	if ((rc = mdb_rc(mdb_get(txn, st->dbi[DB_CLIENTS], &k, &v))) != 0)
		return rc;
	if (v.mv_size != sizeof(c.hash))
		return SK_ERR_FORMAT;
	memset(&c, 0, sizeof(c));
	memcpy(c.hash, v.mv_data, sizeof(c.hash));
	key[0] = CLIENT_BY_HASH;
	memcpy(key + 1, c.hash, sizeof(c.hash));
	k = mval(key, 1 + sizeof(c.hash));
	if ((rc = mdb_rc(mdb_get(txn, st->dbi[DB_CLIENTS], &k, &v))) != 0 ||
	    (rc = dec_client(&v, &c)) != 0)
		return rc;
	if (c.revoked != 0)
		return 0;
	c.revoked = r->when;
	sk_buf_init(&b, CERTD_RECORD_MAX);
	if ((rc = enc_client(&c, &b)) == 0)
		rc = put_rec(txn, st->dbi[DB_CLIENTS], key,
		    1 + sizeof(c.hash), &b, 0);
	sk_buf_free(&b);
	return rc;
}

/* What an extension's write callback works in (store.h certd_wtx_*). */
struct certd_wtx {
	struct certd_store	*st;
	MDB_txn			*txn;
	uint64_t		*seq;
};

static int
w_apply(struct certd_store *st, MDB_txn *txn, struct wreq *r, uint64_t *seq)
{
	struct certd_wtx tx = { st, txn, seq };

	struct sk_buf b;
	MDB_val k, v;
	int rc;

	switch (r->op) {
	case W_META:
		k = mval(r->key, strlen(r->key));
		v = mval(r->val, r->len);
		return mdb_rc(mdb_put(txn, st->dbi[DB_META], &k, &v, 0));
	case W_LICENCE:
		return w_licence(st, txn, r, seq);
	case W_STATUS:
		return w_status(st, txn, r, seq);
	case W_ACCESS:
		return w_access(st, txn, r, seq);
	case W_CLIENT:
		return w_client(st, txn, r);
	case W_REVOKE_CLIENT:
		return w_revoke_client(st, txn, r);
	case W_ISSUER:
		sk_buf_init(&b, CERTD_RECORD_MAX);
		if ((rc = enc_issuer(r->arg, &b)) == 0)
			rc = put_rec(txn, st->dbi[DB_ISSUERS],
			    ((const struct certd_issuer_rec *)r->arg)->uscc,
			    strlen(((const struct certd_issuer_rec *)
			    r->arg)->uscc), &b, MDB_NOOVERWRITE);
		sk_buf_free(&b);
		return rc;
	case W_EXT:
		return r->fn(&tx, r->ctx);
	}
	return SK_ERR_ARG;
}

/*
 * The writer.
 */

#define META_SEQ	"seq"
#define META_SCHEMA	"schema"

/*
 * The sequence lives in meta, read and written inside each batch, so that
 * an admin command writing from another process never reuses a number.
 */
static int
seq_get(struct certd_store *st, MDB_txn *txn, uint64_t *seq)
{
	MDB_val k = mval(META_SEQ, strlen(META_SEQ)), v;
	int rc;

	*seq = 0;
	rc = mdb_get(txn, st->dbi[DB_META], &k, &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return mdb_rc(rc);
	if (v.mv_size != 8)
		return SK_ERR_FORMAT;
	*seq = get_be64(v.mv_data);
	return 0;
}

static int
seq_put(struct certd_store *st, MDB_txn *txn, uint64_t seq)
{
	uint8_t b[8];
	MDB_val k = mval(META_SEQ, strlen(META_SEQ)), v = mval(b, sizeof(b));

	be64(b, seq);
	return mdb_rc(mdb_put(txn, st->dbi[DB_META], &k, &v, 0));
}

static void
run_one(struct certd_store *st, MDB_txn *parent, struct wreq *r,
    uint64_t *seq)
{
	MDB_txn *child;
	int rc;

	if ((rc = mdb_txn_begin(st->env, parent, 0, &child)) != 0) {
		r->rc = mdb_rc(rc);
		return;
	}
	if ((r->rc = w_apply(st, child, r, seq)) != 0) {
		mdb_txn_abort(child);
		r->changed = 0;
		return;
	}
	if ((rc = mdb_txn_commit(child)) != 0) {
		r->rc = mdb_rc(rc);
		r->changed = 0;
	}
}

static void
run_batch(struct certd_store *st, struct wreq *batch)
{
	struct wreq *r;
	MDB_txn *txn;
	uint64_t seq, seq0;
	int rc;
	size_t n = 0;

	if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) != 0) {
		for (r = batch; r != NULL; r = r->next)
			r->rc = mdb_rc(rc);
		return;
	}
	if ((rc = seq_get(st, txn, &seq)) != 0) {
		mdb_txn_abort(txn);
		for (r = batch; r != NULL; r = r->next)
			r->rc = rc;
		return;
	}
	seq0 = seq;
	for (r = batch; r != NULL; r = r->next) {
		run_one(st, txn, r, &seq);
		n += r->rc == 0;
	}
	rc = seq != seq0 ? seq_put(st, txn, seq) : 0;
	/* Durable: the environment has no NOSYNC, NOMETASYNC or WRITEMAP. */
	if (rc == 0)
		rc = mdb_rc(mdb_txn_commit(txn));
	else
		mdb_txn_abort(txn);
	for (r = batch; r != NULL; r = r->next)
		if (rc != 0 && r->rc == 0)
			r->rc = rc;
	if (rc == 0) {
		atomic_fetch_add(&st->batches, 1);
		atomic_fetch_add(&st->writes, n);
	}
}

static void *
writer_main(void *arg)
{
	struct certd_store *st = arg;
	struct wreq *batch, *r, *next, *async;

	pthread_mutex_lock(&st->mu);
	for (;;) {
		while (st->head == NULL && !st->closing)
			pthread_cond_wait(&st->work, &st->mu);
		if (st->head == NULL)
			break;
		batch = st->head;
		st->head = st->tail = NULL;
		pthread_mutex_unlock(&st->mu);
		run_batch(st, batch);
		pthread_mutex_lock(&st->mu);
		async = NULL;
		for (r = batch; r != NULL; r = next) {
			next = r->next;
			if (r->cb != NULL) {
				r->next = async;
				async = r;
				continue;
			}
			r->done = 1;
			pthread_cond_signal(&r->cv);
		}
		/* Callbacks run unlocked: they may wake other threads. */
		pthread_mutex_unlock(&st->mu);
		for (r = async; r != NULL; r = next) {
			next = r->next;
			r->cb(r->cbarg, r->rc);
			free(r);
		}
		pthread_mutex_lock(&st->mu);
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

static int
submit(struct certd_store *st, struct wreq *r)
{
	int rc;

	r->next = NULL;
	r->done = 0;
	r->rc = 0;
	if (pthread_cond_init(&r->cv, NULL) != 0)
		return SK_ERR_NOMEM;
	pthread_mutex_lock(&st->mu);
	if (st->closing) {
		pthread_mutex_unlock(&st->mu);
		pthread_cond_destroy(&r->cv);
		return CERTD_ERR_CLOSED;
	}
	if (st->tail != NULL)
		st->tail->next = r;
	else
		st->head = r;
	st->tail = r;
	pthread_cond_signal(&st->work);
	while (!r->done)
		pthread_cond_wait(&r->cv, &st->mu);
	rc = r->rc;
	pthread_mutex_unlock(&st->mu);
	pthread_cond_destroy(&r->cv);
	return rc;
}

/* Queue a heap copy of r; cb(arg, rc) runs once it is durable. */
static int
submit_async(struct certd_store *st, const struct wreq *r,
    void (*cb)(void *, int), void *arg)
{
	struct wreq *q;

	if ((q = malloc(sizeof(*q))) == NULL)
		return SK_ERR_NOMEM;
	*q = *r;
	q->next = NULL;
	q->rc = 0;
	q->cb = cb;
	q->cbarg = arg;
	pthread_mutex_lock(&st->mu);
	if (st->closing) {
		pthread_mutex_unlock(&st->mu);
		free(q);
		return CERTD_ERR_CLOSED;
	}
	if (st->tail != NULL)
		st->tail->next = q;
	else
		st->head = q;
	st->tail = q;
	pthread_cond_signal(&st->work);
	pthread_mutex_unlock(&st->mu);
	return 0;
}

int
certd_store_put_meta(struct certd_store *st, const char *key,
    const uint8_t *val, size_t len)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	if (strlen(key) == 0 || strcmp(key, META_SEQ) == 0 ||
	    strcmp(key, META_SCHEMA) == 0 || len > CERTD_META_MAX)
		return SK_ERR_ARG;
	r.op = W_META;
	r.key = key;
	r.val = val;
	r.len = len;
	return submit(st, &r);
}

int
certd_store_put_licence(struct certd_store *st,
    const struct certd_licence_rec *rec, const struct certd_actor *who)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	if (rec->id[0] == '\0' || rec->holder[0] == '\0' ||
	    rec->type[0] == '\0' || rec->cred == NULL)
		return SK_ERR_ARG;
	r.op = W_LICENCE;
	r.arg = rec;
	r.who = who;
	return submit(st, &r);
}

int
certd_store_put_licence_async(struct certd_store *st,
    const struct certd_licence_rec *rec, const struct certd_actor *who,
    void (*done)(void *, int), void *arg)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	if (rec->id[0] == '\0' || rec->holder[0] == '\0' ||
	    rec->type[0] == '\0' || rec->cred == NULL || done == NULL)
		return SK_ERR_ARG;
	r.op = W_LICENCE;
	r.arg = rec;
	r.who = who;
	return submit_async(st, &r, done, arg);
}

int
certd_store_set_status(struct certd_store *st, const char *id,
    enum certd_action act, const char *reason, const struct certd_actor *who,
    unsigned *state, int *changed)
{
	struct wreq r;
	int rc;

	*state = 0;
	*changed = 0;
	if (strlen(id) == 0 || strlen(id) > CERTD_ID_MAX)
		return SK_ERR_NOTFOUND;
	memset(&r, 0, sizeof(r));
	r.op = W_STATUS;
	r.key = id;
	r.act = act;
	r.reason = reason;
	r.who = who;
	rc = submit(st, &r);
	*state = r.state;
	*changed = rc == 0 ? r.changed : 0;
	return rc;
}

int
certd_store_log_access(struct certd_store *st, const char *holder,
    const struct certd_access *e, size_t n)
{
	struct wreq r;

	if (n == 0 || n > CERTD_PAGE_MAX || strlen(holder) == 0)
		return SK_ERR_ARG;
	memset(&r, 0, sizeof(r));
	r.op = W_ACCESS;
	r.key = holder;
	r.arg = e;
	r.len = n;
	return submit(st, &r);
}

int
certd_store_log_access_async(struct certd_store *st, const char *holder,
    const struct certd_access *e, size_t n, void (*done)(void *, int),
    void *arg)
{
	struct wreq r;

	if (n == 0 || n > CERTD_PAGE_MAX || strlen(holder) == 0 ||
	    done == NULL)
		return SK_ERR_ARG;
	memset(&r, 0, sizeof(r));
	r.op = W_ACCESS;
	r.key = holder;
	r.arg = e;
	r.len = n;
	return submit_async(st, &r, done, arg);
}

int
certd_store_put_client(struct certd_store *st, const struct certd_client *c)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	r.op = W_CLIENT;
	r.arg = c;
	return submit(st, &r);
}

int
certd_store_revoke_client(struct certd_store *st, const char *name,
    int64_t when)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	r.op = W_REVOKE_CLIENT;
	r.key = name;
	r.when = when == 0 ? 1 : when;
	return submit(st, &r);
}

int
certd_store_put_issuer(struct certd_store *st,
    const struct certd_issuer_rec *rec)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	if (strlen(rec->uscc) != CERTD_USCC_MAX)
		return SK_ERR_ARG;
	r.op = W_ISSUER;
	r.arg = rec;
	return submit(st, &r);
}

/*
 * Extension databases (store.h "Extensions").
 */

int
certd_store_ext_write(struct certd_store *st,
    int (*fn)(struct certd_wtx *, void *), void *ctx)
{
	struct wreq r;

	memset(&r, 0, sizeof(r));
	r.op = W_EXT;
	r.fn = fn;
	r.ctx = ctx;
	return submit(st, &r);
}

static int
xdb(enum certd_xdb db, const void *key, size_t klen, MDB_dbi *dbi,
    const struct certd_store *st)
{
	if (klen == 0 || klen > CERTD_XKEY_MAX)
		return SK_ERR_ARG;
	if (db == CERTD_XDB_SEALS)
		*dbi = st->dbi[DB_SEALS];
	else if (db == CERTD_XDB_STATUS)
		*dbi = st->dbi[DB_STATUS];
	else if (db == CERTD_XDB_PRESENTATIONS)
		*dbi = st->dbi[DB_PRESENTATIONS];
	else if (db == CERTD_XDB_META && !((klen == strlen(META_SEQ) &&
	    memcmp(key, META_SEQ, klen) == 0) || (klen ==
	    strlen(META_SCHEMA) && memcmp(key, META_SCHEMA, klen) == 0)))
		*dbi = st->dbi[DB_META];
	else
		return SK_ERR_ARG;
	return 0;
}

int
certd_wtx_get(struct certd_wtx *tx, enum certd_xdb db, const void *key,
    size_t klen, struct sk_buf *out)
{
	MDB_val k = mval(key, klen), v;
	MDB_dbi dbi;
	int rc;

	if ((rc = xdb(db, key, klen, &dbi, tx->st)) != 0 ||
	    (rc = mdb_rc(mdb_get(tx->txn, dbi, &k, &v))) != 0)
		return rc;
	return sk_buf_append(out, v.mv_data, v.mv_size);
}

int
certd_wtx_put(struct certd_wtx *tx, enum certd_xdb db, const void *key,
    size_t klen, const uint8_t *val, size_t len, int nooverwrite)
{
	MDB_val k = mval(key, klen), v = mval(val, len);
	MDB_dbi dbi;
	int rc;

	if ((rc = xdb(db, key, klen, &dbi, tx->st)) != 0)
		return rc;
	return mdb_rc(mdb_put(tx->txn, dbi, &k, &v,
	    nooverwrite ? MDB_NOOVERWRITE : 0));
}

int
certd_wtx_event(struct certd_wtx *tx, const char *id, const char *kind,
    const char *reason, const struct certd_actor *who)
{
	return put_event(tx->st, tx->txn, id, kind, reason, who, tx->seq);
}

int
certd_wtx_access(struct certd_wtx *tx, const char *holder,
    const struct certd_access *e, size_t n)
{
	struct wreq r;

	if (n == 0 || n > CERTD_PAGE_MAX || strlen(holder) == 0)
		return SK_ERR_ARG;
	memset(&r, 0, sizeof(r));
	r.key = holder;
	r.arg = e;
	r.len = n;
	return w_access(tx->st, tx->txn, &r, tx->seq);
}

void
certd_store_set_status_hook(struct certd_store *st,
    int (*fn)(void *, struct certd_wtx *, uint64_t, unsigned), void *ctx)
{
	pthread_mutex_lock(&st->mu);
	st->status_hook = fn;
	st->status_ctx = ctx;
	pthread_mutex_unlock(&st->mu);
}

/* Runs in the writer thread, which reads the hook under no lock: it is
 * set before serving and changes only under st->mu between batches. */
static int
status_hook(struct certd_store *st, MDB_txn *txn, uint64_t *seq,
    uint64_t slot, unsigned state)
{
	struct certd_wtx tx = { st, txn, seq };

	if (st->status_hook == NULL)
		return 0;
	return st->status_hook(st->status_ctx, &tx, slot, state);
}

int
certd_store_ext_get(struct certd_store *st, enum certd_xdb db,
    const void *key, size_t klen, struct sk_buf *out)
{
	MDB_txn *txn;
	MDB_val k = mval(key, klen), v;
	MDB_dbi dbi;
	int rc;

	if ((rc = xdb(db, key, klen, &dbi, st)) != 0 ||
	    (rc = mdb_rc(mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn))) != 0)
		return rc;
	if ((rc = mdb_rc(mdb_get(txn, dbi, &k, &v))) == 0)
		rc = sk_buf_append(out, v.mv_data, v.mv_size);
	mdb_txn_abort(txn);
	return rc;
}

/*
 * Reads: each in its own read-only transaction.
 */

static int
rtxn(struct certd_store *st, MDB_txn **txn)
{
	return mdb_rc(mdb_txn_begin(st->env, NULL, MDB_RDONLY, txn));
}

int
certd_store_ping(struct certd_store *st)
{
	MDB_txn *txn;
	int rc;

	if ((rc = rtxn(st, &txn)) == 0)
		mdb_txn_abort(txn);
	return rc;
}

int
certd_store_get_meta(struct certd_store *st, const char *key,
    struct sk_buf *out)
{
	MDB_txn *txn;
	MDB_val k = mval(key, strlen(key)), v;
	int rc;

	sk_buf_init(out, CERTD_META_MAX);
	if ((rc = rtxn(st, &txn)) != 0)
		return rc;
	if ((rc = mdb_rc(mdb_get(txn, st->dbi[DB_META], &k, &v))) == 0)
		rc = sk_buf_append(out, v.mv_data, v.mv_size);
	mdb_txn_abort(txn);
	return rc;
}

void
certd_licence_rec_clear(struct certd_licence_rec *r)
{
	if (r == NULL)
		return;
	free(r->cred);
	memset(r, 0, sizeof(*r));
}

int
certd_store_get_licence(struct certd_store *st, const char *id,
    struct certd_licence_rec *out)
{
	MDB_txn *txn;
	MDB_val k, v;
	size_t n = strlen(id);
	int rc;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > CERTD_ID_MAX)
		return SK_ERR_NOTFOUND;
	k = mval(id, n);
	if ((rc = rtxn(st, &txn)) != 0)
		return rc;
	if ((rc = mdb_rc(mdb_get(txn, st->dbi[DB_LICENCES], &k, &v))) == 0)
		rc = dec_licence(&v, out);
	mdb_txn_abort(txn);
	if (rc == 0)
		memcpy(out->id, id, n + 1);
	else
		certd_licence_rec_clear(out);
	return rc;
}

static void
free_ids(char **ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* Split holder-index key suffix "type \0 id" at p (len bytes). */
static int
split_hkey(const uint8_t *p, size_t len, const char **type, size_t *tlen,
    const char **id, size_t *idlen)
{
	const uint8_t *z = memchr(p, '\0', len);

	if (z == NULL || z == p || (size_t)(z - p) + 1 >= len)
		return SK_ERR_FORMAT;
	*type = (const char *)p;
	*tlen = (size_t)(z - p);
	*id = (const char *)z + 1;
	*idlen = len - *tlen - 1;
	return *idlen <= CERTD_ID_MAX && *tlen == CERTD_TYPE_MAX ? 0 :
	    SK_ERR_FORMAT;
}

static int
list_start(MDB_cursor *cur, const uint8_t *prefix, size_t plen,
    const char *holder, const char *after, MDB_val *k, MDB_val *v, int *mrc)
{
	uint8_t key[KEY_MAX];
	size_t off = 0, alen;
	char type[CERTD_TYPE_MAX + 1];

	if (after == NULL || after[0] == '\0') {
		*k = mval(prefix, plen);
		*mrc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
		return 0;
	}
	/* A page token is the type code (fixed length) then the id. */
	alen = strlen(after);
	if (alen <= CERTD_TYPE_MAX || alen > CERTD_TYPE_MAX + CERTD_ID_MAX)
		return SK_ERR_FORMAT;
	if (memchr(after, '\0', alen) != NULL)
		return SK_ERR_FORMAT;
	memcpy(type, after, CERTD_TYPE_MAX);
	type[CERTD_TYPE_MAX] = '\0';
	if (key_add(key, &off, holder) != 0 || key_add(key, &off, type) != 0 ||
	    key_add(key, &off, after + CERTD_TYPE_MAX) != 0)
		return SK_ERR_FORMAT;
	*k = mval(key, off - 1);
	if ((*mrc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE)) != 0)
		return 0;
	if (k->mv_size == off - 1 && memcmp(k->mv_data, key, off - 1) == 0)
		*mrc = mdb_cursor_get(cur, k, v, MDB_NEXT);
	return 0;
}

static int
has_prefix(const MDB_val *k, const uint8_t *prefix, size_t plen)
{
	return k->mv_size >= plen && memcmp(k->mv_data, prefix, plen) == 0;
}

static int
list_collect(MDB_cursor *cur, MDB_val *k, MDB_val *v, int rc,
    const uint8_t *prefix, size_t hlen, size_t plen, size_t limit,
    char **ids, size_t *n, char *next)
{
	const char *type, *id;
	size_t tlen, idlen;

	for (; rc == 0 && has_prefix(k, prefix, plen);
	    rc = mdb_cursor_get(cur, k, v, MDB_NEXT)) {
		if (split_hkey((const uint8_t *)k->mv_data + hlen,
		    k->mv_size - hlen, &type, &tlen, &id, &idlen) != 0)
			return SK_ERR_FORMAT;
		if (*n == limit) {
			/* More remain: the token names the last one given. */
			return 1;
		}
		/* Not strndup: the key is not NUL-terminated in the map. */
		if ((ids[*n] = malloc(idlen + 1)) == NULL)
			return SK_ERR_NOMEM;
		memcpy(ids[*n], id, idlen);
		ids[*n][idlen] = '\0';
		memcpy(next, type, tlen);
		memcpy(next + tlen, id, idlen);
		next[tlen + idlen] = '\0';
		(*n)++;
	}
	if (rc != 0 && rc != MDB_NOTFOUND)
		return mdb_rc(rc);
	return 0;
}

int
certd_store_list_holder(struct certd_store *st, const char *holder,
    const char *type, const char *after, size_t limit, char ***ids,
    size_t *n, char next[CERTD_TYPE_MAX + CERTD_ID_MAX + 2])
{
	uint8_t prefix[KEY_MAX];
	size_t plen = 0, hlen;
	MDB_cursor *cur = NULL;
	MDB_txn *txn;
	MDB_val k, v;
	int rc, mrc = 0;

	*ids = NULL;
	*n = 0;
	next[0] = '\0';
	if (limit == 0 || limit > CERTD_PAGE_MAX ||
	    (rc = key_add(prefix, &plen, holder)) != 0)
		return SK_ERR_ARG;
	hlen = plen;
	if (type != NULL && (rc = key_add(prefix, &plen, type)) != 0)
		return SK_ERR_ARG;
	if ((*ids = calloc(limit, sizeof(**ids))) == NULL)
		return SK_ERR_NOMEM;
	if ((rc = rtxn(st, &txn)) != 0)
		goto fail;
	if ((rc = mdb_rc(mdb_cursor_open(txn, st->dbi[DB_HOLDERS],
	    &cur))) == 0) {
		rc = list_start(cur, prefix, plen, holder, after, &k, &v,
		    &mrc);
		if (rc == 0)
			rc = list_collect(cur, &k, &v, mrc, prefix, hlen, plen,
			    limit, *ids, n, next);
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	if (rc == 1)
		return 0;
	next[0] = '\0';
	if (rc == 0)
		return 0;
fail:
	free_ids(*ids, *n);
	*ids = NULL;
	*n = 0;
	return rc;
}

int
certd_store_list_access(struct certd_store *st, const char *holder,
    uint64_t after, size_t limit, struct certd_access **out, size_t *n,
    uint64_t *next)
{
	uint8_t key[KEY_MAX];
	size_t plen = 0;
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	int rc, mrc;

	*out = NULL;
	*n = 0;
	*next = 0;
	if (limit == 0 || limit > CERTD_PAGE_MAX ||
	    key_add(key, &plen, holder) != 0 || plen + 8 > KEY_MAX ||
	    after == UINT64_MAX)
		return SK_ERR_ARG;
	be64(key + plen, after + 1);
	if ((*out = calloc(limit, sizeof(**out))) == NULL)
		return SK_ERR_NOMEM;
	if ((rc = rtxn(st, &txn)) != 0)
		goto fail;
	if ((rc = mdb_rc(mdb_cursor_open(txn, st->dbi[DB_ACCESS], &cur))) ==
	    0) {
		k = mval(key, plen + 8);
		mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		for (; mrc == 0 && has_prefix(&k, key, plen) &&
		    k.mv_size == plen + 8;
		    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			if (*n == limit) {
				*next = (*out)[*n - 1].seq;
				break;
			}
			if ((rc = dec_access(&v, &(*out)[*n])) != 0)
				break;
			(*out)[(*n)++].seq = get_be64(
			    (const uint8_t *)k.mv_data + plen);
		}
		if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
			rc = mdb_rc(mrc);
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	if (rc == 0)
		return 0;
fail:
	free(*out);
	*out = NULL;
	*n = 0;
	*next = 0;
	return rc;
}

int
certd_store_get_client(struct certd_store *st, const uint8_t hash[32],
    struct certd_client *out)
{
	uint8_t key[33];
	MDB_txn *txn;
	MDB_val k, v;
	int rc;

	memset(out, 0, sizeof(*out));
	key[0] = CLIENT_BY_HASH;
	memcpy(key + 1, hash, 32);
	k = mval(key, sizeof(key));
	if ((rc = rtxn(st, &txn)) != 0)
		return rc;
	if ((rc = mdb_rc(mdb_get(txn, st->dbi[DB_CLIENTS], &k, &v))) == 0)
		rc = dec_client(&v, out);
	mdb_txn_abort(txn);
	if (rc == 0)
		memcpy(out->hash, hash, 32);
	return rc;
}

int
certd_store_each_client(struct certd_store *st,
    void (*fn)(void *, const struct certd_client *), void *ctx)
{
	struct certd_client c;
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	uint8_t pfx = CLIENT_BY_HASH;
	int rc, mrc;

	if ((rc = rtxn(st, &txn)) != 0)
		return rc;
	if ((rc = mdb_rc(mdb_cursor_open(txn, st->dbi[DB_CLIENTS], &cur))) ==
	    0) {
		k = mval(&pfx, 1);
		mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		for (; mrc == 0 && k.mv_size == 33 &&
		    ((const uint8_t *)k.mv_data)[0] == CLIENT_BY_HASH;
		    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			memset(&c, 0, sizeof(c));
			if ((rc = dec_client(&v, &c)) != 0)
				break;
			memcpy(c.hash, (const uint8_t *)k.mv_data + 1, 32);
			fn(ctx, &c);
		}
		if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
			rc = mdb_rc(mrc);
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	return rc;
}

int
certd_store_each_issuer(struct certd_store *st,
    int (*fn)(void *, const struct certd_issuer_rec *), void *ctx)
{
	struct certd_issuer_rec r;
	MDB_cursor *cur;
	MDB_txn *txn;
	MDB_val k, v;
	size_t n = 0;
	int rc, mrc;

	if ((rc = rtxn(st, &txn)) != 0)
		return rc;
	if ((rc = mdb_rc(mdb_cursor_open(txn, st->dbi[DB_ISSUERS], &cur))) ==
	    0) {
		mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
		for (; mrc == 0;
		    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			if (++n > CERTD_STORE_ISSUERS_MAX) {
				rc = SK_ERR_LIMIT;
				break;
			}
			if ((rc = dec_issuer(&k, &v, &r)) != 0)
				break;
			rc = fn(ctx, &r);
			free(r.cert);
			if (rc != 0)
				break;
		}
		if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
			rc = mdb_rc(mrc);
		mdb_cursor_close(cur);
	}
	mdb_txn_abort(txn);
	return rc;
}

/*
 * Open, close, backup, stats.
 */

static int
schema_check(struct certd_store *st, MDB_txn *txn, int create)
{
	MDB_val k = mval(META_SCHEMA, strlen(META_SCHEMA)), v;
	uint8_t b[8];
	int rc;

	if (create) {
		be64(b, CERTD_SCHEMA_VERSION);
		v = mval(b, sizeof(b));
		return mdb_rc(mdb_put(txn, st->dbi[DB_META], &k, &v,
		    MDB_NOOVERWRITE));
	}
	if ((rc = mdb_get(txn, st->dbi[DB_META], &k, &v)) != 0)
		return rc == MDB_NOTFOUND ? CERTD_ERR_SCHEMA : mdb_rc(rc);
	/* A newer schema may mean records we would misread: refuse. */
	if (v.mv_size != 8 || get_be64(v.mv_data) == 0 ||
	    get_be64(v.mv_data) > CERTD_SCHEMA_VERSION)
		return CERTD_ERR_SCHEMA;
	return 0;
}

static int
open_dbs(struct certd_store *st, int create)
{
	MDB_txn *txn;
	size_t i;
	int rc;

	if ((rc = mdb_txn_begin(st->env, NULL, create ? 0 : MDB_RDONLY,
	    &txn)) != 0)
		return mdb_rc(rc);
	for (i = 0; i < NDB; i++) {
		rc = mdb_dbi_open(txn, db_names[i], create ? MDB_CREATE : 0,
		    &st->dbi[i]);
		if (rc != 0) {
			mdb_txn_abort(txn);
			return rc == MDB_NOTFOUND ? CERTD_ERR_SCHEMA :
			    mdb_rc(rc);
		}
	}
	if ((rc = schema_check(st, txn, create)) != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return mdb_rc(mdb_txn_commit(txn));
}

static int
prepare_dir(const char *dir, int create)
{
	char path[PATH_MAX];
	struct stat sb;

	if (snprintf(path, sizeof(path), "%s/data.mdb", dir) >=
	    (int)sizeof(path))
		return SK_ERR_LIMIT;
	if (create) {
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return SK_ERR_IO;
		if (stat(path, &sb) == 0)
			return CERTD_ERR_EXISTS;
	} else if (stat(path, &sb) == -1)
		return errno == ENOENT ? CERTD_ERR_SCHEMA : SK_ERR_IO;
	if (stat(dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		return SK_ERR_IO;
	return 0;
}

static int
env_open(struct certd_store *st, const char *dir,
    const struct certd_store_opts *o)
{
	int rc;

	if ((rc = mdb_env_create(&st->env)) != 0)
		return mdb_rc(rc);
	/*
	 * MDB_NOTLS: read transactions are not tied to threads (MHD's pool).
	 * Never MDB_NOSYNC, MDB_NOMETASYNC, MDB_WRITEMAP or MDB_NOMEMINIT:
	 * a commit must be durable and stray writes must not reach the map.
	 */
	if ((rc = mdb_env_set_maxdbs(st->env, NDB)) != 0 ||
	    (rc = mdb_env_set_maxreaders(st->env, MAX_READERS)) != 0 ||
	    (rc = mdb_env_set_mapsize(st->env, o->map_size != 0 ?
	    o->map_size : DEFAULT_MAP_SIZE)) != 0 ||
	    (rc = mdb_env_open(st->env, dir, MDB_NOTLS, 0600)) != 0) {
		mdb_env_close(st->env);
		st->env = NULL;
		return rc == ENOENT || rc == EACCES ? SK_ERR_IO : mdb_rc(rc);
	}
	return 0;
}

int
certd_store_open(const char *dir, const struct certd_store_opts *opts,
    struct certd_store **out)
{
	struct certd_store_opts o;
	struct certd_store *st;
	int rc;

	*out = NULL;
	memset(&o, 0, sizeof(o));
	if (opts != NULL)
		o = *opts;
	if ((rc = prepare_dir(dir, o.create)) != 0)
		return rc;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return SK_ERR_NOMEM;
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->work, NULL);
	if ((rc = env_open(st, dir, &o)) != 0 ||
	    (rc = open_dbs(st, o.create)) != 0)
		goto fail;
	if (pthread_create(&st->writer, NULL, writer_main, st) != 0) {
		rc = SK_ERR_NOMEM;
		goto fail;
	}
	st->writer_started = 1;
	*out = st;
	return 0;
fail:
	certd_store_close(st);
	return rc;
}

void
certd_store_close(struct certd_store *st)
{
	if (st == NULL)
		return;
	if (st->writer_started) {
		pthread_mutex_lock(&st->mu);
		st->closing = 1;
		pthread_cond_signal(&st->work);
		pthread_mutex_unlock(&st->mu);
		pthread_join(st->writer, NULL);
	}
	if (st->env != NULL)
		mdb_env_close(st->env);
	pthread_cond_destroy(&st->work);
	pthread_mutex_destroy(&st->mu);
	free(st);
}

int
certd_store_backup(struct certd_store *st, const char *dir)
{
	char path[PATH_MAX];
	struct stat sb;
	int rc;

	if (snprintf(path, sizeof(path), "%s/data.mdb", dir) >=
	    (int)sizeof(path))
		return SK_ERR_LIMIT;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return SK_ERR_IO;
	if (stat(path, &sb) == 0)
		return CERTD_ERR_EXISTS;
	/* A read transaction inside: writers go on while it copies. */
	if ((rc = mdb_env_copy2(st->env, dir, MDB_CP_COMPACT)) != 0)
		return rc == ENOENT || rc == EACCES || rc == EEXIST ?
		    SK_ERR_IO : mdb_rc(rc);
	return 0;
}

void
certd_store_stats(struct certd_store *st, struct certd_store_stats *s)
{
	MDB_envinfo info;
	MDB_stat ms;
	MDB_txn *txn;

	memset(s, 0, sizeof(*s));
	s->batches = atomic_load(&st->batches);
	s->writes = atomic_load(&st->writes);
	if (mdb_env_info(st->env, &info) == 0 &&
	    mdb_env_stat(st->env, &ms) == 0) {
		s->bytes_used = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
		s->map_size = info.me_mapsize;
	}
	if (rtxn(st, &txn) != 0)
		return;
	if (mdb_stat(txn, st->dbi[DB_LICENCES], &ms) == 0)
		s->licences = ms.ms_entries;
	if (mdb_stat(txn, st->dbi[DB_ACCESS], &ms) == 0)
		s->access = ms.ms_entries;
	mdb_txn_abort(txn);
}
