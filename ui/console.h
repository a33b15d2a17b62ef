/* console.h: the parts of the console (ui/ only) and how they talk.
 *
 * tui.c owns the terminal, the layout and the loop; model.c loads what the
 * panes show; graphview.c and preview.c are the two panes, each a
 * `struct view_ops` like tig's views; dialog.c draws the modal parts;
 * actions.c runs what the keys ask for through the engine. */
#ifndef RT_CONSOLE_H
#define RT_CONSOLE_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "cli.h"
#include "db.h"
#include "inspect.h"
#include "keys.h"
#include "lanes.h"
#include "lineedit.h"
#include "lint.h"
#include "plan.h"
#include "theme.h"

/* ---- model.c: what one load of the scripts and the database found ---- */

enum cs_state { CS_UNKNOWN, CS_NONE, CS_SAME, CS_CHANGED, CS_UNREADABLE };

struct model {
	struct cli_ctx *c;          /* borrowed */
	const struct graph *g;      /* c->graph; NULL when the scripts did not load */
	char *graph_error;          /* why g is NULL */
	struct lanes *lanes;        /* row r is revision g->n - 1 - r (newest first) */
	bool db_configured;         /* a database URL was found */
	bool have_db;               /* and its state was read */
	char *db_error;             /* why it could not be (owned) */
	bool db_missing;            /* because the SQLite file does not exist */
	char **vrows;               /* the version table's rows */
	uint32_t nvrows;
	char *unknown;              /* rows no script defines, space-separated, or NULL */
	struct bitset applied, current, selected;
	uint32_t napplied;
	struct history_row *ledger; /* the whole ledger, oldest first */
	uint32_t nledger;
	/* The ledger's rows of revision r are by_rev[rev_start[r] .. rev_start[r+1]),
	 * oldest first (shallow copies: the strings belong to ledger). */
	struct history_row *by_rev;
	uint32_t *rev_start;
	uint8_t *checksum;          /* enum cs_state per revision, filled on demand */
	/* `Transaction: none` steps the ledger shows half done. */
	struct inspect_opens opens;
	/* What model_poll compares with: the scripts directory's and the
	 * SQLite file's times and sizes when the load began. */
	struct stat dir_stat, db_stat;
	bool db_stat_ok;
	/* With a declarative schema configured: the differences `check`
	 * reports between the database, its migrations and that schema. */
	int drift;
	char *drift_first;          /* the first of them (owned), or NULL */
};

/* Loads the scripts (c->graph) and, when one is configured, the database's
 * state. Never fails as a whole: what could not be read is described in
 * graph_error or db_error. */
void model_load(struct model *m, struct cli_ctx *c);
void model_free(struct model *m);
uint32_t model_count(const struct model *m);
/* The version table's rows, space-separated, or "<base>" (caller frees). */
char *model_current_text(const struct model *m);
static inline uint32_t model_rev(const struct model *m, uint32_t row)
{
	return m->g->n - 1 - row;
}
bool model_is_head(const struct model *m, uint32_t rev);
/* Since the load: POLL_SAME, or POLL_CHANGED (the scripts directory, or
 * the version table, changed: reload), or POLL_BUSY when another process
 * holds the migration lock of a SQLite file (reading it could wait for
 * the migration: *holder, caller frees). Cheap: on SQLite one stat, and
 * a SELECT only when the file changed; on PostgreSQL one SELECT. */
enum model_poll { POLL_SAME, POLL_CHANGED, POLL_BUSY };
enum model_poll model_poll(struct model *m, char **holder);
/* Whether rev's file still matches the checksum the ledger recorded;
 * computed (one file read) the first time it is asked. */
enum cs_state model_checksum(struct model *m, uint32_t rev);
/* The ledger's rows about rev, oldest first; *n their count. */
const struct history_row *model_ledger(const struct model *m, uint32_t rev, uint32_t *n);
/* rev's step left half done, or NULL. */
const struct inspect_open *model_open(const struct model *m, uint32_t rev);

/* ---- doc.c: text with a theme role per byte, split into lines ---- */

struct doc {
	struct strbuf text;
	unsigned char *roles;       /* one enum theme_role per byte of text */
	size_t rcap;
	struct u32vec lines;        /* where each line starts */
	unsigned edits;             /* bumped by every change */
};

/* The columns of a line number before each line of SQL ("   12 "). A line
 * that starts with bytes of the THEME_LINENO role has them as its gutter:
 * the preview keeps it in place when it wraps or scrolls sideways. */
#define DOC_GUTTER 6

void doc_reset(struct doc *d);
void doc_free(struct doc *d);
void doc_add(struct doc *d, enum theme_role role, const char *s);
void doc_addf(struct doc *d, enum theme_role role, const char *fmt, ...) RT_PRINTF(3, 4);
/* Python source (an Alembic revision's functions), numbered from
 * first_line, its comments set apart. */
void doc_add_python(struct doc *d, const char *src, size_t len, uint32_t first_line);
/* SQL with its keywords, strings, numbers and comments marked, each line
 * prefixed by its line number in the file (first_line based). */
void doc_add_sql(struct doc *d, const char *sql, size_t len, enum sql_dialect dialect,
                 uint32_t first_line);
/* Wraps text into lines of at most width columns at spaces. */
void doc_add_wrapped(struct doc *d, enum theme_role role, const char *text, int width);
uint32_t doc_lines(const struct doc *d);
/* Line i (without its newline): bytes [*start, *start + *len). */
void doc_line(const struct doc *d, uint32_t i, size_t *start, size_t *len);

/* ---- draw.c: width-aware drawing and scrolling ---- */

/* Draws left to right on one row, never past end; extra is added to every
 * attribute (A_REVERSE on the selected row). */
struct pen {
	WINDOW *w;
	int y, x, end;
	attr_t extra;
};

int text_width(const char *s, size_t n);
/* Glyphs: UTF-8 ones or ASCII (set once the terminal's locale is known). */
void draw_set_utf8(bool utf8);
/* What marks text cut at the edge of its space: "…", or ">" in ASCII.
 * pen_text puts it in the last column when the text does not fit. */
const char *draw_ellipsis(void);
/* The bytes of s (n bytes) that fit in cols columns, whole characters, at
 * least one; *used (may be NULL): their columns. */
size_t text_fit(const char *s, size_t n, int cols, int *used);
/* " …" (" ..." in ASCII): a message that leaves lines out. */
const char *draw_more(void);
/* printf arguments for "%.*s%s": the first line of text, then draw_more()
 * when more lines follow. */
#define FIRST_LINE(text) \
	(int)strcspn((text), "\n"), (text), strchr((text), '\n') ? draw_more() : ""
/* The length in bytes of the character at s, and its columns in *cols (an
 * undecodable byte or a control character counts as one). */
size_t text_char(const char *s, size_t n, int *cols);
void pen_start(struct pen *p, WINDOW *w, int y, int x, int end, attr_t extra);
void pen_text(struct pen *p, attr_t a, const char *s);
void pen_textn(struct pen *p, attr_t a, const char *s, size_t n);
void pen_fill(struct pen *p, attr_t a);
static inline int pen_left(const struct pen *p)
{
	return p->end - p->x;
}
/* One line of a doc in width columns from (y, x), blank past its end. */
void draw_doc_line(WINDOW *w, int y, int x, int width, const struct doc *d,
                   uint32_t line, attr_t extra);

/* ---- the panes ---- */

struct console;
struct view;

struct view_ops {
	const char *name;
	void (*draw)(struct view *v);
	/* A request the pane handles itself; false leaves it to the console. */
	bool (*request)(struct view *v, enum request r);
};

struct view {
	const struct view_ops *ops;
	struct console *con;
	WINDOW *win;                /* NULL while the pane is hidden */
	int header;                 /* rows of the window above the content */
	int height, width;          /* of the content */
	uint32_t lines;             /* content lines */
	uint32_t top;               /* first line shown */
	uint32_t cur;               /* the selected line, when has_cursor */
	bool has_cursor;
};

/* Moves the cursor (or scrolls) for a movement request; false otherwise. */
bool view_move(struct view *v, enum request r);
/* Keeps top and cur within the content and the cursor on screen. */
void view_clamp(struct view *v);

extern const struct view_ops graph_ops, preview_ops;

enum preview_mode { PREVIEW_UPGRADE, PREVIEW_DOWNGRADE, PREVIEW_DETAILS, PREVIEW_PLAN };

struct console {
	struct cli_ctx *c;
	struct model m;
	bool utf8;                  /* UTF-8 glyphs (locale and no --ascii) */
	struct view graph, preview;
	struct view *focus;
	bool one_pane;              /* too short for both: only the focused one */
	bool too_small;
	WINDOW *title, *status;
	enum preview_mode mode;     /* what the preview shows */
	enum preview_mode last_mode;/* to return to after a plan */
	struct doc doc;             /* the preview's content */
	char *plan_title;           /* the tab of a PREVIEW_PLAN */
	uint32_t doc_rev;           /* what doc was built for */
	enum preview_mode doc_mode;
	unsigned doc_gen, gen;      /* gen: bumped by every load */
	char *message;              /* shown once in the status line */
	enum theme_role message_role;
	char *search;
	struct le_history search_hist, text_hist;
	/* The preview's screen rows: long lines wrap (a continuation mark in
	 * the gutter), or stay whole and scroll sideways by hscroll columns.
	 * Doc line i starts at row rows.v[i], rows.v[lines] is the total; laid
	 * out for the doc's edits, the width and the wrapping in rows_for. */
	bool wrap;
	int hscroll;
	struct u32vec rows;
	struct { unsigned edits; int width; bool wrap; } rows_for;
	uint32_t want_line;         /* a script line to scroll the preview to, 0 none */
	int status_rows;            /* the status line's rows: a long question wraps */
	struct db_wait busy;        /* how a read waits for another writer (c->busy_wait) */
	char *busy_holder;          /* who migrates the database, as the last poll saw */
	/* The database the fleet view's Enter chose (c->database points
	 * here), or NULL. */
	char *fleet_database;
	bool quit;
};

/* tui.c */
void console_layout(struct console *con);
/* Draws every pane and the bars into curses' virtual screen
 * (wnoutrefresh); the caller adds its own windows, then calls doupdate. */
void console_draw(struct console *con);
void console_message(struct console *con, enum theme_role role, const char *fmt, ...)
	RT_PRINTF(3, 4);
/* Reads the scripts and the database again, keeping the selection on the
 * same revision id (or on rev_id when given). */
void console_reload(struct console *con, const char *rev_id);
/* A key: a character, or a function key (KEY_*) with *fn set; -1 when the
 * terminal is gone. KEY_RESIZE comes after the layout has followed it: the
 * caller only redraws. Ctrl-C (a SIGINT, which never ends the console)
 * reads as the character KEY_CTRL('C'). */
int console_getkey(struct console *con, bool *fn);
/* The same, waiting at most ms milliseconds: CONSOLE_NO_KEY when none came. */
#define CONSOLE_NO_KEY (-2)
int console_getkey_for(struct console *con, bool *fn, int ms);
/* Whether a SIGINT (Ctrl-C) came since the last call; clears it. */
bool console_interrupted(void);
/* Hands the terminal to a plain program (endwin) and takes it back. */
void console_suspend(struct console *con);
void console_resume(struct console *con);

/* graphview.c */
/* The revision under the cursor, or -1 when there is none. */
int64_t graph_selected(const struct console *con);
void graph_select_rev(struct console *con, uint32_t rev);
/* Where a search matched: a revision's id, labels or message, or a line
 * of one of its SQL sections. */
struct search_hit {
	bool in_sql;
	enum script_section section;
	uint32_t line;              /* the file's line */
};
/* Searches from the cursor, row by row (dir +1 or -1, wrapping around):
 * ids, labels and messages, then the SQL of each revision's script, read
 * only when its own row is reached. */
bool graph_search(struct console *con, const char *text, int dir, bool *wrapped,
                  struct search_hit *hit);
/* The next row after the cursor (dir +1 down, -1 up, wrapping) whose
 * revision is a head (heads) or in the version table (!heads); false when
 * there is none. *nth, *count: which one of how many it is. */
bool graph_jump(struct console *con, bool heads, int dir, uint32_t *nth, uint32_t *count);

/* preview.c */
/* Rebuilds the preview for the selected revision when it is stale. */
void preview_update(struct console *con);
void preview_set_mode(struct console *con, enum preview_mode mode);
/* Shows a plan: its lint findings (f, worst first: policy_findings), then
 * every step with its SQL (PREVIEW_PLAN until the next preview_set_mode).
 * production: why production mode asks for the database's name, or NULL. */
void preview_show_plan(struct console *con, const char *title, const char *summary,
                       const struct plan *p, const struct lint_findings *f,
                       const char *production);
/* One section of rev's script as the file has it now, with its line
 * numbers (the guided rollback's review shows the same). */
void preview_add_section(struct console *con, struct doc *d, uint32_t rev,
                         enum script_section which);
/* Shows plain text in the plan tab. */
void preview_show_text(struct console *con, const char *title, const char *text);
/* Wrapping on or off, the top line kept; sideways scrolling by cols. */
void preview_set_wrap(struct console *con, bool wrap);
void preview_scroll_x(struct console *con, int cols);

/* dialog.c */
/* Asks y/N in the status line; the preview scrolls meanwhile. Default no. */
bool dialog_confirm(struct console *con, const char *question);
/* Asks to type `expected` exactly (production mode). */
bool dialog_typed(struct console *con, const char *title, const char *text,
                  const char *expected);
/* A one-line prompt in a box; the typed text (caller frees) or NULL when
 * cancelled. */
char *dialog_prompt(struct console *con, const char *title, const char *label,
                    const char *initial, struct le_history *hist);
/* The same in the status line (search). */
char *dialog_input(struct console *con, const char *label, struct le_history *hist);
/* A message box, scrollable, closed by Enter, Esc, q or Space. */
void dialog_message(struct console *con, const char *title, const char *text,
                    enum theme_role role);
/* A page of text in a box: the whole screen when full, else as large as
 * the text needs. build fills d for the box's inner width, again after
 * every resize. The moving keys scroll it; returns the key of answers
 * pressed (Enter as '\n', letters in lower case), or 0 when cancelled
 * (Esc, q, Ctrl-C, or the terminal gone). hint: the keys, in the bottom
 * border. */
typedef void (*dialog_build_fn)(struct console *con, struct doc *d, int width, void *ctx);
int dialog_page(struct console *con, const char *title, enum theme_role role, bool full,
                dialog_build_fn build, void *ctx, const char *answers, const char *hint);
/* A progress box (no input): label, then a bar of done/total; hint (or
 * NULL) in its bottom border. */
void dialog_progress(struct console *con, const char *title, const char *label,
                     uint32_t done, uint32_t total, const char *hint);
/* A box while the console waits for another process: what it waits for,
 * who holds it, for how long out of how long. Returns false when the user
 * cancels (Esc or Ctrl-C), true to go on waiting. */
bool dialog_wait(struct console *con, const char *title, const char *what,
                 const char *holder, double elapsed, double timeout);

/* rollback.c: the guided rollback to revision rev (applied, not current),
 * in dialogs: review, backup, rehearsal, confirmation, run, result. */
void rollback_guided(struct console *con, uint32_t rev);

/* actions.c */
void action_run(struct console *con, enum request r);
/* Asks y/N about what the preview shows, with the preview focused so that
 * the moving keys scroll it (and, on a short terminal, so that it shows). */
bool action_confirm_preview(struct console *con, const char *question);
/* Runs one command line of the command table (argv without the program
 * name) with its output and errors captured (*out, *errs: caller frees). */
enum rt_status action_run_captured(struct console *con, char **argv, int argc, char **out,
                                   char **errs);

/* fleetview.c: the fleet view (F) until it is closed. */
void fleet_view(struct console *con);
/* How the console waits for a database another process writes (SQLite):
 * a dialog_wait box; fills con->busy for con->c->busy_wait. */
void action_busy_wait(struct console *con);

#endif
