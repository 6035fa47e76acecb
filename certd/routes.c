/*
 * routes.c: the route table.  api/openapi.yaml must describe exactly
 * these (tests/integration/openapi_routes.sh compares `certd routes`).
 */
#include "api.h"
#include "auth.h"
#include "http.h"

const struct certd_route certd_routes[] = {
	{ "POST", "/v1/licences", CERTD_SCOPE_ISSUE, api_issue },
	{ "GET", "/v1/licences", CERTD_SCOPE_READ, api_list },
	{ "GET", "/v1/licences/{id}", CERTD_SCOPE_READ, api_get },
	{ "POST", "/v1/licences/{id}/suspend", CERTD_SCOPE_STATUS,
	    api_suspend },
	{ "POST", "/v1/licences/{id}/reinstate", CERTD_SCOPE_STATUS,
	    api_reinstate },
	{ "POST", "/v1/licences/{id}/revoke", CERTD_SCOPE_STATUS,
	    api_revoke },
	{ "GET", "/v1/licences/{id}/qr.png", CERTD_SCOPE_QR, api_qr_png },
	{ "GET", "/v1/licences/{id}/qr.svg", CERTD_SCOPE_QR, api_qr_svg },
	{ "GET", "/v1/holders/{code}/access-log", CERTD_SCOPE_HOLDERS,
	    api_access_log },
	{ "POST", "/v1/licences/{id}/presentations", CERTD_SCOPE_QR,
	    api_presentation_create },
	{ "POST", "/v1/presentations/redeem", CERTD_SCOPE_READ,
	    api_presentation_redeem },
	{ "GET", "/v1/status/{list}", 0, api_status_list },
	{ "POST", "/v1/seals", CERTD_SCOPE_SEALS_ISSUE, api_seal_create },
	{ "GET", "/v1/seals/{id}", CERTD_SCOPE_SEALS_READ, api_seal_get },
	{ "POST", "/v1/seals/{id}/revoke", CERTD_SCOPE_SEALS_STATUS,
	    api_seal_revoke },
	{ "POST", "/v1/seals/{id}/sign", CERTD_SCOPE_SEALS_SIGN,
	    api_seal_sign },
	{ "POST", "/v1/tsa", 0, api_tsa },
	{ "POST", "/v1/verify", 0, api_verify },
	{ "GET", "/v1/trust", 0, api_trust },
	{ "GET", "/healthz", 0, api_healthz },
	{ "GET", "/metrics", 0, api_metrics },
};

const size_t certd_nroutes = sizeof(certd_routes) / sizeof(certd_routes[0]);
