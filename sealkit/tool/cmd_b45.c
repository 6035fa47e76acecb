/*
 * sealkit b45 encode | decode: RFC 9285 base45.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sealkit/base45.h"

#include "tool.h"

enum {
	OPT_IN = 256,
	OPT_OUT,
	OPT_FORCE
};

static const char encode_usage[] =
    "usage: sealkit b45 encode [--in FILE|-] [--out FILE|-] [--force]\n"
    "\n"
    "Encode bytes as RFC 9285 base45 text, followed by a newline.\n"
    "\n"
    "  --in FILE            input bytes (default: - for stdin; at most\n"
    "                       SK_BASE45_MAX_BYTES)\n"
    "  --out FILE           output text (default: - for stdout)\n"
    "  --force              replace an existing output file\n";

static const char decode_usage[] =
    "usage: sealkit b45 decode [--in FILE|-] [--out FILE|-] [--force]\n"
    "\n"
    "Decode RFC 9285 base45 text (strict: upper case only, no spaces but\n"
    "the alphabet's own) into bytes.  One trailing newline is dropped.\n"
    "\n"
    "  --in FILE            input text (default: - for stdin; at most\n"
    "                       SK_BASE45_MAX_TEXT characters)\n"
    "  --out FILE           output bytes (default: - for stdout)\n"
    "  --force              replace an existing output file\n";

struct b45_args {
	const char	*in;
	const char	*out;
	unsigned	 wflags;
};

static int
b45_parse(int argc, char **argv, struct b45_args *a)
{
	static const struct option opts[] = {
		{ "in", required_argument, NULL, OPT_IN },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	a->in = "-";
	a->out = "-";
	a->wflags = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case OPT_IN:
			a->in = optarg;
			break;
		case OPT_OUT:
			a->out = optarg;
			break;
		case OPT_FORCE:
			a->wflags |= TOOL_W_FORCE;
			break;
		case 'h':
			return TOOL_HELP;
		default:
			return tool_bad_option(argv, c);
		}
	}
	return tool_extra_args(argc, argv);
}

static int
b45_encode(int argc, char **argv)
{
	struct b45_args a;
	struct sk_buf in, out;
	int rc;

	if ((rc = b45_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	if ((rc = tool_check_new(a.out, a.wflags)) != 0 ||
	    (rc = tool_read(a.in, SK_BASE45_MAX_BYTES, "SK_BASE45_MAX_BYTES",
	    0, &in)) != 0)
		return tool_exit_for(rc);
	sk_buf_init(&out, SK_BASE45_MAX_TEXT + 1);
	if ((rc = sk_base45_encode(in.data, in.len, &out)) != 0 ||
	    (rc = sk_buf_putc(&out, '\n')) != 0)
		tool_warn_err(rc, "base45");
	else
		rc = tool_write(a.out, out.data, out.len, a.wflags);
	sk_buf_free(&out);
	sk_buf_free(&in);
	return tool_exit_for(rc);
}

static int
b45_decode(int argc, char **argv)
{
	struct b45_args a;
	struct sk_buf in, out;
	size_t len;
	int rc;

	if ((rc = b45_parse(argc, argv, &a)) != 0)
		return rc == TOOL_HELP ? tool_verb_help() : rc;
	/* Room for the text and the one newline we drop. */
	if ((rc = tool_check_new(a.out, a.wflags)) != 0 ||
	    (rc = tool_read(a.in, SK_BASE45_MAX_TEXT + 1,
	    "SK_BASE45_MAX_TEXT + newline", 0, &in)) != 0)
		return tool_exit_for(rc);
	len = in.len;
	if (len > 0 && in.data[len - 1] == '\n')
		len--;
	sk_buf_init(&out, SK_BASE45_MAX_BYTES);
	if ((rc = sk_base45_decode((const char *)in.data, len, &out)) != 0)
		tool_warn_err(rc, "base45");
	else
		rc = tool_write(a.out, out.data, out.len, a.wflags);
	sk_buf_free(&out);
	sk_buf_free(&in);
	return tool_exit_for(rc);
}

static const struct tool_verb b45_verbs[] = {
	{ "encode", "bytes to base45 text", encode_usage, b45_encode },
	{ "decode", "base45 text to bytes", decode_usage, b45_decode },
};

const struct tool_group tool_group_b45 = {
	"b45", "RFC 9285 base45", b45_verbs,
	sizeof(b45_verbs) / sizeof(b45_verbs[0])
};
