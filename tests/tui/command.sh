#!/bin/bash
# The console's `:` line: the shell's commands with the console suspended,
# then back to a reloaded console.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
tui_start
keys :
see '^retort\(app\)>' "the : line prompts like the shell"
keys heads Enter
see '^dd1123f32f48 \(.*reporting\) \(head\)$' "a command prints as on the command line"
see 'exit status 0\] Press Enter to return to the console' "and its status"
keys Enter
see '2 heads: merge them with m' "Enter returns to the console"

keys : 'upgrade dd1123f32f48' Enter
see 'Running upgrade 041584a9edb9 -> dd1123f32f48, Create reports \.\.\. done' "a command can change the database"
keys Enter
see 'current: dd1123f32f48' "the console reloads the new state"
is "$(sqlq app.db 'SELECT version_num FROM retort_version')" dd1123f32f48 "the database agrees"

keys : 'show nosuchrev' Enter
see 'exit status 2\]' "a failing command shows its status"
keys Enter
see 'q quit' "and the console comes back"
keys : Enter
see 'q quit' "an empty line returns at once"

# R hands the terminal to the guided rollback.
select_rev 532afb069296
keys R
see 'Back up the database first\? \[Y/n\]' "R starts the guided rollback, which asks its questions"
# The plan with its SQL is longer than the screen: read the scrollback.
tmx capture-pane -p -S - | grep -q '^Rollback of sqlite:///app.db: 8 steps'
t_result $? "... after the plan of the rollback to the selected revision"
keys n Enter
see 'Rehearse the rollback first' "about a rehearsal"
keys n Enter
see 'Roll back now\? \[y/N\]' "and for confirmation"
keys y Enter
see '^Rolled back\.$' "the rollback runs"
see 'exit status 0\] Press Enter' "and ends"
keys Enter
see 'current: 532afb069296' "the console shows the new state"
is "$(sqlq app.db 'SELECT version_num FROM retort_version')" 532afb069296 "the database agrees"
keys q
is "$(wait_exit)" 0 "q quits"

done_testing
