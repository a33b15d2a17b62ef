#!/bin/bash
# retort killed at random moments on a real PostgreSQL server (SIGKILL,
# SIGINT, SIGTERM, its session terminated), checked after each kill: see
# tests/cli/killrand.sh.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg
. "$TOP_SRCDIR/tests/cli/killrand.sh"
kr_run
done_testing
