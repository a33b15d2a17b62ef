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

# R stays in the console: the guided rollback is its own dialogs
# (tests/tui/rollback.sh), not the command line's questions.
select_rev 532afb069296
keys R
see '^│ Roll back app \(sqlite:///app\.db\) to 532afb069296: 8 steps' "R opens the rollback's review in the console"
not_see 'Back up the database first\? \[Y/n\]' "... not the command line's questions"
keys Enter
see 'Back up the database first\?' "Enter goes on"
keys n
see 'Rehearse the rollback first\?' "to the rehearsal"
keys n
see 'Roll back app to 532afb069296 now\?' "and the confirmation"
keys y
see '^│ Rolled back app to 532afb069296: 8 steps' "the rollback runs"
keys Enter
see 'current: 532afb069296' "the console shows the new state"
is "$(sqlq app.db 'SELECT version_num FROM retort_version')" 532afb069296 "the database agrees"
keys q
is "$(wait_exit)" 0 "q quits"

done_testing
