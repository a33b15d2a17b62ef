#!/bin/bash
# The console for an operator under pressure, on SQLite: long SQL lines
# wrapped (and scrolled sideways when wrapping is off), questions that fit
# a narrow terminal, where the focus is, the keys that jump to the current
# revision and to the heads, a search into the SQL, the editor, what R and
# u say when there is nothing to do, a damaged script after a reload, a
# change made by another process, and Ctrl-C, which never ends the console.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
version() { sqlq app.db "SELECT version_num FROM retort_version ORDER BY 1" | tr '\n' ' '; }
# A purge whose WHERE ends in a condition that makes it delete every row,
# past column 150 of its line.
cat >versions/20270101_0000_feed00000001_purge_audit.sql <<'EOF2'
-- Purge the audit log
--
-- Revision ID: feed00000001
-- Revises: dd1123f32f48
-- Create Date: 2027-01-01 00:00:00

-- migrate:upgrade
DELETE FROM audit_log WHERE created_at < '2020-01-01' AND action IN ('login', 'logout', 'refresh', 'ping', 'heartbeat', 'poll', 'noop', 'status', 'health') OR 1=1;

-- migrate:downgrade
SELECT 1;
EOF2
line=$(grep 'OR 1=1' versions/*_feed00000001_*.sql)
is "$(( ${#line} > 150 ))" 1 "the fixture's line is longer than 150 columns"

tui_start

# ---- long lines ----
select_rev feed00000001
see '^    8 DELETE FROM audit_log WHERE .*'"'"'heartb$' "a long line fills the preview's width"
see '^    ↪ eat'"'"', '"'"'poll'"'"', '"'"'noop'"'"', '"'"'status'"'"', '"'"'health'"'"'\) OR 1=1;$' \
	"and wraps, its end on a continuation row marked in the gutter"
keys w
see '\[no wrap: h/l, column 1\]' "w turns wrapping off, and the tab row says so"
see '^    8 DELETE FROM audit_log .*heart…$' "the cut line ends in an ellipsis"
not_see 'OR 1=1' "the end of the line is off the screen"
keys l l l l l l l l l l l l
see '\[no wrap: h/l, column 97\]' "l scrolls sideways"
see '^    8 ….*'"'"'health'"'"'\) OR 1=1;$' "and the end of the line shows, the gutter kept"
keys Left Left
see '\[no wrap: h/l, column 81\]' "Left scrolls back"
keys w
see '^    ↪ .* OR 1=1;$' "w wraps again"
keys h
see 'The preview wraps long lines: nothing to scroll sideways' "h says why it does nothing"

# The plan shows the line whole too.
keys u
see '^Upgrade app \(sqlite:///app.db\) to feed00000001: 2 steps$' "u shows the plan"
keys NPage
see '^    ↪ .* OR 1=1;$' "the plan's SQL wraps: what is confirmed is all on the screen"
see 'Run them\? \[y/N\]' "the question stays"
keys n
see 'Cancelled: nothing was done' "n refuses"

# A 70-column terminal: the question wraps, its [y/N] whole.
tmx resize-window -t tui -x 70 -y 24
keys u
see '^ Upgrade app \(sqlite:///app.db\) to feed00000001: 2 steps\. Run them\?$' "at 70 columns the question wraps"
see '^ \[y/N\]  j/k: scroll the plan' "its [y/N] on the next row, whole"
keys n
see 'Cancelled: nothing was done' "and is answered"
tmx resize-window -t tui -x 120 -y 40
rm versions/*_feed00000001_*.sql
keys r
see 'Reloaded the scripts and the database' "r reloads"

# ---- focus ----
select_rev 041584a9edb9
see 'u upgrade  d downgrade  s stamp  m merge  c new  : command  \? help  q quit$' "the graph has the focus: the action keys"
keys Enter
see '^▶ 1 Upgrade SQL 2 Downgrade SQL 3 Details ━━ 041584a9edb9 ━  the keys scroll here; Tab: the graph  ━' \
	"Enter gives the preview the focus: a mark, a heavy rule and the way back"
see 'j scroll  Space page  w no-wrap  Tab graph  \? help  q quit$' "the status line hints at the preview's keys"
keys Tab
see '^─ 1 Upgrade SQL 2 Downgrade SQL 3 Details ── 041584a9edb9 ─+$' "Tab gives it back to the graph"
see 'u upgrade  d downgrade' "with its keys"

# ---- jumps ----
keys g
see '── 453fe4207322 ─' "g goes to the top"
keys .
see '── 041584a9edb9 ─' ". goes to the current revision"
keys ]
see '── 453fe4207322 ─' "] goes to the next head (wrapping around)"
see 'Head 1 of 2: 453fe4207322' "and says which"
keys H
see '── dd1123f32f48 ─' "H too"
keys [
see '── 453fe4207322 ─' "[ goes back"

# ---- search into SQL ----
keys .
keys / order_items Enter
see '── 532afb069296 ─' "/ finds a revision by its SQL"
see "'order_items' in the upgrade SQL, line 34" "and says where"
see '^   34 CREATE TABLE order_items \($' "the preview shows the line"
keys n
see '── dd1123f32f48 ─' "n finds the next one"
see "'order_items' in the upgrade SQL, line 27 \\(search wrapped around\\)" "wrapping around"
keys / 'DROP INDEX ix_order' Enter
see '── 532afb069296 ─' "a search finds downgrade SQL too"
see '^─ 1 Upgrade SQL 2 Downgrade SQL' "its tab is shown"
see '^   45 DROP INDEX ix_order_items_order_id;$' "with the line"

# ---- help ----
keys '?'
see '│   \. +The database.s current revision' "? lists the new keys"
see '│   \], H +The next head' "the heads"
see '│   w +Wrap the preview.s long lines' "wrapping"
keys NPage
see '│   e +Open the selected revision.s script in \$VISUAL or \$EDITOR' "the editor, a page down"
keys q

# ---- nothing to do: what is true ----
select_rev dd1123f32f48
keys R
see 'Nothing to roll back to: dd1123f32f48 is not applied \(the database is at 041584a9edb9\)' \
	"R on a pending head says it is not applied, and where the database is"
is "$(pane '#{alternate_on}')" 1 "without leaving the console"
keys .
keys R
see 'Nothing to roll back: 041584a9edb9 is current \(the database is at 041584a9edb9\)' "R on the current revision"
select_rev acb6fdd1c7db
keys u
see 'Nothing to upgrade: acb6fdd1c7db is already applied \(the database is at 041584a9edb9\)' \
	"u on an applied revision says so"
keys q
wait_exit >/dev/null

# ---- the editor ----
# An editor with an option: the words of $EDITOR, then the file.
cat >"$T_DIR/editor" <<'EOF2'
#!/bin/sh
[ "$1" = --append ] || exit 3
printf '%s\n' "-- appended by the editor" >>"$2"
EOF2
chmod +x "$T_DIR/editor"
TUI_ENV="EDITOR='$T_DIR/editor --append' VISUAL=" tui_start
select_rev dd1123f32f48
keys e
see 'Edited \./versions/20260310_1400_dd1123f32f48_create_reports\.sql; the view is reloaded' "e runs the editor on the script"
is "$(tail -n 1 versions/*_dd1123f32f48_*.sql)" "-- appended by the editor" "which changed the file"
keys 2
see '^ +[0-9]+ -- appended by the editor$' "the preview shows the change"
is "$(pane '#{alternate_on}')" 1 "the console is back"
keys c
see '─ New revision ─' "c asks for a message"
keys 'add widgets' Enter y
see 'Wrote \./versions/.*_add_widgets\.sql \(e opens it in your editor\)' "after c, e is offered"
keys e
see 'Edited \./versions/.*_add_widgets\.sql' "and opens the new script"
like "$(tail -n 1 versions/*_add_widgets.sql)" "appended by the editor" "the new script was edited"
keys q
wait_exit >/dev/null
rm versions/*_add_widgets.sql

# ---- a damaged script after a reload ----
tui_start
f=$(ls versions/*_dd1123f32f48_*.sql)
cp "$f" "$T_DIR/good.sql"
sed -i 's/^-- Revises: 041584a9edb9$/-- Revises: 0415nothere00/' "$f"
keys r
see "^ The scripts could not be loaded: ./versions/20260310_1400_dd1123f32f48_cr[a-z_.]*… e edit" \
	"r says the scripts could not be loaded, from which file (cut where the hints begin)"
see "^  ./versions/20260310_1400_dd1123f32f48_create_reports.sql:4: Revises '0415nothere00', which no script defines$" \
	"the graph's pane says why"
not_see 'Reloaded' "not that it reloaded"
not_see 'u upgrade' "and offers no action that cannot work"
see 'e edit  r reload  : command  \? help  q quit$' "but the editor and the reload"
keys u
see 'The scripts could not be loaded: fix them' "u says why not"
cp "$T_DIR/good.sql" "$f"
keys r
see 'Reloaded the scripts and the database' "fixed, r reloads"

# ---- another process ----
rt upgrade dd1123f32f48
ok_rc 0 "another process upgrades the database"
see 'The database changed \(another process\): it was at 041584a9edb9, it is at dd1123f32f48' \
	"the console sees it without r"
see 'current: dd1123f32f48 │ 2 heads │ 2 pending' "and shows it"
see '^ │ ●  dd1123f32f48 \[head\] \[current\]' "in the graph too"
printf '%s\n' '-- Another' '--' '-- Revision ID: 0ther0000001' '-- Revises: dd1123f32f48' \
	'' '-- migrate:upgrade' 'SELECT 1;' >versions/0ther0000001.sql
see '0ther0000001 \[head\] Another' "a script another process writes shows too"
rm versions/0ther0000001.sql

# ---- Ctrl-C ----
keys C-c
see 'Ctrl-C stops a wait or a run; q quits' "Ctrl-C does not end the console"
is "$(pane '#{pane_dead}')" 0 "which still runs"
keys q
is "$(wait_exit)" 0 "q quits"

done_testing
