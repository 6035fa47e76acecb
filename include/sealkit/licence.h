/*
 * sealkit/licence.h: the electronic licence (电子证照) model and its two
 * encodings: JSON for people and programs, and the CWT claims set (RFC 8392,
 * deterministic CBOR) that is signed into the credential.
 *
 * Fields, their GB/T 36903 names and every limit: docs/LICENCE.md.  The
 * CBOR bytes: api/licence.cddl.  The JSON form: api/licence.schema.json.
 *
 * Both parsers are strict and fail closed: unknown keys, wrong types,
 * missing required fields, values over a limit, malformed dates and codes
 * with a wrong check character are all rejected, and the error says which
 * field.  Everything a parser accepts has passed sk_licence_check(), and
 * everything sk_licence_encode_claims() writes decodes to an equal licence
 * whose encoding is the same bytes.
 */
#ifndef SEALKIT_LICENCE_H
#define SEALKIT_LICENCE_H

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Longest JSON text sk_licence_from_json() reads, and longest claims set
 * sk_licence_decode_claims() reads.  The field limits below are chosen so
 * that every licence within them encodes within these caps (the claims of
 * the largest possible licence take under 54 KiB; its JSON, with every
 * character escaped by sk_licence_to_json, under 110 KiB).
 */
#define SK_LICENCE_MAX_JSON	(128u * 1024u)
#define SK_LICENCE_MAX_CLAIMS	(64u * 1024u)
/* Free data items (数据项) per licence. */
#define SK_LICENCE_MAX_ITEMS	24u
/* Bytes (UTF-8) of one data item key and of one data item value. */
#define SK_LICENCE_MAX_KEY	64u
#define SK_LICENCE_MAX_VALUE	2048u
/* Bytes (UTF-8) of a name: 证照名称, 颁发机构, 持证主体. */
#define SK_LICENCE_MAX_NAME	256u
/* Bytes of 证照编号 and of a 持证主体代码 of a type without a check rule. */
#define SK_LICENCE_MAX_NUMBER	64u
/* Bytes of the GB/T 36904 identifier (证照标识). */
#define SK_LICENCE_MAX_IDENT	128u
/* Bytes of the status list URI. */
#define SK_LICENCE_MAX_URI	512u
/* Latest NumericDate accepted: 9999-12-31T23:59:59Z. */
#define SK_LICENCE_MAX_TIME	INT64_C(253402300799)
/* Largest status list index. */
#define SK_LICENCE_MAX_STATUS_IDX UINT64_C(0xffffffff)

/* CWT claim keys (RFC 8392 section 4; api/licence.cddl). */
#define SK_CWT_ISS		1
#define SK_CWT_SUB		2
#define SK_CWT_EXP		4
#define SK_CWT_NBF		5
#define SK_CWT_IAT		6
#define SK_CWT_CTI		7
#define SK_CWT_STATUS		65535	/* draft-ietf-oauth-status-list */
#define SK_CWT_LICENCE		(-65537) /* private use: our licence map */

/* sk_licence_to_json() flags. */
#define SK_LICENCE_JSON_PRETTY	0x01u	/* indent by 2, one field a line */

/* One free data item (数据项), e.g. ("法定代表人", "张三"). */
struct sk_licence_item {
	char	*key;		/* owned, 1..SK_LICENCE_MAX_KEY bytes */
	char	*value;		/* owned, 1..SK_LICENCE_MAX_VALUE bytes */
};

/*
 * A licence.  All strings are owned NUL-terminated UTF-8 and hold no
 * control characters; dates are "YYYY-MM-DD" (a real Gregorian date,
 * 1900-01-01 to 9999-12-31).  Field names follow GB/T 36903 (pinyin code
 * in brackets).  Nothing here is secret: sk_licence_free() frees, it does
 * not wipe.
 */
struct sk_licence {
	char	*name;		/* 证照名称 (ZZMC) */
	char	*type_code;	/* 证照类型代码 (ZZLXDM): USCC + 3 digits */
	char	*number;	/* 证照编号 (ZZBH) */
	char	*identifier;	/* 证照标识 (ZZBS), GB/T 36904 */
	char	*issuer_name;	/* 证照颁发机构 (ZZBFJG) */
	char	*issuer_code;	/* 证照颁发机构代码 (ZZBFJGDM): USCC */
	char	*issue_date;	/* 证照颁发日期 (ZZBFRQ) */
	char	*holder_name;	/* 持证主体 (CZZT) */
	char	*holder_code;	/* 持证主体代码 (CZZTDM) */
	char	*holder_type;	/* 持证主体代码类型代码 (CZZTDMLXDM), "001" */
	char	*valid_from;	/* 证照有效期起始日期 (ZZYXQQSRQ) */
	char	*valid_until;	/* 证照有效期截止日期 (ZZYXQJZRQ); NULL: 长期 */

	struct sk_licence_item	*items;	/* owned array of nitems */
	size_t			 nitems; /* 0..SK_LICENCE_MAX_ITEMS */

	/* Credential (CWT) fields, NumericDate seconds since the epoch. */
	int64_t	 iat;		/* required */
	int64_t	 nbf;		/* valid only if has_nbf */
	int64_t	 exp;		/* valid only if has_exp */
	int	 has_nbf;
	int	 has_exp;

	/* Token Status List reference; both set or both absent. */
	int	 has_status;
	uint64_t status_idx;
	char	*status_uri;	/* owned; NULL unless has_status */
};

/*
 * Error detail.  field names the offending field by its JSON path
 * ("holder_code", "items[2].value", "status.status_list.uri"); a claims
 * error that is about a CWT claim rather than a licence field names the
 * claim ("iss", "cti", "claims" for the map itself, "claims.<key>" for an
 * unknown claim).  "" when the error is not about one field.  reason is a
 * static English phrase.
 */
#define SK_LICENCE_ERR_FIELD	64u
struct sk_licence_err {
	int		 code;			/* SK_ERR_* */
	char		 field[SK_LICENCE_ERR_FIELD];
	const char	*reason;	/* static; never NULL once set */
};

/*
 * Parse a licence from JSON text (len bytes, need not be NUL-terminated).
 * Strict: one JSON object, no duplicate keys, no unknown keys, each value of
 * its schema type, every required field present, every check of
 * sk_licence_check() passed.
 * @param out  set to a new licence (free with sk_licence_free) or NULL.
 * @param err  may be NULL; on failure it says which field and why.
 * @return 0, SK_ERR_LIMIT (len > SK_LICENCE_MAX_JSON or a field over its
 *         limit), SK_ERR_FORMAT, SK_ERR_DUPLICATE, SK_ERR_TYPE,
 *         SK_ERR_MISSING, SK_ERR_CHECKSUM, SK_ERR_NOMEM, SK_ERR_ARG.
 */
SK_API int sk_licence_from_json(const char *json, size_t len,
    struct sk_licence **out, struct sk_licence_err *err) SK_WUR;

/*
 * Append the licence as JSON (UTF-8, not escaped to \u, no NUL) to out.
 * Keys in the order of docs/LICENCE.md; optional fields omitted when
 * absent.  The licence must pass sk_licence_check().
 * @param flags  0 (compact) or SK_LICENCE_JSON_PRETTY.
 * @return 0, SK_ERR_ARG, any sk_licence_check() error, SK_ERR_LIMIT (out's
 *         max), SK_ERR_NOMEM.  On error out is unchanged.
 */
SK_API int sk_licence_to_json(const struct sk_licence *lic, unsigned flags,
    struct sk_buf *out) SK_WUR;

/*
 * Append the CWT claims set of the licence (deterministic CBOR,
 * api/licence.cddl) to out.  The licence must pass sk_licence_check().
 * @return 0, SK_ERR_ARG, any sk_licence_check() error, SK_ERR_LIMIT,
 *         SK_ERR_NOMEM.  On error out is unchanged.
 */
SK_API int sk_licence_encode_claims(const struct sk_licence *lic,
    struct sk_buf *out) SK_WUR;

/*
 * Decode a CWT claims set (the COSE payload, untagged map).  Strict: the
 * encoding must be deterministic (RFC 8949 section 4.2.1), unknown claims
 * and unknown keys in the licence map are rejected, and the result must
 * pass sk_licence_check().  A successful decode re-encodes to the same
 * bytes.
 * @param out  set to a new licence (free with sk_licence_free) or NULL.
 * @param err  may be NULL.
 * @return 0, SK_ERR_LIMIT, SK_ERR_TRUNCATED, SK_ERR_TRAILING,
 *         SK_ERR_FORMAT, SK_ERR_NONCANONICAL, SK_ERR_DUPLICATE,
 *         SK_ERR_TYPE, SK_ERR_MISSING, SK_ERR_CHECKSUM, SK_ERR_NOMEM.
 */
SK_API int sk_licence_decode_claims(const uint8_t *in, size_t len,
    struct sk_licence **out, struct sk_licence_err *err) SK_WUR;

/*
 * Check a licence built in memory: every field present and within its
 * limit, real dates, valid_from <= valid_until, iat/nbf/exp in range and
 * nbf <= exp, iat <= exp; issuer_code a valid USCC; holder_code valid for
 * holder_type; identifier a valid GB/T 36904 identifier whose type part is
 * type_code and whose issuer part is issuer_code.
 * @param err  may be NULL.
 * @return 0 or the first error found (SK_ERR_MISSING, SK_ERR_LIMIT,
 *         SK_ERR_FORMAT, SK_ERR_CHECKSUM, SK_ERR_ARG).
 */
SK_API int sk_licence_check(const struct sk_licence *lic,
    struct sk_licence_err *err) SK_WUR;

/* Free a licence and everything it owns.  NULL is ok. */
SK_API void sk_licence_free(struct sk_licence *lic);

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_LICENCE_H */
