#!/bin/bash
# Waiting for another process on SQLite: the migration lock (the line on a
# terminal, none in a pipe, Ctrl-C), and a read of a database that a
# migration is writing, which waits and answers instead of failing.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/faults.sh"
. "$TOP_SRCDIR/tests/cli/waits.sh"
db_backend sqlite

sc_lock_wait

# k2's statement writes more than SQLite's page cache holds: the file is
# locked against readers until the migration ends.
slow_holder current
"$RETORT" -d "$URL" current >"$T_DIR/current.out" 2>"$T_DIR/current.err" &
reader=$!
sleep 6
kill -0 $reader 2>/dev/null
t_result $? "[sqlite] current waits for the migration (past SQLite's 5 s busy timeout)"
tm_start cur -d "$URL" current
screen_like cur "^Waiting for the database, which a migration is writing: [0-9]+ s of 60 s, Ctrl-C cancels; held by pid $PID on " \
	"[sqlite] on a terminal, current says what it waits for and who holds it"
stop_holder
wait $reader
is "$?" 0 "[sqlite] once the migration ends, current answers"
is "$(cat "$T_DIR/current.out")" k1 "[sqlite] ... with the version table as it is"
is "$(cat "$T_DIR/current.err")" "" "[sqlite] ... and nothing on standard error in a pipe"
is "$(tm_exit_status cur)" 0 "[sqlite] on a terminal too"
screen_like cur "^k1$" "[sqlite] ... the answer"
unlike "$SCREEN" "Waiting for" "[sqlite] ... where the waiting line was"

# A read that waits longer than --lock-timeout names the migration.
slow_holder late
rtd --lock-timeout 1 current
ok_rc 1 "[sqlite] a read that waits past --lock-timeout fails"
like "$ERR" "^database is locked: a migration is writing to it \\(the migration lock is held by pid $PID on .*\\); waited 1 s$" \
	"[sqlite] ... naming the migration"
stop_holder
done_testing
