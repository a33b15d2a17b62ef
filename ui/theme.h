/* theme.h: what each part of the console looks like.
 *
 * Every role has a monochrome look that is enough on its own (bold, dim,
 * underline, reverse) and, when colours are allowed, a colour on top.
 * The selection is A_REVERSE in both, so it shows on any terminal. */
#ifndef RT_THEME_H
#define RT_THEME_H

#include <curses.h>
#include <stdbool.h>

/* X(role, foreground, monochrome attributes, extra attributes with colour);
 * -1 is the terminal's default colour. */
#define THEME_LIST(X)                                             \
	X(NORMAL, -1, A_NORMAL, A_NORMAL)                         \
	X(TITLE, COLOR_WHITE, A_REVERSE, A_REVERSE | A_BOLD)      \
	X(STATUS, -1, A_REVERSE, A_REVERSE)                       \
	X(ID, COLOR_YELLOW, A_NORMAL, A_NORMAL)                   \
	X(LABEL, COLOR_CYAN, A_BOLD, A_BOLD)                      \
	X(HEAD, COLOR_GREEN, A_BOLD, A_BOLD)                      \
	X(HEADS_WARN, COLOR_RED, A_BOLD | A_UNDERLINE, A_BOLD)    \
	X(CURRENT, COLOR_MAGENTA, A_BOLD, A_BOLD)                 \
	X(APPLIED, COLOR_GREEN, A_NORMAL, A_NORMAL)               \
	X(PENDING, -1, A_DIM, A_DIM)                              \
	X(CHANGED, COLOR_RED, A_BOLD, A_BOLD)                     \
	X(SELECTED, COLOR_YELLOW, A_BOLD, A_BOLD)                 \
	X(DEPENDS, COLOR_MAGENTA, A_NORMAL, A_NORMAL)             \
	X(DATE, COLOR_BLUE, A_DIM, A_NORMAL)                      \
	X(WARNING, COLOR_YELLOW, A_BOLD, A_BOLD)                  \
	X(ERROR, COLOR_RED, A_BOLD, A_BOLD)                       \
	X(HEADING, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE) \
	X(KEYWORD, COLOR_BLUE, A_BOLD, A_BOLD)                    \
	X(STRING, COLOR_GREEN, A_NORMAL, A_NORMAL)                \
	X(NUMBER, COLOR_MAGENTA, A_NORMAL, A_NORMAL)              \
	X(COMMENT, COLOR_CYAN, A_DIM, A_NORMAL)                   \
	X(LINENO, -1, A_DIM, A_DIM)                               \
	X(TAB, -1, A_NORMAL, A_NORMAL)                            \
	X(TAB_ACTIVE, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD) \
	X(BORDER, COLOR_CYAN, A_NORMAL, A_NORMAL)                 \
	X(PRODUCTION, COLOR_RED, A_BOLD, A_BOLD)                  \
	X(LANE, -1, A_NORMAL, A_NORMAL)

enum theme_role {
#define THEME_X(role, fg, mono, extra) THEME_##role,
	THEME_LIST(THEME_X)
#undef THEME_X
	THEME_COUNT
};

/* Call after initscr. Colours only when want_color and the terminal has
 * them; the caller has already weighed --no-color and NO_COLOR. */
void theme_init(bool want_color);
bool theme_has_color(void);
attr_t theme_attr(enum theme_role role);
/* Lanes take turns through a few colours, by column (plain without colour). */
attr_t theme_lane(unsigned column);

#endif
