#!/bin/bash
# `retort rollback` on PostgreSQL: the rows at stake counted exactly, and,
# when the exact count runs out of time (--statement-timeout shortens the
# limit), PostgreSQL's estimate, marked as one.
. "$TOP_SRCDIR/tests/lib.sh"

project
pg_start
pg_newdb rb_cli
psqlq() { psql -X -A -t -q -d rb_cli -c "$1"; }
cat >versions/20260401_0900_b16000000001_big_table.sql <<'SQL'
-- Big table
--
-- Revision ID: b16000000001
-- Revises: 041584a9edb9

-- migrate:upgrade
CREATE TABLE big (id INTEGER, note TEXT);
INSERT INTO big SELECT i, 'row ' || i FROM generate_series(1, 1500000) AS i;
ANALYZE big;

-- migrate:downgrade
DROP TABLE big;
SQL
rt -d "$PGURL" upgrade b16000000001 -q
ok_rc 0 "setup: a table of 1,500,000 rows"
json() { printf '%s' "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

rt -d "$PGURL" --json rollback 041584a9edb9 </dev/null
ok_rc 0 "--json: the proposal"
is "$(json '[(x["table"], x["rows"], x["estimate"]) for x in d["data_at_stake"]]')" \
	"[('big', 1500000, False)]" "the rows are counted exactly"

rt -d "$PGURL" --statement-timeout 0.06 --json rollback 041584a9edb9 </dev/null
ok_rc 0 "--json with a 60 ms statement timeout: the proposal all the same"
is "$(json '[(x["table"], x["estimate"]) for x in d["data_at_stake"]]')" "[('big', True)]" \
	"the count ran out of time: an estimate, marked"
est=$(json 'd["data_at_stake"][0]["rows"]')
[ "$est" -gt 1000000 ] && [ "$est" -lt 2000000 ]
t_result $? "the estimate is PostgreSQL's reltuples ($est)"
like "$(json 'd["data_at_stake"][0]["why"]')" "statement timeout" "and says why it is one"
is "$(psqlq 'SELECT version_num FROM retort_version')" b16000000001 "a review changes nothing"

rt -d "$PGURL" --statement-timeout 0.06 rollback --yes --rehearse 041584a9edb9 </dev/null
like "$OUT" "step 1, big \(drop-table\): about [0-9]+ rows \(an estimate: the exact count took too long\)" \
	"the text proposal says it is an estimate"
ok_rc 0 "--yes rolls back all the same"
is "$(psqlq 'SELECT version_num FROM retort_version')" 041584a9edb9 "... the version table moved"
is "$(psqlq "SELECT to_regclass('big') IS NULL")" t "... and the table is gone"
done_testing
