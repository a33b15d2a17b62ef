#!/bin/bash
# The bad-input corpus (tests/data/bad/README): every case is refused with
# exactly its .err lines and exit 2, and no database is created. Then
# generated extremes: a 10 MB line, 2,000 scripts.
. "$TOP_SRCDIR/tests/lib.sh"

BAD="$TOP_SRCDIR/tests/data/bad"

# check_case NAME SCRIPTS WANT-ERR: heads and upgrade refuse the scripts.
check_case() {
	local name=$1 scripts=$2 want=$3 db="$T_DIR/db/$1.db"
	rt -s "$scripts" heads
	if [ "$RC" -eq 2 ] && [ "$ERR" = "$want" ] && [ -z "$OUT" ]; then
		t_result 0 "$name: heads refuses with exactly its .err, exit 2"
	else
		t_result 1 "$name: heads refuses with exactly its .err, exit 2"
		diag "exit status $RC" "stderr:" "$ERR" "want:" "$want" "stdout:" "$OUT"
	fi
	rt -s "$scripts" -d "sqlite:///$db" upgrade
	if [ "$RC" -eq 2 ] && [ "$ERR" = "$want" ] && [ ! -e "$db" ]; then
		t_result 0 "$name: upgrade refuses the same way and creates no database"
	else
		t_result 1 "$name: upgrade refuses the same way and creates no database"
		diag "exit status $RC" "stderr:" "$ERR" "want:" "$want"
		[ -e "$db" ] && diag "$db was created"
	fi
}

mkdir -p "$T_DIR/db"
: > "$T_DIR/empty.ini"
ncases=0
for sql in "$BAD"/*.sql; do
	name=$(basename "$sql" .sql)
	T="$T_DIR/bad/$name"
	mkdir -p "$T/versions"
	cp "$sql" "$T/versions/$name.sql"
	want=$(sed "s|@FILE@|$T/versions/$name.sql|g" "$BAD/$name.err")
	cd "$T" || exit 1
	check_case "$name" "$T" "$want"
	ncases=$((ncases + 1))
done

# NAME.dir cases run from the top source directory, with their paths
# relative to it, as their .err files spell them.
cd "$TOP_SRCDIR" || exit 1
for dir in "$BAD"/*.dir; do
	name=$(basename "$dir" .dir)
	want=$(cat "$BAD/$name.err")
	check_case "$name" "tests/data/bad/$name.dir" "$want"
	ncases=$((ncases + 1))
done
[ "$ncases" -ge 40 ]
t_result $? "the corpus has its cases ($ncases)"

# A damaged graph stops a command that writes scripts, too.
T="$T_DIR/bad/missing_parent_revision"
mkdir -p "$T/versions"
cp "$BAD/revises_missing.sql" "$T/versions/"
rt -c "$T_DIR/empty.ini" -s "$T" revision -m "More"
ok_rc 2 "revision on a damaged graph: exit 2"
is "$(ls "$T/versions")" "revises_missing.sql" "revision on a damaged graph: writes nothing"

# ---- a 10 MB line ----
cd "$T_DIR" || exit 1
H="$T_DIR/huge"
mkdir -p "$H/versions"
{
	printf -- '-- Huge comment\n--\n-- Revision ID: huge1\n-- Revises:\n\n-- migrate:upgrade\n-- '
	head -c 10485760 /dev/zero | tr '\0' 'x'
	printf '\nCREATE TABLE t (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t;\n'
} > "$H/versions/huge1.sql"
rt -s "$H" heads
ok_rc 0 "10 MB comment line in a section: heads exit 0"
is "$OUT" "huge1 (head)" "10 MB comment line in a section: heads"
rt -s "$H" show huge1
ok_rc 0 "10 MB comment line: show exit 0"
is "$(printf '%s\n' "$OUT" | awk 'length($0) > max {max = length($0)} END {print max}')" "10485763" \
	"10 MB comment line: show prints the whole line"
like "$OUT" '^DROP TABLE t;$' "10 MB comment line: and the downgrade after it"

# The same size as the message, the first header line.
{
	printf -- '-- M'
	head -c 10485760 /dev/zero | tr '\0' 'y'
	printf '\n--\n-- Revision ID: huge2\n-- Revises: huge1\n\n-- migrate:upgrade\n-- migrate:downgrade\n'
} > "$H/versions/huge2.sql"
rt -s "$H" history -r huge2
ok_rc 0 "10 MB message: history exit 0"
prefix="huge1 -> huge2 (head), M"
is "${#OUT}" "$((${#prefix} + 10485760))" "10 MB message: history prints it whole"
is "${OUT:0:${#prefix}}" "$prefix" "10 MB message: in Alembic's line"

# A 10 MB line of SQL where the header should end: refused, named.
{
	printf -- '-- Stray\n--\n-- Revision ID: huge3\n-- Revises: huge2\n'
	head -c 10485760 /dev/zero | tr '\0' 'z'
	printf '\n-- migrate:upgrade\n'
} > "$H/versions/huge3.sql"
rt -s "$H" heads
ok_rc 2 "10 MB stray line: exit 2"
is "$ERR" "$H/versions/huge3.sql:5: SQL before the '-- migrate:upgrade' marker" \
	"10 MB stray line: one error with its line"
rm "$H/versions/huge3.sql"

# A 10 MB file without a single newline.
head -c 10485760 /dev/zero | tr '\0' '-' > "$H/versions/huge4.sql"
rt -s "$H" heads
ok_rc 2 "10 MB without a newline: exit 2, no crash"
like "$ERR" "^$H/versions/huge4\\.sql:" "10 MB without a newline: the file is named"
rm "$H/versions/huge4.sql"

# ---- 2,000 scripts ----
M="$T_DIR/many"
chain_scripts "$M/versions" 2000
rt -s "$M" heads
ok_rc 0 "2,000 scripts: heads exit 0"
is "$OUT" "r2000 (head)" "2,000 scripts: one head"
rt -s "$M" history
ok_rc 0 "2,000 scripts: history exit 0"
is "$(printf '%s\n' "$OUT" | wc -l | tr -d ' ')" "2000" "2,000 scripts: 2,000 lines"
is "$(printf '%s\n' "$OUT" | sed -n '1p;$p')" "r1999 -> r2000 (head), Step 2000
<base> -> r0001, Step 1" "2,000 scripts: newest first, the base last"
rt -s "$M" history --graph
is "$(printf '%s\n' "$OUT" | grep -c '^● ')" "2000" "2,000 scripts: --graph draws every row"
rt -s "$M" show r0001+1999
like "$OUT" '^Revision ID: r2000$' "2,000 scripts: r0001+1999 walks to the head"
rt -s "$M" history -r r1000:r1002
is "$OUT" "r1001 -> r1002, Step 1002
r1000 -> r1001, Step 1001
r0999 -> r1000, Step 1000" "2,000 scripts: a range in the middle"

# One broken script among them is found and named.
sed -i 's/^-- Revises: r1233$/-- Revises: r9999/' "$M/versions/r1234.sql"
rt -s "$M" heads
ok_rc 2 "2,000 scripts, one broken: exit 2"
like "$ERR" "^$M/versions/r1234\\.sql:4: .*r9999" "2,000 scripts, one broken: named with its line"

done_testing
