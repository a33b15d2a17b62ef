#!/bin/bash
# The console's graph and preview panes on the demo history: lanes, heads
# and their warning, current and applied marks, moving, views, search,
# help, quitting; ASCII; a script edited after it was applied.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project

tui_start
see 'retort │ sqlite:///app.db \(sqlite\) │ current: 041584a9edb9' "the title names the database and its current revision"
see '│ 2 heads │ 3 pending │ 13 revisions' "the title counts heads, pending and revisions"
see '^ ○    453fe4207322 \[head\] Add report subscriptions  ⇢ dd1123f3 ' "a pending head, with its dependency"
see '^ │ ○  dd1123f32f48 \[head\] \(reporting\) Create reports' "the second head in its own lane, with its label"
see '^ ●─╯  041584a9edb9 \[current\] Create audit log' "the current revision is applied and marked; the branch joins it"
see '^ ●─╮  d58e11da093b Merge billing and catalog' "the merge point opens a lane"
see '^ ●    c12435d869e2 Create accounts and users +2026-01-12 09:15$' "the base is applied, with its date"
see '^ 2 heads: merge them with m ' "the status line warns about the two heads"
see 'u upgrade  d downgrade  s stamp  m merge  c new  : command  \? help  q quit$' "the status line hints at the keys"

# The cursor starts on the current revision; the preview follows it.
see '── 041584a9edb9 ─' "the preview is about the current revision"
see '^ +[0-9]+ CREATE TABLE audit_log \($' "its upgrade SQL is shown, with line numbers"
keys k
see '── dd1123f32f48 ─' "k moves the selection up"
see '^ +9 CREATE TABLE reports \($' "the preview shows the selected revision's upgrade SQL"
not_see 'CREATE TABLE audit_log' "and no longer the previous one"
keys 2
see '^ +[0-9]+ DROP TABLE reports;$' "2 shows the downgrade SQL"
keys 3
see '^Parents      041584a9edb9  Create audit log$' "3 shows the details: parents"
see '^Needed by    453fe4207322  Add report subscriptions$' "the revisions that depend on it"
see '^State        pending$' "its state"
keys j
see '^Children     dd1123f32f48  Create reports$' "j moves down; the details follow"
see '^             8cc5b122869d  Create notifications$' "every child is listed"
see '^  20[0-9-]+ [0-9:]+  upgrade   ok .* by ' "the ledger says when and by whom it was applied"
keys v
see '─ 1 Upgrade SQL' "v cycles back to the upgrade SQL"
see 'CREATE TABLE audit_log' "of the selected revision"
keys G
see '── c12435d869e2 ─' "G goes to the oldest revision"
keys g
see '── 453fe4207322 ─' "g goes to the newest"

keys / catalog Enter
see '── d58e11da093b ─' "/ finds a message"
keys n
see '── 1060bd4a72be ─' "n finds the next match (a label)"
keys N
see '── d58e11da093b ─' "N goes back"
keys / nothing-like-this Enter
see 'No revision matches .nothing-like-this.' "a search without a match says so"

keys '?'
see '│   u +Upgrade the database to the selected revision' "? shows the help from the key table"
keys Escape
not_see 'Upgrade the database to the selected' "any other key closes it"

keys Enter
see '^Kind         merge point$' "Enter shows the details"
keys j j
see '^Kind         merge point$' "with the preview focused, j scrolls it, the selection stays"
keys Tab j
see '── 2b604fab0cca ─' "Tab goes back to the graph"

keys q
is "$(wait_exit)" 0 "q quits with status 0"
is "$(pane '#{alternate_on}')" 0 "the terminal is restored"

# Colours only when allowed; the selection shows without them.
colour=$'\e\\[([0-9;]*;)?3[0-7](;[0-9;]*)?m'
tui_start
unlike "$(screen_attrs)" "$colour" "NO_COLOR: no colours"
like "$(screen_attrs | grep "041584a9edb9 .*\\[current\\]")" $'^\e\\[([0-9;]*;)?7m' "NO_COLOR: the selected row is in reverse video"
keys q
NO_COLOR= tui_start
like "$(screen_attrs)" "$colour" "without NO_COLOR the console has colours"
keys q
NO_COLOR= tui_start --no-color
unlike "$(screen_attrs)" "$colour" "--no-color: no colours"
keys q

# ASCII lanes and marks.
tui_start --ascii
see '^ o    453fe4207322 \[head\]' "--ascii: a pending node is o"
see '^ \*-/  041584a9edb9 \[current\]' "--ascii: lanes and the applied node"
see '=> dd1123f3' "--ascii: the dependency arrow"
keys q
TUI_LC=C
tui_start
see '^ \*-/  041584a9edb9 \[current\]' "a locale that is not UTF-8 gets ASCII"
keys q
TUI_LC=C.UTF-8

# A script edited after it was applied is flagged.
printf '%s\n' '-- edited' >>"$(ls versions/*_4d45ff13dd15_*.sql)"
tui_start
see '^ ●   !4d45ff13dd15 \[changed\] Create currencies' "an applied script that changed is flagged"
select_rev 4d45ff13dd15
keys 3
see "^Checksum     changed since it was applied" "the details say so"
keys q
wait_exit >/dev/null

done_testing
