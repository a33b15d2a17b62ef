#!/bin/bash
# The console while another process holds the migration lock (who, for how
# long, out of how long; Esc and Ctrl-C cancel, nothing done), and Ctrl-C
# in the middle of a long run: it stops between whole migrations and the
# console shows what the command line would say, and goes on. SQLite.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

demo_project
version() { sqlq app.db "SELECT version_num FROM retort_version ORDER BY 1" | tr '\n' ' '; }

# ---- the lock, held by another retort ----
# A migration that reads for a very long time: it holds the lock, and
# SQLite lets readers (the console) read meanwhile.
cat >versions/20270101_0000_5100e0000001_slow.sql <<'EOF2'
-- Slow
--
-- Revision ID: 5100e0000001
-- Revises: 041584a9edb9
-- Create Date: 2027-01-01 00:00:00

-- migrate:upgrade
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) SELECT count(*) FROM c;

-- migrate:downgrade
SELECT 1;
EOF2
env --default-signal=INT "$RETORT" upgrade 5100e0000001 >"$T_DIR/slow.out" 2>&1 &
holder=$!
at_exit "kill -9 $holder 2>/dev/null"
n=0
until rt lock && [ "${OUT#locked}" != "$OUT" ] || [ $n -ge 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
like "$OUT" "^locked: pid $holder " "another process holds the migration lock"

tui_start
select_rev dd1123f32f48
keys u
see 'Run it\? \[y/N\]' "u asks"
keys y
see '│ Waiting for the migration lock\. ' "y waits for the lock, and says so"
see "│ Held by pid $holder on [^ ]+ as [^ ]+ since 20[0-9-]+ [0-9:]+\\. " "naming who holds it"
see '│ Waited [1-9][0-9]* s of 60 s; then it gives up, nothing done\. ' "for how long, out of how long"
see 'Esc or Ctrl-C: cancel' "and how to give up"
keys Escape
see "Cancelled after [0-9]+ s of waiting for the migration lock, held by pid $holder " "Esc cancels"
not_see 'Waiting for the migration lock' "the box is gone"
is "$(version)" "041584a9edb9 " "nothing was done"
keys u y
see '│ Waiting for the migration lock\. ' "waiting again"
keys C-c
see "Interrupted by SIGINT while waiting for the migration lock: nothing was run" "Ctrl-C cancels too"
is "$(pane '#{pane_dead}')" 0 "and the console goes on"
is "$(version)" "041584a9edb9 " "nothing was done"
kill -0 $holder
t_result $? "the other process goes on"
keys q
is "$(wait_exit)" 0 "q quits"
kill -INT $holder
wait $holder
is "$?" 130 "the other process, stopped, rolled back"
rm versions/*_5100e0000001_slow.sql

# ---- Ctrl-C in the middle of a run ----
P="$T_DIR/many"
mkdir -p "$P/versions"
prev=
for i in $(seq 1 30); do
	id=$(printf 'aaaa%08d' "$i")
	cat >"$P/versions/$id.sql" <<EOF2
-- Step $i
--
-- Revision ID: $id
-- Revises: $prev
-- Create Date: 2027-01-01 00:00:00

-- migrate:upgrade
CREATE TABLE t_$i (id INTEGER);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) SELECT count(*) FROM c;

-- migrate:downgrade
DROP TABLE t_$i;
EOF2
	prev=$id
done
printf '[retort]\nscript_location = .\ndatabase = sqlite:///app.db\n' >"$P/retort.ini"
cd "$P" || exit 1
rt upgrade aaaa00000001
ok_rc 0 "a history of 30 slow steps, the first applied"
tui_start
keys g u
see '^Upgrade app \(sqlite:///app.db\) to aaaa00000030: 29 steps$' "u plans 29 steps"
keys y
see '│ upgrade aaaa0000000[4-9] -> ' "the run goes on, step by step, in a progress box"
see 'Ctrl-C: stop \(the running step is rolled back\)' "the progress box says what Ctrl-C does"
keys C-c
see '─ The upgrade was interrupted ─' "Ctrl-C stops the run: the console says so"
see '│ Stopped after [0-9]+ of 29 steps\. ' "how far it went"
see '│ interrupted by SIGINT: aaaa[0-9]+ was rolled back; the [0-9]+ steps before it stay applied; ' \
	"what the command line would say: what was rolled back, what stays"
see '│ Running upgrade aaaa00000001 -> aaaa00000002, Step 2 \.\.\. done \([0-9.]+ ms\) ' "every step that ran"
see '│ Whole migrations only' "whole migrations only"
is "$(pane '#{pane_dead}')" 0 "the console still runs"
at=$(version)
n=${at#aaaa}
n=$((10#${n% }))
is "$(sqlq app.db "SELECT count(*) FROM sqlite_master WHERE name LIKE 't\\_%' ESCAPE '\\'")" "$n" \
	"the database has the tables of exactly the $n migrations applied"
like "$(sqlq app.db "SELECT outcome || ' ' || error FROM retort_history ORDER BY id DESC LIMIT 1")" \
	'^failed interrupted by SIGINT' "the ledger records the interrupted step"
keys Enter
not_see 'The upgrade was interrupted' "Enter closes the summary"
see "current: $at│" "the console shows where the database is"
rt lock
like "$OUT" '^unlocked: ' "the lock was released"
keys q
is "$(wait_exit)" 0 "q quits"

done_testing
