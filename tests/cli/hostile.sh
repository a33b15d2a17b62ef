#!/bin/bash
# Hostile input: scripts with NUL bytes, invalid UTF-8, a 10 MB statement,
# 100,000 nested comments; a scripts directory with a symlink loop, a
# symlink to /dev/zero, a FIFO, a directory named *.sql, 100,000 scripts
# (valid, then all broken); revision ids that look like SQL (in a header,
# in --rev-id, in the version table); version table names with quotes;
# odd database URLs; every malformed form of retort.ini. Each must give a
# clear error and exit 2 (or work), in bounded time, never a crash, never
# a write, and never show a password.
. "$TOP_SRCDIR/tests/lib.sh"

# A project of its own with retort.ini naming app.db; cd's into it.
fresh() {
	P="$T_DIR/h$T_N.$RANDOM"
	mkdir -p "$P/versions"
	printf '[retort]\nscript_location = .\ndatabase = sqlite:///app.db\n' >"$P/retort.ini"
	cd "$P" || exit 1
}

# rev ID PARENT UPGRADE-SQL: a script versions/ID.sql.
rev() {
	printf -- '-- Revision %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n' \
		"$1" "$1" "$2" "$3" >"versions/$1.sql"
}

# bad_input WHAT PATTERN: heads and upgrade both exit 2 with PATTERN in the
# error, in bounded time, and no database file appears.
bad_input() {
	run timeout 20 "$RETORT" heads
	ok_rc 2 "$1: heads exits 2"
	like "$ERR" "$2" "$1: the error says why"
	run timeout 20 "$RETORT" upgrade heads
	ok_rc 2 "$1: upgrade exits 2"
	[ ! -e app.db ]
	t_result $? "$1: nothing was written (no database file)"
}

# ---- script contents ----

fresh
rev a1 "" "CREATE TABLE t (x INTEGER);"
printf 'CREATE TABLE u (x INTEGER);\0DROP TABLE t;\n' >>versions/a1.sql
bad_input "NUL byte in a script" "versions/a1\\.sql:[0-9]+: contains a NUL byte"

fresh
rev a1 "" "CREATE TABLE t (x INTEGER); -- caf$(printf '\xc3\x28')"
bad_input "invalid UTF-8 in a script" "versions/a1\\.sql:7: not valid UTF-8"

# a statement on one 10 MB line runs
fresh
{
	printf -- '-- big\n--\n-- Revision ID: b1\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE big AS SELECT 1 AS x'
	head -c 10000000 /dev/zero | tr '\0' ' '
	printf ';\n\n-- migrate:downgrade\nDROP TABLE big;\n'
} >versions/b1.sql
run timeout 30 "$RETORT" upgrade
ok_rc 0 "a 10 MB statement line: upgrade applies it"
is "$(sqlite3 app.db 'SELECT x FROM big')" 1 "... and the table is there"
run timeout 30 "$RETORT" upgrade --sql b1
ok_rc 0 "a 10 MB statement line: --sql renders it"
is "$(printf '%s' "$OUT" | grep -c 'CREATE TABLE big AS SELECT 1 AS x')" 1 "... once"

# 100,000 nested block comments: PostgreSQL nests them, the lexer must not
# recurse; unbalanced, the script cannot be split and nothing runs
fresh
rev n0 "" "CREATE TABLE t0 (x INTEGER);"
{
	printf -- '-- nested\n--\n-- Revision ID: n1\n-- Revises: n0\n\n-- migrate:upgrade\nSELECT 1 '
	for _ in $(seq 100); do printf '/* %.0s' $(seq 1000); done
	for _ in $(seq 100); do printf '*/ %.0s' $(seq 1000); done
	printf ';\nSELECT 2;\n\n-- migrate:downgrade\n'
} >versions/n1.sql
run timeout 20 "$RETORT" -d "postgresql://u:pw@127.0.0.1:1/x" upgrade --sql n1
ok_rc 0 "100,000 nested comments (PostgreSQL), balanced: upgrade --sql exits 0"
like "$OUT" "SELECT 2;" "... and the statement after them is there"
run timeout 20 "$RETORT" lint --dialect postgresql n1
like "$RC" "^[01]$" "... lint copes (exit $RC)"
{
	printf -- '-- nested\n--\n-- Revision ID: n1\n-- Revises: n0\n\n-- migrate:upgrade\nSELECT 1;\n'
	for _ in $(seq 100); do printf '/*%.0s' $(seq 1000); done
	printf '\n\n-- migrate:downgrade\n'
} >versions/n1.sql
run timeout 20 "$RETORT" -d "postgresql://u:pw@127.0.0.1:1/x" upgrade --sql n1
ok_rc 2 "100,000 unclosed nested comments: upgrade --sql exits 2"
like "$ERR" "versions/n1\\.sql:8: unterminated comment" "... naming the file and the line"
run timeout 20 "$RETORT" upgrade
ok_rc 2 "unclosed comment on SQLite: upgrade exits 2"
like "$ERR" "versions/n1\\.sql:8: unterminated comment.*" "... naming the file and the line"
like "$ERR" "nothing was run" "... and saying that nothing ran"
is "$(sqlite3 app.db "SELECT count(*) FROM sqlite_master")" 0 \
	"... before anything ran: n0, which comes first, was not applied either"

# ---- the scripts directory ----

fresh
rev a1 "" "SELECT 1;"
ln -s loop.sql versions/loop.sql
bad_input "a symlink loop" "versions/loop\\.sql: Too many levels of symbolic links"

fresh
rev a1 "" "SELECT 1;"
ln -s /dev/zero versions/zero.sql
bad_input "a symlink to /dev/zero" "versions/zero\\.sql: not a regular file"

fresh
rev a1 "" "SELECT 1;"
mkfifo versions/fifo.sql
bad_input "a FIFO (nobody writes to it)" "versions/fifo\\.sql: not a regular file"

fresh
rev a1 "" "SELECT 1;"
mkdir versions/dir.sql
bad_input "a directory named *.sql" "versions/dir\\.sql: not a regular file"

fresh
mkfifo retort.ini.fifo
run timeout 20 "$RETORT" -c retort.ini.fifo heads
ok_rc 2 "a FIFO as the configuration file: exit 2, no wait"
like "$ERR" "retort\\.ini\\.fifo: not a regular file" "... not a regular file"

# 100,000 scripts, on a memory file system when there is one (the files
# are small and many)
big="$T_DIR/big"
[ -d /dev/shm ] && [ -w /dev/shm ] && big=$(mktemp -d /dev/shm/retort-hostile.XXXXXX) &&
	at_exit "rm -rf '$big'"
mkdir -p "$big/versions"
cd "$big" || exit 1
printf '[retort]\nscript_location = .\n' >retort.ini
awk -v dir="$big/versions" 'BEGIN {
	for (i = 0; i < 100000; i++) {
		f = sprintf("%s/r%06d.sql", dir, i)
		printf "-- r%d\n--\n-- Revision ID: r%06d\n-- Revises: %s\n\n-- migrate:upgrade\nSELECT %d;\n\n-- migrate:downgrade\nSELECT 0;\n",
			i, i, (i ? sprintf("r%06d", i - 1) : ""), i > f
		close(f)
	}
}'
t0=$SECONDS
run timeout 60 "$RETORT" heads
ok_rc 0 "100,000 scripts: heads exits 0"
is "$OUT" "r099999 (head)" "100,000 scripts: one head"
run timeout 60 "$RETORT" upgrade --sql r099990:r099999
ok_rc 0 "100,000 scripts: upgrade --sql of a range"
is "$(printf '%s\n' "$OUT" | grep -c '^-- Running upgrade')" 9 "... nine steps"
[ $((SECONDS - t0)) -lt 30 ]
t_result $? "100,000 scripts: in bounded time ($((SECONDS - t0)) s)"
# the same directory, every script broken: every problem, linear time
find versions -name '*.sql' -print0 | xargs -0 sed -i 's/^-- Revision ID:/-- Revision:/'
t0=$SECONDS
run timeout 60 "$RETORT" heads
ok_rc 2 "100,000 broken scripts: heads exits 2"
is "$(printf '%s\n' "$ERR" | grep -c "missing 'Revision ID' in the header")" 100000 \
	"... reporting each of them"
[ $((SECONDS - t0)) -lt 30 ]
t_result $? "100,000 broken scripts: in bounded time ($((SECONDS - t0)) s)"
cd "$T_DIR" && rm -rf "$big"

# ---- revision ids that look like SQL ----

fresh
printf -- "-- x\n--\n-- Revision ID: x'; DROP TABLE t; --\n-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n" >versions/x.sql
bad_input "a Revision ID that looks like SQL" "versions/x\\.sql:3: malformed Revision ID 'x'; DROP TABLE t; --'"

fresh
run "$RETORT" revision -m hi --rev-id "x'; DROP TABLE t; --"
ok_rc 2 "--rev-id that looks like SQL: exit 2"
like "$ERR" "--rev-id 'x'; DROP TABLE t; --': expected 1 to 32" "... malformed id"
is "$(ls versions | wc -l)" 0 "... and no script was written"

fresh
rev a1 "" "CREATE TABLE t (x INTEGER);"
rt upgrade
ok_rc 0 "a row that looks like SQL in the version table: upgrade a1 first"
evil="x'); DROP TABLE retort_history; --"
sqlite3 app.db "INSERT INTO retort_version VALUES ('x''); DROP TABLE retort_history; --')"
rt current
ok_rc 0 "current shows it"
like "$OUT" "^x'\\); DROP TABLE retort_history; -- \\(unknown: no script defines it\\)" "... as text, flagged unknown"
rt check
ok_rc 1 "check reports it (exit 1)"
like "$OUT" "the database is at revision 'x'\\); DROP TABLE retort_history; --', which no script defines" \
	"... quoting it"
rt upgrade
ok_rc 2 "upgrade refuses to plan from it (exit 2)"
rt stamp --purge a1
ok_rc 0 "stamp --purge a1 clears it"
is "$(sqlite3 app.db 'SELECT version_num FROM retort_version')" "a1" "... the version table holds a1"
is "$(sqlite3 app.db "SELECT heads_before FROM retort_history WHERE direction = 'stamp'")" "a1 $evil" \
	"... the ledger keeps the odd row verbatim (bound parameters)"
is "$(sqlite3 app.db "SELECT count(*) FROM retort_history")" 2 "... and the ledger table is intact"

# ---- version table names ----

fresh
rev a1 "" "SELECT 1;"
for name in 'a"b' "x; DROP TABLE y" "1abc" "" "$(printf 'a%.0s' $(seq 64))"; do
	run "$RETORT" --version-table "$name" upgrade
	ok_rc 2 "--version-table '${name:0:20}': exit 2"
	like "$ERR" "is not a valid table name" "... says it is not a valid table name"
done
[ ! -e app.db ]
t_result $? "... and no database was created"
printf '[retort]\nscript_location = .\ndatabase = sqlite:///app.db\nversion_table = a"b\n' >retort.ini
rt upgrade
ok_rc 2 "version_table = a\"b in retort.ini: exit 2"
like "$ERR" "retort\\.ini:4: invalid version_table" "... retort.ini:4:"

# ---- database URLs ----

fresh
rev a1 "" "CREATE TABLE t (x INTEGER);"
for url in "postgresql://u:s3cr%zzet@127.0.0.1:1/d" "postgresql://u:s3cret@[::1" \
	"postgresql://u:s3%00cret@127.0.0.1:1/d" "postgresql://u:s3cret@h/d?bogus=1"; do
	rt -d "$url" upgrade
	ok_rc 2 "malformed URL: exit 2 (${url%%@*}@…)"
	like "$ERR" "^malformed PostgreSQL URL 'postgresql://u:\\*\\*\\*\\*@" "... says so, password masked"
	unlike "$ERR" "s3c" "... the password appears nowhere"
done
for url in "mysql://u:s3cret@h/d" "file:app.db?mode=ro" "%00" " "; do
	rt -d "$url" upgrade
	ok_rc 2 "unsupported URL '$(url=${url//s3cret/…}; echo "$url")': exit 2"
	like "$ERR" "unsupported database URL" "... says so"
	unlike "$ERR" "s3cret" "... without the password"
done
rt -d "sqlite:///$P/odd name 'quote\";.db" upgrade
ok_rc 0 "a SQLite path with spaces and quotes: works"
is "$(sqlite3 "$P/odd name 'quote\";.db" "SELECT version_num FROM retort_version")" a1 \
	"... in exactly that file"

# ---- retort.ini, every malformed form ----

fresh
rev a1 "" "SELECT 1;"
ini_case() { # contents pattern description
	printf '%b' "$1" >retort.ini
	run timeout 10 "$RETORT" upgrade
	ok_rc 2 "retort.ini, $3: exit 2"
	like "$ERR" "$2" "retort.ini, $3: says where and why"
}
ini_case '[retort\n' "^retort\\.ini:1: malformed section header" "unclosed section header"
ini_case 'database = x.db\n' "^retort\\.ini:1: expected \\[retort\\]" "key before any section"
ini_case '[other]\nx = 1\n' "^retort\\.ini:1: unknown section '\\[other\\]'" "unknown section"
ini_case '[retort]\nnokey\n' "^retort\\.ini:2: malformed line" "line without ="
ini_case '[retort]\n= value\n' "^retort\\.ini:2: malformed line" "empty key"
ini_case '[retort]\nbogus = 1\n' "^retort\\.ini:2: unknown key 'bogus'" "unknown key"
ini_case '[retort]\nscript_location = .\nscript_location = .\n' "^retort\\.ini:3: duplicate key" "duplicate key"
ini_case '[retort]\nlock_timeout = soon\n' "^retort\\.ini:2: invalid lock_timeout" "lock_timeout not a number"
ini_case '[retort]\nlock_timeout = -1\n' "^retort\\.ini:2: invalid lock_timeout" "negative lock_timeout"
ini_case '[retort]\nlock_timeout = 99999999999999999999\n' "^retort\\.ini:2: invalid lock_timeout" "huge lock_timeout"
ini_case '[retort]\ntransaction_mode = maybe\n' "^retort\\.ini:2: invalid transaction_mode" "bad transaction_mode"
ini_case '[retort]\nproduction = perhaps\n' "^retort\\.ini:2: invalid production" "bad production"
ini_case '[retort]\ndatabase = ${UNCLOSED\n' "^retort\\.ini:2: unterminated '\\\$\\{'" "unterminated \${"
ini_case '[retort]\ndatabase = ${RETORT_TEST_NOT_SET_ANYWHERE}\n' "^retort\\.ini:2: environment variable 'RETORT_TEST_NOT_SET_ANYWHERE' is not set" "unset variable"
ini_case '[retort]\nversion_table = a"b\n' "^retort\\.ini:2: invalid version_table" "quoted version_table"
ini_case '\xff\xfe[retort]\n' "^retort\\.ini:1: not valid UTF-8" "not UTF-8"
ini_case '[retort]\nscript_location = .\0\n' "^retort\\.ini:2: contains a NUL byte" "NUL byte"
[ ! -e app.db ]
t_result $? "retort.ini errors: no database was ever created"
done_testing
