/*
 * sealkit/qr.h: QR codes for credentials (PRODUCT.md "Formats" item 2).
 *
 * The QR text of a credential is "LC1:" + base45(zlib(COSE_Sign1)).  The
 * base45 alphabet plus ':' is exactly the QR alphanumeric set (ISO/IEC
 * 18004 section 7.4.4), so such text is encoded as one alphanumeric
 * segment: 5.5 bits per character instead of 8.  Any other text is one
 * 8-bit segment of its raw bytes, without an ECI header (readers assume
 * ISO-8859-1 or guess UTF-8).  Error correction M is the default.
 *
 * Encoding uses libqrencode; rendering writes PNG (libpng), SVG or UTF-8
 * text; decoding reads PNG (libpng) and scans with libzbar.
 */
#ifndef SEALKIT_QR_H
#define SEALKIT_QR_H

#include "sealkit/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text sk_qr_encode accepts: version 40-L, alphanumeric mode. */
#define SK_QR_MAX_TEXT		4296u
/* Pixels (PNG) or user units (SVG) per module. */
#define SK_QR_DEFAULT_SCALE	8u
#define SK_QR_MAX_SCALE		32u
/* Quiet zone in modules on each side; ISO/IEC 18004 asks for 4. */
#define SK_QR_DEFAULT_MARGIN	4u
#define SK_QR_MAX_MARGIN	16u
/* Largest PNG file sk_qr_decode_png reads. */
#define SK_QR_PNG_MAX_BYTES	(8u * 1024u * 1024u)
/* Largest width and height, in pixels, of an image to decode. */
#define SK_QR_PNG_MAX_DIM	4096u

/* Error correction level: about 7, 15, 25 and 30 % of codewords. */
enum sk_qr_ecc {
	SK_QR_ECC_L = 0,
	SK_QR_ECC_M = 1,
	SK_QR_ECC_Q = 2,
	SK_QR_ECC_H = 3
};
#define SK_QR_ECC_DEFAULT	SK_QR_ECC_M

/* An encoded symbol: an immutable square of dark and light modules. */
struct sk_qr;

/*
 * Encode len bytes of text (need not be NUL-terminated; case matters) in
 * the smallest version that fits at level ecc, with the mask libqrencode
 * scores best.  Alphanumeric mode if every byte is in
 * "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", else 8-bit mode.
 * @note *out is NULL on entry and on failure; free it with sk_qr_free().
 * @return 0, SK_ERR_ARG (len 0, bad ecc), SK_ERR_LIMIT (len >
 *         SK_QR_MAX_TEXT, or the text does not fit version 40 at this
 *         level: 8-bit text holds at most 2953 bytes even at L),
 *         SK_ERR_NOMEM, SK_ERR_INTERNAL.
 */
SK_API int sk_qr_encode(const char *text, size_t len, enum sk_qr_ecc ecc,
    struct sk_qr **out) SK_WUR;

/* Free a symbol.  NULL is ok. */
SK_API void sk_qr_free(struct sk_qr *qr);

/* The version, 1 to 40. */
SK_API int sk_qr_version(const struct sk_qr *qr);

/* Modules per side without quiet zone: 17 + 4 * version. */
SK_API int sk_qr_width(const struct sk_qr *qr);

/*
 * 1 if the module at column x, row y (origin top left) is dark, else 0.
 * Coordinates outside the symbol, negative ones included, are light: the
 * quiet zone.
 */
SK_API int sk_qr_module(const struct sk_qr *qr, int x, int y);

/*
 * Render as a PNG: 1-bit grayscale (0 black), scale pixels per module,
 * margin light modules around the symbol, no interlace, no time or text
 * chunks (the same symbol always gives the same bytes).  zbar does not
 * find codes drawn at scale 1; use 2 or more for images meant to be read
 * back.  Appended to out; on error nothing is appended.
 * @return 0, SK_ERR_ARG (scale 0 or > SK_QR_MAX_SCALE, margin >
 *         SK_QR_MAX_MARGIN), SK_ERR_LIMIT (out's max), SK_ERR_NOMEM,
 *         SK_ERR_INTERNAL (libpng failed).
 */
SK_API int sk_qr_write_png(const struct sk_qr *qr, unsigned int scale,
    unsigned int margin, struct sk_buf *out) SK_WUR;

/*
 * Render as a standalone SVG 1.1 document: a white background <rect> and
 * one <path> holding one rectangle per horizontal run of dark modules, in
 * module units through viewBox, width and height scale * (width +
 * 2 * margin), shape-rendering="crispEdges".  No scripts, styles, fonts
 * or references to other resources.  Appended to out; on error nothing is
 * appended.
 * @return 0, SK_ERR_ARG (as for sk_qr_write_png), SK_ERR_LIMIT,
 *         SK_ERR_NOMEM.
 */
SK_API int sk_qr_write_svg(const struct sk_qr *qr, unsigned int scale,
    unsigned int margin, struct sk_buf *out) SK_WUR;

/*
 * Render as UTF-8 text for a terminal: each line holds two module rows,
 * one character per column, "\xe2\x96\x88" (U+2588 full block) when both
 * rows are inked, U+2580 (upper half) or U+2584 (lower half) when one is,
 * a space when neither; every line ends in "\n".  Where the row count is
 * odd the last line's lower half is never inked.
 * With invert 0, ink marks dark modules: for terminals that print dark
 * text on a light background.  With invert 1, ink marks light modules and
 * the margin: for the usual light-on-dark terminal; phone cameras need the
 * QR's dark modules to be darker than its light ones.  Use a margin of at
 * least 2 (4 is standard).  Appended to out; on error nothing is appended.
 * @return 0, SK_ERR_ARG (margin > SK_QR_MAX_MARGIN), SK_ERR_LIMIT,
 *         SK_ERR_NOMEM.
 */
SK_API int sk_qr_write_text(const struct sk_qr *qr, unsigned int margin,
    int invert, struct sk_buf *out) SK_WUR;

/*
 * Find a QR code in a PNG image of len bytes (untrusted) and append its
 * decoded text to text_out.  Every PNG colour type and bit depth is read;
 * transparency is composited onto white; the image is scanned as 8-bit
 * gray with zbar, QR codes only, 8-bit segments returned as raw bytes (no
 * charset conversion).  Nothing after the image data is read (a missing
 * IEND is not an error).  If the image holds several QR codes, the text is
 * that of the first symbol zbar reports, which is not necessarily the
 * top-left one: present one code per image.  On error nothing is
 * appended.
 * @return 0, SK_ERR_LIMIT (len > SK_QR_PNG_MAX_BYTES, a side >
 *         SK_QR_PNG_MAX_DIM, or text_out's max), SK_ERR_TRUNCATED,
 *         SK_ERR_FORMAT (not a valid PNG), SK_ERR_NOTFOUND (no QR code
 *         found), SK_ERR_NOMEM, SK_ERR_INTERNAL.
 */
SK_API int sk_qr_decode_png(const uint8_t *png, size_t len,
    struct sk_buf *text_out) SK_WUR;

/*
 * As sk_qr_decode_png, for a raw image of width * height 8-bit gray
 * pixels (0 black) at gray, rows top to bottom without padding.
 * @note gray is borrowed for the call only and never modified.
 * @return 0, SK_ERR_ARG (a side 0), SK_ERR_LIMIT, SK_ERR_NOTFOUND,
 *         SK_ERR_NOMEM, SK_ERR_INTERNAL.
 */
SK_API int sk_qr_decode_gray(const uint8_t *gray, unsigned int width,
    unsigned int height, struct sk_buf *text_out) SK_WUR;

#ifdef __cplusplus
}
#endif
#endif /* SEALKIT_QR_H */
