#!/bin/bash
# check's drift comparison replays the applied migrations (and schema.sql)
# on a scratch database in the same PostgreSQL cluster. Statements that act
# on what the cluster shares (a role's password, a new role, a role's
# comment, a database's settings) must not run there, where they would act
# on the live ones: the replay leaves them out, check names each with its
# file and line, and the roles and the database are as they were.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg

newdb cluster
dbq "CREATE ROLE rt_victim LOGIN PASSWORD 'orig-pw'" >/dev/null
d="$T_DIR/cl"
mkrev "$d" c1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE t1 (id integer PRIMARY KEY);

-- migrate:downgrade
DROP TABLE t1;
EOF
mkrev "$d" c2 c1 <<'EOF'

-- migrate:upgrade
ALTER ROLE rt_victim PASSWORD 'changed-pw';
COMMENT ON ROLE rt_victim IS 'set by c2';

-- migrate:downgrade
EOF
mkrev "$d" c3 c2 <<EOF

-- migrate:upgrade
CREATE ROLE rt_made NOLOGIN;
CREATE TABLE t2 (x integer);
GRANT SELECT ON t2 TO rt_made;
GRANT rt_made TO rt_victim;
ALTER DATABASE "$DBN" SET statement_timeout = '11s';
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rt_do') THEN
    CREATE ROLE rt_do;
  END IF;
END \$\$;

-- migrate:downgrade
EOF
cat >"$d/schema.sql" <<'EOF'
CREATE TABLE t1 (id integer PRIMARY KEY);
CREATE TABLE t2 (x integer);
GRANT SELECT ON t2 TO rt_made;
-- a schema dumped with its roles
CREATE ROLE rt_schema_role;
EOF
printf '[retort]\nscript_location = .\nschema = schema.sql\n' >"$d/retort.ini"
cd "$d" || exit 1

rtd upgrade head
ok_rc 0 "the migrations apply (the roles exist, the password is set)"
# What the live cluster holds now, changed by hand after the migrations:
# a replay of c2 or c3 would set them back (or fail on an existing role).
dbq "COMMENT ON ROLE rt_victim IS 'edited by hand'" >/dev/null
dbq "ALTER DATABASE \"$DBN\" SET statement_timeout = '22s'" >/dev/null
role_state() {
	dbq "SELECT rolname, rolpassword, rolcanlogin, rolvaliduntil,
	            shobj_description(oid, 'pg_authid')
	     FROM pg_authid WHERE rolname LIKE 'rt\\_%' ORDER BY rolname"
	dbq "SELECT r.rolname, m.rolname FROM pg_auth_members a
	     JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
	     WHERE r.rolname LIKE 'rt\\_%' ORDER BY 1, 2"
	dbq "SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s
	     JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '$DBN'"
}
before=$(role_state)
like "$before" "^rt_victim\\|SCRAM-SHA-256\\\$.*\\|t\\|\\|edited by hand$" "the victim role as the test left it"

rtd check
ok_rc 0 "check: exit 0"
like "$OUT" "No problems found" "... no drift (what was left out is no problem)"
is "$(role_state)" "$before" "roles, their passwords, comments and memberships, and the database's settings are unchanged"
is "$(dbq "SELECT count(*) FROM pg_roles WHERE rolname = 'rt_schema_role'")" 0 \
	"schema.sql's CREATE ROLE did not run either"
is "$(dbq "SELECT count(*) FROM pg_database WHERE datname LIKE 'retort_scratch%'")" 0 \
	"the scratch database is gone"
skipped=$(printf '%s\n' "$OUT" | grep 'not replayed on the scratch database')
is "$skipped" "./versions/c2.sql:7: not replayed on the scratch database: ALTER ROLE acts on the cluster's roles
./versions/c2.sql:8: not replayed on the scratch database: COMMENT ON ROLE acts on the cluster's roles
./versions/c3.sql:7: not replayed on the scratch database: CREATE ROLE acts on the cluster's roles
./versions/c3.sql:10: not replayed on the scratch database: GRANT of a role acts on the cluster's roles
./versions/c3.sql:11: not replayed on the scratch database: ALTER DATABASE acts on the cluster's databases
./versions/c3.sql:12: not replayed on the scratch database: DO block (CREATE ROLE inside) acts on the cluster's roles
schema.sql:5: not replayed on the scratch database: CREATE ROLE acts on the cluster's roles" \
	"check names every statement it left out, with its file and line"
unlike "$OUT" "changed-pw" "... without their text (a password stays unprinted)"

rtd --json check
ok_rc 0 "check --json: exit 0"
printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["problems"] == [], d
assert len(d["skipped"]) == 7, d
assert d["skipped"][0].startswith("./versions/c2.sql:7: "), d
' 2>"$T_DIR/json.err"
t_result $? "check --json lists them in \"skipped\""
is "$(role_state)" "$before" "... and leaves the cluster alone too"

# The comparison still works: a real drift is found
dbq "ALTER TABLE t2 ADD COLUMN y integer" >/dev/null
rtd check
ok_rc 1 "a column added by hand: check exits 1"
like "$OUT" "t2.*y" "... and names it"
is "$(role_state)" "$before" "... and the roles are still untouched"
done_testing
