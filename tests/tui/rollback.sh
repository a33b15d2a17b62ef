#!/bin/bash
# The guided rollback (R) in the console's own dialogs, on a SQLite file,
# at 80x24: the review with the rows at stake, a refusal at each step
# (nothing changed), the whole rollback with and without backup and
# rehearsal, a failing rehearsal, the typed name in production mode, a
# plan that changed between the review and the confirmation, a resize in
# each dialog, the help and the colours.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

TUI_COLS=80 TUI_LINES=24
demo_project
version() { sqlq app.db "SELECT version_num FROM retort_version ORDER BY 1" | paste -sd' ' -; }
audit_rows() { sqlq app.db "SELECT count(*) FROM audit_log" 2>&1; }
fill_audit() {
	sqlq app.db "INSERT INTO audit_log (id, entity, entity_id, action) VALUES
		(1, 'order', 1, 'create'), (2, 'order', 1, 'update'), (3, 'order', 2, 'delete')"
}
fill_audit
# width WORD: the columns of the first screen line holding WORD
width() { printf '%s' "$(printf '%s\n' "$SCREEN" | grep -m1 -o -- "┌─ $1.*┐")" | wc -m; }
# reach REGEX: waits for a screen on the way to the next check.
reach() { wait_for "$1" || diag "waited for /$1/ on:" "$SCREEN"; }

# unchanged PHASE: after a refusal, the database is as it was.
unchanged() {
	is "$(version)" 041584a9edb9 "$1: the version table is unchanged"
	is "$(audit_rows)" 3 "$1: the audit log keeps its rows"
}

tui_start
select_rev c0f44988ee9d
keys R
see '^│ Roll back app \(sqlite:///app\.db\) to c0f44988ee9d: 3 steps, 2 destroy data' \
	"R opens the review: target, steps, how many destroy data"
see '^│ Version table now: +041584a9edb9 ' "the version table before"
see '^│ Version table after: 2b604fab0cca c0f44988ee9d ' "and after"
see '^│   step 1  audit_log \(drop-table\): 3 rows, all written since the table was' \
	"the rows a dropped table takes with it, counted"
see '^│   step 3  refunds \(drop-table\): 0 rows ' "an empty table says 0 rows"
see '1-22/[0-9]+  j/k: scroll  Enter: continue  Esc: cancel' "the review fills 80x24 and scrolls"
keys G
see '^│ 3\. downgrade 3dcd61aad93b -> c0f44988ee9d, Add refunds  \[destroys data\]' \
	"each step, destructive ones marked"
see '^│ +25 DROP TABLE refunds;' "with its downgrade SQL and its lines"
# resize: the review follows the terminal
tmx resize-window -t tui -x 100 -y 30
see '[0-9]+-[0-9]+/[0-9]+  j/k: scroll  Enter: continue  Esc: cancel' "the review after a resize"
is "$(width 'Rollback of app to')" 100 "... spans the new width"
tmx resize-window -t tui -x 80 -y 24
see '^┌─ Rollback of app to c0f44988ee9d ─+┐$' "and back at 80 columns"
keys Escape
see 'Rollback cancelled at the review: nothing changed' "Esc in the review cancels"
unchanged "the review"

keys R
reach 'Enter: continue'
keys Enter
see '^ *│ Back up the database first\?' "Enter goes on to the backup question"
tmx resize-window -t tui -x 60 -y 24
see '^ *│ Back up the database first\?' "the question after a resize"
is "$(width 'Rollback of app to')" 58 "... fits the new width"
tmx resize-window -t tui -x 80 -y 24
keys Escape
see 'Rollback cancelled at the backup: nothing changed' "Esc at the backup cancels"
unchanged "the backup question"

keys R
reach 'Enter: continue'
keys Enter
reach 'Back up the database first'
keys n
see '│ Rehearse the rollback first\?' "n skips the backup; the rehearsal is asked"
tmx resize-window -t tui -x 70 -y 24
see '│ Rehearse the rollback first\?' "the rehearsal question after a resize"
is "$(width 'Rollback of app to')" 68 "... fits the new width"
tmx resize-window -t tui -x 80 -y 24
keys Escape
see 'Rollback cancelled at the rehearsal: nothing changed' "Esc at the rehearsal cancels"
unchanged "the rehearsal question"

keys R
reach 'Enter: continue'
keys Enter
reach 'Back up the database first'
keys n
reach 'Rehearse the rollback first'
keys n
see '│ Roll back app to c0f44988ee9d now\? 3 steps run; 2 destroy data \(3 rows' \
	"the confirmation counts the rows"
tmx resize-window -t tui -x 90 -y 24
see 'Roll back app to c0f44988ee9d now' "the confirmation after a resize"
is "$(width 'Rollback of app to')" 78 "... fits the new width"
tmx resize-window -t tui -x 80 -y 24
keys n
see 'Rollback cancelled at the confirmation: nothing changed' "n at the confirmation refuses"
unchanged "the confirmation"

# The whole rollback with a backup and a rehearsal.
keys R
reach 'Enter: continue'
keys Enter
reach 'Back up the database first'
keys y
see '│ Backup written to app-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.db \([0-9]+ bytes\) and verified\.' \
	"the backup is written, its path and size shown"
reach 'Rehearse the rollback first'
keys y
see '│ Rehearsal passed: every step ran and was rolled back \(3 steps' "the rehearsal passes"
is "$(version)" 041584a9edb9 "the rehearsal changed nothing"
reach 'Roll back app to c0f44988ee9d now'
keys y
see '^│ Rolled back app to c0f44988ee9d: 3 steps in [0-9.]+ ms\.' "the result: what ran and how long"
see '^│ Version table now: 2b604fab0cca c0f44988ee9d ' "where the database is"
see '^│   #[0-9]+  20[0-9-]+ [0-9:.]+  downgrade 041584a9edb9 ok ' "the ledger rows of this rollback"
see '^│   #[0-9]+  20[0-9-]+ [0-9:.]+  downgrade 3dcd61aad93b ok ' "... each step's"
see '^│ The backup taken before: app-[0-9-]+\.db \([0-9]+ bytes\)\. To restore:' "and where the backup is"
tmx resize-window -t tui -x 100 -y 30
see '^│ Rolled back app to c0f44988ee9d' "the result after a resize"
is "$(width 'Rollback of app to')" 100 "... spans the new width"
tmx resize-window -t tui -x 80 -y 24
keys Enter
see 'Rolled back app to c0f44988ee9d' "Enter closes the result"
see 'current: 2b604fab0cca c0f44988ee9d' "the console shows the new state"
is "$(version)" "2b604fab0cca c0f44988ee9d" "the database is rolled back"
is "$(sqlq app.db "SELECT count(*) FROM sqlite_master WHERE name IN ('audit_log', 'refunds')")" 0 \
	"the tables are gone"
backup=$(ls app-*.db | head -1)
is "$(sqlq "$backup" 'SELECT count(*) FROM audit_log')" 3 "the backup holds the audit log's rows"
is "$(sqlq app.db "SELECT count(*) FROM retort_history WHERE direction = 'downgrade'")" 3 \
	"the ledger has a row per step"
keys q
wait_exit >/dev/null

# The whole rollback without backup or rehearsal.
rt upgrade 041584a9edb9 -q
fill_audit
backups=$(ls app-*.db | wc -l)
tui_start
select_rev c0f44988ee9d
keys R
reach 'Enter: continue'
keys Enter
reach 'Back up the database first'
keys n
reach 'Rehearse the rollback first'
keys n
reach 'Roll back app to c0f44988ee9d now'
keys y
see '^│ Rolled back app to c0f44988ee9d: 3 steps' "without backup and rehearsal the rollback runs"
see '^│ No backup was taken\.' "and says no backup was taken"
keys Enter
is "$(version)" "2b604fab0cca c0f44988ee9d" "the database is rolled back"
is "$(ls app-*.db | wc -l)" "$backups" "no backup file was written"
keys q
wait_exit >/dev/null

# A failing rehearsal: the statement with its file and line; nothing changed.
rt upgrade 041584a9edb9 -q
fill_audit
printf '%s\n' '-- Bad downgrade' '--' '-- Revision ID: 0bad00000001' '-- Revises: 041584a9edb9' '' \
	'-- migrate:upgrade' 'CREATE TABLE scratch (x INTEGER);' '' '-- migrate:downgrade' \
	'DROP TABLE scratch;' 'DROP TABLE no_such_table;' >versions/0bad00000001_bad.sql
rt upgrade 0bad00000001 -q
ok_rc 0 "setup: a revision whose downgrade fails"
tui_start
select_rev 041584a9edb9
keys R
reach 'Enter: continue'
keys Enter
reach 'Back up the database first'
keys n
reach 'Rehearse the rollback first'
keys y
see "The rollback's rehearsal failed" "a failing rehearsal is reported"
see 'Step 1 of 1 failed: downgrade 0bad00000001' "naming the step"
see '0bad00000001_bad\.sql:11: .*no such table: no_such_table' "and the statement, with its file and line"
see 'The rehearsal was rolled back: nothing changed\.' "and that nothing changed"
keys Enter
see 'Not rolled back \(the rehearsal failed\): nothing changed' "the status line says so too"
is "$(version)" 0bad00000001 "the version table is unchanged"
is "$(sqlq app.db "SELECT count(*) FROM sqlite_master WHERE name = 'scratch'")" 1 "the table is still there"
keys q
wait_exit >/dev/null
rm versions/0bad00000001_bad.sql
sqlq app.db "DROP TABLE scratch; DELETE FROM retort_version; INSERT INTO retort_version VALUES ('041584a9edb9')"

# production = true: the name is typed; a wrong one refuses.
printf 'production = true\n' >>retort.ini
tui_start
select_rev c0f44988ee9d
keys R
see '│ This is a production database: production = true asks for its name before a' \
	"the review says production mode will ask the name"
keys Enter
reach 'Back up the database first'
keys n
reach 'Rehearse the rollback first'
keys n
see '│ Type its name, app, to roll back: +│' "the confirmation asks for the database's name"
tmx resize-window -t tui -x 100 -y 30
see '│ Type its name, app, to roll back: +│' "the typed confirmation after a resize"
tmx resize-window -t tui -x 80 -y 24
keys ap Enter
see "'ap' is not 'app'" "a wrong name refuses"
see 'The rollback stopped: nothing changed\.' "saying nothing changed"
keys Enter
unchanged "a wrong name"
keys R
reach 'Enter: continue'
keys Enter n n
reach 'Type its name, app'
keys Escape
see 'Rollback cancelled at the confirmation: nothing changed' "Esc at the typed name cancels"
unchanged "Esc at the typed name"
keys R
reach 'Enter: continue'
keys Enter n n
reach 'Type its name, app'
keys app Enter
see '^│ Rolled back app to c0f44988ee9d: 3 steps' "the right name rolls back"
keys Enter
is "$(version)" "2b604fab0cca c0f44988ee9d" "the database is rolled back"
keys q
wait_exit >/dev/null
sed -i '/^production = true$/d' retort.ini

# Another process upgrades the database between the review and the
# confirmation: the run refuses and shows the difference.
rt upgrade 041584a9edb9 -q
fill_audit
tui_start
select_rev c0f44988ee9d
keys R
reach 'Enter: continue'
rt upgrade dd1123f32f48 -q
ok_rc 0 "another process upgrades the database meanwhile"
keys Enter n n
reach 'Roll back app to c0f44988ee9d now'
keys y
see "The rollback's run failed" "the run is refused"
see 'the plan changed after it was shown and confirmed' "because the plan changed"
see '│   - downgrade 041584a9edb9 \(version table 041584a9edb9 -> d58e11da093b\)' "the plan shown"
see '│   \+ downgrade dd1123f32f48 \(version table dd1123f32f48 -> 041584a9edb9\)' "and the plan of now"
see 'No step of the rollback ran' "and that no step ran"
keys Enter
is "$(version)" dd1123f32f48 "nothing was rolled back"
is "$(audit_rows)" 3 "the audit log keeps its rows"
keys q
wait_exit >/dev/null

# The help lists the rollback's keys.
tui_start
keys '?'
reach 'Moving'
keys NPage NPage NPage NPage
see 'Guided rollback \(R\)' "? has a section for the guided rollback"
see 'Esc, q +Cancel at any step before the run: nothing changes' "with its keys"
keys q
keys q
wait_exit >/dev/null

# Colours mark destructive steps; NO_COLOR leaves them plain.
rt downgrade 041584a9edb9 -q
colour=$'\e\\[([0-9;]*;)?3[0-7](;[0-9;]*)?m'
NO_COLOR= tui_start
select_rev c0f44988ee9d
keys R
reach 'Enter: continue'
keys G
reach 'Add refunds  \[destroys data\]'
like "$(screen_attrs | grep 'Add refunds  \[destroys data\]')" $'\e\\[([0-9;]*;)?31(;[0-9;]*)?m' \
	"a destructive step is red"
keys Escape
reach 'Rollback cancelled'
keys q
wait_exit >/dev/null
NO_COLOR=1 tui_start
select_rev c0f44988ee9d
keys R
reach 'Enter: continue'
keys G
reach 'Add refunds  \[destroys data\]'
unlike "$(screen_attrs)" "$colour" "NO_COLOR: no colours in the review"
keys Escape
reach 'Rollback cancelled'
keys q
wait_exit >/dev/null

done_testing
