/*
 * The engine: converges a set of particles to their desired states.
 *
 * For each selected particle it reads the live state, picks PCF's
 * transition (terminated->running start, running->terminated terminate,
 * running->stopped stop, stopped->running start, stopped->terminated
 * terminate), waits while pending with capped backoff, then runs the
 * flavor's plan one step at a time until the particle is equivalent to its
 * definition or the deadline passes. Parents converge before children;
 * independent particles converge in parallel.
 *
 * Ownership: the engine borrows defs, flavors and services for its whole
 * life; a pcf_run_report is freed with pcf_run_report_free.
 */
#ifndef PCF_ENGINE_H
#define PCF_ENGINE_H

#include <stddef.h>

#include <pcf/export.h>
#include <pcf/common.h>
#include <pcf/definitions.h>
#include <pcf/flavor.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcf_engine pcf_engine;

/* Progress events, e.g. to draw "waiting for orders (CREATING) 12s". */
typedef enum pcf_event_kind {
	PCF_EVENT_STATE,   /* a state was read */
	PCF_EVENT_ACTION,  /* a transition or step is about to run */
	PCF_EVENT_WAITING, /* waiting while pending */
	PCF_EVENT_DONE     /* the particle reached its outcome */
} pcf_event_kind;

typedef struct pcf_event {
	pcf_event_kind kind;
	const char *particle; /* id "flavor:name" */
	pcf_state state;
	const char *detail; /* action name, or what is pending */
	long elapsed_ms;
} pcf_event;

/* MUST be thread-safe: workers call it. */
typedef void (*pcf_event_fn)(const pcf_event *event, void *payload);

/*
 * A guard apply consults for each particle it converges (a lease lock,
 * pcf/lock.h): before its first state read (action "start of run") and
 * before every mutating flavor call (start, stop, terminate, run_step;
 * action is its name). 0 lets it go ahead; < 0 with err filled fails that
 * particle with err (nothing is sent) while unrelated particles go on,
 * unless err->retryable is set: refused for now, the particle waits
 * err->retry_after_ms (0: the engine's backoff; within the run's timeout)
 * holding no call thread, and the guard is asked again. MUST be
 * thread-safe: workers call it, never twice at once for one particle.
 * SHOULD NOT sleep: a guard that waits in the call holds one of the few
 * call threads, and the run's cancel does not interrupt it.
 */
typedef int (*pcf_guard_fn)(const pcf_particle *p, const char *action, pcf_error *err,
                            void *payload);
/* Called once when apply is done with a particle, whatever its outcome. */
typedef void (*pcf_guard_done_fn)(const pcf_particle *p, void *payload);

typedef struct pcf_engine_options {
	const pcf_flavor *const *flavors; /* the registry: flavors by name */
	size_t flavor_count;
	void *services;          /* handed to flavors (pcf_particle_services) */
	int parallel;            /* particles changing at once; 0: 250 */
	long timeout_ms;         /* per run; 0: 1800000 (30 min) */
	long poll_initial_ms;    /* first wait while pending; 0: 200 (grows by 1/10) */
	long poll_max_ms;        /* backoff cap; 0: 5000 */
	long state_cache_ttl_ms; /* reuse a state read this fresh; 0: 1000, < 0: never */
	int allow_replace;       /* --allow-replace */
	int yes;                 /* --yes: deletions and replacements allowed */
	pcf_logger logger;
	pcf_event_fn on_event;
	void *payload; /* for on_event */
	int strict;    /* --strict: a particle KEPT by persist_on_termination fails the run */
	pcf_guard_fn before_change;      /* NULL: no guard */
	pcf_guard_done_fn particle_done; /* NULL: nothing to do */
	void *guard_payload;             /* for both */
} pcf_engine_options;

/* Designated, so that no value can shift onto another field when one is added (a field
 * left out is 0); every field is named so that C++ -Wextra stays quiet. */
#define PCF_ENGINE_OPTIONS_INIT                                                                    \
	{                                                                                          \
		.flavors = NULL, .flavor_count = 0, .services = NULL, .parallel = 0,               \
		.timeout_ms = 0, .poll_initial_ms = 0, .poll_max_ms = 0, .state_cache_ttl_ms = 0,  \
		.allow_replace = 0, .yes = 0, .logger = PCF_LOGGER_INIT, .on_event = NULL,         \
		.payload = NULL, .strict = 0, .before_change = NULL, .particle_done = NULL,        \
		.guard_payload = NULL                                                              \
	}

/* A flavor from a registry by name, or NULL; borrowed from the registry. */
PCF_EXTERN const pcf_flavor *pcf_flavor_find(const pcf_flavor *const *flavors, size_t count,
                                             const char *name);

/*
 * The explicit normalising step, and the only call that changes a loaded
 * definition: runs each particle's flavor normalize op (e.g. YAML's
 * `TableName: 2024` becomes the string "2024"). Call it once, between
 * pcf_definitions_load and pcf_engine_validate, as pcf's CLI does;
 * validate and the engine only read definitions. Particles of an unknown
 * flavor are left for validate to report. 0, or the first op's error
 * prefixed with the particle's name.
 */
PCF_EXTERN int pcf_engine_normalize(pcf_definitions *defs, const pcf_flavor *const *flavors,
                                    size_t flavor_count, pcf_error *err);

/*
 * Checks what needs every particle together and the flavors: every
 * flavor of the registry has the operations flavor.h marks MUST (else a
 * diag naming the flavor and the operation, and PCF_EINVAL), known
 * flavors, each flavor's validate, parents that exist, cycles among
 * parents, and two particles naming the same resource (the flavors'
 * resource_name). Linear or n log n in the number of particles. Particles
 * of a partial load (pcf_definitions_load_partial) that lack a name or
 * flavor are skipped. Never changes defs. Adds problems to diags; returns
 * PCF_EDEFINITION when there are any, PCF_ENOMEM. No network.
 */
PCF_EXTERN int pcf_engine_validate(const pcf_definitions *defs, const pcf_flavor *const *flavors,
                                   size_t flavor_count, pcf_diags *diags);
/*
 * pcf_engine_validate as the run made with options will see the
 * definitions: the flavors are options->flavors, and options->services
 * goes to each flavor's resource_name, so that what a particle leaves to
 * the run (a DynamoDB table without region_name is in the run's region)
 * is compared as the run resolves it. Reads no other option. No network.
 */
PCF_EXTERN int pcf_engine_validate_with(const pcf_definitions *defs,
                                        const pcf_engine_options *options, pcf_diags *diags);

/*
 * A new engine, freed with pcf_engine_free. PCF_EINVAL when a flavor of
 * options.flavors lacks an operation flavor.h marks MUST (the message
 * names the flavor and the operation); PCF_EDEFINITION for a particle of
 * an unknown flavor.
 */
PCF_EXTERN int pcf_engine_new(pcf_engine **out, const pcf_definitions *defs,
                              const pcf_engine_options *options, pcf_error *err);
PCF_EXTERN void pcf_engine_free(pcf_engine *engine);

/*
 * Restricts the run to these selectors ("name" or "flavor:name") and, for
 * apply, the ancestors of those to be running (a particle being deleted
 * needs no parents). None selected: all. PCF_ENOTFOUND names the first
 * unknown selector.
 */
PCF_EXTERN int pcf_engine_select(pcf_engine *engine, const char *const *selectors, size_t count,
                                 pcf_error *err);

/* Overrides every selected particle's desired state (run/stop/terminate). */
PCF_EXTERN void pcf_engine_set_desired(pcf_engine *engine, pcf_desired_state state);

/*
 * persist_on_termination: terminate leaves the resource and reports it
 * KEPT, a success, as PCF does, even with --yes; with options.strict it is
 * KEPT with a PCF_EREFUSED error and fails the run, like Terraform's
 * prevent_destroy. persist_on_update: drift
 * of a resource that existed before the run is left alone; apply reports
 * CONVERGED (with the drift in the report), status IN_SYNC (drift listed),
 * plan no steps. A resource the run created still gets the steps that
 * finish its creation (what the create call cannot set).
 */
typedef enum pcf_outcome {
	PCF_OUTCOME_CONVERGED, /* at desired state and equivalent */
	PCF_OUTCOME_CHANGES,   /* plan/status: changes pending or drift */
	PCF_OUTCOME_IN_SYNC,   /* plan/status: nothing to do */
	PCF_OUTCOME_FAILED,
	PCF_OUTCOME_TIMED_OUT,
	PCF_OUTCOME_REFUSED,  /* needed --yes / --allow-replace, or protected */
	PCF_OUTCOME_SKIPPED,  /* a parent failed */
	PCF_OUTCOME_KEPT,     /* terminate left it: persist_on_termination */
	PCF_OUTCOME_CANCELLED /* pcf_engine_cancel stopped it (Ctrl-C) */
} pcf_outcome;

/* "converged", "changes", ...; a static string, never freed. */
PCF_EXTERN const char *pcf_outcome_name(pcf_outcome outcome);

/* Owned by its pcf_run_report: def is borrowed from the engine's
 * definitions; drift, plan, actions and error are freed with the report. */
typedef struct pcf_particle_report {
	const pcf_particle_def *def;
	pcf_outcome outcome;
	pcf_state state; /* last state read; see state_read */
	pcf_drift drift; /* status, plan: what differs; apply: what
	                  * persist_on_update left alone */
	pcf_plan plan;   /* plan: what apply would do */
	char **actions;  /* apply: each action run, in order */
	size_t action_count;
	pcf_error error; /* FAILED/TIMED_OUT/REFUSED (KEPT under strict): why */
	long elapsed_ms;
	int state_read; /* 1: state is the last read of this run; 0:
	                 * unknown (SKIPPED, the read failed, or a change
	                 * was sent after the last read) */
} pcf_particle_report;

typedef struct pcf_run_report {
	pcf_particle_report *particles; /* in definition order, selected only */
	size_t count;
} pcf_run_report;

/* Frees a report from apply/plan/status and everything in it. */
PCF_EXTERN void pcf_run_report_free(pcf_run_report *report);

/*
 * Converges every selected particle (and the ancestors of those to be
 * running, see pcf_engine_select). Returns 0 when all
 * converged, else the code of the first particle (in definition order)
 * that failed or was refused; when none did, of the first cancelled
 * (PCF_ECANCELLED), then of the first that timed out (PCF_ETIMEDOUT),
 * SKIPPED ones coming last as they only follow from the others; err
 * receives that particle's error. *out is set
 * whenever the run took place, failures included; each particle's report
 * says its own outcome; the caller frees it with pcf_run_report_free.
 * Not thread-safe: one run per engine at a time.
 */
PCF_EXTERN int pcf_engine_apply(pcf_run_report **out, pcf_engine *engine, pcf_error *err);
/*
 * Asks a running apply to stop; async-signal-safe (it only sets a flag), so
 * a SIGINT handler may call it. Each particle stops before its next
 * mutating call or wait (waits wake within about 100 ms); a request in
 * flight completes. Stopped particles, and those not started yet, are
 * CANCELLED (PCF_ECANCELLED) with what they did in their actions;
 * dependents of a cancelled particle are SKIPPED. The engine stays
 * cancelled: later runs on it are cancelled at once.
 */
PCF_EXTERN void pcf_engine_cancel(pcf_engine *engine);
/*
 * Reads state and computes, per selected particle, the steps apply would
 * take (outcome CHANGES or IN_SYNC); changes nothing. Returns as apply
 * does: a particle whose state cannot be read (FAILED) or whose plan
 * would be refused (REFUSED) makes it non-zero.
 */
PCF_EXTERN int pcf_engine_plan(pcf_run_report **out, pcf_engine *engine, pcf_error *err);
/* Reads state and drift per selected particle: IN_SYNC when at the desired
 * state without drift, else CHANGES; FAILED when unreadable. */
PCF_EXTERN int pcf_engine_status(pcf_run_report **out, pcf_engine *engine, pcf_error *err);

#ifdef __cplusplus
}
#endif
#endif
