/*
 * bench_load: fill a certd store with licence records for bench/certd.sh
 * (lookup latency and resident memory at 10 thousand and 1 million
 * licences).  Issuing a million licences over HTTP at the durable rate
 * would take longer than the rest of the benchmark, so this writes
 * through certd's own store API (store.h), with many writer threads so
 * that group commit batches them, exactly as concurrent requests are.
 *
 * Every record holds the same credential (one real issuance, read from
 * CRED-FILE) under its own identifier
 *   1.2.156.3005.2.11990000000000107Q001.11990100000000019F.B<9 digits>.001.<check>
 * with serials FIRST..FIRST+COUNT-1 (bench/get.lua computes the same).
 * Lookups by identifier and the records' sizes are those of real ones.
 *
 * Usage: bench_load STORE CRED-FILE FIRST COUNT THREADS
 * Run it while certd is stopped; prints "loaded N in S s (R/s)".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sealkit/cose.h"
#include "sealkit/ident.h"
#include "store.h"

#define LOAD_TYPE	"11990000000000107Q001"
#define LOAD_ISSUER	"11990100000000019F"
#define LOAD_HOLDER	"91990100MA000004XB"
#define LOAD_THREADS_MAX 256ul
#define LOAD_COUNT_MAX	100000000ul
#define LOAD_CRED_MAX	SK_COSE_MAX_BYTES

struct job {
	struct certd_store	*st;
	const uint8_t		*cred;
	size_t			 credlen;
	unsigned long		 first;
	unsigned long		 count;
	int			 rc;
};

static int
make_id(unsigned long serial, char *id, size_t cap)
{
	char mid[SK_IDENT_CHECK_MAX + 1], chk;
	int n;

	n = snprintf(mid, sizeof(mid), "%sB%09lu001", LOAD_TYPE LOAD_ISSUER,
	    serial);
	if (n < 0 || (size_t)n >= sizeof(mid) ||
	    sk_ident_check_char(mid, (size_t)n, &chk) != 0)
		return -1;
	n = snprintf(id, cap, "1.2.156.3005.2.%s.%s.B%09lu.001.%c",
	    LOAD_TYPE, LOAD_ISSUER, serial, chk);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static void *
load(void *arg)
{
	struct job *j = arg;
	struct certd_licence_rec rec;
	struct certd_actor who = { "bench-load", "", 0 };
	unsigned long i;

	memset(&rec, 0, sizeof(rec));
	memcpy(rec.holder, LOAD_HOLDER, sizeof(LOAD_HOLDER));
	memcpy(rec.type, LOAD_TYPE, sizeof(LOAD_TYPE));
	memcpy(rec.issuer, LOAD_ISSUER, sizeof(LOAD_ISSUER));
	rec.state = CERTD_STATE_VALID;
	rec.cred = (uint8_t *)(uintptr_t)j->cred;
	rec.credlen = j->credlen;
	for (i = 0; i < j->count; i++) {
		if (make_id(j->first + i, rec.id, sizeof(rec.id)) != 0) {
			j->rc = SK_ERR_LIMIT;
			return NULL;
		}
		rec.issued = rec.updated = who.time = (int64_t)time(NULL);
		j->rc = certd_store_put_licence(j->st, &rec, &who);
		if (j->rc != 0 && j->rc != SK_ERR_DUPLICATE)
			return NULL;
	}
	j->rc = 0;
	return NULL;
}

static int
read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f;
	uint8_t *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	if ((buf = malloc(LOAD_CRED_MAX)) == NULL) {
		fclose(f);
		return -1;
	}
	n = fread(buf, 1, LOAD_CRED_MAX, f);
	if (ferror(f) || !feof(f) || n == 0) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static unsigned long
number(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || v > max)
		return max + 1;
	return v;
}

static int
run(struct certd_store *st, const uint8_t *cred, size_t credlen,
    unsigned long first, unsigned long count, unsigned long nthreads)
{
	pthread_t tid[LOAD_THREADS_MAX];
	struct job jobs[LOAD_THREADS_MAX];
	unsigned long i, per, at = first;
	int rc = 0;

	per = count / nthreads;
	for (i = 0; i < nthreads; i++) {
		jobs[i].st = st;
		jobs[i].cred = cred;
		jobs[i].credlen = credlen;
		jobs[i].first = at;
		jobs[i].count = per + (i < count % nthreads ? 1 : 0);
		jobs[i].rc = 0;
		at += jobs[i].count;
		if (pthread_create(&tid[i], NULL, load, &jobs[i]) != 0)
			return SK_ERR_NOMEM;
	}
	for (i = 0; i < nthreads; i++) {
		(void)pthread_join(tid[i], NULL);
		if (jobs[i].rc != 0 && rc == 0)
			rc = jobs[i].rc;
	}
	return rc;
}

int
main(int argc, char *argv[])
{
	struct certd_store_opts o = { 0, 0 };
	struct certd_store *st;
	struct timespec t0, t1;
	unsigned long first, count, nthreads;
	uint8_t *cred;
	size_t credlen;
	double s;
	int rc;

	if (argc != 6 ||
	    (first = number(argv[3], 999999999ul)) > 999999999ul ||
	    (count = number(argv[4], LOAD_COUNT_MAX)) > LOAD_COUNT_MAX ||
	    first + count > 1000000000ul ||
	    (nthreads = number(argv[5], LOAD_THREADS_MAX)) >
	    LOAD_THREADS_MAX || nthreads == 0) {
		fprintf(stderr, "usage: bench_load STORE CRED-FILE FIRST "
		    "COUNT THREADS\n");
		return 2;
	}
	if (read_file(argv[2], &cred, &credlen) != 0) {
		fprintf(stderr, "bench_load: cannot read %s\n", argv[2]);
		return 3;
	}
	if ((rc = certd_store_open(argv[1], &o, &st)) != 0) {
		fprintf(stderr, "bench_load: %s: %s\n", argv[1],
		    certd_store_strerror(rc));
		free(cred);
		return 3;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = run(st, cred, credlen, first, count, nthreads);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	certd_store_close(st);
	free(cred);
	if (rc != 0) {
		fprintf(stderr, "bench_load: %s\n", certd_store_strerror(rc));
		return 1;
	}
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("loaded %lu in %.1f s (%.0f/s)\n", count, s,
	    s > 0 ? (double)count / s : 0.0);
	return 0;
}
