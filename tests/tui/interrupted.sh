#!/bin/bash
# The console and a Transaction: none step cut short: a glyph and a tag
# of their own on the revision, the count in the title, the warning in the
# status line, the story in the details, actions that refuse and say why,
# and all of it gone once the step is resolved.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite
. "$TOP_SRCDIR/tests/cli/interrupted.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

cut_upgrade console
is "$RC" 137 "setup: an upgrade killed inside n2"

tui_start -d "$URL"
see '│ current: k1 │ 1 head │ 2 pending │ 1 interrupted │' \
	"the title counts the interrupted step"
see '^ ◐  n2 \[interrupted\] Revision n2' "the interrupted revision has a glyph and a tag of its own"
see '^ ●  k1 \[current\] Revision k1' "the revisions around it keep theirs"
see '^ n2: interrupted upgrade, last line 8: put it right, then :resolve n2 --applied\|--reverted' \
	"the status line warns, with the way out"

select_rev n2
keys 3
see '^State +interrupted upgrade, last line 8 \(Transaction: none\)$' "the details give the state"
see 'n2 was interrupted during its upgrade \(Transaction: none\): started' "... what happened"
see 'versions/n2\.sql:8' "... the last statement known to have run"

select_rev r3
keys u
see 'Cannot upgrade: a step was left half done' "an upgrade refuses before showing a plan"
see 'Until then upgrade, downgrade and stamp refuse to run\.' "... and says why"
keys Enter
not_see 'Cannot upgrade' "Enter closes the message"
keys q
is "$(wait_exit)" 0 "q quits"

# in ASCII the glyph is a character of its own too
TUI_LC=C tui_start -d "$URL"
see '^ %  n2 \[interrupted\] Revision n2' "ASCII: the interrupted revision is drawn as %"
dbq "DROP TABLE t_a"
rtd resolve n2 --reverted
ok_rc 0 "resolved from the command line"
keys r
not_see '\[interrupted\]' "after a reload the mark is gone"
see '^ o  n2 Revision n2' "... n2 is pending again"
not_see '1 interrupted' "... and so is the count"
keys q
is "$(wait_exit)" 0 "q quits"
done_testing
