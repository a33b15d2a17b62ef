#!/usr/bin/env python3
"""Measures retort lint and squawk on the PostgreSQL corpus (docs/lint.md).

usage: compare_squawk.py RETORT SQUAWK [--no-assume-in-transaction]
       compare_squawk.py RETORT SQUAWK --forms LINT_TABLE

Each case below is a statement of tests/data/lint/postgresql/versions,
judged by hand: dangerous (it loses data, takes a long lock, or fails) or
safe (a trap a naive linter flags). A tool "flags" a case when it reports
one of the listed rules on one of the case's lines. squawk runs as a user of
retort would run it: --pg-version=15, and --assume-in-transaction unless
the script says `Transaction: none`. Not part of `make check`: squawk is a
third-party tool (npm install squawk-cli).

With --forms, the cases are the rows of retort's lock table instead
(LINT_TABLE is the built lint-table program): each row's example is
dangerous when the row has a rule, its safe form is not, and a row with no
rule is a safe statement. Each is one revision script after a revision
holding the table's schema (lint-table --fixture); squawk lints each
script alone, with --assume-in-transaction unless the case runs with
Transaction: none. A tool flags a case when it reports anything on it but
advice that fits every statement (lock and statement timeouts, IF [NOT]
EXISTS, schema style) and concerns other than locks, rewrites, lost data
and failures (ADVICE below)."""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VERSIONS = os.path.join(HERE, "postgresql", "versions")

DROP_T = ({"drop-table"}, {"ban-drop-table"})
DROP_C = ({"drop-column"}, {"ban-drop-column"})
DELETE = ({"delete-without-where", "drop-table", "truncate"},
          {"ban-drop-table", "ban-truncate-cascade"})
UPDATE = ({"update-without-where"}, set())
FK = ({"add-foreign-key"}, {"adding-foreign-key-constraint", "constraint-missing-not-valid"})
CHECK = ({"add-check"}, {"constraint-missing-not-valid"})
UNIQUE = ({"add-unique"}, {"disallowed-unique-constraint"})
NOTNULL = ({"set-not-null"}, {"adding-not-nullable-field"})
REQUIRED = ({"add-column-not-null"}, {"adding-required-field"})
DEFAULT = ({"volatile-default"}, {"adding-field-with-default", "adding-serial-primary-key-field"})
CIX = ({"create-index"}, {"require-concurrent-index-creation"})
DIX = ({"drop-index"}, {"require-concurrent-index-deletion"})
CONC = ({"concurrently-in-transaction"}, {"ban-concurrent-index-creation-in-transaction"})
TYPE = ({"type-narrowing", "type-change"}, {"changing-column-type"})
REN_T = ({"rename-table"}, {"renaming-table"})
REN_C = ({"rename-column"}, {"renaming-column"})

# (file prefix, first line, last line, pattern, dangerous, (retort rules, squawk rules))
CASES = [
    ("01", 7, 7, "DROP TABLE", True, DROP_T),
    ("02", 16, 16, "CREATE INDEX on a table the script creates", False, CIX),
    ("02", 17, 18, "FOREIGN KEY on a table the script creates", False, FK),
    ("02", 19, 19, "SET NOT NULL on a table the script creates", False, NOTNULL),
    ("02", 20, 20, "ADD COLUMN NOT NULL on a table the script creates", False, REQUIRED),
    ("02", 23, 23, "downgrade: DROP TABLE of the upgrade's table", True, DROP_T),
    ("03", 7, 7, "DROP/DELETE inside a string", False, DELETE),
    ("03", 8, 9, "DROP/TRUNCATE inside comments", False, DELETE),
    ("03", 10, 10, "keywords as quoted identifiers", False, DELETE),
    ("03", 11, 11, "keywords inside an E'' string", False, DELETE),
    ("03", 12, 15, "DELETE/UPDATE in a function body", False,
     ({"delete-without-where", "update-without-where"}, set())),
    ("03", 16, 16, "UPDATE … WHERE", False, UPDATE),
    ("03", 17, 17, "DELETE … WHERE", False, DELETE),
    ("03", 18, 19, "INSERT … ON CONFLICT DO UPDATE", False, UPDATE),
    ("03", 20, 21, "FOREIGN KEY … NOT VALID", False, FK),
    ("03", 22, 22, "SELECT … FOR UPDATE", False, UPDATE),
    ("04", 8, 8, "CREATE INDEX CONCURRENTLY, Transaction: none", False,
     (CIX[0] | CONC[0], CIX[1] | CONC[1])),
    ("04", 11, 11, "DROP INDEX CONCURRENTLY, Transaction: none", False,
     (DIX[0] | CONC[0], DIX[1] | CONC[1])),
    ("05", 7, 7, "CREATE INDEX CONCURRENTLY in a transaction", True, CONC),
    ("05", 10, 10, "DROP INDEX", True, DIX),
    ("06", 7, 8, "CREATE INDEX", True, CIX),
    ("06", 11, 11, "DROP INDEX CONCURRENTLY in a transaction", True, CONC),
    ("07", 7, 7, "DELETE without WHERE", True, DELETE),
    ("07", 8, 8, "UPDATE without WHERE", True, UPDATE),
    ("07", 9, 9, "TRUNCATE … CASCADE", True, DELETE),
    ("07", 10, 12, "UPDATE … WHERE (multi-line)", False, UPDATE),
    ("07", 14, 14, "empty downgrade section", True, ({"empty-downgrade"}, set())),
    ("08", 7, 7, "ADD COLUMN … NOT NULL DEFAULT now() (stable)", False,
     (DEFAULT[0] | REQUIRED[0], DEFAULT[1] | REQUIRED[1])),
    ("08", 8, 8, "ADD COLUMN … NOT NULL DEFAULT 'active'", False,
     (DEFAULT[0] | REQUIRED[0], DEFAULT[1] | REQUIRED[1])),
    ("08", 9, 9, "ADD COLUMN … DEFAULT gen_random_uuid()", True, DEFAULT),
    ("08", 10, 10, "ADD COLUMN bigserial", True, DEFAULT),
    ("08", 11, 11, "ADD COLUMN … NOT NULL, no default", True, REQUIRED),
    ("08", 12, 12, "ADD COLUMN … DEFAULT 0 NOT NULL", False,
     (DEFAULT[0] | REQUIRED[0], DEFAULT[1] | REQUIRED[1])),
    ("08", 13, 13, "ADD COLUMN … REFERENCES, no default (an all-NULL column: nothing checked)",
     False, FK),
    ("08", 16, 16, "downgrade: DROP COLUMN (two actions)", True, DROP_C),
    ("08", 22, 22, "DROP COLUMN", True, DROP_C),
    ("09", 7, 8, "ADD FOREIGN KEY", True, FK),
    ("09", 9, 9, "ADD CHECK … NOT VALID", False, CHECK),
    ("09", 10, 10, "VALIDATE CONSTRAINT in the transaction of its NOT VALID", True, CHECK),
    ("09", 11, 11, "ADD UNIQUE", True, UNIQUE),
    ("09", 12, 12, "ADD UNIQUE USING INDEX", False, UNIQUE),
    ("09", 13, 13, "SET NOT NULL", True, NOTNULL),
    ("09", 14, 14, "ADD CHECK", True, CHECK),
    ("11", 7, 7, "varchar(255) to varchar(100)", True, TYPE),
    ("11", 8, 8, "varchar(20) to varchar(40) (no rewrite)", False, TYPE),
    ("11", 9, 9, "text to text (SET DATA TYPE)", False, TYPE),
    ("11", 10, 10, "numeric(10,2) to numeric(12,2) (no rewrite)", False, TYPE),
    ("11", 11, 11, "integer to bigint (rewrite)", True, TYPE),
    ("11", 12, 12, "type change, old type unknown", True, TYPE),
    ("11", 15, 15, "downgrade: bigint to integer", True, TYPE),
    ("11", 16, 16, "downgrade: numeric(12,2) to numeric(10,2)", True, TYPE),
    ("11", 17, 17, "downgrade: varchar(40) to varchar(20)", True, TYPE),
    ("11", 18, 18, "downgrade: varchar(100) to varchar(255) (no rewrite)", False, TYPE),
    ("12", 7, 7, "RENAME TO", True, REN_T),
    ("12", 8, 8, "RENAME COLUMN", True, REN_C),
    ("13", 6, 6, "no downgrade section", True, ({"irreversible"}, set())),
    ("14", 14, 14, "DROP TABLE after a misspelt ignore", True, DROP_T),
    ("14", 16, 16, "TRUNCATE", True, DELETE),
    ("16", 7, 7, "VACUUM FULL", True, ({"vacuum-full"}, {"prefer-repack"})),
    ("16", 7, 7, "VACUUM in a transaction", True, ({"needs-no-transaction"}, set())),
    ("16", 8, 8, "LOCK TABLE", True, ({"lock-table"}, set())),
    ("16", 9, 9, "REINDEX", True, ({"reindex"}, {"require-concurrent-reindex"})),
    ("16", 10, 10, "CLUSTER", True, ({"cluster"}, {"prefer-repack"})),
    ("16", 11, 11, "DROP SCHEMA … CASCADE", True, ({"drop-schema"}, set())),
    ("16", 14, 14, "REINDEX CONCURRENTLY in a transaction", True, CONC),
    ("17", 7, 8, "DELETE without WHERE in a CTE", True, DELETE),
    ("17", 9, 10, "DELETE … WHERE after a CTE", False, DELETE),
    ("17", 11, 12, "UPDATE without WHERE after a CTE", True, UPDATE),
    ("18", 8, 13, "unterminated string", True, ({"parse-error"}, {"syntax-error"})),
    ("19", 10, 10, "DROP TABLE inside a DO block", True, DROP_T),
    ("19", 12, 12, "DELETE … WHERE inside a DO block", False, DELETE),
    ("19", 15, 15, "DROP COLUMN of quoted identifiers", True, DROP_C),
    ("20", 7, 7, "VALIDATE CONSTRAINT in a later revision", False, CHECK),
    ("21", 7, 7, "BEGIN inside a transactional script", True,
     ({"transaction-control"}, {"transaction-nesting"})),
    ("21", 9, 9, "COMMIT inside a transactional script", True,
     ({"transaction-control"}, {"transaction-nesting"})),
]


ADVICE = {"require-lock-timeout", "require-statement-timeout", "prefer-robust-stmts",
          "prefer-text-field", "prefer-bigint-over-int", "prefer-bigint-over-smallint",
          "prefer-identity", "prefer-timestamp-tz", "ban-char-field",
          # concerns retort does not judge: clients that break, enum order
          "ban-drop-not-null", "require-enum-value-ordering"}
SECTION_RULES = {"irreversible", "empty-downgrade"}


def forms(retort, squawk, table):
    import tempfile
    rows = json.loads(subprocess.run([table, "--json"], capture_output=True, text=True,
                                     check=True).stdout)
    fixture = subprocess.run([table, "--fixture"], capture_output=True, text=True,
                             check=True).stdout
    cases = []  # (row, kind, sql, dangerous, notxn)
    for row in rows:
        cases.append((row, "example", row["example"], row["rule"] is not None, False))
        if row["safe"]:
            cases.append((row, "safe form", row["safe"], False, row["safe_notxn"]))
    with tempfile.TemporaryDirectory() as tmp:
        versions = os.path.join(tmp, "versions")
        os.mkdir(versions)

        def script(n, parent, sql, notxn):
            head = "-- case %d\n--\n-- Revision ID: c%04d\n" % (n, n)
            if parent is not None:
                head += "-- Revises: c%04d\n" % parent
            if notxn:
                head += "-- Transaction: none\n"
            path = os.path.join(versions, "c%04d.sql" % n)
            with open(path, "w") as fh:
                fh.write(head + "\n-- migrate:upgrade\n" + sql.rstrip(";") +
                         ";\n\n-- migrate:downgrade\nSELECT 1;\n")
            return path

        script(0, None, fixture, False)
        paths = [script(i + 1, 0, sql, notxn)
                 for i, (_, _, sql, _, notxn) in enumerate(cases)]
        out = subprocess.run([retort, "-s", tmp, "--json", "lint", "--dialect", "postgresql",
                              "--fail-on", "none"], capture_output=True, text=True,
                             check=True).stdout
        rf = {}
        for f in json.loads(out):
            if f["rule"] not in SECTION_RULES:
                rf.setdefault(os.path.basename(f["file"]), set()).add(f["rule"])
        sf = {}
        for (row, kind, sql, danger, notxn), path in zip(cases, paths):
            args = [squawk, "--pg-version=15", "--reporter", "json"]
            if not notxn:
                args.append("--assume-in-transaction")
            res = subprocess.run(args + [path], capture_output=True, text=True).stdout
            rules = {x["rule_name"] for x in json.loads(res or "[]")} - ADVICE
            sf[os.path.basename(path)] = rules
    score = {"retort": [0, 0, 0, 0], "squawk": [0, 0, 0, 0]}
    print("| form | case | dangerous | retort | squawk |")
    print("| --- | --- | --- | --- | --- |")
    for (row, kind, sql, danger, notxn), path in zip(cases, paths):
        f = os.path.basename(path)
        marks = []
        for tool, found in (("retort", rf.get(f, set())), ("squawk", sf.get(f, set()))):
            hit = bool(found)
            score[tool][(0 if hit else 1) if danger else (2 if hit else 3)] += 1
            mark = ", ".join("`%s`" % x for x in sorted(found)) if hit else "silent"
            marks.append(mark + ("" if hit == danger else " ✗"))
        print("| %s | %s%s | %s | %s | %s |" % (row["form"].replace("|", "\\|"), kind,
              " (Transaction: none)" if notxn else "", "yes" if danger else "no",
              marks[0], marks[1]))
    print()
    for tool in ("retort", "squawk"):
        tp, fn, fp, tn = score[tool]
        print("%s: %d of %d dangerous statements flagged, %d of %d safe ones flagged wrongly"
              % (tool, tp, tp + fn, fp, fp + tn))


def file_of(prefix):
    for f in sorted(os.listdir(VERSIONS)):
        if f.startswith(prefix + "_"):
            return f
    raise SystemExit("no corpus file " + prefix)


def retort_findings(retort):
    out = subprocess.run([retort, "-s", os.path.dirname(VERSIONS), "--json", "lint",
                          "--dialect", "postgresql", "--fail-on", "none"],
                         capture_output=True, text=True, check=True).stdout
    return [(os.path.basename(f["file"]), f["line"], f["rule"]) for f in json.loads(out)]


def squawk_findings(squawk, assume):
    found = []
    for f in sorted(os.listdir(VERSIONS)):
        path = os.path.join(VERSIONS, f)
        with open(path) as fh:
            none = "-- Transaction: none\n" in fh.read()
        args = [squawk, "--pg-version=15", "--reporter", "json"]
        if assume and not none:
            args.append("--assume-in-transaction")
        out = subprocess.run(args + [path], capture_output=True, text=True).stdout
        for x in json.loads(out or "[]"):
            # squawk counts lines from 0
            found.append((f, x["line"] + 1, x["rule_name"]))
    return found


def flagged(findings, f, first, last, rules):
    return any(ff == f and first <= line <= last and rule in rules
               for ff, line, rule in findings)


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    if "--forms" in sys.argv:
        forms(sys.argv[1], sys.argv[2], sys.argv[sys.argv.index("--forms") + 1])
        return
    assume = "--no-assume-in-transaction" not in sys.argv
    rf = retort_findings(sys.argv[1])
    sf = squawk_findings(sys.argv[2], assume)
    score = {"retort": [0, 0, 0, 0], "squawk": [0, 0, 0, 0]}  # tp fn fp tn
    print("| script:line | pattern | dangerous | retort | squawk |")
    print("| --- | --- | --- | --- | --- |")
    for prefix, first, last, pattern, danger, (rrules, srules) in CASES:
        f = file_of(prefix)
        marks = []
        for tool, findings, rules in (("retort", rf, rrules), ("squawk", sf, srules)):
            hit = flagged(findings, f, first, last, rules)
            if danger:
                score[tool][0 if hit else 1] += 1
            else:
                score[tool][2 if hit else 3] += 1
            ok = hit == danger
            marks.append(("flagged" if hit else "silent") + ("" if ok else " ✗"))
        print("| %s:%d | %s | %s | %s | %s |" % (prefix, first, pattern,
              "yes" if danger else "no", marks[0], marks[1]))
    print()
    for tool in ("retort", "squawk"):
        tp, fn, fp, tn = score[tool]
        print("%s: %d of %d dangerous statements flagged, %d of %d safe ones flagged wrongly"
              % (tool, tp, tp + fn, fp, fp + tn))
    other = {}
    for f, line, rule in sf:
        other[rule] = other.get(rule, 0) + 1
    print("squawk findings by rule:", ", ".join("%s %d" % kv for kv in sorted(other.items())))


if __name__ == "__main__":
    main()
