# tests/shell/tmux.sh: drive `retort shell` in a private tmux server
# (sourced after tests/lib.sh). A 120x40 pane, TERM=screen-256color,
# LC_ALL=C.UTF-8; HOME and XDG_STATE_HOME point into the test's temp dir
# so that no ~/.editrc or history of the user's takes part.

if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi

TM_SOCK="retort-shell-$$"
tm() { tmux -L "$TM_SOCK" -f /dev/null "$@"; }
at_exit "tmux -L '$TM_SOCK' kill-server >/dev/null 2>&1; \
	rm -f '${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$TM_SOCK'"

TM_HOME="$T_DIR/home"
mkdir -p "$TM_HOME"
TM_STATE="$TM_HOME/state"

# tm_run NAME PROGRAM ARGS...: runs a program in the current directory in
# a new session NAME; its exit status lands in $T_DIR/NAME.rc, and its
# last screen stays to be read after it ends.
tm_run() {
	local name=$1 q
	shift
	q=$(printf ' %q' "$@")
	rm -f "$T_DIR/$name.rc"
	tm new-session -d -x 120 -y 40 -s "$name" -c "$PWD" \
		"env HOME='$TM_HOME' XDG_STATE_HOME='$TM_STATE' TERM=screen-256color \
		 LC_ALL=C.UTF-8 NO_COLOR=1$q; echo \$? > '$T_DIR/$name.rc'" \; \
		set-window-option -t "$name" remain-on-exit on >/dev/null
}

# tm_start NAME ARGS...: runs `retort ARGS...` (tm_run).
tm_start() {
	local name=$1
	shift
	tm_run "$name" "$RETORT" "$@"
}

tm_keys() { # NAME KEY...
	local name=$1
	shift
	tm send-keys -t "$name" -- "$@"
}

# tm_wait NAME REGEX [SECONDS]: polls the screen and its scrollback until
# a line matches (lines end without their trailing blanks); SCREEN holds
# the last capture. Fails after the timeout (default 10 s).
tm_wait() {
	local deadline=$((SECONDS + ${3:-10}))
	while :; do
		SCREEN=$(tm capture-pane -p -S - -t "$1" 2>/dev/null)
		printf '%s\n' "$SCREEN" | grep -Eq -- "$2" && return 0
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# screen_like NAME REGEX DESCRIPTION: one TAP result from tm_wait.
screen_like() {
	if tm_wait "$1" "$2"; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		diag "no line matches /$2/ on the screen:" "$SCREEN"
	fi
}

# tm_exit_status NAME: waits for the session's program to end; prints its
# exit status (or "timeout").
tm_exit_status() {
	local deadline=$((SECONDS + 10))
	while [ ! -s "$T_DIR/$1.rc" ]; do
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo timeout
			return
		fi
		sleep 0.05
	done
	cat "$T_DIR/$1.rc"
}

# tm_clear NAME: clears the pane and its history so that later waits
# only see what comes next.
tm_clear() {
	tm send-keys -t "$1" C-l
	tm clear-history -t "$1"
}
