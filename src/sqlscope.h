/* sqlscope.h: statements whose effect reaches beyond the database they
 * run in. A drift check replays the applied migrations on a scratch
 * database in the same PostgreSQL cluster (or an in-memory SQLite
 * database); a statement that acts on what the whole cluster shares
 * (roles and their memberships, tablespaces, databases, the server's
 * configuration), on another server (a subscription), on the server's
 * files and programs (COPY to a file or from a program) or, on SQLite,
 * on another database file (ATTACH, VACUUM INTO) would act on the live
 * ones there, so the replay leaves it out and says so.
 *
 * Recognised: the statement itself, and in a PostgreSQL DO block any of
 * these statements in its code or in the strings it executes. Not
 * recognised: what a function or procedure called by a statement does. */
#ifndef RT_SQLSCOPE_H
#define RT_SQLSCOPE_H

#include <stddef.h>

#include "sqllex.h"

/* NULL when sql (one statement, without its ';') acts only on the
 * database it runs in; otherwise what it acts on, as words that follow
 * "acts on" ("the cluster's roles", "another database file", …; static),
 * and in what[whatsz] the statement's kind as it reads ("ALTER ROLE",
 * "GRANT of a role", "GRANT ON DATABASE", "DO block (CREATE ROLE
 * inside)"). */
const char *sqlscope_beyond(const char *sql, size_t len, enum sql_dialect d,
                            char *what, size_t whatsz);

#endif
