#!/bin/bash
# libsqlite3 is opened at run time, the first time SQLite is used: the
# binary does not link it, the commands that need no database (heads,
# history, show, check without one, lint, --sql) work without it, and a
# SQLite database whose library cannot be loaded fails with a message
# naming the library and its Debian package, exit 1, nothing written.
# RETORT_LIBSQLITE3 names another file.
. "$TOP_SRCDIR/tests/lib.sh"

if command -v readelf >/dev/null 2>&1; then
	needed=$(readelf -d "$RETORT" | grep NEEDED)
	like "$needed" 'libc\.so' "the binary's libraries are readable (libc among them)"
	unlike "$needed" 'sqlite' "the binary needs no SQLite library"
fi

MISSING=/nonexistent/libsqlite3.so.0
export RETORT_LIBSQLITE3=$MISSING
project
# one of the demo's two heads
HEAD=dd1123f32f48

# ---- without libsqlite3: everything that needs no database ----
rt heads
ok_rc 0 "no libsqlite3: heads"
like "$OUT" "$HEAD" "... lists the heads"
rt history
ok_rc 0 "no libsqlite3: history"
rt history --graph
ok_rc 0 "no libsqlite3: history --graph"
rt show "$HEAD"
ok_rc 0 "no libsqlite3: show"
like "$OUT" "$HEAD" "... shows the revision"
rt branches
ok_rc 0 "no libsqlite3: branches"
rt upgrade --sql heads
ok_rc 0 "no libsqlite3: upgrade --sql for SQLite (never connects)"
like "$OUT" 'CREATE TABLE IF NOT EXISTS "?retort_version' "... writes the script"
rt -d "postgresql://app@127.0.0.1:1/app" upgrade --sql heads
ok_rc 0 "no libsqlite3: upgrade --sql for PostgreSQL"
rt lint
ok_rc 1 "no libsqlite3: lint (the demo's findings: exit 1)"
like "$OUT" 'drop-' "... reports them"
unlike "$ERR" 'libsqlite3' "... with no load error"
sed '/^database/d' retort.ini > nodb.ini
rt -c nodb.ini --json check
ok_rc 1 "no libsqlite3: check with no database configured (the demo's two heads)"
like "$OUT" '"database_checked":false' "... checks the scripts only"
like "$OUT" 'multiple heads' "... and reports on them"
is "$ERR" "" "... with no error"
is "$(find . -name 'app.db*' | wc -l)" 0 "... and no database file appeared"

# ---- a SQLite database: the clear error, nothing written ----
printf 'schema = schema.sql\n' >> retort.ini
printf 'CREATE TABLE drift (id integer);\n' > schema.sql
snapshot() { find . -newer "$T_DIR/mark" -print | sort; ls -laR . | cksum; }
# fails CMD...: exit 1, the message, nothing on standard output
fails() {
	rt "$@"
	ok_rc 1 "libsqlite3 missing: $* exits 1 (a database error)"
	like "$ERR" "^cannot load libsqlite3, the SQLite library, from RETORT_LIBSQLITE3=$MISSING \\(.*No such file.*\\).*Debian package libsqlite3-0" \
		"... $* names the library, why, and the package"
	is "$OUT" "" "... $* prints nothing on standard output"
}
sqlite_commands() {
	for cmd in "current" "upgrade heads" "upgrade --dry-run heads" "downgrade -1" \
		"stamp heads" "check" "history --applied" "repair $HEAD" "lock" \
		"backup" "backup $T_DIR/copy.db" "rollback --yes --backup base" \
		"revision --autogenerate --head $HEAD -m drift"; do
		fails $cmd
	done
}
touch "$T_DIR/mark"
sleep 1
BEFORE=$(snapshot)
sqlite_commands
is "$(snapshot)" "$BEFORE" "libsqlite3 missing: no file was created or changed"
[ ! -e "$T_DIR/copy.db" ]
t_result $? "... not even the backup named"

# An existing database: left as it was.
RETORT_LIBSQLITE3= rt upgrade "$HEAD"
ok_rc 0 "with the system's libsqlite3 (RETORT_LIBSQLITE3 empty): upgrade"
DBSUM=$(cksum < app.db)
touch "$T_DIR/mark"
sleep 1
BEFORE=$(snapshot)
sqlite_commands
is "$(snapshot)" "$BEFORE" "libsqlite3 missing, database present: nothing created or changed"
is "$(cksum < app.db)" "$DBSUM" "... the database file is byte for byte the same"

# A file that is not a shared library, and one that is not libsqlite3.
printf 'not a library\n' > "$T_DIR/libsqlite3.so.0"
RETORT_LIBSQLITE3="$T_DIR/libsqlite3.so.0" rt current
ok_rc 1 "RETORT_LIBSQLITE3 at a text file: exit 1, no crash"
like "$ERR" "^cannot load libsqlite3.*RETORT_LIBSQLITE3=$T_DIR/libsqlite3.so.0" "... says which file"
RETORT_LIBSQLITE3=libm.so.6 rt current
ok_rc 1 "RETORT_LIBSQLITE3 at a library that is not libsqlite3: exit 1"
like "$ERR" "^libm.so.6 is not a usable libsqlite3: it has no sqlite3_" "... says what it lacks"
is "$OUT" "" "... prints nothing on standard output"

# ---- RETORT_LIBSQLITE3 at the real library: it is used ----
real=$(ldconfig -p 2>/dev/null | awk '$1 == "libsqlite3.so.0" { print $NF; exit }')
if [ -n "$real" ] && [ -r "$real" ]; then
	RETORT_LIBSQLITE3=$real rt current
	ok_rc 0 "RETORT_LIBSQLITE3=$real: current"
	like "$OUT" "$HEAD" "... reads the database"
	RETORT_LIBSQLITE3=$real rt backup "$T_DIR/copy.db"
	ok_rc 0 "RETORT_LIBSQLITE3=$real: backup"
	is "$(sqlq "$T_DIR/copy.db" 'SELECT count(*) FROM retort_version')" 1 "... the copy holds the ledger"
else
	echo "# no libsqlite3.so.0 in the linker cache: RETORT_LIBSQLITE3 at the real file not tried"
fi
unset RETORT_LIBSQLITE3
rt upgrade heads
ok_rc 0 "no RETORT_LIBSQLITE3: the system's libsqlite3 upgrades"
rt check
ok_rc 1 "... and check compares the schema (a drift from schema.sql)"
like "$OUT" 'drift' "... which it reports"
done_testing
