/* draw.c: drawing text by terminal columns, and the movement every pane
 * shares. */
#include <string.h>
#include <wchar.h>

#include "console.h"

/* Decodes one character at s (n bytes left): its length in bytes and its
 * width in columns; -1 columns for one that must not reach the terminal. */
static size_t char_at(const char *s, size_t n, int *cols)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	wchar_t wc;
	size_t len = mbrtowc(&wc, s, n, &st);
	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		*cols = -1;
		return 1;
	}
	*cols = wcwidth(wc);
	return len;
}

static bool utf8 = true;

void draw_set_utf8(bool on)
{
	utf8 = on;
}

const char *draw_ellipsis(void)
{
	return utf8 ? "…" : ">";
}

const char *draw_more(void)
{
	return utf8 ? " …" : " ...";
}

size_t text_fit(const char *s, size_t n, int cols, int *used)
{
	size_t i = 0;
	int w = 0, c;
	while (i < n) {
		size_t len = text_char(s + i, n - i, &c);
		if (w + c > cols && i > 0)
			break;
		w += c;
		i += len;
		if (w >= cols)
			break;
	}
	if (used)
		*used = w;
	return i;
}

size_t text_char(const char *s, size_t n, int *cols)
{
	size_t len = char_at(s, n, cols);
	if (*cols < 0)
		*cols = 1;
	return len;
}

int text_width(const char *s, size_t n)
{
	int w = 0, cols;
	for (size_t i = 0; i < n;) {
		i += char_at(s + i, n - i, &cols);
		w += cols < 0 ? 1 : cols;
	}
	return w;
}

void pen_start(struct pen *p, WINDOW *w, int y, int x, int end, attr_t extra)
{
	p->w = w;
	p->y = y;
	p->x = x;
	p->end = end;
	p->extra = extra;
}

/* Marks the pen's last column: what was to be drawn did not fit. */
static void pen_cut(struct pen *p, attr_t a)
{
	if (p->end <= 0)
		return;
	wattrset(p->w, a | p->extra);
	mvwaddstr(p->w, p->y, p->end - 1, draw_ellipsis());
	wattrset(p->w, A_NORMAL);
	p->x = p->end;
}

void pen_textn(struct pen *p, attr_t a, const char *s, size_t n)
{
	if (n && p->x >= p->end) {
		/* the text before filled the row: this one is cut whole */
		pen_cut(p, a);
		return;
	}
	wattrset(p->w, a | p->extra);
	wmove(p->w, p->y, p->x);
	size_t run = 0;  /* printable bytes not yet drawn */
	size_t i = 0;
	while (i < n && p->x < p->end) {
		int cols;
		size_t len = char_at(s + i, n - i, &cols);
		if (cols >= 0 && p->x + cols > p->end)
			break;
		if (cols < 0) {
			/* Control characters and broken bytes would move the cursor. */
			waddnstr(p->w, s + i - run, (int)run);
			run = 0;
			waddch(p->w, '?');
			p->x++;
		} else {
			run += len;
			p->x += cols;
		}
		i += len;
	}
	if (run)
		waddnstr(p->w, s + i - run, (int)run);
	wattrset(p->w, A_NORMAL);
	if (i < n)
		pen_cut(p, a);
}

void pen_text(struct pen *p, attr_t a, const char *s)
{
	pen_textn(p, a, s, strlen(s));
}

void pen_fill(struct pen *p, attr_t a)
{
	wattrset(p->w, a | p->extra);
	wmove(p->w, p->y, p->x);
	for (; p->x < p->end; p->x++)
		waddch(p->w, ' ');
	wattrset(p->w, A_NORMAL);
}

void draw_doc_line(WINDOW *w, int y, int x, int width, const struct doc *d,
                   uint32_t line, attr_t extra)
{
	struct pen p;
	pen_start(&p, w, y, x, x + width, extra);
	if (line < doc_lines(d)) {
		size_t start, len;
		doc_line(d, line, &start, &len);
		const char *s = d->text.buf;
		for (size_t i = 0; i < len && pen_left(&p) > 0;) {
			size_t j = i + 1;
			while (j < len && d->roles[start + j] == d->roles[start + i])
				j++;
			pen_textn(&p, theme_attr(d->roles[start + i]), s + start + i, j - i);
			i = j;
		}
	}
	pen_fill(&p, A_NORMAL);
}

void view_clamp(struct view *v)
{
	uint32_t h = v->height > 0 ? (uint32_t)v->height : 1;
	if (v->has_cursor) {
		if (v->cur >= v->lines)
			v->cur = v->lines ? v->lines - 1 : 0;
		if (v->cur < v->top)
			v->top = v->cur;
		if (v->cur >= v->top + h)
			v->top = v->cur - h + 1;
	}
	uint32_t max_top = v->lines > h ? v->lines - h : 0;
	if (v->top > max_top)
		v->top = max_top;
}

bool view_move(struct view *v, enum request r)
{
	uint32_t page = v->height > 1 ? (uint32_t)v->height - 1 : 1;
	/* A pane without a cursor scrolls; with one, the cursor moves and the
	 * page follows it. */
	uint32_t *pos = v->has_cursor ? &v->cur : &v->top;
	switch (r) {
	case REQ_MOVE_DOWN:
		(*pos)++;
		break;
	case REQ_MOVE_UP:
		if (*pos)
			(*pos)--;
		break;
	case REQ_PAGE_DOWN:
		*pos += page;
		if (v->has_cursor)
			v->top += page;
		break;
	case REQ_PAGE_UP:
		*pos = *pos > page ? *pos - page : 0;
		if (v->has_cursor)
			v->top = v->top > page ? v->top - page : 0;
		break;
	case REQ_MOVE_FIRST:
		*pos = 0;
		break;
	case REQ_MOVE_LAST:
		*pos = v->lines ? v->lines - 1 : 0;
		break;
	default:
		return false;
	}
	view_clamp(v);
	return true;
}
