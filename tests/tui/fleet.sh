#!/bin/bash
# The console's fleet view (F) on real SQLite files: each target's current
# revision, pending count and state; Enter makes a target the console's
# database; u on the view upgrades every target after one plan per
# starting state and one confirmation.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

project "$TOP_SRCDIR/tests/data/linear"
cat >retort.ini <<'INI'
[retort]
script_location = .
database = sqlite:///f1.db

[target f1]
database = sqlite:///f1.db
group = a

[target f2]
database = sqlite:///f2.db
group = a

[target f3]
database = sqlite:///f3.db
group = b
INI
rt upgrade --target f1
rt upgrade --target f2,f3 l2
ok_rc 0 "f1 at l5, f2 and f3 at l2"
ver() { sqlq "$1" "SELECT version_num FROM retort_version"; }

tui_start
see '^ retort │ sqlite:///f1.db' "the console starts on the configured database"
keys F
see '^ Fleet: 3 targets' "F shows the fleet view"
see '^ f1      a      sqlite      l5             0  up to date' "... f1: current, pending, state"
see '^ f2      a      sqlite      l2             3  behind' "... f2 is behind by 3"
see '^ f3      b      sqlite      l2             3  behind' "... f3 too, in its group"

keys j Enter
see '^ retort │ sqlite:///f2.db \(sqlite\) │ current: l2 ' "Enter makes f2 the console's database"
see "The console's database is now target f2" "... and says so"

keys g F
see '^ Fleet: 3 targets' "F again"
keys u
see '^From l2: 2 targets \(f2, f3\)' "u: one plan for the two targets that start at l2"
see '^  upgrade l2 -> l3, Create table t_l3' "... with its steps"
see '^From l5: 1 target \(f1\)' "... and one for the target at l5"
see '^  nothing to do: already there' "... which has nothing to do"
see 'Upgrade 3 targets of the fleet to l5 .*\[y/N\]' "one question for all of them"
keys y
see '3 targets: 3 done, 0 failed, 0 interrupted, 0 not started' "the fleet run's summary is shown"
is "$(ver f1.db) $(ver f2.db) $(ver f3.db)" "l5 l5 l5" "every target is at l5"
keys Enter
see '^ f2      a      sqlite      l5             0  up to date' "the view is read again"

keys q
see '^ retort │ sqlite:///f2.db \(sqlite\) │ current: l5 ' "q: back to the console, on f2, now at l5"

# A target that moves between the plans shown and the confirmation runs
# nothing: only what was shown runs.
select_rev l3
keys F
see '^ Fleet: 3 targets' "F again"
keys d
see '^From l5: 3 targets \(f1, f2, f3\)' "d on l3: one plan, from l5, for all three"
see 'Downgrade 3 targets of the fleet to l3 .*\[y/N\]' "... asked once"
rt downgrade --target f3 l4
ok_rc 0 "meanwhile f3 is downgraded to l4 by someone else"
keys y
see '3 targets: 2 done, 1 failed' "the run: f3 failed"
see 'the database is at l4 now, and no plan from there was shown: nothing was run' \
	"... because no plan from its new state was shown"
is "$(ver f1.db) $(ver f2.db) $(ver f3.db)" "l3 l3 l4" "f1 and f2 ran the plan shown; f3 is untouched"
keys Enter
see '^ f3      b      sqlite      l4             1  behind' "the view is read again"
keys q
see '^ retort │ sqlite:///f2.db \(sqlite\) │ current: l3 ' "q: back to the console, on f2, now at l3"
keys q
is "$(wait_exit)" 0 "the console quits"

# Production mode's guard holds for the fleet view's action too: an
# upgrade that loses nothing runs; a downgrade asks for a database's
# name, which one question for all targets cannot give.
sed -i 's/^\[retort\]$/[retort]\nproduction = true/' retort.ini
tui_start
select_rev l5
keys F
see '^ Fleet: 3 targets' "F in production mode"
keys u
see 'Upgrade 3 targets of the fleet to l5 .*\[y/N\]' "u asks once"
keys y
see '3 targets: 3 done, 0 failed' "an upgrade that loses nothing runs"
is "$(ver f1.db) $(ver f2.db) $(ver f3.db)" "l5 l5 l5" "every target is at l5"
keys Enter
see '^ f3      b      sqlite      l5             0  up to date' "the view is read again"
keys q
see '^ retort │  PRODUCTION  │ sqlite:///f1.db' "back in the console"
select_rev l2
keys F
see '^ Fleet: 3 targets' "F again"
keys d
see 'Downgrade 3 targets of the fleet to l2 .*\[y/N\]' "d asks once"
keys y
see 'f1 +retort downgrade: sqlite:///f1.db is a production database: production = true asks for its' \
	"production mode refuses the downgrade: no name was given"
see '3 targets: 0 done, ' "no target ran it"
is "$(ver f1.db) $(ver f2.db) $(ver f3.db)" "l5 l5 l5" "nothing was reverted anywhere"
keys Enter q
keys q
wait_exit >/dev/null
done_testing
