/* script.h: one revision script (SPEC §2).
 *
 * Parsing keeps the header fields and the byte ranges of the two SQL
 * sections; the SQL itself is read again from the file when needed
 * (script_read_sql), so loading a long history touches each file once. */
#ifndef RT_SCRIPT_H
#define RT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum script_txn { SCRIPT_TXN_PER_MIGRATION, SCRIPT_TXN_NONE };
enum script_section { SCRIPT_UPGRADE, SCRIPT_DOWNGRADE };

struct script {
	/* Every string lives in the arena given to script_parse. */
	const char *path;
	const char *rev;
	const char *message;       /* "" when the header has none */
	const char *create_date;   /* NULL when absent */
	const char **parents;      /* Revises */
	const char **labels;       /* Branch Labels */
	const char **depends;      /* Depends On (ids or labels) */
	uint32_t nparents, nlabels, ndepends;
	enum script_txn txn;
	bool has_downgrade;        /* false: irreversible */
	/* Header line of each key, for diagnostics (0 when absent). */
	uint32_t rev_line, revises_line, labels_line, depends_line;
	/* Sections: bytes [off, off+len) of the file; line = line of the first
	 * byte of the section (the line after its marker). */
	size_t up_off, up_len, down_off, down_len;
	uint32_t up_line, down_line;
};

/* Parses buf (len bytes, the whole file). Strings are allocated in a.
 * Every problem is appended to *errs as "path:line: message" (rt_err
 * style, one per line). Returns RT_OK or RT_EINPUT. */
int script_parse(const char *path, const char *buf, size_t len,
                 struct arena *a, struct script *out, char **errs);

/* Reads one section's SQL from the file. *sql is malloc'd (caller frees).
 * RT_EINPUT if the file cannot be read. */
int script_read_sql(const struct script *s, enum script_section which,
                    char **sql, char **err);

/* SHA-256 of the file's bytes (64 hex + NUL). RT_EINPUT when unreadable. */
int script_checksum(const struct script *s, char hex[65], char **err);

/* Revision ids: 1..32 of [A-Za-z0-9_]. Labels: [A-Za-z][A-Za-z0-9_-]*. */
bool script_valid_rev(const char *s);
bool script_valid_label(const char *s);
bool script_reserved_word(const char *s);  /* head heads base current */

/* A new script's text (SPEC §2 layout). Lists may be empty (n = 0). */
struct script_new {
	const char *rev, *message, *create_date;
	const char *const *parents; uint32_t nparents;
	const char *const *labels; uint32_t nlabels;
	const char *const *depends; uint32_t ndepends;
	const char *upgrade_sql, *downgrade_sql;  /* may be NULL */
};
char *script_render(const struct script_new *n);   /* caller frees */
/* "YYYYMMDD_HHMM_<rev>_<slug>.sql" for a message and a broken-down time. */
char *script_filename(const char *rev, const char *message, const char *create_date);
/* 12 lowercase hex characters from getrandom(2) into buf[13]. */
int script_new_rev(char buf[13], char **err);

#endif
