#!/bin/bash
# `retort rollback`: the guided downgrade on the command line, on a real
# terminal (tmux) and without one.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/shell/tmux.sh"

project
rt upgrade 041584a9edb9 -q
ok_rc 0 "setup: the demo up to the audit log"
rows() { sqlq app.db 'SELECT version_num FROM retort_version' | sort | paste -sd' ' -; }

rt rollback c0f44988ee9d </dev/null
ok_rc 2 "not on a terminal, rollback refuses without --yes"
like "$ERR" "not on a terminal: pass --yes" "... and says how to go on"
is "$(rows)" 041584a9edb9 "... nothing changed"

rt rollback --yes 041584a9edb9 </dev/null
ok_rc 0 "a rollback to the current revision has nothing to do"
is "$OUT" "Nothing to roll back: nothing applied comes after 041584a9edb9; the database is at 041584a9edb9." \
	"... and says where the database is"
rt rollback --yes dd1123f32f48 </dev/null
ok_rc 2 "a rollback to a pending head is refused"
like "$ERR" "^dd1123f32f48 is not applied \(the database is at 041584a9edb9\)" "... saying it is not applied"

# The proposal for tooling: --json off a terminal reviews, changes nothing.
sqlq app.db "INSERT INTO audit_log (id, entity, entity_id, action) VALUES
	(1, 'order', 1, 'create'), (2, 'order', 1, 'update'), (3, 'order', 2, 'delete')"
rt --json rollback c0f44988ee9d </dev/null
ok_rc 0 "--json without --yes: the proposal, exit 0"
json() { printf '%s' "$OUT" | python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
is "$(json 'd["target"], d["heads_before"], d["heads_after"]')" \
	"c0f44988ee9d ['041584a9edb9'] ['2b604fab0cca', 'c0f44988ee9d']" "--json: the target, the version table before and after"
is "$(json '[(s["revision"], s["destroys_data"]) for s in d["steps"]]')" \
	"[('041584a9edb9', True), ('d58e11da093b', False), ('3dcd61aad93b', True)]" "--json: the steps, destructive ones marked"
like "$(json 'd["steps"][2]["sql"]')" "DROP TABLE refunds;" "--json: each step's downgrade SQL"
like "$(json 'd["steps"][0]["sha256"]')" '^[0-9a-f]{64}$' "--json: each script's checksum as shown"
is "$(json '[(x["rule"], x["line"], x["severity"]) for x in d["findings"]]')" \
	"[('drop-table', 24, 'error'), ('drop-table', 25, 'error')]" "--json: the findings with their lines"
is "$(json '[(x["step"], x["table"], x["rows"], x["estimate"], x["created_by_step"]) for x in d["data_at_stake"]]')" \
	"[(1, 'audit_log', 3, False, True), (3, 'refunds', 0, False, True)]" "--json: the rows at stake, counted"
like "$(json 'd["data_at_stake"][0]["applied_at"]')" '^20[0-9-]+ [0-9:.]+$' "--json: when the table's revision was applied"
is "$(json '"result" in d')" False "--json without --yes: no result"
rows_now=$(sqlq app.db 'SELECT version_num FROM retort_version')
is "$rows_now" 041584a9edb9 "--json review: nothing changed"
is "$(sqlq app.db 'SELECT count(*) FROM audit_log')" 3 "--json review: the rows are still there"

# A dropped column: its table's rows and the column's values.
cat >versions/20260401_0900_c01d00000001_add_payment_note.sql <<'SQL'
-- Add payment note
--
-- Revision ID: c01d00000001
-- Revises: 041584a9edb9

-- migrate:upgrade
ALTER TABLE payments ADD COLUMN memo TEXT;

-- migrate:downgrade
ALTER TABLE payments DROP COLUMN memo;
SQL
rt upgrade c01d00000001 -q
sqlq app.db "INSERT INTO payments (id, order_id, method, amount, currency_code, memo)
	VALUES (1, 1, 'card', 10, 'EUR', 'first'), (2, 1, 'card', 5, 'EUR', NULL)"
rt --json rollback 041584a9edb9 </dev/null
is "$(json '[(x["table"], x["column"], x["rows"], x["values"]) for x in d["data_at_stake"]]')" \
	"[('payments', 'memo', 2, 1)]" "--json: a dropped column counts the table's rows and its values"
rt downgrade 041584a9edb9 -q
rm versions/20260401_0900_c01d00000001_add_payment_note.sql
sqlq app.db "DELETE FROM payments"

# Questions answered no: nothing happens.
tm_start q1 rollback c0f44988ee9d
screen_like q1 '^Rollback of sqlite:///app.db: 3 steps, version table afterwards: 2b604fab0cca c0f44988ee9d$' \
	"the plan names the database and the version table afterwards"
screen_like q1 '^  3\. downgrade 3dcd61aad93b -> c0f44988ee9d, Add refunds$' "... every step"
screen_like q1 '^      DROP TABLE refunds;$' "... with the downgrade SQL it runs"
screen_like q1 'drop-table: DROP TABLE refunds deletes the table' "... and what each step destroys"
screen_like q1 '^Version table now: 041584a9edb9$' "... the version table now"
screen_like q1 '^  step 1, audit_log \(drop-table\): 3 rows, all written since the table was created by this revision, applied 20' \
	"... and the rows each destructive step takes with it"
screen_like q1 '^  step 3, refunds \(drop-table\): 0 rows$' "... an empty table too"
screen_like q1 'Back up the database first\? \[Y/n\]' "it offers a backup"
tm_keys q1 n Enter
screen_like q1 'Rehearse the rollback first .*\[Y/n\]' "then a rehearsal"
tm_keys q1 n Enter
screen_like q1 'Roll back now\? \[y/N\]' "then asks to confirm"
tm_keys q1 Enter
screen_like q1 '^Not rolled back: nothing changed\.$' "a refused confirmation changes nothing"
is "$(tm_exit_status q1)" 1 "... and exits 1"
is "$(rows)" 041584a9edb9 "... the version table is as it was"

# Backup, rehearsal, confirmation: done, with the backup's path and the
# ledger rows on the last screen.
tm_start q2 rollback c0f44988ee9d
tm_wait q2 'Back up the database first'
tm_keys q2 Enter
screen_like q2 '^Backup written to app-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.db and verified\.$' "the backup is taken and verified"
tm_wait q2 'Rehearse the rollback first'
tm_keys q2 y Enter
screen_like q2 '^The rehearsal passed and was rolled back\.$' "the rehearsal passes"
tm_wait q2 'Roll back now'
tm_keys q2 y Enter
screen_like q2 '^Current revision: 2b604fab0cca c0f44988ee9d$' "the last screen states the new current revision"
screen_like q2 '^Backup: app-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.db$' "... the backup's path"
screen_like q2 '^Ledger rows written: [0-9]+ to [0-9]+' "... and the ledger rows written"
is "$(tm_exit_status q2)" 0 "... exit 0"
is "$(rows)" "2b604fab0cca c0f44988ee9d" "the database is rolled back"
is "$(sqlq app.db "SELECT count(*) FROM retort_history WHERE direction = 'downgrade' AND revision <> 'c01d00000001'")" 3 \
	"three downgrade rows in the ledger"

# production = true: the database's name must be typed.
rt upgrade 041584a9edb9 -q
printf 'production = true\n' >> retort.ini
tm_start q3 rollback c0f44988ee9d
tm_wait q3 'Back up the database first'
tm_keys q3 n Enter
tm_wait q3 'Rehearse the rollback first'
tm_keys q3 n Enter
screen_like q3 'Type its name \(app\) to roll back:' "production asks for the database's name"
tm_keys q3 ap Enter
screen_like q3 '^Not rolled back: nothing changed\.$' "a wrong name refuses"
is "$(rows)" 041584a9edb9 "... nothing changed"
tm_start q4 rollback c0f44988ee9d
tm_wait q4 'Back up the database first'
tm_keys q4 n Enter
tm_wait q4 'Rehearse the rollback first'
tm_keys q4 n Enter
tm_wait q4 'Type its name'
tm_keys q4 app Enter
screen_like q4 '^Rolled back\.$' "the right name rolls back"
is "$(rows)" "2b604fab0cca c0f44988ee9d" "... the database is rolled back"

# What was confirmed is what runs: another process upgrades the database
# while the questions are asked; the rollback then refuses and shows both
# plans.
sed -i '/^production = true$/d' retort.ini
rt upgrade 041584a9edb9 -q
tm_start q5 rollback c0f44988ee9d
tm_wait q5 'Back up the database first'
rt upgrade 2b604fab0cca -q
rt upgrade reporting@head -q
ok_rc 0 "another process upgrades the database meanwhile"
tm_keys q5 n Enter
tm_wait q5 'Rehearse the rollback first'
tm_keys q5 n Enter
tm_wait q5 'Roll back now'
tm_keys q5 y Enter
screen_like q5 'the plan changed after it was shown and confirmed' "the rollback refuses: the plan changed"
screen_like q5 '^  - downgrade 041584a9edb9 \(version table 041584a9edb9 -> d58e11da093b\)$' \
	"... showing the confirmed plan"
screen_like q5 '^  \+ downgrade dd1123f32f48 \(version table dd1123f32f48 -> 041584a9edb9\)$' \
	"... and the plan of now"
is "$(tm_exit_status q5)" 1 "... exit 1"
is "$(rows)" dd1123f32f48 "... nothing was rolled back"

# A script edited after it was shown: the run stops before it, naming it.
rt downgrade 041584a9edb9 -q
tm_start q6 rollback c0f44988ee9d
tm_wait q6 'Back up the database first'
f=$(ls versions/*_add_refunds.sql)
sed -i 's/^DROP TABLE refunds;$/DROP TABLE refunds; DROP TABLE payments;/' "$f"
tm_keys q6 n Enter
tm_wait q6 'Rehearse the rollback first'
tm_keys q6 n Enter
tm_wait q6 'Roll back now'
tm_keys q6 y Enter
screen_like q6 "add_refunds\\.sql changed after the plan was shown and confirmed" \
	"a script edited after it was shown stops the rollback, naming it"
is "$(tm_exit_status q6)" 1 "... exit 1"
is "$(rows)" 041584a9edb9 "... nothing was rolled back"
is "$(sqlq app.db "SELECT count(*) FROM sqlite_master WHERE name IN ('refunds', 'payments')")" 2 \
	"... both tables are still there"
git_restore_refunds() { sed -i 's/^DROP TABLE refunds; DROP TABLE payments;$/DROP TABLE refunds;/' "$f"; }
git_restore_refunds

# --yes: no questions; in production mode, with the database's name.
printf 'production = true\n' >> retort.ini
rt upgrade 041584a9edb9 -q
backups=$(ls app-*.db 2>/dev/null | wc -l)
rt rollback -y --backup --rehearse c0f44988ee9d </dev/null
ok_rc 2 "production: --yes alone refuses without a terminal"
like "$ERR" "pass --yes --confirm-database app; nothing was done" "... saying what to pass"
is "$(rows)" 041584a9edb9 "... nothing changed"
is "$(ls app-*.db 2>/dev/null | wc -l)" "$backups" "... not even a backup was taken"
rt rollback -y --confirm-database prod --backup --rehearse c0f44988ee9d </dev/null
ok_rc 2 "production: --confirm-database with another name refuses"
like "$ERR" "--confirm-database 'prod' does not name this database \(sqlite:///app.db, named app\)" "... saying so"
is "$(rows)" 041584a9edb9 "... nothing changed"
rt rollback -y --confirm-database app --backup --rehearse c0f44988ee9d </dev/null
ok_rc 0 "--yes --confirm-database with --backup and --rehearse runs without a terminal"
like "$OUT" "Backup written to .* and verified" "... backing up"
like "$OUT" "The rehearsal passed" "... rehearsing"
is "$(rows)" "2b604fab0cca c0f44988ee9d" "... and rolling back"

# --json --yes: the proposal, then the result, as one object.
rt upgrade 041584a9edb9 -q
rt --json rollback -y --confirm-database app --rehearse c0f44988ee9d </dev/null
ok_rc 0 "--json --yes runs the rollback"
is "$(json 'd["result"]["rolled_back"], d["result"]["heads"], d["result"]["backup"]')" \
	"True ['2b604fab0cca', 'c0f44988ee9d'] None" "--json: the result says where the database is"
like "$(json 'd["result"]["ledger_rows"]')" '^\[[0-9]+, [0-9]+\]$' "--json: and the ledger rows written"
is "$(rows)" "2b604fab0cca c0f44988ee9d" "... rolled back"
done_testing
