/*
 * sealkit: the command line tool.  "sealkit <group> <verb> [options]";
 * each group lives in its own cmd_<group>.c (tool.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

/* Adding a group: its cmd_<group>.c, its extern in tool.h, one line here. */
static const struct tool_group *const groups[] = {
	&tool_group_key,
	&tool_group_cose,
	&tool_group_b45,
	&tool_group_licence,
	&tool_group_trust,
	&tool_group_status,
	&tool_group_seal,
};
#define NGROUPS	(sizeof(groups) / sizeof(groups[0]))

static const char exit_codes[] =
    "Exit codes:\n"
    "  0  success (for verify: the message is valid)\n"
    "  1  verification failed: well formed, but not valid\n"
    "  2  usage error\n"
    "  3  input error: unreadable or unwritable file, output exists,\n"
    "     malformed data, limit exceeded\n"
    "  4  internal or cryptographic library error\n";

static int
is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 ||
	    strcmp(arg, "help") == 0;
}

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: sealkit <group> <verb> [options]\n"
	    "       sealkit help [<group> [<verb>]]\n"
	    "       sealkit --help | --version\n\nGroups:\n", f);
	for (i = 0; i < NGROUPS; i++)
		fprintf(f, "  %-8s %s\n", groups[i]->name, groups[i]->summary);
	fprintf(f, "\n%s\n", exit_codes);
	fputs("'sealkit <group> --help' lists the verbs of a group,\n"
	    "'sealkit <group> <verb> --help' the options of a verb.\n"
	    "Manual: docs/sealkit.md.\n", f);
}

static void
group_usage(FILE *f, const struct tool_group *g)
{
	size_t i;

	fprintf(f, "usage: sealkit %s <verb> [options]\n\n%s.\n\nVerbs:\n",
	    g->name, g->summary);
	for (i = 0; i < g->nverbs; i++)
		fprintf(f, "  %-8s %s\n", g->verbs[i].name,
		    g->verbs[i].summary);
	fprintf(f, "\n'sealkit %s <verb> --help' shows the options of a "
	    "verb.\n", g->name);
}

static const struct tool_group *
find_group(const char *name)
{
	size_t i;

	for (i = 0; i < NGROUPS; i++)
		if (strcmp(groups[i]->name, name) == 0)
			return groups[i];
	tool_warnx("unknown command '%s'", name);
	fputs("Try 'sealkit --help'.\n", stderr);
	return NULL;
}

static const struct tool_verb *
find_verb(const struct tool_group *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nverbs; i++)
		if (strcmp(g->verbs[i].name, name) == 0)
			return &g->verbs[i];
	tool_warnx("unknown verb '%s'", name);
	fprintf(stderr, "Try 'sealkit %s --help'.\n", g->name);
	return NULL;
}

/* "sealkit help [group [verb]]" */
static int
help(int argc, char **argv)
{
	const struct tool_group *g;
	const struct tool_verb *v;

	if (argc == 0) {
		usage(stdout);
		return TOOL_EXIT_OK;
	}
	if (argc > 2) {
		tool_warnx("help takes at most a group and a verb");
		return TOOL_EXIT_USAGE;
	}
	if ((g = find_group(argv[0])) == NULL)
		return TOOL_EXIT_USAGE;
	tool_set_command(g, NULL);
	if (argc == 1) {
		group_usage(stdout, g);
		return TOOL_EXIT_OK;
	}
	if ((v = find_verb(g, argv[1])) == NULL)
		return TOOL_EXIT_USAGE;
	fputs(v->usage, stdout);
	return TOOL_EXIT_OK;
}

/* argv[0] is the verb. */
static int
run_group(const struct tool_group *g, int argc, char **argv)
{
	const struct tool_verb *v;

	tool_set_command(g, NULL);
	if (argc == 0) {
		tool_warnx("missing verb");
		group_usage(stderr, g);
		return TOOL_EXIT_USAGE;
	}
	if (is_help(argv[0])) {
		group_usage(stdout, g);
		return TOOL_EXIT_OK;
	}
	if ((v = find_verb(g, argv[0])) == NULL)
		return TOOL_EXIT_USAGE;
	tool_set_command(g, v);
	return v->run(argc, argv);
}

static int
dispatch(int argc, char **argv)
{
	const struct tool_group *g;

	if (argc < 2) {
		usage(stderr);
		return TOOL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return TOOL_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("sealkit %s\n", SK_TOOL_VERSION);
		return TOOL_EXIT_OK;
	}
	if (strcmp(argv[1], "help") == 0)
		return help(argc - 2, argv + 2);
	if ((g = find_group(argv[1])) == NULL)
		return TOOL_EXIT_USAGE;
	return run_group(g, argc - 2, argv + 2);
}

int
main(int argc, char **argv)
{
	int rc;

	opterr = 0;	/* we print our own getopt diagnostics */
	rc = dispatch(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		tool_warnx("<stdout>: write error");
		if (rc == TOOL_EXIT_OK)
			rc = TOOL_EXIT_INPUT;
	}
	return rc;
}
