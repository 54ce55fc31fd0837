/*
 * The converge loop's waits and calls (see converge.c for the turns).
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
 * growing by a quarter as a throttle should; a lock held elsewhere names
 * its own wait (loop_refused_wait). Every mutating call waits one backoff
 * after the previous one, so no path can send them back to back, and
 * every one goes out through call_mutating, after the guard.
 */
#include "core/converge_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Sets the particle's outcome and error; returns code for the caller to pass on. */
int loop_conclude(loop *l, pcf_outcome outcome, int code, const char *fmt, ...)
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
int loop_retryable(int rc, const pcf_error *err)
{
	return rc < 0 && err->retryable;
}

long loop_now_ms(const loop *l)
{
	return l->e->clock.now_ms(l->e->clock.ctx);
}

/* When the engine was cancelled, concludes CANCELLED (before doing what) and returns < 0. */
int loop_check_cancel(loop *l, const char *what)
{
	if (!l->e->cancelled)
		return 0;
	return loop_conclude(l, PCF_OUTCOME_CANCELLED, PCF_ECANCELLED,
	                     "cancelled: stopped before %s; rerun to continue", what);
}

/*
 * Schedules a wait of about d ms, bounded by the deadline: the scheduler
 * takes the next turn once it ends. TURN_WAITS; PCF_ETIMEDOUT when no time
 * is left; PCF_ECANCELLED (concluded) when cancelled.
 */
static int wait_for(loop *l, pcf_state state, const char *why, long d)
{
	long now = loop_now_ms(l), left = l->e->deadline_ms - now;
	long floor_ms = pcf_schedule_poll_floor_ms(l->e);

	if (loop_check_cancel(l, "waiting") < 0)
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
int loop_refused_wait(loop *l, pcf_state state, const pcf_error *err)
{
	if (err->retry_after_ms > 0)
		return wait_for(l, state, err->message, err->retry_after_ms);
	return backoff_by(l, state, err->message, 4);
}

/* A wait for the live state to change: grows by a tenth. */
int loop_backoff(loop *l, pcf_state state, const char *why)
{
	return backoff_by(l, state, why, 10);
}

/* The next turn makes this call without reading first. */
int loop_pend(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state,
              int retry)
{
	l->pending_op = op;
	l->pending_action = action;
	l->pending_summary = summary;
	l->pending_state = state;
	l->pending_retry = retry;
	return TURN_WAITS;
}

int loop_timed_out(loop *l, pcf_state state, const char *waiting_on)
{
	return loop_conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
	                     "timed out after %ld ms: still %s%s%s", pcf_engine_elapsed_ms(l->e),
	                     pcf_state_name(state), waiting_on ? ": " : "",
	                     waiting_on ? waiting_on : "");
}

/* The deadline passed before action could run. */
int loop_not_run(loop *l, pcf_state state, const char *action)
{
	return loop_conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
	                     "timed out after %ld ms: still %s, %s not run",
	                     pcf_engine_elapsed_ms(l->e), pcf_state_name(state), action);
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
int loop_guarded(loop *l, const char *action, pcf_error *err)
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
	int rc = loop_guarded(l, action, err);

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
int loop_attempt(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc = call_mutating(l, op, action, &err);

	if (loop_retryable(rc, &err)) {
		pcf_particle_log(l->p, PCF_LOG_INFO, "%s refused for now (%s); backing off", action,
		                 err.message);
		if ((rc = loop_refused_wait(l, state, &err)) == PCF_ECANCELLED)
			return rc;
		if (rc < 0)
			return loop_conclude(l, PCF_OUTCOME_TIMED_OUT, PCF_ETIMEDOUT,
			                     "timed out after %ld ms: %s still refused: %s",
			                     pcf_engine_elapsed_ms(l->e), action, err.message);
		return loop_pend(l, op, action, summary, state, 1);
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
	return rc < 0 ? loop_conclude(l, PCF_OUTCOME_FAILED, rc, "out of memory") : 0;
}

/* Runs an operation (or schedules it, after a pause or a refusal); 0 when it ran. */
int loop_run_op(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state)
{
	int rc;

	/* Whatever path led here, two mutating calls never go out back to back:
	 * a call the server took without visible effect must not become a flood. */
	if (l->unwaited) {
		rc = loop_backoff(l, state, "pausing between changes");
		if (rc < 0)
			return rc == PCF_ECANCELLED ? rc : loop_not_run(l, state, action);
		return loop_pend(l, op, action, summary, state, 0);
	}
	if (loop_check_cancel(l, action) < 0)
		return PCF_ECANCELLED;
	pcf_engine_emit(l->e, PCF_EVENT_ACTION, l->p, state, action);
	return loop_attempt(l, op, action, summary, state);
}

/* Takes a change slot before the first change; TURN_SLOT when none is free. */
int loop_need_slot(loop *l)
{
	if (l->holds_slot)
		return 0;
	if (!pcf_schedule_take_slot(l->e))
		return TURN_SLOT;
	l->holds_slot = 1;
	return 0;
}
