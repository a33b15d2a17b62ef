/* lite.c: opens libsqlite3 at run time and resolves its functions. */
#include "lite.h"

#include <stdlib.h>
#include <string.h>

#include "dynlib.h"
#include "util.h"

struct lite_api lite;

static void *lite_handle;

int lite_check_version(const char *file, int version, char **err)
{
	if (version >= LITE_MIN_VERSION)
		return RT_OK;
	return rt_err(err, RT_EDB,
	              "%s is SQLite %d.%d.%d; retort needs SQLite %d.%d.0 or later "
	              "(the Debian package %s of a current release, or a newer "
	              "library's file named in RETORT_LIBSQLITE3)",
	              file, version / 1000000, version / 1000 % 1000, version % 1000,
	              LITE_MIN_VERSION / 1000000, LITE_MIN_VERSION / 1000 % 1000,
	              LITE_PACKAGE);
}

DYNLIB_ELF_NOTE(lite_note,
	"[{\"feature\":\"sqlite\",\"description\":\"SQLite databases (sqlite:// URLs)\","
	"\"priority\":\"required\",\"soname\":[\"" LITE_LIBRARY "\"]}]");

static const struct dynlib lite_lib = {
	"libsqlite3", "the SQLite library", "RETORT_LIBSQLITE3", LITE_LIBRARY, LITE_PACKAGE,
};

/* dynlib_load's check: a library recent enough. */
static int lite_check_table(const char *file, const void *table, char **err)
{
	const struct lite_api *api = table;
	return lite_check_version(file, api->sqlite3_libversion_number(), err);
}

int lite_load(char **err)
{
#define LITE_SYM(name) DYNLIB_SYM(struct lite_api, name),
	static const struct dynlib_sym syms[] = {LITE_FUNCTIONS(LITE_SYM)};
#undef LITE_SYM
	return dynlib_load(&lite_lib, syms, RT_ARRAY_LEN(syms), &lite, sizeof lite, &lite_handle,
	                   lite_check_table, err);
}
