#!/bin/bash
# The claims of SECURITY.md that a scenario can check: libpq's TLS options
# reach libpq and pg_dump unchanged; the password reaches pg_dump in its
# environment and sslpassword in a private service file, never on its
# command line; no password in the messages of
# the new failure paths (interrupted, timed out, connection lost, a
# malformed URL) nor in the ledger; the lock file is private; and no
# source file runs a shell.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg

PW=$RETORT_PG_PW_PASSWORD
no_pw() { # description: nothing retort printed holds the password
	case "$OUT$ERR" in
	*"$PW"*) t_result 1 "$1: the password is not shown"; diag "$OUT" "$ERR" ;;
	*) t_result 0 "$1: the password is not shown" ;;
	esac
}

d="$T_DIR/sec"
mkrev "$d" s1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE t_s1 (id INTEGER);

-- migrate:downgrade
DROP TABLE t_s1;
EOF
mkrev "$d" s2 s1 <<'EOF'

-- migrate:upgrade
SELECT pg_sleep(30);

-- migrate:downgrade
EOF
project_of "$d"
newdb sec
base="postgresql://$RETORT_PG_PW_USER:$PW@127.0.0.1:$PGPORT/$DBN"

# ---- TLS options pass through (the test server has no TLS) ----
rt -d "$base?sslmode=disable" upgrade s1
ok_rc 0 "sslmode=disable: connects"
rt -d "$base?sslmode=require" current
ok_rc 1 "sslmode=require reaches libpq: a server without TLS is refused"
like "$ERR" "SSL" "... libpq says why (SSL)"
no_pw "sslmode=require"
rt -d "$base?sslmode=verify-full&sslrootcert=$T_DIR/none.crt" current
ok_rc 1 "sslmode=verify-full with sslrootcert reaches libpq"
like "$ERR" "SSL|root certificate" "... libpq speaks of SSL or the root certificate"
rt -d "postgresql+psycopg2://$RETORT_PG_PW_USER:$PW@127.0.0.1:$PGPORT/$DBN?sslmode=require" current
ok_rc 1 "a SQLAlchemy prefix is stripped, sslmode kept"
like "$ERR" "SSL" "... refused for want of SSL"
rt -d "host=127.0.0.1 port=$PGPORT dbname=$DBN user=$RETORT_PG_PW_USER password=$PW sslmode=require" current
ok_rc 1 "key=value conninfo: sslmode=require reaches libpq"
no_pw "key=value conninfo"

# pg_dump gets the same options and the password in PGPASSWORD, never in
# its arguments (visible to every user in ps): a stand-in records them
mkdir -p "$T_DIR/bin"
cat >"$T_DIR/bin/pg_dump" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T_DIR/pg_dump.args"
printf '%s' "\$PGPASSWORD" >"$T_DIR/pg_dump.pw"
echo "stand-in pg_dump" >&2
exit 3
EOF
chmod +x "$T_DIR/bin/pg_dump"
run env PATH="$T_DIR/bin:$PATH" "$RETORT" -d "$base?sslmode=disable&connect_timeout=7" backup "$T_DIR/b.sql"
ok_rc 1 "backup through a failing pg_dump: exit 1"
like "$ERR" "pg_dump failed \\(exit status 3\\)" "... says pg_dump failed"
no_pw "backup"
args=$(cat "$T_DIR/pg_dump.args")
like "$args" "sslmode='disable'" "pg_dump's conninfo keeps sslmode"
like "$args" "connect_timeout='7'" "... and connect_timeout"
unlike "$args" "$PW" "... and holds no password"
is "$(cat "$T_DIR/pg_dump.pw")" "$PW" "the password reaches pg_dump in PGPASSWORD"
[ ! -e "$T_DIR/b.sql" ]
t_result $? "a failed backup leaves no file behind"

# Every secret, not only the password: sslpassword (libpq reads it from
# no variable) reaches pg_dump in a private service file that exists only
# in memory, named by PGSERVICEFILE and PGSERVICE; the stand-in records
# that file and its mode while it runs.
SSLPW=ssl-s3cret-Xy
cat >"$T_DIR/bin/pg_dump" <<EOF
#!/bin/sh
printf '%s\n' "\$@" >"$T_DIR/pg_dump.args"
printf '%s' "\$PGPASSWORD" >"$T_DIR/pg_dump.pw"
printf '%s' "\$PGSERVICE" >"$T_DIR/pg_dump.service"
cat "\$PGSERVICEFILE" >"$T_DIR/pg_dump.servicefile"
stat -L -c %a "\$PGSERVICEFILE" >"$T_DIR/pg_dump.servicemode"
exit 3
EOF
rm -f "$T_DIR"/pg_dump.*
run env PATH="$T_DIR/bin:$PATH" "$RETORT" -d "$base?sslmode=disable&sslpassword=$SSLPW" backup "$T_DIR/b.sql"
ok_rc 1 "sslpassword: backup through the failing stand-in: exit 1"
args=$(cat "$T_DIR/pg_dump.args")
unlike "$args" "$SSLPW|sslpassword" "pg_dump's command line holds no sslpassword"
unlike "$args" "$PW" "... and no password"
like "$args" "sslmode='disable'" "... and keeps the other options"
is "$(cat "$T_DIR/pg_dump.pw")" "$PW" "the password reaches pg_dump in PGPASSWORD"
is "$(cat "$T_DIR/pg_dump.servicefile")" "[$(cat "$T_DIR/pg_dump.service")]
sslpassword=$SSLPW" "sslpassword reaches pg_dump in the service file PGSERVICE names"
is "$(cat "$T_DIR/pg_dump.servicemode")" 600 "... which is private (0600)"
case "$OUT$ERR" in *"$SSLPW"*) t_result 1 "backup's messages hold no sslpassword" ;;
*) t_result 0 "backup's messages hold no sslpassword" ;; esac
# key=value form, and a connection that uses a service of its own: a
# service file cannot name another, so backup refuses before pg_dump runs
rm -f "$T_DIR"/pg_dump.*
run env PATH="$T_DIR/bin:$PATH" "$RETORT" -d "host=127.0.0.1 port=$PGPORT dbname=$DBN user=$RETORT_PG_PW_USER password=$PW sslpassword=$SSLPW sslmode=disable" backup "$T_DIR/b.sql"
unlike "$(cat "$T_DIR/pg_dump.args")" "$SSLPW|$PW" "key=value conninfo: pg_dump's command line holds no secret"
like "$(cat "$T_DIR/pg_dump.servicefile")" "^sslpassword=$SSLPW\$" "... sslpassword in the service file"
rm -f "$T_DIR"/pg_dump.*
printf '[theirs]\nconnect_timeout=9\n' >"$T_DIR/theirs.conf"
run env PATH="$T_DIR/bin:$PATH" PGSERVICEFILE="$T_DIR/theirs.conf" PGSERVICE=theirs \
	"$RETORT" -d "$base?sslmode=disable&sslpassword=$SSLPW" backup "$T_DIR/b.sql"
ok_rc 1 "sslpassword with PGSERVICE set: backup refuses"
like "$ERR" "uses the service 'theirs'.*put sslpassword in that service's definition" "... and says why"
[ ! -e "$T_DIR/pg_dump.args" ] && [ ! -e "$T_DIR/b.sql" ]
t_result $? "... before pg_dump runs, leaving no file"
no_pw "the refusal"
# the real pg_dump reads the service file (PGSERVICE names a service it
# must find, or it fails)
run "$RETORT" -d "$base?sslmode=disable&sslpassword=$SSLPW" backup "$T_DIR/real.sql"
ok_rc 0 "a real backup with sslpassword in the URL succeeds"
like "$OUT" "and verified" "... and is verified"
like "$OUT" "^Backup of postgresql://$RETORT_PG_PW_USER:\*\*\*\*@.*sslpassword=\*\*\*\* written" \
	"... and the URL it shows has both secrets as ****"
unlike "$OUT$ERR" "$SSLPW|$PW" "... and neither secret"

# ---- no password in the messages of failure paths ----
URL="$base"
env --default-signal=INT "$RETORT" -v -d "$URL" upgrade s2 >"$T_DIR/int.out" 2>"$T_DIR/int.err" &
pid=$!
sleep 1
kill -INT $pid
wait $pid
RC=$?
OUT=$(cat "$T_DIR/int.out")
ERR=$(cat "$T_DIR/int.err")
ok_rc 130 "an interrupted run (-v)"
no_pw "an interrupted run"
rtd -v --statement-timeout 0.5 upgrade s2
ok_rc 1 "a statement timeout (-v)"
no_pw "a statement timeout"
rt -v -d "postgresql://$RETORT_PG_PW_USER:$PW@127.0.0.1:$PGPORT/$DBN?sslmode=bogus" current
no_pw "a bad sslmode"
rt -d "postgresql://$RETORT_PG_PW_USER:$PW%zz@127.0.0.1:$PGPORT/$DBN" current
ok_rc 2 "a malformed percent escape in the password: exit 2"
no_pw "a malformed password"
unlike "$ERR" "%zz" "... not even its malformed part"
rtd -v history --applied
no_pw "history --applied -v"
is "$(dbq "SELECT count(*) FROM retort_history WHERE concat_ws(' ', revision, direction, outcome,
	heads_before, heads_after, db_user, os_user, host, retort_version, error) LIKE '%$PW%'")" 0 \
	"no ledger row holds the password"

# ---- files and processes ----
dd="$T_DIR/lite"
mkdir -p "$dd"
printf '[retort]\nscript_location = %s\n' "$d" >"$dd/retort.ini"
(cd "$dd" && "$RETORT" -d "sqlite:///$dd/app.db" upgrade s1 >/dev/null 2>&1)
is "$(stat -c %a "$dd/app.db.lock")" 600 "the SQLite lock file is private (0600)"
hits=$(grep -rnE '\<(system|popen|execl|execlp)[[:space:]]*\(|/bin/sh' \
	"$TOP_SRCDIR/src" "$TOP_SRCDIR/ui" --include='*.c' --include='*.h')
is "$hits" "" "no source file runs a shell (system, popen, execl, /bin/sh)"
done_testing
