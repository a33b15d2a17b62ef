/* run.h: executing a plan against a backend (SPEC §4): the lock, one
 * transaction per migration (or one for all), the version table and the
 * ledger row of every step, failed ones included. */
#ifndef RT_RUN_H
#define RT_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "graph.h"
#include "plan.h"

struct run_opts {
	enum txn_mode mode;
	double lock_timeout;       /* seconds */
	/* Called after each step (status RT_OK or the failure). May be NULL. */
	void (*on_step)(void *ctx, const struct plan *p, uint32_t step, int status,
	                double ms);
	/* Called before each step; done = steps finished so far. May be NULL. */
	void (*on_progress)(void *ctx, uint32_t done, uint32_t total);
	void *ctx;
	/* A rehearsal: the whole plan in one transaction that is rolled back
	 * whatever happens; no ledger row. A `Transaction: none` script cannot
	 * be rehearsed: the rehearsal stops before it and says so. */
	bool rehearse;
};

/* Builds the plan once the lock is held, from the heads read then. */
typedef int (*run_plan_fn)(void *ctx, const char *const *heads, uint32_t nheads,
                           struct plan **out, char **err);

/* Takes the migration lock, reads the current heads, asks fn for the plan,
 * executes it, releases the lock. *done: the plan that ran (caller frees
 * with plan_free; set on success and on a failed step, NULL otherwise). */
int run_locked(struct db *db, const struct graph *g, run_plan_fn fn, void *fnctx,
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
int run_check_open(struct db *db, const struct graph *g, bool locked, char **err);

/* Executes a plan (no lock; for the offline writer and for callers that
 * hold the lock). On failure *err is "FILE:LINE: MESSAGE". */
int run_plan(struct db *db, const struct graph *g, const struct plan *p,
             const struct run_opts *o, char **err);

/* Records in the ledger, in its own transaction, that the current file of
 * the applied revision rev (its SHA-256 hex: checksum) was accepted;
 * heads: the version table as it is, space-separated. */
int run_record_repair(struct db *db, const char *rev, const char *checksum,
                      const char *heads, char **err);

/* Records, in one transaction, how the operator settled the half-done
 * step whose ledger row is open (a started row is marked "interrupted"):
 * a row of direction "resolve" and outcome "applied" or "reverted", and
 * the version table's change (rows deleted, then inserted); heads_before
 * and heads_after: the version table around it, space-separated. */
int run_record_resolve(struct db *db, const struct history_row *open, bool applied,
                       const char *const *del, uint32_t ndel,
                       const char *const *ins, uint32_t nins,
                       const char *heads_before, const char *heads_after, char **err);

/* "a1 -> b2, message" (upgrade), "b2 -> a1, message" (downgrade),
 * "a1 b2 -> c3" (stamp): how a step is named in output and --sql. */
void run_step_title(const struct graph *g, const struct plan_step *s,
                    struct strbuf *out);

#endif
