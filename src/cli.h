/* cli.h: the command table shared by the command line, the shell and the
 * console's `:` line, and the context a command runs in. */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ini.h"
#include "graph.h"
#include "run.h"
#include "url.h"

struct db;
struct db_wait;

/* --color=WHEN (retort(1)): auto colours a terminal unless NO_COLOR is
 * set; always and never are the user's word over both. */
enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* Everything one command invocation needs. Created by cli_ctx_init from
 * the global options; the graph and database are opened lazily. */
/* One plan shown: the version table it starts from (its rows sorted,
 * space-separated; "" for an empty table) and its fingerprint. */
struct run_expect;
struct cli_shown_plan {
	char *from;
	struct run_expect *expect;
};
struct cli_shown {
	struct cli_shown_plan *v;
	uint32_t n;
};
/* The rows of a version table as cli_shown_plan.from spells them
 * (malloc'd). */
char *cli_state_key(char *const *heads, uint32_t n);
void cli_shown_free(struct cli_shown *s);

struct cli_ctx {
	/* Global options (borrowed strings, NULL when not given). */
	const char *config_path;
	const char *database;
	const char *scripts;
	const char *version_table;
	bool json, quiet, verbose;
	enum cli_color color;      /* --color, --no-color; see cli_color */
	/* --target's values, in order (the array owned, the strings
	 * borrowed); none: the one database. Not copied by cli_ctx_init_from. */
	const char **targets;
	int ntargets;
	int lock_timeout;          /* -1: from the configuration */
	double statement_timeout;  /* seconds; 0: no limit */

	FILE *out;                 /* borrowed: stdout, or a console buffer */
	FILE *errf;                /* borrowed: stderr, or a console buffer */
	bool interactive;          /* a person at a terminal answers prompts */
	/* How a database this context opens waits for another writer
	 * (borrowed; NULL: cli_busy_wait). Not copied by cli_ctx_init_from:
	 * a face sets its own. */
	const struct db_wait *busy_wait;

	/* Loaded on demand (owned). */
	struct config cfg;
	bool cfg_loaded;
	char *versions_dir;        /* SCRIPTS/versions */
	struct graph *graph;
	struct db_url url;
	bool url_loaded;
	struct db *db;

	/* Plans a face showed and had confirmed for several databases at
	 * once (the console's fleet action), or NULL (borrowed). A database
	 * command run under them runs only on a database whose version table
	 * is in one of the states shown, and only the plan shown for it; the
	 * runner refuses a plan that changed under its lock. Copied to a
	 * fleet's targets. */
	const struct cli_shown *shown;

	/* One target of a fleet (cmd_fleet.c), run on a thread of its own
	 * beside others: its run finishes its step on a signal
	 * (run_opts.finish_step), its waits print nothing and end on a signal,
	 * it draws no progress bar and asks nothing. cfg, versions_dir and
	 * graph are then the fleet's (shared: not freed with this context). */
	bool fleet_member;
	bool shared;

	/* The signal that stopped the last command cli_run ran, or 0. */
	int stopped_by;
	struct run_delegate delegate;  /* see cli_delegate */
};

/* What an operand or an option's value is: the one grammar that Tab
 * completion follows, in the shell, the console's `:` line and
 * `retort __complete` (src/complete.c). Zero, the default of a table row
 * that says nothing, is free text. */
#define CMD_ARG_KIND_LIST(X) \
	X(CMD_ARG_TEXT,     "text")     /* nothing to complete: a message, a URL */ \
	X(CMD_ARG_REVISION, "revision") /* a specifier: ids, labels, LABEL@head, A:B */ \
	X(CMD_ARG_FILE,     "file")     /* a file name */ \
	X(CMD_ARG_DIR,      "dir")      /* a directory name */ \
	X(CMD_ARG_TARGET,   "target")   /* a [target NAME] or group of retort.ini, or all */ \
	X(CMD_ARG_CHOICE,   "choice")   /* one of struct cmd_opt's choices */ \
	X(CMD_ARG_COMMAND,  "command")  /* a command's name (help COMMAND) */
#define CMD_ARG_KIND_ENUM(name, word) name,
enum cmd_arg_kind { CMD_ARG_KIND_LIST(CMD_ARG_KIND_ENUM) };
#undef CMD_ARG_KIND_ENUM
const char *cmd_arg_kind_word(enum cmd_arg_kind k);

/* One option of a command, for getopt_long, help text and completion. */
struct cmd_opt {
	const char *name;          /* long name without dashes */
	char short_name;           /* 0 when none */
	const char *arg;           /* argument name, NULL for a flag */
	const char *help;
	enum cmd_arg_kind kind;    /* what the argument is (with arg) */
	const char *choices;       /* CMD_ARG_CHOICE: the values, blank-separated */
};

/* What a command needs before it runs. */
enum {
	CMD_NEEDS_GRAPH = 1 << 0,  /* a valid scripts directory */
	CMD_NEEDS_DB = 1 << 1,     /* a configured database */
	/* It may write to the database: SIGINT, SIGTERM and SIGHUP are caught
	 * from before it connects until it returns (run_signals_catch). */
	CMD_WRITES = 1 << 2,
	/* A database command: with --target it runs on each target named
	 * (retort(1), FLEETS), through cli_fleet_each. */
	CMD_TARGETS = 1 << 3,
	/* It reads --target itself (`fleet`). */
	CMD_OWN_TARGETS = 1 << 4,
};

struct cli_opts;
struct cmd_entry {
	const char *name;
	const char *args;          /* synopsis after the options, e.g. "TARGET" */
	const char *help;          /* one line */
	const struct cmd_opt *opts;/* terminated by {NULL} */
	int needs;
	/* argv[0] is the command name; o: its options, already parsed. */
	int (*run)(struct cli_ctx *c, const struct cli_opts *o, int argc, char **argv);
	enum cmd_arg_kind operands;  /* what args are (CMD_ARG_TEXT: none to complete) */
};

/* One command's parsed options, values by long name, in the order given
 * (each run of a command has its own: a command that runs another, as the
 * console runs rollback, keeps its own). Names and values are borrowed
 * from the command table and the command line. */
struct cli_opts {
	struct {
		const char *name;
		const char *value;     /* NULL for a flag */
	} *v;                      /* owned */
	uint32_t n, cap;
};
#define CLI_OPTS_INIT {NULL, 0, 0}
void cli_opts_free(struct cli_opts *o);
const char *cli_opt(const struct cli_opts *o, const char *name);  /* last value, or NULL */
bool cli_flag(const struct cli_opts *o, const char *name);        /* given at least once */
/* Every value of a repeatable option; *n its count. The array is the
 * caller's to free (the strings stay borrowed). */
const char **cli_opt_all(const struct cli_opts *o, const char *name, int *n);

extern const struct cmd_entry *const cli_commands[];
/* Adds the terminal faces' commands (NULL-terminated, borrowed forever). */
void cli_add_commands(const struct cmd_entry *const *extra);
/* Every command, builtins then added ones; NULL past the end. */
const struct cmd_entry *cli_command_at(int i);
const struct cmd_entry *cli_find(const char *name);

void cli_ctx_init(struct cli_ctx *c, FILE *out, FILE *errf);
void cli_ctx_free(struct cli_ctx *c);
/* Starts c afresh with from's global options, streams and interactivity,
 * nothing loaded, so that each command of the shell or the console sees
 * the scripts and the database as they are now. from is only read; the
 * option strings stay borrowed from wherever from borrowed them. */
void cli_ctx_init_from(struct cli_ctx *c, const struct cli_ctx *from);

/* Runs one command line (argv without the program name), global options
 * anywhere. Returns its status (a usage error is RT_EUSAGE); errors are
 * printed on c->errf. The shell and the console call this too. */
enum rt_status cli_run(struct cli_ctx *c, int argc, char **argv);
/* The exit status of the command cli_run last ran on c, which returned
 * status: rt_status_exit's, or 128 + N when signal N stopped it. */
int cli_exit(const struct cli_ctx *c, enum rt_status status);
/* Prints err (one problem per line) on c->errf, frees it, returns rc. */
int cli_report(struct cli_ctx *c, int rc, char *err);
/* Applies the global options among argv's words to c, leniently: what
 * cannot be applied is said on c->errf and skipped (completion reads a
 * line being typed with it). */
void cli_take_globals(struct cli_ctx *c, int argc, char **argv);
/* `retort __complete WORD… CURRENT` (src/cmd_complete.c): the candidates
 * for the last word, for the shells' completion scripts. */
int cli_complete(struct cli_ctx *c, int argc, char **argv);
/* Whether what c prints on descriptor fd (1 or 2) is coloured. */
bool cli_color(const struct cli_ctx *c, int fd);
/* Global option table (for help and completion). */
extern const struct cmd_opt cli_global_opts[];
void cli_usage(FILE *f);
void cli_command_help(FILE *f, const struct cmd_entry *e);

/* Lazy loaders; each prints nothing, returns a status and fills *err. */
int cli_config(struct cli_ctx *c, char **err);
int cli_graph(struct cli_ctx *c, char **err);
/* The database URL by precedence (retort.ini(5), DATABASE PRECEDENCE); RT_EUSAGE when none, and
 * RT_EINPUT for one that cannot be parsed, the message starting with
 * where it came from (--database, RETORT_DATABASE_URL, DATABASE_URL or
 * the configuration file's path). */
int cli_url(struct cli_ctx *c, char **err);
int cli_db(struct cli_ctx *c, char **err);
/* cli_db for a command that only reads the database: a SQLite file that
 * does not exist is RT_EFAIL, "database file … does not exist", never an
 * empty database (a mistyped path must not read as one; only a command
 * that writes creates the file). */
int cli_db_read(struct cli_ctx *c, char **err);
/* Whether the URL (loaded) names a SQLite file that does not exist. */
bool cli_db_missing(const struct cli_ctx *c);
const char *cli_version_table(struct cli_ctx *c);
/* Who runs the steps that retort does not run itself (an Alembic
 * project's: Alembic), for run_opts.delegate; NULL when every step is
 * retort's. Borrowed from c (configuration loaded). */
const struct run_delegate *cli_delegate(struct cli_ctx *c);
/* Whether the project (configuration loaded) is an Alembic project: its
 * output then follows Alembic's for the same files. */
bool cli_alembic(const struct cli_ctx *c);
/* The version table's rows (retort(1) `current`), read through cli_db_read;
 * *heads: db_strv_free. */
int cli_current(struct cli_ctx *c, char ***heads, uint32_t *n, char **err);
struct history_row;
/* The whole ledger, oldest first, read through cli_db_read; *rows:
 * db_history_free. */
int cli_ledger(struct cli_ctx *c, struct history_row **rows, uint32_t *n, char **err);
/* The connected database as the schema comparisons take it (schema.h),
 * borrowed from c: opens it (cli_db). */
struct schema_live;
int cli_schema_live(struct cli_ctx *c, struct schema_live *lv, char **err);
/* Closes c's connection (one that failed): the next cli_db opens afresh. */
void cli_db_drop(struct cli_ctx *c);
/* The same as revisions of c->graph (loaded), rows that no script defines
 * left out; *revs: caller frees. */
int cli_current_revs(struct cli_ctx *c, uint32_t **revs, uint32_t *n, char **err);

/* The seconds to wait for the migration lock: --lock-timeout, else the
 * configuration's lock_timeout (loaded). */
double cli_lock_timeout(const struct cli_ctx *c);
/* How the command line waits for another process (struct db_wait in
 * db.h): cli_lock_timeout seconds and, when standard error is a terminal
 * and not --quiet, a line there that says for how long it has waited, out
 * of how long, and who holds the migration lock; rewritten in place and
 * cleared when the wait ends. cli_lock_wait for the migration lock,
 * cli_busy_wait for a SQLite database another connection is writing
 * (cli_db sets it on every SQLite handle it opens). */
struct db_wait cli_lock_wait(struct cli_ctx *c);
struct db_wait cli_busy_wait(struct cli_ctx *c);

/* Runs e (CMD_TARGETS) on each target --target names (cmd_fleet.c):
 * upgrade, downgrade and stamp as a fleet run (--parallel, --canary,
 * --keep-going), the others one target after the other; every line of
 * output is prefixed by the target's name. Returns the worst status. */
int cli_fleet_each(struct cli_ctx *c, const struct cmd_entry *e, const struct cli_opts *o,
                   int argc, char **argv);

/* One target as `retort fleet` shows it. */
struct cli_fleet_row {
	const char *name, *group;  /* borrowed from c->cfg; group NULL when none */
	const char *database;      /* the configured URL (borrowed from c->cfg) */
	char *display;             /* the URL as shown, password masked (owned) */
	const char *backend;       /* "sqlite", "postgresql" */
	const char *state;         /* "up to date", "behind", "ahead", "drift",
	                              "locked", "unreachable" */
	bool reachable;            /* heads and pending were read */
	bool attention;            /* unreachable or drifted */
	char **heads;              /* the version table's rows (owned) */
	uint32_t nheads;
	uint32_t pending;          /* revisions not applied */
	char *detail;              /* who holds the lock, why unreachable, … (owned) */
};
/* Probes the targets --target names (all without it), parallel at a time,
 * each server given connect_timeout seconds to answer. Prints nothing.
 * *rows: in the configuration's order; cli_fleet_rows_free. */
int cli_fleet_probe(struct cli_ctx *c, int parallel, int connect_timeout,
                    struct cli_fleet_row **rows, uint32_t *n, char **err);
void cli_fleet_rows_free(struct cli_fleet_row *rows, uint32_t n);
/* A row's current revisions ("<base>", "?" when unreachable) and its
 * state with its detail ("locked by …", "unreachable: …"); both owned. */
void cli_fleet_row_text(const struct cli_fleet_row *r, char **current, char **state);

/* `history --applied`: the ledger, for one revision or all (NULL). */
int cmd_history_applied(struct cli_ctx *c, const char *revision);

/* `revision` and `merge` as calls (cmd_init.c), for the console: each
 * writes its script as the command does but prints nothing: the paths
 * written and what the user is told on the way come back in *out (free
 * with cli_written_free, also on failure: a script written before a
 * later one failed is named there); errors go to *err. Needs c->graph
 * (cli_graph). Strings in the requests are borrowed. */
struct cli_written {
	char *pre_path;            /* autogenerate's enum values' revision, or NULL */
	char *path;                /* the new revision's file, or NULL */
	/* Lines for standard error (none with --quiet): autogenerate's
	 * skipped statements and what it found ("No schema changes
	 * detected", Alembic's "Detected added table"), the enum values'
	 * revision, a template Alembic's default replaced. */
	struct strbuf notes;
};
void cli_written_free(struct cli_written *w);
struct cli_revision {
	const char *message;       /* -m, required */
	const char *head;          /* --head, or NULL for the head */
	bool splice;               /* --splice */
	const char *label;         /* --branch-label, or NULL */
	const char *rev_id;        /* --rev-id, or NULL */
	const char *const *depends;/* --depends-on, ndepends of them */
	int ndepends;
	bool autogenerate;         /* --autogenerate */
};
int cli_write_revision(struct cli_ctx *c, const struct cli_revision *r, struct cli_written *out,
                       char **err);
struct cli_merge {
	const char *const *specs;  /* the revisions to join, nspecs; 0: the heads */
	int nspecs;
	const char *message;       /* -m, or NULL for "Merge a and b" */
	const char *label;         /* --branch-label, or NULL */
	const char *rev_id;        /* --rev-id, or NULL */
};
int cli_write_merge(struct cli_ctx *c, const struct cli_merge *m, struct cli_written *out,
                    char **err);

/* Command families (one file each). */
extern const struct cmd_entry cmd_init, cmd_revision, cmd_merge, cmd_heads,
	cmd_branches, cmd_history, cmd_show, cmd_status, cmd_resolve, cmd_fleet;

/* The `Transaction: none` steps the ledger shows half done
 * (inspect_open_steps), for read commands, appended to sb: a line each,
 * brief (current) or in full with the way out and without those still
 * running (check), or JSON objects separated by commas. *count: how many
 * were appended. Opens the database. */
enum cli_open_style { OPEN_STYLE_BRIEF, OPEN_STYLE_PROBLEMS, OPEN_STYLE_JSON };
struct strbuf;
int cli_open_steps(struct cli_ctx *c, enum cli_open_style style, struct strbuf *sb,
                   int *count, char **err);

/* Whether an action may go on under the production policy. reasons: what
 * policy_check found, or POLICY_RESOLVE (0: nothing to confirm). A
 * --confirm-database that names another database stops any action: the
 * command meant another one. Off a terminal --yes --confirm-database NAME
 * confirms (else RT_EUSAGE, saying what to pass); on a terminal the name is
 * typed (a wrong one is RT_EFAIL). cmd: the command, for messages; verb:
 * what the prompt says the name is typed for. */
/* What a command was told in advance about confirming: --yes and
 * --confirm-database NAME (NULL when not given). */
struct cli_confirm {
	bool yes;
	const char *database;
};
struct cli_confirm cli_confirm_given(const struct cli_opts *o);
int cli_production_confirm(struct cli_ctx *c, const struct cli_confirm *given,
                           const char *cmd, const char *verb,
                           unsigned reasons, char **err);

/* `resolve`: settles the open step of spec (see run_record_resolve) as
 * applied (0), reverted (1), or as the version table has it (2, for
 * `repair`); *found false (and nothing printed) when, for 2, spec has no
 * open step. Returns a status; errors printed. */
int cli_resolve(struct cli_ctx *c, const struct cli_confirm *given, const char *spec,
                int decision, bool *found);

#endif
