/* keys.h: the console's requests and the keys bound to them: one table,
 * from which the `?` help and the status line's hints are rendered.
 *
 * Keys are curses key codes: characters by value, function keys as KEY_*. */
#ifndef RT_KEYS_H
#define RT_KEYS_H

#include <curses.h>

#include "util.h"

#define KEY_CTRL(c) ((c) & 0x1f)

/* G(group title) starts a section of the help; R(request, name, help,
 * keys...) is one request with its keys, the first one shown in hints. */
#define REQ_LIST(G, R)                                                            \
	G("Moving")                                                               \
	R(MOVE_DOWN, "down", "Next revision, or scroll the preview down", 'j', KEY_DOWN) \
	R(MOVE_UP, "up", "Previous revision, or scroll the preview up", 'k', KEY_UP)  \
	R(PAGE_DOWN, "page-down", "One page down", KEY_NPAGE, KEY_CTRL('F'))          \
	R(PAGE_UP, "page-up", "One page up", KEY_PPAGE, KEY_CTRL('B'))                \
	R(MOVE_FIRST, "first", "The newest revision, or the top", 'g', KEY_HOME)      \
	R(MOVE_LAST, "last", "The oldest revision, or the bottom", 'G', KEY_END)      \
	R(CURRENT, "current", "The database's current revision (again: the next one)", '.') \
	R(NEXT_HEAD, "next-head", "The next head", ']', 'H')                          \
	R(PREV_HEAD, "prev-head", "The previous head", '[')                           \
	G("Views")                                                                \
	R(ENTER, "details", "Show the selected revision's details in the preview", '\n', '\r', KEY_ENTER) \
	R(NEXT_PANE, "pane", "Move between the graph and the preview", '\t')          \
	R(VIEW_UPGRADE, "upgrade-sql", "Preview the upgrade SQL", '1')                \
	R(VIEW_DOWNGRADE, "downgrade-sql", "Preview the downgrade SQL", '2')          \
	R(VIEW_DETAILS, "info", "Preview the details and the ledger", '3')            \
	R(VIEW_NEXT, "view", "Cycle the preview: upgrade, downgrade, details", 'v')   \
	R(WRAP, "wrap", "Wrap the preview's long lines, or not (then scroll sideways)", 'w') \
	R(SCROLL_LEFT, "left", "Scroll the preview left (wrapping off)", 'h', KEY_LEFT) \
	R(SCROLL_RIGHT, "right", "Scroll the preview right (wrapping off)", 'l', KEY_RIGHT) \
	R(SEARCH, "search", "Search ids, labels, messages and the scripts' SQL", '/') \
	R(SEARCH_NEXT, "next", "Next match", 'n')                                     \
	R(SEARCH_PREV, "previous", "Previous match", 'N')                             \
	R(RELOAD, "reload", "Read the scripts and the database again", 'r')           \
	R(FLEET, "fleet", "The fleet: each target's revision and state (Enter: use it; u/d/s: all)", 'F') \
	R(REDRAW, "redraw", "Redraw the screen", KEY_CTRL('L'))                       \
	G("Actions")                                                              \
	R(UPGRADE, "upgrade", "Upgrade the database to the selected revision", 'u')   \
	R(DOWNGRADE, "downgrade", "Downgrade the database to the selected revision", 'd') \
	R(STAMP, "stamp", "Stamp the selected revision without running SQL", 's')     \
	R(SELECT, "select", "Select or unselect a head for a merge (the preview: a page down)", ' ') \
	R(MERGE, "merge", "Merge the selected heads (all heads when none selected)", 'm') \
	R(REVISION, "new", "Write a new revision on the selected head", 'c')          \
	R(AUTOGENERATE, "autogenerate", "Write a revision autogenerate finds (Alembic's models, or the schema)", 'A') \
	R(EDIT, "edit", "Open the selected revision's script in $VISUAL or $EDITOR", 'e') \
	R(ROLLBACK, "rollback", "Guided rollback to the selected revision", 'R')      \
	R(COMMAND, "command", "Run a command line (the shell's commands)", ':')       \
	G("Other")                                                                \
	R(HELP, "help", "Show this help", '?', KEY_F(1))                              \
	R(QUIT, "quit", "Quit (Ctrl-C stops a wait or a run, never the console)", 'q')

/* The keys of the guided rollback's dialogs (ui/rollback.c), for the
 * help: X(keys as shown, what they do). */
#define ROLLBACK_KEYS_LIST(X)                                                    \
	X("Enter, y", "Review: go on to the backup, the rehearsal, the confirmation") \
	X("y, n", "Back up first? Rehearse first? Roll back now? (Enter: the default)") \
	X("j, k, PgDn", "Scroll the review and the result")                        \
	X("Esc, q", "Cancel at any step before the run: nothing changes")          \
	X("NAME Enter", "Production mode: type the database's name to roll back")  \
	X("^C", "Stop the rehearsal or the run (the running step is rolled back)")

enum request {
	REQ_NONE,
#define KEYS_G(title)
#define KEYS_R(req, name, help, ...) REQ_##req,
	REQ_LIST(KEYS_G, KEYS_R)
#undef KEYS_G
#undef KEYS_R
	REQ_COUNT
};

/* The request bound to a key, REQ_NONE when none. */
enum request keys_request(int key);
/* The request's name ("upgrade") and help line. */
const char *keys_name(enum request r);
const char *keys_help(enum request r);
/* The first key bound to r, 0 when none. */
int keys_first(enum request r);
/* A key as the help shows it: "j", "Down", "PgDn", "Space", "^L".
 * buf must hold 16 bytes; returns buf. */
const char *keys_key_name(int key, char buf[16]);
/* The `?` screen: sections, then one line per request with its keys. */
void keys_help_text(struct strbuf *out);
/* "u upgrade  d downgrade …" for the given requests (REQ_NONE ends). */
void keys_hints(const enum request *reqs, struct strbuf *out);

#endif
