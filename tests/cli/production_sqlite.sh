#!/bin/bash
# Production mode on the command line, on SQLite files.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"
. "$TOP_SRCDIR/tests/cli/production.sh"
db_backend sqlite
sc_production_refusals
sc_production_terminal
done_testing
