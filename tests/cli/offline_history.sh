#!/bin/bash
# history: Alembic's lines, ranges, verbose, the lane graph, JSON.
. "$TOP_SRCDIR/tests/lib.sh"

json_eval() {
	printf '%s' "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}

project

L_453F='8cc5b122869d (dd1123f32f48) -> 453fe4207322 (billing, catalog, notifications) (head), Add report subscriptions'
L_8CC5='041584a9edb9 -> 8cc5b122869d (billing, catalog, notifications), Create notifications'
L_DD11='041584a9edb9 -> dd1123f32f48 (billing, catalog, reporting) (head), Create reports'
L_0415='d58e11da093b -> 041584a9edb9 (billing, catalog) (branchpoint), Create audit log'
L_D58E='3dcd61aad93b, 2b604fab0cca -> d58e11da093b (billing, catalog) (mergepoint), Merge billing and catalog'
L_2B60='1060bd4a72be -> 2b604fab0cca (catalog), Add product search text'
L_3DCD='c0f44988ee9d -> 3dcd61aad93b (billing), Add refunds'
L_1060='acb6fdd1c7db -> 1060bd4a72be (catalog), Create categories'
L_C0F4='acb6fdd1c7db -> c0f44988ee9d (billing), Create payments'
L_ACB6='532afb069296 -> acb6fdd1c7db (branchpoint), Add user email'
L_532A='4d45ff13dd15 -> 532afb069296, Create orders'
L_4D45='c12435d869e2 -> 4d45ff13dd15, Create currencies and products'
L_C124='<base> -> c12435d869e2, Create accounts and users'

rt history
ok_rc 0 "history: exit 0"
is "$OUT" "$L_453F
$L_8CC5
$L_DD11
$L_0415
$L_D58E
$L_2B60
$L_3DCD
$L_1060
$L_C0F4
$L_ACB6
$L_532A
$L_4D45
$L_C124" "history: all 13 revisions newest first, Alembic's lines and markers"
is "$ERR" "" "history: nothing on stderr"

rt history -r acb6:d58e
ok_rc 0 "history -r A:B: exit 0"
is "$OUT" "$L_D58E
$L_2B60
$L_3DCD
$L_1060
$L_C0F4
$L_ACB6" "history -r A:B: both ends included, both branches between"

rt history -r 041584a9edb9:
is "$OUT" "$L_453F
$L_8CC5
$L_DD11
$L_0415" "history -r A: from A to the heads"

rt history -r :4d45
is "$OUT" "$L_4D45
$L_C124" "history -r :B: from the base to B"

rt history -r base:4d45
is "$OUT" "$L_4D45
$L_C124" "history -r base:B: same as :B"

rt history --rev-range=reporting:
is "$OUT" "$L_DD11" "history --rev-range=LABEL: a label as the start"

rt history -r 4d45
is "$OUT" "$L_4D45" "history -r SPEC: that revision alone"

rt history -r zz:
ok_rc 2 "history -r with an unknown revision: exit 2"
is "$ERR" "no revision, branch label or prefix matches 'zz' (see 'retort history')" \
	"history -r with an unknown revision: says so"
is "$OUT" "" "history -r with an unknown revision: prints nothing"

rt history -r head:
ok_rc 2 "history -r head: with two heads: exit 2"
is "$ERR" "multiple heads are present (dd1123f32f48, 453fe4207322); name one, use 'heads' for all, or 'LABEL@head'" \
	"history -r head: with two heads: the documented error"

rt history 4d45
ok_rc 2 "history with an operand: exit 2"
is "$ERR" "retort history: unexpected argument '4d45' (use -r RANGE)" "history with an operand: points at -r"

rt history -v -r :4d45
ok_rc 0 "history -v: exit 0"
is "$OUT" "Rev: 4d45ff13dd15
Parent: c12435d869e2
Path: ./versions/20260119_1440_4d45ff13dd15_create_currencies_and_products.sql

    Create currencies and products

    Revision ID: 4d45ff13dd15
    Revises: c12435d869e2
    Create Date: 2026-01-19 14:40:00

Rev: c12435d869e2
Parent: <base>
Path: ./versions/20260112_0915_c12435d869e2_create_accounts_and_users.sql

    Create accounts and users

    Revision ID: c12435d869e2
    Revises:
    Create Date: 2026-01-12 09:15:00" "history -v: verbose blocks, <base> parent"

rt history -v -r d58e
like "$OUT" '^Rev: d58e11da093b \(billing, catalog\) \(mergepoint\)$' "history -v: merge point marker"
like "$OUT" '^Merges: 3dcd61aad93b, 2b604fab0cca$' "history -v: a merge point lists what it merges"
rt -v history -r 453f
like "$OUT" '^Also depends on: dd1123f32f48$' "history -v (global, before the command): dependencies"

# The lanes, as the console draws them (lib.sh runs in C.UTF-8).
rt history --graph
ok_rc 0 "history --graph: exit 0"
is "$OUT" "●   $L_453F
●   $L_8CC5
│ ● $L_DD11
●─╯ $L_0415
●─╮ $L_D58E
│ ● $L_2B60
● │ $L_3DCD
│ ● $L_1060
● │ $L_C0F4
●─╯ $L_ACB6
●   $L_532A
●   $L_4D45
●   $L_C124" "history --graph: the demo's lanes in UTF-8"

rt history --graph --ascii
is "$OUT" "*   $L_453F
*   $L_8CC5
| * $L_DD11
*-/ $L_0415
*-\\ $L_D58E
| * $L_2B60
* | $L_3DCD
| * $L_1060
* | $L_C0F4
*-/ $L_ACB6
*   $L_532A
*   $L_4D45
*   $L_C124" "history --graph --ascii: the same lanes in ASCII"

LC_ALL=C rt history --graph -r acb6:d58e
is "$OUT" "*-\\ $L_D58E
| * $L_2B60
* | $L_3DCD
| * $L_1060
* | $L_C0F4
*-/ $L_ACB6" "history --graph in the C locale: ASCII, and a range keeps its lanes"

rt history --graph -r d58e:
is "$OUT" "●   $L_453F
●   $L_8CC5
│ ● $L_DD11
●─╯ $L_0415
●   $L_D58E" "history --graph -r: edges to revisions outside the range are dropped"

rt -s "$TOP_SRCDIR/tests/data/branchy" history --graph
is "$OUT" "●   m1 -> y1 (beta, alpha) (head), After the merge y
│ ● m1 -> x1 (beta, alpha) (head), After the merge x
●─┤ a2, b2 -> m1 (beta, alpha) (branchpoint) (mergepoint), Merge alpha and beta
● │ a1 -> a2 (alpha), Continue alpha
│ ● b1 -> b2 (beta), Continue beta
● │ t2 -> a1 (alpha), Start alpha
│ ● t2 -> b1 (beta), Start beta
●─╯ t1 -> t2 (branchpoint), Second trunk table
●   <base> -> t1, Create trunk table" "branchy: a merge point that is also a branch point"

rt -s "$TOP_SRCDIR/tests/data/depends" history
is "$OUT" "f1 (c2) -> f2 (feat) (head), Feature detail table
c1 -> c2 (core) (head), Core detail table
<base> (c1) -> f1 (feat), Feature table
<base> -> c1 (core), Core table" "depends: dependencies in parentheses, order by dependencies then date"

rt history --json
ok_rc 0 "history --json: exit 0"
is "$(json_eval "$OUT" '[r["revision"] for r in d["revisions"]]')" \
	"['453fe4207322', '8cc5b122869d', 'dd1123f32f48', '041584a9edb9', 'd58e11da093b', '2b604fab0cca', '3dcd61aad93b', '1060bd4a72be', 'c0f44988ee9d', 'acb6fdd1c7db', '532afb069296', '4d45ff13dd15', 'c12435d869e2']" \
	"history --json: every revision, newest first"
is "$(json_eval "$OUT" '[(r["revision"], r["parents"], r["is_merge_point"]) for r in d["revisions"] if r["is_merge_point"] or r["is_base"]]')" \
	"[('d58e11da093b', ['3dcd61aad93b', '2b604fab0cca'], True), ('c12435d869e2', [], False)]" \
	"history --json: merge point and base"
rt --json history --graph -r :c124
is "$(json_eval "$OUT" '[r["revision"] for r in d["revisions"]]')" "['c12435d869e2']" \
	"history --json --graph: JSON wins, one revision"

rt history -r "reporting@head:"
is "$OUT" "$L_DD11" "history -r LABEL@head:"

rt history -r 4d45:c124
ok_rc 2 "a range whose start is above its end is an error"
is "$ERR" "range '4d45:c124' is empty: its start must be an ancestor of its end" "... saying why"

done_testing
