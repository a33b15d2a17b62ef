#!/bin/bash
# Rehearsal and verified backups on SQLite files.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/safety.sh"
db_backend sqlite
sc_rehearse
sc_backup
done_testing
