/*
 * sealkit licence issue | show | qr | verify: licence credentials, their
 * QR codes and their offline verification (include/sealkit/licence.h,
 * verify.h, qr.h; docs/sealkit.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sealkit/cbor.h"
#include "sealkit/compress.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/licence.h"
#include "sealkit/presentation.h"
#include "sealkit/qr.h"
#include "sealkit/statuslist.h"
#include "sealkit/trust.h"
#include "sealkit/verify.h"

#include "timeopt.h"
#include "tool.h"

/* Cap on the rendered QR image (PNG or SVG) and terminal text. */
#define LIC_MAX_IMAGE	(4u * 1024u * 1024u)
/* Cap on a QR text file: the text, one line ending. */
#define LIC_MAX_QRTEXT	(SK_QRTEXT_MAX + 2u)

enum {
	OPT_IN = 256,
	OPT_KEY,
	OPT_CERT,
	OPT_ALG,
	OPT_IAT,
	OPT_EXP,
	OPT_OUT,
	OPT_QRTEXT,
	OPT_IMAGE,
	OPT_FORMAT,
	OPT_ECC,
	OPT_SCALE,
	OPT_MARGIN,
	OPT_LIGHT,
	OPT_PREFIX,
	OPT_TRUST,
	OPT_ANCHORS,
	OPT_AT,
	OPT_STATUS,
	OPT_JSON,
	OPT_FORCE,
	OPT_PWFILE,
	OPT_PWENV,
	OPT_PRES,
	OPT_PRESCERT
};

static const char issue_usage[] =
    "usage: sealkit licence issue --in LICENCE.json --key KEY --cert CERT\n"
    "           [--alg A] [--iat T] [--exp T] [--out CRED] [--qr-text FILE]"
    "\n"
    "           [--password-file FILE | --password-env VAR] [--force]\n"
    "\n"
    "Check a licence (JSON, api/licence.schema.json), sign its CWT claims\n"
    "as a COSE_Sign1 (tag 18, kid = the certificate's kid) and write the\n"
    "credential and/or its QR text \"LC1:\" + base45(zlib(COSE)).  The\n"
    "licence's issuer_code must be the USCC in the certificate's subject\n"
    "serialNumber.  Errors in the licence name the field.\n"
    "\n"
    "  --in FILE            the licence as JSON, - for stdin\n"
    "  --key KEY            the issuing authority's private key\n"
    "  --cert CERT          its certificate (must match KEY)\n"
    "  --alg A              es256, ed25519 or sm2 (default: the key's)\n"
    "  --iat T              replace the licence's iat (issue time)\n"
    "  --exp T              set the credential's exp (expiry)\n"
    "  --out CRED           the COSE_Sign1 credential, - for stdout\n"
    "  --qr-text FILE       the QR text (one line), - for stdout\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --force              replace existing output files\n"
    "\n"
    "At least one of --out and --qr-text is required.  T is RFC 3339\n"
    "(2026-03-02T00:00:00Z, 2026-03-02T08:00:00+08:00, 2026-03-02) or\n"
    "@<epoch seconds>.\n";

static const char show_usage[] =
    "usage: sealkit licence show --in CRED|QRTEXT [--prefix P] [--json]\n"
    "\n"
    "Decode a credential, given as COSE_Sign1 bytes or as QR text, and\n"
    "print its header and licence, labelled NOT VERIFIED: nothing is\n"
    "checked but the encoding.  Use 'sealkit licence verify' to verify.\n"
    "\n"
    "  --in FILE            credential or QR text, - for stdin\n"
    "  --prefix P           QR text prefix (default LC1:)\n"
    "  --json               print one JSON object (\"verified\": false)\n";

static const char qr_usage[] =
    "usage: sealkit licence qr --in CRED|QRTEXT [--format F] [--ecc L|M|Q|H]"
    "\n"
    "           [--scale N] [--margin N] [--light-terminal] [--out FILE]\n"
    "           [--force]\n"
    "\n"
    "Render a credential's QR code.  The QR text \"LC1:\" + base45(zlib("
    "COSE))\n"
    "is one alphanumeric segment.  The version, size and character count\n"
    "are printed on stderr.\n"
    "\n"
    "  --in FILE            credential or QR text, - for stdin\n"
    "  --format F           png (default), svg, text (UTF-8 blocks for a\n"
    "                       terminal) or qrtext (the text itself)\n"
    "  --ecc L|M|Q|H        error correction level (default M)\n"
    "  --scale N            pixels (png) or units (svg) per module, 1-32\n"
    "                       (default 8)\n"
    "  --margin N           quiet zone in modules, 0-16 (default 4)\n"
    "  --light-terminal     text: for dark text on a light background\n"
    "                       (default: light text on a dark background)\n"
    "  --out FILE           output, - for stdout (default for text and\n"
    "                       qrtext; required for png and svg)\n"
    "  --force              replace an existing output file\n";

static const char verify_usage[] =
    "usage: sealkit licence verify (--qr-text FILE | --in CRED | --image PNG)"
    "\n"
    "           (--trust-list LIST --anchors PEM | --cert CERT [--prefix P])"
    "\n"
    "           [--status TOKEN ...] [--at T] [--json]\n"
    "       sealkit licence verify --presentation (--qr-text FILE | --image "
    "PNG)\n"
    "           --anchors PEM --presentation-cert CERT [--at T] [--json]\n"
    "\n"
    "Verify a credential offline.  Prints VALID or NOT VALID, then one\n"
    "line per reason (stable name: detail), then the licence (only when\n"
    "the signature verified).  Reasons: malformed (with the stage: image,\n"
    "prefix, base45, zlib, cose, claims), unknown_kid, bad_signature,\n"
    "issuer_cert (issuer certificate not valid at iat, or chain broken),\n"
    "issuer_mismatch, not_yet_valid, expired, revoked, suspended,\n"
    "status_unknown, status_list_invalid.\n"
    "\n"
    "  --qr-text FILE       QR text, e.g. what zbarimg --raw printed;\n"
    "                       - for stdin\n"
    "  --in CRED            the COSE_Sign1 credential\n"
    "  --image PNG          a PNG image of the QR code\n"
    "  --trust-list LIST    signed trust list of issuer certificates\n"
    "                       (sealkit trust build); checked at the current\n"
    "                       time\n"
    "  --anchors PEM        the trust anchors that sign the list\n"
    "  --cert CERT          generic mode: any prefix + base45(zlib(\n"
    "                       COSE_Sign1)) credential signed by CERT's key;\n"
    "                       prints the verified claims as CBOR diagnostic\n"
    "                       notation.  CERT itself is trusted as given.\n"
    "  --prefix P           QR text prefix (default LC1:; e.g. HC1:)\n"
    "  --status TOKEN       a Status List Token (sealkit status sign),\n"
    "                       signed by an issuer of the trust list (or by\n"
    "                       CERT); repeat for several lists.  Without it\n"
    "                       revocation is not checked (a note says so)\n"
    "  --at T               check the credential at T (default: now)\n"
    "  --json               print one JSON object: valid, reasons, stage,\n"
    "                       error, detail, alg, kid, issuer, licence or\n"
    "                       claims\n"
    "  --presentation       the input is a presentation code (LP1:, from\n"
    "                       certd): prints the licence identifier, holder,\n"
    "                       presentation id and exp.  Reasons: malformed,\n"
    "                       unknown_kid, bad_signature, issuer_cert,\n"
    "                       expired\n"
    "  --presentation-cert CERT  certd's presentation certificate; its\n"
    "                       chain to --anchors is checked at the code's iat\n"
    "\n"
    "Exit: 0 valid; 1 not valid (a malformed credential included); 2\n"
    "usage; 3 a file is unreadable, over its cap, or the trust list,\n"
    "anchors or certificate do not load; 4 internal error.\n";

/* Common input handling. */

static int
has_prefix(const struct sk_buf *b, const char *prefix)
{
	size_t n = strlen(prefix);

	return b->len >= n && memcmp(b->data, prefix, n) == 0;
}

/*
 * Read a credential given as COSE bytes or as QR text (recognised by its
 * prefix) into cose, initialised here.
 */
static int
read_credential(const char *path, const char *prefix, unsigned flags,
    struct sk_buf *cose)
{
	struct sk_buf in;
	enum sk_stage stage;
	int rc;

	sk_buf_init(cose, SK_INFLATE_DEFAULT_MAX);
	rc = tool_read(path, SK_COSE_MAX_BYTES, "SK_COSE_MAX_BYTES", 0, &in);
	if (rc != 0)
		return rc;
	if (!has_prefix(&in, prefix)) {
		rc = sk_buf_append(cose, in.data, in.len);
		sk_buf_free(&in);
		return rc;
	}
	rc = sk_qrtext_decode((const char *)in.data, in.len, prefix, flags,
	    cose, &stage);
	if (rc != 0)
		tool_warn_err(rc, "%s: QR text malformed at stage %s", path,
		    sk_stage_name(stage));
	sk_buf_free(&in);
	return rc;
}

static const char *
alg_name(int alg)
{
	const char *s = sk_alg_name(alg);

	return s != NULL ? s : "unknown";
}

static void
warn_licence(const char *what, int rc, const struct sk_licence_err *e)
{
	if (e->field[0] != '\0')
		tool_warnx("%s: %s: %s", what, e->field,
		    e->reason != NULL ? e->reason : sk_strerror(rc));
	else
		tool_warnx("%s: %s", what,
		    e->reason != NULL ? e->reason : sk_strerror(rc));
}

/* Licence fields, one a line, for show and verify. */

static void
print_field(const char *label, const char *value)
{
	if (value != NULL)
		printf("  %-13s %s\n", label, value);
}

static void
print_time(const char *label, int64_t t)
{
	char buf[TOOL_TIME_STRLEN];

	tool_time_format(t, buf);
	printf("  %-13s %s (@%lld)\n", label, buf, (long long)t);
}

static void
print_licence(const struct sk_licence *l)
{
	size_t i;

	printf("licence:\n");
	print_field("name", l->name);
	print_field("type_code", l->type_code);
	print_field("number", l->number);
	print_field("identifier", l->identifier);
	print_field("issuer_name", l->issuer_name);
	print_field("issuer_code", l->issuer_code);
	print_field("issue_date", l->issue_date);
	print_field("holder_name", l->holder_name);
	print_field("holder_code", l->holder_code);
	print_field("holder_type", l->holder_type);
	print_field("valid_from", l->valid_from);
	print_field("valid_until", l->valid_until != NULL ? l->valid_until :
	    "(none: 长期)");
	for (i = 0; i < l->nitems; i++)
		printf("  %-13s %s: %s\n", i == 0 ? "items" : "",
		    l->items[i].key, l->items[i].value);
	print_time("iat", l->iat);
	if (l->has_nbf)
		print_time("nbf", l->nbf);
	if (l->has_exp)
		print_time("exp", l->exp);
	if (l->has_status)
		printf("  %-13s %s index %llu\n", "status", l->status_uri,
		    (unsigned long long)l->status_idx);
}

/* The licence as a jansson object (NULL on failure). */
static json_t *
licence_json(const struct sk_licence *l)
{
	struct sk_buf b;
	json_t *o = NULL;
	int rc;

	sk_buf_init(&b, SK_LICENCE_MAX_JSON);
	if ((rc = sk_licence_to_json(l, 0, &b)) == 0)
		o = json_loadb((const char *)b.data, b.len, 0, NULL);
	else
		tool_warn_err(rc, "licence to JSON");
	sk_buf_free(&b);
	return o;
}

/* Print o compactly on one line and release it. */
static int
json_emit(json_t *o)
{
	char *s = NULL;

	if (o != NULL)
		s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL) {
		tool_warnx("cannot build the JSON output");
		return SK_ERR_NOMEM;
	}
	printf("%s\n", s);
	free(s);
	return 0;
}

static int
json_set(json_t *o, const char *key, json_t *val)
{
	return val == NULL || json_object_set_new(o, key, val) != 0;
}

/* issue */

struct issue_args {
	const char		*in;
	const char		*key;
	const char		*cert;
	const char		*out;
	const char		*qrtext;
	int			 alg;
	int64_t			 iat;
	int64_t			 exp;
	int			 has_iat;
	int			 has_exp;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
issue_alg(const char *name, int *alg)
{
	switch ((*alg = sk_alg_from_name(name))) {
	case SK_ALG_ES256:
	case SK_ALG_EDDSA:
	case SK_ALG_SM2_SM3:
		return 0;
	default:
		tool_warnx("--alg %s: use es256, ed25519 or sm2", name);
		return TOOL_EXIT_USAGE;
	}
}

static int
issue_opt(void *arg, int c)
{
	struct issue_args *a = arg;
	switch (c) {
	case OPT_IN:
		a->in = optarg;
		break;
	case OPT_KEY:
		a->key = optarg;
		break;
	case OPT_CERT:
		a->cert = optarg;
		break;
	case OPT_ALG:
		return issue_alg(optarg, &a->alg);
	case OPT_IAT:
		a->has_iat = 1;
		return tool_time_parse(optarg, "--iat", &a->iat);
	case OPT_EXP:
		a->has_exp = 1;
		return tool_time_parse(optarg, "--exp", &a->exp);
	case OPT_OUT:
		a->out = optarg;
		break;
	case OPT_QRTEXT:
		a->qrtext = optarg;
		break;
	case OPT_FORCE:
		a->wflags |= TOOL_W_FORCE;
		break;
	case OPT_PWFILE:
		a->pw.file = optarg;
		break;
	case OPT_PWENV:
		a->pw.env = optarg;
		break;
	default:
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static int
issue_check(const struct issue_args *a)
{
	if (a->in == NULL)
		return tool_missing("--in");
	if (a->key == NULL)
		return tool_missing("--key");
	if (a->cert == NULL)
		return tool_missing("--cert");
	if (a->out == NULL && a->qrtext == NULL)
		return tool_missing("--out or --qr-text");
	if (a->out != NULL && a->qrtext != NULL &&
	    strcmp(a->out, a->qrtext) == 0) {
		tool_warnx("--out and --qr-text name the same file");
		return TOOL_EXIT_USAGE;
	}
	return tool_pwopt_check(&a->pw);
}

static int
issue_parse(int argc, char **argv, struct issue_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "alg", required_argument, NULL, OPT_ALG },
		{ "iat", required_argument, NULL, OPT_IAT },
		{ "exp", required_argument, NULL, OPT_EXP },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "qr-text", required_argument, NULL, OPT_QRTEXT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "password-env", required_argument, NULL, OPT_PWENV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, issue_opt, a)) != 0)
		return rc;
	return issue_check(a);
}

/* The licence from JSON, with --iat and --exp applied and checked. */
static int
issue_licence(const struct issue_args *a, struct sk_licence **lic)
{
	struct sk_licence_err e;
	struct sk_buf json;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = tool_read(a->in, SK_LICENCE_MAX_JSON, "SK_LICENCE_MAX_JSON", 0,
	    &json);
	if (rc != 0)
		return rc;
	rc = sk_licence_from_json((const char *)tool_bytes(&json), json.len,
	    lic, &e);
	sk_buf_free(&json);
	if (rc != 0) {
		warn_licence(a->in, rc, &e);
		return rc;
	}
	if (a->has_iat)
		(*lic)->iat = a->iat;
	if (a->has_exp) {
		(*lic)->exp = a->exp;
		(*lic)->has_exp = 1;
	}
	if ((rc = sk_licence_check(*lic, &e)) != 0)
		warn_licence(a->has_iat || a->has_exp ? "with --iat/--exp" :
		    a->in, rc, &e);
	return rc;
}

/* The certificate must name the licence's issuing authority. */
static int
issue_cert(const char *path, const struct sk_licence *lic,
    struct sk_cert **cert)
{
	char uscc[SK_TRUST_USCC_LEN + 1];
	int rc;

	if ((rc = sk_cert_load_file(path, cert)) != 0) {
		tool_warn_err(rc, "%s", path);
		return rc;
	}
	if ((rc = sk_cert_subject_uscc(*cert, uscc)) != 0) {
		tool_warn_err(rc, "%s: no valid USCC in the subject "
		    "serialNumber", path);
		return SK_ERR_CERT;
	}
	if (strcmp(uscc, lic->issuer_code) != 0) {
		tool_warnx("issuer_code %s is not the USCC %s of %s",
		    lic->issuer_code, uscc, path);
		return SK_ERR_CERT;
	}
	return 0;
}

static int
issue_signer(const struct issue_args *a, const struct sk_cert *cert,
    struct sk_signer **signer)
{
	struct sk_key *key;
	int rc;

	if ((rc = tool_load_key(a->key, &a->pw, &key)) != 0)
		return rc;
	rc = sk_signer_from_key(key, a->alg, cert, signer);
	if (rc != 0)
		tool_warn_err(rc, "%s: cannot sign %s with this key", a->key,
		    a->alg != SK_ALG_NONE ? alg_name(a->alg) : "");
	return rc;
}

/* A kid naming a certificate whose key did not sign is never written. */
static int
issue_selfcheck(const char *path, const struct sk_cert *cert,
    const struct sk_buf *msg)
{
	struct sk_key *pub = NULL;
	struct sk_cose_sign1 *m = NULL;
	int rc;

	if ((rc = sk_cert_pubkey(cert, &pub)) == 0 &&
	    (rc = sk_cose_sign1_parse(msg->data, msg->len,
	    SK_COSE_REQUIRE_TAG, &m)) == 0)
		rc = sk_cose_sign1_verify(m, pub, NULL, 0, NULL, 0);
	sk_cose_sign1_free(m);
	sk_key_free(pub);
	if (rc == SK_ERR_SIGNATURE || rc == SK_ERR_KEY) {
		tool_warnx("%s: the certificate is not for this key", path);
		return SK_ERR_CERT;
	}
	if (rc != 0)
		tool_warn_err(rc, "%s: checking the credential", path);
	return rc;
}

/* Sign the claims of lic into msg (initialised by the caller). */
static int
issue_sign(const struct issue_args *a, const struct sk_licence *lic,
    struct sk_buf *msg)
{
	struct sk_cert *cert = NULL;
	struct sk_signer *signer = NULL;
	struct sk_buf claims;
	int rc;

	sk_buf_init(&claims, SK_LICENCE_MAX_CLAIMS);
	if ((rc = issue_cert(a->cert, lic, &cert)) != 0 ||
	    (rc = issue_signer(a, cert, &signer)) != 0)
		goto out;
	if ((rc = sk_licence_encode_claims(lic, &claims)) != 0) {
		tool_warn_err(rc, "encoding the claims");
		goto out;
	}
	rc = sk_cose_sign1_sign(signer, claims.data, claims.len, NULL, 0, 0,
	    msg);
	if (rc != 0)
		tool_warn_err(rc, "signing");
	else
		rc = issue_selfcheck(a->cert, cert, msg);
out:
	sk_signer_free(signer);
	sk_cert_free(cert);
	sk_buf_free(&claims);
	return rc;
}

static int
issue_write(const struct issue_args *a, const struct sk_buf *msg)
{
	struct sk_buf text;
	int rc;

	if (a->out != NULL &&
	    (rc = tool_write(a->out, msg->data, msg->len, a->wflags)) != 0)
		return rc;
	if (a->qrtext == NULL)
		return 0;
	sk_buf_init(&text, LIC_MAX_QRTEXT);
	if ((rc = sk_qrtext_encode(SK_QRTEXT_PREFIX, msg->data, msg->len,
	    &text)) != 0)
		tool_warn_err(rc, "encoding the QR text");
	else if ((rc = sk_buf_putc(&text, '\n')) != 0)
		tool_warn_err(rc, "encoding the QR text");
	else
		rc = tool_write(a->qrtext, text.data, text.len, a->wflags);
	sk_buf_free(&text);
	return rc;
}

static int
licence_issue(int argc, char **argv)
{
	struct issue_args a;
	struct sk_licence *lic = NULL;
	struct sk_buf msg;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = issue_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) != 0 ||
	    (rc = tool_check_new(a.qrtext, a.wflags)) != 0)
		return tool_exit_for(rc);
	sk_buf_init(&msg, SK_COSE_MAX_BYTES);
	if ((rc = issue_licence(&a, &lic)) == 0 &&
	    (rc = issue_sign(&a, lic, &msg)) == 0)
		rc = issue_write(&a, &msg);
	sk_buf_free(&msg);
	sk_licence_free(lic);
	return tool_exit_for(rc);
}

/* show */

struct show_args {
	const char	*in;
	const char	*prefix;
	int		 json;
};

static int
show_parse(int argc, char **argv, struct show_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	a->prefix = SK_QRTEXT_PREFIX;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_IN:
			a->in = optarg;
			break;
		case OPT_PREFIX:
			a->prefix = optarg;
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case 'h':
			return TOOL_HELP;
		default:
			return tool_bad_option(argv, c);
		}
	}
	if ((rc = tool_extra_args(argc, argv)) != 0)
		return rc;
	if (a->in == NULL)
		return tool_missing("--in");
	if (a->prefix[0] == '\0' || strlen(a->prefix) > SK_QRTEXT_MAX_PREFIX) {
		tool_warnx("--prefix: 1 to %u characters",
		    SK_QRTEXT_MAX_PREFIX);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static void
msg_kid(const struct sk_cose_sign1 *m, char *hex, size_t len)
{
	const uint8_t *kid;
	size_t n;

	sk_cose_sign1_kid(m, &kid, &n);
	tool_hex(kid != NULL ? kid : (const uint8_t *)"", n, hex, len);
}

static int
show_json(const struct sk_cose_sign1 *m, const struct sk_licence *lic)
{
	char kid[2 * SK_COSE_MAX_KID + 1];
	json_t *o;

	msg_kid(m, kid, sizeof(kid));
	if ((o = json_pack("{s:b,s:s,s:s}", "verified", 0, "alg",
	    alg_name(sk_cose_sign1_alg(m)), "kid", kid)) == NULL)
		return json_emit(NULL);
	if (json_set(o, "licence", licence_json(lic)) != 0) {
		json_decref(o);
		o = NULL;
	}
	return json_emit(o);
}

static int
show_msg(const struct sk_buf *cose, int json)
{
	struct sk_cose_sign1 *m = NULL;
	struct sk_licence *lic = NULL;
	struct sk_licence_err e;
	char kid[2 * SK_COSE_MAX_KID + 1];
	const uint8_t *p;
	size_t len;
	int rc;

	memset(&e, 0, sizeof(e));
	if ((rc = sk_cose_sign1_parse(tool_bytes(cose), cose->len, 0,
	    &m)) != 0 || (rc = sk_cose_sign1_payload(m, &p, &len)) != 0) {
		tool_warn_err(rc, "not a COSE_Sign1 credential");
		goto out;
	}
	if ((rc = sk_licence_decode_claims(p, len, &lic, &e)) != 0) {
		warn_licence("claims", rc, &e);
		goto out;
	}
	if (json) {
		rc = show_json(m, lic);
		goto out;
	}
	msg_kid(m, kid, sizeof(kid));
	printf("NOT VERIFIED: decoded only; the signature, issuer and dates "
	    "have not been checked.\n");
	printf("alg:          %s\nkid:          %s\n",
	    alg_name(sk_cose_sign1_alg(m)), kid[0] != '\0' ? kid : "none");
	print_licence(lic);
out:
	sk_licence_free(lic);
	sk_cose_sign1_free(m);
	return rc;
}

static int
licence_show(int argc, char **argv)
{
	struct show_args a;
	struct sk_buf cose;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = show_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = read_credential(a.in, a.prefix, 0, &cose)) == 0)
		rc = show_msg(&cose, a.json);
	sk_buf_free(&cose);
	return tool_exit_for(rc);
}

/* qr */

enum qr_format { QR_PNG, QR_SVG, QR_TEXT, QR_QRTEXT };

struct qr_args {
	const char	*in;
	const char	*out;
	enum qr_format	 format;
	enum sk_qr_ecc	 ecc;
	unsigned	 scale;
	unsigned	 margin;
	int		 invert;
	unsigned	 wflags;
};

static int
qr_format(const char *s, enum qr_format *f)
{
	static const char *const names[] = { "png", "svg", "text", "qrtext" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*f = (enum qr_format)i;
			return 0;
		}
	}
	tool_warnx("--format %s: use png, svg, text or qrtext", s);
	return TOOL_EXIT_USAGE;
}

static int
qr_ecc(const char *s, enum sk_qr_ecc *ecc)
{
	static const char levels[] = "LMQH";
	const char *p;

	if (s[0] == '\0' || s[1] != '\0' ||
	    (p = strchr(levels, s[0])) == NULL) {
		tool_warnx("--ecc %s: use L, M, Q or H", s);
		return TOOL_EXIT_USAGE;
	}
	*ecc = (enum sk_qr_ecc)(p - levels);
	return 0;
}

/* A small decimal number in lo..hi. */
static int
qr_number(const char *s, const char *what, unsigned lo, unsigned hi,
    unsigned *out)
{
	unsigned v = 0;
	const char *p;

	for (p = s; *p >= '0' && *p <= '9' && v <= hi; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (p == s || *p != '\0' || v < lo || v > hi) {
		tool_warnx("%s %s: a number from %u to %u", what, s, lo, hi);
		return TOOL_EXIT_USAGE;
	}
	*out = v;
	return 0;
}

static int
qr_opt(void *arg, int c)
{
	struct qr_args *a = arg;
	switch (c) {
	case OPT_IN:
		a->in = optarg;
		break;
	case OPT_OUT:
		a->out = optarg;
		break;
	case OPT_FORMAT:
		return qr_format(optarg, &a->format);
	case OPT_ECC:
		return qr_ecc(optarg, &a->ecc);
	case OPT_SCALE:
		return qr_number(optarg, "--scale", 1, SK_QR_MAX_SCALE,
		    &a->scale);
	case OPT_MARGIN:
		return qr_number(optarg, "--margin", 0, SK_QR_MAX_MARGIN,
		    &a->margin);
	case OPT_LIGHT:
		a->invert = 0;
		break;
	case OPT_FORCE:
		a->wflags |= TOOL_W_FORCE;
		break;
	default:
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static int
qr_parse(int argc, char **argv, struct qr_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "ecc", required_argument, NULL, OPT_ECC },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "margin", required_argument, NULL, OPT_MARGIN },
		{ "light-terminal", no_argument, NULL, OPT_LIGHT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	a->ecc = SK_QR_ECC_DEFAULT;
	a->scale = SK_QR_DEFAULT_SCALE;
	a->margin = SK_QR_DEFAULT_MARGIN;
	a->invert = 1;
	if ((rc = tool_getopt(argc, argv, opts, qr_opt, a)) != 0)
		return rc;
	if (a->in == NULL)
		return tool_missing("--in");
	if (a->out == NULL && (a->format == QR_PNG || a->format == QR_SVG))
		return tool_missing("--out (for png and svg)");
	if (a->out == NULL)
		a->out = "-";
	return 0;
}

/*
 * The canonical QR text of a credential, whichever form it came in.  Only
 * a COSE_Sign1 of our profile is rendered, never arbitrary bytes.
 */
static int
qr_text(const char *path, struct sk_buf *text)
{
	struct sk_cose_sign1 *m = NULL;
	struct sk_buf cose;
	int rc;

	sk_buf_init(text, SK_QRTEXT_MAX);
	rc = read_credential(path, SK_QRTEXT_PREFIX, SK_QRTEXT_STRICT_ZLIB,
	    &cose);
	if (rc != 0)
		goto out;
	if ((rc = sk_cose_sign1_parse(tool_bytes(&cose), cose.len,
	    SK_COSE_REQUIRE_TAG, &m)) != 0)
		tool_warn_err(rc, "%s: not a COSE_Sign1 credential", path);
	else if ((rc = sk_qrtext_encode(SK_QRTEXT_PREFIX, cose.data, cose.len,
	    text)) != 0)
		tool_warn_err(rc, "encoding the QR text");
out:
	sk_cose_sign1_free(m);
	sk_buf_free(&cose);
	return rc;
}

static int
qr_render(const struct qr_args *a, const struct sk_qr *qr,
    const struct sk_buf *text, struct sk_buf *img)
{
	int rc;

	switch (a->format) {
	case QR_PNG:
		rc = sk_qr_write_png(qr, a->scale, a->margin, img);
		break;
	case QR_SVG:
		rc = sk_qr_write_svg(qr, a->scale, a->margin, img);
		break;
	case QR_TEXT:
		rc = sk_qr_write_text(qr, a->margin, a->invert, img);
		break;
	default:
		if ((rc = sk_buf_append(img, text->data, text->len)) == 0)
			rc = sk_buf_putc(img, '\n');
		break;
	}
	if (rc != 0)
		tool_warn_err(rc, "rendering the QR code");
	return rc;
}

static int
qr_run(const struct qr_args *a)
{
	static const char levels[] = "LMQH";
	struct sk_buf text, img;
	struct sk_qr *qr = NULL;
	int rc;

	sk_buf_init(&img, LIC_MAX_IMAGE);
	if ((rc = qr_text(a->in, &text)) != 0)
		goto out;
	if ((rc = sk_qr_encode((const char *)text.data, text.len, a->ecc,
	    &qr)) != 0) {
		tool_warn_err(rc, "encoding the QR code (%zu characters)",
		    text.len);
		goto out;
	}
	fprintf(stderr, "QR version %d-%c, %dx%d modules, %zu characters\n",
	    sk_qr_version(qr), levels[a->ecc], sk_qr_width(qr),
	    sk_qr_width(qr), text.len);
	if ((rc = qr_render(a, qr, &text, &img)) == 0)
		rc = tool_write(a->out, img.data, img.len, a->wflags);
out:
	sk_qr_free(qr);
	sk_buf_free(&img);
	sk_buf_free(&text);
	return rc;
}

static int
licence_qr(int argc, char **argv)
{
	struct qr_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = qr_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) == 0)
		rc = qr_run(&a);
	return tool_exit_for(rc);
}

/* verify */

struct verify_args {
	const char	*input;
	int		 kind;		/* enum sk_input */
	int		 ninputs;
	const char	*trust_list;
	const char	*anchors;
	const char	*cert;
	const char	*prefix;
	const char	*status[SK_STATUS_CACHE_MAX_LISTS];
	size_t		 nstatus;
	int64_t		 at;
	int		 json;
	int		 pres;
	const char	*pres_cert;
};

static void
verify_input(struct verify_args *a, int kind)
{
	a->input = optarg;
	a->kind = kind;
	a->ninputs++;
}

static int
verify_opt(void *arg, int c)
{
	struct verify_args *a = arg;
	switch (c) {
	case OPT_QRTEXT:
		verify_input(a, SK_INPUT_QRTEXT);
		break;
	case OPT_IN:
		verify_input(a, SK_INPUT_COSE);
		break;
	case OPT_IMAGE:
		verify_input(a, SK_INPUT_PNG);
		break;
	case OPT_TRUST:
		a->trust_list = optarg;
		break;
	case OPT_ANCHORS:
		a->anchors = optarg;
		break;
	case OPT_CERT:
		a->cert = optarg;
		break;
	case OPT_PREFIX:
		a->prefix = optarg;
		break;
	case OPT_AT:
		return tool_time_parse(optarg, "--at", &a->at);
	case OPT_STATUS:
		if (a->nstatus >= SK_STATUS_CACHE_MAX_LISTS) {
			tool_warnx("more than SK_STATUS_CACHE_MAX_LISTS (%u) "
			    "--status", SK_STATUS_CACHE_MAX_LISTS);
			return TOOL_EXIT_USAGE;
		}
		a->status[a->nstatus++] = optarg;
		break;
	case OPT_JSON:
		a->json = 1;
		break;
	case OPT_PRES:
		a->pres = 1;
		break;
	case OPT_PRESCERT:
		a->pres_cert = optarg;
		break;
	default:
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static int
pres_check(const struct verify_args *a)
{
	if (a->kind == SK_INPUT_COSE) {
		tool_warnx("--presentation reads --qr-text or --image");
		return TOOL_EXIT_USAGE;
	}
	if (a->trust_list != NULL || a->cert != NULL || a->prefix != NULL ||
	    a->nstatus > 0) {
		tool_warnx("--presentation excludes --trust-list, --cert, "
		    "--prefix and --status");
		return TOOL_EXIT_USAGE;
	}
	if (a->anchors == NULL)
		return tool_missing("--anchors");
	if (a->pres_cert == NULL)
		return tool_missing("--presentation-cert");
	return 0;
}

static int
verify_check(const struct verify_args *a)
{
	if (a->ninputs != 1) {
		tool_warnx("give exactly one of --qr-text, --in and --image");
		return TOOL_EXIT_USAGE;
	}
	if (a->pres)
		return pres_check(a);
	if (a->pres_cert != NULL) {
		tool_warnx("--presentation-cert needs --presentation");
		return TOOL_EXIT_USAGE;
	}
	if (a->cert != NULL && (a->trust_list != NULL || a->anchors != NULL)) {
		tool_warnx("--cert (generic mode) excludes --trust-list and "
		    "--anchors");
		return TOOL_EXIT_USAGE;
	}
	if (a->cert == NULL && a->trust_list == NULL)
		return tool_missing("--trust-list (or --cert)");
	if (a->cert == NULL && a->anchors == NULL)
		return tool_missing("--anchors");
	if (a->prefix != NULL && (a->prefix[0] == '\0' ||
	    strlen(a->prefix) > SK_QRTEXT_MAX_PREFIX)) {
		tool_warnx("--prefix: 1 to %u characters",
		    SK_QRTEXT_MAX_PREFIX);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

static int
verify_parse(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{ "qr-text", required_argument, NULL, OPT_QRTEXT },
		{ "in", required_argument, NULL, OPT_IN },
		{ "image", required_argument, NULL, OPT_IMAGE },
		{ "trust-list", required_argument, NULL, OPT_TRUST },
		{ "anchors", required_argument, NULL, OPT_ANCHORS },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "at", required_argument, NULL, OPT_AT },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "presentation", no_argument, NULL, OPT_PRES },
		{ "presentation-cert", required_argument, NULL,
		    OPT_PRESCERT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	a->at = tool_time_now();
	if ((rc = tool_getopt(argc, argv, opts, verify_opt, a)) != 0)
		return rc;
	return verify_check(a);
}

/* The anchors, then the signed list, checked at the current time. */
static int
verify_trust(const struct verify_args *a, struct sk_trust **t)
{
	struct sk_buf list;
	int rc;

	if ((rc = sk_trust_new_file(a->anchors, t)) != 0) {
		tool_warn_err(rc, "%s", a->anchors);
		return rc;
	}
	rc = tool_read(a->trust_list, SK_TRUST_MAX_BYTES,
	    "SK_TRUST_MAX_BYTES", 0, &list);
	if (rc != 0)
		return rc;
	rc = sk_trust_load_list(*t, tool_bytes(&list), list.len,
	    tool_time_now());
	if (rc != 0) {
		tool_warn_err(rc, "%s: the trust list is rejected",
		    a->trust_list);
		/* Stale or wrongly signed: unusable input, not a verdict. */
		rc = SK_ERR_FORMAT;
	}
	sk_buf_free(&list);
	return rc;
}

/*
 * One Status List Token into the cache, its signer found in the trust
 * list (or CERT's key in generic mode).  A token that does not verify is
 * only reported here: the cache remembers it, so that the verdict says
 * status_list_invalid for its URI, and a missing list is status_unknown.
 */
static int
verify_status_add(const char *path, const struct sk_trust *t,
    const struct sk_key *key, struct sk_status_cache *cache)
{
	struct sk_buf tok;
	int rc;

	rc = tool_read(path, SK_STATUSLIST_MAX_TOKEN,
	    "SK_STATUSLIST_MAX_TOKEN", 0, &tok);
	if (rc != 0)
		return rc;
	if (t != NULL)
		rc = sk_status_cache_add_trust(cache, tool_bytes(&tok),
		    tok.len, t);
	else
		rc = sk_status_cache_add(cache, tool_bytes(&tok), tok.len,
		    key);
	if (rc == SK_ERR_NOMEM || rc == SK_ERR_ARG)
		tool_warn_err(rc, "%s", path);
	else if (rc != 0) {
		tool_warn_err(rc, "warning: %s: status list rejected", path);
		rc = 0;
	}
	sk_buf_free(&tok);
	return rc;
}

static int
verify_status(const struct verify_args *a, const struct sk_trust *t,
    const struct sk_cert *cert, struct sk_status_cache **cache)
{
	struct sk_key *key = NULL;
	size_t i;
	int rc;

	*cache = NULL;
	if (a->nstatus == 0)
		return 0;
	if ((rc = sk_status_cache_new(cache)) != 0) {
		tool_warn_err(rc, "status cache");
		return rc;
	}
	if (cert != NULL && (rc = sk_cert_pubkey(cert, &key)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		return rc;
	}
	for (i = 0; rc == 0 && i < a->nstatus; i++)
		rc = verify_status_add(a->status[i], t, key, *cache);
	sk_key_free(key);
	return rc;
}

static int
verify_read(const struct verify_args *a, struct sk_buf *in)
{
	switch (a->kind) {
	case SK_INPUT_QRTEXT:
		return tool_read(a->input, LIC_MAX_QRTEXT, "SK_QRTEXT_MAX", 0,
		    in);
	case SK_INPUT_COSE:
		return tool_read(a->input, SK_COSE_MAX_BYTES,
		    "SK_COSE_MAX_BYTES", 0, in);
	default:
		return tool_read(a->input, SK_QR_PNG_MAX_BYTES,
		    "SK_QR_PNG_MAX_BYTES", 0, in);
	}
}

static const char *
reason_text(unsigned bit)
{
	switch (bit) {
	case SK_REASON_MALFORMED:
		return "the credential is malformed";
	case SK_REASON_UNKNOWN_KID:
		return "no issuer certificate in the trust list has its kid";
	case SK_REASON_BAD_SIGNATURE:
		return "the signature does not verify";
	case SK_REASON_ISSUER_CERT:
		return "the issuer certificate was not valid at iat, or its "
		    "chain to a trust anchor is broken";
	case SK_REASON_ISSUER_MISMATCH:
		return "issuer_code is not the USCC of the signing "
		    "certificate";
	case SK_REASON_NOT_YET_VALID:
		return "not yet valid at the verification time";
	case SK_REASON_EXPIRED:
		return "expired at the verification time";
	case SK_REASON_REVOKED:
		return "revoked (status list)";
	case SK_REASON_SUSPENDED:
		return "suspended (status list)";
	case SK_REASON_STATUS_UNKNOWN:
		return "the status could not be determined";
	case SK_REASON_STATUS_LIST_INVALID:
		return "the status list is stale, wrongly signed or corrupt";
	default:
		return "unknown reason";
	}
}

/* Verified generic claims as diagnostic notation into d (NUL-ended). */
static int
claims_diag(const struct sk_verdict *v, struct sk_buf *d)
{
	struct sk_cbor_doc *doc = NULL;
	char hex[3];
	size_t i;
	int rc;

	sk_buf_init(d, SK_TOOL_MAX_DIAG);
	if (sk_cbor_decode(v->payload, v->paylen, NULL, &doc) == 0) {
		rc = sk_cbor_diag(sk_cbor_root(doc), d);
		sk_cbor_free(doc);
		return rc;
	}
	/* Not CBOR: show the bytes, as diagnostic notation would. */
	rc = sk_buf_append(d, "h'", 2);
	for (i = 0; rc == 0 && i < v->paylen; i++) {
		tool_hex(&v->payload[i], 1, hex, sizeof(hex));
		rc = sk_buf_append(d, hex, 2);
	}
	if (rc == 0 && (rc = sk_buf_putc(d, '\'')) == 0)
		rc = sk_buf_putc(d, '\0');
	return rc;
}

static void
verdict_reasons_text(const struct sk_verdict *v)
{
	unsigned i, bit;

	for (i = 0; i < SK_REASON_COUNT; i++) {
		bit = 1u << i;
		if (!(v->reasons & bit))
			continue;
		if (bit == SK_REASON_MALFORMED)
			printf("reason: %s: %s (stage %s)\n",
			    sk_reason_name(bit), reason_text(bit),
			    sk_stage_name(v->stage));
		else
			printf("reason: %s: %s\n", sk_reason_name(bit),
			    reason_text(bit));
	}
	if (!v->valid && v->detail[0] != '\0' && v->err != 0)
		printf("detail: %s (%s)\n", v->detail, sk_errname(v->err));
	else if (!v->valid && v->detail[0] != '\0')
		printf("detail: %s\n", v->detail);
}

static void
verdict_text(const struct verify_args *a, const struct sk_verdict *v)
{
	char kid[2 * SK_COSE_MAX_KID + 1], at[TOOL_TIME_STRLEN];
	struct sk_buf d;

	printf("%s\n", v->valid ? "VALID" : "NOT VALID");
	verdict_reasons_text(v);
	tool_hex(v->kid, v->kidlen, kid, sizeof(kid));
	tool_time_format(a->at, at);
	printf("checked at:   %s\n", at);
	if (v->alg != SK_ALG_NONE)
		printf("alg:          %s\n", alg_name(v->alg));
	if (v->kidlen > 0)
		printf("kid:          %s\n", kid);
	if (v->issuer_subject != NULL)
		printf("signer:       %s\n", v->issuer_subject);
	if (v->status_not_checked)
		printf("note: the credential has a status list reference; no "
		    "status list was given (--status), so revocation was not "
		    "checked\n");
	if (v->licence != NULL)
		print_licence(v->licence);
	if (v->payload == NULL)
		return;
	if (claims_diag(v, &d) == 0)
		printf("claims:       %s\n", (const char *)d.data);
	sk_buf_free(&d);
}

static json_t *
verdict_reasons_json(const struct sk_verdict *v)
{
	json_t *arr;
	unsigned i;

	if ((arr = json_array()) == NULL)
		return NULL;
	for (i = 0; i < SK_REASON_COUNT; i++) {
		if ((v->reasons & (1u << i)) &&
		    json_array_append_new(arr,
		    json_string(sk_reason_name(1u << i))) != 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

/* Optional members of the JSON verdict; non-zero on failure. */
static int
verdict_json_more(const struct sk_verdict *v, json_t *o)
{
	char kid[2 * SK_COSE_MAX_KID + 1];
	struct sk_buf d;
	int bad = 0;

	if (!v->valid && v->err != 0)
		bad |= json_set(o, "error", json_string(sk_errname(v->err)));
	if (!v->valid)
		bad |= json_set(o, "detail", json_string(v->detail));
	if (v->reasons & SK_REASON_MALFORMED)
		bad |= json_set(o, "stage",
		    json_string(sk_stage_name(v->stage)));
	if (v->alg != SK_ALG_NONE)
		bad |= json_set(o, "alg", json_string(alg_name(v->alg)));
	if (v->kidlen > 0) {
		tool_hex(v->kid, v->kidlen, kid, sizeof(kid));
		bad |= json_set(o, "kid", json_string(kid));
	}
	if (v->issuer_subject != NULL)
		bad |= json_set(o, "signer", json_string(v->issuer_subject));
	if (v->licence != NULL)
		bad |= json_set(o, "licence", licence_json(v->licence));
	if (v->payload != NULL) {
		if (claims_diag(v, &d) == 0)
			bad |= json_set(o, "claims",
			    json_string((const char *)d.data));
		else
			bad = 1;
		sk_buf_free(&d);
	}
	return bad;
}

/* Whether a status list was consulted for this credential. */
static int
status_checked(const struct sk_verdict *v)
{
	return v->licence != NULL && v->licence->has_status &&
	    !v->status_not_checked;
}

static int
verdict_json(const struct verify_args *a, const struct sk_verdict *v)
{
	json_t *o;

	o = json_pack("{s:b,s:o,s:I,s:b}", "valid", v->valid, "reasons",
	    verdict_reasons_json(v), "at", (json_int_t)a->at,
	    "status_checked", status_checked(v));
	if (o != NULL && verdict_json_more(v, o) != 0) {
		json_decref(o);
		o = NULL;
	}
	return json_emit(o);
}

static int
verify_run(const struct verify_args *a, struct sk_verify_opts *o,
    struct sk_verdict *v)
{
	struct sk_status_source src;
	struct sk_status_cache *cache = NULL;
	struct sk_cert *cert = NULL;
	struct sk_trust *t = NULL;
	struct sk_buf in;
	int rc;

	if (a->cert != NULL) {
		if ((rc = sk_cert_load_file(a->cert, &cert)) != 0) {
			tool_warn_err(rc, "%s", a->cert);
			return rc;
		}
		o->cert = cert;
		o->flags |= SK_VERIFY_GENERIC;
	} else if ((rc = verify_trust(a, &t)) != 0)
		goto out;
	o->trust = t;
	if ((rc = verify_status(a, t, cert, &cache)) != 0)
		goto out;
	if (cache != NULL) {
		sk_status_cache_source(cache, &src);
		o->status = &src;
	}
	if ((rc = verify_read(a, &in)) != 0)
		goto out;
	rc = sk_verify_credential(a->kind, tool_bytes(&in), in.len, o, v);
	if (rc != 0)
		tool_warn_err(rc, "verification could not complete");
	sk_buf_free(&in);
out:
	o->status = NULL;
	sk_status_cache_free(cache);
	sk_trust_free(t);
	sk_cert_free(cert);
	return rc;
}

/* Presentation codes (sealkit/presentation.h). */

/* The reason a code is not valid: a stable name and a description. */
static const char *
pres_reason(int err, const char **text)
{
	switch (err) {
	case SK_ERR_EXPIRED:
		*text = "expired at the verification time, or issued in the "
		    "future";
		return "expired";
	case SK_ERR_SIGNATURE:
		*text = "the signature does not verify";
		return "bad_signature";
	case SK_ERR_NOTFOUND:
		*text = "the code's kid is not the presentation certificate's";
		return "unknown_kid";
	case SK_ERR_CERT:
		*text = "the presentation certificate was not valid at iat, "
		    "or its chain to a trust anchor is broken";
		return "issuer_cert";
	default:
		*text = "not a presentation code";
		return "malformed";
	}
}

/* The code's text into text: one QR text line, or a PNG's QR code. */
static int
pres_read(const struct verify_args *a, struct sk_buf *text)
{
	struct sk_buf png;
	int rc;

	if (a->kind == SK_INPUT_QRTEXT) {
		rc = tool_read(a->input, SK_PRES_TEXT_MAX + 2u,
		    "SK_PRES_TEXT_MAX", 0, text);
		if (rc == 0 && text->len > 0 && text->data[text->len - 1] ==
		    '\n')
			text->len--;
		if (rc == 0 && text->len > 0 && text->data[text->len - 1] ==
		    '\r')
			text->len--;
		return rc;
	}
	rc = tool_read(a->input, SK_QR_PNG_MAX_BYTES, "SK_QR_PNG_MAX_BYTES",
	    0, &png);
	if (rc != 0)
		return rc;
	sk_buf_init(text, SK_PRES_TEXT_MAX + 1u);
	/* No code in the image is a malformed code, as for credentials. */
	if ((rc = sk_qr_decode_png(tool_bytes(&png), png.len, text)) != 0 &&
	    rc != SK_ERR_NOMEM && rc != SK_ERR_INTERNAL) {
		tool_warn_err(rc, "%s: no QR code read", a->input);
		rc = 1;
	}
	sk_buf_free(&png);
	if (rc < 0)
		sk_buf_free(text);
	return rc;
}

static void
pres_text(const struct verify_args *a, int err, const struct sk_pres *p)
{
	char at[TOOL_TIME_STRLEN], id[33];
	const char *name, *text;

	printf("%s\n", err == 0 ? "VALID" : "NOT VALID");
	if (err != 0) {
		name = pres_reason(err, &text);
		printf("reason: %s: %s\n", name, text);
		printf("detail: %s (%s)\n", sk_strerror(err), sk_errname(err));
	}
	tool_time_format(a->at, at);
	printf("checked at:   %s\n", at);
	if (err != 0)
		return;
	sk_pres_id_hex(p, id);
	printf("presentation:\n");
	print_field("licence", p->licence);
	print_field("holder", p->holder);
	print_field("id", id);
	print_time("iat", p->iat);
	print_time("exp", p->exp);
}

static int
pres_json(const struct verify_args *a, int err, const struct sk_pres *p)
{
	const char *text;
	char id[33];
	json_t *o;

	if (err != 0) {
		o = json_pack("{s:b,s:[s],s:I,s:s,s:s}", "valid", 0,
		    "reasons", pres_reason(err, &text), "at",
		    (json_int_t)a->at, "error", sk_errname(err), "detail",
		    sk_strerror(err));
		return json_emit(o);
	}
	sk_pres_id_hex(p, id);
	o = json_pack("{s:b,s:[],s:I,s:s,s:s,s:s,s:I,s:I}", "valid", 1,
	    "reasons", "at", (json_int_t)a->at, "licence", p->licence,
	    "holder", p->holder, "id", id, "iat", (json_int_t)p->iat, "exp",
	    (json_int_t)p->exp);
	return json_emit(o);
}

/* Errors that are no verdict on the code. */
static int
pres_internal(int err)
{
	return err == SK_ERR_NOMEM || err == SK_ERR_ARG ||
	    err == SK_ERR_CRYPTO || err == SK_ERR_INTERNAL;
}

static int
pres_verify(const struct verify_args *a)
{
	struct sk_trust *t = NULL;
	struct sk_cert *pc = NULL;
	struct sk_pres p;
	struct sk_buf text;
	int rc, err = 0;

	if ((rc = sk_trust_new_file(a->anchors, &t)) != 0) {
		tool_warn_err(rc, "%s", a->anchors);
		return tool_exit_for(rc == SK_ERR_SIGNATURE ? SK_ERR_CERT : rc);
	}
	if ((rc = sk_cert_load_file(a->pres_cert, &pc)) != 0) {
		tool_warn_err(rc, "%s", a->pres_cert);
		sk_trust_free(t);
		return tool_exit_for(rc == SK_ERR_SIGNATURE ? SK_ERR_CERT : rc);
	}
	if ((rc = pres_read(a, &text)) > 0)
		err = SK_ERR_FORMAT;
	else if (rc == 0)
		err = sk_pres_verify((const char *)tool_bytes(&text),
		    text.len, t, pc, a->at, &p);
	sk_trust_free(t);
	sk_cert_free(pc);
	if (rc < 0)
		return tool_exit_for(rc);
	sk_buf_free(&text);
	if (pres_internal(err)) {
		tool_warn_err(err, "verification could not complete");
		return TOOL_EXIT_INTERNAL;
	}
	if (a->json)
		rc = pres_json(a, err, &p);
	else
		pres_text(a, err, &p);
	if (rc != 0)
		return TOOL_EXIT_INTERNAL;
	return err == 0 ? TOOL_EXIT_OK : TOOL_EXIT_INVALID;
}

static int
licence_verify(int argc, char **argv)
{
	struct verify_args a;
	struct sk_verify_opts o;
	struct sk_verdict v;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = verify_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if (a.pres)
		return pres_verify(&a);
	memset(&o, 0, sizeof(o));
	memset(&v, 0, sizeof(v));
	o.prefix = a.prefix;
	o.at = a.at;
	if ((rc = verify_run(&a, &o, &v)) != 0) {
		sk_verdict_free(&v);
		return tool_exit_for(rc);
	}
	if (a.json)
		rc = verdict_json(&a, &v);
	else
		verdict_text(&a, &v);
	if (rc == 0)
		rc = v.valid ? TOOL_EXIT_OK : TOOL_EXIT_INVALID;
	else
		rc = TOOL_EXIT_INTERNAL;
	sk_verdict_free(&v);
	return rc;
}

static const struct tool_verb licence_verbs[] = {
	{ "issue", "sign a licence as a credential (COSE_Sign1, QR text)",
	    issue_usage, licence_issue },
	{ "show", "print a credential's licence (NOT VERIFIED)", show_usage,
	    licence_show },
	{ "qr", "render a credential's QR code (PNG, SVG, text)", qr_usage,
	    licence_qr },
	{ "verify", "verify a credential: verdict and every reason",
	    verify_usage, licence_verify },
};

const struct tool_group tool_group_licence = {
	"licence", "Licence credentials and their QR codes", licence_verbs,
	sizeof(licence_verbs) / sizeof(licence_verbs[0])
};
