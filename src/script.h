/* script.h: one revision script (retort-script(5)), in one of the script formats.
 *
 * Parsing keeps the header fields and the byte ranges of the two
 * sections; their text is read again from the file when needed
 * (script_read_sql), so loading a long history touches each file once.
 *
 * A script format is an op table (struct script_format): which files are
 * revisions, how a header is read without running anything, what the
 * sections are called, and how a step of it executes: its SQL through a
 * database backend, or delegated to the tool the format belongs to. The
 * graph, the specifiers and the planner never look at the format. */
#ifndef RT_SCRIPT_H
#define RT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum script_txn { SCRIPT_TXN_PER_MIGRATION, SCRIPT_TXN_NONE };
enum script_section { SCRIPT_UPGRADE, SCRIPT_DOWNGRADE };

/* The formats, by the number a script records (and the header cache
 * keeps): retort's .sql scripts and Alembic's .py revisions. */
enum script_format_id { SCRIPT_FORMAT_SQL, SCRIPT_FORMAT_ALEMBIC, SCRIPT_FORMAT_COUNT };

/* How a step of a script runs. */
enum script_exec {
	SCRIPT_EXEC_SQL,        /* the section's statements through a db backend */
	SCRIPT_EXEC_DELEGATED,  /* the format's own tool runs it, under retort's lock */
};

struct script {
	/* Every string lives in the arena given to script_parse. */
	const char *path;
	const char *rev;
	const char *message;       /* "" when the header has none */
	const char *doc;           /* the whole description where the format has
	                              one (a .py revision's docstring), else NULL */
	const char *create_date;   /* NULL when absent */
	const char **parents;      /* Revises */
	const char **labels;       /* Branch Labels */
	const char **depends;      /* Depends On (ids or labels) */
	uint32_t nparents, nlabels, ndepends;
	enum script_txn txn;
	uint8_t format;            /* enum script_format_id */
	bool has_downgrade;        /* false: irreversible */
	/* Header line of each key, for diagnostics (0 when absent). */
	uint32_t rev_line, revises_line, labels_line, depends_line;
	/* Sections: bytes [off, off+len) of the file; line = line of the first
	 * byte of the section (the line after its marker). */
	size_t up_off, up_len, down_off, down_len;
	uint32_t up_line, down_line;
};

/* Parses buf (len bytes, the whole file) as a .sql script. Strings are
 * allocated in a. Every problem is appended to *errs as "path:line:
 * message" (rt_err style, one per line). Returns RT_OK or RT_EINPUT. */
int script_parse(const char *path, const char *buf, size_t len,
                 struct arena *a, struct script *out, char **errs);

/* Every format's files are text: RT_EINPUT ("path:line: …") for a NUL
 * byte or bytes that are not UTF-8. */
int script_text_check(const char *path, const char *buf, size_t len, char **errs);

/* Each branch label valid and not a reserved word; RT_EINPUT with one
 * "path:line: …" per bad one. */
int script_check_labels(const char *path, uint32_t line, const char *const *labels,
                        uint32_t n, char **errs);

typedef int script_parse_fn(const char *path, const char *buf, size_t len,
                            struct arena *a, struct script *out, char **errs);

struct script_format {
	const char *name;          /* "sql", "alembic" */
	enum script_format_id id;
	enum script_exec exec;
	/* Whether a directory entry of this name is a revision file. */
	bool (*wanted)(const char *name);
	/* Reads a header as script_parse does; sets out->format to id. */
	script_parse_fn *parse;
	/* How the sections are introduced in the file ("-- migrate:upgrade",
	 * "def upgrade()") and the language of their text ("sql", "python"). */
	const char *section_title[2];
	const char *lang;
};

extern const struct script_format script_format_sql, script_format_alembic;
/* The format of a script (its format field), or of an id; never NULL. */
const struct script_format *script_format_of(const struct script *s);
const struct script_format *script_format_get(enum script_format_id id);

/* The file as it is now: its bytes, their SHA-256, and its header parsed
 * afresh, so that a section is never cut out of an edited file with the
 * offsets of the version the graph was loaded from. */
struct script_now {
	char *buf;                 /* the whole file (owned) */
	size_t len;
	char hex[65];              /* SHA-256 of buf */
	struct script s;           /* offsets into buf; strings in arena */
	struct arena arena;
};

/* Reads and parses loaded->path again. RT_EINPUT ("FILE: …") when the file
 * cannot be read or parsed, or when its header no longer says what the
 * graph was built from (revision, Revises, Depends On, Branch Labels,
 * Transaction, whether it has a downgrade section): a plan made from the
 * old header would not be the plan for the new one. *out is filled only on
 * success; free it with script_now_free. */
int script_reread(const struct script *loaded, struct script_now *out, char **err);
void script_now_free(struct script_now *n);
/* One section of a reread file: text inside n->buf, its length and the
 * line of its first byte. */
const char *script_now_section(const struct script_now *n, enum script_section which,
                               size_t *len, uint32_t *line);

/* Reads one section's SQL from the file as it is now (script_reread).
 * *sql is malloc'd (caller frees). RT_EINPUT if the file cannot be read
 * or its header changed. */
int script_read_sql(const struct script *s, enum script_section which,
                    char **sql, char **err);

/* SHA-256 of the file's bytes (64 hex + NUL). RT_EINPUT when unreadable. */
int script_checksum(const struct script *s, char hex[65], char **err);

/* Revision ids: 1..32 of [A-Za-z0-9_]. Labels: [A-Za-z][A-Za-z0-9_-]*. */
bool script_valid_rev(const char *s);
bool script_valid_label(const char *s);
bool script_reserved_word(const char *s);
/* s for an error message on one line: control characters as \n, \r, \t
 * or \xNN (a value read from a .py string may hold any). Caller frees. */
char *script_shown(const char *s);  /* head heads base current */

/* A new script's text (the layout retort-script(5) shows). Lists may be empty (n = 0). */
struct script_new {
	const char *rev, *message, *create_date;
	const char *const *parents; uint32_t nparents;
	const char *const *labels; uint32_t nlabels;
	const char *const *depends; uint32_t ndepends;
	const char *upgrade_sql, *downgrade_sql;  /* may be NULL */
	bool no_transaction;                      /* Transaction: none */
};
char *script_render(const struct script_new *n);   /* caller frees */
/* "YYYYMMDD_HHMM_<rev>_<slug>.sql" for a message and a broken-down time. */
char *script_filename(const char *rev, const char *message, const char *create_date);
/* An Alembic revision's text (the upgrade and downgrade bodies "pass"):
 * from template, the text of the project's script.py.mako, when it is a
 * plain one (only the ${…} expressions of Alembic's own templates, no Mako
 * control lines or blocks), else from Alembic's default template.
 * create_date as Python prints a datetime ("2026-11-21 10:30:00.123456").
 * *plain (may be NULL) says whether template was used. Caller frees. */
char *script_py_render(const struct script_new *n, const char *template_text, bool *plain);
/* Alembic's file name for a new revision: file_template (NULL: Alembic's
 * "%(rev)s_%(slug)s") filled from the id, the message's slug (words joined
 * by '_', lowercase, cut at 40 characters on a word) and the time, then
 * ".py". NULL when file_template names something else. Caller frees. */
struct tm;
char *script_py_filename(const char *file_template, const char *rev, const char *message,
                         long long epoch, const struct tm *tm);

/* 12 lowercase hex characters from getrandom(2) into buf[13]. */
int script_new_rev(char buf[13], char **err);

#endif
