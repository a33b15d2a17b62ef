/* pq.c: opens libpq at run time and resolves its functions; see pq.h. */
#include "pq.h"

#include <stdlib.h>
#include <string.h>

#include "dynlib.h"
#include "util.h"

struct pq_api pq;

static void *pq_handle;

DYNLIB_ELF_NOTE(pq_note,
	"[{\"feature\":\"postgresql\",\"description\":\"PostgreSQL databases "
	"(postgresql:// URLs)\",\"priority\":\"recommended\",\"soname\":[\"" PQ_LIBRARY "\"]}]");

static const struct dynlib pq_lib = {
	"libpq", "the PostgreSQL client library", "RETORT_LIBPQ", PQ_LIBRARY, PQ_PACKAGE,
};

int pq_load(char **err)
{
#define PQ_SYM(name) DYNLIB_SYM(struct pq_api, name),
	static const struct dynlib_sym syms[] = {PQ_FUNCTIONS(PQ_SYM)};
#undef PQ_SYM
	return dynlib_load(&pq_lib, syms, RT_ARRAY_LEN(syms), &pq, sizeof pq, &pq_handle, NULL,
	                   err);
}
