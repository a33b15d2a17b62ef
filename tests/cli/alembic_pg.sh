#!/bin/bash
# retort on Alembic projects on a real PostgreSQL server, with Alembic
# (and psycopg2) as the oracle: alembic_version after upgrade, downgrade
# and stamp, --sql, another database, a failing step, new revisions.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/alembicenv.sh"
alembic_find psycopg2
db_backend pg
sc_alembic_db
sc_alembic_more
sc_alembic_autogen
done_testing
