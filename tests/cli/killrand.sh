# tests/cli/killrand.sh: retort killed at random moments, written once for
# SQLite and PostgreSQL (sourced after tests/lib.sh and tests/cli/dbenv.sh
# by tests/cli/killrand_*.sh, after db_backend).
#
# A history of eight revisions, half of them `Transaction: none`, each
# making two tables with a pause between them. Each round starts an
# upgrade or a downgrade to a random revision and ends it at a random
# moment with SIGKILL, SIGINT or SIGTERM (and on PostgreSQL also by
# terminating its session). After each, the invariants:
# - no lock is left;
# - every revision but the one `status` calls interrupted has all of its
#   tables when the version table covers it, and none otherwise: the
#   version table names exactly the whole migrations;
# - when one is interrupted, the next upgrade refuses with the
#   interrupted-step message (never exit 0 on a half-done database), and
#   once it is put right by hand and resolved, everything is consistent;
# - now and then an upgrade runs to the end and completes.
# RETORT_KILLS rounds (default 30); RETORT_KILL_SEED repeats a run.

KR_ROUNDS=${RETORT_KILLS:-30}
KR_SEED=${RETORT_KILL_SEED:-$$}
RANDOM=$KR_SEED
KR_NONE=" 2 4 6 7 "

if [ "$BK" = pg ]; then
	KR_PAUSE='SELECT pg_sleep(0.03)'
else
	KR_PAUSE='WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT count(*) FROM c'
fi

kr_history() { # DIR
	local i parent="" extra
	for i in 1 2 3 4 5 6 7 8; do
		extra=""
		case $KR_NONE in *" $i "*) extra="Transaction: none" ;; esac
		mkrev "$1" "v$i" "$parent" "$extra" <<EOF

-- migrate:upgrade
CREATE TABLE t_v${i}_a (id INTEGER);
$KR_PAUSE;
CREATE TABLE t_v${i}_b (id INTEGER);

-- migrate:downgrade
DROP TABLE t_v${i}_b;
$KR_PAUSE;
DROP TABLE t_v${i}_a;
EOF
		parent=v$i
	done
}

# The version table's revision as a number (0 for none).
kr_at() {
	local v
	v=$(vrows)
	echo "${v#v}" | sed 's/^$/0/'
}

# What revision i's tables say: both, none, a or b.
kr_tables_of() { # i TABLES
	local a=0 b=0
	case " $2 " in *" t_v$1_a "*) a=1 ;; esac
	case " $2 " in *" t_v$1_b "*) b=1 ;; esac
	case $a$b in 11) echo both ;; 00) echo none ;; 10) echo a ;; *) echo b ;; esac
}

# The revision `status --json` reports unfinished, as a number, or "".
kr_unfinished() {
	"$RETORT" -d "$URL" --json status 2>/dev/null |
		grep -o '"unfinished":\[{"revision":"v[0-9]"' | grep -o '[0-9]"$' | tr -d '"'
}

# Checks that every revision but $1 agrees with the version table; sets
# KR_BAD to the revisions that do not.
kr_check() { # except
	local t at i want got
	t=$(tables)
	at=$(kr_at)
	KR_BAD=""
	for i in 1 2 3 4 5 6 7 8; do
		[ "$i" = "$1" ] && continue
		want=none
		[ "$i" -le "$at" ] && want=both
		got=$(kr_tables_of "$i" "$t")
		[ "$got" = "$want" ] || KR_BAD="$KR_BAD v$i:$got(want $want)"
	done
}

# Waits until nobody holds the lock (a killed client's PostgreSQL session
# ends within a second or so); false after 10 s.
kr_unlocked() {
	local n=0
	while [ $n -lt 100 ]; do
		rtd lock
		case $OUT in unlocked:*) return 0 ;; esac
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# Puts revision u right by hand one way or the other, and records it.
kr_resolve() { # u
	local u=$1 how
	if [ $((RANDOM % 2)) = 0 ]; then
		how=applied
		dbq "CREATE TABLE IF NOT EXISTS t_v${u}_a (id INTEGER)" >/dev/null 2>&1
		dbq "CREATE TABLE IF NOT EXISTS t_v${u}_b (id INTEGER)" >/dev/null 2>&1
	else
		how=reverted
		dbq "DROP TABLE IF EXISTS t_v${u}_b" >/dev/null 2>&1
		dbq "DROP TABLE IF EXISTS t_v${u}_a" >/dev/null 2>&1
	fi
	rtd resolve "v$u" "--$how"
	[ "$RC" = 0 ] || KR_FAIL="$KR_FAIL round $KR_ROUND: resolve v$u --$how: $RC $ERR;"
	KR_RESOLVED=$((KR_RESOLVED + 1))
}

kr_run() {
	local d="$T_DIR/killrand.$BK" round sig target at cmd pid rc u t0=$SECONDS
	local sigs="KILL INT TERM"
	[ "$BK" = pg ] && sigs="KILL INT TERM SESSION"
	kr_history "$d"
	project_of "$d"
	newdb killrand
	KR_FAIL="" KR_RESOLVED=0
	local kills=0 interrupted=0 refused=0 completed=0 lockfail=0
	for round in $(seq 1 "$KR_ROUNDS"); do
		KR_ROUND=$round
		at=$(kr_at)
		target=$((RANDOM % 9))
		[ "$target" = "$at" ] && target=$(((at + 4) % 9))
		if [ "$target" -gt "$at" ]; then
			cmd="upgrade v$target"
		else
			cmd="downgrade $([ "$target" = 0 ] && echo base || echo "v$target")"
		fi
		set -- $sigs
		shift $((RANDOM % $#))
		sig=$1
		env --default-signal=INT "$RETORT" -d "$URL" $cmd >"$T_DIR/kr.out" 2>"$T_DIR/kr.err" &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 400)))"
		if [ "$sig" = SESSION ]; then
			psql -X -q -A -t -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'retort $pid@$(uname -n)'" >/dev/null 2>&1
		else
			kill -"$sig" "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
		rc=$?
		kills=$((kills + 1))
		case $rc in
		0 | 1 | 130 | 137 | 143) ;;
		*) KR_FAIL="$KR_FAIL round $round: $cmd, $sig: exit $rc $(cat "$T_DIR/kr.err");" ;;
		esac
		kr_unlocked || { lockfail=$((lockfail + 1)); KR_FAIL="$KR_FAIL round $round: a lock is left;"; }

		u=$(kr_unfinished)
		kr_check "$u"
		[ -z "$KR_BAD" ] || KR_FAIL="$KR_FAIL round $round ($cmd, $sig at exit $rc): inconsistent but not reported:$KR_BAD (unfinished: '${u}');"
		if [ -n "$u" ]; then
			interrupted=$((interrupted + 1))
			case $KR_NONE in *" $u "*) ;; *) KR_FAIL="$KR_FAIL round $round: v$u is not a Transaction: none script;" ;; esac
			rtd upgrade head
			if [ "$RC" = 1 ] && printf '%s' "$ERR" | grep -Eq "^v$u (was interrupted during|failed part-way through) its (upgrade|downgrade)" &&
				printf '%s' "$ERR" | grep -q "nothing was run\.$"; then
				refused=$((refused + 1))
			else
				KR_FAIL="$KR_FAIL round $round: upgrade head on interrupted v$u: exit $RC $ERR;"
			fi
			kr_resolve "$u"
			kr_check ""
			[ -z "$KR_BAD" ] || KR_FAIL="$KR_FAIL round $round: after resolving v$u:$KR_BAD;"
			[ -z "$(kr_unfinished)" ] || KR_FAIL="$KR_FAIL round $round: still unfinished after resolve;"
		fi
		if [ $((round % 6)) = 0 ]; then
			rtd upgrade head
			if [ "$RC" = 0 ] && [ "$(kr_at)" = 8 ]; then
				completed=$((completed + 1))
			else
				KR_FAIL="$KR_FAIL round $round: a rerun did not complete: exit $RC $ERR;"
			fi
			kr_check ""
			[ -z "$KR_BAD" ] || KR_FAIL="$KR_FAIL round $round: after the rerun:$KR_BAD;"
		fi
	done
	diag "[$BK] seed $KR_SEED: $kills kills, $interrupted left a step half done (refused $refused, resolved $KR_RESOLVED), $completed reruns completed, $((SECONDS - t0)) s"
	is "$KR_FAIL" "" "[$BK] $KR_ROUNDS random kills (seed $KR_SEED): every invariant holds"
	is "$lockfail" 0 "[$BK] ... no lock was ever left behind"
	is "$refused" "$interrupted" "[$BK] ... every half-done step made the next upgrade refuse ($refused of $interrupted)"
	rtd upgrade head
	ok_rc 0 "[$BK] ... and at the end an upgrade completes"
	kr_check ""
	is "$KR_BAD" "" "[$BK] ... leaving every table of every revision"
	is_rows "v8" "after the random kills"
}
