#!/bin/bash
# heads and branches on the demo history and the fixtures: no database.
. "$TOP_SRCDIR/tests/lib.sh"

# json_eval JSON PYTHON-EXPR: prints the expression's value, with the
# document bound to d (fails on invalid JSON).
json_eval() {
	printf '%s' "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}

project
rt heads
ok_rc 0 "heads: exit 0"
is "$OUT" "dd1123f32f48 (reporting) (head)
453fe4207322 (notifications) (head)" "heads: both heads of the demo, each with the label of its line"
is "$ERR" "" "heads: nothing on stderr"
[ ! -e app.db ]
t_result $? "heads: no database file is created"

rt heads -v
ok_rc 0 "heads -v: exit 0"
is "$OUT" "Rev: dd1123f32f48 (billing, catalog, reporting) (head)
Parent: 041584a9edb9
Branch names: billing, catalog, reporting
Path: ./versions/20260310_1400_dd1123f32f48_create_reports.sql

    Create reports

    Revision ID: dd1123f32f48
    Revises: 041584a9edb9
    Create Date: 2026-03-10 14:00:00

Rev: 453fe4207322 (billing, catalog, notifications) (head)
Parent: 8cc5b122869d
Also depends on: dd1123f32f48
Branch names: billing, catalog, notifications
Path: ./versions/20260317_1645_453fe4207322_add_report_subscriptions.sql

    Add report subscriptions

    Revision ID: 453fe4207322
    Revises: 8cc5b122869d
    Create Date: 2026-03-17 16:45:00" "heads -v: Alembic's verbose blocks"

rt heads --json
ok_rc 0 "heads --json: exit 0"
is "$(json_eval "$OUT" '[h["revision"] for h in d["heads"]]')" \
	"['dd1123f32f48', '453fe4207322']" "heads --json: the two heads in order"
is "$(json_eval "$OUT" 'd["heads"][1]')" \
	"{'revision': '453fe4207322', 'message': 'Add report subscriptions', 'parents': ['8cc5b122869d'], 'children': [], 'depends_on': ['dd1123f32f48'], 'branch_labels': [], 'branches': ['billing', 'catalog', 'notifications'], 'create_date': '2026-03-17 16:45:00', 'path': './versions/20260317_1645_453fe4207322_add_report_subscriptions.sql', 'is_head': True, 'is_base': False, 'is_branch_point': False, 'is_merge_point': False, 'transaction': 'per-migration', 'reversible': True}" \
	"heads --json: every field of a head"
is "$(json_eval "$OUT" 'd["heads"][0]["branch_labels"]')" "['reporting']" \
	"heads --json: branch_labels are the revision's own labels"
unlike "$OUT" '"current"' "heads --json: no current field without a database"

rt heads extra
ok_rc 2 "heads with an operand: exit 2"
is "$ERR" "retort heads: unexpected argument 'extra'" "heads with an operand: says which"

# Depends On does not make a parent: c2 is a head until dependencies count.
rt -s "$TOP_SRCDIR/tests/data/depends" heads
is "$OUT" "c2 (core) (head)
f2 (feat) (head)" "depends: heads from parent edges only"
rt -s "$TOP_SRCDIR/tests/data/depends" heads --resolve-dependencies
ok_rc 0 "heads --resolve-dependencies: exit 0"
is "$OUT" "f2 (feat) (head)" "depends: --resolve-dependencies drops the head f2 depends on"
rt -s "$TOP_SRCDIR/tests/data/depends" --json heads --resolve-dependencies
is "$(json_eval "$OUT" '[(h["revision"], h["depends_on"]) for h in d["heads"]]')" \
	"[('f2', ['c2'])]" "depends: --resolve-dependencies --json"

rt -s "$TOP_SRCDIR/tests/data/linear" heads
is "$OUT" "l5 (head)" "linear: one head, no labels"

# ---- branches ----
rt branches
ok_rc 0 "branches: exit 0"
is "$OUT" "041584a9edb9 (billing, catalog) (branchpoint), Create audit log
             -> dd1123f32f48 (billing, catalog, reporting) (head), Create reports
             -> 8cc5b122869d (billing, catalog, notifications), Create notifications
acb6fdd1c7db (branchpoint), Add user email
             -> c0f44988ee9d (billing), Create payments
             -> 1060bd4a72be (catalog), Create categories" \
	"branches: newest branch point first, children indented under it"

rt branches -v
ok_rc 0 "branches -v: exit 0"
like "$OUT" '^Rev: acb6fdd1c7db \(branchpoint\)$' "branches -v: verbose block of the branch point"
like "$OUT" '^Branches into: c0f44988ee9d, 1060bd4a72be$' "branches -v: lists its children"
like "$OUT" '^             -> 1060bd4a72be \(catalog\), Create categories$' "branches -v: and the child lines"

rt branches --json
ok_rc 0 "branches --json: exit 0"
is "$(json_eval "$OUT" '[(b["revision"], b["children"], b["is_branch_point"]) for b in d["branchpoints"]]')" \
	"[('041584a9edb9', ['dd1123f32f48', '8cc5b122869d'], True), ('acb6fdd1c7db', ['c0f44988ee9d', '1060bd4a72be'], True)]" \
	"branches --json: the branch points and their children"

rt -s "$TOP_SRCDIR/tests/data/branchy" branches
is "$OUT" "m1 (beta, alpha) (branchpoint) (mergepoint), Merge alpha and beta
   -> x1 (beta, alpha) (head), After the merge x
   -> y1 (beta, alpha) (head), After the merge y
t2 (branchpoint), Second trunk table
   -> b1 (beta), Start beta
   -> a1 (alpha), Start alpha" "branchy: a revision both merge point and branch point"

rt -s "$TOP_SRCDIR/tests/data/linear" branches
ok_rc 0 "linear: branches exit 0"
is "$OUT" "" "linear: no branch points, no output"
rt -s "$TOP_SRCDIR/tests/data/linear" branches --json
is "$OUT" '{"branchpoints":[]}' "linear: branches --json is an empty list"

done_testing
