#!/bin/bash
# Faults on the server's side of a PostgreSQL migration: the server stopped
# (pg_ctl stop -m immediate) in the middle of a migration, the connection
# terminated (pg_terminate_backend), and a network that stops carrying
# packets (a TCP relay, tests/tcpproxy, stopped with SIGSTOP) with
# --statement-timeout bounding the wait. Each time: a clear message, exit
# 1, the database at a whole number of migrations once the server is
# back, a truthful ledger, no lock left, and a rerun that completes.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/faults.sh"
db_backend pg

# The cluster tests/pgserver.sh made, driven with pg_ctl as its owner.
CLUSTER=$(cat "$T_DIR/pg/cluster")
if [ -n "${PG_BINDIR:-}" ]; then
	PGBIN=$PG_BINDIR
else
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -n "$PGBIN" ] || PGBIN=$(dirname "$(command -v pg_ctl)")
fi
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "${RETORT_PG_OS_USER:-retort-test}" -- "$@"
	else
		"$@"
	fi
}
server_stop() { as_owner "$PGBIN/pg_ctl" -D "$CLUSTER/data" -m immediate -w stop >/dev/null 2>&1; }
server_start() {
	as_owner "$PGBIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -o "-p $PGPORT" \
		-w -t 60 start >/dev/null 2>&1
}

# Waits (at most 5 s) until no retort session holds the migration lock.
wait_unlocked() {
	local n=0
	while rtd lock && [ "${OUT#locked}" != "$OUT" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

# ---- the server stopped in the middle of k2 ----
d="$T_DIR/stop"
mk_slow "$d"
project_of "$d"
newdb stop
start_slow -d "$URL" upgrade head
server_stop
t_result $? "[pg] the server was stopped (immediate) in the middle of k2"
finish_slow
ok_rc 1 "[pg] server gone: exit 1"
like "$ERR" "versions/k2\\.sql:8: server closed the connection unexpectedly" \
	"[pg] ... the failing line and what happened to the connection"
like "$ERR" "versions/k2\\.sql: the ledger could not record this failure: the connection was lost and could not be made again: connection to server" \
	"[pg] ... and that the ledger could not record it, and why"
server_start
t_result $? "[pg] the server was started again (crash recovery)"
is_at_k1 "server stopped"
is "$(ledger1 "revision || ':' || outcome")" "k1:ok" "[pg] server stopped: the ledger holds k1 only (no row could be written)"
rerun_completes "k1:ok" "server stopped"

# ---- the connection terminated by the server in the middle of k2 ----
d="$T_DIR/term"
mk_slow "$d"
project_of "$d"
newdb term
start_slow -d "$URL" upgrade head
is "$(psql -X -A -t -d postgres -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
	WHERE application_name LIKE 'retort $PID@%'")" 1 "[pg] retort's backend was terminated in the middle of k2"
finish_slow
ok_rc 1 "[pg] connection terminated: exit 1"
like "$ERR" "versions/k2\\.sql:8: terminating connection due to administrator command" \
	"[pg] ... the failing line and the server's message"
unlike "$ERR" "ledger could not" "[pg] ... the ledger row was written (on a new connection)"
is_at_k1 "connection terminated"
is "$(ledger "revision, outcome, heads_before, heads_after" "revision = 'k2'")" "k2|failed|k1|k1" \
	"[pg] connection terminated: the ledger has k2's failed row"
like "$(ledger error "revision = 'k2'")" "terminating connection due to administrator command" \
	"[pg] ... with the server's message"
rerun_completes "k1:ok k2:failed" "connection terminated"

# ---- a network that stops carrying packets ----
d="$T_DIR/partition"
mk_slow "$d"
project_of "$d"
newdb partition
: >"$T_DIR/proxy.port"
"$TOP_BUILDDIR/tests/tcpproxy" "$PGPORT" 60 >"$T_DIR/proxy.port" &
PROXY=$!
disown $PROXY
at_exit "kill -9 $PROXY 2>/dev/null"
n=0
while [ ! -s "$T_DIR/proxy.port" ] && [ $n -lt 50 ]; do
	sleep 0.1
	n=$((n + 1))
done
PURL="${URL%:"$PGPORT"/*}:$(cat "$T_DIR/proxy.port")/${URL##*/}"
run "$RETORT" -d "$PURL" current
ok_rc 0 "[pg] the relay carries a connection"
t0=$SECONDS
start_slow -d "$PURL" --statement-timeout 2 upgrade head
kill -STOP $PROXY
finish_slow
ok_rc 1 "[pg] network gone, --statement-timeout 2: exit 1"
[ $((SECONDS - t0)) -lt 20 ]
t_result $? "[pg] ... in bounded time ($((SECONDS - t0)) s: the timeout and 5 s for the answer)"
like "$ERR" "versions/k2\\.sql:8: no answer from the PostgreSQL server 5 s after the statement timeout \\(--statement-timeout 2\\): the server or the network is gone" \
	"[pg] ... says what happened"
like "$ERR" "the ledger could not record this failure" "[pg] ... and that the ledger could not record it"
# the relay's end closes both connections: the server rolls back
kill -9 $PROXY
wait_unlocked
is_at_k1 "network gone"
is "$(ledger1 "revision || ':' || outcome")" "k1:ok" "[pg] network gone: the ledger holds k1 only"
rerun_completes "k1:ok" "network gone"
done_testing
