/* graphview.c: the graph pane, one row per revision, newest first: the
 * lanes that src/lanes.c laid out, then the revision's id, marks, labels,
 * message, dependencies and date. Only the rows on screen are drawn. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "console.h"

#define ID_COLS 12
#define DATE_COLS 16          /* "2026-03-10 14:00" */

/* At most this share of the width goes to lanes; wider graphs are cut. */
static uint32_t lane_cells(const struct view *v, const struct lanes *l)
{
	uint32_t cap = (uint32_t)(v->width / 3 / 2);
	uint32_t w = lanes_max_width(l);
	return w < cap ? w : cap < 1 ? 1 : cap;
}

/* A revision's state as the database says it, or unknown when it could
 * not be read: never drawn as applied then. */
static enum lane_state node_state(const struct console *con, uint32_t rev)
{
	const struct model *m = &con->m;
	if (!m->have_db)
		return LANE_STATE_UNKNOWN;
	if (model_open(m, rev))  /* half applied, half not */
		return LANE_STATE_INTERRUPTED;
	return bitset_get(&m->applied, rev) ? LANE_STATE_APPLIED : LANE_STATE_PENDING;
}

static void draw_lanes(const struct console *con, const struct view *v, struct pen *p,
                       uint32_t row, uint32_t rev)
{
	const struct model *m = &con->m;
	const struct lanes *l = m->lanes;
	uint32_t cells = lane_cells(v, l), width = lanes_width(l, row);
	enum lane_state st = node_state(con, rev);
	enum theme_role node_role = st == LANE_STATE_UNKNOWN       ? THEME_NORMAL
	                          : st == LANE_STATE_INTERRUPTED ? THEME_ERROR
	                          : st == LANE_STATE_APPLIED     ? THEME_APPLIED
	                                                         : THEME_PENDING;
	for (uint32_t col = 0; col < cells; col++) {
		if (col >= width) {
			pen_text(p, A_NORMAL, "  ");
			continue;
		}
		enum lane_sym sym = lanes_cell(l, row, col);
		if (sym == LANE_NODE)
			pen_text(p, theme_attr(node_role) | A_BOLD, lane_state_glyph(st, con->utf8));
		else
			pen_text(p, theme_lane(col), lane_sym_glyph(sym, con->utf8));
		bool right = lanes_links(l, row, col) & LANE_LINK_RIGHT;
		pen_text(p, theme_lane(col + 1), right ? lane_horiz_glyph(con->utf8) : " ");
	}
}

static void draw_tag(struct pen *p, enum theme_role role, const char *tag)
{
	pen_text(p, A_NORMAL, " ");
	pen_text(p, theme_attr(role), tag);
}

static void draw_row(struct console *con, struct view *v, int y, uint32_t row)
{
	struct model *m = &con->m;
	const struct graph *g = m->g;
	uint32_t rev = model_rev(m, row);
	const struct gnode *x = &g->nodes[rev];
	bool pending = m->have_db && !bitset_get(&m->applied, rev);
	attr_t dim = pending ? theme_attr(THEME_PENDING) : A_NORMAL;
	int date_cols = v->width >= 90 && x->s.create_date ? DATE_COLS + 1 : 0;
	struct pen p;
	pen_start(&p, v->win, y, 0, v->width - date_cols, row == v->cur ? A_REVERSE : A_NORMAL);

	bool marked = bitset_get(&m->selected, rev);
	pen_text(&p, theme_attr(THEME_SELECTED), marked ? (con->utf8 ? "▸" : ">") : " ");
	draw_lanes(con, v, &p, row, rev);
	bool changed = m->have_db && model_checksum(m, rev) == CS_CHANGED;
	pen_text(&p, theme_attr(THEME_CHANGED), changed ? "!" : " ");
	pen_textn(&p, theme_attr(THEME_ID) | dim, x->s.rev, strlen(x->s.rev));
	if (x->nchildren == 0)
		draw_tag(&p, g->nheads > 1 ? THEME_HEADS_WARN : THEME_HEAD, "[head]");
	if (bitset_get(&m->current, rev))
		draw_tag(&p, THEME_CURRENT, "[current]");
	if (changed)
		draw_tag(&p, THEME_CHANGED, "[changed]");
	const struct inspect_open *open = m->have_db ? model_open(m, rev) : NULL;
	if (open)
		draw_tag(&p, open->state == OPEN_RUNNING ? THEME_WARNING : THEME_ERROR,
		         open->state == OPEN_RUNNING ? "[running]" : "[interrupted]");
	for (uint32_t i = 0; i < x->s.nlabels; i++) {
		pen_text(&p, A_NORMAL, i ? ", " : " (");
		pen_text(&p, theme_attr(THEME_LABEL), x->s.labels[i]);
		if (i + 1 == x->s.nlabels)
			pen_text(&p, A_NORMAL, ")");
	}
	pen_text(&p, A_NORMAL, " ");
	pen_text(&p, dim, x->s.message);
	for (uint32_t i = 0; i < x->ndeps; i++) {
		pen_text(&p, A_NORMAL, i ? " " : "  ");
		pen_text(&p, theme_attr(THEME_DEPENDS), con->utf8 ? "⇢ " : "=> ");
		const char *dep = g->nodes[x->deps[i]].s.rev;
		pen_textn(&p, theme_attr(THEME_DEPENDS), dep, strnlen(dep, 8));
	}
	pen_fill(&p, A_NORMAL);
	if (date_cols) {
		p.end = v->width;
		pen_text(&p, A_NORMAL, " ");
		pen_textn(&p, theme_attr(THEME_DATE), x->s.create_date, DATE_COLS);
		pen_fill(&p, A_NORMAL);
	}
}

/* Without a graph the pane explains why. */
static void draw_problem(struct console *con, struct view *v)
{
	const struct model *m = &con->m;
	const char *text = m->graph_error;
	int y = 0;
	struct pen p;
	pen_start(&p, v->win, y++, 1, v->width, A_NORMAL);
	if (!text) {
		pen_text(&p, A_NORMAL, "No revisions yet in ");
		pen_text(&p, theme_attr(THEME_LABEL), m->g->dir);
		pen_text(&p, A_NORMAL, ": press c to write the first one.");
		return;
	}
	pen_text(&p, theme_attr(THEME_ERROR), "The scripts could not be loaded:");
	while (*text && y < v->height - 1) {
		size_t n = strcspn(text, "\n");
		pen_start(&p, v->win, y++, 2, v->width, A_NORMAL);
		pen_textn(&p, A_NORMAL, text, n);
		text += n + (text[n] == '\n');
	}
	pen_start(&p, v->win, y + (y < v->height - 1), 1, v->width, A_NORMAL);
	pen_text(&p, A_BOLD, "Fix them (e opens the first file named), then press r to reload.");
}

static void graph_draw(struct view *v)
{
	struct console *con = v->con;
	werase(v->win);
	if (model_count(&con->m) == 0) {
		draw_problem(con, v);
		return;
	}
	for (int y = 0; y < v->height && v->top + (uint32_t)y < v->lines; y++)
		draw_row(con, v, y, v->top + (uint32_t)y);
}

static bool graph_request(struct view *v, enum request r)
{
	struct model *m = &v->con->m;
	if (r != REQ_SELECT || v->lines == 0)
		return false;
	uint32_t rev = model_rev(m, v->cur);
	if (!model_is_head(m, rev)) {
		console_message(v->con, THEME_WARNING,
		                "Space selects heads for a merge; %.12s is not a head", m->g->nodes[rev].s.rev);
		return true;
	}
	if (bitset_get(&m->selected, rev))
		bitset_unset(&m->selected, rev);
	else
		bitset_set(&m->selected, rev);
	return true;
}

const struct view_ops graph_ops = {"graph", graph_draw, graph_request};

int64_t graph_selected(const struct console *con)
{
	if (model_count(&con->m) == 0)
		return -1;
	return model_rev(&con->m, con->graph.cur);
}

void graph_select_rev(struct console *con, uint32_t rev)
{
	con->graph.cur = con->m.g->n - 1 - rev;
	view_clamp(&con->graph);
	/* Keep some context above the selection when jumping far. */
	uint32_t h = con->graph.height > 0 ? (uint32_t)con->graph.height : 1;
	if (con->graph.cur >= con->graph.top + h || con->graph.cur < con->graph.top)
		con->graph.top = con->graph.cur > h / 3 ? con->graph.cur - h / 3 : 0;
	view_clamp(&con->graph);
}

static bool matches(const struct gnode *x, const char *text)
{
	if (strcasestr(x->s.rev, text) || strcasestr(x->s.message, text))
		return true;
	for (uint32_t i = 0; i < x->s.nlabels; i++)
		if (strcasestr(x->s.labels[i], text))
			return true;
	return false;
}

/* The first place of needle (nn bytes) in hay (hn bytes), ignoring ASCII
 * case, or NULL. */
static const char *find_nocase(const char *hay, size_t hn, const char *needle, size_t nn)
{
	if (nn == 0 || nn > hn)
		return NULL;
	int first = tolower((unsigned char)needle[0]);
	for (size_t i = 0; i + nn <= hn; i++)
		if (tolower((unsigned char)hay[i]) == first && strncasecmp(hay + i, needle, nn) == 0)
			return hay + i;
	return NULL;
}

/* Whether the SQL of x's script has text: its file is read now (a search
 * reads only the files of the rows it passes), its sections where the
 * file has them now. */
static bool matches_sql(const struct gnode *x, const char *text, struct search_hit *hit)
{
	struct script_now now;
	char *err = NULL;
	if (script_reread(&x->s, &now, &err) != RT_OK) {
		free(err);
		return false;
	}
	const size_t off[2] = {now.s.up_off, now.s.down_off}, n[2] = {now.s.up_len, now.s.down_len};
	const uint32_t line[2] = {now.s.up_line, now.s.down_line};
	bool found = false;
	for (int k = 0; k < 2 && !found; k++) {
		const char *at = find_nocase(now.buf + off[k], n[k], text, strlen(text));
		if (!at)
			continue;
		found = true;
		hit->in_sql = true;
		hit->section = k == 0 ? SCRIPT_UPGRADE : SCRIPT_DOWNGRADE;
		hit->line = line[k];
		for (const char *p = now.buf + off[k]; p < at; p++)
			hit->line += *p == '\n';
	}
	script_now_free(&now);
	return found;
}

bool graph_search(struct console *con, const char *text, int dir, bool *wrapped,
                  struct search_hit *hit)
{
	const struct model *m = &con->m;
	uint32_t n = model_count(m);
	*wrapped = false;
	memset(hit, 0, sizeof *hit);
	if (n == 0 || !*text)
		return false;
	uint32_t row = con->graph.cur;
	for (uint32_t k = 1; k <= n; k++) {
		int64_t r = (int64_t)row + dir * (int64_t)k;
		if (r < 0 || r >= n)
			*wrapped = true;
		uint32_t at = (uint32_t)((r % n + n) % n);
		const struct gnode *x = &m->g->nodes[model_rev(m, at)];
		if (matches(x, text) || matches_sql(x, text, hit)) {
			graph_select_rev(con, model_rev(m, at));
			return true;
		}
	}
	*wrapped = false;
	return false;
}

static bool is_target(const struct model *m, bool heads, uint32_t rev)
{
	return heads ? model_is_head(m, rev) : bitset_get(&m->current, rev);
}

bool graph_jump(struct console *con, bool heads, int dir, uint32_t *nth, uint32_t *count)
{
	const struct model *m = &con->m;
	uint32_t n = model_count(m), found = UINT32_MAX;
	for (uint32_t k = 1; k <= n && found == UINT32_MAX; k++) {
		int64_t r = (int64_t)con->graph.cur + dir * (int64_t)k;
		uint32_t at = (uint32_t)((r % n + n) % n);
		if (is_target(m, heads, model_rev(m, at)))
			found = at;
	}
	if (found == UINT32_MAX)
		return false;
	/* which one it is, counted from the top */
	*count = *nth = 0;
	for (uint32_t row = 0; row < n; row++)
		if (is_target(m, heads, model_rev(m, row)) && ++*count && row == found)
			*nth = *count;
	graph_select_rev(con, model_rev(m, found));
	return true;
}
