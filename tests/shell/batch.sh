#!/bin/bash
# `retort shell` with commands piped in: one per line, blank lines and
# comments skipped, the first failure ends the run with its exit status
# unless --keep-going; help and help COMMAND.
. "$TOP_SRCDIR/tests/lib.sh"

project

cat > ok.txt <<'CMDS'
# bring the database to the orders revision
upgrade 532afb069296

current
  # an indented comment
show "4d45ff13dd15"
CMDS
run "$RETORT" shell < ok.txt
ok_rc 0 "commands piped in run; exit 0 at the end"
like "$OUT" 'Running upgrade 4d45ff13dd15 -> 532afb069296' "upgrade ran"
like "$OUT" '^532afb069296$' "current saw the upgrade"
like "$OUT" 'Revision ID: 4d45ff13dd15' "a quoted operand"
unlike "$OUT" 'retort>' "no prompt"
is "$ERR" "" "nothing on standard error"

cat > stop.txt <<'CMDS'
heads
show nosuch
upgrade c0f44988ee9d
CMDS
rm -f app.db
run "$RETORT" shell < stop.txt
ok_rc 2 "an unknown revision stops the run with exit status 2"
like "$OUT" '\(head\)' "the commands before it ran"
like "$ERR" "no revision, branch label or prefix matches 'nosuch'" "its error is printed"
like "$ERR" 'line 2 failed \(exit status 2\); stopping' "the shell says where it stopped"
is "$(sqlq app.db 'SELECT count(*) FROM retort_version' 2>/dev/null || echo none)" none \
	"the commands after it did not run"

run "$RETORT" shell --keep-going < stop.txt
ok_rc 2 "--keep-going: the first failure's status"
like "$ERR" 'line 2 failed \(exit status 2\)$' "the failure is reported"
unlike "$ERR" stopping "and the run goes on"
is "$(sqlq app.db 'SELECT version_num FROM retort_version')" c0f44988ee9d \
	"the commands after it ran"

rm -f app.db
printf 'check\nheads\n' > check.txt
run "$RETORT" shell < check.txt
ok_rc 1 "a check that finds problems stops with exit status 1"
unlike "$OUT" '\(head\)' "nothing after it ran"
run "$RETORT" shell -k < check.txt
ok_rc 1 "-k is --keep-going"
like "$OUT" '\(head\)' "and runs the rest"

printf 'revision -m "Add coupons" --head 453fe4207322 --rev-id c0ffee000001\nshow c0ffee\n' \
	> write.txt
run "$RETORT" shell < write.txt
ok_rc 0 "a revision written by one line"
like "$OUT" 'Revision ID: c0ffee000001' "is seen by the next line"

printf 'heads\nexit\nshow nosuch\n' > exit.txt
run "$RETORT" shell < exit.txt
ok_rc 0 "exit ends the run"
unlike "$ERR" nosuch "the lines after exit are not run"

printf "show 'unterminated\nheads\n" > quote.txt
run "$RETORT" shell < quote.txt
ok_rc 2 "an unterminated quote is bad usage"
like "$ERR" 'unterminated single quote' "and is reported"

printf 'shell\n' > nested.txt
run "$RETORT" shell < nested.txt
ok_rc 2 "no shell inside the shell"

run "$RETORT" shell extra < /dev/null
ok_rc 2 "the shell takes no arguments"

run "$RETORT" shell < /dev/null
ok_rc 0 "empty input: exit 0"

printf 'help\n' > help.txt
run "$RETORT" shell < help.txt
ok_rc 0 "help"
like "$OUT" '^usage: retort' "prints the usage"
like "$OUT" '  shell +the interactive command line' "lists the commands"
like "$OUT" 'exit or quit' "and the shell's own words"

printf 'help upgrade\n' > help.txt
run "$RETORT" shell < help.txt
ok_rc 0 "help upgrade"
like "$OUT" '^usage: retort upgrade \[options\] \[TARGET\]' "prints upgrade's usage"
like "$OUT" '--dry-run' "with its options"

printf 'help nosuch\n' > help.txt
run "$RETORT" shell < help.txt
ok_rc 2 "help for an unknown command"
like "$ERR" "no command 'nosuch'" "says so"

done_testing
