/*
 * sealkit cose sign | verify | show: COSE_Sign1 messages (RFC 9052 4.2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"

#include "tool.h"

enum {
	OPT_KEY = 256,
	OPT_CERT,
	OPT_PUBKEY,
	OPT_ALG,
	OPT_IN,
	OPT_OUT,
	OPT_AAD,
	OPT_UNTAGGED,
	OPT_REQUIRE_TAG,
	OPT_PAYLOAD_OUT,
	OPT_JSON,
	OPT_FORCE,
	OPT_PWFILE,
	OPT_PWENV
};

static const char sign_usage[] =
    "usage: sealkit cose sign --key KEY [--cert CERT] [--alg A]\n"
    "           --in PAYLOAD|- --out FILE|- [--aad HEX] [--untagged]\n"
    "           [--password-file FILE | --password-env VAR] [--force]\n"
    "\n"
    "Sign a payload as a COSE_Sign1 message (tag 18, protected header\n"
    "{1: alg, 4: kid}).\n"
    "\n"
    "  --key KEY            private key: PEM, DER PKCS#8 or PKCS#12\n"
    "  --cert CERT          the key's certificate: sets kid to the first 8\n"
    "                       bytes of SHA-256(CERT DER); must match KEY\n"
    "  --alg A              es256, eddsa|ed25519 or sm2 (default: the key's)"
    "\n"
    "  --in PAYLOAD         payload file, - for stdin\n"
    "  --out FILE           message file, - for stdout\n"
    "  --aad HEX            external additional authenticated data\n"
    "  --untagged           omit the COSE_Sign1 tag 18\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --force              replace an existing output file\n";

static const char verify_usage[] =
    "usage: sealkit cose verify --in MSG|- (--cert CERT | --pubkey PEM)\n"
    "           [--aad HEX] [--require-tag] [--payload-out FILE|-] "
    "[--json]\n"
    "           [--force]\n"
    "\n"
    "Verify a COSE_Sign1 message.  Prints \"valid alg=A kid=HEX\" (exit 0)\n"
    "or \"invalid: STAGE: REASON\", STAGE being parse, tag, key mismatch or\n"
    "signature (exit 1, or 3 when the message is malformed).\n"
    "\n"
    "  --in MSG             message file, - for stdin\n"
    "  --cert CERT          verify with this certificate's key; a message\n"
    "                       kid that differs from the certificate's is\n"
    "                       reported on stderr, not fatal\n"
    "  --pubkey PEM         verify with this public key (SPKI PEM or DER)\n"
    "  --aad HEX            external additional authenticated data\n"
    "  --require-tag        reject a message without tag 18 (exit 1)\n"
    "  --payload-out FILE   write the payload, only if valid; with - the\n"
    "                       verdict goes to stderr\n"
    "  --json               print one JSON object: valid, alg, kid,\n"
    "                       kid_matches, error, stage, message\n"
    "  --force              replace an existing payload file\n";

static const char show_usage[] =
    "usage: sealkit cose show --in MSG|-\n"
    "\n"
    "Print a COSE_Sign1 message's headers, payload and signature in CBOR\n"
    "diagnostic notation, labelled NOT VERIFIED: nothing is checked but\n"
    "the structure.  Use 'sealkit cose verify' to verify.\n"
    "\n"
    "  --in MSG             message file, - for stdin\n";

static const char *
alg_name(int alg)
{
	const char *s = sk_alg_name(alg);

	return s != NULL ? s : "unknown";
}

/* sign */

struct sign_args {
	const char		*key;
	const char		*cert;
	const char		*in;
	const char		*out;
	const char		*aad;
	int			 alg;
	unsigned		 flags;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
sign_opt(void *arg, int c)
{
	struct sign_args *a = arg;
	switch (c) {
	case OPT_KEY:
		a->key = optarg;
		break;
	case OPT_CERT:
		a->cert = optarg;
		break;
	case OPT_ALG:
		if ((a->alg = sk_alg_from_name(optarg)) == SK_ALG_NONE) {
			tool_warnx("--alg %s: unknown algorithm", optarg);
			return TOOL_EXIT_USAGE;
		}
		break;
	case OPT_IN:
		a->in = optarg;
		break;
	case OPT_OUT:
		a->out = optarg;
		break;
	case OPT_AAD:
		a->aad = optarg;
		break;
	case OPT_UNTAGGED:
		a->flags |= SK_COSE_UNTAGGED;
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
sign_parse(int argc, char **argv, struct sign_args *a)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, OPT_KEY },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "alg", required_argument, NULL, OPT_ALG },
		{ "in", required_argument, NULL, OPT_IN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "aad", required_argument, NULL, OPT_AAD },
		{ "untagged", no_argument, NULL, OPT_UNTAGGED },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "password-env", required_argument, NULL, OPT_PWENV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, sign_opt, a)) != 0)
		return rc;
	if (a->key == NULL)
		return tool_missing("--key");
	if (a->in == NULL)
		return tool_missing("--in");
	if (a->out == NULL)
		return tool_missing("--out");
	return tool_pwopt_check(&a->pw);
}

/* The key (and certificate) into a signer; the signer owns the key. */
static int
sign_load(const struct sign_args *a, struct sk_cert **cert,
    struct sk_signer **signer)
{
	struct sk_key *key;
	int rc;

	if ((rc = tool_load_key(a->key, &a->pw, &key)) != 0)
		return rc;
	if (a->cert != NULL && (rc = sk_cert_load_file(a->cert, cert)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		sk_key_free(key);
		return rc;
	}
	rc = sk_signer_from_key(key, a->alg, *cert, signer);
	if (rc == SK_ERR_CERT && a->cert != NULL)
		tool_warnx("%s: the certificate is not for the key %s",
		    a->cert, a->key);
	else if (rc != 0 && a->alg != SK_ALG_NONE)
		tool_warn_err(rc, "%s: cannot sign %s with this key", a->key,
		    alg_name(a->alg));
	else if (rc != 0)
		tool_warn_err(rc, "%s: cannot sign with this key", a->key);
	return rc;
}

/*
 * A kid that names a certificate whose key did not make the signature
 * would send every verifier to the wrong certificate: check before
 * anything is written.
 */
static int
sign_check_cert(const char *path, const struct sk_cert *cert,
    const struct sk_buf *msg, const struct sk_buf *aad)
{
	struct sk_key *pub = NULL;
	struct sk_cose_sign1 *m = NULL;
	int rc;

	if ((rc = sk_cert_pubkey(cert, &pub)) == 0 &&
	    (rc = sk_cose_sign1_parse(msg->data, msg->len, 0, &m)) == 0)
		rc = sk_cose_sign1_verify(m, pub, aad->data, aad->len, NULL,
		    0);
	sk_cose_sign1_free(m);
	sk_key_free(pub);
	if (rc == SK_ERR_SIGNATURE || rc == SK_ERR_KEY) {
		tool_warnx("%s: the certificate is not for this key", path);
		return SK_ERR_CERT;
	}
	if (rc != 0)
		tool_warn_err(rc, "%s: checking the certificate", path);
	return rc;
}

static int
sign_run(const struct sign_args *a, const struct sk_buf *aad)
{
	struct sk_buf payload, msg;
	struct sk_cert *cert = NULL;
	struct sk_signer *signer = NULL;
	int rc;

	sk_buf_init(&msg, SK_COSE_MAX_BYTES);
	rc = tool_read(a->in, SK_COSE_MAX_BYTES, "SK_COSE_MAX_BYTES", 0,
	    &payload);
	if (rc != 0)
		return rc;
	if ((rc = sign_load(a, &cert, &signer)) != 0)
		goto out;
	rc = sk_cose_sign1_sign(signer, payload.data, payload.len, aad->data,
	    aad->len, a->flags, &msg);
	if (rc != 0) {
		tool_warn_err(rc, "signing");
		goto out;
	}
	if (cert != NULL && (rc = sign_check_cert(a->cert, cert, &msg,
	    aad)) != 0)
		goto out;
	rc = tool_write(a->out, msg.data, msg.len, a->wflags);
out:
	sk_signer_free(signer);
	sk_cert_free(cert);
	sk_buf_free(&msg);
	sk_buf_free(&payload);
	return rc;
}

static int
cose_sign(int argc, char **argv)
{
	struct sign_args a;
	struct sk_buf aad;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = sign_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	sk_buf_init(&aad, 0);
	if (a.aad != NULL &&
	    tool_unhex(a.aad, SK_TOOL_MAX_AAD, "--aad", &aad) != 0)
		return TOOL_EXIT_USAGE;
	if ((rc = tool_check_new(a.out, a.wflags)) == 0)
		rc = sign_run(&a, &aad);
	sk_buf_free(&aad);
	return tool_exit_for(rc);
}

/* verify */

struct verify_args {
	const char	*in;
	const char	*cert;
	const char	*pubkey;
	const char	*aad;
	const char	*payload_out;
	int		 require_tag;
	int		 json;
	unsigned	 wflags;
};

/* The outcome of cose verify, printed as text or as JSON. */
struct verdict {
	int		 err;		/* 0 (valid) or the deciding SK_ERR_* */
	int		 code;		/* exit code */
	const char	*stage;		/* failing stage; NULL when valid */
	const char	*detail;	/* replaces sk_strerror(err) if set */
	int		 about_msg;	/* a verdict on the message itself */
	int		 alg;		/* SK_ALG_NONE until parsed */
	char		 kid[2 * SK_COSE_MAX_KID + 1]; /* hex; "" if none */
	int		 kid_matches;	/* -1: not compared */
};

static void
verdict_fail(struct verdict *v, const char *stage, int err, int code,
    int about_msg)
{
	v->stage = stage;
	v->err = err;
	v->code = code;
	v->about_msg = about_msg;
}

static int
verify_opt(void *arg, int c)
{
	struct verify_args *a = arg;
	switch (c) {
	case OPT_IN:
		a->in = optarg;
		break;
	case OPT_CERT:
		a->cert = optarg;
		break;
	case OPT_PUBKEY:
		a->pubkey = optarg;
		break;
	case OPT_AAD:
		a->aad = optarg;
		break;
	case OPT_PAYLOAD_OUT:
		a->payload_out = optarg;
		break;
	case OPT_REQUIRE_TAG:
		a->require_tag = 1;
		break;
	case OPT_JSON:
		a->json = 1;
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
verify_parse_args(int argc, char **argv, struct verify_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "pubkey", required_argument, NULL, OPT_PUBKEY },
		{ "aad", required_argument, NULL, OPT_AAD },
		{ "require-tag", no_argument, NULL, OPT_REQUIRE_TAG },
		{ "payload-out", required_argument, NULL, OPT_PAYLOAD_OUT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, verify_opt, a)) != 0)
		return rc;
	if (a->in == NULL)
		return tool_missing("--in");
	if ((a->cert == NULL) == (a->pubkey == NULL)) {
		tool_warnx("give exactly one of --cert and --pubkey");
		return TOOL_EXIT_USAGE;
	}
	if (a->payload_out != NULL && strcmp(a->payload_out, a->in) == 0 &&
	    strcmp(a->in, "-") != 0) {
		tool_warnx("--payload-out and --in name the same file");
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

/* The verification key; with --cert also the certificate's kid. */
static int
verify_key(const struct verify_args *a, struct sk_key **key,
    uint8_t kid[SK_KID_LEN], int *haskid)
{
	struct sk_cert *cert = NULL;
	int rc;

	*haskid = 0;
	if (a->pubkey != NULL) {
		if ((rc = sk_pubkey_load_file(a->pubkey, key)) != 0)
			tool_warn_err(rc, "%s", a->pubkey);
		return rc;
	}
	if ((rc = sk_cert_load_file(a->cert, &cert)) == 0 &&
	    (rc = sk_cert_kid(cert, kid)) == 0 &&
	    (rc = sk_cert_pubkey(cert, key)) == 0)
		*haskid = 1;
	if (rc != 0)
		tool_warn_err(rc, "%s", a->cert);
	sk_cert_free(cert);
	return rc;
}

static int
verify_msg_parse(const struct sk_buf *in, int require_tag,
    struct sk_cose_sign1 **msg, struct verdict *v)
{
	unsigned flags = require_tag ? SK_COSE_REQUIRE_TAG : 0;
	int rc;

	rc = sk_cose_sign1_parse(tool_bytes(in), in->len, flags, msg);
	if (rc == 0) {
		v->alg = sk_cose_sign1_alg(*msg);
		return 0;
	}
	if (require_tag &&
	    sk_cose_sign1_parse(tool_bytes(in), in->len, 0, msg) == 0) {
		/* Well formed; only our policy on the tag rejects it. */
		sk_cose_sign1_free(*msg);
		*msg = NULL;
		verdict_fail(v, "tag", rc, TOOL_EXIT_INVALID, 1);
		v->detail = "the message has no COSE_Sign1 tag (--require-tag)";
		return rc;
	}
	verdict_fail(v, "parse", rc, tool_exit_for(rc), 1);
	return rc;
}

static void
verify_kid(const struct sk_cose_sign1 *msg, const uint8_t *certkid,
    struct verdict *v)
{
	char hex[2 * SK_KID_LEN + 1];
	const uint8_t *kid;
	size_t len;

	sk_cose_sign1_kid(msg, &kid, &len);
	if (kid == NULL)
		return;
	tool_hex(kid, len, v->kid, sizeof(v->kid));
	if (certkid == NULL)
		return;
	v->kid_matches = len == SK_KID_LEN &&
	    memcmp(kid, certkid, SK_KID_LEN) == 0;
	if (!v->kid_matches) {
		tool_hex(certkid, SK_KID_LEN, hex, sizeof(hex));
		tool_warnx("warning: message kid %s is not the certificate's "
		    "kid %s; verifying with the certificate's key", v->kid,
		    hex);
	}
}

static int
verify_sig(const struct sk_cose_sign1 *msg, const struct sk_key *key,
    const struct sk_buf *aad, struct verdict *v)
{
	int rc;

	rc = sk_cose_sign1_verify(msg, key, aad->data, aad->len, NULL, 0);
	switch (rc) {
	case 0:
		break;
	case SK_ERR_KEY:
		verdict_fail(v, "key mismatch", rc, TOOL_EXIT_INVALID, 1);
		v->detail = "the key does not fit the message's algorithm";
		break;
	case SK_ERR_SIGNATURE:
		verdict_fail(v, "signature", rc, TOOL_EXIT_INVALID, 1);
		break;
	case SK_ERR_MISSING:
		verdict_fail(v, "parse", rc, TOOL_EXIT_INPUT, 1);
		v->detail = "detached payload (not supported here)";
		break;
	default:
		verdict_fail(v, "signature", rc, tool_exit_for(rc), 1);
		break;
	}
	return rc;
}

static void
verify_payload_out(const struct sk_cose_sign1 *msg,
    const struct verify_args *a, struct verdict *v)
{
	const uint8_t *p;
	size_t len;
	int rc;

	if ((rc = sk_cose_sign1_payload(msg, &p, &len)) != 0)
		tool_warn_err(rc, "payload");
	else
		rc = tool_write(a->payload_out, p, len, a->wflags);
	if (rc != 0)
		verdict_fail(v, "output", rc, tool_exit_for(rc), 0);
}

static void
verify_run(const struct verify_args *a, const struct sk_buf *aad,
    struct verdict *v)
{
	struct sk_buf in;
	struct sk_key *key = NULL;
	struct sk_cose_sign1 *msg = NULL;
	uint8_t kid[SK_KID_LEN];
	int haskid, rc;

	rc = tool_read(a->in, SK_COSE_MAX_BYTES, "SK_COSE_MAX_BYTES", 0, &in);
	if (rc != 0) {
		verdict_fail(v, "input", rc, tool_exit_for(rc), 0);
		return;
	}
	if ((rc = verify_key(a, &key, kid, &haskid)) != 0)
		verdict_fail(v, a->cert != NULL ? "certificate" : "public key",
		    rc, tool_exit_for(rc), 0);
	else if (verify_msg_parse(&in, a->require_tag, &msg, v) == 0) {
		verify_kid(msg, haskid ? kid : NULL, v);
		if (verify_sig(msg, key, aad, v) == 0 && a->payload_out != NULL)
			verify_payload_out(msg, a, v);
	}
	sk_cose_sign1_free(msg);
	sk_key_free(key);
	sk_buf_free(&in);
}

static void
verdict_message(const struct verdict *v, char *buf, size_t len)
{
	snprintf(buf, len, "%s: %s", v->stage,
	    v->detail != NULL ? v->detail : sk_strerror(v->err));
}

static int
json_set(json_t *o, const char *key, json_t *val)
{
	return val == NULL || json_object_set_new(o, key, val) != 0;
}

static json_t *
verdict_json_object(const struct verdict *v)
{
	char msg[256];
	json_t *o;
	int bad = 0;

	if ((o = json_pack("{s:b}", "valid", v->err == 0)) == NULL)
		return NULL;
	if (v->alg != SK_ALG_NONE)
		bad |= json_set(o, "alg", json_string(alg_name(v->alg)));
	if (v->kid[0] != '\0')
		bad |= json_set(o, "kid", json_string(v->kid));
	if (v->kid_matches >= 0)
		bad |= json_set(o, "kid_matches",
		    json_boolean(v->kid_matches));
	if (v->err != 0) {
		verdict_message(v, msg, sizeof(msg));
		bad |= json_set(o, "error", json_string(sk_errname(v->err)));
		bad |= json_set(o, "stage", json_string(v->stage));
		bad |= json_set(o, "message", json_string(msg));
	}
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
verdict_print_json(const struct verdict *v, FILE *f)
{
	json_t *o;
	char *s = NULL;

	if ((o = verdict_json_object(v)) != NULL)
		s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL) {
		tool_warnx("cannot build the JSON output");
		return TOOL_EXIT_INTERNAL;
	}
	fprintf(f, "%s\n", s);
	free(s);
	return v->code;
}

static int
verdict_print(const struct verdict *v, int json, FILE *f)
{
	char msg[256];

	if (json)
		return verdict_print_json(v, f);
	if (v->err == 0)
		fprintf(f, "valid alg=%s kid=%s\n", alg_name(v->alg),
		    v->kid[0] != '\0' ? v->kid : "none");
	else if (v->about_msg) {
		verdict_message(v, msg, sizeof(msg));
		fprintf(f, "invalid: %s\n", msg);
	}
	return v->code;
}

static int
cose_verify(int argc, char **argv)
{
	struct verify_args a;
	struct verdict v;
	struct sk_buf aad;
	FILE *f;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = verify_parse_args(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	sk_buf_init(&aad, 0);
	if (a.aad != NULL &&
	    tool_unhex(a.aad, SK_TOOL_MAX_AAD, "--aad", &aad) != 0)
		return TOOL_EXIT_USAGE;
	memset(&v, 0, sizeof(v));
	v.kid_matches = -1;
	if ((rc = tool_check_new(a.payload_out, a.wflags)) != 0)
		verdict_fail(&v, "output", rc, tool_exit_for(rc), 0);
	else
		verify_run(&a, &aad, &v);
	sk_buf_free(&aad);
	f = a.payload_out != NULL && strcmp(a.payload_out, "-") == 0 ?
	    stderr : stdout;
	return verdict_print(&v, a.json, f);
}

/* show */

static int
show_parse(int argc, char **argv, const char **in)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == 'h')
			return TOOL_HELP;
		if (c != OPT_IN)
			return tool_bad_option(argv, c);
		*in = optarg;
	}
	if ((c = tool_extra_args(argc, argv)) != 0)
		return c;
	if (*in == NULL)
		return tool_missing("--in");
	return 0;
}

/*
 * One "label  <diagnostic notation>" line; embedded is for a bstr's
 * contents, written <<...>> as RFC 8610 appendix G.3 does.
 */
static int
show_item(const char *label, const struct sk_cbor_item *it, int embedded)
{
	struct sk_buf d;
	size_t n;
	int rc;

	sk_buf_init(&d, SK_TOOL_MAX_DIAG);
	if ((rc = sk_cbor_diag(it, &d)) != 0) {
		tool_warn_err(rc, "%s", label);
		sk_buf_free(&d);
		return rc;
	}
	n = d.len;
	if (n > 0 && d.data[n - 1] == '\0')
		n--;
	printf("%-12s %s%.*s%s\n", label, embedded ? "<<" : "", (int)n,
	    (const char *)d.data, embedded ? ">>" : "");
	sk_buf_free(&d);
	return 0;
}

/*
 * A bstr that should hold CBOR.  The protected header is shown decoded
 * (raw if it does not decode); a payload is shown raw, then decoded too
 * if it happens to be CBOR, since plain bytes may decode by chance.
 */
static int
show_bstr(const char *label, const struct sk_cbor_item *it, int raw)
{
	struct sk_cbor_doc *doc = NULL;
	int rc;

	if (raw && (rc = show_item(label, it, 0)) != 0)
		return rc;
	if (it->type != SK_CBOR_BSTR || it->len == 0 ||
	    sk_cbor_decode(it->ptr, it->len, NULL, &doc) != 0)
		return raw ? 0 : show_item(label, it, 0);
	rc = show_item(raw ? "  as CBOR:" : label, sk_cbor_root(doc), 1);
	sk_cbor_free(doc);
	return rc;
}

/* Run the library's profile checks, so that show says what verify would. */
static void
show_profile(const struct sk_buf *in)
{
	struct sk_cose_sign1 *msg = NULL;
	int rc;

	rc = sk_cose_sign1_parse(tool_bytes(in), in->len, 0, &msg);
	if (rc == 0)
		printf("%-12s ok (alg %s)\n", "profile:",
		    alg_name(sk_cose_sign1_alg(msg)));
	else
		printf("%-12s rejected: %s\n", "profile:", sk_strerror(rc));
	sk_cose_sign1_free(msg);
}

static int
show_doc(const struct sk_buf *in, const struct sk_cbor_item *root)
{
	const struct sk_cbor_item *arr = root;
	int rc;

	if (arr->type == SK_CBOR_TAG)
		arr = arr->child;
	if (arr == NULL || arr->type != SK_CBOR_ARRAY || arr->len != 4) {
		tool_warnx("not a COSE_Sign1: expected an array of 4 items");
		return SK_ERR_TYPE;
	}
	printf("NOT VERIFIED: shown as received; the signature has not "
	    "been checked.\n");
	if (root->type == SK_CBOR_TAG)
		printf("%-12s %llu%s\n", "tag:", (unsigned long long)root->u,
		    root->u == SK_COSE_TAG_SIGN1 ? " (COSE_Sign1)" : "");
	else
		printf("%-12s none\n", "tag:");
	if ((rc = show_bstr("protected:", sk_cbor_array_at(arr, 0), 0)) ||
	    (rc = show_item("unprotected:", sk_cbor_array_at(arr, 1), 0)) ||
	    (rc = show_bstr("payload:", sk_cbor_array_at(arr, 2), 1)) ||
	    (rc = show_item("signature:", sk_cbor_array_at(arr, 3), 0)))
		return rc;
	show_profile(in);
	return 0;
}

static int
cose_show(int argc, char **argv)
{
	struct sk_cbor_doc *doc = NULL;
	struct sk_buf in;
	const char *path = NULL;
	int rc;

	if ((rc = show_parse(argc, argv, &path)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	rc = tool_read(path, SK_COSE_MAX_BYTES, "SK_COSE_MAX_BYTES", 0, &in);
	if (rc != 0)
		return tool_exit_for(rc);
	if ((rc = sk_cbor_decode(tool_bytes(&in), in.len, NULL, &doc)) != 0)
		tool_warn_err(rc, "not CBOR");
	else
		rc = show_doc(&in, sk_cbor_root(doc));
	sk_cbor_free(doc);
	sk_buf_free(&in);
	return tool_exit_for(rc);
}

static const struct tool_verb cose_verbs[] = {
	{ "sign", "sign a payload as COSE_Sign1", sign_usage, cose_sign },
	{ "verify", "verify a COSE_Sign1 message", verify_usage,
	    cose_verify },
	{ "show", "print a COSE_Sign1 message (NOT VERIFIED)", show_usage,
	    cose_show },
};

const struct tool_group tool_group_cose = {
	"cose", "COSE_Sign1 messages (RFC 9052)", cose_verbs,
	sizeof(cose_verbs) / sizeof(cose_verbs[0])
};
