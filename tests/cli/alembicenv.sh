# tests/cli/alembicenv.sh: retort on Alembic projects, with Alembic (Debian's
# python3-alembic) as the oracle: it reads the same files and the same
# alembic_version, and what it says must be what retort says. Sourced after
# tests/lib.sh and tests/cli/dbenv.sh (for the backends); the scenarios run
# on SQLite and PostgreSQL alike.

# alembic_find: the Python that has Alembic (and, for PostgreSQL, psycopg2);
# retort runs the same through RETORT_ALEMBIC. Skips the file without it.
alembic_find() { # [module...]
	local py
	for py in python3 /usr/bin/python3; do
		if "$py" -c "import alembic, sqlalchemy${1:+, $1}" 2>/dev/null; then
			ALEMBIC_PY=$py
			export RETORT_ALEMBIC="$py -m alembic"
			return 0
		fi
	done
	echo "1..0 # SKIP Alembic is not installed (python3-alembic${1:+, python3-$1})"
	exit 0
}

# al ARGS...: Alembic itself, in the current directory (OUT, ERR, RC).
al() { run "$ALEMBIC_PY" -m alembic "$@"; }

# norm: Alembic's or retort's output in an order that Python's sets and
# the file system's listing do not decide (tests/alembic_gen.py norm).
norm() { "$ALEMBIC_PY" "$TOP_SRCDIR/tests/alembic_gen.py" norm; }

# same_as_alembic "ARGS" DESCRIPTION: `retort ARGS` and `alembic ARGS`
# print the same (normalized).
same_as_alembic() {
	local r a
	rt $1
	r=$(printf '%s\n' "$OUT" | norm)
	al $1
	a=$(printf '%s\n' "$OUT" | norm)
	is "$r" "$a" "$2"
}

# A SQLAlchemy URL for the database of URL (dbenv.sh's newdb).
sa_url() {
	if [ "$BK" = pg ]; then
		echo "postgresql+psycopg2://${PGURL#postgresql://}" | sed "s|/[^/]*\$|/$DBN|"
	else
		echo "sqlite:///$DBF"
	fi
}

# The rows of alembic_version, sorted, on one line.
arows() {
	dbq "SELECT version_num FROM alembic_version" 2>/dev/null | LC_ALL=C sort | paste -sd' ' -
}

# pyrev FOLDER ID DOWN [LABELS] [DEPS] [STYLE]: a revision Alembic writes:
# DOWN, LABELS and DEPS are Python values; STYLE p (Alembic's template:
# plain, single quotes) or a (annotated, double quotes). Its upgrade
# creates table t_ID.
PYREV_N=0
pyrev() {
	local folder=$1 id=$2 down=$3 labels=${4:-None} deps=${5:-None} style=${6:-p}
	PYREV_N=$((PYREV_N + 1))
	mkdir -p "$folder"
	{
		printf '"""create t_%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: 2026-01-01 00:00:%02d\n\n"""\n' \
			"$id" "$id" "$(printf '%s' "$down" | tr -d "()'\"[]" | sed 's/^None$//; s/,$//')" "$PYREV_N"
		echo "from alembic import op"
		echo "import sqlalchemy as sa"
		if [ "$style" = a ]; then
			local ann='Union[str, Sequence[str], None]'
			echo "from typing import Sequence, Union"
			echo
			echo "revision: str = \"$id\""
			echo "down_revision: $ann = $(printf '%s' "$down" | tr "'" '"')"
			echo "branch_labels: $ann = $(printf '%s' "$labels" | tr "'" '"')"
			echo "depends_on: $ann = $(printf '%s' "$deps" | tr "'" '"')"
		else
			echo
			echo "# revision identifiers, used by Alembic."
			echo "revision = '$id'"
			echo "down_revision = $down"
			echo "branch_labels = $labels"
			echo "depends_on = $deps"
		fi
		cat <<EOF


def upgrade() -> None:
    op.create_table("t_$id", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("t_$id")
EOF
	} >"$folder/${id}_create_t_$id.py"
}

# ainit PREFIX: a new directory P, current, with Alembic's own `init`.
ainit() {
	P="$T_DIR/$1$T_N.$RANDOM"
	mkdir -p "$P"
	cd "$P" || exit 1
	"$ALEMBIC_PY" -m alembic init migrations >/dev/null 2>&1 || {
		echo "Bail out! alembic init failed"
		exit 1
	}
}

# aproject: a new Alembic project (Alembic's own `init`) on a new database,
# cd'd into; its history:
#   a0 - a1 - a2 -+- b1 (feature) - b2 -+- m1
#                 +- c1 - c2 -----------+
#   x1 (expand)   y1 (contract) - y2, which depends on x1
# b1 and b2 in versions/feature (nested), x1, y1, y2 in other/ (a second
# folder); annotated headers with double quotes on b1, b2, x1 and y2.
aproject() {
	ainit ap
	newdb alembic
	local v=migrations/versions
	"$ALEMBIC_PY" - "$(sa_url)" <<'EOF'
import re, sys
t = open("alembic.ini").read()
t = re.sub(r"(?m)^sqlalchemy\.url = .*$", "sqlalchemy.url = " + sys.argv[1], t)
t = re.sub(r"(?m)^# version_locations = .*$", "version_locations = %(here)s/migrations/versions "
           "%(here)s/migrations/versions/feature %(here)s/other", t, count=1)
t = re.sub(r"(?m)^version_path_separator = .*$", "version_path_separator = space", t)
open("alembic.ini", "w").write(t)
EOF
	pyrev $v a0 None
	pyrev $v a1 "'a0'"
	pyrev $v a2 "'a1'"
	pyrev $v/feature b1 "'a2'" "('feature',)" None a
	pyrev $v/feature b2 "'b1'" None None a
	pyrev $v c1 "'a2'"
	pyrev $v c2 "'c1'"
	pyrev $v m1 "('b2', 'c2')"
	pyrev other x1 None "'expand'" None a
	pyrev other y1 None "['contract']"
	pyrev other y2 "'y1'" None "'x1'" a
}

# twin: a second alembic.ini (twin.ini) for the same scripts on another
# new database, for Alembic to do what retort did on the first; TWINF /
# TWINN name it for twin_rows.
twin() {
	local keep_dbf=${DBF:-} keep_dbn=${DBN:-} keep_url=$URL
	newdb twin
	TWINF=${DBF:-}
	TWINN=${DBN:-}
	sed "s|^sqlalchemy.url = .*|sqlalchemy.url = $(sa_url)|" alembic.ini >twin.ini
	DBF=$keep_dbf DBN=$keep_dbn URL=$keep_url
}

twin_rows() {
	local keep_dbf=${DBF:-} keep_dbn=${DBN:-}
	DBF=$TWINF DBN=$TWINN
	arows
	DBF=$keep_dbf DBN=$keep_dbn
}

# both CMD ARGS...: retort on the project's database, Alembic on the twin;
# their alembic_version tables must then say the same.
both() {
	rt "$@"
	local rrc=$RC rout=$OUT rerr=$ERR
	run "$ALEMBIC_PY" -m alembic -c twin.ini "$@"
	is "$(arows)" "$(twin_rows)" "[$BK] retort $* leaves alembic_version as alembic $* does"
	OUT=$rout ERR=$rerr RC=$rrc
}

# ---- reading: the offline commands against Alembic's ----

sc_alembic_read() {
	aproject
	same_as_alembic heads "[$BK] heads as Alembic's"
	like "$OUT" "^x1 \\(expand\\) \\(effective head\\)$" "[$BK] ... x1 is an effective head (y2 depends on it)"
	same_as_alembic "heads -v" "[$BK] heads -v as Alembic's"
	same_as_alembic history "[$BK] history as Alembic's"
	like "$OUT" "^b2, c2 -> m1 \\(feature\\) \\(head\\) \\(mergepoint\\), create t_m1$" \
		"[$BK] ... with its merge point line"
	like "$OUT" "^y1 \\(x1\\) -> y2 \\(contract\\) \\(head\\), create t_y2$" \
		"[$BK] ... and the dependency"
	same_as_alembic "history -v" "[$BK] history -v as Alembic's"
	same_as_alembic "history -r a1:m1" "[$BK] history -r a1:m1 as Alembic's"
	same_as_alembic branches "[$BK] branches as Alembic's"
	same_as_alembic "branches -v" "[$BK] branches -v as Alembic's"
	rt show b1
	local shown=$OUT
	al show b1
	is "$(printf '%s\n' "$shown" | head -n "$(printf '%s\n' "$OUT" | wc -l)")" "$OUT" \
		"[$BK] show starts with what Alembic's show prints"
	like "$shown" 'revision: str = "b1"' "[$BK] ... then the script itself"
	rt show feature@head
	like "$OUT" "^Rev: m1 \\(head\\) \\(mergepoint\\)$" "[$BK] show feature@head"
	rt history --json
	like "$OUT" '"revision":"y2".*"depends_on":\["x1"\]' "[$BK] history --json"
	rt history --graph
	ok_rc 0 "[$BK] history --graph"
	like "$OUT" "m1 \\(feature\\) \\(head\\) \\(mergepoint\\)" "[$BK] ... draws the lanes"
	rt check
	ok_rc 1 "[$BK] check: several heads"
	like "$OUT" "multiple heads are present \\(m1, x1, y2\\)" "[$BK] ... named"
}

# ---- the database: Alembic's alembic_version, read and written ----

sc_alembic_db() {
	aproject
	twin
	both upgrade b2
	ok_rc 0 "[$BK] upgrade b2"
	like "$OUT" "Running upgrade a2 -> b1, create t_b1 \\.\\.\\. done" "[$BK] ... one line per step"
	is "$(arows)" "b2" "[$BK] ... alembic_version"
	is "$(tables)" "alembic_version retort_history t_a0 t_a1 t_a2 t_b1 t_b2" \
		"[$BK] ... Alembic ran the migrations"
	is "$(dbq "SELECT revision || ':' || direction || ':' || outcome FROM retort_history ORDER BY id" | paste -sd' ' -)" \
		"a0:upgrade:ok a1:upgrade:ok a2:upgrade:ok b1:upgrade:ok b2:upgrade:ok" \
		"[$BK] ... retort's ledger has a row per step"
	same_as_alembic current "[$BK] current as Alembic's"

	both upgrade y2
	is "$(arows)" "b2 y2" "[$BK] upgrade y2: Alembic keeps x1, y2's dependency, in y2's row"
	same_as_alembic current "[$BK] ... current as Alembic's"
	like "$OUT" "^x1 \\(effective head\\)$" "[$BK] ... x1 among the current revisions"

	both downgrade x1@-1
	ok_rc 0 "[$BK] downgrade x1@-1 below x1, the first of its line"
	is "$(arows)" "b2 y1" "[$BK] ... reverts x1 and y2, which depends on it; y1 stays"
	is "$(has_table t_y1)$(has_table t_y2)$(has_table t_x1)" "100" "[$BK] ... the tables follow"

	both upgrade heads
	is "$(arows)" "m1 y2" "[$BK] upgrade heads"

	# Where retort goes beyond Alembic: the twin is brought along by hand.
	rt downgrade feature@-1
	ok_rc 0 "[$BK] downgrade feature@-1 from the merge point"
	is "$(arows)" "b2 c2 y2" "[$BK] ... reverts the merge as one step"
	run "$ALEMBIC_PY" -m alembic -c twin.ini downgrade m1@b2
	is "$(twin_rows)" "b2 c2 y2" "[$BK] ... as Alembic's downgrade m1@b2 does"
	rt downgrade b1@base
	ok_rc 0 "[$BK] downgrade b1@base: a revision where a label stands"
	is "$(arows)" "c2 y2" "[$BK] ... reverts b1's line only"
	run "$ALEMBIC_PY" -m alembic -c twin.ini downgrade b1@a2
	is "$(twin_rows)" "c2 y2" "[$BK] ... as Alembic's downgrade b1@a2 does"
	rt upgrade feature@base
	ok_rc 0 "[$BK] upgrade feature@base"
	like "$OUT" "Nothing to do" "[$BK] ... applies nothing"

	both upgrade feature@heads
	is "$(arows)" "m1 y2" "[$BK] upgrade feature@heads is feature@head, m1"
	both downgrade feature@feature
	is "$(arows)" "b1 c2 y2" "[$BK] downgrade feature@feature goes back to b1, the labelled one"
	both downgrade base
	is "$(arows)" "" "[$BK] downgrade base"
	is "$(tables)" "alembic_version retort_history" "[$BK] ... every table of the migrations gone"

	# Alembic moves the database; retort reads where it is.
	al upgrade c2
	rt current
	is "$OUT" "c2" "[$BK] after alembic upgrade c2, retort current says c2"
	same_as_alembic current "[$BK] ... as Alembic's current"
	rt history -i -r a2:c2
	like "$OUT" "c1 -> c2 \\(current\\), create t_c2" "[$BK] history -i marks it"

	# stamp, check, lock, history --applied: no Python
	RETORT_ALEMBIC=/nonexistent/alembic rt stamp b1
	ok_rc 0 "[$BK] stamp b1 without Alembic"
	is "$(arows)" "b1 c2" "[$BK] ... b1 added beside c2 (unrelated heads stay)"
	al current
	ok_rc 0 "[$BK] ... Alembic reads it"
	RETORT_ALEMBIC=/nonexistent/alembic rt current
	like "$OUT" "b1" "[$BK] current without Alembic"
	RETORT_ALEMBIC=/nonexistent/alembic rt history --applied
	like "$OUT" "stamp +b1 +ok" "[$BK] history --applied without Alembic"
	RETORT_ALEMBIC=/nonexistent/alembic rt lock
	like "$OUT" "unlocked" "[$BK] lock without Alembic"
	RETORT_ALEMBIC=/nonexistent/alembic rt check
	like "$OUT" "multiple heads are present" "[$BK] check without Alembic"
	RETORT_ALEMBIC=/nonexistent/alembic rt upgrade heads
	ok_rc 1 "[$BK] upgrade without Alembic fails"
	like "$ERR" "Alembic is not installed \\('/nonexistent/alembic' cannot run it\\)" \
		"[$BK] ... saying Alembic is not installed"
	is "$(arows)" "b1 c2" "[$BK] ... and nothing changed"
	al upgrade heads
	is "$(arows)" "m1 y2" "[$BK] Alembic upgrades from what retort stamped"
}

# ---- --sql, another database, a failing step, new revisions ----

sc_alembic_more() {
	aproject
	rt upgrade --sql base:feature@head
	ok_rc 0 "[$BK] upgrade --sql base:feature@head"
	local mine=$OUT
	al upgrade base:feature@head --sql
	is "$mine" "$OUT" "[$BK] ... is Alembic's offline SQL"
	like "$mine" "Running upgrade a2 -> b1" "[$BK] ... step by step"
	rt downgrade --sql m1:a2
	al downgrade m1:a2 --sql
	is "$(rt downgrade --sql m1:a2; printf '%s' "$OUT")" "$OUT" "[$BK] downgrade --sql m1:a2 as Alembic's"
	is "$(tables)" "" "[$BK] --sql connects to nothing"
	RETORT_ALEMBIC=/nonexistent/alembic rt upgrade --sql base:a1
	ok_rc 1 "[$BK] --sql without Alembic exits 1"
	like "$OUT" "^-- Running upgrade a0 -> a1, create t_a1$" "[$BK] ... showing each step"
	like "$OUT" "^--     op.create_table\\(\"t_a1\"" "[$BK] ... as its Python source"
	like "$ERR" "the Python source of each step is shown instead of its SQL" "[$BK] ... and why"

	# Alembic's own URL names another database than retort reads.
	local mine_url=$URL mine_f=${DBF:-} mine_n=${DBN:-}
	newdb other
	local other_url=$URL
	URL=$mine_url DBF=$mine_f DBN=$mine_n
	rt -d "$other_url" upgrade a0
	ok_rc 1 "[$BK] upgrade of another database than Alembic's"
	like "$ERR" "Alembic said it ran the step, but the version table retort reads did not change \\(still <base>\\): Alembic migrated another database than retort's" \
		"[$BK] ... says Alembic migrated another database"
	is "$(arows)" "a0" "[$BK] ... which Alembic did"

	# The steps of a run share one Python, which still runs env.py for
	# each: env.py notes its process for every command it serves.
	cp migrations/env.py "$T_DIR/env.py.orig"
	printf '\nimport os as _os\nif _os.environ.get("RT_ENV_LOG"):\n    open(_os.environ["RT_ENV_LOG"], "a").write("%%d\\n" %% _os.getpid())\n' \
		>>migrations/env.py
	rm -f "$T_DIR/env.log"
	rt downgrade base
	RT_ENV_LOG="$T_DIR/env.log" rt upgrade a2
	ok_rc 0 "[$BK] upgrade of three steps"
	is "$(arows)" "a2" "[$BK] ... Alembic's table at a2"
	is "$(wc -l <"$T_DIR/env.log" | tr -d ' ')" 3 "[$BK] ... env.py ran once per step"
	is "$(sort -u "$T_DIR/env.log" | wc -l | tr -d ' ')" 1 "[$BK] ... all in one Python process"
	rm -f "$T_DIR/env.log"
	RT_ENV_LOG="$T_DIR/env.log" rt downgrade a0
	ok_rc 0 "[$BK] downgrade of two steps"
	is "$(arows)" "a0" "[$BK] ... Alembic's table at a0"
	is "$(wc -l <"$T_DIR/env.log" | tr -d ' '):$(sort -u "$T_DIR/env.log" | wc -l | tr -d ' ')" "2:1" \
		"[$BK] ... two commands, one process"
	# An alembic.ini named through a tab cannot go on the shared Python's
	# tab-separated lines: each step then runs its own Alembic.
	local tabdir
	tabdir=$(printf '%s/tab\tlink' "$T_DIR")
	ln -s "$PWD" "$tabdir"
	rm -f "$T_DIR/env.log"
	RT_ENV_LOG="$T_DIR/env.log" rt -c "$tabdir/alembic.ini" upgrade a2
	ok_rc 0 "[$BK] upgrade with an alembic.ini path holding a tab"
	is "$(arows)" "a2" "[$BK] ... Alembic's table at a2"
	is "$(wc -l <"$T_DIR/env.log" | tr -d ' '):$(sort -u "$T_DIR/env.log" | wc -l | tr -d ' ')" "2:2" \
		"[$BK] ... each step in a process of its own"
	rm -f "$tabdir"
	rt downgrade a0

	# A file edited while the run goes (here by env.py, as the first step
	# runs): its step does not run, the steps before it stay.
	local a2f=migrations/versions/a2_create_t_a2.py
	cp "$a2f" "$T_DIR/a2.orig"
	printf 'if _os.environ.get("RT_EDIT") and _os.path.exists(_os.environ["RT_EDIT"]):\n    open(_os.environ["RT_EDIT"], "a").write("# edited during the run\\n")\n    _os.environ.pop("RT_EDIT")\n' \
		>>migrations/env.py
	RT_EDIT="$a2f" rt upgrade a2
	ok_rc 1 "[$BK] a file edited during the run stops it"
	like "$ERR" "a2_create_t_a2.py changed since the run began \(SHA-256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\): Alembic did not run it; the run stops before this step" \
		"[$BK] ... naming the file"
	is "$(arows)" "a1" "[$BK] ... the step before it stays, the edited one did not run"
	cp "$T_DIR/a2.orig" "$a2f"
	cp "$T_DIR/env.py.orig" migrations/env.py

	# A step that fails in Alembic: the ledger keeps it, nothing after runs.
	sed -i 's|op.create_table("t_a2"|op.execute("SELECT * FROM no_such_table")\n    op.create_table("t_a2"|' \
		migrations/versions/a2_create_t_a2.py
	rt upgrade c2
	ok_rc 1 "[$BK] a step that fails in Alembic"
	like "$ERR" "a2_create_t_a2.py: Alembic failed: alembic upgrade a2 exited with status 1: .*no_such_table" \
		"[$BK] ... names the file and what Alembic said"
	is "$(arows)" "a1" "[$BK] ... the steps before it stay"
	is "$(dbq "SELECT revision || ':' || outcome FROM retort_history ORDER BY id DESC LIMIT 1")" "a2:failed" \
		"[$BK] ... the ledger records the failure"
	sed -i '/no_such_table/d' migrations/versions/a2_create_t_a2.py

	# New revisions: Alembic reads them and agrees.
	rt merge -m "join the lines" --rev-id j1 m1 y2
	ok_rc 0 "[$BK] merge"
	like "$OUT" "/migrations/versions/j1_join_the_lines.py$" "[$BK] ... writes a .py file named as Alembic names it"
	rt revision -m "after the join" --rev-id k1 --head j1
	ok_rc 0 "[$BK] revision"
	same_as_alembic heads "[$BK] ... Alembic's heads agree"
	like "$OUT" "^k1 \\((contract|feature), (contract|feature)\\) \\(head\\)$" \
		"[$BK] ... the new head, on both lines the merge joins"
	same_as_alembic "history -r m1:k1" "[$BK] ... and its history"
	al upgrade heads
	ok_rc 0 "[$BK] Alembic upgrades through the new revisions"
	rt current
	is "$OUT" "k1 (head)
x1 (effective head)" "[$BK] ... and retort sees it there, x1 still current through y2"
	rt revision -m 'say """ twice' --rev-id q1
	ok_rc 2 "[$BK] a message that would break the docstring is refused"
}

# ---- revision --autogenerate: Alembic's own, on the project's models ----

# agproject: an Alembic project whose env.py compares models.py (one
# table, accounts) with a new database.
agproject() {
	ainit ag
	newdb autogen
	"$ALEMBIC_PY" - "$(sa_url)" <<'PY'
import re, sys
t = open("alembic.ini").read()
t = re.sub(r"(?m)^sqlalchemy\.url = .*$", "sqlalchemy.url = " + sys.argv[1], t)
open("alembic.ini", "w").write(t)
e = open("migrations/env.py").read()
e = e.replace("target_metadata = None", "import os, sys\n"
              "sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n"
              "from models import metadata as target_metadata")
open("migrations/env.py", "w").write(e)
PY
	cat >models.py <<'PY'
import sqlalchemy as sa
metadata = sa.MetaData()
accounts = sa.Table("accounts", metadata,
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("email", sa.String(200), nullable=False))
PY
}

sc_alembic_autogen() {
	agproject
	rt revision --autogenerate -m "create accounts" --rev-id g1
	ok_rc 0 "[$BK] revision --autogenerate runs Alembic's autogenerate"
	like "$OUT" "^migrations/versions/g1_create_accounts\\.py$" "[$BK] ... prints the new script's path"
	like "$ERR" "^Detected added table 'accounts'$" "[$BK] ... and what Alembic detected"
	like "$(cat migrations/versions/g1_create_accounts.py)" "op\\.create_table\\('accounts'" \
		"[$BK] ... the script creates the model's table"
	rt heads
	is "$OUT" "g1 (head)" "[$BK] ... the new revision is the head"
	rt upgrade head
	ok_rc 0 "[$BK] retort upgrades through it (Alembic runs it)"
	is "$(tables)" "accounts alembic_version retort_history" "[$BK] ... the table is there, beside the ledger"

	# The ledger is in the database Alembic compares and in no model: it
	# is left out of the comparison, never dropped.
	sed -i 's/nullable=False))/nullable=False),\n                    sa.Column("name", sa.String(50)))/' models.py
	rt revision --autogenerate -m "add name" --rev-id g2
	ok_rc 0 "[$BK] a change to the model"
	local g2
	g2=$(cat migrations/versions/g2_add_name.py)
	like "$g2" "op\\.add_column\\('accounts', sa\\.Column\\('name'" "[$BK] ... becomes an add_column"
	unlike "$g2" "retort_history" "[$BK] ... and retort's ledger is not in the script"
	unlike "$ERR" "retort_history" "[$BK] ... nor among what Alembic detected"
	is "$(grep -c "^down_revision = 'g1'" migrations/versions/g2_add_name.py)" 1 \
		"[$BK] ... on top of the head"

	# Alembic refuses a database that is not at the head: its reason,
	# exit 1, no file.
	rt revision --autogenerate -m "too early" --rev-id g3
	ok_rc 1 "[$BK] autogenerate on a database behind the head"
	like "$ERR" "alembic revision --autogenerate failed: .*Target database is not up to date" \
		"[$BK] ... says what Alembic said"
	test ! -e migrations/versions/g3_too_early.py
	t_result $? "[$BK] ... and writes nothing"

	rt upgrade head
	ok_rc 0 "[$BK] upgrade to g2"
	rt revision --autogenerate -m "no change" --rev-id g4
	ok_rc 0 "[$BK] autogenerate with nothing to change"
	like "$ERR" "Alembic detected no changes between the models and the database" "[$BK] ... says so"
	rm -f migrations/versions/g4_no_change.py

	# RETORT_ALEMBIC names some other command: run as it is, and the user
	# is told that the ledger is compared like any table.
	printf '#!/bin/sh\nexec %s -m alembic "$@"\n' "$ALEMBIC_PY" >"$P/my-alembic"
	chmod +x "$P/my-alembic"
	RETORT_ALEMBIC="$P/my-alembic" rt revision --autogenerate -m "own command" --rev-id g5
	ok_rc 0 "[$BK] autogenerate through RETORT_ALEMBIC's command"
	like "$ERR" "RETORT_ALEMBIC names the command: retort's ledger table retort_history is compared" \
		"[$BK] ... warns that the ledger is compared"
	like "$(cat migrations/versions/g5_own_command.py)" "drop_table\\('retort_history'\\)" \
		"[$BK] ... which the script then drops, as the warning says"
	rm -f migrations/versions/g5_own_command.py

	rt revision --autogenerate -m "second root" --head base --rev-id g6
	ok_rc 0 "[$BK] --head base: a new root through Alembic's autogenerate"
	like "$(cat migrations/versions/g6_second_root.py)" "^down_revision = None$" \
		"[$BK] ... written with no parent"
	same_as_alembic heads "[$BK] ... Alembic's heads agree with retort's"
}
