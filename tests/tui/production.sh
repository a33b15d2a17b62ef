#!/bin/bash
# The console in production mode: the PRODUCTION mark, the plan's lint
# findings above its steps, the typed name for an upgrade that loses data,
# a stamp backwards and the `:` line's downgrade; and the console on a
# SQLite file that does not exist.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
version() { sqlq app.db "SELECT version_num FROM retort_version ORDER BY 1" | tr '\n' ' '; }
cp "$TOP_SRCDIR"/tests/data/purge/*.sql versions/
rt upgrade 8cc5b122869d -q
ok_rc 0 "setup: the notifications line applied"

# Without production mode: no mark, and the findings are shown all the same.
tui_start
not_see 'PRODUCTION' "without production = true the header has no PRODUCTION mark"
select_rev e7a1c0de0001
keys u
see '^What lint finds in it, worst first \(2\):$' "u shows the plan's lint findings"
see '^  error   delete-without-where  .*_purge_notifications\.sql:9  DELETE FROM notifications' \
	"the DELETE without WHERE first, as an error"
see '^  warning update-without-where  .*_purge_notifications\.sql:8  UPDATE notifications' \
	"then the UPDATE (a line before it in the file), as a warning"
see 'Run it\? \[y/N\]' "before the question"
keys n
see 'Cancelled: nothing was done' "n refuses"
keys q
wait_exit >/dev/null

printf 'production = true\n' >>retort.ini
tui_start
see '^ retort │  PRODUCTION  │ sqlite:///app.db \(sqlite\) │ current: 8cc5b122869d' \
	"production = true: the header says PRODUCTION"

# An upgrade whose SQL loses data asks for the name.
select_rev e7a1c0de0001
keys u
see '^Production database: production = true asks for its name before statements that lose data\.$' \
	"the plan says why the name will be asked"
see '^  error   delete-without-where' "above the findings"
keys y
see 'Type its name, app, to upgrade it:' "y asks for the database's name"
keys appx Enter
see "'appx' is not 'app': nothing was done" "a wrong name refuses"
is "$(version)" "8cc5b122869d " "and nothing changed"
keys u y
see 'Type its name, app' "asked again"
keys Escape
not_see 'Type its name' "Esc cancels"
is "$(version)" "8cc5b122869d " "still nothing changed"
keys u y
see 'Type its name, app' "asked once more"
keys app Enter
see 'Upgraded app to e7a1c0de0001: 1 step' "the right name runs it"
is "$(version)" "e7a1c0de0001 " "the version table moved"

# An upgrade that loses nothing is not asked for.
select_rev dd1123f32f48
keys u
not_see 'Production database:' "an upgrade without data loss says nothing of production"
keys y
see 'Upgraded app to dd1123f32f48' "and runs on y alone"

# A stamp that moves a head backwards.
select_rev 041584a9edb9
keys s
see 'Production database: production = true asks for its name before a stamp that moves a head backwards' \
	"s backwards: the plan says why"
keys y
see 'Type its name, app, to stamp it:' "and the name is asked"
keys nope Enter
see "'nope' is not 'app': nothing was done" "a wrong name refuses"
is "$(version)" "dd1123f32f48 e7a1c0de0001 " "the version table is unchanged"

# A downgrade: its findings are the data it destroys, as errors.
select_rev 532afb069296
keys d
see '^  error   drop-table +.*DROP TABLE notifications' "d shows the tables it drops as errors"
keys n
see 'Cancelled: nothing was done' "n refuses"

# The : line runs the command line's downgrade: the name is asked there.
keys : 'downgrade notifications@-2' Enter
see '^What lint finds in it, worst first:$' "the : line's downgrade shows its findings"
see 'Type its name \(app\) to downgrade:' "and asks for the name on the plain terminal"
keys wrong Enter
see "^'wrong' is not 'app': nothing was done$" "a wrong name refuses"
see 'exit status 1\] Press Enter' "exit status 1"
keys Enter
see 'q quit' "back in the console"
is "$(version)" "dd1123f32f48 e7a1c0de0001 " "nothing changed"
keys q
wait_exit >/dev/null

# A SQLite file that does not exist is not an empty database.
sed -i '/^production/d' retort.ini
sed -i 's|^database = .*|database = sqlite:///apq.db|' retort.ini
tui_start
see '│ current: unknown \(database file apq\.db does not exist\) │' \
	"a missing SQLite file: the header says so, never <base>"
see '^ ◌    e7a1c0de0001 \[head\]' "every revision's state is unknown"
see '^ ◌─╯  8cc5b122869d' "... the applied ones too"
see 'database: database file apq\.db does not exist' "the status line gives the reason"
keys d
see 'The database could not be read: database file apq\.db does not exist' "d refuses"
test ! -e apq.db
t_result $? "no file was created"
# Upgrading creates it, as `retort upgrade` does: the plan starts from an
# empty version table and the file is made only once the plan is confirmed.
select_rev dd1123f32f48
keys u
see '^Upgrade apq \(sqlite:///apq\.db, a new file\) to dd1123f32f48: 11 steps$' \
	"u plans every step from an empty database, saying the file is new"
keys n
see 'Cancelled: nothing was done' "n refuses"
test ! -e apq.db
t_result $? "a refused upgrade creates no file"
keys u
see 'Run them\? \[y/N\]' "asked again"
keys y
see 'Upgraded apq to dd1123f32f48: 11 steps in ' "y creates the file and upgrades it"
is "$(sqlq apq.db "SELECT version_num FROM retort_version")" dd1123f32f48 \
	"the new file's version table is at the selected revision"
see 'current: dd1123f32f48 │ 3 heads │ 3 pending' "the header shows the database as it is now"
keys q
wait_exit >/dev/null

done_testing
