#!/bin/bash
# The database engine on real SQLite files when things go wrong: a failing
# migration, transaction_mode = single, eight concurrent upgrades, kill -9
# in the middle of a long migration, the lock timeout.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite
sc_fail_mid
sc_single
sc_concurrent
sc_kill
done_testing
