/*
 * sealkit/trust.h: trust anchors, the signed trust list of issuer
 * certificates, and X.509 chain validation at a given time.
 *
 * Model (docs/TRUST.md, api/trustlist.cddl):
 *  - A verifier holds trust anchors: a PEM bundle of CA certificates
 *    (keys-example/trust-anchors.pem), distributed out of band.
 *  - The issuing authorities' certificates travel in a trust list: a
 *    COSE_Sign1 (tag 18) signed by an anchor key, kid = the anchor
 *    certificate's kid, whose payload is the deterministic CBOR map
 *    {1: 1, 2: iat, 3: next_update, 4: [+ bstr certificate DER]}.
 *  - A listed certificate must be issued directly by an anchor, be an
 *    end-entity (CA:FALSE), have keyUsage digitalSignature, and carry the
 *    authority's USCC (GB 32100) in the subject serialNumber attribute.
 *  - Certificates are indexed by kid (SHA-256 of the DER, first 8 bytes);
 *    several may share a kid and each must be tried (the EU DCC rule).
 *  - Validity periods are checked at the time a credential was issued
 *    (its iat), not at verification time: sk_trust_check_at().
 *
 * SM2: every SM2-with-SM3 certificate signature is checked with the
 * distinguishing ID SK_SM2_ID (STANDARDS.md section 0 fact 8).
 */
#ifndef SEALKIT_TRUST_H
#define SEALKIT_TRUST_H

#include "sealkit/common.h"
#include "sealkit/key.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Issuer certificates in one trust list. */
#define SK_TRUST_MAX_CERTS	1024u
/* Anchors in one bundle. */
#define SK_TRUST_MAX_ANCHORS	64u
/* Bytes of an anchor PEM bundle. */
#define SK_TRUST_MAX_PEM	(1024u * 1024u)
/* Bytes of a signed trust list (about 1 KiB per certificate). */
#define SK_TRUST_MAX_BYTES	(2u * 1024u * 1024u)
/* Bytes of one listed certificate (DER). */
#define SK_TRUST_MAX_CERT	(16u * 1024u)
/* The payload's version field. */
#define SK_TRUST_VERSION	1u
/* Characters of a USCC in a subject serialNumber. */
#define SK_TRUST_USCC_LEN	18u
/* Bytes of the subject text sk_cert_subject_text() writes, NUL included. */
#define SK_TRUST_MAX_SUBJECT	1024u

/* Trust list payload keys (api/trustlist.cddl). */
#define SK_TRUST_KEY_VERSION	1
#define SK_TRUST_KEY_IAT	2
#define SK_TRUST_KEY_NEXT	3
#define SK_TRUST_KEY_CERTS	4

struct sk_trust;

/*
 * A trust store holding the anchors of a PEM bundle (one or more
 * "CERTIFICATE" blocks, nothing else but text between them) and no
 * issuers yet.
 * @param out  set to the new store (free with sk_trust_free) or NULL.
 * @return 0, SK_ERR_FORMAT (no certificate, or a block that does not
 *         parse), SK_ERR_LIMIT (len > SK_TRUST_MAX_PEM or more than
 *         SK_TRUST_MAX_ANCHORS), SK_ERR_CERT (an anchor that is not a CA:
 *         basicConstraints CA:TRUE and, if keyUsage is present,
 *         keyCertSign), SK_ERR_NOMEM, SK_ERR_ARG.
 */
SK_API int sk_trust_new(const uint8_t *pem, size_t len,
    struct sk_trust **out) SK_WUR;
/* As sk_trust_new, reading the bundle from a file. */
SK_API int sk_trust_new_file(const char *path, struct sk_trust **out) SK_WUR;
/* Free a store and every certificate in it.  NULL is ok. */
SK_API void sk_trust_free(struct sk_trust *t);

/*
 * Load a signed trust list into t, replacing any issuers it held.  The
 * list's signature must verify with an anchor whose kid is the list's
 * protected kid (every anchor with that kid is tried), the anchor must be
 * valid at now, the payload must be deterministic CBOR of the documented
 * shape with iat <= now < next_update, and every listed certificate must
 * pass the issuer checks above (chain checked without validity times;
 * those are checked per credential).  Any failure rejects the whole list
 * and leaves t without issuers.
 * @param now  seconds since the epoch (the verifier's clock).
 * @return 0, SK_ERR_LIMIT, SK_ERR_FORMAT and the other CBOR errors,
 *         SK_ERR_TYPE, SK_ERR_MISSING, SK_ERR_UNSUPPORTED (version or alg),
 *         SK_ERR_NOTFOUND (no anchor with the kid), SK_ERR_SIGNATURE,
 *         SK_ERR_EXPIRED (stale: now >= next_update, or iat in the
 *         future, or the anchor not valid at now), SK_ERR_CERT (a listed
 *         certificate fails the issuer checks), SK_ERR_DUPLICATE (the same
 *         certificate twice), SK_ERR_NOMEM, SK_ERR_ARG.
 */
SK_API int sk_trust_load_list(struct sk_trust *t, const uint8_t *in,
    size_t len, int64_t now) SK_WUR;

/*
 * Add one issuer certificate to t WITHOUT a signed list, after the same
 * issuer checks a listed certificate passes.  For tests and for tools
 * that are handed an issuer certificate explicitly; a verifier in the
 * field should use sk_trust_load_list().  cert is copied; the caller
 * keeps it.
 * @return 0, SK_ERR_CERT, SK_ERR_DUPLICATE, SK_ERR_LIMIT, SK_ERR_NOMEM,
 *         SK_ERR_ARG.
 */
SK_API int sk_trust_add_issuer_unsigned(struct sk_trust *t,
    const struct sk_cert *cert) SK_WUR;

/* Issuer certificates held. */
SK_API size_t sk_trust_count(const struct sk_trust *t);
/*
 * iat and next_update of the loaded list; both 0 when the issuers did not
 * come from a list.
 */
SK_API void sk_trust_list_times(const struct sk_trust *t, int64_t *iat,
    int64_t *next_update);

/*
 * The idx-th (from 0) issuer certificate whose kid is kid.  Call with
 * idx = 0, 1, ... until SK_ERR_NOTFOUND to try every candidate.
 * @param cert  set to a certificate borrowed from t (valid until
 *              sk_trust_free or the next sk_trust_load_list), or NULL.
 * @return 0, SK_ERR_NOTFOUND, SK_ERR_ARG.
 */
SK_API int sk_trust_lookup(const struct sk_trust *t, const uint8_t *kid,
    size_t kidlen, size_t idx, const struct sk_cert **cert) SK_WUR;

/*
 * Validate cert's chain to an anchor of t at time at (seconds since the
 * epoch): signatures, X.509 strict checks, and that at lies within the
 * validity of the certificate and of the anchor.
 * @return 0, SK_ERR_EXPIRED (at outside a validity period), SK_ERR_CERT
 *         (any other chain failure), SK_ERR_NOMEM, SK_ERR_ARG.
 */
SK_API int sk_trust_check_at(const struct sk_trust *t,
    const struct sk_cert *cert, int64_t at) SK_WUR;

/*
 * Build a signed trust list of n certificates, for a signer whose kid is
 * an anchor certificate's kid (sk_signer_from_key with the anchor cert).
 * Appends the COSE_Sign1 to out.  Nothing here checks the certificates;
 * sk_trust_load_list() does, so a publisher should load what it built.
 * @return 0, SK_ERR_ARG (n == 0, NULL, signer without kid, iat >=
 *         next_update), SK_ERR_LIMIT (n > SK_TRUST_MAX_CERTS, a
 *         certificate over SK_TRUST_MAX_CERT, out's max), SK_ERR_NOMEM,
 *         or the signer's error.
 */
SK_API int sk_trustlist_build(struct sk_signer *signer,
    const struct sk_cert *const *certs, size_t n, int64_t iat,
    int64_t next_update, struct sk_buf *out) SK_WUR;

/*
 * The USCC in the certificate subject's serialNumber attribute
 * (OID 2.5.4.5), checked with sk_uscc_check().  uscc receives the 18
 * characters and a NUL; it is "" on failure.
 * @return 0, SK_ERR_MISSING (no serialNumber), SK_ERR_FORMAT (more than
 *         one, or not a valid USCC), SK_ERR_CHECKSUM, SK_ERR_ARG.
 */
SK_API int sk_cert_subject_uscc(const struct sk_cert *cert,
    char uscc[SK_TRUST_USCC_LEN + 1]) SK_WUR;

/*
 * Append the subject as RFC 2253 text in UTF-8 (e.g.
 * "serialNumber=11990100000000019F,CN=...,O=...,C=CN"), NUL-terminated,
 * to out; at most SK_TRUST_MAX_SUBJECT bytes, longer names are cut.
 * @return 0, SK_ERR_LIMIT (out's max), SK_ERR_NOMEM, SK_ERR_ARG.
 */
SK_API int sk_cert_subject_text(const struct sk_cert *cert,
    struct sk_buf *out) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_TRUST_H */
