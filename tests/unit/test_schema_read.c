/* test_schema_read.c: reading SQLite's catalog into the model, exactly:
 * every field the model holds, from DDL written in several spellings. */
#include "tap.h"

#include "db.h"
#include "schema_impl.h"

static struct db *open_memory(void)
{
	struct db_url url = {0};
	struct db *db = NULL;
	char *err = NULL;
	url.backend = DB_SQLITE;
	url.path = (char *)":memory:";
	if (db_open(&url, "retort_version", &db, &err) != RT_OK) {
		printf("Bail out! %s\n", err);
		exit(1);
	}
	return db;
}

static void run_sql(struct db *db, const char *sql)
{
	char *err = NULL;
	if (db->ops->exec(db, sql, &err) != RT_OK) {
		printf("Bail out! %s: %s\n", sql, err);
		exit(1);
	}
}

static struct schema *read_schema(struct db *db)
{
	struct schema *s = NULL;
	char *err = NULL;
	int rc = schema_read(db, "retort_version", &s, &err);
	if (!ok(rc == RT_OK, "schema_read")) {
		printf("# %s\n", err ? err : "");
		free(err);
		exit(1);
	}
	return s;
}

static const struct schema_constraint *con_of(const struct schema_table *t,
                                              enum schema_con_kind kind, uint32_t nth)
{
	for (uint32_t i = 0; i < t->ncons; i++)
		if (t->cons[i].kind == kind && nth-- == 0)
			return &t->cons[i];
	return NULL;
}

static void test_model(void)
{
	struct db *db = open_memory();
	run_sql(db, "CREATE TABLE retort_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
	run_sql(db, "CREATE TABLE retort_history (id INTEGER PRIMARY KEY AUTOINCREMENT)");
	run_sql(db, "CREATE TABLE \"Users\" (\n"
	            "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
	            "  email VarChar( 200 ) NOT NULL COLLATE NOCASE CONSTRAINT uq_email UNIQUE,\n"
	            "  name TEXT DEFAULT 'x' CHECK (length(name) > 0),\n"
	            "  doubled INT GENERATED ALWAYS AS (id * 2) STORED,\n"
	            "  CONSTRAINT pos CHECK (id > 0)\n"
	            ")");
	run_sql(db, "CREATE TABLE posts (id INT, user_id INT NOT NULL REFERENCES users "
	            "ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, "
	            "PRIMARY KEY (id, user_id)) WITHOUT ROWID");
	run_sql(db, "CREATE UNIQUE INDEX posts_u ON posts (user_id) WHERE id > 0");
	run_sql(db, "CREATE VIEW user_posts AS SELECT u.email FROM users u JOIN posts p ON p.user_id = u.id");
	run_sql(db, "CREATE TRIGGER users_ins AFTER INSERT ON users BEGIN DELETE FROM posts WHERE 0; END");
	struct schema *s = read_schema(db);

	is_int(s->ntables, 2, "two tables: retort's own are left out");
	const struct schema_table *u = schema_find_table(s, "users");
	ok(u != NULL, "a table found whatever the case of its name");
	if (!u)
		return;
	is_str(u->name, "Users", "... named as created");
	is_int(u->ncols, 4, "four columns");
	if (u->ncols == 4) {
		is_str(u->cols[1].type, "varchar(200)", "a type, normalized");
		ok(u->cols[1].notnull && !u->cols[2].notnull, "nullability");
		is_str(u->cols[1].collation, "nocase", "a collation");
		is_str(u->cols[2].dflt, "'x'", "a default");
		is_str(u->cols[3].generated, "id * 2", "a generated column's expression");
		ok(u->cols[3].stored, "... stored");
		is_str(u->cols[1].sql, "email VarChar( 200 ) NOT NULL COLLATE NOCASE CONSTRAINT uq_email UNIQUE",
		       "a column's definition as written");
	}
	const struct schema_constraint *c = con_of(u, SCHEMA_PRIMARY, 0);
	is_str(c ? c->def : NULL, "PRIMARY KEY (id) AUTOINCREMENT", "the primary key, with AUTOINCREMENT");
	c = con_of(u, SCHEMA_UNIQUE, 0);
	is_str(c ? c->def : NULL, "UNIQUE (email COLLATE nocase)", "a unique key, with its collation");
	is_str(c ? c->name : NULL, "uq_email", "... and its name");
	c = con_of(u, SCHEMA_CHECK, 0);
	is_str(c ? c->def : NULL, "CHECK (length(name) > 0)", "a column check");
	ok(c && !c->name && c->ncols == 1 && strcmp(c->cols[0], "name") == 0,
	   "... unnamed, on the column it names");
	c = con_of(u, SCHEMA_CHECK, 1);
	is_str(c ? c->name : NULL, "pos", "a table check's name");

	const struct schema_table *p = schema_find_table(s, "posts");
	if (!ok(p != NULL, "posts"))
		return;
	is_str(p->options, "without rowid", "table options");
	c = con_of(p, SCHEMA_PRIMARY, 0);
	is_str(c ? c->def : NULL, "PRIMARY KEY (id, user_id)", "a composite primary key");
	c = con_of(p, SCHEMA_FOREIGN, 0);
	is_str(c ? c->def : NULL, "FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE SET NULL "
	       "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
	       "a foreign key to the implicit primary key, actions and deferral");
	is_str(c ? c->on_delete : NULL, "CASCADE", "... its ON DELETE action");
	is_str(c ? c->ref_table : NULL, "users", "... its table");

	is_int(s->nindexes, 1, "one index (keys' own indexes are not listed)");
	if (s->nindexes == 1) {
		ok(s->indexes[0].unique, "a unique index");
		is_str(s->indexes[0].def, "unique on posts(user_id) where id > 0", "... partial, normalized");
	}
	is_int(s->nviews, 1, "one view");
	if (s->nviews == 1) {
		is_str(s->views[0].def, "as select u.email from users u join posts p on p.user_id = u.id",
		       "a view's definition, normalized");
		is_int(s->views[0].ndeps, 2, "... reads two tables");
	}
	is_int(s->ntriggers, 1, "one trigger");
	if (s->ntriggers == 1) {
		is_str(s->triggers[0].table, "users", "... on its table");
		ok(s->triggers[0].ndeps == 2, "... naming both tables");
	}
	schema_free(s);
	db_close(db);
}

/* The same schema written differently reads as the same model. */
static void test_spellings(void)
{
	struct db *a = open_memory(), *b = open_memory();
	run_sql(a, "create table t (id integer primary key, v text not null default 'a' "
	           "check (v <> ''), w int references t(id))");
	run_sql(a, "create index t_v on t (v)");
	run_sql(b, "CREATE TABLE \"T\" ( \"ID\" INTEGER, [V] TEXT DEFAULT 'a' NOT NULL, W INT, "
	           "PRIMARY KEY (ID), CHECK ( V <> '' ), FOREIGN KEY (W) REFERENCES T (ID) )");
	run_sql(b, "CREATE INDEX T_V ON T(V)");
	struct schema *sa = read_schema(a), *sb = read_schema(b);
	struct schema_deltas d;
	schema_diff(sa, sb, &d);
	is_int(d.n, 0, "two spellings of one schema: no difference");
	for (uint32_t i = 0; i < d.n; i++) {
		struct strbuf line = STRBUF_INIT;
		schema_delta_line(&d.v[i], "in a", "in b", &line);
		printf("# %s\n", sb_str(&line));
		sb_free(&line);
	}
	schema_deltas_free(&d);
	char *sql = schema_sql(sa, sb);
	is_str(sql, "", "... and nothing to generate");
	free(sql);
	schema_free(sa);
	schema_free(sb);

	/* a real difference in each spelling is seen */
	run_sql(b, "DROP INDEX T_V");
	run_sql(b, "CREATE INDEX T_V ON T(V DESC)");
	sb = read_schema(b);
	sa = read_schema(a);
	schema_diff(sa, sb, &d);
	ok(d.n == 1 && d.v[0].obj == SCHEMA_INDEX, "an index's order is a difference");
	schema_deltas_free(&d);
	schema_free(sa);
	schema_free(sb);
	db_close(a);
	db_close(b);
}

/* Applying generated SQL and reading back gives the target. */
static void test_apply(void)
{
	struct db *db = open_memory(), *target = open_memory();
	run_sql(db, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT)");
	run_sql(db, "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id))");
	run_sql(db, "INSERT INTO p VALUES (1, 'a'), (2, NULL)");
	run_sql(db, "INSERT INTO c VALUES (10, 1), (11, 2)");
	run_sql(target, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'n', "
	                "born TEXT)");
	run_sql(target, "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT REFERENCES p (id))");
	run_sql(target, "CREATE INDEX p_name ON p (name)");
	struct schema *from = read_schema(db), *to = read_schema(target);
	char *up = schema_sql(from, to);
	char *err = NULL;
	int rc = db->ops->begin(db, &err);
	if (rc == RT_OK)
		rc = db->ops->exec(db, up, &err);
	if (rc == RT_OK)
		rc = db->ops->commit(db, &err);
	if (!ok(rc == RT_OK, "the generated SQL applies in one transaction"))
		printf("# %s\n%s", err ? err : "", up);
	free(err);
	struct schema *now = read_schema(db);
	struct schema_deltas d;
	schema_diff(now, to, &d);
	is_int(d.n, 0, "... and the database then reads as the target");
	schema_deltas_free(&d);
	struct db_rows rows;
	err = NULL;
	rc = db_select(db, "SELECT group_concat(name, ','), (SELECT count(*) FROM c) FROM p", NULL, 0,
	               &rows, &err);
	ok(rc == RT_OK && rows.nrows == 1 && strcmp(db_cell(&rows, 0, 0), "a,n") == 0 &&
	   strcmp(db_cell(&rows, 0, 1), "2") == 0,
	   "... keeping the rows, NULLs given the new default, the referencing rows too");
	db_rows_free(&rows);
	free(up);
	schema_free(from);
	schema_free(to);
	schema_free(now);
	db_close(db);
	db_close(target);
}

int main(void)
{
	test_model();
	test_spellings();
	test_apply();
	return done_testing();
}
