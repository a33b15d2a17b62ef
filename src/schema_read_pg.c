/* schema_read_pg.c: a PostgreSQL database's schema into the model.
 *
 * PostgreSQL says everything through its catalog, in canonical text
 * (format_type, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef,
 * pg_get_functiondef, pg_get_expr), so two spellings of one definition
 * read the same. Only the first schema of the search path is read; what
 * an extension owns belongs to the extension, and what the model does not
 * hold is named in its `uncompared` list. */
#include "schema_impl.h"

#include <stdlib.h>
#include <string.h>

#include "db_impl.h"

/* Every query reads the schema $1, the first of the search path; the
 * version and history tables are $2 and $3. */
#define PG_OURS(rel, ns)                                                      \
	" " ns ".nspname = $1 AND " rel ".relname NOT IN ($2, $3)"                \
	" AND NOT " PG_EXT("pg_class", rel ".oid")

/* An object an extension owns (its members are the extension's). */
#define PG_EXT(catalog, oid)                                                  \
	"EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '" catalog           \
	"'::regclass AND e.objid = " oid " AND e.deptype = 'e')"

/* An object another one made and owns (a range type's constructors and
 * casts): it is that one's. */
#define PG_INTERNAL(catalog, oid)                                             \
	"EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = '" catalog           \
	"'::regclass AND i.objid = " oid " AND i.deptype = 'i')"

/* A name in another schema is qualified; one in ours is not. */
#define PG_RELNAME(rel, ns)                                                   \
	"CASE WHEN " ns ".nspname = $1 THEN " rel ".relname"                      \
	" ELSE " ns ".nspname || '.' || " rel ".relname END"

/* A collation other than the type's default, as COLLATE takes it. */
#define PG_COLLATION(coll, typcoll)                                           \
	"CASE WHEN " coll " <> 0 AND " coll " <> " typcoll " THEN"                \
	" (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)" \
	"  ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END"   \
	"  FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace" \
	"  WHERE co.oid = " coll ") END"

/* A function as "name" chr(31) "argument types", for schema_sig. */
#define PG_FUNC(p) p ".proname || chr(31) || pg_get_function_identity_arguments(" p ".oid)"

static const char pg_tables_sql[] =
	"SELECT c.relname, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity,"
	" CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
	" (SELECT " PG_RELNAME("pc", "pn") " FROM pg_inherits i"
	"  JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
	"  WHERE c.relispartition AND i.inhrelid = c.oid),"
	" CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,"
	" obj_description(c.oid, 'pg_class')"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind IN ('r', 'p') AND" PG_OURS("c", "n")
	" ORDER BY c.relname";

/* A partition's columns are its parent's. */
static const char pg_columns_sql[] =
	"SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
	" pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
	" " PG_COLLATION("a.attcollation", "t.typcollation") ","
	" s.relname,"
	" a.attidentity = '' AND s.oid IS NOT NULL"
	"  AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)"
	"  AND pg_get_expr(d.adbin, d.adrelid) = format('nextval(%L::regclass)', s.oid::regclass::text),"
	" col_description(c.oid, a.attnum)"
	" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
	" LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
	" LEFT JOIN LATERAL (SELECT sc.oid, sc.relname FROM pg_depend dp"
	"  JOIN pg_class sc ON sc.oid = dp.objid AND sc.relkind = 'S'"
	"  WHERE dp.classid = 'pg_class'::regclass AND dp.refclassid = 'pg_class'::regclass"
	"  AND dp.refobjid = c.oid AND dp.refobjsubid = a.attnum AND dp.deptype = 'a'"
	"  ORDER BY sc.relname LIMIT 1) s ON true"
	" WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0"
	" AND NOT a.attisdropped AND" PG_OURS("c", "n")
	" ORDER BY c.relname, a.attnum";

/* What a partition inherits from its parent is the parent's. */
static const char pg_constraints_sql[] =
	"SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid),"
	" " PG_RELNAME("rc", "rn") ", con.confdeltype,"
	" ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)"
	"  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num"
	"  ORDER BY k.ord)::text[]"
	" FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_class rc ON rc.oid = con.confrelid"
	" LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
	" WHERE con.contype IN ('p', 'u', 'x', 'c', 'f') AND c.relkind IN ('r', 'p')"
	" AND con.conislocal AND con.conparentid = 0 AND" PG_OURS("c", "n")
	" ORDER BY c.relname, con.conname";

/* Indexes of tables and materialized views; a partition's index that is
 * a part of its parent's is the parent's. A partitioned table's reads
 * "ON ONLY", which the model leaves out: created on the parent, an index
 * is made on every partition. */
static const char pg_indexes_sql[] =
	"SELECT ct.relname, ci.relname, i.indisunique, pg_get_indexdef(i.indexrelid),"
	" 'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '"
	" || quote_ident(ci.relname) || ' ON ' || CASE WHEN ct.relkind = 'p' THEN 'ONLY ' ELSE '' END"
	" || quote_ident(n.nspname) || '.' || quote_ident(ct.relname) || ' '"
	" FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid"
	" JOIN pg_class ct ON ct.oid = i.indrelid JOIN pg_namespace n ON n.oid = ct.relnamespace"
	" WHERE ct.relkind IN ('r', 'p', 'm') AND" PG_OURS("ct", "n")
	" AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid"
	"  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))"
	" AND NOT EXISTS (SELECT 1 FROM pg_inherits ih WHERE ih.inhrelid = i.indexrelid)"
	" ORDER BY ct.relname, ci.relname";

static const char pg_views_sql[] =
	"SELECT c.relname, pg_get_viewdef(c.oid, true),"
	" array_to_string(c.reloptions, ', '),"
	" ARRAY(SELECT DISTINCT " PG_RELNAME("r", "rn") " FROM pg_rewrite rw"
	"  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid"
	"  AND d.refclassid = 'pg_class'::regclass"
	"  JOIN pg_class r ON r.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = r.relnamespace"
	"  WHERE rw.ev_class = c.oid AND r.oid <> c.oid ORDER BY 1)::text[],"
	" c.relkind = 'm', c.relispopulated, obj_description(c.oid, 'pg_class'),"
	" ARRAY(SELECT DISTINCT " PG_FUNC("p") " FROM pg_rewrite rw"
	"  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid"
	"  AND d.refclassid = 'pg_proc'::regclass"
	"  JOIN pg_proc p ON p.oid = d.refobjid"
	"  WHERE rw.ev_class = c.oid AND p.pronamespace = n.oid ORDER BY 1)::text[]"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE c.relkind IN ('v', 'm') AND" PG_OURS("c", "n")
	" ORDER BY c.relname";

/* A partition's copy of its parent's trigger is the parent's (before 13,
 * such a copy is internal). Pretty-printed, the definition names the
 * table as the search path sees it: unqualified in the schema read. */
static const char pg_triggers_sql[] =
	"SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid, true),"
	" CASE WHEN p.pronamespace = n.oid THEN " PG_FUNC("p") " END"
	" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid"
	" WHERE NOT t.tgisinternal AND c.relkind IN ('r', 'v', 'p') AND" PG_OURS("c", "n")
	" %s ORDER BY c.relname, t.tgname";

static const char pg_types_sql[] =
	"SELECT t.typname, t.typtype, format_type(t.oid, NULL),"
	" CASE WHEN t.typtype = 'e' THEN ARRAY(SELECT enumlabel FROM pg_enum"
	"  WHERE enumtypid = t.oid ORDER BY enumsortorder)::text[] END,"
	" CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,"
	" t.typdefault, t.typnotnull,"
	" CASE WHEN t.typtype = 'd' THEN " PG_COLLATION("t.typcollation", "bt.typcollation") " END,"
	" obj_description(t.oid, 'pg_type'),"
	" t.typtype = 'd' AND EXISTS (SELECT 1 FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid"
	"  WHERE d.refclassid = 'pg_proc'::regclass AND p.pronamespace = n.oid"
	"  AND ((d.classid = 'pg_type'::regclass AND d.objid = t.oid)"
	"   OR (d.classid = 'pg_constraint'::regclass"
	"    AND d.objid IN (SELECT oid FROM pg_constraint WHERE contypid = t.oid))))"
	" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	" LEFT JOIN pg_class c ON c.oid = t.typrelid"
	" LEFT JOIN pg_type bt ON bt.oid = t.typbasetype"
	" WHERE n.nspname = $1 AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND c.relkind = 'c'))"
	" AND NOT " PG_EXT("pg_type", "t.oid")
	" ORDER BY t.typname";

static const char pg_domain_checks_sql[] =
	"SELECT t.typname, con.conname, pg_get_constraintdef(con.oid)"
	" FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid"
	" JOIN pg_namespace n ON n.oid = t.typnamespace"
	" WHERE n.nspname = $1 AND con.contype = 'c'"
	" ORDER BY t.typname, con.conname";

static const char pg_attributes_sql[] =
	"SELECT t.typname, a.attname, format_type(a.atttypid, a.atttypmod),"
	" " PG_COLLATION("a.attcollation", "at.typcollation")
	" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'"
	" JOIN pg_attribute a ON a.attrelid = c.oid JOIN pg_type at ON at.oid = a.atttypid"
	" WHERE n.nspname = $1 AND t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped"
	" ORDER BY t.typname, a.attnum";

/* Sequences other than identities' (a serial column's are left out once
 * the columns are known). */
static const char pg_sequences_sql[] =
	"SELECT c.relname, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax,"
	" s.seqstart, s.seqcache, s.seqcycle, ot.relname, oa.attname,"
	" obj_description(c.oid, 'pg_class')"
	" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_sequence s ON s.seqrelid = c.oid"
	" LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid"
	"  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
	" LEFT JOIN pg_class ot ON ot.oid = d.refobjid"
	" LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid"
	" WHERE c.relkind = 'S' AND" PG_OURS("c", "n")
	" AND (d.deptype IS NULL OR d.deptype = 'a') AND (ot.relname IS NULL OR ot.relname NOT IN ($2, $3))"
	" ORDER BY c.relname";

/* A function is created early (before the tables) unless it reads a
 * relation or row type of the schema, or is LANGUAGE sql; a table's
 * default, check, index or a domain's check that uses it makes it early
 * regardless. */
static const char pg_functions_sql[] =
	"SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind,"
	" CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END,"
	" pg_get_function_arguments(p.oid), pg_get_functiondef(p.oid), l.lanname,"
	" EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_proc'::regclass"
	"  AND d.refobjid = p.oid AND d.classid IN ('pg_attrdef'::regclass,"
	"  'pg_constraint'::regclass, 'pg_class'::regclass)),"
	" ARRAY(SELECT DISTINCT r.relname FROM pg_depend d"
	"  JOIN pg_class r ON r.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass"
	"  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND r.relnamespace = n.oid"
	"  UNION SELECT r.relname FROM pg_depend d"
	"  JOIN pg_type t ON t.oid = d.refobjid AND d.refclassid = 'pg_type'::regclass"
	"  JOIN pg_class r ON r.oid = t.typrelid AND r.relkind <> 'c'"
	"  WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND r.relnamespace = n.oid"
	"  ORDER BY 1)::text[],"
	" obj_description(p.oid, 'pg_proc'), quote_ident(n.nspname)"
	" FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
	" JOIN pg_language l ON l.oid = p.prolang"
	" WHERE n.nspname = $1 AND p.prokind IN ('f', 'p', 'w') AND NOT " PG_EXT("pg_proc", "p.oid")
	" AND NOT " PG_INTERNAL("pg_proc", "p.oid")
	" ORDER BY 1, 2";

/* plpgsql is in every database, template0's included. */
static const char pg_extensions_sql[] =
	"SELECT e.extname, CASE WHEN n.nspname <> $1 THEN n.nspname END"
	" FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
	" WHERE e.extname <> 'plpgsql' ORDER BY 1";

static const char pg_policies_sql[] =
	"SELECT c.relname, p.polname, p.polpermissive, p.polcmd,"
	" (SELECT string_agg(CASE WHEN u.r = 0 THEN 'PUBLIC' ELSE quote_ident(ro.rolname) END,"
	"  ', ' ORDER BY u.r <> 0, ro.rolname) FROM unnest(p.polroles) u(r)"
	"  LEFT JOIN pg_roles ro ON ro.oid = u.r),"
	" pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)"
	" FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" WHERE" PG_OURS("c", "n")
	" ORDER BY c.relname, p.polname";

/* Every grant to a role other than the owner: kind ('r' a relation, 'f' a
 * function, 't' a type), object, grantee, privilege, grantable. An object
 * never granted anything holds its kind's defaults (acldefault). */
#define PG_GRANTEE "CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END"
static const char pg_grants_sql[] =
	"SELECT k, obj, grantee, priv, grantable FROM ("
	" SELECT 'r' AS k, c.relname::text AS obj, " PG_GRANTEE " AS grantee,"
	"  a.privilege_type AS priv, a.is_grantable AS grantable"
	"  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,"
	"  aclexplode(coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::\"char\","
	"   c.relowner))) a"
	"  WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND a.grantee <> c.relowner AND" PG_OURS("c", "n")
	" UNION ALL"
	" SELECT 'r', c.relname, " PG_GRANTEE ","
	"  a.privilege_type || ' (' || quote_ident(att.attname) || ')', a.is_grantable"
	"  FROM pg_attribute att JOIN pg_class c ON c.oid = att.attrelid"
	"  JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(att.attacl) a"
	"  WHERE att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped"
	"  AND c.relkind IN ('r', 'p', 'v', 'm') AND a.grantee <> c.relowner AND" PG_OURS("c", "n")
	" UNION ALL"
	" SELECT 'f', " PG_FUNC("p") ", " PG_GRANTEE ", a.privilege_type, a.is_grantable"
	"  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace,"
	"  aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a"
	"  WHERE n.nspname = $1 AND p.prokind IN ('f', 'p', 'w') AND a.grantee <> p.proowner"
	"  AND NOT " PG_EXT("pg_proc", "p.oid") " AND NOT " PG_INTERNAL("pg_proc", "p.oid")
	" UNION ALL"
	" SELECT 't', t.typname, " PG_GRANTEE ", a.privilege_type, a.is_grantable"
	"  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	"  LEFT JOIN pg_class c ON c.oid = t.typrelid,"
	"  aclexplode(coalesce(t.typacl, acldefault('T', t.typowner))) a"
	"  WHERE n.nspname = $1 AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND c.relkind = 'c'))"
	"  AND a.grantee <> t.typowner AND NOT " PG_EXT("pg_type", "t.oid")
	") g ORDER BY 1, 2, 4, 3";

/* What the model does not hold, as (kind, name): in the schema read, and
 * in the database as a whole (casts, event triggers, other schemas, …). */
#define PG_IN(ns) " JOIN pg_namespace s ON s.oid = " ns " WHERE s.nspname = $1"
#define PG_REL_OURS                                                           \
	" FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"          \
	" WHERE s.nspname = $1 AND c.relname NOT IN ($2, $3)"                     \
	" AND NOT " PG_EXT("pg_class", "c.oid")
static const char pg_uncompared_sql[] =
	"SELECT k, n FROM ("
	" SELECT 'range type' AS k, t.typname::text AS n FROM pg_type t" PG_IN("t.typnamespace")
	"  AND t.typtype = 'r' AND NOT " PG_EXT("pg_type", "t.oid")
	" UNION ALL SELECT 'base type', t.typname FROM pg_type t" PG_IN("t.typnamespace")
	"  AND t.typtype IN ('b', 'p') AND t.typcategory <> 'A' AND NOT " PG_EXT("pg_type", "t.oid")
	" UNION ALL SELECT 'aggregate', p.proname || '(' || pg_get_function_identity_arguments(p.oid)"
	"  || ')' FROM pg_proc p" PG_IN("p.pronamespace")
	"  AND p.prokind = 'a' AND NOT " PG_EXT("pg_proc", "p.oid")
	" UNION ALL SELECT 'rule', r.rulename || ' on ' || c.relname FROM pg_rewrite r"
	"  JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace s ON s.oid = c.relnamespace"
	"  WHERE s.nspname = $1 AND r.rulename <> '_RETURN' AND NOT " PG_EXT("pg_class", "c.oid")
	" UNION ALL SELECT 'foreign table', c.relname" PG_REL_OURS " AND c.relkind = 'f'"
	" UNION ALL SELECT 'inheritance', c.relname || ' inherits ' || p.relname"
	"  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
	"  JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace s ON s.oid = c.relnamespace"
	"  WHERE s.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
	" UNION ALL SELECT 'storage parameters of ' || CASE c.relkind WHEN 'i' THEN 'index'"
	"  WHEN 'm' THEN 'materialized view' ELSE 'table' END, c.relname" PG_REL_OURS
	"  AND c.relkind IN ('r', 'p', 'm', 'i') AND c.reloptions IS NOT NULL"
	" UNION ALL SELECT 'tablespace of ' || CASE c.relkind WHEN 'i' THEN 'index'"
	"  WHEN 'm' THEN 'materialized view' ELSE 'table' END, c.relname" PG_REL_OURS
	"  AND c.relkind IN ('r', 'p', 'm', 'i') AND c.reltablespace <> 0"
	" UNION ALL SELECT 'replica identity of table', c.relname" PG_REL_OURS
	"  AND c.relkind IN ('r', 'p') AND c.relreplident <> 'd'"
	" UNION ALL SELECT 'access method of table', c.relname" PG_REL_OURS
	"  AND c.relkind IN ('r', 'm') AND c.relam <> (SELECT oid FROM pg_am WHERE amname = 'heap')"
	" UNION ALL SELECT 'clustering of table', c.relname" PG_REL_OURS
	"  AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisclustered)"
	" UNION ALL SELECT 'statistics target of column', c.relname || '.' || a.attname"
	"  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid" PG_IN("c.relnamespace")
	"  AND c.relname NOT IN ($2, $3) AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0"
	"  AND NOT a.attisdropped AND a.attstattarget > 0"
	" UNION ALL SELECT 'storage of column', c.relname || '.' || a.attname"
	"  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
	"  JOIN pg_type t ON t.oid = a.atttypid" PG_IN("c.relnamespace")
	"  AND c.relname NOT IN ($2, $3) AND c.relkind IN ('r', 'p', 'm') AND a.attnum > 0"
	"  AND NOT a.attisdropped AND a.attstorage <> t.typstorage"
	"  AND NOT " PG_EXT("pg_class", "c.oid")
	" UNION ALL SELECT 'statistics object', x.stxname FROM pg_statistic_ext x"
	"  " PG_IN("x.stxnamespace")
	" UNION ALL SELECT 'operator', o.oprname || '(' || coalesce(format_type(o.oprleft, NULL),"
	"  'NONE') || ', ' || format_type(o.oprright, NULL) || ')' FROM pg_operator o"
	"  " PG_IN("o.oprnamespace") " AND NOT " PG_EXT("pg_operator", "o.oid")
	" UNION ALL SELECT 'operator class', o.opcname FROM pg_opclass o" PG_IN("o.opcnamespace")
	"  AND NOT " PG_EXT("pg_opclass", "o.oid")
	" UNION ALL SELECT 'operator family', o.opfname FROM pg_opfamily o" PG_IN("o.opfnamespace")
	"  AND NOT " PG_EXT("pg_opfamily", "o.oid")
	" UNION ALL SELECT 'collation', o.collname FROM pg_collation o" PG_IN("o.collnamespace")
	"  AND NOT " PG_EXT("pg_collation", "o.oid")
	" UNION ALL SELECT 'conversion', o.conname FROM pg_conversion o" PG_IN("o.connamespace")
	"  AND NOT " PG_EXT("pg_conversion", "o.oid")
	" UNION ALL SELECT 'text search configuration', o.cfgname FROM pg_ts_config o"
	"  " PG_IN("o.cfgnamespace") " AND NOT " PG_EXT("pg_ts_config", "o.oid")
	" UNION ALL SELECT 'text search dictionary', o.dictname FROM pg_ts_dict o"
	"  " PG_IN("o.dictnamespace") " AND NOT " PG_EXT("pg_ts_dict", "o.oid")
	" UNION ALL SELECT 'text search parser', o.prsname FROM pg_ts_parser o"
	"  " PG_IN("o.prsnamespace") " AND NOT " PG_EXT("pg_ts_parser", "o.oid")
	" UNION ALL SELECT 'text search template', o.tmplname FROM pg_ts_template o"
	"  " PG_IN("o.tmplnamespace") " AND NOT " PG_EXT("pg_ts_template", "o.oid")
	" UNION ALL SELECT 'cast', format_type(o.castsource, NULL) || ' AS '"
	"  || format_type(o.casttarget, NULL) FROM pg_cast o WHERE o.oid >= 16384"
	"  AND NOT " PG_EXT("pg_cast", "o.oid") " AND NOT " PG_INTERNAL("pg_cast", "o.oid")
	" UNION ALL SELECT 'event trigger', o.evtname FROM pg_event_trigger o"
	"  WHERE NOT " PG_EXT("pg_event_trigger", "o.oid")
	" UNION ALL SELECT 'publication', o.pubname FROM pg_publication o"
	" UNION ALL SELECT 'foreign data wrapper', o.fdwname FROM pg_foreign_data_wrapper o"
	"  WHERE NOT " PG_EXT("pg_foreign_data_wrapper", "o.oid")
	" UNION ALL SELECT 'foreign server', o.srvname FROM pg_foreign_server o"
	" UNION ALL SELECT 'default privileges', pg_get_userbyid(o.defaclrole)"
	"  || coalesce(' in schema ' || s.nspname, '') FROM pg_default_acl o"
	"  LEFT JOIN pg_namespace s ON s.oid = o.defaclnamespace"
	" UNION ALL SELECT 'schema', s.nspname FROM pg_namespace s WHERE s.nspname <> $1"
	"  AND s.nspname NOT LIKE 'pg\\_%' AND s.nspname <> 'information_schema'"
	"  AND NOT " PG_EXT("pg_namespace", "s.oid")
	"  AND (s.nspname <> 'public'"
	"   OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = s.oid"
	"    AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c') AND NOT " PG_EXT("pg_class", "c.oid") ")"
	"   OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = s.oid"
	"    AND NOT " PG_EXT("pg_proc", "p.oid") ")"
	"   OR EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = s.oid"
	"    AND t.typtype IN ('e', 'd', 'r') AND NOT " PG_EXT("pg_type", "t.oid") "))"
	" UNION ALL SELECT 'comment on index', c.relname FROM pg_description d"
	"  JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass"
	"  JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1 AND c.relkind = 'i'"
	" UNION ALL SELECT 'comment on constraint', o.conname || ' on '"
	"  || coalesce(c.relname, t.typname) FROM pg_description d"
	"  JOIN pg_constraint o ON o.oid = d.objoid AND d.classoid = 'pg_constraint'::regclass"
	"  LEFT JOIN pg_class c ON c.oid = o.conrelid LEFT JOIN pg_type t ON t.oid = o.contypid"
	"  " PG_IN("o.connamespace")
	" UNION ALL SELECT 'comment on trigger', o.tgname || ' on ' || c.relname FROM pg_description d"
	"  JOIN pg_trigger o ON o.oid = d.objoid AND d.classoid = 'pg_trigger'::regclass"
	"  JOIN pg_class c ON c.oid = o.tgrelid" PG_IN("c.relnamespace")
	" UNION ALL SELECT 'comment on policy', o.polname || ' on ' || c.relname FROM pg_description d"
	"  JOIN pg_policy o ON o.oid = d.objoid AND d.classoid = 'pg_policy'::regclass"
	"  JOIN pg_class c ON c.oid = o.polrelid" PG_IN("c.relnamespace")
	" UNION ALL SELECT 'comment on extension', o.extname FROM pg_description d"
	"  JOIN pg_extension o ON o.oid = d.objoid AND d.classoid = 'pg_extension'::regclass"
	"  WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_extension'::regclass"
	"  AND e.objid = o.oid AND e.deptype = 'e') AND d.description <> coalesce((SELECT comment"
	"  FROM pg_available_extensions WHERE name = o.extname), '')"
	" UNION ALL SELECT 'comment on schema', s.nspname FROM pg_description d"
	"  JOIN pg_namespace s ON s.oid = d.objoid AND d.classoid = 'pg_namespace'::regclass"
	"  WHERE s.nspname = $1 AND d.description <> 'standard public schema'"
	" UNION ALL SELECT 'grants on schema', s.nspname FROM pg_namespace s"
	"  WHERE s.nspname = $1 AND s.nspname <> 'public' AND s.nspacl IS NOT NULL"
	") x ORDER BY 1, 2";

/* A text[] as PostgreSQL prints it ({a,"b c"}) into its elements. */
static void pg_text_array(const char *s, char ***out, uint32_t *n)
{
	*out = NULL;
	*n = 0;
	if (!s || *s != '{')
		return;
	const char *p = s + 1;
	while (*p && *p != '}') {
		struct strbuf sb = STRBUF_INIT;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				sb_addc(&sb, *p);
			}
			if (*p == '"')
				p++;
		} else {
			for (; *p && *p != ',' && *p != '}'; p++)
				sb_addc(&sb, *p);
		}
		schema_strv_push(out, n, sb_str(&sb));
		sb_free(&sb);
		if (*p == ',')
			p++;
	}
}

/* PG_FUNC's "name" chr(31) "args" as the model names a function. */
static const char *pg_func_sig(struct schema *s, const char *cell)
{
	if (!cell)
		return NULL;
	const char *sep = strchr(cell, '\x1f');
	if (!sep)
		return schema_str(s, cell);
	char *name = xstrndup(cell, (size_t)(sep - cell));
	const char *sig = schema_sig(s, name, sep + 1);
	free(name);
	return sig;
}

/* A text[] of PG_FUNC cells as a list of signatures in the model. */
static const char **pg_func_list(struct schema *s, const char *cell, uint32_t *n)
{
	char **v;
	pg_text_array(cell, &v, n);
	const char **out = *n ? arena_alloc(&s->arena, *n * sizeof *out) : NULL;
	uint32_t count = *n;
	for (uint32_t i = 0; i < count; i++)
		out[i] = pg_func_sig(s, v[i]);
	schema_strv_clear(&v, n);
	*n = count;
	return out;
}

static bool is_t(const char *cell)
{
	return cell && strcmp(cell, "t") == 0;
}

static const char *pg_action(const char *code)
{
	switch (code ? *code : 'a') {
	case 'r': return "RESTRICT";
	case 'c': return "CASCADE";
	case 'n': return "SET NULL";
	case 'd': return "SET DEFAULT";
	default: return "NO ACTION";
	}
}

static enum schema_con_kind pg_con_kind(char c)
{
	switch (c) {
	case 'p': return SCHEMA_PRIMARY;
	case 'u': return SCHEMA_UNIQUE;
	case 'x': return SCHEMA_EXCLUDE;
	case 'c': return SCHEMA_CHECK;
	default: return SCHEMA_FOREIGN;
	}
}

struct pg_reader {
	struct db *db;
	struct schema *s;
	const char *args[3];       /* schema, version table, history table */
	const char *nsp_quoted;    /* quote_ident(schema) */
	int version;               /* server_version_num */
	char **err;
};

/* Runs one of the queries above: those that name $2 take all three
 * arguments, the others the schema alone. */
static int pg_rows(struct pg_reader *r, const char *sql, struct db_rows *out)
{
	int nargs = strstr(sql, "$2") ? 3 : 1;
	return db_select(r->db, sql, r->args, nargs, out, r->err);
}

static int pg_tables(struct pg_reader *r)
{
	struct db_rows rows;
	int rc = pg_rows(r, pg_tables_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		struct schema_table *t = schema_add_table(r->s, db_cell(&rows, i, 0));
		if (strcmp(db_cell(&rows, i, 1), "u") == 0)
			t->options = schema_str(r->s, "unlogged");
		t->rls = is_t(db_cell(&rows, i, 2));
		t->rls_forced = is_t(db_cell(&rows, i, 3));
		t->partition_by = schema_str(r->s, db_cell(&rows, i, 4));
		t->parent = schema_str(r->s, db_cell(&rows, i, 5));
		t->bound = schema_str(r->s, db_cell(&rows, i, 6));
		t->comment = schema_str(r->s, db_cell(&rows, i, 7));
	}
	db_rows_free(&rows);
	return rc;
}

static int pg_columns(struct pg_reader *r)
{
	struct db_rows rows;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_columns_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		struct schema_table *t = schema_find_table(s, db_cell(&rows, i, 0));
		if (!t)
			continue;  /* created since the tables were read */
		const char *gen = db_cell(&rows, i, 6);
		bool generated = gen && *gen;
		bool serial = is_t(db_cell(&rows, i, 9));
		const char *expr = db_cell(&rows, i, 4);
		struct schema_column *c = schema_add_column(
			s, t, db_cell(&rows, i, 1), db_cell(&rows, i, 2),
			is_t(db_cell(&rows, i, 3)), generated || serial ? NULL : expr);
		const char *ident = db_cell(&rows, i, 5);
		c->identity = ident && *ident ? *ident : 0;
		c->collation = schema_str(s, db_cell(&rows, i, 7));
		if (generated) {
			c->generated = schema_str(s, expr);
			c->stored = true;
		}
		c->serial = serial;
		if (serial)
			c->sequence = schema_str(s, db_cell(&rows, i, 8));
		c->comment = schema_str(s, db_cell(&rows, i, 10));
	}
	db_rows_free(&rows);
	return rc;
}

static int pg_constraints(struct pg_reader *r)
{
	struct db_rows rows;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_constraints_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		struct schema_table *t = schema_find_table(s, db_cell(&rows, i, 0));
		if (!t)
			continue;
		char **cols;
		uint32_t ncols;
		pg_text_array(db_cell(&rows, i, 6), &cols, &ncols);
		enum schema_con_kind kind = pg_con_kind(*db_cell(&rows, i, 2));
		struct schema_constraint *c = schema_add_constraint(
			s, t, kind, db_cell(&rows, i, 1), db_cell(&rows, i, 3),
			(const char *const *)cols, ncols);
		if (kind == SCHEMA_FOREIGN) {
			c->ref_table = schema_str(s, db_cell(&rows, i, 4));
			c->on_delete = pg_action(db_cell(&rows, i, 5));
		}
		schema_strv_clear(&cols, &ncols);
	}
	db_rows_free(&rows);
	return rc;
}

static int pg_indexes(struct pg_reader *r)
{
	struct db_rows rows;
	struct strbuf sb = STRBUF_INIT;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_indexes_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		const char *table = db_cell(&rows, i, 0), *name = db_cell(&rows, i, 1);
		const char *full = db_cell(&rows, i, 3), *prefix = db_cell(&rows, i, 4);
		if (!schema_find_table(s, table) && !schema_find_view(s, table))
			continue;
		/* pg_get_indexdef qualifies the table; the model keeps the part
		 * from USING on, which says everything else */
		size_t n = strlen(prefix);
		if (strncmp(full, prefix, n) != 0 || strncmp(full + n, "USING ", 6) != 0) {
			rc = rt_err(r->err, RT_EFAIL, "index %s: cannot read its definition: %s", name, full);
			break;
		}
		bool unique = is_t(db_cell(&rows, i, 2));
		sb_reset(&sb);
		sb_adds(&sb, unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
		schema_quote(&sb, name);
		sb_adds(&sb, " ON ");
		schema_quote(&sb, table);
		sb_addf(&sb, " %s", full + n);
		schema_add_index(s, table, name, unique, full + n, sb_str(&sb), NULL, 0);
	}
	sb_free(&sb);
	db_rows_free(&rows);
	return rc;
}

static int pg_views(struct pg_reader *r)
{
	struct db_rows rows;
	struct strbuf def = STRBUF_INIT, sql = STRBUF_INIT;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_views_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		const char *name = db_cell(&rows, i, 0), *body = db_cell(&rows, i, 1);
		const char *opts = db_cell(&rows, i, 2);
		bool mat = is_t(db_cell(&rows, i, 4));
		while (*body == ' ' || *body == '\n')
			body++;
		size_t n = strlen(body);
		while (n && (body[n - 1] == ';' || body[n - 1] == ' ' || body[n - 1] == '\n'))
			n--;
		sb_reset(&def);
		if (opts && *opts)
			sb_addf(&def, "WITH (%s) ", opts);
		sb_addn(&def, body, n);
		sb_reset(&sql);
		sb_adds(&sql, mat ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ");
		schema_quote(&sql, name);
		if (opts && *opts)
			sb_addf(&sql, " WITH (%s)", opts);
		sb_adds(&sql, " AS\n");
		sb_addn(&sql, body, n);
		if (mat)
			sb_adds(&sql, is_t(db_cell(&rows, i, 5)) ? "\nWITH DATA" : "\nWITH NO DATA");
		char **deps;
		uint32_t ndeps;
		pg_text_array(db_cell(&rows, i, 3), &deps, &ndeps);
		struct schema_view *v = schema_add_view(s, name, sb_str(&def), sb_str(&sql),
		                                        (const char *const *)deps, ndeps);
		schema_strv_clear(&deps, &ndeps);
		v->materialized = mat;
		v->comment = schema_str(s, db_cell(&rows, i, 6));
		v->funcs = pg_func_list(s, db_cell(&rows, i, 7), &v->nfuncs);
	}
	sb_free(&def);
	sb_free(&sql);
	db_rows_free(&rows);
	return rc;
}

static int pg_triggers(struct pg_reader *r)
{
	struct db_rows rows;
	struct schema *s = r->s;
	char *sql = xasprintf(pg_triggers_sql, r->version >= 130000 ? "AND t.tgparentid = 0" : "");
	int rc = pg_rows(r, sql, &rows);
	free(sql);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		const char *table = db_cell(&rows, i, 0), *def = db_cell(&rows, i, 2);
		if (!schema_find_table(s, table) && !schema_find_view(s, table))
			continue;
		struct schema_trigger *t = schema_add_trigger(s, table, db_cell(&rows, i, 1), def,
		                                              def, &table, 1);
		t->func = pg_func_sig(s, db_cell(&rows, i, 3));
	}
	db_rows_free(&rows);
	return rc;
}

static int pg_types(struct pg_reader *r)
{
	struct db_rows rows;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_types_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		struct schema_type *t = schema_add_type(s, db_cell(&rows, i, 0), *db_cell(&rows, i, 1),
		                                        db_cell(&rows, i, 2));
		char **labels;
		uint32_t n;
		pg_text_array(db_cell(&rows, i, 3), &labels, &n);
		schema_set_labels(s, t, (const char *const *)labels, n);
		schema_strv_clear(&labels, &n);
		t->base = schema_str(s, db_cell(&rows, i, 4));
		t->dflt = schema_str(s, db_cell(&rows, i, 5));
		t->notnull = is_t(db_cell(&rows, i, 6));
		t->collation = schema_str(s, db_cell(&rows, i, 7));
		t->comment = schema_str(s, db_cell(&rows, i, 8));
		t->uses_funcs = is_t(db_cell(&rows, i, 9));
	}
	db_rows_free(&rows);
	if (rc == RT_OK)
		rc = pg_rows(r, pg_domain_checks_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		struct schema_type *t = schema_find_type(s, db_cell(&rows, i, 0));
		if (t && t->kind == SCHEMA_DOMAIN)
			schema_add_domain_check(s, t, db_cell(&rows, i, 1), db_cell(&rows, i, 2));
	}
	if (rc == RT_OK) {
		db_rows_free(&rows);
		rc = pg_rows(r, pg_attributes_sql, &rows);
	}
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		struct schema_type *t = schema_find_type(s, db_cell(&rows, i, 0));
		if (!t || t->kind != SCHEMA_COMPOSITE)
			continue;
		struct schema_column *a = schema_add_attribute(s, t, db_cell(&rows, i, 1),
		                                               db_cell(&rows, i, 2));
		a->collation = schema_str(s, db_cell(&rows, i, 3));
	}
	db_rows_free(&rows);
	return rc;
}

static bool serial_sequence(const struct schema *s, const char *name)
{
	for (uint32_t i = 0; i < s->ntables; i++)
		for (uint32_t k = 0; k < s->tables[i].ncols; k++)
			if (s->tables[i].cols[k].sequence &&
			    strcmp(s->tables[i].cols[k].sequence, name) == 0)
				return true;
	return false;
}

static int pg_sequences(struct pg_reader *r)
{
	struct db_rows rows;
	struct strbuf sb = STRBUF_INIT;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_sequences_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		const char *name = db_cell(&rows, i, 0);
		if (serial_sequence(s, name))
			continue;
		sb_reset(&sb);
		sb_addf(&sb, "AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s",
		        db_cell(&rows, i, 1), db_cell(&rows, i, 2), db_cell(&rows, i, 3),
		        db_cell(&rows, i, 4), db_cell(&rows, i, 5), db_cell(&rows, i, 6),
		        is_t(db_cell(&rows, i, 7)) ? "CYCLE" : "NO CYCLE");
		struct schema_sequence *q = schema_add_sequence(s, name, sb_str(&sb));
		if (db_cell(&rows, i, 8) && db_cell(&rows, i, 9)) {
			q->owned_table = schema_str(s, db_cell(&rows, i, 8));
			q->owned_column = schema_str(s, db_cell(&rows, i, 9));
		}
		q->comment = schema_str(s, db_cell(&rows, i, 10));
	}
	sb_free(&sb);
	db_rows_free(&rows);
	return rc;
}

/* pg_get_functiondef names the function with its schema; the model's
 * statement does not, so that it creates it where the migration runs. */
static char *pg_function_text(const char *def, const char *nsp_quoted)
{
	static const char *const heads[] = {"CREATE OR REPLACE FUNCTION ",
	                                    "CREATE OR REPLACE PROCEDURE "};
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(def);
	while (n && (def[n - 1] == '\n' || def[n - 1] == ' '))
		n--;
	for (size_t h = 0; h < RT_ARRAY_LEN(heads); h++) {
		size_t hl = strlen(heads[h]), ql = strlen(nsp_quoted);
		if (strncmp(def, heads[h], hl) == 0 && strncmp(def + hl, nsp_quoted, ql) == 0 &&
		    def[hl + ql] == '.') {
			sb_addn(&sb, def, hl);
			sb_addn(&sb, def + hl + ql + 1, n - hl - ql - 1);
			return sb_detach(&sb);
		}
	}
	sb_addn(&sb, def, n);
	return sb_detach(&sb);
}

static int pg_functions(struct pg_reader *r)
{
	struct db_rows rows;
	struct schema *s = r->s;
	int rc = pg_rows(r, pg_functions_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		char *def = pg_function_text(db_cell(&rows, i, 5), db_cell(&rows, i, 10));
		char kind = *db_cell(&rows, i, 2) == 'p' ? 'p' : 'f';
		struct schema_function *f = schema_add_function(
			s, db_cell(&rows, i, 0), db_cell(&rows, i, 1), kind, db_cell(&rows, i, 3),
			db_cell(&rows, i, 4), def);
		free(def);
		char **deps;
		uint32_t ndeps;
		pg_text_array(db_cell(&rows, i, 8), &deps, &ndeps);
		f->deps = schema_strs(s, (const char *const *)deps, ndeps);
		f->ndeps = ndeps;
		schema_strv_clear(&deps, &ndeps);
		bool sql = strcmp(db_cell(&rows, i, 6), "sql") == 0;
		f->early = is_t(db_cell(&rows, i, 7)) || (!f->ndeps && !sql);
		f->comment = schema_str(s, db_cell(&rows, i, 9));
	}
	db_rows_free(&rows);
	return rc;
}

static int pg_extensions(struct pg_reader *r)
{
	struct db_rows rows;
	int rc = pg_rows(r, pg_extensions_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++)
		schema_add_extension(r->s, db_cell(&rows, i, 0), db_cell(&rows, i, 1));
	db_rows_free(&rows);
	return rc;
}

static const char *pg_policy_cmd(char c)
{
	switch (c) {
	case 'r': return "SELECT";
	case 'a': return "INSERT";
	case 'w': return "UPDATE";
	case 'd': return "DELETE";
	default: return "ALL";
	}
}

static int pg_policies(struct pg_reader *r)
{
	struct db_rows rows;
	struct strbuf sb = STRBUF_INIT;
	int rc = pg_rows(r, pg_policies_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		const char *table = db_cell(&rows, i, 0), *roles = db_cell(&rows, i, 4);
		const char *qual = db_cell(&rows, i, 5), *check = db_cell(&rows, i, 6);
		if (!schema_find_table(r->s, table))
			continue;
		sb_reset(&sb);
		sb_addf(&sb, "AS %s FOR %s TO %s",
		        is_t(db_cell(&rows, i, 2)) ? "PERMISSIVE" : "RESTRICTIVE",
		        pg_policy_cmd(*db_cell(&rows, i, 3)), roles ? roles : "PUBLIC");
		if (qual)
			sb_addf(&sb, " USING (%s)", qual);
		if (check)
			sb_addf(&sb, " WITH CHECK (%s)", check);
		schema_add_policy(r->s, table, db_cell(&rows, i, 1), sb_str(&sb));
	}
	sb_free(&sb);
	db_rows_free(&rows);
	return rc;
}

/* The grant list of the object a grants row names, or NULL. */
static struct schema_grants *pg_grants_of(struct schema *s, char kind, const char *obj)
{
	if (kind == 'r') {
		struct schema_table *t = schema_find_table(s, obj);
		if (t)
			return &t->grants;
		struct schema_view *v = schema_find_view(s, obj);
		if (v)
			return &v->grants;
		int32_t q = schema_sequence_at(s, obj);
		return q < 0 ? NULL : &s->sequences[q].grants;
	}
	if (kind == 'f') {
		int32_t f = schema_function_sig_at(s, pg_func_sig(s, obj));
		return f < 0 ? NULL : &s->functions[f].grants;
	}
	struct schema_type *t = schema_find_type(s, obj);
	return t ? &t->grants : NULL;
}

static int pg_grants(struct pg_reader *r)
{
	struct db_rows rows;
	int rc = pg_rows(r, pg_grants_sql, &rows);
	struct schema_grant *v = xcalloc(rows.nrows + 1, sizeof *v);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows;) {
		uint32_t end = i;
		while (end < rows.nrows && strcmp(db_cell(&rows, end, 0), db_cell(&rows, i, 0)) == 0 &&
		       strcmp(db_cell(&rows, end, 1), db_cell(&rows, i, 1)) == 0) {
			v[end - i].grantee = db_cell(&rows, end, 2);
			v[end - i].privilege = db_cell(&rows, end, 3);
			v[end - i].grantable = is_t(db_cell(&rows, end, 4));
			end++;
		}
		struct schema_grants *g = pg_grants_of(r->s, *db_cell(&rows, i, 0), db_cell(&rows, i, 1));
		if (g)
			schema_set_grants(r->s, g, v, end - i);
		i = end;
	}
	free(v);
	db_rows_free(&rows);
	return rc;
}

static int pg_uncompared(struct pg_reader *r)
{
	struct db_rows rows;
	int rc = pg_rows(r, pg_uncompared_sql, &rows);
	for (uint32_t i = 0; rc == RT_OK && i < rows.nrows; i++) {
		char *what = xasprintf("%s %s", db_cell(&rows, i, 0), db_cell(&rows, i, 1));
		schema_add_uncompared(r->s, what);
		free(what);
	}
	db_rows_free(&rows);
	return rc;
}

int schema_read_pg(struct db *db, const char *version_table, struct schema *s,
                   char **err)
{
	struct db_rows rows;
	int rc = db_select(db, "SELECT current_schema(), quote_ident(current_schema()),"
	                       " current_setting('server_version_num')", NULL, 0, &rows, err);
	if (rc != RT_OK)
		return rc;
	char *nsp = rows.nrows == 1 && db_cell(&rows, 0, 0) ? xstrdup(db_cell(&rows, 0, 0)) : NULL;
	if (!nsp) {
		db_rows_free(&rows);
		return rt_err(err, RT_EFAIL, "no schema of the search path exists: "
		              "there is nowhere to read tables from");
	}
	struct pg_reader r = {db, s, {nsp, version_table, DB_HISTORY_TABLE},
	                      db_cell(&rows, 0, 1), atoi(db_cell(&rows, 0, 2)), err};
	/* tables and views before what is on them; columns before sequences
	 * (a serial column's is the column's); everything before the grants */
	int (*const steps[])(struct pg_reader *) = {
		pg_tables, pg_columns, pg_constraints, pg_views, pg_indexes, pg_triggers,
		pg_types, pg_sequences, pg_functions, pg_extensions, pg_policies, pg_grants,
		pg_uncompared,
	};
	for (size_t i = 0; rc == RT_OK && i < RT_ARRAY_LEN(steps); i++)
		rc = steps[i](&r);
	db_rows_free(&rows);
	free(nsp);
	return rc;
}
