/* cmd_init.c: commands that write scripts: init, revision, merge. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alembic.h"
#include "cli.h"
#include "db.h"
#include "out.h"
#include "schema.h"
#include "spec.h"

static const char default_ini[] =
	"# retort configuration: see retort.ini(5).\n"
	"[retort]\n"
	"script_location = %s\n"
	"database = sqlite:///app.db\n"
	"version_table = retort_version\n"
	"; transaction_mode = per-migration\n"
	"; lock_timeout = 60\n"
	"; production = false\n"
	"; schema = %s/schema.sql\n";

/* Creates path with content, refusing to replace anything (O_EXCL). */
static int write_new_file(const char *path, const char *content, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return rt_err(err, RT_EFAIL, "%s: %s%s", path, strerror(errno),
		              errno == EEXIST ? " (retort never overwrites a file)" : "");
	size_t n = strlen(content), off = 0;
	while (off < n) {
		ssize_t w = write(fd, content + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			close(fd);
			unlink(path);
			return rt_err(err, RT_EFAIL, "%s: %s", path, strerror(e));
		}
		off += (size_t)w;
	}
	if (close(fd) != 0)
		return rt_err(err, RT_EFAIL, "%s: %s", path, strerror(errno));
	return RT_OK;
}

static const struct cmd_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_init(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc > 2) {
		fprintf(c->errf, "usage: retort init [DIR]\n");
		return RT_EUSAGE;
	}
	const char *dir = argc == 2 ? argv[1] : "migrations";
	const char *ini = c->config_path ? c->config_path : "retort.ini";
	char *err = NULL;
	char *versions = xasprintf("%s/versions", dir);
	struct stat st;
	int rc = RT_OK;
	if (stat(ini, &st) == 0)
		rc = rt_err(&err, RT_EFAIL, "%s already exists; retort init never overwrites it", ini);
	else if (stat(versions, &st) == 0)
		rc = rt_err(&err, RT_EFAIL, "%s already exists; retort init never overwrites it",
		            versions);
	if (rc == RT_OK)
		rc = mkdir_p(versions, 0755, &err);
	if (rc == RT_OK) {
		char *text = xasprintf(default_ini, dir, dir);
		rc = write_new_file(ini, text, &err);
		free(text);
	}
	if (rc == RT_OK && !c->quiet)
		fprintf(c->out, "Created %s and %s/\nNext: retort revision -m \"first change\"\n",
		        ini, versions);
	free(versions);
	return cli_report(c, rc, err);
}

const struct cmd_entry cmd_init = {
	"init", "[DIR]", "create retort.ini and DIR/versions/ (DIR: migrations)", no_opts,
	0, run_init, CMD_ARG_DIR,
};

/* ---- shared by revision and merge ---- */

static void now_text(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Checks want (--rev-id, or NULL) and --branch-label against the graph,
 * or makes an id. */
static int new_identity(struct cli_ctx *c, const char *want, char rev[40], const char *label,
                        char **err)
{
	const struct graph *g = c->graph;
	if (want) {
		if (!script_valid_rev(want))
			return rt_err(err, RT_EUSAGE,
			              "--rev-id '%s': expected 1 to 32 of A-Z a-z 0-9 _", want);
		if (graph_find(g, want) >= 0)
			return rt_err(err, RT_EUSAGE, "--rev-id '%s': that revision already exists", want);
		/* Such an id would shadow a label or a keyword: every specifier
		 * naming it would mean something else. */
		if (graph_label(g, want) >= 0)
			return rt_err(err, RT_EUSAGE, "--rev-id '%s': that is a branch label", want);
		if (script_reserved_word(want))
			return rt_err(err, RT_EUSAGE,
			              "--rev-id '%s': head, heads, base and current are reserved", want);
		snprintf(rev, 40, "%s", want);
	} else {
		/* 48 random bits: a collision is unlikely, not impossible. */
		do {
			int rc = script_new_rev(rev, err);
			if (rc != RT_OK)
				return rc;
		} while (graph_find(g, rev) >= 0);
	}
	if (label) {
		if (!script_valid_label(label) || script_reserved_word(label))
			return rt_err(err, RT_EUSAGE,
			              "--branch-label '%s': expected a letter, then letters, digits, _ or -, "
			              "and not head, heads, base or current", label);
		if (graph_label(g, label) >= 0 || graph_find(g, label) >= 0)
			return rt_err(err, RT_EUSAGE, "--branch-label '%s' is already in use", label);
	}
	return RT_OK;
}

/* A message is the first header line, so one that reads as a header key
 * ("Revises: x", "Transaction: none") would change the script or break
 * it: parse the text as the graph will before writing it. */
static int check_rendered(const char *path, const char *text, const char *message,
                          char **err)
{
	struct arena a;
	struct script s;
	char *perr = NULL;
	arena_init(&a);
	int rc = script_parse(path, text, strlen(text), &a, &s, &perr);
	if (!message[strspn(message, " \t\r\n")])
		rc = rt_err(err, RT_EUSAGE, "the message is empty: -m MSG");
	else if (rc != RT_OK || !*s.message)
		rc = rt_err(err, RT_EUSAGE,
		            "-m '%s' would be read as a header key; reword the message", message);
	else
		rc = RT_OK;
	arena_free(&a);
	free(perr);
	return rc;
}

/* An Alembic project's new revision: a .py file from the project's
 * script.py.mako (or Alembic's own template), named by its file_template,
 * in the folder of the revision it builds on. *text and *path malloc'd. */
static int py_revision(struct cli_ctx *c, struct script_new *n, struct strbuf *notes,
                       char **text_out,
                       char **path_out, char **err)
{
	const struct alembic_ini *a = &c->cfg.alembic;
	const struct graph *g = c->graph;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	localtime_r(&ts.tv_sec, &tm);
	char date[48];
	size_t dl = strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(date + dl, sizeof date - dl, ".%06ld", ts.tv_nsec / 1000);
	n->create_date = date;

	const char *loc = c->scripts ? c->scripts : a->script_location;
	char *tpath = xasprintf("%s/script.py.mako", loc);
	char *tmpl = NULL, *e = NULL;
	size_t tlen;
	if (read_file(tpath, &tmpl, &tlen, &e) != RT_OK) {
		free(e);
		tmpl = NULL;
	}
	bool plain = false;
	char *text = script_py_render(n, tmpl, &plain);
	if (tmpl && !plain && !c->quiet)
		sb_addf(notes, "%s is not a plain template (Mako code, or expressions retort does "
		        "not know): Alembic's default template is used\n", tpath);
	free(tmpl);
	free(tpath);

	/* Alembic's folder: the one of the revision built on, else the first */
	char *dir = NULL;
	for (uint32_t i = 0; i < n->nparents && !dir; i++) {
		int32_t x = graph_find(g, n->parents[i]);
		const char *slash = x >= 0 ? strrchr(g->nodes[x].s.path, '/') : NULL;
		if (slash)
			dir = xstrndup(g->nodes[x].s.path, (size_t)(slash - g->nodes[x].s.path));
	}
	if (!dir)
		dir = xstrdup(c->scripts ? c->versions_dir : a->version_dirs[0]);
	char *name = script_py_filename(a->file_template, n->rev, n->message,
	                                (long long)ts.tv_sec, &tm);
	int rc = RT_OK;
	if (!name)
		rc = rt_err(err, RT_EINPUT, "%s: file_template '%s' names what retort does not know "
		            "(it knows rev, slug, epoch, year, month, day, hour, minute, second)",
		            a->path, a->file_template);
	char *path = name ? xasprintf("%s/%s", dir, name) : NULL;
	if (rc == RT_OK) {
		/* what Alembic will read from it: the same revision */
		struct arena ar;
		struct script s;
		char *perr = NULL;
		arena_init(&ar);
		if (script_format_alembic.parse(path, text, strlen(text), &ar, &s, &perr) != RT_OK ||
		    strcmp(s.rev, n->rev) != 0 || s.nparents != n->nparents)
			rc = rt_err(err, RT_EUSAGE, "-m '%s' would break the revision's docstring; reword "
			            "the message", n->message);
		free(perr);
		arena_free(&ar);
	}
	if (rc == RT_OK)
		rc = mkdir_p(dir, 0755, err);
	*text_out = text;
	*path_out = path;
	free(name);
	free(dir);
	return rc;
}

/* A .sql script, in the versions directory. */
static int sql_revision(struct cli_ctx *c, struct script_new *n, char **text_out,
                        char **path_out, char **err)
{
	char date[32];
	now_text(date);
	n->create_date = date;
	char *text = script_render(n);
	char *name = script_filename(n->rev, n->message, date);
	char *path = xasprintf("%s/%s", c->versions_dir, name);
	int rc = check_rendered(path, text, n->message, err);
	*text_out = text;
	*path_out = path;
	free(name);
	return rc;
}

/* Writes a new revision in the project's format (never over a file);
 * *path_out: its path (malloc'd), set on success only; what the user is
 * told on the way goes to notes. */
static int write_script(struct cli_ctx *c, struct script_new *n, char **path_out,
                        struct strbuf *notes, char **err)
{
	char *text = NULL, *path = NULL;
	int rc = cli_alembic(c) ? py_revision(c, n, notes, &text, &path, err)
	                        : sql_revision(c, n, &text, &path, err);
	if (rc == RT_OK)
		rc = write_new_file(path, text, err);
	if (rc == RT_OK) {
		*path_out = path;
		path = NULL;
	}
	free(text);
	free(path);
	return rc;
}

void cli_written_free(struct cli_written *w)
{
	free(w->pre_path);
	free(w->path);
	sb_free(&w->notes);
	w->pre_path = w->path = NULL;
}

/* What a command line prints of what was written: the notes on standard
 * error, each path on a line. */
static int print_written(struct cli_ctx *c, int rc, struct cli_written *w, char **err)
{
	fputs(sb_str(&w->notes), c->errf);
	if (w->pre_path)
		fprintf(c->out, "%s\n", w->pre_path);
	if (w->path)
		fprintf(c->out, "%s\n", w->path);
	cli_written_free(w);
	return cli_report(c, rc, *err);
}

/* ---- revision ---- */

static const struct cmd_opt revision_opts[] = {
	{"message", 'm', "MSG", "the message (first line of the header)"},
	{"head", 0, "SPEC", "the revision to build on (default: head; 'base' for a new root)",
	 CMD_ARG_REVISION},
	{"splice", 0, NULL, "allow --head to name a revision that is not a head"},
	{"branch-label", 0, "LABEL", "give the new revision a branch label"},
	{"depends-on", 0, "SPEC", "a revision this one depends on (repeatable)",
	 CMD_ARG_REVISION},
	{"rev-id", 0, "ID", "use this revision id instead of a random one"},
	{"autogenerate", 0, NULL, "write the SQL that brings the database (at --head) to the "
	 "configured schema, and back"},
	{NULL, 0, NULL, NULL},
};

/* --autogenerate: the configuration says which schema, the database where
 * it is now; schema_autogenerate compares them. */
static int autogenerate(struct cli_ctx *c, const char *const *base, uint32_t nbase,
                        struct strbuf *skipped, struct schema_migration *out, char **err)
{
	int rc = cli_config(c, err);
	if (rc != RT_OK)
		return rc;
	if (!c->cfg.schema)
		return rt_err(err, RT_EUSAGE,
		              "--autogenerate needs a declarative schema: set 'schema = %s/schema.sql' "
		              "in %s (see retort.ini(5))",
		              c->scripts ? c->scripts : c->cfg.script_location,
		              c->cfg.path ? c->cfg.path : "retort.ini");
	char **heads = NULL;
	uint32_t n = 0;
	rc = cli_url(c, err);
	/* The first revision starts from nothing, and a database file that
	 * does not exist yet is that nothing; past it, a missing file is a
	 * mistake that cli_current names. */
	if (rc == RT_OK && nbase == 0 && cli_db_missing(c))
		rc = cli_db(c, err);
	else if (rc == RT_OK)
		rc = cli_current(c, &heads, &n, err);
	struct schema_live lv;
	if (rc == RT_OK)
		rc = cli_schema_live(c, &lv, err);
	if (rc == RT_OK)
		rc = schema_autogenerate(&lv, (const char *const *)heads, n, base, nbase,
		                         c->cfg.schema, skipped, out, err);
	db_strv_free(heads, n);
	return rc;
}

/* One line of Alembic's log while it autogenerates: what its comparison
 * detected ("Detected added table 'accounts'") is shown, the rest (its
 * context and connection lines) is not. */
struct detected {
	struct strbuf *notes;
	bool quiet;
	uint32_t n;
};

static void on_autogen_line(void *ctx, const char *line)
{
	struct detected *d = ctx;
	const char *m = strstr(line, "[alembic.autogenerate.");
	if (!m || !(m = strchr(m, ']')))
		return;
	m += strspn(m + 1, " ") + 1;
	d->n++;
	if (!d->quiet)
		sb_addf(d->notes, "%s\n", m);
}

/* `revision --autogenerate` in an Alembic project: Alembic's own
 * autogenerate, which compares the project's models (env.py's
 * target_metadata) with the database its env.py connects to, writes the
 * script. The new revision's id and its place in the graph are retort's
 * (resolved as for any revision and handed to Alembic); Alembic's
 * "Generating PATH" names the file, *path (malloc'd) as any new script's. */
static int alembic_autogenerate(struct cli_ctx *c, const struct cli_revision *rq, const char *rev,
                                const char *message, const char *const *parents, uint32_t nparents,
                                const char *const *deps, int ndeps, struct cli_written *out,
                                char **err)
{
	if (nparents > 1)
		return rt_err(err, RT_EUSAGE, "--head names %u revisions; Alembic's autogenerate "
		              "builds on one", nparents);
	if (ndeps > 11)
		return rt_err(err, RT_EUSAGE, "--depends-on: at most 11 for Alembic's autogenerate");
	const char *args[32];
	int n = 0;
	args[n++] = "revision";
	args[n++] = "--autogenerate";
	args[n++] = "-m";
	args[n++] = message;
	args[n++] = "--rev-id";
	args[n++] = rev;
	args[n++] = "--head";
	args[n++] = nparents ? parents[0] : "base";
	if (rq->splice)
		args[n++] = "--splice";
	if (rq->label) {
		args[n++] = "--branch-label";
		args[n++] = rq->label;
	}
	for (int i = 0; i < ndeps; i++) {
		args[n++] = "--depends-on";
		args[n++] = deps[i];
	}
	args[n] = NULL;
	struct detected d = {&out->notes, c->quiet, 0};
	struct alembic_result r;
	bool skipped;
	/* retort's ledger is in the database Alembic compares, and no model
	 * declares it: a script that drops it is never what was meant */
	int rc = alembic_exec_skipping(&c->cfg.alembic, args, DB_HISTORY_TABLE, on_autogen_line, &d,
	                               &r, &skipped, err);
	if (rc != RT_OK)
		return rc;
	if (!skipped && !c->quiet)
		sb_addf(&out->notes, "RETORT_ALEMBIC names the command: retort's ledger table %s is "
		        "compared with the models like any table (look for it in the new script, "
		        "or leave it out with include_name in env.py)\n", DB_HISTORY_TABLE);
	const char *gen = strstr(r.out, "Generating ");
	if (r.status != 0 || !gen) {
		/* what Alembic said last is why: "Target database is not up to date." */
		const char *e = r.errtext;
		size_t len = strlen(e);
		while (len && (e[len - 1] == '\n' || e[len - 1] == ' '))
			len--;
		size_t start = len;
		while (start && e[start - 1] != '\n')
			start--;
		rc = rt_err(err, RT_EFAIL, "alembic revision --autogenerate %s%s%.*s",
		            r.status ? "failed" : "wrote no script",
		            len ? ": " : "", (int)(len - start), e + start);
		alembic_result_free(&r);
		return rc;
	}
	gen += strlen("Generating ");
	const char *end = strstr(gen, " ...");
	size_t plen = end ? (size_t)(end - gen) : strcspn(gen, "\n");
	char *path = xstrndup(gen, plen);
	/* relative to the current directory when inside it, as retort's own */
	char cwd[4096];
	const char *shown = path;
	if (getcwd(cwd, sizeof cwd)) {
		size_t cl = strlen(cwd);
		if (strncmp(path, cwd, cl) == 0 && path[cl] == '/')
			shown = path + cl + 1;
	}
	out->path = xstrdup(shown);
	if (!d.n && !c->quiet)
		sb_adds(&out->notes, "Alembic detected no changes between the models and the database: "
		        "the new revision's upgrade() and downgrade() do nothing\n");
	free(path);
	alembic_result_free(&r);
	return RT_OK;
}


int cli_write_revision(struct cli_ctx *c, const struct cli_revision *r,
                       struct cli_written *out, char **errp)
{
	const struct graph *g = c->graph;
	const char *head = r->head;
	const char *label = r->label;
	const char *message = r->message;
	struct spec_ctx sc = {g, NULL, 0, false};
	struct revset base = {0};
	int rc = RT_OK;
	/* errors go to err, so that *errp is written only on failure */
	char *err = NULL;
	memset(out, 0, sizeof *out);

	if (!message || !message[strspn(message, " \t\r\n")])
		return rt_err(errp, RT_EUSAGE, "retort revision: a message is required: -m MSG");

	if (!head && g->nheads > 1) {
		struct strbuf sb = STRBUF_INIT;
		for (uint32_t i = 0; i < g->nheads; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", g->nodes[g->heads[i]].s.rev);
		rc = rt_err(errp, RT_EUSAGE,
		            "multiple heads are present (%s); name one with --head, or run "
		            "'retort merge' to join them first", sb_str(&sb));
		sb_free(&sb);
		return rc;
	}
	rc = spec_resolve(&sc, head ? head : "head", &base, errp);
	if (rc != RT_OK)
		return rc;
	for (uint32_t i = 0; i < base.n && rc == RT_OK; i++)
		if (g->nodes[base.v[i]].nchildren && !r->splice)
			rc = rt_err(&err, RT_EUSAGE,
			            "%s is not a head; pass --splice to start a branch from it",
			            g->nodes[base.v[i]].s.rev);

	char rev[40];
	if (rc == RT_OK)
		rc = new_identity(c, r->rev_id, rev, label, &err);

	int ndeps = r->ndepends;
	const char *const *dep_specs = r->depends;
	const char **deps = xcalloc((size_t)ndeps + 1, sizeof(*deps));
	const char **parents = xcalloc(base.n + 1, sizeof(*parents));
	for (uint32_t i = 0; i < base.n; i++)
		parents[i] = g->nodes[base.v[i]].s.rev;
	for (int i = 0; i < ndeps && rc == RT_OK; i++) {
		struct revset d;
		rc = spec_resolve(&sc, dep_specs[i], &d, &err);
		if (rc == RT_OK && d.n != 1)
			rc = rt_err(&err, RT_EUSAGE, "--depends-on '%s' must name one revision",
			            dep_specs[i]);
		if (rc == RT_OK)
			deps[i] = g->nodes[d.v[0]].s.rev;
		revset_free(&d);
	}
	struct schema_migration m = {0};
	if (rc == RT_OK && r->autogenerate && cli_alembic(c)) {
		rc = alembic_autogenerate(c, r, rev, message, parents, base.n, deps, ndeps, out, &err);
		free(deps);
		free(parents);
		revset_free(&base);
		if (rc != RT_OK)
			*errp = err;
		return rc;
	}
	if (rc == RT_OK && r->autogenerate) {
		struct strbuf skipped = STRBUF_INIT;
		rc = autogenerate(c, parents, base.n, &skipped, &m, &err);
		if (!c->quiet)
			sb_adds(&out->notes, sb_str(&skipped));
		sb_free(&skipped);
		if (rc == RT_OK && !*m.upgrade && !m.pre_upgrade && !c->quiet)
			sb_addf(&out->notes, "No schema changes detected: the database matches %s\n",
			        c->cfg.schema);
	}
	char pre[13];
	if (rc == RT_OK && m.pre_upgrade) {
		/* PostgreSQL cannot use an enum value in the transaction that
		 * adds it: the values come first, in a revision of their own
		 * outside any transaction, which the new revision revises */
		do
			rc = script_new_rev(pre, &err);
		while (rc == RT_OK && (graph_find(g, pre) >= 0 || strcmp(pre, rev) == 0));
		char *msg = xasprintf("%s (enum values, outside a transaction)", message);
		struct script_new n = {0};
		n.rev = pre;
		n.message = msg;
		n.parents = parents;
		n.nparents = base.n;
		n.upgrade_sql = m.pre_upgrade;
		n.downgrade_sql = m.pre_downgrade;
		n.no_transaction = true;
		if (rc == RT_OK)
			rc = write_script(c, &n, &out->pre_path, &out->notes, &err);
		free(msg);
		if (rc == RT_OK && !c->quiet)
			sb_addf(&out->notes, "The new enum values are added by %s (Transaction: none), which %s "
			        "revises: PostgreSQL cannot use a value in the transaction that adds it\n",
			        pre, rev);
	}
	if (rc == RT_OK) {
		const char *pre_parent = pre;
		struct script_new n = {0};
		n.rev = rev;
		n.message = message;
		n.parents = m.pre_upgrade ? &pre_parent : parents;
		n.nparents = m.pre_upgrade ? 1 : base.n;
		n.labels = &label;
		n.nlabels = label ? 1 : 0;
		n.depends = deps;
		n.ndepends = (uint32_t)ndeps;
		n.upgrade_sql = m.upgrade;
		n.downgrade_sql = m.downgrade;
		rc = write_script(c, &n, &out->path, &out->notes, &err);
	}
	schema_migration_free(&m);
	free(deps);
	free(parents);
	revset_free(&base);
	if (rc != RT_OK)
		*errp = err;
	return rc;
}

static int run_revision(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(c->errf, "retort revision: unexpected argument '%s' (use -m MSG)\n", argv[1]);
		return RT_EUSAGE;
	}
	struct cli_revision r = {0};
	r.message = cli_opt(opts, "message");
	r.head = cli_opt(opts, "head");
	r.splice = cli_flag(opts, "splice");
	r.label = cli_opt(opts, "branch-label");
	r.rev_id = cli_opt(opts, "rev-id");
	const char **deps = cli_opt_all(opts, "depends-on", &r.ndepends);
	r.depends = deps;
	r.autogenerate = cli_flag(opts, "autogenerate");
	struct cli_written w;
	char *err = NULL;
	int rc = cli_write_revision(c, &r, &w, &err);
	free(deps);
	return print_written(c, rc, &w, &err);
}

const struct cmd_entry cmd_revision = {
	"revision", NULL, "write a new revision script on top of a head", revision_opts,
	CMD_NEEDS_GRAPH, run_revision,
};

/* ---- merge ---- */

static const struct cmd_opt merge_opts[] = {
	{"message", 'm', "MSG", "the merge's message"},
	{"branch-label", 0, "LABEL", "give the merge revision a branch label"},
	{"rev-id", 0, "ID", "use this revision id instead of a random one"},
	{NULL, 0, NULL, NULL},
};

int cli_write_merge(struct cli_ctx *c, const struct cli_merge *mr, struct cli_written *out,
                    char **errp)
{
	const struct graph *g = c->graph;
	struct spec_ctx sc = {g, NULL, 0, false};
	char *err = NULL;
	int rc = RT_OK;
	struct u32vec revs = {0};
	memset(out, 0, sizeof *out);
	for (int i = 0; i < (mr->nspecs ? mr->nspecs : 1) && rc == RT_OK; i++) {
		struct revset r;
		rc = spec_resolve(&sc, mr->nspecs ? mr->specs[i] : "heads", &r, &err);
		for (uint32_t k = 0; rc == RT_OK && k < r.n; k++)
			if (!u32vec_contains(&revs, r.v[k]))
				u32vec_push(&revs, r.v[k]);
		revset_free(&r);
	}
	if (rc == RT_OK && revs.n < 2)
		rc = rt_err(&err, RT_EUSAGE, "nothing to merge: %s",
		            mr->nspecs ? "a merge needs two or more revisions"
		                     : "there is only one head");
	for (uint32_t i = 0; rc == RT_OK && i < revs.n; i++)
		for (uint32_t j = 0; rc == RT_OK && j < revs.n; j++)
			if (i != j && graph_is_ancestor(g, revs.v[i], revs.v[j]))
				rc = rt_err(&err, RT_EUSAGE,
				            "cannot merge %s and %s: %s is an ancestor of %s",
				            g->nodes[revs.v[i]].s.rev, g->nodes[revs.v[j]].s.rev,
				            g->nodes[revs.v[i]].s.rev, g->nodes[revs.v[j]].s.rev);
	char rev[40];
	const char *label = mr->label;
	if (rc == RT_OK)
		rc = new_identity(c, mr->rev_id, rev, label, &err);
	if (rc == RT_OK) {
		const char **parents = xcalloc(revs.n, sizeof(*parents));
		struct strbuf msg = STRBUF_INIT;
		sb_adds(&msg, "Merge ");
		for (uint32_t i = 0; i < revs.n; i++) {
			parents[i] = g->nodes[revs.v[i]].s.rev;
			sb_addf(&msg, "%s%s", i ? (i + 1 == revs.n ? " and " : ", ") : "", parents[i]);
		}
		struct script_new n = {0};
		n.rev = rev;
		n.message = mr->message ? mr->message : sb_str(&msg);
		n.parents = parents;
		n.nparents = revs.n;
		n.labels = &label;
		n.nlabels = label ? 1 : 0;
		rc = write_script(c, &n, &out->path, &out->notes, &err);
		sb_free(&msg);
		free(parents);
	}
	u32vec_free(&revs);
	if (rc != RT_OK)
		*errp = err;
	return rc;
}

static int run_merge(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	struct cli_merge mr = {0};
	mr.specs = (const char *const *)argv + 1;
	mr.nspecs = argc - 1;
	mr.message = cli_opt(opts, "message");
	mr.label = cli_opt(opts, "branch-label");
	mr.rev_id = cli_opt(opts, "rev-id");
	struct cli_written w;
	char *err = NULL;
	int rc = cli_write_merge(c, &mr, &w, &err);
	return print_written(c, rc, &w, &err);
}

const struct cmd_entry cmd_merge = {
	"merge", "[SPEC...]", "write a merge revision joining revisions (default: heads)",
	merge_opts, CMD_NEEDS_GRAPH, run_merge, CMD_ARG_REVISION,
};
