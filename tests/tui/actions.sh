#!/bin/bash
# The console's actions on SQLite: upgrade, downgrade and stamp with their
# plans and confirmations, a refusal, a production downgrade, a failing
# migration, a merge of the two heads, a new revision and one refused.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
version() { sqlq app.db "SELECT version_num FROM retort_version ORDER BY 1" | tr '\n' ' '; }
has_table() { sqlq app.db "SELECT count(*) FROM sqlite_master WHERE name = '$1'"; }

tui_start
select_rev dd1123f32f48

# A refused confirmation changes nothing.
keys u
see '^Upgrade app \(sqlite:///app.db\) to dd1123f32f48: 1 step$' "u shows the plan's summary"
see '^── 1/1 upgrade 041584a9edb9 -> dd1123f32f48, Create reports$' "and each step"
see '^ +9 CREATE TABLE reports \($' "with its SQL"
see 'Run it\? \[y/N\]' "and asks y/N"
keys n
see 'Cancelled: nothing was done' "n refuses"
is "$(version)" "041584a9edb9 " "a refusal leaves the version table"
is "$(has_table reports)" 0 "and the schema"
keys u
see 'Run it\? \[y/N\]' "asked again"
keys Enter
see 'Cancelled: nothing was done' "Enter is no (the default)"
is "$(version)" "041584a9edb9 " "still nothing done"

# Upgrade to the selected revision.
keys u
see 'Run it\? \[y/N\]' "u asks again"
keys y
see 'Upgraded app to dd1123f32f48: 1 step in ' "y runs it and says so"
is "$(version)" "dd1123f32f48 " "the version table moved to the selected revision"
is "$(has_table reports)" 1 "the migration ran"
see '^ │ ●  dd1123f32f48 \[head\] \[current\] \(reporting\)' "the graph shows it applied and current"
see '^ ●─╯  041584a9edb9 Create audit log' "the old current mark is gone"
see 'current: dd1123f32f48 │ 2 heads │ 2 pending' "the title follows"

# Downgrade to a selected revision.
select_rev 532afb069296
keys d
see '^Downgrade app \(sqlite:///app.db\) to 532afb069296: 8 steps$' "d plans every applied descendant"
see '^↪ ow \(it undoes this script' "the findings wrap, the line's end marked"
keys NPage
see '^── 1/8 downgrade dd1123f32f48 -> 041584a9edb9, Create reports$' "children first"
see 'DROP VIEW order_totals;' "with the downgrade SQL"
keys y
see 'Downgraded app to 532afb069296: 8 steps' "y runs the downgrade"
is "$(version)" "532afb069296 " "the database is at the selected revision"
is "$(has_table payments)" 0 "the reverted tables are gone"
see '^ ○ │  c0f44988ee9d \(billing\) Create payments' "reverted revisions are pending again"

# Stamp.
select_rev 3dcd61aad93b
keys s
see 'No SQL runs; the version table goes from 532afb069296 to 3dcd61aad93b' "s shows the version-table change"
keys y
see 'Stamped app to 3dcd61aad93b' "y stamps"
is "$(version)" "3dcd61aad93b " "the version table names the stamped revision"
is "$(has_table payments)" 0 "and no SQL ran"
keys q
wait_exit >/dev/null

# A failing migration: its error, and nothing changed. (The stamp above
# ran no SQL: put the version table back where the schema is first.)
rt stamp 532afb069296
rt upgrade 041584a9edb9
ok_rc 0 "schema and version table agree again"
cat >versions/20270101_0000_bad000000001_broken.sql <<'EOF'
-- Broken step
--
-- Revision ID: bad000000001
-- Revises: 041584a9edb9
-- Create Date: 2027-01-01 00:00:00

-- migrate:upgrade
CREATE TABLE half_done (id INTEGER);
INSERT INTO no_such_table VALUES (1);

-- migrate:downgrade
DROP TABLE half_done;
EOF
tui_start
see '3 heads: merge them with m' "a third head is warned about"
select_rev bad000000001
keys u y
see 'The upgrade failed' "a failing migration opens an error dialog"
see 'Step 1 of 1 failed: upgrade 041584a9edb9 -> bad000000001, Broken step' "naming the step"
see '_bad000000001_broken.sql:9: no such table: no_such_table' "with the file, the line and the database's message"
is "$(version)" "041584a9edb9 " "the version table is unchanged"
is "$(has_table half_done)" 0 "the failing migration was rolled back"
is "$(sqlq app.db "SELECT outcome FROM retort_history WHERE revision = 'bad000000001'")" failed \
	"the ledger records the failure"
keys Enter
not_see 'The upgrade failed' "Enter closes the dialog"
see '○ +bad000000001 \[head\] Broken step' "the revision is still pending"

# Space selects heads for a merge.
keys Space
see '^▸.*bad000000001 \[head\]' "Space marks the selected head"
select_rev dd1123f32f48
keys Space
see '^▸.*dd1123f32f48 \[head\]' "and a second one"
select_rev 041584a9edb9
keys Space
see 'Space selects heads for a merge; 041584a9edb9 is not a head' "a revision that is not a head is refused"
keys m
see 'Message for the merge revision of 2 heads' "m merges the selected heads only"
see 'Merge reporting and bad000000001' "named in the default message"
keys Escape
see 'Cancelled: nothing was written' "Esc cancels"
select_rev dd1123f32f48
keys Space
not_see '▸.*dd1123f32f48' "Space again unmarks"
keys m
see 'Select two heads or more with Space, or none to merge them all' "one selected head is not a merge"
keys q
wait_exit >/dev/null
rm versions/*_bad000000001_broken.sql

# Production: a downgrade needs the database's name typed.
printf 'production = true\n' >>retort.ini
tui_start
select_rev c12435d869e2
keys d y
see 'Type its name, app, to' "production asks for the database's name"
keys wrong Enter
see "'wrong' is not 'app': nothing was done" "a wrong name refuses"
is "$(version)" "041584a9edb9 " "and nothing changed"
keys d y
see 'Type its name, app' "asked again"
keys app Enter
see 'Downgraded app to c12435d869e2' "the right name downgrades"
is "$(version)" "c12435d869e2 " "the database is at the selected revision"
keys q
wait_exit >/dev/null
sed -i '/^production/d' retort.ini

# Merge the two heads, then write a revision on the new head.
tui_start
keys m
see '─ Merge heads ─' "m asks for the merge's message"
see 'Merge reporting and 453fe4207322' "with a default naming the heads"
keys C-u 'join the heads' Enter
see '^  dd1123f32f48  Create reports$' "the preview lists the heads it joins"
see 'Write the merge revision\? \[y/N\]' "and asks"
keys y
see 'Wrote \./versions/[0-9_]+_[0-9a-f]{12}_join_the_heads\.sql' "the merge is written"
merge_file=$(ls versions/*_join_the_heads.sql)
like "$(cat "$merge_file")" 'Revises: dd1123f32f48, 453fe4207322' "the script joins both heads"
see '│ 1 head │' "one head is left"
not_see 'heads: merge them' "the warning is gone"
rt heads
like "$OUT" '^[0-9a-f]{12} \(.*\) \(head\)$' "the command line agrees: one head"
merge_id=$(basename "$merge_file" | cut -d_ -f3)
see "── $merge_id ─" "the new revision is selected"

keys c
see '─ New revision ─' "c asks for a message"
keys 'add widgets' Enter
see "On top of: $merge_id" "the preview says where the revision goes"
keys y
see 'Wrote \./versions/.*_add_widgets\.sql' "the revision is written"
like "$(cat versions/*_add_widgets.sql)" "Revises: $merge_id" "on top of the selected head"

# A message the header would misread: the engine's error, nothing written.
nfiles=$(ls versions | wc -l)
keys c
see '─ New revision ─' "c asks again"
keys 'Revises: 1234' Enter
see 'Write the revision\? \[y/N\]' "the preview asks"
keys y
see 'The revision was not written' "a refused revision says so"
see "-m 'Revises: 1234' would be read as a header key" "with the reason"
is "$(ls versions | wc -l)" "$nfiles" "and no file is written"
keys Enter
keys q
wait_exit >/dev/null

done_testing
