#!/bin/bash
# retort starts without the console's libraries (ncurses, libedit): its
# `tui` and `shell` hand the command line to retort-console, which has the
# same engine; a missing console program is a clear error.
. "$TOP_SRCDIR/tests/lib.sh"

console="$TOP_BUILDDIR/retort-console"
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' '; }

libs=$(needed "$RETORT")
unlike "$libs" 'ncurses|tinfo|libedit' "retort needs neither ncurses nor libedit ($libs)"
like "$(needed "$console")" 'ncursesw.*libedit|libedit.*ncursesw' "retort-console links both"

project
rt --help
like "$OUT" '  tui +the full-screen console' "--help lists tui"
like "$OUT" '  shell +the interactive command line' "--help lists shell"
rt tui --help
is "$RC:$(printf '%s\n' "$OUT" | head -n 1)" "0:usage: retort tui [options]" "tui --help needs no console program"

# The hand-over: piped commands through retort's shell, globals kept.
want=$("$RETORT" heads)
run sh -c "echo heads | '$RETORT' shell"
is "$RC:$OUT" "0:$want" "shell (piped) runs in the console program, same answer"
mkdir sub && mv retort.ini sub/app.ini
run sh -c "echo heads | '$RETORT' --config sub/app.ini shell"
is "$RC:$OUT" "0:$want" "global options before the command reach the console program"
mv sub/app.ini retort.ini
run sh -c "printf 'heads\nnonsense\n' | '$RETORT' shell --keep-going"
is "$RC" 2 "shell --keep-going: its own option reaches it, the failure counts"

# Alone, without the console program: a clear error, nothing else.
mkdir "$T_DIR/lonely"
cp "$RETORT" "$T_DIR/lonely/retort"
run "$T_DIR/lonely/retort" heads
is "$RC:$OUT" "0:$want" "retort alone runs the engine's commands"
run "$T_DIR/lonely/retort" tui
is "$RC" 1 "retort alone: tui fails with status 1"
like "$ERR" "^cannot start the console program retort-console \(looked beside $T_DIR/lonely and in .*\): No such file or directory$" \
	"it says which program it looked for, and where"
is "$OUT" "" "nothing on standard output"
run sh -c "echo heads | '$T_DIR/lonely/retort' shell"
is "$RC" 1 "retort alone: shell fails the same way"

done_testing
