/*
 * The scheduler: a bounded pool of pthread workers over the dependency
 * graph. A particle becomes ready once everything it waits for finished
 * and went ahead; a particle whose prerequisite failed is reported SKIPPED
 * at once, with everything that waits on it, while unrelated particles
 * carry on.
 *
 * Who waits for whom: a child that should run waits for its parents
 * (cascade); when parent and child both leave running, the parent waits
 * for the child, so children are deleted first. This orientation never
 * forms a cycle from an acyclic parent graph. A cycle in bad input leaves
 * particles that never become ready; they are reported FAILED rather than
 * waited on forever.
 */
#include "core/engine_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct sched {
	pcf_engine *e;
	const int *in_run;
	pcf_task_fn task;
	pcf_particle_report *reports;
	size_t *waits_left;
	char *done;
	size_t *queue;
	size_t qhead, qtail;
	size_t remaining, running;
	pthread_mutex_t m;
	pthread_cond_t cv;
} sched;

static int is_parent_of(const pcf_engine *e, size_t parent, size_t child)
{
	for (size_t k = 0; k < e->parent_count[child]; k++)
		if (e->parents[child][k] == parent)
			return 1;
	return 0;
}

/* Does i wait for j? */
static int waits_for(const sched *s, size_t i, size_t j)
{
	const pcf_engine *e = s->e;

	if (!s->in_run[i] || !s->in_run[j] || i == j)
		return 0;
	if (e->desired[i] == PCF_DESIRED_RUNNING)
		return is_parent_of(e, j, i);
	return e->desired[j] != PCF_DESIRED_RUNNING && is_parent_of(e, i, j);
}

static void skip(sched *s, size_t i, size_t cause)
{
	pcf_particle_report *r = &s->reports[i];

	if (s->done[i])
		return;
	s->done[i] = 1;
	s->remaining--;
	r->outcome = PCF_OUTCOME_SKIPPED;
	pcf_error_set(&r->error, PCF_EDEPENDENCY, "not attempted: %s did not converge",
	              s->e->defs->particles[cause].id);
	for (size_t d = 0; d < s->e->count; d++)
		if (!s->done[d] && waits_for(s, d, i))
			skip(s, d, i);
}

/* Called with the lock held when i's task returned. */
static void finish(sched *s, size_t i, int go_ahead)
{
	s->done[i] = 1;
	s->remaining--;
	for (size_t d = 0; d < s->e->count; d++) {
		if (s->done[d] || !waits_for(s, d, i))
			continue;
		if (!go_ahead)
			skip(s, d, i);
		else if (--s->waits_left[d] == 0)
			s->queue[s->qtail++] = d;
	}
}

/* Called with the lock held when nothing can ever become ready. */
static void fail_stuck(sched *s)
{
	for (size_t i = 0; i < s->e->count; i++) {
		if (!s->in_run[i] || s->done[i])
			continue;
		s->done[i] = 1;
		s->reports[i].outcome = PCF_OUTCOME_FAILED;
		pcf_error_set(&s->reports[i].error, PCF_EDEPENDENCY,
		              "its parents form a cycle; not attempted");
	}
	s->remaining = 0;
}

static void *worker(void *arg)
{
	sched *s = arg;
	size_t i;
	int ok;

	pthread_mutex_lock(&s->m);
	for (;;) {
		while (s->qhead == s->qtail && s->remaining > 0 && s->running > 0)
			pthread_cond_wait(&s->cv, &s->m);
		if (s->remaining == 0)
			break;
		if (s->qhead == s->qtail) {
			fail_stuck(s);
			break;
		}
		i = s->queue[s->qhead++];
		s->running++;
		pthread_mutex_unlock(&s->m);
		ok = s->task(s->e, i, &s->reports[i]);
		pthread_mutex_lock(&s->m);
		s->running--;
		finish(s, i, ok);
		pthread_cond_broadcast(&s->cv);
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->m);
	return NULL;
}

static int prepare(sched *s)
{
	size_t n = s->e->count + 1;

	s->waits_left = calloc(n, sizeof(*s->waits_left));
	s->done = calloc(n, 1);
	s->queue = calloc(n, sizeof(*s->queue));
	if (!s->waits_left || !s->done || !s->queue)
		return PCF_ENOMEM;
	for (size_t i = 0; i < s->e->count; i++) {
		if (!s->in_run[i])
			continue;
		s->remaining++;
		for (size_t j = 0; j < s->e->count; j++)
			s->waits_left[i] += (size_t)waits_for(s, i, j);
		if (s->waits_left[i] == 0)
			s->queue[s->qtail++] = i;
	}
	return 0;
}

int pcf_schedule_run(pcf_engine *engine, const int *in_run, pcf_task_fn task,
                     pcf_particle_report *reports, pcf_error *err)
{
	sched s;
	pthread_t *threads = NULL;
	size_t want, started = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	s.e = engine;
	s.in_run = in_run;
	s.task = task;
	s.reports = reports;
	pthread_mutex_init(&s.m, NULL);
	pthread_cond_init(&s.cv, NULL);
	rc = prepare(&s);
	if (rc < 0) {
		pcf_error_set(err, rc, "out of memory");
		goto out;
	}
	want = (size_t)engine->options.parallel;
	if (want > s.remaining)
		want = s.remaining;
	/* The calling thread is one of the workers. */
	if (want > 1)
		threads = calloc(want - 1, sizeof(*threads));
	for (size_t k = 0; threads && k + 1 < want; k++) {
		if (pthread_create(&threads[k], NULL, worker, &s) != 0)
			break;
		started++;
	}
	worker(&s);
	for (size_t k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
out:
	free(threads);
	free(s.waits_left);
	free(s.done);
	free(s.queue);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.m);
	return rc;
}
