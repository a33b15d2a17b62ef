#!/bin/bash
# The main commands under valgrind (memcheck) on the demo with SQLite, a
# PostgreSQL URL with no server or no client library, and SQLite with no
# usable library: no invalid read or write, no use of uninitialised
# memory, no leak ("definitely" or "possibly" lost). Skipped when valgrind
# is missing and in a sanitizer build (AddressSanitizer and valgrind
# exclude each other).
. "$TOP_SRCDIR/tests/lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if grep -q AddressSanitizer "$RETORT"; then
	echo "1..0 # SKIP a sanitizer build cannot run under valgrind"
	exit 0
fi

# vg WANT-STATUS ARGS...: retort ARGS under valgrind; its exit status and
# a clean report.
vg() {
	local want=$1
	shift
	run valgrind -q --leak-check=full --error-exitcode=99 --log-file="$T_DIR/vg.log" \
		"$RETORT" "$@"
	local what="valgrind: retort $*"
	ok_rc "$want" "$what: exit $want"
	if grep -q . "$T_DIR/vg.log"; then
		t_result 1 "$what: clean"
		diag "$(head -n 40 "$T_DIR/vg.log")"
	else
		t_result 0 "$what: clean"
	fi
}

project
vg 0 heads
vg 0 history --graph
vg 0 show dd1123f32f48
vg 0 upgrade --sql heads
vg 0 upgrade heads
vg 1 check
vg 0 history --applied
vg 0 current -v
vg 1 lint
vg 0 downgrade base
vg 0 stamp heads

# failure paths: a failing migration, a statement timeout, a damaged graph
mkdir -p bad/versions
printf -- '-- f\n--\n-- Revision ID: f1\n-- Revises:\n\n-- migrate:upgrade\nINSERT INTO nowhere VALUES (1);\n' \
	>bad/versions/f1.sql
printf -- '-- s\n--\n-- Revision ID: s1\n-- Revises: f1\n\n-- migrate:upgrade\n%s\n' \
	'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;' \
	>bad/versions/s1.sql
vg 1 -s bad -d "sqlite:///$T_DIR/bad.db" upgrade f1
sed -i 's/^INSERT INTO nowhere VALUES (1);$/SELECT 1;/' bad/versions/f1.sql
vg 1 -s bad -d "sqlite:///$T_DIR/bad.db" --statement-timeout 0.5 upgrade s1
printf -- '-- x\n--\n-- Revision ID: x1\n-- Revises: nowhere\n' >bad/versions/x1.sql
vg 2 -s bad -d "sqlite:///$T_DIR/bad.db" upgrade heads
# PostgreSQL: its client library loaded, no server; and not loadable
vg 1 -d "postgresql:///app?host=$T_DIR&port=1" current
RETORT_LIBPQ=/nonexistent/libpq.so.5 vg 1 -d "postgresql:///app?host=$T_DIR" current
# SQLite: its library not loadable, or not SQLite
RETORT_LIBSQLITE3=/nonexistent/libsqlite3.so.0 vg 1 current
RETORT_LIBSQLITE3=libm.so.6 vg 1 backup "$T_DIR/copy.db"
done_testing
