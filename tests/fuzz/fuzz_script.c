/* fuzz_script.c: script_parse, and the .py reader of Alembic's revisions,
 * on arbitrary bytes.
 *
 * Beyond surviving the input: a script that parses has its sections inside
 * the file and on the lines it claims, ids and labels that are valid, and
 * the same header after a round trip through script_render; a script that
 * is refused says why on "path:line:" lines and leaves *out alone. A .py
 * revision that parses has the same properties (its sections are its
 * functions' source) and reads back the same after script_py_render. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "script.h"

#define PATH "fuzz.sql"

static void check_section(const char *buf, size_t size, size_t off, size_t len,
                          uint32_t line, const char *what)
{
	fuzz_check(off <= size && len <= size - off, "%s [%zu, +%zu) outside %zu bytes",
	           what, off, len, size);
	/* A marker on the last line, without a newline, opens an empty
	 * section on the line after it. */
	uint32_t want = fuzz_line_at(buf, off, 1) +
		(off == size && (size == 0 || buf[size - 1] != '\n'));
	fuzz_check(line == want, "%s starts on line %u, not %u", what, line, want);
}

static bool same_list(const char *const *a, uint32_t na, const char *const *b, uint32_t nb)
{
	if (na != nb)
		return false;
	for (uint32_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

/* Renders the parsed header again and parses the result: the revision
 * command writes scripts this way, and they must read back the same. */
static void round_trip(const char *buf, const struct script *s)
{
	/* Rendering turns a CR inside the message into a blank. */
	if (strchr(s->message, '\r'))
		return;
	char *up = xstrndup(buf + s->up_off, s->up_len);
	char *down = s->has_downgrade ? xstrndup(buf + s->down_off, s->down_len) : NULL;
	struct script_new n = {
		.rev = s->rev, .message = s->message,
		.create_date = s->create_date ? s->create_date : "",
		.parents = s->parents, .nparents = s->nparents,
		.labels = s->labels, .nlabels = s->nlabels,
		.depends = s->depends, .ndepends = s->ndepends,
		.upgrade_sql = up, .downgrade_sql = down,
	};
	char *text = script_render(&n);
	struct arena a;
	struct script r;
	char *err = NULL;
	arena_init(&a);
	int rc = script_parse(PATH, text, strlen(text), &a, &r, &err);
	fuzz_check(rc == RT_OK, "the rendered script does not parse: %s\n%s", err, text);
	fuzz_check(strcmp(r.rev, s->rev) == 0, "rev '%s' became '%s'", s->rev, r.rev);
	fuzz_check(strcmp(r.message, s->message) == 0, "message '%s' became '%s'",
	           s->message, r.message);
	fuzz_check(strcmp(r.create_date, n.create_date) == 0, "create date '%s' became '%s'",
	           n.create_date, r.create_date);
	fuzz_check(same_list(r.parents, r.nparents, s->parents, s->nparents), "Revises changed");
	fuzz_check(same_list(r.labels, r.nlabels, s->labels, s->nlabels), "labels changed");
	fuzz_check(same_list(r.depends, r.ndepends, s->depends, s->ndepends),
	           "Depends On changed");
	fuzz_check(r.up_len >= s->up_len && memcmp(text + r.up_off, up, s->up_len) == 0,
	           "the upgrade SQL changed");

	char *name = script_filename(s->rev, s->message, n.create_date);
	size_t len = strlen(name);
	fuzz_check(len > 4 && strcmp(name + len - 4, ".sql") == 0 && !strchr(name, '/'),
	           "bad file name '%s'", name);
	free(name);
	arena_free(&a);
	free(text);
	free(up);
	free(down);
}

static void check_parsed(const char *buf, size_t size, const struct script *s)
{
	fuzz_check(script_valid_rev(s->rev), "invalid rev '%s' accepted", s->rev);
	for (uint32_t i = 0; i < s->nparents; i++)
		fuzz_check(script_valid_rev(s->parents[i]), "invalid parent '%s'", s->parents[i]);
	for (uint32_t i = 0; i < s->nlabels; i++)
		fuzz_check(script_valid_label(s->labels[i]) &&
		           !script_reserved_word(s->labels[i]), "bad label '%s'", s->labels[i]);
	for (uint32_t i = 0; i < s->ndepends; i++)
		fuzz_check(*s->depends[i], "empty Depends On item");
	check_section(buf, size, s->up_off, s->up_len, s->up_line, "upgrade");
	if (s->has_downgrade) {
		check_section(buf, size, s->down_off, s->down_len, s->down_line, "downgrade");
		fuzz_check(s->up_off + s->up_len <= s->down_off, "sections overlap");
	} else {
		fuzz_check(s->down_len == 0, "a downgrade section without its marker");
	}
	round_trip(buf, s);
}

/* A refused file: said why on "path:line:" lines, *out left alone. */
static void check_refused(int rc, const char *err, const struct script *s,
                          const struct script *untouched, const char *prefix)
{
	fuzz_check(rc == RT_EINPUT, "%s status %d", prefix, rc);
	fuzz_check(fuzz_err_lines_start(err, prefix, true), "error shape: %s", err);
	fuzz_check(memcmp(s, untouched, sizeof *s) == 0, "%s a refused file wrote *out", prefix);
}

/* The .py reader: the same shape of result, and a revision written from
 * the header it read (Alembic's default template) reads back the same. */
static void fuzz_py(const char *buf, size_t size)
{
	struct arena a;
	struct script s, untouched;
	char *err = NULL;
	memset(&s, 0x5a, sizeof s);
	memcpy(&untouched, &s, sizeof s);
	arena_init(&a);
	int rc = script_format_alembic.parse("fuzz.py", buf, size, &a, &s, &err);
	if (rc != RT_OK) {
		check_refused(rc, err, &s, &untouched, "fuzz.py:");
		free(err);
		arena_free(&a);
		return;
	}
	fuzz_check(err == NULL, "py: success with an error: %s", err);
	fuzz_check(script_valid_rev(s.rev), "py: invalid rev '%s' accepted", s.rev);
	for (uint32_t i = 0; i < s.nparents; i++)
		fuzz_check(script_valid_rev(s.parents[i]), "py: invalid parent '%s'", s.parents[i]);
	for (uint32_t i = 0; i < s.nlabels; i++)
		fuzz_check(script_valid_label(s.labels[i]) && !script_reserved_word(s.labels[i]),
		           "py: bad label '%s'", s.labels[i]);
	fuzz_check(s.up_off <= size && s.up_len <= size - s.up_off, "py: upgrade() outside");
	fuzz_check(s.down_off <= size && s.down_len <= size - s.down_off, "py: downgrade() outside");
	fuzz_check(s.message && s.doc && strncmp(s.doc, s.message, strlen(s.message)) == 0,
	           "py: the message is not the docstring's start");
	/* a docstring that holds quotes or backslashes is not written back */
	if (!strpbrk(s.message, "\"\\") && !strchr(s.message, '\r')) {
		struct script_new n = {
			.rev = s.rev, .message = s.message, .create_date = "2026-01-01 00:00:00",
			.parents = s.parents, .nparents = s.nparents,
			.labels = s.labels, .nlabels = s.nlabels,
			.depends = s.depends, .ndepends = s.ndepends,
		};
		char *text = script_py_render(&n, NULL, NULL);
		struct script r;
		char *rerr = NULL;
		rc = script_format_alembic.parse("fuzz.py", text, strlen(text), &a, &r, &rerr);
		fuzz_check(rc == RT_OK, "py: the written revision does not parse: %s\n%s", rerr, text);
		fuzz_check(strcmp(r.rev, s.rev) == 0, "py: rev '%s' became '%s'", s.rev, r.rev);
		fuzz_check(same_list(r.parents, r.nparents, s.parents, s.nparents), "py: parents changed");
		fuzz_check(same_list(r.labels, r.nlabels, s.labels, s.nlabels), "py: labels changed");
		fuzz_check(same_list(r.depends, r.ndepends, s.depends, s.ndepends),
		           "py: depends changed (%u: '%s' ... became %u: '%s' ...) in\n%s", s.ndepends,
		           s.ndepends ? s.depends[0] : "", r.ndepends, r.ndepends ? r.depends[0] : "",
		           text);
		free(rerr);
		free(text);
	}
	arena_free(&a);
}

FUZZ_INIT(script)
{
	return 0;
}

FUZZ_ONE(script)
{
	const char *buf = (const char *)data;
	struct arena a;
	struct script s, untouched;
	char *err = NULL;
	memset(&s, 0x5a, sizeof s);
	memcpy(&untouched, &s, sizeof s);
	arena_init(&a);
	int rc = script_parse(PATH, buf, size, &a, &s, &err);
	if (rc == RT_OK) {
		fuzz_check(err == NULL, "success with an error: %s", err);
		check_parsed(buf, size, &s);
	} else {
		check_refused(rc, err, &s, &untouched, PATH ":");
	}
	free(err);
	arena_free(&a);
	fuzz_py(buf, size);
	return 0;
}
