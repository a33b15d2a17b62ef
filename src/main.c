/* main.c: the retort command and the console program: the engine's
 * command table plus the terminal faces (console and shell), real ones in
 * the console program, hand-over entries in retort (ui/faces.h). */
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "faces.h"
#include "termout.h"

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
	/* On a terminal, text from databases and scripts cannot drive it */
	FILE *out = termout_open(STDOUT_FILENO, stdout);
	FILE *errf = termout_open(STDERR_FILENO, stderr);
	struct cli_ctx c;
	cli_ctx_init(&c, out, errf);
	int status = cli_run(&c, argc - 1, argv + 1);
	cli_ctx_free(&c);
	/* A write that failed earlier (commands flush as they go) leaves the
	 * stream's error flag, not a failing flush. */
	bool lost = fflush(out) != 0 || ferror(out);
	if (out != stdout)
		lost |= fclose(out) != 0;
	lost |= fflush(stdout) != 0 || ferror(stdout);  /* printed to directly */
	if (lost && status == 0) {
		fputs("retort: writing the output failed (a full disk?)\n", errf);
		status = 1;
	}
	if (errf != stderr)
		fclose(errf);
	return status;
}
