/*
 * Fuzz the QR text container and the verification pipeline: arbitrary
 * text through sk_qrtext_decode() and sk_verify_credential() in licence
 * mode (fixed trust: the keys-example anchors and issuers, time
 * 2030-01-01) and in generic mode with issuer A's certificate.
 * Invariants (abort): a verdict is valid only without reasons; a licence
 * appears only when the signature verified; a malformed verdict names a
 * stage; a successful decode re-encodes to a text that decodes to the same
 * COSE bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sealkit/compress.h"
#include "sealkit/verify.h"

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
static const char issuer_a_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICOzCCAeCgAwIBAgIUERU1BK70HtY2d4EM3jpgvg48btcwCgYIKoZIzj0EAwIw\n"
	"XzELMAkGA1UEBhMCQ04xKzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3Ig\n"
	"cHJvZHVjdGlvbikxIzAhBgNVBAMMGmNlcnRkIGV4YW1wbGUgdHJ1c3QgYW5jaG9y\n"
	"MB4XDTI2MDEwMTAwMDAwMFoXDTM1MTIzMTIzNTk1OVowfDELMAkGA1UEBhMCQ04x\n"
	"JzAlBgNVBAoMHuekuuS+i+W4guW4guWcuuebkeedo+euoeeQhuWxgDEnMCUGA1UE\n"
	"Awwe56S65L6L5biC5biC5Zy655uR552j566h55CG5bGAMRswGQYDVQQFExIxMTk5\n"
	"MDEwMDAwMDAwMDAxOUYwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARibGUS84AX\n"
	"MZINauOSvd6RpFwtDPWNMewCeMzDbdAaciHOWs8Kl7aAyhN2Gy8LPy0w9PXCjlWO\n"
	"0zeyauqdGxvmo10wWzAJBgNVHRMEAjAAMA4GA1UdDwEB/wQEAwIHgDAdBgNVHQ4E\n"
	"FgQU0gadsqI+TtAGhUnXg8i3cRNpKmEwHwYDVR0jBBgwFoAUGekW6bfHEwXaexp2\n"
	"d254ZZXUXrAwCgYIKoZIzj0EAwIDSQAwRgIhAIngrHZnOWNH1tYbwHooDktSvutF\n"
	"x/12tscn5PNMXB42AiEA4fKu/l61S7qihCyJyXc4wv291EUkFf/2w+HuhNAunMc=\n"
	"-----END CERTIFICATE-----\n";
static const char issuer_b_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIICJjCCAcygAwIBAgIUGEXPb9o83PxQQLYUzuAr5uUroB4wCgYIKoEcz1UBg3Uw\n"
	"YzELMAkGA1UEBhMCQ04xKzApBgNVBAoMImNlcnRkIGV4YW1wbGUgKG5vdCBmb3Ig\n"
	"cHJvZHVjdGlvbikxJzAlBgNVBAMMHmNlcnRkIGV4YW1wbGUgU00yIHRydXN0IGFu\n"
	"Y2hvcjAeFw0yNjAxMDEwMDAwMDBaFw0zNTEyMzEyMzU5NTlaMGQxCzAJBgNVBAYT\n"
	"AkNOMRswGQYDVQQKDBLnpLrkvovluILlhazlronlsYAxGzAZBgNVBAMMEuekuuS+\n"
	"i+W4guWFrOWuieWxgDEbMBkGA1UEBRMSMTE5OTAxMDAwMDAwMDAwMjdBMFkwEwYH\n"
	"KoZIzj0CAQYIKoEcz1UBgi0DQgAE961WAS7EYcCCAX27MAD6gOV3BUhit9nWUE/5\n"
	"oJh+T3cFz0AWMDESBjRQYAYJO/XPej3Z/KICegPNkE3F8A7d+qNdMFswCQYDVR0T\n"
	"BAIwADAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFHHGNOhprL58CqTbaLcbHacG\n"
	"HVmSMB8GA1UdIwQYMBaAFJahKDLfvXKC+9tqXRrvW/YOcRIaMAoGCCqBHM9VAYN1\n"
	"A0gAMEUCIQC3b5PpuijoGrSNEYB5zRYNWtlULM6yaDnEWrqixsvOlAIgQDk4DFh8\n"
	"Ni8YtjgIEdgomLp8LMZXWUqIUwHPyz1nBko=\n"
	"-----END CERTIFICATE-----\n";

#define FUZZ_NOW	INT64_C(1893456000)

static struct sk_trust	*trust;
static struct sk_cert	*cert_a;

static void
setup(void)
{
	struct sk_cert *b = NULL;

	if (sk_trust_new((const uint8_t *)anchors_pem, sizeof(anchors_pem) - 1,
	    &trust) != 0 ||
	    sk_cert_load_mem((const uint8_t *)issuer_a_pem,
	    sizeof(issuer_a_pem) - 1, &cert_a) != 0 ||
	    sk_cert_load_mem((const uint8_t *)issuer_b_pem,
	    sizeof(issuer_b_pem) - 1, &b) != 0 ||
	    sk_trust_add_issuer_unsigned(trust, cert_a) != 0 ||
	    sk_trust_add_issuer_unsigned(trust, b) != 0)
		abort();
	sk_cert_free(b);
}

static void
check(const struct sk_verdict *v, int generic)
{
	if (v->valid != (v->reasons == 0))
		abort();
	if ((v->reasons & SK_REASON_MALFORMED) && v->stage == SK_STAGE_NONE)
		abort();
	if ((v->reasons & (SK_REASON_BAD_SIGNATURE | SK_REASON_UNKNOWN_KID)) &&
	    (v->licence != NULL || v->payload != NULL))
		abort();
	if (v->valid && !generic && v->licence == NULL)
		abort();
}

static void
roundtrip(const uint8_t *data, size_t size)
{
	struct sk_buf a, t, b;
	enum sk_stage st;

	sk_buf_init(&a, SK_INFLATE_DEFAULT_MAX);
	if (sk_qrtext_decode((const char *)data, size, SK_QRTEXT_PREFIX,
	    SK_QRTEXT_STRICT_ZLIB, &a, &st) != 0) {
		if (st == SK_STAGE_NONE)
			abort();
		sk_buf_free(&a);
		return;
	}
	sk_buf_init(&t, SK_QRTEXT_MAX);
	sk_buf_init(&b, SK_INFLATE_DEFAULT_MAX);
	if (sk_qrtext_encode(SK_QRTEXT_PREFIX, a.data, a.len, &t) == 0 &&
	    (sk_qrtext_decode((const char *)t.data, t.len, SK_QRTEXT_PREFIX,
	    SK_QRTEXT_STRICT_ZLIB, &b, &st) != 0 || a.len != b.len ||
	    (a.len > 0 && memcmp(a.data, b.data, a.len) != 0)))
		abort();
	sk_buf_free(&a);
	sk_buf_free(&t);
	sk_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sk_verify_opts o;
	struct sk_verdict v;

	if (trust == NULL)
		setup();
	roundtrip(data, size);
	memset(&o, 0, sizeof(o));
	o.trust = trust;
	o.at = FUZZ_NOW;
	if (sk_verify_credential(SK_INPUT_QRTEXT, data, size, &o, &v) != 0)
		abort();
	check(&v, 0);
	sk_verdict_free(&v);
	if (sk_verify_credential(SK_INPUT_COSE, data, size, &o, &v) != 0)
		abort();
	check(&v, 0);
	sk_verdict_free(&v);
	o.cert = cert_a;
	o.flags = SK_VERIFY_GENERIC;
	if (sk_verify_credential(SK_INPUT_QRTEXT, data, size, &o, &v) != 0)
		abort();
	check(&v, 1);
	sk_verdict_free(&v);
	return 0;
}
