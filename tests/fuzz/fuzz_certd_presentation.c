/*
 * fuzz_certd_presentation: presentation codes (亮证码, "LP1:" texts) as a
 * verifier or certd's redeem route reads them, through
 * certd_pres_verify_trust with the example anchor and presentation
 * certificate (public example material from keys-example/, embedded so
 * that the target runs anywhere).  Corpus: corpus/certd_presentation/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/key.h"
#include "sealkit/trust.h"

#include "presentations.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sk_trust *t;
	static struct sk_cert *pc;
	struct certd_pres pres;

	if (t == NULL) {
		if (sk_trust_new((const uint8_t *)anchor_pem,
		    sizeof(anchor_pem) - 1, &t) != 0 ||
		    sk_cert_load_mem((const uint8_t *)pres_pem,
		    sizeof(pres_pem) - 1, &pc) != 0)
			abort();
	}
	memset(&pres, 0, sizeof(pres));
	if (certd_pres_verify_trust(t, pc, (const char *)data, size, FUZZ_AT,
	    &pres) == 0) {
		/* Only the genuine key can sign: a fuzzer cannot forge one. */
		if (pres.exp <= FUZZ_AT || memchr(pres.licence, '\0',
		    sizeof(pres.licence)) == NULL)
			abort();
	}
	return 0;
}
