/*
 * signer.h: the issuers' signing keys, behind the narrowest door we can
 * give the HTTP layer: "sign this licence".  The module builds and checks
 * what it signs (the CWT claims of a licence that passed
 * sk_licence_check) and signs only through struct sk_signer, so that it
 * can become the signer process of privilege separation unchanged.
 *
 * Private keys never enter the store: the store records each issuer's
 * certificate and the path of its key file; certd_signers_load() reads the
 * keys (paths from the config take precedence) before serving.
 */
#ifndef CERTD_SIGNER_H
#define CERTD_SIGNER_H

#include <stddef.h>

#include "sealkit/common.h"
#include "sealkit/licence.h"
#include "sealkit/statuslist.h"
#include "sealkit/trust.h"

#include "config.h"
#include "store.h"

/* Longest password file. */
#define CERTD_PASSWORD_MAX	1024u

struct certd_signers;

/*
 * For `certd init`: load the certificate and key, check that the key is
 * the certificate's, that the subject carries a USCC and, if trust is not
 * NULL, that the certificate is in its trust list; fill rec (rec->cert is
 * owned by rec: free()).  password may be NULL.
 * @return 0 or an SK_ERR_*; err says what failed.
 */
int	certd_issuer_prepare(const char *certpath, const char *keypath,
	    const char *password, const struct sk_trust *trust,
	    struct certd_issuer_rec *rec, char *err, size_t errlen) SK_WUR;

/*
 * Load a signer for every issuer recorded in st, using the key path of a
 * config entry with the same USCC if there is one.
 * @param out  set to the set (certd_signers_free) or NULL.
 * @return 0 or an SK_ERR_*; err names the issuer and the problem.
 */
int	certd_signers_load(struct certd_store *st,
	    const struct certd_config *cfg, struct certd_signers **out,
	    char *err, size_t errlen) SK_WUR;

/* Issuers with a loaded key. */
size_t	certd_signers_count(const struct certd_signers *s);

/*
 * Check lic, encode its claims and sign them with the key of the issuer
 * whose USCC is lic->issuer_code; append the COSE_Sign1 to out.
 * Thread-safe.
 * @return 0, SK_ERR_NOTFOUND (no key for that issuer), the
 *         sk_licence_check errors, SK_ERR_LIMIT, SK_ERR_NOMEM, or the
 *         signer's error.
 */
int	certd_signers_sign_licence(struct certd_signers *s,
	    const struct sk_licence *lic, struct sk_buf *out) SK_WUR;

/* 1 if an issuer with USCC uscc has a loaded key. */
int	certd_signers_has(const struct certd_signers *s, const char *uscc);

/*
 * Sign a Status List Token of list l for the issuer whose USCC is uscc
 * (sk_statuslist_token_sign with meta); append it to out.  Thread-safe.
 * Its shape fits certd_sl_sign_fn (statuslists.h) with s as ctx.
 * @return 0, SK_ERR_NOTFOUND (no key for that issuer), or the
 *         sk_statuslist_token_sign errors.
 */
int	certd_signers_sign_statuslist(void *s, const char *uscc,
	    const struct sk_statuslist *l,
	    const struct sk_statuslist_meta *meta, struct sk_buf *out) SK_WUR;

/* Free every signer (keys wiped).  NULL is ok. */
void	certd_signers_free(struct certd_signers *s);

#endif /* CERTD_SIGNER_H */
