/*
 * QR module (sealkit/qr.h).  Independent expectations: the capacity table
 * and symbol structure of ISO/IEC 18004 (versions at the mode boundaries,
 * width = 17 + 4 * version, finder and timing patterns), libpng's
 * simplified API to read our PNGs and to write PNGs of every colour type
 * for our decoder, and decoding of images drawn here from the module
 * matrix.  Plus the limits and hostile inputs the header promises.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include "sealkit/qr.h"
#include "sktest.h"

static const char b45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
static const char lower[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* n pseudo-random characters of alpha after prefix; NUL-terminated. */
static char *
make_text(const char *prefix, size_t n, const char *alpha)
{
	size_t plen = strlen(prefix), k = strlen(alpha), i;
	uint32_t x = 0x2545f491u;
	char *t;

	if ((t = malloc(plen + n + 1)) == NULL)
		abort();
	memcpy(t, prefix, plen);
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		t[plen + i] = alpha[(x >> 16) % k];
	}
	t[plen + n] = '\0';
	return t;
}

static struct sk_qr *
encode_ok(const char *t, size_t len, enum sk_qr_ecc ecc)
{
	struct sk_qr *qr = NULL;

	SKT_RC(sk_qr_encode(t, len, ecc, &qr), 0);
	SKT_CHECK(qr != NULL);
	return qr;
}

/* The version a text of n characters of alpha gets, or an error code. */
static int
version_for(size_t n, const char *alpha, enum sk_qr_ecc ecc)
{
	struct sk_qr *qr = (struct sk_qr *)1;
	char *t = make_text("", n, alpha);
	int rc, v;

	rc = sk_qr_encode(t, n, ecc, &qr);
	free(t);
	if (rc != 0) {
		SKT_CHECK(qr == NULL);
		return rc;
	}
	v = sk_qr_version(qr);
	SKT_EQ(sk_qr_width(qr), 17 + 4 * v);
	sk_qr_free(qr);
	return v;
}

/* Draw the symbol as 8-bit gray, 0 dark, 255 light. */
static uint8_t *
draw_gray(const struct sk_qr *qr, unsigned int scale, unsigned int margin,
    unsigned int *side)
{
	unsigned int s = ((unsigned int)sk_qr_width(qr) + 2 * margin) * scale;
	unsigned int x, y;
	uint8_t *g;

	if ((g = malloc((size_t)s * s)) == NULL)
		abort();
	for (y = 0; y < s; y++)
		for (x = 0; x < s; x++)
			g[(size_t)y * s + x] = sk_qr_module(qr,
			    (int)(x / scale) - (int)margin,
			    (int)(y / scale) - (int)margin) ? 0 : 255;
	*side = s;
	return g;
}

static void
check_decode_png(const struct sk_buf *png, const char *want, size_t len)
{
	struct sk_buf t;

	sk_buf_init(&t, 8192);
	SKT_RC(sk_qr_decode_png(png->data, png->len, &t), 0);
	SKT_MEMEQ(t.data, t.len, want, len);
	sk_buf_free(&t);
}

/* ISO/IEC 18004 Table 7: characters per version at the mode boundaries. */
static void
test_capacity(void)
{
	static const struct {
		enum sk_qr_ecc	ecc;
		size_t		an1, an40, b1, b40;
	} cap[] = {
		{ SK_QR_ECC_L, 25, 4296, 17, 2953 },
		{ SK_QR_ECC_M, 20, 3391, 14, 2331 },
		{ SK_QR_ECC_Q, 16, 2420, 11, 1663 },
		{ SK_QR_ECC_H, 10, 1852, 7, 1273 },
	};
	size_t i;

	for (i = 0; i < sizeof(cap) / sizeof(cap[0]); i++) {
		SKT_EQ(version_for(cap[i].an1, b45, cap[i].ecc), 1);
		SKT_EQ(version_for(cap[i].an1 + 1, b45, cap[i].ecc), 2);
		SKT_EQ(version_for(cap[i].an40, b45, cap[i].ecc), 40);
		SKT_EQ(version_for(cap[i].an40 + 1, b45, cap[i].ecc),
		    SK_ERR_LIMIT);
		/* Lower case is not alphanumeric: 8-bit mode. */
		SKT_EQ(version_for(cap[i].b1, lower, cap[i].ecc), 1);
		SKT_EQ(version_for(cap[i].b1 + 1, lower, cap[i].ecc), 2);
		SKT_EQ(version_for(cap[i].b40, lower, cap[i].ecc), 40);
		SKT_EQ(version_for(cap[i].b40 + 1, lower, cap[i].ecc),
		    SK_ERR_LIMIT);
	}
	SKT_EQ(SK_QR_MAX_TEXT, 4296);
}

static void
test_args(void)
{
	struct sk_qr *qr = (struct sk_qr *)1;

	SKT_RC(sk_qr_encode("A", 0, SK_QR_ECC_M, &qr), SK_ERR_ARG);
	SKT_CHECK(qr == NULL);
	qr = (struct sk_qr *)1;
	SKT_RC(sk_qr_encode("A", 1, (enum sk_qr_ecc)4, &qr), SK_ERR_ARG);
	SKT_CHECK(qr == NULL);
	SKT_RC(sk_qr_encode(NULL, 1, SK_QR_ECC_M, &qr), SK_ERR_ARG);
	SKT_EQ(version_for(SK_QR_MAX_TEXT + 1, b45, SK_QR_ECC_L),
	    SK_ERR_LIMIT);
	SKT_EQ(version_for(100000, b45, SK_QR_ECC_L), SK_ERR_LIMIT);
	/* Checked before any narrowing: 2^32 + 5 must not become 5. */
	if (SIZE_MAX > UINT32_MAX) {
		SKT_RC(sk_qr_encode("HELLO", (size_t)UINT32_MAX + 6,
		    SK_QR_ECC_M, &qr), SK_ERR_LIMIT);
		SKT_CHECK(qr == NULL);
	}
	sk_qr_free(NULL);
}

/* Finder patterns (7x7 rings) and timing patterns, section 6.3. */
static void
check_structure(const struct sk_qr *qr)
{
	int w = sk_qr_width(qr), i, j, d, bad = 0;
	static const int ox[3] = { 0, 1, 0 }, oy[3] = { 0, 0, 1 };
	int k, x0, y0;

	for (k = 0; k < 3; k++) {
		x0 = ox[k] * (w - 7);
		y0 = oy[k] * (w - 7);
		for (j = 0; j < 7; j++)
			for (i = 0; i < 7; i++) {
				d = abs(i - 3) > abs(j - 3) ? abs(i - 3) :
				    abs(j - 3);
				bad += sk_qr_module(qr, x0 + i, y0 + j) !=
				    (d != 2);
			}
	}
	for (i = 8; i < w - 8; i++) {
		bad += sk_qr_module(qr, i, 6) != (i % 2 == 0);
		bad += sk_qr_module(qr, 6, i) != (i % 2 == 0);
	}
	SKT_EQ(bad, 0);
	SKT_EQ(sk_qr_module(qr, -1, 0), 0);
	SKT_EQ(sk_qr_module(qr, 0, -1), 0);
	SKT_EQ(sk_qr_module(qr, w, 0), 0);
	SKT_EQ(sk_qr_module(qr, 0, w), 0);
	SKT_EQ(sk_qr_module(qr, 0, 0), 1);
}

/* A credential-sized text fits version 20 at M (PRODUCT.md). */
static void
test_typical(void)
{
	char *t = make_text("LC1:", 600, b45);
	struct sk_qr *qr = encode_ok(t, strlen(t), SK_QR_ECC_DEFAULT);
	struct sk_buf png;

	if (qr == NULL)
		return;
	printf("# LC1: + 600 base45 at M: version %d\n", sk_qr_version(qr));
	SKT_CHECK(sk_qr_version(qr) <= 20);
	/*
	 * Table 7: v15-M has 415 data codewords, 4 + 11 header bits, so
	 * (3320 - 15) / 11 * 2 = 600 characters; v16-M (453) holds 656.
	 */
	SKT_EQ(sk_qr_version(qr), 16);
	SKT_EQ(version_for(600, b45, SK_QR_ECC_M), 15);
	SKT_EQ(version_for(601, b45, SK_QR_ECC_M), 16);
	SKT_EQ(version_for(656, b45, SK_QR_ECC_M), 16);
	SKT_EQ(version_for(657, b45, SK_QR_ECC_M), 17);
	SKT_EQ(sk_qr_width(qr), 17 + 4 * sk_qr_version(qr));
	check_structure(qr);
	sk_buf_init(&png, 1 << 20);
	SKT_RC(sk_qr_write_png(qr, SK_QR_DEFAULT_SCALE, SK_QR_DEFAULT_MARGIN,
	    &png), 0);
	check_decode_png(&png, t, strlen(t));
	sk_buf_free(&png);
	sk_qr_free(qr);
	free(t);
}

/* Read our PNG with libpng's simplified API and compare every pixel. */
static void
check_png_pixels(const struct sk_qr *qr, const struct sk_buf *png,
    unsigned int scale, unsigned int margin)
{
	png_image im;
	unsigned int side;
	uint8_t *want, *got;
	size_t n;

	want = draw_gray(qr, scale, margin, &side);
	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	SKT_CHECK(png_image_begin_read_from_memory(&im, png->data, png->len));
	SKT_EQ(im.width, side);
	SKT_EQ(im.height, side);
	im.format = PNG_FORMAT_GRAY;
	n = PNG_IMAGE_SIZE(im);
	if ((got = malloc(n)) == NULL)
		abort();
	SKT_CHECK(png_image_finish_read(&im, NULL, got, 0, NULL));
	SKT_MEMEQ(got, n, want, (size_t)side * side);
	free(got);
	free(want);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
test_png_format(void)
{
	struct sk_qr *qr = encode_ok("LC1:6BFOXN*TS0BI$ZD4N9", 22, SK_QR_ECC_M);
	static const unsigned int scales[] = { 1, 3, 8, SK_QR_MAX_SCALE };
	static const unsigned int margins[] = { 0, 4, SK_QR_MAX_MARGIN };
	struct sk_buf a, b;
	size_t i, j;

	if (qr == NULL)
		return;
	for (i = 0; i < 4; i++)
		for (j = 0; j < 3; j++) {
			sk_buf_init(&a, 1 << 22);
			SKT_RC(sk_qr_write_png(qr, scales[i], margins[j], &a),
			    0);
			SKT_CHECK(a.len > 33 && png_sig_cmp(a.data, 0, 8) == 0);
			SKT_EQ(be32(a.data + 16), (sk_qr_width(qr) +
			    2 * margins[j]) * scales[i]);
			SKT_EQ(a.data[24], 1);	/* bit depth */
			SKT_EQ(a.data[25], 0);	/* gray */
			SKT_EQ(a.data[28], 0);	/* not interlaced */
			check_png_pixels(qr, &a, scales[i], margins[j]);
			sk_buf_free(&a);
		}
	/* Deterministic: no time chunk. */
	sk_buf_init(&a, 1 << 20);
	sk_buf_init(&b, 1 << 20);
	SKT_RC(sk_qr_write_png(qr, 8, 4, &a), 0);
	SKT_RC(sk_qr_write_png(qr, 8, 4, &b), 0);
	SKT_MEMEQ(a.data, a.len, b.data, b.len);
	sk_buf_free(&a);
	sk_buf_free(&b);
	sk_qr_free(qr);
}

static void
test_render_errors(void)
{
	struct sk_qr *qr = encode_ok("HELLO", 5, SK_QR_ECC_M);
	struct sk_buf b;

	if (qr == NULL)
		return;
	sk_buf_init(&b, 1 << 20);
	SKT_RC(sk_qr_write_png(qr, 0, 4, &b), SK_ERR_ARG);
	SKT_RC(sk_qr_write_png(qr, SK_QR_MAX_SCALE + 1, 4, &b), SK_ERR_ARG);
	SKT_RC(sk_qr_write_png(qr, 8, SK_QR_MAX_MARGIN + 1, &b), SK_ERR_ARG);
	SKT_RC(sk_qr_write_svg(qr, 0, 4, &b), SK_ERR_ARG);
	SKT_RC(sk_qr_write_svg(qr, 1, SK_QR_MAX_MARGIN + 1, &b), SK_ERR_ARG);
	SKT_RC(sk_qr_write_text(qr, SK_QR_MAX_MARGIN + 1, 0, &b), SK_ERR_ARG);
	SKT_EQ(b.len, 0);
	sk_buf_free(&b);
	/* Too small an output: SK_ERR_LIMIT and the prefix untouched. */
	sk_buf_init(&b, 40);
	SKT_RC(sk_buf_append(&b, "xy", 2), 0);
	SKT_RC(sk_qr_write_png(qr, 8, 4, &b), SK_ERR_LIMIT);
	SKT_RC(sk_qr_write_svg(qr, 8, 4, &b), SK_ERR_LIMIT);
	SKT_RC(sk_qr_write_text(qr, 4, 1, &b), SK_ERR_LIMIT);
	SKT_MEMEQ(b.data, b.len, "xy", 2);
	sk_buf_free(&b);
	sk_qr_free(qr);
}

/* Every ECC level, several scales and margins, our writer to our reader. */
static void
test_png_round_trip(void)
{
	static const unsigned int scales[] = { 2, 3, 8 };
	static const unsigned int margins[] = { 2, 4, 10 };
	char *t[3];
	struct sk_qr *qr;
	struct sk_buf png;
	size_t i, j;
	int e;

	t[0] = make_text("LC1:", 300, b45);
	t[1] = make_text("https://certd.example/v/", 40, lower);
	t[2] = make_text("LC1:", 1800, b45);
	for (i = 0; i < 3; i++)
		for (e = SK_QR_ECC_L; e <= SK_QR_ECC_H; e++) {
			qr = encode_ok(t[i], strlen(t[i]), (enum sk_qr_ecc)e);
			if (qr == NULL)
				continue;
			j = (i + (size_t)e) % 3;
			sk_buf_init(&png, 1 << 22);
			SKT_RC(sk_qr_write_png(qr, scales[j], margins[j],
			    &png), 0);
			check_decode_png(&png, t[i], strlen(t[i]));
			sk_buf_free(&png);
			sk_qr_free(qr);
		}
	for (i = 0; i < 3; i++)
		free(t[i]);
}

/* Images drawn here, not by our PNG writer; bytes outside ASCII too. */
static void
test_decode_gray(void)
{
	static const char bin[] = "A\0B\xff\x80 \xe4\xb8\xad";
	struct sk_qr *qr;
	struct sk_buf t;
	unsigned int side;
	uint8_t *g;

	qr = encode_ok(bin, sizeof(bin) - 1, SK_QR_ECC_Q);
	if (qr == NULL)
		return;
	g = draw_gray(qr, 4, 4, &side);
	sk_buf_init(&t, 1024);
	SKT_RC(sk_buf_append(&t, "xy", 2), 0);
	SKT_RC(sk_qr_decode_gray(g, side, side, &t), 0);
	SKT_MEMEQ(t.data, t.len, "xy" "A\0B\xff\x80 \xe4\xb8\xad", 2 +
	    sizeof(bin) - 1);
	sk_buf_free(&t);
	/* The text does not fit the output: nothing appended. */
	sk_buf_init(&t, 4);
	SKT_RC(sk_qr_decode_gray(g, side, side, &t), SK_ERR_LIMIT);
	SKT_EQ(t.len, 0);
	SKT_RC(sk_qr_decode_gray(g, 0, side, &t), SK_ERR_ARG);
	SKT_RC(sk_qr_decode_gray(g, SK_QR_PNG_MAX_DIM + 1, 1, &t),
	    SK_ERR_LIMIT);
	/* All white. */
	memset(g, 255, (size_t)side * side);
	SKT_RC(sk_qr_decode_gray(g, side, side, &t), SK_ERR_NOTFOUND);
	sk_buf_free(&t);
	free(g);
	sk_qr_free(qr);
}

static void
write_simple(png_image *im, const void *px, const void *cmap,
    struct sk_buf *out)
{
	png_alloc_size_t n = 0;
	uint8_t *p;

	SKT_CHECK(png_image_write_to_memory(im, NULL, &n, 0, px, 0, cmap));
	SKT_RC(sk_buf_extend(out, n, &p), 0);
	SKT_CHECK(png_image_write_to_memory(im, p, &n, 0, px, 0, cmap));
}

/* The QR as a PNG of the given simplified-API format. */
static void
png_variant(const uint8_t *g, unsigned int side, uint32_t format,
    struct sk_buf *out)
{
	static const uint8_t cmap[6] = { 0, 0, 0, 255, 255, 255 };
	png_image im;
	size_t n = (size_t)side * side, i, ch;
	uint8_t *px;
	uint16_t *px16;
	int dark;

	memset(&im, 0, sizeof(im));
	im.version = PNG_IMAGE_VERSION;
	im.width = im.height = side;
	im.format = format;
	if (format == PNG_FORMAT_RGB_COLORMAP)
		im.colormap_entries = 2;
	if ((px = calloc(n, 8)) == NULL)
		abort();
	px16 = (uint16_t *)(void *)px;
	ch = PNG_IMAGE_SAMPLE_CHANNELS(format);
	for (i = 0; i < n; i++) {
		dark = g[i] == 0;
		if (format == PNG_FORMAT_LINEAR_Y)
			px16[i] = dark ? 0 : 65535;
		else if (format == PNG_FORMAT_RGB_COLORMAP)
			px[i] = dark ? 0 : 1;
		else if (format == PNG_FORMAT_GA) {
			/* Light modules transparent black. */
			px[2 * i] = 0;
			px[2 * i + 1] = dark ? 255 : 0;
		} else if (format == PNG_FORMAT_RGBA)
			px[4 * i + 3] = dark ? 255 : 0;
		else if (format == PNG_FORMAT_RGB) {
			/* Navy on pale yellow. */
			px[3 * i] = dark ? 0 : 255;
			px[3 * i + 1] = dark ? 0 : 255;
			px[3 * i + 2] = dark ? 128 : 200;
		} else
			memset(px + ch * i, g[i], ch);
	}
	write_simple(&im, px, cmap, out);
	free(px);
}

struct test_pngw {
	png_structp	 png;
	png_infop	 info;
	png_bytep	*rows;
	struct sk_buf	*out;
};

static void
test_png_write_cb(png_structp png, png_bytep data, size_t len)
{
	struct test_pngw *w = png_get_io_ptr(png);

	if (sk_buf_append(w->out, data, len) != 0)
		png_error(png, "output");
}

static void
test_png_flush_cb(png_structp png)
{
	(void)png;
}

static int
test_png_emit(struct test_pngw *w, unsigned int side)
{
	if (setjmp(png_jmpbuf(w->png)))
		return -1;
	png_set_write_fn(w->png, w, test_png_write_cb, test_png_flush_cb);
	png_set_IHDR(w->png, w->info, side, side, 2, PNG_COLOR_TYPE_GRAY,
	    PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	png_write_info(w->png, w->info);
	png_write_image(w->png, w->rows);
	png_write_end(w->png, NULL);
	return 0;
}

/* The QR as a 2-bit gray, Adam7-interlaced PNG (libpng's classic API). */
static void
png_interlaced(const uint8_t *g, unsigned int side, struct sk_buf *out)
{
	struct test_pngw w;
	size_t rb = (side + 3) / 4, x, y;
	uint8_t *px;

	memset(&w, 0, sizeof(w));
	w.out = out;
	if ((px = calloc(side, rb)) == NULL ||
	    (w.rows = calloc(side, sizeof(*w.rows))) == NULL)
		abort();
	for (y = 0; y < side; y++) {
		w.rows[y] = px + y * rb;
		for (x = 0; x < side; x++)
			if (g[y * side + x] != 0)
				w.rows[y][x / 4] |= (uint8_t)(3u << (6 -
				    2 * (x % 4)));
	}
	w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
	    NULL);
	SKT_CHECK(w.png != NULL && (w.info = png_create_info_struct(w.png)));
	SKT_EQ(test_png_emit(&w, side), 0);
	png_destroy_write_struct(&w.png, &w.info);
	free(w.rows);
	free(px);
	SKT_CHECK(out->len > 29 && out->data[24] == 2 && out->data[28] == 1);
}

/* Every colour type, 16-bit, palette, alpha and interlace decode. */
static void
test_png_variants(void)
{
	static const uint32_t formats[] = {
		PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB,
		PNG_FORMAT_RGBA, PNG_FORMAT_LINEAR_Y, PNG_FORMAT_RGB_COLORMAP,
	};
	char *t = make_text("LC1:", 120, b45);
	struct sk_qr *qr = encode_ok(t, strlen(t), SK_QR_ECC_M);
	struct sk_buf png;
	unsigned int side;
	uint8_t *g;
	size_t i;

	if (qr == NULL)
		return;
	g = draw_gray(qr, 3, 4, &side);
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		sk_buf_init(&png, 1 << 22);
		png_variant(g, side, formats[i], &png);
		check_decode_png(&png, t, strlen(t));
		sk_buf_free(&png);
	}
	sk_buf_init(&png, 1 << 22);
	png_interlaced(g, side, &png);
	check_decode_png(&png, t, strlen(t));
	sk_buf_free(&png);
	free(g);
	sk_qr_free(qr);
	free(t);
}

static void
test_png_no_qr(void)
{
	struct sk_buf png, t;
	uint8_t *g;
	uint32_t x = 1;
	size_t i;

	if ((g = malloc(160 * 160)) == NULL)
		abort();
	memset(g, 255, 160 * 160);
	sk_buf_init(&t, 1024);
	sk_buf_init(&png, 1 << 20);
	png_variant(g, 160, PNG_FORMAT_GRAY, &png);
	SKT_RC(sk_qr_decode_png(png.data, png.len, &t), SK_ERR_NOTFOUND);
	sk_buf_free(&png);
	for (i = 0; i < 160 * 160; i++) {
		x = x * 1103515245u + 12345u;
		g[i] = (x >> 16) & 1 ? 0 : 255;
	}
	png_variant(g, 160, PNG_FORMAT_GRAY, &png);
	SKT_RC(sk_qr_decode_png(png.data, png.len, &t), SK_ERR_NOTFOUND);
	SKT_EQ(t.len, 0);
	sk_buf_free(&png);
	sk_buf_free(&t);
	free(g);
}

/* A PNG signature and an IHDR chunk with a correct CRC, nothing else. */
static size_t
ihdr_only(uint8_t p[33], uint32_t w, uint32_t h)
{
	static const uint8_t head[16] = { 0x89, 'P', 'N', 'G', '\r', '\n',
	    0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R' };
	uint32_t crc;
	int i;

	memcpy(p, head, 16);
	for (i = 0; i < 4; i++) {
		p[16 + i] = (uint8_t)(w >> (24 - 8 * i));
		p[20 + i] = (uint8_t)(h >> (24 - 8 * i));
	}
	p[24] = 8;
	p[25] = p[26] = p[27] = p[28] = 0;
	crc = (uint32_t)crc32(0, p + 12, 17);
	for (i = 0; i < 4; i++)
		p[29 + i] = (uint8_t)(crc >> (24 - 8 * i));
	return 33;
}

static void
test_png_limits(void)
{
	uint8_t h[33], *big;
	struct sk_buf t;
	int rc;

	sk_buf_init(&t, 1024);
	SKT_RC(sk_qr_decode_png(h, ihdr_only(h, SK_QR_PNG_MAX_DIM + 1, 10),
	    &t), SK_ERR_LIMIT);
	SKT_RC(sk_qr_decode_png(h, ihdr_only(h, 10, SK_QR_PNG_MAX_DIM + 1),
	    &t), SK_ERR_LIMIT);
	SKT_RC(sk_qr_decode_png(h, ihdr_only(h, 0x7fffffff, 0x7fffffff),
	    &t), SK_ERR_LIMIT);
	/* At the limit the header passes; the missing IDAT does not. */
	rc = sk_qr_decode_png(h, ihdr_only(h, SK_QR_PNG_MAX_DIM,
	    SK_QR_PNG_MAX_DIM), &t);
	SKT_RC(rc, SK_ERR_TRUNCATED);
	if ((big = calloc(1, SK_QR_PNG_MAX_BYTES + 1)) == NULL)
		abort();
	memcpy(big, h, ihdr_only(h, 100, 100));
	SKT_RC(sk_qr_decode_png(big, SK_QR_PNG_MAX_BYTES + 1, &t),
	    SK_ERR_LIMIT);
	free(big);
	SKT_EQ(t.len, 0);
	sk_buf_free(&t);
}

static void
test_png_malformed(void)
{
	static const char notpng[] = "GIF89a, not a PNG image at all";
	struct sk_qr *qr = encode_ok("LC1:ABC", 7, SK_QR_ECC_M);
	struct sk_buf png, t;
	uint8_t *p;
	size_t i;
	int rc, fails = 0;

	if (qr == NULL)
		return;
	sk_buf_init(&png, 1 << 20);
	sk_buf_init(&t, 1024);
	SKT_RC(sk_qr_write_png(qr, 2, 4, &png), 0);
	SKT_RC(sk_qr_decode_png((const uint8_t *)notpng, strlen(notpng), &t),
	    SK_ERR_FORMAT);
	SKT_RC(sk_qr_decode_png(png.data, 0, &t), SK_ERR_TRUNCATED);
	/* Every truncation fails cleanly (until only IEND is missing). */
	for (i = 0; i + 12 < png.len; i++) {
		if ((p = malloc(i + 1)) == NULL)
			abort();
		memcpy(p, png.data, i);
		rc = sk_qr_decode_png(p, i, &t);
		fails += rc == 0 || t.len != 0;
		free(p);
	}
	SKT_EQ(fails, 0);
	/* Every single-byte corruption: an error, or the right text. */
	for (i = 0; i < png.len; i++) {
		png.data[i] ^= 0x55;
		rc = sk_qr_decode_png(png.data, png.len, &t);
		fails += rc == 0 ? t.len != 7 || memcmp(t.data, "LC1:ABC", 7)
		    : t.len != 0;
		sk_buf_reset(&t);
		png.data[i] ^= 0x55;
	}
	SKT_EQ(fails, 0);
	check_decode_png(&png, "LC1:ABC", 7);
	sk_buf_free(&png);
	sk_buf_free(&t);
	sk_qr_free(qr);
}

/* Parse our own path syntax back into modules and compare. */
static void
check_svg(const struct sk_qr *qr, const struct sk_buf *svg,
    unsigned int scale, unsigned int margin)
{
	int w = sk_qr_width(qr), side = w + 2 * (int)margin, x, y, n, n2, k;
	char want[160], *s, *d, *end;
	uint8_t *m;
	int bad = 0;

	if ((s = malloc(svg->len + 1)) == NULL ||
	    (m = calloc((size_t)side * side, 1)) == NULL)
		abort();
	memcpy(s, svg->data, svg->len);
	s[svg->len] = '\0';
	snprintf(want, sizeof(want), "width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\"",
	    side * (int)scale, side * (int)scale, side, side);
	SKT_CHECK(strstr(s, want) != NULL);
	SKT_CHECK(strstr(s, "href") == NULL && strstr(s, "<script") == NULL &&
	    strstr(s, "style") == NULL);
	SKT_CHECK(strstr(s, "</svg>\n") == s + svg->len - 7);
	d = strstr(s, " d=\"");
	SKT_CHECK(d != NULL && strstr(d + 1, "<path") == NULL);
	for (d = d == NULL ? s + svg->len : d + 4; *d == 'M'; d = end + 1) {
		x = (int)strtol(d + 1, &end, 10);
		y = (int)strtol(end + 1, &end, 10);
		n = (int)strtol(end + 1, &end, 10);
		if (strncmp(end, "v1h-", 4) != 0)
			break;
		n2 = (int)strtol(end + 4, &end, 10);
		if (*end != 'z' || n2 != n || n < 1 || x < 0 || y < 0 ||
		    x + n > side || y >= side)
			break;
		for (k = 0; k < n; k++)
			m[y * side + x + k]++;
	}
	SKT_CHECK(strncmp(d, "\"/>", 3) == 0);
	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++)
			bad += m[y * side + x] != sk_qr_module(qr,
			    x - (int)margin, y - (int)margin);
	SKT_EQ(bad, 0);
	free(m);
	free(s);
}

static void
test_svg(void)
{
	char *t = make_text("LC1:", 200, b45);
	struct sk_qr *qr = encode_ok(t, strlen(t), SK_QR_ECC_H);
	struct sk_buf svg;

	if (qr == NULL)
		return;
	sk_buf_init(&svg, 1 << 20);
	SKT_RC(sk_qr_write_svg(qr, 5, 4, &svg), 0);
	check_svg(qr, &svg, 5, 4);
	sk_buf_reset(&svg);
	SKT_RC(sk_qr_write_svg(qr, 1, 0, &svg), 0);
	check_svg(qr, &svg, 1, 0);
	sk_buf_free(&svg);
	sk_qr_free(qr);
	free(t);
}

/* Half blocks back to two rows of ink each; compare with the modules. */
static void
check_text(const struct sk_qr *qr, const struct sk_buf *txt, int margin,
    int invert)
{
	int side = sk_qr_width(qr) + 2 * margin, x, y = 0, ink[2], bad = 0;
	size_t i = 0;

	while (i < txt->len && y < side) {
		for (x = 0; x < side; x++) {
			if (txt->data[i] == ' ') {
				ink[0] = ink[1] = 0;
				i++;
			} else if (i + 3 <= txt->len &&
			    memcmp(txt->data + i, "\xe2\x96", 2) == 0) {
				ink[0] = txt->data[i + 2] == 0x80 ||
				    txt->data[i + 2] == 0x88;
				ink[1] = txt->data[i + 2] == 0x84 ||
				    txt->data[i + 2] == 0x88;
				bad += !ink[0] && !ink[1];
				i += 3;
			} else {
				bad++;
				break;
			}
			bad += ink[0] != (sk_qr_module(qr, x - margin,
			    y - margin) ^ invert);
			if (y + 1 < side)
				bad += ink[1] != (sk_qr_module(qr, x - margin,
				    y + 1 - margin) ^ invert);
			else
				bad += ink[1];
		}
		bad += i >= txt->len || txt->data[i++] != '\n';
		y += 2;
	}
	SKT_EQ(bad, 0);
	SKT_EQ(i, txt->len);
	SKT_EQ(y, side + 1);	/* width is odd: side + 1 rows of text */
}

static void
test_text(void)
{
	struct sk_qr *qr = encode_ok("LC1:TEXT RENDER", 15, SK_QR_ECC_M);
	struct sk_buf b;
	int m, inv;

	if (qr == NULL)
		return;
	for (m = 0; m <= 4; m += 2)
		for (inv = 0; inv <= 1; inv++) {
			sk_buf_init(&b, 1 << 16);
			SKT_RC(sk_qr_write_text(qr, (unsigned int)m, inv, &b),
			    0);
			check_text(qr, &b, m, inv);
			sk_buf_free(&b);
		}
	sk_qr_free(qr);
}

int
main(void)
{
	SKT_RUN(test_capacity);
	SKT_RUN(test_args);
	SKT_RUN(test_typical);
	SKT_RUN(test_png_format);
	SKT_RUN(test_render_errors);
	SKT_RUN(test_png_round_trip);
	SKT_RUN(test_decode_gray);
	SKT_RUN(test_png_variants);
	SKT_RUN(test_png_no_qr);
	SKT_RUN(test_png_limits);
	SKT_RUN(test_png_malformed);
	SKT_RUN(test_svg);
	SKT_RUN(test_text);
	return skt_done();
}
