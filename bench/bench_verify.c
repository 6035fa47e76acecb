/*
 * bench_verify: offline verification rate of licence credentials, the
 * whole pipeline of `sealkit licence verify` (QR text -> base45 -> zlib ->
 * COSE -> trust lookup -> signature -> issuer chain at iat -> claims ->
 * time checks), single-threaded.
 *
 * Usage: bench_verify ANCHORS.pem ISSUER.crt ISSUER.key LICENCE.json SECONDS
 * Prints one line: "alg=<name> credentials=<n> verifies=<n> seconds=<s>
 * verifies_per_sec=<r>".  bench/run.sh compares it with `openssl speed`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/licence.h"
#include "sealkit/trust.h"
#include "sealkit/verify.h"

#define BENCH_CREDS	64	/* distinct credentials, verified in turn */
#define BENCH_JSON_MAX	(128u * 1024u)

static void
die(const char *what, int rc)
{
	fprintf(stderr, "bench_verify: %s: %s\n", what, sk_strerror(rc));
	exit(1);
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
read_text(const char *path, size_t *len)
{
	FILE *f;
	char *p;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		exit(1);
	}
	if ((p = malloc(BENCH_JSON_MAX)) == NULL)
		exit(1);
	*len = fread(p, 1, BENCH_JSON_MAX, f);
	fclose(f);
	return p;
}

/* One QR text per credential, each with a different iat. */
static void
make_creds(struct sk_signer *signer, struct sk_licence *lic,
    struct sk_buf texts[BENCH_CREDS])
{
	struct sk_buf claims, cose;
	int i, rc;

	for (i = 0; i < BENCH_CREDS; i++) {
		lic->iat += 1;
		sk_buf_init(&claims, SK_LICENCE_MAX_CLAIMS);
		sk_buf_init(&cose, SK_COSE_MAX_BYTES);
		sk_buf_init(&texts[i], SK_QRTEXT_MAX);
		if ((rc = sk_licence_encode_claims(lic, &claims)) != 0)
			die("encode claims", rc);
		if ((rc = sk_cose_sign1_sign(signer, claims.data, claims.len,
		    NULL, 0, 0, &cose)) != 0)
			die("sign", rc);
		if ((rc = sk_qrtext_encode(SK_QRTEXT_PREFIX, cose.data,
		    cose.len, &texts[i])) != 0)
			die("qr text", rc);
		sk_buf_free(&claims);
		sk_buf_free(&cose);
	}
}

int
main(int argc, char *argv[])
{
	struct sk_trust *trust = NULL;
	struct sk_cert *cert = NULL;
	struct sk_key *key = NULL;
	struct sk_signer *signer = NULL;
	struct sk_licence *lic = NULL;
	struct sk_licence_err lerr;
	struct sk_buf texts[BENCH_CREDS];
	struct sk_verify_opts opts;
	struct sk_verdict v;
	char *json, *end;
	size_t jlen;
	double seconds, t0, t1;
	long n = 0;
	int i, rc;

	if (argc != 6) {
		fprintf(stderr, "usage: bench_verify ANCHORS ISSUER.crt "
		    "ISSUER.key LICENCE.json SECONDS\n");
		return 2;
	}
	seconds = strtod(argv[5], &end);
	if (*end != '\0' || seconds <= 0 || seconds > 600) {
		fprintf(stderr, "bench_verify: bad SECONDS\n");
		return 2;
	}
	if ((rc = sk_trust_new_file(argv[1], &trust)) != 0)
		die(argv[1], rc);
	if ((rc = sk_cert_load_file(argv[2], &cert)) != 0)
		die(argv[2], rc);
	if ((rc = sk_trust_add_issuer_unsigned(trust, cert)) != 0)
		die("add issuer", rc);
	if ((rc = sk_key_load_file(argv[3], NULL, &key)) != 0)
		die(argv[3], rc);
	if ((rc = sk_signer_from_key(key, SK_ALG_NONE, cert, &signer)) != 0)
		die("signer", rc);
	json = read_text(argv[4], &jlen);
	if ((rc = sk_licence_from_json(json, jlen, &lic, &lerr)) != 0) {
		fprintf(stderr, "bench_verify: %s: %s\n", lerr.field,
		    lerr.reason);
		return 1;
	}
	free(json);
	/* Issue "now", inside every issuer certificate's validity. */
	lic->iat = (int64_t)time(NULL);
	make_creds(signer, lic, texts);

	memset(&opts, 0, sizeof(opts));
	opts.trust = trust;
	opts.at = lic->iat + 1;
	t0 = now_sec();
	do {
		for (i = 0; i < BENCH_CREDS; i++) {
			rc = sk_verify_credential(SK_INPUT_QRTEXT,
			    texts[i].data, texts[i].len, &opts, &v);
			if (rc != 0 || !v.valid) {
				fprintf(stderr, "bench_verify: not valid: %s\n",
				    v.detail);
				return 1;
			}
			sk_verdict_free(&v);
		}
		n += BENCH_CREDS;
		t1 = now_sec();
	} while (t1 - t0 < seconds);

	printf("alg=%s credentials=%d verifies=%ld seconds=%.2f "
	    "verifies_per_sec=%.1f\n", sk_alg_name(signer->alg), BENCH_CREDS,
	    n, t1 - t0, (double)n / (t1 - t0));
	for (i = 0; i < BENCH_CREDS; i++)
		sk_buf_free(&texts[i]);
	sk_licence_free(lic);
	sk_signer_free(signer);
	sk_cert_free(cert);
	sk_trust_free(trust);
	return 0;
}
