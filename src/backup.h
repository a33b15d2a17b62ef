/* backup.h: a verified backup of the configured database (retort(1)
 * `backup`), shared by the backup command, `rollback --backup` and the
 * console's guided rollback. */
#ifndef RT_BACKUP_H
#define RT_BACKUP_H

#include "db.h"
#include "url.h"

/* Takes the migration lock (so no run changes the database meanwhile),
 * writes a consistent copy to dest (NULL: "<dbname>-<YYYYmmdd-HHMMSS>.db"
 * or ".sql" in the current directory), then verifies it: the copy opens
 * (SQLite) or is a complete dump (PostgreSQL), and its version table holds
 * the same rows as the database's. db: connected to url; version_table:
 * the one it uses; wait: how to wait for the lock (borrowed). *written:
 * the path (caller frees).
 * progress may be NULL. */
int backup_run(struct db *db, const struct db_url *url, const char *version_table,
               const struct db_wait *wait, const char *dest,
               void (*progress)(void *ctx, double fraction), void *ctx,
               char **written, char **err);

/* How to restore that backup of the database at url, one or two lines
 * (caller frees). */
char *backup_restore_hint(const struct db_url *url, const char *path);

#endif
