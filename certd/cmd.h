/*
 * cmd.h: certd's subcommands (main.c dispatches) and exit codes, the
 * same as the sealkit tool's.
 */
#ifndef CERTD_CMD_H
#define CERTD_CMD_H

#define CERTD_EXIT_OK		0
#define CERTD_EXIT_FAIL		1	/* the service failed while running */
#define CERTD_EXIT_USAGE	2
#define CERTD_EXIT_INPUT	3	/* file, store or data problem */
#define CERTD_EXIT_INTERNAL	4

int	cmd_init(int argc, char **argv);
int	cmd_client(int argc, char **argv);
int	cmd_run(int argc, char **argv);
int	cmd_backup(int argc, char **argv);
int	cmd_routes(int argc, char **argv);

/* Print "certd: msg" to stderr. */
void	cmd_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 if s is 1..64 characters of [A-Za-z0-9._-] (client names). */
int	cmd_name_ok(const char *s);

#endif /* CERTD_CMD_H */
