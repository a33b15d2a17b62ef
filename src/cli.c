/* cli.c: global options, the command table and its dispatcher. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "alembic.h"
#include "db.h"
#include "run.h"
#include "schema.h"
#include "termout.h"
#include "util.h"

const struct cmd_opt cli_global_opts[] = {
	{"config", 'c', "FILE", "read this configuration file instead of ./retort.ini", CMD_ARG_FILE},
	{"database", 'd', "URL", "the database (overrides RETORT_DATABASE_URL, DATABASE_URL, retort.ini)"},
	{"scripts", 's', "DIR", "the scripts location (its versions/ holds the revisions)", CMD_ARG_DIR},
	{"version-table", 0, "NAME", "the version table (default retort_version)"},
	{"target", 't', "NAME|GROUP|all", "run a database command on these targets of retort.ini (repeatable, or comma-separated)", CMD_ARG_TARGET},
	{"lock-timeout", 0, "SECONDS", "how long to wait for the migration lock, or for a SQLite file being migrated (default 60)"},
	{"statement-timeout", 0, "SECONDS", "cancel a statement that runs longer (default: no limit)"},
	{"json", 0, NULL, "machine-readable output for read commands"},
	{"color", 0, "WHEN", "colours: auto (on a terminal, unless NO_COLOR is set), always, never",
	 CMD_ARG_CHOICE, "auto always never"},
	{"no-color", 0, NULL, "no colours: --color=never"},
	{"quiet", 'q', NULL, "print only errors"},
	{"verbose", 'v', NULL, "more detail"},
	{"help", 'h', NULL, "show help (for the command, when one is given)"},
	{"version", 0, NULL, "print retort's version"},
	{NULL, 0, NULL, NULL},
};

#define CMD_ARG_KIND_WORD(name, word) [name] = word,
static const char *const arg_kind_words[] = {CMD_ARG_KIND_LIST(CMD_ARG_KIND_WORD)};
#undef CMD_ARG_KIND_WORD

const char *cmd_arg_kind_word(enum cmd_arg_kind k)
{
	return (size_t)k < RT_ARRAY_LEN(arg_kind_words) ? arg_kind_words[k] : "text";
}

/* ---- a command's parsed options ---- */

const char *cli_opt(const struct cli_opts *o, const char *name)
{
	for (uint32_t i = o->n; i-- > 0;)
		if (strcmp(o->v[i].name, name) == 0)
			return o->v[i].value ? o->v[i].value : "";
	return NULL;
}

bool cli_flag(const struct cli_opts *o, const char *name)
{
	return cli_opt(o, name) != NULL;
}

const char **cli_opt_all(const struct cli_opts *o, const char *name, int *n)
{
	int k = 0;
	for (uint32_t i = 0; i < o->n; i++)
		k += strcmp(o->v[i].name, name) == 0;
	const char **vals = xcalloc((size_t)k + 1, sizeof(*vals));
	k = 0;
	for (uint32_t i = 0; i < o->n; i++)
		if (strcmp(o->v[i].name, name) == 0)
			vals[k++] = o->v[i].value;
	*n = k;
	return vals;
}

static void remember(struct cli_opts *o, const char *name, const char *value)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 16;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	o->v[o->n].name = name;
	o->v[o->n].value = value;
	o->n++;
}

void cli_opts_free(struct cli_opts *o)
{
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/* ---- context ---- */

void cli_ctx_init(struct cli_ctx *c, FILE *out, FILE *errf)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->errf = errf;
	c->lock_timeout = -1;
	c->interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

bool cli_color(const struct cli_ctx *c, int fd)
{
	if (c->color != CLI_COLOR_AUTO)
		return c->color == CLI_COLOR_ALWAYS;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return !(no && *no) && isatty(fd) && !(term && strcmp(term, "dumb") == 0);
}

int cli_exit(const struct cli_ctx *c, enum rt_status status)
{
	/* a command stopped by a signal exits as shells report one: 128 + N */
	return c->stopped_by ? 128 + c->stopped_by : rt_status_exit(status);
}

int cli_report(struct cli_ctx *c, int rc, char *err)
{
	if (err && *err)
		fprintf(c->errf, "%s\n", err);
	free(err);
	return rc;
}

void cli_ctx_init_from(struct cli_ctx *c, const struct cli_ctx *from)
{
	cli_ctx_init(c, from->out, from->errf);
	c->config_path = from->config_path;
	c->database = from->database;
	c->scripts = from->scripts;
	c->version_table = from->version_table;
	c->json = from->json;
	c->color = from->color;
	c->quiet = from->quiet;
	c->verbose = from->verbose;
	c->lock_timeout = from->lock_timeout;
	c->statement_timeout = from->statement_timeout;
	c->interactive = from->interactive;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *cli_state_key(char *const *heads, uint32_t n)
{
	char **v = xcalloc(n + 1, sizeof(*v));
	for (uint32_t i = 0; i < n; i++)
		v[i] = heads[i];
	qsort(v, n, sizeof(*v), cmp_strp);
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", v[i]);
	free(v);
	return sb_detach(&sb);
}

void cli_shown_free(struct cli_shown *s)
{
	for (uint32_t i = 0; i < s->n; i++) {
		free(s->v[i].from);
		run_expect_free(s->v[i].expect);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void cli_ctx_free(struct cli_ctx *c)
{
	if (c->db)
		db_close(c->db);
	if (c->shared) {
		/* the fleet's: it frees them */
		c->graph = NULL;
		c->versions_dir = NULL;
		c->cfg_loaded = false;
	}
	graph_free(c->graph);
	if (c->cfg_loaded)
		config_free(&c->cfg);
	free(c->targets);
	c->targets = NULL;
	c->ntargets = 0;
	if (c->url_loaded)
		url_free(&c->url);
	free(c->versions_dir);
	c->db = NULL;
	c->graph = NULL;
	c->cfg_loaded = c->url_loaded = false;
	c->versions_dir = NULL;
}

int cli_config(struct cli_ctx *c, char **err)
{
	if (c->cfg_loaded)
		return RT_OK;
	int rc = config_load(c->config_path, &c->cfg, err);
	if (rc != RT_OK)
		return rc;
	c->cfg_loaded = true;
	if (c->version_table && !ident_valid(c->version_table))
		return rt_err(err, RT_EUSAGE,
		              "--version-table '%s' is not a valid table name (letters, digits, _)",
		              c->version_table);
	const char *loc = c->scripts ? c->scripts : c->cfg.script_location;
	c->versions_dir = xasprintf("%s/versions", loc);
	return RT_OK;
}

const char *cli_version_table(struct cli_ctx *c)
{
	return c->version_table ? c->version_table : c->cfg.version_table;
}

const struct run_delegate *cli_delegate(struct cli_ctx *c)
{
	if (!cli_alembic(c))
		return NULL;
	c->delegate = (struct run_delegate){"Alembic", alembic_step, &c->cfg.alembic,
	                                    alembic_session_open, alembic_session_close};
	return &c->delegate;
}

bool cli_alembic(const struct cli_ctx *c)
{
	return c->cfg_loaded && c->cfg.format == CONFIG_FORMAT_ALEMBIC;
}

int cli_graph(struct cli_ctx *c, char **err)
{
	if (c->graph)
		return RT_OK;
	int rc = cli_config(c, err);
	if (rc != RT_OK)
		return rc;
	if (c->cfg.format == CONFIG_FORMAT_ALEMBIC) {
		/* Alembic's folders, unless --scripts names another location */
		const struct alembic_ini *a = &c->cfg.alembic;
		const char *loc = c->scripts ? c->scripts : a->script_location;
		if (access(loc, F_OK) != 0)
			return rt_err(err, RT_EINPUT, "%s: no such script location (script_location in "
			              "%s)", loc, a->path);
		struct graph_src src = {(const char *const *)a->version_dirs, a->nversion_dirs,
		                        a->recursive, &script_format_alembic, a->version_locations};
		const char *one = c->versions_dir;
		if (c->scripts) {
			src.dirs = &one;
			src.ndirs = 1;
			src.skip_missing = false;
		}
		if (!src.skip_missing && access(src.dirs[0], F_OK) != 0)
			return rt_err(err, RT_EINPUT, "%s: no such versions directory", src.dirs[0]);
		return graph_load_src(&src, &c->graph, err);
	}
	if (access(c->versions_dir, F_OK) != 0)
		return rt_err(err, RT_EINPUT,
		              "%s: no such scripts directory; run 'retort init' or pass --scripts DIR",
		              c->versions_dir);
	return graph_load(c->versions_dir, &c->graph, err);
}

int cli_url(struct cli_ctx *c, char **err)
{
	if (c->url_loaded)
		return RT_OK;
	int rc = cli_config(c, err);
	if (rc != RT_OK)
		return rc;
	const char *s = c->database, *from = "--database";
	if (!s || !*s)
		s = getenv(from = "RETORT_DATABASE_URL");
	if (!s || !*s)
		s = getenv(from = "DATABASE_URL");
	char *where = NULL;
	if (!s || !*s) {
		s = c->cfg.database;
		from = c->cfg.path ? c->cfg.path : "the configuration";
		const struct alembic_ini *a = &c->cfg.alembic;
		if (a->url && s && strcmp(s, a->url) == 0)
			from = where = xasprintf("%s:%u: sqlalchemy.url", a->path, a->url_line);
	}
	if (!s || !*s)
		return rt_err(err, RT_EUSAGE,
		              "no database configured: use --database URL, RETORT_DATABASE_URL, "
		              "DATABASE_URL, or 'database = …' in retort.ini");
	char *perr = NULL;
	rc = url_parse(s, &c->url, &perr);
	if (rc == RT_OK)
		c->url_loaded = true;
	else
		rt_err(err, rc, "%s: %s", from, perr);
	free(perr);
	free(where);
	return rc;
}

double cli_lock_timeout(const struct cli_ctx *c)
{
	return c->lock_timeout >= 0 ? c->lock_timeout : c->cfg.lock_timeout;
}

/* ---- waiting for another process, on standard error ---- */

/* "Waiting for WHAT: 3 s of 60 s, Ctrl-C cancels; HOLDER" over the line
 * before, cut to the terminal's width so that the carriage return comes
 * back to its start. The holder comes from a lock file or the server:
 * its control characters are shown, not obeyed. */
static void wait_line(struct cli_ctx *c, const char *what, double elapsed, const char *holder)
{
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "Waiting for %s: %.0f s of %g s, Ctrl-C cancels", what, elapsed,
	        cli_lock_timeout(c));
	if (holder) {
		int pending = 0;
		sb_adds(&sb, "; held by ");
		termout_show(&sb, holder, strlen(holder), &pending);
		termout_show(&sb, "", 0, &pending);
	}
	struct winsize ws;
	size_t cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 4 ? ws.ws_col : 80;
	if (sb.len > cols - 1) {
		/* whole characters, then an ellipsis */
		size_t cut = cols - 4;
		while (cut > 0 && ((unsigned char)sb.buf[cut] & 0xc0) == 0x80)
			cut--;
		sb.len = cut;
		sb_adds(&sb, "...");
	}
	fprintf(stderr, "\r%s\033[K", sb_str(&sb));
	fflush(stderr);
	sb_free(&sb);
}

static bool on_lock_wait(void *ctx, double elapsed, const char *holder)
{
	wait_line(ctx, "the migration lock", elapsed, holder);
	return true;
}

static bool on_busy_wait(void *ctx, double elapsed, const char *holder)
{
	wait_line(ctx, holder ? "the database, which a migration is writing"
	                      : "the database, which another connection is writing",
	          elapsed, holder);
	return true;
}

/* A fleet's target: nothing on the terminal (the others are running
 * too), and a signal ends the wait, as it ends the fleet. */
static bool on_member_wait(void *ctx, double elapsed, const char *holder)
{
	(void)ctx;
	(void)elapsed;
	(void)holder;
	return !run_signal_pending();
}

static void on_wait_done(void *ctx)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

static struct db_wait wait_for(struct cli_ctx *c,
                               bool (*on_wait)(void *, double, const char *))
{
	struct db_wait w = {cli_lock_timeout(c), NULL, NULL, c};
	if (c->fleet_member)
		w.on_wait = on_member_wait;
	else if (!c->quiet && isatty(STDERR_FILENO)) {
		w.on_wait = on_wait;
		w.on_done = on_wait_done;
	}
	return w;
}

struct db_wait cli_lock_wait(struct cli_ctx *c)
{
	return wait_for(c, on_lock_wait);
}

struct db_wait cli_busy_wait(struct cli_ctx *c)
{
	return wait_for(c, on_busy_wait);
}

int cli_db(struct cli_ctx *c, char **err)
{
	if (c->db)
		return RT_OK;
	int rc = cli_url(c, err);
	if (rc != RT_OK)
		return rc;
	rc = db_open(&c->url, cli_version_table(c), &c->db, err);
	if (rc == RT_OK && c->db->ops->set_busy_wait) {
		struct db_wait w = c->busy_wait ? *c->busy_wait : cli_busy_wait(c);
		c->db->ops->set_busy_wait(c->db, &w);
	}
	if (rc == RT_OK && c->statement_timeout > 0 && c->db->ops->set_statement_timeout) {
		rc = c->db->ops->set_statement_timeout(c->db, c->statement_timeout, err);
		if (rc != RT_OK) {
			db_close(c->db);
			c->db = NULL;
		}
	}
	return rc;
}

bool cli_db_missing(const struct cli_ctx *c)
{
	const char *path = c->url.path;
	if (!c->url_loaded || c->url.backend != DB_SQLITE || !path || !*path ||
	    strcmp(path, ":memory:") == 0)
		return false;
	return access(path, F_OK) != 0 && errno == ENOENT;
}

int cli_db_read(struct cli_ctx *c, char **err)
{
	if (c->db)
		return RT_OK;
	/* Opening first, so that a backend that cannot load says so; an
	 * absent file is not created by opening it. */
	int rc = cli_db(c, err);
	if (rc != RT_OK || !cli_db_missing(c))
		return rc;
	db_close(c->db);
	c->db = NULL;
	return rt_err(err, RT_EFAIL, "database file %s does not exist (%s): check the "
	              "database URL ('retort upgrade' creates it)", c->url.path,
	              c->url.display);
}

int cli_current(struct cli_ctx *c, char ***heads, uint32_t *n, char **err)
{
	int rc = cli_db_read(c, err);
	if (rc != RT_OK)
		return rc;
	return c->db->ops->read_heads(c->db, heads, n, err);
}

int cli_ledger(struct cli_ctx *c, struct history_row **rows, uint32_t *n, char **err)
{
	int rc = cli_db_read(c, err);
	if (rc != RT_OK)
		return rc;
	return c->db->ops->history_read(c->db, NULL, rows, n, err);
}

int cli_schema_live(struct cli_ctx *c, struct schema_live *lv, char **err)
{
	int rc = cli_db(c, err);
	if (rc != RT_OK)
		return rc;
	lv->db = c->db;
	lv->url = &c->url;
	lv->version_table = cli_version_table(c);
	return RT_OK;
}

void cli_db_drop(struct cli_ctx *c)
{
	if (c->db)
		db_close(c->db);
	c->db = NULL;
}

int cli_current_revs(struct cli_ctx *c, uint32_t **revs, uint32_t *n, char **err)
{
	char **heads;
	uint32_t nheads;
	int rc = cli_current(c, &heads, &nheads, err);
	if (rc != RT_OK)
		return rc;
	/* Rows no script defines are left out here; `check` reports them. */
	uint32_t *v = xmalloc((nheads + 1) * sizeof(*v)), known = 0;
	for (uint32_t i = 0; i < nheads; i++) {
		int32_t x = graph_find(c->graph, heads[i]);
		if (x >= 0)
			v[known++] = (uint32_t)x;
	}
	db_strv_free(heads, nheads);
	*revs = v;
	*n = known;
	return RT_OK;
}

/* ---- the table ---- */

extern const struct cmd_entry cmd_current, cmd_upgrade, cmd_downgrade, cmd_stamp,
	cmd_check, cmd_repair, cmd_lock, cmd_backup;
extern const struct cmd_entry cmd_lint, cmd_rollback;

const struct cmd_entry *const cli_commands[] = {
	&cmd_init, &cmd_revision, &cmd_merge, &cmd_upgrade, &cmd_downgrade,
	&cmd_stamp, &cmd_current, &cmd_status, &cmd_heads, &cmd_branches, &cmd_history,
	&cmd_show, &cmd_check, &cmd_repair, &cmd_resolve, &cmd_lock, &cmd_backup,
	&cmd_lint, &cmd_rollback, &cmd_fleet,
	NULL,
};

/* Commands of the terminal faces (console, shell), which live outside the
 * engine library and are added by main(). */
static const struct cmd_entry *const *extra_commands;

void cli_add_commands(const struct cmd_entry *const *extra)
{
	extra_commands = extra;
}

const struct cmd_entry *cli_command_at(int i)
{
	int nb = 0;
	while (cli_commands[nb])
		nb++;
	if (i < nb)
		return cli_commands[i];
	return extra_commands ? extra_commands[i - nb] : NULL;
}

const struct cmd_entry *cli_find(const char *name)
{
	const struct cmd_entry *e;
	for (int i = 0; (e = cli_command_at(i)); i++)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static void print_opts(FILE *f, const struct cmd_opt *o)
{
	for (; o && o->name; o++) {
		char buf[64];
		if (o->short_name)
			snprintf(buf, sizeof buf, "-%c, --%s%s%s", o->short_name, o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(buf, sizeof buf, "    --%s%s%s", o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		fprintf(f, "  %-28s %s\n", buf, o->help);
	}
}

void cli_usage(FILE *f)
{
	fputs("usage: retort [global options] COMMAND [options] [args]\n\n"
	      "A migration console for SQLite and PostgreSQL: a graph of plain-SQL\n"
	      "revision scripts, applied, reverted and browsed.\n\ncommands:\n", f);
	const struct cmd_entry *e;
	for (int i = 0; (e = cli_command_at(i)); i++)
		fprintf(f, "  %-10s %s\n", e->name, e->help);
	fputs("\nglobal options:\n", f);
	print_opts(f, cli_global_opts);
	fputs("\n'retort COMMAND -h' shows a command's options; see retort(1).\n", f);
}

void cli_command_help(FILE *f, const struct cmd_entry *e)
{
	fprintf(f, "usage: retort %s%s%s%s\n\n%s\n", e->name,
	        e->opts && e->opts->name ? " [options]" : "", e->args ? " " : "",
	        e->args ? e->args : "", e->help);
	if (e->opts && e->opts->name) {
		fputs("\noptions:\n", f);
		print_opts(f, e->opts);
	}
	fputs("\nglobal options (before or after the command): -c FILE, -d URL, -s DIR,\n"
	      "  -t NAME|GROUP|all, --version-table NAME, --lock-timeout SECONDS, --statement-timeout SECONDS,\n"
	      "  --json, --color WHEN, --no-color, -q, -v\n", f);
}

static const struct cmd_opt *find_global(const char *arg, bool *takes_value,
                                         const char **inline_value)
{
	*inline_value = NULL;
	if (arg[0] != '-' || !arg[1])
		return NULL;
	for (const struct cmd_opt *o = cli_global_opts; o->name; o++) {
		if (arg[1] == '-') {
			size_t n = strlen(o->name);
			if (strncmp(arg + 2, o->name, n) == 0 &&
			    (arg[2 + n] == '\0' || (arg[2 + n] == '=' && o->arg))) {
				*takes_value = o->arg != NULL;
				if (arg[2 + n] == '=')
					*inline_value = arg + 3 + n;
				return o;
			}
		} else if (o->short_name && arg[1] == o->short_name) {
			*takes_value = o->arg != NULL;
			if (arg[2] && o->arg)
				*inline_value = arg + 2;
			else if (arg[2])
				return NULL; /* bundled flags belong to the command */
			return o;
		}
	}
	return NULL;
}

static int apply_global(struct cli_ctx *c, const struct cmd_opt *o, const char *v,
                        bool *help, bool *version)
{
	const char *n = o->name;
	if (!strcmp(n, "config")) c->config_path = v;
	else if (!strcmp(n, "database")) c->database = v;
	else if (!strcmp(n, "scripts")) c->scripts = v;
	else if (!strcmp(n, "version-table")) c->version_table = v;
	else if (!strcmp(n, "lock-timeout")) {
		char *end;
		long t = strtol(v, &end, 10);
		if (*end || t < 0 || t > 86400) {
			fprintf(c->errf, "retort: --lock-timeout takes a number of seconds, not '%s'\n", v);
			return RT_EUSAGE;
		}
		c->lock_timeout = (int)t;
	}
	else if (!strcmp(n, "statement-timeout")) {
		char *end;
		double t = strtod(v, &end);
		if (end == v || *end || !(t >= 0 && t <= 86400)) {
			fprintf(c->errf, "retort: --statement-timeout takes a number of seconds, not '%s'\n", v);
			return RT_EUSAGE;
		}
		c->statement_timeout = t;
	}
	else if (!strcmp(n, "target")) {
		c->targets = xrealloc(c->targets, ((size_t)c->ntargets + 1) * sizeof(*c->targets));
		c->targets[c->ntargets++] = v;
	}
	else if (!strcmp(n, "json")) c->json = true;
	else if (!strcmp(n, "color")) {
		static const char *const when[] = {"auto", "always", "never"};
		size_t i = 0;
		while (i < RT_ARRAY_LEN(when) && strcmp(v, when[i]) != 0)
			i++;
		if (i == RT_ARRAY_LEN(when)) {
			fprintf(c->errf, "retort: --color takes auto, always or never, not '%s'\n", v);
			return RT_EUSAGE;
		}
		c->color = (enum cli_color)i;
	}
	else if (!strcmp(n, "no-color")) c->color = CLI_COLOR_NEVER;
	else if (!strcmp(n, "quiet")) c->quiet = true;
	else if (!strcmp(n, "verbose")) c->verbose = true;
	else if (!strcmp(n, "help")) *help = true;
	else if (!strcmp(n, "version")) *version = true;
	return RT_OK;
}

static enum rt_status parse_command_opts(struct cli_ctx *c, const struct cmd_entry *e,
                                         int argc, char **argv, struct cli_opts *out)
{
	size_t nopts = 0;
	for (const struct cmd_opt *o = e->opts; o && o->name; o++)
		nopts++;
	struct option *lopts = xcalloc(nopts + 1, sizeof(*lopts));
	char *shorts = xmalloc(2 * nopts + 2);
	int nl = 0, ns = 0;
	shorts[ns++] = ':';
	for (const struct cmd_opt *o = e->opts; o && o->name; o++) {
		lopts[nl].name = o->name;
		lopts[nl].has_arg = o->arg ? required_argument : no_argument;
		lopts[nl].flag = NULL;
		lopts[nl].val = 256 + nl;
		nl++;
		if (o->short_name) {
			shorts[ns++] = o->short_name;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	memset(&lopts[nl], 0, sizeof(lopts[nl]));
	shorts[ns] = '\0';
	optind = 0;  /* GNU getopt: full reinitialisation between commands */
	opterr = 0;
	int ch, idx;
	enum rt_status rc = RT_OK;
	while (rc == RT_OK && (ch = getopt_long(argc, argv, shorts, lopts, &idx)) != -1) {
		if (ch == '?' || ch == ':') {
			const char *bad = argv[optind - 1];
			if (ch == ':')
				fprintf(c->errf, "retort %s: option '%s' needs a value\n", e->name, bad);
			else if (optopt && optopt < 256)
				fprintf(c->errf, "retort %s: unknown option '-%c'\n", e->name, optopt);
			else
				fprintf(c->errf, "retort %s: unknown option '%s'\n", e->name, bad);
			fprintf(c->errf, "see 'retort %s -h'\n", e->name);
			rc = RT_EUSAGE;
			break;
		}
		const struct cmd_opt *o = NULL;
		if (ch >= 256) {
			o = &e->opts[ch - 256];
		} else {
			for (const struct cmd_opt *p = e->opts; p && p->name; p++)
				if (p->short_name == ch)
					o = p;
		}
		if (o)
			remember(out, o->name, o->arg ? optarg : NULL);
	}
	free(lopts);
	free(shorts);
	return rc;
}

/* A command line's words once its global options (anywhere before "--")
 * are applied to c: the command and its own words, in order. */
struct words {
	char **v;                  /* owned array, borrowed strings */
	int n;
	bool help, version;
};

static enum rt_status take_globals(struct cli_ctx *c, int argc, char **argv, struct words *w)
{
	w->v = xcalloc((size_t)argc + 2, sizeof(*w->v));
	bool dashdash = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool takes;
		const char *inl;
		const struct cmd_opt *o = dashdash ? NULL : find_global(a, &takes, &inl);
		if (!dashdash && strcmp(a, "--") == 0)
			dashdash = true;
		if (!o) {
			w->v[w->n++] = argv[i];
			continue;
		}
		const char *v = inl;
		if (takes && !v) {
			if (i + 1 >= argc) {
				fprintf(c->errf, "retort: option '%s' needs a value\n", a);
				return RT_EUSAGE;
			}
			v = argv[++i];
		}
		enum rt_status rc = apply_global(c, o, v, &w->help, &w->version);
		if (rc != RT_OK)
			return rc;
	}
	return RT_OK;
}

/* --version, --help, `help [COMMAND]`, no command or an unknown one: all
 * answered here (*e NULL, the status returned). Otherwise *e is the
 * command to run. */
static enum rt_status find_command(struct cli_ctx *c, int argc, struct words *w,
                                   const struct cmd_entry **e)
{
	*e = NULL;
	if (w->version) {
		fprintf(c->out, "retort %s\n", PACKAGE_VERSION);
		return RT_OK;
	}
	if (argc == 0 && c->interactive && cli_find("tui")) {
		/* `retort` alone on a terminal opens the console. */
		w->v[w->n++] = (char *)"tui";
	}
	if (w->n == 0) {
		cli_usage(w->help ? c->out : c->errf);
		return w->help ? RT_OK : RT_EUSAGE;
	}
	const struct cmd_entry *found = cli_find(w->v[0]);
	if (!found && strcmp(w->v[0], "help") == 0) {
		const struct cmd_entry *h = w->n > 1 ? cli_find(w->v[1]) : NULL;
		if (h)
			cli_command_help(c->out, h);
		else if (w->n > 1)
			fprintf(c->errf, "retort help: unknown command '%s'; see 'retort --help'\n",
			        w->v[1]);
		else
			cli_usage(c->out);
		return w->n > 1 && !h ? RT_EUSAGE : RT_OK;
	}
	if (!found) {
		fprintf(c->errf, "retort: unknown %s '%s'; see 'retort --help'\n",
		        w->v[0][0] == '-' ? "option" : "command", w->v[0]);
		return RT_EUSAGE;
	}
	if (w->help) {
		cli_command_help(c->out, found);
		return RT_OK;
	}
	*e = found;
	return RT_OK;
}

/* Parses e's options out of the words into opts; *args (pointing into
 * w->v, args[0] the command's name) and *nargs are its operands. */
static enum rt_status command_args(struct cli_ctx *c, const struct cmd_entry *e,
                                   struct words *w, struct cli_opts *opts, char ***args,
                                   int *nargs)
{
	/* "-1" is a relative revision, not an option: keep such words away
	 * from getopt and put them back after the other operands. */
	char **relative = xcalloc((size_t)w->n + 1, sizeof(*relative));
	int nrel = 0, kept = 1;
	for (int i = 1; i < w->n; i++) {
		const char *a = w->v[i];
		bool rel = a[0] == '-' && a[1] >= '0' && a[1] <= '9' &&
		           strspn(a + 1, "0123456789") == strlen(a + 1);
		if (rel)
			relative[nrel++] = w->v[i];
		else
			w->v[kept++] = w->v[i];
	}
	w->n = kept;
	enum rt_status rc = parse_command_opts(c, e, w->n, w->v, opts);
	if (rc == RT_OK) {
		/* getopt permuted operands to the end: v[optind..] */
		int opnd = optind;
		for (int i = 0; i < nrel; i++)
			w->v[w->n++] = relative[i];
		*args = w->v + opnd - 1;
		(*args)[0] = w->v[0];
		*nargs = w->n - opnd + 1;
	}
	free(relative);
	return rc;
}

/* A fleet run's options: only with --target. */
static const char *const fleet_run_opts[] = {"parallel", "canary", "keep-going"};

/* --target with a command that takes it, or a fleet run's option
 * without it: RT_EUSAGE with why. */
static int check_targets(struct cli_ctx *c, const struct cmd_entry *e,
                         const struct cli_opts *opts, char **err)
{
	/* the shell's --keep-going is its own */
	if (!c->ntargets && (e->needs & CMD_TARGETS) && !(e->needs & CMD_OWN_TARGETS)) {
		for (size_t i = 0; i < RT_ARRAY_LEN(fleet_run_opts); i++)
			if (cli_flag(opts, fleet_run_opts[i]))
				return rt_err(err, RT_EUSAGE, "retort %s: --%s is for a fleet run: name the "
				              "targets with --target NAME|GROUP|all", e->name,
				              fleet_run_opts[i]);
		return RT_OK;
	}
	if (!c->ntargets)
		return RT_OK;
	if (!(e->needs & (CMD_TARGETS | CMD_OWN_TARGETS)))
		return rt_err(err, RT_EUSAGE, "retort %s: --target is for database commands "
		              "(current, upgrade, downgrade, stamp, check, lock, history --applied, "
		              "backup, lint, fleet)", e->name);
	if (c->database)
		return rt_err(err, RT_EUSAGE, "retort %s: --target and --database together: a "
		              "target names its own database", e->name);
	return RT_OK;
}

/* Loads what e needs and runs it, signals caught while it may write. */
static enum rt_status run_entry(struct cli_ctx *c, const struct cmd_entry *e,
                                const struct cli_opts *opts, int nargs, char **args)
{
	char *err = NULL;
	enum rt_status rc = check_targets(c, e, opts, &err);
	bool each = rc == RT_OK && c->ntargets && (e->needs & CMD_TARGETS);
	if (rc == RT_OK && (e->needs & CMD_NEEDS_GRAPH))
		rc = cli_graph(c, &err);
	if (rc == RT_OK && (each || (e->needs & CMD_OWN_TARGETS)))
		rc = cli_config(c, &err);
	else if (rc == RT_OK && (e->needs & CMD_NEEDS_DB))
		rc = cli_url(c, &err);
	bool caught = rc == RT_OK && (e->needs & CMD_WRITES);
	if (caught)
		run_signals_catch();
	if (rc == RT_OK)
		rc = each ? cli_fleet_each(c, e, opts, nargs, args) : e->run(c, opts, nargs, args);
	else if (err)
		fprintf(c->errf, "%s\n", err);
	if (caught)
		run_signals_release();
	free(err);
	fflush(c->out);
	if (rc != RT_OK && (caught || rc == RT_EINTR))
		c->stopped_by = run_interrupt_signal();
	return rc;
}

void cli_take_globals(struct cli_ctx *c, int argc, char **argv)
{
	struct words w = {NULL, 0, false, false};
	take_globals(c, argc, argv, &w);
	free(w.v);
}

enum rt_status cli_run(struct cli_ctx *c, int argc, char **argv)
{
	/* The completion scripts' question: its words are a command line
	 * being typed, not options of this one. */
	if (argc > 0 && strcmp(argv[0], "__complete") == 0)
		return cli_complete(c, argc - 1, argv + 1);
	struct words w = {NULL, 0, false, false};
	const struct cmd_entry *e = NULL;
	struct cli_opts opts = CLI_OPTS_INIT;
	char **args = NULL;
	int nargs = 0;
	c->stopped_by = 0;
	/* --target is this command line's: a console or a shell that ran one
	 * fleet command does not run the next on the fleet */
	free(c->targets);
	c->targets = NULL;
	c->ntargets = 0;
	enum rt_status rc = take_globals(c, argc, argv, &w);
	if (rc == RT_OK)
		rc = find_command(c, argc, &w, &e);
	if (rc == RT_OK && e)
		rc = command_args(c, e, &w, &opts, &args, &nargs);
	if (rc == RT_OK && e)
		rc = run_entry(c, e, &opts, nargs, args);
	cli_opts_free(&opts);
	free(w.v);
	return rc;
}
