/*
 * sealkit trust build | show: the signed trust list of issuer
 * certificates (include/sealkit/trust.h, docs/TRUST.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sealkit/cbor.h"
#include "sealkit/cose.h"
#include "sealkit/key.h"
#include "sealkit/trust.h"

#include "timeopt.h"
#include "tool.h"

/* Default lifetime of a list: a verifier rejects it after next_update. */
#define TRUST_DEFAULT_DAYS	30

enum {
	OPT_ANCHOR_KEY = 256,
	OPT_ANCHOR_CERT,
	OPT_ISSUER,
	OPT_IAT,
	OPT_NEXT,
	OPT_OUT,
	OPT_IN,
	OPT_ANCHORS,
	OPT_AT,
	OPT_JSON,
	OPT_FORCE,
	OPT_PWFILE,
	OPT_PWENV
};

static const char build_usage[] =
    "usage: sealkit trust build --anchor-key KEY --anchor-cert CERT\n"
    "           --issuer CERT [--issuer CERT ...] --out LIST\n"
    "           [--iat T] [--next-update T]\n"
    "           [--password-file FILE | --password-env VAR] [--force]\n"
    "\n"
    "Sign a trust list of issuer certificates with a trust anchor's key\n"
    "(COSE_Sign1, kid = the anchor certificate's kid).  Every issuer must\n"
    "be issued directly by the anchor, be an end entity with keyUsage\n"
    "digitalSignature and carry its USCC in the subject serialNumber; the\n"
    "list is loaded back and checked before it is written.\n"
    "\n"
    "  --anchor-key KEY     the anchor's private key\n"
    "  --anchor-cert CERT   the anchor's certificate (PEM)\n"
    "  --issuer CERT        an issuer certificate (PEM or DER); repeat for\n"
    "                       each, at most SK_TRUST_MAX_CERTS (1024)\n"
    "  --out LIST           the signed list, - for stdout\n"
    "  --iat T              issue time (default: now)\n"
    "  --next-update T      verifiers reject the list from T on\n"
    "                       (default: iat + 30 days)\n"
    "  --password-file FILE password of an encrypted KEY, from FILE\n"
    "  --password-env VAR   ... from environment variable VAR\n"
    "  --force              replace an existing output file\n"
    "\n"
    "T is RFC 3339 (2026-03-02T00:00:00Z, 2026-03-02) or @<epoch "
    "seconds>.\n";

static const char show_usage[] =
    "usage: sealkit trust show --in LIST --anchors PEM [--at T] [--json]\n"
    "\n"
    "Verify a trust list with the anchors and print its times and the\n"
    "issuer certificates it lists (kid, USCC, subject).  Exit 0 if the\n"
    "list verifies, 1 if its signature or freshness fails, 3 if a file\n"
    "is unreadable or malformed.\n"
    "\n"
    "  --in LIST            the signed trust list\n"
    "  --anchors PEM        trust anchor certificates (PEM bundle)\n"
    "  --at T               check freshness at T (default: now)\n"
    "  --json               print one JSON object\n";

/* build */

struct build_args {
	const char		*key;
	const char		*cert;
	const char		*out;
	const char		**issuers;
	size_t			 nissuers;
	int64_t			 iat;
	int64_t			 next;
	int			 has_iat;
	int			 has_next;
	unsigned		 wflags;
	struct tool_pwopt	 pw;
};

static int
build_add_issuer(struct build_args *a, const char *path)
{
	if (a->nissuers >= SK_TRUST_MAX_CERTS) {
		tool_warnx("more than SK_TRUST_MAX_CERTS (%u) --issuer",
		    SK_TRUST_MAX_CERTS);
		return TOOL_EXIT_USAGE;
	}
	a->issuers[a->nissuers++] = path;
	return 0;
}

static int
build_opt(void *arg, int c)
{
	struct build_args *a = arg;
	switch (c) {
	case OPT_ANCHOR_KEY:
		a->key = optarg;
		break;
	case OPT_ANCHOR_CERT:
		a->cert = optarg;
		break;
	case OPT_ISSUER:
		return build_add_issuer(a, optarg);
	case OPT_OUT:
		a->out = optarg;
		break;
	case OPT_IAT:
		a->has_iat = 1;
		return tool_time_parse(optarg, "--iat", &a->iat);
	case OPT_NEXT:
		a->has_next = 1;
		return tool_time_parse(optarg, "--next-update", &a->next);
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
build_check(struct build_args *a)
{
	if (a->key == NULL)
		return tool_missing("--anchor-key");
	if (a->cert == NULL)
		return tool_missing("--anchor-cert");
	if (a->nissuers == 0)
		return tool_missing("--issuer");
	if (a->out == NULL)
		return tool_missing("--out");
	if (!a->has_iat)
		a->iat = tool_time_now();
	if (!a->has_next)
		a->next = a->iat + TRUST_DEFAULT_DAYS * 86400;
	if (a->next <= a->iat) {
		tool_warnx("--next-update must be later than --iat");
		return TOOL_EXIT_USAGE;
	}
	return tool_pwopt_check(&a->pw);
}

static int
build_parse(int argc, char **argv, struct build_args *a)
{
	static const struct option opts[] = {
		{ "anchor-key", required_argument, NULL, OPT_ANCHOR_KEY },
		{ "anchor-cert", required_argument, NULL, OPT_ANCHOR_CERT },
		{ "issuer", required_argument, NULL, OPT_ISSUER },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "iat", required_argument, NULL, OPT_IAT },
		{ "next-update", required_argument, NULL, OPT_NEXT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "password-file", required_argument, NULL, OPT_PWFILE },
		{ "password-env", required_argument, NULL, OPT_PWENV },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int rc;

	if ((rc = tool_getopt(argc, argv, opts, build_opt, a)) != 0)
		return rc;
	return build_check(a);
}

static void
free_certs(struct sk_cert **certs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sk_cert_free(certs[i]);
	free(certs);
}

static int
load_issuers(const struct build_args *a, struct sk_cert ***out)
{
	struct sk_cert **certs;
	size_t i;
	int rc;

	*out = NULL;
	if ((certs = calloc(a->nissuers, sizeof(*certs))) == NULL) {
		tool_warnx("out of memory");
		return SK_ERR_NOMEM;
	}
	for (i = 0; i < a->nissuers; i++) {
		if ((rc = sk_cert_load_file(a->issuers[i], &certs[i])) != 0) {
			tool_warn_err(rc, "%s", a->issuers[i]);
			free_certs(certs, i);
			return rc;
		}
	}
	*out = certs;
	return 0;
}

/* The anchor's key and certificate into a signer with the anchor's kid. */
static int
build_signer(const struct build_args *a, const struct sk_buf *pem,
    struct sk_signer **signer)
{
	struct sk_cert *cert = NULL;
	struct sk_key *key = NULL;
	int rc;

	*signer = NULL;
	if ((rc = sk_cert_load_mem(pem->data, pem->len, &cert)) != 0) {
		tool_warn_err(rc, "%s", a->cert);
		return rc;
	}
	if ((rc = tool_load_key(a->key, &a->pw, &key)) == 0) {
		rc = sk_signer_from_key(key, SK_ALG_NONE, cert, signer);
		if (rc != 0)
			tool_warn_err(rc, "%s: cannot sign with this key",
			    a->key);
	}
	sk_cert_free(cert);
	return rc;
}

/* Load what we built, as a verifier would, before anyone sees it. */
static int
build_selfcheck(const struct build_args *a, const struct sk_buf *pem,
    const struct sk_buf *list)
{
	struct sk_trust *t = NULL;
	int rc;

	if ((rc = sk_trust_new(pem->data, pem->len, &t)) != 0) {
		tool_warn_err(rc, "%s: not a usable trust anchor", a->cert);
		return rc;
	}
	rc = sk_trust_load_list(t, list->data, list->len, a->iat);
	if (rc == SK_ERR_SIGNATURE)
		tool_warnx("%s is not the certificate of %s", a->cert, a->key);
	else if (rc == SK_ERR_CERT)
		tool_warnx("an issuer certificate fails the checks (issued by "
		    "this anchor, end entity, digitalSignature, USCC in "
		    "serialNumber)");
	else if (rc != 0)
		tool_warn_err(rc, "checking the new list");
	sk_trust_free(t);
	return rc;
}

static int
build_run(const struct build_args *a)
{
	struct sk_buf pem, list;
	struct sk_cert **certs = NULL;
	struct sk_signer *signer = NULL;
	int rc;

	sk_buf_init(&list, SK_TRUST_MAX_BYTES);
	rc = tool_read(a->cert, SK_KEYFILE_MAX, "SK_KEYFILE_MAX", 0, &pem);
	if (rc != 0)
		return rc;
	if ((rc = load_issuers(a, &certs)) != 0 ||
	    (rc = build_signer(a, &pem, &signer)) != 0)
		goto out;
	rc = sk_trustlist_build(signer, (const struct sk_cert *const *)certs,
	    a->nissuers, a->iat, a->next, &list);
	if (rc != 0)
		tool_warn_err(rc, "building the list");
	else if ((rc = build_selfcheck(a, &pem, &list)) == 0)
		rc = tool_write(a->out, list.data, list.len, a->wflags);
out:
	sk_signer_free(signer);
	if (certs != NULL)
		free_certs(certs, a->nissuers);
	sk_buf_free(&list);
	sk_buf_free(&pem);
	return rc;
}

static int
trust_build(int argc, char **argv)
{
	struct build_args a;
	int rc;

	memset(&a, 0, sizeof(a));
	/* At most one --issuer per two arguments. */
	if ((a.issuers = calloc((size_t)argc / 2 + 1,
	    sizeof(*a.issuers))) == NULL) {
		tool_warnx("out of memory");
		return TOOL_EXIT_INTERNAL;
	}
	if ((rc = build_parse(argc, argv, &a)) != 0)
		rc = rc == TOOL_HELP ? tool_verb_help() : rc;
	else if ((rc = tool_check_new(a.out, a.wflags)) == 0)
		rc = tool_exit_for(build_run(&a));
	else
		rc = tool_exit_for(rc);
	free(a.issuers);
	return rc;
}

/* show */

struct show_args {
	const char	*in;
	const char	*anchors;
	int64_t		 at;
	int		 json;
};

static int
show_parse(int argc, char **argv, struct show_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "anchors", required_argument, NULL, OPT_ANCHORS },
		{ "at", required_argument, NULL, OPT_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	a->at = tool_time_now();
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_IN:
			a->in = optarg;
			break;
		case OPT_ANCHORS:
			a->anchors = optarg;
			break;
		case OPT_AT:
			if ((rc = tool_time_parse(optarg, "--at", &a->at)))
				return rc;
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
	if (a->anchors == NULL)
		return tool_missing("--anchors");
	return 0;
}

/* One listed certificate: kid, USCC, subject. */
struct listed {
	char	kid[2 * SK_KID_LEN + 1];
	char	uscc[SK_TRUST_USCC_LEN + 1];
	char	subject[SK_TRUST_MAX_SUBJECT];
};

static int
listed_describe(const uint8_t *der, size_t len, struct listed *l)
{
	struct sk_cert *cert = NULL;
	struct sk_buf subj;
	uint8_t kid[SK_KID_LEN];
	int rc;

	memset(l, 0, sizeof(*l));
	sk_buf_init(&subj, SK_TRUST_MAX_SUBJECT);
	if ((rc = sk_cert_load_mem(der, len, &cert)) == 0 &&
	    (rc = sk_cert_kid(cert, kid)) == 0 &&
	    (rc = sk_cert_subject_text(cert, &subj)) == 0) {
		tool_hex(kid, sizeof(kid), l->kid, sizeof(l->kid));
		if (sk_cert_subject_uscc(cert, l->uscc) != 0)
			l->uscc[0] = '\0';
		if (subj.len > 0)
			memcpy(l->subject, subj.data, subj.len < sizeof(
			    l->subject) ? subj.len : sizeof(l->subject) - 1);
	}
	sk_buf_free(&subj);
	sk_cert_free(cert);
	return rc;
}

static json_t *
listed_json(const struct listed *l)
{
	return json_pack("{s:s,s:s,s:s}", "kid", l->kid, "uscc", l->uscc,
	    "subject", l->subject);
}

/*
 * The certificates array of a list that sk_trust_load_list() has
 * verified: the payload's key 4 (api/trustlist.cddl).
 */
static int
show_certs(const struct sk_buf *in, json_t *arr)
{
	struct sk_cose_sign1 *msg = NULL;
	struct sk_cbor_doc *doc = NULL;
	const struct sk_cbor_item *certs, *it;
	struct listed l;
	const uint8_t *p;
	size_t len;
	int rc;

	if ((rc = sk_cose_sign1_parse(in->data, in->len, 0, &msg)) != 0 ||
	    (rc = sk_cose_sign1_payload(msg, &p, &len)) != 0 ||
	    (rc = sk_cbor_decode(p, len, NULL, &doc)) != 0)
		goto out;
	certs = sk_cbor_map_int(sk_cbor_root(doc), SK_TRUST_KEY_CERTS);
	rc = certs == NULL || certs->type != SK_CBOR_ARRAY ? SK_ERR_FORMAT : 0;
	for (it = certs != NULL ? certs->child : NULL; rc == 0 && it != NULL;
	    it = it->next) {
		if ((rc = listed_describe(it->ptr, it->len, &l)) != 0)
			break;
		if (arr != NULL)
			rc = json_array_append_new(arr, listed_json(&l)) == 0 ?
			    0 : SK_ERR_NOMEM;
		else
			printf("issuer:     kid %s  uscc %s  %s\n", l.kid,
			    l.uscc[0] != '\0' ? l.uscc : "-", l.subject);
	}
out:
	if (rc != 0)
		tool_warn_err(rc, "listing the certificates");
	sk_cbor_free(doc);
	sk_cose_sign1_free(msg);
	return rc;
}

static int
show_print_json(const struct sk_trust *t, const struct sk_buf *in)
{
	json_t *o, *arr;
	int64_t iat, next;
	char *s = NULL;
	int rc;

	sk_trust_list_times(t, &iat, &next);
	arr = json_array();
	o = json_pack("{s:b,s:I,s:I,s:I,s:o}", "valid", 1, "iat",
	    (json_int_t)iat, "next_update", (json_int_t)next, "count",
	    (json_int_t)sk_trust_count(t), "issuers", arr);
	if (o == NULL)
		return SK_ERR_NOMEM;
	if ((rc = show_certs(in, arr)) == 0 &&
	    (s = json_dumps(o, JSON_COMPACT)) == NULL)
		rc = SK_ERR_NOMEM;
	if (s != NULL)
		printf("%s\n", s);
	free(s);
	json_decref(o);
	return rc;
}

static int
show_print(const struct sk_trust *t, const struct sk_buf *in, int json)
{
	char a[TOOL_TIME_STRLEN], b[TOOL_TIME_STRLEN];
	int64_t iat, next;

	if (json)
		return show_print_json(t, in);
	sk_trust_list_times(t, &iat, &next);
	tool_time_format(iat, a);
	tool_time_format(next, b);
	printf("trust list: VERIFIED\n");
	printf("iat:        %s\nnext:       %s\ncount:      %zu\n", a, b,
	    sk_trust_count(t));
	return show_certs(in, NULL);
}

static int
show_fail(int rc, int json)
{
	if (json)
		printf("{\"valid\":false,\"error\":\"%s\"}\n", sk_errname(rc));
	return rc == SK_ERR_SIGNATURE || rc == SK_ERR_EXPIRED ||
	    rc == SK_ERR_NOTFOUND ? TOOL_EXIT_INVALID : tool_exit_for(rc);
}

static int
trust_show(int argc, char **argv)
{
	struct show_args a;
	struct sk_trust *t = NULL;
	struct sk_buf in;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = show_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = sk_trust_new_file(a.anchors, &t)) != 0) {
		tool_warn_err(rc, "%s", a.anchors);
		return tool_exit_for(rc);
	}
	rc = tool_read(a.in, SK_TRUST_MAX_BYTES, "SK_TRUST_MAX_BYTES", 0, &in);
	if (rc == 0) {
		if ((rc = sk_trust_load_list(t, tool_bytes(&in), in.len,
		    a.at)) != 0) {
			tool_warn_err(rc, "%s: the trust list is rejected",
			    a.in);
			rc = show_fail(rc, a.json);
		} else
			rc = tool_exit_for(show_print(t, &in, a.json));
		sk_buf_free(&in);
	} else
		rc = tool_exit_for(rc);
	sk_trust_free(t);
	return rc;
}

static const struct tool_verb trust_verbs[] = {
	{ "build", "sign a trust list of issuer certificates", build_usage,
	    trust_build },
	{ "show", "verify a trust list and list its issuers", show_usage,
	    trust_show },
};

const struct tool_group tool_group_trust = {
	"trust", "Trust lists of issuer certificates", trust_verbs,
	sizeof(trust_verbs) / sizeof(trust_verbs[0])
};
