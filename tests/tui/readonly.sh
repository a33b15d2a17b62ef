#!/bin/bash
# The console without a database (the scripts alone, read-only) and with
# a damaged scripts directory (the errors, then a reload once fixed).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

project
printf '[retort]\nscript_location = .\n' >retort.ini
tui_start
see '^ retort │ no database configured: scripts only, read-only │ 2 heads │ 13 revisions' \
	"without a database the title says the console is read-only"
see '^ ◌    453fe4207322 \[head\] Add report subscriptions' \
	"the graph is drawn, every revision's state unknown (never the applied glyph)"
keys '?' NPage NPage NPage NPage
see '● applied   ○ pending   ◌ unknown: the database could not be read' "the legend names the unknown glyph"
keys q
not_see '● applied' "the help closes"
keys u
see 'No database configured: the console is read-only' "u explains why it cannot run"
keys d
see 'No database configured: the console is read-only' "so does d"
keys 3
see '^State        unknown: no database configured$' "the details say the state is unknown"
test ! -e app.db
t_result $? "no database file was created"

# A damaged history: the errors, then a reload.
printf -- '-- junk\n' >versions/junk.sql
keys r
see '^ The scripts could not be loaded:$' "a damaged graph is shown as its errors"
see 'junk.sql:1: missing .Revision ID. in the header' "with file and line"
see 'Fix them \(e opens the first file named\), then press r to reload' "and the way out"
keys u
see 'The scripts could not be loaded: fix them, then press r' "actions refuse"
rm versions/junk.sql
keys r
see '453fe4207322 \[head\]' "once fixed, r brings the graph back"
keys q
is "$(wait_exit)" 0 "q quits"

# A database that cannot be opened: its error, and no actions.
tui_start -d 'postgresql://nobody:secret@127.0.0.1:1/x'
see '^ database: .*127\.0\.0\.1' "the status line shows the database's error"
see 'postgresql://nobody:\*\*\*\*@127\.0\.0\.1:1/x \(postgresql\)' "the title masks the password"
keys u
see 'The database could not be read' "actions refuse"
keys q
is "$(wait_exit)" 0 "q quits"

done_testing
