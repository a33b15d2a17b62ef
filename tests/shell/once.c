/* once.c: calls shell_once in a loop, as the console's `:` line does,
 * and prints each status; an empty line or Ctrl-D (-1) ends it. */
#include <locale.h>
#include <stdio.h>

#include "cli.h"
#include "shell.h"

int main(void)
{
	setlocale(LC_ALL, "");
	struct cli_ctx c;
	cli_ctx_init(&c, stdout, stderr);
	int status;
	do {
		status = shell_once(&c, ": ");
		printf("status %d\n", status);
		fflush(stdout);
	} while (status != -1);
	cli_ctx_free(&c);
	return 0;
}
