#!/bin/bash
# Faults on real SQLite files: SIGINT and SIGTERM in the middle of a long
# statement, a SIGINT the process was told to ignore, --statement-timeout
# on a hanging migration, and a full disk (a file size limit: as root,
# permissions do not stop writes, but RLIMIT_FSIZE does). SIGKILL is
# tested by db_sqlite_faults.sh (sc_kill).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/faults.sh"
db_backend sqlite

sc_signal INT 130
sc_signal TERM 143
sc_statement_timeout

# A shell's background job ignores SIGINT; retort leaves it ignored (as
# nohup intends) and still stops on SIGTERM.
d="$T_DIR/ignored"
mk_slow "$d"
project_of "$d"
newdb ignored
: >"$T_DIR/slow.out"
"$RETORT" -d "$URL" upgrade head >"$T_DIR/slow.out" 2>"$T_DIR/slow.err" &
PID=$!
n=0
while ! grep -q 'k1, Revision k1 \.\.\. done' "$T_DIR/slow.out" && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
kill -INT $PID
sleep 0.5
kill -0 $PID 2>/dev/null
t_result $? "[sqlite] an ignored SIGINT stays ignored: the run goes on"
kill -TERM $PID
finish_slow
ok_rc 143 "[sqlite] ... and SIGTERM then stops it"
is_at_k1 "ignored SIGINT, then SIGTERM"

# ---- a full disk ----
d="$T_DIR/full"
mkrev "$d" f1 "" <<'EOF2'

-- migrate:upgrade
CREATE TABLE small (x INTEGER);

-- migrate:downgrade
DROP TABLE small;
EOF2
mkrev "$d" f2 f1 <<'EOF2'

-- migrate:upgrade
CREATE TABLE fill (x TEXT);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000)
INSERT INTO fill SELECT printf('%0200d', i) FROM c;

-- migrate:downgrade
DROP TABLE fill;
EOF2
project_of "$d"
newdb full
rtd upgrade f1
ok_rc 0 "[sqlite] full disk: f1 applies"
# 100 KiB: f1's database fits, f2's megabyte does not
run bash -c 'ulimit -f 100 && exec "$@"' sh "$RETORT" -d "$URL" upgrade head
ok_rc 1 "[sqlite] past the file size limit the upgrade fails with exit 1 (no SIGXFSZ death)"
like "$ERR" "versions/f2\\.sql: disk I/O error: writing the database failed \\(a full disk, a file size limit" \
	"[sqlite] ... and says that writing failed"
is "$(dbq "PRAGMA integrity_check")" "ok" "[sqlite] full disk: the database file is intact"
is "$(tables)" "retort_history retort_version small" "[sqlite] full disk: f2's table was rolled back"
is_rows "f1" "full disk"
is "$(ledger1 "revision || ':' || outcome")" "f1:ok f2:failed" "[sqlite] full disk: the ledger has f2's failed row"
like "$(ledger error "revision = 'f2'")" "disk I/O error" "[sqlite] ... with the error"
rtd upgrade head
ok_rc 0 "[sqlite] with room again the upgrade completes"
is_rows "f2" "after the full disk"
is "$(dbq "SELECT count(*) FROM fill")" 5000 "[sqlite] ... with all of f2's rows"

# ---- a closed standard output ----
# The reader of retort's output goes away before the run (a FIFO opened
# for writing while a reader existed, that reader then closed): every
# line retort prints fails with EPIPE. The run is not killed by SIGPIPE
# part-way: every step completes, with its ledger row, and retort exits 1
# (its output was lost) without a word.
d="$T_DIR/pipe"
for i in 1 2 3 4; do
	mkrev "$d" p$i "$([ $i -gt 1 ] && echo p$((i - 1)))" <<EOF2

-- migrate:upgrade
CREATE TABLE piped_$i (x INTEGER);
INSERT INTO piped_$i VALUES ($i);

-- migrate:downgrade
DROP TABLE piped_$i;
EOF2
done
project_of "$d"
newdb pipe
mkfifo "$T_DIR/gone"
exec 7<>"$T_DIR/gone" 8>"$T_DIR/gone" 7<&-
"$RETORT" -d "$URL" upgrade head >&8 2>"$T_DIR/gone.err"
RC=$?
exec 8>&-
OUT="" ERR=$(cat "$T_DIR/gone.err")
ok_rc 1 "[sqlite] upgrade into a pipe nobody reads: exit 1, not death by SIGPIPE (141)"
is "$ERR" "" "[sqlite] ... nothing said"
is_rows "p4" "closed standard output: every step ran"
is "$(tables)" "piped_1 piped_2 piped_3 piped_4 retort_history retort_version" \
	"[sqlite] ... each whole"
is "$(ledger1 "revision || ':' || outcome")" "p1:ok p2:ok p3:ok p4:ok" \
	"[sqlite] ... and each in the ledger"
rtd lock
like "$OUT" "^unlocked: " "[sqlite] ... and the lock was released"
done_testing
