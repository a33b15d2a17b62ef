#!/bin/bash
# The database engine on real SQLite files: the planner's moves across
# branches, merges and dependencies, --sql, check/repair, the ledger, and
# where the database URL comes from.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite
sc_graph_demo
sc_graph_fixtures
sc_sql
sc_check
sc_ledger
sc_precedence
done_testing
