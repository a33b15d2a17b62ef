/* main.c: the retort command and the console program: the engine's
 * command table plus the terminal faces (console and shell), real ones in
 * the console program, hand-over entries in retort (ui/faces.h). */
#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include "cli.h"
#include "faces.h"

int main(int argc, char **argv)
{
	/* The character set only (line drawing, wide characters in the
	 * console and the shell): numbers, dates and messages stay as the
	 * contract prints them whatever the locale, and loading one category
	 * instead of all of them is a fifth of a start-up. */
	setlocale(LC_CTYPE, "");
	/* Past a file size limit (ulimit -f), write() then fails with EFBIG
	 * and SQLite reports the error, instead of the process dying with
	 * its transaction half-written to the journal. */
	signal(SIGXFSZ, SIG_IGN);
	face_argv = argv;
	cli_add_commands(face_commands);
	struct cli_ctx c;
	cli_ctx_init(&c, stdout, stderr);
	int status = cli_run(&c, argc - 1, argv + 1);
	cli_ctx_free(&c);
	if (fflush(stdout) != 0 && status == 0)
		status = 1;
	return status;
}
