#!/bin/bash
# init, revision and merge: the commands that write scripts.
. "$TOP_SRCDIR/tests/lib.sh"

nfiles() { find "$1" -type f | wc -l | tr -d ' '; }

# ---- init ----
D="$T_DIR/new"
mkdir -p "$D" && cd "$D" || exit 1
rt init
ok_rc 0 "init: exit 0"
is "$OUT" "Created retort.ini and migrations/versions/
Next: retort revision -m \"first change\"" "init: says what it created"
[ -d migrations/versions ]
t_result $? "init: migrations/versions/ exists"
is "$(cat retort.ini)" "# retort configuration: see retort.ini(5).
[retort]
script_location = migrations
database = sqlite:///app.db
version_table = retort_version
; transaction_mode = per-migration
; lock_timeout = 60
; production = false
; schema = migrations/schema.sql" "init: retort.ini with the embedded default database"
[ ! -e app.db ]
t_result $? "init: no database is created"

echo "; edited" >> retort.ini
before=$(cksum < retort.ini)
rt init
ok_rc 1 "init again: exit 1"
is "$ERR" "retort.ini already exists; retort init never overwrites it" "init again: refuses"
is "$(cksum < retort.ini)" "$before" "init again: retort.ini untouched"
rt init elsewhere
ok_rc 1 "init DIR with a retort.ini present: exit 1"
[ ! -e elsewhere ]
t_result $? "init DIR with a retort.ini present: DIR not created"

rm retort.ini
rt init
ok_rc 1 "init with versions/ present: exit 1"
is "$ERR" "migrations/versions already exists; retort init never overwrites it" \
	"init with versions/ present: refuses"
[ ! -e retort.ini ]
t_result $? "init with versions/ present: no retort.ini written"

D="$T_DIR/dir"
mkdir -p "$D" && cd "$D" || exit 1
rt -q init db/migrations
ok_rc 0 "init DIR: exit 0"
is "$OUT" "" "init -q: prints nothing"
[ -d db/migrations/versions ]
t_result $? "init DIR: DIR/versions/ exists"
like "$(cat retort.ini)" '^script_location = db/migrations$' "init DIR: script_location is DIR"

D="$T_DIR/conf"
mkdir -p "$D" && cd "$D" || exit 1
rt init -c custom.ini
ok_rc 0 "init -c FILE: exit 0"
[ -f custom.ini ] && [ ! -e retort.ini ]
t_result $? "init -c FILE: writes FILE, not retort.ini"

# ---- revision in the new project ----
cd "$T_DIR/new" && rm -rf migrations && rt init >/dev/null
rt revision -m "Create accounts & users"
ok_rc 0 "revision: exit 0"
like "$OUT" '^migrations/versions/[0-9]{8}_[0-9]{4}_[0-9a-f]{12}_create_accounts_users\.sql$' \
	"revision: prints YYYYMMDD_HHMM_<12 hex>_<slug>.sql"
F1=$OUT
[ -f "$F1" ]
t_result $? "revision: the file exists"
R1=$(basename "$F1" | cut -d_ -f3)
is "$(sed -n 1,4p "$F1")" "-- Create accounts & users
--
-- Revision ID: $R1
-- Revises:" "revision: the header names the message, the id, no parent"
date=$(sed -n 's/^-- Create Date: //p' "$F1")
stamp=$(printf '%s' "$date" | sed 's/^\(....\)-\(..\)-\(..\) \(..\):\(..\):..$/\1\2\3_\4\5/')
is "$(basename "$F1" | cut -c1-13)" "$stamp" "revision: the file name carries the Create Date"
like "$(cat "$F1")" '^-- migrate:upgrade$' "revision: an upgrade marker"
like "$(cat "$F1")" '^-- migrate:downgrade$' "revision: a downgrade marker"
rt heads
ok_rc 0 "heads after revision: exit 0"
is "$OUT" "$R1 (head)" "heads after revision: the new revision"
rt show head
like "$OUT" "^Message: Create accounts & users$" "show head: the message parses"

rt revision -m "Add email"
ok_rc 0 "second revision: exit 0"
F2=$OUT
R2=$(basename "$F2" | cut -d_ -f3)
like "$(cat "$F2")" "^-- Revises: $R1\$" "second revision revises the head"
rt heads
is "$OUT" "$R2 (head)" "heads: one head, the newest"

n=$(nfiles migrations/versions)
rt revision
ok_rc 2 "revision without -m: exit 2"
is "$ERR" "retort revision: a message is required: -m MSG" "revision without -m: says so"
rt revision -m "Revises: $R1"
ok_rc 2 "revision with a message that reads as a header key: exit 2"
is "$ERR" "-m 'Revises: $R1' would be read as a header key; reword the message" \
	"revision with a header-key message: refused"
rt revision -m "Fix: typo"
ok_rc 0 "revision with a colon in the message: fine"
rm -f "$OUT"
is "$(nfiles migrations/versions)" "$n" "refused revisions write nothing"

rt revision -m "A very long message that goes on and on, well past forty characters"
like "$OUT" '_a_very_long_message_that_goes_on_and_on\.sql$' "revision: the slug stops at 40 characters"
rm -f "$OUT"

# ---- several heads ----
# Ids are chosen to sort in the order the revisions are made, so that the
# order of heads (Create Date, then id) does not depend on the clock.
P="$T_DIR/multi"
mkdir -p "$P/versions" && cd "$P" || exit 1
printf '[retort]\nscript_location = .\n' > retort.ini
rt revision -m "First" --rev-id r1
ok_rc 0 "revision --rev-id: exit 0"
like "$OUT" '^\./versions/[0-9]{8}_[0-9]{4}_r1_first\.sql$' "revision --rev-id: the id in the file name"
rt revision -m "Second" --rev-id r2 --branch-label main
ok_rc 0 "revision --branch-label: exit 0"
like "$(cat "$OUT")" '^-- Branch Labels: main$' "revision --branch-label: written in the header"
rt revision -m "Second root" --head base --rev-id r3 --branch-label side
ok_rc 0 "revision --head base: exit 0"
like "$(cat "$OUT")" '^-- Revises:$' "revision --head base: a new root"
rt heads
is "$OUT" "r2 (main) (head)
r3 (side) (head)" "two heads after --head base"

n=$(nfiles versions)
rt revision -m "Ambiguous"
ok_rc 2 "revision with two heads and no --head: exit 2"
is "$ERR" "multiple heads are present (r2, r3); name one with --head, or run 'retort merge' to join them first" \
	"revision with two heads: suggests merge"
is "$(nfiles versions)" "$n" "revision with two heads: nothing written"

rt revision -m "On side" --head side@head --rev-id r4
ok_rc 0 "revision --head LABEL@head: exit 0"
like "$(cat "$OUT")" '^-- Revises: r3$' "revision --head LABEL@head: on that line"

rt revision -m "Splice" --head r1 --rev-id r5
ok_rc 2 "revision --head NON-HEAD: exit 2"
is "$ERR" "r1 is not a head; pass --splice to start a branch from it" "revision --head NON-HEAD: suggests --splice"
rt revision -m "Splice" --head r1 --splice --rev-id r5
ok_rc 0 "revision --head NON-HEAD --splice: exit 0"
like "$(cat "$OUT")" '^-- Revises: r1$' "revision --splice: branches from r1"
rt branches
is "$OUT" "r1 (branchpoint), First
   -> r2 (main) (head), Second
   -> r5 (head), Splice" "branches: the splice made r1 a branch point"

n=$(nfiles versions)
for bad in 9lives "two words" head heads base current; do
	rt revision -m x --head r4 --branch-label "$bad"
	ok_rc 2 "--branch-label '$bad' refused"
	is "$ERR" "--branch-label '$bad': expected a letter, then letters, digits, _ or -, and not head, heads, base or current" \
		"--branch-label '$bad': says why"
done
rt revision -m x --head r4 --branch-label main
ok_rc 2 "--branch-label already in use: exit 2"
is "$ERR" "--branch-label 'main' is already in use" "--branch-label duplicate: says so"
rt revision -m x --head r4 --branch-label r1
ok_rc 2 "--branch-label equal to a revision id: exit 2"
is "$ERR" "--branch-label 'r1' is already in use" "--branch-label equal to an id: refused"

for bad in a-b "a b" 123456789012345678901234567890123; do
	rt revision -m x --head r4 --rev-id "$bad"
	ok_rc 2 "--rev-id '$bad' refused"
	is "$ERR" "--rev-id '$bad': expected 1 to 32 of A-Z a-z 0-9 _" "--rev-id '$bad': says why"
done
rt revision -m x --head r4 --rev-id r2
ok_rc 2 "--rev-id of an existing revision: exit 2"
is "$ERR" "--rev-id 'r2': that revision already exists" "--rev-id duplicate: says so"
rt revision -m x --head r4 --rev-id main
ok_rc 2 "--rev-id equal to a label: exit 2"
is "$ERR" "--rev-id 'main': that is a branch label" "--rev-id equal to a label: says so"
rt revision -m x --head r4 --rev-id base
ok_rc 2 "--rev-id of a keyword: exit 2"
is "$ERR" "--rev-id 'base': head, heads, base and current are reserved" "--rev-id keyword: says so"
rt revision -m x --head nosuch
ok_rc 2 "--head unknown: exit 2"
is "$ERR" "no revision, branch label or prefix matches 'nosuch' (see 'retort history')" "--head unknown: says so"
is "$(nfiles versions)" "$n" "every refused revision wrote nothing"

rt revision -m "Needs both" --head r4 --depends-on main --depends-on r5 --rev-id r6
ok_rc 0 "revision --depends-on (repeated): exit 0"
like "$(cat "$OUT")" '^-- Depends On: r2, r5$' "revision --depends-on: a label and an id, resolved"
rt history -r r6
is "$OUT" "r4 (r2, r5) -> r6 (side) (head), Needs both" "history shows the new dependencies"
rt revision -m x --head r6 --depends-on nosuch
ok_rc 2 "--depends-on unknown: exit 2"
rt revision -m x --head r6 --depends-on heads
ok_rc 2 "--depends-on of several revisions: exit 2"
is "$ERR" "--depends-on 'heads' must name one revision" "--depends-on of several: says so"
# Every option given counts, however many: the 70th --depends-on is read
# (and refused) like the first.
many=()
for i in $(seq 69); do many+=(--depends-on r5); done
n=$(nfiles versions)
rt revision -m x --head r6 "${many[@]}" --depends-on nosuch
ok_rc 2 "70 --depends-on, the last unknown: exit 2"
is "$(nfiles versions)" "$n" "... and nothing written"

# ---- merge ----
rt heads
is "$OUT" "r2 (main) (head)
r5 (head)
r6 (side) (head)" "three heads before the merge"
rt merge r2 r1
ok_rc 2 "merge of an ancestor: exit 2"
is "$ERR" "cannot merge r1 and r2: r1 is an ancestor of r2" "merge of an ancestor: names both"
rt merge r2
ok_rc 2 "merge of one revision: exit 2"
is "$ERR" "nothing to merge: a merge needs two or more revisions" "merge of one revision: says so"
rt merge r2 r2
ok_rc 2 "merge of the same revision twice: exit 2"
rt merge r2 r5 -m "Revises: r1"
ok_rc 2 "merge with a header-key message: exit 2"
rt merge r2 nosuch
ok_rc 2 "merge of an unknown revision: exit 2"

rt merge r2 r5 --rev-id s1
ok_rc 0 "merge of two revisions: exit 0"
like "$OUT" '^\./versions/[0-9]{8}_[0-9]{4}_s1_merge_r2_and_r5\.sql$' "merge: file named after the default message"
is "$(sed -n '1p;4p' "$OUT")" "-- Merge r2 and r5
-- Revises: r2, r5" "merge: default message and both parents"
is "$(sed -n '/^-- migrate:upgrade$/,$p' "$OUT")" "-- migrate:upgrade

-- migrate:downgrade" "merge: both sections empty"

rt merge -m "Join everything" --branch-label joined --rev-id s2
ok_rc 0 "merge (default heads) -m: exit 0"
is "$(sed -n '1p;4p' "$OUT")" "-- Join everything
-- Revises: r6, s1" "merge: default heads, the message given"
rt heads
ok_rc 0 "heads after merge: exit 0"
is "$OUT" "s2 (joined) (head)" "heads after merge: one line, with the merge's own label"
rt heads -v
like "$OUT" "^Branch names: main, side, joined$" "heads -v after merge: every line's label"
rt show s2
like "$OUT" '^Status: s2 \(head\) \(mergepoint\)$' "show: the merge is a head and a merge point"
rt merge
ok_rc 2 "merge with one head: exit 2"
is "$ERR" "nothing to merge: there is only one head" "merge with one head: says so"
rt revision -m "After the merge"
ok_rc 0 "revision after the merge: one head again, no --head needed"

done_testing
