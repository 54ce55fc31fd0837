/*
 * What the engine's files share: the engine itself, the injectable clock,
 * the scheduler and the run-time $inherit$ resolver. It sits on top of the
 * engine-free parts (graph.h, inherit.h, transition.h, particle.h), which
 * never include it back: the core's includes form a tree.
 *
 * Time goes through pcf_clock so unit tests can run the converge loop on a
 * fake clock: waiting there advances a counter instead of the wall clock,
 * and no test depends on how fast the machine is.
 */
#ifndef PCF_CORE_ENGINE_INTERNAL_H
#define PCF_CORE_ENGINE_INTERNAL_H

#include <pthread.h>
#include <signal.h>

#include <pcf/engine.h>

#include "core/graph.h"
#include "core/inherit.h"
#include "core/particle.h"
#include "core/transition.h"

typedef struct pcf_clock {
	long (*now_ms)(void *ctx); /* a monotonic time in ms */
	void (*sleep_ms)(long ms, void *ctx);
	void *ctx;
	/* 1: now_ms is CLOCK_MONOTONIC, so the scheduler may wait on a timed
	 * condition (and be woken early); 0: it waits through sleep_ms. */
	int wall;
} pcf_clock;

/* The monotonic wall clock. */
extern const pcf_clock pcf_clock_system;

/* Replaces the engine's clock (tests); clock is copied. */
void pcf_engine_set_clock(pcf_engine *engine, const pcf_clock *clock);

/* What a command does to each particle, run by the scheduler. */
typedef enum pcf_command { PCF_COMMAND_APPLY, PCF_COMMAND_PLAN, PCF_COMMAND_STATUS } pcf_command;

struct pcf_engine {
	const pcf_definitions *defs;
	pcf_engine_options options; /* defaults filled in */
	size_t count;               /* = defs->count */
	pcf_particle **particles;   /* by definition index */
	pcf_desired_state *desired; /* by index; set_desired overrides */
	size_t **parents;           /* by index: indices of each parent */
	size_t *parent_count;
	int *selected; /* by index; all 1 when none selected */
	pcf_clock clock;
	long run_start_ms;
	long deadline_ms;
	struct pcf_sched *sched;         /* the running command's scheduler (change slots) */
	pthread_mutex_t lock;            /* ops->lookup and events */
	volatile sig_atomic_t cancelled; /* pcf_engine_cancel: set from a signal handler */
};

/* One particle's work, all at once (plan, status); returns 1 when its dependents may go ahead. */
typedef int (*pcf_task_fn)(pcf_engine *engine, size_t index, pcf_particle_report *report);

/* What a particle's turn asks the scheduler to do next. */
typedef enum pcf_turn {
	PCF_TURN_GO_AHEAD, /* concluded; dependents may go ahead */
	PCF_TURN_HALT,     /* concluded otherwise; dependents are skipped */
	PCF_TURN_WAIT,     /* take the next turn at *due_ms */
	PCF_TURN_NEED_SLOT /* take the next turn once a change slot is free */
} pcf_turn;

/*
 * One turn of a particle's work: a state read and at most one flavor call,
 * never a sleep. *state is the turn function's own per-particle state,
 * NULL on the first turn; it frees it when concluding.
 */
typedef pcf_turn (*pcf_turn_fn)(pcf_engine *engine, size_t index, pcf_particle_report *report,
                                void **state, long *due_ms);

/*
 * Runs every particle in in_run, each after the particles it waits for
 * (parents first; for two particles both leaving running, children first),
 * by turns (turn) or all at once (once, when turn is NULL). A particle
 * whose prerequisite did not go ahead is reported SKIPPED without running.
 * reports are by definition index.
 */
int pcf_schedule_run(pcf_engine *engine, const int *in_run, pcf_turn_fn turn, pcf_task_fn once,
                     pcf_particle_report *reports, pcf_error *err);
/* Takes one of the options.parallel change slots: 1 taken, 0 none free. */
int pcf_schedule_take_slot(pcf_engine *engine);
/* Gives a taken slot back. */
void pcf_schedule_release_slot(pcf_engine *engine);
/*
 * The shortest wait between two polls of one particle that keeps the whole
 * run's polls under PCF_POLL_RATE a second: the particles waiting now,
 * divided by that rate. 0 outside a run.
 */
long pcf_schedule_poll_floor_ms(pcf_engine *engine);
/*
 * Reads a run may send each second while it waits, all particles together:
 * two fifths of the 2,500 control-plane requests a second that AWS
 * throttles at per account and region, leaving the rest to other runs and
 * clients. Seeing N tables' ends of a hold H a tenth of H late takes
 * N / (H / 10) polls a second: 1000 for 200 tables held 2 s, 170 for 500
 * tables held 30 s as on AWS. bench/engine, 200 tables held 2 s: 1.19 the
 * hold at 12 requests per table with 1000, 1.29 at 7.6 with 500.
 */
#define PCF_POLL_RATE 1000

/* The converge loop (apply) and the read-only tasks (plan, status). */
pcf_turn pcf_converge_turn(pcf_engine *engine, size_t index, pcf_particle_report *report,
                           void **state, long *due_ms);
int pcf_plan_task(pcf_engine *engine, size_t index, pcf_particle_report *report);
int pcf_status_task(pcf_engine *engine, size_t index, pcf_particle_report *report);

/* Reads the live state through the cache; *current stays owned by the particle. */
int pcf_engine_read_state(pcf_engine *engine, pcf_particle *p, pcf_state *state,
                          const cJSON **current, pcf_error *err);

/*
 * Replaces $inherit$flavor:name$path strings in particle i's desired tree
 * with values from its parents' live state. strict: an unresolvable value
 * fails (apply); otherwise it stays as written (plan, status).
 */
int pcf_inherit_resolve(pcf_engine *engine, size_t i, int strict, pcf_error *err);

/* Whether two drifts list the same paths with the same values (the no-progress guard). */
int pcf_drift_same(const pcf_drift *a, const pcf_drift *b);

/* Emits an event to options.on_event, if any. */
void pcf_engine_emit(pcf_engine *engine, pcf_event_kind kind, const pcf_particle *p,
                     pcf_state state, const char *detail);
/* ms since the run started. */
long pcf_engine_elapsed_ms(const pcf_engine *engine);

/* Appends an action name to a report; 0 or PCF_ENOMEM. */
int pcf_report_add_action(pcf_particle_report *report, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
