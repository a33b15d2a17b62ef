#!/bin/bash
# What runs is what was shown, on a real PostgreSQL server.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/integrity.sh"
db_backend pg
sc_edit_while_waiting
sc_txn_control
sc_downgrade_unapplied
done_testing
