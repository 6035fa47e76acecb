/*
 * test_statuslists.c: certd's status lists: the slot permutation is a
 * bijection that hides issue order; slots are unique and continue after
 * a restart; revoke, suspend and reinstate change exactly one entry of
 * the signed list (checked by sealkit's independent token verifier and
 * status cache); repeated changes write nothing; re-signing waits for the
 * interval; a tampered or stale token fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sealkit/key.h"
#include "sealkit/statuslist.h"

#include "sktest.h"
#include "statuslists.h"
#include "store.h"

#define ISSUER	"11990100000000019F"
#define TYPE	"11990000000000107Q001"
#define BASE	"https://certd.example"
#define NOW	INT64_C(1767225600)	/* 2026-01-01 */
#define NLIC	300u

static char dir[256];
static struct sk_signer *signer;
static struct sk_key *pub;

static int
sign_cb(void *ctx, const char *uscc, const struct sk_statuslist *l,
    const struct sk_statuslist_meta *meta, struct sk_buf *out)
{
	(void)ctx;
	if (strcmp(uscc, ISSUER) != 0)
		return SK_ERR_NOTFOUND;
	return sk_statuslist_token_sign(l, signer, meta, out);
}

static void
load_key(void)
{
	char p[512], c[512];
	struct sk_cert *cert = NULL;
	struct sk_key *key = NULL;
	const char *src = getenv("SK_SOURCE_DIR");

	(void)snprintf(p, sizeof(p), "%s/keys-example/issuer-a.key.pem",
	    src != NULL ? src : "..");
	(void)snprintf(c, sizeof(c), "%s/keys-example/issuer-a.crt.pem",
	    src != NULL ? src : "..");
	SKT_RC(sk_cert_load_file(c, &cert), 0);
	SKT_RC(sk_key_load_file(p, NULL, &key), 0);
	SKT_RC(sk_signer_from_key(key, SK_ALG_NONE, cert, &signer), 0);
	SKT_RC(sk_cert_pubkey(cert, &pub), 0);
	sk_cert_free(cert);
}

static struct certd_store *
open_store(const char *name, int create)
{
	struct certd_store_opts o = { 64u << 20, create };
	struct certd_store *st = NULL;
	char p[300];

	(void)snprintf(p, sizeof(p), "%s/%s", dir, name);
	SKT_RC(certd_store_open(p, &o, &st), 0);
	return st;
}

static struct certd_statuslists *
open_lists(struct certd_store *st, unsigned resign)
{
	struct certd_sl_opts o;
	struct certd_statuslists *sl = NULL;

	memset(&o, 0, sizeof(o));
	o.base_url = BASE "/";
	o.ttl_s = 3600;
	o.valid_s = 86400;
	o.resign_s = resign;
	o.sign = sign_cb;
	SKT_RC(certd_statuslists_new(st, &o, &sl), 0);
	return sl;
}

/* The permutation: a bijection of 0..2^17-1, and not order-keeping. */
static void
test_permute(void)
{
	uint8_t key[CERTD_SL_KEY_LEN], *seen;
	uint32_t i, p, prev = 0, adjacent = 0, fixed = 0;

	memset(key, 0x5a, sizeof(key));
	seen = calloc(CERTD_SL_ENTRIES, 1);
	SKT_CHECK(seen != NULL);
	for (i = 0; i < CERTD_SL_ENTRIES; i++) {
		p = certd_sl_permute(key, i);
		SKT_CHECK(p < CERTD_SL_ENTRIES);
		if (p >= CERTD_SL_ENTRIES || seen[p]) {
			SKT_CHECK(0);
			break;
		}
		seen[p] = 1;
		adjacent += i > 0 && (p == prev + 1 || prev == p + 1);
		fixed += p == i;
		prev = p;
	}
	/* A random permutation has about 2 adjacent pairs and 1 fixed
	 * point; sequential assignment would have 2^17 - 1 and 2^17. */
	SKT_CHECK(adjacent < 20);
	SKT_CHECK(fixed < 20);
	SKT_EQ(certd_sl_permute(key, CERTD_SL_ENTRIES), CERTD_SL_ENTRIES);
	key[0] ^= 1;
	SKT_CHECK(certd_sl_permute(key, 0) != certd_sl_permute(key, 1) ||
	    certd_sl_permute(key, 0) != 0);
	free(seen);
}

static void
put(struct certd_store *st, const char *id, uint64_t slot)
{
	static uint8_t cred[] = { 0xd2, 0x84, 0x40, 0xa0, 0x40, 0x40 };
	struct certd_licence_rec r;
	struct certd_actor who = { "test", "", NOW };

	memset(&r, 0, sizeof(r));
	(void)snprintf(r.id, sizeof(r.id), "%s", id);
	(void)snprintf(r.holder, sizeof(r.holder), "110101199003074477");
	memcpy(r.type, TYPE, sizeof(TYPE));
	memcpy(r.issuer, ISSUER, sizeof(ISSUER));
	r.issued = r.updated = NOW;
	r.has_status_idx = 1;
	r.status_idx = slot;
	r.cred = cred;
	r.credlen = sizeof(cred);
	SKT_RC(certd_store_put_licence(st, &r, &who), 0);
}

/* Verify tok independently and read entry idx through a status cache. */
static int
entry(const struct sk_buf *tok, uint64_t idx, int64_t at, unsigned *status)
{
	struct sk_status_cache *c = NULL;
	struct sk_status_source src;
	int rc;

	*status = 99;
	if ((rc = sk_status_cache_new(&c)) != 0)
		return rc;
	rc = sk_status_cache_add(c, tok->data, tok->len, pub);
	if (rc == 0) {
		sk_status_cache_source(c, &src);
		rc = src.lookup(src.ctx, BASE "/v1/status/1", idx, at, status);
	}
	sk_status_cache_free(c);
	return rc;
}

static void
token(struct certd_statuslists *sl, int64_t now, struct sk_buf *tok,
    char etag[CERTD_SL_ETAG_LEN])
{
	int64_t iat;
	uint64_t ttl;

	sk_buf_reset(tok);
	SKT_RC(certd_statuslists_token(sl, 1, now, tok, etag, &iat, &ttl), 0);
	SKT_EQ(ttl, 3600);
}

struct ctx {
	uint64_t	 slots[NLIC];
	uint64_t	 idx[NLIC];
};

static void
assign_all(struct certd_statuslists *sl, struct certd_store *st,
    struct ctx *c, size_t from, size_t to)
{
	char uri[SK_STATUSLIST_MAX_URI + 1], id[32];
	size_t i, j;

	for (i = from; i < to; i++) {
		SKT_RC(certd_statuslists_assign(sl, ISSUER, &c->slots[i],
		    &c->idx[i], uri), 0);
		SKT_CHECK(strcmp(uri, BASE "/v1/status/1") == 0);
		SKT_EQ(c->slots[i], CERTD_SL_ENTRIES + c->idx[i]);
		for (j = 0; j < i; j++)
			SKT_CHECK(c->idx[j] != c->idx[i]);
		(void)snprintf(id, sizeof(id), "L%zu", i);
		put(st, id, c->slots[i]);
	}
}

static void
change(struct certd_store *st, const char *id, enum certd_action act,
    unsigned want, int want_changed)
{
	struct certd_actor who = { "test", "", NOW };
	unsigned state;
	int changed;

	SKT_RC(certd_store_set_status(st, id, act, "test", &who, &state,
	    &changed), 0);
	SKT_EQ(state, want);
	SKT_EQ(changed, want_changed);
}

static void
test_lists(void)
{
	struct certd_statuslists *sl;
	struct certd_store *st;
	struct ctx *c = calloc(1, sizeof(*c));
	struct sk_buf tok;
	char e1[CERTD_SL_ETAG_LEN], e2[CERTD_SL_ETAG_LEN];
	unsigned s;
	uint64_t n0;
	int64_t iat;
	size_t i;

	SKT_CHECK(c != NULL);
	st = open_store("lists", 1);
	sl = open_lists(st, 60);
	sk_buf_init(&tok, SK_STATUSLIST_MAX_TOKEN);
	SKT_RC(certd_statuslists_token(sl, 1, NOW, &tok, e1, &iat, &n0),
	    SK_ERR_NOTFOUND);
	assign_all(sl, st, c, 0, NLIC / 2);
	token(sl, NOW, &tok, e1);
	for (i = 0; i < NLIC / 2; i++) {
		SKT_RC(entry(&tok, c->idx[i], NOW + 1, &s), 0);
		SKT_EQ(s, SK_STATUS_VALID);
	}
	/* Revoke L7: its bit, and only its bit, changes. */
	change(st, "L7", CERTD_ACT_REVOKE, CERTD_STATE_REVOKED, 1);
	change(st, "L7", CERTD_ACT_REVOKE, CERTD_STATE_REVOKED, 0);
	SKT_RC(certd_statuslists_get(sl, c->slots[7], &s), 0);
	SKT_EQ(s, SK_STATUS_INVALID);
	/* Within the interval the old token is served... */
	n0 = certd_statuslists_signings(sl);
	token(sl, NOW + 59, &tok, e2);
	SKT_CHECK(strcmp(e1, e2) == 0);
	SKT_EQ(certd_statuslists_signings(sl), n0);
	/* ... then re-signed once. */
	token(sl, NOW + 60, &tok, e2);
	SKT_CHECK(strcmp(e1, e2) != 0);
	SKT_EQ(certd_statuslists_signings(sl), n0 + 1);
	SKT_RC(entry(&tok, c->idx[7], NOW + 61, &s), 0);
	SKT_EQ(s, SK_STATUS_INVALID);
	SKT_RC(entry(&tok, c->idx[8], NOW + 61, &s), 0);
	SKT_EQ(s, SK_STATUS_VALID);
	/* Revoked is final. */
	{
		struct certd_actor who = { "test", "", NOW };
		int ch;

		SKT_RC(certd_store_set_status(st, "L7", CERTD_ACT_REINSTATE,
		    "x", &who, &s, &ch), CERTD_ERR_CONFLICT);
	}
	/* Suspend then reinstate L9. */
	change(st, "L9", CERTD_ACT_SUSPEND, CERTD_STATE_SUSPENDED, 1);
	token(sl, NOW + 200, &tok, e1);
	SKT_RC(entry(&tok, c->idx[9], NOW + 201, &s), 0);
	SKT_EQ(s, SK_STATUS_SUSPENDED);
	change(st, "L9", CERTD_ACT_REINSTATE, CERTD_STATE_VALID, 1);
	token(sl, NOW + 300, &tok, e2);
	SKT_RC(entry(&tok, c->idx[9], NOW + 301, &s), 0);
	SKT_EQ(s, SK_STATUS_VALID);
	/* Unchanged: the same token until half the ttl has passed. */
	n0 = certd_statuslists_signings(sl);
	token(sl, NOW + 300 + 1799, &tok, e1);
	SKT_CHECK(strcmp(e1, e2) == 0);
	token(sl, NOW + 300 + 1800, &tok, e1);
	SKT_EQ(certd_statuslists_signings(sl), n0 + 1);
	/* Stale: past iat + ttl, and past exp. */
	SKT_RC(entry(&tok, c->idx[7], NOW + 2100 + 3601, &s), SK_ERR_EXPIRED);
	/* Tampered: one bit of the signature. */
	tok.data[tok.len - 3] ^= 0x01;
	SKT_CHECK(entry(&tok, c->idx[7], NOW + 2101, &s) != 0);
	tok.data[tok.len - 3] ^= 0x01;
	SKT_RC(entry(&tok, c->idx[7], NOW + 2101, &s), 0);
	/* Restart: slots continue, never reusing an index. */
	certd_statuslists_free(sl);
	certd_store_close(st);
	st = open_store("lists", 0);
	sl = open_lists(st, 60);
	assign_all(sl, st, c, NLIC / 2, NLIC);
	SKT_RC(certd_statuslists_get(sl, c->slots[7], &s), 0);
	SKT_EQ(s, SK_STATUS_INVALID);
	sk_buf_free(&tok);
	certd_statuslists_free(sl);
	certd_store_close(st);
	free(c);
}

static void
test_args(void)
{
	struct certd_sl_opts o;
	struct certd_statuslists *sl = NULL;
	struct certd_store *st = open_store("args", 1);
	uint32_t l, i;

	memset(&o, 0, sizeof(o));
	o.ttl_s = 100;
	o.valid_s = 1000;
	o.resign_s = 60;	/* ttl < 2 * resign */
	o.sign = sign_cb;
	SKT_RC(certd_statuslists_new(st, &o, &sl), SK_ERR_ARG);
	SKT_CHECK(sl == NULL);
	SKT_RC(certd_sl_split(5, &l, &i), SK_ERR_ARG);
	SKT_RC(certd_sl_split(CERTD_SL_ENTRIES * 3 + 7, &l, &i), 0);
	SKT_EQ(l, 3);
	SKT_EQ(i, 7);
	certd_statuslists_free(NULL);
	certd_store_close(st);
}

int
main(void)
{
	char cmd[300];

	(void)snprintf(dir, sizeof(dir), "%s/certd-sl-XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	load_key();
	SKT_RUN(test_permute);
	SKT_RUN(test_args);
	SKT_RUN(test_lists);
	sk_signer_free(signer);
	sk_key_free(pub);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return skt_done();
}
