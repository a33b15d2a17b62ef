/* dynlib.c: see dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int open_error(const struct dynlib *lib, const char *file, bool from_env, char **err)
{
	const char *why = dlerror();
	if (!why)
		why = "unknown error";
	if (from_env)
		return rt_err(err, RT_EDB,
		              "cannot load %s, %s, from %s=%s (%s); point %s at %s's file, or "
		              "unset it to use the system's %s (Debian package %s)",
		              lib->name, lib->what, lib->env, file, why, lib->env, lib->name,
		              lib->file, lib->package);
	return rt_err(err, RT_EDB,
	              "cannot load %s, %s (%s); install the Debian package %s (apt-get "
	              "install %s), or name the library's file in %s",
	              lib->file, lib->what, why, lib->package, lib->package, lib->env);
}

static int load(const struct dynlib *lib, const struct dynlib_sym *syms, size_t nsyms,
                void *table, size_t table_size, void **handle,
                int (*check)(const char *file, const void *table, char **err), char **err)
{
	if (*handle)
		return RT_OK;
	const char *env = env_trusted(lib->env);
	bool from_env = env && *env; /* dlopen("") would be the program itself */
	const char *path = from_env ? env : lib->file;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return open_error(lib, path, from_env, err);
	char *slots = xcalloc(1, table_size);
	for (size_t i = 0; i < nsyms; i++) {
		/* dlsym gives an object pointer, copied bytewise into the
		 * function pointer (POSIX guarantees they convert) */
		void *sym = dlsym(h, syms[i].name);
		if (!sym || syms[i].size != sizeof sym ||
		    syms[i].offset + sizeof sym > table_size) {
			dlclose(h);
			free(slots);
			return rt_err(err, RT_EDB,
			              "%s is not a usable %s: it has no %s (the Debian package %s "
			              "provides one)", path, lib->name, syms[i].name, lib->package);
		}
		memcpy(slots + syms[i].offset, &sym, sizeof sym);
	}
	int rc = check ? check(path, slots, err) : RT_OK;
	if (rc == RT_OK) {
		memcpy(table, slots, table_size);
		*handle = h;
	} else {
		dlclose(h);
	}
	free(slots);
	return rc;
}

/* One loader at a time: a fleet's first connections open on several
 * threads at once, and the table is written once, whole, before any of
 * them reads it. */
static pthread_mutex_t dynlib_mutex = PTHREAD_MUTEX_INITIALIZER;

int dynlib_load(const struct dynlib *lib, const struct dynlib_sym *syms, size_t nsyms,
                void *table, size_t table_size, void **handle,
                int (*check)(const char *file, const void *table, char **err), char **err)
{
	pthread_mutex_lock(&dynlib_mutex);
	int rc = load(lib, syms, nsyms, table, table_size, handle, check, err);
	pthread_mutex_unlock(&dynlib_mutex);
	return rc;
}
