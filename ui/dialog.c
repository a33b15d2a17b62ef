/* dialog.c: the console's modal parts: the y/N question and the search
 * prompt in the status line, and boxes for prompts, messages and
 * progress. Each redraws the whole screen under it, so a resize at any
 * moment relays out and redraws. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

/* ---- boxes ---- */

static WINDOW *box_open(struct console *con, int h, int w, const char *title,
                        enum theme_role role)
{
	if (h > LINES)
		h = LINES;
	if (w > COLS)
		w = COLS;
	WINDOW *win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (!win)
		return NULL;
	werase(win);
	wattrset(win, theme_attr(role == THEME_ERROR ? THEME_ERROR : THEME_BORDER));
	box(win, 0, 0);
	wattrset(win, A_NORMAL);
	if (title && w > 6) {
		struct pen p;
		pen_start(&p, win, 0, 2, w - 2, A_NORMAL);
		pen_text(&p, A_NORMAL, " ");
		pen_text(&p, theme_attr(role) | A_BOLD, title);
		pen_text(&p, A_NORMAL, " ");
	}
	return win;
}

static void box_hint(WINDOW *win, const char *hint)
{
	int h, w;
	getmaxyx(win, h, w);
	struct pen p;
	pen_start(&p, win, h - 1, w - 3 - text_width(hint, strlen(hint)), w - 2, A_NORMAL);
	if (p.x < 2)
		p.x = 2;
	pen_text(&p, A_DIM, hint);
}

/* The widest line of text, in columns. */
static int widest(const char *text)
{
	int max = 0;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		int w = text_width(p, n);
		if (w > max)
			max = w;
		p += n + (p[n] == '\n');
	}
	return max;
}

static int box_width(const char *text, int min)
{
	int w = widest(text) + 4;
	if (w < min)
		w = min;
	if (w > 100)
		w = 100;
	return w > COLS - 2 ? COLS - 2 : w;
}

/* ---- keys for the line editor ---- */

static uint32_t edit_key(int key, bool fn)
{
	if (!fn)
		return (uint32_t)key;
	switch (key) {
	case KEY_LEFT: return LE_KEY_LEFT;
	case KEY_RIGHT: return LE_KEY_RIGHT;
	case KEY_HOME: return LE_KEY_HOME;
	case KEY_END: return LE_KEY_END;
	case KEY_UP: return LE_KEY_UP;
	case KEY_DOWN: return LE_KEY_DOWN;
	case KEY_BACKSPACE: return LE_KEY_BACKSPACE;
	case KEY_DC: return LE_KEY_DELETE;
	case KEY_ENTER: return '\n';
	default: return 0;
	}
}

/* Draws the editor's text in [x, x + width) of row y and leaves the
 * window's cursor on the editing position. */
static void draw_field(WINDOW *w, int y, int x, int width, const struct lineedit *le,
                       attr_t attr)
{
	const char *text = le_text(le);
	size_t from = le_scroll(le, width);
	struct pen p;
	pen_start(&p, w, y, x, x + width, attr);
	pen_text(&p, A_NORMAL, text + from);
	pen_fill(&p, A_NORMAL);
	wmove(w, y, x + text_width(text + from, le_cursor(le) - from));
}

typedef void (*edit_draw_fn)(struct console *con, const struct lineedit *le, void *ctx);

/* Runs the editor until Enter (the text, caller frees) or cancel (NULL). */
static char *edit(struct console *con, struct lineedit *le, edit_draw_fn draw, void *ctx)
{
	char *result = NULL;
	curs_set(1);
	for (;;) {
		draw(con, le, ctx);
		doupdate();
		bool fn;
		int key = console_getkey(con, &fn);
		if (key < 0)
			break;
		if (fn && key == KEY_RESIZE)
			continue;
		uint32_t k = edit_key(key, fn);
		enum le_result r = k ? le_key(le, k) : LE_EDITING;
		if (r == LE_CANCEL)
			break;
		if (r == LE_ACCEPT) {
			result = xstrdup(le_text(le));
			if (le->hist)
				le_history_add(le->hist, result);
			break;
		}
	}
	curs_set(0);
	return result;
}

/* ---- the status line ---- */

static void status_text(struct console *con, enum theme_role role, const char *label)
{
	if (!con->status)
		return;
	struct pen p;
	pen_start(&p, con->status, 0, 0, COLS, A_NORMAL);
	pen_text(&p, theme_attr(role), label);
	pen_fill(&p, A_NORMAL);
}

static void draw_input(struct console *con, const struct lineedit *le, void *ctx)
{
	const char *label = ctx;
	console_draw(con);
	if (!con->status)
		return;
	status_text(con, THEME_NORMAL, label);
	int x = text_width(label, strlen(label));
	draw_field(con->status, 0, x, COLS - x, le, A_NORMAL);
	wnoutrefresh(con->status);
}

char *dialog_input(struct console *con, const char *label, struct le_history *hist)
{
	struct lineedit le;
	le_init(&le, NULL, hist);
	char *text = edit(con, &le, draw_input, (void *)label);
	le_free(&le);
	return text;
}

bool dialog_confirm(struct console *con, const char *question)
{
	bool yes = false;
	for (;;) {
		/* a question wider than the terminal wraps: every word of it and
		 * its [y/N] stay on the screen, above them the panes shrink */
		struct doc d = {0};
		doc_add_wrapped(&d, THEME_WARNING, question, COLS - 2);
		int rows = (int)doc_lines(&d);
		if (rows != con->status_rows) {
			con->status_rows = rows;
			console_layout(con);
		}
		console_draw(con);
		if (con->status) {
			werase(con->status);
			for (int i = 0; i < rows; i++)
				draw_doc_line(con->status, i, 1, COLS - 1, &d, (uint32_t)i, A_NORMAL);
			wnoutrefresh(con->status);
		}
		doc_free(&d);
		doupdate();
		bool fn;
		int key = console_getkey(con, &fn);
		if (fn && key == KEY_RESIZE)
			continue;
		if (!fn && (key == 'y' || key == 'Y')) {
			yes = true;
			break;
		}
		/* Moving keys scroll the plan; any other key is a no. */
		if (key < 0 || !view_move(con->focus, keys_request(key)))
			break;
	}
	con->status_rows = 1;
	console_layout(con);
	return yes;
}

/* ---- prompts in a box ---- */

struct prompt {
	const char *title, *label;
	int width;
};

static void draw_prompt(struct console *con, const struct lineedit *le, void *ctx)
{
	const struct prompt *pr = ctx;
	console_draw(con);
	int w = box_width(pr->label, pr->width);
	struct doc d = {0};
	doc_add_wrapped(&d, THEME_NORMAL, pr->label, w - 4);
	int lines = (int)doc_lines(&d);
	WINDOW *win = box_open(con, lines + 5, w, pr->title, THEME_WARNING);
	if (win) {
		for (int i = 0; i < lines && i + 1 < LINES; i++)
			draw_doc_line(win, 1 + i, 2, w - 4, &d, (uint32_t)i, A_NORMAL);
		box_hint(win, "Enter: accept  Esc: cancel");
		draw_field(win, lines + 2, 2, w - 4, le, A_UNDERLINE);
		wnoutrefresh(win);
		delwin(win);
	}
	doc_free(&d);
}

char *dialog_prompt(struct console *con, const char *title, const char *label,
                    const char *initial, struct le_history *hist)
{
	struct lineedit le;
	struct prompt pr = {title, label, 60};
	le_init(&le, initial, hist);
	char *text = edit(con, &le, draw_prompt, &pr);
	le_free(&le);
	return text;
}

bool dialog_typed(struct console *con, const char *title, const char *text,
                  const char *expected)
{
	char *typed = dialog_prompt(con, title, text, NULL, NULL);
	bool same = typed && strcmp(typed, expected) == 0;
	if (typed && !same)
		console_message(con, THEME_WARNING, "'%s' is not '%s': nothing was done", typed,
		                expected);
	free(typed);
	return same;
}

/* ---- messages and progress ---- */

void dialog_message(struct console *con, const char *title, const char *text,
                    enum theme_role role)
{
	uint32_t top = 0;
	for (;;) {
		console_draw(con);
		int w = box_width(text, 40);
		struct doc d = {0};
		doc_add_wrapped(&d, role == THEME_ERROR ? THEME_NORMAL : role, text, w - 4);
		uint32_t lines = doc_lines(&d);
		int rows = (int)lines < LINES - 4 ? (int)lines : LINES - 4;
		if (rows < 1)
			rows = 1;
		if (top + (uint32_t)rows > lines)
			top = lines > (uint32_t)rows ? lines - (uint32_t)rows : 0;
		WINDOW *win = box_open(con, rows + 3, w, title, role);
		if (win) {
			for (int i = 0; i < rows; i++)
				draw_doc_line(win, 1 + i, 2, w - 4, &d, top + (uint32_t)i, A_NORMAL);
			box_hint(win, lines > (uint32_t)rows ? "j/k: scroll  Enter: close" : "Enter: close");
			wnoutrefresh(win);
			delwin(win);
		}
		doc_free(&d);
		doupdate();
		bool fn;
		int key = console_getkey(con, &fn);
		if (fn && key == KEY_RESIZE)
			continue;
		enum request r = key < 0 ? REQ_QUIT : keys_request(key);
		uint32_t page = rows > 1 ? (uint32_t)rows - 1 : 1;
		if (r == REQ_MOVE_DOWN)
			top++;
		else if (r == REQ_MOVE_UP && top > 0)
			top--;
		else if (r == REQ_PAGE_DOWN)
			top += page;
		else if (r == REQ_PAGE_UP)
			top = top > page ? top - page : 0;
		else
			return;
	}
}

int dialog_page(struct console *con, const char *title, enum theme_role role, bool full,
                dialog_build_fn build, void *ctx, const char *answers, const char *hint)
{
	uint32_t top = 0;
	for (;;) {
		console_draw(con);
		int w = full ? COLS : COLS - 2 < 78 ? COLS - 2 : 78;
		if (w < 12)
			w = COLS;
		struct doc d = {0};
		build(con, &d, w - 4, ctx);
		uint32_t lines = doc_lines(&d);
		int room = LINES - (full ? 2 : 4);
		int rows = full ? room : (int)lines < room ? (int)lines : room;
		if (rows < 1)
			rows = 1;
		if (top + (uint32_t)rows > lines)
			top = lines > (uint32_t)rows ? lines - (uint32_t)rows : 0;
		WINDOW *win = box_open(con, rows + 2, w, title, role);
		if (win) {
			for (int i = 0; i < rows; i++)
				draw_doc_line(win, 1 + i, 2, w - 4, &d, top + (uint32_t)i, A_NORMAL);
			struct strbuf h = STRBUF_INIT;
			if (lines > (uint32_t)rows)
				sb_addf(&h, "%u-%u/%u  j/k: scroll  ", top + 1, top + (uint32_t)rows, lines);
			sb_adds(&h, hint);
			box_hint(win, sb_str(&h));
			sb_free(&h);
			wnoutrefresh(win);
			delwin(win);
		}
		doc_free(&d);
		doupdate();
		bool fn;
		int key = console_getkey(con, &fn);
		if (fn && key == KEY_RESIZE)
			continue;
		if (key < 0)
			return 0;
		if (fn && key == KEY_ENTER)
			key = '\n';
		if (!fn && key == '\r')
			key = '\n';
		if (!fn && key > 0 && key < 0x80) {
			int lower = key >= 'A' && key <= 'Z' ? key | 0x20 : key;
			if (strchr(answers, lower))
				return lower;
			if (key == 27 || key == 'q' || key == KEY_CTRL('C'))
				return 0;
		}
		uint32_t page = rows > 1 ? (uint32_t)rows - 1 : 1;
		switch (keys_request(key)) {
		case REQ_MOVE_DOWN: top++; break;
		case REQ_MOVE_UP: top -= top > 0; break;
		case REQ_PAGE_DOWN: case REQ_SELECT: top += page; break;
		case REQ_PAGE_UP: top = top > page ? top - page : 0; break;
		case REQ_MOVE_FIRST: top = 0; break;
		case REQ_MOVE_LAST: top = lines; break;
		default: break;
		}
	}
}

void dialog_progress(struct console *con, const char *title, const char *label,
                     uint32_t done, uint32_t total, const char *hint)
{
	/* Nothing is read while work runs; a resize (KEY_RESIZE, which
	 * relays out) is taken here, and keys typed ahead are dropped so that
	 * none answers the question after the work. */
	for (;;) {
		bool fn;
		int key = console_getkey_for(con, &fn, 0);
		if (key == CONSOLE_NO_KEY || key < 0)
			break;
		if (!fn && key == KEY_CTRL('C')) {
			/* a Ctrl-C is not dropped: whoever handles SIGINT now has it */
			raise(SIGINT);
			break;
		}
	}
	console_draw(con);
	int w = COLS - 4 < 70 ? COLS - 4 : 70;
	WINDOW *win = w > 10 ? box_open(con, 6, w, title, THEME_HEADING) : NULL;
	if (win) {
		struct pen p;
		pen_start(&p, win, 2, 2, w - 2, A_NORMAL);
		pen_text(&p, A_NORMAL, label);
		char count[32];
		snprintf(count, sizeof count, " %u/%u", done, total);
		int bar = w - 6 - (int)strlen(count);
		int fill = total ? (int)((double)done / total * bar) : 0;
		pen_start(&p, win, 3, 2, w - 2, A_NORMAL);
		for (int i = 0; i < bar; i++)
			pen_text(&p, i < fill ? A_REVERSE : A_DIM, i < fill ? " " : con->utf8 ? "·" : ".");
		pen_text(&p, A_BOLD, count);
		if (hint)
			box_hint(win, hint);
		wnoutrefresh(win);
		delwin(win);
	}
	doupdate();
}

bool dialog_wait(struct console *con, const char *title, const char *what,
                 const char *holder, double elapsed, double timeout)
{
	console_draw(con);
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "Waiting for %s.\n", what);
	if (holder)
		sb_addf(&sb, "Held by %s.\n", holder);
	sb_addf(&sb, "Waited %.0f s of %g s; then it gives up, nothing done.", elapsed, timeout);
	int w = COLS - 4 < 100 ? COLS - 4 : 100;
	struct doc d = {0};
	doc_add_wrapped(&d, THEME_NORMAL, sb_str(&sb), w - 4);
	int lines = (int)doc_lines(&d);
	WINDOW *win = w > 10 ? box_open(con, lines + 5, w, title, THEME_WARNING) : NULL;
	if (win) {
		for (int i = 0; i < lines; i++)
			draw_doc_line(win, 1 + i, 2, w - 4, &d, (uint32_t)i, A_NORMAL);
		struct pen p;
		pen_start(&p, win, lines + 2, 2, w - 2, A_NORMAL);
		int bar = w - 4, fill = timeout > 0 ? (int)(elapsed / timeout * bar) : 0;
		for (int i = 0; i < bar; i++)
			pen_text(&p, i < fill ? A_REVERSE : A_DIM, i < fill ? " " : con->utf8 ? "·" : ".");
		box_hint(win, "Esc or Ctrl-C: cancel");
		wnoutrefresh(win);
		delwin(win);
	}
	doc_free(&d);
	sb_free(&sb);
	doupdate();
	for (;;) {
		bool fn;
		int key = console_getkey_for(con, &fn, 0);
		if (key == CONSOLE_NO_KEY)
			return true;
		if (key < 0 || (!fn && (key == 27 || key == KEY_CTRL('C'))))
			return false;
	}
}
