/*
 * api.h: the route handlers (api_licences.c, api_public.c) and the
 * helpers they share (api_util.c).  Handlers reach the store and the
 * signer only through store.h and signer.h.
 */
#ifndef CERTD_API_H
#define CERTD_API_H

#include <jansson.h>

#include "http.h"

/* Page size of list routes when no limit is given. */
#define CERTD_PAGE_DEFAULT	20u

void	api_issue(struct certd_req *r);
void	api_list(struct certd_req *r);
void	api_get(struct certd_req *r);
void	api_suspend(struct certd_req *r);
void	api_reinstate(struct certd_req *r);
void	api_revoke(struct certd_req *r);
void	api_qr_png(struct certd_req *r);
void	api_qr_svg(struct certd_req *r);
void	api_access_log(struct certd_req *r);
void	api_verify(struct certd_req *r);
void	api_trust(struct certd_req *r);
void	api_healthz(struct certd_req *r);
void	api_metrics(struct certd_req *r);
/* api_seals.c, api_tsa.c */
void	api_seal_create(struct certd_req *r);
void	api_seal_get(struct certd_req *r);
void	api_seal_revoke(struct certd_req *r);
void	api_seal_sign(struct certd_req *r);
/* POST /v1/verify with a "seal_signature" member (o is borrowed). */
void	api_seal_verify(struct certd_req *r, const json_t *o);
void	api_tsa(struct certd_req *r);
/* api_status.c, api_presentations.c */
void	api_status_list(struct certd_req *r);
void	api_presentation_create(struct certd_req *r);
void	api_presentation_redeem(struct certd_req *r);

/* "valid", "suspended", "revoked". */
const char *api_state_name(unsigned state);
/* The licence JSON object of a stored credential, or NULL. */
json_t	*api_licence_json(const uint8_t *cred, size_t len);
/* The full representation of a record (licence, credential, QR text). */
json_t	*api_record_json(struct certd_req *r,
	    const struct certd_licence_rec *rec);
/* Read purpose and matter from the query; replies 400 and -1 if bad. */
int	api_purpose(struct certd_req *r, const char **purpose,
	    const char **matter);
/* Read "limit" (1..CERTD_PAGE_MAX); replies 400 and -1 if bad. */
int	api_limit(struct certd_req *r, size_t *limit);
/* 1 if s is 1..max characters of [0-9A-Za-z.-]. */
int	api_code_ok(const char *s, size_t max);
/* A problem reply for a store error. */
void	api_store_error(struct certd_req *r, int rc);
/* The JSON body as an object; replies 400/415 and returns NULL if not. */
json_t	*api_body_json(struct certd_req *r, int optional);

#endif /* CERTD_API_H */
