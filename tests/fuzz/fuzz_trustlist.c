/*
 * Fuzz sk_trust_load_list() with a fixed anchor store (the keys-example
 * anchors) at 2030-01-01.  Invariants (abort): a failed load leaves no
 * issuers; a successful one holds 1..SK_TRUST_MAX_CERTS issuers and
 * list times with iat <= now < next_update.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sealkit/trust.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* keys-example/trust-anchors.pem, issuer-a.crt.pem, issuer-b.crt.pem. */
static const char anchors_pem[] =
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
	"-----END CERTIFICATE-----\n"
	"-----BEGIN CERTIFICATE-----\n"
	"MIICDDCCAbOgAwIBAgIULGXdklW8amju2MA2iBQFvBOGGJUwCgYIKoEcz1UBg3Uw\n"
	"YzELMAkGA1UEBhMCQ04xKzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3Ig\n"
	"cHJvZHVjdGlvbikxJzAlBgNVBAMMHmNlcnRkIGV4YW1wbGUgU00yIHRydXN0IGFu\n"
	"Y2hvcjAeFw0yNjAxMDEwMDAwMDBaFw00NTEyMzEyMzU5NTlaMGMxCzAJBgNVBAYT\n"
	"AkNOMSswKQYDVQQKDCJjZXJ0ZCBleGFtcGxlIChub3QgZm9yIHByb2R1Y3Rpb24p\n"
	"MScwJQYDVQQDDB5jZXJ0ZCBleGFtcGxlIFNNMiB0cnVzdCBhbmNob3IwWTATBgcq\n"
	"hkjOPQIBBggqgRzPVQGCLQNCAARf8tWPmwALamtJoncjq41UAtZZ8wmUyPzUuU/U\n"
	"guCzmgkmGqm8jjrXhHdnWnWX5WEsyHzroF1xUCNAPoKN/rnko0UwQzASBgNVHRMB\n"
	"Af8ECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUlqEoMt+9coL7\n"
	"22pdGu9b9g5xEhowCgYIKoEcz1UBg3UDRwAwRAIgTySxK+juoLioj6YaqFK4RFHA\n"
	"mpaYvNcA7mres3KcCsACIBlybL2Wrr1nK0j9wV4VmmBJBKDsqgmrvmx03HYWDSxB\n"
	"-----END CERTIFICATE-----\n";

#define FUZZ_NOW	INT64_C(1893456000)

static struct sk_trust *trust;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t iat, next;
	size_t n;

	if (trust == NULL && sk_trust_new((const uint8_t *)anchors_pem,
	    sizeof(anchors_pem) - 1, &trust) != 0)
		abort();
	if (sk_trust_load_list(trust, data, size, FUZZ_NOW) != 0) {
		if (sk_trust_count(trust) != 0)
			abort();
		return 0;
	}
	n = sk_trust_count(trust);
	if (n == 0 || n > SK_TRUST_MAX_CERTS)
		abort();
	sk_trust_list_times(trust, &iat, &next);
	if (iat > FUZZ_NOW || next <= FUZZ_NOW)
		abort();
	return 0;
}
