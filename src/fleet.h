/* fleet.h: many databases with one history (retort(1), FLEETS): which
 * targets --target names, and the schedule that runs them. Prints
 * nothing; the faces render. */
#ifndef RT_FLEET_H
#define RT_FLEET_H

#include <stdbool.h>
#include <stdint.h>

#include "ini.h"

/* The targets --target's values name (each NAME, GROUP or `all`, several
 * separated by commas), in the configuration's order, each once. *idx:
 * indexes into cfg->targets (caller frees). RT_EUSAGE for a name that is
 * neither a target nor a group, saying which are, or for a configuration
 * without targets. */
int fleet_select(const struct config *cfg, const char *const *args, int nargs,
                 uint32_t **idx, uint32_t *n, char **err);

/* How a target's run ended. */
#define FLEET_OUTCOME_LIST                                        \
	X(FLEET_NOT_STARTED, "not started")                       \
	X(FLEET_DONE, "done")                                     \
	X(FLEET_FAILED, "failed")                                 \
	X(FLEET_INTERRUPTED, "interrupted")
#define X(name, word) name,
enum fleet_outcome { FLEET_OUTCOME_LIST };
#undef X
const char *fleet_outcome_word(enum fleet_outcome o);

/* A fleet run's schedule: up to parallel targets at a time, each on a
 * thread of its own. The first canary targets run first, alone; if one
 * of them fails nothing else starts. After a failure no new target starts
 * unless keep_going; after a signal (run_signal_pending) none does. */
struct fleet_sched {
	uint32_t n;                /* targets, run in order 0..n-1 */
	int parallel;              /* at least 1 */
	uint32_t canary;           /* 0: no canary */
	bool keep_going;
	/* Runs target i; RT_OK, RT_EINTR (stopped by a signal) or another
	 * failure. Called on the scheduler's threads, several at once. */
	int (*run)(void *ctx, uint32_t i);
	void *ctx;
};

/* Why targets were left out (a bit each). */
enum {
	FLEET_STOP_FAILURE = 1 << 0,  /* a target failed, without keep_going */
	FLEET_STOP_CANARY = 1 << 1,   /* a canary failed */
	FLEET_STOP_SIGNAL = 1 << 2,   /* a signal */
};

/* Runs the schedule; out[i]: how target i ended (n entries, the
 * caller's). Returns the FLEET_STOP_ bits of what stopped it early. */
unsigned fleet_schedule(const struct fleet_sched *s, enum fleet_outcome *out);

#endif
