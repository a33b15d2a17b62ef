/* test_complete.c: the shell's word splitting and Tab completion, on the
 * demo history (migrations/). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "complete.h"
#include "tap.h"

static const char *const builtins[] = {"help", "exit", "quit", NULL};

/* The words of a line joined by '|', or "ERR: message". Static buffer. */
static const char *split(const char *line, bool partial)
{
	static char buf[512];
	struct complete_words w;
	char *err = NULL;
	if (complete_split(line, strlen(line), partial, &w, &err) != RT_OK) {
		snprintf(buf, sizeof buf, "ERR: %s", err ? err : "?");
		free(err);
		return buf;
	}
	buf[0] = '\0';
	for (int i = 0; i < w.n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, w.v[i]);
	}
	ok(w.v[w.n] == NULL, "words of '%s' end with NULL", line);
	complete_split_free(&w);
	return buf;
}

static void test_split(void)
{
	is_str(split("upgrade head", false), "upgrade|head", "blanks separate words");
	is_str(split("  show\t532  ", false), "show|532", "leading, trailing blanks, tabs");
	is_str(split("revision -m 'Add a \"table\"'", false),
	       "revision|-m|Add a \"table\"", "single quotes keep everything");
	is_str(split("revision -m \"it's \\\"x\\\" \\n\"", false),
	       "revision|-m|it's \"x\" \\n", "double quotes: \\\" escapes, \\n stays");
	is_str(split("a\\ b c\\'d", false), "a b|c'd", "backslash outside quotes");
	is_str(split("x '' y", false), "x||y", "an empty quoted word is a word");
	is_str(split("ab'c d'\"e\"f", false), "abc def", "quoted parts join a word");
	is_str(split("# a comment", false), "", "a comment line has no words");
	is_str(split("   #x", false), "", "a comment after blanks");
	is_str(split("revision -m #12", false), "revision|-m|#12", "# inside a line is a word");
	is_str(split("", false), "", "an empty line");
	is_str(split("show 'abc", false), "ERR: unterminated single quote", "open single quote");
	is_str(split("show \"abc", false), "ERR: unterminated double quote", "open double quote");
	is_str(split("show abc\\", false), "ERR: the line ends with a backslash", "final backslash");
	is_str(split("show 'abc", true), "show|abc", "an open quote while typing");

	struct complete_words w;
	complete_split("show  53", 8, true, &w, NULL);
	ok(w.last_open && w.last_start == 6, "the last word is open and starts at 6");
	complete_split_free(&w);
	complete_split("show 53 ", 8, true, &w, NULL);
	ok(!w.last_open && w.n == 2, "a blank closes the last word");
	complete_split_free(&w);
}

/* What Tab does: "replace" or "replace [item item …]" when it lists. */
static const char *tab(const struct graph *g, const char *line)
{
	static char buf[2048];
	struct completion c;
	struct complete_src src = {g, builtins, NULL};
	complete_line(line, strlen(line), &src, &c);
	if (c.n == 0) {
		completion_free(&c);
		return "(none)";
	}
	snprintf(buf, sizeof buf, "%.*s%s", (int)c.start, line, c.replace);
	if (c.list) {
		strcat(buf, " [");
		for (size_t i = 0; i < c.n; i++) {
			if (i)
				strcat(buf, " ");
			strcat(buf, c.items[i]);
		}
		strcat(buf, "]");
	}
	completion_free(&c);
	return buf;
}

static void test_commands(void)
{
	is_str(tab(NULL, "up"), "upgrade ", "a unique command");
	is_str(tab(NULL, "  dow"), "  downgrade ", "after leading blanks");
	is_str(tab(NULL, "h"), "h [heads help history]", "commands and builtins");
	is_str(tab(NULL, "he"), "he [heads help]", "no longer prefix: list");
	is_str(tab(NULL, "qu"), "quit ", "a builtin");
	is_str(tab(NULL, "sh"), "show ", "shell is not a command until added");
	static const struct cmd_entry fake = {"shell", NULL, "x", NULL, 0, NULL};
	static const struct cmd_entry *const extra[] = {&fake, NULL};
	cli_add_commands(extra);
	is_str(tab(NULL, "sh"), "sh [shell show]", "added commands complete too");
	is_str(tab(NULL, "-d x.db cu"), "-d x.db current ", "after a global option and its value");
	is_str(tab(NULL, "--json hi"), "--json history ", "after a global flag");
	is_str(tab(NULL, "help up"), "help upgrade ", "help completes command names");
	is_str(tab(NULL, "help upgrade h"), "(none)", "help takes one command");
	is_str(tab(NULL, "zz"), "(none)", "no such command");
	is_str(tab(NULL, "nosuch a"), "(none)", "an unknown command's operands");
	is_str(tab(NULL, "# up"), "(none)", "nothing in a comment");

	struct completion c;
	struct complete_src none = {NULL, builtins, NULL};
	complete_line("", 0, &none, &c);
	bool all = c.list && c.n >= 18 && strcmp(c.replace, "") == 0;
	for (size_t i = 1; i < c.n; i++)
		all = all && strcmp(c.items[i - 1], c.items[i]) < 0;
	ok(all, "an empty line lists every command, sorted (%zu)", c.n);
	completion_free(&c);
}

static void test_options(void)
{
	is_str(tab(NULL, "upgrade --sq"), "upgrade --sql ", "a command's option");
	is_str(tab(NULL, "upgrade --d"), "upgrade --d [--database --dry-run]",
	       "a command's and a global option");
	is_str(tab(NULL, "heads --res"), "heads --resolve-dependencies ", "heads' option");
	is_str(tab(NULL, "--ver"), "--ver [--verbose --version --version-table]",
	       "global options before the command");
	is_str(tab(NULL, "revision -m 'a b' --bra"), "revision -m 'a b' --branch-label ",
	       "after a quoted value");
	is_str(tab(NULL, "-- --x"), "(none)", "no options after --");
	is_str(tab(NULL, "downgrade -1"), "(none)", "-1 is a relative revision");
}

static void test_revisions(const struct graph *g)
{
	is_str(tab(g, "show 532"), "show 532afb069296 ", "a unique prefix gives the full id");
	is_str(tab(g, "show  532a"), "show  532afb069296 ", "the word's start is kept");
	is_str(tab(g, "show d"), "show d [d58e11da093b dd1123f32f48]", "an ambiguous prefix lists");
	is_str(tab(g, "upgrade 4"), "upgrade 4 [453fe4207322 4d45ff13dd15]", "upgrade's TARGET");
	is_str(tab(g, "upgrade --sql c0"), "upgrade --sql c0f44988ee9d ", "after a flag");
	is_str(tab(g, "show hea"), "show head [head heads]", "keywords");
	is_str(tab(g, "show cu"), "show current ", "current");
	is_str(tab(g, "show c"), "show c [c0f44988ee9d c12435d869e2 catalog catalog@base "
	       "catalog@head current]", "ids, labels and keywords together");
	is_str(tab(g, "show bil"), "show billing [billing billing@base billing@head]", "a label");
	is_str(tab(g, "show billing@h"), "show billing@head ", "LABEL@head");
	is_str(tab(g, "show reporting@"), "show reporting@ [reporting@base reporting@dd1123f32f48 "
	       "reporting@head]", "LABEL@ids the label covers");
	is_str(tab(g, "show notifications@8"), "show notifications@8cc5b122869d ",
	       "an id within a branch");
	is_str(tab(g, "show nosuch@"), "(none)", "an unknown label");
	is_str(tab(g, "history -r 532afb069296:dd"), "history -r 532afb069296:dd1123f32f48 ",
	       "the end of a range");
	is_str(tab(g, "history --rev-range=4d"), "history --rev-range=4d45ff13dd15 ",
	       "a value inside --opt=");
	is_str(tab(g, "lint --fail-on=w"), "lint --fail-on=warning ", "a choice inside --opt=");
	is_str(tab(g, "lint --direction "), "lint --direction  [down up]", "an option's choices");
	is_str(tab(g, "--color a"), "--color a [always auto]", "--color's choices");
	is_str(tab(g, "backup 5"), "(none)", "a file is the shell's to complete");
	is_str(tab(g, "history -r 532"), "history -r 532afb069296 ", "an option's RANGE value");
	is_str(tab(g, "revision --head 3d"), "revision --head 3dcd61aad93b ", "an option's SPEC value");
	is_str(tab(g, "revision -m 3d"), "(none)", "a message is not a revision");
	is_str(tab(g, "stamp head 53"), "stamp head 532afb069296 ", "a second TARGET");
	is_str(tab(g, "-d app.db show 0"), "-d app.db show 041584a9edb9 ", "after global options");
	is_str(tab(g, "show '53"), "show 532afb069296 ", "a quoted word is replaced unquoted");
	is_str(tab(g, "init 5"), "(none)", "init takes a directory");
	is_str(tab(g, "show 99"), "(none)", "no such revision");

	struct completion c;
	struct complete_src src = {g, builtins, NULL};
	complete_line("show 532afb069296 extra", 8, &src, &c);
	is_str(c.replace, "532afb069296 ", "completes what is before the cursor");
	is_int(c.start, 5, "from the word's start");
	completion_free(&c);

	complete_line("show ", 5, &src, &c);
	is_int(c.n, 4 + 4 * 3 + g->n, "an empty word: keywords, labels with @head/@base, ids");
	completion_free(&c);

	is_str(tab(NULL, "show h"), "show head [head heads]", "keywords without scripts");
	is_str(tab(NULL, "show 53"), "(none)", "no ids without scripts");
}

static void test_columns(void)
{
	char *items[] = {"aa", "bbbb", "c", "dd", "e"};
	char *s = complete_columns(items, 5, 20);
	is_str(s, "aa    c     e\nbbbb  dd\n", "down then across, 6 wide: 3 columns, 2 rows");
	free(s);
	s = complete_columns(items, 5, 3);
	is_str(s, "aa\nbbbb\nc\ndd\ne\n", "narrow: one column");
	free(s);
	s = complete_columns(items, 2, 80);
	is_str(s, "aa    bbbb\n", "wide: one row");
	free(s);
	s = complete_columns(items, 0, 80);
	is_str(s, "", "nothing");
	free(s);
}

/* --target values: the fleet's targets and groups from retort.ini's
 * [target NAME] sections and the file its `targets` key names, read by a
 * command whose option says it takes a target (a table of its own here:
 * the option's kind is what completion follows, not its name). */
static const char *targets(const char *ini, const char *line)
{
	static char buf[512];
	char **w;
	int n;
	struct complete_words cw;
	complete_split(line, strlen(line), true, &cw, NULL);
	w = cw.v;
	n = cw.last_open ? cw.n - 1 : cw.n;
	struct complete_src src = {NULL, NULL, ini};
	struct completion c;
	complete_words(w, n, cw.last_open ? w[n] : "", &src, &c);
	buf[0] = '\0';
	for (size_t i = 0; i < c.n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, c.items[i]);
	}
	completion_free(&c);
	complete_split_free(&cw);
	return buf;
}

static void test_targets(void)
{
	char dir[] = "/tmp/test_complete.XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "a temporary directory"))
		return;
	char ini[64], list[64];
	snprintf(ini, sizeof ini, "%s/retort.ini", dir);
	snprintf(list, sizeof list, "%s/fleet.txt", dir);
	FILE *f = fopen(ini, "w");
	fputs("[retort]\nscript_location = m\ntargets = fleet.txt ; more\n\n"
	      "[target eu-1]\ndatabase = sqlite:///eu1.db\ngroup = eu\n"
	      "[target  eu-2 ]\ndatabase = sqlite:///eu2.db\ngroup = eu\n", f);
	fclose(f);
	f = fopen(list, "w");
	fputs("# name url group\nus-1 postgresql://db/us1 us\nap-1 sqlite:///ap1.db\n", f);
	fclose(f);
	static const struct cmd_opt fleet_opts[] = {
		{"target", 't', "NAME", "x", CMD_ARG_TARGET},
		{NULL, 0, NULL, NULL},
	};
	static const struct cmd_entry fake_shell = {"shell", NULL, "x", NULL, 0, NULL};
	static const struct cmd_entry fleet = {"fleetcmd", NULL, "x", fleet_opts, 0, NULL};
	static const struct cmd_entry *const extra[] = {&fake_shell, &fleet, NULL};
	cli_add_commands(extra);
	is_str(targets(ini, "fleetcmd --target "), "all ap-1 eu eu-1 eu-2 us us-1",
	       "targets, groups and all: sections and the targets file");
	is_str(targets(ini, "fleetcmd -t eu"), "eu eu-1 eu-2", "a prefix");
	is_str(targets(ini, "fleetcmd --target=u"), "--target=us --target=us-1", "--target=");
	is_str(targets(ini, "fleetcmd -t eu-1,a"), "eu-1,ap-1",
	       "the last item of a comma-separated list");
	is_str(targets(dir, "fleetcmd -t "), "all", "no configuration: all alone");
	remove(ini);
	remove(list);
	rmdir(dir);
}

int main(void)
{
	test_split();
	test_commands();
	test_options();
	test_targets();

	struct graph *g = NULL;
	char *err = NULL;
	if (!ok(graph_load(RT_SRCDIR "/migrations/versions", &g, &err) == RT_OK,
	        "load the demo history")) {
		printf("# %s\n", err ? err : "?");
		return done_testing();
	}
	test_revisions(g);
	graph_free(g);
	test_columns();
	return done_testing();
}
