/*
 * Licence identifiers, USCCs, citizen IDs and holder codes (sealkit/ident.h,
 * STANDARDS.md §3.1-§3.4).  Expected values are real identifiers and codes
 * quoted in STANDARDS.md and check characters computed independently (by a
 * Python transcription of the formulas there); every single-character
 * substitution of each valid value must be rejected.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sealkit/ident.h"
#include "sktest.h"

/* 2024-06-01T00:00:00Z: "now" for the citizen ID checks. */
#define NOW_2024	((time_t)1717200000)
/* 2000-01-01T00:00:00+08:00. */
#define CN_2000		((time_t)946656000)

static const char uscc_set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* STANDARDS.md §3.1 and §0.9: real identifiers whose check matches. */
static const struct {
	const char	*text;
	const char	*type, *issuer, *serial;
	unsigned int	 version;
	char		 check;
} real_ids[] = {
	{ "1.2.156.3005.2.11100000000013338W011.11430000006122244L."
	    "20230000403.001.U", "11100000000013338W011",
	    "11430000006122244L", "20230000403", 1, 'U' },
	{ "1.2.156.3005.2.11100000000013338W032.11220000013544541J."
	    "2430599.001.F", "11100000000013338W032", "11220000013544541J",
	    "2430599", 1, 'F' },
	{ "1.2.156.3005.2.11100000000013338W009.11330105002500287C."
	    "2025052201.002.0", "11100000000013338W009",
	    "11330105002500287C", "2025052201", 2, '0' },
	{ "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
	    "11100000MB03271699022", "340100", "000000016", 1, '9' },
};
#define NREAL	(sizeof(real_ids) / sizeof(real_ids[0]))

/*
 * Every USCC quoted in STANDARDS.md except the two legacy ones; a widely
 * published company code whose organisation code check is X (10); and
 * three synthetic ones (checks computed by the Python transcription) for
 * the wrap-around cases no real code here has: USCC check Y (30) and 0
 * (31 -> 0), organisation code check 0 (11 -> 0).
 */
static const char *real_usccs[] = {
	"11100000000013338W", "11430000006122244L", "11220000013544541J",
	"11330105002500287C", "11100000MB03271699", "11100000000013661B",
	"113700000045046442", "9144030071526726XG", "91110000100000163Y",
	"911100001000002860", "91110000100000040X",
};
#define NUSCC	(sizeof(real_usccs) / sizeof(real_usccs[0]))

/* The swagger example (STANDARDS.md §3.1, full text from its source). */
static const char swagger_m[] = "1.2.156.3005.2.11100000000013661B006."
    "113700000045046442.209FA4E88F9E4C878F3E9BED2CE7EA49.001.M";

static int
isalnum36(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

static int
ident_rc(const char *s, size_t len)
{
	const char *why = NULL;
	int rc;

	rc = sk_ident_validate(s, len, &why);
	/* A reason on every failure, none on success. */
	SKT_CHECK((rc == 0) == (why == NULL));
	return rc;
}

static void
test_ident_real(void)
{
	struct sk_ident id;
	const char *why = "x";
	size_t i;

	for (i = 0; i < NREAL; i++) {
		SKT_RC(sk_ident_parse(real_ids[i].text,
		    strlen(real_ids[i].text), &id, &why), 0);
		SKT_CHECK(why == NULL);
		SKT_CHECK(strcmp(id.type_code, real_ids[i].type) == 0);
		SKT_CHECK(strcmp(id.issuer, real_ids[i].issuer) == 0);
		SKT_CHECK(strcmp(id.serial, real_ids[i].serial) == 0);
		SKT_EQ(id.version, real_ids[i].version);
		SKT_EQ(id.check, real_ids[i].check);
	}
}

static void
test_ident_check_char(void)
{
	char c = 'x', buf[SK_IDENT_MAX + 2];
	size_t i;

	for (i = 0; i < NREAL; i++) {
		int n = snprintf(buf, sizeof(buf), "%s%s%s%03u",
		    real_ids[i].type, real_ids[i].issuer, real_ids[i].serial,
		    real_ids[i].version);

		SKT_CHECK(n > 0 && (size_t)n < sizeof(buf));
		SKT_RC(sk_ident_check_char(buf, (size_t)n, &c), 0);
		SKT_EQ(c, real_ids[i].check);
	}
	/* The swagger example's middle computes D, not M. */
	SKT_RC(sk_ident_check_char("11100000000013661B006113700000045046442"
	    "209FA4E88F9E4C878F3E9BED2CE7EA49001", 74, &c), 0);
	SKT_EQ(c, 'D');
	SKT_RC(sk_ident_check_char("0", 1, &c), 0);
	SKT_EQ(c, '2');
	SKT_RC(sk_ident_check_char("Z", 1, &c), 0);
	SKT_EQ(c, '4');
	SKT_RC(sk_ident_check_char("ZZZZ", 4, &c), 0);
	SKT_EQ(c, '9');
	SKT_RC(sk_ident_check_char("", 0, &c), SK_ERR_FORMAT);
	SKT_EQ(c, 0);
	SKT_RC(sk_ident_check_char("a", 1, &c), SK_ERR_FORMAT);
	SKT_RC(sk_ident_check_char("A.", 2, &c), SK_ERR_FORMAT);
	memset(buf, '0', sizeof(buf));
	SKT_RC(sk_ident_check_char(buf, 20, &c), 0);
	SKT_EQ(c, 'X');
	SKT_RC(sk_ident_check_char(buf, SK_IDENT_CHECK_MAX, &c), 0);
	SKT_EQ(c, '0');
	SKT_RC(sk_ident_check_char(buf, SK_IDENT_CHECK_MAX + 1, &c),
	    SK_ERR_LIMIT);
	SKT_RC(sk_ident_check_char(NULL, 1, &c), SK_ERR_ARG);
	SKT_RC(sk_ident_check_char("0", 1, NULL), SK_ERR_ARG);
}

static void
test_ident_swagger(void)
{
	char fixed[sizeof(swagger_m)];
	const char *why = NULL;

	SKT_RC(sk_ident_validate(swagger_m, strlen(swagger_m), &why),
	    SK_ERR_CHECKSUM);
	SKT_CHECK(why != NULL && strstr(why, "check character") != NULL);
	memcpy(fixed, swagger_m, sizeof(fixed));
	fixed[strlen(fixed) - 1] = 'D';
	SKT_RC(sk_ident_validate(fixed, strlen(fixed), &why), 0);
}

/*
 * Every single-byte substitution of a real identifier fails.  One inside
 * the serial by another of [0-9A-Z] can only be caught by MOD 37,36, so it
 * must be SK_ERR_CHECKSUM.
 */
static void
test_ident_mutations(void)
{
	char m[SK_IDENT_MAX + 1];
	size_t i, pos, len, s0, s1;
	int c, rc, bad = 0;

	for (i = 0; i < NREAL; i++) {
		len = strlen(real_ids[i].text);
		s0 = strstr(real_ids[i].text, real_ids[i].serial) -
		    real_ids[i].text;
		s1 = s0 + strlen(real_ids[i].serial);
		for (pos = 0; pos < len; pos++) {
			for (c = 0; c < 256; c++) {
				memcpy(m, real_ids[i].text, len);
				if (m[pos] == (char)c)
					continue;
				m[pos] = (char)c;
				rc = sk_ident_validate(m, len, NULL);
				if (rc == 0)
					bad++;
				if (pos >= s0 && pos < s1 && isalnum36(c) &&
				    rc != SK_ERR_CHECKSUM)
					bad++;
			}
		}
	}
	SKT_EQ(bad, 0);
}

/* A 64-character serial: the longest identifier, 126 characters. */
static const char serial64[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQR";
static const char longest[] = "1.2.156.3005.2.11100000000013338W011."
    "11430000006122244L."
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQR"
    ".001.3";

static void
expect_ident(const char *s, int want)
{
	SKT_RC(ident_rc(s, strlen(s)), want);
}

static void
test_ident_structure(void)
{
	struct sk_ident id;
	const char *why = NULL;
	char over[SK_IDENT_MAX + 2];

	SKT_EQ(strlen(longest), SK_IDENT_MAX);
	expect_ident(longest, 0);
	memset(over, '1', sizeof(over));
	SKT_RC(ident_rc(over, SK_IDENT_MAX + 1), SK_ERR_LIMIT);
	/* 65-character serial (check K computed for that text). */
	expect_ident("1.2.156.3005.2.11100000000013338W011.340100."
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRS"
	    ".001.K", SK_ERR_FORMAT);

	expect_ident("", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.3.11100000MB03271699022.340100."
	    "000000016.001.9", SK_ERR_FORMAT);
	expect_ident(" 1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.001.9", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.001.9 ", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.001.9.", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.001", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.001.", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.001.99", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    ".001.9", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.000.9", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.340100."
	    "000000016.01.9", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB03271699022.34010."
	    "000000016.001.9", SK_ERR_FORMAT);
	expect_ident("1.2.156.3005.2.11100000MB0327169902.340100."
	    "000000016.001.9", SK_ERR_FORMAT);
	/* Lower case is rejected, never folded. */
	expect_ident("1.2.156.3005.2.11100000mb03271699022.340100."
	    "000000016.001.9", SK_ERR_FORMAT);

	/* The reason names the part. */
	SKT_RC(sk_ident_validate("1.2.156.3005.2.11100000000013338W011."
	    "11430000006122244K.20230000403.001.U", 73, &why),
	    SK_ERR_CHECKSUM);
	SKT_CHECK(why != NULL && strncmp(why, "issuer", 6) == 0);
	SKT_RC(sk_ident_validate("1.2.156.3005.2.11100000000013338X011."
	    "11430000006122244L.20230000403.001.U", 73, &why),
	    SK_ERR_CHECKSUM);
	SKT_CHECK(why != NULL && strncmp(why, "type code", 9) == 0);

	/* Output cleared on failure, arguments checked. */
	memset(&id, 'z', sizeof(id));
	SKT_RC(sk_ident_parse(swagger_m, strlen(swagger_m), &id, NULL),
	    SK_ERR_CHECKSUM);
	SKT_EQ(id.type_code[0], 0);
	SKT_EQ(id.version, 0);
	SKT_RC(sk_ident_parse(NULL, 0, &id, NULL), SK_ERR_ARG);
	SKT_RC(sk_ident_parse(longest, strlen(longest), NULL, NULL),
	    SK_ERR_ARG);
}

static void
test_ident_make(void)
{
	struct sk_buf b;
	const char *why = NULL;
	size_t i;

	for (i = 0; i < NREAL; i++) {
		sk_buf_init(&b, SK_IDENT_MAX);
		SKT_RC(sk_ident_make(real_ids[i].type, real_ids[i].issuer,
		    real_ids[i].serial, real_ids[i].version, &b, &why), 0);
		SKT_CHECK(why == NULL);
		SKT_MEMEQ(b.data, b.len, real_ids[i].text,
		    strlen(real_ids[i].text));
		sk_buf_free(&b);
	}
	sk_buf_init(&b, SK_IDENT_MAX);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    serial64, 1, &b, NULL), 0);
	SKT_MEMEQ(b.data, b.len, longest, strlen(longest));
	sk_buf_free(&b);

	/* Too small a buffer: SK_ERR_LIMIT and nothing appended. */
	sk_buf_init(&b, SK_IDENT_MAX);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    serial64, 1, &b, &why), SK_ERR_LIMIT);
	SKT_MEMEQ(b.data, b.len, "xy", 2);

	/* Invalid parts fail as parse would, with nothing appended. */
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    "1", 0, &b, &why), SK_ERR_FORMAT);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    "1", 1000, &b, &why), SK_ERR_FORMAT);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    "", 1, &b, &why), SK_ERR_FORMAT);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQRS",
	    1, &b, &why), SK_ERR_FORMAT);
	SKT_CHECK(why != NULL && strncmp(why, "serial", 6) == 0);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244L",
	    "a1", 1, &b, &why), SK_ERR_FORMAT);
	SKT_RC(sk_ident_make("11100000000013338W0111", "11430000006122244L",
	    "1", 1, &b, &why), SK_ERR_FORMAT);
	SKT_RC(sk_ident_make("11100000000013338W011", "11430000006122244LL",
	    "1", 1, &b, &why), SK_ERR_FORMAT);
	SKT_RC(sk_ident_make("11100000000013338W011", "91350100M0001TGQXM",
	    "1", 1, &b, &why), SK_ERR_CHECKSUM);
	SKT_RC(sk_ident_make(NULL, "340100", "1", 1, &b, &why), SK_ERR_ARG);
	SKT_MEMEQ(b.data, b.len, "xy", 2);
	sk_buf_free(&b);
}

/*
 * USCC: known answers, and every single substitution fails.  MOD 31 with
 * weights 3^i mod 31 (all non-zero, 31 prime) changes the sum for any
 * substitution inside the charset, so those must be SK_ERR_CHECKSUM;
 * anything outside the charset is SK_ERR_FORMAT.
 */
static void
test_uscc(void)
{
	char m[SK_USCC_LEN], c = 0;
	size_t i, pos;
	int ch, rc, bad = 0;

	for (i = 0; i < NUSCC; i++) {
		SKT_RC(sk_uscc_check(real_usccs[i], SK_USCC_LEN, NULL), 0);
		SKT_RC(sk_uscc_check_char(real_usccs[i], 17, &c), 0);
		SKT_EQ(c, real_usccs[i][17]);
		for (pos = 0; pos < SK_USCC_LEN; pos++) {
			for (ch = 0; ch < 256; ch++) {
				memcpy(m, real_usccs[i], sizeof(m));
				if (m[pos] == (char)ch)
					continue;
				m[pos] = (char)ch;
				rc = sk_uscc_check(m, sizeof(m), NULL);
				if (rc != (ch != 0 && strchr(uscc_set, ch) ?
				    SK_ERR_CHECKSUM : SK_ERR_FORMAT))
					bad++;
			}
		}
	}
	SKT_EQ(bad, 0);
}

static void
test_uscc_edges(void)
{
	const char *why = NULL;
	char c = 'x';

	/* STANDARDS.md §3.3: legacy codes that fail, computing 1 and R. */
	SKT_RC(sk_uscc_check("91350100M0001TGQXM", 18, &why),
	    SK_ERR_CHECKSUM);
	SKT_RC(sk_uscc_check_char("91350100M0001TGQX", 17, &c), 0);
	SKT_EQ(c, '1');
	SKT_RC(sk_uscc_check("91350211M0000XUF46", 18, &why),
	    SK_ERR_CHECKSUM);
	SKT_RC(sk_uscc_check_char("91350211M0000XUF4", 17, &c), 0);
	SKT_EQ(c, 'R');
	/*
	 * Position 17 changed 8 -> 7 and position 18 recomputed (R): the
	 * MOD 31 check passes, only the GB 11714 check catches it.
	 */
	SKT_RC(sk_uscc_check("11100000000013337R", 18, &why),
	    SK_ERR_CHECKSUM);
	SKT_CHECK(why != NULL && strstr(why, "organisation") != NULL);
	SKT_RC(sk_uscc_check("11100000000013338W", 17, &why), SK_ERR_FORMAT);
	SKT_RC(sk_uscc_check("11100000000013338W1", 19, &why),
	    SK_ERR_FORMAT);
	SKT_RC(sk_uscc_check("11100000000013338w", 18, &why),
	    SK_ERR_FORMAT);
	SKT_RC(sk_uscc_check("1110000000001333OW", 18, &why),
	    SK_ERR_FORMAT);
	SKT_RC(sk_uscc_check(NULL, 18, &why), SK_ERR_ARG);
	SKT_RC(sk_uscc_check_char("11100000000013338W", 18, &c),
	    SK_ERR_FORMAT);
	SKT_EQ(c, 0);
	SKT_RC(sk_uscc_check_char("1110000000001333I", 17, &c),
	    SK_ERR_FORMAT);
}

static void
expect_cid(const char *s, time_t now, int want)
{
	const char *why = NULL;
	int rc;

	rc = sk_citizen_id_check(s, strlen(s), now, &why);
	SKT_RC(rc, want);
	SKT_CHECK((rc == 0) == (why == NULL));
}

static void
test_citizen_id(void)
{
	/* STANDARDS.md §3.4 textbook examples. */
	expect_cid("11010519491231002X", NOW_2024, 0);
	expect_cid("440524188001010014", NOW_2024, 0);
	/* Check characters below computed for the date shown. */
	expect_cid("110105194902300020", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105200002290021", NOW_2024, 0);
	expect_cid("110105190002290025", NOW_2024, SK_ERR_FORMAT);
	expect_cid("11010520240229002X", NOW_2024, 0);
	expect_cid("110105202302290022", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105194913010029", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105194912000021", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105194901000026", NOW_2024, SK_ERR_FORMAT);
	expect_cid("11010519490132002X", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105180001010029", NOW_2024, 0);
	expect_cid("110105179912310024", NOW_2024, SK_ERR_FORMAT);
	/* Born 2000-01-01: valid from that day in China (UTC+8) on. */
	expect_cid("110105200001010024", CN_2000, 0);
	expect_cid("110105200001010024", CN_2000 - 1, SK_ERR_FORMAT);
	expect_cid("110105200001010024", (time_t)0, SK_ERR_FORMAT);
	expect_cid("110105200001010024", (time_t)-1, SK_ERR_FORMAT);
	/* Lower-case x is rejected; 15-digit numbers are not accepted. */
	expect_cid("11010519491231002x", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105491231002", NOW_2024, SK_ERR_FORMAT);
	expect_cid("11010519491231002X0", NOW_2024, SK_ERR_FORMAT);
	expect_cid("1101051949123100XX", NOW_2024, SK_ERR_FORMAT);
	expect_cid("11010519491231002Y", NOW_2024, SK_ERR_FORMAT);
	expect_cid("110105194912310021", NOW_2024, SK_ERR_CHECKSUM);
	SKT_RC(sk_citizen_id_check(NULL, 18, NOW_2024, NULL), SK_ERR_ARG);
}

/* Every single substitution of a valid citizen ID fails. */
static void
test_citizen_id_mutations(void)
{
	static const char *ids[] = {
		"11010519491231002X", "440524188001010014",
		"110105200002290021",
	};
	char m[SK_CITIZEN_ID_LEN];
	size_t i, pos;
	int ch, bad = 0;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (pos = 0; pos < sizeof(m); pos++) {
			for (ch = 0; ch < 256; ch++) {
				memcpy(m, ids[i], sizeof(m));
				if (m[pos] == (char)ch)
					continue;
				m[pos] = (char)ch;
				if (sk_citizen_id_check(m, sizeof(m),
				    NOW_2024, NULL) == 0)
					bad++;
			}
		}
	}
	SKT_EQ(bad, 0);
}

/* GB/T 36903 Annex A as quoted in STANDARDS.md §3.2. */
static const struct {
	const char	*code;
	const char	*name_zh;
} annex_a[] = {
	{ "001", "统一社会信用代码" },
	{ "099", "其他法人或其他组织有效证件代码" },
	{ "111", "公民身份号码" },
	{ "114", "中国人民解放军军官证编号" },
	{ "115", "中国人民武装警察部队警官证编号" },
	{ "118", "解放军士兵证编号" },
	{ "119", "武警士兵证编号" },
	{ "120", "解放军文职人员证编号" },
	{ "122", "武警文职人员证编号" },
	{ "411", "外交护照" },
	{ "412", "公务护照" },
	{ "413", "公务普通护照" },
	{ "414", "普通护照" },
	{ "511", "台湾居民来往大陆通行证" },
	{ "516", "港澳居民来往内地通行证" },
	{ "999", "其他自然人有效证件代码" },
};
#define NANNEX	(sizeof(annex_a) / sizeof(annex_a[0]))

static void
test_holder_table(void)
{
	const struct sk_holder_type *t, *all;
	size_t i, n = 0;

	all = sk_holder_types(&n);
	SKT_EQ(n, NANNEX);
	for (i = 0; i < NANNEX; i++) {
		t = sk_holder_type_lookup(annex_a[i].code, 3);
		SKT_CHECK(t != NULL);
		if (t == NULL)
			continue;
		SKT_CHECK(t == &all[i]);
		SKT_CHECK(strcmp(t->code, annex_a[i].code) == 0);
		SKT_CHECK(strcmp(t->name_zh, annex_a[i].name_zh) == 0);
		SKT_CHECK(t->name_en != NULL && t->name_en[0] != '\0');
	}
	SKT_CHECK(sk_holder_type_lookup("002", 3) == NULL);
	SKT_CHECK(sk_holder_type_lookup("11", 2) == NULL);
	SKT_CHECK(sk_holder_type_lookup("1110", 4) == NULL);
	SKT_CHECK(sk_holder_type_lookup("111", 2) == NULL);
	SKT_CHECK(sk_holder_type_lookup(NULL, 3) == NULL);
	SKT_EQ(sk_holder_type_lookup("001", 3)->rule, SK_HOLDER_RULE_USCC);
	SKT_EQ(sk_holder_type_lookup("111", 3)->rule, SK_HOLDER_RULE_CITIZEN);
	SKT_EQ(sk_holder_type_lookup("516", 3)->rule, SK_HOLDER_RULE_HKMO);
}

static void
expect_holder(const char *type, const char *code, int want)
{
	const char *why = NULL;
	int rc;

	rc = sk_holder_code_check(type, strlen(type), code, strlen(code),
	    NOW_2024, &why);
	SKT_RC(rc, want);
	SKT_CHECK((rc == 0) == (why == NULL));
}

static void
test_holder_codes(void)
{
	static const char *text_types[] = {
		"099", "114", "115", "118", "119", "120", "122", "999"
	};
	static const char *passports[] = { "411", "412", "413", "414" };
	char b[SK_HOLDER_CODE_MAX + 2];
	size_t i;

	expect_holder("001", "11100000000013338W", 0);
	expect_holder("001", "11100000000013338X", SK_ERR_CHECKSUM);
	/* 18 characters of the USCC charset: only a check catches it. */
	expect_holder("001", "11010519491231002X", SK_ERR_CHECKSUM);
	expect_holder("111", "11010519491231002X", 0);
	expect_holder("111", "11010519491231002x", SK_ERR_FORMAT);
	expect_holder("111", "110105194912310021", SK_ERR_CHECKSUM);
	expect_holder("111", "11100000000013338W", SK_ERR_FORMAT);
	for (i = 0; i < 4; i++) {
		expect_holder(passports[i], "E12345678", 0);
		expect_holder(passports[i], "EA1234567", 0);
		expect_holder(passports[i], "G1234", 0);
		expect_holder(passports[i], "G123", SK_ERR_FORMAT);
		expect_holder(passports[i], "E1234567890123456", 0);
		expect_holder(passports[i], "E12345678901234567",
		    SK_ERR_FORMAT);
		expect_holder(passports[i], "e12345678", SK_ERR_FORMAT);
		expect_holder(passports[i], "E 2345678", SK_ERR_FORMAT);
	}
	expect_holder("511", "12345678", 0);
	expect_holder("511", "1234567890", 0);
	expect_holder("511", "123456789", SK_ERR_FORMAT);
	expect_holder("511", "1234567A", SK_ERR_FORMAT);
	expect_holder("511", "", SK_ERR_FORMAT);
	expect_holder("516", "H12345678", 0);
	expect_holder("516", "M1234567890", 0);
	expect_holder("516", "12345678", SK_ERR_FORMAT);
	expect_holder("516", "X12345678", SK_ERR_FORMAT);
	expect_holder("516", "h12345678", SK_ERR_FORMAT);
	expect_holder("516", "H123456789", SK_ERR_FORMAT);
	expect_holder("516", "H", SK_ERR_FORMAT);
	expect_holder("516", "", SK_ERR_FORMAT);

	memset(b, 'A', sizeof(b));
	b[SK_HOLDER_CODE_MAX] = '\0';
	for (i = 0; i < sizeof(text_types) / sizeof(text_types[0]); i++) {
		expect_holder(text_types[i], "军字第1234567号", 0);
		expect_holder(text_types[i], "ABC-123/4", 0);
		expect_holder(text_types[i], b, 0);
		expect_holder(text_types[i], "", SK_ERR_FORMAT);
		expect_holder(text_types[i], "A B", SK_ERR_FORMAT);
		expect_holder(text_types[i], "A\tB", SK_ERR_FORMAT);
		expect_holder(text_types[i], "A\x7f", SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xc2\x85", SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xc0\x80", SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xed\xa0\x80", SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xf4\x90\x80\x80",
		    SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xe5\x86", SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xef\xbb\xbf" "A",
		    SK_ERR_FORMAT);
		expect_holder(text_types[i], "\xff", SK_ERR_FORMAT);
	}
	b[SK_HOLDER_CODE_MAX] = 'A';
	b[SK_HOLDER_CODE_MAX + 1] = '\0';
	expect_holder("999", b, SK_ERR_FORMAT);
	/* An embedded NUL is a control character. */
	SKT_RC(sk_holder_code_check("999", 3, "A\0B", 3, NOW_2024, NULL),
	    SK_ERR_FORMAT);

	expect_holder("002", "11100000000013338W", SK_ERR_NOTFOUND);
	expect_holder("1", "11100000000013338W", SK_ERR_NOTFOUND);
	expect_holder("", "A", SK_ERR_NOTFOUND);
	SKT_RC(sk_holder_code_check(NULL, 3, "A", 1, NOW_2024, NULL),
	    SK_ERR_ARG);
	SKT_RC(sk_holder_code_check("999", 3, NULL, 1, NOW_2024, NULL),
	    SK_ERR_ARG);
}

int
main(void)
{
	SKT_RUN(test_ident_real);
	SKT_RUN(test_ident_check_char);
	SKT_RUN(test_ident_swagger);
	SKT_RUN(test_ident_mutations);
	SKT_RUN(test_ident_structure);
	SKT_RUN(test_ident_make);
	SKT_RUN(test_uscc);
	SKT_RUN(test_uscc_edges);
	SKT_RUN(test_citizen_id);
	SKT_RUN(test_citizen_id_mutations);
	SKT_RUN(test_holder_table);
	SKT_RUN(test_holder_codes);
	return skt_done();
}
