#!/bin/sh
# pgserver.sh: a private, throwaway PostgreSQL cluster for the tests.
#
#   tests/pgserver.sh start DIR   create a cluster in DIR (created if missing),
#                                 start it, print the environment for eval
#   tests/pgserver.sh env DIR     print that environment again
#   tests/pgserver.sh stop DIR    stop it (removing DIR is the caller's job)
#
# The printed lines are `NAME=value; export NAME`, for
#   eval "$(tests/pgserver.sh start "$dir")"
# PGHOST=127.0.0.1, PGPORT (a free port), PGUSER=retort (a superuser,
# trusted on 127.0.0.1 and on the Unix socket in DIR), PGDATABASE=postgres,
# and RETORT_PG_PW_USER / RETORT_PG_PW_PASSWORD: a superuser that must give
# its password over TCP, for tests of password handling and masking.
#
# The server listens on 127.0.0.1 (and a Unix socket beside its data) and
# runs with fsync off. Its files (data/, server.log) live in DIR, except as
# root: PostgreSQL refuses to run as root, so the cluster then belongs to
# the unprivileged user $RETORT_PG_OS_USER (default retort-test, created
# when missing) and lives in a directory of its own under $TMPDIR, named
# in DIR/cluster and removed by stop.
# The server binaries: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin,
# else pg_ctl on PATH.
set -eu

PW_USER=retort_pw
PW_PASSWORD=s3cret-pw
OS_USER=${RETORT_PG_OS_USER:-retort-test}

die() {
	echo "pgserver.sh: $*" >&2
	exit 1
}

find_bindir() {
	if [ -n "${PG_BINDIR:-}" ]; then
		echo "$PG_BINDIR"
		return
	fi
	newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$newest" ] && [ -x "$newest/pg_ctl" ]; then
		echo "$newest"
		return
	fi
	if command -v pg_ctl >/dev/null 2>&1; then
		dirname "$(command -v pg_ctl)"
		return
	fi
	die "PostgreSQL server binaries not found (Debian: apt-get install postgresql; or set PG_BINDIR)"
}

# Runs a command as the cluster's owner.
as_owner() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
	elif command -v runuser >/dev/null 2>&1; then
		runuser -u "$OS_USER" -- "$@"
	else
		setpriv --reuid="$OS_USER" --regid="$OS_USER" --init-groups -- "$@"
	fi
}

ensure_os_user() {
	[ "$(id -u)" = 0 ] || return 0
	# parallel test runs may race to create it: useradd fails on a busy
	# /etc/passwd lock or an existing user, so check again after each try
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		id "$OS_USER" >/dev/null 2>&1 && return 0
		useradd --system --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin "$OS_USER" >/dev/null 2>&1 || sleep 0.3
	done
	id "$OS_USER" >/dev/null 2>&1 || die "could not create the user $OS_USER"
}

random_port() {
	n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((5400 + n % 4000))
}

print_env() {
	port=$(cat "$1/port" 2>/dev/null) || die "no server was started in $1"
	for kv in PGHOST=127.0.0.1 PGPORT="$port" PGUSER=retort \
		PGDATABASE=postgres RETORT_PG_PW_USER=$PW_USER \
		RETORT_PG_PW_PASSWORD=$PW_PASSWORD; do
		echo "$kv; export ${kv%%=*}"
	done
}

start() {
	dir=$1
	bindir=$(find_bindir)
	[ -x "$bindir/initdb" ] || die "$bindir/initdb not found"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ ! -e "$dir/cluster" ] || die "a server was started in $dir already"
	if [ "$(id -u)" = 0 ]; then
		# the server's user may not reach DIR (a root-only temporary
		# directory, typically): its files go to a directory of its own,
		# which stop removes
		ensure_os_user
		c=$(mktemp -d "${TMPDIR:-/tmp}/retort-pg.XXXXXX")
		chown "$OS_USER" "$c"
		as_owner test -w "$c" ||
			{ rm -rf "$c"; die "$OS_USER cannot reach $c"; }
	else
		c=$dir
	fi
	echo "$c" >"$dir/cluster"
	as_owner "$bindir/initdb" -D "$c/data" -U retort -A trust -E UTF8 \
		--locale=C --no-sync >"$c/initdb.log" 2>&1 ||
		{ cat "$c/initdb.log" >&2; die "initdb failed"; }
	cat >>"$c/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$c'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 50
password_encryption = 'scram-sha-256'
EOF
	cat >"$c/data/pg_hba.conf" <<EOF
local all all trust
host all $PW_USER 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
EOF
	tries=0
	while :; do
		port=$(random_port)
		if as_owner "$bindir/pg_ctl" -D "$c/data" -l "$c/server.log" \
			-o "-p $port" -w -t 60 start >/dev/null 2>&1; then
			break
		fi
		tries=$((tries + 1))
		if [ $tries -ge 20 ] ||
			! grep -q -e "already in use" -e "could not bind" \
				-e "could not create any TCP/IP" "$c/server.log"; then
			cat "$c/server.log" >&2
			die "the server did not start"
		fi
		: >"$c/server.log"
	done
	echo "$port" >"$dir/port"
	if ! "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" \
		-U retort -d postgres >/dev/null <<EOF
ALTER ROLE retort PASSWORD '$PW_PASSWORD';
CREATE ROLE $PW_USER LOGIN SUPERUSER PASSWORD '$PW_PASSWORD';
EOF
	then
		stop "$dir"
		die "could not create the roles"
	fi
	print_env "$dir"
}

stop() {
	dir=$1
	[ -f "$dir/cluster" ] || return 0
	c=$(cat "$dir/cluster")
	if [ -f "$c/data/postmaster.pid" ]; then
		bindir=$(find_bindir)
		as_owner "$bindir/pg_ctl" -D "$c/data" -m immediate -w stop \
			>/dev/null 2>&1 || die "could not stop the server in $c"
	fi
	[ "$c" = "$dir" ] || rm -rf "$c"
	rm -f "$dir/cluster" "$dir/port"
}

# Our own PG* settings must not steer initdb, pg_ctl or psql elsewhere.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE \
	PGSERVICE PGSERVICEFILE PGOPTIONS PGDATA PGSSLMODE PGCONNECT_TIMEOUT

[ $# -eq 2 ] || die "usage: pgserver.sh start|env|stop DIR"
case $1 in
start) start "$2" ;;
env) print_env "$2" ;;
stop) stop "$2" ;;
*) die "usage: pgserver.sh start|env|stop DIR" ;;
esac
