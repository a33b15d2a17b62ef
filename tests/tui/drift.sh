#!/bin/bash
# The console's status line shows schema drift when the project declares
# its schema (retort.ini `schema`).
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
keys q
done_testing
