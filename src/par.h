/* par.h: a loop's iterations spread over the machine's cores.
 *
 * Loading a long history is mostly system calls (open, stat, read, close
 * per script), and the kernel does them for several threads at once: on
 * two cores, reading 100,000 scripts takes half the time. par_for is all
 * the engine needs for that: no pool, no queue that outlives the call.
 *
 * par_for(n, chunk, fn, ctx) calls fn(ctx, worker, begin, end) on the
 * ranges [0, chunk), [chunk, 2 chunk), ... of [0, n) (the last one
 * shorter), each once, in no particular order, from up to par_workers()
 * threads, and returns when every range is done. The calling thread is
 * worker 0; worker < par_workers() always. fn may write what its range
 * owns (slots begin..end-1 of the caller's arrays) and what its worker
 * owns (an arena per worker), and read what nothing writes meanwhile.
 * With one worker (one core, RETORT_THREADS=1, or n <= chunk) every
 * range runs on the calling thread, in order. A thread that cannot be
 * started is done without; the other threads (the caller at least) take
 * its ranges, so par_for never fails. Worker threads have every signal
 * blocked: a signal always reaches the main thread. */
#ifndef RT_PAR_H
#define RT_PAR_H

#include <stdint.h>

typedef void par_fn(void *ctx, unsigned worker, uint32_t begin, uint32_t end);

/* How many workers par_for may use: RETORT_THREADS when it is a number
 * from 1 to 64, else the CPUs this process may run on, at most 8. */
unsigned par_workers(void);

void par_for(uint32_t n, uint32_t chunk, par_fn *fn, void *ctx);

#endif
