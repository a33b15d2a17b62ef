#!/bin/bash
# The database engine on a real PostgreSQL server: the planner's moves
# across branches, merges and dependencies, --sql, check/repair, the
# ledger, and passwords that are never printed.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg
sc_graph_demo
sc_graph_fixtures
sc_sql
sc_check
sc_ledger
sc_password
done_testing
