#!/bin/bash
# Waiting for the migration lock on PostgreSQL: the line on a terminal, none
# in a pipe, Ctrl-C. (PostgreSQL's readers never wait for a migration.)
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/faults.sh"
. "$TOP_SRCDIR/tests/cli/waits.sh"
db_backend pg

sc_lock_wait
slow_holder current
rtd current
ok_rc 0 "[pg] current answers at once while a migration runs"
is "$OUT" k1 "[pg] ... with the version table as it is"
stop_holder
done_testing
