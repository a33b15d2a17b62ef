#!/bin/bash
# The guided rollback (R) on PostgreSQL, at 80x24: the rows at stake
# counted in the database, a refusal, the whole rollback with a backup
# (pg_dump) and a rehearsal, a failing rehearsal, the typed name in
# production mode, a plan changed between review and confirmation, a
# resize; checked in the database itself.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

TUI_COLS=80 TUI_LINES=24
project
pg_start
pg_newdb tui_rb
psqlq() { psql -X -A -t -q -d tui_rb -c "$1"; }
version() { psqlq 'SELECT version_num FROM retort_version ORDER BY 1' | paste -sd' ' -; }
audit_rows() { psqlq 'SELECT count(*) FROM audit_log' 2>&1; }
fill_audit() {
	psqlq "INSERT INTO audit_log (id, entity, entity_id, action) VALUES
		(1, 'order', 1, 'create'), (2, 'order', 1, 'update'), (3, 'order', 2, 'delete'),
		(4, 'order', 3, 'create')"
}
reach() { wait_for "$1" || diag "waited for /$1/ on:" "$SCREEN"; }
unchanged() {
	is "$(version)" 041584a9edb9 "$1: the version table is unchanged"
	is "$(audit_rows)" 4 "$1: the audit log keeps its rows"
}
rt -d "$PGURL" upgrade 041584a9edb9 -q
ok_rc 0 "setup: the demo up to the audit log"
fill_audit

tui_start -d "$PGURL"
select_rev c0f44988ee9d
keys R
see '^│ Roll back tui_rb \(postgresql://[^ ]*@[^ ]*/tui_rb\) to ' "R opens the review"
see '│ c0f44988ee9d: 3 steps, 2 destroy data' "... of three steps, two of which destroy data"
see '^│   step 1  audit_log \(drop-table\): 4 rows, all written since the table was' \
	"the rows of the dropped table, counted in PostgreSQL"
tmx resize-window -t tui -x 100 -y 30
see '[0-9]+-[0-9]+/[0-9]+  j/k: scroll  Enter: continue  Esc: cancel' "the review after a resize"
tmx resize-window -t tui -x 80 -y 24
keys Escape
see 'Rollback cancelled at the review: nothing changed' "Esc cancels"
unchanged "the review"

keys R
reach 'Enter: continue'
keys Enter
reach 'Back up the database first'
keys y
see '│ Backup written to tui_rb-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.sql \([0-9]+ bytes\) and' \
	"the backup is written with pg_dump, its path and size shown"
reach 'Rehearse the rollback first'
keys y
see '│ Rehearsal passed: every step ran and was rolled back \(3 steps' "the rehearsal passes"
is "$(version)" 041584a9edb9 "the rehearsal changed nothing"
reach 'Roll back tui_rb to c0f44988ee9d now'
keys y
see '^│ Rolled back tui_rb to c0f44988ee9d: 3 steps in [0-9.]+ ms\.' "the rollback runs"
see '^│   #[0-9]+  20[0-9-]+ [0-9:.]+  downgrade 041584a9edb9 ok ' "the result lists its ledger rows"
see '^│ The backup taken before: tui_rb-[0-9-]+\.sql' "and the backup"
keys Enter
is "$(version)" "2b604fab0cca c0f44988ee9d" "the database is rolled back"
is "$(psqlq "SELECT to_regclass('audit_log') IS NULL AND to_regclass('refunds') IS NULL")" t \
	"the tables are gone"
backup=$(ls tui_rb-*.sql | head -1)
is "$(sed -n '/^COPY public.audit_log /,/^\\\.$/p' "$backup" | grep -c '^[0-9]')" 4 \
	"the backup holds the audit log's rows"
keys q
wait_exit >/dev/null

# A failing rehearsal names the statement; nothing changed.
rt -d "$PGURL" upgrade 041584a9edb9 -q
fill_audit
printf '%s\n' '-- Bad downgrade' '--' '-- Revision ID: 0bad00000001' '-- Revises: 041584a9edb9' '' \
	'-- migrate:upgrade' 'CREATE TABLE scratch (x INTEGER);' '' '-- migrate:downgrade' \
	'DROP TABLE scratch;' 'DROP TABLE no_such_table;' >versions/0bad00000001_bad.sql
rt -d "$PGURL" upgrade 0bad00000001 -q
ok_rc 0 "setup: a revision whose downgrade fails"
tui_start -d "$PGURL"
select_rev 041584a9edb9
keys R
reach 'Enter: continue'
keys Enter n y
see "The rollback's rehearsal failed" "a failing rehearsal is reported"
see '0bad00000001_bad\.sql:11: .*no_such_table' "with the statement's file and line"
see 'The rehearsal was rolled back: nothing changed\.' "and that nothing changed"
keys Enter
is "$(version)" 0bad00000001 "the version table is unchanged"
is "$(psqlq "SELECT to_regclass('scratch') IS NOT NULL")" t "the table is still there"
keys q
wait_exit >/dev/null
rt -d "$PGURL" downgrade 041584a9edb9 -q 2>/dev/null
psqlq "DROP TABLE IF EXISTS scratch; DELETE FROM retort_version; INSERT INTO retort_version VALUES ('041584a9edb9')"
rm versions/0bad00000001_bad.sql

# production = true: a wrong name refuses, the right one rolls back.
printf 'production = true\n' >>retort.ini
tui_start -d "$PGURL"
select_rev c0f44988ee9d
keys R
reach 'Enter: continue'
keys Enter n n
see '│ Type its name, tui_rb, to roll back: +│' "production mode asks for the name"
keys tui Enter
see "'tui' is not 'tui_rb'" "a wrong name refuses"
keys Enter
unchanged "a wrong name"
keys R
reach 'Enter: continue'
keys Enter n n
reach 'Type its name, tui_rb'
keys tui_rb Enter
see '^│ Rolled back tui_rb to c0f44988ee9d: 3 steps' "the right name rolls back"
keys Enter
is "$(version)" "2b604fab0cca c0f44988ee9d" "the database is rolled back"
keys q
wait_exit >/dev/null
sed -i '/^production = true$/d' retort.ini

# Another process upgrades between the review and the confirmation.
rt -d "$PGURL" upgrade 041584a9edb9 -q
fill_audit
tui_start -d "$PGURL"
select_rev c0f44988ee9d
keys R
reach 'Enter: continue'
rt -d "$PGURL" upgrade dd1123f32f48 -q
ok_rc 0 "another process upgrades the database meanwhile"
keys Enter n n
reach 'Roll back tui_rb to c0f44988ee9d now'
keys y
see 'the plan changed after it was shown and confirmed' "the run is refused"
see '│   \+ downgrade dd1123f32f48 \(version table dd1123f32f48 -> 041584a9edb9\)' "showing the plan of now"
keys Enter
is "$(version)" dd1123f32f48 "nothing was rolled back"
is "$(audit_rows)" 4 "the audit log keeps its rows"
keys q
wait_exit >/dev/null

# A resize while a step runs: the progress box follows the terminal from
# the next step on.
for n in 2 3; do
	printf '%s\n' '-- Slow downgrade' '--' "-- Revision ID: 5100e000000$n" \
		"-- Revises: $([ $n = 2 ] && echo dd1123f32f48 || echo 5100e0000002)" '' \
		'-- migrate:upgrade' 'SELECT 1;' '' '-- migrate:downgrade' 'SELECT pg_sleep(2);' \
		>versions/5100e000000${n}_slow.sql
done
rt -d "$PGURL" upgrade 5100e0000003 -q
ok_rc 0 "setup: two revisions whose downgrades take two seconds each"
width() { printf '%s' "$(printf '%s\n' "$SCREEN" | grep -m1 -o -- "┌─ $1.*┐")" | wc -m; }
tui_start -d "$PGURL"
select_rev dd1123f32f48
keys R
reach 'Enter: continue'
keys Enter n n
reach 'Roll back tui_rb to dd1123f32f48 now'
keys y
see 'Running step 1 of 2: 5100e0000003 -> 5100e0000002' "the run shows its progress"
tmx resize-window -t tui -x 60 -y 24
see 'Running step 2 of 2: 5100e0000002' "the progress after a resize during a step"
is "$(width 'Rollback of tui_rb')" 56 "... fits the new width"
see '^│ Rolled back tui_rb to dd1123f32f48: 2 steps' "and the steps complete"
keys Enter
is "$(version)" dd1123f32f48 "the database is rolled back"
keys q
wait_exit >/dev/null

done_testing
