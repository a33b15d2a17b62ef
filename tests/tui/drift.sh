#!/bin/bash
# The console's status line shows schema drift when the project declares
# its schema (retort.ini `schema`); A writes a revision autogenerate finds.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
sqlq app.db "SELECT sql || ';' FROM sqlite_master WHERE tbl_name NOT LIKE 'retort%'
             AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%'" >schema.sql
printf 'schema = schema.sql\n' >>retort.ini
rt check
like "$OUT" "^multiple heads" "setup: check finds only the two heads"
unlike "$OUT" "drift" "... and no drift"
tui_start
see '2 heads: merge them with m' "without drift the status line warns about the heads"

sqlq app.db "ALTER TABLE users ADD COLUMN nickname TEXT"
keys r
see 'Reloaded the scripts and the database' "r reloads"
keys j
see '2 drifts \(column users\.nickname: text in the database, absent from the migrations\); see :check' \
	"after a change outside the migrations the status line shows the drift"

# A: a revision autogenerate writes, from the declared schema, on the
# selected head; the console shows it.
printf 'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n' >>schema.sql
select_rev dd1123f32f48
keys A
see 'Message for the new revision on top of dd1123f32f48' "A asks for a message"
keys -l 'add tags'
keys Enter
see '^A new revision written by autogenerate' "the preview says what will happen"
see 'up to dd1123f32f48 with schema\.sql' "... from what"
keys y
see 'the database is at 041584a9edb9, not at dd1123f32f48, which the new revision revises' \
	"y: refused while the database is not at the head the revision revises"
keys Enter
is "$(ls versions | grep -c add_tags)" 0 "... nothing written"
rt upgrade dd1123f32f48
ok_rc 0 "the database brought to the head"
keys r
see 'Reloaded the scripts and the database' "r reloads"
select_rev dd1123f32f48
keys A
keys -l 'add tags'
keys Enter
see 'Write the revision\? \[y/N\]' "A asks again"
keys y
see 'Wrote (\./)?versions/[0-9]{8}_[0-9]{4}_[0-9a-f]{12}_add_tags\.sql' "y writes it"
see '^ ○ +[0-9a-f]{12} \[head\] add tags' "the new head is in the graph, pending"
see 'CREATE TABLE "?tags"? \(' "its upgrade SQL is in the preview"
is "$(grep -l 'CREATE TABLE' versions/*_add_tags.sql | wc -l)" 1 "the file holds the SQL"
keys q
done_testing
