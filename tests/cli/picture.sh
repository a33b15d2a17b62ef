#!/bin/bash
# `history --format dot|mermaid`: the demo history rendered by Graphviz
# with every revision in the SVG; heads, merge points and branch points
# shaped; the database's current and pending revisions styled once it can
# be read, the graph alone when it cannot; -r; a bad format; an Alembic
# project's graph through the same engine.
. "$TOP_SRCDIR/tests/lib.sh"

project
rt history
ids=$(printf '%s\n' "$OUT" | sed -E 's/^.*-> ([0-9a-f]{12}).*/\1/')
is "$(printf '%s\n' "$ids" | wc -l)" 13 "the demo has 13 revisions"

# No database file yet: the graph alone, exit 0.
rt history --format dot
ok_rc 0 "dot without a database"
dotsrc=$OUT
like "$dotsrc" '^digraph retort \{' "a Graphviz digraph"
unlike "$dotsrc" 'filled|current|#b36b00' "no states without a database"
like "$dotsrc" '"d58e11da093b" \[[^]]*shape=hexagon' "the merge point is a hexagon"
like "$dotsrc" '"453fe4207322" \[[^]]*bold[^]]*penwidth' "a head is bold"
like "$dotsrc" '"acb6fdd1c7db" \[[^]]*peripheries=2' "a branch point has a double border"
like "$dotsrc" '"1060bd4a72be" \[label="1060bd4a72be\\n\(catalog\)' "a branch label under its id"
like "$dotsrc" '"532afb069296" -> "acb6fdd1c7db";' "parent to child edges"

if command -v dot >/dev/null 2>&1; then
	printf '%s\n' "$dotsrc" > h.dot
	run dot -Tsvg h.dot -o h.svg
	ok_rc 0 "dot -Tsvg renders it"
	missing=""
	for id in $ids; do
		grep -q "<title>$id</title>" h.svg || missing="$missing $id"
	done
	is "$missing" "" "the SVG has a node for every revision"
	is "$(grep -c '<g id="edge' h.svg)" "$(grep -c -- ' -> ' h.dot)" "and every edge"
else
	t_result 1 "dot (graphviz) is not installed"
fi

rt history --format mermaid
ok_rc 0 "mermaid"
mm=$OUT
like "$(printf '%s\n' "$mm" | head -1)" '^flowchart BT$' "a Mermaid flowchart"
n=0
for id in $ids; do
	printf '%s\n' "$mm" | grep -q "\"$id" && n=$((n + 1))
done
is "$n" 13 "Mermaid: every revision"
like "$mm" '\{\{"d58e11da093b<br/>Merge billing and catalog"\}\}' "Mermaid: the merge point"
unlike "$mm" 'class r[0-9]+ (current|pending)' "Mermaid: no states without a database"

# Applied up to 532afb069296: current filled, later ones pending.
rt upgrade 532afb069296
ok_rc 0 "upgrade to 532afb069296"
rt history --format dot
like "$OUT" '"532afb069296" \[label="532afb069296\\n\(current\)[^]]*filled' "the current revision is filled"
like "$OUT" '"453fe4207322" \[[^]]*dashed' "a pending revision is dashed"
unlike "$OUT" '"4d45ff13dd15" \[[^]]*(dashed|filled)' "an applied one is plain"
rt history --format mermaid
idx=$(printf '%s\n' "$OUT" | sed -nE 's/^  (r[0-9]+)\("532afb069296.*/\1/p')
like "$OUT" "class $idx current" "Mermaid: the current revision's class"

rt history --format dot -r 532afb069296:acb6fdd1c7db
is "$(printf '%s\n' "$OUT" | grep -c ' \[label=')" 2 "-r: the range's revisions only"

rt history --format svg
ok_rc 2 "an unknown format is a usage error"
like "$ERR" "--format takes text, json, dot or mermaid, not 'svg'" "which says the formats"
rt history --format json
like "$OUT" '^\{"revisions":\[' "--format json is --json"

# An Alembic project: .py revisions, a label and a merge.
A="$T_DIR/alembic"
mkdir -p "$A/m/versions"
cd "$A" || exit 1
printf '[alembic]\nscript_location = m\nsqlalchemy.url = sqlite:///app.db\n' > alembic.ini
py() { # FILE REV DOWN LABELS MESSAGE
	printf '"""%s\n\nRevision ID: %s\n"""\nrevision = %s\ndown_revision = %s\nbranch_labels = %s\ndepends_on = None\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n' \
		"$5" "$2" "'$2'" "$3" "$4" > "m/versions/$1.py"
}
py one a1a1a1a1a1a1 None None "First"
py two b2b2b2b2b2b2 "'a1a1a1a1a1a1'" "('left',)" "Second"
py three c3c3c3c3c3c3 "'a1a1a1a1a1a1'" None "Third"
py merge d4d4d4d4d4d4 "('b2b2b2b2b2b2', 'c3c3c3c3c3c3')" None "Merge"
rt history --format dot
ok_rc 0 "dot on an Alembic project"
like "$OUT" '"d4d4d4d4d4d4" \[[^]]*shape=hexagon[^]]*bold' "its merge point, a head too"
like "$OUT" '"b2b2b2b2b2b2" \[label="b2b2b2b2b2b2\\n\(left\)\\nSecond"' "its branch label and message"
if command -v dot >/dev/null 2>&1; then
	printf '%s\n' "$OUT" | dot -Tsvg > a.svg
	is "$(grep -c '<title>[a-d1-4]\{12\}</title>' a.svg)" 4 "its SVG has every revision"
fi

done_testing
