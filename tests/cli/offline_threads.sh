#!/bin/bash
# A long history is read on several threads (src/par.c). The answers, the
# errors and their order are those of one thread, with the header cache
# cold, warm, partly stale or off.
. "$TOP_SRCDIR/tests/lib.sh"

export XDG_CACHE_HOME="$T_DIR/xdg"
unset RETORT_CACHE RETORT_THREADS
P="$T_DIR/long"
mkdir -p "$P/versions"
cd "$P" || exit 1
printf '[retort]\nscript_location = .\n' > retort.ini

# 700 revisions in one chain, with a branch and a merge every 100: more
# than ten ranges of 64 scripts, so every worker reads some.
N=700
rid() { printf 'a%011d' "$1"; }
for i in $(seq 1 $N); do
	if [ "$i" -eq 1 ]; then
		rev=""
	elif [ $((i % 100)) -eq 1 ]; then
		rev="$(rid $((i - 1))), $(rid $((i - 2)))"
	elif [ $((i % 100)) -eq 0 ]; then
		rev=$(rid $((i - 2)))
	else
		rev=$(rid $((i - 1)))
	fi
	printf -- '-- Step %d\n--\n-- Revision ID: %s\n-- Revises: %s\n-- Create Date: 2026-01-01 00:%02d:%02d\n\n-- migrate:upgrade\nCREATE TABLE t%d (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t%d;\n' \
		"$i" "$(rid $i)" "$rev" $((i / 60 % 60)) $((i % 60)) "$i" "$i" \
		> "versions/$(printf '%04d' "$i")_step.sql"
done
old=$(date -d '-1 hour' '+%Y%m%d%H%M')
touch -t "$old" versions/*.sql
sleep 1.2

# the reference: one thread, no cache
RETORT_THREADS=1 RETORT_CACHE=off rt history --verbose
want_history=$OUT
ok_rc 0 "history, one thread: exit 0"
is "$(printf '%s\n' "$OUT" | grep -c '^Rev: ')" $N "history, one thread: every revision"
RETORT_THREADS=1 RETORT_CACHE=off rt heads
want_heads=$OUT

for t in 2 3 8; do
	RETORT_THREADS=$t RETORT_CACHE=off rt history --verbose
	is "$OUT" "$want_history" "history on $t threads, no cache: the same"
done
RETORT_THREADS=4 rt heads
is "$RC:$OUT" "0:$want_heads" "heads on 4 threads, cold cache: the same"
RETORT_THREADS=4 rt history --verbose
is "$OUT" "$want_history" "history on 4 threads, warm cache: the same"

# A few scripts changed since they were cached: those are read again,
# the others come from the cache, in one ordered result.
for i in 5 130 131 400 699; do
	f=versions/$(printf '%04d' "$i")_step.sql
	sed "s/^-- Step $i\$/-- Step $i, edited/" "$f" > "$T_DIR/edited"
	cat "$T_DIR/edited" > "$f"
	touch -t "$old" "$f"
done
RETORT_THREADS=1 RETORT_CACHE=off rt history --verbose
want_edited=$OUT
like "$OUT" "Step 400, edited" "the reference sees an edit"
RETORT_THREADS=4 rt history --verbose
is "$OUT" "$want_edited" "history on 4 threads, partly stale cache: the same"

# Problems in scripts read by different workers: every one reported, in
# file order, exit 2, whatever the number of threads.
sed 's/^-- Revision ID: .*/-- Revision ID: bad-id/' versions/0003_step.sql > "$T_DIR/x" &&
	cat "$T_DIR/x" > versions/0003_step.sql
sed 's/^-- Revises: .*/-- Revises: a99999999999/' versions/0333_step.sql > "$T_DIR/x" &&
	cat "$T_DIR/x" > versions/0333_step.sql
sed "s/^-- Revision ID: .*/-- Revision ID: $(rid 10)/" versions/0650_step.sql > "$T_DIR/x" &&
	cat "$T_DIR/x" > versions/0650_step.sql
rm versions/0500_step.sql && mkdir versions/0500_step.sql
RETORT_THREADS=1 RETORT_CACHE=off rt heads
ok_rc 2 "damaged history, one thread: exit 2"
want_err=$ERR
is "$ERR" "./versions/0003_step.sql:3: malformed Revision ID 'bad-id': expected 1 to 32 of A-Z a-z 0-9 _
./versions/0500_step.sql: not a regular file
./versions/0650_step.sql:3: duplicate Revision ID 'a00000000010' (also in ./versions/0010_step.sql)
./versions/0004_step.sql:4: Revises 'a00000000003', which no script defines
./versions/0333_step.sql:4: Revises 'a99999999999', which no script defines
./versions/0501_step.sql:4: Revises 'a00000000500', which no script defines
./versions/0651_step.sql:4: Revises 'a00000000650', which no script defines" \
	"damaged history, one thread: every problem, each kind in file order"
for t in 2 4 8; do
	RETORT_THREADS=$t RETORT_CACHE=off rt heads
	is "$RC:$ERR" "2:$want_err" "damaged history on $t threads, no cache: the same errors"
done
RETORT_THREADS=4 rt heads
is "$RC:$ERR" "2:$want_err" "damaged history on 4 threads, with the cache: the same errors"

# A value that is not a count of threads is ignored.
rm -rf versions && mkdir versions
cp "$TOP_SRCDIR"/migrations/versions/*.sql versions/
RETORT_THREADS=1 RETORT_CACHE=off rt heads
want_heads=$OUT
for v in 0 -3 abc 65 ''; do
	RETORT_THREADS=$v rt heads
	is "$RC:$OUT:$ERR" "0:$want_heads:" "RETORT_THREADS='$v': ignored"
done

done_testing
