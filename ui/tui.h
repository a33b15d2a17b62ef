/* tui.h: the full-screen console (retort(1) `tui`). */
#ifndef RT_TUI_H
#define RT_TUI_H

#include "cli.h"

/* `retort tui` (also `retort` alone on a terminal). */
extern const struct cmd_entry cmd_tui;

#endif
