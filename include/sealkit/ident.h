/*
 * sealkit/ident.h: electronic licence identifiers and the codes they carry
 * (STANDARDS.md §3.1-§3.4).
 *
 *  - 电子证照标识, GB/T 36904-2018 (layout inferred from several deployed
 *    implementations, STANDARDS.md §3.1):
 *	1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>
 *    type code: 21 = a USCC (18) of the defining authority + 3 digits;
 *    issuer code: a USCC (18) or a 6-digit administrative area code;
 *    serial: 1..SK_IDENT_SERIAL_MAX of [0-9A-Z]; version: 3 digits,
 *    001..999; check: ISO/IEC 7064 MOD 37,36 (hybrid, alphabet 0-9A-Z)
 *    over type code || issuer || serial || version.
 *  - 统一社会信用代码 (USCC), GB 32100-2015, including the embedded
 *    组织机构代码 check (GB 11714-1997).
 *  - 公民身份号码, GB 11643-1999, 18 characters only.
 *  - 持证主体代码类型 (holder code types), GB/T 36903-2018 Annex A.
 *
 * Everything here is strict: upper case only (a lower-case letter, a lower
 * case 'x' in a citizen ID included, is SK_ERR_FORMAT, never normalised), no
 * surrounding white space, no NUL inside the length given.  Input text is
 * (pointer, length) and need not be NUL-terminated.
 *
 * Reasons: functions with a `const char **why` argument accept NULL there.
 * Otherwise *why is set to NULL on entry and, on failure, to a static
 * English sentence naming the part that is wrong (never freed, never
 * NULL after a failure).  The SK_ERR_* code is the contract; the reason is
 * for people.  The caller names the field (e.g. "ZZBS").
 *
 * Nothing here allocates except sk_ident_make (through its sk_buf); all
 * functions are thread-safe.
 */
#ifndef SEALKIT_IDENT_H
#define SEALKIT_IDENT_H

#include <stddef.h>
#include <time.h>

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Root arc every licence identifier begins with (STANDARDS.md §3.1). */
#define SK_IDENT_ROOT		"1.2.156.3005.2"
#define SK_IDENT_ROOT_LEN	14u
/* Lengths of the parts. */
#define SK_USCC_LEN		18u	/* GB 32100 code */
#define SK_AREA_CODE_LEN	6u	/* GB/T 2260 administrative area code */
#define SK_IDENT_TYPE_LEN	21u	/* USCC + 3-digit sequence */
#define SK_IDENT_VERSION_LEN	3u
/*
 * Longest serial (流水号).  Serials seen: 7-11 digits, 20 random
 * characters, a 32-hex-digit UUID; 64 leaves room without inviting abuse.
 */
#define SK_IDENT_SERIAL_MAX	64u
/* Longest identifier text (no terminator): 126 characters. */
#define SK_IDENT_MAX	(SK_IDENT_ROOT_LEN + 1 + SK_IDENT_TYPE_LEN + 1 + \
	SK_USCC_LEN + 1 + SK_IDENT_SERIAL_MAX + 1 + SK_IDENT_VERSION_LEN + \
	1 + 1)
/* Longest text the check-character function accepts. */
#define SK_IDENT_CHECK_MAX	SK_IDENT_MAX

#define SK_CITIZEN_ID_LEN	18u
/* Passport numbers (holder types 411-414): upper-case letters and digits. */
#define SK_PASSPORT_MIN		5u
#define SK_PASSPORT_MAX		17u
/* Longest holder code of a type without a specific rule, in bytes. */
#define SK_HOLDER_CODE_MAX	64u
/* Holder code type codes are exactly 3 digits. */
#define SK_HOLDER_TYPE_LEN	3u

/*
 * A parsed licence identifier.  Strings are NUL-terminated copies; the
 * struct owns nothing and needs no free.
 */
struct sk_ident {
	char		 type_code[SK_IDENT_TYPE_LEN + 1];
	char		 issuer[SK_USCC_LEN + 1];	/* 18 or 6 chars */
	char		 serial[SK_IDENT_SERIAL_MAX + 1];
	unsigned int	 version;			/* 1..999 */
	char		 check;				/* [0-9A-Z] */
};

/*
 * sk_ident_check_char: the ISO/IEC 7064 MOD 37,36 hybrid check character
 * of len characters of [0-9A-Z] (for an identifier: the four middle parts
 * concatenated without dots).  *out is set to 0 on entry and to the check
 * character on success.  This system detects every single substitution;
 * 72 of the 45,360 (state, pair) adjacent transpositions go undetected.
 * @return 0, SK_ERR_FORMAT (empty, or a character outside [0-9A-Z]),
 *         SK_ERR_LIMIT (len > SK_IDENT_CHECK_MAX), SK_ERR_ARG (NULL).
 */
SK_API int sk_ident_check_char(const char *s, size_t len, char *out) SK_WUR;

/*
 * sk_ident_parse: parse and fully validate an identifier of len characters.
 * Checks, in this order: root arc, five dot-separated parts, the type code
 * (21 characters, its 18-character USCC prefix as sk_uscc_check, then 3
 * digits), the issuer code (a USCC as sk_uscc_check, or 6 digits), the
 * serial, the version (3 digits, not 000), and last the check character.
 * *out is cleared on entry and written only on success.
 * @return 0; SK_ERR_LIMIT (len > SK_IDENT_MAX); SK_ERR_FORMAT (a part has
 *         the wrong length or characters); SK_ERR_CHECKSUM (the final check
 *         character, or a USCC's check character, is wrong); SK_ERR_ARG.
 *         *why names the part.
 * @note USCCs issued before GB 32100's check was enforced (STANDARDS.md
 *       §3.3) make the identifier fail; government authorities, which
 *       define types and issue licences, all hold codes that pass.
 */
SK_API int sk_ident_parse(const char *s, size_t len, struct sk_ident *out,
    const char **why) SK_WUR;

/* sk_ident_validate: sk_ident_parse without keeping the parts. */
SK_API int sk_ident_validate(const char *s, size_t len, const char **why)
    SK_WUR;

/*
 * sk_ident_make: build an identifier from its parts, computing the check
 * character, and append its text (no terminator) to out.  The parts are
 * NUL-terminated strings validated exactly as sk_ident_parse validates
 * them; version is 1..999 and written as 3 digits.  Parsing the result
 * gives back the same parts.  On failure nothing is appended.
 * @return 0, SK_ERR_FORMAT or SK_ERR_CHECKSUM (a part is invalid; *why
 *         names it), SK_ERR_LIMIT (out's max too small), SK_ERR_NOMEM,
 *         SK_ERR_ARG (NULL pointer).
 */
SK_API int sk_ident_make(const char *type_code, const char *issuer,
    const char *serial, unsigned int version, struct sk_buf *out,
    const char **why) SK_WUR;

/*
 * sk_uscc_check: validate an 18-character USCC (GB 32100-2015):
 * characters from "0123456789ABCDEFGHJKLMNPQRTUWXY" (no I O S V Z), the
 * embedded 组织机构代码 (characters 9-17) passes the GB 11714 check, and
 * character 18 is the MOD 31 check character.  Characters 1-8 (registration
 * authority, category, area) are not checked against code lists.
 * @return 0, SK_ERR_FORMAT (length or character), SK_ERR_CHECKSUM (either
 *         check character), SK_ERR_ARG.
 * @note The two legacy codes quoted in STANDARDS.md §3.3
 *       (91350100M0001TGQXM, 91350211M0000XUF46) were issued before the
 *       rule was enforced and fail with SK_ERR_CHECKSUM although they are
 *       still legally valid.  A caller that must accept them has to skip
 *       this check for that field; this library offers no lax mode.
 */
SK_API int sk_uscc_check(const char *s, size_t len, const char **why)
    SK_WUR;

/*
 * sk_uscc_check_char: the check character (position 18) of the 17
 * characters at s.  *out is set to 0 on entry.  The 组织机构代码 part is
 * not checked here.
 * @return 0, SK_ERR_FORMAT (len != 17 or a character outside the
 *         charset), SK_ERR_ARG.
 */
SK_API int sk_uscc_check_char(const char *s, size_t len, char *out) SK_WUR;

/*
 * sk_citizen_id_check: validate an 18-character 公民身份号码 (GB 11643-1999):
 * 6-digit area code (digits only: area codes are retired over time and old
 * numbers keep them, so no GB/T 2260 list is consulted), a real date
 * YYYYMMDD (Gregorian, leap years) from 1800-01-01 up to the current date
 * in China (UTC+8) at `now`, a 3-digit sequence, and the ISO 7064 MOD 11-2
 * check character, a digit or an upper-case 'X'.  15-digit numbers (before
 * 1999) are not accepted: they carry no check digit.
 * @return 0, SK_ERR_FORMAT (length, characters, date), SK_ERR_CHECKSUM,
 *         SK_ERR_ARG.
 */
SK_API int sk_citizen_id_check(const char *s, size_t len, time_t now,
    const char **why) SK_WUR;

/* How sk_holder_code_check validates the code of each holder type. */
#define SK_HOLDER_RULE_TEXT	0 /* 1..SK_HOLDER_CODE_MAX bytes, see below */
#define SK_HOLDER_RULE_USCC	1 /* sk_uscc_check */
#define SK_HOLDER_RULE_CITIZEN	2 /* sk_citizen_id_check */
#define SK_HOLDER_RULE_PASSPORT	3 /* SK_PASSPORT_MIN..MAX of [0-9A-Z] */
#define SK_HOLDER_RULE_TW	4 /* 8 or 10 digits */
#define SK_HOLDER_RULE_HKMO	5 /* 'H' or 'M', then 8 or 10 digits */

/* One row of GB/T 36903-2018 Annex A (STANDARDS.md §3.2). */
struct sk_holder_type {
	const char	*code;		/* 3 digits, e.g. "111" */
	const char	*name_zh;	/* UTF-8, as in the standard */
	const char	*name_en;
	int		 rule;		/* SK_HOLDER_RULE_* */
};

/*
 * sk_holder_type_lookup: the row for a 3-digit type code of len bytes.
 * @return a pointer into a static table (never freed), or NULL when the
 *         code is not in Annex A.
 */
SK_API const struct sk_holder_type *sk_holder_type_lookup(const char *code,
    size_t len);

/*
 * sk_holder_types: the whole static table, in code order; *count gets the
 * number of rows (16).
 */
SK_API const struct sk_holder_type *sk_holder_types(size_t *count);

/*
 * sk_holder_code_check: validate a holder code (持证主体代码) of len bytes
 * against its type code (持证主体代码类型代码) of typelen bytes.  Rules:
 *  001 USCC (sk_uscc_check); 111 citizen ID (sk_citizen_id_check at now);
 *  411-414 passports: SK_PASSPORT_MIN..SK_PASSPORT_MAX upper-case letters
 *  or digits; 511 台湾居民来往大陆通行证: 8 digits (card since 2015) or 10
 *  digits (booklet: the 8-digit number and a 2-digit issue count);
 *  516 港澳居民来往内地通行证: 'H' (Hong Kong) or 'M' (Macao) then 8 digits
 *  (card since 2013) or 10 digits (booklet);
 *  all others (099, 114-122, 999): 1..SK_HOLDER_CODE_MAX bytes of
 *  well-formed UTF-8 with no space, no control character (C0, DEL, C1) and
 *  no U+FEFF.
 * @return 0; SK_ERR_NOTFOUND (type code not in Annex A); SK_ERR_FORMAT;
 *         SK_ERR_CHECKSUM; SK_ERR_ARG.
 */
SK_API int sk_holder_code_check(const char *type, size_t typelen,
    const char *code, size_t len, time_t now, const char **why) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_IDENT_H */
