/*
 * Times on the command line: RFC 3339 (section 5.6) or @epoch (timeopt.h).
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "sealkit/licence.h"

#include "timeopt.h"
#include "tool.h"

struct cursor {
	const char	*p;
	int		 bad;
};

/* n digits as a number; sets bad if they are not all digits. */
static int64_t
digits(struct cursor *c, int n)
{
	int64_t v = 0;

	for (; n > 0; n--, c->p++) {
		if (*c->p < '0' || *c->p > '9') {
			c->bad = 1;
			return 0;
		}
		v = v * 10 + (*c->p - '0');
	}
	return v;
}

static void
expect(struct cursor *c, const char *set)
{
	if (*c->p == '\0' || strchr(set, *c->p) == NULL)
		c->bad = 1;
	else
		c->p++;
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
mdays(int64_t y, int64_t m)
{
	static const int n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* "Z", "z" or "+hh:mm" / "-hh:mm": seconds to subtract from local time. */
static int64_t
zone(struct cursor *c)
{
	int64_t h, m, sign;

	if (*c->p == 'Z' || *c->p == 'z') {
		c->p++;
		return 0;
	}
	sign = *c->p == '-' ? -1 : 1;
	expect(c, "+-");
	h = digits(c, 2);
	expect(c, ":");
	m = digits(c, 2);
	if (h > 23 || m > 59)
		c->bad = 1;
	return sign * (h * 3600 + m * 60);
}

static int
parse_rfc3339(const char *s, int64_t *out)
{
	struct cursor c = { s, 0 };
	int64_t y, mo, d, h = 0, mi = 0, sec = 0, off = 0;

	y = digits(&c, 4);
	expect(&c, "-");
	mo = digits(&c, 2);
	expect(&c, "-");
	d = digits(&c, 2);
	if (c.bad || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return -1;
	if (*c.p != '\0') {
		expect(&c, "Tt ");
		h = digits(&c, 2);
		expect(&c, ":");
		mi = digits(&c, 2);
		expect(&c, ":");
		sec = digits(&c, 2);
		if (*c.p == '.') {
			c.p++;
			if (*c.p < '0' || *c.p > '9')
				return -1;
			while (*c.p >= '0' && *c.p <= '9')
				c.p++;
		}
		off = zone(&c);
		/* RFC 3339 allows a leap second; count it as :59. */
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		if (sec == 60)
			sec = 59;
	}
	if (c.bad || *c.p != '\0')
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    off;
	return 0;
}

static int
parse_epoch(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' ||
		    __builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, *s - '0', &v))
			return -1;
	}
	*out = v;
	return 0;
}

int
tool_time_parse(const char *s, const char *what, int64_t *out)
{
	int rc;

	*out = 0;
	if (strlen(s) > TOOL_TIME_MAX_ARG) {
		tool_warnx("%s: too long for a time", what);
		return TOOL_EXIT_USAGE;
	}
	rc = s[0] == '@' ? parse_epoch(s + 1, out) : parse_rfc3339(s, out);
	if (rc != 0) {
		tool_warnx("%s %s: not a time: use RFC 3339 "
		    "(2026-03-02T00:00:00Z) or @<epoch seconds>", what, s);
		return TOOL_EXIT_USAGE;
	}
	if (*out < 0 || *out > SK_LICENCE_MAX_TIME) {
		tool_warnx("%s %s: out of range (1970 to 9999)", what, s);
		return TOOL_EXIT_USAGE;
	}
	return 0;
}

int64_t
tool_time_now(void)
{
	return (int64_t)time(NULL);
}

void
tool_time_format(int64_t t, char buf[TOOL_TIME_STRLEN])
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, TOOL_TIME_STRLEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		memcpy(buf, "(time out of range)", 20);
}
