#!/bin/bash
# A Transaction: none step cut short on real SQLite files: killed in its
# upgrade and in its downgrade, stopped by SIGINT part-way, resolved both
# ways, a signal while waiting for the lock and one before a COMMIT, and
# production mode's confirmation of resolve (on a terminal, too).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite
. "$TOP_SRCDIR/tests/cli/interrupted.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

sc_cut_upgrade
sc_cut_applied
sc_cut_downgrade
sc_partway
sc_lock_signal
sc_before_commit
sc_production
sc_old_ledger

# On a terminal the name is typed.
cut_upgrade prodtty
printf 'production = true\n' >>retort.ini
name=$(basename "$DBF" .db)
tm_start p1 -d "$URL" resolve n2 --applied
screen_like p1 "Type its name \\($name\\) to record that n2 is applied:" \
	"production: on a terminal resolve asks for the database's name"
tm_keys p1 "${name}x" Enter
screen_like p1 "^'${name}x' is not '$name': nothing was done$" "... a wrong name changes nothing"
is "$(tm_exit_status p1)" 1 "... exit 1"
is "$(ledger1 outcome "revision = 'n2'")" "started" "... the ledger is untouched"
dbq "CREATE TABLE t_b (id INTEGER)"
tm_start p2 -d "$URL" resolve n2 --applied
tm_wait p2 'Type its name'
tm_keys p2 "$name" Enter
screen_like p2 '^Resolved n2: its upgrade is recorded as applied' "... the right name resolves"
is "$(tm_exit_status p2)" 0 "... exit 0"
is_rows "n2" "resolved on a terminal"
done_testing
