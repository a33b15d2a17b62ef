# tests/cli/faults.sh: fault scenarios on real databases, written once for
# SQLite and PostgreSQL (sourced after tests/lib.sh and tests/cli/dbenv.sh
# by tests/cli/faults_*.sh, after db_backend).
#
# Every scenario ends by checking the database itself: its tables and
# version rows are exactly those of a whole number of migrations, and the
# ledger says what happened (a failed row when it could be written).


# start_slow ARGS...: starts retort ARGS in the background with the default
# disposition of SIGINT (a shell's background job ignores it), and waits
# until k1 is done and k2's slow statement runs. Sets PID; output in
# $T_DIR/slow.out and $T_DIR/slow.err.
start_slow() {
	: >"$T_DIR/slow.out"
	env --default-signal=INT "$RETORT" "$@" >"$T_DIR/slow.out" 2>"$T_DIR/slow.err" &
	PID=$!
	local n=0
	while ! grep -q 'k1, Revision k1 \.\.\. done' "$T_DIR/slow.out" && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.5
}

# finish_slow: waits for PID (at most 30 s, then kills it); sets RC, OUT, ERR.
finish_slow() {
	local n=0
	while kill -0 "$PID" 2>/dev/null && [ $n -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -9 "$PID" 2>/dev/null
	wait "$PID"
	RC=$?
	OUT=$(cat "$T_DIR/slow.out")
	ERR=$(cat "$T_DIR/slow.err")
}

# The database after k1 and nothing of k2: tables, version row, no lock.
is_at_k1() { # description
	is "$(tables)" "knob retort_history retort_version" "[$BK] $1: only k1's table (k2's was rolled back)"
	is_rows "k1" "$1"
	rtd lock
	like "$OUT" "^unlocked: " "[$BK] $1: the lock was released"
}

# A rerun with a short k2 completes; the ledger then holds what it held,
# and k2 and k3 once each.
rerun_completes() { # expected-ledger-before description
	dbq "UPDATE knob SET n = $SHORT_N"
	rtd upgrade head
	ok_rc 0 "[$BK] $2: a rerun completes"
	is_rows "k3" "$2: rerun"
	is "$(ledger1 "revision || ':' || outcome")" "$1 k2:ok k3:ok" "[$BK] $2: the ledger after the rerun"
}

# ---- SIGINT and SIGTERM during a migration ----

sc_signal() { # INT|TERM exit-status
	local sig=$1 want=$2 d="$T_DIR/sig$1.$BK"
	mk_slow "$d"
	project_of "$d"
	newdb "sig$sig"
	start_slow -d "$URL" upgrade head
	kill -"$sig" "$PID"
	finish_slow
	ok_rc "$want" "[$BK] SIG$sig during k2: exit status $want (128 + $(kill -l "$sig" 2>/dev/null || echo "$sig"))"
	like "$ERR" "versions/k2\\.sql:[0-9]+: interrupted by SIG$sig" "[$BK] SIG$sig: the failing line and the signal"
	like "$ERR" "interrupted by SIG$sig: k2 was rolled back; the 1 step before it stays applied; 1 more step was not run" \
		"[$BK] SIG$sig: what stays and what did not run"
	like "$OUT" "k1 -> k2, Revision k2 \\.\\.\\. FAILED" "[$BK] SIG$sig: the step is shown as failed"
	is_at_k1 "SIG$sig"
	is "$(ledger "revision, direction, outcome, heads_before, heads_after" "revision = 'k2'")" \
		"k2|upgrade|failed|k1|k1" "[$BK] SIG$sig: the ledger has k2's failed row"
	like "$(ledger error "revision = 'k2'")" "^interrupted by SIG$sig" "[$BK] SIG$sig: ... saying it was interrupted"
	rerun_completes "k1:ok k2:failed" "SIG$sig"
}

# ---- --statement-timeout: a hanging migration ----

sc_statement_timeout() {
	local d="$T_DIR/timeout.$BK"
	mk_slow "$d"
	project_of "$d"
	newdb timeout
	local t0=$SECONDS
	rtd --statement-timeout 1 upgrade head
	ok_rc 1 "[$BK] --statement-timeout 1 on a hanging migration: exit 1"
	[ $((SECONDS - t0)) -lt 15 ]
	t_result $? "[$BK] ... in bounded time ($((SECONDS - t0)) s)"
	like "$ERR" "versions/k2\\.sql:8: .*statement timeout.*--statement-timeout" \
		"[$BK] ... the failing line, and that the timeout stopped it"
	is_at_k1 "statement timeout"
	is "$(ledger "revision, outcome, error_line" "revision = 'k2'")" "k2|failed|8" \
		"[$BK] statement timeout: the ledger has k2's failed row with its line"
	like "$(ledger error "revision = 'k2'")" "statement timeout" "[$BK] ... and why"
	rtd --statement-timeout x upgrade head
	ok_rc 2 "[$BK] --statement-timeout x: exit 2"
	like "$ERR" "--statement-timeout takes a number of seconds" "[$BK] ... and says what it takes"
	# a limit that the statements stay under changes nothing
	dbq "UPDATE knob SET n = $SHORT_N"
	rtd --statement-timeout 30 upgrade head
	ok_rc 0 "[$BK] --statement-timeout 30 on quick statements: exit 0"
	is_rows "k3" "under the limit"
}
