/* tui.c: the console (`retort tui`): the terminal's life, the layout of
 * the title bar, the two panes and the status line, and the loop that
 * turns keys into requests. */
#include <langinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "faces.h"
#include "tui.h"

/* Too small for anything but a notice. */
#define MIN_COLS 30
#define MIN_LINES 6
/* Below this many body rows only the focused pane is shown. */
#define TWO_PANE_ROWS 16
/* How far h and l scroll the preview sideways. */
#define SCROLL_COLS 8
/* How often, while no key comes, the console looks for changes that
 * another process made to the database or the scripts. */
#define POLL_MS 2000
/* The columns a message keeps in the status line before hints give way. */
#define STATUS_MIN_MESSAGE 60

/* ---- the terminal: one restore path for exit, errors and signals ---- */

static volatile sig_atomic_t curses_up;

static void restore_terminal(void)
{
	if (curses_up) {
		curses_up = 0;
		endwin();
	}
}

static const int fatal_signals[] = {SIGTERM, SIGHUP, SIGQUIT,
                                    SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
static struct sigaction saved_actions[RT_ARRAY_LEN(fatal_signals)];
static struct sigaction saved_sigint;

/* Ctrl-C never ends the console: it stops what waits or runs. During a
 * run the engine's own handler takes SIGINT (the running statement is
 * cancelled, no further step starts) and raises it again afterwards. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

bool console_interrupted(void)
{
	bool was = interrupted;
	interrupted = 0;
	return was;
}

static void on_fatal_signal(int sig)
{
	restore_terminal();
	/* SA_RESETHAND put the default action back: die of the same signal. */
	raise(sig);
}

static void catch_signals(bool on)
{
	if (on) {
		/* no SA_RESTART: a wait for a key returns, and says Ctrl-C */
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_interrupt;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &saved_sigint);
	} else {
		sigaction(SIGINT, &saved_sigint, NULL);
	}
	for (size_t i = 0; i < RT_ARRAY_LEN(fatal_signals); i++) {
		if (!on) {
			sigaction(fatal_signals[i], &saved_actions[i], NULL);
			continue;
		}
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal_signal;
		sa.sa_flags = SA_RESETHAND;
		sigemptyset(&sa.sa_mask);
		sigaction(fatal_signals[i], &sa, &saved_actions[i]);
	}
}

static SCREEN *screen;
static WINDOW *input_win;  /* never drawn: reading keys must not repaint */

static void drop_window(WINDOW **w)
{
	if (*w)
		delwin(*w);
	*w = NULL;
}

static int start_terminal(struct console *con, bool ascii, char **err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return rt_err(err, RT_EUSAGE, "retort tui: the console needs a terminal; "
		              "see 'retort --help' for the commands");
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return rt_err(err, RT_EUSAGE, "retort tui: cannot use the terminal '%s'",
		              getenv("TERM") ? getenv("TERM") : "");
	curses_up = 1;
	catch_signals(true);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);
	input_win = newwin(1, 1, 0, 0);
	keypad(input_win, TRUE);
	theme_init(cli_color(con->c, STDOUT_FILENO));
	const char *cs = nl_langinfo(CODESET);
	con->utf8 = !ascii && cs && strcmp(cs, "UTF-8") == 0;
	draw_set_utf8(con->utf8);
	return RT_OK;
}

static void stop_terminal(struct console *con)
{
	WINDOW **windows[] = {&con->title, &con->status, &con->graph.win, &con->preview.win,
	                      &input_win};
	for (size_t i = 0; i < RT_ARRAY_LEN(windows); i++)
		drop_window(windows[i]);
	restore_terminal();
	catch_signals(false);
	delscreen(screen);
	screen = NULL;
}

void console_suspend(struct console *con)
{
	def_prog_mode();
	restore_terminal();
}

void console_resume(struct console *con)
{
	reset_prog_mode();
	curses_up = 1;
	clearok(curscr, TRUE);
	console_layout(con);
}

int console_getkey_for(struct console *con, bool *fn, int ms)
{
	*fn = false;
	double deadline = ms >= 0 ? now_monotonic() + ms / 1000.0 : 0;
	int key = -1;
	/* A terminal that went away reads as an endless stream of errors. */
	for (int errors = 0; errors < 100;) {
		if (console_interrupted()) {
			key = KEY_CTRL('C');
			break;
		}
		double left = ms >= 0 ? deadline - now_monotonic() : -1;
		wtimeout(input_win, ms < 0 ? -1 : left > 0 ? (int)(left * 1000) + 1 : 0);
		wint_t ch;
		int rc = wget_wch(input_win, &ch);
		if (rc != ERR) {
			*fn = rc == KEY_CODE_YES;
			if (*fn && ch == KEY_RESIZE)
				console_layout(con);
			key = (int)ch;
			break;
		}
		/* no key in time is no error; a signal is looked at above */
		if (ms >= 0 && now_monotonic() >= deadline) {
			key = CONSOLE_NO_KEY;
			break;
		}
		errors++;
	}
	wtimeout(input_win, -1);
	return key;
}

int console_getkey(struct console *con, bool *fn)
{
	return console_getkey_for(con, fn, -1);
}

/* ---- layout ---- */

static void place(struct view *v, int y, int rows)
{
	v->win = newwin(rows, COLS, y, 0);
	v->width = COLS;
	v->height = rows - v->header;
	view_clamp(v);
}

void console_layout(struct console *con)
{
	drop_window(&con->title);
	drop_window(&con->status);
	drop_window(&con->graph.win);
	drop_window(&con->preview.win);
	con->graph.height = con->preview.height = 0;
	werase(stdscr);
	wnoutrefresh(stdscr);
	con->too_small = COLS < MIN_COLS || LINES < MIN_LINES;
	if (con->too_small)
		return;
	/* a long question takes rows from the panes, never from itself */
	int srows = con->status_rows > 1 ? con->status_rows : 1;
	if (srows > LINES - 3)
		srows = LINES - 3;
	con->title = newwin(1, COLS, 0, 0);
	con->status = newwin(srows, COLS, LINES - srows, 0);
	int body = LINES - 1 - srows;
	con->one_pane = body < TWO_PANE_ROWS;
	if (con->one_pane) {
		place(con->focus, 1, body);
	} else {
		int graph_rows = body / 2;
		place(&con->graph, 1, graph_rows);
		place(&con->preview, 1 + graph_rows, body - graph_rows);
	}
}

/* ---- bars ---- */

static void draw_title(struct console *con)
{
	const struct model *m = &con->m;
	const struct cli_ctx *c = con->c;
	const char *sep = con->utf8 ? " │ " : " | ";
	attr_t bar = theme_attr(THEME_TITLE);
	struct pen p;
	pen_start(&p, con->title, 0, 0, COLS, bar);
	pen_text(&p, A_BOLD, " retort");
	pen_text(&p, A_NORMAL, sep);
	if (c->cfg_loaded && c->cfg.production) {
		/* out of the bar's reverse video, so that it cannot be missed */
		p.extra = A_NORMAL;
		pen_text(&p, theme_attr(THEME_PRODUCTION), " PRODUCTION ");
		p.extra = bar;
		pen_text(&p, A_NORMAL, sep);
	}
	if (!m->g) {
		pen_text(&p, A_NORMAL, "the scripts could not be loaded");
	} else if (!m->db_configured) {
		pen_text(&p, A_NORMAL, "no database configured: scripts only, read-only");
	} else {
		pen_text(&p, A_NORMAL, c->url.display);
		pen_text(&p, A_NORMAL, c->url.backend == DB_POSTGRES ? " (postgresql)" : " (sqlite)");
	}
	if (m->have_db) {
		pen_text(&p, A_NORMAL, sep);
		pen_text(&p, A_NORMAL, "current:");
		for (uint32_t i = 0; i < m->nvrows; i++) {
			pen_text(&p, A_NORMAL, " ");
			pen_text(&p, A_BOLD, m->vrows[i]);
		}
		if (m->nvrows == 0)
			pen_text(&p, A_BOLD, " <base>");
	} else if (m->db_error) {
		/* never <base>: a database that could not be read is not empty */
		pen_text(&p, A_NORMAL, sep);
		pen_text(&p, A_NORMAL, "current: ");
		pen_text(&p, A_BOLD, "unknown");
		pen_text(&p, A_NORMAL, " (");
		if (m->db_missing) {
			pen_text(&p, A_NORMAL, "database file ");
			pen_text(&p, A_BOLD, c->url.path);
			pen_text(&p, A_NORMAL, " does not exist)");
		} else {
			pen_text(&p, A_NORMAL, "the database could not be read)");
		}
	}
	if (m->g) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s%u head%s", sep, m->g->nheads, m->g->nheads == 1 ? "" : "s");
		pen_text(&p, A_NORMAL, buf);
		if (m->have_db) {
			snprintf(buf, sizeof buf, "%s%u pending", sep, m->g->n - m->napplied);
			pen_text(&p, A_NORMAL, buf);
		}
		if (m->have_db && m->opens.blocking) {
			pen_text(&p, A_NORMAL, sep);
			snprintf(buf, sizeof buf, "%u interrupted", m->opens.blocking);
			pen_text(&p, theme_attr(THEME_ERROR) | A_BOLD, buf);
		}
		snprintf(buf, sizeof buf, "%s%u revision%s", sep, m->g->n, m->g->n == 1 ? "" : "s");
		pen_text(&p, A_NORMAL, buf);
	}
	pen_fill(&p, A_NORMAL);
	wnoutrefresh(con->title);
}

/* What the status line warns about when no message is pending. */
static const char *warning(struct console *con, enum theme_role *role, char *buf, size_t n)
{
	const struct model *m = &con->m;
	*role = THEME_ERROR;
	if (m->graph_error) {
		snprintf(buf, n, "the scripts could not be loaded: %.*s%s", FIRST_LINE(m->graph_error));
		return buf;
	}
	if (m->db_error) {
		snprintf(buf, n, "database: %.*s%s", FIRST_LINE(m->db_error));
		return buf;
	}
	if (con->busy_holder) {
		*role = THEME_WARNING;
		snprintf(buf, n, "another process migrates the database (%s): what is shown may be "
		         "out of date", con->busy_holder);
		return buf;
	}
	for (uint32_t i = 0; i < m->opens.n; i++) {
		const struct inspect_open *o = &m->opens.v[i];
		if (o->state == OPEN_RUNNING)
			continue;
		/* the database is between two revisions: nothing else matters more */
		struct strbuf sb = STRBUF_INIT;
		inspect_open_brief(o, &sb);
		snprintf(buf, n, "%s: %s: put it right, then :resolve %s --applied|--reverted",
		         o->row->revision, sb_str(&sb), o->row->revision);
		sb_free(&sb);
		return buf;
	}
	if (m->unknown) {
		snprintf(buf, n, "the database is at %s, which no script defines; see :check", m->unknown);
		return buf;
	}
	*role = THEME_WARNING;
	for (uint32_t i = 0; i < m->opens.n; i++) {
		const struct inspect_open *o = &m->opens.v[i];
		snprintf(buf, n, "%s: its %s is running now (pid %lld on %s); press r to reload",
		         o->row->revision, o->row->direction, (long long)o->row->pid,
		         o->row->host ? o->row->host : "?");
		return buf;
	}
	if (m->drift) {
		snprintf(buf, n, "%d drift%s (%s); see :check", m->drift,
		         m->drift == 1 ? "" : "s", m->drift_first);
		return buf;
	}
	if (m->g && m->g->nheads > 1) {
		snprintf(buf, n, "%u heads: merge them with m", m->g->nheads);
		return buf;
	}
	return NULL;
}

/* The keys the status line hints at: what works now, where the focus is. */
static const enum request *hints(const struct console *con)
{
	static const enum request all[] = {REQ_UPGRADE, REQ_DOWNGRADE, REQ_STAMP, REQ_MERGE,
	                                   REQ_REVISION, REQ_COMMAND, REQ_HELP, REQ_QUIT, REQ_NONE};
	static const enum request scripts[] = {REQ_MERGE, REQ_REVISION, REQ_EDIT, REQ_COMMAND,
	                                       REQ_HELP, REQ_QUIT, REQ_NONE};
	static const enum request broken[] = {REQ_EDIT, REQ_RELOAD, REQ_COMMAND, REQ_HELP,
	                                      REQ_QUIT, REQ_NONE};
	static const enum request preview[] = {REQ_MOVE_DOWN, REQ_SELECT, REQ_WRAP, REQ_NEXT_PANE,
	                                       REQ_HELP, REQ_QUIT, REQ_NONE};
	static const enum request sideways[] = {REQ_MOVE_DOWN, REQ_SCROLL_LEFT, REQ_SCROLL_RIGHT,
	                                        REQ_WRAP, REQ_NEXT_PANE, REQ_HELP, REQ_QUIT,
	                                        REQ_NONE};
	if (!con->m.g)
		return broken;
	if (con->focus == &con->preview)
		return con->wrap ? preview : sideways;
	return con->m.have_db ? all : scripts;
}

/* What a hint calls a request where the table's name would mislead. */
static const char *hint_name(const struct console *con, enum request r)
{
	switch (r) {
	case REQ_MOVE_DOWN: return "scroll";
	case REQ_SELECT: return "page";
	case REQ_WRAP: return con->wrap ? "no-wrap" : "wrap";
	case REQ_NEXT_PANE: return "graph";
	default: return NULL;
	}
}

static void add_hints(const struct console *con, const enum request *reqs, struct strbuf *sb)
{
	char buf[16];
	for (const enum request *r = reqs; *r != REQ_NONE; r++) {
		const char *name = hint_name(con, *r);
		if (con->focus != &con->preview)
			name = NULL;
		sb_addf(sb, "%s%s %s", r == reqs ? "" : "  ", keys_key_name(keys_first(*r), buf),
		        name ? name : keys_name(*r));
	}
}

static void draw_status(struct console *con)
{
	static const enum request few[] = {REQ_HELP, REQ_QUIT, REQ_NONE};
	char buf[512];
	enum theme_role role = con->message_role;
	const char *left = con->message ? con->message : warning(con, &role, buf, sizeof buf);
	struct strbuf sb = STRBUF_INIT;
	add_hints(con, hints(con), &sb);
	/* the hints keep their room while the message keeps enough of its own
	 * (what is cut of it ends in an ellipsis); else only ? and q */
	int left_w = left ? text_width(left, strlen(left)) + 2 : 0;
	int need = left_w < STATUS_MIN_MESSAGE ? left_w : STATUS_MIN_MESSAGE;
	if (need + text_width(sb.buf, sb.len) + 2 > COLS) {
		sb_reset(&sb);
		keys_hints(few, &sb);
	}
	int hint_w = text_width(sb.buf, sb.len) + 1;
	werase(con->status);
	struct pen p;
	pen_start(&p, con->status, 0, 0, COLS, theme_attr(THEME_STATUS));
	pen_text(&p, A_NORMAL, " ");
	if (left) {
		/* the message keeps its room; an ellipsis marks what is cut */
		p.end = COLS - (left_w + hint_w + 1 > COLS ? hint_w + 1 : 0);
		pen_text(&p, theme_attr(role), left);
		p.end = COLS;
	}
	if (pen_left(&p) > hint_w) {
		pen_fill(&p, A_NORMAL);
		p.x = COLS - hint_w;
		pen_text(&p, A_NORMAL, sb_str(&sb));
	}
	pen_fill(&p, A_NORMAL);
	sb_free(&sb);
	wnoutrefresh(con->status);
}

void console_draw(struct console *con)
{
	if (con->too_small) {
		werase(stdscr);
		char size[32];
		snprintf(size, sizeof size, "%dx%d", COLS, LINES);
		const char *lines[] = {"terminal too small", size};
		for (int i = 0; i < 2; i++) {
			int n = (int)strlen(lines[i]);
			mvaddnstr(LINES / 2 - 1 + i, COLS > n ? (COLS - n) / 2 : 0, lines[i], COLS);
		}
		wnoutrefresh(stdscr);
		return;
	}
	draw_title(con);
	struct view *views[] = {&con->graph, &con->preview};
	for (size_t i = 0; i < RT_ARRAY_LEN(views); i++) {
		if (!views[i]->win)
			continue;
		views[i]->ops->draw(views[i]);
		wnoutrefresh(views[i]->win);
	}
	draw_status(con);
}

void console_message(struct console *con, enum theme_role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(con->message);
	con->message = xvasprintf(fmt, ap);
	con->message_role = role;
	va_end(ap);
}

/* ---- loading ---- */

static void select_current(struct console *con)
{
	const struct model *m = &con->m;
	for (uint32_t rev = model_count(m); rev-- > 0;)
		if (bitset_get(&m->current, rev)) {
			graph_select_rev(con, rev);
			return;
		}
}

void console_reload(struct console *con, const char *rev_id)
{
	int64_t sel = graph_selected(con);
	char *keep = xstrdup(rev_id ? rev_id : sel >= 0 ? con->m.g->nodes[sel].s.rev : "");
	model_free(&con->m);
	graph_free(con->c->graph);
	con->c->graph = NULL;
	model_load(&con->m, con->c);
	con->gen++;
	con->graph.lines = model_count(&con->m);
	int32_t x = con->m.g && *keep ? graph_find(con->m.g, keep) : -1;
	if (x >= 0)
		graph_select_rev(con, (uint32_t)x);
	else
		view_clamp(&con->graph);
	free(keep);
}

/* ---- requests ---- */

static const char *const section_names[] = {"upgrade", "downgrade"};

static void search(struct console *con, int dir)
{
	if (!con->search) {
		console_message(con, THEME_WARNING, "No search yet: press / first");
		return;
	}
	bool wrapped;
	struct search_hit hit;
	if (!graph_search(con, con->search, dir, &wrapped, &hit)) {
		console_message(con, THEME_WARNING, "No revision matches '%s' (ids, labels, messages, "
		                "SQL)", con->search);
		return;
	}
	if (hit.in_sql) {
		/* show the line that matched */
		preview_set_mode(con, hit.section == SCRIPT_UPGRADE ? PREVIEW_UPGRADE
		                                                    : PREVIEW_DOWNGRADE);
		con->want_line = hit.line;
		preview_update(con);
		console_message(con, THEME_NORMAL, "'%s' in the %s SQL, line %u%s", con->search,
		                section_names[hit.section == SCRIPT_UPGRADE ? 0 : 1], hit.line,
		                wrapped ? " (search wrapped around)" : "");
	} else if (wrapped) {
		console_message(con, THEME_NORMAL, "Search wrapped around");
	}
}

/* A search for a revision id (4 hex digits or more, one revision's
 * prefix) goes to that revision, before any script that mentions it. */
static bool search_id(struct console *con, const char *text)
{
	const struct graph *g = con->m.g;
	size_t n = strlen(text);
	if (!g || n < 4 || strspn(text, "0123456789abcdef") != n)
		return false;
	uint32_t rev;
	if (graph_prefix(g, text, &rev, 1) != 1)
		return false;
	graph_select_rev(con, rev);
	return true;
}

/* . and ] [: to the database's current revision(s), to the heads. */
static void jump(struct console *con, bool heads, int dir)
{
	const struct model *m = &con->m;
	if (!m->g)
		return;
	if (!heads && !m->have_db) {
		console_message(con, THEME_WARNING, "The database's current revision is unknown: %s",
		                m->db_configured ? "the database could not be read"
		                                 : "no database configured");
		return;
	}
	uint32_t nth, count;
	if (!graph_jump(con, heads, dir, &nth, &count)) {
		if (heads)
			console_message(con, THEME_WARNING, "No head");
		else if (m->unknown)
			console_message(con, THEME_NORMAL, "The database is at %s, which no script defines",
			                m->unknown);
		else
			console_message(con, THEME_NORMAL, "The database is empty (<base>): nothing is "
			                "applied");
		return;
	}
	const char *id = m->g->nodes[graph_selected(con)].s.rev;
	if (count > 1)
		console_message(con, THEME_NORMAL, "%s %u of %u: %s", heads ? "Head" : "Current revision",
		                nth, count, id);
}

/* After a reload: done, unless something could not be read. */
static void reloaded(struct console *con, const char *done)
{
	const struct model *m = &con->m;
	const char *err = m->graph_error ? m->graph_error : m->db_error;
	if (err)
		console_message(con, THEME_ERROR, "%s: %.*s%s",
		                m->graph_error ? "The scripts could not be loaded"
		                               : "The database could not be read",
		                FIRST_LINE(err));
	else
		console_message(con, THEME_NORMAL, "%s", done);
}

static void focus(struct console *con, struct view *v)
{
	con->focus = v;
	console_layout(con);
}

static void show_help(struct console *con)
{
	struct strbuf sb = STRBUF_INIT;
	keys_help_text(&sb);
	sb_adds(&sb, "\nMarks\n");
	static const enum lane_state states[] = {LANE_STATE_APPLIED, LANE_STATE_PENDING,
	                                         LANE_STATE_UNKNOWN};
	for (size_t i = 0; i < RT_ARRAY_LEN(states); i++)
		sb_addf(&sb, "%s%s %s", i ? "   " : "  ", lane_state_glyph(states[i], con->utf8),
		        lane_state_words(states[i]));
	sb_adds(&sb, "\n  ! the script changed since it was applied\n");
	sb_addf(&sb, "  %s [interrupted] a Transaction: none step stopped part-way: "
	        ":resolve REV --applied|--reverted once it is put right by hand\n",
	        lane_state_glyph(LANE_STATE_INTERRUPTED, con->utf8));
	sb_addf(&sb, "  [head] no children   [current] in the version table   %s depends on\n",
	        con->utf8 ? "⇢" : "=>");
	dialog_message(con, "Keys", sb_str(&sb), THEME_NORMAL);
	sb_free(&sb);
}

static void handle(struct console *con, enum request r)
{
	struct view *v = con->focus;
	if (v->ops->request && v->ops->request(v, r))
		return;
	if (view_move(v, r))
		return;
	switch (r) {
	case REQ_NEXT_PANE:
		focus(con, con->focus == &con->graph ? &con->preview : &con->graph);
		break;
	case REQ_ENTER:
		preview_set_mode(con, PREVIEW_DETAILS);
		focus(con, &con->preview);
		break;
	case REQ_CURRENT:
		jump(con, false, +1);
		break;
	case REQ_NEXT_HEAD:
	case REQ_PREV_HEAD:
		jump(con, true, r == REQ_NEXT_HEAD ? +1 : -1);
		break;
	case REQ_WRAP:
		preview_set_wrap(con, !con->wrap);
		console_message(con, THEME_NORMAL, con->wrap ? "The preview wraps long lines"
		                : "The preview no longer wraps: h and l (or Left and Right) scroll "
		                "sideways");
		break;
	case REQ_SCROLL_LEFT:
	case REQ_SCROLL_RIGHT:
		if (con->wrap)
			console_message(con, THEME_NORMAL, "The preview wraps long lines: nothing to "
			                "scroll sideways (w turns wrapping off)");
		else
			preview_scroll_x(con, r == REQ_SCROLL_RIGHT ? SCROLL_COLS : -SCROLL_COLS);
		break;
	case REQ_VIEW_UPGRADE:
	case REQ_VIEW_DOWNGRADE:
	case REQ_VIEW_DETAILS:
		preview_set_mode(con, (enum preview_mode)(r - REQ_VIEW_UPGRADE));
		break;
	case REQ_VIEW_NEXT:
		preview_set_mode(con, (enum preview_mode)(((con->mode == PREVIEW_PLAN ? con->last_mode
		                                            : con->mode) + 1) % 3));
		break;
	case REQ_SEARCH: {
		char *text = dialog_input(con, "/", &con->search_hist);
		if (text && *text) {
			free(con->search);
			con->search = text;
			if (!search_id(con, text))
				search(con, +1);
		} else {
			free(text);
		}
		break;
	}
	case REQ_SEARCH_NEXT:
		search(con, +1);
		break;
	case REQ_SEARCH_PREV:
		search(con, -1);
		break;
	case REQ_RELOAD:
		console_reload(con, NULL);
		reloaded(con, "Reloaded the scripts and the database");
		break;
	case REQ_REDRAW:
		clearok(curscr, TRUE);
		break;
	case REQ_HELP:
		show_help(con);
		break;
	case REQ_QUIT:
		con->quit = true;
		break;
	default:
		action_run(con, r);
		break;
	}
}

/* No key for a while: what another process changed shows without r. */
static void poll_changes(struct console *con)
{
	char *holder = NULL;
	enum model_poll st = model_poll(&con->m, &holder);
	free(con->busy_holder);
	con->busy_holder = holder;
	if (st != POLL_CHANGED)
		return;
	char *before = model_current_text(&con->m);
	bool had_db = con->m.have_db;
	console_reload(con, NULL);
	char *after = model_current_text(&con->m);
	if (had_db && con->m.have_db && strcmp(before, after) != 0)
		console_message(con, THEME_WARNING, "The database changed (another process): it was "
		                "at %s, it is at %s", before, after);
	else
		reloaded(con, "The scripts or the database changed (another process): reloaded");
	free(before);
	free(after);
}

static void run_loop(struct console *con)
{
	while (!con->quit) {
		console_draw(con);
		doupdate();
		bool fn;
		int key = console_getkey_for(con, &fn, POLL_MS);
		if (key == CONSOLE_NO_KEY) {
			poll_changes(con);
			continue;
		}
		if (key < 0)
			break;
		/* a resize leaves the message in place: it came from no key */
		if (fn && key == KEY_RESIZE)
			continue;
		free(con->message);
		con->message = NULL;
		if (!fn && key == KEY_CTRL('C')) {
			console_message(con, THEME_NORMAL, "Ctrl-C stops a wait or a run; q quits");
			continue;
		}
		/* Bindings are ASCII or function keys; other characters are text. */
		if (fn || key < 0x80)
			handle(con, keys_request(key));
	}
}

static void console_free(struct console *con)
{
	model_free(&con->m);
	doc_free(&con->doc);
	free(con->plan_title);
	free(con->message);
	free(con->search);
	free(con->busy_holder);
	free(con->fleet_database);
	u32vec_free(&con->rows);
	le_history_free(&con->search_hist);
	le_history_free(&con->text_hist);
}

static int run_tui(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(c->errf, "usage: retort tui [--ascii]\n");
		return RT_EUSAGE;
	}
	bool ascii = cli_flag(opts, "ascii");
	char *err = NULL;
	/* Not a project at all is a usage error; a damaged graph is shown. */
	int rc = cli_config(c, &err);
	if (rc == RT_OK && access(c->versions_dir, F_OK) != 0)
		rc = rt_err(&err, RT_EUSAGE, "%s: no such scripts directory; run 'retort init' "
		            "or pass --scripts DIR", c->versions_dir);
	struct console con;
	memset(&con, 0, sizeof con);
	con.c = c;
	if (rc == RT_OK)
		rc = start_terminal(&con, ascii, &err);
	if (rc != RT_OK) {
		fprintf(c->errf, "%s\n", err);
		free(err);
		return rc;
	}
	con.graph = (struct view){&graph_ops, &con, NULL, 0, 0, 0, 0, 0, 0, true};
	con.preview = (struct view){&preview_ops, &con, NULL, 1, 0, 0, 0, 0, 0, false};
	con.focus = &con.graph;
	con.mode = con.last_mode = PREVIEW_UPGRADE;
	con.wrap = true;
	action_busy_wait(&con);
	console_layout(&con);
	model_load(&con.m, c);
	con.graph.lines = model_count(&con.m);
	con.doc_gen = con.gen + 1;  /* nothing built yet */
	select_current(&con);
	run_loop(&con);
	stop_terminal(&con);
	console_free(&con);
	return RT_OK;
}

const struct cmd_entry cmd_tui = {
	FACE_TUI_NAME, NULL, FACE_TUI_HELP, face_tui_opts, 0, run_tui,
};
