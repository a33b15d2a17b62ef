/* lanes.h: the lane layout of the revision graph, as `git log --graph`
 * draws it but with exactly one text row per revision (the console shows
 * one row per revision).
 *
 * Input: rows in display order, newest first (row 0 is drawn at the top),
 * each with the rows of its parents; a parent always lies below its child
 * (a larger row index). Dependency edges are not lanes and are not given.
 *
 * Output: per row, a run of cells, each one symbol from enum lane_sym. A
 * lane keeps its column from the row that opens it to the row that closes
 * it (lanes never shift sideways), and a column is reused once its lane has
 * ended, so the width is the number of lanes open at once, not the number
 * of branches ever seen. On the node's row:
 *   - the node sits in the leftmost lane coming down to it; a head takes
 *     the leftmost free column (except the one right under a base's node:
 *     two nodes one above the other read as child and parent);
 *   - the other lanes coming down to it (it is a branch point: several
 *     children share it) join it horizontally from the right: ╯ ┴;
 *   - the first parent continues below the node in its own column;
 *   - each further parent (a merge point) opens a lane, to the right of the
 *     node when a column is free there, else in a free column on its left,
 *     and in a new column only when none is free: ╮ ┬ ╭;
 *   - a column where a lane ends and a new one starts on the same row:
 *     ┤ ┼;
 *   - a lane merely passing under the horizontal line is drawn as a
 *     vertical (LANE_CROSS), as tig does, so that a junction always means
 *     a real connection.
 *
 * Text: each cell is two terminal columns, the glyph and then a filler that
 * is the horizontal line when the cell links to its right neighbour and a
 * space otherwise. UTF-8 glyphs are one column wide each.
 *
 * Cost: O(rows x open lanes) time and one byte per cell of memory. */
#ifndef RT_LANES_H
#define RT_LANES_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* The edges of a cell that a line leaves through. */
enum lane_link {
	LANE_LINK_UP = 1,
	LANE_LINK_DOWN = 2,
	LANE_LINK_LEFT = 4,
	LANE_LINK_RIGHT = 8,
};

#define LANE_UD (LANE_LINK_UP | LANE_LINK_DOWN)
#define LANE_LR (LANE_LINK_LEFT | LANE_LINK_RIGHT)

/* X(name, UTF-8 glyph, ASCII glyph, links). The node's links depend on its
 * row (head, base, joins on either side): ask lanes_links() for them. The
 * set is closed under mirroring, so ╰ and ├ are here although the layout,
 * which joins closing lanes from the right only, does not emit them. */
#define LANE_SYM_LIST(X)                                                \
	X(LANE_EMPTY,      " ", " ",  0)                                \
	X(LANE_NODE,       "●", "*",  0)                                \
	X(LANE_VERT,       "│", "|",  LANE_UD)                          \
	X(LANE_HORIZ,      "─", "-",  LANE_LR)                          \
	X(LANE_CROSS,      "│", "|",  LANE_UD | LANE_LR)                \
	X(LANE_LEFT_DOWN,  "╮", "\\", LANE_LINK_LEFT | LANE_LINK_DOWN)  \
	X(LANE_RIGHT_DOWN, "╭", "/",  LANE_LINK_RIGHT | LANE_LINK_DOWN) \
	X(LANE_LEFT_UP,    "╯", "/",  LANE_LINK_LEFT | LANE_LINK_UP)    \
	X(LANE_RIGHT_UP,   "╰", "\\", LANE_LINK_RIGHT | LANE_LINK_UP)   \
	X(LANE_TEE_DOWN,   "┬", ".",  LANE_LR | LANE_LINK_DOWN)         \
	X(LANE_TEE_UP,     "┴", "'",  LANE_LR | LANE_LINK_UP)           \
	X(LANE_TEE_LEFT,   "┤", "+",  LANE_UD | LANE_LINK_LEFT)         \
	X(LANE_TEE_RIGHT,  "├", "+",  LANE_UD | LANE_LINK_RIGHT)        \
	X(LANE_JOIN,       "┼", "+",  LANE_UD | LANE_LR)

enum lane_sym {
#define LANE_X(name, utf8, ascii, links) name,
	LANE_SYM_LIST(LANE_X)
#undef LANE_X
	LANE_SYM_COUNT
};

/* The glyph of a symbol: a static string, one terminal column wide. */
const char *lane_sym_glyph(enum lane_sym sym, bool utf8);
/* The horizontal line glyph used as the filler between linked cells. */
const char *lane_horiz_glyph(bool utf8);
/* The fixed links of a symbol (0 for LANE_EMPTY and LANE_NODE). */
unsigned lane_sym_links(enum lane_sym sym);

/* How a node is drawn when the database's state is shown: applied and
 * pending revisions differ, and a revision whose state could not be read
 * (no database, an unreachable one, a file that does not exist) has a
 * glyph of its own, never the applied one. X(name, UTF-8, ASCII, words). */
#define LANE_STATE_LIST(X)                                                  \
	X(LANE_STATE_NONE,    "●", "*", "a revision")                      \
	X(LANE_STATE_APPLIED, "●", "*", "applied")                         \
	X(LANE_STATE_PENDING, "○", "o", "pending")                         \
	X(LANE_STATE_UNKNOWN, "◌", "?", "unknown: the database could not be read")   \
	X(LANE_STATE_INTERRUPTED, "◐", "%", "interrupted: a Transaction: none step " \
	  "stopped part-way")

enum lane_state {
#define LANE_X(name, utf8, ascii, words) name,
	LANE_STATE_LIST(LANE_X)
#undef LANE_X
	LANE_STATE_COUNT
};

/* The node's glyph for a state (LANE_STATE_NONE: the plain node), one
 * terminal column wide; and the state in words, for legends. */
const char *lane_state_glyph(enum lane_state st, bool utf8);
const char *lane_state_words(enum lane_state st);

struct lanes;

/* Lays out nrows rows. parents[parent_start[r] .. parent_start[r+1]) are
 * the parents of row r, first parent first; parent_start has nrows + 1
 * entries and parent_start[0] is 0. A parent row must be greater than r and
 * less than nrows, otherwise RT_EINPUT with a message in *err and nothing in
 * *out. The arrays are only read during the call.
 * *out: caller frees with lanes_free. */
int lanes_layout(uint32_t nrows, const uint32_t *parent_start,
                 const uint32_t *parents, struct lanes **out, char **err);
void lanes_free(struct lanes *l);

uint32_t lanes_rows(const struct lanes *l);
/* Cells in that row: the last one is never LANE_EMPTY (0 for a row out of
 * range). */
uint32_t lanes_width(const struct lanes *l, uint32_t row);
/* The widest row, for aligning text after the graph. */
uint32_t lanes_max_width(const struct lanes *l);
/* The column of the row's node. */
uint32_t lanes_node_col(const struct lanes *l, uint32_t row);
/* LANE_EMPTY outside the row's width. */
enum lane_sym lanes_cell(const struct lanes *l, uint32_t row, uint32_t col);
/* The actual links of a cell, the node's included: up unless the row is a
 * head, down unless it is a base, left/right when a line joins it. */
unsigned lanes_links(const struct lanes *l, uint32_t row, uint32_t col);

/* Appends the row's cells as text, 2 x lanes_width(row) columns (the last
 * one a space). */
void lanes_render(const struct lanes *l, uint32_t row, bool utf8,
                  struct strbuf *out);
/* The same with the node drawn for a state (lane_state_glyph). */
void lanes_render_state(const struct lanes *l, uint32_t row, bool utf8,
                        enum lane_state st, struct strbuf *out);
/* The command line's form (`history --graph`): the row's graph, then text,
 * then a newline. When text holds several lines, each further line is
 * prefixed with the lanes that continue below the row, padded to the same
 * width so the text stays aligned. text may be NULL or empty (no trailing
 * space is written then). */
void lanes_render_row(const struct lanes *l, uint32_t row, bool utf8,
                      const char *text, struct strbuf *out);

#endif
