/*
 * http.h: the HTTP layer (libmicrohttpd) and the small request/reply API
 * the route handlers use.  Handlers see only this header, store.h,
 * signer.h and libsealkit: the network side can become its own process.
 */
#ifndef CERTD_HTTP_H
#define CERTD_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "sealkit/trust.h"

#include "problem.h"
#include "signer.h"
#include "store.h"

/* Path segments in a route template or a request path. */
#define CERTD_ROUTE_SEGS	8u
/* Longest request path matched. */
#define CERTD_URL_MAX		512u
/* Extra response headers one reply may set. */
#define CERTD_REPLY_HEADERS	4u
/* Longest reply body. */
#define CERTD_REPLY_MAX		(4u * 1024u * 1024u)

/* What the handlers share; all borrowed, read-only while serving. */
struct certd_app {
	struct certd_store	*store;
	struct certd_signers	*signers;
	const struct sk_trust	*trust;
	const uint8_t		*trust_list;	/* signed list, served as is */
	size_t			 trust_list_len;
	char			 trust_etag[40];
	const char		*public_url;	/* "" = relative links */
	struct certd_statuslists *status;	/* NULL: no status lists */
	struct certd_presenter	*presenter;	/* NULL: no codes */
	unsigned		 presentation_ttl_s;
	struct certd_seals	*seals;		/* seals.h; never NULL */
};

struct certd_req;

/* One route: method, OpenAPI path template, scope needed (0 = public). */
struct certd_route {
	const char	*method;
	const char	*path;
	unsigned	 scope;
	void		(*fn)(struct certd_req *);
};

/* The route table (routes.c): the one list `certd routes` prints. */
extern const struct certd_route certd_routes[];
extern const size_t certd_nroutes;

/* certd_route_match results. */
#define CERTD_MATCH_OK		0
#define CERTD_MATCH_NONE	1	/* no route has this path */
#define CERTD_MATCH_METHOD	2	/* the path exists, not the method */

/*
 * Find the route for method and path.  param receives the text of the
 * one {parameter} segment, if any ("" otherwise).  allow receives the
 * methods the path supports ("GET", "POST", "GET, POST") for a 405.
 */
int	certd_route_match(const char *method, const char *path,
	    size_t *idx, char *param, size_t paramlen, char *allow,
	    size_t allowlen);

struct certd_http_opts {
	int		 fd;		/* bound, listening socket */
	unsigned	 threads;
	unsigned	 max_connections;
	unsigned	 per_address;
	unsigned	 timeout_s;
	size_t		 body_max;
	size_t		 conn_memory;
	struct certd_ratelimit *ratelimit; /* borrowed; NULL: no limits */
};

struct certd_http;

/* Start serving on o->fd (owned by the server from then on). */
int	certd_http_start(struct certd_app *app,
	    const struct certd_http_opts *o, struct certd_http **out) SK_WUR;
/*
 * Stop accepting, let in-flight requests finish (up to a grace period),
 * stop the threads and free.  NULL is ok.
 */
void	certd_http_stop(struct certd_http *h);

/* Request accessors (borrowed until the handler returns). */
struct certd_app *certd_req_app(struct certd_req *r);
const char *certd_req_id(struct certd_req *r);
const char *certd_req_param(struct certd_req *r);
/* A query argument (decoded), or NULL. */
const char *certd_req_query(struct certd_req *r, const char *name);
const char *certd_req_header(struct certd_req *r, const char *name);
void	certd_req_body(struct certd_req *r, const uint8_t **p, size_t *len);
/* The authenticated client; NULL on public routes. */
const struct certd_client *certd_req_client(struct certd_req *r);

/*
 * Deferred replies, so that an HTTP thread does not sleep while the
 * store's writer commits (group commit, store.h).  The handler calls
 * certd_req_defer, then queues a store write (*_async) with
 * certd_req_write_done as the callback and r as its argument (if the
 * queueing fails, it calls certd_req_write_done(r, rc) itself) and
 * returns without replying.  Once the write is durable or has failed,
 * fn(r, rc, ctx) runs on an HTTP thread and replies; then ctx_free(ctx)
 * (NULL: nothing to free), also when the request ends early.  ctx belongs
 * to the request from the call on and holds what the write borrows.
 */
void	certd_req_defer(struct certd_req *r,
	    void (*fn)(struct certd_req *, int, void *), void *ctx,
	    void (*ctx_free)(void *));
void	certd_req_write_done(void *r, int rc);

/* Replies: exactly one per request (later calls are ignored). */
void	certd_reply_json(struct certd_req *r, unsigned status, json_t *body);
void	certd_reply_bytes(struct certd_req *r, unsigned status,
	    const char *ctype, const void *p, size_t len);
void	certd_reply_problem(struct certd_req *r, enum certd_problem p,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Add a header to the reply (before or after the reply call). */
void	certd_reply_header(struct certd_req *r, const char *name,
	    const char *value);

#endif /* CERTD_HTTP_H */
