/*
 * certd: the licence daemon.  "certd <command> [options]"; each command
 * prints its options with --help.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
} cmds[] = {
	{ "init", cmd_init, "create a store: anchors, trust list, issuers" },
	{ "client", cmd_client, "add, list or revoke API clients" },
	{ "run", cmd_run, "serve the HTTP API" },
	{ "backup", cmd_backup, "hot, compacting copy of the store" },
	{ "routes", cmd_routes, "print the HTTP routes" },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static void
usage(FILE *f)
{
	size_t i;

	fputs("usage: certd <command> [options]\n"
	    "       certd --help | --version\n\nCommands:\n", f);
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-7s %s\n", cmds[i].name, cmds[i].summary);
	fputs("\nExit codes:\n"
	    "  0  success\n"
	    "  1  the service failed while running\n"
	    "  2  usage error\n"
	    "  3  input error: file, store, key, trust list or config\n"
	    "  4  internal error\n\n"
	    "'certd <command> --help' shows the options of a command.\n"
	    "Manual: docs/CERTD.md.\n", f);
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return CERTD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CERTD_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("certd %s\n", CERTD_VERSION);
		return CERTD_EXIT_OK;
	}
	for (i = 0; i < NCMDS; i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	cmd_warnx("unknown command '%s'", argv[1]);
	fputs("Try 'certd --help'.\n", stderr);
	return CERTD_EXIT_USAGE;
}
