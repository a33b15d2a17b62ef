#!/usr/bin/env python3
"""Runs each row of lint's lock table (lint-table --json) on a PostgreSQL
server and prints, per measured row, NAME<TAB>ok or NAME<TAB>what differs.

usage: lint_locks.py LINT_TABLE   (PG* variables name an empty database)

The schema is lint-table --fixture, with rows in every table. Each example
runs in a transaction that is rolled back, so every row starts from the
same data. Compared with the row: the strongest lock the transaction holds
on a relation that existed before (pg_locks), whether a table was read
(seq_scan in pg_stat_xact_user_tables), whether a table or materialized
view was rewritten (a new relfilenode), and, for a form that fails in a
transaction, that it does, with PostgreSQL's words for it."""
import json
import subprocess
import sys

LOCKS = ["—", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
         "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
         "ExclusiveLock", "AccessExclusiveLock"]
NAMES = ["—", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
         "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"]

DATA = """
INSERT INTO t (id, a, b, v, n, ts) SELECT g, g, 'x' || g, 'y', 1, now() FROM generate_series(1, 1000) g;
INSERT INTO u SELECT g, g FROM generate_series(1, 1000) g;
INSERT INTO p SELECT g, g % 100 FROM generate_series(1, 1000) g;
INSERT INTO p SELECT g, 500 FROM generate_series(1, 10) g;
INSERT INTO p2 SELECT g, 150 FROM generate_series(1, 100) g;
INSERT INTO d SELECT g, g FROM generate_series(1, 100) g;
REFRESH MATERIALIZED VIEW mv;
ANALYZE;
"""

PROBE = """BEGIN;
CREATE TEMP TABLE rt_before ON COMMIT DROP AS
  SELECT c.oid, c.relname, c.relkind, c.relfilenode FROM pg_class c
  WHERE c.relnamespace = 'public'::regnamespace;
%s;
SELECT 'LOCK|' || b.relname || '|' || l.mode FROM pg_locks l JOIN rt_before b ON b.oid = l.relation
  WHERE l.pid = pg_backend_pid();
SELECT 'SCAN|' || b.relname FROM pg_stat_xact_user_tables s JOIN rt_before b ON b.oid = s.relid
  WHERE s.seq_scan > 0;
SELECT 'REWRITE|' || b.relname FROM rt_before b JOIN pg_class c ON c.oid = b.oid
  WHERE c.relfilenode <> b.relfilenode AND b.relkind IN ('r', 'm');
ROLLBACK;
"""


def psql(sql):
    return subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=0"],
                          input=sql, capture_output=True, text=True)


def main():
    tool = sys.argv[1]
    rows = json.loads(subprocess.run([tool, "--json"], capture_output=True, text=True,
                                     check=True).stdout)
    fixture = subprocess.run([tool, "--fixture"], capture_output=True, text=True,
                             check=True).stdout
    setup = psql("\\set ON_ERROR_STOP 1\n" + fixture + DATA)
    if setup.returncode != 0:
        print("fixture\t" + setup.stderr.strip().replace("\n", " "))
        return
    print("fixture\tok")
    for row in rows:
        if not row["measured"]:
            continue
        r = psql(PROBE % row["example"])
        errors = [l for l in r.stderr.splitlines()
                  if l.startswith("ERROR") and "current transaction is aborted" not in l]
        wrong = []
        if row["effect"] == "fails in a transaction":
            if not any("inside a transaction block" in e or "unsafe use of new value" in e
                       for e in errors):
                wrong.append("ran in a transaction (%s)" % " ".join(errors))
        elif errors:
            wrong.append("the example fails: " + " ".join(errors))
        else:
            lock, scan, rewrite = 0, set(), set()
            for line in r.stdout.splitlines():
                f = line.split("|")
                if f[0] == "LOCK" and f[2] in LOCKS:
                    lock = max(lock, LOCKS.index(f[2]))
                elif f[0] == "SCAN":
                    scan.add(f[1])
                elif f[0] == "REWRITE":
                    rewrite.add(f[1])
            if NAMES[lock] != row["lock"]:
                wrong.append("takes %s, not %s" % (NAMES[lock], row["lock"]))
            effect = row["effect"]
            if effect == "rewrites the table" and not rewrite:
                wrong.append("rewrites nothing")
            if effect != "rewrites the table" and rewrite and effect != "deletes or changes rows":
                wrong.append("rewrites " + ", ".join(sorted(rewrite)))
            if effect in ("reads every row", "builds an index") and not scan:
                wrong.append("reads no table")
            if effect == "catalog only" and scan:
                wrong.append("reads " + ", ".join(sorted(scan)))
        print("%s\t%s" % (row["name"], "; ".join(wrong) if wrong else "ok"))


if __name__ == "__main__":
    main()
