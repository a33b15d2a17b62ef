#!/bin/bash
# The shell's history: kept in $XDG_STATE_HOME/retort/history (mode 0600,
# directories 0700) and recalled with Up in the next session.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

project
PROMPT='^retort\(app\)> '
HIST="$TM_STATE/retort/history"

tm_start one shell
tm_wait one '^retort\(app\)>$'
tm_keys one 'heads' Enter
screen_like one '^453fe4207322 \(notifications\) \(head\)$' "heads runs"
tm_keys one "show 'c0f44988ee9d'" Enter
screen_like one '^Revision ID: c0f44988ee9d$' "show runs"
tm_keys one C-d
is "$(tm_exit_status one)" 0 "the first session ends with status 0"

if [ -f "$HIST" ]; then t_result 0 "the history file exists"; else t_result 1 "the history file exists"; fi
is "$(stat -c %a "$HIST")" 600 "the history file is private (0600)"
is "$(stat -c %a "$TM_STATE/retort")" 700 "its directory is private (0700)"

tm_start two shell
tm_wait two '^retort\(app\)>$'
tm_keys two Up
screen_like two "${PROMPT}show 'c0f44988ee9d'\$" "Up recalls the last command of the previous session"
tm_keys two Up
screen_like two "${PROMPT}heads\$" "Up again, the one before"
tm_keys two C-u 'current' Enter
tm_wait two '^retort\(app\)>$'
tm_keys two C-d
is "$(tm_exit_status two)" 0 "the second session ends with status 0"
like "$(cat "$HIST")" 'current' "the second session's command is added"
like "$(cat "$HIST")" 'heads' "the first session's commands are kept"

# A history file left readable by others is made private again.
chmod 644 "$HIST"
tm_start three shell
tm_wait three '^retort\(app\)>$'
tm_keys three C-d
tm_exit_status three >/dev/null
is "$(stat -c %a "$HIST")" 600 "a looser history file is made 0600"

# Without XDG_STATE_HOME: ~/.local/state/retort/history.
rm -f "$T_DIR/four.rc"
tm new-session -d -x 120 -y 40 -s four -c "$PWD" \
	"env -u XDG_STATE_HOME HOME='$TM_HOME' TERM=screen-256color LC_ALL=C.UTF-8 \
	 '$RETORT' shell; echo \$? > '$T_DIR/four.rc'"
tm_wait four '^retort\(app\)>$'
tm_keys four 'branches' Enter
tm_wait four '^retort\(app\)>$'
tm_keys four C-d
tm_exit_status four >/dev/null
like "$(cat "$TM_HOME/.local/state/retort/history" 2>&1)" 'branches' \
	"the fallback is ~/.local/state/retort/history"

done_testing
