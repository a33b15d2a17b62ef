# tests/cli/interrupted.sh: a `Transaction: none` step cut short, written
# once for SQLite and PostgreSQL (sourced after tests/lib.sh and
# tests/cli/dbenv.sh by tests/cli/interrupted_*.sh, after db_backend).
#
# Real processes are killed at a known point: inside n2, a Transaction:
# none script whose second statement runs for as long as the knob says.
# Every scenario checks the database itself, the ledger, and what each
# command that reads the state says of it.

ME=$(id -un)
HOSTN=$(uname -n)

# The slow statement of n2: read-only, so that on SQLite the first
# statement's table can be seen meanwhile.
if [ "$BK" = pg ]; then
	NONE_SLOW_SQL=$SLOW_SQL
else
	NONE_SLOW_SQL='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM knob)) SELECT count(*) FROM c'
fi

# k1 (the knob), n2 (Transaction: none: lines 8 to 10 up, 13 to 15 down,
# the slow statement in the middle of each), r3. The knob starts short:
# check replays the migrations on a scratch database; a test makes it
# long (slow_knob) before the run it cuts.
mk_none() { # DIR
	mkrev "$1" k1 "" <<EOF

-- migrate:upgrade
CREATE TABLE knob (n BIGINT);
INSERT INTO knob VALUES ($SHORT_N);

-- migrate:downgrade
DROP TABLE knob;
EOF
	mkrev "$1" n2 k1 "Transaction: none" <<EOF

-- migrate:upgrade
CREATE TABLE t_a (id INTEGER);
$NONE_SLOW_SQL;
CREATE TABLE t_b (id INTEGER);

-- migrate:downgrade
DROP TABLE t_b;
$NONE_SLOW_SQL;
DROP TABLE t_a;
EOF
	mkrev "$1" r3 n2 <<'EOF'

-- migrate:upgrade
CREATE TABLE t_c (id INTEGER);

-- migrate:downgrade
DROP TABLE t_c;
EOF
}

# A project of the fixture on a new database, k1 applied and the knob
# long.
none_project() { # NAME
	local d="$T_DIR/$1.$BK"
	mk_none "$d"
	project_of "$d"
	newdb "$1"
	rtd upgrade k1
	slow_knob
}

# run_until COND ARGS...: starts retort ARGS in the background (SIGINT at
# its default disposition) and waits until COND (shell code) holds, then a
# moment more: the slow statement runs. Sets PID.
run_until() {
	local cond=$1 n=0
	shift
	env --default-signal=INT "$RETORT" "$@" >"$T_DIR/cut.out" 2>"$T_DIR/cut.err" &
	PID=$!
	while ! eval "$cond" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.3
}

# cut SIGNAL: sends it to PID, waits for PID, then until the lock is free
# (a killed client's PostgreSQL session ends within a second). Sets RC,
# OUT, ERR.
cut() {
	kill -"$1" "$PID"
	wait "$PID" 2>/dev/null
	local rc=$? n=0
	while rtd lock && [ "${OUT#locked}" != "$OUT" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	RC=$rc
	OUT=$(cat "$T_DIR/cut.out")
	ERR=$(cat "$T_DIR/cut.err")
}

# The database with n2 cut between its first and second statement.
cut_upgrade() { # NAME
	none_project "$1"
	run_until '[ "$(has_table t_a)" = 1 ]' -d "$URL" upgrade head
	CUT_PID=$PID
	cut 9
}

short_knob() { dbq "UPDATE knob SET n = $SHORT_N"; }
slow_knob() { dbq "UPDATE knob SET n = $SLOW_N"; }

# ---- an upgrade killed between two statements ----

sc_cut_upgrade() {
	cut_upgrade cut
	local pid=$CUT_PID
	is "$RC" 137 "[$BK] upgrade killed (SIGKILL) inside n2, a Transaction: none script"
	rtd lock
	like "$OUT" "^unlocked: " "[$BK] ... it leaves no lock"
	is "$(ledger "revision, direction, outcome, heads_before, heads_after, last_ok_line, pid" "revision = 'n2'")" \
		"n2|upgrade|started|k1|n2|8|$pid" \
		"[$BK] ... its intent record: started, line 8 the last that ran, the process's pid"
	is_rows "k1" "killed inside n2"
	is "$(has_table t_a)$(has_table t_b)" 10 "[$BK] ... n2's first table stays, its last was never made"

	rtd upgrade head
	ok_rc 1 "[$BK] the next upgrade refuses to run past the interrupted step"
	like "$ERR" "^n2 was interrupted during its upgrade \\(Transaction: none\\): started [0-9-]{10} [0-9:.]{12} UTC by pid $pid on $HOSTN as $ME, which ended without completing it" \
		"[$BK] ... naming the revision, the direction, when, and the process, host and user"
	like "$ERR" "The last statement known to have run is [^ ]*versions/n2\\.sql:8; the one at line 9 may have run in part or in full, and those after it did not run; the version table does not name it" \
		"[$BK] ... the last statement known to have run (FILE:LINE)"
	like "$ERR" "'retort resolve n2 --applied' .* or 'retort resolve n2 --reverted' .* 'retort repair n2'" \
		"[$BK] ... and the way out"
	like "$ERR" "nothing was run\\.$" "[$BK] ... having run nothing"
	unlike "$ERR$OUT" "already exists|Running upgrade" "[$BK] ... not even n2 again"
	is "$(has_table t_a)$(has_table t_b)$(has_table t_c)" 100 "[$BK] ... the database is as the kill left it"
	local cmd
	for cmd in "upgrade --dry-run" "upgrade r3" "downgrade base" "stamp head" "upgrade --rehearse"; do
		rtd $cmd
		ok_rc 1 "[$BK] $cmd refuses too"
		like "$ERR" "^n2 was interrupted during its upgrade" "[$BK] ... saying why"
	done
	is_rows "k1" "after the refusals"

	rtd current
	ok_rc 0 "[$BK] current"
	like "$OUT" "^k1$" "[$BK] ... prints the version table"
	like "$OUT" "^n2: interrupted upgrade, last line 8 \\(Transaction: none\\): the database is between two revisions; see 'retort status', then 'retort resolve n2 --applied\\|--reverted'$" \
		"[$BK] ... and says that n2 was interrupted"
	rtd --json current
	like "$OUT" "\"current\":\\[\\{\"revision\":\"k1\".*\\],\"unfinished\":\\[\\{\"revision\":\"n2\",\"direction\":\"upgrade\",\"state\":\"interrupted\",\"failed\":false,\"ledger_id\":[0-9]+,\"started_at\":\"[0-9-]+ [0-9:.]+\",\"pid\":$pid," \
		"[$BK] current --json: the interrupted step under \"unfinished\""

	rtd status
	ok_rc 0 "[$BK] status"
	like "$OUT" "^REVISION +STATE +APPLIED AT \\(UTC\\) +BY +DURATION +MESSAGE$" "[$BK] ... a table"
	like "$OUT" "^r3 +pending +Revision r3 \\(head\\)$" "[$BK] ... r3 pending"
	like "$OUT" "^n2 +interrupted +[0-9-]{10} [0-9:]{8} +$ME@$HOSTN +Revision n2$" \
		"[$BK] ... n2 interrupted, when and by whom"
	like "$OUT" "^k1 +applied +[0-9-]{10} [0-9:]{8} +$ME@$HOSTN +[0-9.]+ ms +Revision k1 \\(current\\)$" \
		"[$BK] ... k1 applied, when, by whom and how long"
	like "$OUT" ": 1 applied, 1 pending, 1 interrupted$" "[$BK] ... the counts"
	like "$OUT" "^n2 was interrupted during its upgrade" "[$BK] ... and what happened to n2"
	rtd --json status
	like "$OUT" "\\{\"revision\":\"n2\",\"state\":\"interrupted\",\"message\":\"Revision n2\"" \
		"[$BK] status --json: n2's state"
	like "$OUT" "\"unfinished\":\\[\\{\"revision\":\"n2\".*\"last_ok_line\":8,\"next_line\":9,\"script_changed\":false" \
		"[$BK] ... and its last line and the next"
	like "$OUT" "\"counts\":\\{\"applied\":1,\"pending\":1,\"checksum changed\":0,\"interrupted\":1," \
		"[$BK] ... and the counts"

	rtd check
	ok_rc 1 "[$BK] check finds a problem"
	like "$OUT" "^[^ ]*versions/n2\\.sql: n2 was interrupted during its upgrade .* started .* The last statement known to have run is [^ ]*n2\\.sql:8.* 'retort resolve n2 --applied'" \
		"[$BK] ... the interrupted step, on one line"
	rtd history --applied
	like "$OUT" "upgrade +n2 +started .*
    not completed: last statement known to have run: line 8" "[$BK] history --applied shows the intent record"

	rtd resolve n2
	ok_rc 2 "[$BK] resolve without --applied or --reverted is a usage error"
	rtd resolve k1 --applied
	ok_rc 2 "[$BK] resolve of a revision with no interrupted step is refused"
	like "$ERR" "k1: no interrupted Transaction: none step to resolve \\(the ledger shows n2\\)" "[$BK] ... saying which one has"

	# undone by hand, then recorded
	dbq "DROP TABLE t_a"
	rtd resolve n2 --reverted
	ok_rc 0 "[$BK] resolve n2 --reverted"
	like "$OUT" "^Resolved n2: its upgrade is recorded as reverted \\(the step is undone\\); the version table: k1$" \
		"[$BK] ... says what it recorded"
	is "$(ledger "direction, outcome, heads_before, heads_after, CASE WHEN pid = $pid THEN 'killed' ELSE 'other' END" "revision = 'n2'")" \
		"upgrade|interrupted|k1|n2|killed
resolve|reverted|k1|k1|other" "[$BK] ... the intent record is marked interrupted, the decision appended"
	is_rows "k1" "resolved as reverted"
	rtd status
	unlike "$OUT" "interrupted" "[$BK] status no longer shows it"
	short_knob
	rtd upgrade head
	ok_rc 0 "[$BK] the upgrade then runs"
	is_rows "r3" "after the resolution"
	is "$(tables)" "knob retort_history retort_version t_a t_b t_c" "[$BK] ... every table made once"
	is "$(ledger "outcome, last_ok_line" "revision = 'n2' AND direction = 'upgrade'" | tail -1)" "ok|10" \
		"[$BK] ... n2's new intent record completed"
	rtd check
	ok_rc 0 "[$BK] check finds nothing"
}

# ---- finished by hand ----

sc_cut_applied() {
	cut_upgrade applied
	dbq "CREATE TABLE t_b (id INTEGER)"
	rtd resolve n2 --applied
	ok_rc 0 "[$BK] resolve n2 --applied after finishing n2 by hand"
	like "$OUT" "its upgrade is recorded as applied \\(the step is complete\\); the version table: n2$" \
		"[$BK] ... the version table names it"
	is_rows "n2" "resolved as applied"
	rtd status
	like "$OUT" "^n2 +applied +[0-9-]{10} [0-9:]{8} +$ME@$HOSTN +resolve +Revision n2 \\(current\\)$" \
		"[$BK] status: n2 applied by resolve"
	short_knob
	rtd upgrade head
	ok_rc 0 "[$BK] the upgrade goes on from there"
	is "$(ledger1 "revision || ':' || direction || ':' || outcome")" \
		"k1:upgrade:ok n2:upgrade:interrupted n2:resolve:applied r3:upgrade:ok" "[$BK] ... running r3 only"
	rtd check
	ok_rc 0 "[$BK] check: n2's checksum is the one that ran"
}

# ---- a downgrade killed after its DROP TABLE ----

sc_cut_downgrade() {
	none_project down
	short_knob
	rtd upgrade head
	slow_knob
	run_until '[ "$(has_table t_b)" = 0 ]' -d "$URL" downgrade k1
	cut 9
	is "$RC" 137 "[$BK] downgrade killed inside n2's downgrade"
	is_rows "n2" "the version table still names n2"
	is "$(has_table t_a)$(has_table t_b)$(has_table t_c)" 100 "[$BK] ... but its last table is gone"
	rtd upgrade head
	ok_rc 1 "[$BK] upgrade head does not say 'Nothing to do'"
	unlike "$OUT" "Nothing to do" "[$BK] ... not a word of it"
	like "$ERR" "^n2 was interrupted during its downgrade \\(Transaction: none\\)" "[$BK] ... it names the interrupted downgrade"
	like "$ERR" "versions/n2\\.sql:13; the one at line 14 may have run.*; the version table still names it" \
		"[$BK] ... where it stopped"
	like "$ERR" "'retort resolve n2 --applied' \\(the downgrade is undone: .*'retort resolve n2 --reverted' \\(the downgrade is complete" \
		"[$BK] ... and the way out"
	rtd downgrade k1
	ok_rc 1 "[$BK] a downgrade through it refuses too (no 'no such table')"
	unlike "$ERR" "no such table|does not exist" "[$BK] ... before running anything"
	rtd status
	like "$OUT" "^n2 +interrupted " "[$BK] status: n2 interrupted"
	dbq "DROP TABLE t_a"
	rtd resolve n2 --reverted
	ok_rc 0 "[$BK] resolve n2 --reverted after finishing the downgrade by hand"
	like "$OUT" "its downgrade is recorded as reverted \\(the step is complete\\); the version table: k1$" \
		"[$BK] ... the version table no longer names it"
	is_rows "k1" "resolved downgrade"
	short_knob
	rtd upgrade head
	ok_rc 0 "[$BK] upgrade head then runs n2 and r3 again"
	is_rows "r3" "after the resolved downgrade"
}

# ---- SIGINT inside a Transaction: none step: it fails part-way ----

sc_partway() {
	none_project partway
	run_until '[ "$(has_table t_a)" = 1 ]' -d "$URL" upgrade head
	cut INT
	is "$RC" 130 "[$BK] SIGINT inside n2: exit 130"
	like "$ERR" "versions/n2\\.sql:9: interrupted by SIGINT" "[$BK] ... the statement it stopped"
	like "$ERR" "statements up to line 8 were applied and stay" "[$BK] ... what stays"
	like "$ERR" "until the database is put right by hand and that is recorded with 'retort resolve n2 --applied\\|--reverted', upgrade, downgrade and stamp refuse to run" \
		"[$BK] ... and that the next run will refuse"
	is "$(ledger "outcome, error_line, last_ok_line" "revision = 'n2'")" "failed|9|8" \
		"[$BK] ... its ledger row: failed at line 9, line 8 the last that ran"
	rtd upgrade head
	ok_rc 1 "[$BK] the next upgrade refuses"
	like "$ERR" "^n2 failed part-way through its upgrade \\(Transaction: none\\), started .* UTC by pid [0-9]+ on $HOSTN as $ME:
[^ ]*versions/n2\\.sql:9: interrupted by SIGINT
The statements up to [^ ]*versions/n2\\.sql:8 ran and stay" "[$BK] ... saying where n2 stopped"
	# the version table is right once the first statement is undone
	dbq "DROP TABLE t_a"
	rtd repair n2
	ok_rc 0 "[$BK] repair n2 accepts the version table as it is"
	like "$OUT" "Resolved n2: its upgrade is recorded as reverted" "[$BK] ... as reverted"
	is "$(ledger1 "direction || ':' || outcome" "revision = 'n2'")" "upgrade:failed resolve:reverted" \
		"[$BK] ... in the ledger"
	short_knob
	rtd upgrade head
	ok_rc 0 "[$BK] the upgrade then runs"
	is_rows "r3" "after repair"
}

# ---- a signal while waiting for the lock ----

# Whether process pid has connected (PostgreSQL) or opened the lock file
# (SQLite): it is then at, or just before, its wait for the lock.
waiting_for_lock() { # pid
	if [ "$BK" = pg ]; then
		[ "$(psql -X -A -t -q -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retort $1@$(uname -n)'")" = 1 ]
	else
		ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "$DBF\.lock"
	fi
}

sc_lock_signal() {
	none_project lockwait
	run_until '[ "$(has_table t_a)" = 1 ]' -d "$URL" upgrade head
	local holder=$PID t0
	env --default-signal=INT "$RETORT" -d "$URL" upgrade head >"$T_DIR/wait.out" 2>"$T_DIR/wait.err" &
	local waiter=$! n=0
	while ! waiting_for_lock $waiter && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.3
	t0=$SECONDS
	kill -INT $waiter
	wait $waiter
	is "$?" 130 "[$BK] SIGINT while waiting for the lock: exit 130"
	[ $((SECONDS - t0)) -lt 5 ]
	t_result $? "[$BK] ... at once ($((SECONDS - t0)) s)"
	like "$(cat "$T_DIR/wait.err")" "^interrupted by SIGINT while waiting for the migration lock: nothing was run$" \
		"[$BK] ... saying that nothing ran"
	kill -0 $holder
	t_result $? "[$BK] ... the holder runs on"
	# meanwhile its intent record is read as a step at work
	rtd status
	like "$OUT" "^n2 +running " "[$BK] status: n2 is running"
	like "$OUT" "n2: its upgrade \(Transaction: none\) is running now: started .* by pid $holder on $HOSTN as $ME; it has run up to [^ ]*versions/n2\.sql:8" \
		"[$BK] ... by which process, and how far"
	rtd current
	like "$OUT" "^n2: upgrade running, last line 8 \(Transaction: none\); see 'retort status'$" "[$BK] current says so"
	rtd check
	unlike "$OUT" "n2" "[$BK] check: a step at work is no problem of the database"
	rtd upgrade --dry-run
	ok_rc 0 "[$BK] upgrade --dry-run shows the plan"
	rtd resolve n2 --reverted
	ok_rc 1 "[$BK] resolve refuses a step at work"
	like "$ERR" "Nothing to resolve while it runs: nothing was done\.$" "[$BK] ... saying so"
	PID=$holder
	cut TERM
	is "$RC" 143 "[$BK] the holder stopped by SIGTERM"
}

# ---- a signal before a transactional step's COMMIT ----

sc_before_commit() {
	local d="$T_DIR/commit.$BK"
	mkrev "$d" s1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE t_s (id INTEGER);

-- migrate:downgrade
DROP TABLE t_s;
EOF
	project_of "$d"
	newdb commit
	rtd stamp base
	# s1's statements run at once; its ledger row, written before the
	# COMMIT, then takes forever
	if [ "$BK" = pg ]; then
		cat >"$T_DIR/trigger.sql" <<'EOF'
CREATE FUNCTION slow_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$;
CREATE TRIGGER slow_ledger AFTER INSERT ON retort_history FOR EACH ROW
WHEN (NEW.revision = 's1' AND NEW.outcome = 'ok') EXECUTE FUNCTION slow_ledger();
EOF
	else
		cat >"$T_DIR/trigger.sql" <<'EOF'
CREATE TABLE slow (x INTEGER);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000)
INSERT INTO slow SELECT x FROM c;
CREATE TRIGGER slow_ledger AFTER INSERT ON retort_history
WHEN NEW.revision = 's1' AND NEW.outcome = 'ok'
BEGIN SELECT count(*) FROM slow a, slow b, slow c; END;
EOF
	fi
	dbsql "$T_DIR/trigger.sql"
	env --default-signal=INT "$RETORT" -d "$URL" upgrade head >"$T_DIR/cut.out" 2>"$T_DIR/cut.err" &
	PID=$!
	local n=0
	while ! { rtd lock && [ "${OUT#locked}" != "$OUT" ]; } && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 1
	cut TERM
	is "$RC" 143 "[$BK] SIGTERM after a step's statements, before its COMMIT: exit 143"
	like "$ERR" "interrupted by SIGTERM: s1 was rolled back" "[$BK] ... the step was rolled back"
	is_rows "" "SIGTERM before the COMMIT"
	is "$(has_table t_s)" 0 "[$BK] ... its table too"
	is "$(ledger1 "revision || ':' || outcome" "revision = 's1'")" "s1:failed" "[$BK] ... the ledger says it failed"
}

# ---- production = true: resolve asks for the database's name ----

sc_production() {
	cut_upgrade prod
	printf 'production = true\n' >>retort.ini
	local name
	if [ "$BK" = pg ]; then name=$DBN; else name=$(basename "$DBF" .db); fi
	rtd resolve n2 --reverted </dev/null
	ok_rc 2 "[$BK] production: resolve off a terminal is refused"
	like "$ERR" "is a production database: production = true asks for its name before recording how an interrupted step was settled; not on a terminal, pass --yes --confirm-database $name; nothing was done" \
		"[$BK] ... saying what it takes"
	rtd resolve n2 --reverted --yes </dev/null
	ok_rc 2 "[$BK] ... --yes alone is not enough"
	rtd resolve n2 --reverted --yes --confirm-database nope </dev/null
	ok_rc 2 "[$BK] ... nor the wrong name"
	like "$ERR" "--confirm-database 'nope' does not name this database \\(.*, named $name\\)" "[$BK] ... which it says"
	is "$(ledger1 outcome "revision = 'n2'")" "started" "[$BK] ... the ledger is untouched"
	dbq "DROP TABLE t_a"
	rtd resolve n2 --reverted --yes --confirm-database "$name" </dev/null
	ok_rc 0 "[$BK] ... --yes --confirm-database NAME resolves"
	is "$(ledger1 outcome "revision = 'n2'")" "interrupted reverted" "[$BK] ... and it is recorded"
}

# ---- a ledger an older version made (no pid column) ----

sc_old_ledger() {
	none_project old
	short_knob
	# what an older retort left: its ledger without the pid column
	dbq "ALTER TABLE retort_history DROP COLUMN pid" >/dev/null
	is "$(ledger "count(*)")" 1 "[$BK] an older ledger: k1's row"
	local cmd
	for cmd in status current check "history --applied"; do
		rtd $cmd
		[ "$RC" -le 1 ] && [ -z "$ERR" ]
		t_result $? "[$BK] ... $cmd reads it as it is"
	done
	is "$(dbq "SELECT count(*) FROM retort_history WHERE 1 = 1")" 1 "[$BK] ... and reading wrote nothing"
	rtd upgrade head
	ok_rc 0 "[$BK] an upgrade on it"
	is "$(ledger1 "revision || ':' || outcome || ':' || coalesce(pid, 0)")" "k1:ok:0 n2:ok:$(ledger "pid" "revision = 'n2'") r3:ok:$(ledger "pid" "revision = 'r3'")" \
		"[$BK] ... gives it the pid column, the old rows without one"
	[ -n "$(ledger "pid" "revision = 'n2'")" ]
	t_result $? "[$BK] ... the new rows with theirs"
}
