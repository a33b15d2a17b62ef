/* test_alembic.c: alembic.ini as Alembic reads it (configparser's
 * sections, continuation lines and interpolation; version_locations with
 * each version_path_separator; recursive_version_locations; the database),
 * and an Alembic project found by retort's configuration. */
#include "ini.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alembic.h"
#include "tap.h"
#include "util.h"

static char tmpdir[PATH_MAX];

static void write_file(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	free(path);
}

static int load(const char *text, struct alembic_ini *a, char **err)
{
	write_file("alembic.ini", text);
	*err = NULL;
	return alembic_ini_load("alembic.ini", a, err);
}

static const char *dirs(const struct alembic_ini *a)
{
	static char buf[2048];
	buf[0] = '\0';
	for (uint32_t i = 0; i < a->nversion_dirs; i++) {
		if (i)
			strcat(buf, "|");
		const char *d = a->version_dirs[i];
		/* shown relative to the test's directory */
		if (strncmp(d, tmpdir, strlen(tmpdir)) == 0)
			d += strlen(tmpdir);
		strcat(buf, d);
	}
	return buf;
}

static void fails_with(const char *text, const char *want, const char *what)
{
	struct alembic_ini a;
	char *err;
	is_int(load(text, &a, &err), RT_EINPUT, "%s: refused", what);
	is_str(err, want, "%s: message", what);
	free(err);
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "%s/retort-test-alembic-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir) || chdir(tmpdir) != 0) {
		printf("Bail out! cannot make %s\n", tmpdir);
		return 1;
	}
	char *real = realpath(tmpdir, NULL);
	snprintf(tmpdir, sizeof tmpdir, "%s", real);
	free(real);
	struct alembic_ini a;
	char *err;

	/* Alembic's generic template, as `alembic init` writes it. */
	is_int(load("# A generic, single database configuration.\n\n[alembic]\n"
	            "# path to migration scripts\nscript_location = migrations\n\n"
	            "# version_path_separator = os  # Use os.pathsep.\n"
	            "version_path_separator = os  # Use os.pathsep. Default configuration used "
	            "for new projects.\n\nsqlalchemy.url = driver://user:pass@localhost/dbname\n\n"
	            "[loggers]\nkeys = root,sqlalchemy,alembic\n", &a, &err), RT_OK,
	       "the generic template");
	free(err);
	is_str(a.script_location, "migrations", "script_location");
	is_str(dirs(&a), "/migrations/versions", "script_location/versions, absolute");
	ok(!a.version_locations && !a.recursive, "no version_locations, not recursive");
	is_str(a.url, "driver://user:pass@localhost/dbname", "sqlalchemy.url");
	is_int(a.url_line, 10, "its line");
	alembic_ini_free(&a);

	/* %(here)s, [DEFAULT], continuation lines, ':' as the delimiter. */
	is_int(load("[DEFAULT]\nroot = %(here)s/db\n[alembic]\nscript_location: %(here)s/mig\n"
	            "version_locations = %(here)s/mig/versions\n  %(here)s/extra\n"
	            "version_path_separator = newline\nrecursive_version_locations = true\n"
	            "sqlalchemy.url = sqlite:///%(root)s/app.db\nother = 100%%\n", &a, &err),
	       RT_OK, "interpolation and continuation");
	free(err);
	char *want = xasprintf("%s/mig", tmpdir);
	is_str(a.script_location, want, "%%(here)s is the file's directory");
	free(want);
	is_str(dirs(&a), "/mig/versions|/extra", "a value over two lines, split on newlines");
	ok(a.version_locations && a.recursive, "version_locations, recursive");
	want = xasprintf("sqlite:///%s/db/app.db", tmpdir);
	is_str(a.url, want, "%%(root)s from [DEFAULT], itself interpolated");
	free(want);
	alembic_ini_free(&a);

	static const struct {
		const char *sep, *locs, *want;
	} seps[] = {
		{NULL, "a, b c,d", "/a|/b|/c|/d"},
		{"space", "a b  c", "/a|/b|/c"},
		{"os", "a:b", "/a|/b"},
		{":", "a:./b/../c", "/a|/c"},
		{";", "a b;c", "/a b|/c"},
	};
	for (size_t i = 0; i < RT_ARRAY_LEN(seps); i++) {
		char *text = xasprintf("[alembic]\nscript_location = m\nversion_locations = %s\n%s%s%s",
		                       seps[i].locs, seps[i].sep ? "version_path_separator = " : "",
		                       seps[i].sep ? seps[i].sep : "", seps[i].sep ? "\n" : "");
		is_int(load(text, &a, &err), RT_OK, "separator %s", seps[i].sep ? seps[i].sep : "(none)");
		free(err);
		is_str(dirs(&a), seps[i].want, "separator %s splits", seps[i].sep ? seps[i].sep : "(none)");
		alembic_ini_free(&a);
		free(text);
	}

	fails_with("[alembic]\nsqlalchemy.url = x\n", "alembic.ini:1: no 'script_location' in [alembic]",
	           "no script_location");
	fails_with("script_location = m\n[alembic]\n", "alembic.ini:1: a line before the first [section]",
	           "a key before any section");
	fails_with("[alembic]\nscript_location = m\nscript_location = n\n",
	           "alembic.ini:3: 'script_location' is set twice in [alembic]", "a key twice");
	fails_with("[alembic]\nscript_location = %(nowhere)s/m\n",
	           "alembic.ini:2: script_location refers to %(nowhere)s, which is not set",
	           "an unknown reference");
	fails_with("[alembic]\nscript_location = myapp:migrations\n",
	           "alembic.ini:2: script_location 'myapp:migrations' names a Python package: retort "
	           "reads files without running Python; give the directory's path",
	           "a package resource");
	fails_with("[alembic]\nscript_location = m\nversion_locations = a\nversion_path_separator = |\n",
	           "alembic.ini:4: '|' is not a valid value for version_path_separator; expected "
	           "'space', 'newline', 'os', ':', ';'", "an unknown separator");

	/* How retort's configuration finds it. */
	ok(alembic_ini_is("alembic.ini"), "an [alembic] section: Alembic's file");
	write_file("mixed.ini", "[alembic]\nscript_location = m\n[retort]\n");
	ok(!alembic_ini_is("mixed.ini"), "with a [retort] section: retort's");
	write_file("alembic.ini", "[alembic]\nscript_location = m\nsqlalchemy.url = "
	           "postgresql+psycopg2://u@h/db\n");
	struct config c;
	is_int(config_load(NULL, &c, &err), RT_OK, "no retort.ini: alembic.ini is read");
	is_int(c.format, CONFIG_FORMAT_ALEMBIC, "an Alembic project");
	is_str(c.version_table, "alembic_version", "its version table");
	is_str(c.database, "postgresql+psycopg2://u@h/db", "its database");
	is_str(c.script_location, "m", "its script location");
	config_free(&c);
	write_file("retort.ini", "[retort]\nformat = alembic\nversion_table = my_version\n");
	is_int(config_load(NULL, &c, &err), RT_OK, "retort.ini with format = alembic");
	is_int(c.format, CONFIG_FORMAT_ALEMBIC, "an Alembic project");
	is_str(c.version_table, "my_version", "retort.ini's version_table wins");
	is_str(c.database, "postgresql+psycopg2://u@h/db", "the database from alembic.ini");
	config_free(&c);
	write_file("retort.ini", "[retort]\n");
	is_int(config_load(NULL, &c, &err), RT_OK, "retort.ini without format");
	is_int(c.format, CONFIG_FORMAT_RETORT, "retort's project");
	config_free(&c);
	is_int(config_load("alembic.ini", &c, &err), RT_OK, "-c alembic.ini");
	is_int(c.format, CONFIG_FORMAT_ALEMBIC, "an Alembic project");
	config_free(&c);

	unlink("alembic.ini");
	unlink("mixed.ini");
	unlink("retort.ini");
	if (chdir("/") == 0)
		rmdir(tmpdir);
	return done_testing();
}
