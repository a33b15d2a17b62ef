/* termout.c: control characters shown, not obeyed, on a terminal (see
 * termout.h). */
#include "termout.h"

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

#define UTF8_C1_LEAD 0xC2   /* U+0080..U+00BF: C2 80..C2 BF */

static bool is_control(unsigned char b)
{
	return (b < 0x20 && b != '\t' && b != '\n') || b == 0x7f;
}

static void caret(struct strbuf *out, unsigned char b)
{
	sb_addc(out, '^');
	sb_addc(out, b == 0x7f ? '?' : (char)(b + 0x40));
}

/* U+0080 + x, for x < 0x20: "M-" and x in caret notation. */
static void c1(struct strbuf *out, unsigned char x)
{
	sb_adds(out, "M-");
	caret(out, x);
}

void termout_show(struct strbuf *out, const char *buf, size_t len, int *pending)
{
	size_t i = 0;
	if (*pending) {
		*pending = 0;
		unsigned char b = len ? (unsigned char)buf[0] : 0;
		if (len && b >= 0x80 && b < 0xA0) {
			c1(out, (unsigned char)(b - 0x80));
			i = 1;
		} else {
			sb_addc(out, (char)UTF8_C1_LEAD);
		}
	}
	while (i < len) {
		size_t run = i;
		while (run < len && !is_control((unsigned char)buf[run]) &&
		       (unsigned char)buf[run] != UTF8_C1_LEAD)
			run++;
		sb_addn(out, buf + i, run - i);
		if (run == len)
			return;
		unsigned char b = (unsigned char)buf[run];
		i = run + 1;
		if (b != UTF8_C1_LEAD) {
			caret(out, b);
		} else if (i == len) {
			*pending = 1;  /* its continuation comes with the next write */
		} else if ((unsigned char)buf[i] >= 0x80 && (unsigned char)buf[i] < 0xA0) {
			c1(out, (unsigned char)((unsigned char)buf[i] - 0x80));
			i++;
		} else {
			sb_addc(out, (char)b);
		}
	}
}

struct term_stream {
	int fd;
	int pending;
};

static ssize_t term_write(void *cookie, const char *buf, size_t len)
{
	struct term_stream *t = cookie;
	struct strbuf sb = STRBUF_INIT;
	termout_show(&sb, buf, len, &t->pending);
	bool ok = write_all(t->fd, sb_str(&sb), sb.len);
	sb_free(&sb);
	return ok ? (ssize_t)len : -1;
}

static int term_close(void *cookie)
{
	struct term_stream *t = cookie;
	struct strbuf sb = STRBUF_INIT;
	termout_show(&sb, "", 0, &t->pending);
	bool ok = write_all(t->fd, sb_str(&sb), sb.len);
	sb_free(&sb);
	free(t);
	return ok ? 0 : EOF;
}

FILE *termout_open(int fd, FILE *std)
{
	if (!isatty(fd))
		return std;
	struct term_stream *t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	cookie_io_functions_t io = {NULL, term_write, NULL, term_close};
	FILE *f = fopencookie(t, "w", io);
	if (!f) {
		free(t);
		return std;
	}
	/* stdout on a terminal is line-buffered, stderr unbuffered: kept, so
	 * that what goes to std directly (progress lines) stays in order */
	setvbuf(f, NULL, fd == STDERR_FILENO ? _IONBF : _IOLBF, 0);
	return f;
}
