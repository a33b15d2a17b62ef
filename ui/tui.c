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

/* ---- the terminal: one restore path for exit, errors and signals ---- */

static volatile sig_atomic_t curses_up;

static void restore_terminal(void)
{
	if (curses_up) {
		curses_up = 0;
		endwin();
	}
}

static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT,
                                    SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
static struct sigaction saved_actions[RT_ARRAY_LEN(fatal_signals)];

static void on_fatal_signal(int sig)
{
	restore_terminal();
	/* SA_RESETHAND put the default action back: die of the same signal. */
	raise(sig);
}

static void catch_signals(bool on)
{
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
	theme_init(!con->c->no_color);
	const char *cs = nl_langinfo(CODESET);
	con->utf8 = !ascii && cs && strcmp(cs, "UTF-8") == 0;
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

int console_getkey(struct console *con, bool *fn)
{
	/* A terminal that went away reads as an endless stream of errors. */
	for (int errors = 0; errors < 100; errors++) {
		wint_t ch;
		int rc = wget_wch(input_win, &ch);
		if (rc == ERR)
			continue;
		*fn = rc == KEY_CODE_YES;
		if (*fn && ch == KEY_RESIZE)
			console_layout(con);
		return (int)ch;
	}
	*fn = false;
	return -1;
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
	con->title = newwin(1, COLS, 0, 0);
	con->status = newwin(1, COLS, LINES - 1, 0);
	int body = LINES - 2;
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
	if (m->graph_error)
		return "the scripts could not be loaded";
	if (m->db_error) {
		snprintf(buf, n, "database: %.*s", (int)strcspn(m->db_error, "\n"), m->db_error);
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

static void draw_status(struct console *con)
{
	static const enum request hints[] = {REQ_UPGRADE, REQ_DOWNGRADE, REQ_STAMP, REQ_MERGE,
	                                     REQ_REVISION, REQ_COMMAND, REQ_HELP, REQ_QUIT, REQ_NONE};
	static const enum request few[] = {REQ_HELP, REQ_QUIT, REQ_NONE};
	char buf[512];
	enum theme_role role = con->message_role;
	const char *left = con->message ? con->message : warning(con, &role, buf, sizeof buf);
	struct strbuf sb = STRBUF_INIT;
	keys_hints(hints, &sb);
	int left_w = left ? text_width(left, strlen(left)) + 2 : 0;
	if (left_w + text_width(sb.buf, sb.len) + 2 > COLS) {
		sb_reset(&sb);
		keys_hints(few, &sb);
	}
	int hint_w = text_width(sb.buf, sb.len) + 1;
	struct pen p;
	pen_start(&p, con->status, 0, 0, COLS, theme_attr(THEME_STATUS));
	pen_text(&p, A_NORMAL, " ");
	if (left)
		pen_text(&p, theme_attr(role), left);
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

static void search(struct console *con, int dir)
{
	if (!con->search) {
		console_message(con, THEME_WARNING, "No search yet: press / first");
		return;
	}
	bool wrapped;
	if (!graph_search(con, con->search, dir, &wrapped))
		console_message(con, THEME_WARNING, "No revision matches '%s'", con->search);
	else if (wrapped)
		console_message(con, THEME_NORMAL, "Search wrapped around");
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
		console_message(con, THEME_NORMAL, "Reloaded the scripts and the database");
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

static void run_loop(struct console *con)
{
	while (!con->quit) {
		console_draw(con);
		doupdate();
		bool fn;
		int key = console_getkey(con, &fn);
		if (key < 0)
			break;
		free(con->message);
		con->message = NULL;
		if (fn && key == KEY_RESIZE)
			continue;
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
	le_history_free(&con->search_hist);
	le_history_free(&con->text_hist);
}

static int run_tui(struct cli_ctx *c, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(c->errf, "usage: retort tui [--ascii]\n");
		return RT_EUSAGE;
	}
	bool ascii = cli_flag("ascii");
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
