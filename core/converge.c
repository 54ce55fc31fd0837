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
 * When the drift a step was meant to fix is still there, unchanged, on the
 * next turn (whatever step is planned now), the step gets a few seconds of
 * re-reads (reads can lag writes), then the particle fails with
 * PCF_ENOCHANGE instead of looping.
 *
 * The waits, the guard and the one place every mutating call goes out
 * are in converge_calls.c.
 */
#include "core/converge_internal.h"

#include <stdlib.h>
#include <string.h>

/* How long a step's effect may take to show in reads before it counts as no change. */
#define NO_CHANGE_GRACE_MS 10000

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
		return loop_conclude(
		    l, PCF_OUTCOME_KEPT, PCF_EREFUSED,
		    "persist_on_termination is set: pcf never deletes it (--strict "
		    "makes that an error)");
	if (l->p->def->persist_on_termination) {
		pcf_particle_log(l->p, PCF_LOG_INFO, "kept: persist_on_termination is set");
		loop_conclude(l, PCF_OUTCOME_KEPT, 0, NULL);
		return 1; /* done, and not converged */
	}
	if ((f->flags & PCF_FLAVOR_DELETES_DATA) && !l->e->options.yes)
		return loop_conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		                     "%s deletes its data: rerun with --yes to allow it",
		                     action_name(f, PCF_TRANSITION_TERMINATE));
	if (loop_need_slot(l))
		return TURN_SLOT;
	return loop_run_op(l, op_terminate, action_name(f, PCF_TRANSITION_TERMINATE), NULL, state);
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
		return loop_conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		                     "%s cannot be done in place (%s): rerun with --allow-replace "
		                     "--yes to replace it",
		                     s->action, s->summary);
	if ((s->flags & (PCF_STEP_REPLACE | PCF_STEP_DESTRUCTIVE)) && !o->yes)
		return loop_conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
		                     "%s (%s) destroys data: rerun with --yes to allow it",
		                     s->action, s->summary);
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
		if (loop_now_ms(l) - l->last_ran_ms < NO_CHANGE_GRACE_MS) {
			/* Reads may lag a write (tags do on AWS): look again for a while. */
			rc = loop_backoff(l, state, "re-reading after a step");
			if (rc == PCF_ECANCELLED)
				return rc;
			return rc < 0 ? loop_timed_out(l, state, "re-reading after a step") : rc;
		}
		return loop_conclude(l, PCF_OUTCOME_FAILED, PCF_ENOCHANGE,
		                     "%s (%s) left %s unchanged; not repeating it", l->last.action,
		                     l->last.summary, drift->entries[0].path);
	}
	if (loop_now_ms(l) >= l->e->deadline_ms)
		return loop_not_run(l, state, plan->steps[0].action);
	if (loop_need_slot(l))
		return TURN_SLOT;
	if (remember(l, plan, drift) < 0)
		return loop_conclude(l, PCF_OUTCOME_FAILED, PCF_ENOMEM, "out of memory");
	l->last_ran_ms = loop_now_ms(l);
	return loop_run_op(l, op_step, l->last.action, l->last.summary, state);
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
		rc = loop_conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
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
		rc = loop_conclude(l, PCF_OUTCOME_REFUSED, PCF_EREFUSED,
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

	if (loop_now_ms(l) >= l->e->deadline_ms)
		return loop_not_run(l, state, action_name(f, t));
	switch (t) {
	case PCF_TRANSITION_START:
		if (loop_need_slot(l))
			return TURN_SLOT;
		return loop_run_op(l, op_start, action_name(f, t), NULL, state);
	case PCF_TRANSITION_STOP:
		if (loop_need_slot(l))
			return TURN_SLOT;
		return loop_run_op(l, op_stop, action_name(f, t), NULL, state);
	case PCF_TRANSITION_TERMINATE:
		return terminate(l, state);
	default:
		return loop_conclude(l, PCF_OUTCOME_FAILED, PCF_EINTERNAL, "no transition %s",
		                     pcf_transition_name(t));
	}
}

/* After a call ran: the next turn reads what it left, as soon as a thread is free. */
static int again(loop *l, int rc)
{
	if (rc != 0)
		return rc;
	l->due_ms = loop_now_ms(l);
	return TURN_WAITS;
}

/* The call a wait left for this turn, made without reading first. */
static int resume(loop *l)
{
	op_fn_ptr op = l->pending_op;

	l->pending_op = NULL;
	if (l->pending_retry)
		return loop_attempt(l, op, l->pending_action, l->pending_summary, l->pending_state);
	return loop_run_op(l, op, l->pending_action, l->pending_summary, l->pending_state);
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

	if (l->waited && loop_check_cancel(l, "the next read") < 0)
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
		return loop_conclude(l, PCF_OUTCOME_FAILED, PCF_EUNAVAILABLE,
		                     "unavailable%s%s: pcf never acts on it",
		                     l->p->pending_detail ? " " : "",
		                     l->p->pending_detail ? l->p->pending_detail : "");
	if (t == PCF_TRANSITION_WAIT) {
		rc = loop_backoff(l, state, l->p->pending_detail);
		if (rc == PCF_ECANCELLED)
			return rc;
		return rc < 0 ? loop_timed_out(l, state, l->p->pending_detail) : rc;
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
	l->start_ms = loop_now_ms(l);
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
	int rc = loop_check_cancel(l, "it started");

	if (rc < 0)
		return rc;
	/* The guard (a lock) comes before the first read: a run that waited
	 * for it must not act on a state read before it held it. */
	rc = loop_guarded(l, "start of run", &err);
	if (loop_retryable(rc, &err)) {
		rc = loop_refused_wait(l, l->r->state, &err);
		if (rc == PCF_ECANCELLED)
			return rc;
		return rc < 0 ? loop_conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
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
	report->elapsed_ms = loop_now_ms(l) - l->start_ms;
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
