#!/bin/bash
# Text retort does not control (a database's values and messages, a
# script's SQL) cannot drive the terminal it is printed on: in a real
# terminal (tmux) control characters show as ^[, ^M, ^G...; a pipe gets
# the bytes as they are.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tuilib.sh"

project "$TOP_SRCDIR/tests/data/linear"
rt upgrade l2
ok_rc 0 "upgrade l2"
# A ledger row written by someone else: an escape sequence that retitles
# the window and clears the screen, and a carriage return that would
# print over what comes before it.
sqlq app.db "UPDATE retort_history SET host = 'evil' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J', os_user = 'hidden' || char(13) || 'shown' WHERE id = 1"
# A script whose message is not ASCII and whose SQL names a table with an
# escape sequence in it (the database's error message repeats the name).
printf -- '-- Crée la table t_l3\n--\n-- Revision ID: l3\n-- Revises: l2\n-- Create Date: 2026-01-03 09:00:00\n\n-- migrate:upgrade\nSELECT * FROM "bad\033[2Jname";\n\n-- migrate:downgrade\nSELECT 1;\n' \
	> "$(ls versions/*_l3_*.sql)"

# in_terminal CMD: runs CMD in a fresh 200x50 terminal after a marker
# line, waits for it to end; the screen and its scrollback (where tmux
# may move the first lines when it sizes a new pane) are in $SCREEN.
in_terminal() {
	tmx kill-session -t tui >/dev/null 2>&1
	tmx new-session -d -s tui -x 200 -y 50 -c "$PWD" \
		"printf 'BEFORE\\n'; $1; printf 'DONE %s\\n' \$?"
	wait_for '^DONE [0-9]+$' || diag "did not end:" "$SCREEN"
	SCREEN=$(tmx capture-pane -p -S - -t tui)
}

R=$(printf '%q' "$RETORT")
in_terminal "$R history --applied"
like "$SCREEN" 'evil\^\[\]0;pwned\^G\^\[\[2J' "history --applied: the escape sequences are shown, not obeyed"
like "$SCREEN" 'hidden\^Mshown@' "... and the carriage return"
like "$SCREEN" '^BEFORE$' "... the screen was not cleared"
isnt_title=$(tmx display-message -p -t tui '#{pane_title}')
[ "$isnt_title" != pwned ]
t_result $? "... the window's title was not changed ($isnt_title)"
like "$SCREEN" '^DONE 0$' "... exit status 0"

rt history --applied
like "$OUT" "$(printf 'evil\033]0;pwned\007')" "history --applied into a pipe: the bytes as they are"
rt --json history --applied
like "$OUT" '"host":"evil\\u001b\]0;pwned\\u0007\\u001b\[2J"' "... and --json escapes them"

in_terminal "$R history -r l2:l3"
like "$SCREEN" 'l2 -> l3, Crée la table t_l3' "history: UTF-8 text is shown as it is"

in_terminal "$R show l3"
like "$SCREEN" 'SELECT \* FROM "bad\^\[\[2Jname";' "show: a script's SQL is shown, not obeyed"

in_terminal "$R upgrade"
like "$SCREEN" 'no such table: bad\^\[\[2Jname' "a database's error message on standard error: shown, not obeyed"
like "$SCREEN" '^DONE 1$' "... exit status 1"
like "$SCREEN" '^BEFORE$' "... the screen was not cleared"

done_testing
