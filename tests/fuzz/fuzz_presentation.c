/*
 * fuzz_presentation: presentation codes (亮证码, "LP1:" texts) as an
 * offline verifier reads them, through libsealkit's sk_pres_verify with
 * the example anchor and presentation certificate (public example
 * material from keys-example/, embedded so that the target runs
 * anywhere), and through sk_pres_verify_key with that certificate's key.
 * Corpus: corpus/presentation/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/key.h"
#include "sealkit/trust.h"
#include "sealkit/presentation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char anchor_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICBTCCAaugAwIBAgIUUtU9aYKdk+D23rouZI2DLR6a+CgwCgYIKoZIzj0EAwIw\n"
	"XzELMAkGA1UEBhMCQ04xKzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3Ig\n"
	"cHJvZHVjdGlvbikxIzAhBgNVBAMMGmNlcnRkIGV4YW1wbGUgdHJ1c3QgYW5jaG9y\n"
	"MB4XDTI2MDEwMTAwMDAwMFoXDTQ1MTIzMTIzNTk1OVowXzELMAkGA1UEBhMCQ04x\n"
	"KzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3IgcHJvZHVjdGlvbikxIzAh\n"
	"BgNVBAMMGmNlcnRkIGV4YW1wbGUgdHJ1c3QgYW5jaG9yMFkwEwYHKoZIzj0CAQYI\n"
	"KoZIzj0DAQcDQgAEdCnnx21GUTuzEL25HPBvZLir/z//XFet+Yv9qCPdYnncCMj7\n"
	"tD6w4KzQcINtrFPLH/HnpRq1q4FrCokOROwqmqNFMEMwEgYDVR0TAQH/BAgwBgEB\n"
	"/wIBADAOBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFBnpFum3xxMF2nsadndueGWV\n"
	"1F6wMAoGCCqGSM49BAMCA0gAMEUCIQDF/cW5rwN+2okPP4a7SfN/RyCf7t5WuRT1\n"
	"r0BpnPztLwIgSkLOulW7Sm4k15AkiwxVUzc459R1IQRXsbZHA1nBzSY=\n"
	"-----END CERTIFICATE-----\n";

static const char pres_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICIjCCAcegAwIBAgIUVYmrroBxs6GsWXRtHd13N6wAltUwCgYIKoZIzj0EAwIw\n"
	"XzELMAkGA1UEBhMCQ04xKzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3Ig\n"
	"cHJvZHVjdGlvbikxIzAhBgNVBAMMGmNlcnRkIGV4YW1wbGUgdHJ1c3QgYW5jaG9y\n"
	"MB4XDTI2MDEwMTAwMDAwMFoXDTM1MTIzMTIzNTk1OVowYzELMAkGA1UEBhMCQ04x\n"
	"KzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3IgcHJvZHVjdGlvbikxJzAl\n"
	"BgNVBAMMHmNlcnRkIGV4YW1wbGUgcHJlc2VudGF0aW9uIGtleTBZMBMGByqGSM49\n"
	"AgEGCCqGSM49AwEHA0IABK7X/PXzA8gvYTfhU3ZD/lb9SjR9zQ4x86kovXo70Y+I\n"
	"aJUGokapROICaHwSL8wbkJD/wVaD6ndQeWPHpLwDl8ejXTBbMAkGA1UdEwQCMAAw\n"
	"DgYDVR0PAQH/BAQDAgeAMB0GA1UdDgQWBBSgt4mpwniDtFViS/nHbVak6QGGbzAf\n"
	"BgNVHSMEGDAWgBQZ6Rbpt8cTBdp7GnZ3bnhlldResDAKBggqhkjOPQQDAgNJADBG\n"
	"AiEAqGORrntbAikO2SX8fudcUcUq4+ShQoVdedxJKPpCWSICIQDTTLTqyR2H44yB\n"
	"VjLcylmhP9nEkVngt8/q/VV0ww5f7w==\n"
	"-----END CERTIFICATE-----\n";

/* 2026-06-01T00:00:00Z: inside the example certificates' validity. */
#define FUZZ_AT	INT64_C(1780272000)

/* A verified code holds terminated strings and is valid at FUZZ_AT. */
static void
check(const struct sk_pres *pres)
{
	if (pres->exp <= FUZZ_AT || pres->iat >= pres->exp ||
	    memchr(pres->licence, '\0', sizeof(pres->licence)) == NULL ||
	    memchr(pres->holder, '\0', sizeof(pres->holder)) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sk_trust *t;
	static struct sk_cert *pc;
	static struct sk_key *key;
	static uint8_t kid[SK_KID_LEN];
	struct sk_pres pres;
	int r1, r2;

	if (t == NULL) {
		if (sk_trust_new((const uint8_t *)anchor_pem,
		    sizeof(anchor_pem) - 1, &t) != 0 ||
		    sk_cert_load_mem((const uint8_t *)pres_pem,
		    sizeof(pres_pem) - 1, &pc) != 0 ||
		    sk_cert_pubkey(pc, &key) != 0 || sk_cert_kid(pc, kid) != 0)
			abort();
	}
	/* Only the genuine key can sign: a fuzzer cannot forge one. */
	if ((r1 = sk_pres_verify((const char *)data, size, t, pc, FUZZ_AT,
	    &pres)) == 0)
		check(&pres);
	if ((r2 = sk_pres_verify_key((const char *)data, size, key, kid,
	    sizeof(kid), FUZZ_AT, &pres)) == 0)
		check(&pres);
	/* The certificate is valid at FUZZ_AT: both ways agree on validity. */
	if ((r1 == 0) != (r2 == 0))
		abort();
	return 0;
}
