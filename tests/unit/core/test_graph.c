/*
 * The dependency graph on the fake flavor: parents before children,
 * children deleted before parents, failures that stop dependents but not
 * unrelated particles, the parallel bound, selection and validation.
 */
#include "diags_count.h"
#include "fake_flavor.h"

TestSuite(graph, .init = fake_reset, .fini = fake_run_end);

static int apply(const fake_spec *s, size_t n, pcf_engine_options *o)
{
	pcf_error err = PCF_ERROR_INIT;
	run.defs = fake_defs(s, n);
	run.engine = fake_engine(run.defs, o);
	return pcf_engine_apply(&run.rr, run.engine, &err);
}

/* Users and orders, a child of users; both to run. */
static const fake_spec users_and_orders[] = {
    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
    {"fake:orders", PCF_DESIRED_RUNNING, "{}", "fake:users", 0, 0},
};

/* Position of "what:name" in the fake's call log, or -1. */
static long logged_at(const char *entry)
{
	const char *hit = strstr(fake_log, entry);
	return hit ? hit - fake_log : -1;
}

Test(graph, parents_converge_before_children)
{
	fake_spec s[] = {
	    {"fake:orders", PCF_DESIRED_RUNNING, "{}", "fake:users fake:config", 0, 0},
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:config", PCF_DESIRED_RUNNING, "{}", "fake:users", 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;

	cr_assert_eq(apply(s, 3, &o), 0);
	cr_assert_eq(run.rr->count, 3);
	cr_assert_str_eq(run.rr->particles[0].def->name, "orders", "reports keep definition order");
	for (size_t i = 0; i < 3; i++)
		cr_assert_eq(run.rr->particles[i].outcome, PCF_OUTCOME_CONVERGED);
	fake_res *users = fake_get("users"), *config = fake_get("config"),
	         *orders = fake_get("orders");
	cr_assert_geq(config->started_at, users->running_at);
	cr_assert_geq(orders->started_at, config->running_at);
	cr_assert_lt(logged_at("start:users"), logged_at("start:config"));
	cr_assert_lt(logged_at("start:config"), logged_at("start:orders"));
}

Test(graph, children_are_deleted_before_parents)
{
	fake_spec s[] = {
	    {"fake:users", PCF_DESIRED_TERMINATED, "{}", NULL, 0, 0},
	    {"fake:orders", PCF_DESIRED_TERMINATED, "{}", "fake:users", 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	o.yes = 1;
	fake_existing("users", "{}");
	fake_existing("orders", "{}");

	cr_assert_eq(apply(s, 2, &o), 0);
	cr_assert_lt(logged_at("terminate:orders"), logged_at("terminate:users"), "%s", fake_log);
	cr_assert_eq(fake_get("users")->exists, 0);
	cr_assert_eq(fake_get("orders")->exists, 0);
}

Test(graph, failure_skips_dependents_but_not_unrelated_particles)
{
	fake_spec s[] = {
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:orders", PCF_DESIRED_RUNNING, "{}", "fake:users", 0, 0},
	    {"fake:lines", PCF_DESIRED_RUNNING, "{}", "fake:orders", 0, 0},
	    {"fake:audit", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	fake_get("users")->fail_start = 1;

	cr_assert_eq(apply(s, 4, &o), PCF_EVALIDATION, "the root cause, not the skips");
	cr_assert_eq(report_of(run.rr, "users")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_SKIPPED);
	cr_assert_eq(report_of(run.rr, "orders")->state_read, 0);
	cr_assert_eq(report_of(run.rr, "users")->state_read, 1);
	cr_assert_eq(report_of(run.rr, "orders")->error.code, PCF_EDEPENDENCY);
	cr_assert(strstr(report_of(run.rr, "orders")->error.message, "fake:users"));
	cr_assert_eq(report_of(run.rr, "lines")->outcome, PCF_OUTCOME_SKIPPED);
	cr_assert(strstr(report_of(run.rr, "lines")->error.message, "fake:orders"));
	cr_assert_eq(report_of(run.rr, "audit")->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_eq(fake_get("orders")->starts + fake_get("lines")->starts, 0);
	cr_assert_eq(fake_get("orders")->syncs, 0, "a skipped particle is not even read");
}

Test(graph, timeout_of_a_parent_skips_its_children)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	o.timeout_ms = 10000;
	fake_get("users")->create_ms = 60000;

	cr_assert_eq(apply(users_and_orders, 2, &o), PCF_ETIMEDOUT);
	cr_assert_eq(report_of(run.rr, "users")->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_SKIPPED);
}

Test(graph, independent_particles_run_in_parallel_within_the_bound)
{
	fake_spec s[12];
	char ids[12][32];
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	for (int i = 0; i < 12; i++) {
		snprintf(ids[i], sizeof(ids[i]), "fake:t%d", i);
		s[i] = (fake_spec){ids[i], PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	}
	o.parallel = 3;
	fake_real_sleep_us = 2000; /* waits take a little real time so workers overlap */

	cr_assert_eq(apply(s, 12, &o), 0);
	for (size_t i = 0; i < run.rr->count; i++)
		cr_assert_eq(run.rr->particles[i].outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_leq(fake_max_in_flight, 3);
	cr_assert_geq(fake_max_in_flight, 2, "particles did run side by side");
}

Test(graph, parallel_one_runs_one_at_a_time)
{
	fake_spec s[] = {
	    {"fake:a", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:b", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:c", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	o.parallel = 1;
	fake_real_sleep_us = 1000;

	cr_assert_eq(apply(s, 3, &o), 0);
	cr_assert_eq(fake_max_in_flight, 1);
}

Test(graph, selecting_a_child_applies_its_parents_too)
{
	fake_spec s[] = {
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:orders", PCF_DESIRED_RUNNING, "{}", "fake:users", 0, 0},
	    {"fake:audit", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	const char *sel[] = {"orders"};
	const char *bad[] = {"fake:orders", "nope"};
	run.defs = fake_defs(s, 3);
	run.engine = fake_engine(run.defs, &o);

	cr_assert_eq(pcf_engine_select(run.engine, bad, 2, &err), PCF_ENOTFOUND);
	cr_assert(strstr(err.message, "nope"));
	cr_assert_eq(pcf_engine_select(run.engine, sel, 1, &err), 0);
	cr_assert_eq(pcf_engine_apply(&run.rr, run.engine, &err), 0);
	cr_assert_eq(run.rr->count, 2);
	cr_assert_eq(fake_get("audit")->syncs, 0);
	cr_assert_eq(fake_get("users")->starts, 1);
	pcf_run_report_free(run.rr);

	/* status reports only the selection. */
	cr_assert_eq(pcf_engine_status(&run.rr, run.engine, &err), 0);
	cr_assert_eq(run.rr->count, 1);
	cr_assert_str_eq(run.rr->particles[0].def->name, "orders");
}

/* Applies users_and_orders with --yes, only selected chosen and its desired
 * state overridden to terminated. */
static int terminate_only(const char *selected)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	o.yes = 1;
	run.defs = fake_defs(users_and_orders, 2);
	run.engine = fake_engine(run.defs, &o);
	cr_assert_eq(pcf_engine_select(run.engine, &selected, 1, NULL), 0);
	pcf_engine_set_desired(run.engine, PCF_DESIRED_TERMINATED);
	return pcf_engine_apply(&run.rr, run.engine, NULL);
}

Test(graph, set_desired_overrides_only_the_selection)
{
	fake_existing("users", "{}");
	fake_existing("orders", "{}");

	cr_assert_eq(terminate_only("fake:orders"), 0);
	cr_assert_eq(fake_get("orders")->exists, 0);
	cr_assert_eq(fake_get("users")->exists, 1);
	cr_assert_eq(fake_get("users")->terminates, 0);
	cr_assert_eq(run.rr->count, 1, "deleting a child does not converge its parents");
}

Test(graph, deleting_a_child_never_creates_its_missing_parent)
{
	fake_existing("orders", "{}");

	cr_assert_eq(terminate_only("orders"), 0);
	cr_assert_eq(fake_get("users")->starts, 0);
	cr_assert_eq(fake_get("users")->syncs, 0);
	cr_assert_eq(fake_get("orders")->exists, 0);
}

Test(graph, a_cycle_fails_its_particles_instead_of_hanging)
{
	fake_spec s[] = {
	    {"fake:a", PCF_DESIRED_RUNNING, "{}", "fake:b", 0, 0},
	    {"fake:b", PCF_DESIRED_RUNNING, "{}", "fake:a", 0, 0},
	    {"fake:c", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;

	cr_assert_eq(apply(s, 3, &o), PCF_EDEPENDENCY);
	cr_assert_eq(report_of(run.rr, "a")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(report_of(run.rr, "b")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(report_of(run.rr, "c")->outcome, PCF_OUTCOME_CONVERGED);
}

Test(graph, validate_reports_unknown_flavors_cycles_and_bad_inherits)
{
	fake_spec s[] = {
	    {"nosuch:x", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:a", PCF_DESIRED_RUNNING, "{}", "fake:b", 0, 0},
	    {"fake:b", PCF_DESIRED_RUNNING, "{}", "fake:a", 0, 0},
	    {"fake:c", PCF_DESIRED_RUNNING,
	     "{\"P\":\"$inherit$fake:x$Arn\",\"Q\":[\"$inherit$broken\"],\"R\":\"$inherit$fake:a$"
	     "Arn\"}",
	     "fake:a", 0, 0},
	    {"fake:d", PCF_DESIRED_RUNNING, "{}", "fake:ghost", 0, 0},
	};
	pcf_diags diags;
	run.defs = fake_defs(s, 5);
	pcf_diags_init(&diags);

	cr_assert_eq(pcf_engine_validate(run.defs, fake_flavors, 2, &diags), PCF_EDEFINITION);
	char all[4096] = "";
	for (size_t i = 0; i < diags.count; i++) {
		size_t len = strlen(all);
		snprintf(all + len, sizeof(all) - len, "%s\n", diags.items[i].message);
	}
	cr_assert(strstr(all, "flavor: expected a known flavor, found nosuch"), "%s", all);
	cr_assert(strstr(all, "cycle"), "%s", all);
	cr_assert(strstr(all, "aws_resource.P: expected $inherit$ to name a parent, found fake:x"),
	          "%s", all);
	cr_assert(strstr(all, "aws_resource.Q[0]: expected $inherit$flavor:name$path"), "%s", all);
	cr_assert(strstr(all, "ghost"), "%s", all);
	cr_assert_null(strstr(all, "aws_resource.R"), "a parent's value is fine: %s", all);
	pcf_diags_cleanup(&diags);
}

Test(graph, validate_accepts_a_good_graph)
{
	fake_spec s[] = {
	    {"fake:a", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:b", PCF_DESIRED_RUNNING, "{\"X\":\"$inherit$fake:a$Arn\"}", "fake:a", 0, 0},
	};
	pcf_diags diags;
	run.defs = fake_defs(s, 2);
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_engine_validate(run.defs, fake_flavors, 2, &diags), 0);
	cr_assert_eq(diags.count, 0);
	pcf_diags_cleanup(&diags);
}

Test(graph, unknown_flavor_fails_engine_new)
{
	fake_spec s[] = {{"nosuch:x", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0}};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_engine *e = (pcf_engine *)&err;
	run.defs = fake_defs(s, 1);
	o.flavors = fake_flavors;
	o.flavor_count = 2;
	cr_assert_eq(pcf_engine_new(&e, run.defs, &o, &err), PCF_EDEFINITION);
	cr_assert_null(e);
	cr_assert(strstr(err.message, "nosuch"));
}

static int event_kinds[4];
static pthread_mutex_t event_lock = PTHREAD_MUTEX_INITIALIZER;

static void count_event(const pcf_event *ev, void *payload)
{
	cr_assert_eq(payload, &event_kinds);
	cr_assert_not_null(ev->particle);
	pthread_mutex_lock(&event_lock);
	event_kinds[ev->kind]++;
	pthread_mutex_unlock(&event_lock);
}

Test(graph, events_report_progress)
{
	fake_spec s[] = {
	    {"fake:a", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:b", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	memset(event_kinds, 0, sizeof(event_kinds));
	o.on_event = count_event;
	o.payload = &event_kinds;

	cr_assert_eq(apply(s, 2, &o), 0);
	cr_assert_eq(event_kinds[PCF_EVENT_ACTION], 2);
	cr_assert_eq(event_kinds[PCF_EVENT_DONE], 2);
	cr_assert_geq(event_kinds[PCF_EVENT_WAITING], 2);
	cr_assert_geq(event_kinds[PCF_EVENT_STATE], 4);
}

/* A flavor whose particles name their resource by aws_resource.Name. */
static char *named_resource(const pcf_particle_def *def, void *services)
{
	(void)services;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(def->aws_resource, "Name");
	char text[128];
	if (!cJSON_IsString(name))
		return NULL;
	snprintf(text, sizeof(text), "thing %s", name->valuestring);
	return strdup(text);
}

static const pcf_flavor_ops named_ops = {.validate = fake_validate,
                                         .sync_state = fake_sync,
                                         .start = fake_start,
                                         .terminate = fake_terminate,
                                         .diff = fake_diff,
                                         .resource_name = named_resource};
static const pcf_flavor named_flavor = {"named", 0, "Create", "Delete", &named_ops};
static const pcf_flavor *const named_flavors[] = {&named_flavor, &fake_flavor};

Test(graph, validate_refuses_two_particles_declaring_one_resource)
{
	fake_spec s[] = {
	    {"named:first", PCF_DESIRED_RUNNING, "{\"Name\":\"x\"}", NULL, 0, 0},
	    {"named:other", PCF_DESIRED_RUNNING, "{\"Name\":\"y\"}", NULL, 0, 0},
	    {"named:second", PCF_DESIRED_RUNNING, "{\"Name\":\"x\"}", NULL, 0, 0},
	    {"named:unnamed", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:plain", PCF_DESIRED_RUNNING, "{\"Name\":\"x\"}", NULL, 0, 0},
	};
	pcf_diags diags;
	run.defs = fake_defs(s, 5);
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_engine_validate(run.defs, named_flavors, 2, &diags), PCF_EDEFINITION);
	cr_assert_eq(diags.count, 1);
	cr_assert(strstr(diags.items[0].message, "thing x"), "%s", diags.items[0].message);
	cr_assert(strstr(diags.items[0].message, "named:first"), "%s", diags.items[0].message);
	cr_assert(strstr(diags.items[0].message, "named:second"), "%s", diags.items[0].message);
	pcf_diags_cleanup(&diags);
}

/* A chain of n particles, each the parent of the next; cycle: the first's parent is the last. */
static pcf_definitions *chain(size_t n, int cycle)
{
	fake_spec *s = calloc(n, sizeof(*s));
	char(*ids)[32] = calloc(n, sizeof(*ids));
	pcf_definitions *d;
	cr_assert(s && ids);
	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "fake:p%zu", i);
		s[i].id = ids[i];
		s[i].desired = PCF_DESIRED_RUNNING;
		s[i].resource = "{}";
	}
	for (size_t i = 1; i < n; i++)
		s[i].parents = ids[i - 1];
	if (cycle)
		s[0].parents = ids[n - 1];
	d = fake_defs(s, n);
	free(s);
	free(ids);
	return d;
}

/* 1,600 took 6.2 s and 5,000 over a minute with the cubic check; the timeout is generous. */
Test(graph, validate_checks_a_long_chain_quickly, .timeout = 30)
{
	pcf_diags diags;
	run.defs = chain(5000, 0);
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_engine_validate(run.defs, fake_flavors, 2, &diags), 0);
	pcf_diags_cleanup(&diags);
	fake_defs_free(run.defs);
	run.defs = chain(5000, 1);
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_engine_validate(run.defs, fake_flavors, 2, &diags), PCF_EDEFINITION);
	cr_assert_eq(diags_count(&diags, "cycle"), 1, "one cycle, reported once");
	pcf_diags_cleanup(&diags);
}

/* One particle with 20,000 parents, each named by a $inherit$: linear, not quadratic. */
Test(graph, validate_checks_many_parents_and_inherits_quickly, .timeout = 30)
{
	const size_t n = 20000;
	pcf_diags diags;
	pcf_particle_def *child;

	run.defs = chain(n + 1, 0);
	child = &run.defs->particles[n];
	for (size_t k = 0; k < child->parent_count; k++)
		free(child->parents[k]);
	free(child->parents);
	child->parents = calloc(n, sizeof(char *));
	child->parent_count = n;
	cJSON_Delete(child->aws_resource);
	child->aws_resource = cJSON_CreateObject();
	for (size_t k = 0; k < n; k++) {
		char id[64], ref[96];
		snprintf(id, sizeof(id), "fake:p%zu", k);
		snprintf(ref, sizeof(ref), "$inherit$%s$Arn", id);
		child->parents[k] = strdup(id);
		cJSON_AddItemToObject(child->aws_resource, id, cJSON_CreateString(ref));
	}
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_engine_validate(run.defs, fake_flavors, 2, &diags), 0, "%s",
	             diags.count ? diags.items[0].message : "");
	pcf_diags_cleanup(&diags);
}
