/* Unit tests for the console's key table. */
#include <string.h>

#include "keys.h"
#include "tap.h"

/* Every key the table binds, to check that none is bound twice. */
static const int probe[] = {
	'j', 'k', 'g', 'G', 'u', 'd', 's', 'm', 'c', 'R', 'r', 'q', '?', '/', 'n', 'N',
	'v', '1', '2', '3', ':', ' ', '\t', '\n', '\r', KEY_ENTER, KEY_UP, KEY_DOWN,
	KEY_NPAGE, KEY_PPAGE, KEY_HOME, KEY_END, KEY_CTRL('L'), KEY_CTRL('F'),
	KEY_CTRL('B'), KEY_F(1), '.', ']', 'H', '[', 'w', 'h', 'l', KEY_LEFT, KEY_RIGHT, 'e',
};

static void test_bindings(void)
{
	is_int(keys_request('j'), REQ_MOVE_DOWN, "j moves down");
	is_int(keys_request(KEY_DOWN), REQ_MOVE_DOWN, "Down moves down");
	is_int(keys_request('k'), REQ_MOVE_UP, "k moves up");
	is_int(keys_request(KEY_NPAGE), REQ_PAGE_DOWN, "PgDn pages down");
	is_int(keys_request('g'), REQ_MOVE_FIRST, "g goes to the top");
	is_int(keys_request('G'), REQ_MOVE_LAST, "G goes to the bottom");
	is_int(keys_request('\n'), REQ_ENTER, "Enter shows details");
	is_int(keys_request('\r'), REQ_ENTER, "CR too");
	is_int(keys_request('\t'), REQ_NEXT_PANE, "Tab switches panes");
	is_int(keys_request('u'), REQ_UPGRADE, "u upgrades");
	is_int(keys_request('d'), REQ_DOWNGRADE, "d downgrades");
	is_int(keys_request('s'), REQ_STAMP, "s stamps");
	is_int(keys_request(' '), REQ_SELECT, "Space selects");
	is_int(keys_request('m'), REQ_MERGE, "m merges");
	is_int(keys_request('c'), REQ_REVISION, "c creates a revision");
	is_int(keys_request('R'), REQ_ROLLBACK, "R rolls back");
	is_int(keys_request('r'), REQ_RELOAD, "r reloads");
	is_int(keys_request(':'), REQ_COMMAND, ": opens the command line");
	is_int(keys_request('/'), REQ_SEARCH, "/ searches");
	is_int(keys_request('n'), REQ_SEARCH_NEXT, "n finds the next match");
	is_int(keys_request('N'), REQ_SEARCH_PREV, "N finds the previous match");
	is_int(keys_request('?'), REQ_HELP, "? shows help");
	is_int(keys_request('q'), REQ_QUIT, "q quits");
	is_int(keys_request('.'), REQ_CURRENT, ". goes to the current revision");
	is_int(keys_request(']'), REQ_NEXT_HEAD, "] goes to the next head");
	is_int(keys_request('H'), REQ_NEXT_HEAD, "H too");
	is_int(keys_request('['), REQ_PREV_HEAD, "[ goes to the previous head");
	is_int(keys_request('w'), REQ_WRAP, "w wraps or unwraps the preview");
	is_int(keys_request('h'), REQ_SCROLL_LEFT, "h scrolls left");
	is_int(keys_request(KEY_RIGHT), REQ_SCROLL_RIGHT, "Right scrolls right");
	is_int(keys_request('e'), REQ_EDIT, "e edits the script");
	is_int(keys_request(KEY_CTRL('C')), REQ_NONE, "Ctrl-C is no request: it stops waits and runs");
	is_int(keys_request('x'), REQ_NONE, "an unbound key is no request");
	is_int(keys_request(0), REQ_NONE, "0 is no request");
}

static void test_unique(void)
{
	int clashes = 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(probe); i++)
		for (size_t j = i + 1; j < RT_ARRAY_LEN(probe); j++)
			if (probe[i] == probe[j])
				clashes++;
	is_int(clashes, 0, "the probe list names each key once");
	int unbound = 0;
	for (size_t i = 0; i < RT_ARRAY_LEN(probe); i++)
		unbound += keys_request(probe[i]) == REQ_NONE;
	is_int(unbound, 0, "every probed key is bound");
	int missing = 0;
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++)
		missing += keys_first((enum request)r) == 0 || !*keys_name((enum request)r) ||
		           !*keys_help((enum request)r);
	is_int(missing, 0, "every request has a key, a name and a help line");
	int dup_names = 0;
	for (int a = REQ_NONE + 1; a < REQ_COUNT; a++)
		for (int b = a + 1; b < REQ_COUNT; b++)
			dup_names += strcmp(keys_name((enum request)a), keys_name((enum request)b)) == 0;
	is_int(dup_names, 0, "request names are unique");
}

static void test_names(void)
{
	char buf[16];
	is_str(keys_key_name('j', buf), "j", "a letter names itself");
	is_str(keys_key_name(KEY_DOWN, buf), "Down", "Down");
	is_str(keys_key_name(KEY_NPAGE, buf), "PgDn", "PgDn");
	is_str(keys_key_name(' ', buf), "Space", "Space");
	is_str(keys_key_name('\t', buf), "Tab", "Tab");
	is_str(keys_key_name('\r', buf), "Enter", "CR is Enter");
	is_str(keys_key_name(KEY_CTRL('L'), buf), "^L", "a control key");
	is_str(keys_key_name(KEY_F(1), buf), "F1", "a function key");
	is_str(keys_name(REQ_UPGRADE), "upgrade", "a request's name");
	is_str(keys_name(REQ_NONE), "", "REQ_NONE has no name");
	is_int(keys_first(REQ_MOVE_DOWN), 'j', "the first key is the hinted one");
}

static void test_help(void)
{
	struct strbuf sb = STRBUF_INIT;
	keys_help_text(&sb);
	const char *h = sb_str(&sb);
	ok(strstr(h, "Moving\n") == h, "help starts with the first section");
	ok(strstr(h, "\nActions\n") != NULL, "help has the actions section");
	ok(strstr(h, "  j, Down      Next revision") != NULL, "a line lists keys then help");
	ok(strstr(h, "  Enter        Show the selected") != NULL, "Enter is named once");
	ok(strstr(h, "  u            Upgrade the database") != NULL, "u is in the help");
	int lines = 0;
	for (const char *p = h; *p; p++)
		lines += *p == '\n';
	/* One line per request, a title per section, a blank between sections;
	 * then the guided rollback's keys, a section of their own. */
	int rollback_keys = 0;
#define COUNT_RB(keys, help) rollback_keys++;
	ROLLBACK_KEYS_LIST(COUNT_RB)
#undef COUNT_RB
	is_int(lines, (REQ_COUNT - 1) + 4 + 3 + 2 + rollback_keys, "every request has one help line");
	ok(strstr(h, "\n\nGuided rollback (R)\n") != NULL, "the guided rollback's keys have a section");
	ok(strstr(h, "  Esc, q       Cancel at any step before the run: nothing changes\n") != NULL,
	   "Esc cancels the guided rollback, says the help");
	int missing = 0;
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++)
		missing += strstr(h, keys_help((enum request)r)) == NULL;
	is_int(missing, 0, "every request's help is shown");
	sb_free(&sb);

	enum request hints[] = {REQ_UPGRADE, REQ_HELP, REQ_QUIT, REQ_NONE};
	keys_hints(hints, &sb);
	is_str(sb_str(&sb), "u upgrade  ? help  q quit", "hints name the first key");
	sb_free(&sb);
}

int main(void)
{
	test_bindings();
	test_unique();
	test_names();
	test_help();
	return done_testing();
}
