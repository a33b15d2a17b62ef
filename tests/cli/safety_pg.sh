#!/bin/bash
# Rehearsal and verified backups on a real PostgreSQL server.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/safety.sh"
db_backend pg
sc_rehearse
sc_backup
done_testing
