/* fleet.c: see fleet.h. */
#include "fleet.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "util.h"

const char *fleet_outcome_word(enum fleet_outcome o)
{
#define X(name, word) [name] = word,
	static const char *const words[] = {FLEET_OUTCOME_LIST};
#undef X
	return words[o];
}

/* ---- selection ---- */

static void mark(const struct config *cfg, const char *word, bool *on, bool *found)
{
	bool all = strcmp(word, "all") == 0;
	*found = all;
	for (uint32_t i = 0; i < cfg->ntargets; i++) {
		const struct config_target *t = &cfg->targets[i];
		if (all || strcmp(t->name, word) == 0 || (t->group && strcmp(t->group, word) == 0)) {
			on[i] = true;
			*found = true;
		}
	}
}

/* "targets: a, b, c; groups: eu, us" for an error about a name. */
static char *known_names(const struct config *cfg)
{
	struct strbuf sb = STRBUF_INIT;
	sb_adds(&sb, "targets:");
	for (uint32_t i = 0; i < cfg->ntargets && i < 20; i++)
		sb_addf(&sb, "%s %s", i ? "," : "", cfg->targets[i].name);
	if (cfg->ntargets > 20)
		sb_addf(&sb, ", … (%u in all)", (unsigned)cfg->ntargets);
	int ngroups = 0;
	for (uint32_t i = 0; i < cfg->ntargets; i++) {
		const char *g = cfg->targets[i].group;
		bool seen = !g;
		for (uint32_t j = 0; j < i && !seen; j++)
			seen = cfg->targets[j].group && strcmp(cfg->targets[j].group, g) == 0;
		if (!seen)
			sb_addf(&sb, "%s %s", ngroups++ ? "," : "; groups:", g);
	}
	return sb_detach(&sb);
}

int fleet_select(const struct config *cfg, const char *const *args, int nargs,
                 uint32_t **idx, uint32_t *n, char **err)
{
	const char *file = cfg->path ? cfg->path : "retort.ini";
	if (cfg->ntargets == 0)
		return rt_err(err, RT_EUSAGE, "--target: %s defines no targets: add [target NAME] "
		              "sections or 'targets = FILE' (see retort.ini(5))", file);
	bool *on = xcalloc(cfg->ntargets, sizeof(*on));
	int rc = RT_OK;
	for (int a = 0; a < nargs; a++) {
		char *copy = xstrdup(args[a]);
		for (char *p = copy, *comma; p; p = comma ? comma + 1 : NULL) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			bool found;
			mark(cfg, p, on, &found);
			if (!found) {
				char *known = known_names(cfg);
				rc = rt_err(err, RT_EUSAGE, "--target '%s': %s defines no target or group "
				            "of that name (%s)", p, file, known);
				free(known);
			}
		}
		free(copy);
	}
	if (rc == RT_OK) {
		uint32_t k = 0, *v = xmalloc((cfg->ntargets + 1) * sizeof(*v));
		for (uint32_t i = 0; i < cfg->ntargets; i++)
			if (on[i])
				v[k++] = i;
		*idx = v;
		*n = k;
	}
	free(on);
	return rc;
}

/* ---- the schedule ---- */

struct sched_state {
	const struct fleet_sched *s;
	enum fleet_outcome *out;
	pthread_mutex_t mu;
	uint32_t next, end;        /* the targets of this phase: next..end-1 */
	bool failed;               /* a target of this run failed */
	unsigned stop;
};

static void *worker(void *arg)
{
	struct sched_state *st = arg;
	for (;;) {
		pthread_mutex_lock(&st->mu);
		if (run_signal_pending())
			st->stop |= FLEET_STOP_SIGNAL;
		else if (st->failed && !st->s->keep_going)
			st->stop |= FLEET_STOP_FAILURE;
		bool take = st->next < st->end && !(st->stop & (FLEET_STOP_SIGNAL | FLEET_STOP_FAILURE));
		uint32_t i = st->next;
		if (take)
			st->next++;
		pthread_mutex_unlock(&st->mu);
		if (!take)
			return NULL;
		int rc = st->s->run(st->s->ctx, i);
		pthread_mutex_lock(&st->mu);
		st->out[i] = rc == RT_OK ? FLEET_DONE : rc == RT_EINTR ? FLEET_INTERRUPTED
		                                                       : FLEET_FAILED;
		if (rc != RT_OK && rc != RT_EINTR)
			st->failed = true;
		pthread_mutex_unlock(&st->mu);
	}
}

/* Runs targets from..to-1, up to parallel at a time, until done or
 * stopped. */
static void run_phase(struct sched_state *st, uint32_t from, uint32_t to)
{
	st->next = from;
	st->end = to;
	uint32_t nthreads = (uint32_t)(st->s->parallel > 0 ? st->s->parallel : 1);
	if (nthreads > to - from)
		nthreads = to - from;
	if (nthreads == 0)
		return;
	pthread_t *th = xcalloc(nthreads, sizeof(*th));
	bool *started = xcalloc(nthreads, sizeof(*started));
	uint32_t nstarted = 0;
	for (uint32_t t = 0; t < nthreads; t++) {
		started[t] = pthread_create(&th[t], NULL, worker, st) == 0;
		nstarted += started[t];
	}
	if (nstarted == 0)
		worker(st);  /* no thread could start: this one does the work */
	for (uint32_t t = 0; t < nthreads; t++)
		if (started[t])
			pthread_join(th[t], NULL);
	free(th);
	free(started);
}

unsigned fleet_schedule(const struct fleet_sched *s, enum fleet_outcome *out)
{
	struct sched_state st = {.s = s, .out = out};
	pthread_mutex_init(&st.mu, NULL);
	for (uint32_t i = 0; i < s->n; i++)
		out[i] = FLEET_NOT_STARTED;
	uint32_t canary = s->canary < s->n ? s->canary : s->n;
	if (canary) {
		/* the canaries alone: keep_going does not reach past them */
		run_phase(&st, 0, canary);
		if (st.failed && canary < s->n)
			st.stop |= FLEET_STOP_CANARY;
	}
	if (!(st.stop & (FLEET_STOP_CANARY | FLEET_STOP_SIGNAL)) &&
	    !(st.failed && !s->keep_going))
		run_phase(&st, canary, s->n);
	else if (st.failed && !s->keep_going && canary < s->n)
		st.stop |= FLEET_STOP_FAILURE;
	if (run_signal_pending()) {
		for (uint32_t i = 0; i < s->n; i++)
			if (out[i] == FLEET_NOT_STARTED)
				st.stop |= FLEET_STOP_SIGNAL;
	}
	pthread_mutex_destroy(&st.mu);
	return st.stop;
}
