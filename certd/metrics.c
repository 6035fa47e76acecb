/*
 * metrics.c: Prometheus text format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"

/* Status codes counted separately; anything else is "other". */
static const unsigned codes[] = {
	200, 201, 304, 400, 401, 403, 404, 405, 409, 411, 413, 415, 422,
	500, 503
};
#define NCODES	(sizeof(codes) / sizeof(codes[0]))

/* Latency bucket upper bounds, microseconds. */
static const uint64_t bounds[] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000
};
#define NBUCKETS	(sizeof(bounds) / sizeof(bounds[0]))
#define NROUTES		(CERTD_METRICS_ROUTES + 1)
#define BUCKET		"certd_http_request_duration_seconds_bucket"

struct route_stats {
	atomic_uint_fast64_t	status[NCODES + 1];
	atomic_uint_fast64_t	bucket[NBUCKETS + 1];
	atomic_uint_fast64_t	sum_us;
	atomic_uint_fast64_t	count;
};

static struct route_stats routes[NROUTES];
static const char *const *r_methods;
static const char *const *r_paths;
static size_t r_n;
static atomic_uint_fast64_t issued_ok, issued_fail;
static atomic_uint_fast64_t verified_valid, verified_invalid;
static atomic_uint_fast64_t access_entries;

void
certd_metrics_init(const char *const *methods, const char *const *paths,
    size_t n)
{
	r_methods = methods;
	r_paths = paths;
	r_n = n < CERTD_METRICS_ROUTES ? n : CERTD_METRICS_ROUTES;
}

void
certd_metrics_request(size_t route, unsigned status, uint64_t usec)
{
	struct route_stats *r = &routes[route < r_n ? route :
	    CERTD_METRICS_ROUTES];
	size_t i;

	for (i = 0; i < NCODES && codes[i] != status; i++)
		;
	atomic_fetch_add_explicit(&r->status[i], 1, memory_order_relaxed);
	for (i = 0; i < NBUCKETS && usec > bounds[i]; i++)
		;
	atomic_fetch_add_explicit(&r->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->sum_us, usec, memory_order_relaxed);
	atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
}

void
certd_metrics_issue(int ok)
{
	atomic_fetch_add_explicit(ok ? &issued_ok : &issued_fail, 1,
	    memory_order_relaxed);
}

void
certd_metrics_verify(int valid)
{
	atomic_fetch_add_explicit(valid ? &verified_valid : &verified_invalid,
	    1, memory_order_relaxed);
}

void
certd_metrics_access(size_t n)
{
	atomic_fetch_add_explicit(&access_entries, n, memory_order_relaxed);
}

static int
put(struct sk_buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
put(struct sk_buf *out, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		return SK_ERR_LIMIT;
	return sk_buf_append(out, line, (size_t)n);
}

static uint64_t
ld(atomic_uint_fast64_t *a)
{
	return atomic_load_explicit(a, memory_order_relaxed);
}

static void
labels(size_t i, const char **method, const char **path)
{
	if (i < r_n) {
		*method = r_methods[i];
		*path = r_paths[i];
	} else {
		*method = "any";
		*path = "unmatched";
	}
}

static int
render_requests(struct sk_buf *out)
{
	const char *m, *p;
	uint64_t v;
	size_t i, j;
	int rc;
	char code[8];

	if ((rc = put(out, "# HELP certd_http_requests_total HTTP requests "
	    "by route and status.\n# TYPE certd_http_requests_total "
	    "counter\n")) != 0)
		return rc;
	for (i = 0; i < NROUTES; i++) {
		if (i >= r_n && i != CERTD_METRICS_ROUTES)
			continue;
		labels(i, &m, &p);
		for (j = 0; j <= NCODES; j++) {
			if ((v = ld(&routes[i].status[j])) == 0)
				continue;
			if (j < NCODES)
				(void)snprintf(code, sizeof(code), "%u",
				    codes[j]);
			else
				(void)snprintf(code, sizeof(code), "other");
			if ((rc = put(out, "certd_http_requests_total{method="
			    "\"%s\",route=\"%s\",status=\"%s\"} %llu\n", m, p,
			    code, (unsigned long long)v)) != 0)
				return rc;
		}
	}
	return 0;
}

static int
render_hist(struct sk_buf *out, size_t i)
{
	const char *m, *p;
	uint64_t cum = 0;
	size_t j;
	int rc;

	labels(i, &m, &p);
	for (j = 0; j <= NBUCKETS; j++) {
		cum += ld(&routes[i].bucket[j]);
		if (j < NBUCKETS)
			rc = put(out, "%s{method=\"%s\",route=\"%s\","
			    "le=\"%g\"} %llu\n", BUCKET, m, p,
			    (double)bounds[j] / 1e6, (unsigned long long)cum);
		else
			rc = put(out, "%s{method=\"%s\",route=\"%s\","
			    "le=\"+Inf\"} %llu\n", BUCKET, m, p,
			    (unsigned long long)cum);
		if (rc != 0)
			return rc;
	}
	return put(out, "certd_http_request_duration_seconds_sum{method=\"%s\","
	    "route=\"%s\"} %.6f\ncertd_http_request_duration_seconds_count"
	    "{method=\"%s\",route=\"%s\"} %llu\n", m, p,
	    (double)ld(&routes[i].sum_us) / 1e6, m, p,
	    (unsigned long long)ld(&routes[i].count));
}

static int
render_store(const struct certd_store_stats *s, struct sk_buf *out)
{
	return put(out,
	    "# HELP certd_store_bytes Bytes of the store in use.\n"
	    "# TYPE certd_store_bytes gauge\ncertd_store_bytes %llu\n"
	    "# HELP certd_store_map_bytes Size of the LMDB map.\n"
	    "# TYPE certd_store_map_bytes gauge\ncertd_store_map_bytes %llu\n"
	    "# HELP certd_store_licences Licences in the store.\n"
	    "# TYPE certd_store_licences gauge\ncertd_store_licences %llu\n"
	    "# HELP certd_store_access_entries Access-log entries.\n"
	    "# TYPE certd_store_access_entries gauge\n"
	    "certd_store_access_entries %llu\n"
	    "# HELP certd_store_commits_total Write transactions committed.\n"
	    "# TYPE certd_store_commits_total counter\n"
	    "certd_store_commits_total %llu\n"
	    "# HELP certd_store_writes_total Write requests committed.\n"
	    "# TYPE certd_store_writes_total counter\n"
	    "certd_store_writes_total %llu\n",
	    (unsigned long long)s->bytes_used,
	    (unsigned long long)s->map_size,
	    (unsigned long long)s->licences, (unsigned long long)s->access,
	    (unsigned long long)s->batches, (unsigned long long)s->writes);
}

int
certd_metrics_render(const struct certd_store_stats *st, struct sk_buf *out)
{
	size_t i;
	int rc;

	if ((rc = render_requests(out)) != 0 ||
	    (rc = put(out, "# HELP certd_http_request_duration_seconds "
	    "Request latency.\n# TYPE certd_http_request_duration_seconds "
	    "histogram\n")) != 0)
		return rc;
	for (i = 0; i < NROUTES; i++) {
		if (ld(&routes[i].count) == 0)
			continue;
		if ((rc = render_hist(out, i)) != 0)
			return rc;
	}
	if ((rc = put(out, "# HELP certd_issuance_total Issuance attempts.\n"
	    "# TYPE certd_issuance_total counter\n"
	    "certd_issuance_total{result=\"ok\"} %llu\n"
	    "certd_issuance_total{result=\"error\"} %llu\n"
	    "# HELP certd_verification_total Verification verdicts.\n"
	    "# TYPE certd_verification_total counter\n"
	    "certd_verification_total{result=\"valid\"} %llu\n"
	    "certd_verification_total{result=\"invalid\"} %llu\n"
	    "# HELP certd_access_log_entries_total Access-log entries "
	    "written.\n# TYPE certd_access_log_entries_total counter\n"
	    "certd_access_log_entries_total %llu\n",
	    (unsigned long long)ld(&issued_ok),
	    (unsigned long long)ld(&issued_fail),
	    (unsigned long long)ld(&verified_valid),
	    (unsigned long long)ld(&verified_invalid),
	    (unsigned long long)ld(&access_entries))) != 0)
		return rc;
	return st != NULL ? render_store(st, out) : 0;
}
