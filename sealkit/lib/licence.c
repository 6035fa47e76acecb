/*
 * The licence model (sealkit/licence.h): freeing, and the checks that both
 * parsers and both encoders apply (docs/LICENCE.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sealkit/ident.h"
#include "sealkit/licence.h"
#include "licence_int.h"

/*
 * Copy a field name, which may come from an unknown JSON key: control
 * characters become '?' so that printing it cannot drive a terminal, and
 * truncation never leaves half a UTF-8 sequence.
 */
static void
copy_field(char dst[SK_LICENCE_ERR_FIELD], const char *src)
{
	size_t n;

	for (n = 0; src[n] != '\0' && n < SK_LICENCE_ERR_FIELD - 1; n++) {
		dst[n] = src[n];
		if ((unsigned char)src[n] < 0x20 || src[n] == 0x7f)
			dst[n] = '?';
	}
	if (((unsigned char)src[n] & 0xc0) == 0x80) {
		while (n > 0 && ((unsigned char)dst[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 0)
			n--;	/* the lead byte of the cut sequence */
	}
	dst[n] = '\0';
}

int
licence_err(struct sk_licence_err *err, int code, const char *field,
    const char *reason)
{
	if (err == NULL)
		return code;
	err->code = code;
	err->reason = reason != NULL ? reason : sk_strerror(code);
	copy_field(err->field, field != NULL ? field : "");
	return code;
}

int
licence_err_idx(struct sk_licence_err *err, int code, const char *prefix,
    size_t idx, const char *suffix, const char *reason)
{
	char f[SK_LICENCE_ERR_FIELD];

	(void)snprintf(f, sizeof(f), "%s[%zu]%s", prefix, idx, suffix);
	return licence_err(err, code, f, reason);
}

char *
licence_strndup(const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX || (p = malloc(len + 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

struct sk_licence *
licence_new(void)
{
	return calloc(1, sizeof(struct sk_licence));
}

/* Length of the UTF-8 sequence starting at s (RFC 3629), 0 if invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int
licence_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((n = utf8_seq(p + i, len - i, &cp)) == 0)
			return SK_ERR_FORMAT;
		/* Control characters would let a value forge a display line. */
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return SK_ERR_FORMAT;
		i += n;
	}
	return 0;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int md[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* H. Hinnant's days_from_civil, proleptic Gregorian, y >= 1. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, size_t n, int64_t *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return SK_ERR_FORMAT;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
licence_date_to_days(const char *s, size_t len, int64_t *days)
{
	int64_t y, m, d;

	*days = 0;
	if (len != LICENCE_DATE_LEN || s[4] != '-' || s[7] != '-')
		return SK_ERR_FORMAT;
	if (digits(s, 4, &y) != 0 || digits(s + 5, 2, &m) != 0 ||
	    digits(s + 8, 2, &d) != 0)
		return SK_ERR_FORMAT;
	if (y < 1900 || m < 1 || m > 12 || d < 1 ||
	    d > month_days(y, (int)m))
		return SK_ERR_FORMAT;
	*days = days_from_civil(y, (int)m, (int)d);
	return 0;
}

/* Write v (0 <= v < 10^n) as n decimal digits. */
static void
put_digits(char *out, size_t n, int64_t v)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

int
licence_days_to_date(int64_t days, char out[LICENCE_DATE_LEN + 1])
{
	int64_t z, era, doe, yoe, y, doy, mp, d, m;

	out[0] = '\0';
	if (days < LICENCE_DAYS_MIN || days > LICENCE_DAYS_MAX)
		return SK_ERR_FORMAT;
	/* H. Hinnant's civil_from_days; z stays positive in our range. */
	z = days + 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	put_digits(out, 4, y);
	out[4] = '-';
	put_digits(out + 5, 2, m);
	out[7] = '-';
	put_digits(out + 8, 2, d);
	out[LICENCE_DATE_LEN] = '\0';
	return 0;
}

void
sk_licence_free(struct sk_licence *lic)
{
	size_t i;

	if (lic == NULL)
		return;
	free(lic->name);
	free(lic->type_code);
	free(lic->number);
	free(lic->identifier);
	free(lic->issuer_name);
	free(lic->issuer_code);
	free(lic->issue_date);
	free(lic->holder_name);
	free(lic->holder_code);
	free(lic->holder_type);
	free(lic->valid_from);
	free(lic->valid_until);
	for (i = 0; i < lic->nitems && lic->items != NULL; i++) {
		free(lic->items[i].key);
		free(lic->items[i].value);
	}
	free(lic->items);
	free(lic->status_uri);
	free(lic);
}

/* A required text field: present, 1..max bytes, clean UTF-8. */
static int
check_text(const char *s, size_t max, const char *field,
    struct sk_licence_err *err)
{
	size_t len;

	if (s == NULL)
		return licence_err(err, SK_ERR_MISSING, field, "required");
	len = strlen(s);
	if (len == 0)
		return licence_err(err, SK_ERR_FORMAT, field, "empty");
	if (len > max)
		return licence_err(err, SK_ERR_LIMIT, field, "too long");
	if (licence_text_ok(s, len) != 0)
		return licence_err(err, SK_ERR_FORMAT, field,
		    "not UTF-8 text without control characters");
	return 0;
}

static int
check_date(const char *s, const char *field, int64_t *days,
    struct sk_licence_err *err)
{
	if (s == NULL)
		return licence_err(err, SK_ERR_MISSING, field, "required");
	if (licence_date_to_days(s, strlen(s), days) != 0)
		return licence_err(err, SK_ERR_FORMAT, field,
		    "not a date YYYY-MM-DD from 1900-01-01 to 9999-12-31");
	return 0;
}

static int
check_time(int64_t t, const char *field, struct sk_licence_err *err)
{
	if (t < 0 || t > SK_LICENCE_MAX_TIME)
		return licence_err(err, SK_ERR_FORMAT, field,
		    "NumericDate out of range");
	return 0;
}

/* GB/T 36904 §5 type code: a USCC (18) and a 3-digit sequence. */
static int
check_type_code(const char *s, struct sk_licence_err *err)
{
	const char *why = NULL;
	int64_t v;
	int rc;

	if (s == NULL)
		return licence_err(err, SK_ERR_MISSING, "type_code",
		    "required");
	if (strlen(s) != SK_IDENT_TYPE_LEN ||
	    digits(s + SK_USCC_LEN, 3, &v) != 0)
		return licence_err(err, SK_ERR_FORMAT, "type_code",
		    "not 21 characters: USCC and 3 digits");
	if ((rc = sk_uscc_check(s, SK_USCC_LEN, &why)) != 0)
		return licence_err(err, rc, "type_code", why);
	return 0;
}

static int
check_issuer_code(const char *s, struct sk_licence_err *err)
{
	const char *why = NULL;
	int rc;

	if (s == NULL)
		return licence_err(err, SK_ERR_MISSING, "issuer_code",
		    "required");
	if ((rc = sk_uscc_check(s, strlen(s), &why)) != 0)
		return licence_err(err, rc, "issuer_code", why);
	return 0;
}

static int
check_holder(const struct sk_licence *lic, struct sk_licence_err *err)
{
	const char *why = NULL;
	int rc;

	if (lic->holder_type == NULL)
		return licence_err(err, SK_ERR_MISSING, "holder_type",
		    "required");
	if (lic->holder_code == NULL)
		return licence_err(err, SK_ERR_MISSING, "holder_code",
		    "required");
	if (sk_holder_type_lookup(lic->holder_type,
	    strlen(lic->holder_type)) == NULL)
		return licence_err(err, SK_ERR_FORMAT, "holder_type",
		    "not a code of GB/T 36903 Annex A");
	rc = sk_holder_code_check(lic->holder_type, strlen(lic->holder_type),
	    lic->holder_code, strlen(lic->holder_code), time(NULL), &why);
	if (rc != 0)
		return licence_err(err, rc == SK_ERR_NOTFOUND ? SK_ERR_FORMAT :
		    rc, "holder_code", why);
	return 0;
}

/*
 * The identifier's type and issuer parts must repeat type_code and
 * issuer_code: a verifier reads the authority from iss and the identifier
 * from cti, and the two must not tell different stories.
 */
static int
check_identifier(const struct sk_licence *lic, struct sk_licence_err *err)
{
	struct sk_ident id;
	const char *why = NULL;
	size_t len;
	int rc;

	if (lic->identifier == NULL)
		return licence_err(err, SK_ERR_MISSING, "identifier",
		    "required");
	if ((len = strlen(lic->identifier)) > SK_LICENCE_MAX_IDENT)
		return licence_err(err, SK_ERR_LIMIT, "identifier",
		    "too long");
	if ((rc = sk_ident_parse(lic->identifier, len, &id, &why)) != 0)
		return licence_err(err, rc, "identifier", why);
	if (strcmp(id.type_code, lic->type_code) != 0)
		return licence_err(err, SK_ERR_FORMAT, "identifier",
		    "type part differs from type_code");
	if (strcmp(id.issuer, lic->issuer_code) != 0)
		return licence_err(err, SK_ERR_FORMAT, "identifier",
		    "issuer part differs from issuer_code");
	return 0;
}

static int
check_items(const struct sk_licence *lic, struct sk_licence_err *err)
{
	const struct sk_licence_item *it;
	size_t i, len;

	if (lic->nitems > SK_LICENCE_MAX_ITEMS)
		return licence_err(err, SK_ERR_LIMIT, "items", "too many");
	if (lic->nitems > 0 && lic->items == NULL)
		return licence_err(err, SK_ERR_ARG, "items", "NULL array");
	for (i = 0; i < lic->nitems; i++) {
		it = &lic->items[i];
		if (it->key == NULL || (len = strlen(it->key)) == 0)
			return licence_err_idx(err, SK_ERR_MISSING, "items", i,
			    ".key", "empty");
		if (len > SK_LICENCE_MAX_KEY)
			return licence_err_idx(err, SK_ERR_LIMIT, "items", i,
			    ".key", "too long");
		if (licence_text_ok(it->key, len) != 0)
			return licence_err_idx(err, SK_ERR_FORMAT, "items", i,
			    ".key", "control character or bad UTF-8");
		if (it->value == NULL || (len = strlen(it->value)) == 0)
			return licence_err_idx(err, SK_ERR_MISSING, "items", i,
			    ".value", "empty");
		if (len > SK_LICENCE_MAX_VALUE)
			return licence_err_idx(err, SK_ERR_LIMIT, "items", i,
			    ".value", "too long");
		if (licence_text_ok(it->value, len) != 0)
			return licence_err_idx(err, SK_ERR_FORMAT, "items", i,
			    ".value", "control character or bad UTF-8");
	}
	return 0;
}

/* RFC 3986 section 3.1: scheme ":" then visible ASCII, no space. */
static int
check_uri(const char *s, struct sk_licence_err *err)
{
	const char *f = "status.status_list.uri";
	size_t i, len;

	if (s == NULL)
		return licence_err(err, SK_ERR_MISSING, f, "required");
	if ((len = strlen(s)) > SK_LICENCE_MAX_URI)
		return licence_err(err, SK_ERR_LIMIT, f, "too long");
	for (i = 0; i < len && s[i] != ':'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (i > 0 &&
		    ((s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
		    s[i] == '-' || s[i] == '.'))))
			return licence_err(err, SK_ERR_FORMAT, f,
			    "no URI scheme");
	}
	if (i == 0 || i == len || i + 1 == len)
		return licence_err(err, SK_ERR_FORMAT, f, "no URI scheme");
	for (; i < len; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return licence_err(err, SK_ERR_FORMAT, f,
			    "not a URI (RFC 3986)");
	return 0;
}

static int
check_times(const struct sk_licence *lic, struct sk_licence_err *err)
{
	int rc;

	if ((rc = check_time(lic->iat, "iat", err)) != 0)
		return rc;
	if (lic->has_nbf && (rc = check_time(lic->nbf, "nbf", err)) != 0)
		return rc;
	if (!lic->has_exp)
		return 0;
	if ((rc = check_time(lic->exp, "exp", err)) != 0)
		return rc;
	if (lic->exp < lic->iat)
		return licence_err(err, SK_ERR_FORMAT, "exp", "before iat");
	if (lic->has_nbf && lic->exp < lic->nbf)
		return licence_err(err, SK_ERR_FORMAT, "exp", "before nbf");
	return 0;
}

static int
check_names(const struct sk_licence *lic, struct sk_licence_err *err)
{
	int rc;

	if ((rc = check_text(lic->name, SK_LICENCE_MAX_NAME, "name",
	    err)) != 0 ||
	    (rc = check_text(lic->number, SK_LICENCE_MAX_NUMBER, "number",
	    err)) != 0 ||
	    (rc = check_text(lic->issuer_name, SK_LICENCE_MAX_NAME,
	    "issuer_name", err)) != 0 ||
	    (rc = check_text(lic->holder_name, SK_LICENCE_MAX_NAME,
	    "holder_name", err)) != 0)
		return rc;
	return 0;
}

static int
check_dates(const struct sk_licence *lic, struct sk_licence_err *err)
{
	int64_t issue, from, until;
	int rc;

	if ((rc = check_date(lic->issue_date, "issue_date", &issue,
	    err)) != 0 ||
	    (rc = check_date(lic->valid_from, "valid_from", &from, err)) != 0)
		return rc;
	if (lic->valid_until == NULL)
		return 0;
	if ((rc = check_date(lic->valid_until, "valid_until", &until,
	    err)) != 0)
		return rc;
	if (until < from)
		return licence_err(err, SK_ERR_FORMAT, "valid_until",
		    "before valid_from");
	return 0;
}

int
sk_licence_check(const struct sk_licence *lic, struct sk_licence_err *err)
{
	int rc;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (lic == NULL)
		return licence_err(err, SK_ERR_ARG, "", "NULL licence");
	if ((rc = check_names(lic, err)) != 0 ||
	    (rc = check_type_code(lic->type_code, err)) != 0 ||
	    (rc = check_issuer_code(lic->issuer_code, err)) != 0 ||
	    (rc = check_identifier(lic, err)) != 0 ||
	    (rc = check_holder(lic, err)) != 0 ||
	    (rc = check_text(lic->holder_code, SK_LICENCE_MAX_NUMBER,
	    "holder_code", err)) != 0 ||
	    (rc = check_dates(lic, err)) != 0 ||
	    (rc = check_items(lic, err)) != 0 ||
	    (rc = check_times(lic, err)) != 0)
		return rc;
	if (lic->has_status) {
		if (lic->status_idx > SK_LICENCE_MAX_STATUS_IDX)
			return licence_err(err, SK_ERR_LIMIT,
			    "status.status_list.idx", "too large");
		if ((rc = check_uri(lic->status_uri, err)) != 0)
			return rc;
	} else if (lic->status_uri != NULL)
		return licence_err(err, SK_ERR_ARG, "status",
		    "status_uri set without has_status");
	return 0;
}
