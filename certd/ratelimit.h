/*
 * ratelimit.h: token buckets per client address and per client token
 * (docs/CERTD.md "Rate limiting").  A request over either limit gets 429
 * with Retry-After.  The table has a fixed size: CERTD_RL_ENTRIES
 * buckets in CERTD_RL_SHARDS mutex-guarded shards, each key in one set of
 * CERTD_RL_WAYS buckets; a new key takes a free bucket, else one that has
 * refilled (nothing is lost), else the least recently used.  Keys are a
 * keyed SHA-256 of the address or of the Authorization value, so neither
 * a token nor a chosen set collision is possible.
 */
#ifndef CERTD_RATELIMIT_H
#define CERTD_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include <sys/socket.h>

#include "sealkit/common.h"

/* The classes. */
#define CERTD_RL_ADDRESS	0u	/* remote address (IPv6: its /64) */
#define CERTD_RL_CLIENT		1u	/* Authorization header value */
#define CERTD_RL_CLASSES	2u

/* Table geometry: 64 * 32 * 8 = 16384 buckets. */
#define CERTD_RL_SHARDS		64u
#define CERTD_RL_SETS		32u	/* per shard */
#define CERTD_RL_WAYS		8u	/* per set */
#define CERTD_RL_ENTRIES \
	(CERTD_RL_SHARDS * CERTD_RL_SETS * CERTD_RL_WAYS)
/* Bounds of the settings; a rate of 0 turns a class off. */
#define CERTD_RL_RATE_MAX	6000000u	/* requests per minute */
#define CERTD_RL_BURST_MAX	100000u
/* Longest key material hashed (longer Authorization values are cut). */
#define CERTD_RL_KEY_MAX	1024u
/* Bytes of an address key certd_ratelimit_addr_key() writes. */
#define CERTD_RL_ADDR_KEY_LEN	17u

/* certd_ratelimit_take() and certd_ratelimit_request() results. */
#define CERTD_RL_OK		0
#define CERTD_RL_LIMITED	1

/* One class: sustained rate and burst (bucket size). */
struct certd_rl_limit {
	unsigned	per_min;	/* 0: unlimited */
	unsigned	burst;		/* >= 1 when per_min != 0 */
};

struct certd_ratelimit_opts {
	struct certd_rl_limit	cls[CERTD_RL_CLASSES];
};

struct certd_ratelimit;

/*
 * A new limiter (caller frees with certd_ratelimit_free).
 * @return 0, SK_ERR_ARG (out of bounds), SK_ERR_NOMEM, SK_ERR_CRYPTO.
 */
int	certd_ratelimit_new(const struct certd_ratelimit_opts *o,
	    struct certd_ratelimit **out) SK_WUR;
/* NULL is ok. */
void	certd_ratelimit_free(struct certd_ratelimit *rl);

/*
 * Take one request from the bucket of (cls, key) at now_us (a monotonic
 * microsecond clock; injected so tests are deterministic).  When limited,
 * *retry_s gets the seconds until one request is allowed again, rounded
 * up (>= 1).  Thread-safe.
 * @return CERTD_RL_OK or CERTD_RL_LIMITED.
 */
int	certd_ratelimit_take(struct certd_ratelimit *rl, unsigned cls,
	    const void *key, size_t keylen, uint64_t now_us,
	    unsigned *retry_s);

/*
 * A request: the address bucket of sa (NULL: none), then, if authz is
 * not NULL, the client bucket of authz.  *cls gets the class that
 * limited.  @return CERTD_RL_OK or CERTD_RL_LIMITED.
 */
int	certd_ratelimit_request(struct certd_ratelimit *rl,
	    const struct sockaddr *sa, const char *authz, uint64_t now_us,
	    unsigned *retry_s, unsigned *cls);

/*
 * The key of an address: a family byte and the IPv4 address (also for
 * IPv4-mapped IPv6) or the first 64 bits of an IPv6 address, zero-padded
 * to CERTD_RL_ADDR_KEY_LEN.  @return 0, SK_ERR_ARG (another family).
 */
int	certd_ratelimit_addr_key(const struct sockaddr *sa,
	    uint8_t key[CERTD_RL_ADDR_KEY_LEN]) SK_WUR;

/*
 * Append the RFC 9457 document of a 429 to out: type
 * CERTD_PROBLEM_BASE "too-many-requests", status 429, a detail naming
 * the class and retry_s, request_id reqid (may be NULL).
 * @return 0, SK_ERR_NOMEM, SK_ERR_LIMIT.
 */
int	certd_ratelimit_problem(unsigned cls, unsigned retry_s,
	    const char *reqid, struct sk_buf *out) SK_WUR;

#endif /* CERTD_RATELIMIT_H */
