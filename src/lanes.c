/* lanes.c: see lanes.h.
 *
 * One pass from the top row down keeps the open lanes: lane[c] is the row
 * that column c is heading for. A row's node sits in the leftmost lane
 * heading for it (or, for a head, in the leftmost free column); the other
 * lanes heading for it close there; its first parent takes over the node's
 * column and each further parent opens a lane. The symbols of the row then
 * follow from which columns closed, which opened and which passed by. */
#include "lanes.h"

#include <stdlib.h>
#include <string.h>

#include "graph.h"

#define NO_ROW UINT32_MAX

enum {
	ROW_HEAD = 1, /* no lane comes down into the node */
	ROW_BASE = 2, /* no lane leaves the node downwards */
};

struct lane_row {
	size_t off;      /* of the row's first cell in lanes.cells */
	uint32_t width;
	uint32_t node;
	uint8_t flags;
};

struct lanes {
	uint32_t nrows;
	uint32_t max_width;
	struct lane_row *rows;
	uint8_t *cells;  /* enum lane_sym, row after row */
};

static const struct {
	const char *utf8, *ascii;
	unsigned links;
} sym_table[] = {
#define LANE_X(name, utf8, ascii, links) {utf8, ascii, links},
	LANE_SYM_LIST(LANE_X)
#undef LANE_X
};

/* The symbols a lane that closes or opens on the node's row may take; the
 * right one is the one whose links match. */
static const enum lane_sym junctions[] = {
	LANE_LEFT_DOWN, LANE_RIGHT_DOWN, LANE_LEFT_UP, LANE_RIGHT_UP,
	LANE_TEE_DOWN, LANE_TEE_UP, LANE_TEE_LEFT, LANE_TEE_RIGHT, LANE_JOIN,
};

const char *lane_sym_glyph(enum lane_sym sym, bool utf8)
{
	if ((unsigned)sym >= LANE_SYM_COUNT)
		sym = LANE_EMPTY;
	return utf8 ? sym_table[sym].utf8 : sym_table[sym].ascii;
}

const char *lane_horiz_glyph(bool utf8)
{
	return lane_sym_glyph(LANE_HORIZ, utf8);
}

unsigned lane_sym_links(enum lane_sym sym)
{
	return (unsigned)sym < LANE_SYM_COUNT ? sym_table[sym].links : 0;
}

static enum lane_sym junction_for(unsigned links)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(junctions); i++)
		if (sym_table[junctions[i]].links == links)
			return junctions[i];
	abort(); /* every combination the layout produces is in the list */
}

/* The layout's working state, alive during lanes_layout only. */
struct layout {
	uint32_t *lane;    /* target row per column, NO_ROW when free */
	uint8_t *mark;     /* per column, on the current row: CLOSES, OPENS */
	uint32_t ncols;    /* columns in use: lane[ncols..] are all free */
	uint32_t cap;
	uint8_t *cells;
	size_t ncells, cells_cap;
};

enum { CLOSES = 1, OPENS = 2 };

static void layout_reserve(struct layout *st, uint32_t ncols)
{
	if (ncols <= st->cap)
		return;
	uint32_t cap = st->cap ? st->cap : 8;
	while (cap < ncols)
		cap *= 2;
	st->lane = xrealloc(st->lane, (size_t)cap * sizeof(*st->lane));
	st->mark = xrealloc(st->mark, cap);
	for (uint32_t c = st->cap; c < cap; c++) {
		st->lane[c] = NO_ROW;
		st->mark[c] = 0;
	}
	st->cap = cap;
}

static uint32_t first_free(const struct layout *st, uint32_t from, uint32_t to)
{
	for (uint32_t c = from; c < to; c++)
		if (st->lane[c] == NO_ROW)
			return c;
	return NO_ROW;
}

/* A head's column: the leftmost free one, but not the one right under a
 * base's node, where the two nodes would read as child and parent. */
static uint32_t column_for_head(const struct layout *st, uint32_t skip)
{
	for (uint32_t c = 0;; c++)
		if (c != skip && (c >= st->ncols || st->lane[c] == NO_ROW))
			return c;
}

/* A further parent's lane goes right of the node when a column is free
 * there, else into a free column on the left, and only widens the graph
 * when every column is taken. */
static uint32_t column_for_parent(struct layout *st, uint32_t node)
{
	uint32_t c = first_free(st, node + 1, st->ncols);
	if (c == NO_ROW)
		c = first_free(st, 0, node);
	if (c == NO_ROW) {
		c = st->ncols;
		layout_reserve(st, c + 1);
	}
	return c;
}

static void emit_row(struct layout *st, struct lane_row *row, uint32_t span)
{
	uint32_t node = row->node, lo = node, hi = node;
	for (uint32_t c = 0; c < span; c++) {
		if (st->mark[c] && c < lo)
			lo = c;
		if (st->mark[c] && c > hi)
			hi = c;
	}
	if (st->ncells + span > st->cells_cap) {
		size_t cap = st->cells_cap ? st->cells_cap : 256;
		while (cap < st->ncells + span)
			cap *= 2;
		st->cells = xrealloc(st->cells, cap);
		st->cells_cap = cap;
	}
	uint8_t *cell = st->cells + st->ncells;
	uint32_t width = 0;
	for (uint32_t c = 0; c < span; c++) {
		enum lane_sym sym;
		if (c == node) {
			sym = LANE_NODE;
		} else if (st->mark[c]) {
			unsigned links = 0;
			if (st->mark[c] & CLOSES)
				links |= LANE_LINK_UP;
			if (st->mark[c] & OPENS)
				links |= LANE_LINK_DOWN;
			if (c > lo)
				links |= LANE_LINK_LEFT;
			if (c < hi)
				links |= LANE_LINK_RIGHT;
			sym = junction_for(links);
		} else if (c > lo && c < hi) {
			sym = st->lane[c] != NO_ROW ? LANE_CROSS : LANE_HORIZ;
		} else {
			sym = st->lane[c] != NO_ROW ? LANE_VERT : LANE_EMPTY;
		}
		cell[c] = (uint8_t)sym;
		if (sym != LANE_EMPTY)
			width = c + 1;
		st->mark[c] = 0;
	}
	row->off = st->ncells;
	row->width = width;
	st->ncells += width;
}

static int check_parents(uint32_t nrows, const uint32_t *parent_start,
                         const uint32_t *parents, char **err)
{
	if (nrows && parent_start[0] != 0)
		return rt_err(err, RT_EINPUT, "lanes: parent offsets must start at 0");
	for (uint32_t r = 0; r < nrows; r++) {
		if (parent_start[r + 1] < parent_start[r])
			return rt_err(err, RT_EINPUT,
			              "lanes: row %u: parent offsets go backwards", r);
		for (uint32_t i = parent_start[r]; i < parent_start[r + 1]; i++)
			if (parents[i] <= r || parents[i] >= nrows)
				return rt_err(err, RT_EINPUT,
				              "lanes: row %u: parent row %u is not below it "
				              "(rows 0..%u, newest first)",
				              r, parents[i], nrows - 1);
	}
	return RT_OK;
}

int lanes_layout(uint32_t nrows, const uint32_t *parent_start,
                 const uint32_t *parents, struct lanes **out, char **err)
{
	int rc = check_parents(nrows, parent_start, parents, err);
	if (rc != RT_OK)
		return rc;

	struct lanes *l = xcalloc(1, sizeof(*l));
	l->nrows = nrows;
	l->rows = xcalloc(nrows ? nrows : 1, sizeof(*l->rows));
	struct layout st = {0};
	uint32_t base_above = NO_ROW;

	for (uint32_t r = 0; r < nrows; r++) {
		struct lane_row *row = &l->rows[r];
		uint32_t span = st.ncols;
		uint32_t node = NO_ROW;
		for (uint32_t c = 0; c < st.ncols; c++) {
			if (st.lane[c] != r)
				continue;
			if (node == NO_ROW)
				node = c;
			else
				st.mark[c] = CLOSES;
			st.lane[c] = NO_ROW;
		}
		if (node == NO_ROW) {
			row->flags |= ROW_HEAD;
			node = column_for_head(&st, base_above);
		}
		layout_reserve(&st, node + 1);
		if (node >= st.ncols)
			st.ncols = node + 1;
		row->node = node;

		uint32_t first = parent_start[r], end = parent_start[r + 1];
		base_above = first == end ? node : NO_ROW;
		if (first == end)
			row->flags |= ROW_BASE;
		else
			st.lane[node] = parents[first];
		for (uint32_t i = first + 1; i < end; i++) {
			uint32_t c = column_for_parent(&st, node);
			st.lane[c] = parents[i];
			st.mark[c] |= OPENS;
			if (c >= st.ncols)
				st.ncols = c + 1;
		}
		if (st.ncols > span)
			span = st.ncols;

		emit_row(&st, row, span);
		if (row->width > l->max_width)
			l->max_width = row->width;
		while (st.ncols && st.lane[st.ncols - 1] == NO_ROW)
			st.ncols--;
	}

	l->cells = st.cells;
	free(st.lane);
	free(st.mark);
	*out = l;
	return RT_OK;
}

void lanes_free(struct lanes *l)
{
	if (!l)
		return;
	free(l->rows);
	free(l->cells);
	free(l);
}

uint32_t lanes_rows(const struct lanes *l)
{
	return l->nrows;
}

uint32_t lanes_width(const struct lanes *l, uint32_t row)
{
	return row < l->nrows ? l->rows[row].width : 0;
}

uint32_t lanes_max_width(const struct lanes *l)
{
	return l->max_width;
}

uint32_t lanes_node_col(const struct lanes *l, uint32_t row)
{
	return row < l->nrows ? l->rows[row].node : 0;
}

enum lane_sym lanes_cell(const struct lanes *l, uint32_t row, uint32_t col)
{
	if (row >= l->nrows || col >= l->rows[row].width)
		return LANE_EMPTY;
	return (enum lane_sym)l->cells[l->rows[row].off + col];
}

unsigned lanes_links(const struct lanes *l, uint32_t row, uint32_t col)
{
	enum lane_sym sym = lanes_cell(l, row, col);
	if (sym != LANE_NODE)
		return lane_sym_links(sym);
	/* The node's neighbours are never nodes, so their links are fixed. */
	unsigned links = 0;
	if (!(l->rows[row].flags & ROW_HEAD))
		links |= LANE_LINK_UP;
	if (!(l->rows[row].flags & ROW_BASE))
		links |= LANE_LINK_DOWN;
	if (col > 0 && (lane_sym_links(lanes_cell(l, row, col - 1)) & LANE_LINK_RIGHT))
		links |= LANE_LINK_LEFT;
	if (lane_sym_links(lanes_cell(l, row, col + 1)) & LANE_LINK_LEFT)
		links |= LANE_LINK_RIGHT;
	return links;
}

static const struct {
	const char *utf8, *ascii, *words;
} state_table[] = {
#define LANE_X(name, utf8, ascii, words) {utf8, ascii, words},
	LANE_STATE_LIST(LANE_X)
#undef LANE_X
};

const char *lane_state_glyph(enum lane_state st, bool utf8)
{
	if ((unsigned)st >= LANE_STATE_COUNT)
		st = LANE_STATE_NONE;
	return utf8 ? state_table[st].utf8 : state_table[st].ascii;
}

const char *lane_state_words(enum lane_state st)
{
	return state_table[(unsigned)st < LANE_STATE_COUNT ? st : LANE_STATE_NONE].words;
}

void lanes_render(const struct lanes *l, uint32_t row, bool utf8,
                  struct strbuf *out)
{
	lanes_render_state(l, row, utf8, LANE_STATE_NONE, out);
}

void lanes_render_state(const struct lanes *l, uint32_t row, bool utf8,
                        enum lane_state st, struct strbuf *out)
{
	uint32_t width = lanes_width(l, row);
	for (uint32_t c = 0; c < width; c++) {
		enum lane_sym sym = lanes_cell(l, row, c);
		sb_adds(out, sym == LANE_NODE ? lane_state_glyph(st, utf8) : lane_sym_glyph(sym, utf8));
		if (lanes_links(l, row, c) & LANE_LINK_RIGHT)
			sb_adds(out, lane_horiz_glyph(utf8));
		else
			sb_addc(out, ' ');
	}
}

/* The prefix of a further text line under the row: the lanes that carry on
 * downwards, in a graph as wide as the row's. */
static void render_below(const struct lanes *l, uint32_t row, bool utf8,
                         struct strbuf *out)
{
	uint32_t width = lanes_width(l, row);
	for (uint32_t c = 0; c < width; c++) {
		bool down = lanes_links(l, row, c) & LANE_LINK_DOWN;
		sb_adds(out, down ? lane_sym_glyph(LANE_VERT, utf8) : " ");
		sb_addc(out, ' ');
	}
}

static void trim_spaces(struct strbuf *sb, size_t from)
{
	while (sb->len > from && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
}

void lanes_render_row(const struct lanes *l, uint32_t row, bool utf8,
                      const char *text, struct strbuf *out)
{
	const char *line = text ? text : "";
	bool first = true;
	do {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		size_t start = out->len;
		if (first)
			lanes_render(l, row, utf8, out);
		else
			render_below(l, row, utf8, out);
		if (len)
			sb_addn(out, line, len);
		else
			trim_spaces(out, start);
		sb_addc(out, '\n');
		first = false;
		line = nl ? nl + 1 : NULL;
	} while (line && *line);
}

int lanes_of_graph(const struct graph *g, const struct bitset *keep, struct lanes **out,
                   char **err)
{
	uint32_t *row_of = xmalloc((g->n + 1) * sizeof(*row_of));
	uint32_t nrows = 0;
	for (uint32_t k = g->n; k-- > 0;)
		row_of[k] = !keep || bitset_get(keep, k) ? nrows++ : UINT32_MAX;
	uint32_t *start = xmalloc((nrows + 1) * sizeof(*start));
	struct u32vec parents = {0};
	uint32_t r = 0;
	for (uint32_t k = g->n; k-- > 0;) {
		if (row_of[k] == UINT32_MAX)
			continue;
		start[r++] = parents.n;
		for (uint32_t j = 0; j < g->nodes[k].nparents; j++) {
			uint32_t pr = row_of[g->nodes[k].parents[j]];
			if (pr != UINT32_MAX)
				u32vec_push(&parents, pr);
		}
	}
	start[nrows] = parents.n;
	int rc = lanes_layout(nrows, start, parents.v, out, err);
	free(row_of);
	free(start);
	u32vec_free(&parents);
	return rc;
}
