#!/bin/bash
# The console in an Alembic project: its history, heads and current
# revision; a revision's upgrade() source; a plan with the SQL Alembic's
# offline mode renders; an upgrade and a downgrade run through Alembic,
# which then agrees; a new revision Alembic reads.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/alembicenv.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"
alembic_find
db_backend sqlite
aproject
al upgrade c2
ok_rc 0 "Alembic brings the database to c2"

tui_start
see "^ retort │ sqlite:///$DBF \\(sqlite\\) │ current: c2 │ 3 heads │ 6 pending │ 11 revisions" \
	"the title: the database, current c2 (as alembic_version says), 3 heads"
see '^ ○─╮  m1 \[head\] create t_m1' "the merge, a head, pending"
see '^ ○    y2 \[head\] create t_y2  ⇢ x1 ' "y2, with its dependency"
see '^ .*c2 \[current\] create t_c2' "c2 marked current"
see '^ .*x1 \[head\] \(expand\) create t_x1' "the expand line's head"
select_rev b1
see '^ +18 def upgrade\(\) -> None:$' "the preview shows b1's upgrade() source"
see '^ +19     op.create_table\("t_b1"' "... with its line numbers"
keys 2
see '^ +22 def downgrade\(\) -> None:$' "2: its downgrade()"

keys u
see '^Upgrade .* to b1: 1 step$' "u on b1: the plan"
see '^── 1/1 upgrade a2 -> b1, create t_b1$' "... its step"
see 'the SQL Alembic renders for it \(offline mode\):' "... with the SQL Alembic renders"
see 'CREATE TABLE t_b1' "... the CREATE TABLE"
see 'Run it\? \[y/N\]' "... and asks"
keys y
see 'Upgraded .* to b1: 1 step in ' "y runs it"
al current
is "$(printf '%s\n' "$OUT" | sort | paste -sd' ' -)" "b1 c2" "Alembic agrees: b1 and c2"
is "$(has_table t_b1)" 1 "Alembic ran the migration"
see 'current: b1 c2' "the title follows"

select_rev a2
keys d
see '^Downgrade .* to a2: 3 steps$' "d on a2: three steps (b1, c2, c1)"
see 'Run them\? \[y/N\]' "... asks"
keys y
see 'Downgraded .* to a2: 3 steps in ' "y runs them"
al current
is "$OUT" "a2 (branchpoint)" "Alembic agrees: a2"

keys q
is "$(wait_exit)" 0 "q quits"
done_testing
