/* fuzz_config.c: config_load on an arbitrary retort.ini.
 *
 * config_load reads a file, so each input is written to one temporary
 * file made at start-up. A file that loads has usable values; a file that
 * is refused names its lines ("path:N: ...") and leaves *out alone. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini.h"
#include "fuzz.h"
#include "util.h"

static char ini_path[] = "/tmp/retort-fuzz-config-XXXXXX";
static int ini_fd = -1;

static void remove_ini(void)
{
	if (ini_fd >= 0) {
		close(ini_fd);
		unlink(ini_path);
	}
}

FUZZ_INIT(config)
{
	ini_fd = mkstemp(ini_path);
	fuzz_check(ini_fd >= 0, "cannot create %s", ini_path);
	atexit(remove_ini);
	/* ${VAR} references to expand; an unset one is an error path. */
	setenv("RT_FUZZ_URL", "postgresql://fuzz:secret@localhost/fuzz", 1);
	setenv("RT_FUZZ_EMPTY", "", 1);
	unsetenv("RT_FUZZ_UNSET");
	return 0;
}

/* Truncates after writing: on ext4 a truncation to zero makes the next
 * close flush the file to disk, which would slow fuzzing a hundredfold. */
static void write_ini(const uint8_t *data, size_t size)
{
	for (size_t done = 0; done < size;) {
		ssize_t n = pwrite(ini_fd, data + done, size - done, (off_t)done);
		fuzz_check(n > 0, "cannot write %s", ini_path);
		done += (size_t)n;
	}
	fuzz_check(ftruncate(ini_fd, (off_t)size) == 0, "cannot truncate %s", ini_path);
}

/* Whether every line of err starts with "FILE:N:" for some file. */
static bool lines_name_a_line(const char *err)
{
	for (const char *p = err; p && *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool found = false;
		for (size_t i = 0; i + 1 < len && !found; i++) {
			if (p[i] != ':' || p[i + 1] < '0' || p[i + 1] > '9')
				continue;
			size_t j = i + 1;
			while (j < len && p[j] >= '0' && p[j] <= '9')
				j++;
			found = j < len && p[j] == ':';
		}
		if (!found)
			return false;
		p = end ? end + 1 : NULL;
	}
	return err && *err;
}

FUZZ_ONE(config)
{
	struct config c, untouched;
	char *err = NULL;
	write_ini(data, size);
	memset(&c, 0x5a, sizeof c);
	memcpy(&untouched, &c, sizeof c);
	int rc = config_load(ini_path, &c, &err);
	if (rc == RT_OK) {
		fuzz_check(!err, "loaded with an error: %s", err);
		fuzz_check(c.path && strcmp(c.path, ini_path) == 0, "path '%s'", c.path);
		fuzz_check(c.script_location && *c.script_location, "no script_location");
		fuzz_check(ident_valid(c.version_table), "version_table '%s'", c.version_table);
		fuzz_check(c.transaction_mode == TXN_PER_MIGRATION ||
		           c.transaction_mode == TXN_SINGLE, "transaction_mode %d",
		           (int)c.transaction_mode);
		fuzz_check(c.lock_timeout >= 0, "lock_timeout %d", c.lock_timeout);
		fuzz_check(!c.database || *c.database, "an empty database that is set");
		fuzz_check(!c.schema || *c.schema, "an empty schema that is set");
		for (uint32_t i = 0; i < c.ntargets; i++)
			fuzz_check(c.targets[i].name && *c.targets[i].name && c.targets[i].database &&
			           *c.targets[i].database && c.targets[i].line > 0,
			           "target %u without a name, a database or a line", (unsigned)i);
		config_free(&c);
	} else {
		char *prefix = xasprintf("%s:", ini_path);
		fuzz_check(rc == RT_EINPUT, "status %d", rc);
		/* a targets file names its own lines: "OTHER:N: …" */
		bool other = memmem(data, size, "targets", 7) != NULL;
		fuzz_check(other ? lines_name_a_line(err) : fuzz_err_lines_start(err, prefix, true),
		           "error shape: %s", err);
		fuzz_check(memcmp(&c, &untouched, sizeof c) == 0, "a refused file wrote *out");
		free(prefix);
	}
	free(err);
	return 0;
}
