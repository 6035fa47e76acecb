/*
 * statuslists.h: certd's Token Status Lists (docs/STATUS-AND-PRESENTATIONS.md,
 * docs/STATUSLIST.md for the format).
 *
 * Each issuer has one open list at a time of CERTD_SL_ENTRIES 2-bit
 * entries; list n (1, 2, ...) is published at <base>/v1/status/<n>, the
 * URI fixed when the list is opened.  A licence gets, at issuance, the
 * index perm_K(c) of its list, c being the list's issuance counter and
 * perm_K a keyed pseudorandom permutation of 0..CERTD_SL_ENTRIES-1 (a
 * Feistel network over SHA-256 with a random per-list key K): indexes are
 * unique within a list, and neighbouring indexes say nothing about the
 * order of issuance.  The licence record holds the slot
 * n * CERTD_SL_ENTRIES + index.
 *
 * In the store (database "status"): the number of lists, each issuer's
 * open list, each list's record [1, issuer, uri, counter, K], its
 * version (bumped by every change) and its bits in chunks of
 * CERTD_SL_CHUNK bytes (an absent chunk is all VALID).  A status change
 * rewrites one chunk and the version in the change's own transaction:
 * O(1), nothing else is read or rebuilt.  The signed token of a list is
 * made on demand, kept in memory with its ETag, and re-made when the
 * list's version moved and the last signing is at least resign_s old, or
 * when the token is half its ttl old.
 */
#ifndef CERTD_STATUSLISTS_H
#define CERTD_STATUSLISTS_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/statuslist.h"

#include "store.h"

/* Entries per list: the herd-privacy minimum, 2^17 (32 KiB at 2 bits). */
#define CERTD_SL_ENTRIES	SK_STATUSLIST_MIN_ENTRIES
#define CERTD_SL_BITS		SK_STATUSLIST_BITS
/* Bytes of one stored chunk of a list (4096 entries). */
#define CERTD_SL_CHUNK		1024u
/* Most lists a store may open (2^33 licences). */
#define CERTD_SL_LISTS_MAX	65536u
/* Bytes of the per-list permutation key. */
#define CERTD_SL_KEY_LEN	16u
/* Defaults and bounds of the timings (config, seconds). */
#define CERTD_SL_TTL_DEFAULT	3600u
#define CERTD_SL_VALID_DEFAULT	86400u
#define CERTD_SL_RESIGN_DEFAULT	60u
#define CERTD_SL_TTL_MIN	60u
#define CERTD_SL_TIME_MAX	(30u * 86400u)
/* Quoted ETag: '"' + 32 hex digits + '"' + NUL. */
#define CERTD_SL_ETAG_LEN	35u

/*
 * Sign list l (its uri is the token's sub) for issuer uscc with the
 * claims of meta into out: sk_statuslist_token_sign through the issuer's
 * signer.  cmd_run.c passes the certd_signers; tests pass a key.
 */
typedef int (*certd_sl_sign_fn)(void *ctx, const char *uscc,
    const struct sk_statuslist *l, const struct sk_statuslist_meta *meta,
    struct sk_buf *out);

struct certd_sl_opts {
	const char	*base_url;	/* list URIs: base_url/v1/status/<n> */
	unsigned	 ttl_s;		/* the token's ttl claim */
	unsigned	 valid_s;	/* exp - iat */
	unsigned	 resign_s;	/* least time between re-signings */
	certd_sl_sign_fn sign;
	void		*sign_ctx;
};

struct certd_statuslists;

/*
 * The module over st (borrowed; must outlive it).  Registers the store's
 * status hook (certd_store_set_status_hook).  Reads nothing.
 * @return 0, SK_ERR_ARG (bad timings, ttl_s < 2 * resign_s), SK_ERR_NOMEM.
 */
int	certd_statuslists_new(struct certd_store *st,
	    const struct certd_sl_opts *o, struct certd_statuslists **out)
	    SK_WUR;
/* Unregister the hook and free.  NULL is ok. */
void	certd_statuslists_free(struct certd_statuslists *sl);

/*
 * Give a new licence of issuer uscc its place: one write transaction
 * that opens a list if the issuer has none or its list is full.  A slot
 * whose licence then fails to be stored stays unused (VALID for ever).
 * @param uri  receives the list URI (the credential's status uri).
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT (CERTD_SL_LISTS_MAX lists),
 *         CERTD_ERR_*.
 */
int	certd_statuslists_assign(struct certd_statuslists *sl,
	    const char *uscc, uint64_t *slot, uint64_t *idx,
	    char uri[SK_STATUSLIST_MAX_URI + 1]) SK_WUR;

/* The list and index of a slot; SK_ERR_ARG if it is none. */
int	certd_sl_split(uint64_t slot, uint32_t *list, uint32_t *idx) SK_WUR;

/*
 * The entry of slot as stored now (a read transaction).
 * @return 0, SK_ERR_NOTFOUND (no such list), SK_ERR_ARG, CERTD_ERR_*.
 */
int	certd_statuslists_get(struct certd_statuslists *sl, uint64_t slot,
	    unsigned *status) SK_WUR;

/*
 * The signed token of list n at time now, made or re-made as the header
 * comment says.  Copies it into tok; etag and the token's iat and ttl
 * are filled.  Thread-safe.
 * @return 0, SK_ERR_NOTFOUND (no list n), the signer's errors,
 *         SK_ERR_NOMEM, CERTD_ERR_*.
 */
int	certd_statuslists_token(struct certd_statuslists *sl, uint32_t n,
	    int64_t now, struct sk_buf *tok, char etag[CERTD_SL_ETAG_LEN],
	    int64_t *iat, uint64_t *ttl) SK_WUR;

/* Tokens made so far (for tests and /metrics). */
uint64_t certd_statuslists_signings(const struct certd_statuslists *sl);

/*
 * The keyed permutation of 0..CERTD_SL_ENTRIES-1 (exposed for tests).
 * @return perm_key(i), or CERTD_SL_ENTRIES if i is out of range.
 */
uint32_t certd_sl_permute(const uint8_t key[CERTD_SL_KEY_LEN], uint32_t i);

#endif /* CERTD_STATUSLISTS_H */
