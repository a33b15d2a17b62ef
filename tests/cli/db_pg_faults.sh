#!/bin/bash
# The database engine on a real PostgreSQL server when things go wrong: a
# failing migration, transaction_mode = single, eight concurrent upgrades,
# kill -9 in the middle of a long migration, the lock timeout, and
# Transaction: none scripts under the lock.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg
sc_fail_mid
sc_single
sc_concurrent
sc_kill
sc_pg_txn_none
done_testing
