/*
 * Engines for the tests that converge against a fake server: every
 * particle flavor, quick polls and consent given, so that a test waits on
 * what it checks and not on the engine's production pacing.
 */
#ifndef PCF_TESTS_QUICK_ENGINE_H
#define PCF_TESTS_QUICK_ENGINE_H

#include <pcf/definitions.h>
#include <pcf/engine.h>
#include <pcf/particles.h>

#include "fake_http.h"

/* The definitions in yaml (named pcf.yml); the test fails if they do not load. */
pcf_definitions *pcf_test_load_defs(const char *yaml);

/*
 * An engine over defs and services giving up after timeout_ms, polling
 * every 10 to 50 ms, with --yes; the test fails if it cannot be made.
 */
pcf_engine *pcf_test_quick_engine(const pcf_definitions *defs, pcf_services *services,
                                  long timeout_ms);

/* Frees what a test's engine run leaves; any of them may be NULL. */
void pcf_test_engine_free_all(pcf_run_report *report, pcf_engine *engine, pcf_definitions *defs,
                              pcf_services *services);

/* What a test converging against a fake server holds. */
typedef struct pcf_test_fake_run {
	pcf_fake_server *server;
	pcf_services *services;
	pcf_definitions *defs;
	pcf_run_report *report; /* the last run's */
} pcf_test_fake_run;

/*
 * Starts the fake server (handler, payload), services for us-east-1 on it
 * trying each call max_attempts times (0: the transport's default) and the
 * definitions in yaml; the test fails if any cannot be made.
 */
void pcf_test_fake_run_start(pcf_test_fake_run *r, pcf_fake_handler handler, void *payload,
                             int max_attempts, const char *yaml);

/* Frees all of r and stops its server. */
void pcf_test_fake_run_stop(pcf_test_fake_run *r);

#endif
