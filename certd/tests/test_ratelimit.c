/*
 * test_ratelimit.c: token buckets against hand-computed schedules (the
 * clock is injected), class independence, address keys (IPv4, IPv4-mapped,
 * IPv6 /64), eviction under a full table, bounds, the 429 document, and
 * concurrent use from threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <jansson.h>

#include "ratelimit.h"
#include "sktest.h"

#define S	1000000ull	/* one second in microseconds */

static struct certd_ratelimit *
mk(unsigned arate, unsigned aburst, unsigned crate, unsigned cburst)
{
	struct certd_ratelimit_opts o;
	struct certd_ratelimit *rl = NULL;

	memset(&o, 0, sizeof(o));
	o.cls[CERTD_RL_ADDRESS].per_min = arate;
	o.cls[CERTD_RL_ADDRESS].burst = aburst;
	o.cls[CERTD_RL_CLIENT].per_min = crate;
	o.cls[CERTD_RL_CLIENT].burst = cburst;
	SKT_RC(certd_ratelimit_new(&o, &rl), 0);
	return rl;
}

static int
take(struct certd_ratelimit *rl, unsigned cls, const char *k, uint64_t t,
    unsigned *retry)
{
	return certd_ratelimit_take(rl, cls, k, strlen(k), t, retry);
}

/* 60/min = one per second, burst 3: the textbook schedule. */
static void
test_schedule(void)
{
	struct certd_ratelimit *rl = mk(60, 3, 0, 0);
	unsigned retry;
	int i;

	if (rl == NULL)
		return;
	for (i = 0; i < 3; i++)
		SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 100 * S, &retry),
		    CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 100 * S, &retry),
	    CERTD_RL_LIMITED);
	SKT_EQ(retry, 1);
	/* 0.5 s later: half a token, still limited, 0.5 s rounds up to 1. */
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 100 * S + S / 2, &retry),
	    CERTD_RL_LIMITED);
	SKT_EQ(retry, 1);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 101 * S, &retry), CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 101 * S, &retry),
	    CERTD_RL_LIMITED);
	/* A long pause refills to the burst, not beyond. */
	for (i = 0; i < 3; i++)
		SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 10000 * S, &retry),
		    CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 10000 * S, &retry),
	    CERTD_RL_LIMITED);
	/* The clock going back neither refills nor breaks anything. */
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "a", 5 * S, &retry),
	    CERTD_RL_LIMITED);
	certd_ratelimit_free(rl);
}

/* Retry-After rounds up: 6/min is one per 10 s. */
static void
test_retry_after(void)
{
	struct certd_ratelimit *rl = mk(6, 1, 1, 1);
	unsigned retry;

	if (rl == NULL)
		return;
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "b", S, &retry), CERTD_RL_OK);
	SKT_EQ(retry, 0);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "b", S, &retry), CERTD_RL_LIMITED);
	SKT_EQ(retry, 10);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "b", S + 1, &retry),
	    CERTD_RL_LIMITED);
	SKT_EQ(retry, 10);	/* 9.999999 s rounds up */
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "b", 8 * S, &retry),
	    CERTD_RL_LIMITED);
	SKT_EQ(retry, 3);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "b", 11 * S, &retry), CERTD_RL_OK);
	/* 1/min: the longest wait is a minute. */
	SKT_EQ(take(rl, CERTD_RL_CLIENT, "c", S, &retry), CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_CLIENT, "c", S, &retry), CERTD_RL_LIMITED);
	SKT_EQ(retry, 60);
	certd_ratelimit_free(rl);
}

/* Keys and classes are independent; a rate of 0 is no limit. */
static void
test_independent(void)
{
	struct certd_ratelimit *rl = mk(60, 1, 0, 0);
	unsigned retry;
	int i;

	if (rl == NULL)
		return;
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "x", S, &retry), CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "x", S, &retry), CERTD_RL_LIMITED);
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "y", S, &retry), CERTD_RL_OK);
	for (i = 0; i < 1000; i++)
		SKT_EQ(take(rl, CERTD_RL_CLIENT, "x", S, &retry), CERTD_RL_OK);
	certd_ratelimit_free(rl);
	rl = mk(0, 0, 60, 2);
	if (rl == NULL)
		return;
	SKT_EQ(take(rl, CERTD_RL_CLIENT, "x", S, &retry), CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_CLIENT, "x", S, &retry), CERTD_RL_OK);
	SKT_EQ(take(rl, CERTD_RL_CLIENT, "x", S, &retry), CERTD_RL_LIMITED);
	/* Same bytes, other class: another bucket. */
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "x", S, &retry), CERTD_RL_OK);
	certd_ratelimit_free(rl);
}

static void
sa4(struct sockaddr_in *in, const char *a)
{
	memset(in, 0, sizeof(*in));
	in->sin_family = AF_INET;
	in->sin_port = htons(1234);
	SKT_EQ(inet_pton(AF_INET, a, &in->sin_addr), 1);
}

static void
sa6(struct sockaddr_in6 *in, const char *a)
{
	memset(in, 0, sizeof(*in));
	in->sin6_family = AF_INET6;
	in->sin6_port = htons(4321);
	SKT_EQ(inet_pton(AF_INET6, a, &in->sin6_addr), 1);
}

static void
test_addr_keys(void)
{
	static const uint8_t k4[CERTD_RL_ADDR_KEY_LEN] = { 4, 192, 0, 2, 1 };
	static const uint8_t k6[CERTD_RL_ADDR_KEY_LEN] = {
		6, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x01 };
	uint8_t a[CERTD_RL_ADDR_KEY_LEN], b[CERTD_RL_ADDR_KEY_LEN];
	struct sockaddr_in6 v6;
	struct sockaddr_in v4;
	struct sockaddr un;

	sa4(&v4, "192.0.2.1");
	SKT_RC(certd_ratelimit_addr_key((struct sockaddr *)&v4, a), 0);
	SKT_MEMEQ(a, sizeof(a), k4, sizeof(k4));
	sa6(&v6, "::ffff:192.0.2.1");
	SKT_RC(certd_ratelimit_addr_key((struct sockaddr *)&v6, b), 0);
	SKT_MEMEQ(a, sizeof(a), b, sizeof(b));
	sa6(&v6, "2001:db8:0:1::5");
	SKT_RC(certd_ratelimit_addr_key((struct sockaddr *)&v6, a), 0);
	SKT_MEMEQ(a, sizeof(a), k6, sizeof(k6));
	/* Same /64, other interface id: same key. */
	sa6(&v6, "2001:db8:0:1:ffff:ffff:ffff:ffff");
	SKT_RC(certd_ratelimit_addr_key((struct sockaddr *)&v6, b), 0);
	SKT_MEMEQ(a, sizeof(a), b, sizeof(b));
	sa6(&v6, "2001:db8:0:2::5");
	SKT_RC(certd_ratelimit_addr_key((struct sockaddr *)&v6, b), 0);
	SKT_CHECK(memcmp(a, b, sizeof(a)) != 0);
	memset(&un, 0, sizeof(un));
	un.sa_family = AF_UNIX;
	SKT_RC(certd_ratelimit_addr_key(&un, a), SK_ERR_ARG);
}

/* Address first, then client; each names its class. */
static void
test_request(void)
{
	struct certd_ratelimit *rl = mk(60, 2, 60, 1);
	struct sockaddr_in v4, w4;
	unsigned retry, cls;

	if (rl == NULL)
		return;
	sa4(&v4, "198.51.100.7");
	sa4(&w4, "198.51.100.8");
	SKT_EQ(certd_ratelimit_request(rl, (struct sockaddr *)&v4,
	    "Bearer ck_A", S, &retry, &cls), CERTD_RL_OK);
	SKT_EQ(certd_ratelimit_request(rl, (struct sockaddr *)&v4,
	    "Bearer ck_A", S, &retry, &cls), CERTD_RL_LIMITED);
	SKT_EQ(cls, CERTD_RL_CLIENT);
	SKT_EQ(certd_ratelimit_request(rl, (struct sockaddr *)&v4,
	    "Bearer ck_B", S, &retry, &cls), CERTD_RL_LIMITED);
	SKT_EQ(cls, CERTD_RL_ADDRESS);
	/* Client A from another address: still its own empty bucket. */
	SKT_EQ(certd_ratelimit_request(rl, (struct sockaddr *)&w4,
	    "Bearer ck_A", S, &retry, &cls), CERTD_RL_LIMITED);
	SKT_EQ(cls, CERTD_RL_CLIENT);
	SKT_EQ(certd_ratelimit_request(rl, (struct sockaddr *)&w4, NULL, S,
	    &retry, &cls), CERTD_RL_OK);
	SKT_EQ(certd_ratelimit_request(rl, NULL, NULL, S, &retry, &cls),
	    CERTD_RL_OK);
	certd_ratelimit_free(rl);
}

/*
 * Far more keys than buckets: the table stays bounded, and a key that is
 * in use keeps its (empty) bucket because idle full buckets go first.
 */
static void
test_eviction(void)
{
	struct certd_ratelimit *rl = mk(1, 1, 0, 0);
	unsigned retry, i, evicted = 0;
	char k[32];

	if (rl == NULL)
		return;
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "victim", S, &retry), CERTD_RL_OK);
	for (i = 0; i < 4 * CERTD_RL_ENTRIES; i++) {
		(void)snprintf(k, sizeof(k), "k%u", i);
		/* Each newcomer is used once and so is empty afterwards. */
		(void)take(rl, CERTD_RL_ADDRESS, k, S + i, &retry);
		if (take(rl, CERTD_RL_ADDRESS, "victim", S + i, &retry) ==
		    CERTD_RL_OK)
			evicted++;
	}
	/* An empty bucket can be evicted only by the oldest-first rule. */
	SKT_CHECK(evicted < 4 * CERTD_RL_ENTRIES / 100);
	/* The first keys are gone by now: they start full again. */
	SKT_EQ(take(rl, CERTD_RL_ADDRESS, "k0", S + 5 * CERTD_RL_ENTRIES,
	    &retry), CERTD_RL_OK);
	certd_ratelimit_free(rl);
}

static void
test_bounds(void)
{
	struct certd_ratelimit_opts o;
	struct certd_ratelimit *rl = (void *)&o;

	memset(&o, 0, sizeof(o));
	o.cls[CERTD_RL_CLIENT].per_min = 10;
	SKT_RC(certd_ratelimit_new(&o, &rl), SK_ERR_ARG);	/* burst 0 */
	SKT_CHECK(rl == NULL);
	o.cls[CERTD_RL_CLIENT].burst = CERTD_RL_BURST_MAX + 1;
	SKT_RC(certd_ratelimit_new(&o, &rl), SK_ERR_ARG);
	o.cls[CERTD_RL_CLIENT].burst = CERTD_RL_BURST_MAX;
	o.cls[CERTD_RL_CLIENT].per_min = CERTD_RL_RATE_MAX + 1;
	SKT_RC(certd_ratelimit_new(&o, &rl), SK_ERR_ARG);
	o.cls[CERTD_RL_CLIENT].per_min = CERTD_RL_RATE_MAX;
	SKT_RC(certd_ratelimit_new(&o, &rl), 0);
	certd_ratelimit_free(rl);
	certd_ratelimit_free(NULL);
}

static void
test_problem(void)
{
	struct sk_buf b;
	json_t *o;

	sk_buf_init(&b, 4096);
	SKT_RC(certd_ratelimit_problem(CERTD_RL_CLIENT, 7, "00112233aabbccdd",
	    &b), 0);
	o = json_loadb((const char *)b.data, b.len, JSON_REJECT_DUPLICATES,
	    NULL);
	SKT_CHECK(o != NULL && json_object_size(o) == 5);
	SKT_CHECK(strcmp(json_string_value(json_object_get(o, "type")),
	    "https://certd.example/problems/too-many-requests") == 0);
	SKT_EQ(json_integer_value(json_object_get(o, "status")), 429);
	SKT_CHECK(strstr(json_string_value(json_object_get(o, "detail")),
	    "client rate limit: retry after 7 s") != NULL);
	SKT_CHECK(strcmp(json_string_value(json_object_get(o,
	    "request_id")), "00112233aabbccdd") == 0);
	json_decref(o);
	sk_buf_free(&b);
}

#define NTHREADS	8
#define PER_THREAD	1000

static struct certd_ratelimit *shared;
static unsigned allowed[NTHREADS];

static void *
hammer(void *arg)
{
	unsigned *n = arg, retry, i;

	for (i = 0; i < PER_THREAD; i++)
		if (take(shared, CERTD_RL_CLIENT, "one-client", S, &retry) ==
		    CERTD_RL_OK)
			(*n)++;
	return NULL;
}

/* One bucket shared by threads: exactly burst requests pass. */
static void
test_threads(void)
{
	pthread_t t[NTHREADS];
	unsigned i, total = 0;

	if ((shared = mk(0, 0, 60, 500)) == NULL)
		return;
	for (i = 0; i < NTHREADS; i++)
		SKT_EQ(pthread_create(&t[i], NULL, hammer, &allowed[i]), 0);
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(t[i], NULL);
		total += allowed[i];
	}
	SKT_EQ(total, 500);
	certd_ratelimit_free(shared);
}

int
main(void)
{
	SKT_RUN(test_schedule);
	SKT_RUN(test_retry_after);
	SKT_RUN(test_independent);
	SKT_RUN(test_addr_keys);
	SKT_RUN(test_request);
	SKT_RUN(test_eviction);
	SKT_RUN(test_bounds);
	SKT_RUN(test_problem);
	SKT_RUN(test_threads);
	return skt_done();
}
