# tests/cli/production.sh: production mode (`production = true`) on the
# command line, written once for SQLite and PostgreSQL (sourced after
# tests/lib.sh, tests/cli/dbenv.sh and tests/shell/tmux.sh by
# tests/cli/production_*.sh): what asks for the database's name, the
# refusals off a terminal, the typed name on one, and the findings shown
# before the question.

# The demo with a revision on the notifications line whose upgrade loses
# data: an UPDATE without WHERE (a warning) before a DELETE without WHERE
# (an error), so that "worst first" is not the file's order.
prod_project() {
	project
	cp "$TOP_SRCDIR"/tests/data/purge/*.sql versions/
	printf 'production = true\n' >>retort.ini
	newdb prod
	NAME=prod_$NDB
}

sc_production_refusals() {
	prod_project
	rtd upgrade 041584a9edb9 -q </dev/null
	ok_rc 0 "[$BK] production: an upgrade that loses no data needs no name"
	is_rows 041584a9edb9 "forward upgrade"
	local before
	before=$(tables)

	rtd downgrade 532afb069296 </dev/null
	ok_rc 2 "[$BK] production: a downgrade off a terminal refuses"
	like "$ERR" "production database: production = true asks for its name before a downgrade" \
		"[$BK] ... saying why"
	like "$ERR" "not on a terminal, pass --yes --confirm-database $NAME; nothing was done" \
		"[$BK] ... and what to pass"
	is_rows 041584a9edb9 "refused downgrade"
	is "$(tables)" "$before" "[$BK] ... the schema is untouched"
	rtd downgrade 532afb069296 --yes </dev/null
	ok_rc 2 "[$BK] production: --yes alone is not enough"
	rtd downgrade 532afb069296 --yes --confirm-database "${NAME}x" </dev/null
	ok_rc 2 "[$BK] production: --confirm-database with another name refuses"
	like "$ERR" "--confirm-database '${NAME}x' does not name this database \\(.*, named $NAME\\): nothing was done" \
		"[$BK] ... saying so"
	is_rows 041584a9edb9 "wrong --confirm-database"
	rtd downgrade -1 </dev/null
	ok_rc 2 "[$BK] production: a relative downgrade refuses too"

	rtd stamp 532afb069296 </dev/null
	ok_rc 2 "[$BK] production: a stamp that moves the head backwards refuses"
	like "$ERR" "before a stamp that moves a head backwards" "[$BK] ... saying why"
	is_rows 041584a9edb9 "refused stamp"
	rtd stamp --purge 041584a9edb9 </dev/null
	ok_rc 2 "[$BK] production: stamp --purge refuses"
	like "$ERR" "before a stamp --purge" "[$BK] ... saying why"
	is_rows 041584a9edb9 "refused --purge"

	rtd upgrade e7a1c0de0001 </dev/null
	ok_rc 2 "[$BK] production: an upgrade with a DELETE without WHERE refuses"
	like "$ERR" "before statements that lose data" "[$BK] ... saying why"
	is_rows 041584a9edb9 "refused data-loss upgrade"
	is "$(has_table notifications)" 0 "[$BK] ... not even the step before it ran"
	rtd upgrade 8cc5b122869d </dev/null
	ok_rc 0 "[$BK] production: the step before it alone runs"
	rtd upgrade e7a1c0de0001 --yes --confirm-database "$NAME" </dev/null
	ok_rc 0 "[$BK] production: --yes --confirm-database NAME runs it"
	is_rows e7a1c0de0001 "confirmed data-loss upgrade"

	rtd upgrade dd1123f32f48 -q </dev/null
	is_rows "dd1123f32f48 e7a1c0de0001" "a second head"
	rtd stamp 041584a9edb9 453fe4207322 </dev/null
	ok_rc 2 "[$BK] production: a stamp that drops a head refuses"
	like "$ERR" "before a stamp that drops a head;" "[$BK] ... saying why"
	is_rows "dd1123f32f48 e7a1c0de0001" "refused head drop"

	rtd downgrade 532afb069296 --yes --confirm-database "$NAME" </dev/null
	ok_rc 0 "[$BK] production: a confirmed downgrade runs"
	is_rows 532afb069296 "confirmed downgrade"
	rtd stamp 4d45ff13dd15 --yes --confirm-database "$NAME" </dev/null
	ok_rc 0 "[$BK] production: a confirmed backwards stamp runs"
	is_rows 4d45ff13dd15 "confirmed stamp"
	rtd stamp 532afb069296 </dev/null
	ok_rc 0 "[$BK] production: a stamp forward needs no name"
	is_rows 532afb069296 "forward stamp"
	rtd downgrade 4d45ff13dd15 --dry-run </dev/null
	ok_rc 0 "[$BK] production: --dry-run touches nothing and asks nothing"
	rtd downgrade 4d45ff13dd15 --rehearse </dev/null
	ok_rc 0 "[$BK] production: a rehearsal changes nothing and asks nothing"
	is_rows 532afb069296 "rehearsal"

	# The shell runs the same commands: commands piped in are off a terminal.
	rt -d "$URL" shell <<<'downgrade -1'
	ok_rc 2 "[$BK] production: the shell refuses a downgrade off a terminal"
	like "$ERR" "pass --yes --confirm-database $NAME" "[$BK] ... and says what to pass"
	is_rows 532afb069296 "shell refusal"

	# Without production mode nothing asks; a --confirm-database that
	# names another database still stops the run.
	sed -i '/^production/d' retort.ini
	rtd downgrade 4d45ff13dd15 --confirm-database "${NAME}x" </dev/null
	ok_rc 2 "[$BK] --confirm-database naming another database refuses without production mode too"
	is_rows 532afb069296 "another database named"
	rtd downgrade 4d45ff13dd15 </dev/null
	ok_rc 0 "[$BK] without production mode a downgrade runs off a terminal"
	is_rows 4d45ff13dd15 "unguarded downgrade"
}

# The typed name on a real terminal (tmux), after the plan and its
# findings, worst first.
sc_production_terminal() {
	prod_project
	rtd upgrade 8cc5b122869d -q </dev/null
	ok_rc 0 "[$BK] setup: up to the notifications"
	tm_start "up$BK" -d "$URL" upgrade e7a1c0de0001
	screen_like "up$BK" "^Upgrade $NAME \\(.*\\): 1 step, version table afterwards: e7a1c0de0001$" \
		"[$BK] terminal: the plan first"
	screen_like "up$BK" '^  1\. upgrade 8cc5b122869d -> e7a1c0de0001, Purge notifications$' "[$BK] ... its steps"
	screen_like "up$BK" '^What lint finds in it, worst first:$' "[$BK] ... then the findings"
	local lines
	lines=$(printf '%s\n' "$SCREEN" | grep -E '^  .*(error|warning): ' | sed -E 's/.*: (error|warning): ([a-z-]+):.*/\1 \2/' | paste -sd, -)
	is "$lines" "error delete-without-where,warning update-without-where" \
		"[$BK] ... worst first: the DELETE (line 9) before the UPDATE (line 8)"
	screen_like "up$BK" "^Type its name \\($NAME\\) to upgrade:" "[$BK] ... then the question"
	tm_keys "up$BK" "${NAME}x" Enter
	screen_like "up$BK" "^'${NAME}x' is not '$NAME': nothing was done$" "[$BK] a wrong name refuses"
	is "$(tm_exit_status "up$BK")" 1 "[$BK] ... exit 1"
	is_rows 8cc5b122869d "wrong typed name"

	tm_start "down$BK" -d "$URL" downgrade 532afb069296
	screen_like "down$BK" '^What lint finds in it, worst first:$' "[$BK] terminal: a downgrade shows its findings"
	screen_like "down$BK" '^  .*_create_notifications\.sql:[0-9]+: error: drop-table: DROP TABLE notifications' \
		"[$BK] ... the data it destroys as errors"
	screen_like "down$BK" "^Type its name \\($NAME\\) to downgrade:" "[$BK] ... and asks for the name"
	tm_keys "down$BK" "$NAME" Enter
	screen_like "down$BK" '^Running downgrade 8cc5b122869d -> 041584a9edb9, Create notifications \.\.\. done' \
		"[$BK] the right name runs it"
	is "$(tm_exit_status "down$BK")" 0 "[$BK] ... exit 0"
	is_rows 532afb069296 "typed downgrade"
	is "$(has_table notifications)" 0 "[$BK] ... and the schema followed"
}
