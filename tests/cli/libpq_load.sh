#!/bin/bash
# libpq is opened at run time, the first time PostgreSQL is used: the
# binary does not link it (nor TLS, Kerberos, LDAP), SQLite and the
# offline commands work without it, and a PostgreSQL URL whose library
# cannot be loaded fails with a message naming the library and its Debian
# package, exit 1, nothing written. RETORT_LIBPQ names another file.
. "$TOP_SRCDIR/tests/lib.sh"

if command -v readelf >/dev/null 2>&1; then
	needed=$(readelf -d "$RETORT" | grep NEEDED)
	like "$needed" 'libc\.so' "the binary's libraries are readable (libc among them)"
	unlike "$needed" 'libpq|libssl|libcrypto|krb5|gssapi|ldap|gnutls' \
		"the binary needs no libpq, TLS, Kerberos or LDAP library"
fi

export RETORT_LIBPQ=/nonexistent/libpq.so.5
project

# ---- without libpq: everything that is not PostgreSQL ----
rt heads
ok_rc 0 "no libpq: heads"
rt upgrade heads
ok_rc 0 "no libpq: upgrade heads on SQLite"
rt current
ok_rc 0 "no libpq: current on SQLite"
like "$OUT" 'dd1123f32f48' "... shows the applied heads"
PGDB="postgresql://app:s3cret-pw@127.0.0.1:1/app"
rt -d "$PGDB" upgrade --sql heads
ok_rc 0 "no libpq: upgrade --sql for PostgreSQL (never connects)"
like "$OUT" 'CREATE TABLE IF NOT EXISTS "retort_version"' "... writes the script"

# ---- a PostgreSQL URL: the clear error, nothing written ----
printf 'schema = schema.sql\n' >> retort.ini
printf 'CREATE TABLE drift (id integer);\n' > schema.sql
snapshot() { find . -newer "$T_DIR/mark" -print | sort; ls -R . | cksum; }
touch "$T_DIR/mark"
sleep 1
BEFORE=$(snapshot)
for cmd in "current" "upgrade heads" "downgrade -1" "stamp heads" "check" \
	"history --applied" "revision --autogenerate --head dd1123f32f48 -m drift"; do
	rt -d "$PGDB" $cmd
	ok_rc 1 "libpq missing: $cmd exits 1 (a database error)"
	like "$ERR" "^cannot load libpq, the PostgreSQL client library, from RETORT_LIBPQ=$RETORT_LIBPQ \\(.*No such file.*\\).*Debian package libpq5" \
		"... $cmd names the library, why, and the package"
	is "$OUT" "" "... $cmd prints nothing on standard output"
	unlike "$ERR" 's3cret-pw' "... $cmd shows no password"
done
is "$(snapshot)" "$BEFORE" "libpq missing: no file was created or changed"

# A key=value conninfo and a PG* environment are PostgreSQL too.
rt -d "host=/nonexistent dbname=app" current
ok_rc 1 "libpq missing: a key=value conninfo fails the same way"
like "$ERR" "^cannot load libpq" "... with the same message"

# A file that is not a shared library, and one that is not libpq.
printf 'not a library\n' > "$T_DIR/libpq.so.5"
RETORT_LIBPQ="$T_DIR/libpq.so.5" rt -d "$PGDB" current
ok_rc 1 "RETORT_LIBPQ at a text file: exit 1, no crash"
like "$ERR" "^cannot load libpq.*RETORT_LIBPQ=$T_DIR/libpq.so.5" "... says which file"
RETORT_LIBPQ=libm.so.6 rt -d "$PGDB" current
ok_rc 1 "RETORT_LIBPQ at a library that is not libpq: exit 1"
like "$ERR" "^libm.so.6 is not a usable libpq: it has no PQ" "... says what it lacks"

# ---- RETORT_LIBPQ at the real library: it is used ----
real=$(ldconfig -p 2>/dev/null | awk '$1 == "libpq.so.5" { print $NF; exit }')
if [ -n "$real" ] && [ -r "$real" ]; then
	RETORT_LIBPQ=$real rt -d "postgresql:///app?host=$T_DIR&port=1" current
	ok_rc 1 "RETORT_LIBPQ=$real: libpq is loaded and tries the server"
	unlike "$ERR" "cannot load" "... no load error"
	like "$ERR" "$T_DIR/.s.PGSQL.1" "... libpq's own message about the socket"
else
	echo "# no libpq.so.5 in the linker cache: RETORT_LIBPQ at the real file not tried"
fi
unset RETORT_LIBPQ
rt -d "postgresql:///app?host=$T_DIR&port=1" current
ok_rc 1 "no RETORT_LIBPQ: the system's libpq is loaded and tries the server"
like "$ERR" "$T_DIR/.s.PGSQL.1" "... libpq's own message about the socket"
done_testing
