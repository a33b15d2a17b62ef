/* run.h: executing a plan against a backend (retort(1), DATABASES): the lock, one
 * transaction per migration (or one for all), the version table and the
 * ledger row of every step, failed ones included. */
#ifndef RT_RUN_H
#define RT_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "ini.h"
#include "db.h"
#include "graph.h"
#include "plan.h"

/* What a face showed and the operator confirmed: the steps of the plan
 * (direction, revision, version table before and after) and the SHA-256
 * of each script as it was shown. A run given one executes only if the
 * plan rebuilt under the lock is the same and every script still has the
 * checksum shown; otherwise nothing runs and the error shows the
 * difference. */
struct run_expect_step {
	enum plan_kind dir;
	char *rev_id, *heads_before, *heads_after;
	char hex[65];              /* "" for a stamp */
};
struct run_expect {
	struct run_expect_step *steps;
	uint32_t n;
};

/* The fingerprint of p, reading each script now (the face shows the SQL
 * it read with script_read_sql right after, or before, this call).
 * RT_EINPUT when a script cannot be read or its header changed. *out:
 * caller frees with run_expect_free. */
enum rt_status run_expect_make(const struct graph *g, const struct plan *p, struct run_expect **out,
                               char **err);
void run_expect_free(struct run_expect *e);

/* How a step of a revision whose format delegates (SCRIPT_EXEC_DELEGATED,
 * Alembic's .py) runs: the format's own tool runs that one step while
 * retort holds the lock and no transaction of retort's is open. Then the
 * version table must mean what the plan said (the same revisions applied;
 * the tool may keep a dependency in its dependent's row), and the ledger
 * records the step, done or failed. */
struct run_delegate {
	const char *name;          /* the tool, for messages: "Alembic" */
	/* RT_OK when the tool says it ran step s; else RT_EFAIL with what it
	 * said in *err. session: what open returned for this run. */
	int (*step)(void *session, const struct graph *g, const struct plan_step *s, char **err);
	void *ctx;
	/* A run's session with the tool, opened before its first delegated
	 * step and closed after its last (however the run ends). */
	void *(*open)(void *ctx);
	void (*close)(void *session);
};

struct run_opts {
	enum txn_mode mode;
	/* How long to wait for the migration lock, and who is told (db.h). */
	struct db_wait lock_wait;
	/* Called after each step (status RT_OK or the failure). May be NULL. */
	void (*on_step)(void *ctx, const struct plan *p, uint32_t step, enum rt_status status,
	                double ms);
	/* Called before each step; done = steps finished so far. May be NULL. */
	void (*on_progress)(void *ctx, uint32_t done, uint32_t total);
	void *ctx;
	/* A rehearsal: the whole plan in one transaction that is rolled back
	 * whatever happens; no ledger row. A `Transaction: none` script cannot
	 * be rehearsed: the rehearsal stops before it and says so. */
	bool rehearse;
	/* The confirmed plan (borrowed), or NULL when nothing was confirmed:
	 * then the plan made under the lock runs, each script as it is then. */
	const struct run_expect *expect;
	/* Who runs the steps of delegated revisions (borrowed); NULL: such a
	 * step cannot run, and a plan with one is refused before anything
	 * runs. */
	const struct run_delegate *delegate;
	/* A fleet's run (one of several on their own threads): a signal lets
	 * the step in progress finish (committed, or failed on its own) and
	 * stops the run before its next step, as before the first one. The
	 * caller holds run_signals_catch for the whole fleet, and ends its own
	 * lock wait through lock_wait.on_wait (run_signal_pending). */
	bool finish_step;
};

/* Builds the plan once the lock is held, from the heads read then. */
typedef enum rt_status (*run_plan_fn)(void *ctx, const char *const *heads,
                                      uint32_t nheads, struct plan **out, char **err);

/* Takes the migration lock, reads the current heads, asks fn for the plan,
 * executes it, releases the lock. *done: the plan that ran (caller frees
 * with plan_free; set on success and on a failed step, NULL otherwise). */
enum rt_status run_locked(struct db *db, const struct graph *g, run_plan_fn fn, void *fnctx,
                          const struct run_opts *o, struct plan **done, char **err);

/* SIGINT, SIGTERM and SIGHUP from the wait for the lock to its release
 * in run_locked (and, with run_signals_catch, from whenever the caller
 * starts): while the lock is awaited, the wait ends and nothing runs;
 * while a statement runs, it is cancelled through db_ops.interrupt;
 * between statements the next one does not start. A transactional step
 * that has not sent its COMMIT is rolled back (one whose COMMIT is on its
 * way completes, and the run stops after it); a `Transaction: none` step
 * keeps the statements that ran, and one whose statements all ran is
 * completed. The ledger records a failed row "interrupted by SIGINT (…)",
 * no further step starts, the lock is released, and run_locked returns
 * RT_EINTR. A signal the process ignores stays ignored. The caller's
 * handlers are put back afterwards, and a caller that had a handler of
 * its own for the signal gets it raised again. run_interrupt_signal: the
 * signal that interrupted the last run, 0 for none (the command line exits
 * 128 + that number). */
int run_interrupt_signal(void);
/* The signal caught since run_signals_catch, 0 for none (any thread may
 * ask: a fleet starts no new target once there is one). */
int run_signal_pending(void);

/* Catches those signals from now until the matching release (calls nest:
 * the outermost pair installs and restores the handlers), so that a
 * command that will migrate is never ended by their default action, from
 * before it connects to after its last statement. attach: the handle
 * whose statement or lock wait a signal stops (NULL for none yet). */
void run_signals_catch(void);
void run_signals_attach(struct db *db);
void run_signals_release(void);

/* RT_EFAIL, with each step described and the way out, when the ledger
 * shows a `Transaction: none` step left half done (inspect_open_steps;
 * locked: the caller holds the migration lock). run_locked refuses so
 * before it plans anything. */
enum rt_status run_check_open(struct db *db, const struct graph *g, bool locked, char **err);

/* Executes a plan (no lock; for the offline writer and for callers that
 * hold the lock). On failure *err is "FILE:LINE: MESSAGE". */
enum rt_status run_plan(struct db *db, const struct graph *g, const struct plan *p,
                        const struct run_opts *o, char **err);

/* Whether a statement of the scripts is left out; path and line: where
 * it is. */
typedef bool (*run_skip_fn)(void *ctx, const char *path, uint32_t line, const char *sql,
                            size_t len);
/* run_plan, leaving out the statements skip says to (not run; the step
 * goes on without them): the drift check's replay on a scratch database
 * leaves out what would act beyond it. */
enum rt_status run_plan_skipping(struct db *db, const struct graph *g, const struct plan *p,
                                 const struct run_opts *o, run_skip_fn skip, void *skip_ctx,
                                 char **err);

/* Records in the ledger, in its own transaction, that the current file of
 * the applied revision rev (its SHA-256 hex: checksum) was accepted;
 * heads: the version table as it is, space-separated. */
enum rt_status run_record_repair(struct db *db, const char *rev, const char *checksum,
                                 const char *heads, char **err);

/* Records, in one transaction, how the operator settled the half-done
 * step whose ledger row is open (a started row is marked "interrupted"):
 * a row of direction "resolve" and outcome "applied" or "reverted", and
 * the version table's change (rows deleted, then inserted); heads_before
 * and heads_after: the version table around it, space-separated. */
enum rt_status run_record_resolve(struct db *db, const struct history_row *open, bool applied,
                                  const char *const *del, uint32_t ndel,
                                  const char *const *ins, uint32_t nins,
                                  const char *heads_before, const char *heads_after, char **err);

/* "a1 -> b2, message" (upgrade), "b2 -> a1, message" (downgrade),
 * "a1 b2 -> c3" (stamp): how a step is named in output and --sql. */
void run_step_title(const struct graph *g, const struct plan_step *s,
                    struct strbuf *out);

#endif
