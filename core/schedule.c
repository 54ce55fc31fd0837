/*
 * The scheduler: every particle of a run is a state machine on one timer
 * heap, driven by a small pool of call threads.
 *
 * A thread takes whichever particle is due, runs one turn of it (a state
 * read and at most one flavor call: flavor operations never sleep), and
 * puts it back on the heap at the time its turn asks for, or finishes it.
 * No thread ever sleeps for a particle: a particle that waits holds no
 * thread and no connection, only its place on the heap, so a thousand
 * tables being created wait together for the server's own time. One
 * idle thread at a time waits for the earliest due time on the engine's
 * clock (the fake clock of the unit tests advances instead); the others
 * wait to be woken. The threads are as many as the service client's
 * connection pool when DYNAMODB_MAX_CLIENTS sets it (more could only
 * queue for a connection), 32 otherwise, and never more than the
 * particles.
 *
 * --parallel bounds the particles with a change in progress: a particle
 * takes a slot before its first mutating call and gives it back when it
 * concludes, so at most that many tables are being created, updated or
 * deleted at once by this run (AWS takes 500 per account and region). A
 * particle that wants a slot while none is free waits, holding nothing,
 * until one is.
 *
 * Who waits for whom: a child that should run waits for its parents
 * (cascade); when parent and child both leave running, the parent waits
 * for the child, so children are deleted first. This orientation never
 * forms a cycle from an acyclic parent graph. A cycle in bad input leaves
 * particles that never become ready; they are reported FAILED rather than
 * waited on forever. A particle whose prerequisite failed is reported
 * SKIPPED at once, with everything that waits on it.
 */
#include "core/engine_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/timer_heap.h"
#include "src/common/util.h"

/* A cancel set from a signal handler cannot wake a waiting thread; waits are sliced this fine. */
#define WAIT_SLICE_MS 100
/* How long polls give way to first turns still running (poll_must_wait). */
#define POLLS_HELD_MAX_MS 1000
/*
 * Call threads when DYNAMODB_MAX_CLIENTS is unset. Fewer than the pool's
 * 100 connections: each thread costs about 60 KB of resident memory
 * (bench/engine: 1000 tables peak at 23 MB with 4 threads, 29.6 MB with
 * 100), and 32 calls in flight already keep a server busier than the
 * waits between polls can use.
 */
#define DEFAULT_CALL_THREADS 32

typedef struct pcf_sched pcf_sched;

struct pcf_sched {
	pcf_engine *e;
	const int *in_run;
	pcf_turn_fn turn;
	pcf_task_fn once;
	pcf_particle_report *reports;
	void **states; /* by index: the turn function's per-particle state */
	size_t *waits_left;
	char *done;
	char *started;      /* the particle's first turn has begun */
	size_t first_turns; /* first turns running now */
	long first_turn_at; /* when the latest first turn began */
	pcf_timer_heap heap;
	size_t *slot_queue; /* particles waiting for a change slot, first in first out */
	size_t sq_head, sq_count;
	int slots_free;
	size_t remaining, busy;
	int sleeper; /* a thread waits for the heap's earliest time */
	int cancel_seen;
	pthread_mutex_t m;
	pthread_cond_t cv;
};

static long now_ms(const pcf_sched *s)
{
	return s->e->clock.now_ms(s->e->clock.ctx);
}

static int is_parent_of(const pcf_engine *e, size_t parent, size_t child)
{
	for (size_t k = 0; k < e->parent_count[child]; k++)
		if (e->parents[child][k] == parent)
			return 1;
	return 0;
}

/* Does i wait for j? */
static int waits_for(const pcf_sched *s, size_t i, size_t j)
{
	const pcf_engine *e = s->e;

	if (!s->in_run[i] || !s->in_run[j] || i == j)
		return 0;
	if (e->desired[i] == PCF_DESIRED_RUNNING)
		return is_parent_of(e, j, i);
	return e->desired[j] != PCF_DESIRED_RUNNING && is_parent_of(e, i, j);
}

static void skip(pcf_sched *s, size_t i, size_t cause)
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

/* Called with the lock held when i concluded. */
static void finish(pcf_sched *s, size_t i, int go_ahead)
{
	long now = now_ms(s);

	s->done[i] = 1;
	s->remaining--;
	for (size_t d = 0; d < s->e->count; d++) {
		if (s->done[d] || !waits_for(s, d, i))
			continue;
		if (!go_ahead)
			skip(s, d, i);
		else if (--s->waits_left[d] == 0)
			pcf_timer_heap_push(&s->heap, d, now);
	}
}

/* Called with the lock held when nothing can ever become ready. */
static void fail_stuck(pcf_sched *s)
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

int pcf_schedule_take_slot(pcf_engine *engine)
{
	pcf_sched *s = engine->sched;
	int taken;

	pthread_mutex_lock(&s->m);
	taken = s->slots_free > 0;
	if (taken)
		s->slots_free--;
	pthread_mutex_unlock(&s->m);
	return taken;
}

void pcf_schedule_release_slot(pcf_engine *engine)
{
	pcf_sched *s = engine->sched;

	pthread_mutex_lock(&s->m);
	s->slots_free++;
	if (s->sq_count > 0) {
		size_t i = s->slot_queue[s->sq_head];
		s->sq_head = (s->sq_head + 1) % (s->e->count + 1);
		s->sq_count--;
		pcf_timer_heap_push(&s->heap, i, now_ms(s));
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->m);
}

long pcf_schedule_poll_floor_ms(pcf_engine *engine)
{
	pcf_sched *s = engine->sched;
	long waiting;

	if (!s)
		return 0;
	pthread_mutex_lock(&s->m);
	/* The asking particle is between turns: it counts as one more. */
	waiting = (long)s->heap.count + 1;
	pthread_mutex_unlock(&s->m);
	return waiting * 1000 / PCF_POLL_RATE;
}

/* Called with the lock held: where particle i goes after a turn. */
static void place(pcf_sched *s, size_t i, pcf_turn t, long due_ms)
{
	switch (t) {
	case PCF_TURN_WAIT:
		pcf_timer_heap_push(&s->heap, i, due_ms);
		break;
	case PCF_TURN_NEED_SLOT:
		/* A slot freed between the turn's try and now is not missed. */
		if (s->slots_free > 0 || s->e->cancelled) {
			pcf_timer_heap_push(&s->heap, i, now_ms(s));
			break;
		}
		s->slot_queue[(s->sq_head + s->sq_count) % (s->e->count + 1)] = i;
		s->sq_count++;
		break;
	case PCF_TURN_GO_AHEAD:
	case PCF_TURN_HALT:
		finish(s, i, t == PCF_TURN_GO_AHEAD);
		break;
	}
}

static pcf_turn one_turn(pcf_sched *s, size_t i, long *due_ms)
{
	if (s->turn)
		return s->turn(s->e, i, &s->reports[i], &s->states[i], due_ms);
	return s->once(s->e, i, &s->reports[i]) ? PCF_TURN_GO_AHEAD : PCF_TURN_HALT;
}

/* A cancel makes every wait end now, so each particle concludes CANCELLED promptly. */
static void notice_cancel(pcf_sched *s)
{
	long now = now_ms(s);

	s->cancel_seen = 1;
	pcf_timer_heap_due_by(&s->heap, now);
	while (s->sq_count > 0) {
		pcf_timer_heap_push(&s->heap, s->slot_queue[s->sq_head], now);
		s->sq_head = (s->sq_head + 1) % (s->e->count + 1);
		s->sq_count--;
	}
}

/* Called with the lock held: waits until due_ms, at most one slice, or a wake-up. */
static void wait_until(pcf_sched *s, long due_ms)
{
	long d = due_ms - now_ms(s);
	struct timespec ts;

	if (d > WAIT_SLICE_MS)
		d = WAIT_SLICE_MS;
	if (d <= 0)
		return;
	if (!s->e->clock.wall) {
		pthread_mutex_unlock(&s->m);
		s->e->clock.sleep_ms(d, s->e->clock.ctx);
		pthread_mutex_lock(&s->m);
		return;
	}
	pcf_util_monotonic_after(&ts, d);
	while (pthread_cond_timedwait(&s->cv, &s->m, &ts) == EINTR)
		;
}

/*
 * Called with the lock held: the particle due first has had a turn (its
 * next one reads again) while first turns, which read and send a change,
 * are still running. Changes go out before polls: a server answers in
 * turn, and a poll sent now would only delay the change behind it (on
 * dynalite 50 creates took up to 300 ms to send beside the polls of the
 * tables created first). Only for POLLS_HELD_MAX_MS after the latest
 * first turn began, though: a first turn stuck in its transport's retries
 * must not keep every other table from being seen.
 */
static int poll_must_wait(const pcf_sched *s)
{
	return s->first_turns > 0 && s->started[pcf_timer_heap_top(&s->heap)->index] &&
	       !s->e->cancelled && now_ms(s) - s->first_turn_at < POLLS_HELD_MAX_MS;
}

static void *worker(void *arg)
{
	pcf_sched *s = arg;
	long due;
	size_t i;
	pcf_turn t;
	int due_now;

	pthread_mutex_lock(&s->m);
	while (s->remaining > 0) {
		if (s->e->cancelled && !s->cancel_seen)
			notice_cancel(s);
		due_now = s->heap.count > 0 && pcf_timer_heap_top(&s->heap)->due_ms <= now_ms(s);

		if (due_now && poll_must_wait(s)) {
			/* Woken when a turn ends, or when the hold runs out. The fake
			 * clock's turns take no time: a sleep there would only move it. */
			if (s->e->clock.wall)
				wait_until(s, s->first_turn_at + POLLS_HELD_MAX_MS);
			else
				pthread_cond_wait(&s->cv, &s->m);
		} else if (due_now) {
			int first;

			i = pcf_timer_heap_pop(&s->heap);
			first = !s->started[i];
			s->started[i] = 1;
			s->first_turns += (size_t)first;
			if (first)
				s->first_turn_at = now_ms(s);
			s->busy++;
			pthread_mutex_unlock(&s->m);
			t = one_turn(s, i, &due);
			pthread_mutex_lock(&s->m);
			s->busy--;
			s->first_turns -= (size_t)first;
			place(s, i, t, due);
			pthread_cond_broadcast(&s->cv);
		} else if (s->heap.count == 0 && s->busy == 0) {
			fail_stuck(s);
		} else if (s->heap.count == 0 || s->sleeper) {
			pthread_cond_wait(&s->cv, &s->m);
		} else {
			s->sleeper = 1;
			wait_until(s, pcf_timer_heap_top(&s->heap)->due_ms);
			s->sleeper = 0;
			pthread_cond_broadcast(&s->cv);
		}
	}
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->m);
	return NULL;
}

static int prepare(pcf_sched *s)
{
	size_t n = s->e->count + 1;
	long now = now_ms(s);

	s->waits_left = calloc(n, sizeof(*s->waits_left));
	s->done = calloc(n, 1);
	s->started = calloc(n, 1);
	s->states = calloc(n, sizeof(*s->states));
	s->slot_queue = calloc(n, sizeof(*s->slot_queue));
	if (!s->waits_left || !s->done || !s->started || !s->states || !s->slot_queue ||
	    pcf_timer_heap_init(&s->heap, n) < 0)
		return PCF_ENOMEM;
	s->slots_free = s->e->options.parallel;
	for (size_t i = 0; i < s->e->count; i++) {
		if (!s->in_run[i])
			continue;
		s->remaining++;
		for (size_t j = 0; j < s->e->count; j++)
			s->waits_left[i] += (size_t)waits_for(s, i, j);
		if (s->waits_left[i] == 0)
			pcf_timer_heap_push(&s->heap, i, now);
	}
	return 0;
}

/* As many call threads as the connection pool has connections, when set. */
static size_t call_threads(void)
{
	const char *v = pcf_util_getenv("DYNAMODB_MAX_CLIENTS");
	long n;

	if (v && pcf_util_parse_long(&n, v, 1, 10000) == 0)
		return (size_t)n;
	return DEFAULT_CALL_THREADS;
}

static int init_sync(pcf_sched *s)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&s->m, NULL);
	pthread_condattr_init(&attr);
	/* Timed waits on the same clock as the engine's now_ms. */
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cv, &attr);
	pthread_condattr_destroy(&attr);
	return 0;
}

static void run_threads(pcf_sched *s)
{
	size_t want = call_threads(), started = 0;
	pthread_t *threads;

	if (want > s->remaining)
		want = s->remaining;
	/* The calling thread is one of them. */
	threads = want > 1 ? calloc(want - 1, sizeof(*threads)) : NULL;
	for (size_t k = 0; threads && k + 1 < want; k++) {
		if (pthread_create(&threads[k], NULL, worker, s) != 0)
			break;
		started++;
	}
	worker(s);
	for (size_t k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	free(threads);
}

int pcf_schedule_run(pcf_engine *engine, const int *in_run, pcf_turn_fn turn, pcf_task_fn once,
                     pcf_particle_report *reports, pcf_error *err)
{
	pcf_sched s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.e = engine;
	s.in_run = in_run;
	s.turn = turn;
	s.once = once;
	s.reports = reports;
	init_sync(&s);
	rc = prepare(&s);
	if (rc < 0) {
		pcf_error_set(err, rc, "out of memory");
		goto out;
	}
	engine->sched = &s;
	run_threads(&s);
	engine->sched = NULL;
out:
	pcf_timer_heap_cleanup(&s.heap);
	free(s.waits_left);
	free(s.done);
	free(s.started);
	free(s.states);
	free(s.slot_queue);
	pthread_cond_destroy(&s.cv);
	pthread_mutex_destroy(&s.m);
	return rc;
}
