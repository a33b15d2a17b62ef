#!/bin/bash
# Fleets on several databases of the real PostgreSQL server the test
# starts: a fleet run with a target that fails mid-run (no new target
# starts; --keep-going finishes the others), `fleet --json` against each
# database's tables, a group rolled back alone, a failing canary, a target
# that is locked, unreachable targets (a closed port, a server that never
# answers: bounded by the connect timeout; the password never shown), and
# SIGINT in the middle of a fleet run (every target whole, no lock left).
. "$TOP_SRCDIR/tests/lib.sh"
pg_start

pgq() { psql -X -q -At -d "$1" -c "$2" 2>/dev/null; }
ver() { pgq "$1" "SELECT string_agg(version_num, ' ' ORDER BY version_num) FROM retort_version"; }
tables() { pgq "$1" "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_l%'"; }

project "$TOP_SRCDIR/tests/data/linear"
printf '[retort]\nscript_location = .\n' >retort.ini
# the password user: the password is needed, and must never be shown
PW="$RETORT_PG_PW_PASSWORD"
for i in 1 2 3 4 5 6; do
	pg_newdb "f$i" || { echo "Bail out! cannot create database f$i"; exit 1; }
	g=eu
	[ "$i" -gt 3 ] && g=us
	printf '[target f%d]\ndatabase = postgresql://%s:%s@%s:%s/f%d\ngroup = %s\n\n' \
		"$i" "$RETORT_PG_PW_USER" "$PW" "$PGHOST" "$PGPORT" "$i" "$g" >>retort.ini
done

# ---- a target that fails mid-run ----
pgq f5 "CREATE TABLE t_l3 (x INTEGER)"
rt upgrade --target all --parallel 1
ok_rc 1 "a target that fails: exit 1"
like "$OUT" "^f5  Running upgrade l2 -> l3, Create table t_l3 \.\.\. FAILED" "... its step shown, prefixed"
like "$OUT" "6 targets: 4 done, 1 failed, 0 interrupted, 1 not started" "... no new target started after it"
is "$(ver f4) $(ver f5) $(pgq f6 "SELECT to_regclass('retort_version') IS NULL")" "l5 l2 t" \
	"f4 at head, f5 where its failing step left it, f6 untouched"
rt upgrade --target all --parallel 4 --keep-going
ok_rc 1 "--keep-going: exit 1 still"
like "$OUT" "6 targets: 5 done, 1 failed" "... the others all ran"
is "$(ver f6) $(tables f6)" "l5 t_l1 t_l2 t_l3 t_l4 t_l5" "f6 is at head with its tables"
unlike "$OUT$ERR" "$PW" "the password is never shown"

# ---- fleet --json against the databases ----
rt fleet --json
ok_rc 0 "fleet --json: exit 0"
printf '%s' "$OUT" >fleet.json
for i in 1 2 3 4 5 6; do echo "f$i $(ver f$i)"; done >real.txt
python3 - fleet.json real.txt <<'EOF' >check.txt
import json, sys
fleet = json.load(open(sys.argv[1]))["targets"]
real = dict(l.split() for l in open(sys.argv[2]))
bad = []
for t in fleet:
    pending = 5 - int(real[t["name"]][1:])
    if (t["current"] != [real[t["name"]]] or t["pending"] != pending or
            t["state"] != ("up to date" if pending == 0 else "behind") or
            t["backend"] != "postgresql" or "****" not in t["database"]):
        bad.append(t["name"])
print(len(fleet), "targets", "bad:", " ".join(bad) or "none")
EOF
is "$(cat check.txt)" "6 targets bad: none" \
	"fleet --json: current, pending and state are each database's, the URL masked"
unlike "$OUT" "$PW" "... and the password is not in it"

# ---- a group rolled back alone ----
rt downgrade --target us l1
ok_rc 0 "downgrade of group us"
is "$(ver f4) $(ver f5) $(ver f6) $(tables f6)" "l1 l1 l1 t_l1" "... us is at l1, tables dropped"
is "$(ver f1) $(ver f2) $(ver f3) $(tables f1)" "l5 l5 l5 t_l1 t_l2 t_l3 t_l4 t_l5" "... eu untouched"

# ---- a failing canary ----
pgq f4 "CREATE TABLE t_l2 (x INTEGER)"
rt upgrade --target us --canary 1 --keep-going
ok_rc 1 "a failing canary: exit 1"
like "$OUT" "3 targets: 0 done, 1 failed, 0 interrupted, 2 not started" "... nothing else started"
like "$OUT" "A canary failed" "... said"
is "$(ver f5) $(ver f6)" "l1 l1" "... f5 and f6 untouched"
pgq f4 "DROP TABLE t_l2"
pgq f5 "DROP TABLE t_l3"

# ---- unreachable targets ----
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
print(s.getsockname()[1], flush=True)
time.sleep(120)' >mute.port &
MUTE=$!
at_exit "kill $MUTE 2>/dev/null"
n=0
while [ ! -s mute.port ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
cat >fleet.txt <<EOF
dead postgresql://$RETORT_PG_PW_USER:$PW@127.0.0.1:1/f1 far
mute postgresql://$RETORT_PG_PW_USER:$PW@127.0.0.1:$(cat mute.port)/f1 far
EOF
printf '[retort]\nscript_location = .\ntargets = fleet.txt\n' >head.ini
sed -n '/^\[target/,$p' retort.ini >>head.ini
mv head.ini retort.ini
t0=$(date +%s)
rt fleet --connect-timeout 2
t1=$(date +%s)
ok_rc 1 "fleet: unreachable targets make exit 1"
[ $((t1 - t0)) -lt 8 ]
t_result $? "... a server that never answers holds the table for the connect timeout only ($((t1 - t0)) s)"
like "$OUT" "dead +far +postgresql +\? +\? +unreachable: .*127\.0\.0\.1.*port 1 failed" \
	"... a closed port: unreachable, with libpq's reason"
like "$OUT" "mute +far +postgresql +\? +\? +unreachable: .*timeout" "... a mute server: unreachable, timed out"
is "$(printf '%s\n' "$OUT" | grep -cE '^f[1-6] .*(up to date|behind)$')" 6 "... the six others are shown"
unlike "$OUT$ERR" "$PW" "... and no password is printed"
rt upgrade --target all --keep-going --parallel 4
ok_rc 1 "upgrade: the unreachable targets fail"
like "$OUT" "8 targets: 6 done, 2 failed" "... and the others proceed"
unlike "$OUT$ERR" "$PW" "... no password printed there either"
is "$(ver f4) $(ver f5) $(ver f6)" "l5 l5 l5" "... us is back at head"
kill $MUTE 2>/dev/null

# ---- locked, then SIGINT mid-fleet ----
mkdir slow && cd slow || exit 1
mkdir versions
prev=""
for k in 1 2 3 4; do
	cat >versions/2026010${k}_0900_s${k}_slow.sql <<EOF
-- Slow $k
--
-- Revision ID: s$k
-- Revises: $prev
-- Create Date: 2026-01-0$k 09:00:00

-- migrate:upgrade
SELECT pg_sleep(0.4);
CREATE TABLE s$k (x INTEGER);

-- migrate:downgrade
DROP TABLE s$k;
EOF
	prev=s$k
done
printf '[retort]\nscript_location = .\n' >retort.ini
for i in 1 2 3 4 5 6; do
	pg_newdb "s$i" >/dev/null
	printf '[target s%d]\ndatabase = postgresql://%s@%s:%s/s%d\n' "$i" "$PGUSER" "$PGHOST" "$PGPORT" "$i" >>retort.ini
done

"$RETORT" upgrade --target s1 >lock.out 2>&1 &
LPID=$!
locked=1
for n in $(seq 1 40); do
	rt fleet --target s1
	if printf '%s' "$OUT" | grep -q 'locked by pid'; then locked=0; break; fi
	sleep 0.1
done
t_result $locked "fleet: a target being migrated is locked, by whom"
like "$OUT" "^s1 .*locked by pid [0-9]+ on .* as $PGUSER since .*\(retort $LPID@" \
	"... the server's pid, the user and the retort process of the run"
wait $LPID

set -m  # a job of its own: SIGINT is not ignored in it
"$RETORT" upgrade --target all --parallel 2 >int.out 2>int.err &
PID=$!
set +m
n=0
while [ "$(grep -c '\.\.\. done' int.out)" -lt 2 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
kill -INT $PID
wait $PID
RC=$?
OUT=$(cat int.out)
ERR=$(cat int.err)
ok_rc 130 "SIGINT mid-fleet: exit 130"
like "$OUT" "Interrupted: no new target was started" "... the summary says so"
like "$OUT" "not started" "... some targets never started"
unlike "$OUT" "FAILED" "... no step failed: the running ones finished"
whole=0
for i in 1 2 3 4 5 6; do
	v=$(pgq s$i "SELECT string_agg(version_num, ' ') FROM retort_version")
	t=$(pgq s$i "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^s[0-9]$'")
	want=""
	[ -n "$v" ] && for k in $(seq 1 "${v#s}"); do want="$want${want:+ }s$k"; done
	[ "$t" = "$want" ] || { whole=1; diag "s$i: version '$v', tables '$t'"; }
	bad=$(pgq s$i "SELECT count(*) FROM retort_history WHERE outcome <> 'ok'")
	[ -z "$bad" ] || [ "$bad" = 0 ] || { whole=1; diag "s$i: $bad ledger rows not ok"; }
done
t_result $whole "... every target whole: its tables are its recorded revisions, its ledger all ok"
is "$(pgq postgres "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" 0 "... no advisory lock left"
rt upgrade --target all --parallel 3
ok_rc 0 "the next fleet run takes every lock"
like "$OUT" "6 targets: 6 done" "... and brings all six to head"
cd ..

done_testing
