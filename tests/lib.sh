# tests/lib.sh: TAP helpers for the scenario tests (sourced, POSIX sh +
# bash features). Each test file: `. "$TOP_SRCDIR/tests/lib.sh"`, then
# checks, then `done_testing`.
#
# RETORT, TOP_SRCDIR and TOP_BUILDDIR come from `make check`; when a test is
# run by hand they default to the build tree the caller is in.
set -u
: "${TOP_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOP_BUILDDIR:=$PWD}"
: "${RETORT:=$TOP_BUILDDIR/retort}"
export LC_ALL=C.UTF-8 NO_COLOR=1
unset RETORT_DATABASE_URL DATABASE_URL PGDATABASE PGHOST PGPORT PGUSER PGPASSWORD

T_N=0
T_FAILED=0
T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/retort-test.XXXXXX")
T_CLEANUP=""
trap 't_cleanup' EXIT

t_cleanup() {
	eval "$T_CLEANUP"
	rm -rf "$T_DIR"
}

# Registers a shell command to run at exit (before the temp dir goes).
at_exit() { T_CLEANUP="$1; $T_CLEANUP"; }

t_result() { # status description
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

diag() { printf '%s\n' "$@" | sed 's/^/#   /'; }

# run CMD...: runs a command; sets OUT, ERR and RC (never fails itself).
run() {
	"$@" >"$T_DIR/.out" 2>"$T_DIR/.err"
	RC=$?
	OUT=$(cat "$T_DIR/.out")
	ERR=$(cat "$T_DIR/.err")
	return 0
}

# rt ARGS...: run retort.
rt() { run "$RETORT" "$@"; }

is() { # got want description
	if [ "$1" = "$2" ]; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		diag "got:" "$1" "want:" "$2"
	fi
}

like() { # text extended-regex description
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		t_result 0 "$3"
	else
		t_result 1 "$3"
		diag "no match for /$2/ in:" "$1"
	fi
}

unlike() { # text extended-regex description
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		t_result 1 "$3"
		diag "unexpected match for /$2/ in:" "$1"
	else
		t_result 0 "$3"
	fi
}

ok_rc() { # want description   (checks $RC of the last run)
	if [ "$RC" -eq "$1" ]; then
		t_result 0 "$2"
	else
		t_result 1 "$2"
		diag "exit status $RC, want $1" "stdout:" "$OUT" "stderr:" "$ERR"
	fi
}

done_testing() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# A fresh project directory with a copy of a fixture's versions/ (or the
# demo's when no argument): cd's into it.
project() { # [fixture-dir-containing-versions]
	local src="${1:-$TOP_SRCDIR/migrations}"
	P="$T_DIR/p$T_N.$RANDOM"
	mkdir -p "$P"
	cp -R "$src/versions" "$P/versions"
	printf '[retort]\nscript_location = .\ndatabase = sqlite:///app.db\n' > "$P/retort.ini"
	cd "$P" || exit 1
}

# chain_scripts DIR N: N scripts in DIR (created), one chain: revision
# r0001 … (r%04d), message "Step I", each creating its table t_rI.
chain_scripts() {
	local dir=$1 n=$2 i id prev=""
	mkdir -p "$dir"
	for i in $(seq 1 "$n"); do
		id=$(printf 'r%04d' "$i")
		printf -- '-- Step %d\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade\nCREATE TABLE t_%s (id INTEGER);\n-- migrate:downgrade\nDROP TABLE t_%s;\n' \
			"$i" "$id" "$prev" "$id" "$id" >"$dir/$id.sql"
		prev=$id
	done
}

# sqlq DB SQL: one query through the sqlite3 shell, rows as a|b lines.
sqlq() { sqlite3 -batch "$1" "$2"; }

# pg_start: a private PostgreSQL server for this test file; exports PG*
# and PGURL (a URL with a password, to check masking).
pg_start() {
	local env
	# As root the server runs as another user, who must reach this dir.
	chmod 711 "$T_DIR"
	env=$("$TOP_SRCDIR/tests/pgserver.sh" start "$T_DIR/pg") || {
		echo "Bail out! cannot start PostgreSQL"
		exit 1
	}
	eval "$env"
	export PGHOST PGPORT PGUSER PGDATABASE
	at_exit "'$TOP_SRCDIR/tests/pgserver.sh' stop '$T_DIR/pg' >/dev/null 2>&1"
}

# pg_newdb NAME: creates a database; sets PGURL to it.
pg_newdb() {
	psql -q -X -d postgres -c "CREATE DATABASE \"$1\"" >/dev/null || return 1
	PGURL="postgresql://$PGUSER:${PGPASSWORD_TEST:-s3cret-pw}@$PGHOST:$PGPORT/$1"
}
