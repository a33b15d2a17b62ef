# tests/cli/dbenv.sh: the database engine's scenarios, written once for
# SQLite and PostgreSQL (sourced after tests/lib.sh by tests/cli/db_*.sh).
#
# db_backend sqlite|pg picks the backend (pg starts a private server).
# Every scenario checks the database itself: the schema, retort_version
# and retort_history, read with sqlite3 or psql, not only retort's output.

db_backend() { # sqlite|pg
	BK=$1
	NDB=0
	if [ "$BK" = pg ]; then
		# as root the server runs as another user, who must reach its dir
		chmod 711 "$T_DIR"
		pg_start
		# A statement that runs for many seconds, its length read from
		# the table knob (so that a rerun can make it short).
		SLOW_SQL='SELECT pg_sleep((SELECT n FROM knob) / 1000.0)'
		SLOW_N=30000
		SHORT_N=1
		PAUSE_SQL='SELECT pg_sleep(0.3)'
		BOGUS_URL="postgresql://retort:s3cret-pw@127.0.0.1:1/nowhere"
	else
		SLOW_SQL='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM knob)) INSERT INTO big SELECT x FROM c'
		SLOW_N=1000000000
		SHORT_N=10
		PAUSE_SQL='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c'
		BOGUS_URL="sqlite:///$T_DIR/no-such-dir/never.db"
	fi
}

# newdb NAME: a new empty database; sets URL (and DBF, the SQLite file, or
# DBN, the PostgreSQL database).
newdb() {
	NDB=$((NDB + 1))
	if [ "$BK" = pg ]; then
		DBN="$1_$NDB"
		pg_newdb "$DBN" || { echo "Bail out! cannot create database $DBN"; exit 1; }
		URL=$PGURL
	else
		DBF="$T_DIR/$1_$NDB.db"
		URL="sqlite:///$DBF"
	fi
}

# The PostgreSQL database DBN as a URL with the password, so that psql and
# pg_dump connect whatever the server's authentication rules are.
pgurl() { echo "${PGURL%/*}/$DBN"; }

# dbq SQL: one statement; rows as a|b lines, NULL as the empty string.
dbq() {
	if [ "$BK" = pg ]; then
		psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$(pgurl)" -c "$1"
	else
		sqlite3 -batch "$DBF" "$1"
	fi
}

# dbsql FILE: runs a script of statements (stops at the first error).
dbsql() {
	if [ "$BK" = pg ]; then
		PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
			-d "$(pgurl)" -f "$1" >/dev/null
	else
		sqlite3 -batch -bail "$DBF" <"$1" >/dev/null
	fi
}

# The version table's rows, sorted, on one line ("" when empty or absent).
vrows() {
	dbq "SELECT version_num FROM retort_version" 2>/dev/null | LC_ALL=C sort | paste -sd' ' -
}

# The user's tables (retort's included), sorted, on one line.
tables() {
	if [ "$BK" = pg ]; then
		dbq "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
	else
		dbq "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	fi | LC_ALL=C sort | paste -sd' ' -
}

has_table() { # NAME: prints 1 or 0
	case " $(tables) " in *" $1 "*) echo 1 ;; *) echo 0 ;; esac
}

# The schema as text, retort's ledger left out (an offline script keeps
# none), for comparing two databases.
schema_text() {
	if [ "$BK" = pg ]; then
		pg_dump --schema-only --no-owner --no-privileges -T retort_history \
			-T retort_history_id_seq -d "$(pgurl)" |
			grep -v -e '^--' -e '^$' -e '^\\restrict ' -e '^\\unrestrict '
	else
		dbq "SELECT type, name, tbl_name, sql FROM sqlite_master
		     WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> 'retort_history'
		     ORDER BY type, name"
	fi
}

# ledger COLUMNS [WHERE]: the ledger's rows, oldest first, one per line
# (a count, with or without GROUP BY in WHERE, in the order of its first
# column).
ledger() {
	local order=id
	case $1 in *"count("*) order=1 ;; esac
	dbq "SELECT $1 FROM retort_history ${2:+WHERE $2} ORDER BY $order"
}

# On one line: ledger's rows joined by spaces.
ledger1() { ledger "$@" | paste -sd' ' -; }

rtd() { rt -d "$URL" "$@"; }

is_rows() { # want description: the version table, exactly
	is "$(vrows)" "$1" "[$BK] $2: version rows '$1'"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# mkrev DIR ID PARENTS [HEADER-LINES] <<SQL: writes DIR/versions/ID.sql with
# the body read from standard input (the upgrade and downgrade markers are
# in the body, so that the test knows every line number).
mkrev() {
	local dir=$1 id=$2 parents=$3 extra=${4:-}
	mkdir -p "$dir/versions"
	{
		printf -- '-- Revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n' "$id" "$id" "$parents"
		[ -n "$extra" ] && printf -- '-- %s\n' "$extra"
		cat
	} >"$dir/versions/$id.sql"
}

# A project of the given scripts directory with a retort.ini that names no
# database: every command passes -d.
project_of() { # DIR
	P=$1
	printf '[retort]\nscript_location = .\n' >"$P/retort.ini"
	cd "$P" || exit 1
}

# ---- 1. upgrade, downgrade, stamp across branches, merges, depends-on ----

sc_graph_demo() {
	project
	newdb demo
	rtd upgrade
	ok_rc 2 "[$BK] upgrade with no target on a two-head history exits 2"
	is "$ERR" "multiple heads are present (dd1123f32f48, 453fe4207322); name one, use 'heads' for all, or 'LABEL@head'" \
		"[$BK] ... with the documented message"
	is "$(tables)" "" "[$BK] ... and writes nothing (no table at all)"

	rtd upgrade reporting@head
	ok_rc 0 "[$BK] upgrade reporting@head"
	is_rows "dd1123f32f48" "upgrade reporting@head"
	is "$(has_table reports)$(has_table notifications)" "10" \
		"[$BK] ... created reports and left the notifications branch alone"
	is "$(ledger "count(*)" "direction = 'upgrade' AND outcome = 'ok'")" 11 \
		"[$BK] ... eleven ledger rows"

	rtd upgrade notifications@head
	ok_rc 0 "[$BK] upgrade notifications@head"
	is_rows "453fe4207322 dd1123f32f48" "upgrade notifications@head"
	is "$(ledger1 revision "id > 11")" "8cc5b122869d 453fe4207322" \
		"[$BK] ... applied only the notifications line"

	rtd downgrade -1
	ok_rc 2 "[$BK] downgrade -1 with two current heads exits 2"
	like "$ERR" "several current revisions .*LABEL@-1" "[$BK] ... and says to name a branch"
	is_rows "453fe4207322 dd1123f32f48" "downgrade -1 refused"

	rtd downgrade reporting@-1
	ok_rc 0 "[$BK] downgrade reporting@-1"
	is_rows "8cc5b122869d" "downgrade reporting@-1 (453fe4207322 depends on it: reverted first)"
	is "$(ledger1 revision "direction = 'downgrade'")" "453fe4207322 dd1123f32f48" \
		"[$BK] ... the dependent first, then reports"
	is "$(has_table reports)$(has_table report_subscriptions)$(has_table notifications)" "001" \
		"[$BK] ... tables follow"

	rtd downgrade notifications@-1
	ok_rc 0 "[$BK] downgrade notifications@-1"
	is_rows "041584a9edb9" "downgrade notifications@-1"

	rtd downgrade -1
	is_rows "d58e11da093b" "downgrade -1 (single head)"
	local before
	before=$(ledger "count(*)")
	rtd downgrade -1
	ok_rc 0 "[$BK] downgrade -1 from the merge point"
	is_rows "2b604fab0cca 3dcd61aad93b" "stepping down through the merge: its parents become heads"
	is "$(ledger "revision, heads_before, heads_after" "id > $before")" \
		"d58e11da093b|d58e11da093b|2b604fab0cca 3dcd61aad93b" "[$BK] ... as one step"
	rtd downgrade -1
	ok_rc 2 "[$BK] a further downgrade -1 exits 2"
	like "$ERR" "LABEL@-1" "[$BK] ... naming LABEL@-1"
	rtd downgrade billing@-1
	is_rows "2b604fab0cca c0f44988ee9d" "downgrade billing@-1"
	rtd downgrade catalog@base
	ok_rc 0 "[$BK] downgrade catalog@base"
	is_rows "c0f44988ee9d" "downgrade catalog@base"
	is "$(has_table categories)$(has_table payments)" "01" "[$BK] ... the billing branch stays"

	rtd upgrade heads
	ok_rc 0 "[$BK] upgrade heads"
	is_rows "453fe4207322 dd1123f32f48" "upgrade heads"
	rtd downgrade base
	ok_rc 0 "[$BK] downgrade base"
	is_rows "" "downgrade base"
	is "$(tables)" "retort_history retort_version" "[$BK] ... leaves only retort's tables"
	is "$(ledger "count(*)" "outcome <> 'ok'")" 0 "[$BK] ... no failed step on the way"
}

sc_graph_fixtures() {
	# branchy: t1 - t2 -+- a1 (alpha) - a2 -+- m1 -+- x1 / y1, beta: b1 - b2
	project "$TOP_SRCDIR/tests/data/branchy"
	newdb branchy
	rtd upgrade a2
	is_rows "a2" "upgrade a2"
	is "$(tables)" "retort_history retort_version t_a1 t_a2 t_t1 t_t2" "[$BK] ... alpha only"
	rtd upgrade beta@+1
	ok_rc 0 "[$BK] upgrade beta@+1"
	is_rows "a2 b1" "upgrade beta@+1"
	rtd upgrade heads
	is_rows "x1 y1" "upgrade heads over the merge"
	rtd downgrade m1
	is_rows "m1" "downgrade m1"
	rtd downgrade -1
	is_rows "a2 b2" "downgrade -1 from the merge m1"
	rtd downgrade beta@-1
	is_rows "a2 b1" "downgrade beta@-1"
	rtd downgrade alpha@base
	ok_rc 0 "[$BK] downgrade alpha@base"
	is_rows "b1" "downgrade alpha@base (the branch point's other line stays)"
	is "$(tables)" "retort_history retort_version t_b1 t_t1 t_t2" "[$BK] ... alpha's tables gone"
	rtd upgrade heads
	rtd stamp a2
	ok_rc 0 "[$BK] stamp a2 on x1 y1"
	is_rows "a2" "stamp a2 replaces both related heads"
	rtd stamp b1
	is_rows "a2 b1" "stamp b1 keeps the unrelated a2"
	is "$(has_table t_x1)" 1 "[$BK] ... stamp runs no script"

	# depends: c1 - c2 (core), f1 - f2 (feat); f1 depends on core, f2 on c2
	project "$TOP_SRCDIR/tests/data/depends"
	newdb depends
	rtd upgrade f1
	ok_rc 0 "[$BK] upgrade f1"
	is_rows "c1 f1" "upgrade f1 pulls in its dependency"
	is "$(ledger1 revision)" "c1 f1" "[$BK] ... c1 first"
	rtd upgrade core@head
	is_rows "c2 f1" "upgrade core@head leaves the feature line alone"
	rtd upgrade f2
	is_rows "c2 f2" "upgrade f2"
	rtd downgrade c1
	ok_rc 0 "[$BK] downgrade c1"
	is_rows "c1 f1" "downgrade c1 (f2 depends on c2: reverted too; f1 depends on c1 itself: stays)"
	rtd downgrade core@base
	ok_rc 0 "[$BK] downgrade core@base"
	is_rows "" "downgrade core@base reverts f1 too"
	is "$(ledger1 revision "id > 6")" "f1 c1" "[$BK] ... the dependent first"
	rtd upgrade heads
	rtd stamp c1
	is_rows "c1 f2" "stamp c1 moves the core head down, keeps f2"
	is "$(has_table t_c2)" 1 "[$BK] ... without running c2's downgrade"
	rtd stamp --purge f1
	ok_rc 0 "[$BK] stamp --purge f1"
	is_rows "f1" "stamp --purge f1"
	rtd stamp --purge f1
	is_rows "f1" "stamp --purge of the current head keeps its row"
	rtd stamp --purge base
	is_rows "" "stamp --purge base"
	is "$(ledger "revision, direction, outcome, heads_before, heads_after" "direction = 'stamp'")" \
"c1|stamp|ok|c2 f2|c1 f2
f1|stamp|ok|c1 f2|f1
f1|stamp|ok|f1|f1
base|stamp|ok|f1|" "[$BK] ... every stamp is in the ledger"

	# labels: a prefix ambiguous in the graph, unique within a branch
	project "$TOP_SRCDIR/tests/data/labels"
	newdb labels
	rtd upgrade beta@aa
	ok_rc 0 "[$BK] upgrade beta@aa"
	is_rows "aa2200000001" "upgrade beta@aa"
	rtd upgrade alpha@aa
	is_rows "aa1100000001 aa2200000001" "upgrade alpha@aa"
	rtd upgrade gamma@head
	is_rows "e2e200000003" "upgrade gamma@head through the merge"
	rtd downgrade gamma@base
	is_rows "e0e000000001" "downgrade gamma@base stops at the merge point"
	is "$(has_table t_e1e100000002)$(has_table t_ac1100000002)$(has_table t_bd2200000002)" "011" \
		"[$BK] ... its tables gone, the merged lines' tables kept"

	# linear: +N and -N on one head
	project "$TOP_SRCDIR/tests/data/linear"
	newdb linear
	rtd upgrade +2
	is_rows "l2" "upgrade +2"
	rtd upgrade +2
	is_rows "l4" "upgrade +2 again"
	rtd downgrade -1
	is_rows "l3" "downgrade -1"
	rtd upgrade l1+4
	is_rows "l5" "upgrade l1+4"
	rtd downgrade -3
	is_rows "l2" "downgrade -3"
	is "$(tables)" "retort_history retort_version t_l1 t_l2" "[$BK] ... tables follow"
}

# ---- 2. --sql: rendered offline, the same result as a live run ----

sc_sql() {
	project
	local off="$T_DIR/offline.sql"
	rt -d "$BOGUS_URL" upgrade heads
	ok_rc 1 "[$BK] the bogus URL cannot be reached"
	rt -d "$BOGUS_URL" upgrade --sql heads
	ok_rc 0 "[$BK] upgrade --sql heads on an unreachable database"
	printf '%s\n' "$OUT" >"$off"
	like "$OUT" "^-- Running upgrade <base> -> c12435d869e2, Create accounts and users$" \
		"[$BK] ... with a '-- Running upgrade a -> b, message' comment"
	like "$OUT" "^-- Running upgrade 3dcd61aad93b, 2b604fab0cca -> d58e11da093b, Merge billing and catalog$" \
		"[$BK] ... the merge's comment names both parents"
	is "$(grep -c '^BEGIN;$' "$off") $(grep -c '^COMMIT;$' "$off")" "13 13" \
		"[$BK] ... one transaction per migration"
	if [ "$BK" = sqlite ]; then
		rt -d "sqlite:///$T_DIR/never.db" upgrade --sql heads
		ok_rc 0 "[$BK] --sql on a database file that does not exist"
		is "$(ls "$T_DIR" | grep -c never)" 0 "[$BK] ... creates no file"
	fi

	newdb offline
	local offdb=${DBN:-$DBF}
	dbsql "$off"
	local vo so
	vo=$(vrows) so=$(schema_text)
	newdb live
	rtd upgrade heads
	is "$(vrows)" "$vo" "[$BK] the rendered upgrade gives the live run's version rows"
	is "$(schema_text)" "$so" "[$BK] ... and the same schema"
	[ -n "$so" ] && [ "$(printf '%s\n' "$so" | wc -l)" -gt 20 ]
	t_result $? "[$BK] ... a schema worth comparing"

	rt -d "$BOGUS_URL" downgrade --sql heads:041584a9edb9
	ok_rc 0 "[$BK] downgrade --sql heads:041584a9edb9"
	printf '%s\n' "$OUT" >"$off"
	like "$OUT" "-- Running downgrade dd1123f32f48 -> 041584a9edb9, Create reports" \
		"[$BK] ... with its comments"
	rtd downgrade 041584a9edb9
	local sl
	vo=$(vrows) sl=$(schema_text)
	swap_db "$offdb"
	dbsql "$off"
	is "$(vrows)" "$vo" "[$BK] the rendered downgrade gives the live run's version rows"
	is "$(schema_text)" "$sl" "[$BK] ... and the same schema"

	rt -d "$BOGUS_URL" stamp --sql 041584a9edb9:dd1123f32f48
	ok_rc 0 "[$BK] stamp --sql A:B"
	printf '%s\n' "$OUT" >"$off"
	dbsql "$off"
	is_rows "dd1123f32f48" "the rendered stamp"
	rt -d "$BOGUS_URL" stamp --purge --sql base
	printf '%s\n' "$OUT" >"$off"
	dbsql "$off"
	is_rows "" "the rendered stamp --purge base"
	is "$(schema_text)" "$sl" "[$BK] ... stamps leave the schema alone"
}

# Points dbq at another database made by newdb (its name or file).
swap_db() {
	if [ "$BK" = pg ]; then DBN=$1; else DBF=$1; fi
}

# ---- 3. a failing migration in the middle ----

# The fixture: r1, then r2 whose 3rd statement (line 10) fails, then r3.
mk_failing() { # DIR
	mkrev "$1" r1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE t_r1 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_r1;
EOF
	mkrev "$1" r2 r1 <<'EOF'

-- migrate:upgrade
CREATE TABLE t_r2 (id INTEGER PRIMARY KEY);
INSERT INTO t_r2 (id)
VALUES (1);
INSERT INTO no_such_table (id)
VALUES (2);
CREATE TABLE t_r2b (id INTEGER);

-- migrate:downgrade
DROP TABLE t_r2b;
DROP TABLE t_r2;
EOF
	mkrev "$1" r3 r2 <<'EOF'

-- migrate:upgrade
CREATE TABLE t_r3 (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t_r3;
EOF
}

sc_fail_mid() {
	local d="$T_DIR/failing.$BK"
	mk_failing "$d"
	is "$(sed -n 10p "$d/versions/r2.sql")" "INSERT INTO no_such_table (id)" "fixture: line 10 is the bad statement"
	project_of "$d"
	newdb failing
	rtd upgrade head
	ok_rc 1 "[$BK] a failing migration exits 1"
	like "$ERR" "(^|/)versions/r2\.sql:10: .*no_such_table" "[$BK] ... FILE:LINE: and the database's message"
	like "$OUT" "Running upgrade r1 -> r2, Revision r2 \.\.\. FAILED" "[$BK] ... the step is shown as failed"
	is_rows "r1" "the migration before it stays applied"
	is "$(has_table t_r1)$(has_table t_r2)$(has_table t_r2b)$(has_table t_r3)" "1000" \
		"[$BK] ... the failing migration's first table was rolled back, r3 never ran"
	is "$(ledger "revision, direction, outcome, heads_before, heads_after, error_line" "revision = 'r2'")" \
		"r2|upgrade|failed|r1|r1|10" "[$BK] ... the ledger has the failed row with its line"
	like "$(ledger error "revision = 'r2'")" "no_such_table" "[$BK] ... and the database's message"
	is "$(ledger "count(*)" "outcome = 'ok'")" 1 "[$BK] ... and one ok row (r1)"
	rtd history --applied
	like "$OUT" "upgrade   r2 +failed " "[$BK] ... history --applied shows the failure"
	like "$OUT" "^    error at line 10: .*no_such_table" "[$BK] ... its line and message"
	sed -i 's/^INSERT INTO no_such_table (id)$/INSERT INTO t_r2 (id)/' "$d/versions/r2.sql"
	rtd upgrade head
	ok_rc 0 "[$BK] after the fix the rerun completes"
	is_rows "r3" "rerun"
	is "$(ledger checksum "revision = 'r2' AND outcome = 'ok'")" "$(sha "$d/versions/r2.sql")" \
		"[$BK] ... recording the fixed file's checksum"
}

# ---- 10a. transaction_mode = single ----

sc_single() {
	local d="$T_DIR/single.$BK"
	mk_failing "$d"
	project_of "$d"
	printf 'transaction_mode = single\n' >>retort.ini
	newdb single
	rtd upgrade head
	ok_rc 1 "[$BK] transaction_mode = single: a failure exits 1"
	like "$ERR" "versions/r2\.sql:10: " "[$BK] ... naming the failing line"
	like "$ERR" "rolled back" "[$BK] ... and saying the run was rolled back"
	is_rows "" "single: nothing applied"
	is "$(has_table t_r1)$(has_table t_r2)" "00" "[$BK] ... not even r1's table"
	is "$(ledger "count(*)" "outcome = 'ok'")" 0 "[$BK] ... no ok row in the ledger"
	is "$(ledger "revision, outcome, heads_before, heads_after, error_line" "outcome = 'failed'")" "r2|failed|||10" \
		"[$BK] ... one failed row, for r2 at line 10, heads as before the run"
	like "$(ledger error "outcome = 'failed'")" "no_such_table" "[$BK] ... with the database's message"
}

# ---- 4. concurrent upgrades ----

# race NAME URL...: one 'upgrade head' per URL, all at once; RCS: their
# exit statuses (" 0 0 ..."); their output in $T_DIR/NAME.N.out and .err.
race() {
	local name=$1 url pid pids="" i=0
	shift
	RCS=""
	for url in "$@"; do
		i=$((i + 1))
		"$RETORT" -d "$url" upgrade head >"$T_DIR/$name.$i.out" 2>"$T_DIR/$name.$i.err" &
		pids="$pids $!"
	done
	for pid in $pids; do
		wait "$pid"
		RCS="$RCS $?"
	done
}

sc_concurrent() {
	local d="$T_DIR/conc.$BK"
	mkdir -p "$d"
	cp -R "$TOP_SRCDIR/tests/data/linear/versions" "$d/"
	# a migration that takes a moment, so that the others pile up on the lock
	mkrev "$d" l6 l5 <<EOF

-- migrate:upgrade
CREATE TABLE t_l6 (id INTEGER);
$PAUSE_SQL;

-- migrate:downgrade
DROP TABLE t_l6;
EOF
	project_of "$d"
	newdb conc
	race conc "$URL" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL"
	is "$RCS" " 0 0 0 0 0 0 0 0" "[$BK] 8 concurrent 'upgrade head': every process exits 0"
	[ "$RCS" = " 0 0 0 0 0 0 0 0" ] || diag "$(cat "$T_DIR"/conc.*.err)"
	is "$(ledger "revision, count(*)" "direction = 'upgrade' AND outcome = 'ok' GROUP BY revision" | paste -sd' ' -)" \
		"l1|1 l2|1 l3|1 l4|1 l5|1 l6|1" "[$BK] ... each migration applied exactly once"
	is "$(ledger "count(*)")" 6 "[$BK] ... and nothing else in the ledger"
	is "$(dbq "SELECT count(*) FROM retort_version")" 1 "[$BK] ... one version row"
	is_rows "l6" "concurrent upgrade"
	is "$(cat "$T_DIR"/conc.*.out | grep -c '^Running upgrade')" 6 \
		"[$BK] ... one process ran the six steps"
	is "$(cat "$T_DIR"/conc.*.out | grep -c '^Nothing to do')" 7 "[$BK] ... the seven others found nothing to do"
	is "$(tables)" "retort_history retort_version t_l1 t_l2 t_l3 t_l4 t_l5 t_l6" \
		"[$BK] ... each table once"
}

# ---- 5 and 10b. kill -9 in the middle of a long migration; the lock ----

# The fixture: k1 (a knob table giving the slow statement's length), k2
# (a table, then a statement that runs for a long time), k3 (a table).
mk_slow() { # DIR
	mkrev "$1" k1 "" <<EOF

-- migrate:upgrade
CREATE TABLE knob (n BIGINT);
INSERT INTO knob VALUES ($SLOW_N);

-- migrate:downgrade
DROP TABLE knob;
EOF
	mkrev "$1" k2 k1 <<EOF

-- migrate:upgrade
CREATE TABLE big (x BIGINT);
$SLOW_SQL;

-- migrate:downgrade
DROP TABLE big;
EOF
	mkrev "$1" k3 k2 <<'EOF'

-- migrate:upgrade
CREATE TABLE t_k3 (id INTEGER);

-- migrate:downgrade
DROP TABLE t_k3;
EOF
}

sc_kill() {
	local d="$T_DIR/kill.$BK"
	mk_slow "$d"
	project_of "$d"
	newdb kill
	"$RETORT" -d "$URL" upgrade head >"$T_DIR/kill.out" 2>&1 &
	local pid=$! n=0
	# k1 is instant: once it is reported done, k2's long statement runs
	# (SQLite's writer may keep readers out now: watch the output instead)
	while ! grep -q 'k1, Revision k1 \.\.\. done' "$T_DIR/kill.out" && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 0.5
	rtd lock
	like "$OUT" "^locked: " "[$BK] retort lock shows the running upgrade"
	rtd --lock-timeout 1 upgrade head
	ok_rc 1 "[$BK] --lock-timeout exceeded while another process holds the lock: exit 1"
	if [ "$BK" = pg ]; then
		like "$ERR" "lock is held by pid [0-9]+ .*\\(retort $pid@" \
			"[$BK] ... the message names the holder (its retort process)"
	else
		like "$ERR" "lock is held by pid $pid on .* since " "[$BK] ... the message names the holder"
	fi
	kill -9 $pid
	wait $pid 2>/dev/null
	is "$?" 137 "[$BK] the upgrade was killed in the middle of k2"
	# the server notices a vanished client within its check interval
	n=0
	while rtd lock && [ "${OUT#locked}" != "$OUT" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	like "$OUT" "^unlocked: " "[$BK] after kill -9, retort lock says unlocked"
	is_rows "k1" "after kill -9 the database is at the previous revision"
	is "$(has_table big)$(has_table t_k3)" "00" "[$BK] ... k2's table was rolled back"
	is "$(ledger1 "revision || ':' || outcome")" "k1:ok" "[$BK] ... the ledger knows only k1"
	dbq "UPDATE knob SET n = $SHORT_N"
	rtd upgrade head
	ok_rc 0 "[$BK] a rerun completes"
	is_rows "k3" "rerun after kill -9"
	is "$(ledger1 "revision || ':' || outcome")" "k1:ok k2:ok k3:ok" "[$BK] ... each step once in the ledger"
}

# ---- 6. check and repair ----

sc_check() {
	project
	newdb check
	rtd upgrade heads
	local f
	f=$(ls versions/*4d45ff13dd15*.sql)
	local others
	others=$(ledger "revision, checksum" "revision <> '4d45ff13dd15'")
	rtd check
	ok_rc 1 "[$BK] check on the demo: two heads are a problem"
	like "$OUT" "multiple heads are present \\(dd1123f32f48, 453fe4207322\\)" "[$BK] ... listed"
	unlike "$OUT" "changed after it was applied" "[$BK] ... no changed script yet"

	printf '\n-- reviewed\n' >>"$f"
	dbq "INSERT INTO retort_version (version_num) VALUES ('feedface0000')"
	rtd check
	ok_rc 1 "[$BK] check exits 1"
	like "$OUT" "4d45ff13dd15 changed after it was applied" "[$BK] ... lists the edited applied script"
	like "$OUT" "'feedface0000', which no script defines" "[$BK] ... lists the unknown revision in the version table"
	like "$OUT" "multiple heads are present" "[$BK] ... lists several heads"
	like "$OUT" "3 problems found" "[$BK] ... three problems"
	dbq "DELETE FROM retort_version WHERE version_num = 'feedface0000'"

	# who repaired comes from the system, not from a variable that may be unset
	run env -u USER "$RETORT" -d "$URL" repair 4d45ff13dd15
	ok_rc 0 "[$BK] repair 4d45ff13dd15"
	is "$(ledger "direction, outcome, checksum, os_user, host" "revision = '4d45ff13dd15' AND id = (SELECT max(id) FROM retort_history)")" \
		"repair|ok|$(sha "$f")|$(id -un)|$(uname -n)" "[$BK] ... records the file's new checksum as a repair row, and who"
	rtd check
	unlike "$OUT" "changed after it was applied" "[$BK] check no longer lists it"
	like "$OUT" "1 problem found" "[$BK] ... only the two heads remain"
	is "$(ledger "revision, checksum" "revision <> '4d45ff13dd15'")" "$others" \
		"[$BK] ... the other revisions' ledger rows are untouched"
	is_rows "453fe4207322 dd1123f32f48" "repair leaves the version table alone"
	local n
	n=$(ledger "count(*)")
	rtd repair 4d45ff13dd15
	like "$OUT" "Nothing to repair" "[$BK] a second repair has nothing to do"
	is "$(ledger "count(*)")" "$n" "[$BK] ... and writes no row"
}

# ---- 8. the ledger's columns, history --applied ----

sc_ledger() {
	project "$TOP_SRCDIR/tests/data/linear"
	newdb ledger
	local t0
	t0=$(date -u '+%Y-%m-%d %H:%M:%S')
	rtd upgrade l2
	rtd downgrade l1
	local f1 f2 me host ver dbuser
	f1=$(ls versions/*_l1_*.sql)
	f2=$(ls versions/*_l2_*.sql)
	me=$(id -un)
	host=$(uname -n)
	ver=$("$RETORT" --version | sed 's/^retort //')
	dbuser=""
	[ "$BK" = pg ] && dbuser=$PGUSER
	is "$(ledger "revision, direction, outcome, heads_before, heads_after, checksum, os_user, host, retort_version, db_user")" \
"l1|upgrade|ok||l1|$(sha "$f1")|$me|$host|$ver|$dbuser
l2|upgrade|ok|l1|l2|$(sha "$f2")|$me|$host|$ver|$dbuser
l2|downgrade|ok|l2|l1|$(sha "$f2")|$me|$host|$ver|$dbuser" \
		"[$BK] ledger rows: direction, outcome, heads, sha256sum of the file, users, host, version"
	is "$(ledger "CASE WHEN duration_ms > 0 AND finished_at >= started_at AND error IS NULL AND error_line IS NULL THEN 'y' ELSE 'n' END" | paste -sd' ' -)" \
		"y y y" "[$BK] ... duration_ms > 0, finished after started, no error"
	rt -d "$URL" history --applied
	ok_rc 0 "[$BK] history --applied"
	is "$(printf '%s\n' "$OUT" | wc -l)" 3 "[$BK] ... one line per ledger row"
	like "$OUT" "^[0-9-]{10} [0-9:.]{12}  upgrade   l1 +ok +[0-9.]+ ms  $me@$host" \
		"[$BK] ... when, what, outcome, duration, who"
	like "$OUT" "downgrade l2 .*\\[l2 -> l1\\]" "[$BK] ... and the heads before and after"
	local started
	started=$(printf '%s\n' "$OUT" | head -1 | cut -c1-23)
	[ "$started" \> "$t0" ] || [ "$started" = "$t0.000" ]
	t_result $? "[$BK] ... started_at is UTC and recent ($started after $t0)"
	rt -d "$URL" --json history --applied
	ok_rc 0 "[$BK] history --applied --json"
	like "$OUT" "^\\{\"ledger\":\\[\\{\"id\":[0-9]+,\"revision\":\"l1\",\"direction\":\"upgrade\",\"outcome\":\"ok\",\"heads_before\":\"\",\"heads_after\":\"l1\",\"checksum\":\"$(sha "$f1")\"" \
		"[$BK] ... its JSON names every column"
	like "$OUT" "\"os_user\":\"$me\",\"host\":\"$host\",\"retort_version\":\"$ver\"" "[$BK] ... who and which retort"
	is "$(printf '%s' "$OUT" | grep -o '"duration_ms":[0-9.]*' | wc -l)" 3 "[$BK] ... three rows with a duration"
	like "$OUT" "\"direction\":\"downgrade\",\"outcome\":\"ok\",\"heads_before\":\"l2\",\"heads_after\":\"l1\"" \
		"[$BK] ... the downgrade row"
	rtd --json upgrade l2
	is "$OUT" '{"kind":"upgrade","steps":[{"direction":"upgrade","revision":"l2","heads_before":"l1","heads_after":"l2"}],"final_heads":["l2"]}' \
		"[$BK] --json upgrade prints the JSON alone"
	is "$(ledger1 "id || ':' || revision || ':' || direction")" \
		"1:l1:upgrade 2:l2:upgrade 3:l2:downgrade 4:l2:upgrade" \
		"[$BK] ledger ids count up from 1 in the order of the steps"
	[ "$BK" = sqlite ] || return 0
	is "$(dbq "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")" 0 \
		"[$BK] ... the rowid: no sqlite_sequence row to write on every step"
	# a ledger an earlier retort created with AUTOINCREMENT goes on as it is
	newdb ledger_autoincrement
	dbq "CREATE TABLE retort_history (id INTEGER PRIMARY KEY AUTOINCREMENT, revision VARCHAR(32) NOT NULL, direction VARCHAR(16) NOT NULL, outcome VARCHAR(16) NOT NULL, heads_before TEXT NOT NULL, heads_after TEXT NOT NULL, checksum VARCHAR(64), started_at TEXT, finished_at TEXT, duration_ms REAL, db_user TEXT, os_user TEXT, host TEXT, retort_version TEXT, error_line INTEGER, last_ok_line INTEGER, error TEXT)"
	rtd upgrade l2
	ok_rc 0 "[$BK] upgrade on a ledger created with AUTOINCREMENT"
	is "$(ledger1 "id || ':' || revision")|$(dbq "SELECT seq FROM sqlite_sequence WHERE name = 'retort_history'")" \
		"1:l1 2:l2|2" "[$BK] ... its rows appended, its AUTOINCREMENT kept"
}

# ---- 11. where the database URL comes from ----

sc_precedence() {
	project "$TOP_SRCDIR/tests/data/linear"   # its retort.ini says app.db
	local both="RETORT_DATABASE_URL=sqlite:///renv.db DATABASE_URL=sqlite:///denv.db"
	run env $both "$RETORT" --database sqlite:///flag.db stamp l1
	ok_rc 0 "--database with both variables and retort.ini set"
	run env $both "$RETORT" stamp l2
	run env DATABASE_URL=sqlite:///denv.db "$RETORT" stamp l3
	rt stamp l4
	local f got=""
	for f in flag renv denv app; do
		got="$got $f:$(sqlite3 -batch "$f.db" 'SELECT version_num FROM retort_version' 2>/dev/null)"
	done
	is "$got" " flag:l1 renv:l2 denv:l3 app:l4" \
		"--database over RETORT_DATABASE_URL over DATABASE_URL over retort.ini"

	printf '[retort]\nscript_location = .\n' >retort.ini
	rt current
	ok_rc 2 "no database configured: current exits 2"
	like "$ERR" "--database.*RETORT_DATABASE_URL.*DATABASE_URL.*retort\.ini" "... naming the ways to set it"
	rt upgrade head
	ok_rc 2 "no database configured: upgrade exits 2"
	rm retort.ini
	rt -s . upgrade head
	ok_rc 2 "no retort.ini at all: upgrade exits 2"
	is "$(ls | grep -c '\.db$')" 4 "... and no database file was created"
}

# ---- 9. a password is never printed ----

pw_clean() { # description
	unlike "$OUT$ERR" "s3cret-pw" "[pg] $1: the password is not printed"
}

sc_password() {
	local d="$T_DIR/pw"
	mk_failing "$d"
	project_of "$d"
	newdb pw
	# tests/pgserver.sh's role that must give its password over TCP
	URL="postgresql://$RETORT_PG_PW_USER:$RETORT_PG_PW_PASSWORD@127.0.0.1:$PGPORT/$DBN"
	is "$RETORT_PG_PW_PASSWORD" "s3cret-pw" "the server's password role"
	rtd -v current
	ok_rc 0 "[pg] current -v with a password in the URL"
	like "$OUT" "postgresql://$RETORT_PG_PW_USER:\\*\\*\\*\\*@" "[pg] ... shows the URL masked"
	pw_clean "current -v"
	rtd --json current
	like "$OUT" "\\*\\*\\*\\*" "[pg] --json current shows the URL masked"
	pw_clean "--json current"
	rtd lock
	pw_clean "lock"
	rtd -v upgrade head
	ok_rc 1 "[pg] a failing migration"
	pw_clean "a failing migration"
	rtd --json history --applied
	pw_clean "history --applied"
	rtd -v upgrade --dry-run
	pw_clean "upgrade --dry-run"
	rt -v -d "postgresql://$RETORT_PG_PW_USER:s3cret-pw@127.0.0.1:1/nowhere" current
	ok_rc 1 "[pg] an unreachable server"
	pw_clean "an unreachable server"
	rt -d "postgresql://$RETORT_PG_PW_USER:s3cret-pw-wrong@127.0.0.1:$PGPORT/$DBN" current
	ok_rc 1 "[pg] a wrong password is refused"
	pw_clean "a wrong password"
	run env "DATABASE_URL=$URL" "$RETORT" -v current
	pw_clean "current -v with DATABASE_URL"
}

# ---- 7. PostgreSQL: Transaction: none ----

sc_pg_txn_none() {
	local d="$T_DIR/none"
	mkrev "$d" n1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 2000) g;

-- migrate:downgrade
DROP TABLE items;
EOF
	mkrev "$d" n2 n1 "Transaction: none" <<'EOF'

-- migrate:upgrade
CREATE INDEX CONCURRENTLY ix_items_name ON items (name);

-- migrate:downgrade
DROP INDEX CONCURRENTLY ix_items_name;
EOF
	mkrev "$d" n3 n2 "Transaction: none" <<'EOF'

-- migrate:upgrade
CREATE TABLE t_n3a (id INTEGER);
INSERT INTO no_such_table VALUES (1);
CREATE TABLE t_n3b (id INTEGER);

-- migrate:downgrade
DROP TABLE t_n3b;
DROP TABLE t_n3a;
EOF
	is "$(sed -n '8,9p' "$d/versions/n3.sql" | paste -sd'|' -)" \
		"CREATE TABLE t_n3a (id INTEGER);|INSERT INTO no_such_table VALUES (1);" "fixture: lines 8 and 9"
	project_of "$d"
	newdb none
	run timeout 30 "$RETORT" -d "$URL" upgrade n2
	ok_rc 0 "[pg] Transaction: none with CREATE INDEX CONCURRENTLY applies under the lock (no deadlock)"
	is "$(dbq "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_name'::regclass")" t \
		"[pg] ... the index exists and is valid"
	is_rows "n2" "CREATE INDEX CONCURRENTLY"
	is "$(ledger "revision, outcome" "revision = 'n2'")" "n2|ok" "[pg] ... recorded in the ledger"
	run timeout 30 "$RETORT" -d "$URL" upgrade n3
	ok_rc 1 "[pg] a Transaction: none script failing at its 2nd statement exits 1"
	like "$ERR" "versions/n3\\.sql:9: .*no_such_table" "[pg] ... names the failing line"
	like "$ERR" "up to line 8 were applied" "[pg] ... and says where it stopped"
	is "$(ledger "revision, direction, outcome, heads_before, heads_after, error_line, last_ok_line" "revision = 'n3'")" \
		"n3|upgrade|failed|n2|n2|9|8" "[pg] ... the ledger records last_ok_line of the 1st statement"
	is "$(has_table t_n3a)$(has_table t_n3b)" "10" "[pg] ... the 1st statement's table stays, the 3rd never ran"
	rtd history --applied
	like "$OUT" "error at line 9 \\(last statement that succeeded: line 8\\): " \
		"[pg] ... history --applied says where it stopped"
	is_rows "n2" "a failed Transaction: none script is not recorded as applied"
}
