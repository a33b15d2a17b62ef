/* tap.h: a minimal TAP producer for the unit tests (automake's TAP driver
 * reads it). Header-only: each test file includes it once. */
#ifndef RT_TAP_H
#define RT_TAP_H

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) do { \
	long long tap_g = (long long)(got), tap_w = (long long)(want); \
	if (!tap_ok(tap_g == tap_w, __FILE__, __LINE__, __VA_ARGS__)) \
		printf("#   got %lld, want %lld\n", tap_g, tap_w); \
} while (0)
#define is_str(got, want, ...) do { \
	const char *tap_g = (got), *tap_w = (want); \
	int tap_same = (tap_g == NULL && tap_w == NULL) || \
		(tap_g && tap_w && strcmp(tap_g, tap_w) == 0); \
	if (!tap_ok(tap_same, __FILE__, __LINE__, __VA_ARGS__)) \
		printf("#   got:  %s\n#   want: %s\n", tap_g ? tap_g : "(null)", \
		       tap_w ? tap_w : "(null)"); \
} while (0)

__attribute__((format(printf, 4, 5)))
static int tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

/* A new private directory "$TMPDIR/NAME-XXXXXX" (/tmp when TMPDIR is unset
 * or empty) into buf; NULL when it cannot be made. */
static inline char *tap_mkdtemp(char *buf, size_t size, const char *name)
{
	const char *base = getenv("TMPDIR");
	if (!base || !*base)
		base = "/tmp";
	if ((size_t)snprintf(buf, size, "%s/%s-XXXXXX", base, name) >= size)
		return NULL;
	return mkdtemp(buf);
}

static int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
