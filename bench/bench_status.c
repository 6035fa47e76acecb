/*
 * bench_status: (1) the cost of one revocation with N licences stored
 * (default 1,000,000), through certd's store and status lists exactly as
 * POST /v1/licences/{id}/revoke does it; (2) the download size of a
 * signed 2-bit status list of 131,072 entries at 0.1 % and 1 % revoked.
 *
 * Usage: bench_status DIR [N] [REVOCATIONS]
 * DIR must not exist (a store is created there).  Prints
 *   load licences=<n> seconds=<s>
 *   revoke stored=<n> revocations=<r> us_per_revocation=<t>
 *     idempotent_repeat_us=<t> (a repeated revocation: no change, the
 *     writer's round trip alone) signings=<n>
 *   list entries=131072 revoked_pct=<p> token_bytes=<b>
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "sealkit/key.h"
#include "sealkit/statuslist.h"

#include "statuslists.h"
#include "store.h"

#define ISSUER		"11990100000000019F"
#define TYPE		"11990000000000107Q001"
#define THREADS		32
#define CRED_LEN	1200	/* about a real credential */

static struct certd_store *st;
static struct certd_statuslists *sl;
static struct sk_signer *signer;
static size_t total;

static void
die(const char *what, int rc)
{
	fprintf(stderr, "bench_status: %s: %s\n", what,
	    certd_store_strerror(rc));
	exit(1);
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
sign_cb(void *ctx, const char *uscc, const struct sk_statuslist *l,
    const struct sk_statuslist_meta *meta, struct sk_buf *out)
{
	(void)ctx;
	(void)uscc;
	return sk_statuslist_token_sign(l, signer, meta, out);
}

static void
put_one(size_t i, int with_slot)
{
	static uint8_t cred[CRED_LEN];
	char uri[SK_STATUSLIST_MAX_URI + 1];
	struct certd_actor who = { "bench", "", 1767225600 };
	struct certd_licence_rec r;
	uint64_t slot = 0, idx;
	int rc;

	memset(&r, 0, sizeof(r));
	(void)snprintf(r.id, sizeof(r.id), "L%09zu", i);
	(void)snprintf(r.holder, sizeof(r.holder), "H%09zu", i % 100000);
	memcpy(r.type, TYPE, sizeof(TYPE));
	memcpy(r.issuer, ISSUER, sizeof(ISSUER));
	r.issued = r.updated = who.time;
	if (with_slot && (rc = certd_statuslists_assign(sl, ISSUER, &slot,
	    &idx, uri)) != 0)
		die("assign", rc);
	r.has_status_idx = with_slot;
	r.status_idx = slot;
	r.cred = cred;
	r.credlen = sizeof(cred);
	if ((rc = certd_store_put_licence(st, &r, &who)) != 0)
		die("put", rc);
}

static void *
loader(void *arg)
{
	size_t t = (size_t)(uintptr_t)arg, i;

	for (i = t; i < total; i += THREADS)
		put_one(i, 1);
	return NULL;
}

static double
revoke(size_t first, size_t n, size_t step)
{
	struct certd_actor who = { "bench", "", 1767225700 };
	char id[32];
	unsigned state;
	double t0 = now_sec();
	size_t i;
	int changed, rc;

	for (i = 0; i < n; i++) {
		(void)snprintf(id, sizeof(id), "L%09zu", first + i * step);
		if ((rc = certd_store_set_status(st, id, CERTD_ACT_REVOKE,
		    "bench", &who, &state, &changed)) != 0 || !changed)
			die("revoke", rc);
	}
	return (now_sec() - t0) / (double)n * 1e6;
}

/* A repeated revocation: queued, applied, nothing changes (baseline). */
static double
repeat(size_t n)
{
	struct certd_actor who = { "bench", "", 1767225700 };
	unsigned state;
	double t0 = now_sec();
	size_t i;
	int changed, rc;

	for (i = 0; i < n; i++)
		if ((rc = certd_store_set_status(st, "L000000000",
		    CERTD_ACT_REVOKE, "bench", &who, &state, &changed)) != 0)
			die("repeat", rc);
	return (now_sec() - t0) / (double)n * 1e6;
}

static void
list_size(double pct)
{
	struct sk_statuslist_meta meta;
	struct sk_statuslist *l;
	struct sk_buf tok;
	uint32_t r;
	size_t i, n = (size_t)(CERTD_SL_ENTRIES * pct / 100.0 + 0.5);
	int rc;

	if ((rc = sk_statuslist_new(2, CERTD_SL_ENTRIES,
	    "https://certd.example/v1/status/1", &l)) != 0)
		die("list", rc);
	for (i = 0; i < n; i++) {
		if (RAND_bytes((uint8_t *)&r, sizeof(r)) != 1)
			exit(1);
		if (sk_statuslist_set(l, r % CERTD_SL_ENTRIES, 1) != 0)
			exit(1);
	}
	memset(&meta, 0, sizeof(meta));
	meta.iat = 1767225600;
	meta.exp = meta.iat + 86400;
	meta.has_exp = 1;
	meta.ttl = 3600;
	meta.has_ttl = 1;
	sk_buf_init(&tok, SK_STATUSLIST_MAX_TOKEN);
	if ((rc = sk_statuslist_token_sign(l, signer, &meta, &tok)) != 0)
		die("sign", rc);
	printf("list entries=%u revoked_pct=%.1f token_bytes=%zu\n",
	    CERTD_SL_ENTRIES, pct, tok.len);
	sk_buf_free(&tok);
	sk_statuslist_free(l);
}

int
main(int argc, char **argv)
{
	struct certd_store_opts o = { (size_t)16 << 30, 1 };
	struct certd_sl_opts so;
	struct sk_key *key;
	pthread_t th[THREADS];
	size_t i, nrev;
	double t0, us, fs;
	int rc;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: bench_status DIR [N] [REVOCATIONS]\n");
		return 2;
	}
	total = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000;
	nrev = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
	if (total < 2 * nrev || nrev == 0)
		return 2;
	if ((rc = sk_key_generate(SK_ALG_ES256, &key)) != 0 ||
	    (rc = sk_signer_from_key(key, SK_ALG_ES256, NULL, &signer)) != 0)
		die("key", rc);
	list_size(0.1);
	list_size(1.0);
	if ((rc = certd_store_open(argv[1], &o, &st)) != 0)
		die(argv[1], rc);
	memset(&so, 0, sizeof(so));
	so.base_url = "https://certd.example";
	so.ttl_s = 3600;
	so.valid_s = 86400;
	so.resign_s = 60;
	so.sign = sign_cb;
	if ((rc = certd_statuslists_new(st, &so, &sl)) != 0)
		die("lists", rc);
	t0 = now_sec();
	for (i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, loader, (void *)(uintptr_t)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	printf("load licences=%zu seconds=%.1f\n", total, now_sec() - t0);
	us = revoke(0, nrev, total / nrev);
	fs = repeat(nrev);
	printf("revoke stored=%zu revocations=%zu us_per_revocation=%.0f "
	    "idempotent_repeat_us=%.0f signings=%llu\n", total, nrev, us, fs,
	    (unsigned long long)certd_statuslists_signings(sl));
	certd_statuslists_free(sl);
	certd_store_close(st);
	sk_signer_free(signer);
	return 0;
}
