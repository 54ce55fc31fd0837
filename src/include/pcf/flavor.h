/*
 * The flavor interface: what a kind of resource (a DynamoDB table, a config
 * store) supplies to the engine. For flavor authors; users of the engine
 * need only engine.h.
 *
 * A flavor is a descriptor pointing to a const operations table. The engine
 * owns the states, the transition table, waiting, backoff, timeouts, caching
 * of state reads, the dependency graph and parallelism; operations never
 * sleep and never loop waiting for the service.
 *
 * Every operation may be called from any engine worker thread, but never
 * for the same particle from two threads at once.
 */
#ifndef PCF_FLAVOR_H
#define PCF_FLAVOR_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/export.h>
#include <pcf/definitions.h>
#include <pcf/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Live states, as PCF names them. */
typedef enum pcf_state {
	PCF_STATE_RUNNING,
	PCF_STATE_PENDING, /* changing; wait */
	PCF_STATE_STOPPED,
	PCF_STATE_TERMINATED,
	PCF_STATE_MISSING,    /* does not exist; counts as terminated */
	PCF_STATE_UNAVAILABLE /* exists in a state pcf never acts on */
} pcf_state;

/* "running", "pending", ...; a static string, never freed. */
PCF_EXTERN const char *pcf_state_name(pcf_state state);

/* A particle at run time: its definition, desired tree and flavor context. */
typedef struct pcf_particle pcf_particle;

struct pcf_flavor;

/*
 * The engine makes particles itself; this is for tests and tools that drive
 * a flavor's operations directly. def and services are borrowed and must
 * outlive the particle; desired starts as a copy of def->aws_resource.
 * Free with pcf_particle_free (which calls the flavor's release).
 */
PCF_EXTERN int pcf_particle_new(pcf_particle **out, const pcf_particle_def *def,
                                const struct pcf_flavor *flavor, void *services, pcf_error *err);
PCF_EXTERN void pcf_particle_free(pcf_particle *p);

/* Borrowed: the engine's (or pcf_particle_new's) def, for the particle's life. */
PCF_EXTERN const pcf_particle_def *pcf_particle_definition(const pcf_particle *p);
/* aws_resource with $inherit$ values resolved; borrowed until the particle is freed. */
PCF_EXTERN const cJSON *pcf_particle_desired(const pcf_particle *p);
/* What the engine's user passed as options.services (a DynamoDB client pool, say). */
PCF_EXTERN void *pcf_particle_services(const pcf_particle *p);
/* Per-particle storage for the flavor; freed with ops->release. */
PCF_EXTERN void *pcf_particle_flavor_data(const pcf_particle *p);
PCF_EXTERN void pcf_particle_set_flavor_data(pcf_particle *p, void *data);
/*
 * For start, stop, terminate and run_step whose answer tells the resource's
 * state (CreateTable answers the table's description): the engine takes
 * state and current (taken; NULL for none) as its next read instead of
 * asking the service again at once. Offer a settled state only with a
 * current as complete as sync_state would read; pending needs none. Call
 * pcf_particle_set_pending_detail first to say what a pending one waits on.
 */
PCF_EXTERN void pcf_particle_offer_state(pcf_particle *p, pcf_state state, cJSON *current);
/*
 * Inside start, stop, terminate and run_step: the state read the engine
 * decided this call on, in this same turn, so the call need not ask the
 * service again (a terminate checking deletion protection, say). 1 with
 * *state and *current (borrowed for the call; NULL when sync_state gave
 * none) when there is one; 0 when the call was decided on an older read
 * (it was retried after a wait): then read it yourself.
 */
PCF_EXTERN int pcf_particle_last_read(pcf_state *state, const cJSON **current,
                                      const pcf_particle *p);

/*
 * What a pending particle waits on, e.g. "table CREATING, index by_email
 * CREATING". A flavor MAY call this from sync_state; the engine shows it
 * while waiting and names it when the deadline passes. Cleared by the
 * engine before each sync_state; fmt NULL clears it.
 */
PCF_EXTERN void pcf_particle_set_pending_detail(pcf_particle *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The last detail set, or NULL; borrowed until the next sync_state. */
PCF_EXTERN const char *pcf_particle_pending_detail(const pcf_particle *p);
/* Logs through the engine's logger, prefixed with the particle id. */
PCF_EXTERN void pcf_particle_log(const pcf_particle *p, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One step of a plan: one call the service accepts on its own. */
#define PCF_STEP_DESTRUCTIVE 0x1u /* deletes data: needs --yes */
#define PCF_STEP_REPLACE     0x2u /* cannot be done in place: needs --allow-replace */

/* A step owns its strings and request; pcf_plan_cleanup frees them. */
typedef struct pcf_step {
	char *action;   /* e.g. "UpdateTable"; what plan -o json calls "action" */
	char *summary;  /* one line for a reviewer: "ReadCapacityUnits 5 -> 10" */
	cJSON *request; /* flavor-private: what run_step will send */
	unsigned flags;
} pcf_step;

typedef struct pcf_plan {
	pcf_step *steps;
	size_t count;
	size_t capacity;
} pcf_plan;

PCF_EXTERN void pcf_plan_init(pcf_plan *plan);
PCF_EXTERN void pcf_plan_cleanup(pcf_plan *plan);
/* Appends a step, taking ownership of request (may be NULL) even on failure. */
PCF_EXTERN int pcf_plan_add_take(pcf_plan *plan, const char *action, cJSON *request, unsigned flags,
                                 const char *summary_fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* One difference between desired and current; owns its path and trees
 * (pcf_drift_cleanup frees them). */
typedef struct pcf_drift_entry {
	char *path;     /* e.g.
	                   "GlobalSecondaryIndexes[by_email].ProvisionedThroughput.ReadCapacityUnits" */
	cJSON *desired; /* NULL: absent from the definition */
	cJSON *current; /* NULL: absent from the live resource */
} pcf_drift_entry;

typedef struct pcf_drift {
	pcf_drift_entry *entries;
	size_t count;
	size_t capacity;
} pcf_drift;

PCF_EXTERN void pcf_drift_init(pcf_drift *drift);
PCF_EXTERN void pcf_drift_cleanup(pcf_drift *drift);
/* Copies path, desired and current (either tree may be NULL); the drift owns the copies. */
PCF_EXTERN int pcf_drift_add(pcf_drift *drift, const char *path, const cJSON *desired,
                             const cJSON *current);

/*
 * The core's structural diff, for flavors to call from ops->diff. Compares
 * desired against current and records every path where they differ
 * (appending to out, which the caller initialised; 0 or PCF_ENOMEM):
 * - a field absent from desired is never drift (what the user left out);
 * - keys listed in `ignore` (dotted paths, "*" matches one segment) are skipped;
 * - lists whose elements are objects with a field named in `list_keys`
 *   (e.g. "IndexName", "AttributeName", "Key") are compared as sets keyed by
 *   that field, and paths use "[key]"; other lists compare ignoring order;
 * - numbers compare by value (a string holding a number equals that
 *   number), strings exactly; an empty list or object in desired equals an
 *   absent one in current.
 */
typedef struct pcf_diff_options {
	const char *const *ignore;    /* NULL-terminated, may be NULL */
	const char *const *list_keys; /* NULL-terminated, may be NULL */
	/* NULL-terminated, may be NULL: keyed lists (paths as in ignore) whose
	 * elements found only in current are not drift, e.g. indexes made by
	 * others. Elsewhere a keyed element only in current is drift with
	 * desired NULL, at "List[key]". */
	const char *const *open_lists;
} pcf_diff_options;

PCF_EXTERN int pcf_diff(pcf_drift *out, const cJSON *desired, const cJSON *current,
                        const pcf_diff_options *options);

/*
 * Parameter filter: a new object holding only the listed top-level keys of
 * src that are present (PCF's START/UPDATE filters). src NULL or not an
 * object gives an empty object. Caller frees; NULL only when out of memory.
 */
PCF_EXTERN cJSON *pcf_filter_keys(const cJSON *src, const char *const *keys);

typedef struct pcf_flavor_ops {
	/* MUST: check def->aws_resource, reporting each problem with
	 * pcf_particle_def_report / pcf_schema_check. Only reads: the
	 * definition is the same byte for byte afterwards (rewriting is
	 * normalize's job). No network. */
	void (*validate)(const pcf_particle_def *def, pcf_diags *diags);

	/* MAY: rewrite def->aws_resource to the shape the other operations
	 * read (pcf_schema_normalize: `TableName: 2024` becomes "2024").
	 * Called once per particle by pcf_engine_normalize, after loading and
	 * before validate; never by the engine's runs. 0 or a PCF_E code. */
	int (*normalize)(pcf_particle_def *def, pcf_error *err);

	/* MUST: read the live resource. Sets *state and *current (the live
	 * description as a new tree, NULL when missing, that the engine then
	 * owns and frees with cJSON_Delete). Never waits. */
	int (*sync_state)(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err);

	/* MUST: create the resource from pcf_particle_desired (missing -> running). */
	int (*start)(pcf_particle *p, pcf_error *err);

	/* MAY: running -> stopped. NULL: stop means terminate. */
	int (*stop)(pcf_particle *p, pcf_error *err);

	/* MUST: delete the resource (running -> terminated). */
	int (*terminate)(pcf_particle *p, pcf_error *err);

	/* MUST: the drift between pcf_particle_desired and current (running),
	 * appended to out (engine storage, freed by the engine). Empty drift
	 * means equivalent. current is borrowed for the call. */
	int (*diff)(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err);

	/* MAY: the steps that bring a running resource in line, in the order
	 * they must run. current NULL: the steps that follow start (TTL after
	 * CreateTable, say). NULL op: drift can only be reported. */
	int (*plan)(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err);

	/* MUST if plan is set: run one step from the latest plan. Never waits:
	 * the engine re-reads the state and waits for running between steps. */
	int (*run_step)(pcf_particle *p, const pcf_step *step, pcf_error *err);

	/* MAY: a one-line summary of what start will create, for plan output,
	 * as a new string the engine frees with free(); NULL: none. */
	char *(*describe_start)(pcf_particle *p);

	/* MAY: a value for $inherit$flavor:name$path, looked up in current
	 * (NULL: the engine looks path up in current, then in desired).
	 * Returns a new tree the engine frees with cJSON_Delete, or NULL when
	 * there is no such value. */
	cJSON *(*lookup)(pcf_particle *p, const cJSON *current, const char *path);

	/* MAY: frees what the flavor hung on the particle. */
	void (*release)(pcf_particle *p);

	/* MAY: the live resource def declares, named for a user ("table orders
	 * in region eu-west-1"), as a new string the caller frees; NULL when def
	 * does not say (or out of memory). validate refuses two particles that
	 * name the same resource: each apply would undo the other's changes.
	 * Particles of all flavors are compared, so a flavor managing the same
	 * kind of resource as another uses the same words, and a default the
	 * run fills in is named as the run resolves it (the run's region), so
	 * that a default and the same value written out compare equal.
	 * services is the run's options.services, or NULL when validating
	 * without one: then name defaults as written ("in the run's region"). */
	char *(*resource_name)(const pcf_particle_def *def, void *services);

	/* MAY: a one-line summary of what terminate deletes, naming it as the
	 * service does ("delete table orders-prod"), for plan output. NULL: the
	 * action and the particle's name. Returns a new string the engine
	 * frees with free(). */
	char *(*describe_terminate)(pcf_particle *p);
} pcf_flavor_ops;

#define PCF_FLAVOR_DELETES_DATA 0x1u /* terminate destroys data: needs --yes */
/* The flavor honours the envelope's ignore_changes (its diff and plan keep
 * the live values there); validate refuses ignore_changes in a particle of
 * a flavor without this flag, which would drop it without a word. */
#define PCF_FLAVOR_IGNORE_CHANGES 0x2u

typedef struct pcf_flavor {
	const char *name;             /* "dynamodb_table" */
	unsigned flags;               /* PCF_FLAVOR_... */
	const char *start_action;     /* shown in plans, e.g. "CreateTable" */
	const char *terminate_action; /* e.g. "DeleteTable" */
	const pcf_flavor_ops *ops;
} pcf_flavor;

#ifdef __cplusplus
}
#endif
#endif
