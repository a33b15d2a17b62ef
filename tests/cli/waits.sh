# tests/cli/waits.sh: waiting for another process, written once for SQLite
# and PostgreSQL (sourced after tests/lib.sh, tests/shell/tmux.sh,
# tests/cli/dbenv.sh and tests/cli/faults.sh by tests/cli/waits_*.sh):
# the line a wait for the migration lock writes on a terminal (who holds
# it, for how long, out of how long), its absence in a pipe, Ctrl-C.

# A slow upgrade holds the lock: k1 done, k2's long statement running.
slow_holder() { # NAME
	mk_slow "$T_DIR/$1.$BK"
	project_of "$T_DIR/$1.$BK"
	newdb "$1"
	start_slow -d "$URL" upgrade head
}

# Stops the slow upgrade (SIGINT: k2 is rolled back).
stop_holder() {
	kill -INT "$PID"
	finish_slow
}

sc_lock_wait() {
	slow_holder lockwait
	# in a pipe: nothing but the error
	rtd --lock-timeout 1 upgrade head
	ok_rc 1 "[$BK] in a pipe, a wait for the lock that runs out of time fails"
	is "$(printf '%s\n' "$ERR" | grep -c 'Waiting for')" 0 "[$BK] ... without a word while it waits"
	like "$ERR" "^the migration lock is held by pid [0-9]+ .* \\(waited 1 s\\)$" \
		"[$BK] ... then names the holder"

	# on a terminal: the holder, the time waited and the timeout
	tm_start lw$BK -d "$URL" --lock-timeout 4 upgrade head
	screen_like lw$BK "^Waiting for the migration lock: [0-3] s of 4 s, Ctrl-C cancels; held by pid [0-9]+ on .+ as .+ since 20" \
		"[$BK] on a terminal, the wait says for how long, out of how long, and who holds the lock"
	screen_like lw$BK "^Waiting for the migration lock: [2-3] s of 4 s" "[$BK] ... counting the seconds"
	is "$(tm_exit_status lw$BK)" 1 "[$BK] ... and times out with exit 1"
	screen_like lw$BK "^the migration lock is held by pid [0-9]+ .* \\(waited 4 s\\)$" \
		"[$BK] ... the error takes the line's place"
	unlike "$SCREEN" "Waiting for" "[$BK] ... which is cleared"

	# Ctrl-C gives up at once, nothing done (the session's shell outlives
	# the Ctrl-C, as an interactive shell would, to say how retort ended)
	rm -f "$T_DIR/lc$BK.rc"
	tm new-session -d -x 120 -y 40 -s lc$BK -c "$PWD" "trap : INT; env TERM=screen-256color \
		LC_ALL=C.UTF-8 $(printf '%q ' "$RETORT" -d "$URL" upgrade head); \
		echo \$? > '$T_DIR/lc$BK.rc'" \; set-window-option -t lc$BK remain-on-exit on >/dev/null
	tm_wait lc$BK "^Waiting for the migration lock: " || diag "no wait line:" "$SCREEN"
	tm_keys lc$BK C-c
	is "$(tm_exit_status lc$BK)" 130 "[$BK] Ctrl-C ends the wait (exit 130)"
	kill -0 "$PID" 2>/dev/null
	t_result $? "[$BK] ... the holder goes on"
	stop_holder
	ok_rc 130 "[$BK] the slow upgrade stopped"
	is_at_k1 "after the waits"
}
