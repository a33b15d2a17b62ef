/* preview.c: the preview pane: the selected revision's upgrade SQL,
 * downgrade SQL or details, or the plan of an action with every step's SQL. */
#include <stdlib.h>
#include <string.h>

#include "alembic.h"
#include "console.h"
#include "run.h"

static const char *const tab_names[] = {"1 Upgrade SQL", "2 Downgrade SQL", "3 Details"};

static enum sql_dialect dialect(const struct console *con)
{
	const struct cli_ctx *c = con->c;
	return c->url_loaded && c->url.backend == DB_POSTGRES ? SQL_POSTGRES : SQL_SQLITE;
}

void preview_add_section(struct console *con, struct doc *d, uint32_t rev,
                         enum script_section which)
{
	const struct script *s = &con->m.g->nodes[rev].s;
	const struct script_format *fmt = script_format_of(s);
	bool python = strcmp(fmt->lang, "python") == 0;
	doc_addf(d, THEME_COMMENT, "%s %s\n", python ? "#" : "--", s->path);
	if (which == SCRIPT_DOWNGRADE && !s->has_downgrade) {
		doc_addf(d, THEME_WARNING, "Irreversible: the script has no '%s' section, so a "
		         "downgrade through it fails before anything runs.\n",
		         fmt->section_title[SCRIPT_DOWNGRADE]);
		return;
	}
	struct script_now now;
	char *err = NULL;
	if (script_reread(s, &now, &err) != RT_OK) {
		doc_addf(d, THEME_ERROR, "%s\n", err ? err : "cannot read the script");
		free(err);
		return;
	}
	size_t len;
	uint32_t line;
	const char *sql = script_now_section(&now, which, &len, &line);
	size_t blank = 0;
	while (blank < len && (sql[blank] == ' ' || sql[blank] == '\t' || sql[blank] == '\r' ||
	                       sql[blank] == '\n'))
		blank++;
	if (blank == len)
		doc_add(d, THEME_COMMENT, python ? "# (no such function)\n" : "-- (empty: no SQL runs)\n");
	else if (python)
		doc_add_python(d, sql, len, line);
	else
		doc_add_sql(d, sql, len, dialect(con), line);
	script_now_free(&now);
}

static void add_field(struct doc *d, const char *name)
{
	doc_addf(d, THEME_HEADING, "%-12s", name);
	doc_add(d, THEME_NORMAL, " ");
}

/* "name  rev  message" lines for a list of revisions. */
static void add_revs(struct doc *d, const struct graph *g, const char *name,
                     const uint32_t *revs, uint32_t n)
{
	if (n == 0)
		return;
	for (uint32_t i = 0; i < n; i++) {
		if (i == 0)
			add_field(d, name);
		else
			doc_add(d, THEME_NORMAL, "             ");
		doc_addf(d, THEME_ID, "%s", g->nodes[revs[i]].s.rev);
		doc_addf(d, THEME_NORMAL, "  %s\n", g->nodes[revs[i]].s.message);
	}
}

static void add_ledger(struct doc *d, const struct history_row *rows, uint32_t n)
{
	add_field(d, "Ledger");
	if (n == 0)
		doc_add(d, THEME_NORMAL, "no entries for this revision\n");
	else
		doc_addf(d, THEME_NORMAL, "%u entr%s, oldest first\n", n, n == 1 ? "y" : "ies");
	for (uint32_t i = 0; i < n; i++) {
		const struct history_row *r = &rows[i];
		bool ok = history_outcome(r) == HISTORY_OK;
		doc_addf(d, THEME_DATE, "  %.19s", r->started_at);
		doc_addf(d, ok ? THEME_NORMAL : THEME_ERROR, "  %-9s %-6s", r->direction, r->outcome);
		doc_addf(d, THEME_NORMAL, " %8.1f ms  by %s@%s", r->duration_ms,
		         r->os_user ? r->os_user : "?", r->host ? r->host : "?");
		if (r->db_user)
			doc_addf(d, THEME_NORMAL, " (database user %s)", r->db_user);
		doc_add(d, THEME_NORMAL, "\n");
		if (r->error)
			doc_addf(d, THEME_ERROR, "      line %lld: %s\n", (long long)r->error_line, r->error);
	}
}

static void add_state(struct console *con, uint32_t rev)
{
	struct doc *d = &con->doc;
	struct model *m = &con->m;
	const char *id = m->g->nodes[rev].s.rev;
	add_field(d, "State");
	if (!m->have_db) {
		doc_add(d, THEME_NORMAL, m->db_configured ? "unknown: the database could not be read\n"
		                                          : "unknown: no database configured\n");
		return;
	}
	bool applied = bitset_get(&m->applied, rev);
	const struct inspect_open *open = model_open(m, rev);
	if (open) {
		struct strbuf sb = STRBUF_INIT;
		inspect_open_brief(open, &sb);
		doc_addf(d, THEME_ERROR, "%s (Transaction: none)\n", sb_str(&sb));
		sb_reset(&sb);
		inspect_open_describe(open, &sb);
		if (open->state != OPEN_RUNNING) {
			sb_addc(&sb, ' ');
			inspect_open_way_out(open, &sb);
		}
		doc_add_wrapped(d, THEME_ERROR, sb_str(&sb), con->preview.width > 20
		                                              ? con->preview.width - 2 : 60);
		doc_add(d, THEME_NORMAL, "\n");
		sb_free(&sb);
		add_field(d, "Version");
	}
	doc_addf(d, applied ? THEME_APPLIED : THEME_PENDING, "%s%s\n",
	         applied ? "applied" : "pending",
	         bitset_get(&m->current, rev) ? " (current: in the version table)" : "");
	add_field(d, "Checksum");
	switch (model_checksum(m, rev)) {
	case CS_SAME:
		doc_add(d, THEME_NORMAL, "the file matches the ledger\n");
		break;
	case CS_CHANGED:
		doc_addf(d, THEME_CHANGED, "changed since it was applied: revert the edit, or "
		         "accept it with ':repair %s'\n", id);
		break;
	case CS_UNREADABLE:
		doc_add(d, THEME_ERROR, "the file cannot be read\n");
		break;
	default:
		doc_add(d, THEME_NORMAL, applied ? "not recorded in the ledger\n" : "-\n");
		break;
	}
	uint32_t n;
	const struct history_row *rows = model_ledger(m, rev, &n);
	add_ledger(d, rows, n);
}

static void add_details(struct console *con, uint32_t rev)
{
	struct doc *d = &con->doc;
	const struct graph *g = con->m.g;
	const struct gnode *x = &g->nodes[rev];
	const struct script *s = &x->s;
	doc_addf(d, THEME_ID, "%s", s->rev);
	doc_addf(d, THEME_HEADING, "  %s\n\n", s->message);
	add_field(d, "File");
	doc_addf(d, THEME_NORMAL, "%s\n", s->path);
	add_field(d, "Created");
	doc_addf(d, THEME_DATE, "%s\n", s->create_date ? s->create_date : "-");
	add_revs(d, g, "Parents", x->parents, x->nparents);
	if (x->nparents == 0) {
		add_field(d, "Parents");
		doc_add(d, THEME_NORMAL, "none: a base\n");
	}
	add_revs(d, g, "Children", x->children, x->nchildren);
	add_revs(d, g, "Depends on", x->deps, x->ndeps);
	add_revs(d, g, "Needed by", x->dependents, x->ndependents);
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t i = 0; i < s->nlabels; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", s->labels[i]);
	if (sb.len) {
		add_field(d, "Labels");
		doc_addf(d, THEME_LABEL, "%s\n", sb_str(&sb));
	}
	sb_reset(&sb);
	for (uint32_t i = 0; i < x->nbranch; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", x->branch[i]);
	if (sb.len) {
		add_field(d, "Branches");
		doc_addf(d, THEME_LABEL, "%s\n", sb_str(&sb));
	}
	sb_reset(&sb);
	if (x->nchildren == 0)
		sb_adds(&sb, ", head");
	if (x->nparents == 0)
		sb_adds(&sb, ", base");
	if (x->nchildren > 1)
		sb_adds(&sb, ", branch point");
	if (x->nparents > 1)
		sb_adds(&sb, ", merge point");
	if (sb.len) {
		add_field(d, "Kind");
		doc_addf(d, THEME_NORMAL, "%s\n", sb_str(&sb) + 2);
	}
	sb_free(&sb);
	add_field(d, "Transaction");
	doc_add(d, THEME_NORMAL, s->txn == SCRIPT_TXN_NONE ? "none: runs outside a transaction\n"
	                                                   : "per-migration\n");
	add_field(d, "Downgrade");
	doc_add(d, s->has_downgrade ? THEME_NORMAL : THEME_WARNING,
	        s->has_downgrade ? "yes\n" : "no: irreversible\n");
	add_state(con, rev);
}

/* The doc line that shows line `line` of the script: its gutter says so. */
static uint32_t doc_line_of(const struct doc *d, uint32_t line)
{
	char want[DOC_GUTTER + 16];
	snprintf(want, sizeof want, "%*u ", DOC_GUTTER - 1, line);
	for (uint32_t i = 0; i < doc_lines(d); i++) {
		size_t start, len;
		doc_line(d, i, &start, &len);
		if (len >= DOC_GUTTER && memcmp(d->text.buf + start, want, DOC_GUTTER) == 0 &&
		    d->roles[start] == THEME_LINENO)
			return i;
	}
	return 0;
}

static void rebuild(struct console *con)
{
	int64_t rev = graph_selected(con);
	/* the same revision and tab (a reload) keep their place */
	bool moved = con->doc_rev != (uint32_t)rev || con->doc_mode != con->mode;
	doc_reset(&con->doc);
	con->doc_rev = (uint32_t)rev;
	con->doc_mode = con->mode;
	con->doc_gen = con->gen;
	if (moved)
		con->preview.top = 0;
	if (rev < 0)
		return;
	if (con->mode == PREVIEW_DETAILS)
		add_details(con, (uint32_t)rev);
	else
		preview_add_section(con, &con->doc, (uint32_t)rev,
		            con->mode == PREVIEW_UPGRADE ? SCRIPT_UPGRADE : SCRIPT_DOWNGRADE);
}

/* ---- rows on screen: wrapped, or whole and scrolled sideways ---- */

/* The columns of a line's gutter (its leading line number, if any). */
static int gutter_of(const struct doc *d, size_t start, size_t len)
{
	size_t g = 0;
	while (g < len && g < DOC_GUTTER && d->roles[start + g] == THEME_LINENO)
		g++;
	return (int)g;
}

/* Room for text on a line's first row and on its continuation rows, whose
 * gutter holds the continuation mark (at least 2 columns). */
static void room(int width, int gutter, int *first, int *rest)
{
	*first = width - gutter;
	*rest = width - (gutter < 2 ? 2 : gutter);
}

static uint32_t rows_of(const struct doc *d, uint32_t i, int width)
{
	size_t start, len;
	doc_line(d, i, &start, &len);
	int g = gutter_of(d, start, len), first, rest;
	room(width, g, &first, &rest);
	/* a byte never takes more than one column: short lines fit */
	if (first < 1 || rest < 1 || len - (size_t)g <= (size_t)first)
		return 1;
	const char *s = d->text.buf + start + g;
	size_t n = len - (size_t)g, at = text_fit(s, n, first, NULL);
	uint32_t rows = 1;
	while (at < n) {
		at += text_fit(s + at, n - at, rest, NULL);
		rows++;
	}
	return rows;
}

static void layout(struct console *con)
{
	const struct doc *d = &con->doc;
	int width = con->preview.width > 0 ? con->preview.width : COLS;
	if (con->rows.n && con->rows_for.edits == d->edits && con->rows_for.width == width &&
	    con->rows_for.wrap == con->wrap)
		return;
	uint32_t n = doc_lines(d), at = 0;
	con->rows.n = 0;
	for (uint32_t i = 0; i < n; i++) {
		u32vec_push(&con->rows, at);
		at += con->wrap ? rows_of(d, i, width) : 1;
	}
	u32vec_push(&con->rows, at);
	con->rows_for.edits = d->edits;
	con->rows_for.width = width;
	con->rows_for.wrap = con->wrap;
}

/* The doc line on screen row r (below the total). */
static uint32_t line_at(const struct console *con, uint32_t r)
{
	const struct u32vec *v = &con->rows;
	uint32_t lo = 0, hi = v->n - 1;  /* v->v[hi] is the total */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (v->v[mid] <= r)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Draws bytes [from, to) of the doc in their roles. */
static void pen_doc(struct pen *p, const struct doc *d, size_t from, size_t to)
{
	for (size_t i = from; i < to;) {
		size_t j = i + 1;
		while (j < to && d->roles[j] == d->roles[i])
			j++;
		pen_textn(p, theme_attr(d->roles[i]), d->text.buf + i, j - i);
		if (pen_left(p) <= 0)
			break;
		i = j;
	}
}

/* A line cut on the left: its gutter, a mark, then what is right of the
 * columns scrolled away. Its right end is cut by the pen, marked too. */
static void draw_scrolled(struct console *con, struct pen *p, size_t start, size_t at,
                          size_t end)
{
	const struct doc *d = &con->doc;
	pen_doc(p, d, start, at);
	int skipped = 0;
	while (at < end && skipped < con->hscroll) {
		int c;
		at += text_char(d->text.buf + at, end - at, &c);
		skipped += c;
	}
	if (skipped) {
		pen_text(p, theme_attr(THEME_LINENO), draw_ellipsis());
		if (at < end)
			at += text_fit(d->text.buf + at, end - at, 1, NULL);
	}
	pen_doc(p, d, at, end);
}

static void draw_row(struct console *con, WINDOW *w, int y, uint32_t r)
{
	const struct doc *d = &con->doc;
	int width = con->preview.width;
	struct pen p;
	pen_start(&p, w, y, 0, width, A_NORMAL);
	if (con->rows.n < 2 || r >= con->rows.v[con->rows.n - 1]) {
		pen_fill(&p, A_NORMAL);
		return;
	}
	uint32_t i = line_at(con, r), k = r - con->rows.v[i];
	size_t start, len;
	doc_line(d, i, &start, &len);
	int g = gutter_of(d, start, len), first, rest;
	room(width, g, &first, &rest);
	size_t at = start + (size_t)g, end = start + len;
	if (!con->wrap) {
		draw_scrolled(con, &p, start, at, end);
		pen_fill(&p, A_NORMAL);
		return;
	}
	for (uint32_t seg = 0; seg < k && at < end; seg++)
		at += text_fit(d->text.buf + at, end - at, seg == 0 ? first : rest, NULL);
	if (k == 0) {
		pen_doc(&p, d, start, at);
	} else {
		int cont = g < 2 ? 2 : g;
		char mark[DOC_GUTTER + 8];
		snprintf(mark, sizeof mark, "%*s%s ", cont - 2, "", con->utf8 ? "↪" : "\\");
		pen_text(&p, theme_attr(THEME_LINENO), mark);
	}
	size_t n = at < end ? text_fit(d->text.buf + at, end - at, k == 0 ? first : rest, NULL) : 0;
	pen_doc(&p, d, at, at + n);
	pen_fill(&p, A_NORMAL);
}

void preview_set_wrap(struct console *con, bool wrap)
{
	preview_update(con);
	uint32_t line = con->rows.n > 1 ? line_at(con, con->preview.top) : 0;
	con->wrap = wrap;
	con->hscroll = 0;
	layout(con);
	con->preview.top = line < con->rows.n ? con->rows.v[line] : 0;
	preview_update(con);
}

void preview_scroll_x(struct console *con, int cols)
{
	con->hscroll += cols;
	if (con->hscroll < 0)
		con->hscroll = 0;
}

void preview_update(struct console *con)
{
	int64_t rev = graph_selected(con);
	if (con->mode != PREVIEW_PLAN &&
	    (con->doc_gen != con->gen || con->doc_mode != con->mode || con->doc_rev != (uint32_t)rev))
		rebuild(con);
	layout(con);
	if (con->want_line) {
		uint32_t i = doc_line_of(&con->doc, con->want_line);
		uint32_t h = con->preview.height > 0 ? (uint32_t)con->preview.height : 1;
		uint32_t r = con->rows.v[i];
		con->want_line = 0;
		con->preview.top = r > h / 3 ? r - h / 3 : 0;
	}
	con->preview.lines = con->rows.v[con->rows.n - 1];
	view_clamp(&con->preview);
}

void preview_set_mode(struct console *con, enum preview_mode mode)
{
	if (con->mode == PREVIEW_PLAN)
		con->doc_gen = con->gen - 1;  /* the doc holds the plan: stale */
	con->mode = mode;
	free(con->plan_title);
	con->plan_title = NULL;
	preview_update(con);
}

static void start_plan(struct console *con, const char *title)
{
	if (con->mode != PREVIEW_PLAN)
		con->last_mode = con->mode;
	con->mode = PREVIEW_PLAN;
	free(con->plan_title);
	con->plan_title = xstrdup(title);
	doc_reset(&con->doc);
	con->preview.top = 0;
}

void preview_show_text(struct console *con, const char *title, const char *text)
{
	start_plan(con, title);
	doc_add(&con->doc, THEME_NORMAL, text);
	preview_update(con);
}

/* step i's SQL as Alembic renders it offline (delegated[i]), or why
 * there is none. */
static void add_delegated_sql(struct console *con, const char *const *delegated,
                              const char *why, uint32_t i)
{
	struct doc *d = &con->doc;
	if (why) {
		doc_addf(d, THEME_WARNING, "The SQL cannot be shown: %s\n", why);
		return;
	}
	const char *sql = delegated ? delegated[i] : NULL;
	if (!sql) {
		doc_add(d, THEME_COMMENT, "-- (Alembic renders no SQL for this step)\n");
		return;
	}
	doc_add(d, THEME_COMMENT, "-- the SQL Alembic renders for it (offline mode):\n");
	doc_add_sql(d, sql, strlen(sql), dialect(con), 1);
}

static void add_step(struct console *con, const struct plan *p, uint32_t i,
                     const char *const *delegated, const char *why)
{
	struct doc *d = &con->doc;
	const struct plan_step *s = &p->steps[i];
	struct strbuf title = STRBUF_INIT;
	run_step_title(con->m.g, s, &title);
	doc_addf(d, THEME_HEADING, "%s %u/%u %s %s\n", con->utf8 ? "──" : "--", i + 1, p->n,
	         plan_kind_word(s->dir), sb_str(&title));
	sb_free(&title);
	if (s->dir == PLAN_STAMP) {
		doc_addf(d, THEME_NORMAL, "No SQL runs; the version table goes from %s to %s.\n\n",
		         *s->heads_before ? s->heads_before : "<base>",
		         *s->heads_after ? s->heads_after : "<base>");
		return;
	}
	preview_add_section(con, &con->doc, s->rev, plan_kind_section(s->dir));
	if (script_format_of(&con->m.g->nodes[s->rev].s)->exec == SCRIPT_EXEC_DELEGATED)
		add_delegated_sql(con, delegated, why, i);
	doc_add(d, THEME_NORMAL, "\n");
}

/* The findings of the plan's SQL, worst first, before its steps: what the
 * person confirming must weigh. */
static void add_findings(struct doc *d, const struct plan *p, const struct lint_findings *f)
{
	if (p->kind == PLAN_STAMP)
		return;
	if (f->n == 0) {
		doc_add(d, THEME_NORMAL, "Lint finds nothing in it.\n\n");
		return;
	}
	doc_addf(d, THEME_HEADING, "What lint finds in it, worst first (%u):\n", f->n);
	for (uint32_t i = 0; i < f->n; i++) {
		const struct lint_finding *x = &f->v[i];
		enum theme_role role = x->severity == LINT_ERROR     ? THEME_ERROR
		                       : x->severity == LINT_WARNING ? THEME_WARNING
		                                                     : THEME_NORMAL;
		const char *base = strrchr(x->file, '/');
		doc_addf(d, role, "  %-7s %s", lint_severity_name(x->severity),
		         lint_rules[x->rule].id);
		doc_addf(d, THEME_COMMENT, "  %s:%u", base ? base + 1 : x->file, x->line);
		doc_addf(d, THEME_NORMAL, "  %s\n", x->message);
	}
	doc_add(d, THEME_NORMAL, "\n");
}

void preview_show_plan(struct console *con, const char *title, const char *summary,
                       const struct plan *p, const struct lint_findings *f,
                       const char *production)
{
	start_plan(con, title);
	struct doc *d = &con->doc;
	doc_addf(d, THEME_HEADING, "%s\n", summary);
	doc_add(d, THEME_NORMAL, "Version table afterwards:");
	for (uint32_t i = 0; i < p->nfinal; i++)
		doc_addf(d, THEME_ID, " %s", p->final_heads[i]);
	doc_add(d, THEME_NORMAL, p->nfinal ? "\n" : " <base>\n");
	if (production)
		doc_addf(d, THEME_ERROR, "Production database: production = true asks for its name "
		         "before %s.\n", production);
	doc_add(d, THEME_NORMAL, "\n");
	add_findings(d, p, f);
	/* Steps Alembic runs: what its offline mode renders for them, one
	 * run of Alembic for the plan (none when Alembic is not installed) */
	char **delegated = NULL, *why = NULL;
	bool any = false;
	for (uint32_t i = 0; i < p->n && !any; i++)
		any = p->steps[i].dir != PLAN_STAMP &&
		      script_format_of(&con->m.g->nodes[p->steps[i].rev].s)->exec == SCRIPT_EXEC_DELEGATED;
	if (any && con->c->cfg.alembic.path)
		alembic_plan_sql(&con->c->cfg.alembic, con->m.g, p, &delegated, &why);
	for (uint32_t i = 0; i < p->n; i++)
		add_step(con, p, i, (const char *const *)delegated, why);
	alembic_plan_sql_free(delegated, p->n);
	free(why);
	preview_update(con);
}

/* The tab row. The focused preview shows it plainly: a mark before the
 * tabs, a heavy rule and what takes the focus back. */
static void draw_tabs(struct view *v)
{
	struct console *con = v->con;
	bool focused = con->focus == v;
	attr_t active = theme_attr(THEME_TAB_ACTIVE);
	if (!focused)
		active = A_BOLD | A_UNDERLINE;
	const char *rule = focused ? (con->utf8 ? "━" : "=") : (con->utf8 ? "─" : "-");
	struct pen p;
	pen_start(&p, v->win, 0, 0, v->width, A_NORMAL);
	if (focused)
		pen_text(&p, theme_attr(THEME_TAB_ACTIVE), con->utf8 ? "▶" : ">");
	else
		pen_text(&p, theme_attr(THEME_BORDER), rule);
	for (int i = 0; i < 3; i++) {
		pen_text(&p, A_NORMAL, " ");
		pen_text(&p, con->mode == (enum preview_mode)i ? active : theme_attr(THEME_TAB),
		         tab_names[i]);
	}
	if (con->mode == PREVIEW_PLAN) {
		pen_text(&p, A_NORMAL, " ");
		pen_text(&p, active, con->plan_title ? con->plan_title : "Plan");
	}
	pen_text(&p, A_NORMAL, " ");
	int64_t rev = graph_selected(con);
	if (rev >= 0 && con->mode != PREVIEW_PLAN) {
		pen_text(&p, theme_attr(THEME_BORDER), rule);
		pen_text(&p, theme_attr(THEME_BORDER), rule);
		pen_text(&p, A_NORMAL, " ");
		pen_text(&p, theme_attr(THEME_ID), con->m.g->nodes[rev].s.rev);
		pen_text(&p, A_NORMAL, " ");
	}
	if (!con->wrap) {
		char buf[48];
		snprintf(buf, sizeof buf, "[no wrap: h/l, column %d]", con->hscroll + 1);
		pen_text(&p, theme_attr(THEME_BORDER), rule);
		pen_text(&p, A_NORMAL, " ");
		pen_text(&p, A_BOLD, buf);
		pen_text(&p, A_NORMAL, " ");
	}
	if (focused) {
		pen_text(&p, theme_attr(THEME_BORDER), rule);
		pen_text(&p, A_NORMAL, " ");
		pen_text(&p, theme_attr(THEME_TAB_ACTIVE), " the keys scroll here; Tab: the graph ");
		pen_text(&p, A_NORMAL, " ");
	}
	while (pen_left(&p) > 0)
		pen_text(&p, theme_attr(THEME_BORDER), rule);
}

static void preview_draw(struct view *v)
{
	struct console *con = v->con;
	preview_update(con);
	draw_tabs(v);
	for (int y = 0; y < v->height; y++)
		draw_row(con, v->win, v->header + y, v->top + (uint32_t)y);
}

/* Space pages down, as in a pager: the focused preview selects nothing. */
static bool preview_request(struct view *v, enum request r)
{
	return r == REQ_SELECT && view_move(v, REQ_PAGE_DOWN);
}

const struct view_ops preview_ops = {"preview", preview_draw, preview_request};
