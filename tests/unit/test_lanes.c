/* Unit tests for lanes.c: graphs in, text out.
 *
 * A graph is written one revision a line, newest first, as
 * "NAME PARENT...", the way tig's test/graph writes its commits; the
 * drawing is each row's lanes followed by the revision's name. */
#include "tap.h"
#include "lanes.h"

#include <stdlib.h>
#include <string.h>

struct fixture {
	uint32_t nrows;
	uint32_t *parent_start; /* nrows + 1 */
	uint32_t *parents;
	char **names;
};

static void fixture_free(struct fixture *f)
{
	for (uint32_t r = 0; r < f->nrows; r++)
		free(f->names[r]);
	free(f->names);
	free(f->parent_start);
	free(f->parents);
}

static uint32_t find_name(const struct fixture *f, const char *name, size_t len)
{
	for (uint32_t r = 0; r < f->nrows; r++)
		if (strlen(f->names[r]) == len && memcmp(f->names[r], name, len) == 0)
			return r;
	fprintf(stderr, "fixture: unknown parent %.*s\n", (int)len, name);
	abort();
}

/* Two passes: names first, since parents are written below their child. */
static void fixture_parse(const char *text, struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	uint32_t lines = 0, words = 0;
	for (const char *s = text; *s; s++) {
		lines += *s == '\n';
		words += *s != ' ' && *s != '\n' && (s == text || s[-1] == ' ' || s[-1] == '\n');
	}
	f->names = xcalloc(lines ? lines : 1, sizeof(*f->names));
	f->parent_start = xcalloc(lines + 1, sizeof(*f->parent_start));
	f->parents = xcalloc(words ? words : 1, sizeof(*f->parents));
	for (const char *s = text; *s; s = strchr(s, '\n') + 1)
		f->names[f->nrows++] = xstrndup(s, strcspn(s, " \n"));
	uint32_t r = 0, n = 0;
	for (const char *s = text; *s; s = strchr(s, '\n') + 1, r++) {
		const char *w = s + strcspn(s, " \n");
		while (*w == ' ') {
			w++;
			size_t len = strcspn(w, " \n");
			f->parents[n++] = find_name(f, w, len);
			w += len;
		}
		f->parent_start[r + 1] = n;
	}
}

/* The drawing of a graph, or the layout's error text. Caller frees. */
static char *draw(const char *graph, bool utf8)
{
	struct fixture f;
	fixture_parse(graph, &f);
	struct lanes *l = NULL;
	char *err = NULL;
	struct strbuf sb = STRBUF_INIT;
	if (lanes_layout(f.nrows, f.parent_start, f.parents, &l, &err) != RT_OK) {
		sb_addf(&sb, "error: %s", err);
	} else {
		for (uint32_t r = 0; r < f.nrows; r++)
			lanes_render_row(l, r, utf8, f.names[r], &sb);
	}
	free(err);
	lanes_free(l);
	fixture_free(&f);
	return sb_detach(&sb);
}

static void check_drawing(const char *graph, bool utf8, const char *want,
                          const char *what)
{
	char *got = draw(graph, utf8);
	is_str(got, want, "%s (%s)", what, utf8 ? "UTF-8" : "ASCII");
	free(got);
}

static const struct {
	const char *what, *graph, *utf8, *ascii;
} drawings[] = {
	{"linear history is one lane",
	 "D C\n"
	 "C B\n"
	 "B A\n"
	 "A\n",
	 "● D\n"
	 "● C\n"
	 "● B\n"
	 "● A\n",
	 "* D\n"
	 "* C\n"
	 "* B\n"
	 "* A\n"},
	{"two heads off one branch point",
	 "B A\n"
	 "C A\n"
	 "A\n",
	 "● B\n"
	 "│ ● C\n"
	 "●─╯ A\n",
	 "* B\n"
	 "| * C\n"
	 "*-/ A\n"},
	{"a merge of two branches",
	 "M B C\n"
	 "B A\n"
	 "C A\n"
	 "A\n",
	 "●─╮ M\n"
	 "● │ B\n"
	 "│ ● C\n"
	 "●─╯ A\n",
	 "*-\\ M\n"
	 "* | B\n"
	 "| * C\n"
	 "*-/ A\n"},
	{"a merge of three parents",
	 "M B C D\n"
	 "B A\n"
	 "C A\n"
	 "D A\n"
	 "A\n",
	 "●─┬─╮ M\n"
	 "● │ │ B\n"
	 "│ ● │ C\n"
	 "│ │ ● D\n"
	 "●─┴─╯ A\n",
	 "*-.-\\ M\n"
	 "* | | B\n"
	 "| * | C\n"
	 "| | * D\n"
	 "*-'-/ A\n"},
	{"a branch point with three children",
	 "X A\n"
	 "Y A\n"
	 "Z A\n"
	 "A\n",
	 "● X\n"
	 "│ ● Y\n"
	 "│ │ ● Z\n"
	 "●─┴─╯ A\n",
	 NULL},
	{"several bases",
	 "M A B\n"
	 "A\n"
	 "B\n"
	 "X W\n"
	 "Y V\n"
	 "W\n"
	 "V\n",
	 "●─╮ M\n"
	 "● │ A\n"
	 "  ● B\n"
	 "● X\n"
	 "│ ● Y\n"
	 "● │ W\n"
	 "  ● V\n",
	 "*-\\ M\n"
	 "* | A\n"
	 "  * B\n"
	 "* X\n"
	 "| * Y\n"
	 "* | W\n"
	 "  * V\n"},
	{"interleaved branches keep their columns",
	 "M C F\n"
	 "F E\n"
	 "C B\n"
	 "E D\n"
	 "B A\n"
	 "D O\n"
	 "A O\n"
	 "O\n",
	 "●─╮ M\n"
	 "│ ● F\n"
	 "● │ C\n"
	 "│ ● E\n"
	 "● │ B\n"
	 "│ ● D\n"
	 "● │ A\n"
	 "●─╯ O\n",
	 NULL},
	{"a side branch merged back",
	 "M C E\n"
	 "E D\n"
	 "D B\n"
	 "C B\n"
	 "B A\n"
	 "A\n",
	 "●─╮ M\n"
	 "│ ● E\n"
	 "│ ● D\n"
	 "● │ C\n"
	 "●─╯ B\n"
	 "● A\n",
	 NULL},
	{"a merge lane crosses a passing lane",
	 "A C\n"
	 "B D\n"
	 "C E D\n"
	 "D E\n"
	 "E\n",
	 "● A\n"
	 "│ ● B\n"
	 "●─│─╮ C\n"
	 "│ ●─╯ D\n"
	 "●─╯ E\n",
	 "* A\n"
	 "| * B\n"
	 "*-|-\\ C\n"
	 "| *-/ D\n"
	 "*-/ E\n"},
	{"a branch point that is also a merge reuses the closing column",
	 "X M\n"
	 "Y M\n"
	 "M A B\n"
	 "A\n"
	 "B\n",
	 "● X\n"
	 "│ ● Y\n"
	 "●─┤ M\n"
	 "● │ A\n"
	 "  ● B\n",
	 "* X\n"
	 "| * Y\n"
	 "*-+ M\n"
	 "* | A\n"
	 "  * B\n"},
	{"a merge opens a lane on the left when the right is full",
	 "X W\n"
	 "Y M\n"
	 "W\n"
	 "M A B\n"
	 "A\n"
	 "B\n",
	 "● X\n"
	 "│ ● Y\n"
	 "● │ W\n"
	 "╭─● M\n"
	 "│ ● A\n"
	 "● B\n",
	 "* X\n"
	 "| * Y\n"
	 "* | W\n"
	 "/-* M\n"
	 "| * A\n"
	 "* B\n"},
	{"lanes closing and opening on one row",
	 "X M\n"
	 "Y M\n"
	 "Z M\n"
	 "M A B\n"
	 "A\n"
	 "B\n",
	 "● X\n"
	 "│ ● Y\n"
	 "│ │ ● Z\n"
	 "●─┼─╯ M\n"
	 "● │ A\n"
	 "  ● B\n",
	 "* X\n"
	 "| * Y\n"
	 "| | * Z\n"
	 "*-+-/ M\n"
	 "* | A\n"
	 "  * B\n"},
	{"a new head never sits right under a base, but reuses its column later",
	 "A B\n"
	 "H1 C\n"
	 "B\n"
	 "H2 C\n"
	 "H3 C\n"
	 "C\n",
	 "● A\n"
	 "│ ● H1\n"
	 "● │ B\n"
	 "  │ ● H2\n"
	 "● │ │ H3\n"
	 "●─┴─╯ C\n",
	 NULL},
};

static void test_drawings(void)
{
	for (size_t i = 0; i < RT_ARRAY_LEN(drawings); i++) {
		check_drawing(drawings[i].graph, true, drawings[i].utf8, drawings[i].what);
		if (drawings[i].ascii)
			check_drawing(drawings[i].graph, false, drawings[i].ascii,
			              drawings[i].what);
	}
}

static void test_symbols(void)
{
	is_str(lane_sym_glyph(LANE_NODE, true), "●", "node glyph in UTF-8");
	is_str(lane_sym_glyph(LANE_NODE, false), "*", "node glyph in ASCII");
	is_str(lane_sym_glyph(LANE_LEFT_UP, true), "╯", "closing glyph in UTF-8");
	is_str(lane_sym_glyph(LANE_SYM_COUNT, true), " ", "out-of-range symbol is blank");
	is_str(lane_horiz_glyph(false), "-", "horizontal filler in ASCII");
	is_int(lane_sym_links(LANE_TEE_DOWN),
	       LANE_LINK_LEFT | LANE_LINK_RIGHT | LANE_LINK_DOWN, "tee links");
}

static void test_cells(void)
{
	struct fixture f;
	fixture_parse("M B C D\nB A\nC A\nD A\nA\n", &f);
	struct lanes *l = NULL;
	char *err = NULL;
	is_int(lanes_layout(f.nrows, f.parent_start, f.parents, &l, &err), RT_OK,
	       "octopus lays out");
	is_int(lanes_rows(l), 5, "row count");
	is_int(lanes_width(l, 0), 3, "merge row is three cells");
	is_int(lanes_width(l, 99), 0, "row out of range has no cells");
	is_int(lanes_max_width(l), 3, "max width");
	is_int(lanes_node_col(l, 2), 1, "second parent sits in column 1");
	is_int(lanes_cell(l, 0, 1), LANE_TEE_DOWN, "middle lane opens with a tee");
	is_int(lanes_cell(l, 0, 7), LANE_EMPTY, "cell past the width is empty");
	is_int(lanes_links(l, 0, 0), LANE_LINK_DOWN | LANE_LINK_RIGHT,
	       "head merge node links down and right");
	is_int(lanes_links(l, 4, 0), LANE_LINK_UP | LANE_LINK_RIGHT,
	       "base node links up and right");
	is_int(lanes_links(l, 1, 0), LANE_LINK_UP | LANE_LINK_DOWN,
	       "plain node links up and down");
	lanes_free(l);
	fixture_free(&f);
}

static void test_render_row(void)
{
	struct fixture f;
	fixture_parse("M B C\nB A\nC A\nA\n", &f);
	struct lanes *l = NULL;
	lanes_layout(f.nrows, f.parent_start, f.parents, &l, NULL);
	struct strbuf sb = STRBUF_INIT;
	lanes_render_row(l, 0, true, "Rev: M (head)\nParent: B, C\n\n    Merge", &sb);
	is_str(sb_str(&sb),
	       "●─╮ Rev: M (head)\n"
	       "│ │ Parent: B, C\n"
	       "│ │\n"
	       "│ │     Merge\n",
	       "further text lines carry the lanes below the row");
	sb_reset(&sb);
	lanes_render_row(l, 2, false, "C\nmore\n", &sb);
	is_str(sb_str(&sb), "| * C\n| | more\n",
	       "a node's first parent continues under its text");
	sb_reset(&sb);
	lanes_render_row(l, 3, false, "A\nbase", &sb);
	is_str(sb_str(&sb), "*-/ A\n    base\n", "nothing continues under a base");
	sb_reset(&sb);
	lanes_render_row(l, 1, true, NULL, &sb);
	is_str(sb_str(&sb), "● │\n", "no text leaves no trailing space");
	sb_reset(&sb);
	lanes_render(l, 0, false, &sb);
	is_str(sb_str(&sb), "*-\\ ", "lanes_render is two columns per cell");
	sb_free(&sb);
	lanes_free(l);
	fixture_free(&f);
}

static void test_errors(void)
{
	struct lanes *l = NULL;
	char *err = NULL;
	uint32_t start[] = {0, 1, 1};
	uint32_t up[] = {0};
	is_int(lanes_layout(2, start, up, &l, &err), RT_EINPUT,
	       "a row that is its own parent is refused");
	ok(err && strstr(err, "row 0: parent row 0 is not below it"), "error names the row");
	ok(l == NULL, "nothing is returned on error");
	free(err);
	err = NULL;
	uint32_t far[] = {5};
	is_int(lanes_layout(2, start, far, &l, &err), RT_EINPUT,
	       "a parent past the last row is refused");
	free(err);
	err = NULL;
	uint32_t back[] = {0, 1, 0};
	uint32_t one[] = {1};
	is_int(lanes_layout(2, back, one, &l, &err), RT_EINPUT,
	       "offsets going backwards are refused");
	free(err);
	is_int(lanes_layout(0, NULL, NULL, &l, NULL), RT_OK, "an empty graph lays out");
	is_int(lanes_max_width(l), 0, "an empty graph has no width");
	lanes_free(l);
}

/* ---- properties over generated graphs ---- */

static uint64_t rng_state;

static uint32_t rng(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

struct gen {
	uint32_t nrows;
	uint32_t *start;
	uint32_t *parents;
	uint32_t n, cap;
};

static void gen_add(struct gen *g, uint32_t parent)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->parents = xrealloc(g->parents, g->cap * sizeof(*g->parents));
	}
	g->parents[g->n++] = parent;
}

static void gen_begin(struct gen *g, uint32_t nrows)
{
	memset(g, 0, sizeof(*g));
	g->nrows = nrows;
	g->start = xcalloc(nrows + 1, sizeof(*g->start));
}

static void gen_free(struct gen *g)
{
	free(g->start);
	free(g->parents);
}

/* Follows the lane that leaves (row, col) downwards to the node it ends in;
 * returns that row, or UINT32_MAX when the drawing is broken. */
static uint32_t trace_lane(const struct lanes *l, uint32_t row, uint32_t col)
{
	for (uint32_t r = row + 1; r < lanes_rows(l); r++) {
		unsigned links = lanes_links(l, r, col);
		if (!(links & LANE_LINK_UP))
			return UINT32_MAX;
		enum lane_sym sym = lanes_cell(l, r, col);
		if (sym == LANE_VERT || sym == LANE_CROSS)
			continue;
		uint32_t node = lanes_node_col(l, r);
		while (col != node) {
			unsigned way = node > col ? LANE_LINK_RIGHT : LANE_LINK_LEFT;
			if (!(lanes_links(l, r, col) & way))
				return UINT32_MAX;
			col = node > col ? col + 1 : col - 1;
		}
		return r;
	}
	return UINT32_MAX;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Checks that the drawing is continuous and that its lanes connect exactly
 * the given parent edges; returns a description of the first fault. */
static const char *check_layout(const struct gen *g, const struct lanes *l)
{
	uint32_t n = g->nrows;
	uint64_t *want = xmalloc((g->n + 1) * sizeof(*want));
	uint64_t *got = xmalloc((g->n + 1) * sizeof(*got));
	uint32_t ngot = 0;
	const char *fault = NULL;
	for (uint32_t r = 0; r < n && !fault; r++) {
		for (uint32_t i = g->start[r]; i < g->start[r + 1]; i++)
			want[i] = (uint64_t)r << 32 | g->parents[i];
		uint32_t w = lanes_width(l, r);
		if (w == 0 || lanes_cell(l, r, w - 1) == LANE_EMPTY)
			fault = "row width does not end on a symbol";
		if (lanes_cell(l, r, lanes_node_col(l, r)) != LANE_NODE)
			fault = "node column has no node";
		for (uint32_t c = 0; c <= w && !fault; c++) {
			unsigned links = lanes_links(l, r, c);
			bool down_below = r + 1 < n && (lanes_links(l, r + 1, c) & LANE_LINK_UP);
			bool up_above = r > 0 && (lanes_links(l, r - 1, c) & LANE_LINK_DOWN);
			bool right_next = lanes_links(l, r, c + 1) & LANE_LINK_LEFT;
			if (!!(links & LANE_LINK_DOWN) != down_below)
				fault = "a line down does not meet a line up";
			else if (!!(links & LANE_LINK_UP) != up_above)
				fault = "a line up does not meet a line down";
			else if (!!(links & LANE_LINK_RIGHT) != right_next)
				fault = "a horizontal line is broken";
			enum lane_sym sym = lanes_cell(l, r, c);
			if (fault || !(links & LANE_LINK_DOWN) || sym == LANE_VERT ||
			    sym == LANE_CROSS)
				continue;
			uint32_t to = trace_lane(l, r, c);
			if (to == UINT32_MAX)
				fault = "a lane leads nowhere";
			else
				got[ngot++] = (uint64_t)r << 32 | to;
		}
	}
	if (!fault) {
		qsort(want, g->n, sizeof(*want), cmp_u64);
		qsort(got, ngot, sizeof(*got), cmp_u64);
		if (ngot != g->n || memcmp(want, got, ngot * sizeof(*got)) != 0)
			fault = "the lanes do not connect the parent edges";
	}
	free(want);
	free(got);
	return fault;
}

/* The most lanes that must be open at once: edges passing over a row gap. */
static uint32_t max_open(const struct gen *g)
{
	int32_t *delta = xcalloc(g->nrows + 1, sizeof(*delta));
	for (uint32_t r = 0; r < g->nrows; r++)
		for (uint32_t i = g->start[r]; i < g->start[r + 1]; i++) {
			delta[r]++;
			delta[g->parents[i]]--;
		}
	int32_t open = 0, most = 0;
	for (uint32_t r = 0; r < g->nrows; r++) {
		open += delta[r];
		if (open > most)
			most = open;
	}
	free(delta);
	return (uint32_t)most;
}

static void test_random_graphs(void)
{
	int faults = 0, too_wide = 0;
	const char *first = NULL;
	rng_state = 0x2545f4914f6cdd1dULL;
	for (int round = 0; round < 300 && !faults; round++) {
		struct gen g;
		gen_begin(&g, 1 + rng(80));
		uint32_t window = 1 + rng(12);
		for (uint32_t r = 0; r < g.nrows; r++) {
			uint32_t below = g.nrows - 1 - r;
			uint32_t np = below ? rng(4) : 0;
			for (uint32_t k = 0; k < np; k++) {
				uint32_t p = r + 1 + rng(below < window ? below : window);
				bool dup = false;
				for (uint32_t i = g.start[r]; i < g.n; i++)
					dup |= g.parents[i] == p;
				if (!dup)
					gen_add(&g, p);
			}
			g.start[r + 1] = g.n;
		}
		struct lanes *l = NULL;
		if (lanes_layout(g.nrows, g.start, g.parents, &l, NULL) != RT_OK) {
			faults++;
			first = "layout refused a valid graph";
		} else {
			const char *fault = check_layout(&g, l);
			if (fault) {
				faults++;
				first = fault;
				printf("# round %d: %s\n", round, fault);
			}
			if (lanes_max_width(l) > max_open(&g) + 2)
				too_wide++;
		}
		lanes_free(l);
		gen_free(&g);
	}
	ok(faults == 0, "300 generated graphs draw continuous lanes along their edges%s%s",
	   first ? ": " : "", first ? first : "");
	is_int(too_wide, 0, "no layout is wider than the lanes open at once, plus the node and a gap");
}

/* A long mainline with a short side branch every few revisions, merged
 * back: n rows, all of it in two columns. */
static void gen_long_history(struct gen *g, uint32_t n)
{
	gen_begin(g, n);
	for (uint32_t r = 0; r < n; r++) {
		uint32_t phase = r % 5;
		bool whole = r - phase + 5 < n;
		if (whole && phase == 0) {
			/* a merge point of the mainline (r+3, r+4) and a side
			 * branch (r+1, r+2), which forked off at r+4 */
			gen_add(g, r + 3);
			gen_add(g, r + 1);
		} else if (whole && phase == 2) {
			gen_add(g, r + 2);
		} else if (r + 1 < n) {
			gen_add(g, r + 1);
		}
		g->start[r + 1] = g->n;
	}
}

static void test_long_history(void)
{
	struct gen g;
	gen_long_history(&g, 100000);
	struct lanes *l = NULL;
	/* Speed is measured by the benchmark (bench/), not here. */
	int rc = lanes_layout(g.nrows, g.start, g.parents, &l, NULL);
	is_int(rc, RT_OK, "100,000 revisions lay out");
	is_int(lanes_max_width(l), 2, "side branches merged back keep the width at two");
	ok(check_layout(&g, l) == NULL, "the long history draws every edge");
	struct strbuf sb = STRBUF_INIT;
	for (uint32_t r = 50000; r < 50006; r++)
		lanes_render_row(l, r, true, "", &sb);
	is_str(sb_str(&sb),
	       "●─╮\n"
	       "│ ●\n"
	       "│ ●\n"
	       "● │\n"
	       "●─╯\n"
	       "●─╮\n",
	       "the middle of the long history");
	sb_free(&sb);
	lanes_free(l);
	gen_free(&g);
}

static void test_many_heads(void)
{
	/* 2,000 heads on one base: as wide as it must be, and the base row
	 * gathers them all. */
	struct gen g;
	uint32_t n = 2001;
	gen_begin(&g, n);
	for (uint32_t r = 0; r + 1 < n; r++) {
		gen_add(&g, n - 1);
		g.start[r + 1] = g.n;
	}
	g.start[n] = g.n;
	struct lanes *l = NULL;
	is_int(lanes_layout(n, g.start, g.parents, &l, NULL), RT_OK, "2,000 heads lay out");
	is_int(lanes_max_width(l), 2000, "each open head needs its own lane");
	is_int(lanes_cell(l, n - 1, 1999), LANE_LEFT_UP, "the base closes the last lane");
	is_int(lanes_cell(l, n - 1, 1000), LANE_TEE_UP, "and those on the way");
	ok(check_layout(&g, l) == NULL, "the many heads draw every edge");
	lanes_free(l);
	gen_free(&g);
}

int main(void)
{
	test_symbols();
	test_drawings();
	test_cells();
	test_render_row();
	test_errors();
	test_random_graphs();
	test_long_history();
	test_many_heads();
	return done_testing();
}
