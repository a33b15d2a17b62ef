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

#endif
