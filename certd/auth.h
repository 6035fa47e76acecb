/*
 * auth.h: client tokens and scopes.
 *
 * A token is "ck_" followed by base64url (no padding) of 32 random bytes:
 * 46 characters.  It is shown once, when the client is added; the store
 * keeps only its SHA-256.  A request's token is hashed and the client is
 * found by that hash (an exact-match lookup of a 256-bit value: nothing
 * about a secret leaks through timing).
 */
#ifndef CERTD_AUTH_H
#define CERTD_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"

#include "store.h"

#define CERTD_TOKEN_PREFIX	"ck_"
#define CERTD_TOKEN_RAW		32u
#define CERTD_TOKEN_LEN		46u	/* 3 + 43 */
#define CERTD_HASH_LEN		32u
/* Longest Authorization header value read. */
#define CERTD_AUTHZ_MAX		128u

/* Scopes (docs/CERTD.md "Clients and scopes"). */
#define CERTD_SCOPE_ISSUE	0x01u	/* licences:issue */
#define CERTD_SCOPE_READ	0x02u	/* licences:read */
#define CERTD_SCOPE_STATUS	0x04u	/* licences:status */
#define CERTD_SCOPE_HOLDERS	0x08u	/* holders:read */
#define CERTD_SCOPE_QR		0x10u	/* licences:qr */
#define CERTD_SCOPE_ALL		0x1fu
/* Seal scopes (docs/CERTD-SEALS.md); not part of CERTD_SCOPE_ALL. */
#define CERTD_SCOPE_SEALS_ISSUE	0x1000u	/* seals:issue */
#define CERTD_SCOPE_SEALS_READ	0x2000u	/* seals:read */
#define CERTD_SCOPE_SEALS_STATUS 0x4000u	/* seals:status */
#define CERTD_SCOPE_SEALS_SIGN	0x8000u	/* seals:sign (and a seal signer) */
/* Longest scope list text certd_scopes_format() writes. */
#define CERTD_SCOPES_TEXT_MAX	256u

/* The scope bit for a name, or 0. */
unsigned certd_scope_parse(const char *name);
/* The name of one scope bit, or NULL. */
const char *certd_scope_name(unsigned bit);
/* Space-separated names of the bits in scopes, into out. */
void	certd_scopes_format(unsigned scopes, char out[CERTD_SCOPES_TEXT_MAX]);

/*
 * A new token and its hash.  tok is wiped by the caller once shown.
 * @return 0, SK_ERR_CRYPTO (no randomness).
 */
int	certd_token_new(char tok[CERTD_TOKEN_LEN + 1],
	    uint8_t hash[CERTD_HASH_LEN]) SK_WUR;
/*
 * Hash a presented token after checking its shape (prefix, length,
 * alphabet).  @return 0, SK_ERR_FORMAT, SK_ERR_CRYPTO.
 */
int	certd_token_hash(const char *tok, size_t len,
	    uint8_t hash[CERTD_HASH_LEN]) SK_WUR;

/* Results of certd_auth_check(). */
#define CERTD_AUTH_OK		0
#define CERTD_AUTH_MISSING	1	/* no or malformed Authorization */
#define CERTD_AUTH_INVALID	2	/* unknown or revoked token */
#define CERTD_AUTH_SCOPE	3	/* valid client without the scope */
#define CERTD_AUTH_ERROR	4	/* store failure */

/*
 * Authenticate "Bearer <token>" (authz may be NULL) and check that the
 * client holds every bit of need.  client is filled for OK and SCOPE.
 */
int	certd_auth_check(struct certd_store *st, const char *authz,
	    unsigned need, struct certd_client *client);

#endif /* CERTD_AUTH_H */
