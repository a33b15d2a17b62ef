#!/bin/sh
# db_pg.sh: the PostgreSQL backend's unit test against a private server.
# Without PostgreSQL this fails rather than skips: CI must install it.
set -u
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOP_BUILDDIR:=.}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-pg-XXXXXX") || exit 1
cleanup() {
	"$TOP_SRCDIR/tests/pgserver.sh" stop "$tmp" >/dev/null 2>&1
	rm -rf "$tmp" "$tmp.err"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

if ! env=$("$TOP_SRCDIR/tests/pgserver.sh" start "$tmp" 2>"$tmp.err"); then
	echo "not ok 1 - start a private PostgreSQL server"
	sed 's/^/# /' "$tmp.err"
	echo "1..1"
	exit 1
fi
eval "$env"
"$TOP_BUILDDIR/tests/unit/test_db_pg"
exit $?
