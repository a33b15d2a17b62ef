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

# The journal mode a migration runs in: PERSIST while retort holds the
# lock (no journal file deleted and created again per step), DELETE again
# afterwards (no journal left beside the database); WAL is left alone.
d="$T_DIR/journal"
mkrev "$d" j1 "" <<'EOF'
-- migrate:upgrade
CREATE TABLE j1 (id INTEGER);
-- migrate:downgrade
DROP TABLE j1;
EOF
mkrev "$d" j2 j1 "Transaction: none" <<'EOF'
-- migrate:upgrade
SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c);
-- migrate:downgrade
SELECT 1;
EOF
project_of "$d"
newdb journal
"$RETORT" -d "$URL" upgrade head >"$T_DIR/journal.out" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
	[ "$(sqlite3 -batch "$DBF" 'SELECT version_num FROM retort_version' 2>/dev/null)" = j1 ] && break
	sleep 0.05
done
# j1 is committed and j2's long SELECT runs in autocommit: in DELETE mode
# the journal would have been deleted at j1's commit
state="$([ -e "$DBF-journal" ] && echo journal || echo none) $(kill -0 $pid 2>/dev/null && echo running || echo done)"
wait $pid
RC=$?
is "$state" "journal running" "[sqlite] while it migrates, the journal is kept between steps (PERSIST)"
is "$RC:$(sqlite3 -batch "$DBF" 'SELECT version_num FROM retort_version')" "0:j2" "[sqlite] ... and both steps are applied"
is "$([ -e "$DBF-journal" ] && echo journal || echo none)" none "[sqlite] ... and no journal file is left afterwards"
rtd downgrade base
is "$RC:$([ -e "$DBF-journal" ] && echo journal || echo none)" "0:none" "[sqlite] downgrade: no journal file left either"
newdb journal_wal
sqlite3 -batch "$DBF" 'PRAGMA journal_mode = WAL' >/dev/null
rtd upgrade head
is "$RC:$(sqlite3 -batch "$DBF" 'PRAGMA journal_mode')" "0:wal" "[sqlite] a database in WAL mode stays in WAL mode"
done_testing
