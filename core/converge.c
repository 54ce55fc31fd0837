/*
 * The converge loop for one particle (apply).
 *
 * Each turn reads the live state (through the short-lived cache), asks the
 * transition table what to do, and does exactly one thing: wait while
 * pending, run a transition, or run the first step of the flavor's plan.
 * Then it reads again. Running one step per turn keeps the flavor's plans
 * simple (they are recomputed from the state each step left behind) and
 * makes every wait between steps the same wait.
 *
 * Waits back off from poll_initial_ms, growing by a quarter each time up
 * to poll_max_ms, with 10% jitter either way, and never past the run's
 * deadline. Growing by a quarter rather than doubling bounds how late a
 * change is seen to about a quarter of the time already waited (a table
 * that takes 2 s to create is noticed at about 2.3 s, not 3.0) for a
 * handful more DescribeTable calls before the cap. LimitExceeded from the
 * control plane (too many tables changing at once) is waited out the same
 * way. When the drift a step was meant to fix is still there, unchanged,
 * on the next turn (whatever step is planned now), the step gets a few
 * seconds of re-reads (reads can lag writes), then the particle fails with
 * PCF_ENOCHANGE instead of looping. Every mutating call waits one backoff
 * after the previous one, so no path can send them back to back.
 */
#include "core/engine_internal.h"

#include <stdlib.h>
#include <string.h>

/* How long a step's effect may take to show in reads before it counts as no change. */
#define NO_CHANGE_GRACE_MS 10000

typedef struct loop {
	pcf_engine *e;
	pcf_particle *p;
	size_t index;
	pcf_particle_report *r;
	const pcf_flavor_ops *ops;
	pcf_desired_state desired;
	int has_stop;
	long delay_ms;
	unsigned seed;
	/* The step run last and the drift it was meant to fix. */
	pcf_step last;
	pcf_drift last_drift;
	int have_last;
	long last_ran_ms; /* when the last step ran */
	/* A mutating call went out and no wait followed yet: the next one waits first. */
	int unwaited;
	int created; /* this run created it: persist_on_update does not stop its creation */
} loop;

/* Sets the particle's outcome and error; returns code for the caller to pass on. */
static int conclude(loop *l, pcf_outcome outcome, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int conclude(loop *l, pcf_outcome outcome, int code, const char *fmt, ...)
{
	va_list ap;

	l->r->outcome = outcome;
	if (fmt) {
		va_start(ap, fmt);
		pcf_error_vset(&l->r->error, code, fmt, ap);
		va_end(ap);
	}
	return code;
}

/*
 * Whether a refusal passes with time is the service client's verdict
 * (src/aws/errors.c): it sets the error's retryable flag for what the
 * service says will pass - other tables changing at once, backups still
 * being set up - and leaves it clear for quotas and for transient faults
 * the transport has already resent. Core only waits on the flag.
 */
static int retryable(int rc, const pcf_error *err)
{
	return rc < 0 && err->retryable;
}

static long now_ms(const loop *l)
{
	return l->e->clock.now_ms(l->e->clock.ctx);
}

/* A cancel slices waits this fine, so Ctrl-C is answered promptly. */
#define CANCEL_SLICE_MS 100

/* When the engine was cancelled, concludes CANCELLED (before doing what) and returns < 0. */
static int check_cancel(loop *l, const char *what)
{
	if (!l->e->cancelled)
		return 0;
	return conclude(l, PCF_OUTCOME_CANCELLED, PCF_ECANCELLED,
	                "cancelled: stopped before %s; rerun to continue", what);
}

/*
 * Sleeps one backoff interval, bounded by the deadline. PCF_ETIMEDOUT when
 * no time is left; PCF_ECANCELLED (concluded) when cancelled before or while
 * waiting.
 */
static int backoff(loop *l, pcf_state state, const char *why)
{
	long left = l->e->deadline_ms - now_ms(l), d = l->delay_ms;

	if (check_cancel(l, "waiting") < 0)
		return PCF_ECANCELLED;
	if (left <= 0)
		return PCF_ETIMEDOUT;
	/* +-10%, so that particles started together do not poll in lockstep. */
	d += (long)(rand_r(&l->seed) % (unsigned)(d / 5 + 1)) - d / 10;
	if (d > left)
		d = left;
	pcf_engine_emit(l->e, PCF_EVENT_WAITING, l->p, state, why);
	while (d > 0 && !l->e->cancelled) {
		long slice = d < CANCEL_SLICE_MS ? d : CANCEL_SLICE_MS;
		l->e->clock.sleep_ms(slice, l->e->clock.ctx);
		d -= slice;
	}
	if (check_cancel(l, "the next read") < 0)
		return PCF_ECANCELLED;
	l->delay_ms += l->delay_ms / 4;
	if (l->delay_ms > l->e->options.poll_max_ms)
		l->delay_ms = l->e->options.poll_max_ms;
	pcf_particle_cache_drop(l->p);
	l->unwaited = 0;
	return 0;
}

static int timed_out(loop *l, pcf_state state, const char *waiting_on)
{
	return conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
	                "timed out after %ld ms: still %s%s%s", pcf_engine_elapsed_ms(l->e),
	                pcf_state_name(state), waiting_on ? ": " : "",
	                waiting_on ? waiting_on : "");
}

/* The deadline passed before action could run. */
static int not_run(loop *l, pcf_state state, const char *action)
{
	return conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
	                "timed out after %ld ms: still %s, %s not run", pcf_engine_elapsed_ms(l->e),
	                pcf_state_name(state), action);
}

/*
 * Puts the action in front of a flavor's error, once: an error that already
 * names it ("UpdateTable: could not connect ..." from the transport, or
 * "UpdateTable on table t: ...") is left as it is, so the layers below may
 * name it too without "UpdateTable: UpdateTable ...".
 */
static void name_action(pcf_error *err, const char *action)
{
	size_t n = strlen(action);

	if (strncmp(err->message, action, n) == 0 &&
	    (err->message[n] == '\0' || err->message[n] == ':' || err->message[n] == ' '))
		return;
	for (const char *at = strstr(err->message, action); at; at = strstr(at + 1, action))
		if (at[n] == ':')
			return;
	pcf_error_prefix(err, "%s", action);
}

/*
 * The engine's one call to options.before_change (a lease lock, say): at
 * the particle's start and before every mutating call. A refusal fails the
 * particle with the guard's error before anything is sent.
 */
static int guarded(loop *l, const char *action)
{
	const pcf_engine_options *o = &l->e->options;
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	if (!o->before_change)
		return 0;
	rc = o->before_change(l->p, action, &err, o->guard_payload);
	if (rc >= 0)
		return 0;
	/* A guard that waits (for a lock) may be cancelled with the run. */
	l->r->outcome = rc == PCF_ECANCELLED ? PCF_OUTCOME_CANCELLED : PCF_OUTCOME_FAILED;
	l->r->error = err;
	if (l->r->error.code >= 0)
		pcf_error_set(&l->r->error, rc, "not allowed to run %s", action);
	return rc;
}

/* Runs an operation, waiting out LimitExceeded; records the action. */
typedef int (*op_fn)(loop *l, pcf_error *err);

static int run_op(loop *l, op_fn op, const char *action, const char *summary, pcf_state state)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	/* Whatever path led here, two mutating calls never go out back to back:
	 * a call the server took without visible effect must not become a flood. */
	if (l->unwaited && (rc = backoff(l, state, "pausing between changes")) < 0)
		return rc == PCF_ECANCELLED ? rc : not_run(l, state, action);
	if (check_cancel(l, action) < 0)
		return PCF_ECANCELLED;
	pcf_engine_emit(l->e, PCF_EVENT_ACTION, l->p, state, action);
	for (;;) {
		pcf_error_clear(&err);
		if ((rc = guarded(l, action)) < 0)
			return rc;
		l->unwaited = 1;
		rc = op(l, &err);
		if (!retryable(rc, &err))
			break;
		pcf_particle_log(l->p, PCF_LOG_INFO, "%s refused for now (%s); backing off", action,
		                 err.message);
		if ((rc = backoff(l, state, err.message)) == PCF_ECANCELLED)
			return rc;
		if (rc < 0)
			return conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
			                "timed out after %ld ms: %s still refused: %s",
			                pcf_engine_elapsed_ms(l->e), action, err.message);
	}
	if (rc < 0) {
		/* The run's deadline cut the operation short (the transport's wait). */
		l->r->outcome = rc == PCF_ETIMEDOUT ? PCF_OUTCOME_TIMED_OUT : PCF_OUTCOME_FAILED;
		l->r->error = err;
		if (l->r->error.code >= 0)
			pcf_error_set(&l->r->error, rc, "%s failed", action);
		else
			name_action(&l->r->error, action);
		return rc;
	}
	if (summary && summary[0])
		rc = pcf_report_add_action(l->r, "%s: %s", action, summary);
	else
		rc = pcf_report_add_action(l->r, "%s", action);
	pcf_particle_cache_drop(l->p);
	l->r->state_read = 0; /* changed since the last read: unknown until the next */
	l->delay_ms = l->e->options.poll_initial_ms;
	return rc < 0 ? conclude(l, PCF_OUTCOME_FAILED, rc, "out of memory") : 0;
}

static int op_start(loop *l, pcf_error *err)
{
	return l->ops->start(l->p, err);
}

static int op_stop(loop *l, pcf_error *err)
{
	return l->ops->stop(l->p, err);
}

static int op_terminate(loop *l, pcf_error *err)
{
	return l->ops->terminate(l->p, err);
}

static int op_step(loop *l, pcf_error *err)
{
	return l->ops->run_step(l->p, &l->last, err);
}

/* What a transition is called in plans and reports ("CreateTable", say). */
static const char *action_name(const pcf_flavor *f, pcf_transition t)
{
	if (t == PCF_TRANSITION_START && f->start_action)
		return f->start_action;
	if (t == PCF_TRANSITION_TERMINATE && f->terminate_action)
		return f->terminate_action;
	return pcf_transition_name(t);
}

static int terminate(loop *l, pcf_state state)
{
	const pcf_flavor *f = l->p->flavor;

	if (l->p->def->persist_on_termination && l->e->options.strict)
		return conclude(l, PCF_OUTCOME_KEPT, PCF_EREFUSED,
		                "persist_on_termination is set: pcf never deletes it (--strict "
		                "makes that an error)");
	if (l->p->def->persist_on_termination) {
		pcf_particle_log(l->p, PCF_LOG_INFO, "kept: persist_on_termination is set");
		conclude(l, PCF_OUTCOME_KEPT, 0, NULL);
		return 1; /* done, and not converged */
	}
	if ((f->flags & PCF_FLAVOR_DELETES_DATA) && !l->e->options.yes)
		return conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		                "%s deletes its data: rerun with --yes to allow it",
		                action_name(f, PCF_TRANSITION_TERMINATE));
	return run_op(l, op_terminate, action_name(f, PCF_TRANSITION_TERMINATE), NULL, state);
}

/* cJSON_Compare calls two absent values different; here they are the same. */
static int same_value(const cJSON *a, const cJSON *b)
{
	return (!a && !b) || (a && b && cJSON_Compare(a, b, 1));
}

static int same_drift(const pcf_drift *a, const pcf_drift *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++) {
		const pcf_drift_entry *x = &a->entries[i], *y = &b->entries[i];
		if (strcmp(x->path, y->path) != 0 || !same_value(x->desired, y->desired) ||
		    !same_value(x->current, y->current))
			return 0;
	}
	return 1;
}

static void forget_last(loop *l)
{
	free(l->last.action);
	free(l->last.summary);
	cJSON_Delete(l->last.request);
	memset(&l->last, 0, sizeof(l->last));
	pcf_drift_cleanup(&l->last_drift);
	l->have_last = 0;
	l->last_ran_ms = 0;
}

/* Takes step out of plan into l->last, with a copy of the drift it fixes. */
static int remember(loop *l, pcf_plan *plan, const pcf_drift *drift)
{
	forget_last(l);
	l->last = plan->steps[0];
	memset(&plan->steps[0], 0, sizeof(plan->steps[0]));
	l->have_last = 1;
	for (size_t i = 0; i < drift->count; i++)
		if (pcf_drift_add(&l->last_drift, drift->entries[i].path, drift->entries[i].desired,
		                  drift->entries[i].current) < 0)
			return PCF_ENOMEM;
	return 0;
}

static int step_allowed(loop *l, const pcf_step *s)
{
	const pcf_engine_options *o = &l->e->options;

	if ((s->flags & PCF_STEP_REPLACE) && !o->allow_replace)
		return conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		                "%s cannot be done in place (%s): rerun with --allow-replace "
		                "--yes to replace it",
		                s->action, s->summary);
	if ((s->flags & (PCF_STEP_REPLACE | PCF_STEP_DESTRUCTIVE)) && !o->yes)
		return conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		                "%s (%s) destroys data: rerun with --yes to allow it", s->action,
		                s->summary);
	return 0;
}

/* A failure of a flavor operation: its error, or a generic one naming what failed. */
static int failed(loop *l, int rc, const pcf_error *err, const char *what)
{
	l->r->outcome = rc == PCF_ETIMEDOUT ? PCF_OUTCOME_TIMED_OUT : PCF_OUTCOME_FAILED;
	l->r->error = *err;
	if (l->r->error.code >= 0)
		pcf_error_set(&l->r->error, rc, "%s failed", what);
	return rc;
}

/* With the drift and the first planned step, runs it or decides it made no change. */
static int run_first_step(loop *l, pcf_state state, pcf_plan *plan, const pcf_drift *drift)
{
	int rc = step_allowed(l, &plan->steps[0]);

	if (rc < 0)
		return rc;
	/* Judged by the drift, not by the step: a step worded differently the
	 * next time round must not escape the guard. */
	if (l->have_last && same_drift(drift, &l->last_drift)) {
		if (now_ms(l) - l->last_ran_ms < NO_CHANGE_GRACE_MS) {
			/* Reads may lag a write (tags do on AWS): look again for a while. */
			rc = backoff(l, state, "re-reading after a step");
			if (rc == PCF_ECANCELLED)
				return rc;
			return rc < 0 ? timed_out(l, state, "re-reading after a step") : 0;
		}
		return conclude(l, PCF_OUTCOME_FAILED, PCF_ENOCHANGE,
		                "%s (%s) left %s unchanged; not repeating it", l->last.action,
		                l->last.summary, drift->entries[0].path);
	}
	if (now_ms(l) >= l->e->deadline_ms)
		return not_run(l, state, plan->steps[0].action);
	if (remember(l, plan, drift) < 0)
		return conclude(l, PCF_OUTCOME_FAILED, PCF_ENOMEM, "out of memory");
	l->last_ran_ms = now_ms(l);
	return run_op(l, op_step, l->last.action, l->last.summary, state);
}

/*
 * Running and wanted running: compares with the definition and runs the
 * first step of the plan. 1: equivalent; 0: a step ran; < 0: concluded.
 */
static int bring_in_line(loop *l, pcf_state state, const cJSON *current)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_drift drift;
	pcf_plan plan;
	int rc;

	pcf_drift_init(&drift);
	pcf_plan_init(&plan);
	rc = l->ops->diff(&drift, l->p, current, &err);
	if (rc < 0) {
		rc = failed(l, rc, &err, "comparing with the definition");
		goto out;
	}
	/* persist_on_update guards what exists; the steps that finish a creation
	 * of this run (what the create call itself cannot set) are the creation. */
	if (drift.count == 0 || (l->p->def->persist_on_update && !l->created)) {
		if (drift.count)
			pcf_particle_log(l->p, PCF_LOG_INFO,
			                 "differs at %s; left alone (persist_on_update)",
			                 drift.entries[0].path);
		l->r->drift = drift; /* what persist_on_update left alone, if anything */
		pcf_drift_init(&drift);
		rc = 1;
		goto out;
	}
	if (!l->ops->plan || !l->ops->run_step) {
		rc = conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		              "differs at %s, which flavor %s cannot change in place",
		              drift.entries[0].path, l->p->flavor->name);
		goto out;
	}
	rc = l->ops->plan(&plan, l->p, current, &err);
	if (rc < 0) {
		rc = failed(l, rc, &err, "planning");
		goto out;
	}
	if (plan.count == 0) {
		rc = conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		              "differs at %s, and the flavor has no step that changes it",
		              drift.entries[0].path);
		goto out;
	}
	rc = run_first_step(l, state, &plan, &drift);
out:
	pcf_drift_cleanup(&drift);
	pcf_plan_cleanup(&plan);
	return rc;
}

/* One transition from the table; 0 when it ran, 1 when kept, < 0 when concluded. */
static int transition(loop *l, pcf_transition t, pcf_state state)
{
	const pcf_flavor *f = l->p->flavor;
	int rc;

	if (now_ms(l) >= l->e->deadline_ms)
		return not_run(l, state, action_name(f, t));
	switch (t) {
	case PCF_TRANSITION_START:
		rc = run_op(l, op_start, action_name(f, t), NULL, state);
		l->created = l->created || rc == 0;
		return rc;
	case PCF_TRANSITION_STOP:
		return run_op(l, op_stop, action_name(f, t), NULL, state);
	case PCF_TRANSITION_TERMINATE:
		return terminate(l, state);
	default:
		return conclude(l, PCF_OUTCOME_FAILED, PCF_EINTERNAL, "no transition %s",
		                pcf_transition_name(t));
	}
}

/* Turns until converged (0) or concluded otherwise (< 0). */
static int converge(loop *l)
{
	pcf_error err = PCF_ERROR_INIT;
	const cJSON *current;
	pcf_state state;
	pcf_transition t;
	int rc;

	for (;;) {
		pcf_error_clear(&err);
		rc = pcf_engine_read_state(l->e, l->p, &state, &current, &err);
		if (rc < 0)
			return failed(l, rc, &err, "reading the state");
		l->r->state = state;
		l->r->state_read = 1;
		t = pcf_transition_pick(state, l->desired, l->has_stop);
		if (t == PCF_TRANSITION_NONE) {
			if (l->desired != PCF_DESIRED_RUNNING)
				return 0;
			rc = bring_in_line(l, state, current);
			if (rc != 0)
				return rc > 0 ? 0 : rc;
		} else if (t == PCF_TRANSITION_UNAVAILABLE) {
			return conclude(l, PCF_OUTCOME_FAILED, PCF_EUNAVAILABLE,
			                "unavailable%s%s: pcf never acts on it",
			                l->p->pending_detail ? " " : "",
			                l->p->pending_detail ? l->p->pending_detail : "");
		} else if (t == PCF_TRANSITION_WAIT) {
			rc = backoff(l, state, l->p->pending_detail);
			if (rc == PCF_ECANCELLED)
				return rc;
			if (rc < 0)
				return timed_out(l, state, l->p->pending_detail);
		} else {
			forget_last(l);
			rc = transition(l, t, state);
			if (rc != 0)
				return rc < 0 ? rc : 0;
		}
	}
}

int pcf_converge_task(pcf_engine *engine, size_t index, pcf_particle_report *report)
{
	loop l;
	long start = engine->clock.now_ms(engine->clock.ctx);
	int rc;

	memset(&l, 0, sizeof(l));
	l.e = engine;
	l.p = engine->particles[index];
	l.index = index;
	l.r = report;
	l.ops = l.p->flavor->ops;
	l.desired = engine->desired[index];
	l.has_stop = l.ops->stop != NULL;
	l.delay_ms = engine->options.poll_initial_ms;
	l.seed = (unsigned)(index * 2654435761u) ^ (unsigned)start;
	pcf_drift_init(&l.last_drift);

	rc = check_cancel(&l, "it started");
	if (rc == 0)
		rc = guarded(&l, "start of run");
	if (rc == 0) {
		rc = pcf_inherit_resolve(engine, index, 1, &report->error);
		if (rc < 0)
			report->outcome = PCF_OUTCOME_FAILED;
		else
			rc = converge(&l);
	}
	if (rc == 0 && report->outcome != PCF_OUTCOME_KEPT) {
		report->outcome = PCF_OUTCOME_CONVERGED;
		pcf_error_clear(&report->error);
	}
	forget_last(&l);
	if (engine->options.particle_done)
		engine->options.particle_done(l.p, engine->options.guard_payload);
	report->elapsed_ms = engine->clock.now_ms(engine->clock.ctx) - start;
	pcf_engine_emit(engine, PCF_EVENT_DONE, l.p, report->state,
	                pcf_outcome_name(report->outcome));
	return report->outcome == PCF_OUTCOME_CONVERGED ||
	       (report->outcome == PCF_OUTCOME_KEPT && report->error.code >= 0);
}
