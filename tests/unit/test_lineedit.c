/* Unit tests for the console's line editor. */
#include <locale.h>
#include <string.h>

#include "lineedit.h"
#include "tap.h"

#define CTRL(c) ((c) & 0x1f)

static void type(struct lineedit *le, const char *s)
{
	for (; *s; s++)
		le_key(le, (unsigned char)*s);
}

static void test_insert_and_move(void)
{
	struct lineedit le;
	le_init(&le, NULL, NULL);
	type(&le, "helo");
	le_key(&le, LE_KEY_LEFT);
	le_key(&le, 'l');
	is_str(le_text(&le), "hello", "insert in the middle");
	is_int(le_cursor(&le), 4, "cursor after the inserted character");
	le_key(&le, CTRL('A'));
	le_key(&le, '>');
	is_str(le_text(&le), ">hello", "^A goes to the start");
	le_key(&le, CTRL('E'));
	le_key(&le, '!');
	is_str(le_text(&le), ">hello!", "^E goes to the end");
	le_key(&le, LE_KEY_HOME);
	le_key(&le, LE_KEY_DELETE);
	is_str(le_text(&le), "hello!", "Delete removes the character under the cursor");
	le_key(&le, LE_KEY_END);
	le_key(&le, LE_KEY_BACKSPACE);
	le_key(&le, 127);
	is_str(le_text(&le), "hell", "Backspace and DEL remove before the cursor");
	le_key(&le, LE_KEY_RIGHT);
	is_int(le_cursor(&le), 4, "Right stops at the end");
	le_key(&le, CTRL('A'));
	le_key(&le, LE_KEY_LEFT);
	is_int(le_cursor(&le), 0, "Left stops at the start");
	le_key(&le, CTRL('H'));
	is_str(le_text(&le), "hell", "Backspace at the start does nothing");
	le_key(&le, 1000000 + 0x110000);
	le_key(&le, CTRL('T'));
	is_str(le_text(&le), "hell", "unknown keys and control characters are ignored");
	le_free(&le);
}

static void test_kills(void)
{
	struct lineedit le;
	le_init(&le, "add user  email", NULL);
	is_int(le_cursor(&le), 15, "the initial text leaves the cursor at its end");
	le_key(&le, CTRL('W'));
	is_str(le_text(&le), "add user  ", "^W kills the word before the cursor");
	le_key(&le, CTRL('W'));
	is_str(le_text(&le), "add ", "^W skips spaces, then kills the word");
	le_key(&le, CTRL('A'));
	le_key(&le, CTRL('F'));
	le_key(&le, CTRL('K'));
	is_str(le_text(&le), "a", "^K kills to the end");
	type(&le, "bcd");
	le_key(&le, CTRL('B'));
	le_key(&le, CTRL('U'));
	is_str(le_text(&le), "d", "^U kills to the start");
	is_int(le_cursor(&le), 0, "^U leaves the cursor at the start");
	le_key(&le, CTRL('D'));
	is_str(le_text(&le), "", "^D deletes under the cursor");
	le_free(&le);
}

static void test_utf8(void)
{
	struct lineedit le;
	le_init(&le, NULL, NULL);
	le_key(&le, 0xE9);      /* é, two bytes */
	le_key(&le, 0x65E5);    /* 日, three bytes, two columns */
	le_key(&le, 0x1F600);   /* four bytes */
	is_str(le_text(&le), "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", "code points are stored as UTF-8");
	le_key(&le, LE_KEY_LEFT);
	is_int(le_cursor(&le), 5, "Left steps over a whole four-byte character");
	le_key(&le, LE_KEY_BACKSPACE);
	is_str(le_text(&le), "\xc3\xa9\xf0\x9f\x98\x80", "Backspace removes a whole character");
	le_key(&le, 0xD800);
	is_str(le_text(&le), "\xc3\xa9\xf0\x9f\x98\x80", "a lone surrogate is not inserted");
	le_free(&le);
}

static void test_accept_cancel(void)
{
	struct lineedit le;
	le_init(&le, "x", NULL);
	is_int(le_key(&le, 'y'), LE_EDITING, "a character keeps editing");
	is_int(le_key(&le, '\n'), LE_ACCEPT, "Enter accepts");
	is_int(le_key(&le, '\r'), LE_ACCEPT, "CR accepts");
	is_int(le_key(&le, 27), LE_CANCEL, "Esc cancels");
	is_int(le_key(&le, CTRL('G')), LE_CANCEL, "^G cancels");
	is_int(le_key(&le, CTRL('C')), LE_CANCEL, "^C cancels");
	is_str(le_text(&le), "xy", "accept and cancel leave the text");
	le_free(&le);
}

static void test_history(void)
{
	struct le_history h = {0};
	le_history_add(&h, "first");
	le_history_add(&h, "second");
	le_history_add(&h, "second");
	le_history_add(&h, "");
	is_int(h.n, 2, "empty lines and repeats are not kept");

	struct lineedit le;
	le_init(&le, NULL, &h);
	type(&le, "draft");
	le_key(&le, LE_KEY_UP);
	is_str(le_text(&le), "second", "Up recalls the newest line");
	le_key(&le, CTRL('P'));
	is_str(le_text(&le), "first", "^P goes further back");
	le_key(&le, LE_KEY_UP);
	is_str(le_text(&le), "first", "Up stops at the oldest line");
	le_key(&le, LE_KEY_DOWN);
	is_str(le_text(&le), "second", "Down comes forward");
	le_key(&le, CTRL('N'));
	is_str(le_text(&le), "draft", "past the newest line the draft comes back");
	le_key(&le, LE_KEY_DOWN);
	is_str(le_text(&le), "draft", "Down at the draft stays");
	is_int(le_cursor(&le), 5, "the cursor is at the end of a recalled line");
	le_free(&le);
	le_history_free(&h);
	is_int(h.n, 0, "freeing empties the history");
}

static void test_scroll(void)
{
	struct lineedit le;
	le_init(&le, "abcdefghij", NULL);
	is_int(le_scroll(&le, 20), 0, "a short line is drawn from the start");
	is_int(le_scroll(&le, 5), 6, "a long line scrolls so the cursor fits");
	le_key(&le, CTRL('A'));
	is_int(le_scroll(&le, 5), 0, "with the cursor at the start nothing scrolls");
	le_free(&le);
	/* Four wide characters, eight columns. */
	le_init(&le, "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5", NULL);
	is_int(le_scroll(&le, 6), 6, "wide characters count two columns each");
	le_free(&le);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	test_insert_and_move();
	test_kills();
	test_utf8();
	test_accept_cancel();
	test_history();
	test_scroll();
	return done_testing();
}
