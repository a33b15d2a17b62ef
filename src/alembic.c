/* alembic.c: see alembic.h. */
#include "alembic.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

#define ALEMBIC_SECTION "alembic"

/* ---- configparser ---- */

struct ini_item {
	char *section;      /* NULL: [DEFAULT] */
	char *key;          /* lowercased, as configparser keeps it */
	struct strbuf value;
	uint32_t line;
	uint32_t indent;    /* of the key's line: deeper lines continue it */
};

struct ini {
	const char *path;
	struct ini_item *v;
	uint32_t n;
	char *here;
};

static void ini_free(struct ini *x)
{
	for (uint32_t i = 0; i < x->n; i++) {
		free(x->v[i].section);
		free(x->v[i].key);
		sb_free(&x->v[i].value);
	}
	free(x->v);
}

static bool same_section(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static struct ini_item *ini_find(const struct ini *x, const char *section, const char *key)
{
	for (uint32_t i = 0; i < x->n; i++)
		if (same_section(x->v[i].section, section) && strcmp(x->v[i].key, key) == 0)
			return &x->v[i];
	return NULL;
}

static char *strip(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Reads the file as configparser does (strict: a key twice in a section
 * and a section twice are errors; comments are whole lines). */
static int ini_parse(struct ini *x, char *buf, char **err)
{
	char *section = NULL;
	bool have_section = false;
	struct ini_item *cur = NULL;
	int rc = RT_OK;
	char **seen = NULL;
	uint32_t nseen = 0;
	char *p = buf;
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	for (uint32_t line = 1; p && rc == RT_OK; line++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		size_t len = strlen(p);
		if (len && p[len - 1] == '\r')
			p[len - 1] = '\0';
		uint32_t indent = 0;
		while (p[indent] == ' ' || p[indent] == '\t')
			indent++;
		char *s = strip(p);
		if (*s == '#' || *s == ';') {
			/* a comment, even between the lines of a value */
		} else if (!*s) {
			if (cur)
				sb_addc(&cur->value, '\n');
		} else if (cur && indent > cur->indent) {
			sb_addc(&cur->value, '\n');
			sb_adds(&cur->value, s);
		} else if (*s == '[' && strrchr(s, ']') > s + 1) {
			char *close = strrchr(s, ']');
			*close = '\0';
			const char *name = s + 1;
			for (uint32_t i = 0; i < nseen; i++)
				if (strcmp(seen[i], name) == 0)
					rc = rt_err(err, RT_EINPUT, "%s:%u: section [%s] appears twice", x->path,
					            line, name);
			seen = xrealloc(seen, (nseen + 1) * sizeof(*seen));
			seen[nseen++] = xstrdup(name);
			free(section);
			section = strcmp(name, "DEFAULT") == 0 ? NULL : xstrdup(name);
			have_section = true;
			cur = NULL;
		} else if (!have_section) {
			rc = rt_err(err, RT_EINPUT, "%s:%u: a line before the first [section]", x->path,
			            line);
		} else {
			char *eq = s + strcspn(s, "=:");
			if (!*eq) {
				rc = rt_err(err, RT_EINPUT, "%s:%u: expected 'key = value'", x->path, line);
				break;
			}
			char *val = strip(eq + 1);
			*eq = '\0';
			char *key = strip(s);
			for (char *k = key; *k; k++)
				*k = (char)tolower((unsigned char)*k);
			if (ini_find(x, section, key)) {
				rc = rt_err(err, RT_EINPUT, "%s:%u: '%s' is set twice in [%s]", x->path, line,
				            key, section ? section : "DEFAULT");
				break;
			}
			x->v = xrealloc(x->v, (x->n + 1) * sizeof(*x->v));
			cur = &x->v[x->n++];
			memset(cur, 0, sizeof(*cur));
			cur->section = section ? xstrdup(section) : NULL;
			cur->key = xstrdup(key);
			cur->line = line;
			cur->indent = indent;
			sb_adds(&cur->value, val);
		}
		p = nl ? nl + 1 : NULL;
	}
	for (uint32_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	free(section);
	/* a value's trailing blank lines are not part of it */
	for (uint32_t i = 0; i < x->n; i++) {
		struct strbuf *v = &x->v[i].value;
		while (v->len && isspace((unsigned char)v->buf[v->len - 1]))
			v->buf[--v->len] = '\0';
	}
	return rc;
}

/* Appends raw with %(name)s replaced by name's value (from the section,
 * [DEFAULT], or `here`), itself expanded, and %% by %: configparser's
 * BasicInterpolation, with its limit of 10 levels. */
static int interpolate(const struct ini *x, const char *section, const struct ini_item *it,
                       const char *raw, int depth, struct strbuf *sb, char **err)
{
	if (depth > 10)
		return rt_err(err, RT_EINPUT, "%s:%u: %s: %%(…)s references nest too deep", x->path,
		              it->line, it->key);
	for (const char *p = raw; *p;) {
		if (p[0] != '%') {
			sb_addc(sb, *p++);
			continue;
		}
		if (p[1] == '%') {
			sb_addc(sb, '%');
			p += 2;
			continue;
		}
		const char *close = p[1] == '(' ? strstr(p + 2, ")s") : NULL;
		if (!close)
			return rt_err(err, RT_EINPUT, "%s:%u: %s: '%%' must be followed by '%%' or "
			              "'(name)s'", x->path, it->line, it->key);
		char *name = xstrndup(p + 2, (size_t)(close - p - 2));
		for (char *k = name; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		const struct ini_item *ref = ini_find(x, section, name);
		if (!ref)
			ref = ini_find(x, NULL, name);
		int rc = RT_OK;
		if (ref)
			rc = interpolate(x, section, it, sb_str(&ref->value), depth + 1, sb, err);
		else if (strcmp(name, "here") == 0)
			sb_adds(sb, x->here);
		else
			rc = rt_err(err, RT_EINPUT, "%s:%u: %s refers to %%(%s)s, which is not set",
			            x->path, it->line, it->key, name);
		free(name);
		if (rc != RT_OK)
			return rc;
		p = close + 2;
	}
	return RT_OK;
}

/* The value of key in section (or [DEFAULT]), interpolated; *out NULL
 * (and RT_OK) when the key is absent. */
static int ini_get(const struct ini *x, const char *section, const char *key,
                   char **out, uint32_t *line, char **err)
{
	const struct ini_item *it = ini_find(x, section, key);
	if (!it)
		it = ini_find(x, NULL, key);
	*out = NULL;
	if (!it)
		return RT_OK;
	if (line)
		*line = it->line;
	struct strbuf sb = STRBUF_INIT;
	int rc = interpolate(x, section, it, sb_str(&it->value), 0, &sb, err);
	if (rc != RT_OK) {
		sb_free(&sb);
		return rc;
	}
	*out = sb_detach(&sb);
	return RT_OK;
}

/* ---- [alembic] ---- */

bool alembic_ini_is(const char *path)
{
	char *buf;
	size_t len;
	char *err = NULL;
	if (read_file(path, &buf, &len, &err) != RT_OK) {
		free(err);
		return false;
	}
	bool alembic = false, retort = false;
	for (char *p = buf; p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		alembic |= strncmp(p, "[" ALEMBIC_SECTION "]", strlen(ALEMBIC_SECTION) + 2) == 0;
		retort |= strncmp(p, "[retort]", 8) == 0;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	free(buf);
	return alembic && !retort;
}

void alembic_ini_free(struct alembic_ini *a)
{
	if (!a)
		return;
	free(a->path);
	free(a->here);
	free(a->script_location);
	for (uint32_t i = 0; i < a->nversion_dirs; i++)
		free(a->version_dirs[i]);
	free(a->version_dirs);
	free(a->url);
	free(a->file_template);
	memset(a, 0, sizeof(*a));
}

/* os.path.abspath: the path made absolute from the current directory,
 * "." and ".." segments and doubled slashes folded, links left alone. */
static char *abspath(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	if (n == 0 || s[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		sb_adds(&sb, cwd ? cwd : ".");
		free(cwd);
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] != '/')
			j++;
		size_t len = j - i;
		if (len == 0 || (len == 1 && s[i] == '.')) {
			/* nothing */
		} else if (len == 2 && s[i] == '.' && s[i + 1] == '.') {
			char *slash = sb.len ? strrchr(sb.buf, '/') : NULL;
			if (slash)
				sb.len = (size_t)(slash - sb.buf);
			if (sb.buf)
				sb.buf[sb.len] = '\0';
		} else {
			sb_addc(&sb, '/');
			sb_addn(&sb, s + i, len);
		}
		i = j + 1;
	}
	if (!sb.len)
		sb_addc(&sb, '/');
	return sb_detach(&sb);
}

/* A version folder, absolute as Alembic makes it (scripts are then known
 * by absolute paths, in messages as in history -v). */
static void add_dir(struct alembic_ini *a, const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!n)
		return;
	a->version_dirs = xrealloc(a->version_dirs, (a->nversion_dirs + 1) * sizeof(char *));
	a->version_dirs[a->nversion_dirs++] = abspath(s, n);
}

/* Alembic's version_path_separator: its value (an inline comment after
 * it, as Alembic's own template writes one, left out), or the legacy
 * split on commas and spaces when absent. */
static int split_locations(struct alembic_ini *a, const char *path, const char *locs,
                           const char *sep, uint32_t line, char **err)
{
	char *s = sep ? xstrdup(sep) : NULL;
	if (s) {
		char *hash = strstr(s, " #");
		if (hash)
			*hash = '\0';
		strip(s);
	}
	const char *chars;
	if (!s)
		chars = ", ";
	else if (!strcmp(s, "os") || !strcmp(s, ":"))
		chars = ":";
	else if (!strcmp(s, ";"))
		chars = ";";
	else if (!strcmp(s, "space"))
		chars = " ";
	else if (!strcmp(s, "newline"))
		chars = "\n";
	else {
		int rc = rt_err(err, RT_EINPUT, "%s:%u: '%s' is not a valid value for "
		                "version_path_separator; expected 'space', 'newline', 'os', ':', ';'",
		                path, line, s);
		free(s);
		return rc;
	}
	free(s);
	for (const char *p = locs; *p;) {
		size_t n = strcspn(p, chars);
		add_dir(a, p, n);
		p += n;
		if (*p)
			p++;
	}
	return RT_OK;
}

static bool truthy(const char *v)
{
	static const char *const yes[] = {"true", "yes", "on", "y", "t", "1"};
	for (size_t i = 0; v && i < RT_ARRAY_LEN(yes); i++)
		if (strcasecmp(v, yes[i]) == 0)
			return true;
	return false;
}

int alembic_ini_load(const char *path, struct alembic_ini *out, char **err)
{
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len, err);
	if (rc != RT_OK)
		return rc;
	uint32_t bad;
	if (memchr(buf, '\0', len) || !utf8_valid(buf, len, &bad)) {
		free(buf);
		return rt_err(err, RT_EINPUT, "%s: not a text file", path);
	}
	struct alembic_ini a;
	memset(&a, 0, sizeof(a));
	a.path = xstrdup(path);
	char *abs = realpath(path, NULL);
	char *slash = abs ? strrchr(abs, '/') : NULL;
	if (slash)
		*slash = '\0';
	a.here = xstrdup(abs && *abs ? abs : "/");
	free(abs);
	struct ini x = {path, NULL, 0, a.here};
	rc = ini_parse(&x, buf, err);
	free(buf);
	char *loc = NULL, *locs = NULL, *sep = NULL, *rec = NULL;
	uint32_t loc_line = 0, locs_line = 0, sep_line = 0;
	if (rc == RT_OK && !ini_find(&x, ALEMBIC_SECTION, "script_location") &&
	    !ini_find(&x, NULL, "script_location"))
		rc = rt_err(err, RT_EINPUT, "%s: no 'script_location' in [alembic]", path);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "script_location", &loc, &loc_line, err);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "version_locations", &locs, &locs_line, err);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "version_path_separator", &sep, &sep_line, err);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "recursive_version_locations", &rec, NULL, err);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "sqlalchemy.url", &a.url, &a.url_line, err);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "file_template", &a.file_template, NULL, err);
	if (rc == RT_OK && loc && loc[0] != '/' && strchr(loc, ':'))
		rc = rt_err(err, RT_EINPUT, "%s:%u: script_location '%s' names a Python package: "
		            "retort reads files without running Python; give the directory's path",
		            path, loc_line, loc);
	if (rc == RT_OK) {
		a.script_location = loc;
		loc = NULL;
		a.recursive = truthy(rec);
		if (locs && *locs) {
			a.version_locations = true;
			rc = split_locations(&a, path, locs, sep, sep_line ? sep_line : locs_line, err);
		} else {
			char *v = xasprintf("%s/versions", a.script_location);
			add_dir(&a, v, strlen(v));
			free(v);
		}
	}
	if (a.url && !*a.url) {
		free(a.url);
		a.url = NULL;
	}
	free(loc);
	free(locs);
	free(sep);
	free(rec);
	ini_free(&x);
	if (rc != RT_OK) {
		alembic_ini_free(&a);
		return rc;
	}
	*out = a;
	return RT_OK;
}
