/* lite.c: opens libsqlite3 at run time and resolves its functions. */
#include "lite.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct lite_api lite;

static void *lite_handle;

static int lite_open_error(const char *file, bool from_env, char **err)
{
	const char *why = dlerror();
	if (!why)
		why = "unknown error";
	if (from_env)
		return rt_err(err, RT_EDB,
		              "cannot load libsqlite3, the SQLite library, from "
		              "RETORT_LIBSQLITE3=%s (%s); point RETORT_LIBSQLITE3 at "
		              "libsqlite3's file, or unset it to use the system's %s "
		              "(Debian package %s)",
		              file, why, LITE_LIBRARY, LITE_PACKAGE);
	return rt_err(err, RT_EDB,
	              "cannot load %s, the SQLite library (%s); install the Debian "
	              "package %s (apt-get install %s), or name the library's file "
	              "in RETORT_LIBSQLITE3",
	              LITE_LIBRARY, why, LITE_PACKAGE, LITE_PACKAGE);
}

/* One function into its slot: dlsym gives an object pointer, copied
 * bytewise into the function pointer (POSIX guarantees they convert). */
static bool lite_resolve(void *handle, const char *name, void *slot, size_t size)
{
	void *sym = dlsym(handle, name);
	if (!sym || size != sizeof sym)
		return false;
	memcpy(slot, &sym, sizeof sym);
	return true;
}

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

int lite_load(char **err)
{
	if (lite_handle)
		return RT_OK;
	const char *env = env_trusted("RETORT_LIBSQLITE3");
	bool from_env = env && *env; /* dlopen("") would be the program itself */
	const char *file = from_env ? env : LITE_LIBRARY;
	void *handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return lite_open_error(file, from_env, err);

	struct lite_api api;
#define LITE_RESOLVE(name)                                                     \
	if (!lite_resolve(handle, #name, &api.name, sizeof api.name)) {            \
		dlclose(handle);                                                       \
		return rt_err(err, RT_EDB,                                             \
		              "%s is not a usable libsqlite3: it has no %s (the "       \
		              "Debian package %s provides one)", file, #name,          \
		              LITE_PACKAGE);                                           \
	}
	LITE_FUNCTIONS(LITE_RESOLVE)
#undef LITE_RESOLVE
	int rc = lite_check_version(file, api.sqlite3_libversion_number(), err);
	if (rc != RT_OK) {
		dlclose(handle);
		return rc;
	}
	lite = api;
	lite_handle = handle;
	return RT_OK;
}
