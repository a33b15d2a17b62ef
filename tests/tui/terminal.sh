#!/bin/bash
# The console and its terminal: resizing at any time (also inside a
# dialog), degrading below 80x24, restoring the terminal on signals (but
# SIGINT, which never ends it), and refusing to start without a terminal.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project

tui_start
see '453fe4207322 \[head\] Add report subscriptions .* 2026-03-17 16:45$' "120x40: rows have their dates"
tmx resize-window -t tui -x 80 -y 24
see '^─ 1 Upgrade SQL 2 Downgrade SQL 3 Details ── 041584a9edb9 ─+$' "80x24: the preview's tabs fit"
not_see '2026-03-17 16:45' "80x24: dates make way for messages"
is "$(tmx capture-pane -p | wc -l)" 24 "the screen has 24 lines"
like "$(tmx capture-pane -p | sed -n 24p)" 'q quit$' "the status line is the last line"
like "$(tmx capture-pane -p | sed -n 2p)" '453fe4207322 \[head\]' "the graph starts under the title"
keys k
see '── dd1123f32f48 ─' "80x24: moving works"
see '^ +9 CREATE TABLE reports \($' "80x24: the preview follows"

tmx resize-window -t tui -x 60 -y 14
not_see 'Upgrade SQL' "60x14: the preview is hidden"
see '^ │ ○  dd1123f32f48 \[head\]' "60x14: the graph stays"
keys Tab
see '▶ 1 Upgrade SQL' "Tab shows the preview in its place, focused"
not_see '453fe4207322 \[head\]' "alone"
keys Tab
see '453fe4207322 \[head\]' "Tab brings the graph back"
tmx resize-window -t tui -x 20 -y 5
see 'terminal too small' "20x5: the console says it is too small"
tmx resize-window -t tui -x 120 -y 40
see '453fe4207322 \[head\] Add report subscriptions .* 2026-03-17 16:45$' "back to 120x40: the full graph"
see '^─ 1 Upgrade SQL 2 Downgrade SQL 3 Details ── dd1123f32f48 ─' "the preview, on the same revision"
see '2 heads: merge them with m' "the status line"

# A resize while a question is open redraws it.
keys u
see 'Run it\? \[y/N\]' "u asks"
tmx resize-window -t tui -x 80 -y 24
see '^▶ 1 Upgrade SQL 2 Downgrade SQL 3 Details Plan: upgrade to dd1123f32f48 ' "the plan is laid out again"
see 'Run it\? \[y/N\]' "the question stays"
keys n
see 'Cancelled: nothing was done' "and is still answered"
tmx resize-window -t tui -x 120 -y 40
is "$(pane '#{pane_dead}')" 0 "the console survived every size"
keys q
is "$(wait_exit)" 0 "q quits"

# Signals restore the terminal, then end the process as they would.
for sig in TERM SEGV; do
	tui_start
	is "$(pane '#{alternate_on}')" 1 "SIG$sig: the console uses the alternate screen"
	kill -s "$sig" "$(tui_pid)"
	is "$(wait_exit)" $((128 + $(kill -l "$sig"))) "SIG$sig ends the console"
	is "$(pane '#{alternate_on}')" 0 "SIG$sig: the terminal is restored"
done
# SIGINT (Ctrl-C) stops a wait or a run, never the console.
tui_start
keys C-c
see 'Ctrl-C stops a wait or a run; q quits' "Ctrl-C says what it stops, and how to quit"
keys x
not_see 'Ctrl-C stops' "another key clears the message"
kill -s INT "$(tui_pid)"
see 'Ctrl-C stops a wait or a run; q quits' "a SIGINT from elsewhere is Ctrl-C too"
is "$(pane '#{pane_dead}')" 0 "the console goes on"
is "$(pane '#{alternate_on}')" 1 "on its screen"
keys q
is "$(wait_exit)" 0 "q quits"

# Without a terminal.
rt tui </dev/null
ok_rc 2 "without a terminal tui is a usage error"
like "$ERR" 'needs a terminal' "it says why"
cd "$T_DIR" && mkdir -p empty && cd empty
rt tui
ok_rc 2 "outside a project tui says so before taking the screen"
like "$ERR" "no such scripts directory; run 'retort init'" "naming the way out"

done_testing
