#!/bin/bash
# shell_once, the console's `:` line: one line with the shell's editor,
# completion and history, run through the command table; its status, or
# -1 for an empty line or Ctrl-D. Driven by tests/shell/once.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

ONCE="$TOP_BUILDDIR/tests/shell/once"
project

tm_run o "$ONCE"
screen_like o '^:$' "the given prompt"
tm_keys o 'heads' Enter
screen_like o '^453fe4207322 \(notifications\) \(head\)$' "a command runs"
screen_like o '^status 0$' "its status is returned"
tm_keys o 'show nosuch' Enter
screen_like o "no revision, branch label or prefix matches 'nosuch'" "a failure prints its error"
screen_like o '^status 2$' "and returns its status"
tm_keys o 'show 1060' Tab
screen_like o '^: show 1060bd4a72be$' "Tab completes"
tm_keys o Enter
screen_like o '^Revision ID: 1060bd4a72be$' "the completed line runs"
tm_keys o 'tui' Enter
screen_like o "retort shell: 'tui' cannot run from here" "no console inside the console"
tm_clear o
tm_keys o Up
screen_like o '^: tui$' "Up recalls the previous line"
tm_keys o Up
screen_like o '^: show 1060bd4a72be$' "and the one before, kept between calls"
tm_keys o C-u Enter
screen_like o '^status -1$' "an empty line returns -1"
is "$(tm_exit_status o)" 0 "the driver ends"
like "$(cat "$TM_STATE/retort/history")" '^show\\040nosuch$' "the lines are in the shell's history"
like "$(cat "$TM_STATE/retort/history")" '^show\\0401060bd4a72be$' \
	"without the blank a completion leaves"

tm_run d "$ONCE"
tm_wait d '^:$'
tm_keys d C-d
screen_like d '^status -1$' "Ctrl-D returns -1"
is "$(tm_exit_status d)" 0 "the driver ends"

done_testing
