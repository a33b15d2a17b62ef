#!/bin/bash
# show, and the revision specifiers that need no database.
. "$TOP_SRCDIR/tests/lib.sh"

json_eval() {
	printf '%s' "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}

# A small history that uses every header field, and an irreversible script.
P="$T_DIR/fields"
mkdir -p "$P/versions"
cd "$P" || exit 1
cat > versions/a.sql <<'EOF'
-- Create things
--
-- Revision ID: aaa111
-- Revises:
-- Create Date: 2026-05-01 10:00:00
-- Branch Labels: things

-- migrate:upgrade

CREATE TABLE things (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE things;
EOF
cat > versions/b.sql <<'EOF'
-- Index things concurrently
--
-- A longer explanation, which is not the message.
--
-- Revision ID: bbb222
-- Revises: aaa111
-- Create Date: 2026-05-02 10:00:00
-- Branch Labels: idx, fast
-- Depends On: things
-- Transaction: none

-- migrate:upgrade
CREATE INDEX CONCURRENTLY ix_things ON things (id);
-- migrate:downgrade
DROP INDEX ix_things;
EOF
cat > versions/c.sql <<'EOF'
-- Drop legacy data
--
-- Revision ID: ccc333
-- Revises: bbb222

-- migrate:upgrade
DELETE FROM things;
EOF
printf '[retort]\nscript_location = .\n' > retort.ini

rt show bbb
ok_rc 0 "show: exit 0"
is "$OUT" "Revision ID: bbb222
Revises: aaa111
Create Date: 2026-05-02 10:00:00
Branch Labels: idx, fast
Depends On: aaa111
Transaction: none
Message: Index things concurrently
Branch: things, idx, fast
Children: ccc333
Status: bbb222
File: ./versions/b.sql

-- migrate:upgrade
CREATE INDEX CONCURRENTLY ix_things ON things (id);

-- migrate:downgrade
DROP INDEX ix_things;" "show: every header field, children, file, both sections"
is "$ERR" "" "show: nothing on stderr"

rt show aaa111
is "$OUT" "Revision ID: aaa111
Revises:
Create Date: 2026-05-01 10:00:00
Branch Labels: things
Transaction: per-migration
Message: Create things
Branch: things, idx, fast
Children: bbb222
Status: aaa111
File: ./versions/a.sql

-- migrate:upgrade
CREATE TABLE things (id INTEGER PRIMARY KEY);

-- migrate:downgrade
DROP TABLE things;" "show: a base, blank lines around the sections dropped"

rt show ccc333
ok_rc 0 "show irreversible: exit 0"
is "$OUT" "Revision ID: ccc333
Revises: bbb222
Transaction: per-migration
Message: Drop legacy data
Branch: things, idx, fast
Children:
Status: ccc333 (head) (irreversible)
File: ./versions/c.sql

-- migrate:upgrade
DELETE FROM things;" "show irreversible: no Create Date, marked irreversible, no downgrade section"

rt show --json ccc
ok_rc 0 "show --json: exit 0"
is "$(json_eval "$OUT" '[(r["revision"], r["reversible"], r["create_date"], r["upgrade_sql"], r["downgrade_sql"]) for r in d["revisions"]]')" \
	"[('ccc333', False, None, 'DELETE FROM things;\\n', None)]" "show --json: irreversible, no date, the SQL"
rt show bbb --json
is "$(json_eval "$OUT" '[(r["transaction"], r["branch_labels"], r["depends_on"], r["downgrade_sql"]) for r in d["revisions"]]')" \
	"[('none', ['idx', 'fast'], ['aaa111'], 'DROP INDEX ix_things;\\n')]" "show --json: transaction, labels, dependencies"

# ---- the demo ----
project

rt show d58e
is "$OUT" "Revision ID: d58e11da093b
Revises: 3dcd61aad93b, 2b604fab0cca
Create Date: 2026-02-24 10:00:00
Transaction: per-migration
Message: Merge billing and catalog
Branch: billing, catalog
Children: 041584a9edb9
Status: d58e11da093b (mergepoint)
File: ./versions/20260224_1000_d58e11da093b_merge_billing_and_catalog.sql

-- migrate:upgrade

-- migrate:downgrade" "show: a merge point, both sections empty"

rt show 041584a9edb9
like "$OUT" '^Children: dd1123f32f48, 8cc5b122869d$' "show: a branch point's children"
like "$OUT" '^Status: 041584a9edb9 \(branchpoint\)$' "show: branch point marker"

rt show heads
ok_rc 0 "show heads: exit 0"
is "$(printf '%s\n' "$OUT" | grep '^Revision ID:')" "Revision ID: dd1123f32f48
Revision ID: 453fe4207322" "show heads: both heads, in order"
like "$OUT" '^DROP TABLE report_subscriptions;$' "show heads: the second head's SQL too"
is "$(printf '%s\n' "$OUT" | grep -c '^-- migrate:downgrade$')" "2" "show heads: two downgrade sections"

rt show head
ok_rc 2 "show head with two heads: exit 2"
is "$ERR" "multiple heads are present (dd1123f32f48, 453fe4207322); name one, use 'heads' for all, or 'LABEL@head'" \
	"show head with two heads: the documented error"
is "$OUT" "" "show head with two heads: nothing on stdout"

rt upgrade head --sql
ok_rc 2 "upgrade head --sql with two heads: exit 2"
is "$ERR" "multiple heads are present (dd1123f32f48, 453fe4207322); name one, use 'heads' for all, or 'LABEL@head'" \
	"upgrade head --sql with two heads: the same error"
[ ! -e app.db ]
t_result $? "upgrade head --sql with two heads: no database file"

rt show 4
ok_rc 2 "ambiguous prefix: exit 2"
is "$ERR" "ambiguous revision prefix '4' matches 453fe4207322, 4d45ff13dd15; type more characters" \
	"ambiguous prefix: lists the candidates"

rt show 0ff1ce
ok_rc 2 "unknown revision: exit 2"
is "$ERR" "no revision, branch label or prefix matches '0ff1ce' (see 'retort history')" \
	"unknown revision: says so"

rt show
ok_rc 2 "show without a revision: exit 2"
is "$ERR" "usage: retort show SPEC" "show without a revision: usage"

rt show "reporting@head"
ok_rc 0 "LABEL@head: exit 0"
like "$OUT" '^Revision ID: dd1123f32f48$' "LABEL@head: the head of the line"
rt show notifications@head
like "$OUT" '^Revision ID: 453fe4207322$' "LABEL@head: the other line"
rt show billing@head
ok_rc 2 "LABEL@head of a line with two heads: exit 2"
is "$ERR" "branch 'billing' has several heads (dd1123f32f48, 453fe4207322); name one" \
	"LABEL@head of a line with two heads: names them"
rt show reporting
like "$OUT" '^Revision ID: dd1123f32f48$' "LABEL: the labelled revision"

rt show 4d45+1
like "$OUT" '^Revision ID: 532afb069296$' "SPEC+1: one step up"
rt show 4d45+2
like "$OUT" '^Revision ID: acb6fdd1c7db$' "SPEC+2: two steps up"
rt show acb6-2
like "$OUT" '^Revision ID: 4d45ff13dd15$' "SPEC-2: two steps down"
rt show 532afb069296-1
like "$OUT" '^Revision ID: 4d45ff13dd15$' "full id -1"
rt show acb6+1
ok_rc 2 "SPEC+1 at a branch point: exit 2"
is "$ERR" "cannot step up: the next revision is ambiguous (c0f44988ee9d, 1060bd4a72be); name a branch (LABEL@+1) or a revision" \
	"SPEC+1 at a branch point: names both and the way out"
rt show 453f+1
ok_rc 2 "SPEC+1 at a head: exit 2"
is "$ERR" "cannot step up: no revision above (453fe4207322), which is a head" "SPEC+1 at a head: says so"
rt show c124-2
ok_rc 2 "below base: exit 2"
is "$ERR" "relative revision -2 goes below base" "below base: says so"
rt show c124-1
ok_rc 0 "SPEC-1 from a base: exit 0"
is "$OUT" "<base>: nothing applied" "SPEC-1 from a base: the base"

# ---- labels: a prefix ambiguous in the graph, unique within a branch ----
L="$TOP_SRCDIR/tests/data/labels"
rt -s "$L" show aa
ok_rc 2 "labels: 'aa' is ambiguous in the graph"
is "$ERR" "ambiguous revision prefix 'aa' matches aa1100000001, aa2200000001; type more characters" \
	"labels: ambiguous prefix lists both"
rt -s "$L" show alpha@aa
ok_rc 0 "labels: alpha@aa: exit 0"
like "$OUT" '^Revision ID: aa1100000001$' "labels: alpha@aa is unique in alpha"
rt -s "$L" show beta@aa
like "$OUT" '^Revision ID: aa2200000001$' "labels: beta@aa is unique in beta"
rt -s "$L" show trunk@aa
ok_rc 2 "labels: trunk@aa: exit 2"
is "$ERR" "ambiguous revision prefix 'aa' in branch 'trunk' matches aa1100000001, aa2200000001; type more characters" \
	"labels: trunk covers both, so still ambiguous"
rt -s "$L" show alpha@bd22
ok_rc 2 "labels: a revision outside the branch: exit 2"
is "$ERR" "no revision in branch 'alpha' matches 'bd22'" "labels: not in the branch"
rt -s "$L" show nolabel@head
ok_rc 2 "labels: unknown label: exit 2"
is "$ERR" "no branch label or revision 'nolabel' in 'nolabel@head'" "labels: unknown label named"
rt -s "$L" show gamma@head
like "$OUT" '^Revision ID: e2e200000003$' "labels: gamma@head"
rt -s "$L" show beta@aa+1
like "$OUT" '^Revision ID: bd2200000002$' "labels: LABEL@prefix+1 walks within the branch"
rt -s "$L" show alpha@ac11-1
like "$OUT" '^Revision ID: aa1100000001$' "labels: LABEL@prefix-1"
rt -s "$L" show e1e1-1
like "$OUT" '^Revision ID: e0e000000001$' "labels: one step down to the merge point"

done_testing
