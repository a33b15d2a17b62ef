#!/bin/bash
# The console runs only what it showed: another process's upgrade between
# the preview and the confirmation, and a script edited meanwhile, make the
# run refuse and show why; nothing changes.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
version() { sqlq app.db "SELECT version_num FROM retort_version ORDER BY 1" | paste -sd' ' -; }
has_table() { sqlq app.db "SELECT count(*) FROM sqlite_master WHERE name = '$1'"; }

tui_start
select_rev c0f44988ee9d
keys d
see '^Downgrade app \(sqlite:///app.db\) to c0f44988ee9d: 3 steps$' "d shows a plan of three steps"
see 'Run them\? \[y/N\]' "and asks"
rt upgrade reporting@head -q
ok_rc 0 "meanwhile another process upgrades the database"
keys y
see 'the plan changed after it was shown and confirmed' "y: the run refuses, the plan changed"
see '│ +- downgrade 041584a9edb9 \(version table 041584a9edb9 -> d58e11da093b\)' \
	"the dialog shows the confirmed plan"
see '│ +\+ downgrade dd1123f32f48 \(version table dd1123f32f48 -> 041584a9edb9\)' \
	"and the plan of now"
is "$(version)" "dd1123f32f48" "nothing was downgraded"
is "$(has_table refunds)$(has_table reports)" "11" "the tables are all there"
keys Escape
keys r
see 'current: dd1123f32f48' "after a reload the console shows the new state"

# A script edited after the preview showed it.
select_rev 453fe4207322
keys u
see 'Run them\? \[y/N\]' "u shows the plan of the notifications branch"
f=$(ls versions/*_create_notifications.sql)
printf '\n-- a comment added later\n' >>"$f"
keys y
see 'create_notifications\.sql changed after the plan was shown' \
	"y: the run stops before the edited script, naming it"
is "$(version)" "dd1123f32f48" "nothing ran"
keys Escape
keys q
wait_exit >/dev/null
done_testing
