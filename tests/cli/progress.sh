#!/bin/bash
# Progress and colour: upgrade draws a progress line on standard error when
# it is a terminal (tmux), clears it when done, colours its bar only when
# --color says so (auto: not with NO_COLOR); in a pipe, and with -q,
# nothing at all; --color's values.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

# Three steps of about a second each on SQLite (a recursive count).
slow_project() {
	P="$T_DIR/slow$1"
	mkdir -p "$P/versions"
	cd "$P" || exit 1
	local i prev=""
	for i in 1 2 3; do
		cat > "versions/000${i}_slow.sql" <<SQL
-- Slow step $i
--
-- Revision ID: aaaaaaaaaaa$i
-- Revises: $prev
-- Create Date: 2026-01-0$i 00:00:00

-- migrate:upgrade
CREATE TABLE t$i AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) SELECT sum(x) AS s FROM c;

-- migrate:downgrade
DROP TABLE t$i;
SQL
		prev=aaaaaaaaaaa$i
	done
	printf '[retort]\nscript_location = .\ndatabase = sqlite:///app.db\n' > retort.ini
}

# On a terminal (tm_run sets NO_COLOR=1): the bar, then the step lines.
slow_project 1
tm_start a upgrade
screen_like a '^upgrade \[[=> ]{24}\] [12]/3$' "on a terminal, a progress line: upgrade [bar] N/3"
is "$(tm_exit_status a)" 0 "upgrade ends with status 0"
tm_wait a 'Slow step 3 \.\.\. done'
unlike "$SCREEN" 'upgrade \[' "the progress line is cleared at the end"
like "$SCREEN" 'Running upgrade aaaaaaaaaaa2 -> aaaaaaaaaaa3, Slow step 3 \.\.\. done' "and the steps are listed"

# Colours: never with NO_COLOR under auto; --color=always colours the bar.
sgr_seen() { # NAME: whether the pane ever showed the bar in green
	local deadline=$((SECONDS + 10))
	while [ "$SECONDS" -lt "$deadline" ]; do
		tm capture-pane -e -p -t "$1" 2>/dev/null | grep -q $'upgrade \\[\e\\[32m' && return 0
		[ -s "$T_DIR/$1.rc" ] && return 1
		sleep 0.05
	done
	return 1
}
slow_project 2
tm_start b upgrade
tm_wait b '^upgrade \['
sgr_seen b
is "$?" 1 "NO_COLOR: the bar is not coloured"
tm_exit_status b >/dev/null
slow_project 3
tm_start c --color=always upgrade
sgr_seen c
is "$?" 0 "--color=always: the bar is green"
tm_exit_status c >/dev/null

# -q on a terminal: no progress line.
slow_project 4
tm_start d -q upgrade
is "$(tm_exit_status d)" 0 "upgrade -q ends"
tm_wait d 'x' 0
unlike "$SCREEN" 'upgrade \[' "-q: no progress line"

# In a pipe, standard error stays empty, even with --color=always.
slow_project 5
rt --color=always upgrade
ok_rc 0 "upgrade in a pipe"
is "$ERR" "" "in a pipe: nothing on standard error"
unlike "$OUT" $'\e' "and no escape sequence on standard output"
rt downgrade base
is "$ERR" "" "downgrade in a pipe: nothing on standard error"
rt backup
is "$ERR" "" "backup in a pipe: nothing on standard error"

rt --color=sometimes heads
ok_rc 2 "--color takes auto, always or never"
like "$ERR" "^retort: --color takes auto, always or never, not 'sometimes'$" "and says so"
rt --color never heads
ok_rc 0 "--color never (a separate value)"

done_testing
