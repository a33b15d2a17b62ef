/* fuzz_url.c: url_parse and url_mask on arbitrary text, and a leak oracle
 * for masking.
 *
 * The whole input is parsed and masked as a URL. It is also read as the
 * parts of a URL that holds a password in a known place: the first byte
 * picks the form, newlines separate the parts:
 *
 *   0  SCHEME \n USER \n PASSWORD \n REST   SCHEME://USER:PASSWORD@REST
 *   1  PREFIX \n PASSWORD \n SUFFIX         PREFIX password=PASSWORD SUFFIX
 *   2  PREFIX \n PASSWORD \n SUFFIX         PREFIX password='PASSWORD' SUFFIX
 *                                           (quotes and backslashes escaped)
 *   3  SCHEME \n REST \n PASSWORD \n SUFFIX SCHEME://REST?password=PASSWORD&SUFFIX
 *
 * and no four bytes of the password may appear in the masked text. Four
 * bytes that also occur elsewhere in the URL, or that hold a '*' (the mask
 * itself), prove nothing and are not checked. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "url.h"
#include "util.h"

#define WINDOW 4
#define REFUSED "unsupported database URL '"

FUZZ_INIT(url)
{
	return 0;
}

/* Does needle[0..n) occur in s[0..len) anywhere but inside [lo, hi)? */
static bool occurs_outside(const char *s, size_t len, const char *needle, size_t n,
                           size_t lo, size_t hi)
{
	for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), needle, n)); p++) {
		size_t at = (size_t)(p - s);
		if (at < lo || at + n > hi)
			return true;
	}
	return false;
}

/* No window of the password at url[off, off+len) may appear in shown. */
static void check_windows(const char *url, size_t off, size_t len, const char *shown,
                          const char *what)
{
	size_t url_len = strlen(url);
	for (size_t i = 0; i + WINDOW <= len; i++) {
		const char *w = url + off + i;
		if (memchr(w, '*', WINDOW) ||
		    occurs_outside(url, url_len, w, WINDOW, off, off + len))
			continue;
		fuzz_check(!memmem(shown, strlen(shown), w, WINDOW),
		           "password bytes '%.*s' survive in the %s:\n  url:   %s\n  shown: %s",
		           WINDOW, w, what, url, shown);
	}
}

/* The oracle for masking and for what url_parse shows (the trimmed URL,
 * masked, either as display or in the error). */
static void check_masked(const char *url, size_t off, size_t len)
{
	char *masked = url_mask(url);
	check_windows(url, off, len, masked, "mask");
	free(masked);
	struct db_url u;
	char *err = NULL;
	if (url_parse(url, &u, &err) == RT_OK) {
		check_windows(url, off, len, u.display, "display");
		url_free(&u);
	} else {
		/* only the URL inside the message: the words around it are ours */
		const char *q = err + strlen(REFUSED);
		char *shown = xstrndup(q, (size_t)(strrchr(q, '\'') - q));
		check_windows(url, off, len, shown, "error");
		free(shown);
	}
	free(err);
}

static bool valid_scheme(const char *s)
{
	if (!isalpha((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+.-", *s))
			return false;
	return true;
}

static bool has_any(const char *s, const char *chars)
{
	return s[strcspn(s, chars)] != '\0';
}

/* Builds the URL of a form; returns NULL when the parts do not fit it. */
static char *build(int form, const char **f, size_t *off, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	switch (form) {
	case 0:
		if (!valid_scheme(f[0]) || has_any(f[1], ":@/"))
			return NULL;
		sb_addf(&sb, "%s://%s:", f[0], f[1]);
		*off = sb.len;
		sb_adds(&sb, f[2]);
		*len = sb.len - *off;
		sb_addf(&sb, "@%s", f[3]);
		break;
	case 1:
	case 2:
		/* A quote or a backslash in the prefix could swallow the pair. */
		if (has_any(f[0], "'\\") || (form == 1 && (has_any(f[1], " \t\n\r\f\v") ||
		                                           f[1][0] == '\'')))
			return NULL;
		sb_addf(&sb, "%s%spassword=%s", f[0], *f[0] ? " " : "", form == 2 ? "'" : "");
		*off = sb.len;
		for (const char *p = f[1]; *p; p++) {
			if (form == 2 && (*p == '\'' || *p == '\\'))
				sb_addc(&sb, '\\');
			sb_addc(&sb, *p);
		}
		*len = sb.len - *off;
		sb_addf(&sb, "%s%s%s", form == 2 ? "'" : "", *f[2] ? " " : "", f[2]);
		break;
	default:
		if (!valid_scheme(f[0]) || has_any(f[1], "?") || has_any(f[2], "&"))
			return NULL;
		sb_addf(&sb, "%s://%s?password=", f[0], f[1]);
		*off = sb.len;
		sb_adds(&sb, f[2]);
		*len = sb.len - *off;
		if (*f[3])
			sb_addf(&sb, "&%s", f[3]);
		break;
	}
	return sb_detach(&sb);
}

static void check_forms(const char *input)
{
	if (!*input)
		return;
	int form = (unsigned char)input[0] % 4;
	char *parts = xstrdup(input + 1);
	const char *f[4] = {"", "", "", ""};
	char *p = parts;
	for (int i = 0; i < 4 && p; i++) {
		f[i] = p;
		p = i < 3 ? strchr(p, '\n') : NULL;
		if (p)
			*p++ = '\0';
	}
	size_t off = 0, len = 0;
	char *url = build(form, f, &off, &len);
	if (url)
		check_masked(url, off, len);
	free(url);
	free(parts);
}

FUZZ_ONE(url)
{
	char *s = fuzz_cstr(data, size);
	if (!s)
		return 0;
	struct db_url u;
	memset(&u, 0, sizeof u);
	char *err = NULL;
	int rc = url_parse(s, &u, &err);
	if (rc == RT_OK) {
		fuzz_check(!err, "parsed with an error: %s", err);
		fuzz_check(u.display && u.dbname, "display or dbname missing");
		fuzz_check(u.backend == DB_SQLITE ? u.path && !u.conninfo : u.conninfo && !u.path,
		           "path/conninfo do not match the backend");
		url_free(&u);
	} else {
		fuzz_check(rc == RT_EINPUT, "status %d", rc);
		fuzz_check(err && strncmp(err, REFUSED, strlen(REFUSED)) == 0 &&
		           strrchr(err, '\'') >= err + strlen(REFUSED),
		           "error shape: %s", err);
		fuzz_check(!u.display && !u.dbname && !u.path && !u.conninfo,
		           "a refused URL wrote *out");
	}
	free(err);
	free(url_mask(s));
	check_forms(s);
	free(s);
	return 0;
}
