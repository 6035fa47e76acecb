/*
 * test_problem.c: RFC 9457 documents (members, types, statuses, escaping)
 * and the route table matcher behind 404 and 405.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "problem.h"
#include "sktest.h"

static void
test_shape(void)
{
	struct sk_buf b;
	json_t *o;

	sk_buf_init(&b, 4096);
	SKT_RC(certd_problem_json(CERTD_P_NOT_FOUND, "no \"such\"\nlicence",
	    "/v1/licences/x", "0123456789abcdef", &b), 0);
	o = json_loadb((const char *)b.data, b.len, JSON_REJECT_DUPLICATES,
	    NULL);
	SKT_CHECK(o != NULL && json_object_size(o) == 6);
	SKT_CHECK(strcmp(json_string_value(json_object_get(o, "type")),
	    "https://certd.example/problems/not-found") == 0);
	SKT_EQ(json_integer_value(json_object_get(o, "status")), 404);
	SKT_CHECK(json_is_string(json_object_get(o, "title")));
	SKT_CHECK(strcmp(json_string_value(json_object_get(o, "detail")),
	    "no \"such\"\nlicence") == 0);
	SKT_CHECK(strcmp(json_string_value(json_object_get(o,
	    "request_id")), "0123456789abcdef") == 0);
	json_decref(o);
	sk_buf_reset(&b);
	SKT_RC(certd_problem_json(CERTD_P_FORBIDDEN, NULL, NULL, NULL, &b),
	    0);
	o = json_loadb((const char *)b.data, b.len, 0, NULL);
	SKT_CHECK(o != NULL && json_object_size(o) == 3);
	json_decref(o);
	SKT_RC(certd_problem_json(CERTD_P_COUNT, NULL, NULL, NULL, &b),
	    SK_ERR_ARG);
	sk_buf_free(&b);
}

static void
test_table(void)
{
	static const unsigned want[CERTD_P_COUNT] = {
		400, 401, 403, 404, 405, 409, 411, 413, 415, 422, 422, 500, 503,
		422, 410, 409
	};
	size_t i, j;

	for (i = 0; i < CERTD_P_COUNT; i++) {
		SKT_EQ(certd_problem_status((enum certd_problem)i), want[i]);
		for (j = 0; j < i; j++)
			SKT_CHECK(strcmp(certd_problem_name(
			    (enum certd_problem)i), certd_problem_name(
			    (enum certd_problem)j)) != 0);
	}
	SKT_CHECK(strcmp(certd_problem_name(CERTD_P_TOO_LARGE),
	    "payload-too-large") == 0);
	SKT_CHECK(strcmp(certd_problem_name(CERTD_P_UNAUTHORIZED),
	    "unauthorized") == 0);
}

static void
test_routes(void)
{
	char param[128], allow[32];
	size_t idx;

	SKT_EQ(certd_route_match("GET", "/v1/licences/1.2.3", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_OK);
	SKT_CHECK(strcmp(certd_routes[idx].path, "/v1/licences/{id}") == 0);
	SKT_CHECK(strcmp(param, "1.2.3") == 0);
	SKT_EQ(certd_route_match("GET", "/v1/licences/A/qr.svg", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_OK);
	SKT_CHECK(strcmp(certd_routes[idx].path,
	    "/v1/licences/{id}/qr.svg") == 0);
	SKT_EQ(certd_route_match("POST", "/v1/licences", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_OK);
	SKT_EQ(certd_route_match("GET", "/v1/verify", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_METHOD);
	SKT_CHECK(strcmp(allow, "POST") == 0);
	SKT_EQ(certd_route_match("GET", "/v1/licences//qr.png", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_NONE);
	SKT_EQ(certd_route_match("GET", "/v1/licences/a/b/c", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_NONE);
	SKT_EQ(certd_route_match("GET", "/healthz/", &idx, param,
	    sizeof(param), allow, sizeof(allow)), CERTD_MATCH_NONE);
	SKT_EQ(certd_route_match("GET", "", &idx, param, sizeof(param), allow,
	    sizeof(allow)), CERTD_MATCH_NONE);
}

int
main(void)
{
	SKT_RUN(test_shape);
	SKT_RUN(test_table);
	SKT_RUN(test_routes);
	return skt_done();
}
