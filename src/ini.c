/* ini.c: retort.ini (retort.ini(5)).
 *
 * A deliberately strict INI dialect: one [retort] section and any number of
 * [target NAME] sections (a fleet's databases), known keys only, each at
 * most once. A typo in a migration tool's configuration must stop
 * it rather than be ignored, so every problem in the file is reported with
 * its line, all at once. */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"

#define CONFIG_FILE "retort.ini"
#define SECTION "retort"

enum key_kind {
	KEY_PATH,     /* a non-empty string */
	KEY_OPTIONAL, /* a string; empty means unset (NULL) */
	KEY_IDENT,    /* an SQL identifier */
	KEY_TXN,      /* enum txn_mode */
	KEY_SECONDS,  /* a non-negative int */
	KEY_BOOL,
	KEY_FORMAT,   /* enum config_format */
};

static const struct ini_key {
	const char *name;
	enum key_kind kind;
	size_t off; /* of the field in struct config */
} ini_keys[] = {
	{"script_location", KEY_PATH, offsetof(struct config, script_location)},
	{"database", KEY_OPTIONAL, offsetof(struct config, database)},
	{"version_table", KEY_IDENT, offsetof(struct config, version_table)},
	{"transaction_mode", KEY_TXN, offsetof(struct config, transaction_mode)},
	{"lock_timeout", KEY_SECONDS, offsetof(struct config, lock_timeout)},
	{"production", KEY_BOOL, offsetof(struct config, production)},
	{"schema", KEY_OPTIONAL, offsetof(struct config, schema)},
	{"format", KEY_FORMAT, offsetof(struct config, format)},
	{"targets", KEY_PATH, offsetof(struct config, targets_file)},
};

#define N_KEYS RT_ARRAY_LEN(ini_keys)

struct ini_parse {
	const char *path;
	char **err;
	int errors;
	struct config *c;
	uint32_t set_on[N_KEYS];  /* line that set each key, 0 if none */
	uint32_t section_line;    /* line of [retort], 0 before it */
	bool in_other_section;
	bool orphan_reported;     /* "expected [retort]" said once */
	/* Inside a [target NAME] section: the target being read (an index
	 * into c->targets), and the lines that set its keys. */
	int32_t in_target;        /* -1: not in one */
	uint32_t target_db_on, target_group_on;
};

#define TARGET_SECTION "target"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->script_location = xstrdup("migrations");
	c->version_table = xstrdup("retort_version");
	c->transaction_mode = TXN_PER_MIGRATION;
	c->lock_timeout = 60;
	c->production = false;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	free(c->path);
	free(c->script_location);
	free(c->database);
	free(c->version_table);
	free(c->schema);
	free(c->targets_file);
	for (uint32_t i = 0; i < c->ntargets; i++) {
		free(c->targets[i].name);
		free(c->targets[i].database);
		free(c->targets[i].group);
		free(c->targets[i].file);
	}
	free(c->targets);
	alembic_ini_free(&c->alembic);
	memset(c, 0, sizeof *c);
}

RT_PRINTF(3, 4)
static void ini_error(struct ini_parse *ps, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	rt_err(ps->err, RT_EINPUT, "%s:%u: %s", ps->path, (unsigned)line, msg);
	free(msg);
	ps->errors++;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Cuts an inline comment: ';' or '#' after a blank. A value may hold
 * either character otherwise (a URL fragment, a password). */
static void strip_inline_comment(char *s)
{
	for (char *p = s; *p; p++)
		if ((*p == ';' || *p == '#') && p > s && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

static bool is_var_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* Replaces each ${NAME} by the environment's value. Returns the expanded
 * value, or NULL with the problem reported. */
static char *expand_env(struct ini_parse *ps, uint32_t line, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	while (*s) {
		if (s[0] != '$' || s[1] != '{') {
			sb_addc(&sb, *s++);
			continue;
		}
		const char *name = s + 2, *close = strchr(name, '}');
		if (!close) {
			ini_error(ps, line, "unterminated '${' in value, expected ${NAME}");
			goto fail;
		}
		size_t n = (size_t)(close - name);
		if (!is_var_name(name, n)) {
			ini_error(ps, line, "invalid variable reference '${%.*s}', expected ${NAME}",
				  (int)n, name);
			goto fail;
		}
		char *var = xstrndup(name, n);
		const char *val = getenv(var);
		if (!val) {
			ini_error(ps, line, "environment variable '%s' is not set", var);
			free(var);
			goto fail;
		}
		free(var);
		sb_adds(&sb, val);
		s = close + 1;
	}
	return sb_detach(&sb);
fail:
	sb_free(&sb);
	return NULL;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < RT_ARRAY_LEN(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_seconds(const char *s, int *out)
{
	int v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		int d = *s - '0';
		if (v > (INT_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Checks and stores one value; a bad value is reported. */
static void apply_value(struct ini_parse *ps, uint32_t line, const struct ini_key *k,
			const char *val)
{
	void *field = (char *)ps->c + k->off;
	switch (k->kind) {
	case KEY_PATH:
		if (!*val) {
			ini_error(ps, line, "%s must not be empty", k->name);
			return;
		}
		break;
	case KEY_OPTIONAL:
		break;
	case KEY_IDENT:
		if (!ident_valid(val)) {
			ini_error(ps, line, "invalid %s '%s': expected letters, digits and '_', "
				  "not starting with a digit, at most 63 characters", k->name, val);
			return;
		}
		break;
	case KEY_TXN:
		if (strcmp(val, "per-migration") == 0)
			*(enum txn_mode *)field = TXN_PER_MIGRATION;
		else if (strcmp(val, "single") == 0)
			*(enum txn_mode *)field = TXN_SINGLE;
		else
			ini_error(ps, line, "invalid %s '%s': expected per-migration or single",
				  k->name, val);
		return;
	case KEY_SECONDS:
		if (!parse_seconds(val, (int *)field))
			ini_error(ps, line, "invalid %s '%s': expected a whole number of "
				  "seconds, 0 or more", k->name, val);
		return;
	case KEY_BOOL:
		if (!parse_bool(val, (bool *)field))
			ini_error(ps, line, "invalid %s '%s': expected true or false "
				  "(or yes/no, on/off, 1/0)", k->name, val);
		return;
	case KEY_FORMAT:
		if (strcmp(val, "retort") == 0)
			*(enum config_format *)field = CONFIG_FORMAT_RETORT;
		else if (strcmp(val, "alembic") == 0)
			*(enum config_format *)field = CONFIG_FORMAT_ALEMBIC;
		else
			ini_error(ps, line, "invalid %s '%s': expected retort or alembic", k->name, val);
		return;
	}
	char **str = field;
	free(*str);
	*str = *val ? xstrdup(val) : NULL;
}

static void unknown_key(struct ini_parse *ps, uint32_t line, const char *key)
{
	struct strbuf known = STRBUF_INIT;
	for (size_t i = 0; i < N_KEYS; i++)
		sb_addf(&known, "%s%s", i ? ", " : "", ini_keys[i].name);
	ini_error(ps, line, "unknown key '%s' (known keys: %s)", key, sb_str(&known));
	sb_free(&known);
}

/* A target's or a group's name: it is typed after --target and shown in
 * every line of a fleet run, so it is a plain word. */
static bool target_name_valid(const char *s)
{
	if (!isalnum((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

#define TARGET_NAME_RULE "letters, digits, '.', '_' and '-', starting with a letter or a digit"

static int32_t find_target(const struct config *c, const char *name)
{
	for (uint32_t i = 0; i < c->ntargets; i++)
		if (strcmp(c->targets[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

/* Adds a target (name already checked) defined at file:line, unless its
 * name is taken: then the error names both places. Returns its index, or
 * -1. */
static int32_t add_target(struct ini_parse *ps, uint32_t line, const char *name)
{
	struct config *c = ps->c;
	int32_t dup = find_target(c, name);
	if (dup >= 0) {
		ini_error(ps, line, "duplicate target '%s' (first defined at %s:%u)", name,
		          c->targets[dup].file, (unsigned)c->targets[dup].line);
		return -1;
	}
	c->targets = xrealloc(c->targets, (c->ntargets + 1) * sizeof(*c->targets));
	c->targets[c->ntargets] = (struct config_target){xstrdup(name), NULL, NULL,
	                                                 xstrdup(ps->path), line};
	return (int32_t)c->ntargets++;
}

/* The end of a [target NAME] section: it must have named its database. */
static void end_target(struct ini_parse *ps)
{
	if (ps->in_target < 0)
		return;
	const struct config_target *t = &ps->c->targets[ps->in_target];
	if (!t->database)
		ini_error(ps, t->line, "target '%s' has no database: add 'database = URL' to "
		          "[target %s]", t->name, t->name);
	ps->in_target = -1;
}

static void begin_target(struct ini_parse *ps, uint32_t line, char *rest)
{
	char *name = trim(rest);
	if (!*name) {
		ini_error(ps, line, "[target] needs a name: [target NAME]");
		ps->in_other_section = true;
		return;
	}
	if (!target_name_valid(name) || strcmp(name, "all") == 0) {
		ini_error(ps, line, "invalid target name '%s': expected " TARGET_NAME_RULE
		          " (and not 'all', which means every target)", name);
		ps->in_other_section = true;
		return;
	}
	ps->in_target = add_target(ps, line, name);
	ps->in_other_section = ps->in_target < 0;
	ps->target_db_on = ps->target_group_on = 0;
}

static void parse_section(struct ini_parse *ps, uint32_t line, char *s)
{
	end_target(ps);
	char *close = strchr(s, ']');
	char *after = close ? trim(close + 1) : NULL;
	if (!close || (*after && *after != ';' && *after != '#')) {
		ini_error(ps, line, "malformed section header, expected [" SECTION "]");
		return;
	}
	*close = '\0';
	char *name = trim(s + 1);
	size_t tl = strlen(TARGET_SECTION);
	if (strncmp(name, TARGET_SECTION, tl) == 0 &&
	    (name[tl] == '\0' || isspace((unsigned char)name[tl]))) {
		begin_target(ps, line, name + tl);
		return;
	}
	if (strcmp(name, SECTION) != 0) {
		ini_error(ps, line, "unknown section '[%s]', expected [" SECTION "] or "
		          "[" TARGET_SECTION " NAME]", name);
		ps->in_other_section = true;
		return;
	}
	if (ps->section_line)
		ini_error(ps, line, "duplicate section [" SECTION "] (first on line %u)",
			  (unsigned)ps->section_line);
	else
		ps->section_line = line;
	ps->in_other_section = false;
}

/* key = value inside [target NAME]: database and group. */
static void target_pair(struct ini_parse *ps, uint32_t line, const char *key, char *raw)
{
	struct config_target *t = &ps->c->targets[ps->in_target];
	static const char *const keys[] = {"database", "group"};
	uint32_t *set_on[] = {&ps->target_db_on, &ps->target_group_on};
	char **field[] = {&t->database, &t->group};
	size_t i = 0;
	while (i < RT_ARRAY_LEN(keys) && strcasecmp(keys[i], key) != 0)
		i++;
	if (i == RT_ARRAY_LEN(keys)) {
		ini_error(ps, line, "unknown key '%s' in [target %s] (known keys: database, group)",
		          key, t->name);
		return;
	}
	if (*set_on[i]) {
		ini_error(ps, line, "duplicate key '%s' (first set on line %u)", keys[i],
		          (unsigned)*set_on[i]);
		return;
	}
	*set_on[i] = line;
	strip_inline_comment(raw);
	char *val = expand_env(ps, line, trim(raw));
	if (!val)
		return;
	if (!*val)
		ini_error(ps, line, "%s must not be empty", keys[i]);
	else if (i == 1 && (!target_name_valid(val) || strcmp(val, "all") == 0))
		ini_error(ps, line, "invalid group name '%s': expected " TARGET_NAME_RULE
		          " (and not 'all')", val);
	else
		*field[i] = xstrdup(val);
	free(val);
}

static void parse_pair(struct ini_parse *ps, uint32_t line, char *s)
{
	char *eq = strchr(s, '=');
	if (!eq) {
		ini_error(ps, line, "malformed line, expected key = value");
		return;
	}
	*eq = '\0';
	char *key = trim(s);
	if (!*key) {
		ini_error(ps, line, "malformed line, expected key = value");
		return;
	}
	if (ps->in_target >= 0) {
		target_pair(ps, line, key, eq + 1);
		return;
	}
	size_t i = 0;
	while (i < N_KEYS && strcasecmp(ini_keys[i].name, key) != 0)
		i++;
	if (i == N_KEYS) {
		unknown_key(ps, line, key);
		return;
	}
	if (ps->set_on[i]) {
		ini_error(ps, line, "duplicate key '%s' (first set on line %u)",
			  ini_keys[i].name, (unsigned)ps->set_on[i]);
		return;
	}
	ps->set_on[i] = line;
	char *raw = eq + 1;
	strip_inline_comment(raw);
	char *val = expand_env(ps, line, trim(raw));
	if (val)
		apply_value(ps, line, &ini_keys[i], val);
	free(val);
}

static void parse_line(struct ini_parse *ps, uint32_t line, char *s)
{
	s = trim(s);
	if (!*s || *s == ';' || *s == '#')
		return;
	if (*s == '[') {
		parse_section(ps, line, s);
		return;
	}
	if (ps->in_other_section)
		return;  /* that section's header was the error */
	if (!ps->section_line && ps->in_target < 0) {
		if (!ps->orphan_reported)
			ini_error(ps, line, "expected [" SECTION "]");
		ps->orphan_reported = true;
		return;
	}
	parse_pair(ps, line, s);
}

static uint32_t line_of(const char *buf, const char *at)
{
	uint32_t line = 1;
	for (const char *p = buf; p < at; p++)
		line += *p == '\n';
	return line;
}

/* Text checks before parsing: line-by-line parsing of binary data would
 * only produce noise. */
static bool check_text(struct ini_parse *ps, const char *buf, size_t len)
{
	const char *nul = memchr(buf, '\0', len);
	if (nul)
		ini_error(ps, line_of(buf, nul), "contains a NUL byte: not a text file");
	uint32_t bad_line = 0;
	if (!utf8_valid(buf, len, &bad_line))
		ini_error(ps, bad_line, "not valid UTF-8");
	return ps->errors == 0;
}

static void parse_buffer(struct ini_parse *ps, char *buf, size_t len)
{
	if (!check_text(ps, buf, len))
		return;
	char *p = buf;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;  /* a byte-order mark some editors write */
	for (uint32_t line = 1; p; line++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		parse_line(ps, line, p);
		p = nl ? nl + 1 : NULL;
	}
	end_target(ps);
}

/* Splits s at blanks into at most max words (in place); returns how many
 * there were, counting those past max. */
static int split_words(char *s, char **w, int max)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n < max)
			w[n] = s;
		n++;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* One line of the targets file: NAME URL [GROUP]. */
static void targets_file_line(struct ini_parse *ps, uint32_t line, char *s)
{
	s = trim(s);
	if (!*s || *s == '#' || *s == ';')
		return;
	strip_inline_comment(s);
	char *w[3] = {NULL, NULL, NULL};
	int n = split_words(s, w, 3);
	if (n < 2 || n > 3) {
		ini_error(ps, line, "expected NAME URL [GROUP], found %d word%s", n,
		          n == 1 ? "" : "s");
		return;
	}
	if (!target_name_valid(w[0]) || strcmp(w[0], "all") == 0) {
		ini_error(ps, line, "invalid target name '%s': expected " TARGET_NAME_RULE
		          " (and not 'all', which means every target)", w[0]);
		return;
	}
	if (w[2] && (!target_name_valid(w[2]) || strcmp(w[2], "all") == 0)) {
		ini_error(ps, line, "invalid group name '%s': expected " TARGET_NAME_RULE
		          " (and not 'all')", w[2]);
		return;
	}
	char *url = expand_env(ps, line, w[1]);
	if (!url)
		return;
	int32_t t = add_target(ps, line, w[0]);
	if (t >= 0) {
		ps->c->targets[t].database = url;
		ps->c->targets[t].group = w[2] ? xstrdup(w[2]) : NULL;
	} else {
		free(url);
	}
}

/* The file `targets` names, relative to the directory of the file that
 * names it (config_path), its lines read into c->targets. */
static void load_targets_file(struct ini_parse *main, const char *config_path)
{
	struct config *c = main->c;
	const char *name = c->targets_file;
	const char *slash = strrchr(config_path, '/');
	char *path = name[0] == '/' || !slash
	                 ? xstrdup(name)
	                 : xasprintf("%.*s/%s", (int)(slash - config_path), config_path, name);
	char *buf;
	size_t len;
	char *rerr = NULL;
	if (read_file(path, &buf, &len, &rerr) != RT_OK) {
		uint32_t line = 0;
		for (size_t i = 0; i < N_KEYS; i++)
			if (strcmp(ini_keys[i].name, "targets") == 0)
				line = main->set_on[i];
		ini_error(main, line, "targets: %s",
		          rerr ? rerr : path);
		free(rerr);
		free(path);
		return;
	}
	struct ini_parse ps = {.path = path, .err = main->err, .c = c, .in_target = -1};
	if (check_text(&ps, buf, len)) {
		char *p = buf;
		for (uint32_t line = 1; p; line++) {
			char *nl = strchr(p, '\n');
			if (nl)
				*nl = '\0';
			targets_file_line(&ps, line, p);
			p = nl ? nl + 1 : NULL;
		}
	}
	main->errors += ps.errors;
	free(buf);
	free(path);
}

/* A group must not share a target's name: --target NAME would mean either. */
static void check_groups(struct ini_parse *ps)
{
	struct config *c = ps->c;
	for (uint32_t i = 0; i < c->ntargets; i++) {
		const struct config_target *t = &c->targets[i];
		int32_t same = t->group ? find_target(c, t->group) : -1;
		if (same < 0)
			continue;
		char *msg = xasprintf("%s:%u: group '%s' of target '%s' is also the name of a "
		                      "target (defined at %s:%u): --target %s would mean either",
		                      t->file, (unsigned)t->line, t->group, t->name,
		                      c->targets[same].file, (unsigned)c->targets[same].line,
		                      t->group);
		rt_err(ps->err, RT_EINPUT, "%s", msg);
		free(msg);
		ps->errors++;
	}
}

#define ALEMBIC_FILE "alembic.ini"

/* An Alembic project: alembic.ini at ini_path over c, whose own settings
 * (from retort.ini, set_on by key) win. */
static int load_alembic(struct config *c, const char *ini_path, const uint32_t *set_on,
                        char **err)
{
	int rc = alembic_ini_load(ini_path, &c->alembic, err);
	if (rc != RT_OK)
		return rc;
	c->format = CONFIG_FORMAT_ALEMBIC;
	for (size_t i = 0; i < N_KEYS; i++) {
		if (set_on && set_on[i])
			continue;
		char **field = (char **)((char *)c + ini_keys[i].off);
		if (!strcmp(ini_keys[i].name, "script_location")) {
			free(*field);
			*field = xstrdup(c->alembic.script_location);
		} else if (!strcmp(ini_keys[i].name, "version_table")) {
			free(*field);
			*field = xstrdup("alembic_version");
		} else if (!strcmp(ini_keys[i].name, "database") && c->alembic.url) {
			free(*field);
			*field = xstrdup(c->alembic.url);
		}
	}
	return RT_OK;
}

int config_load(const char *path, struct config *out, char **err)
{
	/* *out is written only on success, as everywhere */
	const char *alembic = NULL;
	if (!path) {
		path = CONFIG_FILE;
		if (access(path, F_OK) != 0 && errno == ENOENT) {
			if (access(ALEMBIC_FILE, F_OK) != 0) {
				config_defaults(out);
				return RT_OK;
			}
			alembic = ALEMBIC_FILE;
		}
	} else if (alembic_ini_is(path)) {
		alembic = path;
	}
	if (alembic) {
		struct config a;
		config_defaults(&a);
		int rc = load_alembic(&a, alembic, NULL, err);
		if (rc != RT_OK) {
			config_free(&a);
			return rc;
		}
		if (!a.path)
			a.path = xstrdup(alembic);
		*out = a;
		return RT_OK;
	}
	char *buf;
	size_t len;
	int rc = read_file(path, &buf, &len, err);
	if (rc != RT_OK)
		return rc;

	struct config c;
	config_defaults(&c);
	c.path = xstrdup(path);
	struct ini_parse ps = {.path = path, .err = err, .c = &c, .in_target = -1};
	parse_buffer(&ps, buf, len);
	free(buf);
	if (!ps.errors && c.targets_file)
		load_targets_file(&ps, path);
	if (!ps.errors)
		check_groups(&ps);
	if (ps.errors) {
		config_free(&c);
		return RT_EINPUT;
	}
	if (c.format == CONFIG_FORMAT_ALEMBIC) {
		/* the alembic.ini beside this file */
		const char *slash = strrchr(path, '/');
		char *ini = slash ? xasprintf("%.*s/" ALEMBIC_FILE, (int)(slash - path), path)
		                  : xstrdup(ALEMBIC_FILE);
		rc = load_alembic(&c, ini, ps.set_on, err);
		free(ini);
		if (rc != RT_OK) {
			config_free(&c);
			return rc;
		}
	}
	*out = c;
	return RT_OK;
}

/* ---- fleet targets, for completion ---- */

static void add_name(char ***v, uint32_t *n, const char *s, size_t len)
{
	if (!len)
		return;
	for (uint32_t i = 0; i < *n; i++)
		if (strlen((*v)[i]) == len && strncmp((*v)[i], s, len) == 0)
			return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = xstrndup(s, len);
}

/* The words of a `targets` file's line: NAME URL [GROUP]; names and
 * groups are kept. */
static void scan_targets_file(const char *path, char ***v, uint32_t *n)
{
	char *buf = NULL;
	size_t len = 0;
	if (read_file(path, &buf, &len, NULL) != RT_OK)
		return;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line = trim(line);
		if (!*line || *line == '#' || *line == ';')
			continue;
		size_t w[3] = {0}, at[3] = {0};
		int k = 0;
		for (char *p = line; *p && k < 3;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				break;
			at[k] = (size_t)(p - line);
			while (*p && *p != ' ' && *p != '\t')
				p++;
			w[k] = (size_t)(p - line) - at[k];
			k++;
		}
		add_name(v, n, line + at[0], w[0]);
		if (k == 3)
			add_name(v, n, line + at[2], w[2]);
	}
	free(buf);
}

void config_target_names(const char *path, char ***names, uint32_t *n)
{
	*names = NULL;
	*n = 0;
	char *buf = NULL;
	size_t len = 0;
	if (read_file(path ? path : CONFIG_FILE, &buf, &len, NULL) != RT_OK)
		return;
	bool in_target = false, in_retort = false;
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line = trim(line);
		if (*line == '[') {
			char *close = strchr(line, ']');
			if (!close)
				continue;
			*close = '\0';
			char *name = trim(line + 1);
			in_retort = strcmp(name, SECTION) == 0;
			in_target = strncmp(name, "target", 6) == 0 && (name[6] == ' ' || name[6] == '\t');
			if (in_target) {
				name = trim(name + 6);
				add_name(names, n, name, strlen(name));
			}
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq || (!in_target && !in_retort))
			continue;
		*eq = '\0';
		char *key = trim(line), *val = eq + 1;
		strip_inline_comment(val);
		val = trim(val);
		if (in_target && strcasecmp(key, "group") == 0)
			add_name(names, n, val, strlen(val));
		else if (in_retort && strcasecmp(key, "targets") == 0 && *val) {
			/* relative to the directory of the file that names it */
			const char *base = path ? path : CONFIG_FILE, *slash = strrchr(base, '/');
			char *file = *val == '/' || !slash ? xstrdup(val)
			             : xasprintf("%.*s/%s", (int)(slash - base), base, val);
			scan_targets_file(file, names, n);
			free(file);
		}
	}
	free(buf);
}
