#!/bin/bash
# SQLite: what a migration means is what runs. PRAGMA foreign_keys at the
# start of a section is honoured (SQLite's table-rebuild procedure keeps
# the rows of the tables that reference the rebuilt one), checked and put
# back. The migration lock belongs to the database file, whatever name
# reaches it (a symlink, a hard link, a relative path), and its lock file
# is never followed through a symlink nor written through a link.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite

# ---- PRAGMA foreign_keys ----

# f1: a parent and children that go with it (ON DELETE CASCADE), two of
# each. f2 rebuilds the parent by SQLite's procedure (a new column), and
# its downgrade rebuilds it back, the pragma spelt otherwise.
mk_fk() { # DIR
	mkrev "$1" f1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE child (id INTEGER PRIMARY KEY,
                    parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent VALUES (1, 'a'), (2, 'b');
INSERT INTO child VALUES (10, 1), (11, 2);

-- migrate:downgrade
DROP TABLE child;
DROP TABLE parent;
EOF
	mkrev "$1" f2 f1 <<'EOF'

-- migrate:upgrade
PRAGMA foreign_keys = OFF;
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
                         note TEXT NOT NULL DEFAULT '');
INSERT INTO parent_new (id, name) SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;
PRAGMA foreign_key_check;
PRAGMA foreign_keys = ON;

-- migrate:downgrade
pragma Main.Foreign_Keys = false;
CREATE TABLE parent_old (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO parent_old SELECT id, name FROM parent;
DROP TABLE parent;
ALTER TABLE parent_old RENAME TO parent;
PRAGMA foreign_keys(1);
EOF
}

# f3, after the rebuild in the same run: deleting a parent must cascade,
# which it does only if foreign keys are on again.
mk_fk_after() { # DIR PARENT
	mkrev "$1" f3 "$2" <<'EOF'

-- migrate:upgrade
DELETE FROM parent WHERE id = 2;

-- migrate:downgrade
INSERT INTO parent (id, name) VALUES (2, 'b');
INSERT INTO child VALUES (11, 2);
EOF
}

children() { dbq "SELECT group_concat(id || ':' || parent_id, ' ') FROM (SELECT * FROM child ORDER BY id)"; }

# The upgrade section of a script, as the sqlite3 shell would be given it.
upgrade_sql() { sed -n '/^-- migrate:upgrade/,/^-- migrate:downgrade/p' "$1" | sed '1d;$d'; }

sc_fk_rebuild() {
	local d="$T_DIR/fk"
	mk_fk "$d"
	mk_fk_after "$d" f2
	project_of "$d"

	newdb fk
	rtd upgrade f2
	ok_rc 0 "[sqlite] a table rebuild with PRAGMA foreign_keys = OFF at its start applies"
	is "$(children)" "10:1 11:2" "[sqlite] ... and both child rows are still there (no ON DELETE CASCADE)"
	is "$(dbq "SELECT group_concat(id || name || note, ' ') FROM parent")" "1a 2b" \
		"[sqlite] ... the parent rebuilt with its rows"
	is_rows "f2" "rebuild"
	is "$(dbq "PRAGMA foreign_key_check")" "" "[sqlite] ... no dangling reference"

	# the same SQL through the sqlite3 shell, foreign keys on as retort has them
	local shell="$T_DIR/fk-shell.db"
	upgrade_sql "$d/versions/f1.sql" | sqlite3 -batch -bail "$shell"
	upgrade_sql "$d/versions/f2.sql" | sqlite3 -batch -bail -cmd "PRAGMA foreign_keys = ON" "$shell" >/dev/null
	is "$(sqlite3 -batch "$shell" "SELECT count(*) FROM child")" 2 \
		"[sqlite] the sqlite3 shell keeps the two child rows too"
	# what happened before: the pragma inside the migration's transaction
	shell="$T_DIR/fk-txn.db"
	upgrade_sql "$d/versions/f1.sql" | sqlite3 -batch -bail "$shell"
	{ echo "BEGIN;"; upgrade_sql "$d/versions/f2.sql"; echo "COMMIT;"; } |
		sqlite3 -batch -bail -cmd "PRAGMA foreign_keys = ON" "$shell" >/dev/null
	is "$(sqlite3 -batch "$shell" "SELECT count(*) FROM child")" 0 \
		"[sqlite] (inside a transaction SQLite ignores the pragma and the cascade empties child)"

	rtd upgrade head
	ok_rc 0 "[sqlite] the next migration applies"
	is "$(children)" "10:1" "[sqlite] ... and its DELETE cascades: foreign keys were on again after the rebuild"

	rtd downgrade f1
	ok_rc 0 "[sqlite] downgrade through the rebuild ('pragma Main.Foreign_Keys = false')"
	is "$(children)" "10:1 11:2" "[sqlite] ... the child rows are all there"
	is "$(dbq "SELECT group_concat(name, ' ') FROM pragma_table_info('parent')")" "id name" \
		"[sqlite] ... and the parent has its old columns"
	is_rows "f1" "downgrade through the rebuild"

	# one run: rebuild, then the cascade of f3
	newdb fk_one
	rtd upgrade head
	ok_rc 0 "[sqlite] f1, the rebuild and the cascading DELETE in one run"
	is "$(children)" "10:1" "[sqlite] ... the rebuild kept the children, the DELETE cascaded"
	is "$(ledger1 "revision || ':' || outcome")" "f1:ok f2:ok f3:ok" "[sqlite] ... ledger"

	newdb fk_sql
	rtd upgrade f2 --sql
	ok_rc 0 "[sqlite] --sql renders the rebuild"
	like "$(printf '%s\n' "$OUT" | grep -i -e '^PRAGMA foreign_keys' -e '^BEGIN;' -e '^COMMIT;' | paste -sd' ' -)" \
		"^BEGIN; COMMIT; PRAGMA foreign_keys = OFF; BEGIN; COMMIT; PRAGMA foreign_keys = ON;$" \
		"[sqlite] ... with the pragmas outside the transaction, as they run"
}

sc_fk_dangling() {
	local d="$T_DIR/fk-bad"
	mk_fk "$d"
	# a rebuild that loses the parent row of child 10
	mkrev "$d" f2 f1 <<'EOF'

-- migrate:upgrade
PRAGMA foreign_keys = OFF;
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO parent_new SELECT id, name FROM parent WHERE id <> 1;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;
PRAGMA foreign_keys = ON;

-- migrate:downgrade
EOF
	project_of "$d"
	newdb fk_bad
	rtd upgrade f1 -q
	ok_rc 0 "[sqlite] setup: f1"
	local schema
	schema=$(schema_text)
	rtd upgrade head
	ok_rc 1 "[sqlite] a rebuild that leaves a dangling reference fails"
	like "$ERR" "versions/f2\.sql: PRAGMA foreign_key_check: 1 row of child references a missing row of parent \\(rowid 10\\)" \
		"[sqlite] ... at the foreign key check, naming the file and the tables"
	is_rows "f1" "dangling reference"
	is "$(schema_text)" "$schema" "[sqlite] ... the rebuild was rolled back"
	is "$(children)" "10:1 11:2" "[sqlite] ... the rows as they were"
	is "$(dbq "SELECT count(*) FROM parent")" 2 "[sqlite] ... the parent's too"
	is "$(ledger1 "revision || ':' || outcome" "revision = 'f2'")" "f2:failed" \
		"[sqlite] ... the ledger records the failure"
	like "$(ledger error "revision = 'f2'")" "foreign_key_check" "[sqlite] ... and why"
}

sc_fk_refused() {
	local d="$T_DIR/fk-mid"
	mk_fk "$d"
	mkrev "$d" f3 f2 <<'EOF'

-- migrate:upgrade
CREATE TABLE t_f3 (id INTEGER);
PRAGMA foreign_keys = OFF;
DELETE FROM parent WHERE id = 2;

-- migrate:downgrade
EOF
	project_of "$d"
	newdb fk_mid
	rtd upgrade head
	ok_rc 2 "[sqlite] PRAGMA foreign_keys in the middle of a transactional section is refused"
	like "$ERR" "versions/f3\.sql:8: PRAGMA foreign_keys must lead the section: SQLite ignores it inside the migration's transaction \\(or make the script 'Transaction: none'\\)" \
		"[sqlite] ... with its file and line and what to do"
	like "$ERR" "nothing was run" "[sqlite] ... before anything ran"
	is "$(tables)" "" "[sqlite] ... not even f1"

	# Transaction: none runs it where it is, and the setting is put back
	mkrev "$d" f3 f2 "Transaction: none" <<'EOF'

-- migrate:upgrade
CREATE TABLE t_f3 (id INTEGER);
PRAGMA foreign_keys = OFF;
DELETE FROM parent WHERE id = 1;

-- migrate:downgrade
EOF
	mkrev "$d" f4 f3 <<'EOF'

-- migrate:upgrade
DELETE FROM parent WHERE id = 2;

-- migrate:downgrade
EOF
	rtd upgrade head
	ok_rc 0 "[sqlite] Transaction: none: PRAGMA foreign_keys anywhere in the section runs as written"
	is "$(children)" "10:1" \
		"[sqlite] ... its DELETE did not cascade; the next migration's did (the setting was put back)"

	printf 'transaction_mode = single\n' >>retort.ini
	rm "$d/versions/f3.sql" "$d/versions/f4.sql"
	newdb fk_single
	rtd upgrade head
	ok_rc 1 "[sqlite] transaction_mode = single: a section led by PRAGMA foreign_keys is refused"
	like "$ERR" "versions/f2\.sql:7: PRAGMA foreign_keys cannot be honoured inside the one transaction of transaction_mode = single" \
		"[sqlite] ... saying why"
	is "$(tables)" "" "[sqlite] ... and nothing ran"

	sed -i '/^transaction_mode/d' retort.ini
	newdb fk_rehearse
	rtd upgrade f1 -q
	rtd upgrade head --rehearse
	ok_rc 1 "[sqlite] a rehearsal stops before a section led by PRAGMA foreign_keys"
	like "$ERR" "versions/f2\.sql: PRAGMA foreign_keys — not rehearsable" "[sqlite] ... saying why"
	is_rows "f1" "rehearsal"
	is "$(children)" "10:1 11:2" "[sqlite] ... nothing changed"
}

# ---- the lock of a file with several names ----

# Waits (at most 10 s) until FILE has a line matching REGEX.
wait_for() { # FILE REGEX
	local n=0
	while ! grep -Eq -- "$2" "$1" 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}

sc_lock_names() {
	local d="$T_DIR/names"
	mkrev "$d" h1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE knob (n BIGINT);
INSERT INTO knob VALUES (10000000000);

-- migrate:downgrade
DROP TABLE knob;
EOF
	# a migration outside a transaction: run twice, it leaves two rows;
	# then it computes for as long as the knob says (without writing, so
	# that others can still read the database)
	mkrev "$d" h2 h1 "Transaction: none" <<'EOF'

-- migrate:upgrade
CREATE TABLE IF NOT EXISTS runs (n INTEGER);
INSERT INTO runs VALUES (1);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM knob))
SELECT count(*) FROM c;

-- migrate:downgrade
DROP TABLE runs;
EOF
	project_of "$d"
	mkdir -p data links sub
	DBF="$d/data/app.db"
	sqlq "$DBF" "CREATE TABLE keep (x INTEGER); DROP TABLE keep"
	ln -s ../data/app.db links/sym.db
	ln data/app.db links/hard.db

	"$RETORT" -d "sqlite:///$DBF" upgrade head >"$T_DIR/holder.out" 2>&1 &
	local pid=$! name
	wait_for "$T_DIR/holder.out" "h1, Revision h1 \\.\\.\\. done"
	sleep 0.3
	for name in links/sym.db links/hard.db data/app.db ./sub/../data/app.db "$d/links/sym.db"; do
		rt -d "sqlite:///$name" --lock-timeout 1 upgrade head
		ok_rc 1 "[sqlite] while a run holds the lock through data/app.db, one through $name waits and gives up"
		like "$ERR" "lock is held by pid $pid .*\\(waited 1 s\\)" "[sqlite] ... naming the holder"
		unlike "$OUT" "Running upgrade" "[sqlite] ... and runs nothing"
	done
	rt -d "sqlite:///links/sym.db" lock
	like "$OUT" "^locked: pid $pid on .* as .* since " "[sqlite] retort lock through the symlink names the holder"
	rt -d "sqlite:///links/hard.db" lock
	like "$OUT" "^locked: pid $pid \\(.*hard\\.db\\.lock names no holder: that process took the lock through another name" \
		"[sqlite] retort lock through the hard link says locked, and by whom"
	is "$(ls links | paste -sd' ' -)" "hard.db hard.db.lock sym.db" \
		"[sqlite] the lock file of a symlink's target is beside the target, not the symlink"
	kill -9 $pid
	wait $pid 2>/dev/null
	is "$(dbq "SELECT count(*) FROM runs")" 1 "[sqlite] h2's statements ran once"
	is_rows "h1" "after the holder was killed (h2 runs outside a transaction: not recorded)"

	rt -d "sqlite:///links/sym.db" upgrade head
	ok_rc 1 "[sqlite] ... and through any name the next run refuses to run past the step left half done"
	like "$ERR" "h2 was interrupted during its upgrade" "[sqlite] ... naming it"

	# h2 takes a moment now: long enough for the others to pile up; its
	# half is undone by hand, and that is recorded
	dbq "UPDATE knob SET n = 1000000; DELETE FROM runs"
	rt -d "sqlite:///links/hard.db" resolve h2 --reverted
	ok_rc 0 "[sqlite] resolve h2 --reverted through the hard link"
	race names "sqlite:///$DBF" sqlite:///links/sym.db sqlite:///links/hard.db \
		sqlite:///./data/app.db sqlite:///sub/../data/app.db "sqlite:///$d/links/../data/app.db"
	is "$RCS" " 0 0 0 0 0 0" "[sqlite] six concurrent upgrades through six names all exit 0"
	[ "$RCS" = " 0 0 0 0 0 0" ] || diag "$(cat "$T_DIR"/names.*.err)"
	is "$(dbq "SELECT count(*) FROM runs")" 1 "[sqlite] ... the Transaction: none migration ran once"
	is "$(ledger "revision, count(*)" "outcome = 'ok' GROUP BY revision" | paste -sd' ' -)" "h1|1 h2|1" \
		"[sqlite] ... and is in the ledger once"
	is "$(cat "$T_DIR"/names.*.out | grep -c '^Running upgrade')" 1 "[sqlite] ... one process ran it"
	is_rows "h2" "concurrent upgrades through several names"
	rt -d "sqlite:///links/hard.db" lock
	like "$OUT" "^unlocked: " "[sqlite] ... and no lock is left"
}

# ---- a lock file that is a link ----

sc_lock_link() {
	local d="$T_DIR/locklink"
	mkdir -p "$d"
	cp -R "$TOP_SRCDIR/tests/data/linear/versions" "$d/"
	project_of "$d"
	DBF="$d/app.db"
	URL="sqlite:///$DBF"
	printf 'precious\n' >victim.txt

	ln -s victim.txt app.db.lock
	rtd upgrade head
	ok_rc 1 "[sqlite] a lock file that is a symlink: exit 1"
	is "$ERR" "$DBF.lock: the lock file is a symbolic link, which retort never follows; remove it" \
		"[sqlite] ... naming it"
	is "$(cat victim.txt)" "precious" "[sqlite] ... the file it points to is untouched"
	is "$(tables)" "" "[sqlite] ... and nothing ran"
	rtd lock
	ok_rc 1 "[sqlite] retort lock refuses it too"
	unlike "$OUT$ERR" "precious" "[sqlite] ... and prints nothing of the file it points to"

	rm app.db.lock
	ln -s nowhere.txt app.db.lock
	rtd upgrade head
	ok_rc 1 "[sqlite] a dangling symlink as the lock file: exit 1"
	is "$(ls | paste -sd' ' -)" "app.db app.db.lock retort.ini versions victim.txt" \
		"[sqlite] ... nothing is created where it points"

	rm app.db.lock
	ln victim.txt app.db.lock
	rtd upgrade head
	ok_rc 1 "[sqlite] a lock file with another name (a hard link): exit 1"
	like "$ERR" "app\.db\.lock: the lock file has other names \(hard links\)" "[sqlite] ... saying so"
	is "$(cat victim.txt)" "precious" "[sqlite] ... the other file is untouched"

	rm app.db.lock
	mkfifo app.db.lock
	rtd upgrade head
	ok_rc 1 "[sqlite] a FIFO as the lock file: exit 1, without hanging"
	like "$ERR" "not a regular file" "[sqlite] ... saying so"

	rm app.db.lock
	rtd upgrade head
	ok_rc 0 "[sqlite] with the link gone, the upgrade runs"
	is "$(stat -c '%F %a %h' app.db.lock)" "regular empty file 600 1" \
		"[sqlite] ... the lock file is retort's own: private, one name, empty once released"
}

sc_fk_rebuild
sc_fk_dangling
sc_fk_refused
sc_lock_names
sc_lock_link
done_testing
