/* fleetview.c: the console's fleet view (F): each target of retort.ini
 * with its current revision, pending count and state, as `retort fleet`
 * reads them (cli_fleet_probe). Enter makes the selected target the
 * console's database; u, d and s act on every target of the view: one
 * plan per distinct starting state in the preview, one confirmation, then
 * the fleet run of the command line (cli_run with --target all). */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "plan.h"
#include "run.h"

struct fleet_view {
	struct console *con;
	struct cli_fleet_row *rows;
	uint32_t n;
	uint32_t cur, top;
	char *error;                /* why the fleet could not be read */
};

/* How long a target's server may take to answer in the view. */
#define VIEW_CONNECT_TIMEOUT 3
#define VIEW_PARALLEL 16

static void load(struct fleet_view *fv)
{
	cli_fleet_rows_free(fv->rows, fv->n);
	fv->rows = NULL;
	fv->n = 0;
	free(fv->error);
	fv->error = NULL;
	dialog_progress(fv->con, "Fleet", "Reading every target…", 0, 1, NULL);
	doupdate();
	char *err = NULL;
	if (cli_fleet_probe(fv->con->c, VIEW_PARALLEL, VIEW_CONNECT_TIMEOUT, &fv->rows, &fv->n,
	                    &err) != RT_OK)
		fv->error = err ? err : xstrdup("the fleet could not be read");
	else
		free(err);
	if (fv->cur >= fv->n)
		fv->cur = fv->n ? fv->n - 1 : 0;
}

static void draw(struct fleet_view *fv)
{
	struct console *con = fv->con;
	console_draw(con);
	WINDOW *win = newwin(LINES, COLS, 0, 0);
	if (!win) {
		doupdate();
		return;
	}
	werase(win);
	struct pen p;
	pen_start(&p, win, 0, 0, COLS, A_NORMAL);
	char *title = xasprintf(" Fleet: %u target%s", (unsigned)fv->n, fv->n == 1 ? "" : "s");
	pen_text(&p, theme_attr(THEME_TITLE), title);
	pen_fill(&p, theme_attr(THEME_TITLE));
	free(title);
	if (fv->error) {
		pen_start(&p, win, 2, 1, COLS - 1, A_NORMAL);
		pen_textn(&p, theme_attr(THEME_ERROR), fv->error, strcspn(fv->error, "\n"));
	}
	int nw = 6, gw = 5, cw = 7;
	char **cur = xcalloc(fv->n + 1, sizeof(*cur)), **state = xcalloc(fv->n + 1, sizeof(*state));
	for (uint32_t k = 0; k < fv->n; k++) {
		const struct cli_fleet_row *r = &fv->rows[k];
		cli_fleet_row_text(r, &cur[k], &state[k]);
		nw = (int)strlen(r->name) > nw ? (int)strlen(r->name) : nw;
		gw = r->group && (int)strlen(r->group) > gw ? (int)strlen(r->group) : gw;
		cw = (int)strlen(cur[k]) > cw ? (int)strlen(cur[k]) : cw;
	}
	int height = LINES - 3;  /* title, header, hint */
	if (height < 1)
		height = 1;
	if (fv->cur < fv->top)
		fv->top = fv->cur;
	if (fv->cur >= fv->top + (uint32_t)height)
		fv->top = fv->cur - (uint32_t)height + 1;
	char line[512];
	if (!fv->error) {
		snprintf(line, sizeof line, "%-*s  %-*s  %-10s  %-*s  %7s  %s", nw, "TARGET", gw,
		         "GROUP", "BACKEND", cw, "CURRENT", "PENDING", "STATE");
		pen_start(&p, win, 1, 1, COLS - 1, A_NORMAL);
		pen_text(&p, theme_attr(THEME_HEADING), line);
	}
	for (uint32_t k = fv->top; k < fv->n && k < fv->top + (uint32_t)height; k++) {
		const struct cli_fleet_row *r = &fv->rows[k];
		char pending[16];
		snprintf(pending, sizeof pending, "%u", (unsigned)r->pending);
		snprintf(line, sizeof line, "%-*s  %-*s  %-10s  %-*s  %7s  ", nw, r->name, gw,
		         r->group ? r->group : "-", r->backend, cw, cur[k], r->reachable ? pending : "?");
		attr_t sel = k == fv->cur ? A_REVERSE : A_NORMAL;
		pen_start(&p, win, 2 + (int)(k - fv->top), 1, COLS - 1, sel);
		pen_text(&p, A_NORMAL, line);
		enum theme_role role = r->attention ? THEME_ERROR
		                       : strcmp(r->state, "up to date") == 0 ? THEME_APPLIED
		                                                            : THEME_WARNING;
		pen_text(&p, theme_attr(role), state[k]);
		pen_fill(&p, A_NORMAL);
	}
	for (uint32_t k = 0; k < fv->n; k++) {
		free(cur[k]);
		free(state[k]);
	}
	free(cur);
	free(state);
	int64_t sel = graph_selected(con);
	const char *rev = sel >= 0 && con->m.g ? con->m.g->nodes[sel].s.rev : "?";
	char *hint = xasprintf("Enter: use as the database  u/d/s: upgrade/downgrade/stamp all to %s"
	                       "  r: read again  q: back", rev);
	pen_start(&p, win, LINES - 1, 0, COLS, A_NORMAL);
	pen_text(&p, theme_attr(THEME_STATUS), hint);
	pen_fill(&p, theme_attr(THEME_STATUS));
	free(hint);
	wnoutrefresh(win);
	delwin(win);
	doupdate();
}

/* Enter: the console works on the selected target's database from now on
 * (as if it had been started with --database URL). */
static void use_target(struct fleet_view *fv)
{
	struct console *con = fv->con;
	const struct cli_fleet_row *r = &fv->rows[fv->cur];
	struct cli_ctx *c = con->c;
	free(con->fleet_database);
	con->fleet_database = xstrdup(r->database);
	cli_db_drop(c);
	if (c->url_loaded)
		url_free(&c->url);
	c->url_loaded = false;
	c->database = con->fleet_database;
	console_reload(con, NULL);
	console_message(con, THEME_NORMAL, "The console's database is now target %s (%s)", r->name,
	                r->display);
}

/* The version table's rows, as a key for grouping targets by where they
 * start: sorted, space-separated. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *state_key(const struct cli_fleet_row *r)
{
	char **v = xcalloc(r->nheads + 1, sizeof(*v));
	memcpy(v, r->heads, r->nheads * sizeof(*v));
	qsort(v, r->nheads, sizeof(*v), cmp_str);
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < r->nheads; i++)
		sb_addf(&sb, "%s%s", i ? " " : "", v[i]);
	free(v);
	return sb_detach(&sb);
}

/* The plans for every target of the view to rev: one per distinct
 * starting state, with the targets that start there. *runnable: targets
 * with steps to run. */
static void plans_text(struct fleet_view *fv, enum plan_kind kind, uint32_t rev,
                       struct strbuf *sb, uint32_t *runnable, struct cli_shown *shown)
{
	const struct graph *g = fv->con->m.g;
	bool *done = xcalloc(fv->n + 1, sizeof(*done));
	*runnable = 0;
	for (uint32_t k = 0; k < fv->n; k++) {
		if (done[k] || !fv->rows[k].reachable)
			continue;
		char *key = state_key(&fv->rows[k]);
		struct strbuf names = STRBUF_INIT;
		uint32_t count = 0;
		for (uint32_t j = k; j < fv->n; j++) {
			if (done[j] || !fv->rows[j].reachable)
				continue;
			char *other = state_key(&fv->rows[j]);
			if (strcmp(key, other) == 0) {
				done[j] = true;
				count++;
				sb_addf(&names, "%s%s", names.len ? ", " : "", fv->rows[j].name);
			}
			free(other);
		}
		sb_addf(sb, "From %s: %u target%s (%s)\n", *key ? key : "<base>", (unsigned)count,
		        count == 1 ? "" : "s", sb_str(&names));
		struct revset target = {&rev, 1, false, NULL, 0};
		struct plan *p = NULL;
		char *err = NULL;
		const struct cli_fleet_row *r = &fv->rows[k];
		if (plan_build(g, kind, (const char *const *)r->heads, r->nheads, &target, false, &p,
		               &err) != RT_OK) {
			sb_addf(sb, "  cannot %s: %s\n", plan_kind_word(kind), err ? err : "no plan");
		} else if (p->n == 0) {
			sb_adds(sb, "  nothing to do: already there\n");
		} else {
			*runnable += count;
		}
		struct run_expect *e = NULL;
		if (p && run_expect_make(g, p, &e, NULL) == RT_OK) {
			/* what each target starting there may run: this plan */
			shown->v = xrealloc(shown->v, (shown->n + 1) * sizeof(*shown->v));
			shown->v[shown->n++] = (struct cli_shown_plan){xstrdup(key), e};
		}
		if (p && p->n) {
			for (uint32_t i = 0; i < p->n; i++) {
				sb_addf(sb, "  %s ", plan_kind_word(p->steps[i].dir));
				run_step_title(g, &p->steps[i], sb);
				sb_addc(sb, '\n');
			}
		}
		sb_addc(sb, '\n');
		plan_free(p);
		free(err);
		sb_free(&names);
		free(key);
	}
	struct strbuf lost = STRBUF_INIT;
	for (uint32_t k = 0; k < fv->n; k++)
		if (!fv->rows[k].reachable)
			sb_addf(&lost, "%s%s", lost.len ? ", " : "", fv->rows[k].name);
	if (lost.len)
		sb_addf(sb, "Unreachable now (no plan shown for them: each runs nothing unless it "
		        "answers by then in one of the states above): %s\n", sb_str(&lost));
	sb_free(&lost);
	free(done);
}

/* u, d, s: every target of the view to the revision selected in the
 * graph, after one confirmation; the result in a message box. */
static void act_on_all(struct fleet_view *fv, enum plan_kind kind)
{
	struct console *con = fv->con;
	int64_t sel = graph_selected(con);
	if (!con->m.g || sel < 0) {
		console_message(con, THEME_WARNING, "No revision selected in the graph");
		return;
	}
	uint32_t rev = (uint32_t)sel;
	const char *id = con->m.g->nodes[rev].s.rev;
	struct strbuf sb = STRBUF_INIT;
	uint32_t runnable = 0;
	struct cli_shown shown = {0};
	plans_text(fv, kind, rev, &sb, &runnable, &shown);
	char *tab = xasprintf("Fleet: %s to %.12s", plan_kind_word(kind), id);
	preview_show_text(con, tab, sb_str(&sb));
	char *question = xasprintf("%s %u target%s of the fleet to %s (the plans: one per starting "
	                           "state)? [y/N]  j/k: scroll", plan_kind_title(kind),
	                           (unsigned)fv->n, fv->n == 1 ? "" : "s", id);
	bool yes = action_confirm_preview(con, question);
	preview_set_mode(con, con->last_mode);
	free(question);
	free(tab);
	sb_free(&sb);
	if (!yes) {
		console_message(con, THEME_NORMAL, "Cancelled: nothing was done");
		cli_shown_free(&shown);
		return;
	}
	char *title = xasprintf("%s the fleet to %s", plan_kind_title(kind), id);
	dialog_progress(con, title, "Running on every target…", 0, 1, "Ctrl-C: no new target");
	doupdate();
	char *argv[] = {(char *)plan_kind_word(kind), (char *)"--target", (char *)"all",
	                (char *)id, NULL};
	char *out = NULL, *errs = NULL;
	/* the targets name their own databases: not the console's */
	const char *database = con->c->database;
	con->c->database = NULL;
	/* each target runs only the plan shown for the state it is in */
	con->c->shown = &shown;
	enum rt_status rc = action_run_captured(con, argv, 4, &out, &errs);
	con->c->shown = NULL;
	con->c->database = database;
	cli_shown_free(&shown);
	char *text = xasprintf("%s%s%s", errs && *errs ? errs : "", errs && *errs ? "\n" : "",
	                       out ? out : "");
	console_reload(con, NULL);
	dialog_message(con, title, text, rc == RT_OK ? THEME_HEADING : THEME_ERROR);
	free(text);
	free(out);
	free(errs);
	free(title);
	load(fv);
}

void fleet_view(struct console *con)
{
	struct fleet_view fv = {.con = con};
	load(&fv);
	for (;;) {
		draw(&fv);
		bool fn;
		int key = console_getkey(con, &fn);
		if (fn && key == KEY_RESIZE)
			continue;
		if (key < 0 || (!fn && key == 27))
			break;
		enum request r = keys_request(key);
		uint32_t page = LINES > 4 ? (uint32_t)LINES - 4 : 1;
		if (r == REQ_QUIT || r == REQ_FLEET)
			break;
		else if (r == REQ_MOVE_DOWN && fv.cur + 1 < fv.n)
			fv.cur++;
		else if (r == REQ_MOVE_UP && fv.cur > 0)
			fv.cur--;
		else if (r == REQ_PAGE_DOWN)
			fv.cur = fv.cur + page < fv.n ? fv.cur + page : (fv.n ? fv.n - 1 : 0);
		else if (r == REQ_PAGE_UP)
			fv.cur = fv.cur > page ? fv.cur - page : 0;
		else if (r == REQ_MOVE_FIRST)
			fv.cur = 0;
		else if (r == REQ_MOVE_LAST)
			fv.cur = fv.n ? fv.n - 1 : 0;
		else if (r == REQ_RELOAD)
			load(&fv);
		else if (r == REQ_ENTER && fv.n) {
			use_target(&fv);
			break;
		} else if (r == REQ_UPGRADE || r == REQ_DOWNGRADE || r == REQ_STAMP) {
			enum plan_kind kind = r == REQ_UPGRADE ? PLAN_UPGRADE
			                      : r == REQ_DOWNGRADE ? PLAN_DOWNGRADE : PLAN_STAMP;
			act_on_all(&fv, kind);
		}
	}
	cli_fleet_rows_free(fv.rows, fv.n);
	free(fv.error);
}
