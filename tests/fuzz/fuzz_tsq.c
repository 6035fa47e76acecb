/*
 * libFuzzer target: RFC 3161 TimeStampReq through sk_tsa_respond()
 * (sealkit/tsa.h) with a fixed TSA (the public keys-example TSA key and
 * certificate, embedded below) and a fixed clock.  Every input must give
 * a reply (or SK_ERR_LIMIT when too long) that parses as one DER
 * TimeStampResp whose status agrees with the outcome, and a granted
 * reply's TSTInfo must carry the request's imprint and nonce.
 *
 * Corpus tests/fuzz/corpus/tsq/: requests made in an empty directory by
 *   printf 'tsq corpus' >d
 *   for h in sha256 sha384 sha512 sm3 sha1 md5; do
 *     openssl ts -query -data d -$h -cert -out q-$h-cert-nonce.tsq
 *     openssl ts -query -data d -$h -no_nonce -out q-$h.tsq; done
 *   openssl ts -query -data d -sha256 -tspolicy \
 *     2.25.82352737923453596344026957622897604915 -out q-policy.tsq
 *   openssl ts -query -data d -sha256 -tspolicy 2.25.1 \
 *     -out q-otherpolicy.tsq
 * and broken ones derived from them by hand (bad-*.tsq: truncated,
 * trailing byte, BER length, version 2, wrong imprint length, hash
 * parameters, an extension, garbage).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/ts.h>

#include "sealkit/key.h"
#include "sealkit/tsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* keys-example/tsa.key.pem and tsa.crt.pem: public example material. */
static const char tsa_key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgF+yBWTFZlNaOuVcN\n"
	"Jj5rldmomXJJ+tLoTbQ2sv31MRihRANCAASIyCfl87FRydbR+aBZZ/n5d2x1/jvC\n"
	"SuFuOUVyNtaWlrR/EK7KUXcVCOIXdBeay6XAKJd7g81fGi6ZfdK1ewek\n"
	"-----END PRIVATE KEY-----\n";
static const char tsa_crt_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICLDCCAdKgAwIBAgIUSTO7jdZFvp3nXPf/CuztEygZOHEwCgYIKoZIzj0EAwIw\n"
	"XzELMAkGA1UEBhMCQ04xKzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3Ig\n"
	"cHJvZHVjdGlvbikxIzAhBgNVBAMMGmNlcnRkIGV4YW1wbGUgdHJ1c3QgYW5jaG9y\n"
	"MB4XDTI2MDEwMTAwMDAwMFoXDTM1MTIzMTIzNTk1OVowVjELMAkGA1UEBhMCQ04x\n"
	"KzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3IgcHJvZHVjdGlvbikxGjAY\n"
	"BgNVBAMMEWNlcnRkIGV4YW1wbGUgVFNBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD\n"
	"QgAEiMgn5fOxUcnW0fmgWWf5+Xdsdf47wkrhbjlFcjbWlpa0fxCuylF3FQjiF3QX\n"
	"msulwCiXe4PNXxoumX3StXsHpKN1MHMwCQYDVR0TBAIwADAOBgNVHQ8BAf8EBAMC\n"
	"BsAwFgYDVR0lAQH/BAwwCgYIKwYBBQUHAwgwHQYDVR0OBBYEFPyRi0HIuf6YTqSa\n"
	"hTMJvKgPDQ7ZMB8GA1UdIwQYMBaAFBnpFum3xxMF2nsadndueGWV1F6wMAoGCCqG\n"
	"SM49BAMCA0gAMEUCIB9wvy19TJyonECFgOYPBqhgLJxVTZsYDM2ZvcjMTKVcAiEA\n"
	"m6XTZINQmL0JB1zw1raa/9nErzNfJWMQBzinvaFkXJo=\n"
	"-----END CERTIFICATE-----\n";

/* 2026-06-01T00:00:00Z, inside the certificate's validity. */
#define FUZZ_NOW	1780272000

static struct sk_tsa *fuzz_tsa;

static int
fuzz_clock(void *arg, int64_t *sec)
{
	(void)arg;
	*sec = FUZZ_NOW;
	return 0;
}

static void
fuzz_setup(void)
{
	struct sk_key *key;
	struct sk_cert *cert;

	if (sk_key_load_mem((const uint8_t *)tsa_key_pem,
	    sizeof(tsa_key_pem) - 1, NULL, &key) != 0 ||
	    sk_cert_load_mem((const uint8_t *)tsa_crt_pem,
	    sizeof(tsa_crt_pem) - 1, &cert) != 0 ||
	    sk_tsa_new(key, cert, NULL, 0, &fuzz_tsa) != 0)
		abort();
	sk_key_free(key);
	sk_cert_free(cert);
	sk_tsa_set_clock(fuzz_tsa, fuzz_clock, NULL);
}

/* A granted token answers this very request. */
static void
fuzz_check_token(TS_RESP *resp, const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	TS_TST_INFO *tst = TS_RESP_get_tst_info(resp);
	TS_MSG_IMPRINT *qmi, *rmi;
	TS_REQ *req;

	if (tst == NULL || TS_RESP_get_token(resp) == NULL ||
	    (req = d2i_TS_REQ(NULL, &p, (long)size)) == NULL)
		abort();
	qmi = TS_REQ_get_msg_imprint(req);
	rmi = TS_TST_INFO_get_msg_imprint(tst);
	if (ASN1_STRING_cmp(TS_MSG_IMPRINT_get_msg(qmi),
	    TS_MSG_IMPRINT_get_msg(rmi)) != 0)
		abort();
	if ((TS_REQ_get_nonce(req) == NULL) !=
	    (TS_TST_INFO_get_nonce(tst) == NULL))
		abort();
	if (TS_REQ_get_nonce(req) != NULL &&
	    ASN1_INTEGER_cmp(TS_REQ_get_nonce(req),
	    TS_TST_INFO_get_nonce(tst)) != 0)
		abort();
	if (TS_REQ_get_version(req) != 1 || TS_REQ_get_ext_count(req) != 0)
		abort();
	TS_REQ_free(req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_tsa_outcome oc;
	struct sk_buf reply;
	const unsigned char *p;
	TS_RESP *resp;
	long status;
	int rc;

	if (fuzz_tsa == NULL)
		fuzz_setup();
	sk_buf_init(&reply, SK_TSA_MAX_REPLY);
	rc = sk_tsa_respond(fuzz_tsa, data, size, &reply, &oc);
	if (rc == SK_ERR_LIMIT && size > SK_TSA_MAX_QUERY && reply.len == 0)
		goto out;
	if (rc != 0 || reply.len == 0)
		abort();
	p = reply.data;
	if ((resp = d2i_TS_RESP(NULL, &p, (long)reply.len)) == NULL ||
	    p != reply.data + reply.len)
		abort();
	status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(
	    TS_RESP_get_status_info(resp)));
	if (status != oc.status || (status == SK_TSA_GRANTED) !=
	    (oc.failinfo == 0))
		abort();
	if (status == SK_TSA_GRANTED)
		fuzz_check_token(resp, data, size);
	else if (TS_RESP_get_token(resp) != NULL)
		abort();
	TS_RESP_free(resp);
out:
	sk_buf_free(&reply);
	return 0;
}
