# tests/cli/safety.sh: rehearsal and verified backups with their restore,
# written once for SQLite and PostgreSQL (sourced after tests/lib.sh and
# tests/cli/dbenv.sh by tests/cli/safety_*.sh).

sc_rehearse() {
	project
	newdb rehearse
	rtd upgrade 041584a9edb9 -q
	ok_rc 0 "[$BK] setup: upgrade to the audit log"
	local schema rows nledger sum=""
	schema=$(schema_text)
	rows=$(vrows)
	nledger=$(ledger "count(*)")
	[ "$BK" = sqlite ] && sum=$(sha "$DBF")
	rtd downgrade base --rehearse
	ok_rc 0 "[$BK] a rehearsed downgrade to base passes"
	like "$OUT" "^Rehearsing downgrade 041584a9edb9 -> d58e11da093b, Create audit log \.\.\. done" \
		"[$BK] ... reporting each step"
	like "$OUT" "Rehearsal passed: 10 steps ran and were rolled back" "[$BK] ... and the outcome"
	is "$(schema_text)" "$schema" "[$BK] ... the schema is unchanged"
	is "$(vrows)" "$rows" "[$BK] ... the version table is unchanged"
	is "$(ledger "count(*)")" "$nledger" "[$BK] ... and the ledger has no new row"
	[ "$BK" = sqlite ] && is "$(sha "$DBF")" "$sum" "[sqlite] ... the file is byte for byte the same"
	rtd upgrade heads --rehearse
	ok_rc 0 "[$BK] a rehearsed upgrade passes too"
	is "$(vrows)" "$rows" "[$BK] ... and changes nothing"

	local d="$T_DIR/rehearse-fail.$BK"
	mk_failing "$d"
	project_of "$d"
	newdb rehearse_fail
	rtd upgrade head --rehearse
	ok_rc 1 "[$BK] a rehearsal with a failing step exits 1"
	like "$ERR" "versions/r2\.sql:10: " "[$BK] ... naming the file and line"
	like "$OUT" "Rehearsing upgrade r1 -> r2, Revision r2 \.\.\. FAILED" "[$BK] ... and the step"
	like "$OUT" "Rehearsal failed: everything was rolled back" "[$BK] ... and that nothing stays"
	is "$(vrows)" "" "[$BK] ... not even the step before it"
	is "$(has_table t_r1)" 0 "[$BK] ... whose table is gone again"

	mkrev "$d" r0 "" "Transaction: none" <<'EOF'

-- migrate:upgrade
CREATE TABLE t_r0 (id INTEGER);

-- migrate:downgrade
DROP TABLE t_r0;
EOF
	rtd upgrade r0 --rehearse
	ok_rc 1 "[$BK] a Transaction: none script cannot be rehearsed"
	like "$ERR" "versions/r0\.sql: Transaction: none — not rehearsable" "[$BK] ... and the error says so"
	is "$(has_table t_r0)" 0 "[$BK] ... it did not run"
}

sc_backup() {
	project
	newdb backup
	rtd upgrade 041584a9edb9 -q
	local rows bk="$T_DIR/backup.$BK"
	rows=$(vrows)
	rtd backup "$bk"
	ok_rc 0 "[$BK] backup succeeds"
	like "$OUT" "written to $bk and verified" "[$BK] ... verified"
	like "$OUT" "^To restore: " "[$BK] ... with restore instructions"
	[ -s "$bk" ]; t_result $? "[$BK] ... the file exists"
	is "$(stat -c %a "$bk")" 600 "[$BK] ... readable by its owner only"
	local before
	before=$(sha "$bk")
	rtd backup "$bk"
	ok_rc 2 "[$BK] a backup never overwrites a file (bad input, exit 2)"
	is "$(sha "$bk")" "$before" "[$BK] ... which is unchanged"

	rtd upgrade heads -q
	if [ "$BK" = sqlite ]; then
		cp "$bk" "$DBF"
		is "$(vrows)" "$rows" "[sqlite] restored by copying the file back: at the backed-up revision"
	else
		psql -X -q -d "$(pgurl)" -c "CREATE DATABASE restored_$NDB" >/dev/null
		local rurl="${PGURL%/*}/restored_$NDB"
		psql -X -q -v ON_ERROR_STOP=1 -d "$rurl" -f "$bk" >/dev/null 2>&1
		t_result $? "[pg] the dump restores into a new database with psql"
		rt -d "$rurl" current
		is "$(echo "$OUT" | cut -d' ' -f1)" "041584a9edb9" "[pg] ... which is at the backed-up revision"
	fi
	rt -d "$URL" backup
	ok_rc 0 "[$BK] a backup without a name picks one"
	like "$OUT" "written to [^ ]+-[0-9]{8}-[0-9]{6}\.(db|sql) and verified" "[$BK] ... from the database and the time"
}
