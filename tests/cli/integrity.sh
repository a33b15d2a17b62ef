# tests/cli/integrity.sh: what runs is what was shown, on both backends
# (sourced after tests/lib.sh and tests/cli/dbenv.sh by
# tests/cli/integrity_*.sh): a script edited while a run waits for the lock,
# transaction control inside a transactional migration, and a downgrade to
# a revision that is not applied.

# c0 (a knob for the slow statement, an account table), then two branches:
# a1 (a long statement: holds the lock) and b1 (an update with a WHERE).
mk_branches() { # DIR
	mkrev "$1" c0 "" <<EOF

-- migrate:upgrade
CREATE TABLE knob (n BIGINT);
INSERT INTO knob VALUES ($SLOW_N);
CREATE TABLE acct (id INTEGER PRIMARY KEY, cur VARCHAR(3), bal INTEGER);
INSERT INTO acct VALUES (1, 'JPY', 5), (2, 'USD', 7), (3, 'EUR', 11);

-- migrate:downgrade
DROP TABLE acct;
DROP TABLE knob;
EOF
	mkrev "$1" a1 c0 <<EOF

-- migrate:upgrade
CREATE TABLE big (x BIGINT);
$SLOW_SQL;

-- migrate:downgrade
DROP TABLE big;
EOF
	mkrev "$1" b1 c0 <<'EOF'

-- migrate:upgrade
UPDATE acct SET bal = bal * 100
 WHERE cur = 'JPY';

-- migrate:downgrade
UPDATE acct SET bal = bal / 100 WHERE cur = 'JPY';
EOF
}

# waits until a run holds the migration lock (retort lock says so)
wait_locked() {
	local n=0
	until rtd lock && [ "${OUT#locked}" != "$OUT" ]; do
		[ $n -ge 100 ] && return 1
		sleep 0.1
		n=$((n + 1))
	done
}

sc_edit_while_waiting() {
	local d="$T_DIR/edit.$BK"
	mk_branches "$d"
	project_of "$d"
	newdb edit
	rtd upgrade c0
	ok_rc 0 "[$BK] the base is applied"
	"$RETORT" -d "$URL" upgrade a1 >"$T_DIR/edit.a.out" 2>&1 &
	local a=$!
	wait_locked || diag "the slow run never held the lock"
	# b1 is read and planned now, then waits for the lock
	"$RETORT" -d "$URL" --lock-timeout 60 upgrade b1 >"$T_DIR/edit.b.out" 2>&1 &
	local b=$!
	sleep 1
	# the edit moves every byte of the section: a header line more
	{
		printf -- '-- Reviewed by the billing team on Monday.\n'
		cat "$d/versions/b1.sql"
	} >"$d/versions/b1.new" && mv "$d/versions/b1.new" "$d/versions/b1.sql"
	kill -TERM $a
	wait $a
	wait $b
	ok_rc_of $? 0 "[$BK] the waiting run applies b1 once the lock is free"
	[ "$RC" -eq 0 ] || diag "$(cat "$T_DIR/edit.b.out")"
	is "$(dbq "SELECT cur || '=' || bal FROM acct ORDER BY id" | paste -sd' ' -)" \
		"JPY=500 USD=7 EUR=11" "[$BK] ... the edited file ran whole: only the JPY row changed"
	is "$(ledger "checksum" "revision = 'b1' AND outcome = 'ok'")" "$(sha "$d/versions/b1.sql")" \
		"[$BK] ... and the ledger records the checksum of the file that ran"
	is_rows "b1" "after the edit during the wait"

	# a header change under the wait: the plan was made from the old one
	rtd downgrade c0
	"$RETORT" -d "$URL" upgrade a1 >"$T_DIR/edit.a2.out" 2>&1 &
	a=$!
	wait_locked || diag "the slow run never held the lock"
	"$RETORT" -d "$URL" --lock-timeout 60 upgrade b1 >"$T_DIR/edit.b2.out" 2>&1 &
	b=$!
	sleep 1
	sed -i 's/^-- Revises: c0$/-- Revises: a1/' "$d/versions/b1.sql"
	kill -TERM $a
	wait $a
	wait $b
	ok_rc_of $? 2 "[$BK] a Revises line changed during the wait: exit 2"
	like "$(cat "$T_DIR/edit.b2.out")" "b1\\.sql: its header \\(Revises\\) changed since the history was loaded" \
		"[$BK] ... naming the file and what changed"
	is_rows "c0" "nothing applied after a header change"
	is "$(dbq "SELECT cur || '=' || bal FROM acct ORDER BY id" | paste -sd' ' -)" \
		"JPY=5 USD=7 EUR=11" "[$BK] ... the rows are untouched"
}

# ok_rc_of STATUS WANT DESCRIPTION: like ok_rc, for a status given
ok_rc_of() {
	RC=$1
	ok_rc "$2" "$3"
}

# txn_script DIR ID TXN-HEADER BODY...: a script whose upgrade is BODY
txn_script() {
	local dir=$1 id=$2 hdr=$3
	shift 3
	mkrev "$dir" "$id" "" "$hdr" <<EOF

-- migrate:upgrade
CREATE TABLE t_$id (id INTEGER);
$*

-- migrate:downgrade
DROP TABLE t_$id;
EOF
}

sc_txn_control() {
	local d="$T_DIR/txn.$BK" stmt i=0
	for stmt in "COMMIT;" "ROLLBACK;" "BEGIN;" "START TRANSACTION;" "END;" "commit work;" \
		"ROLLBACK TRANSACTION;" "PREPARE TRANSACTION 'x';" "ABORT;"; do
		i=$((i + 1))
		# the last two are PostgreSQL's
		[ "$BK" = sqlite ] && [ $i -gt 7 ] && continue
		cd "$T_DIR" && rm -rf "$d"
		txn_script "$d" x$i "" "CREATE TABLE u_x$i (id INTEGER);
$stmt
CREATE TABLE v_x$i (id INTEGER);"
		project_of "$d"
		newdb txn
		local first=${stmt%% *}
		first=${first%;}
		rtd upgrade head
		ok_rc 2 "[$BK] '$stmt' in a transactional migration: exit 2"
		like "$ERR" "x$i\\.sql:9: $(printf '%s' "$first" | tr a-z A-Z).* controls the transaction.*Transaction: none" \
			"[$BK] ... naming file:line and pointing to Transaction: none"
		is "$(tables)" "" "[$BK] ... nothing ran: no table at all"
		rtd upgrade head --sql
		ok_rc 2 "[$BK] ... --sql refuses it too"
	done
	cd "$T_DIR" && rm -rf "$d"
	txn_script "$d" s1 "" "SAVEPOINT sp;
INSERT INTO t_s1 VALUES (1);
ROLLBACK TO SAVEPOINT sp;
ROLLBACK TO sp;
RELEASE sp;"
	project_of "$d"
	newdb txn
	rtd upgrade head
	ok_rc 0 "[$BK] SAVEPOINT, ROLLBACK TO and RELEASE stay allowed"
	is "$(dbq "SELECT count(*) FROM t_s1")" 0 "[$BK] ... and work"
	cd "$T_DIR" && rm -rf "$d"
	txn_script "$d" s2 "" "COMMIT;"
	printf '[retort]\nscript_location = .\ntransaction_mode = single\n' >"$d/retort.ini"
	cd "$d" || exit 1
	newdb txn
	rtd upgrade head
	ok_rc 2 "[$BK] COMMIT with transaction_mode = single: exit 2"
	is "$(tables)" "" "[$BK] ... nothing ran"
	cd "$T_DIR" && rm -rf "$d"
	txn_script "$d" n1 "Transaction: none" "BEGIN;
CREATE TABLE w_n1 (id INTEGER);
COMMIT;"
	project_of "$d"
	newdb txn
	rtd upgrade head
	ok_rc 0 "[$BK] a Transaction: none script manages its own transactions"
	is "$(has_table w_n1)" 1 "[$BK] ... and its statements ran"
	is_rows "n1" "Transaction: none with BEGIN/COMMIT"
}

sc_downgrade_unapplied() {
	project
	newdb unapplied
	rtd upgrade 532afb069296
	local n
	n=$(ledger "count(*)")
	rtd downgrade 041584a9edb9
	ok_rc 2 "[$BK] downgrade to a revision that is not applied: exit 2"
	is "$ERR" "041584a9edb9 is not applied (the database is at 532afb069296); downgrade goes back to an applied revision — did you mean 'upgrade 041584a9edb9'?" \
		"[$BK] ... with the message that says so"
	is "$OUT" "" "[$BK] ... and no 'Nothing to do'"
	is "$(ledger "count(*)")" "$n" "[$BK] ... nothing written"
	is_rows "532afb069296" "downgrade to an unapplied revision"
	rtd downgrade 532afb069296
	ok_rc 0 "[$BK] downgrade to the current revision"
	is "$OUT" "Nothing to do: the database is already there." "[$BK] ... is really nothing to do"
	rtd downgrade base
	newdb unapplied
	# an empty database, not a file that does not exist (which is said so)
	[ "$BK" = sqlite ] && : >"$DBF"
	rtd downgrade c12435d869e2
	ok_rc 2 "[$BK] downgrade on an empty database"
	like "$ERR" "the database is at <base>" "[$BK] ... says it is at <base>"
}
