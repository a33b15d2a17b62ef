/* faces_console.c: the console program's faces: the real commands. */
#include "faces.h"
#include "shell.h"
#include "tui.h"

const struct cmd_entry *const face_commands[] = {&cmd_tui, &cmd_shell, NULL};
