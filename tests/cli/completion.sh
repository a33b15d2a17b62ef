#!/bin/bash
# Tab completion in bash and zsh on a real terminal (tmux), through the
# scripts of completion/ and `retort __complete`: commands, options,
# revision ids and prefixes, branch labels, LABEL@head, a range's end,
# --name=VALUE choices, file names; and the answers of __complete itself.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

project
bin="$T_DIR/bin"
mkdir -p "$bin"
ln -s "$RETORT" "$bin/retort"
: > my-settings.ini

# __complete's own answers: the kind, then the candidates.
rt __complete show 53
is "$OUT" "$(printf 'revision\n532afb069296')" "__complete: a revision prefix"
rt __complete lint --direction ""
is "$OUT" "$(printf 'choice\ndown\nup')" "__complete: an option's choices"
rt __complete -c ""
is "$OUT" "file" "__complete: a file, for the shell to complete"
rt __complete --color=al
is "$OUT" "$(printf 'choice --color=\n--color=always')" "__complete: --name=VALUE"
rt __complete __complete ""
is "$OUT" "text" "__complete is no command of its own"
rt --help
unlike "$OUT" "__complete" "and --help does not list it"

# bash, without the user's files, the completion script sourced.
tm_run b bash --norc --noprofile
tm_keys b "PATH='$bin':\$PATH PS1='$ '; . '$TOP_SRCDIR/completion/retort'; clear" Enter
screen_like b '^\$$' "bash starts"

tm_keys b 'retort upg' Tab X
screen_like b '^\$ retort upgrade X$' "bash: a command"
tm_keys b C-u
tm_keys b 'retort show 532' Tab X
screen_like b '^\$ retort show 532afb069296 X$' "bash: a unique id prefix"
tm_keys b C-u
tm_keys b 'retort show catalog@h' Tab X
screen_like b '^\$ retort show catalog@head X$' "bash: LABEL@head"
tm_keys b C-u
tm_keys b 'retort history -r 4d45ff13dd15:8c' Tab X
screen_like b '^\$ retort history -r 4d45ff13dd15:8cc5b122869d X$' "bash: a range's end, past ':'"
tm_keys b C-u
tm_keys b 'retort lint --dialect=p' Tab X
screen_like b '^\$ retort lint --dialect=postgresql X$' "bash: --name=VALUE, past '='"
tm_keys b C-u
tm_keys b 'retort history --ind' Tab X
screen_like b '^\$ retort history --indicate-current X$' "bash: a command's option"
tm_keys b C-u
tm_keys b 'retort -c my-s' Tab X
screen_like b '^\$ retort -c my-settings.ini X$' "bash: a file name for -c FILE"
tm_keys b C-u
tm_clear b
tm_keys b 'retort show d' Tab Tab
screen_like b 'd58e11da093b +dd1123f32f48' "bash: an ambiguous prefix lists the candidates"
tm_keys b C-u

# zsh, when installed: compinit with completion/ on its fpath.
if command -v zsh >/dev/null 2>&1; then
	tm_run z zsh -f
	tm_keys z "PATH='$bin':\$PATH PS1='%% '; fpath=('$TOP_SRCDIR/completion' \$fpath); autoload -Uz compinit; compinit -u -D; clear" Enter
	screen_like z '^%$' "zsh starts"
	tm_keys z 'retort upg' Tab X
	screen_like z '^% retort upgrade X$' "zsh: a command"
	tm_keys z C-u
	tm_keys z 'retort show 532' Tab X
	screen_like z '^% retort show 532afb069296 X$' "zsh: a unique id prefix"
	tm_keys z C-u
	tm_keys z 'retort show catalog@h' Tab X
	screen_like z '^% retort show catalog@head X$' "zsh: LABEL@head"
	tm_keys z C-u
	tm_keys z 'retort history -r 4d45ff13dd15:8c' Tab X
	screen_like z '^% retort history -r 4d45ff13dd15:8cc5b122869d X$' "zsh: a range's end"
	tm_keys z C-u
	tm_keys z 'retort -c my-s' Tab X
	screen_like z '^% retort -c my-settings.ini X$' "zsh: a file name for -c FILE"
else
	t_result 0 "# SKIP zsh is not installed"
fi

done_testing
