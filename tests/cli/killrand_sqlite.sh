#!/bin/bash
# retort killed at random moments on a real SQLite file (SIGKILL, SIGINT,
# SIGTERM), checked after each kill: see tests/cli/killrand.sh.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite
. "$TOP_SRCDIR/tests/cli/killrand.sh"
kr_run
done_testing
