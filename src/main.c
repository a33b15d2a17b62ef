/* main.c: the retort command. */
#include <locale.h>
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	struct cli_ctx c;
	cli_ctx_init(&c, stdout, stderr);
	int status = cli_run(&c, argc - 1, argv + 1);
	cli_ctx_free(&c);
	if (fflush(stdout) != 0 && status == 0)
		status = 1;
	return status;
}
