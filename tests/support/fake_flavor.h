/*
 * A fake, in-memory flavor and a fake clock for the engine's unit tests
 * (tests/unit/core: test_converge.c, test_graph.c, test_inspect.c).
 *
 * This is a fake, not a server: each particle's "resource" is a struct in
 * memory whose pending periods are counted in fake-clock milliseconds, so
 * the converge loop's waits cost no wall-clock time and no test depends
 * on machine speed. Knobs on each resource script what the real service
 * does and the local servers cannot show: LimitExceeded answers, failures,
 * steps that change nothing, unavailable states.
 *
 * The resource's current tree is its properties; the fake's diff is the
 * core's pcf_diff, and its plan is one "Update" step per drifted top-level
 * key (flagged REPLACE for "Key", DESTRUCTIVE for "Wipe").
 */
#ifndef PCF_TEST_FAKE_FLAVOR_H
#define PCF_TEST_FAKE_FLAVOR_H

#include <criterion/criterion.h>
#include <pcf/engine.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine_internal.h"

#define FAKE_MAX 128

typedef struct fake_res {
	char name[64];
	int exists;
	pcf_state status;   /* while it exists: RUNNING, PENDING, STOPPED, UNAVAILABLE */
	int deleting;       /* pending ends with it gone */
	long pending_until; /* fake ms */
	cJSON *props;
	/* knobs */
	long create_ms, update_ms, delete_ms;
	int limit_answers; /* this many LimitExceeded from the next start/terminate/step */
	int quota_reached; /* ... and they say the account's table quota is reached */
	int fail_sync;     /* sync_state fails as if the server were down */
	int fail_start;    /* start fails with PCF_EVALIDATION */
	int noop_steps;    /* steps are accepted and change nothing */
	/* what happened */
	int syncs, starts, stops, terminates, steps;
	long started_at, running_at;
} fake_res;

/* Hand-built definitions, so these tests do not depend on the YAML loader. */
typedef struct fake_spec {
	const char *id; /* "flavor:name" */
	pcf_desired_state desired;
	const char *resource; /* JSON */
	const char *parents;  /* space-separated ids, or NULL */
	int persist_on_termination;
	int persist_on_update;
} fake_spec;

/* The fake's resources, in order of first use, and what happened to them. */
extern fake_res fake_table[FAKE_MAX];
extern size_t fake_count;
extern long fake_now;          /* the fake clock, in ms */
extern int fake_real_sleep_us; /* parallel tests: let threads overlap */
extern int fake_max_in_flight; /* most creations pending at once */
extern char fake_log[4096];    /* "start:a terminate:b ..." in call order */

extern const pcf_clock fake_clock;
extern const pcf_flavor_ops fake_ops;
/* Deletes data like a table; stopped == terminated. */
extern const pcf_flavor fake_flavor;
/* Has a stop op and no plan: drift can only be reported. */
extern const pcf_flavor fake_stop_flavor;
extern const pcf_flavor *const fake_flavors[2];

long fake_clock_now(void *ctx);
/* Forgets every resource and sets the clock back; a suite's .init. */
void fake_reset(void);
/* The resource named name, made (missing, default delays) on first use. */
fake_res *fake_get(const char *name);
/* A resource that already exists, running, with these properties (JSON). */
fake_res *fake_existing(const char *name, const char *props_json);
fake_res *fake_of(pcf_particle *p);

/* The fake's ops, for tests that wrap one of them. */
/* Reads only: "Size", when given, must be a number. */
void fake_validate(const pcf_particle_def *def, pcf_diags *diags);
int fake_sync(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err);
int fake_start(pcf_particle *p, pcf_error *err);
int fake_terminate(pcf_particle *p, pcf_error *err);
int fake_diff(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err);
int fake_run_step(pcf_particle *p, const pcf_step *step, pcf_error *err);

pcf_definitions *fake_defs(const fake_spec *specs, size_t n);
void fake_defs_free(pcf_definitions *defs);
/* An engine on the fake clock with quiet logging, both fake flavors. */
pcf_engine *fake_engine(const pcf_definitions *defs, pcf_engine_options *o);
/* What a test made, for the suites that keep it until the test ends. */
typedef struct fake_run {
	pcf_definitions *defs;
	pcf_engine *engine;
	pcf_run_report *rr;
} fake_run;
extern fake_run run;
/* Frees what run holds and resets the fake: such a suite's .fini. */
void fake_run_end(void);

const pcf_particle_report *report_of(const pcf_run_report *rr, const char *name);

#endif
