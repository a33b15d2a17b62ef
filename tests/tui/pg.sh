#!/bin/bash
# The console on PostgreSQL: the masked URL, then an upgrade and a
# downgrade to selected revisions, checked in the database itself, and a
# wait for the migration lock another process holds.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

project
pg_start
pg_newdb tui_demo
psqlq() { psql -X -A -t -q -d tui_demo -c "$1"; }

tui_start -d "$PGURL"
see "postgresql://$PGUSER:\*\*\*\*@$PGHOST:$PGPORT/tui_demo \(postgresql\)" "the title shows the URL with its password masked"
unlike "$SCREEN" 's3cret-pw' "the password is nowhere on the screen"
see 'current: <base> │ 2 heads │ 13 pending' "a new database has nothing applied"

select_rev 041584a9edb9
keys u
see '^Upgrade tui_demo \(postgresql://[^)]*\) to 041584a9edb9: 10 steps$' "u plans ten steps"
keys y
see 'Upgraded tui_demo to 041584a9edb9: 10 steps' "y runs them"
is "$(psqlq 'SELECT version_num FROM retort_version')" 041584a9edb9 "the version table holds the selected revision"
is "$(psqlq "SELECT to_regclass('audit_log') IS NOT NULL")" t "the migrations ran"
see '^ ●─╯  041584a9edb9 \[current\] Create audit log' "the graph marks it current"
see '^ │ ○  dd1123f32f48 \[head\]' "the head above stays pending"

select_rev acb6fdd1c7db
keys d
see '^Downgrade tui_demo .* to acb6fdd1c7db: 6 steps$' "d plans the applied descendants"
keys y
see 'Downgraded tui_demo to acb6fdd1c7db: 6 steps' "y reverts them"
is "$(psqlq 'SELECT version_num FROM retort_version')" acb6fdd1c7db "the version table holds the selected revision"
is "$(psqlq "SELECT to_regclass('payments') IS NULL")" t "the reverted tables are gone"
is "$(psqlq "SELECT count(*) FROM retort_history WHERE direction = 'downgrade' AND outcome = 'ok'")" 6 \
	"the ledger records each step"
see '^ ○ │  c0f44988ee9d \(billing\) Create payments' "reverted revisions are pending again"
keys 3
see "^  20[0-9-]+ [0-9:]+  upgrade   ok .*\(database user $PGUSER\)" "the details show who applied it, as which database user"
keys q
is "$(wait_exit)" 0 "q quits"

# Another process holds the migration lock: the console says who, and
# Esc gives up, nothing done.
printf '%s\n' '-- Slow' '--' '-- Revision ID: 5100e0000001' '-- Revises: acb6fdd1c7db' '' \
	'-- migrate:upgrade' 'SELECT pg_sleep(60);' >versions/5100e0000001.sql
env --default-signal=INT "$RETORT" -d "$PGURL" upgrade 5100e0000001 >"$T_DIR/slow.out" 2>&1 &
holder=$!
at_exit "kill -9 $holder 2>/dev/null"
n=0
until rt -d "$PGURL" lock && [ "${OUT#locked}" != "$OUT" ] || [ $n -ge 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
tui_start -d "$PGURL"
select_rev c0f44988ee9d
keys u y
see '│ Waiting for the migration lock\. ' "u y waits for the lock"
see "│ Held by pid [0-9]+ on [^ ]+ as $PGUSER since 20[0-9-]+ [0-9:]+ \\(retort $holder@" \
	"naming the session that holds it, and its retort process"
see '│ Waited [1-9][0-9]* s of 60 s' "for how long, out of how long"
keys Escape
see 'Cancelled after [0-9]+ s of waiting for the migration lock' "Esc cancels"
is "$(psqlq 'SELECT version_num FROM retort_version')" acb6fdd1c7db "nothing was done"
keys q
is "$(wait_exit)" 0 "q quits"
kill -INT $holder
wait $holder
is "$?" 130 "the other process, stopped, rolled back"

done_testing
