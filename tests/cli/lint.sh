#!/bin/bash
# lint: the built binary on the corpus of tests/data/lint, its output
# forms, exit statuses, options and revision selection; and, on a real
# SQLite database, that what it predicts to fail does fail.
. "$TOP_SRCDIR/tests/lib.sh"

CORPUS="$TOP_SRCDIR/tests/data/lint"

json() { # JSON python-expression: prints eval(expression) with d = the JSON
	printf '%s' "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))' "$2"
}

# "FILE:LINE: RULE" from the text output (directory dropped).
short() { printf '%s\n' "$1" | sed -E 's|^.*/||; s|^([^:]+:[0-9]+: [a-z-]+): .*|\1|'; }
# The same from an expected file.
expected() { grep -v '^#' "$1" | sed -E 's/ (error|warning|info)$//'; }

# ---- --rules ----
rt lint --rules
ok_rc 0 "--rules: exit 0"
like "$OUT" '^drop-table \(error, any, data loss\)$' "--rules: id, severity, dialect (and data loss)"
like "$OUT" 'fix: CREATE INDEX CONCURRENTLY' "--rules: each rule's fix"
nrules=$(printf '%s\n' "$OUT" | grep -cE '^[a-z-]+ \((error|warning|info), (any|sqlite|postgresql)(, data loss)?\)$')
like "$OUT" '^delete-without-where \(error, any, data loss\)$' "--rules: the rules that lose data say so"
like "$OUT" '^drop-index \(warning, postgresql\)$' "--rules: ... and the others do not"
rt --json lint --rules
ok_rc 0 "--json --rules: exit 0"
is "$(json "$OUT" 'len(d)')" "$nrules" "--json --rules: the same $nrules rules"
is "$(json "$OUT" 'sorted(d[0].keys())')" "['data_loss', 'dialect', 'fix', 'id', 'reason', 'severity']" \
	"--json --rules: id, severity, dialect, data loss, reason, fix"
is "$(json "$OUT" '" ".join(r["id"] for r in d if r["data_loss"])')" \
	"drop-table drop-column truncate delete-without-where type-narrowing drop-schema drop-database" \
	"--json --rules: the data-loss rules"
is "$(json "$OUT" '[r["severity"] for r in d if r["id"] == "concurrently-in-transaction"][0]')" \
	"error" "--json --rules: CONCURRENTLY in a transaction is an error"

# docs/lint.md's table of rules is --rules' output: it must not go stale.
stale=$(printf '%s' "$OUT" | python3 -c '
import json, sys
doc = open(sys.argv[1]).read()
for r in json.load(sys.stdin):
    row = "| `%s` | %s | %s | %s | %s |" % (r["id"], r["severity"], r["dialect"], r["reason"], r["fix"])
    if row not in doc:
        print(r["id"])' "$TOP_SRCDIR/docs/lint.md")
is "$stale" "" "docs/lint.md lists every rule as --rules does"

# ---- the PostgreSQL corpus ----
project "$CORPUS/postgresql"
rt lint --dialect postgresql
ok_rc 1 "postgresql corpus: findings, exit 1"
is "$(short "$OUT")" "$(expected "$CORPUS/postgresql/expected")" \
	"postgresql corpus: the expected findings at the expected lines"
bad=$(printf '%s\n' "$OUT" | grep -vE '^(\./)?versions/[^:]+\.sql:[0-9]+: [a-z-]+: .+ \(fix: .+\)$')
is "$bad" "" "every line reads FILE:LINE: RULE: message (fix: …)"
like "$ERR" '^lint: [0-9]+ errors, [0-9]+ warnings, [0-9]+ info in 21 revisions$' \
	"a summary on standard error"
text_out=$OUT

rt -q lint --dialect postgresql
is "$ERR" "" "-q: no summary"

# The dialect follows the configured database; --dialect overrides it.
printf '[retort]\nscript_location = .\ndatabase = postgresql://app@db.invalid/app\n' > retort.ini
rt lint
ok_rc 1 "a PostgreSQL database in retort.ini: exit 1"
is "$OUT" "$text_out" "a PostgreSQL database in retort.ini: PostgreSQL rules, no connection"
rt lint --dialect sqlite
unlike "$OUT" ': create-index: ' "--dialect sqlite overrides the configuration"
like "$OUT" ': drop-table: ' "--dialect sqlite: the rules for every dialect stay"
rm retort.ini
rt -s . lint
unlike "$OUT" ': (create-index|volatile-default|set-not-null): ' \
	"no database anywhere: SQLite"

# JSON
rt -s . --json lint --dialect postgresql
ok_rc 1 "--json: exit 1 too"
is "$(json "$OUT" 'len(d)')" "$(expected "$CORPUS/postgresql/expected" | wc -l)" \
	"--json: one object per finding"
is "$(json "$OUT" 'sorted(d[0].keys())')" \
	"['file', 'fix', 'line', 'message', 'revision', 'rule', 'section', 'severity']" \
	"--json: file, line, rule, severity, section, message, fix, revision"
is "$(json "$OUT" '[(f["line"], f["severity"], f["section"], f["revision"]) for f in d if f["file"].endswith("02_create_orders.sql")]')" \
	"[(23, 'info', 'downgrade', 'pg02')]" \
	"--json: a downgrade dropping its own upgrade's table is info, in the downgrade"
is "$(json "$OUT" '[f["severity"] for f in d if f["rule"] == "concurrently-in-transaction"]')" \
	"['error', 'error', 'error']" "--json: severities come from the rule list"
like "$(json "$OUT" '[f["message"] for f in d if f["rule"] == "type-narrowing"][0]')" \
	'products.name from varchar\(255\) to varchar\(100\)' \
	"--json: the narrowing names both types (learnt from the earlier script)"

# Selecting revisions
rt -s . lint --dialect postgresql pg08
is "$(short "$OUT" | cut -d: -f1 | sort -u)" "08_add_columns.sql" "SPEC: only that revision"
rt -s . lint --dialect postgresql pg11
like "$OUT" '11_alter_types.sql:7: type-narrowing: ' \
	"SPEC: an ancestor's CREATE TABLE is still learnt"
unlike "$OUT" '10_create_products' "SPEC: but not reported"
rt -s . lint --dialect postgresql pg04 pg15
ok_rc 0 "SPEC: clean revisions exit 0"
is "$OUT" "" "SPEC: clean revisions print nothing"
like "$ERR" 'no findings in 2 revisions' "SPEC: the summary counts the selected revisions"
rt -s . lint --dialect postgresql nosuchrev
ok_rc 2 "an unknown revision: exit 2"
like "$ERR" 'nosuchrev' "an unknown revision: named"
rt -s . lint --dialect postgresql pg10:pg11
is "$(short "$OUT" | cut -d: -f1 | sort -u | paste -sd' ' -)" "10_create_products.sql 11_alter_types.sql" \
	"A:B: the revisions of the range, both ends included"
like "$ERR" 'in 2 revisions' "A:B: the summary counts them"
rt -s . lint --dialect postgresql pg10:
is "$(short "$OUT" | cut -d: -f1 | sort -u | paste -sd' ' -)" "10_create_products.sql 11_alter_types.sql" \
	"A: a revision and everything after it"
rt -s . lint --dialect postgresql :pg10
is "$(short "$OUT" | cut -d: -f1 | sort -u)" "10_create_products.sql" ":B: a revision and everything before it"
rt -s . lint --dialect postgresql pg11:pg10
is "$RC:$ERR" "2:range 'pg11:pg10' is empty: its start must be an ancestor of its end" \
	"a range whose start is not below its end: exit 2, said"
rt -s . lint --dialect postgresql current:
is "$RC:$ERR" "2:no database configured: use --database URL, RETORT_DATABASE_URL, DATABASE_URL, or 'database = …' in retort.ini" \
	"current without a database: exit 2, said"
rt -s . -d "sqlite:///$T_DIR/lint-current.db" lint --dialect postgresql current:
ok_rc 1 "current: on an empty database: every revision, findings exit 1"
is "$([ -e "$T_DIR/lint-current.db" ] && echo created || echo absent)" absent \
	"current: the database is read, not created"
rt -s . -d "sqlite:///$T_DIR/lint-current.db" stamp pg10
rt -s . -d "sqlite:///$T_DIR/lint-current.db" lint --dialect postgresql current:
is "$(short "$OUT" | cut -d: -f1 | sort -u | paste -sd' ' -)" "10_create_products.sql 11_alter_types.sql" \
	"current: the database's current revision and what comes after it"
rt -s . -d "sqlite:///$T_DIR/lint-current.db" lint --dialect postgresql +1
is "$(short "$OUT" | cut -d: -f1 | sort -u)" "11_alter_types.sql" "+1: the next revision after the current one"

# ---- the SQLite corpus ----
project "$CORPUS/sqlite"
rt --json lint --dialect sqlite
ok_rc 1 "sqlite corpus: findings, exit 1"
is "$(json "$OUT" '"\n".join("%s:%d: %s %s" % (f["file"].split("/")[-1], f["line"], f["rule"], f["severity"]) for f in d)')" \
	"$(grep -v '^#' "$CORPUS/sqlite/expected")" \
	"sqlite corpus: the expected findings and severities"
rt lint
is "$(short "$OUT")" "$(expected "$CORPUS/sqlite/expected")" \
	"sqlite corpus: a SQLite database in retort.ini gives the SQLite rules"

# --fail-on
rt lint --fail-on error
ok_rc 1 "--fail-on error with errors: exit 1"
rt lint --fail-on none
ok_rc 0 "--fail-on none: exit 0 whatever is found"
like "$OUT" 'drop-column' "--fail-on none: findings still printed"
rt lint --fail-on fatal
ok_rc 2 "--fail-on fatal: bad usage"
rt lint --dialect mysql
ok_rc 2 "--dialect mysql: bad usage"
rt lint lt07
ok_rc 1 "warnings only (and an error): exit 1"
rt lint lt01
ok_rc 0 "only info (a downgrade dropping its own table): exit 0 by default"
rt lint --fail-on info lt01
ok_rc 1 "--fail-on info: exit 1 on info"
rt lint --fail-on error lt04 lt07
ok_rc 1 "--fail-on error: the error in lt07 counts"
rt lint --fail-on error lt04
ok_rc 0 "--fail-on error: info only, exit 0"

# --direction: the sections a run in that direction executes; in a
# downgrade, data loss is an error (it is info in a review of both).
rt --json lint --fail-on none lt01
is "$(json "$OUT" '" ".join("%d:%s:%s:%s" % (f["line"], f["rule"], f["severity"], f["section"]) for f in d)')" \
	"19:drop-table:info:downgrade" "both directions: a downgrade dropping its own table is info"
rt --json lint --direction down lt01
ok_rc 1 "--direction down: the drop fails the run"
is "$(json "$OUT" '" ".join("%d:%s:%s:%s" % (f["line"], f["rule"], f["severity"], f["section"]) for f in d)')" \
	"19:drop-table:error:downgrade" "--direction down: the same drop is an error"
rt --json lint --direction up lt01
ok_rc 0 "--direction up: no finding in lt01's upgrade"
is "$OUT" "[]" "--direction up: the downgrade section is left out"
rt --json lint --direction up lt02
is "$(json "$OUT" 'sorted(set(f["section"] for f in d))')" "['upgrade']" "--direction up: upgrade sections only"
rt lint --direction sideways
is "$RC:$ERR" "2:--direction takes up or down, not 'sideways'" "--direction sideways: bad usage, said"

# What lint predicts fails on a table with rows does fail.
rt upgrade lt01
ok_rc 0 "upgrade lt01"
sqlq app.db "INSERT INTO users (id, email, zip) VALUES (1, 'a@example.org', '1000')"
rt upgrade lt02
ok_rc 1 "upgrade lt02 fails, as sqlite-drop-column said"
like "$ERR" '02_drop_columns.sql:8' "the failure is at the line lint named"
rt upgrade lt05
ok_rc 1 "VACUUM in a transactional script fails, as needs-no-transaction said"
rt upgrade lt06
ok_rc 0 "VACUUM in a Transaction: none script runs"

# ---- no scripts ----
cd "$T_DIR" || exit 1
mkdir empty && cd empty || exit 1
rt lint
ok_rc 2 "no scripts directory: exit 2"
like "$ERR" 'no such scripts directory' "no scripts directory: said so"

done_testing
