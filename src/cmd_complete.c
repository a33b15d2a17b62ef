/* cmd_complete.c: `retort __complete WORD… CURRENT`, the hidden command
 * behind the bash and zsh completion scripts (completion/): the same
 * grammar and candidates as the shell's Tab (src/complete.c), read from
 * this retort's own command table, so that the scripts never go stale.
 *
 * Its output, one item a line: first what the current word is ("option",
 * or an argument kind of CMD_ARG_KIND_LIST: "revision", "file", "dir",
 * "target", "choice", "command", "text"), then the candidates. The shell
 * completes file and directory names itself. Nothing goes to standard
 * error and the exit status is 0: a half-typed line is not a mistake. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "complete.h"
#include "util.h"

int cli_complete(struct cli_ctx *c, int argc, char **argv)
{
	if (argc == 0)
		return RT_OK;
	char **words = argv;
	int nwords = argc - 1;
	const char *word = argv[argc - 1];

	/* The line's own -c FILE and -s DIR say where the scripts are; what
	 * they would print about a bad value goes nowhere. */
	struct cli_ctx sub;
	FILE *sink = fopen("/dev/null", "w");
	cli_ctx_init_from(&sub, c);
	sub.errf = sink ? sink : c->errf;
	sub.interactive = false;
	cli_take_globals(&sub, nwords, words);
	char *err = NULL;
	if (cli_graph(&sub, &err) != RT_OK)
		graph_free(sub.graph), sub.graph = NULL;
	free(err);

	struct complete_what what = complete_kind(words, nwords, word);
	struct complete_src src = {sub.graph, NULL, sub.config_path};
	static const char *const builtins[] = {"help", NULL};
	src.builtins = builtins;
	struct completion cp;
	complete_words(words, nwords, word, &src, &cp);
	/* "file" and "dir" with the part before the name, for --name=FILE */
	fprintf(c->out, "%s%s%.*s\n", what.option ? "option" : cmd_arg_kind_word(what.kind),
	        what.value_at ? " " : "", (int)what.value_at, word);
	for (size_t i = 0; i < cp.n; i++)
		fprintf(c->out, "%s\n", cp.items[i]);
	completion_free(&cp);
	cli_ctx_free(&sub);
	if (sink)
		fclose(sink);
	return RT_OK;
}
