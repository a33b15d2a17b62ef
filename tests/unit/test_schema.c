/* test_schema.c: the schema model's comparison and generated SQL on models
 * built in C, the SQLite definition parser and the SQL text helpers. */
#include "tap.h"

#include "schema_impl.h"

#define contains(hay, needle) ((hay) && strstr((hay), (needle)) != NULL)

/* Position of needle in hay, or -1: for checking statement order. */
static long at(const char *hay, const char *needle)
{
	const char *p = hay ? strstr(hay, needle) : NULL;
	return p ? p - hay : -1;
}

static void before(const char *sql, const char *first, const char *second, const char *name)
{
	long a = at(sql, first), b = at(sql, second);
	if (!ok(a >= 0 && b >= 0 && a < b, "%s", name))
		printf("#   '%s' at %ld, '%s' at %ld in:\n%s", first, a, second, b, sql ? sql : "");
}

static char *norm(const char *s, enum sql_dialect d)
{
	return schema_norm_sql(s, strlen(s), d);
}

static void test_text(void)
{
	char *n = norm("CHECK ( Price >  0 AND \"Name\" <> 'X y' ) -- c\n", SQL_SQLITE);
	is_str(n, "check(price > 0 and name <> 'X y')", "norm: case, quotes, blanks, comments");
	free(n);
	n = norm("check(price>0 and [name]<>'X y')", SQL_SQLITE);
	is_str(n, "check(price > 0 and name <> 'X y')", "norm: another spelling, the same text");
	free(n);
	n = norm("lower( \"Odd Name\" ), x.y", SQL_SQLITE);
	is_str(n, "lower(\"Odd Name\"), x.y", "norm: a name that needs quotes keeps them");
	free(n);
	n = norm("\"Mixed\"", SQL_POSTGRES);
	is_str(n, "\"Mixed\"", "norm: PostgreSQL keeps quoted names as they are");
	free(n);

	struct strbuf sb = STRBUF_INIT;
	schema_quote(&sb, "users");
	sb_addc(&sb, ' ');
	schema_quote(&sb, "order");
	sb_addc(&sb, ' ');
	schema_quote(&sb, "Users");
	sb_addc(&sb, ' ');
	schema_quote(&sb, "a\"b");
	sb_addc(&sb, ' ');
	schema_quote(&sb, "1x");
	is_str(sb_str(&sb), "users \"order\" \"Users\" \"a\"\"b\" \"1x\"",
	       "quote: bare only when lower case and not a keyword");
	sb_free(&sb);

	ok(schema_sql_mentions("SELECT * FROM \"Posts\" p", SQL_SQLITE, "posts"),
	   "mentions: a quoted name in another case (SQLite)");
	ok(!schema_sql_mentions("SELECT 'posts' || x FROM t -- posts", SQL_POSTGRES, "posts"),
	   "mentions: not in a string or a comment (PostgreSQL)");
	ok(!schema_sql_mentions("SELECT * FROM posts_old", SQL_SQLITE, "posts"),
	   "mentions: whole names only");
}

static void test_parse(void)
{
	const char *sql =
		"CREATE TABLE IF NOT EXISTS main.\"Orders\" (\n"
		"  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
		"  code VARCHAR (20) COLLATE NOCASE NOT NULL CONSTRAINT code_u UNIQUE,\n"
		"  user_id INT REFERENCES users(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,\n"
		"  total NUMERIC(10, 2) DEFAULT -1 CHECK (total >= -1),\n"
		"  twice INT GENERATED ALWAYS AS (total * 2) STORED,\n"
		"  half AS (total / 2),\n"
		"  CONSTRAINT fk_shop FOREIGN KEY (shop, code) REFERENCES \"shops\" (id, code),\n"
		"  shop INT, -- a comment, (with a parenthesis\n"
		"  CONSTRAINT pos CHECK(total > 0 OR code = 'x,)')\n"
		") STRICT, WITHOUT ROWID";
	struct sqlite_tabledef t;
	char *err = NULL;
	int rc = sqlite_parse_table(sql, &t, &err);
	is_int(rc, RT_OK, "parse: a table with every kind of column and constraint");
	if (rc != RT_OK) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	is_str(t.name, "Orders", "parse: the table's name, unquoted");
	is_int(t.ncols, 7, "parse: seven columns");
	is_str(t.options, "strict, without rowid", "parse: table options");
	ok(t.ncols == 7 && t.cols[0].autoincrement, "parse: AUTOINCREMENT");
	is_str(t.ncols > 1 ? t.cols[1].collation : NULL, "nocase", "parse: a collation, normalized");
	is_str(t.ncols > 4 ? t.cols[4].generated : NULL, "total * 2", "parse: a stored expression");
	ok(t.ncols > 5 && t.cols[4].stored && !t.cols[5].stored && t.cols[5].generated,
	   "parse: stored and virtual generated columns");
	if (t.ncols > 3) {
		char *def = xstrndup(sql + t.cols[3].off, t.cols[3].len);
		is_str(def, "total NUMERIC(10, 2) DEFAULT -1 CHECK (total >= -1)",
		       "parse: a column's definition as written");
		free(def);
	}
	is_int(t.ncons, 6, "parse: six constraints (pk, unique, fk, check, fk, check)");
	if (t.ncons == 6) {
		ok(t.cons[0].kind == SCHEMA_PRIMARY && t.cons[0].ncols == 1, "parse: column primary key");
		is_str(t.cons[1].name, "code_u", "parse: a column constraint's name");
		is_str(t.cons[2].deferrable, " DEFERRABLE INITIALLY DEFERRED", "parse: a deferred key");
		is_str(t.cons[3].check, "total >= -1", "parse: a column check");
		ok(t.cons[4].kind == SCHEMA_FOREIGN && t.cons[4].ncols == 2 &&
		   strcmp(t.cons[4].cols[1], "code") == 0 && strcmp(t.cons[4].ref_table, "shops") == 0,
		   "parse: a table foreign key");
		is_str(t.cons[5].check, "total > 0 or code = 'x,)'", "parse: a named table check");
		is_str(t.cons[5].name, "pos", "parse: its name");
	}
	is_int(t.nrefs, 2, "parse: two references to rename");
	if (t.nrefs == 2) {
		char *r = xstrndup(sql + t.ref_off[1], t.ref_len[1]);
		is_str(r, "\"shops\"", "parse: where a reference is");
		free(r);
	}
	char *name = xstrndup(sql + t.name_off, t.name_len);
	is_str(name, "main.\"Orders\"", "parse: where the name is, qualified");
	free(name);
	sqlite_tabledef_free(&t);

	rc = sqlite_parse_table("CREATE TABLE t (a INT, UNIQUE (lower(a)))", &t, &err);
	ok(rc == RT_EFAIL && contains(err, "expression in a key"),
	   "parse: what it cannot read is an error, not a guess");
	free(err);
	err = NULL;
	rc = sqlite_parse_table("CREATE TABLE t (a INT", &t, &err);
	ok(rc == RT_EFAIL && err, "parse: a truncated statement is an error");
	free(err);

	bool unique = false;
	char *def = sqlite_def_after_name("CREATE UNIQUE INDEX IF NOT EXISTS ix ON T (A) WHERE b IS NOT NULL;",
	                                  true, &unique);
	is_str(def, "on t(a) where b is not null", "def: an index from ON on");
	ok(unique, "def: UNIQUE seen");
	free(def);
	def = sqlite_def_after_name("CREATE VIEW v(a, b) AS SELECT 1, 2", false, &unique);
	is_str(def, "(a, b) as select 1, 2", "def: a view from after its name");
	free(def);
}

/* ---- models ---- */

static struct schema_table *table(struct schema *s, const char *name)
{
	return schema_add_table(s, name);
}

static void col(struct schema *s, struct schema_table *t, const char *name, const char *type,
                bool notnull, const char *dflt)
{
	struct schema_column *c = schema_add_column(s, t, name, type, notnull, dflt);
	if (s->dialect == SQL_SQLITE) {
		char *sql = xasprintf("%s %s%s%s%s", name, type, notnull ? " NOT NULL" : "",
		                      dflt ? " DEFAULT " : "", dflt ? dflt : "");
		c->sql = schema_str(s, sql);
		free(sql);
	}
}

static void con(struct schema *s, struct schema_table *t, enum schema_con_kind k,
                const char *name, const char *def, const char *c1)
{
	schema_add_constraint(s, t, k, name, def, &c1, c1 ? 1 : 0);
}

static void fk(struct schema *s, struct schema_table *t, const char *name, const char *col1,
               const char *ref, const char *on_delete)
{
	char *def = xasprintf("FOREIGN KEY (%s) REFERENCES %s(id)%s%s", col1, ref,
	                      on_delete ? " ON DELETE " : "", on_delete ? on_delete : "");
	struct schema_constraint *c = schema_add_constraint(s, t, SCHEMA_FOREIGN, name, def, &col1, 1);
	c->ref_table = schema_str(s, ref);
	c->on_delete = schema_str(s, on_delete ? on_delete : "NO ACTION");
	free(def);
}

/* The PostgreSQL shop: users(id, email unique), orders(id, user_id → users). */
static struct schema *pg_shop(void)
{
	struct schema *s = schema_new(SQL_POSTGRES);
	struct schema_table *u = table(s, "users");
	col(s, u, "id", "integer", true, NULL);
	col(s, u, "email", "text", true, NULL);
	con(s, u, SCHEMA_PRIMARY, "users_pkey", "PRIMARY KEY (id)", "id");
	con(s, u, SCHEMA_UNIQUE, "users_email_key", "UNIQUE (email)", "email");
	struct schema_table *o = table(s, "orders");
	col(s, o, "id", "integer", true, NULL);
	col(s, o, "user_id", "integer", false, NULL);
	col(s, o, "total", "numeric(10,2)", true, "0");
	con(s, o, SCHEMA_PRIMARY, "orders_pkey", "PRIMARY KEY (id)", "id");
	fk(s, o, "orders_user_id_fkey", "user_id", "users", NULL);
	schema_add_index(s, "orders", "orders_user_idx", false, "USING btree (user_id)",
	                 "CREATE INDEX orders_user_idx ON orders USING btree (user_id)", NULL, 0);
	const char *deps[] = {"orders", "users"};
	schema_add_view(s, "big_orders", "SELECT o.id FROM orders o WHERE o.total > 100",
	                "CREATE VIEW big_orders AS SELECT o.id FROM orders o WHERE o.total > 100",
	                deps, 2);
	const char *vdeps[] = {"big_orders"};
	schema_add_view(s, "big_order_ids", "SELECT id FROM big_orders",
	                "CREATE VIEW big_order_ids AS SELECT id FROM big_orders", vdeps, 1);
	schema_sort(s);
	return s;
}

static char *diff_lines(const struct schema *a, const struct schema *b)
{
	struct schema_deltas d;
	struct strbuf sb = STRBUF_INIT;
	schema_diff(a, b, &d);
	for (uint32_t i = 0; i < d.n; i++) {
		schema_delta_line(&d.v[i], "in the database", "from the migrations", &sb);
		sb_addc(&sb, '\n');
	}
	schema_deltas_free(&d);
	return sb_detach(&sb);
}

static void test_diff(void)
{
	struct schema *a = pg_shop(), *b = pg_shop();
	char *lines = diff_lines(a, b);
	is_str(lines, "", "diff: a model equals itself");
	free(lines);
	char *sql = schema_sql(a, b);
	is_str(sql, "", "sql: nothing to do between equal models");
	free(sql);

	struct schema_table *u = schema_find_table(b, "users");
	u->cols[1].type = schema_str(b, "character varying(200)");
	u->cols[1].notnull = false;
	u->cols[1].dflt = schema_str(b, "'x'::character varying");
	col(b, u, "nick", "text", false, NULL);
	u->cons[1].name = schema_str(b, "uq_email");
	con(b, u, SCHEMA_CHECK, "email_len", "CHECK ((length(email) > 3))", "email");
	struct schema_table *o = schema_find_table(b, "orders");
	o->ncons = 1;   /* the foreign key goes */
	b->indexes[0].def = schema_str(b, "USING btree (user_id, id)");
	b->indexes[0].sql = schema_str(b, "CREATE INDEX orders_user_idx ON orders USING btree (user_id, id)");
	table(b, "audit");
	col(b, schema_find_table(b, "audit"), "at", "timestamp with time zone", true, "now()");
	b->nviews = 1;  /* big_orders goes (big_order_ids sorts first) */
	schema_sort(b);

	lines = diff_lines(a, b);
	is_str(lines,
	       "drift: table audit: absent in the database, present from the migrations\n"
	       "drift: foreign key orders.orders_user_id_fkey: FOREIGN KEY (user_id) REFERENCES "
	       "users(id) in the database, absent from the migrations\n"
	       "drift: index orders.orders_user_idx: definition CREATE INDEX orders_user_idx ON "
	       "orders USING btree (user_id) in the database, CREATE INDEX orders_user_idx ON orders "
	       "USING btree (user_id, id) from the migrations\n"
	       "drift: column users.email: type text in the database, character varying(200) from "
	       "the migrations\n"
	       "drift: column users.email: nullability NOT NULL in the database, NULL from the "
	       "migrations\n"
	       "drift: column users.email: default none in the database, 'x'::character varying "
	       "from the migrations\n"
	       "drift: column users.nick: absent in the database, text from the migrations\n"
	       "drift: unique constraint users.users_email_key: name users_email_key in the "
	       "database, uq_email from the migrations\n"
	       "drift: check constraint users.email_len: absent in the database, CHECK "
	       "((length(email) > 3)) from the migrations\n"
	       "drift: view big_orders: present in the database, absent from the migrations\n",
	       "diff: one line per difference, tables in name order, then views");
	free(lines);
	schema_free(a);
	schema_free(b);
}

static void test_pg_sql(void)
{
	struct schema *a = pg_shop(), *b = pg_shop();
	/* a type change of a column a view reads and a key relies on */
	struct schema_table *u = schema_find_table(b, "users");
	u->cols[0].type = schema_str(b, "bigint");
	struct schema_table *o = schema_find_table(b, "orders");
	o->cols[1].type = schema_str(b, "bigint");
	col(b, o, "note", "text", true, "''::text");
	col(b, o, "code", "text", true, NULL);
	o->cols[2].notnull = false;
	con(b, o, SCHEMA_CHECK, "orders_total_check", "CHECK ((total >= (0)::numeric))", "total");
	struct schema_table *t = table(b, "tags");
	col(b, t, "id", "integer", true, NULL);
	col(b, t, "order_id", "integer", true, NULL);
	con(b, t, SCHEMA_PRIMARY, "tags_pkey", "PRIMARY KEY (id)", "id");
	fk(b, t, "tags_order_id_fkey", "order_id", "orders", "CASCADE");
	schema_add_index(b, "tags", "tags_order_partial", false,
	                 "USING btree (order_id) WHERE (id > 10)",
	                 "CREATE INDEX tags_order_partial ON tags USING btree (order_id) WHERE (id > 10)",
	                 NULL, 0);
	schema_sort(b);

	char *up = schema_sql(a, b);
	before(up, "DROP VIEW big_order_ids;", "DROP VIEW big_orders;",
	       "pg: a view that reads another is dropped first");
	before(up, "DROP VIEW big_orders;", "ALTER TABLE orders ALTER COLUMN user_id TYPE bigint USING user_id::bigint;",
	       "pg: views reading a column go before its type changes");
	before(up, "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;",
	       "ALTER TABLE users ALTER COLUMN id TYPE bigint USING id::bigint;",
	       "pg: a key on a column that changes type is dropped first");
	before(up, "ALTER TABLE users ALTER COLUMN id TYPE bigint USING id::bigint;",
	       "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id);",
	       "pg: ... and added again afterwards");
	ok(contains(up, "CREATE TABLE tags (\n    id integer NOT NULL,\n    order_id integer NOT NULL,\n"
	                "    CONSTRAINT tags_pkey PRIMARY KEY (id)\n);\n"),
	   "pg: a new table with its key inline");
	before(up, "CREATE TABLE tags", "ALTER TABLE tags ADD CONSTRAINT tags_order_id_fkey FOREIGN KEY "
	       "(order_id) REFERENCES orders(id) ON DELETE CASCADE;",
	       "pg: a new table's foreign keys come after every table");
	ok(contains(up, "CREATE INDEX tags_order_partial ON tags USING btree (order_id) WHERE (id > 10);"),
	   "pg: a partial index");
	ok(contains(up, "ALTER TABLE orders ADD COLUMN note text DEFAULT ''::text NOT NULL;"),
	   "pg: a NOT NULL column with a default");
	ok(contains(up, "-- review: orders.code is NOT NULL without a default: adding it fails if "
	                "orders has rows\nALTER TABLE orders ADD COLUMN code text NOT NULL;"),
	   "pg: a NOT NULL column without one is flagged");
	ok(contains(up, "ALTER TABLE orders ALTER COLUMN total DROP NOT NULL;"), "pg: DROP NOT NULL");
	ok(contains(up, "ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK ((total >= (0)::numeric));"),
	   "pg: a check");
	before(up, "ALTER TABLE users ALTER COLUMN id TYPE", "CREATE VIEW big_orders AS",
	       "pg: views come back after the tables changed");
	before(up, "CREATE VIEW big_orders AS", "CREATE VIEW big_order_ids AS",
	       "pg: ... what a view reads first");
	ok(!contains(up, "orders_user_idx"), "pg: an unchanged index is left alone");

	char *down = schema_sql(b, a);
	before(down, "ALTER TABLE tags DROP CONSTRAINT", "DROP TABLE tags;",
	       "pg down: foreign keys of a dropped table that relies on a changing one go first");
	ok(contains(down, "ALTER TABLE orders DROP COLUMN note;") &&
	   contains(down, "ALTER TABLE orders DROP CONSTRAINT orders_total_check;") &&
	   contains(down, "ALTER TABLE orders ALTER COLUMN total SET NOT NULL;") &&
	   contains(down, "ALTER TABLE users ALTER COLUMN id TYPE integer USING id::integer;"),
	   "pg down: the inverse of each change");
	free(up);
	free(down);
	schema_free(a);
	schema_free(b);

	/* a unique key that a foreign key relies on is redefined */
	a = pg_shop();
	b = pg_shop();
	u = schema_find_table(b, "users");
	u->cons[0].def = schema_str(b, "PRIMARY KEY (id, email)");
	up = schema_sql(a, b);
	before(up, "ALTER TABLE orders DROP CONSTRAINT orders_user_id_fkey;",
	       "ALTER TABLE users DROP CONSTRAINT users_pkey;",
	       "pg: a key that relies on a changing primary key is dropped first");
	before(up, "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id, email);",
	       "ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey",
	       "pg: ... and comes back after it");
	free(up);
	schema_free(b);

	/* renames are not guessed; constraint names are renamed */
	b = pg_shop();
	o = schema_find_table(b, "orders");
	o->cols[2].name = schema_str(b, "amount");
	o->cons[1].name = schema_str(b, "fk_user");
	schema_sort(b);
	up = schema_sql(a, b);
	ok(contains(up, "-- review: orders: column(s) total dropped and amount added; if this is a rename"),
	   "pg: a dropped and an added column are flagged as a possible rename");
	ok(contains(up, "ALTER TABLE orders RENAME CONSTRAINT orders_user_id_fkey TO fk_user;"),
	   "pg: a constraint that only changes name is renamed");
	ok(contains(up, "ALTER TABLE orders DROP COLUMN total;") &&
	   contains(up, "ALTER TABLE orders ADD COLUMN amount numeric(10,2) DEFAULT 0 NOT NULL;"),
	   "pg: ... and dropped and added");
	ok(contains(up, "DROP VIEW big_orders;"), "pg: a view on a table losing a column is recreated");
	free(up);
	schema_free(b);

	/* serial and identity */
	b = pg_shop();
	u = schema_find_table(b, "users");
	u->cols[0].serial = true;
	u->cols[0].sequence = schema_str(b, "users_id_seq");
	o = schema_find_table(b, "orders");
	o->cols[0].identity = 'a';
	up = schema_sql(a, b);
	ok(contains(up, "CREATE SEQUENCE users_id_seq AS integer OWNED BY users.id;\n"
	                "ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('users_id_seq'::regclass);\n"
	                "SELECT setval('users_id_seq'::regclass, coalesce(max(id), 0) + 1, false) FROM users;"),
	   "pg: a column becomes serial: its sequence starts after the rows");
	ok(contains(up, "ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;\n"
	                "SELECT setval(pg_get_serial_sequence('orders', 'id'), coalesce(max(id), 0) + 1, "
	                "false) FROM orders;"),
	   "pg: a column becomes an identity that continues after the rows");
	down = schema_sql(b, a);
	ok(contains(down, "ALTER TABLE users ALTER COLUMN id DROP DEFAULT;\nDROP SEQUENCE users_id_seq;"),
	   "pg down: serial no more");
	ok(contains(down, "ALTER TABLE orders ALTER COLUMN id DROP IDENTITY;"), "pg down: identity no more");
	free(up);
	free(down);
	schema_free(a);
	schema_free(b);
}

/* SQLite: parent p(id), child c(p_id → p ON DELETE CASCADE), loose
 * l(p_id → p, NO ACTION), a view on p, and o, which references nothing. */
static struct schema *sq_base(void)
{
	struct schema *s = schema_new(SQL_SQLITE);
	struct schema_table *p = table(s, "p");
	p->sql = schema_str(s, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT)");
	col(s, p, "id", "integer", false, NULL);
	col(s, p, "name", "text", false, NULL);
	con(s, p, SCHEMA_PRIMARY, NULL, "PRIMARY KEY (id)", "id");
	struct schema_table *c = table(s, "c");
	c->sql = schema_str(s, "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES \"P\" (id) "
	                       "ON DELETE CASCADE)");
	col(s, c, "id", "integer", false, NULL);
	col(s, c, "p_id", "int", false, NULL);
	con(s, c, SCHEMA_PRIMARY, NULL, "PRIMARY KEY (id)", "id");
	fk(s, c, NULL, "p_id", "p", "CASCADE");
	struct schema_table *l = table(s, "l");
	l->sql = schema_str(s, "CREATE TABLE l (p_id INT REFERENCES p(id))");
	col(s, l, "p_id", "int", false, NULL);
	fk(s, l, NULL, "p_id", "p", NULL);
	struct schema_table *o = table(s, "o");
	o->sql = schema_str(s, "CREATE TABLE o (x INT)");
	col(s, o, "x", "int", false, NULL);
	schema_add_index(s, "p", "p_name", false, "on p(name)", "CREATE INDEX p_name ON p(name)", NULL, 0);
	const char *deps[] = {"p"};
	schema_add_view(s, "pv", "as select * from p", "CREATE VIEW pv AS SELECT * FROM p", deps, 1);
	schema_sort(s);
	return s;
}

static void test_sqlite_sql(void)
{
	struct schema *a = sq_base(), *b = sq_base();
	struct schema_table *p = schema_find_table(b, "p");
	col(b, p, "note", "text", false, "'n'");
	schema_sort(b);
	char *up = schema_sql(a, b);
	is_str(up, "ALTER TABLE p ADD COLUMN note text DEFAULT 'n';\n",
	       "sqlite: a nullable column is added with ALTER TABLE, as written");
	char *down = schema_sql(b, a);
	is_str(down, "DROP VIEW pv;\nALTER TABLE p DROP COLUMN note;\nCREATE VIEW pv AS SELECT * FROM p;\n",
	       "sqlite: a plain column is dropped with ALTER TABLE, views on the table around it");
	free(up);
	free(down);
	schema_free(b);

	/* a type change: p is rebuilt; c (ON DELETE CASCADE) with it; l not */
	b = sq_base();
	p = schema_find_table(b, "p");
	p->cols[1].type = schema_str(b, "varchar(10)");
	p->cols[1].notnull = true;
	p->cols[1].dflt = schema_str(b, "''");
	p->sql = schema_str(b, "CREATE TABLE p (id INTEGER PRIMARY KEY, name VARCHAR(10) NOT NULL DEFAULT '')");
	up = schema_sql(a, b);
	ok(contains(up, "PRAGMA defer_foreign_keys = ON;\n"), "sqlite rebuild: foreign keys deferred");
	ok(contains(up, "CREATE TABLE retort_new_p (id INTEGER PRIMARY KEY, name VARCHAR(10) NOT NULL DEFAULT '');"),
	   "sqlite rebuild: the new copy, as the schema writes it, under another name");
	ok(contains(up, "INSERT INTO retort_new_p (id, name) SELECT id, coalesce(name, '') FROM p;"),
	   "sqlite rebuild: the rows copied, NULLs taking the new default");
	ok(contains(up, "CREATE TABLE retort_new_c (id INTEGER PRIMARY KEY, p_id INT REFERENCES retort_new_p (id) "
	                "ON DELETE CASCADE);"),
	   "sqlite rebuild: a table whose key cascades is rebuilt too, onto the new copy");
	ok(contains(up, "CREATE TABLE retort_new_l (p_id INT REFERENCES retort_new_p(id));"),
	   "sqlite rebuild: so is one with NO ACTION (its rows would hold violations)");
	ok(!contains(up, "retort_new_o"), "sqlite rebuild: a table that references nothing rebuilt is left alone");
	before(up, "CREATE TABLE retort_new_c", "INSERT INTO retort_new_p",
	       "sqlite rebuild: every new copy exists before rows go in");
	ok(contains(up, "-- retort:ignore drop-table  the old copy: its rows are in the new one\n"
	                "DROP TABLE p;\n"),
	   "sqlite rebuild: lint is told the old copy's drop loses nothing");
	before(up, "DROP TABLE c;", "DROP TABLE p;", "sqlite rebuild: the referencing copy is dropped first");
	before(up, "DROP TABLE l;", "DROP TABLE p;", "sqlite rebuild: ... each of them");
	before(up, "DROP TABLE p;", "ALTER TABLE retort_new_p RENAME TO p;", "sqlite rebuild: then renamed");
	before(up, "ALTER TABLE retort_new_p RENAME TO p;", "CREATE INDEX p_name ON p(name);",
	       "sqlite rebuild: indexes come back after the rename");
	before(up, "DROP VIEW pv;", "CREATE TABLE retort_new_p", "sqlite rebuild: views go first");
	before(up, "CREATE INDEX p_name", "CREATE VIEW pv AS SELECT * FROM p;", "sqlite rebuild: and come back last");
	free(up);
	schema_free(b);

	/* a new table with a check, a new index */
	b = sq_base();
	struct schema_table *n = table(b, "n");
	n->sql = schema_str(b, "CREATE TABLE n (x INT CHECK (x > 0))");
	col(b, n, "x", "int", false, NULL);
	con(b, n, SCHEMA_CHECK, NULL, "CHECK (x > 0)", "x");
	schema_add_index(b, "l", "l_p", true, "unique on l(p_id)", "CREATE UNIQUE INDEX l_p ON l(p_id)", NULL, 0);
	schema_sort(b);
	up = schema_sql(a, b);
	is_str(up, "CREATE TABLE n (x INT CHECK (x > 0));\nCREATE UNIQUE INDEX l_p ON l(p_id);\n",
	       "sqlite: a new table and a new index, as written");
	down = schema_sql(b, a);
	is_str(down, "-- foreign keys are checked when the migration commits\n"
	             "PRAGMA defer_foreign_keys = ON;\nDROP INDEX l_p;\nDROP TABLE n;\n",
	       "sqlite: and back");
	free(up);
	free(down);
	schema_free(a);
	schema_free(b);
}

/* An enum and a table that uses it, with a default of it. */
static struct schema *pg_enum_model(const char *const *labels, uint32_t n, const char *dflt)
{
	struct schema *s = schema_new(SQL_POSTGRES);
	struct schema_type *t = schema_add_type(s, "status", SCHEMA_ENUM, NULL);
	schema_set_labels(s, t, labels, n);
	struct schema_table *o = table(s, "orders");
	col(s, o, "id", "integer", true, NULL);
	col(s, o, "state", "status", true, dflt);
	schema_sort(s);
	return s;
}

static void test_pg_enums(void)
{
	const char *abc[] = {"a", "b", "c"}, *abcd[] = {"a", "b", "c", "d"};
	const char *xabc[] = {"x", "a", "b", "c"}, *abd[] = {"a", "b", "d"};
	const char *ac[] = {"a", "c"}, *cab[] = {"c", "a", "b"}, *abyc[] = {"a", "b", "y", "c"};
	struct schema *a = pg_enum_model(abc, 3, "'a'::status");

	struct schema *b = pg_enum_model(abcd, 4, "'a'::status");
	char *sql = schema_sql(a, b);
	is_str(sql, "ALTER TYPE status ADD VALUE 'd' AFTER 'c';\n", "enum: a value at the end");
	free(sql);
	struct schema_migration m;
	schema_migration(a, b, 150000, &m);
	ok(!m.pre_upgrade && contains(m.upgrade, "ADD VALUE 'd'"),
	   "enum: on PostgreSQL 12 and later, in the transaction when nothing uses it");
	schema_migration_free(&m);
	schema_migration(a, b, 110000, &m);
	is_str(m.pre_upgrade, "ALTER TYPE status ADD VALUE 'd' AFTER 'c';\n",
	       "enum: before 12, ADD VALUE is a step of its own outside a transaction");
	is_str(m.upgrade, "", "... and nothing is left for the transaction");
	ok(contains(m.pre_downgrade, "CREATE TYPE status AS ENUM ('a', 'b', 'c')"),
	   "... whose downgrade takes the value out again");
	schema_migration_free(&m);
	sql = schema_sql(b, a);
	before(sql, "ALTER TYPE status RENAME TO retort_old_status;",
	       "CREATE TYPE status AS ENUM ('a', 'b', 'c');", "enum: a value goes: the old type aside, a new one");
	before(sql, "CREATE TYPE status AS ENUM ('a', 'b', 'c');",
	       "ALTER TABLE orders ALTER COLUMN state TYPE status USING state::text::status;",
	       "... the column cast through its text");
	before(sql, "ALTER TABLE orders ALTER COLUMN state DROP DEFAULT;",
	       "ALTER TYPE status RENAME TO retort_old_status;", "... its default out of the way first");
	before(sql, "ALTER TABLE orders ALTER COLUMN state TYPE status USING state::text::status;",
	       "ALTER TABLE orders ALTER COLUMN state SET DEFAULT 'a'::status;", "... and back after");
	before(sql, "ALTER TABLE orders ALTER COLUMN state SET DEFAULT 'a'::status;",
	       "DROP TYPE retort_old_status;", "... and the old type dropped last");
	ok(contains(sql, "-- review: status loses the value(s) 'd': rebuilt"), "... under a review comment");
	free(sql);
	schema_free(b);

	b = pg_enum_model(xabc, 4, "'x'::status");
	schema_migration(a, b, 150000, &m);
	is_str(m.pre_upgrade, "ALTER TYPE status ADD VALUE 'x' BEFORE 'a';\n",
	       "enum: a value the upgrade uses (a default) is added outside the transaction");
	ok(contains(m.upgrade, "SET DEFAULT 'x'::status") && !contains(m.upgrade, "ADD VALUE"),
	   "... and used in the transaction after it");
	ok(contains(m.downgrade, "SET DEFAULT 'a'::status") && !contains(m.downgrade, "status AS ENUM"),
	   "... whose downgrade leaves the value to the first step's");
	ok(contains(m.pre_downgrade, "DO $retort$\nBEGIN\n") &&
	   contains(m.pre_downgrade, "CREATE TYPE status AS ENUM ('a', 'b', 'c');\n"),
	   "... which takes it out in one statement");
	schema_migration_free(&m);
	sql = schema_sql(a, b);
	ok(!contains(sql, "ADD VALUE") && contains(sql, "CREATE TYPE status AS ENUM ('x', 'a', 'b', 'c')"),
	   "enum: without a step of its own, a value the script uses is made by a rebuild");
	free(sql);
	schema_free(b);

	b = pg_enum_model(abd, 3, "'a'::status");
	sql = schema_sql(a, b);
	is_str(sql, "-- review: status: the value 'c' is taken as renamed to 'd' (the rows holding "
	       "it keep it under its new name)\nALTER TYPE status RENAME VALUE 'c' TO 'd';\n",
	       "enum: a value in the place of another is renamed, under a review comment");
	free(sql);
	schema_free(b);

	b = pg_enum_model(abyc, 4, "'a'::status");
	sql = schema_sql(a, b);
	is_str(sql, "ALTER TYPE status ADD VALUE 'y' BEFORE 'c';\n", "enum: a value between two");
	free(sql);
	schema_free(b);

	b = pg_enum_model(ac, 2, "'a'::status");
	sql = schema_sql(a, b);
	ok(contains(sql, "CREATE TYPE status AS ENUM ('a', 'c')"), "enum: a value removed rebuilds");
	free(sql);
	schema_free(b);
	b = pg_enum_model(cab, 3, "'a'::status");
	sql = schema_sql(a, b);
	ok(contains(sql, "-- review: status has its values reordered: rebuilt") &&
	   contains(sql, "CREATE TYPE status AS ENUM ('c', 'a', 'b')"), "enum: values reordered rebuild");
	free(sql);
	schema_free(b);

	/* a type before the columns that use it, after them on the way down */
	struct schema *none = schema_new(SQL_POSTGRES);
	sql = schema_sql(none, a);
	before(sql, "CREATE TYPE status AS ENUM", "CREATE TABLE orders", "enum: made before its table");
	free(sql);
	sql = schema_sql(a, none);
	before(sql, "DROP TABLE orders;", "DROP TYPE status;", "enum: dropped after its table");
	free(sql);
	schema_free(none);
	schema_free(a);
}

static void test_pg_objects(void)
{
	struct schema *a = schema_new(SQL_POSTGRES), *b = schema_new(SQL_POSTGRES);
	schema_add_extension(b, "citext", NULL);
	struct schema_type *d = schema_add_type(b, "email", SCHEMA_DOMAIN, NULL);
	d->base = schema_str(b, "citext");
	schema_add_domain_check(b, d, "email_at", "CHECK ((VALUE ~ '@'::citext))");
	struct schema_type *pt = schema_add_type(b, "price", SCHEMA_COMPOSITE, NULL);
	schema_add_attribute(b, pt, "amount", "numeric(10,2)");
	struct schema_type *pd = schema_add_type(b, "positive_price", SCHEMA_DOMAIN, NULL);
	pd->base = schema_str(b, "price");
	struct schema_sequence *q = schema_add_sequence(b, "invoice_no", "AS bigint START WITH 1000");
	q->owned_table = schema_str(b, "users");
	q->owned_column = schema_str(b, "id");
	struct schema_table *u = table(b, "users");
	col(b, u, "id", "integer", true, "nextval('invoice_no'::regclass)");
	col(b, u, "mail", "email", true, NULL);
	u->comment = schema_str(b, "People");
	u->rls = true;
	struct schema_grant gr = {"clerk", "SELECT", false};
	schema_set_grants(b, &u->grants, &gr, 1);
	struct schema_function *f = schema_add_function(b, "touch", "", 'f', "trigger", "",
	                                                "CREATE OR REPLACE FUNCTION touch()\n RETURNS trigger");
	f->early = true;
	struct schema_grant none_but = {"clerk", "EXECUTE", false};
	schema_set_grants(b, &f->grants, &none_but, 1);
	struct schema_policy *p = schema_add_policy(b, "users", "mine", "AS PERMISSIVE FOR ALL TO PUBLIC USING (true)");
	(void)p;
	schema_sort(b);

	char *up = schema_sql(a, b);
	before(up, "CREATE EXTENSION IF NOT EXISTS citext;", "CREATE DOMAIN email",
	       "objects: an extension before the domain over its type");
	before(up, "CREATE TYPE price AS (amount numeric(10,2));", "CREATE DOMAIN positive_price AS price;",
	       "objects: a type before a domain over it");
	before(up, "CREATE SEQUENCE invoice_no AS bigint START WITH 1000;", "CREATE TABLE users",
	       "objects: a sequence before the table whose default uses it");
	before(up, "CREATE TABLE users", "ALTER SEQUENCE invoice_no OWNED BY users.id;",
	       "objects: OWNED BY after the table");
	before(up, "CREATE OR REPLACE FUNCTION touch()", "CREATE TABLE users",
	       "objects: a function no table needs first");
	before(up, "ALTER TABLE users ENABLE ROW LEVEL SECURITY;", "CREATE POLICY mine ON users AS PERMISSIVE",
	       "objects: row security, then its policy");
	ok(contains(up, "GRANT SELECT ON TABLE users TO clerk;\n") &&
	   contains(up, "COMMENT ON TABLE users IS 'People';\n"), "objects: grants and comments of a new table");
	ok(contains(up, "REVOKE EXECUTE ON FUNCTION touch() FROM PUBLIC;\n") &&
	   contains(up, "GRANT EXECUTE ON FUNCTION touch() TO clerk;\n"),
	   "objects: a new function's grants, from what every function has");
	char *down = schema_sql(b, a);
	before(down, "DROP TABLE users;", "DROP DOMAIN email;", "objects: a domain after the table");
	before(down, "DROP DOMAIN positive_price;", "DROP TYPE price;", "objects: a domain before its type");
	before(down, "DROP DOMAIN email;", "DROP EXTENSION IF EXISTS citext;", "objects: the extension last");
	ok(!contains(down, "DROP SEQUENCE"), "objects: a sequence owned by a dropped table goes with it");
	ok(!contains(down, "DROP POLICY"), "objects: a policy goes with its table");
	free(up);
	free(down);

	/* a function: replaced, or dropped and created again with its trigger */
	struct schema *c = schema_new(SQL_POSTGRES), *e = schema_new(SQL_POSTGRES);
	struct schema *models[] = {c, e};
	for (int k = 0; k < 2; k++) {
		struct schema *m = models[k];
		struct schema_table *t = table(m, "t");
		col(m, t, "id", "integer", true, NULL);
		struct schema_function *fn = schema_add_function(
			m, "f", "", 'f', k ? "trigger" : "trigger", "",
			k ? "CREATE OR REPLACE FUNCTION f()\n RETURNS trigger\nAS 2" : "CREATE OR REPLACE FUNCTION f()\n RETURNS trigger\nAS 1");
		fn->early = true;
		struct schema_trigger *tr = schema_add_trigger(m, "t", "t_f", "CREATE TRIGGER t_f BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
		                                               "CREATE TRIGGER t_f BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", NULL, 0);
		tr->func = schema_str(m, "f()");
		schema_sort(m);
	}
	up = schema_sql(c, e);
	is_str(up, "CREATE OR REPLACE FUNCTION f()\n RETURNS trigger\nAS 2;\n",
	       "functions: a new body replaces the function, its trigger untouched");
	free(up);
	e->functions[0].result = schema_str(e, "event_trigger");
	up = schema_sql(c, e);
	before(up, "DROP TRIGGER t_f ON t;", "DROP FUNCTION f();", "functions: a new result: the trigger first");
	before(up, "DROP FUNCTION f();", "CREATE OR REPLACE FUNCTION f()", "... the function dropped, made again");
	before(up, "CREATE OR REPLACE FUNCTION f()", "CREATE TRIGGER t_f", "... and the trigger after it");
	free(up);
	schema_free(c);
	schema_free(e);
	schema_free(a);
	schema_free(b);
}

int main(void)
{
	test_text();
	test_parse();
	test_diff();
	test_pg_sql();
	test_pg_enums();
	test_pg_objects();
	test_sqlite_sql();
	return done_testing();
}
