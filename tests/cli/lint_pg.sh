#!/bin/bash
# lint's lock table (src/lint_forms.h) against a real PostgreSQL server:
# each measured row's example takes the lock the row names, reads or
# rewrites the table as the row says, or fails in a transaction as the
# row says (tests/cli/lint_locks.py does the measuring).
. "$TOP_SRCDIR/tests/lib.sh"

pg_start
pg_newdb lint_locks || { echo "Bail out! cannot create a database"; exit 1; }
export PGDATABASE=lint_locks

python3 "$TOP_SRCDIR/tests/cli/lint_locks.py" "$TOP_BUILDDIR/lint-table" >"$T_DIR/rows" \
	2>"$T_DIR/rows.err"
is "$(cat "$T_DIR/rows.err")" "" "the measurement runs"
n=0
while IFS=$'\t' read -r name verdict; do
	is "$verdict" ok "$name: PostgreSQL does what the row says"
	n=$((n + 1))
done <"$T_DIR/rows"
t_result "$([ "$n" -gt 40 ] && echo 0 || echo 1)" "$n rows measured"

done_testing
