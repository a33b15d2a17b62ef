/* pq.c: opens libpq at run time and resolves its functions; see pq.h. */
#include "pq.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct pq_api pq;

static void *pq_handle;

static int pq_open_error(const char *file, bool from_env, char **err)
{
	const char *why = dlerror();
	if (!why)
		why = "unknown error";
	if (from_env)
		return rt_err(err, RT_EDB,
		              "cannot load libpq, the PostgreSQL client library, from "
		              "RETORT_LIBPQ=%s (%s); point RETORT_LIBPQ at libpq's file, "
		              "or unset it to use the system's %s (Debian package %s)",
		              file, why, PQ_LIBRARY, PQ_PACKAGE);
	return rt_err(err, RT_EDB,
	              "cannot load %s, the PostgreSQL client library (%s); install "
	              "the Debian package %s (apt-get install %s), or name the "
	              "library's file in RETORT_LIBPQ",
	              PQ_LIBRARY, why, PQ_PACKAGE, PQ_PACKAGE);
}

/* One function into its slot: dlsym gives an object pointer, copied
 * bytewise into the function pointer (POSIX guarantees they convert). */
static bool pq_resolve(void *handle, const char *name, void *slot, size_t size)
{
	void *sym = dlsym(handle, name);
	if (!sym || size != sizeof sym)
		return false;
	memcpy(slot, &sym, sizeof sym);
	return true;
}

int pq_load(char **err)
{
	if (pq_handle)
		return RT_OK;
	const char *env = env_trusted("RETORT_LIBPQ");
	bool from_env = env && *env; /* dlopen("") would be the program itself */
	const char *file = from_env ? env : PQ_LIBRARY;
	void *handle = dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return pq_open_error(file, from_env, err);

	struct pq_api api;
#define PQ_RESOLVE(name)                                                       \
	if (!pq_resolve(handle, #name, &api.name, sizeof api.name)) {              \
		dlclose(handle);                                                       \
		return rt_err(err, RT_EDB,                                             \
		              "%s is not a usable libpq: it has no %s (the Debian "     \
		              "package %s provides one)", file, #name, PQ_PACKAGE);    \
	}
	PQ_FUNCTIONS(PQ_RESOLVE)
#undef PQ_RESOLVE
	pq = api;
	pq_handle = handle;
	return RT_OK;
}
