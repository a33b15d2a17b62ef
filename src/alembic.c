/* alembic.c: see alembic.h. */
#include "alembic.h"
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "graph.h"
#include "plan.h"
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
	uint32_t bad = 0;
	const char *nul = memchr(buf, '\0', len);
	if (nul || !utf8_valid(buf, len, &bad)) {
		/* the line of the first byte that is not text, as every error says */
		uint32_t line = bad ? bad : 1;
		if (nul) {
			line = 1;
			for (const char *p = buf; p < nul; p++)
				line += *p == '\n';
		}
		free(buf);
		return rt_err(err, RT_EINPUT, "%s:%u: not a text file (%s)", path, line,
		              nul ? "a NUL byte" : "not UTF-8");
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
	/* where [alembic] starts, for an error about what it lacks */
	uint32_t sect_line = 1;
	for (const char *p = buf, *hdr = strstr(buf, "[" ALEMBIC_SECTION "]"); hdr && p < hdr; p++)
		sect_line += *p == '\n';
	free(buf);
	char *loc = NULL, *locs = NULL, *sep = NULL, *rec = NULL;
	uint32_t loc_line = 0, locs_line = 0, sep_line = 0;
	if (rc == RT_OK && !ini_find(&x, ALEMBIC_SECTION, "script_location") &&
	    !ini_find(&x, NULL, "script_location"))
		rc = rt_err(err, RT_EINPUT, "%s:%u: no 'script_location' in [alembic]", path,
		            sect_line);
	if (rc == RT_OK)
		rc = ini_get(&x, ALEMBIC_SECTION, "script_location", &loc, &loc_line, err);
	if (rc == RT_OK && (!loc || !*loc))
		rc = rt_err(err, RT_EINPUT, "%s:%u: script_location is empty", path,
		            loc_line ? loc_line : sect_line);
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
	if (rc == RT_OK && loc && loc[0] != '/' && strchr(loc, ':')) {
		char *shown = script_shown(loc);
		rc = rt_err(err, RT_EINPUT, "%s:%u: script_location '%s' names a Python package: "
		            "retort reads files without running Python; give the directory's path",
		            path, loc_line, shown);
		free(shown);
	}
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

/* ---- Alembic's command ---- */

#define ERR_KEEP (64 * 1024)

void alembic_result_free(struct alembic_result *r)
{
	free(r->out);
	free(r->errtext);
	memset(r, 0, sizeof(*r));
}

/* The executable file name in a directory of PATH (malloc'd), or NULL. */
static char *find_on_path(const char *name)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");
		char *f = xasprintf("%.*s/%s", (int)(n ? n : 1), n ? p : ".", name);
		struct stat st;
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode) && access(f, X_OK) == 0)
			return f;
		free(f);
		p += n + (p[n] == ':');
	}
	return NULL;
}

static bool on_path(const char *name)
{
	char *f = find_on_path(name);
	free(f);
	return f != NULL;
}

/* Appends the words of s, split at blanks, to the vector *v of *n. */
static void add_words(char ***v, uint32_t *n, const char *s)
{
	for (const char *p = s; *p;) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, " \t");
		if (len) {
			*v = xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = xstrndup(p, len);
		}
		p += len;
	}
}

/* The command's words (malloc'd vector of malloc'd strings). */
static char **command_words(uint32_t *n)
{
	const char *env = env_trusted("RETORT_ALEMBIC");
	char **v = NULL;
	*n = 0;
	if (env && *env)
		add_words(&v, n, env);
	if (*n)
		return v;
	if (on_path("alembic")) {
		v = xmalloc(sizeof(*v));
		v[0] = xstrdup("alembic");
		*n = 1;
		return v;
	}
	add_words(&v, n, "python3 -m alembic");
	return v;
}

/* The Python that runs Alembic, for a program of retort's own around it:
 * the interpreter of the `alembic` script on PATH (its #! line), else
 * python3. NULL when RETORT_ALEMBIC names the command: what it runs is
 * not known. */
static char **python_words(uint32_t *n)
{
	const char *env = env_trusted("RETORT_ALEMBIC");
	char **v = NULL;
	*n = 0;
	if (env && *env) {
		/* "PYTHON -m alembic" is known */
		add_words(&v, n, env);
		if (*n >= 3 && strcmp(v[*n - 2], "-m") == 0 && strcmp(v[*n - 1], "alembic") == 0) {
			free(v[--*n]);
			free(v[--*n]);
			return v;
		}
		for (uint32_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		*n = 0;
		return NULL;
	}
	char *script = find_on_path("alembic");
	FILE *f = script ? fopen(script, "re") : NULL;
	char line[512];
	if (f && fgets(line, sizeof line, f) && strncmp(line, "#!", 2) == 0) {
		line[strcspn(line, "\r\n")] = '\0';
		add_words(&v, n, line + 2);
	}
	if (f)
		fclose(f);
	free(script);
	if (!*n)
		add_words(&v, n, "python3");
	return v;
}

char *alembic_command_text(void)
{
	uint32_t n;
	char **w = command_words(&n);
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < n; i++) {
		sb_addf(&sb, "%s%s", i ? " " : "", w[i]);
		free(w[i]);
	}
	free(w);
	return sb_detach(&sb);
}

static void fd_to_buf(int fd, struct strbuf *sb, struct strbuf *line, size_t keep,
                      void (*on_line)(void *ctx, const char *line), void *ctx, bool *open)
{
	char buf[8192];
	ssize_t r = read(fd, buf, sizeof buf);
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		*open = false;
		if (line && line->len && on_line)
			on_line(ctx, sb_str(line));
		return;
	}
	size_t room = keep > sb->len ? keep - sb->len : 0;
	sb_addn(sb, buf, (size_t)r < room ? (size_t)r : room);
	if (!line)
		return;
	for (ssize_t i = 0; i < r; i++) {
		if (buf[i] != '\n') {
			sb_addc(line, buf[i]);
			continue;
		}
		if (on_line)
			on_line(ctx, sb_str(line));
		sb_reset(line);
	}
}

static int exec_words(char **words, uint32_t nw, bool python, const struct alembic_ini *ini,
                      const char *const *args, void (*on_line)(void *ctx, const char *line),
                      void *ctx, struct alembic_result *res, char **err);

int alembic_exec(const struct alembic_ini *ini, const char *const *args,
                 void (*on_line)(void *ctx, const char *line), void *ctx,
                 struct alembic_result *res, char **err)
{
	uint32_t nw;
	char **words = command_words(&nw);
	return exec_words(words, nw, nw >= 3, ini, args, on_line, ctx, res, err);
}

/* Alembic's command line run by a Python program that first wraps
 * EnvironmentContext.configure, so that whatever env.py configures, the
 * comparison also skips the tables named in its first argument (a
 * project's own include_name still decides for the rest); the arguments
 * after it are Alembic's. */
static const char skip_program[] =
	"import sys\n"
	"from alembic.runtime import environment as e\n"
	"skip = set(sys.argv[1].split())\n"
	"configure = e.EnvironmentContext.configure\n"
	"def wrapped(self, *a, **k):\n"
	"    theirs = k.get('include_name')\n"
	"    def include_name(name, type_, parents):\n"
	"        if type_ == 'table' and name in skip:\n"
	"            return False\n"
	"        return theirs(name, type_, parents) if theirs else True\n"
	"    k['include_name'] = include_name\n"
	"    return configure(self, *a, **k)\n"
	"e.EnvironmentContext.configure = wrapped\n"
	"from alembic.config import main\n"
	"main(argv=sys.argv[2:], prog='alembic')\n";

int alembic_exec_skipping(const struct alembic_ini *ini, const char *const *args,
                          const char *skip_tables, void (*on_line)(void *ctx, const char *line),
                          void *ctx, struct alembic_result *res, bool *skipped, char **err)
{
	uint32_t nw;
	char **words = python_words(&nw);
	*skipped = words != NULL;
	if (!words)
		return alembic_exec(ini, args, on_line, ctx, res, err);
	words = xrealloc(words, (nw + 3) * sizeof(*words));
	words[nw++] = xstrdup("-c");
	words[nw++] = xstrdup(skip_program);
	words[nw++] = xstrdup(skip_tables);
	return exec_words(words, nw, true, ini, args, on_line, ctx, res, err);
}

/* Starts argv[0] (searched on PATH) with in, out and err as its standard
 * input, output and error (-1: /dev/null); the child's pid, or -1. */
static pid_t spawn(char **argv, int in, int out, int err)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	const int fds[3] = {in, out, err};
	for (int k = 0; k < 3; k++) {
		int fd = fds[k] >= 0 ? fds[k] : open("/dev/null", k ? O_WRONLY : O_RDONLY);
		if (fd >= 0)
			dup2(fd, k);
	}
	signal(SIGPIPE, SIG_DFL);  /* retort ignores it; exec would keep that */
	execvp(argv[0], argv);
	_exit(127);
}

static int exec_words(char **words, uint32_t nw, bool python, const struct alembic_ini *ini,
                      const char *const *args, void (*on_line)(void *ctx, const char *line),
                      void *ctx, struct alembic_result *res, char **err)
{
	memset(res, 0, sizeof(*res));
	uint32_t na = 0;
	while (args[na])
		na++;
	char **argv = xcalloc(nw + na + 3, sizeof(*argv));
	for (uint32_t i = 0; i < nw; i++)
		argv[i] = words[i];
	argv[nw] = (char *)"-c";
	argv[nw + 1] = ini->path;
	for (uint32_t i = 0; i < na; i++)
		argv[nw + 2 + i] = (char *)args[i];
	int out[2] = {-1, -1}, errp[2] = {-1, -1};
	int rc = RT_OK;
	if (pipe2(out, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		rc = rt_err(err, RT_EFAIL, "cannot run Alembic: %s", strerror(errno));
		goto done;
	}
	pid_t pid = spawn(argv, -1, out[1], errp[1]);
	if (pid < 0) {
		rc = rt_err(err, RT_EFAIL, "cannot run Alembic: %s", strerror(errno));
		goto done;
	}
	close(out[1]);
	close(errp[1]);
	out[1] = errp[1] = -1;
	struct strbuf o = STRBUF_INIT, e = STRBUF_INIT, line = STRBUF_INIT;
	bool oopen = true, eopen = true;
	while (oopen || eopen) {
		struct pollfd pf[2] = {{oopen ? out[0] : -1, POLLIN, 0}, {eopen ? errp[0] : -1, POLLIN, 0}};
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (oopen && (pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
			fd_to_buf(out[0], &o, NULL, SIZE_MAX, NULL, NULL, &oopen);
		if (eopen && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
			fd_to_buf(errp[0], &e, &line, ERR_KEEP, on_line, ctx, &eopen);
	}
	sb_free(&line);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	res->out = sb_detach(&o);
	res->errtext = sb_detach(&e);
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	/* not installed: the command is missing (127), or python3 lacks it */
	if (res->status == 127 ||
	    (python && res->status == 1 && (strstr(res->errtext, "No module named alembic") ||
	                                    strstr(res->errtext, "No module named 'alembic'")))) {
		char *cmd = alembic_command_text();
		rc = rt_err(err, RT_EFAIL, "Alembic is not installed ('%s' cannot run it): install "
		            "it (Debian: apt install python3-alembic), or name the command in "
		            "RETORT_ALEMBIC", cmd);
		free(cmd);
		alembic_result_free(res);
	}
done:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	for (uint32_t i = 0; i < nw; i++)
		free(words[i]);
	free(words);
	free(argv);
	return rc;
}

bool alembic_running_line(const char *line, const char **dir, const char **rest)
{
	const char *p = strstr(line, "Running ");
	if (!p)
		return false;
	p += 8;
	if (strncmp(p, "upgrade ", 8) == 0) {
		*dir = "upgrade";
		*rest = p + 8;
		return true;
	}
	if (strncmp(p, "downgrade ", 10) == 0) {
		*dir = "downgrade";
		*rest = p + 10;
		return true;
	}
	return false;
}

/* ---- offline SQL ---- */

/* The part of an offline script that step (dir, rev) renders: from its
 * "-- Running DIR from -> to" line to the next such line. */
static char *chunk_of(const char *text, bool up, const char *rev)
{
	const char *mark = up ? "-- Running upgrade " : "-- Running downgrade ";
	size_t ml = strlen(mark), rl = strlen(rev);
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		if (strncmp(l, mark, ml) == 0) {
			const char *arrow = strstr(l, " -> ");
			/* upgrade: the revision after the arrow; downgrade: before it */
			const char *id = up ? arrow + 4 : l + ml;
			if (arrow && (!nl || arrow < nl) && strncmp(id, rev, rl) == 0 &&
			    (id[rl] == '\n' || id[rl] == ' ' || id[rl] == ',' || id[rl] == '\0' ||
			     id[rl] == '\r')) {
				const char *end = nl;
				while (end && *end) {
					const char *next = end + 1;
					if (strncmp(next, "-- Running ", 11) == 0)
						break;
					end = strchr(next, '\n');
				}
				size_t n = end && *end ? (size_t)(end - l) + 1 : strlen(l);
				return xstrndup(l, n);
			}
		}
		l = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/* `alembic upgrade|downgrade range --sql`: its standard output. */
static int offline(const struct alembic_ini *ini, bool up, const char *range, char **out,
                   char **err)
{
	const char *args[] = {up ? "upgrade" : "downgrade", range, "--sql", NULL};
	struct alembic_result r;
	*out = NULL;
	int rc = alembic_exec(ini, args, NULL, NULL, &r, err);
	if (rc != RT_OK)
		return rc;
	if (r.status != 0) {
		const char *e = r.errtext;
		size_t n = strlen(e);
		while (n && (e[n - 1] == '\n' || e[n - 1] == ' '))
			n--;
		/* its last line says why */
		const char *last = e + n;
		while (last > e && last[-1] != '\n')
			last--;
		rc = rt_err(err, RT_EFAIL, "alembic %s %s --sql failed (exit %d): %.*s",
		            args[0], range, r.status, (int)(e + n - last), last);
	} else {
		*out = r.out;
		r.out = NULL;
	}
	alembic_result_free(&r);
	return rc;
}

/* "a b" → true and the one id in *one (or "" for none). */
static bool single(const char *heads, char *one, size_t size)
{
	if (strchr(heads, ' '))
		return false;
	snprintf(one, size, "%s", heads);
	return true;
}

void alembic_plan_sql_free(char **sql, uint32_t n)
{
	for (uint32_t i = 0; sql && i < n; i++)
		free(sql[i]);
	free(sql);
}

int alembic_plan_sql(const struct alembic_ini *ini, const struct graph *g,
                     const struct plan *p, char ***sql, char **err)
{
	char **v = xcalloc(p->n + 1, sizeof(*v));
	int rc = RT_OK;
	*sql = NULL;
	if (p->n == 0 || p->kind == PLAN_STAMP) {
		*sql = v;
		return RT_OK;
	}
	bool up = p->kind == PLAN_UPGRADE;
	char from[64], to[64];
	/* the whole plan at once, when Alembic can be told where it starts */
	if (single(p->steps[0].heads_before, from, sizeof from) &&
	    (p->nfinal <= 1 || up)) {
		snprintf(to, sizeof to, "%s", p->nfinal == 1 ? p->final_heads[0] : up ? "heads" : "base");
		char *range = xasprintf("%s:%s", *from ? from : "base", to);
		char *text = NULL;
		rc = offline(ini, up, range, &text, err);
		free(range);
		for (uint32_t i = 0; rc == RT_OK && i < p->n; i++)
			v[i] = chunk_of(text, up, p->steps[i].rev_id);
		free(text);
	}
	/* the others one by one, from a parent: Alembic renders more than the
	 * step (what it does not know is applied), and the step's part is kept */
	for (uint32_t i = 0; rc == RT_OK && i < p->n; i++) {
		if (v[i])
			continue;
		const struct gnode *x = &g->nodes[p->steps[i].rev];
		const char *parent = x->nparents ? g->nodes[x->parents[0]].s.rev : "base";
		char *range = up ? xasprintf("%s:%s", parent, x->s.rev)
		                 : xasprintf("%s:%s", x->s.rev, parent);
		char *text = NULL;
		rc = offline(ini, up, range, &text, err);
		free(range);
		if (rc == RT_OK)
			v[i] = chunk_of(text, up, x->s.rev);
		free(text);
	}
	if (rc != RT_OK) {
		alembic_plan_sql_free(v, p->n);
		return rc;
	}
	*sql = v;
	return RT_OK;
}

/* ---- a step of a run ---- */

/* What Alembic's standard error says went wrong: its "FAILED: …" line,
 * else the exception line that ends a traceback ("sqlalchemy.exc.
 * OperationalError: …"), else its last line. */
static char *why_failed(const char *text)
{
	const char *best = NULL, *exc = NULL, *last = NULL;
	size_t best_n = 0, exc_n = 0, last_n = 0;
	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");
		if (n) {
			last = l;
			last_n = n;
		}
		if (strncmp(l, "FAILED: ", 8) == 0) {
			best = l + 8;
			best_n = n - 8;
		}
		size_t id = 0;
		while (id < n && (isalnum((unsigned char)l[id]) || l[id] == '_' || l[id] == '.'))
			id++;
		if (id && id + 1 < n && l[id] == ':' && l[id + 1] == ' ' && isalpha((unsigned char)*l)) {
			exc = l;
			exc_n = n;
		}
		l += n + (l[n] == '\n');
	}
	if (best)
		return xstrndup(best, best_n);
	if (exc)
		return xstrndup(exc, exc_n);
	return last ? xstrndup(last, last_n) : xstrdup("");
}

struct step_log {
	const char *rev;
	bool up;
	bool ran;             /* Alembic ran the step */
	struct strbuf other;  /* steps it ran besides */
};

static void step_line(void *ctx, const char *line)
{
	struct step_log *sl = ctx;
	const char *dir, *rest;
	if (!alembic_running_line(line, &dir, &rest))
		return;
	/* upgrade: "a, b -> X, message"; downgrade: "X -> a, message" */
	const char *arrow = strstr(rest, " -> ");
	const char *id = sl->up ? (arrow ? arrow + 4 : rest) : rest;
	while (*id == ' ')
		id++;
	size_t n = strcspn(id, " ,");
	bool same = (strcmp(dir, "upgrade") == 0) == sl->up && n == strlen(sl->rev) &&
	            strncmp(id, sl->rev, n) == 0;
	if (same)
		sl->ran = true;
	else
		sb_addf(&sl->other, "%s%s %.*s", sl->other.len ? ", " : "", dir, (int)n, id);
}

/* ---- one Alembic for the steps of a run ---- */

/* A Python that imports Alembic once, then runs one command line per line
 * of its standard input (the words tab-separated) as `alembic` would, and
 * after each writes "\001retort-done STATUS" on its standard error. The
 * history's files are read by the first command and kept for the next
 * ones (ScriptDirectory.from_config answers from its cache): retort
 * checked them before the run and holds its lock meanwhile. Each command
 * still runs env.py, connects and commits on its own, as `alembic
 * upgrade X` does. "\001retort-ready" on standard error says Alembic was
 * imported. */
static const char server_program[] =
	"import sys\n"
	"from alembic.config import main\n"
	"from alembic.script import ScriptDirectory\n"
	"load = ScriptDirectory.from_config.__func__\n"
	"kept = {}\n"
	"def from_config(cls, config):\n"
	"    key = (config.config_file_name, config.get_main_option('script_location'),\n"
	"           config.get_main_option('version_locations'))\n"
	"    if key not in kept:\n"
	"        kept[key] = load(cls, config)\n"
	"    return kept[key]\n"
	"ScriptDirectory.from_config = classmethod(from_config)\n"
	"sys.stderr.write('\\001retort-ready\\n')\n"
	"sys.stderr.flush()\n"
	"for line in sys.stdin:\n"
	"    status = 0\n"
	"    try:\n"
	"        main(argv=line.rstrip('\\n').split('\\t'), prog='alembic')\n"
	"    except SystemExit as e:\n"
	"        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)\n"
	"    except BaseException:\n"
	"        import traceback\n"
	"        traceback.print_exc()\n"
	"        status = 1\n"
	"    sys.stdout.flush()\n"
	"    sys.stderr.write('\\001retort-done %d\\n' % status)\n"
	"    sys.stderr.flush()\n";

#define SERVER_READY "\001retort-ready"
#define SERVER_DONE "\001retort-done "

struct alembic_session {
	const struct alembic_ini *ini;
	pid_t pid;            /* the server, or 0 */
	int in, err;          /* its standard input and error, or -1 */
	bool started;         /* tried to start it */
	struct strbuf line;   /* what was read of its standard error past a line */
};

void *alembic_session_open(void *ini)
{
	struct alembic_session *a = xcalloc(1, sizeof(*a));
	a->ini = ini;
	a->in = a->err = -1;
	sb_init(&a->line);
	return a;
}

static void session_stop(struct alembic_session *a)
{
	if (a->in >= 0)
		close(a->in);  /* end of its input: it leaves its loop */
	if (a->err >= 0)
		close(a->err);
	if (a->pid > 0)
		while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR)
			;
	a->in = a->err = -1;
	a->pid = 0;
}

void alembic_session_close(void *session)
{
	struct alembic_session *a = session;
	if (!a)
		return;
	session_stop(a);
	sb_free(&a->line);
	free(a);
}

/* The server's next line of standard error (without its newline) in
 * a->line's place: false at its end. */
static bool session_line(struct alembic_session *a, struct strbuf *out)
{
	for (;;) {
		const char *nl = memchr(a->line.buf ? a->line.buf : "", '\n', a->line.len);
		if (nl) {
			size_t n = (size_t)(nl - a->line.buf);
			sb_reset(out);
			sb_addn(out, a->line.buf, n);
			memmove(a->line.buf, nl + 1, a->line.len - n - 1);
			a->line.len -= n + 1;
			a->line.buf[a->line.len] = '\0';
			return true;
		}
		char buf[8192];
		ssize_t r = read(a->err, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!a->line.len)
				return false;
			sb_reset(out);
			sb_addn(out, a->line.buf, a->line.len);
			sb_reset(&a->line);
			return true;
		}
		sb_addn(&a->line, buf, (size_t)r);
	}
}

/* Starts the server once; false when it cannot run (no Python known, or
 * Alembic not importable): the steps then run one `alembic` each. */
static bool session_start(struct alembic_session *a)
{
	if (a->started)
		return a->pid > 0;
	a->started = true;
	/* a request is one line of tab-separated words */
	if (strpbrk(a->ini->path, "\t\n"))
		return false;
	uint32_t nw;
	char **words = python_words(&nw);
	if (!words)
		return false;
	char **argv = xcalloc(nw + 3, sizeof(*argv));
	for (uint32_t i = 0; i < nw; i++)
		argv[i] = words[i];
	argv[nw] = (char *)"-c";
	argv[nw + 1] = (char *)server_program;
	int in[2] = {-1, -1}, errp[2] = {-1, -1};
	bool ok = pipe2(in, O_CLOEXEC) == 0 && pipe2(errp, O_CLOEXEC) == 0;
	pid_t pid = ok ? spawn(argv, in[0], -1, errp[1]) : -1;
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0 && (i == 0 || pid < 0))
			close(in[i]);
		if (errp[i] >= 0 && (i == 1 || pid < 0))
			close(errp[i]);
	}
	for (uint32_t i = 0; i < nw; i++)
		free(words[i]);
	free(words);
	free(argv);
	if (pid < 0)
		return false;
	a->pid = pid;
	a->in = in[1];
	a->err = errp[0];
	struct strbuf l = STRBUF_INIT;
	bool ready = false;
	while (!ready && session_line(a, &l))
		ready = strcmp(sb_str(&l), SERVER_READY) == 0;
	sb_free(&l);
	if (!ready)
		session_stop(a);
	return ready;
}

/* Runs one command line in the server as alembic_exec would (standard
 * output is not kept); false when the server is gone before it answered:
 * res->status then says how it ended. */
static bool session_exec(struct alembic_session *a, const char *const *args,
                         void (*on_line)(void *ctx, const char *line), void *ctx,
                         struct alembic_result *res)
{
	memset(res, 0, sizeof(*res));
	struct strbuf req = STRBUF_INIT, e = STRBUF_INIT, l = STRBUF_INIT;
	sb_addf(&req, "-c\t%s", a->ini->path);
	for (uint32_t i = 0; args[i]; i++)
		sb_addf(&req, "\t%s", args[i]);
	sb_addc(&req, '\n');
	bool answered = false;
	size_t done = 0;
	while (done < req.len) {
		ssize_t w = write(a->in, req.buf + done, req.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	while (done == req.len && session_line(a, &l)) {
		const char *t = sb_str(&l);
		if (strncmp(t, SERVER_DONE, strlen(SERVER_DONE)) == 0) {
			res->status = atoi(t + strlen(SERVER_DONE));
			answered = true;
			break;
		}
		if (on_line)
			on_line(ctx, t);
		if (e.len < ERR_KEEP)
			sb_addf(&e, "%s\n", t);
	}
	if (!answered) {
		int status = 0;
		if (a->in >= 0)
			close(a->in);
		a->in = -1;
		if (a->pid > 0 && waitpid(a->pid, &status, 0) == a->pid)
			res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		else
			res->status = 1;
		a->pid = 0;
		session_stop(a);
	}
	res->out = xstrdup("");
	res->errtext = sb_detach(&e);
	sb_free(&req);
	sb_free(&l);
	return answered;
}

int alembic_step(void *session, const struct graph *g, const struct plan_step *s, char **err)
{
	struct alembic_session *a = session;
	const struct gnode *x = &g->nodes[s->rev];
	bool up = s->dir == PLAN_UPGRADE;
	char *target = up ? xstrdup(x->s.rev)
	                  : xasprintf("%s@%s", x->s.rev,
	                              x->nparents ? g->nodes[x->parents[0]].s.rev : "base");
	const char *args[] = {up ? "upgrade" : "downgrade", target, NULL};
	struct step_log sl = {x->s.rev, up, false, STRBUF_INIT};
	struct alembic_result r;
	int rc = RT_OK;
	if (session_start(a))
		session_exec(a, args, step_line, &sl, &r);
	else
		rc = alembic_exec(a->ini, args, step_line, &sl, &r, err);
	if (rc == RT_OK && r.status != 0) {
		char *t = why_failed(r.errtext);
		rc = rt_err(err, RT_EFAIL, "alembic %s %s exited with status %d: %s", args[0], target,
		            r.status, *t ? t : "(it said nothing)");
		free(t);
	} else if (rc == RT_OK && sl.other.len) {
		rc = rt_err(err, RT_EFAIL, "alembic %s %s ran %s%s", args[0], target, sb_str(&sl.other),
		            sl.ran ? " besides it" : " instead");
	}
	alembic_result_free(&r);
	sb_free(&sl.other);
	free(target);
	return rc;
}
