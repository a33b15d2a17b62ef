#!/bin/bash
# A Transaction: none step cut short on a real PostgreSQL server: killed in
# its upgrade and in its downgrade, stopped by SIGINT part-way, resolved
# both ways, a signal while waiting for the lock and one before a COMMIT,
# and production mode's confirmation of resolve.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg
. "$TOP_SRCDIR/tests/cli/interrupted.sh"

sc_cut_upgrade
sc_cut_applied
sc_cut_downgrade
sc_partway
sc_lock_signal
sc_before_commit
sc_production
sc_old_ledger
done_testing
