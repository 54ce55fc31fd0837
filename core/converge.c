/*
 * The converge loop for one particle (apply), as turns of a state machine
 * that the scheduler (schedule.c) drives.
 *
 * Each turn reads the live state (through the short-lived cache), asks the
 * transition table what to do, and does exactly one thing: schedule a wait
 * while pending, run a transition, or run the first step of the flavor's
 * plan. The next turn reads again. Running one step per turn keeps the
 * flavor's plans simple (they are recomputed from the state each step left
 * behind) and makes every wait between steps the same wait. A turn never
 * sleeps: a wait is a due time handed back to the scheduler, so a waiting
 * particle holds no thread.
 *
 * Waits back off from poll_initial_ms (an eighth of it after a change),
 * growing by a tenth each time up to poll_max_ms, with 5% jitter either
 * way, and never past the run's deadline. Growing by a tenth bounds how
 * late a transition is seen to about a tenth of the time already waited,
 * for about 24 reads per tenfold of waiting (10 at a quarter); the whole
 * run's reads stay under PCF_POLL_RATE a second however many particles
 * wait (pcf_schedule_poll_floor_ms), so the cost of polling is bounded by
 * the rate, not by the number of tables. LimitExceeded from the control
 * plane (too many tables changing at once) is waited out the same way,
 * growing by a quarter as a throttle should. When the drift a step was
 * meant to fix is still there, unchanged, on the next turn (whatever step
 * is planned now), the step gets a few seconds of re-reads (reads can lag
 * writes), then the particle fails with PCF_ENOCHANGE instead of looping.
 * Every mutating call waits one backoff after the previous one, so no path
 * can send them back to back, and every one goes out through
 * call_mutating.
 */
#include "core/engine_internal.h"

#include <stdlib.h>
#include <string.h>

/* How long a step's effect may take to show in reads before it counts as no change. */
#define NO_CHANGE_GRACE_MS 10000

typedef struct loop loop;
typedef int (*op_fn_ptr)(loop *l, pcf_error *err);

struct loop {
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
	long start_ms;
	long due_ms;    /* when the wait scheduled last ends */
	int waited;     /* the turn starts after a wait */
	int holds_slot; /* one of --parallel's change slots */
	int admitted;   /* the guard let it start: its state may be read */
	/* A call to make at the next turn without a new read: after the pause
	 * between two changes, or when the last attempt was refused for now. */
	op_fn_ptr pending_op;
	const char *pending_action, *pending_summary;
	pcf_state pending_state;
	int pending_retry; /* the ACTION event was already sent */
};

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

/* A turn that scheduled a wait (above 1, which means done without a change). */
#define TURN_WAITS 2
/* A turn that needs a change slot first. */
#define TURN_SLOT 3

/* When the engine was cancelled, concludes CANCELLED (before doing what) and returns < 0. */
static int check_cancel(loop *l, const char *what)
{
	if (!l->e->cancelled)
		return 0;
	return conclude(l, PCF_OUTCOME_CANCELLED, PCF_ECANCELLED,
	                "cancelled: stopped before %s; rerun to continue", what);
}

/*
 * Schedules a wait of about d ms, bounded by the deadline: the scheduler
 * takes the next turn once it ends. TURN_WAITS; PCF_ETIMEDOUT when no time
 * is left; PCF_ECANCELLED (concluded) when cancelled.
 */
static int wait_for(loop *l, pcf_state state, const char *why, long d)
{
	long now = now_ms(l), left = l->e->deadline_ms - now;
	long floor_ms = pcf_schedule_poll_floor_ms(l->e);

	if (check_cancel(l, "waiting") < 0)
		return PCF_ECANCELLED;
	if (left <= 0)
		return PCF_ETIMEDOUT;
	if (d < floor_ms)
		d = floor_ms;
	/* +-5%, so that particles started together do not poll in lockstep. */
	d += (long)(rand_r(&l->seed) % (unsigned)(d / 10 + 1)) - d / 20;
	if (d > left)
		d = left;
	pcf_engine_emit(l->e, PCF_EVENT_WAITING, l->p, state, why);
	l->due_ms = now + d;
	l->waited = 1;
	pcf_particle_cache_drop(l->p);
	l->unwaited = 0;
	return TURN_WAITS;
}

/* One backoff interval (wait_for), which grows by 1/growth_divisor for the next. */
static int backoff_by(loop *l, pcf_state state, const char *why, int growth_divisor)
{
	int rc = wait_for(l, state, why, l->delay_ms);

	if (rc != TURN_WAITS)
		return rc;
	l->delay_ms += l->delay_ms / growth_divisor > 0 ? l->delay_ms / growth_divisor : 1;
	if (l->delay_ms > l->e->options.poll_max_ms)
		l->delay_ms = l->e->options.poll_max_ms;
	return rc;
}

/*
 * A refusal for now: as long as it says (a lock held elsewhere names when
 * to look again), else a throttle's backoff, which grows by a quarter.
 */
static int refused_wait(loop *l, pcf_state state, const pcf_error *err)
{
	if (err->retry_after_ms > 0)
		return wait_for(l, state, err->message, err->retry_after_ms);
	return backoff_by(l, state, err->message, 4);
}

/* A wait for the live state to change: grows by a tenth. */
static int backoff(loop *l, pcf_state state, const char *why)
{
	return backoff_by(l, state, why, 10);
}

/* The next turn makes this call without reading first. */
static int pend(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state,
                int retry)
{
	l->pending_op = op;
	l->pending_action = action;
	l->pending_summary = summary;
	l->pending_state = state;
	l->pending_retry = retry;
	return TURN_WAITS;
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
 * the particle's start and before every mutating call. A refusal fills err
 * and fails the particle before anything is sent; one for now
 * (err->retryable: a lock held elsewhere) is waited out by the caller.
 */
static int guarded(loop *l, const char *action, pcf_error *err)
{
	const pcf_engine_options *o = &l->e->options;
	int rc;

	if (!o->before_change)
		return 0;
	rc = o->before_change(l->p, action, err, o->guard_payload);
	if (rc >= 0)
		return 0;
	if (err && err->code >= 0)
		pcf_error_set(err, rc, "not allowed to run %s", action);
	return rc;
}

/*
 * Every mutating flavor call (start, stop, terminate, run_step) goes out
 * here and nowhere else, after the guard; the caller holds a change slot.
 */
static int call_mutating(loop *l, op_fn_ptr op, const char *action, pcf_error *err)
{
	int rc = guarded(l, action, err);

	if (rc < 0)
		return rc;
	l->unwaited = 1;
	/* What the call answers may become the next read (pcf_particle_offer_state);
	 * the read it was decided on stays visible to it (pcf_particle_last_read). */
	pcf_particle_cache_to_last_read(l->p);
	rc = op(l, err);
	pcf_particle_last_read_drop(l->p);
	return rc;
}

/* One attempt of an operation: LimitExceeded schedules a retry; records the action. */
static int attempt(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc = call_mutating(l, op, action, &err);

	if (retryable(rc, &err)) {
		pcf_particle_log(l->p, PCF_LOG_INFO, "%s refused for now (%s); backing off", action,
		                 err.message);
		if ((rc = refused_wait(l, state, &err)) == PCF_ECANCELLED)
			return rc;
		if (rc < 0)
			return conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
			                "timed out after %ld ms: %s still refused: %s",
			                pcf_engine_elapsed_ms(l->e), action, err.message);
		return pend(l, op, action, summary, state, 1);
	}
	if (rc < 0) {
		/* The run's deadline cut the operation short (the transport's wait). */
		l->r->outcome = rc == PCF_ETIMEDOUT    ? PCF_OUTCOME_TIMED_OUT
		                : rc == PCF_ECANCELLED ? PCF_OUTCOME_CANCELLED
		                                       : PCF_OUTCOME_FAILED;
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
	l->r->state_read = 0; /* changed since the last read: unknown until the next */
	/* The call's own answer stands for the read that used to follow it at
	 * once, so that read is spent early instead: the polls after a change
	 * start at an eighth of the initial wait (25 ms by default), so a
	 * transition a few hundred ms away is not overshot by the first waits. */
	l->delay_ms = l->e->options.poll_initial_ms / 8 > 0 ? l->e->options.poll_initial_ms / 8 : 1;
	return rc < 0 ? conclude(l, PCF_OUTCOME_FAILED, rc, "out of memory") : 0;
}

/* Runs an operation (or schedules it, after a pause or a refusal); 0 when it ran. */
static int run_op(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state)
{
	int rc;

	/* Whatever path led here, two mutating calls never go out back to back:
	 * a call the server took without visible effect must not become a flood. */
	if (l->unwaited) {
		rc = backoff(l, state, "pausing between changes");
		if (rc < 0)
			return rc == PCF_ECANCELLED ? rc : not_run(l, state, action);
		return pend(l, op, action, summary, state, 0);
	}
	if (check_cancel(l, action) < 0)
		return PCF_ECANCELLED;
	pcf_engine_emit(l->e, PCF_EVENT_ACTION, l->p, state, action);
	return attempt(l, op, action, summary, state);
}

/* Takes a change slot before the first change; TURN_SLOT when none is free. */
static int need_slot(loop *l)
{
	if (l->holds_slot)
		return 0;
	if (!pcf_schedule_take_slot(l->e))
		return TURN_SLOT;
	l->holds_slot = 1;
	return 0;
}

static int op_start(loop *l, pcf_error *err)
{
	int rc = l->ops->start(l->p, err);

	l->created = l->created || rc == 0;
	return rc;
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
	if (need_slot(l))
		return TURN_SLOT;
	return run_op(l, op_terminate, action_name(f, PCF_TRANSITION_TERMINATE), NULL, state);
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
	if (l->have_last && pcf_drift_same(drift, &l->last_drift)) {
		if (now_ms(l) - l->last_ran_ms < NO_CHANGE_GRACE_MS) {
			/* Reads may lag a write (tags do on AWS): look again for a while. */
			rc = backoff(l, state, "re-reading after a step");
			if (rc == PCF_ECANCELLED)
				return rc;
			return rc < 0 ? timed_out(l, state, "re-reading after a step") : rc;
		}
		return conclude(l, PCF_OUTCOME_FAILED, PCF_ENOCHANGE,
		                "%s (%s) left %s unchanged; not repeating it", l->last.action,
		                l->last.summary, drift->entries[0].path);
	}
	if (now_ms(l) >= l->e->deadline_ms)
		return not_run(l, state, plan->steps[0].action);
	if (need_slot(l))
		return TURN_SLOT;
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

/* One transition from the table; 0 when it ran, 1 when kept, < 0 when concluded, else
 * TURN_WAITS or TURN_SLOT. */
static int transition(loop *l, pcf_transition t, pcf_state state)
{
	const pcf_flavor *f = l->p->flavor;

	if (now_ms(l) >= l->e->deadline_ms)
		return not_run(l, state, action_name(f, t));
	switch (t) {
	case PCF_TRANSITION_START:
		if (need_slot(l))
			return TURN_SLOT;
		return run_op(l, op_start, action_name(f, t), NULL, state);
	case PCF_TRANSITION_STOP:
		if (need_slot(l))
			return TURN_SLOT;
		return run_op(l, op_stop, action_name(f, t), NULL, state);
	case PCF_TRANSITION_TERMINATE:
		return terminate(l, state);
	default:
		return conclude(l, PCF_OUTCOME_FAILED, PCF_EINTERNAL, "no transition %s",
		                pcf_transition_name(t));
	}
}

/* After a call ran: the next turn reads what it left, as soon as a thread is free. */
static int again(loop *l, int rc)
{
	if (rc != 0)
		return rc;
	l->due_ms = now_ms(l);
	return TURN_WAITS;
}

/* The call a wait left for this turn, made without reading first. */
static int resume(loop *l)
{
	op_fn_ptr op = l->pending_op;

	l->pending_op = NULL;
	if (l->pending_retry)
		return attempt(l, op, l->pending_action, l->pending_summary, l->pending_state);
	return run_op(l, op, l->pending_action, l->pending_summary, l->pending_state);
}

/*
 * One turn: converged (0), concluded otherwise (< 0), a wait scheduled
 * (TURN_WAITS, l->due_ms) or a change slot wanted first (TURN_SLOT).
 */
static int turn(loop *l)
{
	pcf_error err = PCF_ERROR_INIT;
	const cJSON *current;
	pcf_state state;
	pcf_transition t;
	int rc;

	if (l->waited && check_cancel(l, "the next read") < 0)
		return PCF_ECANCELLED;
	l->waited = 0;
	if (l->pending_op)
		return again(l, resume(l));
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
		return rc == 1 ? 0 : again(l, rc);
	}
	if (t == PCF_TRANSITION_UNAVAILABLE)
		return conclude(l, PCF_OUTCOME_FAILED, PCF_EUNAVAILABLE,
		                "unavailable%s%s: pcf never acts on it",
		                l->p->pending_detail ? " " : "",
		                l->p->pending_detail ? l->p->pending_detail : "");
	if (t == PCF_TRANSITION_WAIT) {
		rc = backoff(l, state, l->p->pending_detail);
		if (rc == PCF_ECANCELLED)
			return rc;
		return rc < 0 ? timed_out(l, state, l->p->pending_detail) : rc;
	}
	forget_last(l);
	rc = transition(l, t, state);
	return rc == 1 ? 0 : again(l, rc);
}

static loop *loop_new(pcf_engine *engine, size_t index, pcf_particle_report *report)
{
	loop *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->e = engine;
	l->p = engine->particles[index];
	l->index = index;
	l->r = report;
	l->ops = l->p->flavor->ops;
	l->desired = engine->desired[index];
	l->has_stop = l->ops->stop != NULL;
	l->delay_ms = engine->options.poll_initial_ms;
	l->start_ms = now_ms(l);
	l->seed = (unsigned)(index * 2654435761u) ^ (unsigned)l->start_ms;
	pcf_drift_init(&l->last_drift);
	return l;
}

/*
 * The turns before the first read: cancelled before it started, the guard
 * (a lock) refusing for now (a wait, then this again) or for good, or
 * $inherit$ values unresolved; then the first turn proper.
 */
static int begin(loop *l)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc = check_cancel(l, "it started");

	if (rc < 0)
		return rc;
	/* The guard (a lock) comes before the first read: a run that waited
	 * for it must not act on a state read before it held it. */
	rc = guarded(l, "start of run", &err);
	if (retryable(rc, &err)) {
		rc = refused_wait(l, l->r->state, &err);
		if (rc == PCF_ECANCELLED)
			return rc;
		return rc < 0 ? conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
		                         "timed out after %ld ms, not started: %s",
		                         pcf_engine_elapsed_ms(l->e), err.message)
		              : rc;
	}
	if (rc < 0) {
		l->r->outcome = rc == PCF_ECANCELLED ? PCF_OUTCOME_CANCELLED : PCF_OUTCOME_FAILED;
		l->r->error = err;
		return rc;
	}
	l->admitted = 1;
	rc = pcf_inherit_resolve(l->e, l->index, 1, &l->r->error);
	if (rc < 0) {
		l->r->outcome = PCF_OUTCOME_FAILED;
		return rc;
	}
	return turn(l);
}

static int has_children(const pcf_engine *e, size_t index)
{
	for (size_t i = 0; i < e->count; i++)
		for (size_t k = 0; k < e->parent_count[i]; k++)
			if (e->parents[i][k] == index)
				return 1;
	return 0;
}

/* Concludes the particle's report; returns whether its dependents may go ahead. */
static int finish_loop(loop *l, int rc)
{
	pcf_particle_report *report = l->r;
	int go;

	if (rc == 0 && report->outcome != PCF_OUTCOME_KEPT) {
		report->outcome = PCF_OUTCOME_CONVERGED;
		pcf_error_clear(&report->error);
	}
	forget_last(l);
	/* The last read is what a concluded particle holds most of (a whole
	 * table's description); only its children's $inherit$ values may still
	 * want it (inherit.c), so a particle without children lets it go. */
	if (!has_children(l->e, l->index))
		pcf_particle_cache_drop(l->p);
	if (l->e->options.particle_done)
		l->e->options.particle_done(l->p, l->e->options.guard_payload);
	if (l->holds_slot)
		pcf_schedule_release_slot(l->e);
	report->elapsed_ms = now_ms(l) - l->start_ms;
	pcf_engine_emit(l->e, PCF_EVENT_DONE, l->p, report->state,
	                pcf_outcome_name(report->outcome));
	go = report->outcome == PCF_OUTCOME_CONVERGED ||
	     (report->outcome == PCF_OUTCOME_KEPT && report->error.code >= 0);
	free(l);
	return go;
}

pcf_turn pcf_converge_turn(pcf_engine *engine, size_t index, pcf_particle_report *report,
                           void **state, long *due_ms)
{
	loop *l = *state;
	int rc;

	if (!l) {
		l = loop_new(engine, index, report);
		if (!l) {
			report->outcome = PCF_OUTCOME_FAILED;
			pcf_error_set(&report->error, PCF_ENOMEM, "out of memory");
			return PCF_TURN_HALT;
		}
		*state = l;
	}
	rc = l->admitted ? turn(l) : begin(l);
	if (rc == TURN_SLOT)
		return PCF_TURN_NEED_SLOT;
	if (rc == TURN_WAITS) {
		*due_ms = l->due_ms;
		return PCF_TURN_WAIT;
	}
	*state = NULL;
	return finish_loop(l, rc) ? PCF_TURN_GO_AHEAD : PCF_TURN_HALT;
}
