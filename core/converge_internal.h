/*
 * What the two halves of the converge loop share: the particle's loop
 * state, and the waits and calls (converge_calls.c) the state machine
 * (converge.c) drives. Private to those two files.
 */
#ifndef PCF_CORE_CONVERGE_INTERNAL_H
#define PCF_CORE_CONVERGE_INTERNAL_H

#include "core/engine_internal.h"

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

/* A turn that scheduled a wait (above 1, which means done without a change). */
#define TURN_WAITS 2
/* A turn that needs a change slot first. */
#define TURN_SLOT 3

/* Sets the particle's outcome and error; returns code for the caller to pass on. */
int loop_conclude(loop *l, pcf_outcome outcome, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A refusal that passes with time (the service client's verdict). */
int loop_retryable(int rc, const pcf_error *err);
/* The engine's clock. */
long loop_now_ms(const loop *l);
/* When the engine was cancelled, concludes CANCELLED (before doing what) and returns < 0. */
int loop_check_cancel(loop *l, const char *what);
/* A wait for the live state to change (grows by a tenth): TURN_WAITS,
 * PCF_ETIMEDOUT when no time is left, PCF_ECANCELLED (concluded). */
int loop_backoff(loop *l, pcf_state state, const char *why);
/* A refusal for now waited out: as long as err says, else a throttle's backoff. */
int loop_refused_wait(loop *l, pcf_state state, const pcf_error *err);
/* The next turn makes this call without reading first; TURN_WAITS. */
int loop_pend(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state,
              int retry);
/* Concludes TIMED_OUT, still in state, waiting on what (may be NULL). */
int loop_timed_out(loop *l, pcf_state state, const char *waiting_on);
/* The deadline passed before action could run. */
int loop_not_run(loop *l, pcf_state state, const char *action);
/* The engine's one call to options.before_change; a refusal fills err. */
int loop_guarded(loop *l, const char *action, pcf_error *err);
/* One attempt of an operation: a refusal for now schedules a retry. */
int loop_attempt(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state);
/* Runs an operation (or schedules it, after a pause or a refusal); 0 when it ran. */
int loop_run_op(loop *l, op_fn_ptr op, const char *action, const char *summary, pcf_state state);
/* Takes a change slot before the first change; TURN_SLOT when none is free. */
int loop_need_slot(loop *l);

#endif
