/*
 * seals.h: certd's electronic seal registry (GB/T 38540), server-side
 * sealing and its RFC 3161 time-stamping authority (docs/CERTD-SEALS.md).
 *
 * Keys follow the issuers' pattern: `certd init` checks each certificate
 * and key pair and records the certificate with the absolute path of the
 * key file (meta "seal_keys" and "tsa_key"); certd_seals_load() reads the
 * keys before serving.  Private keys never enter the store.
 *
 * Seal records live in the "seals" database, keyed by esID:
 * [1, state, SESeal DER, owner USCC, created, updated, [signer names]].
 * Registry changes and signatures write events under "seal/" + esID.
 */
#ifndef CERTD_SEALS_H
#define CERTD_SEALS_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"
#include "sealkit/key.h"
#include "sealkit/seal.h"
#include "sealkit/tsa.h"

#include "store.h"

/* esID in certd: 1..CERTD_SEAL_ID_MAX of [0-9A-Za-z._-]. */
#define CERTD_SEAL_ID_MAX	64u
/* Owner keys certd may hold. */
#define CERTD_SEAL_OWNERS_MAX	16u
/* Clients allowed to sign with one seal. */
#define CERTD_SEAL_SIGNERS_MAX	16u
/* Picture bytes accepted by POST /v1/seals (below SK_SEAL_MAX_PICTURE). */
#define CERTD_SEAL_PICTURE_MAX	(128u * 1024u)
/* Largest stored seal record. */
#define CERTD_SEAL_RECORD_MAX	(SK_SEAL_MAX_BYTES + 8192u)
/* propertyInfo accepted for server-side sealing. */
#define CERTD_SEAL_PROPERTY_MAX	256u
/* TSA serial counters reserved by one durable write. */
#define CERTD_TSA_SERIAL_BLOCK	1000u
/* Event id prefix of seal events. */
#define CERTD_SEAL_EVENT_PREFIX	"seal/"

/* certd_seals_sign: the client is not one of the seal's signers. */
#define CERTD_ERR_NOT_SIGNER	(-120)

/* Seal states (the Token Status List values). */
#define CERTD_SEAL_VALID	0u
#define CERTD_SEAL_REVOKED	1u

/* A seal record; der is owned (certd_seal_rec_clear). */
struct certd_seal_rec {
	char		 id[CERTD_SEAL_ID_MAX + 1];
	char		 owner[CERTD_USCC_MAX + 1];
	unsigned	 state;
	int64_t		 created;
	int64_t		 updated;
	char		 signers[CERTD_SEAL_SIGNERS_MAX][CERTD_NAME_MAX + 1];
	size_t		 nsigners;
	uint8_t		*der;		/* SESeal */
	size_t		 derlen;
};

void	certd_seal_rec_clear(struct certd_seal_rec *r);

/* 1 if s is an acceptable esID (see CERTD_SEAL_ID_MAX). */
int	certd_seal_id_ok(const char *s);

/*
 * `certd init`: the seal maker, owner and TSA key pairs ("CERT=KEY" or
 * "CERT:KEY", split at the first '=' else ':').  Arguments are borrowed.
 */
struct certd_seal_init {
	const char	*maker;
	const char	*owners[CERTD_SEAL_OWNERS_MAX];
	size_t		 nowners;
	const char	*tsa;
	struct sk_buf	 keys;		/* prepared meta "seal_keys" */
	struct sk_buf	 tsakey;	/* prepared meta "tsa_key" */
};

#define CERTD_SEAL_INIT_MAKER	1
#define CERTD_SEAL_INIT_OWNER	2
#define CERTD_SEAL_INIT_TSA	3

/* Record one option; -1 if there are too many owners. */
int	certd_seal_init_opt(struct certd_seal_init *in, int which,
	    const char *arg);
/*
 * Load and check every pair (maker: SM2 key of its certificate; owner:
 * SM2 and a USCC in the subject; TSA: as sk_tsa_new accepts) and prepare
 * the records.  password may be NULL.
 * @return 0 or an SK_ERR_*; err says what failed.
 */
int	certd_seal_init_prepare(struct certd_seal_init *in,
	    const char *password, char *err, size_t errlen) SK_WUR;
/* Write the prepared records (nothing if no option was given). */
int	certd_seal_init_write(struct certd_seal_init *in,
	    struct certd_store *st) SK_WUR;
void	certd_seal_init_free(struct certd_seal_init *in);

struct certd_seals;

/*
 * Load the keys recorded at init.  A store without any gives an empty set
 * (every seal route then answers 503).
 * @param out  set to the set (certd_seals_free) or NULL.
 * @return 0 or an SK_ERR_*; err names the key and the problem.
 */
int	certd_seals_load(struct certd_store *st, struct certd_seals **out,
	    char *err, size_t errlen) SK_WUR;
void	certd_seals_free(struct certd_seals *s);
int	certd_seals_have_maker(const struct certd_seals *s);
int	certd_seals_have_tsa(const struct certd_seals *s);
/* The TSA certificate (borrowed), or NULL. */
const struct sk_cert *certd_seals_tsa_cert(const struct certd_seals *s);

/* A seal to make; all borrowed. */
struct certd_seal_new {
	const char	*esid;		/* "" = generated */
	const char	*owner;		/* USCC */
	int64_t		 type;
	const char	*name;
	const uint8_t	*png;
	size_t		 pnglen;
	int64_t		 width_mm;
	int64_t		 height_mm;
	const struct sk_cert *const *certs;
	size_t		 ncerts;
	int64_t		 valid_from;
	int64_t		 valid_to;
	const char *const *signers;
	size_t		 nsigners;
};

/*
 * Make the SESeal with the maker key and store it with an "issue" event.
 * rec receives the record.
 * @return 0, SK_ERR_NOTFOUND (no maker key), SK_ERR_ARG (owner certs do
 *         not carry the owner USCC), SK_ERR_DUPLICATE (esID exists), the
 *         sk_seal_make errors, CERTD_ERR_*.
 */
int	certd_seals_make(struct certd_seals *s, struct certd_store *st,
	    const struct certd_seal_new *n, const struct certd_actor *who,
	    struct certd_seal_rec *rec) SK_WUR;
/* The record of seal id; SK_ERR_NOTFOUND. */
int	certd_seal_get(struct certd_store *st, const char *id,
	    struct certd_seal_rec *rec) SK_WUR;
/* Revoke (final; again gives 0 with *changed 0). SK_ERR_NOTFOUND. */
int	certd_seal_revoke(struct certd_store *st, const char *id,
	    const char *reason, const struct certd_actor *who, int *changed)
	    SK_WUR;

/*
 * Seal the SM3 hash of a document with seal id for client who->client,
 * which must be one of the seal's signers.  Appends the SES_Signature
 * DER to out after a "sign" event is durable.
 * @return 0, SK_ERR_NOTFOUND (no seal), CERTD_ERR_NOT_SIGNER,
 *         CERTD_ERR_CONFLICT (revoked), SK_ERR_EXPIRED (outside its
 *         validity), SK_ERR_KEY (certd holds no key of the seal's
 *         certList), SK_ERR_*.
 */
int	certd_seals_sign(struct certd_seals *s, struct certd_store *st,
	    const char *id, const uint8_t hash[SK_SM3_LEN],
	    const char *property, const struct certd_actor *who,
	    struct sk_buf *out) SK_WUR;

/*
 * Answer a TimeStampReq (sk_tsa_respond) with the serial counter kept in
 * the store (meta "tsa_serial"), reserved CERTD_TSA_SERIAL_BLOCK at a
 * time.  Thread-safe.
 * @return as sk_tsa_respond; SK_ERR_NOTFOUND if no TSA is configured.
 */
int	certd_seals_tsa(struct certd_seals *s, struct certd_store *st,
	    const uint8_t *query, size_t len, struct sk_buf *reply,
	    struct sk_tsa_outcome *outcome) SK_WUR;

#endif /* CERTD_SEALS_H */
