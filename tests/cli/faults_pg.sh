#!/bin/bash
# Faults on a real PostgreSQL server, from the client's side: SIGINT and
# SIGTERM in the middle of a long statement (cancelled with PQcancel), a
# Transaction: none script interrupted part-way, and --statement-timeout
# on a hanging migration. SIGKILL is tested by db_pg_faults.sh (sc_kill);
# the server's side (stopped, connection terminated, network gone) by
# faults_pg_server.sh.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/faults.sh"
db_backend pg

sc_signal INT 130
sc_signal TERM 143
sc_statement_timeout

# ---- a Transaction: none script interrupted part-way ----
d="$T_DIR/none"
mkrev "$d" n1 "" "Transaction: none" <<'EOF2'

-- migrate:upgrade
CREATE TABLE t_n1a (id INTEGER);
SELECT pg_sleep(30);
CREATE TABLE t_n1b (id INTEGER);

-- migrate:downgrade
DROP TABLE t_n1b;
DROP TABLE t_n1a;
EOF2
is "$(sed -n 8,9p "$d/versions/n1.sql" | paste -sd'|' -)" "CREATE TABLE t_n1a (id INTEGER);|SELECT pg_sleep(30);" \
	"fixture: lines 8 and 9"
project_of "$d"
newdb none
env --default-signal=INT "$RETORT" -d "$URL" upgrade head >"$T_DIR/slow.out" 2>"$T_DIR/slow.err" &
PID=$!
n=0
while [ "$(has_table t_n1a)" = 0 ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
sleep 0.3
kill -INT $PID
finish_slow
ok_rc 130 "[pg] SIGINT in a Transaction: none script: exit 130"
like "$ERR" "versions/n1\\.sql:9: interrupted by SIGINT \\(canceling statement due to user request\\)" \
	"[pg] ... names the cancelled statement's line"
like "$ERR" "up to line 8 were applied and stay" "[pg] ... says what stays"
like "$ERR" "interrupted by SIGINT: n1 is not recorded as applied" "[pg] ... and that n1 is not recorded as applied"
is "$(has_table t_n1a)$(has_table t_n1b)" "10" "[pg] ... the first statement's table stays, the third never ran"
is_rows "" "interrupted Transaction: none script"
is "$(ledger "revision, outcome, error_line, last_ok_line" "revision = 'n1'")" "n1|failed|9|8" \
	"[pg] ... the ledger says where it stopped"
rtd lock
like "$OUT" "^unlocked: " "[pg] ... the lock was released"
done_testing
