#!/bin/bash
# What the read commands say about the database's state: a SQLite file
# that does not exist is said so (never an empty database), an unknown
# state has its own glyph in history --graph -i, and current and heads
# name each line by its own labels.
. "$TOP_SRCDIR/tests/lib.sh"

project
exists() { [ -e "$1" ] && echo yes || echo no; }

# ---- a SQLite file that does not exist ----
rt current
ok_rc 1 "current on a missing file: exit 1"
is "$OUT" "" "... prints no revision"
like "$ERR" "^database file app\\.db does not exist \\(sqlite:///app\\.db\\): check the database URL" \
	"... and says the file does not exist"
rt --json current
ok_rc 1 "current --json on a missing file: exit 1 too"
rt -d "sqlite:///$T_DIR/no/such/dir/x.db" current
ok_rc 1 "a path in a directory that does not exist: exit 1"
like "$ERR" "database file $T_DIR/no/such/dir/x\\.db does not exist" "... said the same way"

rt check
ok_rc 1 "check on a missing file: exit 1"
like "$OUT" "^sqlite:///app\\.db: database file app\\.db does not exist \\(check the database URL\\)$" \
	"... the missing file is a problem"
unlike "$OUT" "No problems found" "... never 'No problems found'"
rt --json check
like "$OUT" '"sqlite:///app.db: database file app.db does not exist \(check the database URL\)"' \
	"check --json lists it too"

rt history --applied
ok_rc 1 "history --applied on a missing file: exit 1"
like "$ERR" "database file app\\.db does not exist" "... said"
unlike "$OUT" "ledger is empty" "... never 'the ledger is empty'"
rt lock
ok_rc 1 "lock on a missing file: exit 1"
like "$ERR" "database file app\\.db does not exist" "... said"
rt history -i
ok_rc 1 "history -i on a missing file: exit 1"
rt repair c12435d869e2
ok_rc 1 "repair on a missing file: exit 1"
rt lint current:
ok_rc 1 "lint current: on a missing file: exit 1"
like "$ERR" "database file app\\.db does not exist" "... said"
rt downgrade base
ok_rc 1 "downgrade on a missing file: exit 1, nothing to revert"
like "$ERR" "database file app\\.db does not exist" "... said"
rt rollback --yes base </dev/null
ok_rc 1 "rollback on a missing file: exit 1"
is "$(exists app.db)$(exists app.db.lock)" "nono" "none of them created the file or its lock"

# ---- the unknown glyph ----
rt history --graph -i
ok_rc 1 "history --graph -i on a missing file: exit 1, after the graph"
is "$(printf '%s\n' "$OUT" | grep -c '◌')" 13 "... every revision drawn ◌"
is "$(printf '%s\n' "$OUT" | grep -c '[●○]')" 0 "... none as applied or pending"
like "$ERR" "The database could not be read: every revision is drawn ◌ \\(its state is unknown\\)\\.$" \
	"... and says what ◌ means"
rt history --graph -i --ascii
is "$(printf '%s\n' "$OUT" | grep -c '^[^a-z0-9<]*?')" 13 "... ? in ASCII"
rt -d "postgresql://nobody@127.0.0.1:1/nowhere" history --graph -i
ok_rc 1 "an unreachable database: the same"
is "$(printf '%s\n' "$OUT" | grep -c '◌')" 13 "... every revision drawn ◌"

# upgrade still creates the file, as before
rt upgrade 041584a9edb9 -q
ok_rc 0 "upgrade creates the missing file"
is "$(exists app.db)" yes "... which now exists"
rt history --graph -i
ok_rc 0 "history --graph -i: exit 0"
is "$(printf '%s\n' "$OUT" | sed -n 1p)" \
	"○   8cc5b122869d (dd1123f32f48) -> 453fe4207322 (billing, catalog, notifications) (head), Add report subscriptions" \
	"a pending revision is drawn ○"
like "$OUT" "●─╯ d58e11da093b -> 041584a9edb9 \\(billing, catalog\\) \\(branchpoint\\) \\(current\\), Create audit log" \
	"an applied one ●"
is "$(printf '%s\n' "$OUT" | grep -c '○')$(printf '%s\n' "$OUT" | grep -c '●')" "310" "3 pending, 10 applied"
rt history --graph -i --ascii
like "$OUT" "^o   8cc5b122869d" "ASCII: o for pending"
like "$OUT" "^\\*-/ d58e11da093b" "ASCII: * for applied"
rt history --graph
is "$(printf '%s\n' "$OUT" | grep -c '●')" 13 "without -i the graph claims no state: the plain node"
rt current
ok_rc 0 "current on the file: exit 0"
rt check
unlike "$OUT" "does not exist" "check on the file: no such problem"
rm app.db
rt current
ok_rc 1 "a file removed since: exit 1 again"

# ---- labels: what identifies a line ----
project
rt heads
is "$OUT" "dd1123f32f48 (reporting) (head)
453fe4207322 (notifications) (head)" "heads: the label of each head's line (453fe4207322's first parent declares it)"
rt upgrade heads -q
rt current
is "$OUT" "453fe4207322 (notifications) (head)
dd1123f32f48 (reporting) (head)" "current: the same labels"
rt heads -v
like "$OUT" "^Rev: dd1123f32f48 \\(billing, catalog, reporting\\) \\(head\\)$" "heads -v: every label that covers it"
like "$OUT" "^Branch names: billing, catalog, notifications$" "... listed"
rt current -v
like "$OUT" "^Rev: 453fe4207322 \\(billing, catalog, notifications\\) \\(head\\) \\(current\\)$" \
	"current -v: every label"

# A long line labelled again and again: only the nearest labels show.
L="$T_DIR/labels"
mkdir -p "$L/versions"
prev=""
for i in 1 2 3 4 5 6; do
	{
		printf -- '-- Step %s\n--\n-- Revision ID: r%s\n-- Revises: %s\n' "$i" "$i" "$prev"
		[ "$i" -le 4 ] && printf -- '-- Branch Labels: l%s, m%s\n' "$i" "$i"
		printf -- '\n-- migrate:upgrade\nSELECT %s;\n\n-- migrate:downgrade\nSELECT %s;\n' "$i" "$i"
	} >"$L/versions/r$i.sql"
	prev=r$i
done
rt -s "$L" heads
is "$OUT" "r6 (l4, m4) (head)" "an unlabelled head: the labels of the nearest labelled revision below it"
rt -s "$L" -d "sqlite:///$T_DIR/labels.db" upgrade r3 -q
rt -s "$L" -d "sqlite:///$T_DIR/labels.db" current
is "$OUT" "r3 (l3, m3)" "current: its own labels, not the ones inherited from below"
rt -s "$L" heads -v
like "$OUT" "^Branch names: l1, m1, l2, m2, l3, m3, l4, m4$" "heads -v: all of them"

done_testing
