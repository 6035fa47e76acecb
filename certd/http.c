/*
 * http.c: libmicrohttpd glue: limits, routing, authentication, the
 * request/reply API, access logging and metrics.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "auth.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "util.h"

/* How long certd_http_stop waits for in-flight requests. */
#define DRAIN_MS	10000

struct certd_http {
	struct MHD_Daemon	*d;
	struct certd_app	*app;
	size_t			 body_max;
	struct certd_ratelimit	*rl;
	pthread_mutex_t		 mu;		/* stopping, requests' waits */
	pthread_cond_t		 cv;		/* a write done, stopping */
	int			 stopping;	/* suspend no more */
	atomic_uint		 waiting;	/* deferred, write not done */
};

struct certd_req {
	struct certd_http	*h;
	struct MHD_Connection	*c;
	const struct certd_route *route;
	size_t			 ridx;
	char			 id[CERTD_REQID_LEN + 1];
	char			 param[CERTD_URL_MAX];
	char			 method[8];
	uint64_t		 start;
	struct certd_client	 client;
	int			 authed;
	struct sk_buf		 body;
	int			 replied;
	int			 sent;
	unsigned		 status;
	const char		*ctype;
	struct sk_buf		 out;
	char			*hname[CERTD_REPLY_HEADERS];
	char			*hval[CERTD_REPLY_HEADERS];
	size_t			 nh;
	/* certd_req_defer; wdone, wrc and suspended under h->mu. */
	void			(*cont)(struct certd_req *, int, void *);
	void			*ctx;
	void			(*ctx_free)(void *);
	int			 wdone;
	int			 wrc;
	int			 suspended;
};

/*
 * Routing.
 */

static size_t
split(const char *path, const char **seg, size_t *len, size_t max)
{
	size_t n = 0;
	const char *p = path, *q;

	if (*p != '/')
		return 0;
	while (*p == '/') {
		p++;
		if (n == max)
			return max + 1;
		q = strchr(p, '/');
		seg[n] = p;
		len[n] = q != NULL ? (size_t)(q - p) : strlen(p);
		n++;
		if (q == NULL)
			break;
		p = q;
	}
	return n;
}

/* Does route path template tpl match path?  Copies the {param}. */
static int
path_match(const char *tpl, const char *path, char *param, size_t plen)
{
	const char *ts[CERTD_ROUTE_SEGS], *ps[CERTD_ROUTE_SEGS];
	size_t tl[CERTD_ROUTE_SEGS], pl[CERTD_ROUTE_SEGS], tn, pn, i;

	tn = split(tpl, ts, tl, CERTD_ROUTE_SEGS);
	pn = split(path, ps, pl, CERTD_ROUTE_SEGS);
	if (tn != pn || tn > CERTD_ROUTE_SEGS)
		return 0;
	for (i = 0; i < tn; i++) {
		if (tl[i] > 2 && ts[i][0] == '{' && ts[i][tl[i] - 1] == '}') {
			if (pl[i] == 0 || pl[i] >= plen)
				return 0;
			memcpy(param, ps[i], pl[i]);
			param[pl[i]] = '\0';
			continue;
		}
		if (tl[i] != pl[i] || memcmp(ts[i], ps[i], tl[i]) != 0)
			return 0;
	}
	return 1;
}

int
certd_route_match(const char *method, const char *path, size_t *idx,
    char *param, size_t paramlen, char *allow, size_t allowlen)
{
	size_t i;
	int found = 0;

	*idx = certd_nroutes;
	param[0] = '\0';
	allow[0] = '\0';
	if (strlen(path) >= CERTD_URL_MAX)
		return CERTD_MATCH_NONE;
	for (i = 0; i < certd_nroutes; i++) {
		if (!path_match(certd_routes[i].path, path, param, paramlen))
			continue;
		if (strcmp(certd_routes[i].method, method) == 0) {
			*idx = i;
			return CERTD_MATCH_OK;
		}
		if (strstr(allow, certd_routes[i].method) == NULL &&
		    strlen(allow) + strlen(certd_routes[i].method) + 3 <
		    allowlen) {
			if (allow[0] != '\0')
				memcpy(allow + strlen(allow), ", ", 3);
			memcpy(allow + strlen(allow), certd_routes[i].method,
			    strlen(certd_routes[i].method) + 1);
		}
		found = 1;
	}
	param[0] = '\0';
	return found ? CERTD_MATCH_METHOD : CERTD_MATCH_NONE;
}

/*
 * Request accessors and replies.
 */

struct certd_app *
certd_req_app(struct certd_req *r)
{
	return r->h->app;
}

const char *
certd_req_id(struct certd_req *r)
{
	return r->id;
}

const char *
certd_req_param(struct certd_req *r)
{
	return r->param;
}

const char *
certd_req_query(struct certd_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, name);
}

const char *
certd_req_header(struct certd_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->c, MHD_HEADER_KIND, name);
}

void
certd_req_body(struct certd_req *r, const uint8_t **p, size_t *len)
{
	*p = r->body.data != NULL ? r->body.data : (const uint8_t *)"";
	*len = r->body.len;
}

const struct certd_client *
certd_req_client(struct certd_req *r)
{
	return r->authed ? &r->client : NULL;
}

void
certd_reply_header(struct certd_req *r, const char *name, const char *value)
{
	char *n, *v;

	if (r->nh == CERTD_REPLY_HEADERS)
		return;
	if ((n = strdup(name)) == NULL || (v = strdup(value)) == NULL) {
		free(n);
		return;
	}
	r->hname[r->nh] = n;
	r->hval[r->nh++] = v;
}

void
certd_reply_bytes(struct certd_req *r, unsigned status, const char *ctype,
    const void *p, size_t len)
{
	if (r->replied)
		return;
	r->replied = 1;
	sk_buf_reset(&r->out);
	if (sk_buf_append(&r->out, p, len) != 0) {
		r->status = 500;
		r->ctype = "text/plain";
		return;
	}
	r->status = status;
	r->ctype = ctype;
}

void
certd_reply_json(struct certd_req *r, unsigned status, json_t *body)
{
	char *text;

	text = body != NULL ? json_dumps(body, JSON_COMPACT |
	    JSON_PRESERVE_ORDER) : NULL;
	json_decref(body);
	if (text == NULL) {
		certd_reply_problem(r, CERTD_P_INTERNAL, "out of memory");
		return;
	}
	certd_reply_bytes(r, status, "application/json", text, strlen(text));
	free(text);
}

void
certd_reply_problem(struct certd_req *r, enum certd_problem p,
    const char *fmt, ...)
{
	char detail[CERTD_PROBLEM_DETAIL_MAX];
	va_list ap;

	if (r->replied)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	r->replied = 1;
	sk_buf_reset(&r->out);
	if (certd_problem_json(p, detail, NULL, r->id, &r->out) != 0) {
		r->status = 500;
		r->ctype = "text/plain";
		return;
	}
	r->status = certd_problem_status(p);
	r->ctype = CERTD_PROBLEM_CTYPE;
}

/*
 * Deferred replies.  The connection is suspended while its write waits
 * for the writer, so the HTTP thread serves others and their writes share
 * the commit.  MHD_resume_connection may be called from any thread, but
 * only on a suspended connection: whichever of the HTTP thread (after the
 * handler) and the writer (after the commit) comes second decides.
 */

void
certd_req_defer(struct certd_req *r, void (*fn)(struct certd_req *, int,
    void *), void *ctx, void (*ctx_free)(void *))
{
	r->cont = fn;
	r->ctx = ctx;
	r->ctx_free = ctx_free;
	atomic_fetch_add(&r->h->waiting, 1);
}

void
certd_req_write_done(void *arg, int rc)
{
	struct certd_req *r = arg;
	struct certd_http *h = r->h;
	int resume;

	pthread_mutex_lock(&h->mu);
	r->wdone = 1;
	r->wrc = rc;
	resume = r->suspended;
	if (h->stopping)
		pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	/* Suspended: nothing else touches r until this resumes it. */
	if (resume)
		MHD_resume_connection(r->c);
	atomic_fetch_sub(&h->waiting, 1);
}

/* After the handler: 1 if the connection was suspended to wait. */
static int
defer_wait(struct certd_req *r)
{
	struct certd_http *h = r->h;
	int wait;

	pthread_mutex_lock(&h->mu);
	/* Stopping: MHD_stop_daemon must find no suspended connection. */
	while (h->stopping && !r->wdone)
		pthread_cond_wait(&h->cv, &h->mu);
	wait = !r->wdone;
	if (wait) {
		MHD_suspend_connection(r->c);
		r->suspended = 1;
	}
	pthread_mutex_unlock(&h->mu);
	return wait;
}

/* The write is durable (or failed): the handler's continuation replies. */
static void
defer_finish(struct certd_req *r)
{
	void (*fn)(struct certd_req *, int, void *) = r->cont;

	r->cont = NULL;
	fn(r, r->wrc, r->ctx);
	if (r->ctx_free != NULL)
		r->ctx_free(r->ctx);
	r->ctx = NULL;
	r->ctx_free = NULL;
}

/*
 * The MHD callbacks.
 */

static enum MHD_Result
send_reply(struct certd_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	size_t i;

	if (r->sent)
		return MHD_YES;
	if (!r->replied)
		certd_reply_problem(r, CERTD_P_INTERNAL, "no reply");
	r->sent = 1;
	resp = MHD_create_response_from_buffer(r->out.len,
	    r->out.data != NULL ? r->out.data : (void *)(uintptr_t)"",
	    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	(void)MHD_add_response_header(resp, "Content-Type", r->ctype);
	(void)MHD_add_response_header(resp, "X-Request-Id", r->id);
	(void)MHD_add_response_header(resp, "X-Content-Type-Options",
	    "nosniff");
	for (i = 0; i < r->nh; i++)
		(void)MHD_add_response_header(resp, r->hname[i], r->hval[i]);
	if (MHD_get_response_header(resp, "Cache-Control") == NULL)
		(void)MHD_add_response_header(resp, "Cache-Control",
		    "no-store");
	ret = MHD_queue_response(r->c, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static int
check_auth(struct certd_req *r)
{
	const char *authz;

	authz = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	switch (certd_auth_check(r->h->app->store, authz, r->route->scope,
	    &r->client)) {
	case CERTD_AUTH_OK:
		r->authed = 1;
		return 0;
	case CERTD_AUTH_SCOPE:
		r->authed = 1;
		certd_reply_problem(r, CERTD_P_FORBIDDEN, "this route needs "
		    "the scope %s", certd_scope_name(r->route->scope));
		return -1;
	case CERTD_AUTH_ERROR:
		certd_reply_problem(r, CERTD_P_INTERNAL, "store failure");
		return -1;
	default:
		certd_reply_header(r, "WWW-Authenticate",
		    "Bearer realm=\"certd\"");
		certd_reply_problem(r, CERTD_P_UNAUTHORIZED, "send "
		    "Authorization: Bearer <client token>");
		return -1;
	}
}

static int
check_length(struct certd_req *r)
{
	const char *cl, *te;
	char *end;
	unsigned long long n;

	cl = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_LENGTH);
	te = MHD_lookup_connection_value(r->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (cl == NULL) {
		if (te == NULL)
			return 0;
		/* Without a length we could not refuse a large body early. */
		certd_reply_problem(r, CERTD_P_LENGTH_REQUIRED,
		    "send the body with a Content-Length");
		return -1;
	}
	n = strtoull(cl, &end, 10);
	if (*cl == '\0' || *end != '\0' || n > r->h->body_max) {
		certd_reply_problem(r, CERTD_P_TOO_LARGE, "the body limit is "
		    "%zu bytes", r->h->body_max);
		return -1;
	}
	return 0;
}

/* ratelimit.h: every request, before routing and authentication. */
static int
check_rate(struct certd_req *r)
{
	const union MHD_ConnectionInfo *ci;
	unsigned retry, cls;
	char v[16];

	if (r->h->rl == NULL)
		return 0;
	ci = MHD_get_connection_info(r->c,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (certd_ratelimit_request(r->h->rl, ci != NULL ? ci->client_addr :
	    NULL, MHD_lookup_connection_value(r->c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION), certd_mono_us(), &retry,
	    &cls) == CERTD_RL_OK)
		return 0;
	(void)snprintf(v, sizeof(v), "%u", retry);
	certd_reply_header(r, "Retry-After", v);
	r->replied = 1;
	sk_buf_reset(&r->out);
	if (certd_ratelimit_problem(cls, retry, r->id, &r->out) != 0) {
		r->status = 500;
		r->ctype = "text/plain";
		return -1;
	}
	r->status = 429;
	r->ctype = CERTD_PROBLEM_CTYPE;
	return -1;
}

/* First call: route, method, authentication, length.  -1: reply ready. */
static int
req_begin(struct certd_req *r, const char *url, const char *method)
{
	char allow[32];
	int m;

	if (check_rate(r) != 0)
		return -1;
	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
		certd_reply_header(r, "Allow", "GET, POST");
		certd_reply_problem(r, CERTD_P_METHOD, "only GET and POST");
		return -1;
	}
	m = certd_route_match(method, url, &r->ridx, r->param,
	    sizeof(r->param), allow, sizeof(allow));
	if (m == CERTD_MATCH_NONE) {
		certd_reply_problem(r, CERTD_P_NOT_FOUND, "no such route");
		return -1;
	}
	if (m == CERTD_MATCH_METHOD) {
		certd_reply_header(r, "Allow", allow);
		certd_reply_problem(r, CERTD_P_METHOD, "allowed: %s", allow);
		return -1;
	}
	r->route = &certd_routes[r->ridx];
	if (r->route->scope != 0 && check_auth(r) != 0)
		return -1;
	if (strcmp(method, "POST") == 0 && check_length(r) != 0)
		return -1;
	return 0;
}

static struct certd_req *
req_new(struct certd_http *h, struct MHD_Connection *c, const char *method)
{
	struct certd_req *r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->h = h;
	r->c = c;
	r->ridx = certd_nroutes;
	r->start = certd_mono_us();
	certd_reqid_new(r->id);
	(void)snprintf(r->method, sizeof(r->method), "%s", method);
	sk_buf_init(&r->body, h->body_max);
	sk_buf_init(&r->out, CERTD_REPLY_MAX);
	return r;
}

static enum MHD_Result
ahc(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size,
    void **con_cls)
{
	struct certd_http *h = cls;
	struct certd_req *r = *con_cls;

	(void)version;
	if (r == NULL) {
		if ((r = req_new(h, c, method)) == NULL)
			return MHD_NO;
		*con_cls = r;
		if (req_begin(r, url, method) != 0)
			return send_reply(r);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		/* Content-Length was checked; this is a second fence. */
		if (r->sent || sk_buf_append(&r->body, upload,
		    *upload_size) != 0)
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->cont == NULL && !r->sent && !r->replied) {
		r->route->fn(r);
		if (r->cont != NULL && defer_wait(r))
			return MHD_YES;
	}
	if (r->cont != NULL)
		defer_finish(r);
	return send_reply(r);
}

static void
req_free(struct certd_req *r)
{
	size_t i;

	if (r->ctx_free != NULL)
		r->ctx_free(r->ctx);
	sk_buf_free(&r->body);
	sk_buf_free(&r->out);
	for (i = 0; i < r->nh; i++) {
		free(r->hname[i]);
		free(r->hval[i]);
	}
	free(r);
}

static void
completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct certd_req *r = *con_cls;
	uint64_t us;

	(void)cls;
	(void)c;
	if (r == NULL)
		return;
	*con_cls = NULL;
	us = certd_mono_us() - r->start;
	certd_metrics_request(r->ridx, r->sent ? r->status : 0, us);
	/* Route templates only: paths and queries carry personal data. */
	certd_log(CERTD_LOG_INFO, r->id, "%s %s %u %llu.%03llums client=%s%s",
	    r->method, r->route != NULL ? r->route->path : "-",
	    r->sent ? r->status : 0, (unsigned long long)(us / 1000),
	    (unsigned long long)(us % 1000),
	    r->authed ? r->client.name : "-",
	    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	req_free(r);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[CERTD_LOG_LINE_MAX];
	size_t n;

	(void)cls;
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n > 0 && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	certd_log(CERTD_LOG_WARN, NULL, "microhttpd: %s", msg);
}

int
certd_http_start(struct certd_app *app, const struct certd_http_opts *o,
    struct certd_http **out)
{
	struct certd_http *h;
	unsigned int flags;

	*out = NULL;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return SK_ERR_NOMEM;
	h->app = app;
	h->body_max = o->body_max;
	h->rl = o->ratelimit;
	if (pthread_mutex_init(&h->mu, NULL) != 0) {
		free(h);
		return SK_ERR_NOMEM;
	}
	if (pthread_cond_init(&h->cv, NULL) != 0) {
		pthread_mutex_destroy(&h->mu);
		free(h);
		return SK_ERR_NOMEM;
	}
	atomic_init(&h->waiting, 0);
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES ?
	    MHD_USE_EPOLL : MHD_USE_AUTO;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, ahc, h,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)NULL,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)o->fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)o->threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)o->max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)o->per_address,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)o->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)o->conn_memory,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, (void *)NULL,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		pthread_cond_destroy(&h->cv);
		pthread_mutex_destroy(&h->mu);
		free(h);
		return SK_ERR_IO;
	}
	*out = h;
	return 0;
}

void
certd_http_stop(struct certd_http *h)
{
	const union MHD_DaemonInfo *info;
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	MHD_socket fd;
	int waited;

	if (h == NULL)
		return;
	if ((fd = MHD_quiesce_daemon(h->d)) != MHD_INVALID_SOCKET)
		close(fd);
	for (waited = 0; waited < DRAIN_MS; waited += 50) {
		info = MHD_get_daemon_info(h->d,
		    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (info == NULL || info->num_connections == 0)
			break;
		nanosleep(&ts, NULL);
	}
	/* The writer always answers; a suspended request must not be freed. */
	pthread_mutex_lock(&h->mu);
	h->stopping = 1;
	pthread_mutex_unlock(&h->mu);
	while (atomic_load(&h->waiting) != 0)
		nanosleep(&ts, NULL);
	MHD_stop_daemon(h->d);
	pthread_cond_destroy(&h->cv);
	pthread_mutex_destroy(&h->mu);
	free(h);
}
