#!/bin/bash
# The header cache as a user meets it: invisible except for speed. Every
# change to the scripts shows at once, however it was made; a damaged or
# missing cache, or none at all, gives the same answers.
. "$TOP_SRCDIR/tests/lib.sh"

export XDG_CACHE_HOME="$T_DIR/xdg"
unset RETORT_CACHE
project
cp -R versions "$T_DIR/pristine"
old=$(date -d '-1 hour' '+%Y%m%d%H%M')
# Scripts as if checked out an hour ago: old enough for the cache to trust.
touch -t "$old" versions/*.sql
sleep 1.2

rt heads
want_heads=$OUT
ok_rc 0 "heads: exit 0 (cold cache)"
files=$(ls "$XDG_CACHE_HOME/retort" 2>/dev/null | grep -c '\.hdr$')
is "$files" 1 "one cache file under \$XDG_CACHE_HOME/retort"
mode=$(stat -c %a "$XDG_CACHE_HOME/retort" "$XDG_CACHE_HOME"/retort/*.hdr | tr '\n' ' ')
is "$mode" "700 600 " "the cache directory and file are private"
rt history
want_history=$OUT
rt heads
is "$OUT" "$want_heads" "heads: the same answer from a warm cache"
imgs=$(ls "$XDG_CACHE_HOME/retort" | grep -c '\.img$')
is "$imgs" 1 "a settled history is also kept as a graph image"

# An edit in place (same inode, same size, modification time put back):
# the message of the newest revision changes.
g=$(grep -l 'Revision ID: 453fe4207322' versions/*.sql)
sed 's/Add report subscriptions/Add REPORT subscriptions/' "$g" > "$T_DIR/edited"
cat "$T_DIR/edited" > "$g"
touch -t "$old" "$g"
rt history -r 453fe4207322
like "$OUT" 'Add REPORT subscriptions' "history: an edit in place shows at once"

# A new script written by `revision`, then removed.
rt revision -m "after the cache" --head base
ok_rc 0 "revision: exit 0"
rt heads
like "$OUT" "\(head\)" "heads: lists heads after a new revision"
is "$(printf '%s\n' "$OUT" | wc -l)" 3 "heads: the new revision is a third head at once"
rm -f versions/*after_the_cache*.sql
rt heads
is "$OUT" "$want_heads" "heads: a removed script is gone at once"

# Revises changed in place: the graph changes shape at once.
f=$(grep -l 'Revision ID: 453fe4207322' versions/*.sql)
sed 's/^-- Revises: 8cc5b122869d$/-- Revises: dd1123f32f48/' "$f" > "$T_DIR/edited"
cat "$T_DIR/edited" > "$f"
rt heads
like "$OUT" "^8cc5b122869d .*\(head\)" "heads: a changed Revises line moves the heads at once"

# A script broken in place: the error names the file and line, as always.
sed 's/^-- Revision ID: 453fe4207322$/-- Revision ID: 453f-bad/' "$f" > "$T_DIR/edited"
cat "$T_DIR/edited" > "$f"
rt heads
ok_rc 2 "heads: a script broken since it was cached: exit 2"
like "$ERR" "$(basename "$f"):[0-9]+: malformed Revision ID '453f-bad'" "heads: the error names the file and line"

# Back to the original scripts.
rm -rf versions && cp -R "$T_DIR/pristine" versions
touch -t "$old" versions/*.sql
sleep 1.2
rt history
is "$OUT" "$want_history" "history: restored scripts, the original history"

# A damaged cache file is ignored and rewritten.
for c in "$XDG_CACHE_HOME"/retort/*.hdr; do
	printf 'garbage' | dd of="$c" bs=1 seek=200 conv=notrunc status=none
done
rt history
is "$OUT" "$want_history" "history: a damaged cache changes nothing"
rt history
is "$OUT" "$want_history" "history: nor does the cache rewritten after it"

# Eight runs at once on a cold cache all agree.
rm -rf "$XDG_CACHE_HOME/retort"
for i in 1 2 3 4 5 6 7 8; do
	"$RETORT" history > "$T_DIR/par.$i" 2>&1 &
done
wait
same=0
for i in 1 2 3 4 5 6 7 8; do
	[ "$(cat "$T_DIR/par.$i")" = "$want_history" ] && same=$((same + 1))
done
is "$same" 8 "history: eight concurrent runs on a cold cache all answer right"
left=$(ls "$XDG_CACHE_HOME/retort" | grep -Evc '\.(hdr|img)$')
is "$left" 0 "no temporary files are left behind"

# Off: no cache is written, the same answers.
rm -rf "$XDG_CACHE_HOME/retort"
RETORT_CACHE=off rt history
is "$OUT" "$want_history" "RETORT_CACHE=off: the same history"
is "$([ -e "$XDG_CACHE_HOME/retort" ] && echo present || echo absent)" absent "RETORT_CACHE=off: no cache directory"
RETORT_CACHE="$T_DIR/elsewhere" rt heads
is "$(ls "$T_DIR/elsewhere" | grep -c '\.hdr$')" 1 "RETORT_CACHE=DIR: the cache goes there"

# A long history's image is read and hashed piece by piece: a byte
# changed near its end (in the last revision's message) is noticed like
# any damage, and the scripts answer instead.
long=$T_DIR/long
chain_scripts "$long/versions" 2000
printf '[retort]\nscript_location = .\n' > "$long/retort.ini"
touch -t "$old" "$long"/versions/*.sql
sleep 1.2
rm -rf "$XDG_CACHE_HOME/retort"
cd "$long" || exit 1
rt history -r r1998:
want_long=$OUT
like "$OUT" 'Step 2000$' "history: the last of 2,000 revisions"
rt history -r r1998:
img=$(ls -S "$XDG_CACHE_HOME"/retort/*.img | head -1)
size=$(stat -c %s "$img")
is "$([ "$size" -gt 600000 ] && echo yes)" yes "a 2,000-revision image is over 600 kB ($size bytes): several pieces"
at=$(grep -abo 'Step 2000' "$img" | tail -1 | cut -d: -f1)
is "$([ -n "$at" ] && [ "$at" -gt 524288 ] && echo yes)" yes "the last message is in the image's third piece or later (byte $at)"
printf 'X' | dd of="$img" bs=1 seek="$at" conv=notrunc status=none
rt history -r r1998:
is "$OUT" "$want_long" "history: a byte changed in a long image's last piece changes nothing"
rt history -r r1998:
is "$OUT" "$want_long" "... nor does the image rewritten after it"
cd "$P" || exit 1

# An unwritable cache location is no error.
XDG_CACHE_HOME=/proc/nonexistent rt heads
is "$RC:$OUT:$ERR" "0:$want_heads:" "heads: an unwritable cache directory is silent"

done_testing
