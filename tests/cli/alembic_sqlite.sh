#!/bin/bash
# retort on Alembic projects, on real SQLite files, with Alembic as the
# oracle: the offline commands, alembic_version after upgrade, downgrade
# and stamp, --sql, another database, a failing step, new revisions.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/alembicenv.sh"
alembic_find
db_backend sqlite
sc_alembic_read
sc_alembic_db
sc_alembic_more
sc_alembic_autogen
done_testing
