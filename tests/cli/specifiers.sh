#!/bin/bash
# Alembic's specifier semantics on a real SQLite file: LABEL@heads, a
# revision id where a label stands (b1@base, b1@head, b1@-1), upgrade
# LABEL@base applies nothing, LABEL@-N below a branch's first revision
# reverts that branch and what depends on it only, and a label used with
# itself (ebranch@ebranch) is the labelled revision.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend sqlite

# t1 -+- a1 (alpha) - a2
#      +- b1 (beta) - b2
d="$T_DIR/fork"
for r in "t1 -" "a1 t1 Branch Labels: alpha" "a2 a1" "b1 t1 Branch Labels: beta" "b2 b1"; do
	set -- $r
	id=$1 parent=$2
	[ "$parent" = - ] && parent=
	shift 2
	mkrev "$d" "$id" "$parent" "$*" <<EOF
-- migrate:upgrade
CREATE TABLE t_$id (id INTEGER);
-- migrate:downgrade
DROP TABLE t_$id;
EOF
done
project_of "$d"
newdb fork
rtd upgrade beta@heads
ok_rc 0 "upgrade beta@heads"
is_rows "b2" "beta@heads is beta@head"
rt show beta@heads
like "$OUT" "^Revision ID: b2$" "show beta@heads is b2"
rt show beta@heads-1
like "$OUT" "^Revision ID: b1$" "show beta@heads-1 is b1"
rt show t1@head
ok_rc 2 "show t1@head: t1's line has two heads"
is "$ERR" "branch 't1' has several heads (a2, b2); name one" "... naming them"
rtd upgrade alpha@alpha
ok_rc 0 "upgrade alpha@alpha"
is_rows "a1 b2" "alpha@alpha is the labelled revision, a1"
rt show alpha@alpha
like "$OUT" "^Revision ID: a1$" "show alpha@alpha is a1"
rt show alpha@beta
ok_rc 2 "alpha@beta: beta's revision is not on alpha's line"
rtd downgrade b1@base
ok_rc 0 "downgrade b1@base: a revision where a label stands"
is_rows "a1" "... reverts b1's line, b1 and b2, and nothing else"
is "$(tables)" "retort_history retort_version t_a1 t_t1" "... their tables gone"
rtd upgrade b1@head
ok_rc 0 "upgrade b1@head"
is_rows "a1 b2" "b1@head is the head of b1's line, b2"
rtd downgrade b2@-1
ok_rc 0 "downgrade b2@-1"
is_rows "a1 b1" "... one step down b2's line"
rtd upgrade b1@base
ok_rc 0 "upgrade b1@base"
is_rows "a1 b1" "upgrade LABEL@base applies nothing"
like "$OUT" "Nothing to do" "... and says so"
rtd upgrade beta@base --dry-run
like "$OUT" "Nothing to do" "--dry-run says the same"
rt show nosuch@head
ok_rc 2 "an unknown name before @"
is "$ERR" "no branch label or revision 'nosuch' in 'nosuch@head'" "... named"

# x1 (label x) and y1 - y2 (label y) are unrelated lines; y2 depends on x1.
d="$T_DIR/dep"
mkrev "$d" x1 "" "Branch Labels: x" <<'EOF'
-- migrate:upgrade
CREATE TABLE t_x1 (id INTEGER);
-- migrate:downgrade
DROP TABLE t_x1;
EOF
mkrev "$d" y1 "" "Branch Labels: y" <<'EOF'
-- migrate:upgrade
CREATE TABLE t_y1 (id INTEGER);
-- migrate:downgrade
DROP TABLE t_y1;
EOF
mkrev "$d" y2 y1 "Depends On: x1" <<'EOF'
-- migrate:upgrade
CREATE TABLE t_y2 (id INTEGER);
-- migrate:downgrade
DROP TABLE t_y2;
EOF
project_of "$d"
newdb dep
rtd upgrade y2
ok_rc 0 "upgrade y2 (and its dependency x1)"
is_rows "x1 y2" "upgrade y2"
rtd downgrade x@-1
ok_rc 0 "downgrade x@-1 below x's first revision"
is_rows "y1" "... reverts x1 and y2, which depends on it; y1 stays"
is "$(ledger1 revision "direction = 'downgrade'")" "y2 x1" "... the dependent first"
is "$(tables)" "retort_history retort_version t_y1" "... the tables follow"
rtd upgrade heads
rtd downgrade y@-2
ok_rc 0 "downgrade y@-2"
is_rows "x1" "... reverts y's line only: x1 stays"
rtd upgrade x@base
ok_rc 0 "upgrade x@base"
is_rows "x1" "... applies nothing"

done_testing
