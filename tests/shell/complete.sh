#!/bin/bash
# Tab completion in `retort shell` on a real terminal (tmux): revision ids
# from a unique prefix, the candidates of an ambiguous one, commands,
# options, branch labels, and revisions written during the session.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

project
PROMPT='^retort\(app\)> '

tm_start s shell
screen_like s '^retort\(app\)>$' "the prompt names the database"

tm_keys s 'show 532' Tab
screen_like s "${PROMPT}show 532afb069296\$" "a unique id prefix completes to the full id"
tm_keys s Enter
screen_like s '^Revision ID: 532afb069296$' "the completed command runs"

tm_clear s
tm_keys s 'show d' Tab
screen_like s '^d58e11da093b +dd1123f32f48$' "an ambiguous prefix lists the candidates"
screen_like s "${PROMPT}show d\$" "and the line comes back as it was"
tm_keys s C-u

tm_clear s
tm_keys s 'show c' Tab
screen_like s '^c0f44988ee9d +c12435d869e2 +catalog +catalog@base +catalog@head +current$' \
	"ids, labels and LABEL@head are candidates"
tm_keys s 'atalog@h' Tab
screen_like s "${PROMPT}show catalog@head\$" "LABEL@head completes"
tm_keys s C-u

tm_clear s
tm_keys s 'upg' Tab '--dr' Tab
screen_like s "${PROMPT}upgrade --dry-run\$" "a command, then one of its options"
tm_keys s C-u

tm_clear s
tm_keys s 'history -r 4d45ff13dd15:8c' Tab
screen_like s "${PROMPT}history -r 4d45ff13dd15:8cc5b122869d\$" "the end of a range"
tm_keys s C-u

# A revision written in the session completes at once.
tm_clear s
tm_keys s 'revision -m "Add coupons" --head 453fe4207322 --rev-id c0ffee000001' Enter
screen_like s 'c0ffee000001_add_coupons\.sql' "revision writes a script"
tm_clear s
tm_keys s 'show c0ff' Tab
screen_like s "${PROMPT}show c0ffee000001\$" "the new revision completes"
tm_keys s Enter
screen_like s '^Revises: 453fe4207322$' "and shows"

tm_keys s C-d
is "$(tm_exit_status s)" 0 "Ctrl-D leaves with status 0"

# Without a database anywhere the prompt is plain; revisions still complete.
printf '[retort]\nscript_location = .\n' > retort.ini
tm_start n shell
screen_like n '^retort>$' "no database: 'retort> '"
tm_keys n 'show 4d' Tab
screen_like n '^retort> show 4d45ff13dd15$' "completion without a database"
tm_keys n C-u exit Enter
is "$(tm_exit_status n)" 0 "exit leaves with status 0"

done_testing
