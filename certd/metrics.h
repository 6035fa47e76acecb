/*
 * metrics.h: counters and latency histograms (lock-free atomics) and
 * their Prometheus text exposition (format 0.0.4).
 */
#ifndef CERTD_METRICS_H
#define CERTD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "sealkit/common.h"

#include "store.h"

/* Routes metrics can tell apart; index CERTD_METRICS_ROUTES is "other". */
#define CERTD_METRICS_ROUTES	64u
/* Longest exposition text. */
#define CERTD_METRICS_TEXT_MAX	(256u * 1024u)

/*
 * Name the routes (borrowed for the life of the process): labels[i] is
 * the "METHOD PATH" of route i.  n is at most CERTD_METRICS_ROUTES.
 */
void	certd_metrics_init(const char *const *methods,
	    const char *const *paths, size_t n);
/* One finished request: route index (n or more: unmatched). */
void	certd_metrics_request(size_t route, unsigned status, uint64_t usec);
/* One issuance attempt, and one verification verdict. */
void	certd_metrics_issue(int ok);
void	certd_metrics_verify(int valid);
/* One access-log entry written. */
void	certd_metrics_access(size_t n);

/* Append the exposition text (with store figures if st is not NULL). */
int	certd_metrics_render(const struct certd_store_stats *st,
	    struct sk_buf *out) SK_WUR;

#endif /* CERTD_METRICS_H */
