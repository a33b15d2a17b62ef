#!/bin/bash
# revision --autogenerate and drift on a real PostgreSQL server.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/autogen.sh"
db_backend pg
sc_autogen
sc_drift
sc_pg_extras
done_testing
