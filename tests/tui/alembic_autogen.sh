#!/bin/bash
# The console's A in an Alembic project: Alembic's autogenerate writes the
# revision on the selected head, the console shows the new script; A
# refused where nothing can autogenerate.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/alembicenv.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"
alembic_find
db_backend sqlite
agproject

tui_start
see 'No revisions yet in .*press c to write the first one' "an empty history"
keys A
see 'Message for the first revision:' "A asks for the message"
keys Escape
see 'Cancelled: nothing was written' "Esc cancels"
is "$(ls migrations/versions | grep -c '\.py$')" 0 "... and nothing is written"

keys A
see 'Message for the first revision:' "A again"
keys -l 'create accounts'
keys Enter
see "^A new revision written by Alembic's autogenerate" "the preview says what will happen"
see 'Write the revision\? \[y/N\]' "... and asks"
keys n
see 'Cancelled: nothing was written' "n refuses"
is "$(ls migrations/versions | grep -c '\.py$')" 0 "... nothing written"

keys A
keys -l 'create accounts'
keys Enter
see 'Write the revision\? \[y/N\]' "asked again"
keys y
see "Wrote migrations/versions/[0-9a-f]{12}_create_accounts\\.py: Detected added table 'accounts'" \
	"y runs Alembic's autogenerate: the new file and what Alembic detected"
see '^ ○ +[0-9a-f]{12} \[head\] create accounts' "the new revision is in the graph, pending"
see "op\\.create_table\\('accounts'," "the preview shows the new script's upgrade()"
is "$(ls migrations/versions | grep -c '_create_accounts\.py$')" 1 "one file written"

keys u
see 'Run it\? \[y/N\]' "u plans it"
keys y
see 'Upgraded .* 1 step in ' "and runs it through Alembic"
is "$(has_table accounts)" 1 "the table is there"

# A change to the model, on the head the console selects.
sed -i 's/nullable=False))/nullable=False),\n                    sa.Column("name", sa.String(50)))/' models.py
keys A
keys -l 'add name'
keys Enter
keys y
see "Detected added column 'accounts\\.name'" "the new column is detected"
see "op\\.add_column\\('accounts', sa\\.Column\\('name'" "and its add_column shown"
not_see 'retort_history' "retort's ledger is not in the script"
keys q
is "$(wait_exit)" 0 "q quits"

# Without Alembic's project nor a declared schema, A says what it needs.
project
tui_start
keys A
see 'A writes what autogenerate finds: declare the target schema' "A without a schema says what it needs"
keys q
wait_exit >/dev/null
done_testing
