/*
 * The engine's guard (options.before_change / particle_done), as a lease
 * lock uses it: asked before a particle's first read and before every
 * mutating call; a refusal fails that particle, with the guard's error and
 * nothing sent, while the others converge; particle_done once per particle.
 */
#include <pthread.h>

#include "fake_flavor.h"

TestSuite(converge_guard, .init = fake_reset, .fini = fake_run_end);

/* What the guard saw, and when it starts refusing. */
static struct {
	pthread_mutex_t mu;
	char log[1024];
	const char *refuse; /* particle name refused from its first call */
	int allow_calls;    /* -1: no limit; else calls allowed before refusing everyone */
	int calls;
	int done[2];
	int syncs_at_start; /* reads of the resource before the guard's first call */
	int not_yet;        /* refusals for now (a lock held elsewhere) before the rest */
	int syncs_at_admit; /* reads of the resource when the guard first let it go ahead */
	int cancel_at;      /* > 0: the run is cancelled at this call (Ctrl-C while waiting) */
} g = {PTHREAD_MUTEX_INITIALIZER, "", NULL, -1, 0, {0, 0}, -1, 0, -1, 0};

/* What a refusal for now asks the engine to wait, in fake ms. */
#define LOOK_AGAIN_MS 700

static void guard_reset(void)
{
	g.log[0] = '\0';
	g.refuse = NULL;
	g.allow_calls = -1;
	g.calls = 0;
	g.done[0] = g.done[1] = 0;
	g.syncs_at_start = -1;
	g.not_yet = 0;
	g.syncs_at_admit = -1;
	g.cancel_at = 0;
}

static int guard(const pcf_particle *p, const char *action, pcf_error *err, void *payload)
{
	const char *name = pcf_particle_definition(p)->name;
	size_t n;
	int rc = 0;

	cr_assert_eq(payload, &g);
	pthread_mutex_lock(&g.mu);
	n = strlen(g.log);
	snprintf(g.log + n, sizeof(g.log) - n, "%s%s@%s", n ? " " : "", action, name);
	if (g.syncs_at_start < 0)
		g.syncs_at_start = fake_get(name)->syncs;
	if ((g.refuse && !strcmp(name, g.refuse)) ||
	    (g.allow_calls >= 0 && g.calls >= g.allow_calls)) {
		rc = pcf_error_set(err, PCF_ELOCKED,
		                   "locked by elsewhere pid 1 (run r, apply, since t)");
	} else if (g.not_yet > 0) {
		g.not_yet--;
		rc = pcf_error_set(err, PCF_ELOCKED, "lock k held by elsewhere pid 1");
		err->retryable = 1;
		err->retry_after_ms = LOOK_AGAIN_MS;
	} else if (g.syncs_at_admit < 0) {
		g.syncs_at_admit = fake_get(name)->syncs;
	}
	g.calls++;
	if (g.calls == g.cancel_at)
		pcf_engine_cancel(run.engine);
	pthread_mutex_unlock(&g.mu);
	return rc;
}

static void done(const pcf_particle *p, void *payload)
{
	(void)payload;
	pthread_mutex_lock(&g.mu);
	g.done[strcmp(pcf_particle_definition(p)->name, "a") == 0 ? 0 : 1]++;
	pthread_mutex_unlock(&g.mu);
}

static int apply_guarded(const fake_spec *specs, size_t n)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	o.before_change = guard;
	o.particle_done = done;
	o.guard_payload = &g;
	o.parallel = 1; /* one worker: the guard's log has one order */
	run.defs = fake_defs(specs, n);
	run.engine = fake_engine(run.defs, &o);
	rc = pcf_engine_apply(&run.rr, run.engine, &err);
	cr_assert_not_null(run.rr);
	return rc;
}

Test(converge_guard, asked_before_the_first_read_and_before_every_change)
{
	fake_spec s = {"fake:a", PCF_DESIRED_RUNNING, "{\"Size\":2,\"Color\":\"red\"}", NULL, 0, 0};
	fake_res *f = fake_existing("a", "{\"Size\":1,\"Color\":\"blue\"}");

	guard_reset();
	cr_assert_eq(apply_guarded(&s, 1), 0);
	cr_assert_eq(f->steps, 2);
	cr_assert_str_eq(g.log, "start of run@a Update@a Update@a");
	cr_assert_eq(g.syncs_at_start, 0, "the guard came before the first read");
	cr_assert_eq(g.done[0], 1);
}

Test(converge_guard, refused_particle_fails_unchanged_while_the_other_converges)
{
	fake_spec s[] = {{"fake:a", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0},
	                 {"fake:b", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0}};
	const pcf_particle_report *a, *b;

	guard_reset();
	g.refuse = "b";
	cr_assert_eq(apply_guarded(s, 2), PCF_ELOCKED);
	a = report_of(run.rr, "a");
	b = report_of(run.rr, "b");
	cr_assert_eq(a->outcome, PCF_OUTCOME_CONVERGED, "%s", a->error.message);
	cr_assert_eq(b->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(b->error.code, PCF_ELOCKED);
	cr_assert_str_eq(b->error.message, "locked by elsewhere pid 1 (run r, apply, since t)");
	cr_assert_eq(fake_get("a")->starts, 1);
	cr_assert_eq(fake_get("b")->starts, 0, "nothing sent for the refused particle");
	cr_assert_eq(fake_get("b")->syncs, 0, "not even read");
	cr_assert_eq(b->action_count, 0);
	cr_assert_eq(g.done[0], 1);
	cr_assert_eq(g.done[1], 1, "done also for the refused particle");
}

Test(converge_guard, refusal_mid_run_stops_before_the_next_change)
{
	fake_spec s = {"fake:a", PCF_DESIRED_RUNNING, "{\"Size\":2,\"Color\":\"red\"}", NULL, 0, 0};
	fake_res *f = fake_existing("a", "{\"Size\":1,\"Color\":\"blue\"}");
	const pcf_particle_report *a;

	guard_reset();
	g.allow_calls = 2; /* the start of the run and the first step: then the lock is lost */
	cr_assert_eq(apply_guarded(&s, 1), PCF_ELOCKED);
	a = report_of(run.rr, "a");
	cr_assert_eq(a->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(f->steps, 1, "the second step was not sent");
	cr_assert_eq(a->action_count, 1);
	cr_assert_str_eq(cJSON_GetObjectItem(f->props, "Color")->valuestring, "blue");
}

Test(converge_guard, refused_for_now_waits_then_asks_again_before_the_first_read)
{
	fake_spec s = {"fake:a", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 0};
	fake_res *f = fake_existing("a", "{\"Size\":1}");
	const pcf_particle_report *a;
	long t0 = fake_now;

	guard_reset();
	g.not_yet = 3;
	cr_assert_eq(apply_guarded(&s, 1), 0);
	a = report_of(run.rr, "a");
	cr_assert_eq(a->outcome, PCF_OUTCOME_CONVERGED, "%s", a->error.message);
	cr_assert_str_eq(g.log, "start of run@a start of run@a start of run@a start of run@a "
	                        "Update@a");
	cr_assert_eq(g.syncs_at_admit, 0, "not read before the guard let it start");
	cr_assert_eq(f->steps, 1);
	/* Three waits of the length the refusal named (+-5%), not the engine's backoff. */
	cr_assert_geq(fake_now - t0, 3 * (LOOK_AGAIN_MS - LOOK_AGAIN_MS / 20));
	cr_assert_lt(fake_now - t0, 3 * (LOOK_AGAIN_MS + LOOK_AGAIN_MS / 20) + 5000);
	cr_assert_eq(g.done[0], 1);
}

Test(converge_guard, refused_for_now_until_the_deadline_times_out_unread)
{
	fake_spec s = {"fake:a", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	const pcf_particle_report *a;

	guard_reset();
	g.not_yet = 1000000;
	o.before_change = guard;
	o.particle_done = done;
	o.guard_payload = &g;
	o.timeout_ms = 5000;
	run.defs = fake_defs(&s, 1);
	run.engine = fake_engine(run.defs, &o);
	cr_assert_eq(pcf_engine_apply(&run.rr, run.engine, &err), PCF_ETIMEDOUT);
	a = report_of(run.rr, "a");
	cr_assert_eq(a->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert_not_null(strstr(a->error.message, "not started: lock k held by elsewhere"), "%s",
	                   a->error.message);
	cr_assert_eq(fake_get("a")->syncs, 0, "never read without the guard's leave");
	cr_assert_eq(fake_get("a")->starts, 0);
	cr_assert_eq(g.done[0], 1);
}

Test(converge_guard, cancel_while_refused_for_now_ends_the_wait_unread)
{
	fake_spec s = {"fake:a", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0};
	const pcf_particle_report *a;
	long t0 = fake_now;

	guard_reset();
	g.not_yet = 1000000;
	g.cancel_at = 2; /* during the second refusal: its wait is never waited out */
	cr_assert_eq(apply_guarded(&s, 1), PCF_ECANCELLED);
	a = report_of(run.rr, "a");
	cr_assert_eq(a->outcome, PCF_OUTCOME_CANCELLED, "%s", a->error.message);
	cr_assert_eq(g.calls, 2, "not asked again after the cancel");
	cr_assert_lt(fake_now - t0, 2 * LOOK_AGAIN_MS, "the second wait ended at the cancel");
	cr_assert_eq(fake_get("a")->syncs, 0);
	cr_assert_eq(g.done[0], 1);
}
