#!/bin/bash
# RETORT_LIBPQ and RETORT_LIBSQLITE3 name code that retort loads; in a
# process whose privileges were raised (here a setuid-root copy of retort
# run by an unprivileged user) they are ignored, as secure_getenv ignores
# them, and the system's libraries are used. Without raised privileges the
# same copy honours them (libpq_load.sh and libsqlite3_load.sh test them at
# length). Needs root (to make the setuid copy) and a file system and
# process that honour the setuid bit; skipped otherwise.
. "$TOP_SRCDIR/tests/lib.sh"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root to make a setuid copy of retort"
	exit 0
fi
if grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status 2>/dev/null; then
	echo "1..0 # SKIP no_new_privs is set: the setuid bit would not take effect"
	exit 0
fi
if ! command -v setpriv >/dev/null 2>&1; then
	echo "1..0 # SKIP setpriv (util-linux) is not installed"
	exit 0
fi
NOBODY=65534
as_nobody() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups -- "$@"; }

chmod 711 "$T_DIR"
mkdir -p "$T_DIR/bin" "$T_DIR/p/migrations/versions"
cp "$RETORT" "$T_DIR/bin/retort"
chmod 4755 "$T_DIR/bin/retort"
chmod 755 "$T_DIR/bin" "$T_DIR/p" "$T_DIR/p/migrations" "$T_DIR/p/migrations/versions"
SUID=$T_DIR/bin/retort
cd "$T_DIR/p" || exit 1
as_nobody "$SUID" --version >/dev/null 2>&1 || {
	echo "1..0 # SKIP an unprivileged user cannot run the setuid copy"
	exit 0
}
# a plain copy, to show what the variables do where they apply
cp "$RETORT" "$T_DIR/bin/plain"
chmod 755 "$T_DIR/bin/plain"
PLAIN=$T_DIR/bin/plain

MISSING=/nonexistent/lib.so
run as_nobody env RETORT_LIBSQLITE3=$MISSING "$PLAIN" -d sqlite::memory: current
ok_rc 1 "without raised privileges RETORT_LIBSQLITE3 applies: a missing file fails"
like "$ERR" "from RETORT_LIBSQLITE3=$MISSING" "... naming the variable"
run as_nobody env RETORT_LIBSQLITE3=$MISSING "$SUID" -d sqlite::memory: current
ok_rc 0 "setuid: RETORT_LIBSQLITE3 is ignored, the system's libsqlite3 is used"
is "$ERR" "" "... nothing said"

# libpq: a server that is not there, so that libpq itself answers
PGBOGUS="postgresql://u@127.0.0.1:1/x?connect_timeout=2"
run as_nobody env RETORT_LIBPQ=$MISSING "$PLAIN" -d "$PGBOGUS" current
ok_rc 1 "without raised privileges RETORT_LIBPQ applies: a missing file fails"
like "$ERR" "RETORT_LIBPQ=$MISSING" "... naming the variable"
run as_nobody env RETORT_LIBPQ=$MISSING "$SUID" -d "$PGBOGUS" current
ok_rc 1 "setuid: RETORT_LIBPQ is ignored, the system's libpq is used"
unlike "$ERR" "RETORT_LIBPQ" "... the variable is not mentioned"
like "$ERR" "127\\.0\\.0\\.1|onnection refused" "... and libpq says that nothing listens"
done_testing
