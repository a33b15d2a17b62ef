/* lineedit.c: see lineedit.h. */
#include "lineedit.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define CTRL(c) ((c) & 0x1f)

void le_init(struct lineedit *le, const char *initial, struct le_history *hist)
{
	memset(le, 0, sizeof(*le));
	sb_adds(&le->text, initial ? initial : "");
	le->cursor = le->text.len;
	le->hist = hist;
	le->hist_pos = hist ? hist->n : 0;
}

void le_free(struct lineedit *le)
{
	sb_free(&le->text);
	free(le->draft);
	le->draft = NULL;
}

const char *le_text(const struct lineedit *le)
{
	return sb_str(&le->text);
}

size_t le_cursor(const struct lineedit *le)
{
	return le->cursor;
}

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t prev_char(const struct lineedit *le, size_t at)
{
	while (at > 0 && is_cont(le->text.buf[--at]))
		;
	return at;
}

static size_t next_char(const struct lineedit *le, size_t at)
{
	if (at < le->text.len)
		at++;
	while (at < le->text.len && is_cont(le->text.buf[at]))
		at++;
	return at;
}

/* Removes bytes [from, to) and leaves the cursor at from. */
static void cut(struct lineedit *le, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(le->text.buf + from, le->text.buf + to, le->text.len - to + 1);
	le->text.len -= to - from;
	le->cursor = from;
}

static void insert(struct lineedit *le, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		if (cp >= 0xD800 && cp < 0xE000)
			return;  /* a lone surrogate is not a character */
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	sb_grow(&le->text, n);
	char *b = le->text.buf;
	memmove(b + le->cursor + n, b + le->cursor, le->text.len - le->cursor + 1);
	memcpy(b + le->cursor, u, n);
	le->text.len += n;
	le->cursor += n;
}

static void replace_all(struct lineedit *le, const char *s)
{
	sb_reset(&le->text);
	sb_adds(&le->text, s);
	le->cursor = le->text.len;
}

static void history_move(struct lineedit *le, int delta)
{
	struct le_history *h = le->hist;
	if (!h || (delta < 0 && le->hist_pos == 0) || (delta > 0 && le->hist_pos >= h->n))
		return;
	if (le->hist_pos == h->n) {
		free(le->draft);
		le->draft = xstrdup(le_text(le));
	}
	le->hist_pos = (uint32_t)((int64_t)le->hist_pos + delta);
	replace_all(le, le->hist_pos == h->n ? le->draft : h->items[le->hist_pos]);
}

static void kill_word(struct lineedit *le)
{
	size_t at = le->cursor;
	while (at > 0 && le->text.buf[at - 1] == ' ')
		at--;
	while (at > 0 && le->text.buf[at - 1] != ' ')
		at--;
	cut(le, at, le->cursor);
}

enum le_result le_key(struct lineedit *le, uint32_t key)
{
	switch (key) {
	case '\n': case '\r':
		return LE_ACCEPT;
	case 27: case CTRL('C'): case CTRL('G'):
		return LE_CANCEL;
	case CTRL('A'): case LE_KEY_HOME:
		le->cursor = 0;
		break;
	case CTRL('E'): case LE_KEY_END:
		le->cursor = le->text.len;
		break;
	case CTRL('B'): case LE_KEY_LEFT:
		le->cursor = prev_char(le, le->cursor);
		break;
	case CTRL('F'): case LE_KEY_RIGHT:
		le->cursor = next_char(le, le->cursor);
		break;
	case CTRL('H'): case 127: case LE_KEY_BACKSPACE:
		cut(le, prev_char(le, le->cursor), le->cursor);
		break;
	case CTRL('D'): case LE_KEY_DELETE:
		cut(le, le->cursor, next_char(le, le->cursor));
		break;
	case CTRL('K'):
		cut(le, le->cursor, le->text.len);
		break;
	case CTRL('U'):
		cut(le, 0, le->cursor);
		break;
	case CTRL('W'):
		kill_word(le);
		break;
	case CTRL('P'): case LE_KEY_UP:
		history_move(le, -1);
		break;
	case CTRL('N'): case LE_KEY_DOWN:
		history_move(le, +1);
		break;
	default:
		if (key >= 0x20 && key != 127 && key < 0x110000)
			insert(le, key);
		break;
	}
	return LE_EDITING;
}

/* Display width of bytes [from, to); an undecodable byte counts as one. */
static int width_of(const char *s, size_t from, size_t to)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int w = 0;
	while (from < to) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s + from, to - from, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			w++;
		} else {
			int cw = wcwidth(wc);
			w += cw < 0 ? 1 : cw;
		}
		from += n;
	}
	return w;
}

size_t le_scroll(const struct lineedit *le, int width)
{
	size_t from = 0;
	const char *s = sb_str(&le->text);
	/* One column stays free for the cursor after the last character. */
	while (from < le->cursor && width_of(s, from, le->cursor) > width - 1)
		from = next_char(le, from);
	return from;
}

void le_history_add(struct le_history *h, const char *line)
{
	if (!line || !*line || (h->n && strcmp(h->items[h->n - 1], line) == 0))
		return;
	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 16;
		h->items = xrealloc(h->items, h->cap * sizeof(*h->items));
	}
	h->items[h->n++] = xstrdup(line);
}

void le_history_free(struct le_history *h)
{
	for (uint32_t i = 0; i < h->n; i++)
		free(h->items[i]);
	free(h->items);
	memset(h, 0, sizeof(*h));
}
