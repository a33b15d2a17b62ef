/* cmd_fleet.c: many databases with one history (retort(1), FLEETS):
 * `retort fleet`, and a database command run on each target --target
 * names. Each target is a context of its own (cli_ctx.fleet_member) that
 * runs the command's own handler, the engine's run underneath, with its
 * output prefixed by the target's name; fleet.c schedules them. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"
#include "db.h"
#include "fleet.h"
#include "out.h"
#include "policy.h"
#include "run.h"
#include "schema.h"
#include "spec.h"

/* How long a target's server may take to answer before it is taken for
 * unreachable: a dead host must not hold up the table. */
#define FLEET_CONNECT_TIMEOUT 5
#define FLEET_DEFAULT_PARALLEL 4
/* How long `fleet` waits for a SQLite file a migration is writing. */
#define FLEET_BUSY_WAIT 2.0

/* ---- output prefixed by the target's name ---- */

/* A stream whose every line goes to `to` as "NAME  line", whole, under
 * a mutex the fleet's streams share: lines of targets running at once
 * interleave but never mix. */
struct prefixer {
	pthread_mutex_t *mu;
	FILE *to;
	const char *name;
	int width;
	struct strbuf line;
};

static void prefix_line(struct prefixer *p, const char *s, size_t n)
{
	pthread_mutex_lock(p->mu);
	fprintf(p->to, "%-*s  %.*s\n", p->width, p->name, (int)n, s);
	fflush(p->to);
	pthread_mutex_unlock(p->mu);
}

static ssize_t prefix_write(void *cookie, const char *buf, size_t size)
{
	struct prefixer *p = cookie;
	sb_addn(&p->line, buf, size);
	char *start = p->line.buf, *nl;
	while ((nl = memchr(start, '\n', p->line.len - (size_t)(start - p->line.buf)))) {
		prefix_line(p, start, (size_t)(nl - start));
		start = nl + 1;
	}
	size_t rest = p->line.len - (size_t)(start - p->line.buf);
	memmove(p->line.buf, start, rest);
	p->line.len = rest;
	p->line.buf[rest] = '\0';
	return (ssize_t)size;
}

static int prefix_close(void *cookie)
{
	struct prefixer *p = cookie;
	if (p->line.len)
		prefix_line(p, p->line.buf, p->line.len);
	sb_free(&p->line);
	return 0;
}

static FILE *prefix_open(struct prefixer *p, pthread_mutex_t *mu, FILE *to, const char *name,
                         int width)
{
	*p = (struct prefixer){mu, to, name, width, STRBUF_INIT};
	cookie_io_functions_t io = {NULL, prefix_write, NULL, prefix_close};
	FILE *f = fopencookie(p, "w", io);
	if (f)
		setvbuf(f, NULL, _IOLBF, 0);
	return f;
}

/* ---- the targets ---- */

struct fleet {
	struct cli_ctx *c;          /* the command's: configuration and graph loaded */
	const struct cmd_entry *e;  /* the command run on each (NULL: `fleet`) */
	const struct cli_opts *o;
	int argc;
	char **argv;
	uint32_t *idx, n;           /* the targets, as indexes into c->cfg.targets */
	struct db_url *urls;        /* each target's, parsed before anything runs */
	int width;                  /* of the longest name */
	int connect_timeout;
	pthread_mutex_t mu;         /* one line at a time on the terminal */
	pthread_mutex_t drift_mu;   /* one drift check at a time */
	struct member {
		int rc;
		char *now;              /* the version table afterwards, or NULL */
		struct fleet_probe {
			int state;          /* enum probe_state */
			char **heads;
			uint32_t nheads;
			uint32_t pending;
			char *detail;       /* who holds the lock, why unreachable, … */
		} probe;
		struct strbuf json;     /* --json: the target's own JSON output */
	} *m;
};

static const struct config_target *target_of(const struct fleet *f, uint32_t k)
{
	return &f->c->cfg.targets[f->idx[k]];
}

/* Every selected target's URL parsed: a bad one is bad input, named with
 * its file and line, before any target is touched. */
static int parse_urls(struct fleet *f, char **err)
{
	f->urls = xcalloc(f->n + 1, sizeof(*f->urls));
	int rc = RT_OK;
	for (uint32_t k = 0; k < f->n; k++) {
		const struct config_target *t = target_of(f, k);
		char *perr = NULL;
		if (url_parse(t->database, &f->urls[k], &perr) != RT_OK) {
			rc = rt_err(err, RT_EINPUT, "%s:%u: target '%s': %s", t->file, (unsigned)t->line,
			            t->name, perr);
			memset(&f->urls[k], 0, sizeof(f->urls[k]));
		} else {
			f->urls[k].connect_timeout = f->connect_timeout;
		}
		free(perr);
	}
	return rc;
}

static int fleet_init(struct fleet *f, struct cli_ctx *c, char **err)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->connect_timeout = FLEET_CONNECT_TIMEOUT;
	const char *all = "all";
	int rc = fleet_select(&c->cfg, c->ntargets ? c->targets : &all,
	                      c->ntargets ? c->ntargets : 1, &f->idx, &f->n, err);
	if (rc != RT_OK)
		return rc;
	for (uint32_t k = 0; k < f->n; k++) {
		int w = (int)strlen(target_of(f, k)->name);
		if (w > f->width)
			f->width = w;
	}
	f->m = xcalloc(f->n + 1, sizeof(*f->m));
	pthread_mutex_init(&f->mu, NULL);
	pthread_mutex_init(&f->drift_mu, NULL);
	return RT_OK;
}

static void fleet_free(struct fleet *f)
{
	for (uint32_t k = 0; k < f->n && f->m; k++) {
		struct member *m = &f->m[k];
		free(m->now);
		db_strv_free(m->probe.heads, m->probe.nheads);
		free(m->probe.detail);
		sb_free(&m->json);
		if (f->urls)
			url_free(&f->urls[k]);
	}
	free(f->urls);
	free(f->m);
	free(f->idx);
	if (f->m || f->n)
		pthread_mutex_destroy(&f->mu), pthread_mutex_destroy(&f->drift_mu);
}

/* A context for target k: the fleet's configuration and graph, the
 * target's URL, out and errf given. */
static void member_ctx(struct fleet *f, uint32_t k, struct cli_ctx *tc, FILE *out, FILE *errf)
{
	cli_ctx_init_from(tc, f->c);
	tc->out = out;
	tc->errf = errf;
	tc->interactive = false;
	tc->fleet_member = true;
	tc->shared = true;
	tc->shown = f->c->shown;
	tc->database = target_of(f, k)->database;
	tc->cfg = f->c->cfg;
	tc->cfg_loaded = true;
	tc->versions_dir = f->c->versions_dir;
	tc->graph = f->c->graph;
	/* a copy of the parsed URL: the context frees its own */
	const struct db_url *u = &f->urls[k];
	tc->url = (struct db_url){u->backend, u->path ? xstrdup(u->path) : NULL,
	                          u->conninfo ? xstrdup(u->conninfo) : NULL,
	                          xstrdup(u->display), xstrdup(u->dbname), u->connect_timeout};
	tc->url_loaded = true;
}

static char *heads_text(char **heads, uint32_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", heads[i]);
	if (!n)
		sb_adds(&sb, "<base>");
	return sb_detach(&sb);
}

/* ---- a command on each target ---- */

/* Runs f->e on target k; the version table afterwards in m->now. */
static int run_member(void *ctx, uint32_t k)
{
	struct fleet *f = ctx;
	struct cli_ctx *c = f->c;
	struct member *m = &f->m[k];
	const char *name = target_of(f, k)->name;
	struct prefixer po, pe;
	/* --json: the target's JSON whole, gathered; else its lines prefixed */
	char *jbuf = NULL;
	size_t jlen = 0;
	FILE *out = c->json ? open_memstream(&jbuf, &jlen)
	                    : prefix_open(&po, &f->mu, c->out, name, f->width);
	FILE *errf = prefix_open(&pe, &f->mu, c->errf, name, f->width);
	if (!out || !errf) {
		if (out)
			fclose(out);
		if (errf)
			fclose(errf);
		free(jbuf);
		pthread_mutex_lock(&f->mu);
		fprintf(c->errf, "%-*s  cannot open its output stream\n", f->width, name);
		pthread_mutex_unlock(&f->mu);
		return m->rc = RT_EFAIL;
	}
	struct cli_ctx tc;
	member_ctx(f, k, &tc, out, errf);
	int rc = f->e->run(&tc, f->o, f->argc, f->argv);
	if (tc.graph != c->graph) {
		/* a command that loads the graph itself (check) loaded its own */
		graph_free(tc.graph);
		tc.graph = NULL;
	}
	if (tc.db && (f->e->needs & CMD_WRITES)) {
		char **heads = NULL;
		uint32_t n = 0;
		char *ignored = NULL;
		if (tc.db->ops->read_heads(tc.db, &heads, &n, &ignored) == RT_OK)
			m->now = heads_text(heads, n);
		db_strv_free(heads, n);
		free(ignored);
	}
	cli_ctx_free(&tc);
	fclose(out);
	fclose(errf);
	if (jbuf) {
		while (jlen && (jbuf[jlen - 1] == '\n' || jbuf[jlen - 1] == ' '))
			jbuf[--jlen] = '\0';
		sb_addn(&m->json, jbuf, jlen);
	}
	free(jbuf);
	m->rc = rc;
	return rc;
}

static const struct cmd_opt *find_opt(const struct cmd_entry *e, const char *name)
{
	for (const struct cmd_opt *o = e->opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* A whole number from min up, for --parallel and --canary. */
static int count_opt(const struct cli_opts *o, const char *name, int deflt, int min,
                     int *out, char **err)
{
	const char *v = cli_opt(o, name);
	*out = deflt;
	if (!v)
		return RT_OK;
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < min || n > 10000)
		return rt_err(err, RT_EUSAGE, "--%s takes a whole number from %d to 10000, not '%s'",
		              name, min, v);
	*out = (int)n;
	return RT_OK;
}

static void print_summary(struct fleet *f, const enum fleet_outcome *out, unsigned stop)
{
	struct cli_ctx *c = f->c;
	struct strbuf sb = STRBUF_INIT;
	uint32_t count[FLEET_INTERRUPTED + 1] = {0};
	for (uint32_t k = 0; k < f->n; k++)
		count[out[k]]++;
	if (c->json) {
		sb_adds(&sb, "{\"targets\":[");
		for (uint32_t k = 0; k < f->n; k++) {
			const struct config_target *t = target_of(f, k);
			sb_adds(&sb, k ? ",{\"name\":" : "{\"name\":");
			sb_add_json_str(&sb, t->name);
			out_json_str_or_null(&sb, "group", t->group);
			sb_adds(&sb, ",\"outcome\":");
			sb_add_json_str(&sb, fleet_outcome_word(out[k]));
			out_json_str_or_null(&sb, "current", f->m[k].now);
			sb_adds(&sb, ",\"result\":");
			sb_adds(&sb, f->m[k].json.len ? sb_str(&f->m[k].json) : "null");
			sb_adds(&sb, "}");
		}
		sb_addf(&sb, "],\"done\":%u,\"failed\":%u,\"interrupted\":%u,\"not_started\":%u}\n",
		        count[FLEET_DONE], count[FLEET_FAILED], count[FLEET_INTERRUPTED],
		        count[FLEET_NOT_STARTED]);
		fputs(sb_str(&sb), c->out);
		sb_free(&sb);
		return;
	}
	int gw = 5, ow = 7;
	for (uint32_t k = 0; k < f->n; k++) {
		const char *g = target_of(f, k)->group;
		if (g && (int)strlen(g) > gw)
			gw = (int)strlen(g);
		if ((int)strlen(fleet_outcome_word(out[k])) > ow)
			ow = (int)strlen(fleet_outcome_word(out[k]));
	}
	int nw = f->width > 6 ? f->width : 6;
	sb_addf(&sb, "\n%-*s  %-*s  %-*s  %s\n", nw, "TARGET", gw, "GROUP", ow, "OUTCOME", "CURRENT");
	for (uint32_t k = 0; k < f->n; k++) {
		const struct config_target *t = target_of(f, k);
		sb_addf(&sb, "%-*s  %-*s  %-*s  %s\n", nw, t->name, gw, t->group ? t->group : "-", ow,
		        fleet_outcome_word(out[k]), f->m[k].now ? f->m[k].now : "-");
	}
	sb_addf(&sb, "%u target%s: %u done, %u failed, %u interrupted, %u not started\n",
	        (unsigned)f->n, f->n == 1 ? "" : "s", count[FLEET_DONE], count[FLEET_FAILED],
	        count[FLEET_INTERRUPTED], count[FLEET_NOT_STARTED]);
	if (stop & FLEET_STOP_CANARY)
		sb_adds(&sb, "A canary failed: no other target was started.\n");
	else if (stop & FLEET_STOP_SIGNAL)
		sb_adds(&sb, "Interrupted: no new target was started; those running finished their "
		        "current step.\n");
	else if ((stop & FLEET_STOP_FAILURE) && count[FLEET_NOT_STARTED])
		sb_adds(&sb, "A target failed: no new target was started (--keep-going goes on past "
		        "a failure).\n");
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

/* The run's revisions that do not depend on a database's state (an id, a
 * label, head, heads, base: not current, not a step from it) resolve on
 * the one graph every target shares, before any target starts: an unknown
 * one is bad input for all of them, and no database is opened. */
static int revisions_known(const struct fleet *f, char **err)
{
	if (!f->c->graph)
		return RT_OK;  /* each target says why the history does not load */
	struct spec_ctx sc = {f->c->graph, NULL, 0, false};
	for (int i = 1; i < f->argc; i++) {
		const char *a = f->argv[i];
		if (strchr(a, ':') || spec_mentions_current(a))
			continue;
		struct revset r = {0};
		int rc = spec_resolve(&sc, a, &r, err);
		revset_free(&r);
		if (rc != RT_OK)
			return rc;
	}
	return RT_OK;
}

/* A --confirm-database given to a fleet run names every target's
 * database (a comma-separated list), or the run does nothing: naming some
 * of them says the others were not meant. */
static int confirm_covers(const struct fleet *f, char **err)
{
	const char *named = f->o && find_opt(f->e, "confirm-database") ? cli_opt(f->o, "confirm-database")
	                                                                : NULL;
	if (!named)
		return RT_OK;
	struct strbuf missing = STRBUF_INIT;
	uint32_t nmissing = 0;
	for (uint32_t k = 0; k < f->n; k++) {
		if (policy_names_ok(named, f->urls[k].dbname))
			continue;
		sb_addf(&missing, "%s%s (database %s)", nmissing++ ? ", " : "", target_of(f, k)->name,
		        f->urls[k].dbname);
	}
	int rc = RT_OK;
	if (nmissing)
		rc = rt_err(err, RT_EUSAGE, "retort %s: --confirm-database '%s' does not name the "
		            "database of %s %s: a fleet run names every target's database, "
		            "comma-separated; nothing was done",
		            f->e->name, named, nmissing == 1 ? "target" : "targets", sb_str(&missing));
	sb_free(&missing);
	return rc;
}

int cli_fleet_each(struct cli_ctx *c, const struct cmd_entry *e, const struct cli_opts *o,
                   int argc, char **argv)
{
	struct fleet f;
	char *err = NULL;
	int rc = fleet_init(&f, c, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	/* the targets share one graph; a command that reports a damaged one
	 * (check) loads it on each target and says so there */
	if (!c->graph) {
		char *gerr = NULL;
		cli_graph(c, &gerr);
		free(gerr);
	}
	f.e = e;
	f.o = o;
	f.argc = argc;
	f.argv = argv;
	/* a fleet run: the commands that write and schedule (upgrade,
	 * downgrade, stamp); the others one target after the other */
	bool run = find_opt(e, "parallel") != NULL;
	struct fleet_sched s = {f.n, 1, 0, true, run_member, &f};
	int canary = 0;
	if (run) {
		rc = count_opt(o, "parallel", FLEET_DEFAULT_PARALLEL, 1, &s.parallel, &err);
		if (rc == RT_OK)
			rc = count_opt(o, "canary", 0, 1, &canary, &err);
		s.canary = (uint32_t)canary;
		s.keep_going = cli_flag(o, "keep-going");
	}
	if (rc == RT_OK)
		rc = parse_urls(&f, &err);
	if (rc == RT_OK && run)
		rc = confirm_covers(&f, &err);
	if (rc == RT_OK && run)
		rc = revisions_known(&f, &err);
	if (rc != RT_OK) {
		fleet_free(&f);
		return cli_report(c, rc, err);
	}
	enum fleet_outcome *out = xcalloc(f.n + 1, sizeof(*out));
	unsigned stop = fleet_schedule(&s, out);
	if (run) {
		print_summary(&f, out, stop);
	} else if (c->json) {
		/* a JSON line per target: its name and the command's own JSON */
		for (uint32_t k = 0; k < f.n; k++) {
			struct strbuf sb = STRBUF_INIT;
			sb_adds(&sb, "{\"target\":");
			sb_add_json_str(&sb, target_of(&f, k)->name);
			sb_addf(&sb, ",\"status\":%d,\"output\":%s}\n", rt_status_exit(f.m[k].rc),
			        f.m[k].json.len ? sb_str(&f.m[k].json) : "null");
			fputs(sb_str(&sb), c->out);
			sb_free(&sb);
		}
	}
	rc = RT_OK;
	for (uint32_t k = 0; k < f.n; k++) {
		if (out[k] == FLEET_INTERRUPTED || (out[k] == FLEET_NOT_STARTED && (stop & FLEET_STOP_SIGNAL)))
			rc = RT_EINTR;
		else if (f.m[k].rc != RT_OK && rc == RT_OK)
			/* bad input (an unknown revision) stays bad input: exit 2 */
			rc = run && f.m[k].rc != RT_EINPUT && f.m[k].rc != RT_EUSAGE ? RT_EFAIL
			                                                              : f.m[k].rc;
	}
	if (rc == RT_OK && (stop & FLEET_STOP_SIGNAL))
		rc = RT_EINTR;
	free(out);
	fleet_free(&f);
	return rc;
}

/* ---- `retort fleet` ---- */

#define PROBE_STATE_LIST                 \
	X(PROBE_UP_TO_DATE, "up to date") \
	X(PROBE_BEHIND, "behind")         \
	X(PROBE_AHEAD, "ahead")           \
	X(PROBE_DRIFT, "drift")           \
	X(PROBE_LOCKED, "locked")         \
	X(PROBE_UNREACHABLE, "unreachable")
#define X(name, word) name,
enum probe_state { PROBE_STATE_LIST };
#undef X
#define X(name, word) [name] = word,
static const char *const probe_words[] = {PROBE_STATE_LIST};
#undef X

/* How many revisions the version table's rows leave unapplied. */
static uint32_t pending_of(const struct graph *g, char **heads, uint32_t n, bool *unknown)
{
	struct bitset applied;
	bitset_init(&applied, g->n);
	*unknown = false;
	for (uint32_t i = 0; i < n; i++) {
		int32_t x = graph_find(g, heads[i]);
		if (x < 0)
			*unknown = true;
		else if (!bitset_get(&applied, (uint32_t)x))
			graph_ancestors(g, (uint32_t)x, true, &applied);
	}
	uint32_t pending = 0;
	for (uint32_t r = 0; r < g->n; r++)
		pending += !bitset_get(&applied, r);
	bitset_free(&applied);
	return pending;
}

/* The first line of a message, for a table's cell. */
static char *first_line(const char *s)
{
	return xstrndup(s, strcspn(s, "\n"));
}

static int probe_member(void *ctx, uint32_t k)
{
	struct fleet *f = ctx;
	struct fleet_probe *p = &f->m[k].probe;
	struct cli_ctx tc;
	member_ctx(f, k, &tc, f->c->out, f->c->errf);
	/* reading a SQLite file a migration is writing waits a little only */
	struct db_wait busy = {FLEET_BUSY_WAIT, NULL, NULL, NULL};
	tc.busy_wait = &busy;
	char *err = NULL;
	int rc = cli_db_read(&tc, &err);
	if (rc != RT_OK) {
		p->state = PROBE_UNREACHABLE;
		p->detail = first_line(err ? err : "cannot connect");
		goto out;
	}
	char *holder = NULL;
	if (tc.db->ops->lock_holder(tc.db, &holder, &err) == RT_OK && holder) {
		p->state = PROBE_LOCKED;
		p->detail = holder;
	}
	free(err);
	err = NULL;
	rc = tc.db->ops->read_heads(tc.db, &p->heads, &p->nheads, &err);
	if (rc != RT_OK) {
		if (p->state != PROBE_LOCKED) {
			p->state = PROBE_UNREACHABLE;
			free(p->detail);
			p->detail = first_line(err ? err : "cannot read the version table");
		}
		goto out;
	}
	bool unknown;
	p->pending = pending_of(tc.graph, p->heads, p->nheads, &unknown);
	if (p->state == PROBE_LOCKED)
		goto out;
	if (unknown) {
		p->state = PROBE_AHEAD;
		struct strbuf sb = STRBUF_INIT;
		for (uint32_t i = 0; i < p->nheads; i++)
			if (graph_find(tc.graph, p->heads[i]) < 0)
				sb_addf(&sb, "%s%s", sb.len ? " " : "no script defines ", p->heads[i]);
		p->detail = sb_detach(&sb);
		goto out;
	}
	p->state = p->pending ? PROBE_BEHIND : PROBE_UP_TO_DATE;
	if (tc.cfg.schema) {
		/* one replay at a time: each builds a scratch database */
		struct schema_live lv;
		struct schema_drift_result drift = {0};
		pthread_mutex_lock(&f->drift_mu);
		int d = cli_schema_live(&tc, &lv, &err);
		if (d == RT_OK)
			d = schema_drift(&lv, tc.graph, tc.cfg.schema, &drift, NULL, NULL, &err);
		pthread_mutex_unlock(&f->drift_mu);
		if (d == RT_OK && drift.count) {
			p->state = PROBE_DRIFT;
			/* the first difference, without "drift: ": the state says it */
			const char *against;
			const struct schema_delta *x = schema_drift_at(&drift, 0, &against);
			struct strbuf first = STRBUF_INIT;
			schema_delta_text(x, "in the database", against, &first);
			p->detail = first_line(sb_str(&first));
			sb_free(&first);
		} else if (d != RT_OK) {
			p->detail = xasprintf("drift not checked: %s", err ? err : "failed");
			char *one = first_line(p->detail);
			free(p->detail);
			p->detail = one;
		}
		schema_drift_result_free(&drift);
	}
out:
	free(err);
	cli_ctx_free(&tc);
	return RT_OK;
}

static const char *backend_word(enum db_backend b)
{
	return b == DB_POSTGRES ? "postgresql" : "sqlite";
}

int cli_fleet_probe(struct cli_ctx *c, int parallel, int connect_timeout,
                    struct cli_fleet_row **rows, uint32_t *n, char **err)
{
	struct fleet f;
	int rc = cli_graph(c, err);
	if (rc == RT_OK)
		rc = fleet_init(&f, c, err);
	if (rc != RT_OK)
		return rc;
	f.connect_timeout = connect_timeout;
	rc = parse_urls(&f, err);
	if (rc != RT_OK) {
		fleet_free(&f);
		return rc;
	}
	struct fleet_sched s = {f.n, parallel, 0, true, probe_member, &f};
	enum fleet_outcome *out = xcalloc(f.n + 1, sizeof(*out));
	fleet_schedule(&s, out);
	free(out);
	struct cli_fleet_row *v = xcalloc(f.n + 1, sizeof(*v));
	for (uint32_t k = 0; k < f.n; k++) {
		const struct config_target *t = target_of(&f, k);
		struct fleet_probe *p = &f.m[k].probe;
		v[k] = (struct cli_fleet_row){t->name, t->group, t->database,
		                              xstrdup(f.urls[k].display),
		                              backend_word(f.urls[k].backend), probe_words[p->state],
		                              p->state != PROBE_UNREACHABLE,
		                              p->state == PROBE_UNREACHABLE || p->state == PROBE_DRIFT,
		                              p->heads, p->nheads, p->pending, p->detail};
		p->heads = NULL;
		p->nheads = 0;
		p->detail = NULL;
	}
	fleet_free(&f);
	*rows = v;
	*n = f.n;
	return RT_OK;
}

void cli_fleet_rows_free(struct cli_fleet_row *rows, uint32_t n)
{
	for (uint32_t k = 0; k < n && rows; k++) {
		free(rows[k].display);
		db_strv_free(rows[k].heads, rows[k].nheads);
		free(rows[k].detail);
	}
	free(rows);
}

static void print_fleet_json(struct cli_ctx *c, const struct cli_fleet_row *rows, uint32_t n)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "{\"targets\":[");
	for (uint32_t k = 0; k < n; k++) {
		const struct cli_fleet_row *r = &rows[k];
		sb_adds(&sb, k ? ",{\"name\":" : "{\"name\":");
		sb_add_json_str(&sb, r->name);
		out_json_str_or_null(&sb, "group", r->group);
		sb_addf(&sb, ",\"backend\":\"%s\",\"database\":", r->backend);
		sb_add_json_str(&sb, r->display);
		sb_adds(&sb, ",\"current\":");
		if (!r->reachable) {
			sb_adds(&sb, "null,\"pending\":null");
		} else {
			sb_addc(&sb, '[');
			for (uint32_t i = 0; i < r->nheads; i++) {
				if (i)
					sb_addc(&sb, ',');
				sb_add_json_str(&sb, r->heads[i]);
			}
			sb_addf(&sb, "],\"pending\":%u", (unsigned)r->pending);
		}
		sb_addf(&sb, ",\"state\":\"%s\"", r->state);
		out_json_str_or_null(&sb, "detail", r->detail);
		sb_adds(&sb, "}");
	}
	sb_adds(&sb, "]}\n");
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

void cli_fleet_row_text(const struct cli_fleet_row *r, char **current, char **state)
{
	*current = r->reachable ? heads_text(r->heads, r->nheads) : xstrdup("?");
	*state = r->detail ? xasprintf(strcmp(r->state, "locked") == 0 ? "%s by %s" : "%s: %s",
	                               r->state, r->detail)
	                   : xstrdup(r->state);
}

static void print_fleet_table(struct cli_ctx *c, const struct cli_fleet_row *rows, uint32_t n)
{
	int nw = 6, gw = 5, cw = 7;
	char **cur = xcalloc(n + 1, sizeof(*cur)), **state = xcalloc(n + 1, sizeof(*state));
	for (uint32_t k = 0; k < n; k++) {
		const struct cli_fleet_row *r = &rows[k];
		cli_fleet_row_text(r, &cur[k], &state[k]);
		if ((int)strlen(r->name) > nw)
			nw = (int)strlen(r->name);
		if (r->group && (int)strlen(r->group) > gw)
			gw = (int)strlen(r->group);
		if ((int)strlen(cur[k]) > cw)
			cw = (int)strlen(cur[k]);
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "%-*s  %-*s  %-10s  %-*s  %7s  %s\n", nw, "TARGET", gw, "GROUP", "BACKEND", cw,
	        "CURRENT", "PENDING", "STATE");
	for (uint32_t k = 0; k < n; k++) {
		const struct cli_fleet_row *r = &rows[k];
		char pending[16];
		snprintf(pending, sizeof pending, "%u", (unsigned)r->pending);
		sb_addf(&sb, "%-*s  %-*s  %-10s  %-*s  %7s  %s\n", nw, r->name, gw,
		        r->group ? r->group : "-", r->backend, cw, cur[k],
		        r->reachable ? pending : "?", state[k]);
		free(cur[k]);
		free(state[k]);
	}
	free(cur);
	free(state);
	fputs(sb_str(&sb), c->out);
	sb_free(&sb);
}

static int run_fleet(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(c->errf, "retort fleet: unexpected argument '%s'\n", argv[1]);
		return RT_EUSAGE;
	}
	char *err = NULL;
	int parallel = 0, timeout = 0;
	int rc = count_opt(opts, "parallel", 16, 1, &parallel, &err);
	if (rc == RT_OK)
		rc = count_opt(opts, "connect-timeout", FLEET_CONNECT_TIMEOUT, 1, &timeout, &err);
	struct cli_fleet_row *rows = NULL;
	uint32_t n = 0;
	if (rc == RT_OK)
		rc = cli_fleet_probe(c, parallel, timeout, &rows, &n, &err);
	if (rc != RT_OK)
		return cli_report(c, rc, err);
	if (c->json)
		print_fleet_json(c, rows, n);
	else
		print_fleet_table(c, rows, n);
	/* a target that cannot be reached, or that drifted, needs someone */
	rc = RT_OK;
	for (uint32_t k = 0; k < n; k++)
		if (rows[k].attention)
			rc = RT_EFOUND;
	cli_fleet_rows_free(rows, n);
	return rc;
}

static const struct cmd_opt fleet_opts[] = {
	{"parallel", 0, "N", "connect to N targets at a time (default 16)"},
	{"connect-timeout", 0, "SECONDS", "take a server that has not answered by then for unreachable (default 5)"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_fleet = {
	"fleet", NULL, "show where each target of the fleet is (--target, default all)",
	fleet_opts, CMD_NEEDS_GRAPH | CMD_OWN_TARGETS, run_fleet,
};
