/* theme.c: see theme.h. */
#include "theme.h"

static const struct {
	short fg;
	attr_t mono, extra;
} roles[] = {
#define THEME_X(role, fg, mono, extra) {fg, mono, extra},
	THEME_LIST(THEME_X)
#undef THEME_X
};

static const short lane_colors[] = {COLOR_BLUE, COLOR_GREEN, COLOR_MAGENTA, COLOR_CYAN,
                                    COLOR_YELLOW, COLOR_RED};
#define NLANE_COLORS (short)(sizeof(lane_colors) / sizeof(lane_colors[0]))

static attr_t attrs[THEME_COUNT];
static bool color;

void theme_init(bool want_color)
{
	color = want_color && has_colors() && start_color() == OK;
	if (color)
		use_default_colors();
	for (short r = 0; r < THEME_COUNT; r++) {
		if (!color || roles[r].fg < 0) {
			attrs[r] = roles[r].mono;
			continue;
		}
		init_pair((short)(r + 1), roles[r].fg, -1);
		attrs[r] = COLOR_PAIR(r + 1) | roles[r].extra;
	}
	for (short i = 0; color && i < NLANE_COLORS; i++)
		init_pair((short)(THEME_COUNT + 1 + i), lane_colors[i], -1);
}

bool theme_has_color(void)
{
	return color;
}

attr_t theme_attr(enum theme_role role)
{
	return attrs[role];
}

attr_t theme_lane(unsigned column)
{
	if (!color)
		return A_NORMAL;
	return COLOR_PAIR(THEME_COUNT + 1 + (short)(column % NLANE_COLORS));
}
