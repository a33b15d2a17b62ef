#!/bin/bash
# revision --autogenerate and drift on real SQLite files.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/autogen.sh"
db_backend sqlite
sc_autogen
sc_drift
sc_sqlite_extras
sc_sqlite_objects
done_testing
