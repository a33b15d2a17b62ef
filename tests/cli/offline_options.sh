#!/bin/bash
# Global options anywhere, -s, -c, help for every command, --version,
# usage errors, and retort.ini errors for every command that reads it.
. "$TOP_SRCDIR/tests/lib.sh"

project
rt heads
HEADS=$OUT
is "$HEADS" "dd1123f32f48 (reporting) (head)
453fe4207322 (notifications) (head)" "heads in the project"

rt --json heads
JSON_BEFORE=$OUT
rt heads --json
is "$OUT" "$JSON_BEFORE" "--json before or after the command: the same output"
like "$OUT" '^\{"heads":\[' "--json: a JSON document"
printf '%s' "$OUT" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null
t_result $? "--json: valid JSON"

rt -v heads
V_BEFORE=$OUT
rt heads --verbose
is "$OUT" "$V_BEFORE" "-v before, --verbose after: the same output"
like "$OUT" '^Rev: dd1123f32f48' "-v: the verbose form"

# -s DIR, in every spelling, before and after the command.
LIN="$TOP_SRCDIR/tests/data/linear"
for form in "-s $LIN heads" "heads -s $LIN" "--scripts $LIN heads" "heads --scripts=$LIN" "-s$LIN heads"; do
	rt $form
	is "$OUT" "l5 (head)" "scripts option: retort $form" 
done

# -c FILE: another configuration, which must exist.
mkdir other
printf '[retort]\nscript_location = %s\n' "$LIN" > other/conf.ini
rt -c other/conf.ini heads
ok_rc 0 "-c FILE: exit 0"
is "$OUT" "l5 (head)" "-c FILE: its script_location is used"
rt heads --config other/conf.ini
is "$OUT" "l5 (head)" "--config FILE after the command"
rt -c other/conf.ini -s . heads
is "$OUT" "$HEADS" "-s overrides the configuration's script_location"
rt -c other/missing.ini heads
ok_rc 2 "-c of a missing file: exit 2"
is "$ERR" "other/missing.ini: No such file or directory" "-c of a missing file: says so"
rt heads -c
ok_rc 2 "-c without a value: exit 2"
is "$ERR" "retort: option '-c' needs a value" "-c without a value: says so"

# No configuration: script_location defaults to migrations.
mkdir -p "$T_DIR/bare" && cd "$T_DIR/bare" || exit 1
rt heads
ok_rc 2 "no scripts directory: exit 2"
is "$ERR" "migrations/versions: no such scripts directory; run 'retort init' or pass --scripts DIR" \
	"no scripts directory: says what to do"
cp -R "$TOP_SRCDIR/migrations" migrations
rt heads
is "$OUT" "$HEADS" "no retort.ini: migrations/ by default"
cd "$P" || exit 1

# ---- usage errors ----
rt frobnicate
ok_rc 2 "unknown command: exit 2"
is "$ERR" "retort: unknown command 'frobnicate'; see 'retort --help'" "unknown command: says so"
rt --frobnicate heads
ok_rc 2 "unknown global option: exit 2"
is "$ERR" "retort: unknown option '--frobnicate'; see 'retort --help'" "unknown global option: says so"
rt heads --frobnicate
ok_rc 2 "unknown command option: exit 2"
is "$ERR" "retort heads: unknown option '--frobnicate'
see 'retort heads -h'" "unknown command option: says so"
rt history -Z
ok_rc 2 "unknown short option: exit 2"
is "$ERR" "retort history: unknown option '-Z'
see 'retort history -h'" "unknown short option: says so"
rt history -r
ok_rc 2 "option without its value: exit 2"
is "$ERR" "retort history: option '-r' needs a value
see 'retort history -h'" "option without its value: says so"
rt help frobnicate
ok_rc 2 "help of an unknown command: exit 2"
is "$ERR" "retort help: unknown command 'frobnicate'; see 'retort --help'" "help of an unknown command: says so"
rt </dev/null
ok_rc 2 "no command, not on a terminal: exit 2"
like "$ERR" '^usage: retort ' "no command: the usage on stderr"

# ---- help ----
rt --help
ok_rc 0 "--help: exit 0"
like "$OUT" '^usage: retort \[global options\] COMMAND' "--help: the usage"
COMMANDS=$(printf '%s\n' "$OUT" | sed -n '/^commands:$/,/^$/p' | awk 'NF && $1 != "commands:" {print $1}')
like "$COMMANDS" '^history$' "--help lists the commands"
for cmd in $COMMANDS; do
	rt "$cmd" -h
	ok_rc 0 "$cmd -h: exit 0"
	like "$OUT" "^usage: retort $cmd( |\$)" "$cmd -h: prints its usage"
	rt --help "$cmd"
	like "$OUT" "^usage: retort $cmd( |\$)" "--help $cmd: the same"
	rt help "$cmd"
	like "$OUT" "^usage: retort $cmd( |\$)" "help $cmd: the same"
done
rt revision -h
like "$OUT" '^  -m, --message MSG ' "revision -h: lists its options"
like "$OUT" '^      --splice ' "revision -h: long-only options too"

rt --version
ok_rc 0 "--version: exit 0"
like "$OUT" '^retort [0-9]+\.[0-9]+' "--version: name and version"
rt heads --version
like "$OUT" '^retort [0-9]+\.[0-9]+' "--version after a command"

# ---- retort.ini errors ----
# Every command that reads the configuration refuses a broken one with
# retort.ini:LINE: and exit 2 before doing anything. init never reads it
# (it refuses to overwrite it); the faces (tui, shell) are left out here.
printf '[retort]\nscript_location = .\nscript_locaton = typo\ndatabase = sqlite:///app.db\n' > retort.ini
for cmd in $COMMANDS; do
	case $cmd in init | tui | shell) continue ;; esac
	rt "$cmd" </dev/null
	ok_rc 2 "unknown key, $cmd: exit 2"
	like "$ERR" "^retort\\.ini:3: unknown key 'script_locaton'" "unknown key, $cmd: retort.ini:3:"
done
[ ! -e app.db ]
t_result $? "unknown key: no database file created"

printf '[retort]\nscript_location = .\n\nthis line has no equals sign\ndatabase = sqlite:///app.db\n' > retort.ini
for cmd in heads history show upgrade current revision; do
	rt "$cmd" head </dev/null
	ok_rc 2 "malformed line, $cmd: exit 2"
	is "$ERR" "retort.ini:4: malformed line, expected key = value" "malformed line, $cmd: retort.ini:4:"
done
[ ! -e app.db ]
t_result $? "malformed line: no database file created"
rt -c retort.ini -s . heads
ok_rc 2 "malformed -c FILE: exit 2"
like "$ERR" '^retort\.ini:4: ' "malformed -c FILE: the file and line"
cp retort.ini other/broken.ini
rt -c other/broken.ini heads
like "$ERR" '^other/broken\.ini:4: ' "-c FILE errors name that file"

# ---- --sql and the database URL ----
# --sql writes in the configured database's dialect, SQLite when none is
# configured; a URL that is given but cannot be read is an error naming
# where it came from (exit 2, nothing written), never SQLite.
sq="$T_DIR/sqldialect"
mkdir -p "$sq/versions"
cat >"$sq/versions/n1.sql" <<'EOF2'
-- A function
--
-- Revision ID: n1
-- Revises:

-- migrate:upgrade
CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;

-- migrate:downgrade
DROP FUNCTION one();
EOF2
printf '[retort]\nscript_location = .\n' >"$sq/retort.ini"
cd "$sq" || exit 1
rt upgrade --sql
ok_rc 0 "--sql with no database configured: exit 0"
like "$OUT" '^\$\$ LANGUAGE sql;$' "... in SQLite's dialect (a dollar quote is not a string)"
rt -d "postgresql://u@127.0.0.1:1/x" upgrade --sql
like "$OUT" '^CREATE FUNCTION one\(\) RETURNS int AS \$\$ SELECT 1; \$\$ LANGUAGE sql;$' \
	"--sql with a PostgreSQL URL: PostgreSQL's dialect"
rt -d "mysql://u:pw-hidden@h/db" upgrade --sql
is "$RC:$OUT" "2:" "--sql with an unparsable --database: exit 2, nothing written"
like "$ERR" "^--database: unsupported database URL 'mysql://u:\*\*\*\*@h/db'" \
	"... the error names --database and masks the password"
run env RETORT_DATABASE_URL="postgres:/nope" "$RETORT" upgrade --sql
is "$RC:$OUT" "2:" "--sql with an unparsable RETORT_DATABASE_URL: exit 2, nothing written"
like "$ERR" "^RETORT_DATABASE_URL: unsupported database URL" "... the error names RETORT_DATABASE_URL"
run env DATABASE_URL="bogus" "$RETORT" downgrade --sql n1:base
is "$RC:$OUT" "2:" "downgrade --sql with an unparsable DATABASE_URL: exit 2, nothing written"
like "$ERR" "^DATABASE_URL: unsupported database URL 'bogus'" "... the error names DATABASE_URL"
printf '[retort]\nscript_location = .\ndatabase = not a url\n' >"$sq/retort.ini"
rt stamp --sql n1
is "$RC:$OUT" "2:" "stamp --sql with an unparsable database in retort.ini: exit 2, nothing written"
like "$ERR" "^retort\.ini: unsupported database URL 'not a url'" "... the error names retort.ini"
rt current
like "$RC:$ERR" "^2:retort\.ini: unsupported database URL" "current names it too"
cd "$T_DIR" || exit 1

# Output that cannot be written is a failure, not a silent success.
project
"$RETORT" history >/dev/full 2>"$T_DIR/full.err"
is "$?:$(cat "$T_DIR/full.err")" "1:retort: writing the output failed (a full disk?)" \
	"history into a full device (/dev/full): exit 1, said"
"$RETORT" --json history >/dev/full 2>/dev/null
is "$?" 1 "--json history into a full device: exit 1"

# A reader that stops reading (head) ends retort quietly with exit 1: no
# death by SIGPIPE (141), no message. A pipe whose reader is gone before
# anything is written makes it certain: a FIFO opened for writing while
# a reader existed, that reader then closed.
mkfifo "$T_DIR/gone"
exec 7<>"$T_DIR/gone" 8>"$T_DIR/gone" 7<&-
"$RETORT" history >&8 2>"$T_DIR/gone.err"
is "$?:$(cat "$T_DIR/gone.err")" "1:" "history into a pipe nobody reads: exit 1, nothing said"
"$RETORT" --json history >&8 2>"$T_DIR/gone.err"
is "$?:$(cat "$T_DIR/gone.err")" "1:" "--json history into a pipe nobody reads: exit 1, nothing said"
exec 8>&-
# history | head -1 on a history longer than a pipe holds (3,000 lines)
big="$T_DIR/big"
mkdir -p "$big/versions"
prev=""
for i in $(seq 1 3000); do
	printf -- '-- Step %s of a long history\n--\n-- Revision ID: r%s\n-- Revises: %s\n\n-- migrate:upgrade\n' \
		"$i" "$i" "$prev" >"$big/versions/r$i.sql"
	prev=r$i
done
"$RETORT" -s "$big" history 2>"$T_DIR/head.err" | head -n 1 >"$T_DIR/head.out"
st=${PIPESTATUS[0]}
is "$st:$(cat "$T_DIR/head.out"):$(cat "$T_DIR/head.err")" \
	"1:r2999 -> r3000 (head), Step 3000 of a long history:" \
	"history | head -1 on 3,000 revisions: head's line, retort exits 1 quietly (not 141)"

done_testing
