# tests/tui/tuilib.sh: drives `retort tui` in a real terminal (tmux) for the
# console tests: a private tmux server per test file, keys sent with
# send-keys, the screen read with capture-pane and polled until the
# expected text appears (never fixed sleeps). Sourced after tests/lib.sh.

command -v tmux >/dev/null 2>&1 || { echo "1..0 # SKIP tmux is not installed"; exit 0; }

TUI_SOCK="retort-test-$$"
TUI_CONF="$T_DIR/tmux.conf"
# The whole window is the pane (no status bar); a pane whose program ended
# stays, so its exit status and last screen can be read; the server stays
# between sessions.
printf 'set -g status off\nset -g remain-on-exit on\nset -g exit-empty off\n' >"$TUI_CONF"
at_exit "tmux -L '$TUI_SOCK' kill-server >/dev/null 2>&1"

tmx() { tmux -L "$TUI_SOCK" -f "$TUI_CONF" "$@"; }

# demo_project: a copy of the demo in a fresh project, its SQLite database
# upgraded to the audit log: both heads and the revisions above it pending.
demo_project() {
	project
	rt upgrade 041584a9edb9
	ok_rc 0 "the demo is applied up to the audit log"
}

# tui_start [ARGS...]: `retort tui ARGS` in the current directory, 120x40,
# UTF-8, no colour unless the caller's environment says otherwise; TUI_ENV:
# more NAME=VALUE words for its environment (the tmux server keeps the
# environment it started with).
TUI_STATUS="$T_DIR/tui.status"
TUI_PID="$T_DIR/tui.pid"
tui_start() {
	local run="env -u NO_COLOR TERM=screen-256color LC_ALL=${TUI_LC:-C.UTF-8} ${TUI_ENV:-}"
	[ -n "${NO_COLOR:-}" ] && run="$run NO_COLOR=1"
	run="$run $(printf '%q ' "$RETORT" tui "$@")"
	# An inner shell leaves its pid and becomes retort. The outer one writes
	# retort's exit status to a file (tmux may leave the process of a dead
	# pane unreaped, its status unknown) and outlives a Ctrl-C meant for
	# retort (a trap, unlike an ignored signal, is not inherited).
	local inner="echo \$\$ >$(printf '%q' "$TUI_PID"); exec $run"
	local cmd="trap : INT; sh -c $(printf '%q' "$inner"); echo \$? >$(printf '%q' "$TUI_STATUS")"
	rm -f "$TUI_STATUS" "$TUI_PID"
	tmx kill-session -t tui >/dev/null 2>&1
	tmx new-session -d -s tui -x "${TUI_COLS:-120}" -y "${TUI_LINES:-40}" -c "$PWD" "$cmd"
	wait_for 'q quit|too small|needs a terminal' || diag "the console did not start:" "$SCREEN"
}

# tui_pid: the process id of the running console.
tui_pid() { cat "$TUI_PID"; }

# wait_for REGEX [SECONDS]: polls the screen until REGEX matches (0) or the
# time is up (1); the last screen is in $SCREEN either way.
wait_for() {
	local deadline=$(($(date +%s) + ${2:-10}))
	while :; do
		SCREEN=$(tmx capture-pane -p 2>/dev/null)
		printf '%s\n' "$SCREEN" | grep -Eq -- "$1" && return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_gone REGEX [SECONDS]: polls until REGEX no longer matches.
wait_gone() {
	local deadline=$(($(date +%s) + ${2:-10}))
	while :; do
		SCREEN=$(tmx capture-pane -p 2>/dev/null)
		printf '%s\n' "$SCREEN" | grep -Eq -- "$1" || return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# see REGEX DESCRIPTION: one test: REGEX shows up on the screen.
see() {
	if wait_for "$1"; then
		t_result 0 "$2"
	else
		t_result 1 "$2"
		diag "waited for /$1/ on:" "$SCREEN"
	fi
}

# not_see REGEX DESCRIPTION: one test: REGEX is (or goes) off the screen.
not_see() {
	if wait_gone "$1"; then
		t_result 0 "$2"
	else
		t_result 1 "$2"
		diag "still /$1/ on:" "$SCREEN"
	fi
}

# screen_attrs: the screen with its attributes as escape sequences.
screen_attrs() { tmx capture-pane -e -p; }

# keys KEY...: tmux send-keys (key names like Enter, Up, C-u, or text).
keys() { tmx send-keys "$@"; }

# pane FORMAT: a tmux format of the pane, e.g. '#{pane_dead_status}'.
pane() { tmx display-message -p "$1"; }

# select_rev ID: puts the graph's cursor on revision ID with a search,
# and waits until the preview's tab names it.
select_rev() {
	keys / "$1" Enter
	wait_for "── $1 ─|-- $1 -" || diag "could not select $1:" "$SCREEN"
}

# wait_exit: waits until retort has exited; prints its exit status
# (128 + N for signal N), or "timeout".
wait_exit() {
	local deadline=$(($(date +%s) + 10))
	until [ -s "$TUI_STATUS" ]; do
		[ "$(date +%s)" -ge "$deadline" ] && { echo timeout; return; }
		sleep 0.05
	done
	cat "$TUI_STATUS"
}
