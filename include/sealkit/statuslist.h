/*
 * sealkit/statuslist.h: IETF OAuth Token Status List (TSL) in CWT form,
 * draft-ietf-oauth-status-list (docs/STATUSLIST.md, api/statuslist.cddl).
 *
 * A status list is a byte array of entries of `bits` bits (1, 2, 4 or 8);
 * entry i lives in byte i * bits / 8 at bit offset (i * bits) % 8, counted
 * from the LEAST significant bit (the draft's section 4.1; the W3C
 * Bitstring Status List counts from the most significant bit instead).
 * The array is zlib (RFC 1950) compressed into the StatusList map
 * {"bits": uint, "lst": bstr, ? "aggregation_uri": tstr}, which is claim
 * 65533 of a Status List Token: an untagged COSE_Sign1 whose protected
 * header carries typ (16) = "application/statuslist+cwt".
 *
 * Licences use 2 bits per entry: SK_STATUS_VALID, SK_STATUS_INVALID
 * (revoked), SK_STATUS_SUSPENDED (sealkit/verify.h).  A list must hold at
 * least SK_STATUSLIST_MIN_ENTRIES entries (herd privacy) to be signed or
 * accepted; the number of entries of a received list is what its inflated
 * length gives (length * 8 / bits).
 *
 * Verification fails closed: a token whose typ, signature, claims or list
 * are wrong is rejected as a whole, and a list that is past exp, older
 * than iat + ttl, or not yet issued at the time of use is stale
 * (SK_ERR_EXPIRED), which a verifier reports as "status list invalid".
 */
#ifndef SEALKIT_STATUSLIST_H
#define SEALKIT_STATUSLIST_H

#include "sealkit/common.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/trust.h"
#include "sealkit/verify.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bits per entry of the lists sealkit makes (PRODUCT.md, Formats 5). */
#define SK_STATUSLIST_BITS		2u
/* Fewest entries a list may have to be signed or accepted. */
#define SK_STATUSLIST_MIN_ENTRIES	131072u
/* Most entries of any list (4 MiB at 2 bits, 16 MiB at 8). */
#define SK_STATUSLIST_MAX_ENTRIES	(1u << 24)
/*
 * Longest Status List Token read or written: the COSE profile's cap.  At
 * 2 bits this holds every list of up to 2^18 entries whatever its
 * contents, and far longer ones at realistic revocation rates; a token
 * that would not fit is refused by sk_statuslist_token_sign() with
 * SK_ERR_LIMIT (start a new list).
 */
#define SK_STATUSLIST_MAX_TOKEN		SK_COSE_MAX_BYTES
/* Bytes of the list URI (sub) and of aggregation_uri. */
#define SK_STATUSLIST_MAX_URI		512u
/* Longest working file (sk_statuslist_save): the raw array and a header. */
#define SK_STATUSLIST_MAX_FILE	(SK_STATUSLIST_MAX_ENTRIES + 1024u)
/* Latest NumericDate accepted: 9999-12-31T23:59:59Z. */
#define SK_STATUSLIST_MAX_TIME		INT64_C(253402300799)
/* Most lists one sk_status_cache holds. */
#define SK_STATUS_CACHE_MAX_LISTS	64u

/* COSE header and CWT claim labels (draft section 5.2). */
#define SK_COSE_HDR_TYP_LABEL		16
#define SK_STATUSLIST_TYP		"application/statuslist+cwt"
#define SK_CWT_STATUS_LIST		65533
#define SK_CWT_TTL			65534

/* Flags for decode and verify. */
/* Accept lists shorter than SK_STATUSLIST_MIN_ENTRIES (inspection and
 * the draft's test vectors only; a verifier never sets it). */
#define SK_STATUSLIST_ALLOW_SHORT	0x01u
/* Do not check the token's times against at (sk_statuslist_fresh later). */
#define SK_STATUSLIST_NO_TIME		0x02u

struct sk_statuslist;

/*
 * A new list with every entry SK_STATUS_VALID (0).  entries is rounded up
 * to fill the last byte.  uri, if not NULL, is copied (printable ASCII,
 * 1..SK_STATUSLIST_MAX_URI bytes).
 * @param out  set to the new list (free with sk_statuslist_free) or NULL.
 * @return 0, SK_ERR_ARG (bits not 1, 2, 4 or 8; entries 0; a bad uri),
 *         SK_ERR_LIMIT (entries > SK_STATUSLIST_MAX_ENTRIES), SK_ERR_NOMEM.
 */
SK_API int sk_statuslist_new(unsigned bits, uint64_t entries,
    const char *uri, struct sk_statuslist **out) SK_WUR;

/* Free a list.  NULL is ok. */
SK_API void sk_statuslist_free(struct sk_statuslist *l);

SK_API unsigned sk_statuslist_bits(const struct sk_statuslist *l);
SK_API uint64_t sk_statuslist_entries(const struct sk_statuslist *l);
/* The list's URI (sub), borrowed until sk_statuslist_free; may be NULL. */
SK_API const char *sk_statuslist_uri(const struct sk_statuslist *l);
/* The raw (inflated) byte array, borrowed until sk_statuslist_free. */
SK_API void sk_statuslist_raw(const struct sk_statuslist *l,
    const uint8_t **p, size_t *len);

/*
 * Entry idx, O(1).
 * @return 0, SK_ERR_LIMIT (idx >= entries), SK_ERR_ARG.
 */
SK_API int sk_statuslist_get(const struct sk_statuslist *l, uint64_t idx,
    unsigned *status) SK_WUR;
/*
 * Set entry idx to status, O(1).
 * @return 0, SK_ERR_LIMIT (idx >= entries), SK_ERR_ARG (status does not
 *         fit in bits).
 */
SK_API int sk_statuslist_set(struct sk_statuslist *l, uint64_t idx,
    unsigned status) SK_WUR;

/*
 * Append the StatusList CBOR map {"lst": zlib level 9, "bits": n}
 * (deterministic order) to out.
 * @return 0, SK_ERR_LIMIT, SK_ERR_NOMEM, SK_ERR_INTERNAL.
 */
SK_API int sk_statuslist_encode_cbor(const struct sk_statuslist *l,
    struct sk_buf *out) SK_WUR;
/*
 * Decode a StatusList CBOR map (any key order; unknown text keys are
 * ignored, as the draft allows).  The result has no uri.
 * @param flags  SK_STATUSLIST_ALLOW_SHORT or 0.
 * @return 0, the CBOR errors, SK_ERR_TYPE, SK_ERR_MISSING, SK_ERR_FORMAT
 *         (bits not 1/2/4/8, empty or corrupt lst), SK_ERR_LIMIT (more than
 *         SK_STATUSLIST_MAX_ENTRIES or, without ALLOW_SHORT, fewer than
 *         SK_STATUSLIST_MIN_ENTRIES), SK_ERR_TRUNCATED, SK_ERR_TRAILING,
 *         SK_ERR_NOMEM.
 */
SK_API int sk_statuslist_decode_cbor(const uint8_t *in, size_t len,
    unsigned flags, struct sk_statuslist **out) SK_WUR;

/*
 * The unsigned working file of "sealkit status new/set/sign": the
 * deterministic CBOR map {"raw": bstr, "uri": tstr, "bits": uint}, raw
 * being the uncompressed array (docs/STATUSLIST.md section 5).  save
 * needs a list with a uri.
 * @return save: 0, SK_ERR_ARG, SK_ERR_LIMIT, SK_ERR_NOMEM;
 *         load: 0, the CBOR errors, SK_ERR_TYPE, SK_ERR_MISSING,
 *         SK_ERR_FORMAT, SK_ERR_LIMIT, SK_ERR_NOMEM.
 */
SK_API int sk_statuslist_save(const struct sk_statuslist *l,
    struct sk_buf *out) SK_WUR;
SK_API int sk_statuslist_load(const uint8_t *in, size_t len,
    struct sk_statuslist **out) SK_WUR;

/* The claims of a Status List Token besides the list. */
struct sk_statuslist_meta {
	char	 uri[SK_STATUSLIST_MAX_URI + 1]; /* sub (2) */
	int64_t	 iat;		/* 6, required */
	int64_t	 exp;		/* 4, valid if has_exp */
	int64_t	 nbf;		/* 5, valid if has_nbf; read only */
	uint64_t ttl;		/* 65534, seconds; valid if has_ttl */
	int	 has_exp;
	int	 has_nbf;
	int	 has_ttl;
	int	 alg;		/* protected alg (enum sk_alg) */
	uint8_t	 kid[SK_COSE_MAX_KID]; /* kidlen bytes; 0: none */
	size_t	 kidlen;
};

/*
 * Sign l (which must have a uri, the token's sub) as a Status List Token:
 * an untagged COSE_Sign1, protected {1: alg, 4: kid, 16: typ}, claims
 * {2: uri, 4: exp, 6: iat, 65533: StatusList, 65534: ttl} in
 * deterministic CBOR.  Only meta's iat, exp/has_exp and ttl/has_ttl are
 * read; at least one of exp and ttl is required, and iat < exp, ttl > 0.
 * Appends the token to out.
 * @return 0, SK_ERR_ARG, SK_ERR_LIMIT (fewer than
 *         SK_STATUSLIST_MIN_ENTRIES entries, token over
 *         SK_STATUSLIST_MAX_TOKEN, out's max), SK_ERR_NOMEM, or the
 *         signer's error.
 */
SK_API int sk_statuslist_token_sign(const struct sk_statuslist *l,
    struct sk_signer *signer, const struct sk_statuslist_meta *meta,
    struct sk_buf *out) SK_WUR;

/*
 * Decode a Status List Token WITHOUT checking its signature or its
 * times: for display only ("NOT VERIFIED").  Tag 18 is accepted as well
 * as the untagged form the draft requires.  Unknown claims are ignored.
 * @param list  set to the list (its uri is sub; free with
 *              sk_statuslist_free) or NULL.
 * @param meta  filled on success; may be NULL.
 * @return 0, SK_ERR_LIMIT, the CBOR and COSE errors, SK_ERR_MISSING (no
 *         typ, sub, iat or list), SK_ERR_TYPE (wrong typ or claim type),
 *         SK_ERR_FORMAT, SK_ERR_NOMEM.
 */
SK_API int sk_statuslist_token_decode(const uint8_t *in, size_t len,
    unsigned flags, struct sk_statuslist **list,
    struct sk_statuslist_meta *meta) SK_WUR;

/*
 * Verify a Status List Token: typ, the signature with key (the issuer's),
 * then the claims and the list, and, unless SK_STATUSLIST_NO_TIME, that
 * it is fresh at at (sk_statuslist_fresh).  A token with neither exp nor
 * ttl never goes stale and is refused (SK_ERR_MISSING).
 * @return as sk_statuslist_token_decode, and SK_ERR_SIGNATURE, SK_ERR_KEY,
 *         SK_ERR_UNSUPPORTED, SK_ERR_EXPIRED (stale).  Outputs are set
 *         only on success.
 */
SK_API int sk_statuslist_token_verify(const uint8_t *in, size_t len,
    const struct sk_key *key, int64_t at, unsigned flags,
    struct sk_statuslist **list, struct sk_statuslist_meta *meta) SK_WUR;

/*
 * Whether a token's claims make it usable at time at: iat <= at, nbf <=
 * at (if nbf), at < exp (if exp), at <= iat + ttl (if ttl).
 * @return 0, SK_ERR_EXPIRED, SK_ERR_MISSING (neither exp nor ttl).
 */
SK_API int sk_statuslist_fresh(const struct sk_statuslist_meta *meta,
    int64_t at) SK_WUR;

/*
 * A set of verified lists keyed by their URI (sub), behind the
 * sk_status_source interface of sealkit/verify.h.
 */
struct sk_status_cache;

SK_API int sk_status_cache_new(struct sk_status_cache **out) SK_WUR;
/* Free the cache and its lists.  NULL is ok. */
SK_API void sk_status_cache_free(struct sk_status_cache *c);

/*
 * Verify a token with key (times are checked at lookup, against the
 * verification time) and add its list.  A newer list (greater iat) for
 * the same URI replaces an older one; an older one is dropped (0).  A
 * token that fails but whose sub can be read is remembered as failed, so
 * that lookups for its URI report status_list_invalid rather than "no
 * list", unless a good list for that URI is or gets added.
 * @return 0, any sk_statuslist_token_verify error, SK_ERR_LIMIT (more
 *         than SK_STATUS_CACHE_MAX_LISTS), SK_ERR_NOMEM, SK_ERR_ARG.
 */
SK_API int sk_status_cache_add(struct sk_status_cache *c,
    const uint8_t *in, size_t len, const struct sk_key *key) SK_WUR;

/*
 * As sk_status_cache_add, the key being that of an issuer certificate of
 * t whose kid is the token's kid (each candidate is tried) and whose chain
 * is valid at the token's iat (sk_trust_check_at).
 * @return as sk_status_cache_add, and SK_ERR_NOTFOUND (no such kid),
 *         SK_ERR_CERT.
 */
SK_API int sk_status_cache_add_trust(struct sk_status_cache *c,
    const uint8_t *in, size_t len, const struct sk_trust *t) SK_WUR;

/* Number of lists (good or failed) held. */
SK_API size_t sk_status_cache_count(const struct sk_status_cache *c);

/*
 * Fill src so that src->lookup answers from c (borrowed: keep c alive
 * while src is used).  lookup(ctx, uri, idx, at, &status) gives 0 and the
 * entry; SK_ERR_EXPIRED (stale at at), SK_ERR_SIGNATURE or SK_ERR_FORMAT
 * (the list for uri failed to verify); SK_ERR_NOTFOUND (no list for
 * uri), SK_ERR_LIMIT (idx out of range), SK_ERR_ARG.
 */
SK_API void sk_status_cache_source(struct sk_status_cache *c,
    struct sk_status_source *src);

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_STATUSLIST_H */
