#!/usr/bin/env python3
"""Alembic projects for the tests and the benchmarks, made by Alembic.

    alembic_gen.py project DIR N [--seed S] [--url URL] [--restyle]
        An Alembic project in DIR (alembic.ini, env.py and the generic
        template from Alembic's own `init`) whose history grows the way a
        real one does, through Alembic's own revision writer: revisions on
        the main line, concurrent ones that leave several heads and the
        merges that join them, branches started off older revisions,
        expand and contract lines (branch labels) in folders of their own,
        nested in versions/, each contract revision depending on the expand
        revision before it. version_locations names every folder. With
        --restyle a share of the files is rewritten in the other forms
        Alembic reads: annotated assignments, double quotes, lists.

    alembic_gen.py linear DIR N [--url URL]
        The same project with a linear history of N revisions, written
        directly (Alembic's template, no Alembic needed): for benchmarks.

    alembic_gen.py norm
        Reads Alembic's or retort's output of heads, history, branches or
        show on standard input and writes it in a form that does not
        depend on the order of Python's sets: the labels of a revision,
        "Branches into" and "Branch names" sorted, and the lines sorted
        (history's order between branches is the file system's).
"""
import os
import random
import re
import sys


def cfg_for(directory, url):
    from alembic.config import Config
    cfg = Config(os.path.join(directory, "alembic.ini"))
    return cfg


def init_project(directory, url, locations=None):
    """alembic init, then the URL and version_locations set in alembic.ini."""
    from alembic import command
    from alembic.config import Config
    os.makedirs(directory, exist_ok=True)
    ini = os.path.join(directory, "alembic.ini")
    cfg = Config(ini)
    command.init(cfg, os.path.join(directory, "migrations"), template="generic")
    text = open(ini).read()
    text = re.sub(r"(?m)^sqlalchemy\.url = .*$", "sqlalchemy.url = " + url, text)
    text = re.sub(r"(?m)^script_location = .*$",
                  "script_location = %(here)s/migrations", text)
    if locations:
        text = re.sub(r"(?m)^# version_locations = .*$",
                      "version_locations = " + " ".join(locations), text, count=1)
        text = re.sub(r"(?m)^version_path_separator = .*$",
                      "version_path_separator = space", text)
    open(ini, "w").write(text)
    return Config(ini)


def grow(directory, n, seed, url, restyle):
    from alembic.script import ScriptDirectory
    rng = random.Random(seed)
    versions = "%(here)s/migrations/versions"
    locs = [versions, versions + "/expand", versions + "/contract",
            versions + "/2024/q1"]
    cfg = init_project(directory, url, locs)
    real = [loc.replace("%(here)s", os.path.abspath(directory)) for loc in locs]
    for d in real:
        os.makedirs(d, exist_ok=True)
    script = ScriptDirectory.from_config(cfg)

    def rid():
        return "%012x" % rng.getrandbits(48)

    tables = ["users", "orders", "payments", "invoices", "products", "audit_log",
              "sessions", "tenants", "reports", "events"]

    def message():
        verb = rng.choice(["add", "drop", "rename", "index", "backfill", "alter"])
        return "%s %s on %s %d" % (verb, rng.choice(["column", "constraint", "index"]),
                                   rng.choice(tables), rng.randrange(1000))

    last_expand = last_contract = None
    lined = set()      # the expand and contract revisions
    labelled = False
    for i in range(n):
        main = [h for h in script.get_heads() if h not in (last_expand, last_contract)]
        r = rng.random()
        if i == 0:
            script.generate_revision(rid(), "initial schema", head="base",
                                     version_path=real[0])
        elif not labelled and i >= n // 5 and main:
            base = main[0]
            e = script.generate_revision(rid(), "expand branch", head=base, splice=True,
                                         branch_labels=["expand"], version_path=real[1])
            c = script.generate_revision(rid(), "contract branch", head=base, splice=True,
                                         branch_labels=["contract"], version_path=real[2],
                                         depends_on=[e.revision])
            last_expand, last_contract = e.revision, c.revision
            lined |= {e.revision, c.revision}
            labelled = True
        elif labelled and r < 0.15:
            e = script.generate_revision(rid(), "expand: " + message(), head=last_expand,
                                         version_path=real[1])
            last_expand = e.revision
            lined.add(e.revision)
        elif labelled and r < 0.25:
            c = script.generate_revision(rid(), "contract: " + message(), head=last_contract,
                                         version_path=real[2], depends_on=[last_expand])
            last_contract = c.revision
            lined.add(c.revision)
        elif len(main) > 2 or (len(main) > 1 and r < 0.45):
            pair = rng.sample(main, 2)
            script.generate_revision(rid(), "merge %s and %s" % tuple(pair), head=pair,
                                     version_path=real[0])
        elif main and r < 0.55:
            # a branch started off an older revision of the main line
            older = [x.revision for x in script.walk_revisions()
                     if x.revision not in lined][: 30]
            base = rng.choice(older)
            script.generate_revision(rid(), message(), head=base, splice=True,
                                     version_path=rng.choice([real[0], real[3]]))
        elif main:
            script.generate_revision(rid(), message(), head=rng.choice(main),
                                     version_path=rng.choice([real[0], real[0], real[3]]))
        else:
            script.generate_revision(rid(), message(), head="base", version_path=real[0])
    if restyle:
        for d in real:
            for name in sorted(os.listdir(d)):
                if name.endswith(".py") and rng.random() < 0.4:
                    restyle_file(os.path.join(d, name), rng)


def restyle_file(path, rng):
    """The header in another form Alembic reads: annotated, double quotes,
    lists instead of tuples."""
    text = open(path).read()
    dq = rng.random() < 0.5
    annotated = rng.random() < 0.7

    def q(m):
        return '"%s"' % m.group(1) if dq else m.group(0)

    def line(name, ann, value):
        value = re.sub(r"'([^']*)'", q, value)
        if rng.random() < 0.3 and value.startswith("("):
            value = "[" + value[1:-1].rstrip(",") + "]"
        return "%s%s = %s" % (name, ": " + ann if annotated else "", value)

    anns = {"revision": "str", "down_revision": "Union[str, Sequence[str], None]",
            "branch_labels": "Union[str, Sequence[str], None]",
            "depends_on": "Union[str, Sequence[str], None]"}
    for name, ann in anns.items():
        text = re.sub(r"(?m)^%s = (.*)$" % name,
                      lambda m, name=name, ann=ann: line(name, ann, m.group(1)), text)
    if annotated:
        text = text.replace("import sqlalchemy as sa\n",
                            "import sqlalchemy as sa\nfrom typing import Sequence, Union\n", 1)
    open(path, "w").write(text)


TEMPLATE = '''"""%(message)s

Revision ID: %(rev)s
Revises: %(down)s
Create Date: 2026-01-01 00:00:%(sec)02d.%(usec)06d

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = %(rev_repr)s
down_revision = %(down_repr)s
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("t_%(rev)s", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("t_%(rev)s")
'''


def linear(directory, n, url):
    """A linear history of n revisions, written without Alembic."""
    versions = os.path.join(directory, "migrations", "versions")
    os.makedirs(versions, exist_ok=True)
    open(os.path.join(directory, "alembic.ini"), "w").write(
        "[alembic]\nscript_location = %%(here)s/migrations\nsqlalchemy.url = %s\n" % url)
    open(os.path.join(directory, "migrations", "env.py"), "w").write(ENV_PY)
    down = None
    for i in range(n):
        rev = "%012x" % (0x100000000000 + i * 7919)
        open(os.path.join(versions, "%s_step_%d.py" % (rev, i)), "w").write(TEMPLATE % {
            "message": "step %d" % i, "rev": rev, "down": down or "", "sec": i % 60,
            "usec": i, "rev_repr": repr(rev), "down_repr": repr(down)})
        down = rev


ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

MARKERS = {"head", "effective head", "branchpoint", "mergepoint", "current"}


def norm_line(line):
    line = line.rstrip("\n")
    for key in ("Branches into: ", "Branch names: ", "Also depends on: "):
        if line.startswith(key):
            return key + ", ".join(sorted(line[len(key):].split(", ")))
    # "parents (deps) -> rev (labels) (head)…" or "rev (labels) (head)…"
    m = re.match(r"^(\s*(?:->\s*)?)(.*? -> )?(\w+) \(([^()]*)\)(.*)$", line)
    if m and m.group(4) not in MARKERS:
        labels = ", ".join(sorted(m.group(4).split(", ")))
        return "%s%s%s (%s)%s" % (m.group(1), m.group(2) or "", m.group(3), labels,
                                  m.group(5))
    return line


def norm():
    lines = [norm_line(l) for l in sys.stdin]
    for l in sorted(lines):
        print(l)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    what = argv[1]
    url = "sqlite:///app.db"
    if "--url" in argv:
        url = argv[argv.index("--url") + 1]
    if what == "norm":
        norm()
        return 0
    directory, n = argv[2], int(argv[3])
    if what == "project":
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
        grow(directory, n, seed, url, "--restyle" in argv)
    elif what == "linear":
        linear(directory, n, url)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
