/*
 * ratelimit.c: token buckets in a fixed, sharded, set-associative table.
 *
 * A bucket holds up to burst requests in units of 1/(60 * 10^6) request,
 * so that a rate in requests per minute refills exactly per_min units per
 * microsecond: all integer arithmetic.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "problem.h"
#include "ratelimit.h"

/* Units in one request: 60 s * 10^6 us. */
#define RL_UNIT		60000000ull
#define RL_HASH_KEY	32u
#define RL_ID_LEN	16u

struct rl_entry {
	uint8_t		id[RL_ID_LEN];	/* first bytes of the keyed hash */
	uint8_t		used;
	uint8_t		cls;
	uint64_t	tokens;		/* units */
	uint64_t	last_us;
};

struct rl_shard {
	pthread_mutex_t	 mu;
	struct rl_entry	 e[CERTD_RL_SETS][CERTD_RL_WAYS];
};

struct certd_ratelimit {
	struct certd_rl_limit	 lim[CERTD_RL_CLASSES];
	uint8_t			 hkey[RL_HASH_KEY];
	struct rl_shard		 shard[CERTD_RL_SHARDS];
};

int
certd_ratelimit_new(const struct certd_ratelimit_opts *o,
    struct certd_ratelimit **out)
{
	struct certd_ratelimit *rl;
	size_t i;

	*out = NULL;
	for (i = 0; i < CERTD_RL_CLASSES; i++)
		if (o->cls[i].per_min > CERTD_RL_RATE_MAX ||
		    o->cls[i].burst > CERTD_RL_BURST_MAX ||
		    (o->cls[i].per_min != 0 && o->cls[i].burst == 0))
			return SK_ERR_ARG;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return SK_ERR_NOMEM;
	memcpy(rl->lim, o->cls, sizeof(rl->lim));
	if (RAND_bytes(rl->hkey, sizeof(rl->hkey)) != 1) {
		free(rl);
		return SK_ERR_CRYPTO;
	}
	for (i = 0; i < CERTD_RL_SHARDS; i++) {
		if (pthread_mutex_init(&rl->shard[i].mu, NULL) != 0) {
			while (i-- > 0)
				pthread_mutex_destroy(&rl->shard[i].mu);
			free(rl);
			return SK_ERR_NOMEM;
		}
	}
	*out = rl;
	return 0;
}

void
certd_ratelimit_free(struct certd_ratelimit *rl)
{
	size_t i;

	if (rl == NULL)
		return;
	for (i = 0; i < CERTD_RL_SHARDS; i++)
		pthread_mutex_destroy(&rl->shard[i].mu);
	sk_wipe(rl->hkey, sizeof(rl->hkey));
	free(rl);
}

/* Keyed hash of (cls, key): the secret prefix keeps sets unpredictable. */
static int
rl_hash(const struct certd_ratelimit *rl, unsigned cls, const void *key,
    size_t keylen, uint8_t md[32])
{
	uint8_t buf[RL_HASH_KEY + 1 + CERTD_RL_KEY_MAX];
	unsigned int mdlen = 0;
	int ok;

	if (keylen > CERTD_RL_KEY_MAX)
		keylen = CERTD_RL_KEY_MAX;
	memcpy(buf, rl->hkey, RL_HASH_KEY);
	buf[RL_HASH_KEY] = (uint8_t)cls;
	if (keylen > 0)
		memcpy(buf + RL_HASH_KEY + 1, key, keylen);
	ok = EVP_Digest(buf, RL_HASH_KEY + 1 + keylen, md, &mdlen,
	    EVP_sha256(), NULL);
	sk_wipe(buf, RL_HASH_KEY);
	return ok == 1 && mdlen == 32 ? 0 : -1;
}

/* The bucket's content at now: refilled, capped at the burst. */
static uint64_t
rl_level(const struct certd_rl_limit *l, const struct rl_entry *e,
    uint64_t now_us)
{
	uint64_t cap = (uint64_t)l->burst * RL_UNIT, add, t;

	if (now_us <= e->last_us)
		return e->tokens > cap ? cap : e->tokens;
	if (__builtin_mul_overflow(now_us - e->last_us, (uint64_t)l->per_min,
	    &add) || __builtin_add_overflow(e->tokens, add, &t) || t > cap)
		return cap;
	return t;
}

/* The bucket of id in set: found, else free, else full, else oldest. */
static struct rl_entry *
rl_find(const struct certd_ratelimit *rl, struct rl_entry *set,
    unsigned cls, const uint8_t *id, uint64_t now_us)
{
	struct rl_entry *e, *victim = NULL, *full = NULL;
	const struct certd_rl_limit *l;
	size_t w;

	for (w = 0; w < CERTD_RL_WAYS; w++) {
		e = &set[w];
		if (!e->used) {
			if (victim == NULL || victim->used)
				victim = e;
			continue;
		}
		if (e->cls == cls && memcmp(e->id, id, RL_ID_LEN) == 0)
			return e;
		l = &rl->lim[e->cls];
		if (full == NULL && rl_level(l, e, now_us) ==
		    (uint64_t)l->burst * RL_UNIT)
			full = e;
		if (victim == NULL || (victim->used &&
		    e->last_us < victim->last_us))
			victim = e;
	}
	if (full != NULL && victim->used)
		victim = full;
	memcpy(victim->id, id, RL_ID_LEN);
	victim->used = 1;
	victim->cls = (uint8_t)cls;
	victim->tokens = (uint64_t)rl->lim[cls].burst * RL_UNIT;
	victim->last_us = now_us;
	return victim;
}

static int
rl_take_locked(const struct certd_rl_limit *l, struct rl_entry *e,
    uint64_t now_us, unsigned *retry_s)
{
	uint64_t t, us;

	t = rl_level(l, e, now_us);
	if (now_us > e->last_us)
		e->last_us = now_us;
	if (t >= RL_UNIT) {
		e->tokens = t - RL_UNIT;
		return CERTD_RL_OK;
	}
	e->tokens = t;
	us = (RL_UNIT - t + l->per_min - 1) / l->per_min;
	*retry_s = (unsigned)((us + 999999) / 1000000);
	if (*retry_s == 0)
		*retry_s = 1;
	return CERTD_RL_LIMITED;
}

int
certd_ratelimit_take(struct certd_ratelimit *rl, unsigned cls,
    const void *key, size_t keylen, uint64_t now_us, unsigned *retry_s)
{
	struct rl_shard *sh;
	struct rl_entry *e;
	uint8_t md[32];
	int rc;

	*retry_s = 0;
	if (cls >= CERTD_RL_CLASSES || rl->lim[cls].per_min == 0)
		return CERTD_RL_OK;
	/* Without a hash, fail open: limiting is not an access control. */
	if (rl_hash(rl, cls, key, keylen, md) != 0)
		return CERTD_RL_OK;
	sh = &rl->shard[md[RL_ID_LEN] % CERTD_RL_SHARDS];
	pthread_mutex_lock(&sh->mu);
	e = rl_find(rl, sh->e[md[RL_ID_LEN + 1] % CERTD_RL_SETS], cls, md,
	    now_us);
	rc = rl_take_locked(&rl->lim[cls], e, now_us, retry_s);
	pthread_mutex_unlock(&sh->mu);
	return rc;
}

int
certd_ratelimit_addr_key(const struct sockaddr *sa,
    uint8_t key[CERTD_RL_ADDR_KEY_LEN])
{
	const struct sockaddr_in6 *in6;
	const struct sockaddr_in *in4;

	memset(key, 0, CERTD_RL_ADDR_KEY_LEN);
	if (sa->sa_family == AF_INET) {
		in4 = (const struct sockaddr_in *)(const void *)sa;
		key[0] = 4;
		memcpy(key + 1, &in4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return SK_ERR_ARG;
	in6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		key[0] = 4;
		memcpy(key + 1, in6->sin6_addr.s6_addr + 12, 4);
		return 0;
	}
	/* One host commonly holds a whole /64 (RFC 4291 section 2.5.1). */
	key[0] = 6;
	memcpy(key + 1, in6->sin6_addr.s6_addr, 8);
	return 0;
}

int
certd_ratelimit_request(struct certd_ratelimit *rl,
    const struct sockaddr *sa, const char *authz, uint64_t now_us,
    unsigned *retry_s, unsigned *cls)
{
	uint8_t key[CERTD_RL_ADDR_KEY_LEN];

	*retry_s = 0;
	*cls = CERTD_RL_ADDRESS;
	if (sa != NULL && certd_ratelimit_addr_key(sa, key) == 0 &&
	    certd_ratelimit_take(rl, CERTD_RL_ADDRESS, key, sizeof(key),
	    now_us, retry_s) != CERTD_RL_OK)
		return CERTD_RL_LIMITED;
	if (authz == NULL)
		return CERTD_RL_OK;
	*cls = CERTD_RL_CLIENT;
	return certd_ratelimit_take(rl, CERTD_RL_CLIENT, authz,
	    strnlen(authz, CERTD_RL_KEY_MAX), now_us, retry_s);
}

int
certd_ratelimit_problem(unsigned cls, unsigned retry_s, const char *reqid,
    struct sk_buf *out)
{
	char detail[96], *text;
	json_t *o;
	int rc;

	(void)snprintf(detail, sizeof(detail), "%s rate limit: retry after "
	    "%u s", cls == CERTD_RL_CLIENT ? "client" : "address", retry_s);
	o = json_pack("{s:s, s:s, s:i, s:s}", "type", CERTD_PROBLEM_BASE
	    "too-many-requests", "title", "Too many requests", "status", 429,
	    "detail", detail);
	if (o == NULL)
		return SK_ERR_NOMEM;
	if (reqid != NULL && json_object_set_new(o, "request_id",
	    json_string(reqid)) != 0) {
		json_decref(o);
		return SK_ERR_NOMEM;
	}
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return SK_ERR_NOMEM;
	rc = sk_buf_append(out, text, strlen(text));
	free(text);
	return rc;
}
