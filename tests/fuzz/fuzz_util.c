/* fuzz_util.c: helpers shared by the harnesses (see fuzz.h). */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "fuzz: broken invariant at %s:%d: %s\nfuzz: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	if (memchr(data, '\0', size))
		return NULL;
	return xstrndup((const char *)data, size);
}

void fuzz_lines_init(struct fuzz_lines *l, const char *text, uint32_t first_line)
{
	l->text = text;
	l->pos = 0;
	l->line = first_line;
}

uint32_t fuzz_lines_at(struct fuzz_lines *l, size_t off)
{
	fuzz_check(off >= l->pos, "line of %zu asked after %zu", off, l->pos);
	for (; l->pos < off; l->pos++)
		l->line += l->text[l->pos] == '\n';
	return l->line;
}

uint32_t fuzz_line_at(const char *text, size_t off, uint32_t first_line)
{
	struct fuzz_lines l;
	fuzz_lines_init(&l, text, first_line);
	return fuzz_lines_at(&l, off);
}

bool fuzz_err_lines_start(const char *err, const char *prefix, bool with_line)
{
	size_t n = strlen(prefix);
	for (const char *p = err; p && *p;) {
		if (strncmp(p, prefix, n) != 0)
			return false;
		const char *q = p + n;
		if (with_line) {
			if (*q < '0' || *q > '9')
				return false;
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q != ':')
				return false;
		}
		p = strchr(q, '\n');
		if (p)
			p++;
	}
	return err && *err;
}
