# tests/cli/autogen.sh: revision --autogenerate and drift, written once for
# SQLite and PostgreSQL (sourced after tests/lib.sh and tests/cli/dbenv.sh
# by tests/cli/autogen_*.sh, which pick the backend with db_backend).
#
# Each change to schema.sql must generate a script that applies on a
# database holding rows, after which check finds no drift (the database,
# the migrations and schema.sql agree by introspection); its downgrade must
# bring the database back to what the migrations before it produce, and
# the upgrade must apply again.

# A project whose retort.ini names schema.sql and no database.
ag_project() {
	P="$T_DIR/ag.$BK.$RANDOM"
	mkdir -p "$P/versions"
	printf '[retort]\nscript_location = .\nschema = schema.sql\n' >"$P/retort.ini"
	cd "$P" || exit 1
}

# The upgrade section of a script (without its marker).
upgrade_of() { sed -n '/^-- migrate:upgrade/,/^-- migrate:downgrade/p' "$1" | sed '1d;$d'; }
downgrade_of() { sed -n '/^-- migrate:downgrade/,$p' "$1" | sed '1d'; }

# ag_step DESCRIPTION UPGRADE-REGEX [DOWNGRADE-REGEX]: schema.sql has just
# changed; generate, apply, check, revert, check, apply again.
ag_step() {
	local what=$1 f
	rtd revision -m "$what" --autogenerate
	ok_rc 0 "[$BK] $what: revision --autogenerate"
	f=$OUT
	AG_FILE=$f
	if [ ! -f "$f" ]; then
		diag "no script written: $ERR"
		return
	fi
	like "$(upgrade_of "$f")" "$2" "[$BK] $what: the upgrade says so"
	[ -n "${3:-}" ] && like "$(downgrade_of "$f")" "$3" "[$BK] $what: the downgrade undoes it"
	rtd upgrade head
	ok_rc 0 "[$BK] $what: the upgrade applies on a database with rows"
	rtd check
	ok_rc 0 "[$BK] $what: then check finds no drift"
	[ "$RC" = 0 ] || diag "$(cat "$f")"
	rtd downgrade -1
	ok_rc 0 "[$BK] $what: the downgrade applies"
	rtd check
	unlike "$OUT" "from the migrations" \
		"[$BK] $what: the database is again what the migrations before it make"
	[ -n "$(upgrade_of "$f" | grep -v '^--')" ] && like "$OUT" "from schema\\.sql" \
		"[$BK] $what: ... and differs from schema.sql"
	rtd upgrade head
	ok_rc 0 "[$BK] $what: the upgrade applies again"
	rtd check
	ok_rc 0 "[$BK] $what: no drift after the round trip"
}

# The schema, one piece per variable, so that each step changes one thing.
ag_write() {
	{
		printf '%s\n' "$S_USERS" "$S_POSTS"
		[ -n "$S_MORE" ] && printf '%s\n' "$S_MORE"
	} >schema.sql
}

sc_autogen() {
	local q="'"
	FK_ON=""
	[ "$BK" = sqlite ] && FK_ON="PRAGMA foreign_keys = ON;"
	ag_project
	newdb autogen
	S_USERS="CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    name TEXT
);"
	S_POSTS="CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL,
    title VARCHAR(100) NOT NULL,
    body TEXT
);"
	S_MORE=""
	ag_write
	rtd revision -m "start" --autogenerate
	ok_rc 0 "[$BK] the first revision from schema.sql"
	like "$(upgrade_of "$OUT")" "CREATE TABLE (\"?)posts" "[$BK] ... creates the tables"
	is "$(downgrade_of "$OUT" | grep -c '^DROP TABLE')" 2 "[$BK] ... and its downgrade drops them"
	rtd upgrade head
	ok_rc 0 "[$BK] ... applies"
	rtd check
	ok_rc 0 "[$BK] ... and check finds no drift"
	dbq "INSERT INTO users (id, email, name) VALUES (1, 'ann@example.com', 'Ann'), (2, 'bob@example.com', NULL)"
	dbq "INSERT INTO posts (id, user_id, title, body) VALUES (1, 1, 'Hello', 'first'), (2, 2, 'Again', NULL)"

	S_MORE="CREATE TABLE tags (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);"
	ag_write
	ag_step "add table" "CREATE TABLE (\"?)tags" "DROP TABLE tags"

	S_USERS=${S_USERS/name TEXT/name TEXT,
    nick TEXT}
	ag_write
	ag_step "add nullable column" "ALTER TABLE users ADD COLUMN nick (TEXT|text)" \
		"DROP COLUMN nick"

	S_USERS=${S_USERS/nick TEXT/nick TEXT,
    status VARCHAR(20) DEFAULT ${q}active${q} NOT NULL}
	ag_write
	ag_step "add NOT NULL column with default" "ADD COLUMN status .*DEFAULT 'active'.*NOT NULL|status VARCHAR\\(20\\) DEFAULT 'active' NOT NULL"
	is "$(dbq "SELECT status FROM users ORDER BY id" | paste -sd' ' -)" "active active" \
		"[$BK] add NOT NULL column with default: existing rows take the default"

	S_USERS=${S_USERS/,
    nick TEXT/}
	ag_write
	ag_step "drop column" "DROP COLUMN nick"
	rtd lint head
	like "$OUT" "drop-column" "[$BK] drop column: lint flags the generated DROP COLUMN"

	S_POSTS=${S_POSTS/title VARCHAR(100)/title VARCHAR(250)}
	ag_write
	ag_step "change type" "TYPE character varying\\(250\\)|title VARCHAR\\(250\\)" \
		"TYPE character varying\\(100\\)|title VARCHAR\\(100\\)"
	is "$(dbq "SELECT title FROM posts ORDER BY id" | paste -sd' ' -)" "Hello Again" \
		"[$BK] change type: the rows keep their values"

	S_MORE="$S_MORE
CREATE INDEX posts_user ON posts (user_id);"
	ag_write
	ag_step "add index" "CREATE INDEX posts_user ON posts" "DROP INDEX posts_user"

	S_USERS=${S_USERS/email VARCHAR(200) NOT NULL/email VARCHAR(200) NOT NULL UNIQUE}
	ag_write
	ag_step "add unique" "UNIQUE \\(email\\)|email VARCHAR\\(200\\) NOT NULL UNIQUE"

	S_POSTS=${S_POSTS/user_id INTEGER NOT NULL/user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE}
	ag_write
	ag_step "add foreign key" "FOREIGN KEY \\(user_id\\) REFERENCES users\\(id\\) ON DELETE CASCADE|REFERENCES users \\(id\\) ON DELETE CASCADE"
	is "$(dbq "SELECT count(*) FROM posts")" 2 "[$BK] add foreign key: no row lost"
	is "$(dbq "$FK_ON DELETE FROM users WHERE id = 2; SELECT count(*) FROM posts")" 1 \
		"[$BK] add foreign key: the key is enforced (ON DELETE CASCADE)"
	dbq "INSERT INTO users (id, email, status) VALUES (2, 'bob@example.com', 'active')"
	dbq "INSERT INTO posts (id, user_id, title) VALUES (2, 2, 'Again')"

	S_USERS=${S_USERS/name TEXT/name TEXT CHECK (name <> $q$q)}
	ag_write
	ag_step "add check" "CHECK \\(\\(?name <> ''"
	is "$(dbq "SELECT count(*) FROM posts")" 2 "[$BK] add check: rebuilding users kept the posts that cascade from it"

	S_MORE="$S_MORE
CREATE VIEW active_users AS SELECT id, email FROM users WHERE status = 'active';"
	ag_write
	ag_step "add view" "CREATE VIEW active_users" "DROP VIEW active_users"

	S_MORE="$S_MORE
CREATE INDEX posts_titled ON posts (title) WHERE body IS NOT NULL;
CREATE INDEX users_email_lower ON users (lower(email));"
	ag_write
	ag_step "partial and expression indexes" "CREATE INDEX posts_titled ON posts .*WHERE"

	S_POSTS=${S_POSTS/ REFERENCES users (id) ON DELETE CASCADE/}
	ag_write
	ag_step "drop foreign key" "DROP CONSTRAINT posts_user_id_fkey|CREATE TABLE retort_new_posts" \
		"REFERENCES \"?users"

	S_POSTS=${S_POSTS/body TEXT/body TEXT DEFAULT $q$q NOT NULL}
	ag_write
	ag_step "NULL to NOT NULL with a default" "NOT NULL"
	is "$(dbq "SELECT count(*) FROM posts WHERE body = ''")" 1 \
		"[$BK] NULL to NOT NULL with a default: the NULL took the default"

	S_MORE=${S_MORE/CREATE TABLE tags (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);/}
	S_MORE="$S_MORE
CREATE TABLE labels (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);"
	ag_write
	ag_step "a table replaced by another" "review: table\\(s\\) tags dropped and labels created"
	is "$(dbq "SELECT count(*) FROM users")|$(dbq "SELECT count(*) FROM posts")" "2|2" \
		"[$BK] every step kept the rows"
}

sc_drift() {
	ag_project
	newdb drift
	cat >schema.sql <<'EOF'
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL
);
EOF
	rtd revision -m "accounts" --autogenerate
	rtd upgrade head
	rtd check
	ok_rc 0 "[$BK] drift: none at first"
	dbq "ALTER TABLE accounts ADD COLUMN note VARCHAR(20)"
	rtd check
	ok_rc 1 "[$BK] drift: a column added outside the migrations: check exits 1"
	like "$OUT" "^drift: column accounts\\.note: (varchar\\(20\\)|character varying\\(20\\)) in the database, absent from the migrations$" \
		"[$BK] drift: ... names it against the migrations"
	like "$OUT" "^drift: column accounts\\.note: .* in the database, absent from schema\\.sql$" \
		"[$BK] drift: ... and against schema.sql"
	like "$OUT" "2 problems found" "[$BK] drift: ... one line each"
	rtd --json check
	like "$OUT" "\"drift: column accounts\\.note: " "[$BK] drift: --json lists it too"
	dbq "CREATE INDEX accounts_email ON accounts (email)"
	rtd check
	like "$OUT" "^drift: index accounts\\.accounts_email: " "[$BK] drift: an index made by hand"
	printf 'CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL, note VARCHAR(20));\nCREATE INDEX accounts_email ON accounts (email);\n' >schema.sql
	rtd check
	like "$OUT" "absent from the migrations" "[$BK] drift: schema.sql may agree; the migrations still do not"
	unlike "$OUT" "schema\\.sql" "[$BK] drift: ... and no line against schema.sql"

	# not at head: refused before anything is written
	rtd revision -m "ahead" --autogenerate
	ok_rc 0 "[$BK] drift: autogenerate the change made by hand"
	rtd revision -m "not now" --autogenerate
	ok_rc 1 "[$BK] autogenerate on a database that is not at head exits 1"
	like "$ERR" "the database is at [0-9a-f]+, not at [0-9a-f]+.*retort upgrade" \
		"[$BK] ... saying where it is and what to do"
	is "$(ls versions | wc -l)" 2 "[$BK] ... and writes no script"

	printf '[retort]\nscript_location = .\n' >retort.ini
	rtd revision -m "no schema" --autogenerate
	ok_rc 2 "[$BK] autogenerate without a configured schema exits 2"
	like "$ERR" "schema = " "[$BK] ... and says how to configure one"
	rtd check
	ok_rc 1 "[$BK] check without schema.sql still compares with the migrations"
	like "$OUT" "accounts\\.note: .* absent from the migrations" "[$BK] ... and finds the drift"

	printf '[retort]\nscript_location = .\nschema = schema.sql\n' >retort.ini
	printf 'CREATE TABLE broken (id INTEGER PRIMARY KEY,\n  x NO_SUCH_TYPE_AT_ALL(\n);\n' >schema.sql
	rtd check
	ok_rc 2 "[$BK] a schema.sql the server rejects: check exits 2 (bad input)"
	like "$ERR" "^schema\\.sql:1: " "[$BK] ... naming the file and the statement's line"
}

# SQLite: what SQLite cannot ALTER is rebuilt: the table keeps its rows,
# its triggers and AUTOINCREMENT, and the tables that reference it keep
# theirs.
sc_sqlite_extras() {
	ag_project
	newdb extras
	cat >schema.sql <<'EOF2'
CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, qty INT);
CREATE TABLE moves (id INTEGER PRIMARY KEY, item_id INT REFERENCES items (id) ON DELETE CASCADE, n INT);
CREATE TABLE notes (item_id INT REFERENCES items (id), body TEXT);
CREATE TABLE log (msg TEXT);
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log VALUES ('new ' || NEW.name); END;
EOF2
	rtd revision -m "items" --autogenerate
	rtd upgrade head
	ok_rc 0 "[$BK] a table with a trigger"
	dbq "PRAGMA foreign_keys = ON; INSERT INTO items (name, qty) VALUES ('a', 1), ('b', 2); INSERT INTO moves (item_id, n) VALUES (1, 5), (2, 6); INSERT INTO notes VALUES (1, 'x')"
	sed -i 's/qty INT)/qty INT NOT NULL DEFAULT 0 CHECK (qty >= 0))/' schema.sql
	ag_step "a rebuild with a trigger" "CREATE TABLE retort_new_items" 
	like "$(upgrade_of "$AG_FILE")" "CREATE TRIGGER items_log" "[$BK] ... the trigger is created again"
	is "$(dbq "SELECT count(*) FROM moves")|$(dbq "SELECT count(*) FROM notes")" "2|1" \
		"[$BK] ... the tables that reference it (ON DELETE CASCADE, NO ACTION) kept their rows"
	dbq "INSERT INTO items (name) VALUES ('c')"
	is "$(dbq "SELECT group_concat(msg, ',') FROM log")" "new a,new b,new c" "[$BK] ... and the trigger still fires"
	is "$(dbq "SELECT seq FROM sqlite_sequence WHERE name = 'items'")" 3 "[$BK] ... AUTOINCREMENT goes on"
	is "$(dbq "PRAGMA foreign_key_check")" "" "[$BK] ... every key holds"
	rtd lint head
	unlike "$OUT" "drop-table" "[$BK] ... and lint does not take the rebuild for data loss"
}

# SQLite: views, triggers and table options (STRICT, WITHOUT ROWID) are
# compared and generated; a virtual table and an ON CONFLICT clause are
# not, and check says so.
sc_sqlite_objects() {
	ag_project
	newdb objects
	cat >schema.sql <<'EOF2'
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER) STRICT;
CREATE TABLE log (msg TEXT);
CREATE VIEW stocked AS SELECT id, name FROM items WHERE qty > 0;
CREATE TRIGGER items_log AFTER INSERT ON items BEGIN INSERT INTO log VALUES ('new ' || NEW.name); END;
EOF2
	rtd revision -m "items" --autogenerate
	rtd upgrade head
	ok_rc 0 "[$BK] a STRICT table, a view and a trigger"
	dbq "INSERT INTO items (name, qty) VALUES ('a', 1), ('b', 0)"
	sed -i "s/'new ' || NEW.name/'added ' || NEW.name/" schema.sql
	ag_step "a trigger's body" "DROP TRIGGER items_log" "CREATE TRIGGER items_log"
	sed -i "s/WHERE qty > 0/WHERE qty > 0 AND name <> ''/" schema.sql
	ag_step "a view's query" "DROP VIEW stocked" "CREATE VIEW stocked"
	sed -i 's/qty INTEGER) STRICT;/qty INTEGER) STRICT, WITHOUT ROWID;/' schema.sql
	ag_step "WITHOUT ROWID" "CREATE TABLE retort_new_items .*WITHOUT ROWID" "CREATE TABLE retort_new_items .*STRICT;"
	sed -i 's/) STRICT, WITHOUT ROWID;/);/' schema.sql
	ag_step "neither STRICT nor WITHOUT ROWID" "CREATE TABLE retort_new_items \\(id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER\\);"
	is "$(dbq "SELECT group_concat(name, ',') FROM items ORDER BY id")" "a,b" "[$BK] ... the rows stay"
	is "$(dbq "SELECT group_concat(msg, ',') FROM log")" "new a,new b" "[$BK] ... and so does the log"
	cat >>schema.sql <<'EOF2'
CREATE TABLE tags (name TEXT UNIQUE ON CONFLICT IGNORE);
CREATE VIRTUAL TABLE notes USING fts5(body);
EOF2
	rtd revision -m "tags and notes" --autogenerate
	like "$(upgrade_of "$OUT")" "CREATE TABLE tags" "[$BK] not compared: the table is generated"
	unlike "$(upgrade_of "$OUT")" "notes" "[$BK] not compared: the virtual table is not"
	rtd upgrade head
	rtd check
	ok_rc 0 "[$BK] not compared: no problem"
	like "$OUT" "^not compared: ON CONFLICT clause of table tags \\(in the database, from the migrations, from schema\\.sql\\)$" \
		"[$BK] not compared: an ON CONFLICT clause, where it is"
	like "$OUT" "^not compared: virtual table notes \\(from schema\\.sql\\)$" \
		"[$BK] not compared: a virtual table, where it is"
	dbq "CREATE VIRTUAL TABLE notes USING fts5(body)"
	rtd check
	like "$OUT" "^not compared: virtual table notes \\(in the database, from schema\\.sql\\)$" \
		"[$BK] not compared: ... made by hand, in the database too"
	unlike "$OUT" "notes_(data|idx|content|docsize|config)" "[$BK] not compared: its shadow tables are its own"
}

# PostgreSQL: a schema other than public, serial, identity, generated and
# exclusion constraints; every scratch database is dropped.
sc_pg_extras() {
	ag_project
	newdb extras
	dbq "CREATE SCHEMA app"
	URL="$(pgurl)?options=-csearch_path%3Dapp"
	cat >schema.sql <<'EOF2'
CREATE TABLE rooms (
    id serial PRIMARY KEY,
    code text COLLATE "C" NOT NULL UNIQUE
);
CREATE TABLE bookings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tsrange NOT NULL,
    nights integer GENERATED ALWAYS AS (upper(during)::date - lower(during)::date) STORED,
    EXCLUDE USING gist (during WITH &&)
);
EOF2
	rtd revision -m "bookings" --autogenerate
	ok_rc 0 "[pg] app schema: autogenerate"
	rtd upgrade head
	ok_rc 0 "[pg] app schema: upgrade"
	is "$(dbq "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'app'")" \
		"bookings retort_history retort_version rooms" "[pg] app schema: every table in the configured schema"
	is "$(dbq "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0 "[pg] app schema: none in public"
	rtd check
	ok_rc 0 "[pg] app schema: no drift"
	dbq "INSERT INTO app.rooms (code) VALUES ('A'), ('B'); INSERT INTO app.bookings (room_id, during) VALUES (1, '[2026-01-01,2026-01-03)')"
	sed -i 's/id serial PRIMARY KEY/id bigserial PRIMARY KEY/; s/GENERATED ALWAYS AS IDENTITY/GENERATED BY DEFAULT AS IDENTITY/' schema.sql
	ag_step "serial to bigserial, identity ALWAYS to BY DEFAULT" "ALTER SEQUENCE rooms_id_seq AS bigint"
	dbq "INSERT INTO app.rooms (code) VALUES ('C')"
	is "$(dbq "SELECT max(id) FROM app.rooms")" 3 "[pg] the serial sequence goes on"
	printf 'CREATE TABLE seats (id integer PRIMARY KEY, n integer);\n' >>schema.sql
	rtd revision -m "seats" --autogenerate
	rtd upgrade head
	dbq "INSERT INTO app.seats VALUES (1, 10), (2, 20)"
	sed -i 's/CREATE TABLE seats (id integer PRIMARY KEY/CREATE TABLE seats (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY/' schema.sql
	ag_step "a column becomes an identity" "ADD GENERATED BY DEFAULT AS IDENTITY"
	dbq "INSERT INTO app.seats (n) VALUES (30)"
	is "$(dbq "SELECT id FROM app.seats WHERE n = 30")" 3 "[pg] ... which continues after the rows"
	sed -i 's/EXCLUDE USING gist (during WITH &&)/EXCLUDE USING gist (during WITH \&\&) WHERE (room_id > 0)/' schema.sql
	ag_step "exclusion constraint redefined" "EXCLUDE USING gist \\(during WITH &&\\) WHERE"
	cat >>schema.sql <<'EOF2'
CREATE TYPE booking_kind AS ENUM ('stay', 'event');
CREATE FUNCTION seats_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER seats_checked BEFORE INSERT ON seats FOR EACH ROW EXECUTE FUNCTION seats_check();
EOF2
	ag_step "a type, a function and a trigger in the configured schema" "CREATE TRIGGER seats_checked BEFORE INSERT ON seats "
	unlike "$(upgrade_of "$AG_FILE")$(downgrade_of "$AG_FILE")" "app\\." "[pg] ... named without the schema, as tables are"
	is "$(dbq "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'app' AND t.typname = 'booking_kind'")" 1 \
		"[pg] ... made in the configured schema"
	dbq "ALTER TABLE app.bookings ALTER COLUMN during DROP NOT NULL"
	rtd check
	like "$OUT" "^drift: column bookings\\.during: nullability NULL in the database, NOT NULL from the migrations$" \
		"[pg] app schema: drift in the configured schema"
	printf 'CREATE TABLE broken (id integer PRIMARY KEY, x no_such_type);\n' >schema.sql
	rtd check
	ok_rc 2 "[pg] a schema.sql the server rejects"
	like "$ERR" "schema\\.sql:1: .*no_such_type" "[pg] ... with the server's message"
	is "$(psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'retort_scratch%'")" 0 \
		"[pg] every scratch database was dropped, after errors too"
}
