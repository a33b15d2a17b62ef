/* main.c: the retort command and the console program: the engine's
 * command table plus the terminal faces (console and shell), real ones in
 * the console program, hand-over entries in retort (ui/faces.h). */
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "faces.h"
#include "termout.h"

/* Whether nobody reads fd any more: a pipe or socket whose other end is
 * closed reports POLLERR (or POLLHUP) to its writer. */
static bool reader_gone(int fd)
{
	struct pollfd p = {fd, 0, 0};
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

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
	/* Likewise a write to a pipe nobody reads (retort history | head -1)
	 * fails with EPIPE instead of killing the process: a migration that is
	 * running then completes or rolls back and its ledger row is written,
	 * and the exit below is quiet. libpq keeps SIGPIPE off its sockets
	 * itself; children (pg_dump) get the default back. */
	signal(SIGPIPE, SIG_IGN);
	face_argv = argv;
	cli_add_commands(face_commands);
	/* On a terminal, text from databases and scripts cannot drive it */
	FILE *out = termout_open(STDOUT_FILENO, stdout);
	FILE *errf = termout_open(STDERR_FILENO, stderr);
	struct cli_ctx c;
	cli_ctx_init(&c, out, errf);
	int status = cli_exit(&c, cli_run(&c, argc - 1, argv + 1));
	cli_ctx_free(&c);
	/* A write that failed earlier (commands flush as they go) leaves the
	 * stream's error flag, not a failing flush. */
	bool lost = fflush(out) != 0 || ferror(out);
	if (out != stdout)
		lost |= fclose(out) != 0;
	lost |= fflush(stdout) != 0 || ferror(stdout);  /* printed to directly */
	if (lost && status == 0) {
		/* A reader that stopped reading (head, a pager that quit) chose
		 * to: nothing to say, but the output is incomplete. */
		if (!reader_gone(STDOUT_FILENO))
			fputs("retort: writing the output failed (a full disk?)\n", errf);
		status = 1;
	}
	if (errf != stderr)
		fclose(errf);
	return status;
}
