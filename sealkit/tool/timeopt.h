/*
 * timeopt.h: times on the sealkit command line (RFC 3339 or @epoch).
 * Shared by the licence and trust groups.
 */
#ifndef SEALKIT_TOOL_TIMEOPT_H
#define SEALKIT_TOOL_TIMEOPT_H

#include <stddef.h>
#include <stdint.h>

/* Longest time argument accepted ("2026-03-02T08:00:00.123456789+08:00"). */
#define TOOL_TIME_MAX_ARG	40u
/* Buffer for tool_time_format: "YYYY-MM-DDTHH:MM:SSZ" and a NUL. */
#define TOOL_TIME_STRLEN	21u

/*
 * Parse a time option: "@<seconds since the epoch>", an RFC 3339
 * date-time ("2026-03-02T00:00:00Z", "2026-03-02T08:00:00+08:00";
 * fractions of a second are dropped) or a full-date ("2026-03-02",
 * midnight UTC).  The result lies in 0..SK_LICENCE_MAX_TIME.
 * what names the option in the message printed on failure.
 * @return 0 or TOOL_EXIT_USAGE.
 */
int	tool_time_parse(const char *s, const char *what, int64_t *out);

/* The current time, seconds since the epoch. */
int64_t	tool_time_now(void);

/* "YYYY-MM-DDTHH:MM:SSZ" of t into buf (TOOL_TIME_STRLEN bytes). */
void	tool_time_format(int64_t t, char buf[TOOL_TIME_STRLEN]);

#endif /* SEALKIT_TOOL_TIMEOPT_H */
