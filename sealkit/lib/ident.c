/*
 * Licence identifiers, USCCs, citizen ID numbers and holder codes
 * (sealkit/ident.h; STANDARDS.md §3.1-§3.4).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "sealkit/ident.h"

/* The reason texts below spell these limits out. */
_Static_assert(SK_IDENT_MAX == 126, "identifier length in reasons");
_Static_assert(SK_IDENT_SERIAL_MAX == 64, "serial length in reasons");
_Static_assert(SK_PASSPORT_MIN == 5 && SK_PASSPORT_MAX == 17,
    "passport length in reasons");
_Static_assert(SK_HOLDER_CODE_MAX == 64, "holder code length in reasons");

#define SET_WHY(w, text)	do {					\
	if ((w) != NULL)						\
		*(w) = (text);						\
} while (0)

/* GB 32100-2015 §4.2: 31 characters, no I O S V Z. */
static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/* GB 32100-2015 §5: 3^(i-1) mod 31. */
static const uint8_t uscc_weights[17] = {
	1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
};
/* GB 11714-1997 §5. */
static const uint8_t org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
/* GB 11643-1999 §7: 2^(17-i) mod 11. */
static const uint8_t cid_weights[17] = {
	7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
};
static const char cid_checks[] = "10X98765432";
static const char alnum36[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/*
 * Reasons for one USCC, worded for the place it appears in, so that a
 * failure inside an identifier names the identifier's part.
 */
struct uscc_why {
	const char	*len;
	const char	*chars;
	const char	*org;
	const char	*check;
};

static const struct uscc_why why_uscc = {
	"USCC must be 18 characters",
	"USCC has a character outside 0-9A-Z without I O S V Z",
	"USCC: wrong organisation code check character (position 17)",
	"USCC: wrong check character (position 18)"
};
static const struct uscc_why why_type = {
	"type code must be 21 characters",
	"type code: USCC part has a character outside the USCC charset",
	"type code: wrong organisation code check character in its USCC",
	"type code: wrong check character in its USCC"
};
static const struct uscc_why why_issuer = {
	"issuer code must be an 18-character USCC or a 6-digit area code",
	"issuer code: a character outside the USCC charset",
	"issuer code: wrong organisation code check character in the USCC",
	"issuer code: wrong check character in the USCC"
};

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Value 0..35 of [0-9A-Z], or -1. */
static int
alnum_value(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return -1;
}

static int
all_alnum(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (alnum_value((unsigned char)s[i]) < 0)
			return 0;
	return 1;
}

/* Value 0..30 of a USCC character, or -1. */
static int
uscc_value(unsigned char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	if ((p = memchr(uscc_charset, c, sizeof(uscc_charset) - 1)) == NULL)
		return -1;
	return (int)(p - uscc_charset);
}

/*
 * ISO/IEC 7064 hybrid MOD 37,36, one character: p is the running value
 * (36 at the start, always 1..36).
 */
static unsigned int
m3736_step(unsigned int p, int v)
{
	unsigned int t;

	t = (p + (unsigned int)v) % 36;
	if (t == 0)
		t = 36;
	return (2 * t) % 37;
}

/* Feed len characters into *p; -1 on a character outside [0-9A-Z]. */
static int
m3736_update(unsigned int *p, const char *s, size_t len)
{
	size_t i;
	int v;

	for (i = 0; i < len; i++) {
		if ((v = alnum_value((unsigned char)s[i])) < 0)
			return -1;
		*p = m3736_step(*p, v);
	}
	return 0;
}

static char
m3736_final(unsigned int p)
{
	return alnum36[(37 - p) % 36];
}

int
sk_ident_check_char(const char *s, size_t len, char *out)
{
	unsigned int p = 36;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = '\0';
	if (s == NULL)
		return SK_ERR_ARG;
	if (len > SK_IDENT_CHECK_MAX)
		return SK_ERR_LIMIT;
	if (len == 0 || m3736_update(&p, s, len) != 0)
		return SK_ERR_FORMAT;
	*out = m3736_final(p);
	return 0;
}

/* GB 11714-1997: the check character of 8 code characters. */
static char
org_check_char(const char *s)
{
	unsigned int sum = 0, r;
	size_t i;

	for (i = 0; i < 8; i++)
		sum += (unsigned int)alnum_value((unsigned char)s[i]) *
		    org_weights[i];
	r = 11 - sum % 11;
	if (r == 10)
		return 'X';
	if (r == 11)
		return '0';
	return (char)('0' + r);
}

/* GB 32100-2015 §5 over 17 characters already known to be in the set. */
static char
uscc_check_char17(const char *s)
{
	unsigned int sum = 0;
	size_t i;

	for (i = 0; i < 17; i++)
		sum += (unsigned int)uscc_value((unsigned char)s[i]) *
		    uscc_weights[i];
	return uscc_charset[(31 - sum % 31) % 31];
}

static int
uscc_check_why(const char *s, size_t len, const char **why,
    const struct uscc_why *w)
{
	size_t i;

	if (len != SK_USCC_LEN) {
		SET_WHY(why, w->len);
		return SK_ERR_FORMAT;
	}
	for (i = 0; i < len; i++) {
		if (uscc_value((unsigned char)s[i]) < 0) {
			SET_WHY(why, w->chars);
			return SK_ERR_FORMAT;
		}
	}
	if (org_check_char(s + 8) != s[16]) {
		SET_WHY(why, w->org);
		return SK_ERR_CHECKSUM;
	}
	if (uscc_check_char17(s) != s[17]) {
		SET_WHY(why, w->check);
		return SK_ERR_CHECKSUM;
	}
	return 0;
}

int
sk_uscc_check(const char *s, size_t len, const char **why)
{
	SET_WHY(why, NULL);
	if (s == NULL) {
		SET_WHY(why, "no USCC given");
		return SK_ERR_ARG;
	}
	return uscc_check_why(s, len, why, &why_uscc);
}

int
sk_uscc_check_char(const char *s, size_t len, char *out)
{
	size_t i;

	if (out == NULL)
		return SK_ERR_ARG;
	*out = '\0';
	if (s == NULL)
		return SK_ERR_ARG;
	if (len != SK_USCC_LEN - 1)
		return SK_ERR_FORMAT;
	for (i = 0; i < len; i++)
		if (uscc_value((unsigned char)s[i]) < 0)
			return SK_ERR_FORMAT;
	*out = uscc_check_char17(s);
	return 0;
}

/* Type code: USCC of the defining authority + 3-digit sequence. */
static int
ident_type_check(const char *s, size_t len, const char **why)
{
	if (len != SK_IDENT_TYPE_LEN) {
		SET_WHY(why, why_type.len);
		return SK_ERR_FORMAT;
	}
	if (!all_digits(s + SK_USCC_LEN, SK_IDENT_TYPE_LEN - SK_USCC_LEN)) {
		SET_WHY(why, "type code must end in 3 digits");
		return SK_ERR_FORMAT;
	}
	return uscc_check_why(s, SK_USCC_LEN, why, &why_type);
}

static int
ident_issuer_check(const char *s, size_t len, const char **why)
{
	if (len == SK_AREA_CODE_LEN) {
		if (!all_digits(s, len)) {
			SET_WHY(why, "issuer code: area code must be 6 digits");
			return SK_ERR_FORMAT;
		}
		return 0;
	}
	return uscc_check_why(s, len, why, &why_issuer);
}

static int
ident_serial_check(const char *s, size_t len, const char **why)
{
	if (len == 0 || len > SK_IDENT_SERIAL_MAX) {
		SET_WHY(why, "serial must be 1 to 64 characters");
		return SK_ERR_FORMAT;
	}
	if (!all_alnum(s, len)) {
		SET_WHY(why, "serial has a character outside 0-9A-Z");
		return SK_ERR_FORMAT;
	}
	return 0;
}

static int
ident_version_parse(const char *s, size_t len, unsigned int *v,
    const char **why)
{
	*v = 0;
	if (len != SK_IDENT_VERSION_LEN || !all_digits(s, len)) {
		SET_WHY(why, "version must be 3 digits");
		return SK_ERR_FORMAT;
	}
	*v = (unsigned int)(s[0] - '0') * 100 +
	    (unsigned int)(s[1] - '0') * 10 + (unsigned int)(s[2] - '0');
	if (*v == 0) {
		SET_WHY(why, "version must be 001 to 999");
		return SK_ERR_FORMAT;
	}
	return 0;
}

/* The parts of an identifier as spans of the input. */
struct ident_spans {
	const char	*p[5];
	size_t		 n[5];
};

/* Split what follows the root at dots into exactly five parts. */
static int
ident_split(const char *s, size_t len, struct ident_spans *sp,
    const char **why)
{
	size_t i, start = 0, k = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.')
			continue;
		if (k == 5) {
			SET_WHY(why, "identifier has more than 6 parts");
			return SK_ERR_FORMAT;
		}
		sp->p[k] = s + start;
		sp->n[k] = i - start;
		k++;
		start = i + 1;
	}
	if (k != 5) {
		SET_WHY(why, "identifier has fewer than 6 parts");
		return SK_ERR_FORMAT;
	}
	return 0;
}

static int
ident_parts_check(const struct ident_spans *sp, unsigned int *version,
    const char **why)
{
	int rc;

	if ((rc = ident_type_check(sp->p[0], sp->n[0], why)) != 0 ||
	    (rc = ident_issuer_check(sp->p[1], sp->n[1], why)) != 0 ||
	    (rc = ident_serial_check(sp->p[2], sp->n[2], why)) != 0 ||
	    (rc = ident_version_parse(sp->p[3], sp->n[3], version, why)) != 0)
		return rc;
	return 0;
}

/* Check character of the four middle parts (already validated). */
static char
ident_spans_check_char(const struct ident_spans *sp)
{
	unsigned int p = 36;
	size_t i;

	for (i = 0; i < 4; i++)
		(void)m3736_update(&p, sp->p[i], sp->n[i]);
	return m3736_final(p);
}

static void
span_copy(char *dst, const char *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
sk_ident_parse(const char *s, size_t len, struct sk_ident *out,
    const char **why)
{
	struct ident_spans sp;
	unsigned int version;
	int rc;

	SET_WHY(why, NULL);
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (s == NULL || out == NULL) {
		SET_WHY(why, "no identifier given");
		return SK_ERR_ARG;
	}
	if (len > SK_IDENT_MAX) {
		SET_WHY(why, "identifier longer than 126 characters");
		return SK_ERR_LIMIT;
	}
	if (len < SK_IDENT_ROOT_LEN + 1 ||
	    memcmp(s, SK_IDENT_ROOT ".", SK_IDENT_ROOT_LEN + 1) != 0) {
		SET_WHY(why, "identifier does not start with 1.2.156.3005.2.");
		return SK_ERR_FORMAT;
	}
	s += SK_IDENT_ROOT_LEN + 1;
	len -= SK_IDENT_ROOT_LEN + 1;
	if ((rc = ident_split(s, len, &sp, why)) != 0 ||
	    (rc = ident_parts_check(&sp, &version, why)) != 0)
		return rc;
	if (sp.n[4] != 1 || alnum_value((unsigned char)sp.p[4][0]) < 0) {
		SET_WHY(why, "check part must be one character of 0-9A-Z");
		return SK_ERR_FORMAT;
	}
	if (ident_spans_check_char(&sp) != sp.p[4][0]) {
		SET_WHY(why, "wrong identifier check character");
		return SK_ERR_CHECKSUM;
	}
	span_copy(out->type_code, sp.p[0], sp.n[0]);
	span_copy(out->issuer, sp.p[1], sp.n[1]);
	span_copy(out->serial, sp.p[2], sp.n[2]);
	out->version = version;
	out->check = sp.p[4][0];
	return 0;
}

int
sk_ident_validate(const char *s, size_t len, const char **why)
{
	struct sk_ident id;

	return sk_ident_parse(s, len, &id, why);
}

/* Length of a NUL-terminated part, capped one past its maximum. */
static size_t
part_len(const char *s, size_t max)
{
	return strnlen(s, max + 1);
}

int
sk_ident_make(const char *type_code, const char *issuer, const char *serial,
    unsigned int version, struct sk_buf *out, const char **why)
{
	struct ident_spans sp;
	char text[SK_IDENT_MAX], ver[SK_IDENT_VERSION_LEN];
	size_t i, n = 0;
	int rc;

	SET_WHY(why, NULL);
	if (type_code == NULL || issuer == NULL || serial == NULL ||
	    out == NULL) {
		SET_WHY(why, "a part is missing");
		return SK_ERR_ARG;
	}
	if (version < 1 || version > 999) {
		SET_WHY(why, "version must be 001 to 999");
		return SK_ERR_FORMAT;
	}
	ver[0] = (char)('0' + version / 100);
	ver[1] = (char)('0' + version / 10 % 10);
	ver[2] = (char)('0' + version % 10);
	sp.p[0] = type_code;
	sp.n[0] = part_len(type_code, SK_IDENT_TYPE_LEN);
	sp.p[1] = issuer;
	sp.n[1] = part_len(issuer, SK_USCC_LEN);
	sp.p[2] = serial;
	sp.n[2] = part_len(serial, SK_IDENT_SERIAL_MAX);
	sp.p[3] = ver;
	sp.n[3] = sizeof(ver);
	if ((rc = ident_parts_check(&sp, &version, why)) != 0)
		return rc;

	/* Lengths are now bounded, so text (SK_IDENT_MAX) holds them all. */
	memcpy(text, SK_IDENT_ROOT, SK_IDENT_ROOT_LEN);
	n = SK_IDENT_ROOT_LEN;
	for (i = 0; i < 4; i++) {
		text[n++] = '.';
		memcpy(text + n, sp.p[i], sp.n[i]);
		n += sp.n[i];
	}
	text[n++] = '.';
	text[n++] = ident_spans_check_char(&sp);
	if ((rc = sk_buf_append(out, text, n)) != 0)
		SET_WHY(why, "output buffer too small");
	return rc;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, unsigned int m, unsigned int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The day number of `now` in China Standard Time (UTC+8, no DST). */
static int64_t
china_today(time_t now)
{
	int64_t t = (int64_t)now, days, secs;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		days--;
		secs += 86400;
	}
	if (secs + 8 * 3600 >= 86400)
		days++;
	return days;
}

static unsigned int
digits_value(const char *s, size_t n)
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (unsigned int)(s[i] - '0');
	return v;
}

/* YYYYMMDD (8 digits already checked): a real date, 1800-01-01..today. */
static int
cid_date_check(const char *s, time_t now, const char **why)
{
	static const uint8_t mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	unsigned int y, m, d;
	int leap;

	y = digits_value(s, 4);
	m = digits_value(s + 4, 2);
	d = digits_value(s + 6, 2);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !leap)) {
		SET_WHY(why, "citizen ID: birth date is not a calendar date");
		return SK_ERR_FORMAT;
	}
	if (y < 1800) {
		SET_WHY(why, "citizen ID: birth date before 1800-01-01");
		return SK_ERR_FORMAT;
	}
	if (days_from_civil(y, m, d) > china_today(now)) {
		SET_WHY(why, "citizen ID: birth date in the future");
		return SK_ERR_FORMAT;
	}
	return 0;
}

int
sk_citizen_id_check(const char *s, size_t len, time_t now, const char **why)
{
	unsigned int sum = 0;
	size_t i;
	int rc;

	SET_WHY(why, NULL);
	if (s == NULL) {
		SET_WHY(why, "no citizen ID given");
		return SK_ERR_ARG;
	}
	if (len != SK_CITIZEN_ID_LEN) {
		SET_WHY(why, "citizen ID must be 18 characters");
		return SK_ERR_FORMAT;
	}
	if (!all_digits(s, 17) || (!is_digit((unsigned char)s[17]) &&
	    s[17] != 'X')) {
		SET_WHY(why, "citizen ID: 17 digits then a digit or X");
		return SK_ERR_FORMAT;
	}
	if ((rc = cid_date_check(s + 6, now, why)) != 0)
		return rc;
	for (i = 0; i < 17; i++)
		sum += (unsigned int)(s[i] - '0') * cid_weights[i];
	if (cid_checks[sum % 11] != s[17]) {
		SET_WHY(why, "citizen ID: wrong check character");
		return SK_ERR_CHECKSUM;
	}
	return 0;
}

/* GB/T 36903-2018 Annex A (STANDARDS.md §3.2), in code order. */
static const struct sk_holder_type holder_types[] = {
	{ "001", "统一社会信用代码", "unified social credit code",
	    SK_HOLDER_RULE_USCC },
	{ "099", "其他法人或其他组织有效证件代码",
	    "other valid document code of a legal person or organisation",
	    SK_HOLDER_RULE_TEXT },
	{ "111", "公民身份号码", "citizen identity number",
	    SK_HOLDER_RULE_CITIZEN },
	{ "114", "中国人民解放军军官证编号", "PLA officer card number",
	    SK_HOLDER_RULE_TEXT },
	{ "115", "中国人民武装警察部队警官证编号",
	    "People's Armed Police officer card number", SK_HOLDER_RULE_TEXT },
	{ "118", "解放军士兵证编号", "PLA soldier card number",
	    SK_HOLDER_RULE_TEXT },
	{ "119", "武警士兵证编号", "People's Armed Police soldier card number",
	    SK_HOLDER_RULE_TEXT },
	{ "120", "解放军文职人员证编号", "PLA civilian staff card number",
	    SK_HOLDER_RULE_TEXT },
	{ "122", "武警文职人员证编号",
	    "People's Armed Police civilian staff card number",
	    SK_HOLDER_RULE_TEXT },
	{ "411", "外交护照", "diplomatic passport", SK_HOLDER_RULE_PASSPORT },
	{ "412", "公务护照", "service passport", SK_HOLDER_RULE_PASSPORT },
	{ "413", "公务普通护照", "passport for public affairs",
	    SK_HOLDER_RULE_PASSPORT },
	{ "414", "普通护照", "ordinary passport", SK_HOLDER_RULE_PASSPORT },
	{ "511", "台湾居民来往大陆通行证",
	    "mainland travel permit for Taiwan residents", SK_HOLDER_RULE_TW },
	{ "516", "港澳居民来往内地通行证",
	    "mainland travel permit for Hong Kong and Macao residents",
	    SK_HOLDER_RULE_HKMO },
	{ "999", "其他自然人有效证件代码",
	    "other valid document code of a natural person",
	    SK_HOLDER_RULE_TEXT },
};

#define HOLDER_NTYPES	(sizeof(holder_types) / sizeof(holder_types[0]))

const struct sk_holder_type *
sk_holder_types(size_t *count)
{
	if (count != NULL)
		*count = HOLDER_NTYPES;
	return holder_types;
}

const struct sk_holder_type *
sk_holder_type_lookup(const char *code, size_t len)
{
	size_t i;

	if (code == NULL || len != SK_HOLDER_TYPE_LEN)
		return NULL;
	for (i = 0; i < HOLDER_NTYPES; i++)
		if (memcmp(holder_types[i].code, code, len) == 0)
			return &holder_types[i];
	return NULL;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629 §4: no
 * overlongs, no surrogates, nothing above U+10FFFF), 0 if malformed; *cp
 * gets the code point.
 */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		n = 1;
		min = 0;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n > len)
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

/* SK_HOLDER_RULE_TEXT: see sk_holder_code_check in sealkit/ident.h. */
static int
holder_text_check(const char *s, size_t len, const char **why)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp = 0;
	size_t i, n;

	if (len == 0 || len > SK_HOLDER_CODE_MAX) {
		SET_WHY(why, "holder code must be 1 to 64 bytes");
		return SK_ERR_FORMAT;
	}
	for (i = 0; i < len; i += n) {
		if ((n = utf8_next(u + i, len - i, &cp)) == 0) {
			SET_WHY(why, "holder code is not valid UTF-8");
			return SK_ERR_FORMAT;
		}
		if (cp <= 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0xfeff) {
			SET_WHY(why, "holder code has a space or control "
			    "character");
			return SK_ERR_FORMAT;
		}
	}
	return 0;
}

static int
holder_passport_check(const char *s, size_t len, const char **why)
{
	size_t i;

	if (len < SK_PASSPORT_MIN || len > SK_PASSPORT_MAX) {
		SET_WHY(why, "passport number must be 5 to 17 characters");
		return SK_ERR_FORMAT;
	}
	for (i = 0; i < len; i++) {
		if (alnum_value((unsigned char)s[i]) < 0) {
			SET_WHY(why, "passport number: only 0-9 and A-Z");
			return SK_ERR_FORMAT;
		}
	}
	return 0;
}

static int
holder_permit_check(const char *s, size_t len, int hkmo, const char **why)
{
	if (hkmo) {
		if (len < 1 || (s[0] != 'H' && s[0] != 'M')) {
			SET_WHY(why, "HK/Macao permit must start with H or M");
			return SK_ERR_FORMAT;
		}
		s++;
		len--;
	}
	if ((len != 8 && len != 10) || !all_digits(s, len)) {
		SET_WHY(why, hkmo ? "HK/Macao permit: H or M, then 8 or 10 "
		    "digits" : "Taiwan permit must be 8 or 10 digits");
		return SK_ERR_FORMAT;
	}
	return 0;
}

int
sk_holder_code_check(const char *type, size_t typelen, const char *code,
    size_t len, time_t now, const char **why)
{
	const struct sk_holder_type *t;

	SET_WHY(why, NULL);
	if (type == NULL || code == NULL) {
		SET_WHY(why, "no holder code type or code given");
		return SK_ERR_ARG;
	}
	if ((t = sk_holder_type_lookup(type, typelen)) == NULL) {
		SET_WHY(why, "holder code type not in GB/T 36903 Annex A");
		return SK_ERR_NOTFOUND;
	}
	switch (t->rule) {
	case SK_HOLDER_RULE_USCC:
		return sk_uscc_check(code, len, why);
	case SK_HOLDER_RULE_CITIZEN:
		return sk_citizen_id_check(code, len, now, why);
	case SK_HOLDER_RULE_PASSPORT:
		return holder_passport_check(code, len, why);
	case SK_HOLDER_RULE_TW:
		return holder_permit_check(code, len, 0, why);
	case SK_HOLDER_RULE_HKMO:
		return holder_permit_check(code, len, 1, why);
	default:
		return holder_text_check(code, len, why);
	}
}
