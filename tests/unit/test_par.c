/* Unit tests for par.c: every item once, on several threads when asked,
 * signals kept for the main thread. */

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "par.h"
#include "tap.h"
#include "util.h"

#define N 5000
#define MAXW 64

struct seen {
	_Atomic unsigned visits[N];
	_Atomic unsigned ranges_of[MAXW];   /* ranges run by each worker */
	_Atomic int bad_worker, bad_range, unblocked;
	pthread_t main_thread;
	_Atomic int foreign;                /* ranges run off the main thread */
	unsigned workers;
	uint32_t chunk;
};

static void visit(void *ctx, unsigned worker, uint32_t begin, uint32_t end)
{
	struct seen *s = ctx;
	if (worker >= s->workers)
		atomic_store(&s->bad_worker, 1);
	if (begin % s->chunk != 0 || end <= begin || end - begin > s->chunk)
		atomic_store(&s->bad_range, 1);
	if (!pthread_equal(pthread_self(), s->main_thread)) {
		atomic_fetch_add(&s->foreign, 1);
		sigset_t now;
		pthread_sigmask(SIG_SETMASK, NULL, &now);
		if (!sigismember(&now, SIGINT) || !sigismember(&now, SIGTERM))
			atomic_store(&s->unblocked, 1);
	} else if (worker != 0) {
		atomic_store(&s->bad_worker, 1);
	}
	atomic_fetch_add(&s->ranges_of[worker < MAXW ? worker : 0], 1);
	for (uint32_t i = begin; i < end && i < N; i++)
		atomic_fetch_add(&s->visits[i], 1);
	/* long enough that every worker gets some ranges */
	struct timespec ts = {0, 200000};
	nanosleep(&ts, NULL);
}

static struct seen *run(uint32_t n, uint32_t chunk)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	s->main_thread = pthread_self();
	s->workers = par_workers();
	s->chunk = chunk ? chunk : 1;
	par_for(n, chunk, visit, s);
	return s;
}

static int once_each(const struct seen *s, uint32_t n)
{
	for (uint32_t i = 0; i < N; i++)
		if (atomic_load(&s->visits[i]) != (i < n ? 1u : 0u))
			return 0;
	return 1;
}

int main(void)
{
	/* Four workers whatever the machine has: threads run interleaved on
	 * one core too. */
	setenv("RETORT_THREADS", "4", 1);
	is_int(par_workers(), 4, "RETORT_THREADS sets the number of workers");

	struct seen *s = run(N, 16);
	ok(once_each(s, N), "every item is visited exactly once");
	ok(!atomic_load(&s->bad_worker), "workers are numbered 0..3, the caller is worker 0");
	ok(!atomic_load(&s->bad_range), "ranges are whole chunks (the last one shorter)");
	ok(atomic_load(&s->foreign) > 0, "ranges run on other threads than the caller's");
	unsigned busy = 0;
	for (unsigned w = 0; w < 4; w++)
		busy += atomic_load(&s->ranges_of[w]) > 0;
	ok(busy >= 2, "more than one worker took ranges (%u did)", busy);
	ok(!atomic_load(&s->unblocked), "worker threads have SIGINT and SIGTERM blocked");
	free(s);

	s = run(N - 7, 64);
	ok(once_each(s, N - 7), "a count that is not a multiple of the chunk: each item once");
	free(s);

	s = run(10, 64);
	ok(once_each(s, 10) && atomic_load(&s->foreign) == 0,
	   "a single range runs on the calling thread");
	free(s);

	s = run(0, 64);
	ok(once_each(s, 0), "no items: fn is never called");
	free(s);

	s = run(200, 0);
	ok(once_each(s, 200) && !atomic_load(&s->bad_range), "chunk 0 is taken as 1");
	free(s);

	sigset_t mask;
	pthread_sigmask(SIG_SETMASK, NULL, &mask);
	ok(!sigismember(&mask, SIGINT), "the caller's signal mask is left as it was");

	return done_testing();
}
