#!/bin/bash
# Reading Alembic projects without a database, with Alembic as the oracle:
# realistic histories of several hundred revisions grown by Alembic itself
# (tests/alembic_gen.py: merges, branches, expand and contract lines with
# depends_on, nested and several version folders, annotated headers in
# both quote styles), version_locations in every separator, recursive
# folders, and bad headers, each with its exact error.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
. "$TOP_SRCDIR/tests/cli/alembicenv.sh"
alembic_find
BK=offline

gen() { # DIR N SEED: a project grown by Alembic
	"$ALEMBIC_PY" "$TOP_SRCDIR/tests/alembic_gen.py" project "$1" "$2" --seed "$3" --restyle \
		>/dev/null 2>&1 || { echo "Bail out! alembic_gen.py failed"; exit 1; }
}

for seed in 11 12; do
	d="$T_DIR/real$seed"
	gen "$d" 300 "$seed"
	cd "$d" || exit 1
	n=$(find . -name '*.py' -path '*versions*' | wc -l)
	is "$n" 301 "seed $seed: 300 steps made 301 revisions (the labelled lines start with two)"
	rt history
	is "$(printf '%s\n' "$OUT" | wc -l)" 301 "seed $seed: history lists every one"
	same_as_alembic heads "seed $seed: heads as Alembic's"
	same_as_alembic "heads -v" "seed $seed: heads -v as Alembic's"
	same_as_alembic history "seed $seed: history as Alembic's"
	same_as_alembic "history -v" "seed $seed: history -v as Alembic's"
	same_as_alembic branches "seed $seed: branches as Alembic's"
	rt show expand@head
	mine=$OUT
	al show expand@head
	is "$(printf '%s\n' "$mine" | head -n "$(printf '%s\n' "$OUT" | wc -l)")" "$OUT" \
		"seed $seed: show expand@head begins as Alembic's"
	same_as_alembic "history -r contract:contract@head" "seed $seed: history of the contract line"
	rt history -r expand@head
	ok_rc 0 "seed $seed: a range of one revision"
	# every revision after its parents and dependencies, newest first
	rt history --json
	printf '%s\n' "$OUT" | "$ALEMBIC_PY" -c '
import json, sys
revs = json.load(sys.stdin)["revisions"]
pos = {r["revision"]: i for i, r in enumerate(revs)}
bad = [r["revision"] for r in revs for p in r["parents"] + r["depends_on"] if pos[p] < pos[r["revision"]]]
sys.exit(1 if bad else 0)'
	t_result $? "seed $seed: history --json lists each revision before its parents and dependencies"
done

# recursive_version_locations: the nested folders found without naming them
cd "$T_DIR/real11" || exit 1
rt history
listed=$OUT
sed -i -e 's|^version_locations = .*|version_locations = %(here)s/migrations/versions|' \
	-e 's|^\[alembic\]$|[alembic]\nrecursive_version_locations = true|' alembic.ini
rt history
is "$OUT" "$listed" "recursive_version_locations: the same history from the top folder alone"
mkdir -p migrations/versions/__pycache__
cp migrations/versions/*.py migrations/versions/__pycache__/ 2>/dev/null
rt heads
ok_rc 0 "... __pycache__ is not read"

# version_path_separator: Alembic's and retort's reading agree for each
sep_project() { # SEPARATOR-LINE LOCATIONS
	P="$T_DIR/sep$T_N"
	mkdir -p "$P"
	cd "$P" || exit 1
	printf '[alembic]\nscript_location = %%(here)s/m\n%s\nversion_locations = %s\n' "$1" "$2" >alembic.ini
	pyrev m/versions s1 None
	pyrev "$P/two" s2 "'s1'" "'two'" None a
	pyrev "$P/three dir" s3 "'s2'"
}
sep_project "version_path_separator = ;" "%(here)s/m/versions;%(here)s/two;%(here)s/three dir"
same_as_alembic history "separator ';' (a folder with a space in its name)"
is "$(printf '%s\n' "$OUT" | wc -l)" 3 "... three revisions"
sep_project "version_path_separator = os  # Use os.pathsep." "%(here)s/m/versions:%(here)s/two:%(here)s/three"
mv "three dir" three
rt history
is "$(printf '%s\n' "$OUT" | wc -l)" 3 "separator os, with the comment Alembic's template puts after it"
sep_project "" "%(here)s/m/versions, %(here)s/two %(here)s/three"
mv "three dir" three
same_as_alembic history "no separator: commas and spaces, as Alembic's legacy split"
sep_project "version_path_separator = space" "%(here)s/m/versions %(here)s/two %(here)s/nowhere"
rt history
is "$(printf '%s\n' "$OUT" | wc -l)" 2 "a version location that does not exist holds nothing"

# Bad headers: each its exact error, exit 2, for every command.
bad() { # DESCRIPTION EXPECTED-ERROR (files already in place)
	rt heads
	ok_rc 2 "$1: heads exits 2"
	is "$ERR" "$2" "$1: the error"
	rt history
	ok_rc 2 "$1: history exits 2 too"
}
bad_project() {
	P="$T_DIR/bad$T_N"
	mkdir -p "$P/m/versions"
	cd "$P" || exit 1
	printf '[alembic]\nscript_location = m\nsqlalchemy.url = sqlite:///app.db\n' >alembic.ini
	pyrev m/versions r1 None
	V="$P/m/versions"
}
bad_project
pyrev m/versions r2 "'r1'"
sed -i "s/^down_revision = 'r1'/down_revision = cli.EXPAND_BRANCH/" "$V/r2_create_t_r2.py"
bad "a module constant" "$V/r2_create_t_r2.py:13: down_revision = cli.EXPAND_BRANCH is not a literal (a name, whose value is known only when the module runs): retort reads revisions without running Python; write a string, a tuple or list of strings, or None"
al heads
unlike "$OUT" "r2" "... (Alembic fails on it too)"

bad_project
pyrev m/versions r2 "'r1'" "make_labels()"
bad "a call" "$V/r2_create_t_r2.py:14: branch_labels = make_labels() is not a literal (a name, whose value is known only when the module runs): retort reads revisions without running Python; write a string, a tuple or list of strings, or None"

bad_project
pyrev m/versions r2 "'r1'"
sed -i "s/^revision = 'r2'/revision = 'r2/" "$V/r2_create_t_r2.py"
bad "a syntax error" "$V/r2_create_t_r2.py:12: unterminated string literal"
al heads
ok_rc 1 "... which Alembic cannot load either"
like "$ERR" "SyntaxError" "... (a SyntaxError)"

bad_project
pyrev m/versions r2 "('r1',"
bad "an unclosed bracket" "$V/r2_create_t_r2.py:13: '(' was never closed"

bad_project
pyrev m/versions r2 "'r1'"
sed -i "/^revision = /d" "$V/r2_create_t_r2.py"
bad "a missing revision" "$V/r2_create_t_r2.py:1: no module-level 'revision = …': the revision's id is missing"
al heads
like "$OUT$ERR" "Could not determine revision id from filename" "... Alembic cannot tell it either"

bad_project
pyrev m/versions r2 "'r1'"
cp "$V/r2_create_t_r2.py" "$V/r2_copy.py"
bad "two files with one id" "$V/r2_create_t_r2.py:12: duplicate Revision ID 'r2' (also in $V/r2_copy.py)"

bad_project
pyrev m/versions r2 "'nowhere'"
bad "a parent that does not exist" "$V/r2_create_t_r2.py:13: Revises 'nowhere', which no script defines"

bad_project
pyrev m/versions r2 "'r1'"
sed -i 's/^down_revision = .*/down_revision: Union[str, None] = MERGED/' "$V/r2_create_t_r2.py"
bad "an annotated name" "$V/r2_create_t_r2.py:13: down_revision = MERGED is not a literal (a name, whose value is known only when the module runs): retort reads revisions without running Python; write a string, a tuple or list of strings, or None"

# alembic.ini errors
bad_project
printf '[alembic]\nscript_location = mypkg:migrations\n' >alembic.ini
rt heads
ok_rc 2 "script_location naming a package: exit 2"
is "$ERR" "alembic.ini:2: script_location 'mypkg:migrations' names a Python package: retort reads files without running Python; give the directory's path" \
	"... the error"
printf '[alembic]\nscript_location = nowhere\n' >alembic.ini
rt heads
ok_rc 2 "a script location that does not exist: exit 2"
is "$ERR" "nowhere: no such script location (script_location in alembic.ini)" "... the error"

# retort.ini may point at an Alembic project
bad_project
printf '[retort]\nformat = alembic\nversion_table = my_version\n' >retort.ini
rt heads
is "$OUT" "r1 (head)" "retort.ini with format = alembic reads alembic.ini beside it"
rt -d "sqlite:///$P/x.db" stamp r1
rt -d "sqlite:///$P/x.db" current
is "$OUT" "r1 (head)" "... its version_table wins"
is "$(sqlite3 "$P/x.db" 'SELECT version_num FROM my_version')" "r1" "... my_version holds the row"

done_testing
