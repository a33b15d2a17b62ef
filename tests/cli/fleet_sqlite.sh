#!/bin/bash
# Fleets on 50 real SQLite files: the configuration's targets and its
# errors, `fleet` (text and --json) against the files' real state, a
# target that fails mid-run (no new target starts; --keep-going finishes
# the others), a failing canary, a group rolled back alone, an unreachable
# target, and SIGINT in the middle of a fleet run.
. "$TOP_SRCDIR/tests/lib.sh"

# t01 and t02 in retort.ini, t03..t50 in the targets file; a: t01..t25,
# b: t26..t50.
fleet_project() {
	project "$TOP_SRCDIR/tests/data/linear"
	cat >retort.ini <<'EOF'
[retort]
script_location = .
targets = fleet.txt

[target t01]
database = sqlite:///t01.db
group = a

[target t02]
database = sqlite:///t02.db   ; the second
group = a
EOF
	: >fleet.txt
	for i in $(seq 3 50); do
		n=$(printf 't%02d' "$i")
		g=a
		[ "$i" -gt 25 ] && g=b
		echo "$n sqlite:///$n.db $g" >>fleet.txt
	done
}

# ver DB: the version table's rows, space-separated ("" when none).
ver() { [ -f "$1" ] && sqlq "$1" "SELECT version_num FROM retort_version ORDER BY 1" | tr '\n' ' ' | sed 's/ $//'; }
# tables DB: the t_l* tables, space-separated.
tables() { sqlq "$1" "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 't_l%' ORDER BY 1" | tr '\n' ' ' | sed 's/ $//'; }

# ---- the configuration ----
fleet_project
cp retort.ini good.ini
cp fleet.txt good.txt

printf '\n[target t07]\ndatabase = sqlite:///other.db\n' >>retort.ini
rt upgrade --target all
ok_rc 2 "a duplicate target is bad input"
like "$ERR" "^fleet.txt:5: duplicate target 't07' \(first defined at retort.ini:13\)" \
	"... named with the file and line of both"
[ ! -e t01.db ] && [ ! -e other.db ]
t_result $? "... and nothing was written"

cp good.ini retort.ini
printf '\n[target lonely]\ngroup = a\n' >>retort.ini
rt fleet
ok_rc 2 "a target without a database is bad input"
like "$ERR" "^retort.ini:13: target 'lonely' has no database" "... named with its line"

cp good.ini retort.ini
printf '\n[target all]\ndatabase = sqlite:///x.db\n' >>retort.ini
rt fleet
ok_rc 2 "'all' is not a target's name"
like "$ERR" "^retort.ini:13: invalid target name 'all'" "... said with its line"

cp good.ini retort.ini
echo "t51 sqlite:///t51.db b extra" >>fleet.txt
rt current -t all
ok_rc 2 "a targets file line with four words is bad input"
like "$ERR" "^fleet.txt:49: expected NAME URL \[GROUP\], found 4 words" "... named with its line"
cp good.txt fleet.txt

printf '\n[target a]\ndatabase = sqlite:///x.db\n' >>retort.ini
rt fleet
ok_rc 2 "a target named as a group is bad input"
like "$ERR" "group 'a' of target 't01' is also the name of a target" "... said"
cp good.ini retort.ini

rt upgrade --target nope
ok_rc 2 "an unknown target or group is bad usage"
like "$ERR" "^--target 'nope': retort.ini defines no target or group of that name \(targets: t01, t02, .*; groups: a, b\)" \
	"... naming the file, the targets and the groups"
rt upgrade --target t01,nope
ok_rc 2 "... also in a comma-separated list"
[ ! -e t01.db ]
t_result $? "... and nothing was written"
rt heads --target t01
ok_rc 2 "--target on a command that does not use the database is refused"
rt -d sqlite:///x.db current --target t01
ok_rc 2 "--target with --database is refused"
rt upgrade --parallel 2
ok_rc 2 "--parallel without --target is refused"

# ---- a fresh fleet ----
rt fleet
ok_rc 1 "fleet: files that do not exist are unreachable (exit 1)"
is "$(printf '%s\n' "$OUT" | grep -c 'unreachable: database file t[0-9]*.db does not exist')" 50 \
	"... all 50 of them, each with the reason"
[ ! -e t01.db ]
t_result $? "... and fleet created none"

# ---- a target that fails mid-run ----
sqlq t05.db "CREATE TABLE t_l3 (x INTEGER)"
rt upgrade --target all --parallel 1
ok_rc 1 "a target that fails: exit 1"
like "$OUT" "^t05  Running upgrade l2 -> l3, Create table t_l3 \.\.\. FAILED" \
	"... its failing step is shown, prefixed by its name"
like "$ERR" "^t05  .*table t_l3 already exists" "... and its error, prefixed too"
like "$OUT" "t05     a      failed       l2" "... the summary says where it stopped"
like "$OUT" "50 targets: 4 done, 1 failed, 0 interrupted, 45 not started" \
	"... no new target started after it"
like "$OUT" "A target failed: no new target was started" "... and says why"
is "$(ver t04.db) $(ver t05.db)" "l5 l2" "t04 is at head, t05 where its failing step left it"
[ ! -e t06.db ]
t_result $? "t06 was not touched"

rt upgrade --target all --parallel 8 --keep-going
ok_rc 1 "--keep-going: still exit 1 for the failing target"
like "$OUT" "50 targets: 49 done, 1 failed, 0 interrupted, 0 not started" "... every other target ran"
all_head=0
for i in $(seq 1 50); do
	n=$(printf 't%02d' "$i")
	[ "$n" = t05 ] && continue
	[ "$(ver $n.db)" = l5 ] && [ "$(tables $n.db)" = "t_l1 t_l2 t_l3 t_l4 t_l5" ] || all_head=1
done
t_result $all_head "... and the 49 others are at l5 with their tables"

# ---- fleet --json against the files ----
rt fleet --json
ok_rc 0 "fleet --json: all reachable (exit 0)"
printf '%s' "$OUT" >fleet.json
for i in $(seq 1 50); do
	n=$(printf 't%02d' "$i")
	printf '%s %s\n' "$n" "$(ver $n.db)"
done >real.txt
python3 - fleet.json real.txt <<'EOF' >check.txt
import json, sys
fleet = json.load(open(sys.argv[1]))["targets"]
real = dict(l.split() for l in open(sys.argv[2]))
bad = []
for t in fleet:
    want_pending = 5 - int(real[t["name"]][1:])
    want_state = "up to date" if want_pending == 0 else "behind"
    if (t["current"] != [real[t["name"]]] or t["pending"] != want_pending or
            t["state"] != want_state or t["backend"] != "sqlite" or
            t["group"] != ("a" if int(t["name"][1:]) <= 25 else "b")):
        bad.append(t["name"])
print(len(fleet), "targets", "bad:", " ".join(bad) or "none")
EOF
is "$(cat check.txt)" "50 targets bad: none" \
	"fleet --json: each target's current, pending, state, group and backend are the file's"
rt fleet --target t05
like "$OUT" "^t05     a      sqlite      l2             3  behind" "fleet: t05 is behind by 3"

# ---- a group rolled back alone ----
rt downgrade --target b l2
ok_rc 0 "downgrade of group b"
like "$OUT" "25 targets: 25 done" "... 25 targets"
ga=0 gb=0
for i in $(seq 1 50); do
	n=$(printf 't%02d' "$i")
	if [ "$i" -le 25 ]; then
		[ "$n" = t05 ] || [ "$(ver $n.db)" = l5 ] || ga=1
	else
		[ "$(ver $n.db)" = l2 ] && [ "$(tables $n.db)" = "t_l1 t_l2" ] || gb=1
	fi
done
t_result $gb "... group b is at l2, its tables dropped"
t_result $ga "... group a is untouched"
rt current --target t26,t01
is "$OUT" "t01  l5 (head)
t26  l2" "current --target: each target's revision, prefixed"
rt current --target t26 --json
like "$OUT" '^\{"target":"t26","status":0,"output":\{"database":"sqlite:///t26.db","current":\[\{"revision":"l2"' \
	"current --target --json: a JSON line per target"
rt stamp --target t26 l3
ok_rc 0 "stamp on one target"
is "$(ver t26.db) $(ver t27.db)" "l3 l2" "... only that one"

rt lock --target t01,t02
is "$OUT" "t01  unlocked: no retort process is migrating sqlite:///t01.db
t02  unlocked: no retort process is migrating sqlite:///t02.db" "lock --target: each target's lock"
rt history --applied --target t02
like "$OUT" "^t02  .* upgrade +l5 +ok" "history --applied --target: the target's ledger, prefixed"
rt upgrade --target t26 --json
ok_rc 0 "a fleet run with --json"
printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); t=d["targets"][0]; sys.exit(not (t["name"]=="t26" and t["outcome"]=="done" and t["current"]=="l5" and d["done"]==1 and t["result"]["final_heads"]==["l5"]))'
t_result $? "... prints one JSON summary: each target's outcome, version table and plan"
sqlq t27.db "UPDATE retort_version SET version_num = 'zz99'"
rt fleet --target t27
like "$OUT" "^t27     b      sqlite      zz99           [0-9]+  ahead: no script defines zz99" \
	"fleet: a revision no script defines is ahead"
sqlq t27.db "UPDATE retort_version SET version_num = 'l2'"

# ---- an unreachable target ----
echo "t51 sqlite:///$T_DIR/no/such/dir/t51.db b" >>fleet.txt
rt fleet --target b
ok_rc 1 "fleet: an unreachable target makes exit 1"
like "$OUT" "t51     b      sqlite      \?              \?  unreachable: database file" \
	"... it is reported with the reason"
is "$(printf '%s\n' "$OUT" | grep -cE ' (behind|up to date)$')" 25 "... and the others are shown"
rt upgrade --target b --keep-going
ok_rc 1 "upgrade: the unreachable target fails"
like "$OUT" "26 targets: 25 done, 1 failed" "... and the others proceed"
cp good.txt fleet.txt

# ---- a canary ----
mkdir canary && cd canary || exit 1
cp -R ../versions .
printf '[retort]\nscript_location = .\n' >retort.ini
for i in 1 2 3 4 5; do printf '[target c%d]\ndatabase = sqlite:///c%d.db\n' "$i" "$i" >>retort.ini; done
sqlq c1.db "CREATE TABLE t_l2 (x INTEGER)"
rt upgrade --target all --canary 1 --keep-going
ok_rc 1 "a failing canary: exit 1"
like "$OUT" "A canary failed: no other target was started" "... and says so"
like "$OUT" "5 targets: 0 done, 1 failed, 0 interrupted, 4 not started" "... even with --keep-going"
[ ! -e c2.db ] && [ ! -e c5.db ]
t_result $? "... nothing else was touched"
sqlq c1.db "DROP TABLE t_l2"
rt upgrade --target all --canary 2 --parallel 3
ok_rc 0 "canaries that pass: the rest follows"
like "$OUT" "5 targets: 5 done" "... all five done"
cd ..

# ---- drift, where a schema is declared ----
mkdir drift && cd drift || exit 1
cp -R ../versions .
printf '[retort]\nscript_location = .\nschema = schema.sql\n' >retort.ini
printf '[target d1]\ndatabase = sqlite:///d1.db\n[target d2]\ndatabase = sqlite:///d2.db\n' >>retort.ini
for k in 1 2 3 4 5; do echo "CREATE TABLE t_l$k (id INTEGER PRIMARY KEY);"; done >schema.sql
rt upgrade --target all
sqlq d2.db "CREATE TABLE extra (x INTEGER)"
rt fleet
ok_rc 1 "fleet: a target that drifted makes exit 1"
like "$OUT" "^d2      -      sqlite      l5             0  drift: table extra: present in the database, absent from the migrations" \
	"... its state is drift, with the first difference"
like "$OUT" "^d1      -      sqlite      l5             0  up to date" "... the other is up to date"
cd ..

# ---- SIGINT in the middle of a fleet run ----
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
CREATE TABLE s$k AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 250000) SELECT count(*) AS n FROM c;

-- migrate:downgrade
DROP TABLE s$k;
EOF
	prev=s$k
done
printf '[retort]\nscript_location = .\n' >retort.ini
for i in $(seq 1 12); do printf '[target s%02d]\ndatabase = sqlite:///s%02d.db\n' "$i" "$i" >>retort.ini; done
# SIGINT as a terminal sends it: not ignored, whatever this shell inherited
# (a background job of a non-interactive shell, or a suite started in the
# background, ignores it, and retort keeps an ignored SIGINT ignored)
set -m
env --default-signal=INT "$RETORT" upgrade --target all --parallel 2 >int.out 2>int.err &
PID=$!
set +m
n=0
while [ "$(grep -c '\.\.\. done' int.out)" -lt 3 ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
kill -INT $PID
wait $PID
RC=$?
OUT=$(cat int.out)
ERR=$(cat int.err)
ok_rc 130 "SIGINT mid-fleet: exit 130"
like "$OUT" "Interrupted: no new target was started; those running finished their current step" \
	"... the summary says so"
like "$OUT" "interrupted" "... the running targets stopped between two steps"
like "$OUT" "not started" "... and some targets were never started"
whole=0 started=0
for i in $(seq 1 12); do
	n=$(printf 's%02d' "$i")
	[ -e $n.db ] || continue
	started=$((started + 1))
	v=$(ver $n.db)
	t=$(sqlq $n.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 's_' ORDER BY 1)")
	# the tables are exactly those of the revisions recorded: no step half done
	want=""
	[ -n "$v" ] && for k in $(seq 1 "${v#s}"); do want="$want${want:+ }s$k"; done
	[ "$t" = "$want" ] || { whole=1; diag "$n: version '$v', tables '$t'"; }
	[ "$(sqlq $n.db "SELECT count(*) FROM retort_history WHERE outcome <> 'ok'")" = 0 ] || whole=1
done
[ "$started" -lt 12 ]
t_result $? "... fewer than 12 targets were started ($started)"
t_result $whole "... every started target is whole: its tables are its recorded revisions, every ledger row ok"
rt upgrade --target all --parallel 4
ok_rc 0 "no stale lock: the next fleet run takes every lock"
like "$OUT" "12 targets: 12 done" "... and brings all 12 to head"
cd ..

# small_fleet DIR RETORT-LINES NAME...: a new directory DIR (cd'ed into)
# with the linear history and a SQLite target NAME.db per NAME.
small_fleet() {
	local dir=$1 extra=$2 n
	shift 2
	mkdir "$dir" && cd "$dir" || exit 1
	mkdir versions && cp "$TOP_SRCDIR"/tests/data/linear/versions/* versions/
	printf '[retort]\nscript_location = .\n%b' "$extra" >retort.ini
	for n in "$@"; do printf '\n[target %s]\ndatabase = sqlite:///%s.db\n' "$n" "$n" >>retort.ini; done
}

# ---- an unknown revision: bad input for every target, no file created ----
small_fleet unknown "" u1 u2 u3
rt upgrade zzz --target all
ok_rc 2 "a fleet run to an unknown revision is bad input (exit 2)"
like "$ERR" "^no revision, branch label or prefix matches 'zzz'" "... said once, before any target"
is "$(ls ./*.db 2>/dev/null | wc -l)" 0 "... and no target's database file was created"
rt stamp l2 zzz --target all
ok_rc 2 "stamp with one unknown revision among two: exit 2"
is "$(ls ./*.db 2>/dev/null | wc -l)" 0 "... nothing created"
rt upgrade l2 --target all
ok_rc 0 "a known revision runs on every target"
rt upgrade +9 --target all
ok_rc 2 "a step past the head depends on each database: each target says so (exit 2)"
is "$(ver u1.db) $(ver u2.db) $(ver u3.db)" "l2 l2 l2" "... and none moved"
cd ..

# ---- production mode: a fleet run names every target's database ----
small_fleet prod 'production = true\n' p1 p2 p3
rt upgrade --target all
ok_rc 0 "production fleet: an upgrade without findings asks nothing"
rt downgrade -1 --target all --yes --confirm-database p1,p2 </dev/null
ok_rc 2 "production fleet: --confirm-database naming two of three databases is refused (exit 2)"
like "$ERR" "^retort downgrade: --confirm-database 'p1,p2' does not name the database of target p3 \(database p3\): a fleet run names every target's database, comma-separated; nothing was done" \
	"... naming the target left out"
is "$(ver p1.db) $(ver p2.db) $(ver p3.db)" "l5 l5 l5" "... and no target was downgraded"
rt downgrade -1 --target all --yes --confirm-database p1 </dev/null
ok_rc 2 "production fleet: one name for three databases is refused"
like "$ERR" "targets p2 \(database p2\), p3 \(database p3\)" "... naming both targets left out"
rt downgrade -1 --target all --yes --confirm-database p1,p2,p3 </dev/null
ok_rc 0 "production fleet: every database named: the downgrade runs"
like "$OUT" "3 targets: 3 done" "... on all three"
is "$(ver p1.db) $(ver p2.db) $(ver p3.db)" "l4 l4 l4" "... each one step down"
rt downgrade -1 --target p2 --yes --confirm-database p2 </dev/null
ok_rc 0 "production fleet: one target, its own name"
is "$(ver p1.db) $(ver p2.db) $(ver p3.db)" "l4 l3 l4" "... only that target moved"
rt downgrade -1 --target all --yes </dev/null
ok_rc 2 "production fleet: --yes without names is refused on each target"
like "$ERR" "^p([123])  retort downgrade: sqlite:///p[123].db is a production database: .* a fleet run asks nothing: pass --yes --confirm-database with every target's database, comma-separated \(this one is p[123]\); nothing was done" \
	"... each saying to name every target's database"
is "$(ver p1.db) $(ver p2.db) $(ver p3.db)" "l4 l3 l4" "... nothing moved"
cd ..

done_testing
