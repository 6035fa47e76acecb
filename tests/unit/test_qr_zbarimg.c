/*
 * QR output checked by an independent reader: zbarimg (zbar-tools, a
 * declared dependency: missing is a failure, not a skip), which loads
 * images through ImageMagick, not our libpng code.  PNGs from
 * sk_qr_write_png at every ECC level and several scales; PGMs drawn here
 * from sk_qr_module; and the UTF-8 text rendering parsed back into modules,
 * compared with sk_qr_module and drawn as a PGM for zbarimg too.  A blank
 * image is the negative control.  The module matrix is also compared
 * with the qrencode CLI's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sealkit/qr.h"
#include "sktest.h"

#define ZBAR_OUT_MAX	16384

static char tmpdir[64];

static char *
make_text(const char *prefix, size_t n, const char *alpha)
{
	size_t plen = strlen(prefix), k = strlen(alpha), i;
	uint32_t x = 0x9e3779b9u;
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

static void
write_file(const char *path, const void *p, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

/*
 * Run zbarimg --raw on path; the decoded text (one trailing newline
 * removed) goes to out.  Returns zbarimg's exit status: 0 found, 4 none.
 */
static int
zbarimg(const char *path, char *out, size_t outsz, size_t *outlen)
{
	char cmd[256];
	FILE *p;
	size_t n;
	int st;

	/*
	 * QR only: with every symbology on, zbarimg also "finds" a GS1
	 * DataBar in some QR module patterns.  Its stderr (dbus noise from
	 * ImageMagick) is shown only when a check fails.
	 */
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q -Sdisable "
	    "-Sqrcode.enable '%s' 2>'%s/zbarimg.err'", path, tmpdir);
	if ((p = popen(cmd, "r")) == NULL)
		abort();
	n = fread(out, 1, outsz, p);
	st = pclose(p);
	if (n > 0 && out[n - 1] == '\n')
		n--;
	*outlen = n;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
show_stderr(void)
{
	char path[128], *s;
	size_t n;

	snprintf(path, sizeof(path), "%s/zbarimg.err", tmpdir);
	if ((s = (char *)skt_read_file(path, &n)) != NULL)
		fprintf(stderr, "zbarimg stderr:\n%s", s);
	free(s);
}

static void
check_zbarimg(const char *path, const char *want)
{
	char *got;
	size_t n;
	int st;

	if ((got = malloc(ZBAR_OUT_MAX)) == NULL)
		abort();
	st = zbarimg(path, got, ZBAR_OUT_MAX, &n);
	SKT_EQ(st, 0);
	SKT_MEMEQ(got, n, want, strlen(want));
	if (st != 0 || n != strlen(want) || memcmp(got, want, n) != 0) {
		fprintf(stderr, "for %s\n", path);
		show_stderr();
	}
	free(got);
	unlink(path);
}

/* A binary PGM (P5), 0 black: written without any of our code. */
static void
write_pgm(const char *path, const uint8_t *m, int side, int scale)
{
	char head[64];
	uint8_t *px;
	int n = side * scale, x, y, h;

	if ((px = malloc((size_t)n * n)) == NULL)
		abort();
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++)
			px[(size_t)y * n + x] = m[(y / scale) * side +
			    x / scale] ? 0 : 255;
	h = snprintf(head, sizeof(head), "P5\n%d %d\n255\n", n, n);
	if ((px = realloc(px, (size_t)n * n + (size_t)h)) == NULL)
		abort();
	memmove(px + h, px, (size_t)n * n);
	memcpy(px, head, (size_t)h);
	write_file(path, px, (size_t)n * n + (size_t)h);
	free(px);
}

static void
test_zbarimg_present(void)
{
	char out[256];
	size_t n;

	/* Status 127 from sh: not installed. */
	SKT_EQ(zbarimg("--version", out, sizeof(out), &n), 0);
}

static void
test_png_levels_scales(void)
{
	static const char b45[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
	static const unsigned int scales[] = { 2, 4, 8 };
	char *t[4], path[128];
	struct sk_qr *qr;
	struct sk_buf png;
	size_t i, s;
	int e;

	t[0] = make_text("LC1:", 600, b45);
	t[1] = make_text("LC1:", 1800, b45);
	t[2] = strdup("https://certd.example/v/8f3kq0?t=Zx81-aa");
	t[3] = strdup("0123456789");
	for (i = 0; i < 4; i++)
		for (e = SK_QR_ECC_L; e <= SK_QR_ECC_H; e++)
			for (s = 0; s < 3; s++) {
				SKT_RC(sk_qr_encode(t[i], strlen(t[i]),
				    (enum sk_qr_ecc)e, &qr), 0);
				if (qr == NULL)
					continue;
				sk_buf_init(&png, 1 << 22);
				SKT_RC(sk_qr_write_png(qr, scales[s],
				    SK_QR_DEFAULT_MARGIN, &png), 0);
				snprintf(path, sizeof(path), "%s/q.png",
				    tmpdir);
				write_file(path, png.data, png.len);
				check_zbarimg(path, t[i]);
				sk_buf_free(&png);
				sk_qr_free(qr);
			}
	for (i = 0; i < 4; i++)
		free(t[i]);
}

/* The symbol matrix itself, drawn here: checks the encoder alone. */
static void
test_modules_pgm(void)
{
	static const char text[] = "LC1:NCFOXN%TS3DH0YOJ58S S-F2";
	struct sk_qr *qr;
	char path[128];
	uint8_t *m;
	int side, x, y;

	SKT_RC(sk_qr_encode(text, strlen(text), SK_QR_ECC_M, &qr), 0);
	if (qr == NULL)
		return;
	side = sk_qr_width(qr) + 8;
	if ((m = calloc((size_t)side * side, 1)) == NULL)
		abort();
	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++)
			m[y * side + x] = (uint8_t)sk_qr_module(qr, x - 4,
			    y - 4);
	snprintf(path, sizeof(path), "%s/m.pgm", tmpdir);
	write_pgm(path, m, side, 4);
	check_zbarimg(path, text);
	free(m);
	sk_qr_free(qr);
}

/* One half-block glyph: ink of the upper and lower half, or -1. */
static int
glyph(const uint8_t *p, size_t left, int ink[2])
{
	if (left >= 1 && p[0] == ' ') {
		ink[0] = ink[1] = 0;
		return 1;
	}
	if (left < 3 || p[0] != 0xe2 || p[1] != 0x96)
		return -1;
	switch (p[2]) {
	case 0x80:
		ink[0] = 1, ink[1] = 0;
		return 3;
	case 0x84:
		ink[0] = 0, ink[1] = 1;
		return 3;
	case 0x88:
		ink[0] = ink[1] = 1;
		return 3;
	default:
		return -1;
	}
}

/* Text back to a side x side dark-module matrix; -1 if malformed. */
static int
parse_text(const struct sk_buf *b, int side, int invert, uint8_t *m)
{
	size_t i = 0;
	int x, y, k, ink[2];

	for (y = 0; y < side; y += 2) {
		for (x = 0; x < side; x++) {
			if ((k = glyph(b->data + i, b->len - i, ink)) < 0)
				return -1;
			i += (size_t)k;
			m[y * side + x] = (uint8_t)(ink[0] ^ invert);
			if (y + 1 < side)
				m[(y + 1) * side + x] =
				    (uint8_t)(ink[1] ^ invert);
			else if (ink[1])
				return -1;
		}
		if (i >= b->len || b->data[i++] != '\n')
			return -1;
	}
	return i == b->len ? 0 : -1;
}

static void
test_text_rendering(void)
{
	static const char text[] = "LC1:6BFOXN*TS0BI$ZD4N9:9S";
	struct sk_qr *qr;
	struct sk_buf b;
	char path[128];
	uint8_t *m;
	int side, x, y, inv, bad;

	SKT_RC(sk_qr_encode(text, strlen(text), SK_QR_ECC_Q, &qr), 0);
	if (qr == NULL)
		return;
	side = sk_qr_width(qr) + 2 * (int)SK_QR_DEFAULT_MARGIN;
	if ((m = malloc((size_t)side * side)) == NULL)
		abort();
	for (inv = 0; inv <= 1; inv++) {
		sk_buf_init(&b, 1 << 16);
		SKT_RC(sk_qr_write_text(qr, SK_QR_DEFAULT_MARGIN, inv, &b), 0);
		SKT_EQ(parse_text(&b, side, inv, m), 0);
		bad = 0;
		for (y = 0; y < side; y++)
			for (x = 0; x < side; x++)
				bad += m[y * side + x] != sk_qr_module(qr,
				    x - (int)SK_QR_DEFAULT_MARGIN,
				    y - (int)SK_QR_DEFAULT_MARGIN);
		SKT_EQ(bad, 0);
		snprintf(path, sizeof(path), "%s/t%d.pgm", tmpdir, inv);
		write_pgm(path, m, side, 3);
		check_zbarimg(path, text);
		sk_buf_free(&b);
	}
	free(m);
	sk_qr_free(qr);
}

/*
 * Module for module against the qrencode CLI ("##" dark, "  " light per
 * module).  Same libqrencode, but its own mode analysis and writer: this
 * catches slips in how we copy, orient or segment the symbol, which zbar's
 * error correction would hide.  Texts without digit runs, so that the CLI
 * also makes one alphanumeric (or one 8-bit) segment.
 */
static void
check_qrencode_cli(const char *text, enum sk_qr_ecc ecc)
{
	static const char lv[] = "LMQH";
	char cmd[256], *out;
	struct sk_qr *qr;
	FILE *p;
	size_t n, i = 0;
	int w, x, y, bad = 0;

	SKT_RC(sk_qr_encode(text, strlen(text), ecc, &qr), 0);
	if (qr == NULL || (out = malloc(65536)) == NULL)
		abort();
	snprintf(cmd, sizeof(cmd), "qrencode -l %c -m 0 -t ASCII '%s'",
	    lv[ecc], text);
	if ((p = popen(cmd, "r")) == NULL)
		abort();
	n = fread(out, 1, 65536, p);
	SKT_EQ(pclose(p), 0);
	w = sk_qr_width(qr);
	for (y = 0; y < w && bad == 0; y++) {
		for (x = 0; x < w; x++, i += 2)
			bad += i + 2 > n || memcmp(out + i,
			    sk_qr_module(qr, x, y) ? "##" : "  ", 2) != 0;
		bad += i >= n || out[i++] != '\n';
	}
	SKT_EQ(bad, 0);
	SKT_EQ(i, n);
	free(out);
	sk_qr_free(qr);
}

static void
test_qrencode_cli(void)
{
	check_qrencode_cli("HELLO WORLD", SK_QR_ECC_L);
	check_qrencode_cli("LC1:ABC DEF$%*+-./:GHIJKLMNOP", SK_QR_ECC_M);
	check_qrencode_cli("LC1:ZYXWV UTSR-QPONM.LKJIH/GFEDC:BA", SK_QR_ECC_Q);
	check_qrencode_cli("https://certd.example/v/abc?t=xyz", SK_QR_ECC_H);
}

/* A blank image: zbarimg must find nothing (exit 4), or it proves little. */
static void
test_negative_control(void)
{
	char path[128], out[64];
	uint8_t m[29 * 29];
	size_t n;

	memset(m, 0, sizeof(m));
	snprintf(path, sizeof(path), "%s/blank.pgm", tmpdir);
	write_pgm(path, m, 29, 4);
	SKT_EQ(zbarimg(path, out, sizeof(out), &n), 4);
	SKT_EQ(n, 0);
	unlink(path);
}

int
main(void)
{
	char path[128];
	int rc;

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sk-qr-zbarimg.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	SKT_RUN(test_zbarimg_present);
	SKT_RUN(test_png_levels_scales);
	SKT_RUN(test_modules_pgm);
	SKT_RUN(test_text_rendering);
	SKT_RUN(test_qrencode_cli);
	SKT_RUN(test_negative_control);
	rc = skt_done();
	snprintf(path, sizeof(path), "%s/zbarimg.err", tmpdir);
	unlink(path);
	if (rmdir(tmpdir) != 0)
		perror(tmpdir);
	return rc;
}
