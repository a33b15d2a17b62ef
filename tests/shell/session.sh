#!/bin/bash
# An interactive session: a failing command prints its error and the
# shell goes on; what one command changes, the next one sees; help;
# Ctrl-C abandons the line; Ctrl-D leaves with status 0.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

project
PROMPT='^retort\(app\)> '
READY='^retort\(app\)>$'

tm_start s shell
screen_like s "$READY" "the shell starts"

tm_keys s 'show zzz' Enter
screen_like s "no revision, branch label or prefix matches 'zzz'" "a failing command prints its error"
screen_like s "$READY" "and the prompt comes back"
tm_keys s 'nosuch' Enter
screen_like s "unknown command 'nosuch'" "an unknown command is an error too"
tm_keys s "show 'unterminated" Enter
screen_like s 'retort shell: unterminated single quote' "a broken line is reported"

tm_clear s
tm_keys s 'upgrade 532afb069296' Enter
screen_like s 'Running upgrade 4d45ff13dd15 -> 532afb069296' "upgrade runs"
tm_clear s
tm_keys s 'current' Enter
screen_like s '^532afb069296$' "the next command sees the database it changed"
is "$(sqlq app.db 'SELECT version_num FROM retort_version')" 532afb069296 \
	"the version table says so too"

tm_clear s
tm_keys s '-d other.db stamp c12435d869e2' Enter
tm_wait s "$READY"
tm_clear s
tm_keys s 'current' Enter
screen_like s '^532afb069296$' "a global option on one line does not stick to the next"
is "$(sqlq other.db 'SELECT version_num FROM retort_version' 2>/dev/null)" c12435d869e2 \
	"-d on a line is used for that line"

tm_clear s
tm_keys s 'help' Enter
screen_like s '^  upgrade +apply revisions up to TARGET' "help lists the commands"
screen_like s 'exit or quit \(or Ctrl-D\)' "and the shell's own words"
tm_clear s
tm_keys s 'help upgrade' Enter
screen_like s '^usage: retort upgrade \[options\] \[TARGET\]$' "help COMMAND shows its usage"
screen_like s '^ +--dry-run +print the plan' "and its options"

tm_clear s
tm_keys s 'heads' C-c
screen_like s "$READY" "Ctrl-C abandons the line"
tm_keys s 'branches' Enter
screen_like s '^acb6fdd1c7db \(branchpoint\), Add user email$' "the shell still runs commands after Ctrl-C"
unlike "$SCREEN" '\(head\)$' "the abandoned line did not run"

tm_keys s C-d
is "$(tm_exit_status s)" 0 "Ctrl-D leaves with status 0 after failures"

# ~/.editrc is read: vi bindings there replace the default emacs ones.
printf 'retort:bind -v\n' > "$TM_HOME/.editrc"
tm_start v shell
tm_wait v "$READY"
tm_keys v 'headsX' Escape x Enter
screen_like v '^dd1123f32f48 \(reporting\) \(head\)$' \
	"bind -v in ~/.editrc: Escape x deletes a character"
tm_keys v C-d
is "$(tm_exit_status v)" 0 "Ctrl-D leaves in vi mode too"

done_testing
