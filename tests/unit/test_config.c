/* Unit tests for ini.c: retort.ini parsing, values, and error reports. */
#include "ini.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

static char tmpdir[PATH_MAX];

/* Writes len bytes to a new temporary file; returns its malloc'd path. */
static char *write_tmp(const char *text, size_t len)
{
	char *path = xasprintf("%s/retort-XXXXXX", tmpdir);
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		perror("mkstemp");
		exit(99);
	}
	close(fd);
	return path;
}

/* Loads text as a configuration file. */
static int load_bytes(const char *text, size_t len, struct config *c, char **err,
		      char **path_out)
{
	char *path = write_tmp(text, len);
	*err = NULL;
	int rc = config_load(path, c, err);
	unlink(path);
	if (path_out)
		*path_out = path;
	else
		free(path);
	return rc;
}

static int load(const char *text, struct config *c, char **err)
{
	return load_bytes(text, strlen(text), c, err, NULL);
}

/* A file that must load; the configuration is left in c. */
static bool load_ok(const char *text, struct config *c, const char *what)
{
	char *err = NULL;
	int rc = load(text, c, &err);
	is_int(rc, RT_OK, "%s: loads", what);
	if (rc != RT_OK) {
		printf("#   %s\n", err);
		free(err);
		config_defaults(c);
		return false;
	}
	return true;
}

/* Replaces "F:" at the start of each line of want, and after "at ", by
 * the file's path. */
static char *with_path(const char *want, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	bool bol = true;
	for (const char *p = want; *p; p++) {
		bool at = p - want >= 3 && strncmp(p - 3, "at ", 3) == 0;
		if ((bol || at) && p[0] == 'F' && p[1] == ':') {
			sb_adds(&sb, path);
			p++;
		}
		sb_addc(&sb, *p);
		bol = *p == '\n';
	}
	return sb_detach(&sb);
}

/* A file that must be refused with exactly the errors in want ("F" stands
 * for the file's path), leaving the output untouched. */
static void load_bad_bytes(const char *text, size_t len, const char *want, const char *what)
{
	struct config c = {.lock_timeout = -7};
	char *err = NULL, *path = NULL;
	is_int(load_bytes(text, len, &c, &err, &path), RT_EINPUT, "%s: refused", what);
	char *full = with_path(want, path);
	is_str(err, full, "%s: message", what);
	is_int(c.lock_timeout, -7, "%s: output untouched", what);
	free(full);
	free(path);
	free(err);
}

static void load_bad(const char *text, const char *want, const char *what)
{
	load_bad_bytes(text, strlen(text), want, what);
}

static void test_defaults(void)
{
	struct config c;
	config_defaults(&c);
	is_str(c.script_location, "migrations", "default script_location");
	is_str(c.version_table, "retort_version", "default version_table");
	ok(c.database == NULL && c.schema == NULL && c.path == NULL,
	   "no database, schema or file by default");
	ok(c.transaction_mode == TXN_PER_MIGRATION && c.lock_timeout == 60 && !c.production,
	   "default mode, timeout and production");
	config_free(&c);
}

static void test_full_file(void)
{
	struct config c;
	const char *text =
		"; retort configuration\n"
		"# another comment style\n"
		"\n"
		"[retort]\n"
		"script_location = db/migrations     ; scripts in db/migrations/versions/\n"
		"database = sqlite:///app.db          # inline comment, hash style\n"
		"version_table = alembic_version\n"
		"transaction_mode = single\n"
		"lock_timeout = 5\n"
		"production = yes\n"
		"schema = db/schema.sql\n";
	char *err = NULL, *path = NULL;
	is_int(load_bytes(text, strlen(text), &c, &err, &path), RT_OK, "full file loads");
	is_str(c.path, path, "path recorded");
	is_str(c.script_location, "db/migrations", "script_location without comment");
	is_str(c.database, "sqlite:///app.db", "database without comment");
	is_str(c.version_table, "alembic_version", "version_table");
	is_int(c.transaction_mode, TXN_SINGLE, "transaction_mode single");
	is_int(c.lock_timeout, 5, "lock_timeout");
	ok(c.production, "production yes");
	is_str(c.schema, "db/schema.sql", "schema");
	config_free(&c);
	free(path);
	free(err);
}

static void test_syntax(void)
{
	struct config c;
	if (load_ok("[retort]\ndatabase = postgresql://h/db#frag;x\nschema = a;b#c\n", &c,
		    "comment characters inside values")) {
		is_str(c.database, "postgresql://h/db#frag;x", "'#' and ';' kept without a blank before");
		is_str(c.schema, "a;b#c", "schema keeps ';' and '#'");
	}
	config_free(&c);

	if (load_ok("\xEF\xBB\xBF  [ retort ]  ; section comment\r\n"
		    "\tdatabase\t=\t x.db \t\r\n"
		    "   ; indented comment\r\n"
		    "   # indented hash\r\n"
		    "\r\n"
		    "lock_timeout=0\r\n", &c, "BOM, CRLF, tabs and blanks")) {
		is_str(c.database, "x.db", "value trimmed of tabs and CR");
		is_int(c.lock_timeout, 0, "lock_timeout 0 without spaces around '='");
	}
	config_free(&c);

	if (load_ok("[retort]\nDatabase = a.db\nSCRIPT_LOCATION = m\n", &c, "key case"))
		ok(strcmp(c.database, "a.db") == 0 && strcmp(c.script_location, "m") == 0,
		   "keys match regardless of case");
	config_free(&c);

	if (load_ok("[retort]\ndatabase =\nschema = ; nothing\n", &c, "empty optional values"))
		ok(c.database == NULL && c.schema == NULL, "empty database and schema are unset");
	config_free(&c);

	if (load_ok("", &c, "empty file"))
		ok(c.path != NULL && strcmp(c.script_location, "migrations") == 0,
		   "an empty file gives the defaults");
	config_free(&c);

	if (load_ok("; only comments\n\n# here\n", &c, "comments only"))
		ok(c.database == NULL, "comments only set nothing");
	config_free(&c);

	if (load_ok("[retort]\ndatabase = a = b.db\n", &c, "'=' in a value"))
		is_str(c.database, "a = b.db", "only the first '=' separates");
	config_free(&c);

	load_bad("database = x.db\n[retort]\n", "F:1: expected [retort]", "key before section");
	load_bad("a = 1\nb = 2\n", "F:1: expected [retort]", "orphan keys reported once");
	load_bad("[alembic]\nsqlalchemy.url = x\n[retort]\ndatabase = a.db\n",
		 "F:1: unknown section '[alembic]', expected [retort] or [target NAME]", "unknown section");
	load_bad("[retort\n", "F:1: malformed section header, expected [retort]",
		 "unclosed section");
	load_bad("[retort] junk\n", "F:1: malformed section header, expected [retort]",
		 "text after a section");
	load_bad("[retort]\n[retort]\n", "F:2: duplicate section [retort] (first on line 1)",
		 "duplicate section");
	load_bad("[retort]\njust some words\n", "F:2: malformed line, expected key = value",
		 "line without '='");
	load_bad("[retort]\n= value\n", "F:2: malformed line, expected key = value",
		 "missing key");
	load_bad("[retort]\n\n\ndatabse = x.db\n",
		 "F:4: unknown key 'databse' (known keys: script_location, database, "
		 "version_table, transaction_mode, lock_timeout, production, schema, format, targets)",
		 "unknown key");
	load_bad("[retort]\ndatabase = a.db\ndatabase = b.db\n",
		 "F:3: duplicate key 'database' (first set on line 2)", "duplicate key");
	load_bad("[retort]\nlock_timeout = 1\nLOCK_TIMEOUT = 2\n",
		 "F:3: duplicate key 'lock_timeout' (first set on line 2)",
		 "duplicate key in another case");
}

static void test_values(void)
{
	struct config c;
	static const struct {
		const char *text;
		bool want;
	} bools[] = {
		{"true", true}, {"false", false}, {"yes", true}, {"no", false},
		{"on", true}, {"off", false}, {"1", true}, {"0", false},
		{"TRUE", true}, {"Off", false},
	};
	for (size_t i = 0; i < RT_ARRAY_LEN(bools); i++) {
		char *text = xasprintf("[retort]\nproduction = %s\n", bools[i].text);
		if (load_ok(text, &c, "production"))
			is_int(c.production, bools[i].want, "production = %s", bools[i].text);
		config_free(&c);
		free(text);
	}
	if (load_ok("[retort]\ntransaction_mode = per-migration\nlock_timeout = 2147483647\n",
		    &c, "per-migration and a large timeout")) {
		is_int(c.transaction_mode, TXN_PER_MIGRATION, "per-migration");
		is_int(c.lock_timeout, 2147483647, "INT_MAX timeout");
	}
	config_free(&c);

	load_bad("[retort]\nproduction = maybe\n",
		 "F:2: invalid production 'maybe': expected true or false (or yes/no, on/off, 1/0)",
		 "bad boolean");
	load_bad("[retort]\ntransaction_mode = both\n",
		 "F:2: invalid transaction_mode 'both': expected per-migration or single",
		 "bad transaction mode");
	load_bad("[retort]\ntransaction_mode = Single\n",
		 "F:2: invalid transaction_mode 'Single': expected per-migration or single",
		 "transaction mode is exact");
	static const char *const timeouts[] = {"-1", "abc", "1.5", "+3", "2147483648",
		"99999999999999999999", ""};
	for (size_t i = 0; i < RT_ARRAY_LEN(timeouts); i++) {
		char *text = xasprintf("[retort]\nlock_timeout = %s\n", timeouts[i]);
		char *want = xasprintf("F:2: invalid lock_timeout '%s': expected a whole "
				       "number of seconds, 0 or more", timeouts[i]);
		load_bad(text, want, "bad lock_timeout");
		free(want);
		free(text);
	}
	static const char *const tables[] = {"bad-name", "1abc", "a\"b",
		"a234567890123456789012345678901234567890123456789012345678901234", ""};
	for (size_t i = 0; i < RT_ARRAY_LEN(tables); i++) {
		char *text = xasprintf("[retort]\nversion_table = %s\n", tables[i]);
		char *want = xasprintf("F:2: invalid version_table '%s': expected letters, "
				       "digits and '_', not starting with a digit, at most 63 "
				       "characters", tables[i]);
		load_bad(text, want, "bad version_table");
		free(want);
		free(text);
	}
	load_bad("[retort]\nscript_location =\n", "F:2: script_location must not be empty",
		 "empty script_location");
}

static void test_env(void)
{
	struct config c;
	setenv("RT_TEST_HOST", "db.example", 1);
	setenv("RT_TEST_PW", "se;cr #et", 1);
	setenv("RT_TEST_EMPTY", "", 1);
	unsetenv("RT_TEST_UNSET");
	unsetenv("RT_TEST_UNSET2");
	if (load_ok("[retort]\n"
		    "database = postgresql://u:${RT_TEST_PW}@${RT_TEST_HOST}/app ; c\n"
		    "schema = $HOME/x$$${RT_TEST_EMPTY}y\n", &c, "${VAR} expansion")) {
		is_str(c.database, "postgresql://u:se;cr #et@db.example/app",
		       "variables expanded after comments are cut");
		is_str(c.schema, "$HOME/x$$y", "only ${NAME} is special");
	}
	config_free(&c);

	load_bad("[retort]\ndatabase = ${RT_TEST_UNSET}\n",
		 "F:2: environment variable 'RT_TEST_UNSET' is not set", "unset variable");
	load_bad("[retort]\ndatabase = ${RT_TEST_HOST\n",
		 "F:2: unterminated '${' in value, expected ${NAME}", "unterminated ${");
	load_bad("[retort]\ndatabase = ${1BAD}\n",
		 "F:2: invalid variable reference '${1BAD}', expected ${NAME}", "bad variable name");
	load_bad("[retort]\ndatabase = ${}\n",
		 "F:2: invalid variable reference '${}', expected ${NAME}", "empty variable name");
}

static void test_many_errors(void)
{
	load_bad("[retort]\n"
		 "databse = x.db\n"
		 "lock_timeout = soon\n"
		 "oops\n"
		 "[other]\n"
		 "ignored = because the header was reported\n"
		 "[retort]\n"
		 "schema = ${RT_TEST_UNSET2}\n",
		 "F:2: unknown key 'databse' (known keys: script_location, database, "
		 "version_table, transaction_mode, lock_timeout, production, schema, format, targets)\n"
		 "F:3: invalid lock_timeout 'soon': expected a whole number of seconds, 0 or more\n"
		 "F:4: malformed line, expected key = value\n"
		 "F:5: unknown section '[other]', expected [retort] or [target NAME]\n"
		 "F:7: duplicate section [retort] (first on line 1)\n"
		 "F:8: environment variable 'RT_TEST_UNSET2' is not set",
		 "every error reported");

	struct config c = {0};
	char *path = write_tmp("[retort]\nbad\n", 13);
	ok(config_load(path, &c, NULL) == RT_EINPUT, "err may be NULL");
	unlink(path);
	free(path);
}

static void test_binary(void)
{
	static const char nul[] = "[retort]\ndatabase = a\0b.db\n";
	load_bad_bytes(nul, sizeof nul - 1,
		       "F:2: contains a NUL byte: not a text file", "NUL byte");
	load_bad("[retort]\n; comment\nschema = caf\xe9.sql\n", "F:3: not valid UTF-8",
		 "Latin-1 byte");
	load_bad("[retort]\nschema = \xc3\n", "F:2: not valid UTF-8", "truncated UTF-8");
	struct config c;
	if (load_ok("[retort]\nschema = caf\xc3\xa9.sql\n", &c, "UTF-8 value"))
		is_str(c.schema, "caf\xc3\xa9.sql", "UTF-8 kept");
	config_free(&c);
}

static void test_files(void)
{
	struct config c;
	char *err = NULL;
	char *missing = xasprintf("%s/none.ini", tmpdir);
	char *want = xasprintf("%s: No such file or directory", missing);
	is_int(config_load(missing, &c, &err), RT_EINPUT, "a named file that is missing");
	is_str(err, want, "missing file message");
	free(err);
	free(want);
	free(missing);

	err = NULL;
	want = xasprintf("%s: not a regular file", tmpdir);
	is_int(config_load(tmpdir, &c, &err), RT_EINPUT, "a directory is refused");
	is_str(err, want, "directory message");
	free(err);
	free(want);

	/* NULL reads ./retort.ini when present and falls back when not */
	char *work = xasprintf("%s/cwd", tmpdir);
	char old[PATH_MAX];
	if (!getcwd(old, sizeof old) || mkdir(work, 0700) != 0 || chdir(work) != 0) {
		perror(work);
		exit(99);
	}
	err = NULL;
	is_int(config_load(NULL, &c, &err), RT_OK, "no retort.ini: defaults");
	ok(c.path == NULL && strcmp(c.script_location, "migrations") == 0 && c.database == NULL,
	   "defaults when no retort.ini");
	config_free(&c);

	FILE *f = fopen("retort.ini", "w");
	fputs("[retort]\ndatabase = here.db\n", f);
	fclose(f);
	is_int(config_load(NULL, &c, &err), RT_OK, "./retort.ini read");
	is_str(c.path, "retort.ini", "path is retort.ini");
	is_str(c.database, "here.db", "value from ./retort.ini");
	config_free(&c);

	f = fopen("retort.ini", "w");
	fputs("[retort]\n\n\ndatabse = here.db\n", f);
	fclose(f);
	is_int(config_load(NULL, &c, &err), RT_EINPUT, "bad ./retort.ini refused");
	is_str(err, "retort.ini:4: unknown key 'databse' (known keys: script_location, "
	       "database, version_table, transaction_mode, lock_timeout, production, schema, format, targets)",
	       "errors name retort.ini as retort.ini(5) shows them");
	free(err);
	unlink("retort.ini");
	if (chdir(old) != 0 || rmdir(work) != 0)
		perror(work);
	free(work);
}

/* [target NAME] sections: the fleet's databases and groups. */
static void test_targets(void)
{
	struct config c;
	setenv("RT_TEST_PW", "pw", 1);
	if (load_ok("[retort]\n\n[target eu-1]\ndatabase = postgresql://a:${RT_TEST_PW}@h/x\n"
	            "group = eu\n[target t.2]\ndatabase = t2.db  ; a comment\n", &c, "targets")) {
		is_int((int)c.ntargets, 2, "two targets");
		is_str(c.targets[0].name, "eu-1", "first target's name");
		is_str(c.targets[0].database, "postgresql://a:pw@h/x", "its database, ${VAR} expanded");
		is_str(c.targets[0].group, "eu", "its group");
		is_int((int)c.targets[0].line, 3, "the line of its section");
		is_str(c.targets[1].database, "t2.db", "the second's database, comment cut");
		ok(c.targets[1].group == NULL, "the second has no group");
	}
	config_free(&c);
	load_bad("[retort]\n[target a]\ndatabase = a.db\n[target a]\ndatabase = b.db\n",
	         "F:4: duplicate target 'a' (first defined at F:2)", "duplicate target");
	load_bad("[retort]\n[target a]\ngroup = g\n",
	         "F:2: target 'a' has no database: add 'database = URL' to [target a]",
	         "target without a database");
	load_bad("[target a]\ndatabase = a.db\nport = 5\n",
	         "F:3: unknown key 'port' in [target a] (known keys: database, group)",
	         "unknown key in a target");
	load_bad("[target]\n", "F:1: [target] needs a name: [target NAME]", "target without a name");
	load_bad("[target a b]\ndatabase = x.db\n",
	         "F:1: invalid target name 'a b': expected letters, digits, '.', '_' and '-', "
	         "starting with a letter or a digit (and not 'all', which means every target)",
	         "a name with a blank");
	load_bad("[target a]\ndatabase = a.db\ngroup = all\n",
	         "F:3: invalid group name 'all': expected letters, digits, '.', '_' and '-', "
	         "starting with a letter or a digit (and not 'all')", "group all");
	load_bad("[target a]\ndatabase = a.db\n[target b]\ndatabase = b.db\ngroup = a\n",
	         "F:3: group 'a' of target 'b' is also the name of a target (defined at F:1): "
	         "--target a would mean either", "a group named as a target");
	/* the file is read from the directory of the file that names it */
	char *err = NULL, *path = NULL;
	const char *text = "[retort]\ntargets = no-such-file.txt\n";
	is_int(load_bytes(text, strlen(text), &c, &err, &path), RT_EINPUT,
	       "a targets file that cannot be read: refused");
	char *dir = xstrndup(path, (size_t)(strrchr(path, '/') - path));
	char *want = xasprintf("%s:2: targets: %s/no-such-file.txt: No such file or directory", path,
	                       dir);
	is_str(err, want, "... naming the line and the file, beside the configuration");
	free(want);
	free(dir);
	free(path);
	free(err);
}

int main(void)
{
	if (!tap_mkdtemp(tmpdir, sizeof tmpdir, "retort-test-config")) {
		perror("mkdtemp");
		return 99;
	}
	test_defaults();
	test_full_file();
	test_syntax();
	test_values();
	test_env();
	test_many_errors();
	test_binary();
	test_files();
	test_targets();
	rmdir(tmpdir);
	return done_testing();
}
