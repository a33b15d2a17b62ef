/* lineedit.h: the console's line editor for its own prompts (search, a
 * revision message, a typed confirmation).
 *
 * Pure: it knows nothing of curses. The console feeds it keys and draws
 * le_text() itself. Text is UTF-8 and the cursor is a byte offset that
 * always sits on a character boundary. */
#ifndef RT_LINEEDIT_H
#define RT_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Keys beyond Unicode, for the function keys the console maps. Control
 * characters keep their ASCII values (^A is 1). */
enum le_key {
	LE_KEY_LEFT = 0x110000,
	LE_KEY_RIGHT,
	LE_KEY_HOME,
	LE_KEY_END,
	LE_KEY_UP,
	LE_KEY_DOWN,
	LE_KEY_BACKSPACE,
	LE_KEY_DELETE,
};

enum le_result { LE_EDITING, LE_ACCEPT, LE_CANCEL };

/* Lines entered before, oldest first. Owns its strings. */
struct le_history {
	char **items;
	uint32_t n, cap;
};

struct lineedit {
	struct strbuf text;
	size_t cursor;
	struct le_history *hist;   /* borrowed, may be NULL */
	uint32_t hist_pos;         /* hist->n while editing the new line */
	char *draft;               /* the new line, kept while browsing history */
};

/* initial may be NULL. hist is borrowed for the editor's life. */
void le_init(struct lineedit *le, const char *initial, struct le_history *hist);
void le_free(struct lineedit *le);

/* One key: a printable code point is inserted; Enter accepts; Esc, ^C and
 * ^G cancel; ^A/Home, ^E/End, ^B/Left, ^F/Right move; Backspace (^H, DEL),
 * ^D/Delete delete a character; ^K kills to the end, ^U to the start, ^W
 * the word before the cursor; Up/^P and Down/^N walk the history. Other
 * keys are ignored. */
enum le_result le_key(struct lineedit *le, uint32_t key);

const char *le_text(const struct lineedit *le);   /* borrowed */
size_t le_cursor(const struct lineedit *le);

/* The byte offset to draw from so that the cursor stays within width
 * terminal columns (wide characters counted by wcwidth). */
size_t le_scroll(const struct lineedit *le, int width);

/* Adds a line unless it is empty or repeats the newest one. */
void le_history_add(struct le_history *h, const char *line);
void le_history_free(struct le_history *h);

#endif
