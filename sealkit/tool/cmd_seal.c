/*
 * sealkit seal make | inspect | sign | stamp | verify: electronic seals
 * (SESeal) and signatures (SES_Signature) of GB/T 38540 (docs/SEALS.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "sealkit/ident.h"
#include "sealkit/key.h"
#include "sealkit/seal.h"
#include "sealkit/verify.h"

#include "key_int.h"
#include "timeopt.h"
#include "tool.h"
#include "tsaclient.h"

/* Bytes of a document read at a time while hashing it. */
#define SEAL_HASH_CHUNK	(64u * 1024u)
/* Longest line of text we print for one field. */
#define SEAL_TEXT_MAX	512u

enum {
	OPT_MAKER_KEY = 256,
	OPT_MAKER_CERT,
	OPT_OWNER,
	OPT_TYPE,
	OPT_NAME,
	OPT_PICTURE,
	OPT_WIDTH,
	OPT_HEIGHT,
	OPT_CERT,
	OPT_FROM,
	OPT_TO,
	OPT_CREATED,
	OPT_ESID,
	OPT_VID,
	OPT_OUT,
	OPT_FORCE,
	OPT_PWFILE,
	OPT_PWENV,
	OPT_IN,
	OPT_PICTURE_OUT,
	OPT_JSON,
	OPT_SEAL,
	OPT_KEY,
	OPT_PROPERTY,
	OPT_TIME,
	OPT_TSA,
	OPT_TSA_QUERY_OUT,
	OPT_TSA_REPLY,
	OPT_DATA,
	OPT_TSA_CERT,
	OPT_REQUIRE_TS,
	OPT_AT,
	OPT_STATUS
};

static const char make_usage[] =
    "usage: sealkit seal make --maker-key KEY --maker-cert CERT\n"
    "           --owner USCC --type N --name NAME --picture PNG\n"
    "           --cert CERT [--cert CERT ...] --valid-from T --valid-to T\n"
    "           [--width MM] [--height MM] [--esid ID] [--vid VID]\n"
    "           [--created T] --out FILE|-\n"
    "           [--password-file FILE | --password-env VAR] [--force]\n"
    "\n"
    "Make a GB/T 38540-2020 seal (SESeal version 4), signed by the seal\n"
    "maker with SM2-SM3 (DER signature).\n"
    "\n"
    "  --maker-key KEY      the seal maker's SM2 private key\n"
    "  --maker-cert CERT    the seal maker's certificate (must match)\n"
    "  --owner USCC         the owner's unified social credit code; every\n"
    "                       --cert must carry it as subject serialNumber\n"
    "  --type N             seal type (SES_ESPropertyInfo.type), e.g. 1\n"
    "  --name NAME          seal name, UTF-8\n"
    "  --picture PNG        the seal picture (PNG, at most 512 KiB and\n"
    "                       4096 pixels a side)\n"
    "  --width MM, --height MM  printed size in mm (default 40)\n"
    "  --cert CERT          an owner's signing certificate (1 to 16)\n"
    "  --valid-from T, --valid-to T  validity (RFC 3339, date or @epoch)\n"
    "  --created T          createDate (default now)\n"
    "  --esid ID            seal identifier (default USCC and createDate\n"
    "                       as YYYYMMDDhhmmss)\n"
    "  --vid VID            maker's vendor ID (default \"sealkit\")\n"
    "  --out FILE           seal file (DER), - for stdout\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --force              replace an existing output file\n";

static const char inspect_usage[] =
    "usage: sealkit seal inspect --in FILE|- [--picture-out FILE] [--json]\n"
    "           [--force]\n"
    "\n"
    "Print every field of a seal (SESeal v1, v4 or v5) or of a signature\n"
    "(SES_Signature, with its seal), labelled NOT VERIFIED.  Use 'sealkit\n"
    "seal verify' to verify.\n"
    "\n"
    "  --in FILE            seal or signature (DER), - for stdin\n"
    "  --picture-out FILE   write the seal picture to FILE\n"
    "  --json               print one JSON object\n"
    "  --force              replace an existing picture file\n";

static const char sign_usage[] =
    "usage: sealkit seal sign --seal SEAL --key KEY --cert CERT --in DOC\n"
    "           --out FILE|- [--property TEXT] [--time T]\n"
    "           [--tsa URL | --tsa-query-out FILE] [--password-file FILE |\n"
    "           --password-env VAR] [--force]\n"
    "\n"
    "Sign a document: an SES_Signature version 4 over SM3(DOC) with the\n"
    "seal owner's key.  CERT must be listed in the seal.  With --tsa, the\n"
    "signature carries an RFC 3161 time-stamp over its value.\n"
    "\n"
    "  --seal SEAL          the seal (DER)\n"
    "  --key KEY            the owner's SM2 private key\n"
    "  --cert CERT          its certificate\n"
    "  --in DOC             the document, - for stdin\n"
    "  --out FILE           signature file (DER), - for stdout\n"
    "  --property TEXT      propertyInfo (default: the name of DOC)\n"
    "  --time T             timeInfo (default now)\n"
    "  --tsa-query-out FILE write an RFC 3161 query over the signature\n"
    "                       value: send it to a TSA (openssl ts, certd\n"
    "                       /v1/tsa), then 'sealkit seal stamp'\n"
    "  --tsa URL            get a time-stamp token over the signature\n"
    "                       value from the TSA at URL (http or https,\n"
    "                       e.g. certd's /v1/tsa) and embed it\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --force              replace existing output files\n";

static const char stamp_usage[] =
    "usage: sealkit seal stamp --in SIG (--tsa-reply FILE --out FILE|- |\n"
    "           --tsa-query-out FILE) [--force]\n"
    "\n"
    "Time-stamp a signature: write the RFC 3161 query over its signature\n"
    "value, or put a TimeStampResp or TimeStampToken received for it into\n"
    "its timeStamp field.  The token must be bound to the signature value.\n"
    "\n"
    "  --in SIG             SES_Signature v4 (DER)\n"
    "  --tsa-query-out FILE write the TimeStampReq (SHA-256) to FILE\n"
    "  --tsa-reply FILE     a TimeStampResp or TimeStampToken (DER)\n"
    "  --out FILE           the time-stamped signature, - for stdout\n"
    "  --force              replace existing output files\n";

static const char verify_usage[] =
    "usage: sealkit seal verify (--in SIG | --seal SEAL) [--data DOC]\n"
    "           [--tsa-cert CERT] [--require-timestamp] [--at T]\n"
    "           [--status valid|revoked|suspended] [--json]\n"
    "\n"
    "Verify a signature (SES_Signature v1, v4, v5) or a seal alone.  Each\n"
    "check is reported by name: maker-signature, seal-validity (at the\n"
    "signing time; for a seal alone at --at, default now), seal-timestamp\n"
    "(v5), signer-listed, signature, data-hash, timestamp,\n"
    "timestamp-binding, seal-status.  Exit 0 when every check that ran\n"
    "passed, 1 when one failed, 3 when the input is malformed.\n"
    "\n"
    "  --in SIG             the signature (DER)\n"
    "  --seal SEAL          verify a seal alone\n"
    "  --data DOC           the signed document: check dataHash = SM3(DOC)\n"
    "  --tsa-cert CERT      the trusted TSA certificate for time-stamps\n"
    "  --require-timestamp  a missing time-stamp token fails\n"
    "  --at T               time for a seal alone (default now)\n"
    "  --status S           the seal's status, as found by the caller\n"
    "  --json               print one JSON object\n";

/* shared helpers */

static int
seal_time_opt(const char *s, const char *what, int64_t *t)
{
	return tool_time_parse(s, what, t);
}

static int
seal_long_opt(const char *s, const char *what, long long lo, long long hi,
    int64_t *v)
{
	char *end;
	long long n;

	n = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || n < lo || n > hi) {
		tool_warnx("%s %s: expected a number from %lld to %lld", what,
		    s, lo, hi);
		return TOOL_EXIT_USAGE;
	}
	*v = n;
	return 0;
}

/* Print bytes as text, with anything not printable ASCII or UTF-8 as \xNN. */
static void
seal_text(char *dst, size_t dstlen, const struct sk_seal_bytes *b)
{
	size_t i, o = 0;
	uint8_t c;

	for (i = 0; i < b->len && o + 5 < dstlen; i++) {
		c = b->p[i];
		if ((c >= 0x20 && c < 0x7f && c != '\\') || c >= 0x80)
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, dstlen - o, "\\x%02x", c);
	}
	dst[o] = '\0';
}

static void
seal_hex(char *dst, size_t dstlen, const struct sk_seal_bytes *b)
{
	tool_hex(b->p, b->len, dst, dstlen);
}

/* "YYYY-MM-DDTHH:MM:SSZ". */
static void
seal_time(int64_t t, char buf[TOOL_TIME_STRLEN])
{
	tool_time_format(t, buf);
}

/* A certificate's subject on one line. */
static void
seal_cert_subject(const struct sk_seal_bytes *der, char *buf, size_t len)
{
	const unsigned char *p = der->p;
	X509 *x;
	BIO *b;
	int n;

	snprintf(buf, len, "(not a certificate)");
	if (der->len == 0 || der->len > SK_SEAL_MAX_CERT_BYTES ||
	    (x = d2i_X509(NULL, &p, (long)der->len)) == NULL)
		return;
	if ((b = BIO_new(BIO_s_mem())) != NULL &&
	    X509_NAME_print_ex(b, X509_get_subject_name(x), 0,
	    XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0 &&
	    (n = BIO_read(b, buf, (int)len - 1)) > 0)
		buf[n] = '\0';
	BIO_free(b);
	X509_free(x);
}

/* make */

struct make_args {
	const char		*maker_key;
	const char		*maker_cert;
	const char		*owner;
	const char		*name;
	const char		*picture;
	const char		*certs[SK_SEAL_MAX_CERTS];
	size_t			 ncerts;
	const char		*esid;
	const char		*vid;
	const char		*out;
	int64_t			 type;
	int64_t			 width;
	int64_t			 height;
	int64_t			 from;
	int64_t			 to;
	int64_t			 created;
	int			 have_type, have_from, have_to;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
make_opt2(struct make_args *a, int c)
{
	switch (c) {
	case OPT_FROM:
		a->have_from = 1;
		return seal_time_opt(optarg, "--valid-from", &a->from);
	case OPT_TO:
		a->have_to = 1;
		return seal_time_opt(optarg, "--valid-to", &a->to);
	case OPT_CREATED:
		return seal_time_opt(optarg, "--created", &a->created);
	case OPT_ESID:
		a->esid = optarg;
		return 0;
	case OPT_VID:
		a->vid = optarg;
		return 0;
	case OPT_OUT:
		a->out = optarg;
		return 0;
	case OPT_FORCE:
		a->wflags |= TOOL_W_FORCE;
		return 0;
	case OPT_PWFILE:
		a->pw.file = optarg;
		return 0;
	case OPT_PWENV:
		a->pw.env = optarg;
		return 0;
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
make_opt(void *arg, int c)
{
	struct make_args *a = arg;
	switch (c) {
	case OPT_MAKER_KEY:
		a->maker_key = optarg;
		return 0;
	case OPT_MAKER_CERT:
		a->maker_cert = optarg;
		return 0;
	case OPT_OWNER:
		a->owner = optarg;
		return 0;
	case OPT_TYPE:
		a->have_type = 1;
		return seal_long_opt(optarg, "--type", 0, INT32_MAX, &a->type);
	case OPT_NAME:
		a->name = optarg;
		return 0;
	case OPT_PICTURE:
		a->picture = optarg;
		return 0;
	case OPT_WIDTH:
		return seal_long_opt(optarg, "--width", 1,
		    SK_SEAL_MAX_PICTURE_MM, &a->width);
	case OPT_HEIGHT:
		return seal_long_opt(optarg, "--height", 1,
		    SK_SEAL_MAX_PICTURE_MM, &a->height);
	case OPT_CERT:
		if (a->ncerts == SK_SEAL_MAX_CERTS) {
			tool_warnx("more than %u --cert (SK_SEAL_MAX_CERTS)",
			    SK_SEAL_MAX_CERTS);
			return TOOL_EXIT_USAGE;
		}
		a->certs[a->ncerts++] = optarg;
		return 0;
	default:
		return make_opt2(a, c);
	}
}

static int
make_required(const struct make_args *a)
{
	if (a->maker_key == NULL)
		return tool_missing("--maker-key");
	if (a->maker_cert == NULL)
		return tool_missing("--maker-cert");
	if (a->owner == NULL)
		return tool_missing("--owner");
	if (!a->have_type)
		return tool_missing("--type");
	if (a->name == NULL)
		return tool_missing("--name");
	if (a->picture == NULL)
		return tool_missing("--picture");
	if (a->ncerts == 0)
		return tool_missing("--cert");
	if (!a->have_from)
		return tool_missing("--valid-from");
	if (!a->have_to)
		return tool_missing("--valid-to");
	if (a->out == NULL)
		return tool_missing("--out");
	if (a->from >= a->to) {
		tool_warnx("--valid-from must be before --valid-to");
		return TOOL_EXIT_USAGE;
	}
	return tool_pwopt_check(&a->pw);
}

static int
make_parse(int argc, char **argv, struct make_args *a)
{
	static const struct option opts[] = {
		{ "maker-key", required_argument, NULL, OPT_MAKER_KEY },
		{ "maker-cert", required_argument, NULL, OPT_MAKER_CERT },
		{ "owner", required_argument, NULL, OPT_OWNER },
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "picture", required_argument, NULL, OPT_PICTURE },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "valid-from", required_argument, NULL, OPT_FROM },
		{ "valid-to", required_argument, NULL, OPT_TO },
		{ "created", required_argument, NULL, OPT_CREATED },
		{ "esid", required_argument, NULL, OPT_ESID },
		{ "vid", required_argument, NULL, OPT_VID },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "password-env", required_argument, NULL, OPT_PWENV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, make_opt, a)) != 0)
		return rc;
	return make_required(a);
}

/* The owner's USCC must be the subject serialNumber of each certificate. */
static int
make_check_owner(const char *path, const struct sk_cert *cert,
    const char *uscc)
{
	char sn[SK_SEAL_MAX_STRING];
	X509_NAME *n = X509_get_subject_name(sk_cert_x509(cert));

	if (X509_NAME_get_text_by_NID(n, NID_serialNumber, sn,
	    (int)sizeof(sn)) <= 0 || strcmp(sn, uscc) != 0) {
		tool_warnx("%s: subject serialNumber is not the owner %s",
		    path, uscc);
		return SK_ERR_CERT;
	}
	return 0;
}

static int
make_load_certs(const struct make_args *a, struct sk_cert **certs)
{
	size_t i;
	int rc;

	for (i = 0; i < a->ncerts; i++) {
		if ((rc = sk_cert_load_file(a->certs[i], &certs[i])) != 0) {
			tool_warn_err(rc, "%s", a->certs[i]);
			return rc;
		}
		if ((rc = make_check_owner(a->certs[i], certs[i],
		    a->owner)) != 0)
			return rc;
	}
	return 0;
}

static int
make_signer(const struct make_args *a, struct sk_cert **mcert,
    struct sk_signer **signer)
{
	struct sk_key *key;
	int rc;

	if ((rc = tool_load_key(a->maker_key, &a->pw, &key)) != 0)
		return rc;
	if ((rc = sk_cert_load_file(a->maker_cert, mcert)) != 0) {
		tool_warn_err(rc, "%s", a->maker_cert);
		sk_key_free(key);
		return rc;
	}
	if ((rc = sk_signer_from_key(key, SK_ALG_SM2_SM3, *mcert,
	    signer)) != 0)
		tool_warn_err(rc, "%s: not an SM2 key for %s", a->maker_key,
		    a->maker_cert);
	return rc;
}

static int
make_run(struct make_args *a, const char *esid)
{
	struct sk_cert *certs[SK_SEAL_MAX_CERTS], *mcert = NULL;
	struct sk_signer *signer = NULL;
	struct sk_seal_params p;
	struct sk_buf png, out;
	size_t i;
	int rc;

	memset(certs, 0, sizeof(certs));
	sk_buf_init(&out, SK_SEAL_MAX_BYTES);
	rc = tool_read(a->picture, SK_SEAL_MAX_PICTURE, "SK_SEAL_MAX_PICTURE",
	    0, &png);
	if (rc != 0)
		return rc;
	if ((rc = make_load_certs(a, certs)) != 0 ||
	    (rc = make_signer(a, &mcert, &signer)) != 0)
		goto out;
	memset(&p, 0, sizeof(p));
	p.vid = a->vid;
	p.esid = esid;
	p.type = a->type;
	p.name = a->name;
	p.png = tool_bytes(&png);
	p.pnglen = png.len;
	p.width_mm = a->width;
	p.height_mm = a->height;
	p.certs = (const struct sk_cert *const *)certs;
	p.ncerts = a->ncerts;
	p.created = a->created;
	p.valid_from = a->from;
	p.valid_to = a->to;
	if ((rc = sk_seal_make(&p, signer, mcert, &out)) != 0)
		tool_warn_err(rc, "making the seal");
	else
		rc = tool_write(a->out, out.data, out.len, a->wflags);
out:
	for (i = 0; i < a->ncerts; i++)
		sk_cert_free(certs[i]);
	sk_cert_free(mcert);
	sk_signer_free(signer);
	sk_buf_free(&png);
	sk_buf_free(&out);
	return rc;
}

static int
seal_make(int argc, char **argv)
{
	struct make_args a;
	char esid[SK_SEAL_MAX_STRING + 1], t[TOOL_TIME_STRLEN];
	const char *why = NULL;
	size_t i, o = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	a.width = a.height = 40;
	a.vid = "sealkit";
	a.created = tool_time_now();
	if ((rc = make_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if (sk_uscc_check(a.owner, strlen(a.owner), &why) != 0) {
		tool_warnx("--owner %s: not a valid USCC: %s", a.owner,
		    why != NULL ? why : "check failed");
		return TOOL_EXIT_USAGE;
	}
	if (a.esid == NULL) {
		seal_time(a.created, t);
		o = (size_t)snprintf(esid, sizeof(esid), "%s", a.owner);
		for (i = 0; t[i] != '\0' && o + 1 < sizeof(esid); i++)
			if (t[i] >= '0' && t[i] <= '9')
				esid[o++] = t[i];
		esid[o] = '\0';
		a.esid = esid;
	}
	if ((rc = tool_check_new(a.out, a.wflags)) == 0)
		rc = make_run(&a, a.esid);
	return tool_exit_for(rc);
}

/* inspect */

struct inspect_args {
	const char	*in;
	const char	*picture_out;
	int		 json;
	unsigned	 wflags;
};

static int
inspect_parse(int argc, char **argv, struct inspect_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "picture-out", required_argument, NULL, OPT_PICTURE_OUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return TOOL_HELP;
		if (c == OPT_IN)
			a->in = optarg;
		else if (c == OPT_PICTURE_OUT)
			a->picture_out = optarg;
		else if (c == OPT_JSON)
			a->json = 1;
		else if (c == OPT_FORCE)
			a->wflags |= TOOL_W_FORCE;
		else
			return tool_bad_option(argv, c);
	}
	if ((rc = tool_extra_args(argc, argv)) != 0)
		return rc;
	if (a->in == NULL)
		return tool_missing("--in");
	return 0;
}

static int
js_set(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0;
}

static json_t *
js_text(const struct sk_seal_bytes *b)
{
	char buf[4 * SEAL_TEXT_MAX];
	json_t *j;

	seal_text(buf, sizeof(buf), b);
	j = json_string(buf);
	return j != NULL ? j : json_string("(not UTF-8)");
}

static json_t *
js_time(int64_t t)
{
	char buf[TOOL_TIME_STRLEN];

	seal_time(t, buf);
	return json_string(buf);
}

static json_t *
js_hex(const struct sk_seal_bytes *b)
{
	char *buf;
	json_t *j;

	if ((buf = malloc(2 * b->len + 1)) == NULL)
		return NULL;
	seal_hex(buf, 2 * b->len + 1, b);
	j = json_string(buf);
	free(buf);
	return j;
}

static json_t *
js_certs(const struct sk_seal *s, size_t n)
{
	struct sk_seal_cert_entry e;
	char subj[SEAL_TEXT_MAX];
	json_t *arr = json_array(), *o;
	size_t i;
	int bad = arr == NULL;

	for (i = 0; i < n && !bad; i++) {
		if (sk_seal_cert_at(s, i, &e) != 0 ||
		    (o = json_object()) == NULL) {
			bad = 1;
			break;
		}
		bad |= js_set(o, "kind", json_string(e.kind == 1 ?
		    "certificate" : e.kind == 2 ? "digest" : "certID"));
		if (e.kind == 1) {
			seal_cert_subject(&e.value, subj, sizeof(subj));
			bad |= js_set(o, "subject", json_string(subj));
		} else if (e.kind == 2) {
			bad |= js_set(o, "digest_type",
			    js_text(&e.digest_type));
			bad |= js_set(o, "digest", js_hex(&e.value));
		} else
			bad |= js_set(o, "text", js_text(&e.value));
		bad |= json_array_append_new(arr, o) != 0;
	}
	if (bad) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

static json_t *
js_seal(const struct sk_seal *s)
{
	struct sk_seal_fields f;
	char subj[SEAL_TEXT_MAX];
	json_t *o;
	int bad = 0;

	sk_seal_get(s, &f);
	if ((o = json_object()) == NULL)
		return NULL;
	seal_cert_subject(&f.maker_cert, subj, sizeof(subj));
	bad |= js_set(o, "version", json_integer(f.version));
	bad |= js_set(o, "header_version", json_integer(f.header_version));
	bad |= js_set(o, "id", js_text(&f.id));
	bad |= js_set(o, "vid", js_text(&f.vid));
	bad |= js_set(o, "esid", js_text(&f.esid));
	bad |= js_set(o, "type", json_integer(f.type));
	bad |= js_set(o, "name", js_text(&f.name));
	bad |= js_set(o, "cert_list_type", json_integer(f.cert_list_type));
	bad |= js_set(o, "cert_list", js_certs(s, f.ncerts));
	bad |= js_set(o, "created", js_time(f.created));
	bad |= js_set(o, "valid_from", js_time(f.valid_from));
	bad |= js_set(o, "valid_to", js_time(f.valid_to));
	bad |= js_set(o, "picture_type", js_text(&f.pic_type));
	bad |= js_set(o, "picture_bytes", json_integer((json_int_t)
	    f.pic_data.len));
	bad |= js_set(o, "picture_width_mm", json_integer(f.pic_width));
	bad |= js_set(o, "picture_height_mm", json_integer(f.pic_height));
	bad |= js_set(o, "extensions", json_integer((json_int_t)f.next));
	bad |= js_set(o, "maker", json_string(subj));
	bad |= js_set(o, "alg", json_string(f.alg));
	bad |= js_set(o, "signature", js_hex(&f.signature));
	bad |= js_set(o, "timestamp_bytes", json_integer((json_int_t)
	    f.timestamp.len));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
js_sig(const struct sk_ses_sig *sig)
{
	struct sk_ses_sig_fields f;
	char subj[SEAL_TEXT_MAX];
	json_t *o;
	int bad = 0;

	sk_ses_sig_get(sig, &f);
	if ((o = json_object()) == NULL)
		return NULL;
	seal_cert_subject(&f.signer_cert, subj, sizeof(subj));
	bad |= js_set(o, "version", json_integer(f.version));
	bad |= js_set(o, "tbs_version", json_integer(f.tbs_version));
	if (f.has_time)
		bad |= js_set(o, "time", js_time(f.time));
	if (f.time_text.len > 0)
		bad |= js_set(o, "time_text", js_text(&f.time_text));
	bad |= js_set(o, "data_hash", js_hex(&f.data_hash));
	bad |= js_set(o, "property", js_text(&f.property));
	bad |= js_set(o, "signer", json_string(subj));
	bad |= js_set(o, "alg", json_string(f.alg));
	bad |= js_set(o, "signature", js_hex(&f.signature));
	bad |= js_set(o, "timestamp_bytes", json_integer((json_int_t)
	    f.timestamp.len));
	bad |= js_set(o, "seal", js_seal(f.seal));
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
js_print(json_t *o)
{
	char *s = NULL;

	if (o != NULL)
		s = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(o);
	if (s == NULL) {
		tool_warnx("cannot build the JSON output");
		return SK_ERR_NOMEM;
	}
	printf("%s\n", s);
	free(s);
	return 0;
}

static void
pr_text(const char *label, const struct sk_seal_bytes *b)
{
	char buf[4 * SEAL_TEXT_MAX];

	seal_text(buf, sizeof(buf), b);
	printf("%-18s %s\n", label, buf);
}

static void
pr_time(const char *label, int64_t t)
{
	char buf[TOOL_TIME_STRLEN];

	seal_time(t, buf);
	printf("%-18s %s\n", label, buf);
}

static void
pr_hex(const char *label, const struct sk_seal_bytes *b)
{
	char buf[2 * SK_SEAL_MAX_SIG_BYTES + 1];

	seal_hex(buf, sizeof(buf), b);
	printf("%-18s %s%s\n", label, buf,
	    b->len > SK_SEAL_MAX_SIG_BYTES ? "..." : "");
}

static void
pr_certs(const struct sk_seal *s, size_t n)
{
	struct sk_seal_cert_entry e;
	char buf[SEAL_TEXT_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		if (sk_seal_cert_at(s, i, &e) != 0)
			continue;
		if (e.kind == 1) {
			seal_cert_subject(&e.value, buf, sizeof(buf));
			printf("  cert[%zu]:          %s\n", i, buf);
		} else if (e.kind == 2) {
			seal_hex(buf, sizeof(buf), &e.value);
			printf("  digest[%zu]:        %s\n", i, buf);
		} else {
			seal_text(buf, sizeof(buf), &e.value);
			printf("  certID[%zu]:        %s\n", i, buf);
		}
	}
}

static void
pr_ext(const struct sk_seal *s, size_t n)
{
	struct sk_seal_ext e;
	size_t i;

	for (i = 0; i < n; i++)
		if (sk_seal_ext_at(s, i, &e) == 0)
			printf("  ext[%zu]:           %s%s, %zu bytes\n", i,
			    e.oid, e.critical ? " (critical)" : "",
			    e.value.len);
}

static void
pr_seal(const struct sk_seal *s)
{
	struct sk_seal_fields f;
	char subj[SEAL_TEXT_MAX];

	sk_seal_get(s, &f);
	printf("%-18s %d (header version %lld)\n", "seal version:", f.version,
	    (long long)f.header_version);
	pr_text("ID:", &f.id);
	pr_text("Vid:", &f.vid);
	pr_text("esID:", &f.esid);
	printf("%-18s %lld\n", "type:", (long long)f.type);
	pr_text("name:", &f.name);
	printf("%-18s %lld, %zu entries\n", "certListType:",
	    (long long)f.cert_list_type, f.ncerts);
	pr_certs(s, f.ncerts);
	pr_time("createDate:", f.created);
	pr_time("validStart:", f.valid_from);
	pr_time("validEnd:", f.valid_to);
	pr_text("picture type:", &f.pic_type);
	printf("%-18s %zu bytes, %lld x %lld mm\n", "picture:",
	    f.pic_data.len, (long long)f.pic_width, (long long)f.pic_height);
	printf("%-18s %zu\n", "extDatas:", f.next);
	pr_ext(s, f.next);
	seal_cert_subject(&f.maker_cert, subj, sizeof(subj));
	printf("%-18s %s\n", "maker cert:", subj);
	printf("%-18s %s\n", "signAlgID:", f.alg);
	pr_hex("signedValue:", &f.signature);
	printf("%-18s %s\n", "timeStamp:", f.timestamp.len > 0 ?
	    "present" : "none");
}

static void
pr_sig(const struct sk_ses_sig *sig)
{
	struct sk_ses_sig_fields f;
	char subj[SEAL_TEXT_MAX];

	sk_ses_sig_get(sig, &f);
	printf("%-18s %d (TBS_Sign version %lld)\n", "signature version:",
	    f.version, (long long)f.tbs_version);
	if (f.time_text.len > 0)
		pr_text("timeInfo:", &f.time_text);
	else if (f.has_time)
		pr_time("timeInfo:", f.time);
	pr_hex("dataHash:", &f.data_hash);
	pr_text("propertyInfo:", &f.property);
	seal_cert_subject(&f.signer_cert, subj, sizeof(subj));
	printf("%-18s %s\n", "signer cert:", subj);
	printf("%-18s %s\n", "signatureAlgID:", f.alg);
	pr_hex("signature:", &f.signature);
	printf("%-18s %s\n", "timeStamp:", f.timestamp.len > 0 ?
	    "present" : "none");
	printf("-- the seal --\n");
	pr_seal(f.seal);
}

static int
inspect_show(const struct inspect_args *a, const struct sk_seal *seal,
    const struct sk_ses_sig *sig)
{
	struct sk_seal_fields f;
	struct sk_ses_sig_fields sf;
	int rc = 0;

	if (sig != NULL) {
		sk_ses_sig_get(sig, &sf);
		seal = sf.seal;
	}
	if (a->json)
		rc = js_print(sig != NULL ? js_sig(sig) : js_seal(seal));
	else {
		printf("NOT VERIFIED: shown as received; nothing has been "
		    "checked but the structure.\n");
		if (sig != NULL)
			pr_sig(sig);
		else
			pr_seal(seal);
	}
	if (rc == 0 && a->picture_out != NULL) {
		sk_seal_get(seal, &f);
		rc = tool_write(a->picture_out, f.pic_data.p, f.pic_data.len,
		    a->wflags);
	}
	return rc;
}

static int
seal_inspect(int argc, char **argv)
{
	struct inspect_args a;
	struct sk_seal *seal = NULL;
	struct sk_ses_sig *sig = NULL;
	struct sk_buf in;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = inspect_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.picture_out, a.wflags)) != 0)
		return tool_exit_for(rc);
	rc = tool_read(a.in, SK_SES_SIG_MAX_BYTES, "SK_SES_SIG_MAX_BYTES", 0,
	    &in);
	if (rc != 0)
		return tool_exit_for(rc);
	if ((rc = sk_seal_parse(tool_bytes(&in), in.len, &seal)) != 0 &&
	    (rc = sk_ses_sig_parse(tool_bytes(&in), in.len, &sig)) != 0)
		tool_warn_err(rc, "%s: neither a seal nor a signature", a.in);
	else
		rc = inspect_show(&a, seal, sig);
	sk_seal_free(seal);
	sk_ses_sig_free(sig);
	sk_buf_free(&in);
	return tool_exit_for(rc);
}

/* sign */

struct sign_args {
	const char		*seal;
	const char		*key;
	const char		*cert;
	const char		*in;
	const char		*out;
	const char		*property;
	const char		*query_out;
	const char		*tsa_url;
	int64_t			 time;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
sign_opt(void *arg, int c)
{
	struct sign_args *a = arg;
	switch (c) {
	case OPT_SEAL:
		a->seal = optarg;
		return 0;
	case OPT_KEY:
		a->key = optarg;
		return 0;
	case OPT_CERT:
		a->cert = optarg;
		return 0;
	case OPT_IN:
		a->in = optarg;
		return 0;
	case OPT_OUT:
		a->out = optarg;
		return 0;
	case OPT_PROPERTY:
		a->property = optarg;
		return 0;
	case OPT_TIME:
		return seal_time_opt(optarg, "--time", &a->time);
	case OPT_TSA_QUERY_OUT:
		a->query_out = optarg;
		return 0;
	case OPT_TSA:
		a->tsa_url = optarg;
		return 0;
	case OPT_FORCE:
		a->wflags |= TOOL_W_FORCE;
		return 0;
	case OPT_PWFILE:
		a->pw.file = optarg;
		return 0;
	case OPT_PWENV:
		a->pw.env = optarg;
		return 0;
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
sign_parse(int argc, char **argv, struct sign_args *a)
{
	static const struct option opts[] = {
		{ "seal", required_argument, NULL, OPT_SEAL },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "in", required_argument, NULL, OPT_IN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "property", required_argument, NULL, OPT_PROPERTY },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "tsa", required_argument, NULL, OPT_TSA },
		{ "tsa-query-out", required_argument, NULL, OPT_TSA_QUERY_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "password-env", required_argument, NULL, OPT_PWENV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, sign_opt, a)) != 0)
		return rc;
	if (a->seal == NULL)
		return tool_missing("--seal");
	if (a->key == NULL)
		return tool_missing("--key");
	if (a->cert == NULL)
		return tool_missing("--cert");
	if (a->in == NULL)
		return tool_missing("--in");
	if (a->out == NULL)
		return tool_missing("--out");
	if (a->tsa_url != NULL && a->query_out != NULL) {
		tool_warnx("give at most one of --tsa and --tsa-query-out");
		return TOOL_EXIT_USAGE;
	}
	return tool_pwopt_check(&a->pw);
}

/* SM3 of a file (or stdin), read in chunks: documents may be large. */
static int
seal_sm3_file(const char *path, uint8_t md[SK_SM3_LEN])
{
	EVP_MD_CTX *ctx;
	FILE *f;
	uint8_t *buf;
	size_t n;
	unsigned int mdlen = SK_SM3_LEN;
	int ok;

	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (f == NULL) {
		tool_warnx("%s: cannot open", path);
		return SK_ERR_IO;
	}
	ctx = EVP_MD_CTX_new();
	buf = malloc(SEAL_HASH_CHUNK);
	ok = ctx != NULL && buf != NULL &&
	    EVP_DigestInit_ex2(ctx, EVP_sm3(), NULL) == 1;
	while (ok && (n = fread(buf, 1, SEAL_HASH_CHUNK, f)) > 0)
		ok = EVP_DigestUpdate(ctx, buf, n) == 1;
	if (ok && ferror(f)) {
		tool_warnx("%s: read error", path);
		ok = -1;
	} else if (ok)
		ok = EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	if (f != stdin)
		fclose(f);
	free(buf);
	EVP_MD_CTX_free(ctx);
	if (ok == -1)
		return SK_ERR_IO;
	return ok ? 0 : SK_ERR_CRYPTO;
}

static int
sign_load(const struct sign_args *a, struct sk_cert **cert,
    struct sk_signer **signer)
{
	struct sk_key *key;
	int rc;

	if ((rc = tool_load_key(a->key, &a->pw, &key)) != 0)
		return rc;
	if ((rc = sk_cert_load_file(a->cert, cert)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		sk_key_free(key);
		return rc;
	}
	if ((rc = sk_signer_from_key(key, SK_ALG_SM2_SM3, *cert,
	    signer)) != 0)
		tool_warn_err(rc, "%s: not an SM2 key for %s", a->key,
		    a->cert);
	return rc;
}

static int
sign_query(const struct sign_args *a, const struct sk_buf *sig)
{
	struct sk_ses_sig *s = NULL;
	struct sk_buf q;
	int rc;

	sk_buf_init(&q, SK_SEAL_MAX_TST);
	if ((rc = sk_ses_sig_parse(sig->data, sig->len, &s)) == 0 &&
	    (rc = sk_ses_sig_ts_query(s, &q)) == 0)
		rc = tool_write(a->query_out, q.data, q.len, a->wflags);
	else
		tool_warn_err(rc, "time-stamp query");
	sk_ses_sig_free(s);
	sk_buf_free(&q);
	return rc;
}

/*
 * --tsa URL: a time-stamp over the signature value from the TSA, put into
 * the signature's timeStamp field (replacing sig's contents).
 */
static int
sign_stamp(const struct sign_args *a, struct sk_buf *sig)
{
	struct sk_ses_sig *s = NULL;
	struct sk_buf q, reply, out;
	int rc;

	sk_buf_init(&q, SK_SEAL_MAX_TST);
	sk_buf_init(&reply, SK_SEAL_MAX_TST);
	sk_buf_init(&out, SK_SES_SIG_MAX_BYTES);
	if ((rc = sk_ses_sig_parse(sig->data, sig->len, &s)) != 0 ||
	    (rc = sk_ses_sig_ts_query(s, &q)) != 0) {
		tool_warn_err(rc, "time-stamp query");
		goto out;
	}
	if ((rc = tool_tsa_fetch(a->tsa_url, q.data, q.len, &reply)) != 0)
		goto out;
	rc = sk_ses_sig_add_timestamp(sig->data, sig->len, tool_bytes(&reply),
	    reply.len, &out);
	if (rc == SK_ERR_CHECKSUM)
		tool_warnx("%s: the token is not over this signature value",
		    a->tsa_url);
	else if (rc != 0)
		tool_warn_err(rc, "%s: time-stamp reply", a->tsa_url);
	else {
		sk_buf_free(sig);
		*sig = out;
		sk_buf_init(&out, 0);
	}
out:
	sk_ses_sig_free(s);
	sk_buf_free(&q);
	sk_buf_free(&reply);
	sk_buf_free(&out);
	return rc;
}

static const char *
seal_basename(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL ? s + 1 : path;
}

static int
sign_run(const struct sign_args *a)
{
	struct sk_ses_sign_params p;
	struct sk_cert *cert = NULL;
	struct sk_signer *signer = NULL;
	struct sk_buf seal, out;
	uint8_t md[SK_SM3_LEN];
	int rc;

	sk_buf_init(&out, SK_SES_SIG_MAX_BYTES);
	rc = tool_read(a->seal, SK_SEAL_MAX_BYTES, "SK_SEAL_MAX_BYTES", 0,
	    &seal);
	if (rc != 0)
		return rc;
	if ((rc = seal_sm3_file(a->in, md)) != 0 ||
	    (rc = sign_load(a, &cert, &signer)) != 0)
		goto out;
	memset(&p, 0, sizeof(p));
	p.seal = tool_bytes(&seal);
	p.seallen = seal.len;
	p.data_hash = md;
	p.hashlen = sizeof(md);
	p.property = a->property != NULL ? a->property : seal_basename(a->in);
	p.time = a->time;
	rc = sk_ses_sig_sign(&p, signer, cert, &out);
	if (rc == SK_ERR_NOTFOUND)
		tool_warnx("%s: the certificate is not listed in the seal %s",
		    a->cert, a->seal);
	else if (rc != 0)
		tool_warn_err(rc, "signing");
	if (rc == 0 && a->tsa_url != NULL)
		rc = sign_stamp(a, &out);
	if (rc == 0 && a->query_out != NULL)
		rc = sign_query(a, &out);
	if (rc == 0)
		rc = tool_write(a->out, out.data, out.len, a->wflags);
out:
	sk_signer_free(signer);
	sk_cert_free(cert);
	sk_buf_free(&seal);
	sk_buf_free(&out);
	return rc;
}

static int
seal_sign(int argc, char **argv)
{
	struct sign_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.time = tool_time_now();
	if ((rc = sign_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) == 0 &&
	    (rc = tool_check_new(a.query_out, a.wflags)) == 0)
		rc = sign_run(&a);
	return tool_exit_for(rc);
}

/* stamp */

struct stamp_args {
	const char	*in;
	const char	*reply;
	const char	*out;
	const char	*query_out;
	unsigned	 wflags;
};

static int
stamp_parse(int argc, char **argv, struct stamp_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "tsa-reply", required_argument, NULL, OPT_TSA_REPLY },
		{ "tsa-query-out", required_argument, NULL, OPT_TSA_QUERY_OUT },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return TOOL_HELP;
		if (c == OPT_IN)
			a->in = optarg;
		else if (c == OPT_TSA_REPLY)
			a->reply = optarg;
		else if (c == OPT_TSA_QUERY_OUT)
			a->query_out = optarg;
		else if (c == OPT_OUT)
			a->out = optarg;
		else if (c == OPT_FORCE)
			a->wflags |= TOOL_W_FORCE;
		else
			return tool_bad_option(argv, c);
	}
	if ((rc = tool_extra_args(argc, argv)) != 0)
		return rc;
	if (a->in == NULL)
		return tool_missing("--in");
	if ((a->reply == NULL) == (a->query_out == NULL)) {
		tool_warnx("give exactly one of --tsa-reply and "
		    "--tsa-query-out");
		return TOOL_EXIT_USAGE;
	}
	if (a->reply != NULL && a->out == NULL)
		return tool_missing("--out");
	return 0;
}

static int
stamp_run(const struct stamp_args *a)
{
	struct sk_ses_sig *s = NULL;
	struct sk_buf in, reply, out;
	int rc;

	sk_buf_init(&reply, 0);
	sk_buf_init(&out, SK_SES_SIG_MAX_BYTES);
	rc = tool_read(a->in, SK_SES_SIG_MAX_BYTES, "SK_SES_SIG_MAX_BYTES", 0,
	    &in);
	if (rc != 0)
		return rc;
	if (a->query_out != NULL) {
		if ((rc = sk_ses_sig_parse(tool_bytes(&in), in.len, &s)) != 0 ||
		    (rc = sk_ses_sig_ts_query(s, &out)) != 0)
			tool_warn_err(rc, "%s", a->in);
		else
			rc = tool_write(a->query_out, out.data, out.len,
			    a->wflags);
		goto out;
	}
	if ((rc = tool_read(a->reply, SK_SEAL_MAX_TST, "SK_SEAL_MAX_TST", 0,
	    &reply)) != 0)
		goto out;
	rc = sk_ses_sig_add_timestamp(tool_bytes(&in), in.len,
	    tool_bytes(&reply), reply.len, &out);
	if (rc == SK_ERR_CHECKSUM)
		tool_warnx("%s: the token is not over this signature value",
		    a->reply);
	else if (rc != 0)
		tool_warn_err(rc, "adding the time-stamp");
	else
		rc = tool_write(a->out, out.data, out.len, a->wflags);
out:
	sk_ses_sig_free(s);
	sk_buf_free(&in);
	sk_buf_free(&reply);
	sk_buf_free(&out);
	return rc;
}

static int
seal_stamp(int argc, char **argv)
{
	struct stamp_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = stamp_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) == 0 &&
	    (rc = tool_check_new(a.query_out, a.wflags)) == 0)
		rc = stamp_run(&a);
	return tool_exit_for(rc);
}

/* verify */

struct verify_args {
	const char	*in;
	const char	*seal;
	const char	*data;
	const char	*tsa_cert;
	int		 require_ts;
	int		 json;
	int64_t		 at;
	int		 status;
};

static int
verify_status(const char *s, int *st)
{
	if (strcmp(s, "valid") == 0)
		*st = (int)SK_STATUS_VALID;
	else if (strcmp(s, "revoked") == 0 || strcmp(s, "invalid") == 0)
		*st = (int)SK_STATUS_INVALID;
	else if (strcmp(s, "suspended") == 0)
		*st = (int)SK_STATUS_SUSPENDED;
	else {
		tool_warnx("--status %s: expected valid, revoked or "
		    "suspended", s);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static int
verify_opt(void *arg, int c)
{
	struct verify_args *a = arg;
	switch (c) {
	case OPT_IN:
		a->in = optarg;
		return 0;
	case OPT_SEAL:
		a->seal = optarg;
		return 0;
	case OPT_DATA:
		a->data = optarg;
		return 0;
	case OPT_TSA_CERT:
		a->tsa_cert = optarg;
		return 0;
	case OPT_REQUIRE_TS:
		a->require_ts = 1;
		return 0;
	case OPT_JSON:
		a->json = 1;
		return 0;
	case OPT_AT:
		return seal_time_opt(optarg, "--at", &a->at);
	case OPT_STATUS:
		return verify_status(optarg, &a->status);
	default:
		return TOOL_EXIT_USAGE;
	}
}

static int
verify_parse(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "seal", required_argument, NULL, OPT_SEAL },
		{ "data", required_argument, NULL, OPT_DATA },
		{ "tsa-cert", required_argument, NULL, OPT_TSA_CERT },
		{ "require-timestamp", no_argument, NULL, OPT_REQUIRE_TS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "at", required_argument, NULL, OPT_AT },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, verify_opt, a)) != 0)
		return rc;
	if ((a->in == NULL) == (a->seal == NULL)) {
		tool_warnx("give exactly one of --in and --seal");
		return TOOL_EXIT_USAGE;
	}
	if (a->seal != NULL && a->data != NULL) {
		tool_warnx("--data needs a signature (--in)");
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static const char *
check_state(int rc)
{
	if (rc == SK_SEAL_NOT_RUN)
		return "not run";
	return rc == 0 ? "ok" : "FAIL";
}

static int
verify_print_json(int valid, const struct sk_seal_report *r)
{
	json_t *o, *checks, *c;
	char t[TOOL_TIME_STRLEN];
	int i, bad = 0;

	if ((o = json_object()) == NULL || (checks = json_object()) == NULL) {
		json_decref(o);
		return js_print(NULL);
	}
	seal_time(r->at, t);
	bad |= js_set(o, "valid", json_boolean(valid));
	bad |= js_set(o, "checked_at", json_string(t));
	bad |= js_set(o, "maker_signature_raw", json_boolean(
	    r->maker_sig_raw));
	for (i = 0; i < SK_SEAL_NCHECKS; i++) {
		if ((c = json_pack("{s:s}", "result",
		    r->result[i] == SK_SEAL_NOT_RUN ? "not-run" :
		    r->result[i] == 0 ? "ok" : "fail")) == NULL) {
			bad = 1;
			break;
		}
		if (r->result[i] != 0 && r->result[i] != SK_SEAL_NOT_RUN) {
			bad |= js_set(c, "error",
			    json_string(sk_errname(r->result[i])));
			bad |= js_set(c, "reason", json_string(r->reason[i] !=
			    NULL ? r->reason[i] : sk_strerror(r->result[i])));
		}
		bad |= js_set(checks, sk_seal_check_name(i), c);
	}
	bad |= js_set(o, "checks", checks);
	if (bad) {
		json_decref(o);
		o = NULL;
	}
	return js_print(o);
}

static int
verify_print(const struct verify_args *a, int verdict,
    const struct sk_seal_report *r)
{
	char t[TOOL_TIME_STRLEN];
	int i;

	if (a->json)
		return verify_print_json(verdict == 0, r);
	for (i = 0; i < SK_SEAL_NCHECKS; i++) {
		printf("%-18s %s", sk_seal_check_name(i),
		    check_state(r->result[i]));
		if (r->result[i] != 0 && r->result[i] != SK_SEAL_NOT_RUN)
			printf(": %s", r->reason[i] != NULL ? r->reason[i] :
			    sk_strerror(r->result[i]));
		putchar('\n');
	}
	seal_time(r->at, t);
	printf("%s (seal checked at %s%s)\n", verdict == 0 ? "valid" :
	    "invalid", t, r->maker_sig_raw ? "; maker signature raw r||s" :
	    "");
	return 0;
}

static int
verify_load(const struct verify_args *a, struct sk_seal_verify_opts *o,
    struct sk_cert **tsa, uint8_t md[SK_SM3_LEN])
{
	int rc;

	if (a->tsa_cert != NULL) {
		if ((rc = sk_cert_load_file(a->tsa_cert, tsa)) != 0) {
			tool_warn_err(rc, "%s", a->tsa_cert);
			return rc;
		}
		o->tsa_cert = *tsa;
	}
	if (a->data != NULL) {
		if ((rc = seal_sm3_file(a->data, md)) != 0)
			return rc;
		o->data_hash = md;
		o->hashlen = SK_SM3_LEN;
	}
	o->require_timestamp = a->require_ts;
	o->status = a->status;
	o->at = a->at;
	return 0;
}

static int
verify_run(const struct verify_args *a, int *verdict,
    struct sk_seal_report *r)
{
	struct sk_seal_verify_opts o;
	struct sk_seal *seal = NULL;
	struct sk_ses_sig *sig = NULL;
	struct sk_cert *tsa = NULL;
	struct sk_buf in;
	uint8_t md[SK_SM3_LEN];
	const char *path = a->in != NULL ? a->in : a->seal;
	int rc;

	sk_seal_verify_opts_init(&o);
	if ((rc = verify_load(a, &o, &tsa, md)) != 0)
		return rc;
	rc = tool_read(path, SK_SES_SIG_MAX_BYTES, "SK_SES_SIG_MAX_BYTES", 0,
	    &in);
	if (rc != 0)
		goto out;
	if (a->seal != NULL &&
	    (rc = sk_seal_parse(tool_bytes(&in), in.len, &seal)) == 0)
		*verdict = sk_seal_verify(seal, &o, r);
	else if (a->in != NULL &&
	    (rc = sk_ses_sig_parse(tool_bytes(&in), in.len, &sig)) == 0)
		*verdict = sk_ses_sig_verify(sig, &o, r);
	if (rc != 0)
		tool_warn_err(rc, "%s", path);
	else if (*verdict != 0 && *verdict != SK_ERR_SIGNATURE)
		rc = *verdict;
	sk_buf_free(&in);
out:
	sk_seal_free(seal);
	sk_ses_sig_free(sig);
	sk_cert_free(tsa);
	return rc;
}

static int
seal_verify(int argc, char **argv)
{
	struct verify_args a;
	struct sk_seal_report r;
	int rc, verdict = 0;

	memset(&a, 0, sizeof(a));
	a.at = tool_time_now();
	a.status = SK_SEAL_STATUS_NONE;
	if ((rc = verify_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = verify_run(&a, &verdict, &r)) != 0)
		return tool_exit_for(rc);
	if (verify_print(&a, verdict, &r) != 0)
		return TOOL_EXIT_INTERNAL;
	return verdict == 0 ? TOOL_EXIT_OK : TOOL_EXIT_INVALID;
}

static const struct tool_verb seal_verbs[] = {
	{ "make", "make and sign a seal (SESeal v4)", make_usage, seal_make },
	{ "inspect", "print a seal or signature (NOT VERIFIED)",
	    inspect_usage, seal_inspect },
	{ "sign", "sign a document (SES_Signature v4)", sign_usage,
	    seal_sign },
	{ "stamp", "time-stamp a signature (RFC 3161)", stamp_usage,
	    seal_stamp },
	{ "verify", "verify a signature or a seal, check by check",
	    verify_usage, seal_verify },
};

const struct tool_group tool_group_seal = {
	"seal", "electronic seals and signatures (GB/T 38540)", seal_verbs,
	sizeof(seal_verbs) / sizeof(seal_verbs[0])
};
