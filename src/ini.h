/* ini.h: retort.ini (retort.ini(5)). */
#ifndef RT_INI_H
#define RT_INI_H

#include <stdbool.h>
#include <stdint.h>

#include "alembic.h"

enum txn_mode { TXN_PER_MIGRATION, TXN_SINGLE };

/* Whose project this is: retort's (.sql scripts) or Alembic's (.py
 * revisions, alembic.ini, alembic_version). */
enum config_format { CONFIG_FORMAT_RETORT, CONFIG_FORMAT_ALEMBIC };

/* One database of a fleet (retort.ini(5), TARGETS): a [target NAME]
 * section, or a line of the file `targets` names. */
struct config_target {
	char *name;
	char *database;         /* ${VAR} already expanded */
	char *group;            /* NULL when none */
	char *file;             /* where it is defined, for messages */
	uint32_t line;          /* its [target NAME] header, or its line */
};

struct config {
	char *path;             /* the file read, or NULL when none */
	char *script_location;  /* default "migrations" (relative to the cwd) */
	char *database;         /* NULL when not set; ${VAR} already expanded */
	char *version_table;    /* default "retort_version" */
	enum txn_mode transaction_mode;
	int lock_timeout;       /* seconds, default 60 */
	bool production;
	char *schema;           /* NULL when not set */
	enum config_format format;
	/* An Alembic project: its alembic.ini as read (path NULL otherwise).
	 * script_location, database and version_table above then come from
	 * it (alembic_version) unless retort.ini sets them. */
	struct alembic_ini alembic;
	/* The fleet, in the order defined: [target NAME] sections, then the
	 * lines of targets_file (relative to the directory of the file that
	 * names it). Names are unique, and no group has a target's name. */
	char *targets_file;     /* NULL when not set */
	struct config_target *targets;
	uint32_t ntargets;
};

/* Sets the defaults (no file). */
void config_defaults(struct config *c);
/* Loads path over the defaults. When path is NULL, "retort.ini" in the
 * current directory is read if it exists, else "alembic.ini" (an Alembic
 * project), and the defaults stand if neither does; an explicitly named
 * file that does not exist is an error. A named file with an [alembic]
 * section is an Alembic project's; `format = alembic` in retort.ini
 * points at the alembic.ini beside it.
 * Errors (RT_EINPUT): "retort.ini:LINE: message" for unknown keys, unknown
 * sections, malformed lines, bad values, ${VAR} of an unset variable. */
int config_load(const char *path, struct config *out, char **err);
void config_free(struct config *c);

/* The names of the fleet's targets and groups (retort.ini(5), TARGETS:
 * [target NAME] sections, their `group` keys, the NAME and GROUP words
 * of the file `targets` names) in path (NULL: ./retort.ini), for Tab
 * completion: read leniently, nothing reported, nothing when the file
 * cannot be read. *names: each string and the array freed by the
 * caller. */
void config_target_names(const char *path, char ***names, uint32_t *n);

#endif
