/* par.c: par_for (see par.h). */
#include "par.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

#define PAR_MAX 8          /* by default: more gains nothing on a disk */
#define PAR_LIMIT 64       /* RETORT_THREADS at most */

unsigned par_workers(void)
{
	static unsigned workers;
	if (workers)
		return workers;
	unsigned w = 0;
	const char *env = getenv("RETORT_THREADS");
	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);
		if (*end == '\0' && v >= 1 && v <= PAR_LIMIT)
			w = (unsigned)v;
	}
	if (!w) {
		cpu_set_t set;
		int n = sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
		w = n < 1 ? 1 : n > PAR_MAX ? PAR_MAX : (unsigned)n;
	}
	workers = w;
	return w;
}

struct par_run {
	par_fn *fn;
	void *ctx;
	uint32_t n, chunk;
	/* the first item no worker has claimed; 64 bits: the claims that
	 * find nothing left add up past n without wrapping */
	_Atomic uint64_t next;
};

struct par_worker {
	struct par_run *run;
	unsigned id;
};

static void drain(struct par_run *r, unsigned id)
{
	for (;;) {
		uint64_t b = atomic_fetch_add(&r->next, r->chunk);
		if (b >= r->n)
			return;
		uint64_t e = b + r->chunk < r->n ? b + r->chunk : r->n;
		r->fn(r->ctx, id, (uint32_t)b, (uint32_t)e);
	}
}

static void *worker_main(void *arg)
{
	struct par_worker *w = arg;
	drain(w->run, w->id);
	return NULL;
}

void par_for(uint32_t n, uint32_t chunk, par_fn *fn, void *ctx)
{
	if (chunk == 0)
		chunk = 1;
	struct par_run r = {fn, ctx, n, chunk, 0};
	uint32_t ranges = n / chunk + (n % chunk != 0);
	unsigned want = par_workers();
	if (want > ranges)
		want = ranges;
	pthread_t tid[PAR_LIMIT];
	struct par_worker w[PAR_LIMIT];
	unsigned started = 0;
	if (want > 1) {
		sigset_t all, old;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		for (unsigned i = 1; i < want; i++) {
			w[started] = (struct par_worker){&r, started + 1};
			if (pthread_create(&tid[started], NULL, worker_main, &w[started]) != 0)
				break;
			started++;
		}
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	drain(&r, 0);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
}
