#!/bin/bash
# revision --autogenerate and drift on PostgreSQL for the objects beyond
# tables: enums, domains, composite types, sequences, extensions,
# functions, triggers, materialized views, partitions, row-level security
# and policies, grants and comments.
#
# Each step changes schema.sql, generates the script and applies it to a
# database holding rows. The database must then be exactly what
# schema.sql makes on its own, as the catalogs describe it (read here
# with queries of the test's own, not retort's); the downgrade must bring
# it back exactly to what the schema.sql before made, and the upgrade must
# apply again.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg

psql -X -q -d postgres -c "CREATE ROLE clerk NOLOGIN" >/dev/null

# The schema as the catalogs describe it, one line per fact, sorted;
# column order and retort's own tables left out. $1: a database.
catalog() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "${PGURL%/*}/$1" <<'EOF'
WITH ours AS (SELECT c.oid, c.relname, c.relkind FROM pg_class c
              WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'retort%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = c.oid AND e.deptype = 'e')),
     procs AS (SELECT p.oid, p.oid::regprocedure::text AS sig, p.proacl, p.proowner FROM pg_proc p
               WHERE p.pronamespace = 'public'::regnamespace
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')),
     types AS (SELECT t.oid, t.typname, t.typtype, t.typacl, t.typowner FROM pg_type t
               LEFT JOIN pg_class c ON c.oid = t.typrelid
               WHERE t.typnamespace = 'public'::regnamespace
               AND (t.typtype IN ('e', 'd') OR c.relkind = 'c')
               AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = t.oid AND e.deptype = 'e'))
SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
UNION ALL SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
  FROM types t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname
UNION ALL SELECT 'domain ' || t.typname || ' ' || format_type(d.typbasetype, d.typtypmod) || ' default '
  || coalesce(d.typdefault, '-') || ' notnull ' || d.typnotnull || ' '
  || coalesce((SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ', ' ORDER BY conname)
               FROM pg_constraint WHERE contypid = t.oid), '')
  FROM types t JOIN pg_type d ON d.oid = t.oid WHERE t.typtype = 'd'
UNION ALL SELECT 'composite ' || t.typname || ' ' || string_agg(a.attname || ' '
  || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
  FROM types t JOIN pg_type d ON d.oid = t.oid JOIN pg_attribute a ON a.attrelid = d.typrelid
  WHERE a.attnum > 0 AND NOT a.attisdropped GROUP BY t.typname
UNION ALL SELECT 'sequence ' || sequencename || ' ' || data_type || ' start ' || start_value
  || ' by ' || increment_by || ' ' || min_value || '..' || max_value || ' cycle ' || cycle
  || ' cache ' || cache_size FROM pg_sequences WHERE schemaname = 'public' AND sequencename NOT LIKE 'retort%'
UNION ALL SELECT 'owned ' || s.relname || ' by ' || t.relname || '.' || a.attname FROM pg_depend d
  JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN ours t ON t.oid = d.refobjid
  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid WHERE d.deptype = 'a'
UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
  || ' notnull ' || a.attnotnull || ' default ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '-')
  FROM ours c JOIN pg_attribute a ON a.attrelid = c.oid
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL SELECT 'constraint ' || c.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
  FROM pg_constraint con JOIN ours c ON c.oid = con.conrelid
UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes
  WHERE schemaname = 'public' AND tablename NOT LIKE 'retort%'
UNION ALL SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
UNION ALL SELECT 'matview ' || matviewname || ' ' || definition FROM pg_matviews WHERE schemaname = 'public'
UNION ALL SELECT 'function ' || sig || ' ' || pg_get_functiondef(oid) FROM procs
UNION ALL SELECT 'trigger ' || c.relname || '.' || tgname || ' ' || pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN ours c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal
UNION ALL SELECT 'partition ' || c.relname || ' of ' || p.relname || ' ' || pg_get_expr(c.relpartbound, c.oid)
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
  WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
UNION ALL SELECT 'partitioned ' || relname || ' by ' || pg_get_partkeydef(oid) FROM ours WHERE relkind = 'p'
UNION ALL SELECT 'security ' || c.relname || ' ' || r.relrowsecurity || ' forced ' || r.relforcerowsecurity
  FROM ours c JOIN pg_class r ON r.oid = c.oid WHERE c.relkind IN ('r', 'p')
UNION ALL SELECT 'policy ' || tablename || '.' || policyname || ' ' || permissive || ' ' || cmd || ' to '
  || array_to_string(roles, ',') || ' using ' || coalesce(qual, '-') || ' check ' || coalesce(with_check, '-')
  FROM pg_policies WHERE schemaname = 'public'
UNION ALL SELECT 'grant on ' || c.relname || ': ' || a.privilege_type || ' to '
  || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ' ' || a.is_grantable
  FROM ours c JOIN pg_class r ON r.oid = c.oid, aclexplode(r.relacl) a WHERE a.grantee <> r.relowner
UNION ALL SELECT 'grant on ' || c.relname || '.' || att.attname || ': ' || a.privilege_type || ' to '
  || pg_get_userbyid(a.grantee) FROM ours c JOIN pg_attribute att ON att.attrelid = c.oid, aclexplode(att.attacl) a
UNION ALL SELECT 'grant on ' || sig || ': ' || a.privilege_type || ' to '
  || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
  FROM procs, aclexplode(coalesce(proacl, acldefault('f', proowner))) a WHERE a.grantee <> proowner
UNION ALL SELECT 'grant on ' || typname || ': ' || a.privilege_type || ' to '
  || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END
  FROM types, aclexplode(coalesce(typacl, acldefault('T', typowner))) a WHERE a.grantee <> typowner
UNION ALL SELECT 'comment on ' || c.relname || coalesce('.' || a.attname, '') || ': ' || d.description
  FROM pg_description d JOIN ours c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
UNION ALL SELECT 'comment on ' || t.typname || ': ' || d.description FROM pg_description d
  JOIN types t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
UNION ALL SELECT 'comment on ' || p.sig || ': ' || d.description FROM pg_description d
  JOIN procs p ON d.classoid = 'pg_proc'::regclass AND d.objoid = p.oid
ORDER BY 1
EOF
}

# ref: a database made from schema.sql alone, by psql; sets REF.
NREF=0
ref() {
	NREF=$((NREF + 1))
	REF="ref_$NREF"
	psql -X -q -d postgres -c "CREATE DATABASE $REF" >/dev/null
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 \
		-d "${PGURL%/*}/$REF" -f schema.sql >/dev/null || diag "schema.sql does not apply"
}

upgrade_of() { sed -n '/^-- migrate:upgrade/,/^-- migrate:downgrade/p' "$@" | grep -v '^-- migrate:'; }
downgrade_of() { sed -n '/^-- migrate:downgrade/,$p' "$@" | grep -v '^-- migrate:'; }

# step DESCRIPTION UPGRADE-REGEX [DOWNGRADE-REGEX]: schema.sql has changed.
# Sets FILES to the scripts written (two when the enum values come first).
step() {
	local what=$1 before=$REF n
	ref
	rtd revision -m "$what" --autogenerate
	ok_rc 0 "$what: revision --autogenerate"
	FILES=$OUT GEN_ERR=$ERR
	n=$(printf '%s\n' "$FILES" | grep -c .)
	like "$(upgrade_of $FILES)" "$2" "$what: the upgrade says so"
	[ -n "${3:-}" ] && like "$(downgrade_of $FILES)" "$3" "$what: the downgrade undoes it"
	rtd upgrade head
	ok_rc 0 "$what: the upgrade applies on a database with rows"
	[ "$RC" = 0 ] || diag "$(cat $FILES)"
	is "$(catalog "$DBN")" "$(catalog "$REF")" "$what: the database is what schema.sql makes"
	rtd check
	ok_rc 0 "$what: check finds no drift"
	[ "$RC" = 0 ] || diag "$OUT"
	rtd downgrade "-$n"
	ok_rc 0 "$what: the downgrade applies"
	is "$(catalog "$DBN")" "$(catalog "$before")" "$what: the downgrade returns exactly"
	rtd check
	unlike "$OUT" "from the migrations" "$what: ... to what the migrations before it make"
	rtd upgrade head
	ok_rc 0 "$what: the upgrade applies again"
	is "$(catalog "$DBN")" "$(catalog "$REF")" "$what: ... to the same schema"
}

edit() { sed -i "$@" schema.sql; }

P="$T_DIR/objects"
mkdir -p "$P/versions"
printf '[retort]\nscript_location = .\nschema = schema.sql\n' >"$P/retort.ini"
cd "$P" || exit 1
newdb objects
cat >schema.sql <<'EOF'
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped');
CREATE DOMAIN email AS citext CONSTRAINT email_has_at CHECK (VALUE ~ '@');
CREATE TYPE price AS (amount numeric(10,2), currency char(3));
CREATE SEQUENCE invoice_no START 1000;
CREATE TABLE customers (id integer PRIMARY KEY, mail email NOT NULL);
CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    status order_status NOT NULL DEFAULT 'new',
    invoice bigint NOT NULL DEFAULT nextval('invoice_no'),
    total price,
    touched date
);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql
    AS $$ BEGIN NEW.touched := current_date; RETURN NEW; END $$;
CREATE TRIGGER orders_stamp BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE FUNCTION open_orders() RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT count(*) FROM orders WHERE status <> 'shipped' $$;
CREATE VIEW big_orders AS SELECT id, status FROM orders WHERE (total).amount > 100;
CREATE MATERIALIZED VIEW order_counts AS SELECT status, count(*) AS n FROM orders GROUP BY status;
CREATE UNIQUE INDEX order_counts_status ON order_counts (status);
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, what text) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX events_at ON events (at);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_clerk ON orders FOR SELECT TO clerk USING (status <> 'new');
GRANT SELECT, UPDATE (status) ON orders TO clerk;
GRANT USAGE ON SEQUENCE invoice_no TO clerk;
REVOKE EXECUTE ON FUNCTION stamp() FROM PUBLIC;
COMMENT ON TABLE orders IS 'What customers bought';
COMMENT ON COLUMN orders.status IS 'Where the order is';
COMMENT ON TYPE order_status IS 'The steps of an order';
COMMENT ON VIEW big_orders IS 'Orders over 100';
COMMENT ON MATERIALIZED VIEW order_counts IS 'Orders by status';
EOF
ref
rtd revision -m "start" --autogenerate
ok_rc 0 "the first revision from a schema.sql with every kind of object"
first=$OUT
for x in "CREATE EXTENSION IF NOT EXISTS citext" "CREATE TYPE order_status AS ENUM" \
	"CREATE DOMAIN email" "CREATE TYPE price AS \\(" "CREATE SEQUENCE invoice_no .*START WITH 1000" \
	"CREATE OR REPLACE FUNCTION stamp\\(\\)" "CREATE MATERIALIZED VIEW order_counts" \
	"PARTITION BY RANGE \\(at\\)" "CREATE TABLE events_2025 PARTITION OF events" \
	"ALTER TABLE orders ENABLE ROW LEVEL SECURITY" "CREATE POLICY orders_clerk" \
	"GRANT SELECT ON TABLE orders TO clerk" "GRANT UPDATE \\(status\\) ON TABLE orders TO clerk" \
	"REVOKE EXECUTE ON FUNCTION stamp\\(\\) FROM PUBLIC" "COMMENT ON COLUMN orders.status IS"; do
	like "$(upgrade_of "$first")" "$x" "start: $x"
done
# what a column uses comes before it, and goes after it
up=$(upgrade_of "$first") down=$(downgrade_of "$first")
# before TEXT FIRST SECOND DESCRIPTION: FIRST's line comes before SECOND's
before() {
	local a b
	a=$(printf '%s\n' "$1" | grep -n -m1 -E "$2" | cut -d: -f1)
	b=$(printf '%s\n' "$1" | grep -n -m1 -E "$3" | cut -d: -f1)
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ]
	t_result $? "$4"
}
before "$up" "CREATE TYPE order_status" "CREATE TABLE orders" "start: the enum before the table that uses it"
before "$up" "CREATE SEQUENCE invoice_no" "CREATE TABLE orders" \
	"start: the sequence before the default that uses it"
before "$up" "CREATE TABLE events \\(" "CREATE TABLE events_2025" \
	"start: the partitioned table before its partition"
before "$up" "CREATE OR REPLACE FUNCTION stamp" "CREATE TRIGGER orders_stamp" \
	"start: the trigger's function before the trigger"
before "$down" "DROP TABLE orders" "DROP TYPE order_status" "start: the downgrade drops the table before the enum"
before "$down" "DROP DOMAIN email" "DROP EXTENSION IF EXISTS citext" \
	"start: ... and the domain before the extension that gives its type"
rtd upgrade head
ok_rc 0 "start: applies"
is "$(catalog "$DBN")" "$(catalog "$REF")" "start: the database is what schema.sql makes"
rtd check
ok_rc 0 "start: check finds no drift"
[ "$RC" = 0 ] || diag "$OUT"

dbq "INSERT INTO customers VALUES (1, 'ann@example.com'), (2, 'bob@example.com');
     INSERT INTO orders (id, customer_id, status, total) VALUES
       (1, 1, 'new', ROW(10, 'EUR')), (2, 1, 'paid', ROW(250, 'EUR')), (3, 2, 'shipped', NULL);
     INSERT INTO events VALUES (1, '2025-03-01', 'x'), (2, '2025-07-01', 'y');
     REFRESH MATERIALIZED VIEW order_counts" >/dev/null
rows() { dbq "SELECT string_agg(id || ':' || status, ' ' ORDER BY id) FROM orders"; }

# ---- enums ----

edit "s/ENUM ('new', 'paid', 'shipped')/ENUM ('new', 'paid', 'shipped', 'refunded')/"
step "enum value added" "^ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'shipped';$" \
	"review: order_status loses the value\\(s\\) 'refunded'"
is "$(printf '%s\n' "$FILES" | grep -c .)" 1 "enum value added: one revision, in a transaction (the value is not used)"
unlike "$(cat $FILES)" "Transaction: none" "enum value added: ... without Transaction: none"
is "$(rows)" "1:new 2:paid 3:shipped" "enum value added: the rows keep their values"

# The rule: a value added in a transaction cannot be used in it.
dbq "BEGIN; ALTER TYPE order_status ADD VALUE 'held'; ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'held'; COMMIT" 2>"$T_DIR/rule.err"
like "$(cat "$T_DIR/rule.err")" "unsafe use of new value" \
	"the transaction rule: PostgreSQL refuses a new value in the transaction that adds it"
edit "s/ENUM ('new', 'paid', 'shipped', 'refunded')/ENUM ('draft', 'new', 'paid', 'shipped', 'refunded')/; s/DEFAULT 'new'/DEFAULT 'draft'/"
step "enum value added and used" "ALTER TYPE order_status ADD VALUE 'draft' BEFORE 'new'"
pre=$(printf '%s\n' "$FILES" | head -n 1) main=$(printf '%s\n' "$FILES" | tail -n 1)
is "$(printf '%s\n' "$FILES" | grep -c .)" 2 "enum value added and used: two revisions"
like "$(cat "$pre")" "^-- Transaction: none$" "... the first outside a transaction"
is "$(upgrade_of "$pre" | grep -v '^$')" "ALTER TYPE order_status ADD VALUE 'draft' BEFORE 'new';" \
	"... adding the value, and nothing else"
like "$(downgrade_of "$pre")" "^DO \\\$retort\\\$" "... whose downgrade, outside a transaction too, is one statement"
like "$(cat "$main")" "Revises: $(sed -n 's/^-- Revision ID: //p' "$pre")" "... the second revises the first"
unlike "$(cat "$main")" "ADD VALUE|Transaction: none" "... and uses the value in a transaction of its own"
like "$(upgrade_of "$main")" "SET DEFAULT 'draft'::order_status" "... the new default"
like "$GEN_ERR" "added by [0-9a-f]{12} \\(Transaction: none\\).*cannot use a value in the transaction that adds it" \
	"... and revision says so"
dbq "INSERT INTO orders (id, customer_id) VALUES (4, 2)" >/dev/null
is "$(rows)" "1:new 2:paid 3:shipped 4:draft" "enum value added and used: the default gives the new value"
dbq "DELETE FROM orders WHERE id = 4" >/dev/null

edit "s/'paid', 'shipped', 'refunded'/'paid', 'sent', 'refunded'/; s/WHERE status <> 'shipped'/WHERE status <> 'sent'/"
step "enum value renamed" "ALTER TYPE order_status RENAME VALUE 'shipped' TO 'sent'" \
	"RENAME VALUE 'sent' TO 'shipped'"
like "$(upgrade_of $FILES)" "review: order_status: the value 'shipped' is taken as renamed to 'sent'" \
	"enum value renamed: a review comment says what was taken for a rename"
is "$(rows)" "1:new 2:paid 3:sent" "enum value renamed: the row holding it holds the new name"

edit "s/'paid', 'sent', 'refunded'/'paid', 'sent'/"
step "enum value removed" "ALTER TYPE order_status RENAME TO retort_old_order_status" \
	"ADD VALUE 'refunded' AFTER 'sent'|CREATE TYPE order_status AS ENUM \\('draft', 'new', 'paid', 'sent', 'refunded'\\)"
like "$(upgrade_of $FILES)" "review: order_status loses the value\\(s\\) 'refunded': rebuilt" \
	"enum value removed: the rebuild is marked for review"
like "$(upgrade_of $FILES)" "USING status::text::order_status" "enum value removed: ... the column cast to the new type"
is "$(rows)" "1:new 2:paid 3:sent" "enum value removed: the rows keep their values"
is "$(dbq "SELECT count(*) FROM pg_type WHERE typname LIKE 'retort_old%'")" 0 "enum value removed: the old type is gone"

# A value still in use cannot go: the rebuild fails as a whole.
edit "s/'draft', 'new', 'paid', 'sent'/'draft', 'new', 'sent'/"
rtd revision -m "no paid" --autogenerate
bad=$OUT
rtd upgrade head
ok_rc 1 "enum value removed while a row holds it: the upgrade fails"
like "$ERR" "invalid input value for enum order_status: \"paid\"" "... saying which value"
is "$(rows)" "1:new 2:paid 3:sent" "... and changes nothing"
is "$(dbq "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'order_status'::regtype")" \
	"draft,new,paid,sent" "... not even the type"
rm "$bad"
edit "s/'draft', 'new', 'sent'/'draft', 'new', 'paid', 'sent'/"

edit "s/'draft', 'new', 'paid', 'sent'/'new', 'draft', 'paid', 'sent'/"
step "enum values reordered" "review: order_status has its values reordered: rebuilt"
is "$(rows)" "1:new 2:paid 3:sent" "enum values reordered: the rows keep their values"

# ---- domains and composite types ----

edit "s/CONSTRAINT email_has_at CHECK (VALUE ~ '@');/CONSTRAINT email_has_at CHECK (VALUE ~ '@') CONSTRAINT email_short CHECK (length(VALUE) < 200) DEFAULT 'nobody@example.com';/"
step "domain check and default" "ALTER DOMAIN email ADD CONSTRAINT email_short CHECK" "ALTER DOMAIN email DROP CONSTRAINT email_short"
like "$(upgrade_of $FILES)" "ALTER DOMAIN email SET DEFAULT 'nobody@example.com'" "domain check and default: the default"
edit "s/CREATE DOMAIN email AS citext/CREATE DOMAIN email AS varchar(300)/"
step "domain base type" "ALTER DOMAIN email RENAME TO retort_old_email"
is "$(dbq "SELECT string_agg(mail, ' ' ORDER BY id) FROM customers")" "ann@example.com bob@example.com" \
	"domain base type: the rows keep their values"

edit "s/CREATE TYPE price AS (amount numeric(10,2), currency char(3));/CREATE TYPE price AS (amount numeric(10,2), currency char(3), taxed boolean);/"
step "composite attribute added" "ALTER TYPE price ADD ATTRIBUTE taxed boolean" "ALTER TYPE price DROP ATTRIBUTE taxed"
edit "s/amount numeric(10,2), currency char(3), taxed boolean/amount numeric(12,2), currency char(3), taxed boolean/"
step "composite attribute retyped" "ALTER TYPE price RENAME TO retort_old_price"
is "$(dbq "SELECT string_agg(coalesce((total).amount::text, '-'), ' ' ORDER BY id) FROM orders")" \
	"10.00 250.00 -" "composite attribute retyped: the rows keep their values"

# ---- sequences, extensions, comments ----

edit "s/CREATE SEQUENCE invoice_no START 1000;/CREATE SEQUENCE invoice_no START 5000 INCREMENT 5;/"
printf 'CREATE SEQUENCE ticket_no OWNED BY orders.touched;\n' >>schema.sql
step "sequences" "ALTER SEQUENCE invoice_no .*INCREMENT BY 5 .*START WITH 5000" "DROP SEQUENCE ticket_no"
like "$(upgrade_of $FILES)" "ALTER SEQUENCE ticket_no OWNED BY orders.touched" "sequences: OWNED BY after the table"
like "$(upgrade_of $FILES)" "review: invoice_no: START WITH is where RESTART goes back to" \
	"sequences: a new start is marked for review"
edit "/CREATE SEQUENCE ticket_no/d"

edit "s/CREATE EXTENSION IF NOT EXISTS citext;/CREATE EXTENSION IF NOT EXISTS citext;\nCREATE EXTENSION IF NOT EXISTS hstore;/"
step "extension" "CREATE EXTENSION IF NOT EXISTS hstore" "DROP EXTENSION IF EXISTS hstore"

edit "s/COMMENT ON TABLE orders IS 'What customers bought';/COMMENT ON TABLE orders IS 'What customers ordered';\nCOMMENT ON COLUMN orders.total IS 'With tax';\nCOMMENT ON FUNCTION stamp() IS 'Sets touched';/; /COMMENT ON VIEW big_orders/d; s/The steps of an order/The stages of an order/"
step "comments" "COMMENT ON TABLE orders IS 'What customers ordered'" "COMMENT ON COLUMN orders.total IS NULL"
like "$(upgrade_of $FILES)" "COMMENT ON VIEW big_orders IS NULL" "comments: a comment removed"
like "$(upgrade_of $FILES)" "COMMENT ON TYPE order_status IS 'The stages of an order'" "comments: on a type"
like "$(upgrade_of $FILES)" "COMMENT ON FUNCTION stamp\\(\\) IS 'Sets touched'" "comments: on a function"

# ---- functions, triggers, materialized views ----

edit "s/WHERE status <> 'sent'/WHERE status NOT IN ('sent')/"
step "function body" "CREATE OR REPLACE FUNCTION open_orders\\(\\)"
unlike "$(upgrade_of $FILES)" "DROP FUNCTION" "function body: replaced, not dropped"
edit "s/CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql/CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER/"
step "function options" "SECURITY DEFINER"
edit "s/CREATE FUNCTION open_orders() RETURNS bigint/CREATE FUNCTION open_orders() RETURNS integer/; s/SELECT count(\\*) FROM orders WHERE status NOT IN ('sent')/SELECT count(*)::integer FROM orders WHERE status NOT IN ('sent')/"
step "function result type" "DROP FUNCTION open_orders\\(\\)"
like "$(upgrade_of $FILES)" "review: open_orders\\(\\): its arguments or result change" \
	"function result type: dropped and created again, under a review comment"
edit "s/BEFORE UPDATE ON orders/BEFORE INSERT OR UPDATE ON orders/"
step "trigger" "DROP TRIGGER orders_stamp ON orders"

edit "s/SELECT status, count(\\*) AS n FROM orders GROUP BY status/SELECT status, count(*) AS n, max(id) AS last FROM orders GROUP BY status/"
step "materialized view" "DROP MATERIALIZED VIEW order_counts" "CREATE UNIQUE INDEX order_counts_status"
like "$(upgrade_of $FILES)" "CREATE UNIQUE INDEX order_counts_status ON order_counts" \
	"materialized view: its index is made again"
is "$(dbq "SELECT string_agg(status || '=' || n, ' ' ORDER BY status) FROM order_counts")" "new=1 paid=1 sent=1" \
	"materialized view: it holds the rows"
edit "s/CREATE UNIQUE INDEX order_counts_status ON order_counts (status);/CREATE UNIQUE INDEX order_counts_status ON order_counts (status);\nCREATE INDEX order_counts_n ON order_counts (n);/"
step "materialized view index" "CREATE INDEX order_counts_n ON order_counts" "DROP INDEX order_counts_n"

# ---- partitions ----

edit "s/CREATE INDEX events_at ON events (at);/CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nCREATE INDEX events_at ON events (at);/"
step "partition added" "CREATE TABLE events_2026 PARTITION OF events" "DROP TABLE events_2026"
edit "s/FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')/FOR VALUES FROM ('2024-01-01') TO ('2026-01-01')/"
step "partition bounds" "ALTER TABLE events DETACH PARTITION events_2025" "ATTACH PARTITION events_2025 FOR VALUES FROM \\('2025-01-01'\\)"
is "$(dbq "SELECT count(*) FROM events")" 2 "partition bounds: the rows stay"
edit "s/CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, what text)/CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, what text, who integer)/"
step "partitioned table column" "ALTER TABLE events ADD COLUMN who integer"
unlike "$(upgrade_of $FILES)" "events_2025" "partitioned table column: the partitions follow their parent"

# ---- row-level security, policies, grants ----

edit "s/USING (status <> 'new');/USING (status <> 'draft');\nCREATE POLICY orders_mine ON orders AS RESTRICTIVE FOR UPDATE TO clerk USING (customer_id > 0) WITH CHECK (customer_id > 0);\nALTER TABLE orders FORCE ROW LEVEL SECURITY;/"
step "policies" "DROP POLICY orders_clerk ON orders" "DROP POLICY orders_mine ON orders"
like "$(upgrade_of $FILES)" "CREATE POLICY orders_mine ON orders AS RESTRICTIVE FOR UPDATE TO clerk USING" \
	"policies: a restrictive policy"
like "$(upgrade_of $FILES)" "ALTER TABLE orders FORCE ROW LEVEL SECURITY" "policies: row security forced"

edit "s/GRANT SELECT, UPDATE (status) ON orders TO clerk;/GRANT SELECT ON orders TO clerk WITH GRANT OPTION;\nGRANT SELECT ON big_orders TO clerk;\nGRANT EXECUTE ON FUNCTION open_orders() TO clerk;\nREVOKE USAGE ON TYPE price FROM PUBLIC;/"
step "grants" "REVOKE UPDATE \\(status\\) ON TABLE orders FROM clerk" "GRANT UPDATE \\(status\\) ON TABLE orders TO clerk"
like "$(upgrade_of $FILES)" "GRANT SELECT ON TABLE orders TO clerk WITH GRANT OPTION" "grants: with grant option"
like "$(upgrade_of $FILES)" "REVOKE USAGE ON TYPE price FROM PUBLIC" "grants: on a type"

is "$(dbq "SELECT count(*) FROM orders")|$(dbq "SELECT count(*) FROM customers")|$(dbq "SELECT count(*) FROM events")" \
	"3|2|2" "every step kept the rows"

# ---- everything goes, and comes back ----

printf 'CREATE TABLE customers (id integer PRIMARY KEY, mail text NOT NULL);\n' >schema.sql
step "everything dropped" "DROP TYPE order_status" "CREATE TYPE order_status AS ENUM"

# ---- what is not compared ----

dbq "CREATE TYPE floatrange AS RANGE (subtype = float8);
     CREATE RULE customers_keep AS ON DELETE TO customers DO INSTEAD NOTHING;
     CREATE SCHEMA audit; CREATE TABLE audit.log (x integer)" >/dev/null
printf 'CREATE TABLE customers (id integer PRIMARY KEY, mail text NOT NULL);\nCREATE AGGREGATE total_of(integer) (sfunc = int4pl, stype = integer);\n' >schema.sql
rtd check
ok_rc 0 "not compared: what check does not compare is no problem"
like "$OUT" "^not compared: range type floatrange \\(in the database\\)$" "not compared: a range type, where it is"
like "$OUT" "^not compared: rule customers_keep on customers \\(in the database\\)$" "not compared: a rule"
like "$OUT" "^not compared: schema audit \\(in the database\\)$" "not compared: another schema"
like "$OUT" "^not compared: aggregate total_of\\(integer\\) \\(from schema\\.sql\\)$" \
	"not compared: an aggregate only schema.sql has"
like "$OUT" "No problems found" "not compared: ... and none of them is drift"
dbq "ALTER TABLE customers ADD COLUMN note text" >/dev/null
rtd check
ok_rc 1 "not compared: the rest is still compared"
like "$OUT" "^drift: column customers.note: text in the database, absent from the migrations$" \
	"not compared: ... a column made by hand is drift"
rtd --json check
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert "not compared: range type floatrange (in the database)" in d["not_compared"], d
assert not any(p.startswith("not compared") for p in d["problems"]), d
' 2>"$T_DIR/json.err"
t_result $? "not compared: --json lists them in \"not_compared\""
[ -s "$T_DIR/json.err" ] && diag "$(cat "$T_DIR/json.err")"

is "$(psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'retort_scratch%'")" 0 \
	"every scratch database was dropped"
done_testing
