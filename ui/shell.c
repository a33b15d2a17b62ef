/* shell.c: `retort shell` (retort(1)). A libedit prompt over the command
 * table, with a history file and Tab completion; commands piped in run
 * one per line. shell_once lends the same line to the console's `:`. */
#include "shell.h"
#include "faces.h"

#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include "complete.h"
#include "util.h"

#define HISTORY_SIZE 1000
/* More candidates than this are counted rather than listed. */
#define LIST_MAX 300

static const char *const builtin_names[] = {"help", "exit", "quit", NULL};

struct shell {
	const struct cli_ctx *opts; /* borrowed: every command starts from its options */
	struct cli_ctx comp;        /* the scripts and URL behind completion and the
	                               prompt; emptied after each command */
	bool stale;                 /* a command ran since comp and prompt were read */
	const char *refuse;         /* a command that cannot run from here */
	EditLine *el;
	History *hist;
	char *hist_path;            /* NULL: no history file */
	bool hist_warned;
	const char *fixed_prompt;   /* shell_once's (borrowed), or NULL */
	char prompt[96];
};

/* ---- the history file ---- */

/* mkdir -p, new directories private to the user (XDG base directories). */
/* $XDG_STATE_HOME/retort/history, else ~/.local/state/retort/history
 * (a relative XDG_STATE_HOME is ignored, as the XDG specification says). */
static int history_path(char **out, char **err)
{
	const char *state = getenv("XDG_STATE_HOME");
	char *dir;
	if (state && state[0] == '/') {
		dir = xasprintf("%s/retort", state);
	} else {
		const char *home = getenv("HOME");
		if (!home || home[0] != '/') {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return rt_err(err, RT_EFAIL, "no home directory to keep the history in");
		dir = xasprintf("%s/.local/state/retort", home);
	}
	int rc = mkdir_p(dir, 0700, err);
	if (rc == RT_OK)
		*out = xasprintf("%s/history", dir);
	free(dir);
	return rc;
}

static void history_warn(struct shell *s, const char *what, const char *why)
{
	if (!s->hist_warned)
		fprintf(s->opts->errf, "retort shell: %s: %s (history not saved)\n", what, why);
	s->hist_warned = true;
}

/* Appends line to the history file. The file is read again first so
 * that shells running side by side add to it instead of overwriting each
 * other; it is written beside and renamed, so it is never half-written,
 * and created 0600 whatever it was before. */
static void history_append(struct shell *s, const char *line)
{
	HistEvent ev;
	History *h = history_init();
	history(h, &ev, H_SETSIZE, HISTORY_SIZE);
	history(h, &ev, H_SETUNIQUE, 1);
	history(h, &ev, H_LOAD, s->hist_path); /* absent at first: nothing to load */
	history(h, &ev, H_ENTER, line);

	char *tmp = xasprintf("%s.%ld", s->hist_path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	bool saved = f && fchmod(fd, 0600) == 0 && history(h, &ev, H_SAVE_FP, f) >= 0;
	if (f)
		saved = fclose(f) == 0 && saved;
	else if (fd >= 0)
		close(fd);
	saved = saved && rename(tmp, s->hist_path) == 0;
	if (!saved) {
		history_warn(s, s->hist_path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	history_end(h);
}

static void history_open(struct shell *s)
{
	HistEvent ev;
	char *err = NULL;
	s->hist = history_init();
	history(s->hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(s->hist, &ev, H_SETUNIQUE, 1);
	if (history_path(&s->hist_path, &err) != RT_OK) {
		history_warn(s, "history", err);
		free(err);
		return;
	}
	struct stat st;
	if (lstat(s->hist_path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
		chmod(s->hist_path, 0600);
	history(s->hist, &ev, H_LOAD, s->hist_path);
}

static void shell_remember(struct shell *s, const char *line)
{
	size_t len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;  /* a completed word leaves a blank behind */
	if (strspn(line, " \t") >= len)
		return;
	char *entry = xstrndup(line, len);
	HistEvent ev;
	history(s->hist, &ev, H_ENTER, entry);
	if (s->hist_path)
		history_append(s, entry);
	free(entry);
}

/* ---- prompt and completion ---- */

/* Completion and the prompt read the scripts and configuration as they
 * are now: a command may have written a revision or a retort.ini. */
static void shell_refresh(struct shell *s)
{
	cli_ctx_free(&s->comp);
	cli_ctx_init_from(&s->comp, s->opts);
	char *err = NULL;
	if (cli_url(&s->comp, &err) == RT_OK && s->comp.url.dbname && *s->comp.url.dbname)
		snprintf(s->prompt, sizeof s->prompt, "retort(%.60s)> ", s->comp.url.dbname);
	else
		snprintf(s->prompt, sizeof s->prompt, "retort> ");
	free(err);
	s->stale = false;
}

static struct shell *shell_of(EditLine *el)
{
	void *s = NULL;
	el_get(el, EL_CLIENTDATA, &s);
	return s;
}

static char *prompt_fn(EditLine *el)
{
	struct shell *s = shell_of(el);
	return (char *)(s->fixed_prompt ? s->fixed_prompt : s->prompt);
}

static const struct graph *shell_graph(struct shell *s)
{
	if (s->stale)
		shell_refresh(s);
	if (!s->comp.graph) {
		char *err = NULL;
		int rc = cli_graph(&s->comp, &err);
		free(err);
		if (rc != RT_OK)
			return NULL; /* no scripts or a damaged graph: keywords only */
	}
	return s->comp.graph;
}

/* libedit counts characters, not bytes. */
static int char_count(const char *s, size_t len)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	int n = 0;
	while (len > 0) {
		size_t k = mbrlen(s, len, &st);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0)
			k = 1;
		s += k;
		len -= k;
		n++;
	}
	return n;
}

static unsigned char on_tab(EditLine *el, int ch)
{
	struct shell *s = shell_of(el);
	const LineInfo *li = el_line(el);
	size_t cursor = (size_t)(li->cursor - li->buffer);
	struct completion cp;
	struct complete_src src = {shell_graph(s), builtin_names, s->opts->config_path};
	complete_line(li->buffer, cursor, &src, &cp);
	if (cp.n == 0) {
		completion_free(&cp);
		return CC_REFRESH_BEEP;
	}
	el_deletestr(el, char_count(li->buffer + cp.start, cursor - cp.start));
	el_insertstr(el, cp.replace);
	unsigned char ret = CC_REFRESH;
	if (cp.list) {
		/* Below the line, as bash does; libedit then draws the line again. */
		FILE *out = stdout;
		int cols = 80;
		el_get(el, EL_GETFP, 1, &out);
		el_get(el, EL_GETTC, "co", &cols);
		fputc('\n', out);
		if (cp.n > LIST_MAX) {
			fprintf(out, "%zu possibilities; type more of the word\n", cp.n);
		} else {
			char *text = complete_columns(cp.items, cp.n, cols);
			fputs(text, out);
			free(text);
		}
		fflush(out);
		ret = CC_REDISPLAY;
	}
	completion_free(&cp);
	return ret;
}

/* ---- the line editor ---- */

static void shell_open(struct shell *s, const struct cli_ctx *opts, const char *prompt)
{
	memset(s, 0, sizeof(*s));
	s->opts = opts;
	s->fixed_prompt = prompt;
	cli_ctx_init_from(&s->comp, opts);
	s->stale = true;
}

static void shell_open_editor(struct shell *s)
{
	history_open(s);
	s->el = el_init("retort", stdin, stdout, stderr);
	el_set(s->el, EL_CLIENTDATA, s);
	el_set(s->el, EL_PROMPT, prompt_fn);
	el_set(s->el, EL_EDITOR, "emacs");
	el_set(s->el, EL_SIGNAL, 1);
	el_set(s->el, EL_HIST, history, s->hist);
	/* Wide strings: the narrow el_set copies these and never frees them. */
	el_wset(s->el, EL_ADDFN, L"rt-complete", L"complete a command, option or revision",
	        on_tab);
	el_set(s->el, EL_BIND, "^I", "rt-complete", NULL);
	el_set(s->el, EL_BIND, "^R", "em-inc-search-prev", NULL);
	/* ~/.editrc last, so that a user's bindings (bind -v) win. */
	el_source(s->el, NULL);
}

static void shell_close(struct shell *s)
{
	if (s->el)
		el_end(s->el);
	if (s->hist)
		history_end(s->hist);
	free(s->hist_path);
	cli_ctx_free(&s->comp);
}

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* One line from the terminal, without its newline (caller frees); NULL
 * at Ctrl-D. Ctrl-C abandons the line and gives "". */
static char *shell_read(struct shell *s)
{
	if (s->stale)
		shell_refresh(s);
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint; /* no SA_RESTART: the read must give up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	interrupted = 0;
	int n = 0;
	const char *line = el_gets(s->el, &n);
	sigaction(SIGINT, &old, NULL);
	if (!line || n <= 0) {
		fputc('\n', stdout);
		fflush(stdout);
		return interrupted ? xstrdup("") : NULL;
	}
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	return xstrndup(line, len);
}

/* ---- running a line ---- */

static int builtin_help(struct shell *s, const struct complete_words *w)
{
	FILE *out = s->opts->out;
	if (w->n == 1) {
		cli_usage(out);
		fputs("\nIn the shell, type the commands without 'retort'. Also: help COMMAND,\n"
		      "exit or quit (or Ctrl-D). Tab completes commands, options, revisions.\n",
		      out);
		fflush(out);
		return 0;
	}
	const struct cmd_entry *e = cli_find(w->v[1]);
	if (!e) {
		fprintf(s->opts->errf, "retort shell: no command '%s'; 'help' lists them\n", w->v[1]);
		return 2;
	}
	cli_command_help(out, e);
	fflush(out);
	return 0;
}

/* Runs one line. Returns its exit status, or -1 when it held no command;
 * *leave when it asked to leave the shell. */
static int shell_exec(struct shell *s, const char *line, bool *leave)
{
	struct complete_words w;
	char *err = NULL;
	*leave = false;
	if (complete_split(line, strlen(line), false, &w, &err) != RT_OK) {
		fprintf(s->opts->errf, "retort shell: %s\n", err);
		free(err);
		return 2;
	}
	int status = -1;
	if (w.n == 0) {
		/* blank or a comment */
	} else if (strcmp(w.v[0], "exit") == 0 || strcmp(w.v[0], "quit") == 0) {
		if (w.n > 1) {
			fprintf(s->opts->errf, "retort shell: %s takes no arguments\n", w.v[0]);
			status = 2;
		} else {
			*leave = true;
			status = 0;
		}
	} else if (strcmp(w.v[0], "help") == 0) {
		status = builtin_help(s, &w);
	} else if (s->refuse && strcmp(w.v[0], s->refuse) == 0) {
		fprintf(s->opts->errf, "retort shell: '%s' cannot run from here\n", w.v[0]);
		status = 2;
	} else {
		/* A fresh context per command: nothing loaded by one command
		 * (graph, database, options given on its line) outlives it. */
		struct cli_ctx run;
		cli_ctx_init_from(&run, s->opts);
		status = cli_exit(&run, cli_run(&run, w.n, w.v));
		cli_ctx_free(&run);
		s->stale = true;
	}
	complete_split_free(&w);
	return status;
}

/* A command's run returns a status whose exit code is the shell's. */
static int status_for_exit(int code)
{
	return code == 0 ? RT_OK : code == 1 ? RT_EFAIL : RT_EUSAGE;
}

static int shell_interactive(struct cli_ctx *c)
{
	struct shell s;
	shell_open(&s, c, NULL);
	s.refuse = "shell";
	shell_open_editor(&s);
	if (!c->quiet)
		fprintf(c->out, "retort %s shell: 'help' lists the commands, Tab completes, "
		        "Ctrl-D leaves.\n", PACKAGE_VERSION);
	fflush(c->out);
	for (;;) {
		char *line = shell_read(&s);
		if (!line)
			break;
		shell_remember(&s, line);
		bool leave;
		shell_exec(&s, line, &leave);
		free(line);
		if (leave)
			break;
	}
	shell_close(&s);
	return RT_OK;
}

/* Commands piped in: no prompt, no editor; the first failure ends the
 * run with its status unless keep_going, which runs every line and
 * returns the first failure's status. */
static int shell_batch(struct cli_ctx *c, FILE *in, bool keep_going)
{
	struct shell s;
	shell_open(&s, c, NULL);
	s.refuse = "shell";
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int status = 0;
	while ((len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		bool leave;
		int st = shell_exec(&s, line, &leave);
		if (leave)
			break;
		if (st <= 0)
			continue;
		if (status == 0)
			status = st;
		if (!keep_going) {
			fprintf(c->errf, "retort shell: line %lu failed (exit status %d); stopping\n",
			        lineno, st);
			break;
		}
		fprintf(c->errf, "retort shell: line %lu failed (exit status %d)\n", lineno, st);
	}
	free(line);
	shell_close(&s);
	return status_for_exit(status);
}

static int run_shell(struct cli_ctx *c, const struct cli_opts *opts, int argc, char **argv)
{
	bool keep_going = cli_flag(opts, "keep-going");
	if (argc > 1) {
		fprintf(c->errf, "retort shell: unexpected argument '%s'; commands are read "
		        "from the terminal or standard input\n", argv[1]);
		return RT_EUSAGE;
	}
	if (!isatty(STDIN_FILENO))
		return shell_batch(c, stdin, keep_going);
	return shell_interactive(c);
}

int shell_once(struct cli_ctx *c, const char *prompt)
{
	/* One editor for the life of the process: the terminal is set up
	 * once, and the lines of earlier calls stay a keystroke away. */
	static struct shell s;
	static bool ready;
	if (!ready) {
		shell_open(&s, c, prompt);
		s.refuse = "tui";
		shell_open_editor(&s);
		ready = true;
	} else {
		el_resize(s.el); /* the console may have been resized meanwhile */
	}
	s.opts = c;
	s.fixed_prompt = prompt;
	s.stale = true;
	char *line = shell_read(&s);
	int status = -1;
	if (line) {
		shell_remember(&s, line);
		bool leave;
		status = shell_exec(&s, line, &leave);
		if (leave)
			status = -1;
	}
	free(line);
	return status;
}

const struct cmd_entry cmd_shell = {
	FACE_SHELL_NAME, NULL, FACE_SHELL_HELP, face_shell_opts, 0, run_shell,
};
