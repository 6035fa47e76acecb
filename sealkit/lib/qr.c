/*
 * QR codes (sealkit/qr.h): encode with libqrencode, render as PNG, SVG or
 * UTF-8 text, decode PNG or gray images with libzbar.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>
#include <zbar.h>

#include "sealkit/qr.h"

struct sk_qr {
	int	 version;
	int	 width;
	uint8_t	*mod;		/* width * width, 1 dark, by rows */
};

/* ISO/IEC 18004 section 7.4.4, Table 5. */
static const char qr_alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static int
qr_is_alnum(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] == '\0' || strchr(qr_alnum, text[i]) == NULL)
			return 0;
	return 1;
}

static const QRecLevel qr_levels[] = {
	[SK_QR_ECC_L] = QR_ECLEVEL_L,
	[SK_QR_ECC_M] = QR_ECLEVEL_M,
	[SK_QR_ECC_Q] = QR_ECLEVEL_Q,
	[SK_QR_ECC_H] = QR_ECLEVEL_H,
};

static int
qr_errno_to_sk(int e)
{
	switch (e) {
	case ERANGE:
		return SK_ERR_LIMIT;
	case ENOMEM:
		return SK_ERR_NOMEM;
	default:
		return SK_ERR_INTERNAL;
	}
}

/* Copy libqrencode's symbol: bit 0 of each byte is the module colour. */
static int
qr_from_qrcode(const QRcode *code, struct sk_qr **out)
{
	struct sk_qr *qr;
	size_t i, n;

	if (code->width != 17 + 4 * code->version || code->version < 1 ||
	    code->version > QRSPEC_VERSION_MAX)
		return SK_ERR_INTERNAL;
	n = (size_t)code->width * (size_t)code->width;
	if ((qr = calloc(1, sizeof(*qr))) == NULL)
		return SK_ERR_NOMEM;
	if ((qr->mod = malloc(n)) == NULL) {
		free(qr);
		return SK_ERR_NOMEM;
	}
	for (i = 0; i < n; i++)
		qr->mod[i] = code->data[i] & 1;
	qr->version = code->version;
	qr->width = code->width;
	*out = qr;
	return 0;
}

int
sk_qr_encode(const char *text, size_t len, enum sk_qr_ecc ecc,
    struct sk_qr **out)
{
	QRinput *in;
	QRcode *code;
	QRencodeMode mode;
	int rc;

	*out = NULL;
	if (text == NULL || len == 0 ||
	    (unsigned int)ecc > (unsigned int)SK_QR_ECC_H)
		return SK_ERR_ARG;
	if (len > SK_QR_MAX_TEXT)
		return SK_ERR_LIMIT;
	/*
	 * One explicit segment: QRcode_encodeString() accepts only the
	 * QR_MODE_8 and QR_MODE_KANJI hints and needs a NUL-terminated
	 * string.  Version 0 lets libqrencode pick the smallest.
	 */
	mode = qr_is_alnum(text, len) ? QR_MODE_AN : QR_MODE_8;
	if ((in = QRinput_new2(0, qr_levels[ecc])) == NULL)
		return qr_errno_to_sk(errno);
	errno = 0;
	if (QRinput_append(in, mode, (int)len,
	    (const unsigned char *)text) != 0) {
		rc = qr_errno_to_sk(errno);
		QRinput_free(in);
		return rc;
	}
	errno = 0;
	code = QRcode_encodeInput(in);
	rc = code == NULL ? qr_errno_to_sk(errno) : qr_from_qrcode(code, out);
	QRcode_free(code);
	QRinput_free(in);
	return rc;
}

void
sk_qr_free(struct sk_qr *qr)
{
	if (qr == NULL)
		return;
	free(qr->mod);
	free(qr);
}

int
sk_qr_version(const struct sk_qr *qr)
{
	return qr->version;
}

int
sk_qr_width(const struct sk_qr *qr)
{
	return qr->width;
}

int
sk_qr_module(const struct sk_qr *qr, int x, int y)
{
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return 0;
	return qr->mod[(size_t)y * (size_t)qr->width + (size_t)x];
}

/* Renderers build into a scratch buffer so that out changes only on success. */
static void
qr_scratch_init(struct sk_buf *tmp, const struct sk_buf *out)
{
	sk_buf_init(tmp, out->max - out->len);
}

static int
qr_scratch_commit(struct sk_buf *tmp, struct sk_buf *out, int rc)
{
	if (rc == 0)
		rc = sk_buf_append(out, tmp->data, tmp->len);
	sk_buf_free(tmp);
	return rc;
}

static int
qr_check_render(unsigned int scale, unsigned int margin)
{
	if (scale == 0 || scale > SK_QR_MAX_SCALE || margin > SK_QR_MAX_MARGIN)
		return SK_ERR_ARG;
	return 0;
}

/* PNG output. */

struct qr_pngw {
	png_structp	 png;
	png_infop	 info;
	uint8_t		*row;
	size_t		 rowbytes;
	struct sk_buf	 tmp;
	int		 rc;	/* why a callback raised png_error */
};

static void
qr_png_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void
qr_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void
qr_png_write_cb(png_structp png, png_bytep data, size_t len)
{
	struct qr_pngw *w = png_get_io_ptr(png);
	int rc;

	if ((rc = sk_buf_append(&w->tmp, data, len)) != 0) {
		w->rc = rc;
		png_error(png, "output");
	}
}

/* png_write_end() flushes; the default flush would fflush(io_ptr). */
static void
qr_png_flush_cb(png_structp png)
{
	(void)png;
}

/* One pixel row for module row my (possibly in the margin); 0 bits black. */
static void
qr_png_fill_row(const struct sk_qr *qr, unsigned int scale, int margin,
    int my, struct qr_pngw *w, uint32_t side)
{
	uint32_t px;
	int mx;

	memset(w->row, 0xff, w->rowbytes);
	for (px = 0; px < side; px++) {
		mx = (int)(px / scale) - margin;
		if (sk_qr_module(qr, mx, my))
			w->row[px / 8] &= (uint8_t)~(0x80u >> (px % 8));
	}
}

static void
qr_png_rows(const struct sk_qr *qr, unsigned int scale, int margin,
    struct qr_pngw *w, uint32_t side)
{
	uint32_t py;

	for (py = 0; py < side; py++) {
		if (py % scale == 0)
			qr_png_fill_row(qr, scale, margin, (int)(py / scale) -
			    margin, w, side);
		png_write_row(w->png, w->row);
	}
}

/* Everything libpng may longjmp out of; all state lives in *w. */
static int
qr_png_emit(const struct sk_qr *qr, unsigned int scale, int margin,
    struct qr_pngw *w, uint32_t side)
{
	if (setjmp(png_jmpbuf(w->png)))
		return w->rc != 0 ? w->rc : SK_ERR_INTERNAL;
	png_set_write_fn(w->png, w, qr_png_write_cb, qr_png_flush_cb);
	png_set_IHDR(w->png, w->info, side, side, 1, PNG_COLOR_TYPE_GRAY,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(w->png, 9);
	png_write_info(w->png, w->info);
	qr_png_rows(qr, scale, margin, w, side);
	png_write_end(w->png, NULL);
	return 0;
}

int
sk_qr_write_png(const struct sk_qr *qr, unsigned int scale,
    unsigned int margin, struct sk_buf *out)
{
	struct qr_pngw w;
	uint32_t side;
	int rc;

	if ((rc = qr_check_render(scale, margin)) != 0)
		return rc;
	/* At most (177 + 2 * 16) * 32 pixels: no overflow possible. */
	side = ((uint32_t)qr->width + 2 * margin) * scale;
	memset(&w, 0, sizeof(w));
	qr_scratch_init(&w.tmp, out);
	w.rowbytes = (side + 7) / 8;
	if ((w.row = malloc(w.rowbytes)) == NULL)
		return SK_ERR_NOMEM;
	w.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	    qr_png_error, qr_png_warning);
	if (w.png == NULL || (w.info = png_create_info_struct(w.png)) == NULL)
		rc = SK_ERR_NOMEM;
	else
		rc = qr_png_emit(qr, scale, (int)margin, &w, side);
	png_destroy_write_struct(&w.png, &w.info);
	free(w.row);
	return qr_scratch_commit(&w.tmp, out, rc);
}

/* SVG output. */

static int
qr_printf(struct sk_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
qr_printf(struct sk_buf *b, const char *fmt, ...)
{
	char s[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s, sizeof(s), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s))
		return SK_ERR_INTERNAL;
	return sk_buf_append(b, s, (size_t)n);
}

static int
qr_svg_head(struct sk_buf *b, unsigned int side, unsigned int scale)
{
	return qr_printf(b,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
	    "shape-rendering=\"crispEdges\">"
	    "<rect width=\"%u\" height=\"%u\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"",
	    side * scale, side * scale, side, side, side, side);
}

/* One rectangle per horizontal run of dark modules in row y. */
static int
qr_svg_row(struct sk_buf *b, const struct sk_qr *qr, int y, int margin)
{
	int x, run, rc;

	for (x = 0; x < qr->width; x += run) {
		run = 0;
		while (x + run < qr->width && sk_qr_module(qr, x + run, y))
			run++;
		if (run == 0) {
			run = 1;
			continue;
		}
		rc = qr_printf(b, "M%d %dh%dv1h-%dz", x + margin, y + margin,
		    run, run);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
sk_qr_write_svg(const struct sk_qr *qr, unsigned int scale,
    unsigned int margin, struct sk_buf *out)
{
	struct sk_buf tmp;
	int y, rc;

	if ((rc = qr_check_render(scale, margin)) != 0)
		return rc;
	qr_scratch_init(&tmp, out);
	rc = qr_svg_head(&tmp, (unsigned int)qr->width + 2 * margin, scale);
	for (y = 0; rc == 0 && y < qr->width; y++)
		rc = qr_svg_row(&tmp, qr, y, (int)margin);
	if (rc == 0)
		rc = qr_printf(&tmp, "\"/></svg>\n");
	return qr_scratch_commit(&tmp, out, rc);
}

/* UTF-8 text output. */

static const char *const qr_blocks[4] = {
	" ",			/* neither half inked */
	"\xe2\x96\x80",		/* U+2580 upper half block */
	"\xe2\x96\x84",		/* U+2584 lower half block */
	"\xe2\x96\x88",		/* U+2588 full block */
};

static int
qr_text_ink(const struct sk_qr *qr, int x, int y, int invert)
{
	return invert ? !sk_qr_module(qr, x, y) : sk_qr_module(qr, x, y);
}

/* Module rows y and y + 1 (y + 1 == end: none), columns -margin..w+margin. */
static int
qr_text_line(struct sk_buf *b, const struct sk_qr *qr, int y, int end,
    int margin, int invert)
{
	const char *g;
	int x, top, bot, rc;

	for (x = -margin; x < qr->width + margin; x++) {
		top = qr_text_ink(qr, x, y, invert);
		bot = y + 1 < end ? qr_text_ink(qr, x, y + 1, invert) : 0;
		g = qr_blocks[top | bot << 1];
		if ((rc = sk_buf_append(b, g, strlen(g))) != 0)
			return rc;
	}
	return sk_buf_putc(b, '\n');
}

int
sk_qr_write_text(const struct sk_qr *qr, unsigned int margin, int invert,
    struct sk_buf *out)
{
	struct sk_buf tmp;
	int y, end, rc;

	if ((rc = qr_check_render(1, margin)) != 0)
		return rc;
	qr_scratch_init(&tmp, out);
	end = qr->width + (int)margin;
	for (y = -(int)margin; rc == 0 && y < end; y += 2)
		rc = qr_text_line(&tmp, qr, y, end, (int)margin, invert != 0);
	return qr_scratch_commit(&tmp, out, rc);
}

/* Decoding. */

static int
qr_zbar_first(const zbar_image_t *img, struct sk_buf *out)
{
	const zbar_symbol_t *sym;

	for (sym = zbar_image_first_symbol(img); sym != NULL;
	    sym = zbar_symbol_next(sym))
		if (zbar_symbol_get_type(sym) == ZBAR_QRCODE)
			return sk_buf_append(out, zbar_symbol_get_data(sym),
			    zbar_symbol_get_data_length(sym));
	return SK_ERR_NOTFOUND;
}

static int
qr_zbar_config(zbar_image_scanner_t *sc)
{
	if (zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE,
	    1) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY,
	    1) != 0)
		return SK_ERR_INTERNAL;
	return 0;
}

int
sk_qr_decode_gray(const uint8_t *gray, unsigned int width,
    unsigned int height, struct sk_buf *text_out)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *img = NULL;
	size_t area;
	int n, rc;

	if (gray == NULL || width == 0 || height == 0)
		return SK_ERR_ARG;
	if (width > SK_QR_PNG_MAX_DIM || height > SK_QR_PNG_MAX_DIM ||
	    __builtin_mul_overflow((size_t)width, (size_t)height, &area))
		return SK_ERR_LIMIT;
	if ((sc = zbar_image_scanner_create()) == NULL)
		return SK_ERR_NOMEM;
	if ((rc = qr_zbar_config(sc)) != 0)
		goto out;
	if ((img = zbar_image_create()) == NULL) {
		rc = SK_ERR_NOMEM;
		goto out;
	}
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, width, height);
	zbar_image_set_data(img, gray, area, NULL);
	if ((n = zbar_scan_image(sc, img)) < 0)
		rc = SK_ERR_INTERNAL;
	else
		rc = n == 0 ? SK_ERR_NOTFOUND : qr_zbar_first(img, text_out);
out:
	if (img != NULL)
		zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	return rc;
}

struct qr_pngr {
	const uint8_t	*in;
	size_t		 len;
	size_t		 off;
	png_structp	 png;
	png_infop	 info;
	uint8_t		*img;	/* gray + alpha, then gray */
	png_bytep	*rows;
	uint32_t	 w, h;
	int		 rc;	/* why a callback raised png_error */
};

static void
qr_png_read_cb(png_structp png, png_bytep data, size_t len)
{
	struct qr_pngr *r = png_get_io_ptr(png);

	if (len > r->len - r->off) {
		r->rc = SK_ERR_TRUNCATED;
		png_error(png, "truncated");
	}
	memcpy(data, r->in + r->off, len);
	r->off += len;
}

static uint32_t
qr_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * PNG spec section 5.6: IHDR comes first, so its width and height sit at
 * bytes 16 and 20.  Checking them here gives SK_ERR_LIMIT rather than the
 * generic error that png_set_user_limits() makes libpng raise.
 */
static int
qr_png_check_dims(const uint8_t *p, size_t len)
{
	if (len < 24 || png_sig_cmp(p, 0, 8) != 0 ||
	    memcmp(p + 12, "IHDR", 4) != 0)
		return 0;	/* libpng reports the error */
	if (qr_be32(p + 16) > SK_QR_PNG_MAX_DIM ||
	    qr_be32(p + 20) > SK_QR_PNG_MAX_DIM)
		return SK_ERR_LIMIT;
	return 0;
}

/* Any colour type and depth to 8-bit gray + alpha. */
static void
qr_png_transforms(png_structp png, png_infop info)
{
	int ct = png_get_color_type(png, info);

	if (ct == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (ct == PNG_COLOR_TYPE_GRAY)
		png_set_expand_gray_1_2_4_to_8(png);
	if (png_get_valid(png, info, PNG_INFO_tRNS))
		png_set_tRNS_to_alpha(png);
	else if ((ct & PNG_COLOR_MASK_ALPHA) == 0)
		png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
	png_set_strip_16(png);
	if (ct == PNG_COLOR_TYPE_PALETTE || (ct & PNG_COLOR_MASK_COLOR) != 0)
		png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, -1, -1);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
}

static int
qr_png_alloc(struct qr_pngr *r)
{
	size_t rowbytes = (size_t)r->w * 2, i;

	if (png_get_rowbytes(r->png, r->info) != rowbytes ||
	    png_get_channels(r->png, r->info) != 2 ||
	    png_get_bit_depth(r->png, r->info) != 8)
		return SK_ERR_INTERNAL;
	/* w, h <= SK_QR_PNG_MAX_DIM: 2 * w * h cannot overflow. */
	if ((r->img = malloc(rowbytes * r->h)) == NULL ||
	    (r->rows = calloc(r->h, sizeof(*r->rows))) == NULL)
		return SK_ERR_NOMEM;
	for (i = 0; i < r->h; i++)
		r->rows[i] = r->img + i * rowbytes;
	return 0;
}

/* Everything libpng may longjmp out of; all state lives in *r. */
static int
qr_png_load(struct qr_pngr *r)
{
	int rc;

	if (setjmp(png_jmpbuf(r->png)))
		return r->rc != 0 ? r->rc : SK_ERR_FORMAT;
	png_set_read_fn(r->png, r, qr_png_read_cb);
	png_set_user_limits(r->png, SK_QR_PNG_MAX_DIM, SK_QR_PNG_MAX_DIM);
	png_set_chunk_cache_max(r->png, 64);
	png_set_chunk_malloc_max(r->png, 1024u * 1024u);
	png_read_info(r->png, r->info);
	r->w = png_get_image_width(r->png, r->info);
	r->h = png_get_image_height(r->png, r->info);
	qr_png_transforms(r->png, r->info);
	if ((rc = qr_png_alloc(r)) != 0)
		return rc;
	png_read_image(r->png, r->rows);
	return 0;
}

/* Composite gray + alpha onto white, in place, into w * h gray bytes. */
static void
qr_png_flatten(uint8_t *img, size_t npix)
{
	size_t i;
	unsigned int g, a;

	for (i = 0; i < npix; i++) {
		g = img[2 * i];
		a = img[2 * i + 1];
		img[i] = (uint8_t)((g * a + 255u * (255u - a) + 127u) / 255u);
	}
}

int
sk_qr_decode_png(const uint8_t *png, size_t len, struct sk_buf *text_out)
{
	struct qr_pngr r;
	int rc;

	if (png == NULL)
		return SK_ERR_ARG;
	if (len > SK_QR_PNG_MAX_BYTES)
		return SK_ERR_LIMIT;
	if ((rc = qr_png_check_dims(png, len)) != 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.in = png;
	r.len = len;
	r.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL,
	    qr_png_error, qr_png_warning);
	if (r.png == NULL || (r.info = png_create_info_struct(r.png)) == NULL)
		rc = SK_ERR_NOMEM;
	else
		rc = qr_png_load(&r);
	png_destroy_read_struct(&r.png, &r.info, NULL);
	if (rc == 0) {
		qr_png_flatten(r.img, (size_t)r.w * r.h);
		rc = sk_qr_decode_gray(r.img, r.w, r.h, text_out);
	}
	free(r.rows);
	free(r.img);
	return rc;
}
