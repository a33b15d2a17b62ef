/* alembic.h: working on an Alembic project as it is.
 *
 * Reading: alembic.ini as Python's configparser reads it (sections, `=`
 * or `:`, continuation lines, %(here)s and %(key)s interpolation), the
 * keys of [alembic] that say where the revisions are and which database
 * is used. The revisions themselves are read by script_format_alembic.
 *
 * Running: Alembic's own command (`alembic` on PATH, else `python3 -m
 * alembic`; RETORT_ALEMBIC names another), in the project's directory,
 * for the steps retort delegates to it and for the SQL of its offline
 * mode. retort never imports or runs the revisions itself. */
#ifndef RT_ALEMBIC_H
#define RT_ALEMBIC_H

#include <stdbool.h>
#include <stdint.h>

/* What retort takes from alembic.ini. Strings malloc'd (alembic_ini_free). */
struct alembic_ini {
	char *path;               /* the file, as named */
	char *here;               /* its directory, absolute: %(here)s */
	char *script_location;    /* as a path (relative ones stay relative) */
	char **version_dirs;      /* version_locations split, else
	                             script_location/versions */
	uint32_t nversion_dirs;
	bool version_locations;   /* version_locations was given: a folder
	                             that does not exist is no error */
	bool recursive;           /* recursive_version_locations */
	char *url;                /* sqlalchemy.url, NULL when absent or empty */
	char *file_template;      /* file_template, NULL for Alembic's default */
	uint32_t url_line;        /* its line, for messages */
};

/* Whether the file at path is an Alembic configuration: it has an
 * [alembic] section and no [retort] one. False when unreadable. */
bool alembic_ini_is(const char *path);

/* Reads path's [alembic] section. RT_EINPUT with "FILE:LINE: …" for what
 * configparser or Alembic would refuse (a line outside a section, a
 * duplicate key, an interpolation of a key that does not exist, no
 * script_location, an unknown version_path_separator) and for what retort
 * cannot read without Python (a script_location naming a package). */
int alembic_ini_load(const char *path, struct alembic_ini *out, char **err);
void alembic_ini_free(struct alembic_ini *a);

/* ---- Alembic's command ---- */

/* What one run of Alembic printed and how it ended. */
struct alembic_result {
	char *out;                /* its standard output (malloc'd) */
	char *errtext;            /* its standard error, at most 64 KiB (malloc'd) */
	int status;               /* exit status; 128 + N when killed by signal N */
};
void alembic_result_free(struct alembic_result *r);

/* Runs `ALEMBIC -c INI args…` in the current directory (where Alembic
 * resolves the project's relative paths, as retort does), standard input
 * from /dev/null. ALEMBIC is RETORT_ALEMBIC's words when set, else
 * `alembic` when it is on PATH, else `python3 -m alembic`. on_line, when
 * not NULL, is called with each line of standard error as it comes (the
 * lines of Alembic's log: "INFO  [alembic.runtime.migration] Running
 * upgrade a -> b, message"). RT_OK when Alembic ran (whatever its status:
 * see res->status); RT_EFAIL when it could not be started, or is not
 * installed (err says how to install it). *res: alembic_result_free. */
int alembic_exec(const struct alembic_ini *ini, const char *const *args,
                 void (*on_line)(void *ctx, const char *line), void *ctx,
                 struct alembic_result *res, char **err);

/* alembic_exec, with the tables named in skip_tables (blank-separated)
 * left out of autogenerate's comparison whatever env.py configures: Alembic
 * runs under a small Python program of retort's, in the interpreter of
 * the `alembic` script on PATH (or python3, or RETORT_ALEMBIC's when it
 * is "PYTHON -m alembic"). *skipped false when RETORT_ALEMBIC names
 * another command: it is then run as it is, and the tables are compared. */
int alembic_exec_skipping(const struct alembic_ini *ini, const char *const *args,
                          const char *skip_tables, void (*on_line)(void *ctx, const char *line),
                          void *ctx, struct alembic_result *res, bool *skipped, char **err);

/* The command words alembic_exec runs, for messages: "alembic",
 * "python3 -m alembic" or RETORT_ALEMBIC (malloc'd). */
char *alembic_command_text(void);

/* The SQL Alembic's offline mode (`alembic upgrade A:B --sql`) renders
 * for each step of plan p: (*sql)[i] malloc'd, or NULL for a stamp or a
 * step Alembic rendered nothing for. The whole plan is rendered at once
 * where its start and end can be named to Alembic (one revision each),
 * else step by step. RT_EFAIL when Alembic cannot run or fails (err:
 * what it said); *sql then NULL. Free with alembic_plan_sql_free. */
struct graph;
struct plan;
int alembic_plan_sql(const struct alembic_ini *ini, const struct graph *g,
                     const struct plan *p, char ***sql, char **err);
void alembic_plan_sql_free(char **sql, uint32_t n);

/* The steps of one run (a run_delegate's session; ini: the struct
 * alembic_ini): one Python, started at the first step, imports Alembic
 * once and runs each step's command in turn, where a process per step
 * would import it (and read every revision file) each time. Without a
 * Python retort knows (RETORT_ALEMBIC naming another command), or when it
 * cannot import Alembic, each step runs `alembic` as alembic_exec does. */
void *alembic_session_open(void *ini);
void alembic_session_close(void *session);

/* One step of a plan run by Alembic (a run_delegate's step, in a session
 * from alembic_session_open): `alembic upgrade X` once X's parents and
 * dependencies are applied, `alembic downgrade X@P` (P its first parent,
 * or base) once what depends on X is reverted: either does X alone.
 * RT_EFAIL with the end of what Alembic said when it fails, or when its
 * log says it ran another step than X. */
struct plan_step;
int alembic_step(void *session, const struct graph *g, const struct plan_step *s, char **err);

/* "Running upgrade a -> b, message" in a line of Alembic's log: *dir
 * "upgrade" or "downgrade" (static), *rest what follows (borrowed). */
bool alembic_running_line(const char *line, const char **dir, const char **rest);

#endif
