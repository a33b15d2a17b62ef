/* dynlib.h: a C library opened with dlopen the first time it is needed
 * (libsqlite3 in lite.c, libpq in pq.c), its functions resolved into a
 * table of function pointers, with messages that name the library, the
 * variable that picks another file and the Debian package that has it. */
#ifndef RT_DYNLIB_H
#define RT_DYNLIB_H

#include <stddef.h>
#include <stdint.h>

/* The library's entry in the binary's ELF notes (the convention of
 * systemd's "dlopen metadata", https://systemd.io/ELF_DLOPEN_METADATA/):
 * a section .note.dlopen holding a note of type 0x407c0c0a, owner "FDO",
 * whose descriptor is a JSON array of {feature, description, priority,
 * soname}. dpkg-shlibdeps and its kind do not see what dlopen opens;
 * packagers' tools read these notes instead (`readelf --notes retort`).
 * One per library, in the file that opens it, so that the note is linked
 * in wherever that file is. */
#define DYNLIB_ELF_NOTE(id, json)                                               \
	__attribute__((used, section(".note.dlopen"), aligned(4)))              \
	static const struct {                                                   \
		uint32_t namesz, descsz, type;                                  \
		char name[4];                                                   \
		char desc[(sizeof(json) + 3) & ~(size_t)3];                     \
	} id = {4, sizeof(json), 0x407c0c0a, "FDO", json}

struct dynlib {
	const char *name;          /* "libpq" */
	const char *what;          /* "the PostgreSQL client library" */
	const char *env;           /* "RETORT_LIBPQ": another file (secure_getenv) */
	const char *file;          /* the soname opened otherwise */
	const char *package;       /* the Debian package that has it */
};

/* One function of the table: its name, and where and how big its slot is
 * in the table. */
struct dynlib_sym {
	const char *name;
	size_t offset, size;
};
#define DYNLIB_SYM(type, member) \
	{#member, offsetof(type, member), sizeof(((type *)0)->member)}

/* Once *handle is set, RT_OK at once. Otherwise opens the library
 * (lib->env's file when set, else lib->file), fills a copy of *table
 * (nsyms of syms) from it and, when check (may be NULL) accepts that copy
 * (file: the name the library was opened by), writes it to *table and
 * sets *handle (never closed: the functions stay valid for the process).
 * RT_EDB with a message otherwise (or check's status), and neither *table
 * nor *handle written. */
int dynlib_load(const struct dynlib *lib, const struct dynlib_sym *syms, size_t nsyms,
                void *table, size_t table_size, void **handle,
                int (*check)(const char *file, const void *table, char **err), char **err);

#endif
