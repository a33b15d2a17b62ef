#!/bin/bash
# The benchmark's own tools (bench/): the histories bench/gen writes are
# the same history in every format and what the description says (one
# head, a side branch merged back every 50 revisions, one table each),
# bench/measure times a command as whole processes, and bench/report
# decides met or missed from the numbers it is given.
. "$TOP_SRCDIR/tests/lib.sh"

B="$TOP_SRCDIR/bench"
G="$T_DIR/gen"
for shape in linear branchy; do
	for f in retort alembic dbmate floor-sqlite floor-postgresql; do
		python3 "$B/gen" --format $f --shape $shape --n 100 --out "$G/$shape/$f" >/dev/null ||
			echo "Bail out! bench/gen --format $f --shape $shape failed"
	done
done

for shape in linear branchy; do
	d="$G/$shape/retort"
	cd "$d" || exit 1
	rt check
	ok_rc 0 "[$shape] retort check: a sound graph with one head"
	rt history
	is "$(printf '%s\n' "$OUT" | wc -l)" 100 "[$shape] 100 revisions"
	head_id=$(sed -n 's/^HEAD_ID=//p' bench.env)
	rt heads
	is "$OUT" "$head_id (head)" "[$shape] the head bench.env names"
	rt --json history
	merges=$(printf '%s' "$OUT" | grep -o '"is_merge_point":true' | wc -l)
	want=0
	[ $shape = branchy ] && want=2
	is "$merges" $want "[$shape] $want merge points (a side branch merged back every 50)"
	rt -d sqlite:///bench.db upgrade heads
	is "$RC:$(sqlite3 bench.db "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'")" \
		"0:100" "[$shape] upgrade heads: one table per revision"
	rt -d sqlite:///bench.db downgrade base
	is "$RC:$(sqlite3 bench.db "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'")" \
		"0:0" "[$shape] downgrade base: every table dropped"

	# the same ids in every format, the same SQL in the floors
	ids=$(ls migrations/versions | sed 's/^[0-9]*_[0-9]*_\([0-9a-f]*\)_.*/\1/' | sort)
	aids=$(sed -n "s/^revision = '\\(.*\\)'\$/\\1/p" "$G/$shape/alembic/alembic/versions"/*.py | sort)
	is "$aids" "$ids" "[$shape] Alembic's scripts hold the same revision ids"
	is "$(ls "$G/$shape/dbmate/db/migrations" | wc -l)" 100 "[$shape] dbmate has one migration per revision"
	fl="$G/$shape/floor-sqlite"
	sqlite3 -bail "$fl/bench.db" ".read $fl/up.sql"
	is "$?:$(sqlite3 "$fl/bench.db" "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'"):$(sqlite3 "$fl/bench.db" 'SELECT count(*) FROM floor_version')" \
		"0:100:100" "[$shape] the sqlite3 floor: the same tables, a version row per migration"
	sqlite3 -bail "$fl/bench.db" ".read $fl/down.sql"
	is "$?:$(sqlite3 "$fl/bench.db" "SELECT count(*) FROM sqlite_master WHERE name LIKE 't_%'")" \
		"0:0" "[$shape] ... and its down.sql drops them"
	is "$(grep -c '^BEGIN;$' "$G/$shape/floor-postgresql/up.sql")" 100 \
		"[$shape] the psql floor: one transaction per migration"
done

# bench/measure: whole processes, the median of the timed runs.
M="$T_DIR/m.tsv"
python3 "$B/measure" --label t/true --tsv "$M" --runs 5 --many 5 -- true >/dev/null
IFS=$'\t' read -r label status runs median min max rss rest <"$M"
is "$label:$status:$runs" "t/true:ok:5" "measure: five timed runs of true, status ok"
python3 -c "import sys; mn, md, mx = map(float, sys.argv[1:]); sys.exit(not (0 < mn <= md <= mx < 1))" \
	"$min" "$median" "$max"
t_result $? "measure: min <= median <= max, all under a second ($min $median $max)"
python3 "$B/measure" --label t/false --tsv "$M" --runs 2 -- false >/dev/null
is "$(tail -n 1 "$M" | cut -f2)" "rc=1" "measure: a failing command is a row without times"

# bench/report: the targets from given numbers (seconds).
row() { printf '%s\tok\t5\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$2" "$2" "${3:-1000}" "$2" "$2" "$2" "$2" "$2"; }
R="$T_DIR/report"
mkdir -p "$R"
{
	row heads/retort/none/linear/1000 0.004
	row heads/alembic/none/linear/1000 0.5
	row history/retort/none/linear/1000 0.004
	row history/alembic/none/linear/1000 0.3
	row heads/retort/none/linear/100000 0.25 47000
	row heads/retort-cold/none/linear/100000 1.2 96000
} >"$R/timings-offline.tsv"
{
	row tui-first/retort/tmux/linear/10000 0.04
	row tui-key/retort/tmux/linear/10000 0.002
	row tui-first/retort-cold/tmux/linear/10000 0.09
	row tui-key/retort-cold/tmux/linear/10000 0.002
} >"$R/timings-tui.tsv"
printf 'date=2026-12-01 00:00 UTC\nduration=1\n' >"$R/machine.txt"
run python3 "$B/report" --out "$R"
ok_rc 0 "report: exit 0"
like "$OUT" '\| heads, linear, N=1,000: ≥ 100× faster than Alembic \| 125× \(4.00 ms vs 500.0 ms\) \| met \|' \
	"report: 125× is met"
like "$OUT" '\| history, linear, N=1,000: ≥ 100× faster than Alembic \| 75× .*\| \*\*missed\*\* \|' \
	"report: 75× is missed"
like "$OUT" '\| heads, linear, N=100,000: < 1 s and < 200 MB \| 250.0 ms .*no cache: 1.20 s .*\| \*\*missed\*\* \|' \
	"report: at 100,000, a run without the cache over 1 s misses the target"
like "$OUT" '\| console, linear, N=10,000: first screen < 100 ms \(coarse\) \| 40.0 ms; no cache: 90.0 ms \| met \|' \
	"report: the console's first screen, with and without the cache, is met"

# An Alembic project's rows, with the floor: what checking each file costs.
{
	row py-heads/retort/none/linear/1000 0.008
	row py-heads/retort-cold/none/linear/1000 0.02
	row py-heads/alembic/none/linear/1000 0.6
	row py-floor/floor/none/linear/1000 0.005
} >"$R/timings-alembic.tsv"
run python3 "$B/report" --out "$R"
like "$OUT" '\| Alembic project, heads, linear, N=1,000: ≥ 100× faster than Alembic \| 75× \(8.00 ms vs 600.0 ms\) \| \*\*missed\*\* \|' \
	"report: an Alembic project's heads at 75× is missed"
like "$OUT" '\| 1,000 linear \| floor: start, stat every revision file ³ \| 5.00 ms .*\| 120.0× \|' \
	"report: the floor's row, with Alembic's heads over it"
like "$OUT" '³ `bench/filefloor`' "report: ... and the note saying what the floor is"

# bench/fleet's section, written by bench/run beside the timings, is in the report.
printf '## Fleets\n\nWritten by `bench/fleet` here.\n' >"$R/fleet.md"
run python3 "$B/report" --out "$R"
like "$OUT" '## Fleets' "report: bench/fleet's section is there"
like "$OUT" 'Written by `bench/fleet` here\.' "... whole"

# bench/filefloor: starts, stats each file of a directory, prints nothing.
if cc -O2 -o "$T_DIR/filefloor" "$B/filefloor.c" 2>"$T_DIR/cc.err"; then
	mkdir -p "$T_DIR/ff"
	touch "$T_DIR/ff/a.py" "$T_DIR/ff/b.py"
	run "$T_DIR/filefloor" "$T_DIR/ff"
	is "$RC:$OUT:$ERR" "0::" "filefloor: exit 0, silent, on a directory of files"
	run "$T_DIR/filefloor" "$T_DIR/none"
	is "$RC" 1 "filefloor: exit 1 on a directory that does not exist"
else
	t_result 1 "filefloor: compiles ($(cat "$T_DIR/cc.err"))"
fi

done_testing
