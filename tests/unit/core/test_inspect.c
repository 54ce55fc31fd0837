/*
 * plan and status on the fake flavor: what apply would do, and the live
 * state and drift, without changing anything.
 */
#include "fake_flavor.h"

TestSuite(inspect, .init = fake_reset, .fini = fake_run_end);

static void setup(const fake_spec *s, size_t n)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	run.defs = fake_defs(s, n);
	run.engine = fake_engine(run.defs, &o);
}

/* Sets up the engine over s and plans: plan's code, its report in run.rr. */
static int plan_specs(const fake_spec *s, size_t n)
{
	setup(s, n);
	return pcf_engine_plan(&run.rr, run.engine, NULL);
}

/* Sets up the engine over s and reads the status into run.rr. */
static int status_specs(const fake_spec *s, size_t n)
{
	setup(s, n);
	return pcf_engine_status(&run.rr, run.engine, NULL);
}

/* plan_specs succeeds; the report of the particle named name. */
static const pcf_particle_report *planned(const fake_spec *s, size_t n, const char *name)
{
	cr_assert_eq(plan_specs(s, n), 0);
	return report_of(run.rr, name);
}

/* status_specs succeeds; the report of the particle named name. */
static const pcf_particle_report *status_read(const fake_spec *s, size_t n, const char *name)
{
	cr_assert_eq(status_specs(s, n), 0);
	return report_of(run.rr, name);
}

static int no_changes_made(void)
{
	int changes = 0;
	for (size_t i = 0; i < fake_count; i++)
		changes += fake_table[i].starts + fake_table[i].steps + fake_table[i].terminates +
		           fake_table[i].stops;
	return changes == 0;
}

Test(inspect, plan_of_a_missing_particle_starts_it_then_follows_up)
{
	fake_spec s[] = {{"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0}};
	const pcf_particle_report *r = planned(s, 1, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(r->state, PCF_STATE_MISSING);
	cr_assert_eq(r->plan.count, 2);
	cr_assert_str_eq(r->plan.steps[0].action, "Create");
	cr_assert_str_eq(r->plan.steps[0].summary, "orders");
	cr_assert_str_eq(r->plan.steps[1].action, "AfterStart");
	cr_assert(no_changes_made());
}

Test(inspect, plan_of_a_drifted_particle_lists_its_steps)
{
	fake_spec s[] = {
	    {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2,\"Key\":\"b\"}", NULL, 0, 0}};
	fake_existing("orders", "{\"Size\":1,\"Key\":\"a\"}");
	const pcf_particle_report *r = planned(s, 1, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(r->plan.count, 2);
	cr_assert_str_eq(r->plan.steps[0].summary, "Size changes");
	cr_assert_eq(r->plan.steps[1].flags, PCF_STEP_REPLACE);
	cr_assert_eq(r->drift.count, 2);
	cr_assert(no_changes_made());
}

Test(inspect, plan_of_a_converged_particle_is_empty)
{
	fake_spec s[] = {{"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0}};
	fake_existing("orders", "{\"Size\":1,\"TableStatus\":\"ACTIVE\"}");
	cr_assert_eq(plan_specs(s, 1), 0);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_IN_SYNC);
	cr_assert_eq(report_of(run.rr, "orders")->plan.count, 0);
}

Test(inspect, plan_of_a_termination_is_destructive_or_kept)
{
	fake_spec s[] = {
	    {"fake:orders", PCF_DESIRED_TERMINATED, "{\"Name\":\"orders-prod\"}", NULL, 0, 0},
	    {"fake:kept", PCF_DESIRED_TERMINATED, "{}", NULL, 1, 0},
	    {"fake:gone", PCF_DESIRED_TERMINATED, "{}", NULL, 0, 0},
	};
	fake_existing("orders", "{}");
	fake_existing("kept", "{}");
	const pcf_particle_report *r = planned(s, 3, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_str_eq(r->plan.steps[0].action, "Delete");
	cr_assert_str_eq(r->plan.steps[0].summary, "remove orders-prod",
	                 "the step names what it deletes as the flavor names it");
	cr_assert_eq(r->plan.steps[0].flags, PCF_STEP_DESTRUCTIVE);
	cr_assert_eq(report_of(run.rr, "kept")->outcome, PCF_OUTCOME_KEPT);
	cr_assert_eq(report_of(run.rr, "kept")->plan.count, 0);
	cr_assert_eq(report_of(run.rr, "gone")->outcome, PCF_OUTCOME_IN_SYNC);
	cr_assert(no_changes_made());
}

Test(inspect, plan_of_unavailable_fails)
{
	fake_spec s[] = {{"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0}};
	fake_existing("orders", "{}")->status = PCF_STATE_UNAVAILABLE;
	cr_assert_eq(plan_specs(s, 1), PCF_EUNAVAILABLE);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_FAILED);
}

/* Orders takes the Arn of its parent users. */
static const fake_spec inheriting[] = {
    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
    {"fake:orders", PCF_DESIRED_RUNNING, "{\"U\":\"$inherit$fake:users$Arn\"}", "fake:users", 0, 0},
};

Test(inspect, plan_resolves_inherit_when_the_parent_exists)
{
	fake_existing("users", "{\"Arn\":\"arn:users\"}");
	fake_existing("orders", "{\"U\":\"arn:users\"}");
	cr_assert_eq(plan_specs(inheriting, 2), 0);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_IN_SYNC);
}

Test(inspect, plan_keeps_inherit_as_written_when_the_parent_is_missing)
{
	cr_assert_eq(plan_specs(inheriting, 2), 0);
	cr_assert_eq(report_of(run.rr, "users")->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_str_eq(report_of(run.rr, "orders")->plan.steps[0].action, "Create");
}

Test(inspect, status_reports_state_and_drift)
{
	fake_spec s[] = {
	    {"fake:orders", PCF_DESIRED_RUNNING, "{\"P\":{\"R\":10}}", NULL, 0, 0},
	    {"fake:users", PCF_DESIRED_RUNNING, "{\"P\":{\"R\":5}}", NULL, 0, 0},
	    {"fake:lines", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:old", PCF_DESIRED_TERMINATED, "{}", NULL, 0, 0},
	    {"fake:frozen", PCF_DESIRED_RUNNING, "{\"P\":1}", NULL, 0, 1},
	};
	fake_existing("orders", "{\"P\":{\"R\":5}}");
	fake_existing("users", "{\"P\":{\"R\":5,\"W\":1}}");
	fake_existing("frozen", "{\"P\":2}");
	const pcf_particle_report *r = status_read(s, 5, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(r->state, PCF_STATE_RUNNING);
	cr_assert_eq(r->drift.count, 1);
	cr_assert_str_eq(r->drift.entries[0].path, "P.R");
	cr_assert_eq(r->drift.entries[0].desired->valueint, 10);
	cr_assert_eq(r->drift.entries[0].current->valueint, 5);
	cr_assert_eq(report_of(run.rr, "users")->outcome, PCF_OUTCOME_IN_SYNC);
	cr_assert_eq(report_of(run.rr, "lines")->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(report_of(run.rr, "lines")->state, PCF_STATE_MISSING);
	cr_assert_eq(report_of(run.rr, "old")->outcome, PCF_OUTCOME_IN_SYNC);
	cr_assert_eq(report_of(run.rr, "frozen")->outcome, PCF_OUTCOME_IN_SYNC,
	             "persist_on_update: drift is shown but not pending");
	cr_assert_eq(report_of(run.rr, "frozen")->drift.count, 1);
	cr_assert(no_changes_made());
}

Test(inspect, status_of_pending_is_not_in_sync)
{
	fake_spec s[] = {{"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0}};
	fake_res *f = fake_existing("orders", "{}");
	f->status = PCF_STATE_PENDING;
	f->pending_until = fake_now + 100000;
	cr_assert_eq(status_specs(s, 1), 0);
	cr_assert_eq(report_of(run.rr, "orders")->state, PCF_STATE_PENDING);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_CHANGES);
}

Test(inspect, outcome_names)
{
	cr_assert_str_eq(pcf_outcome_name(PCF_OUTCOME_CONVERGED), "converged");
	cr_assert_str_eq(pcf_outcome_name(PCF_OUTCOME_TIMED_OUT), "timed_out");
	cr_assert_str_eq(pcf_outcome_name(PCF_OUTCOME_SKIPPED), "skipped");
	cr_assert_str_eq(pcf_outcome_name((pcf_outcome)77), "unknown");
	cr_assert_eq(pcf_flavor_find(fake_flavors, 2, "fakestop"), &fake_stop_flavor);
	cr_assert_null(pcf_flavor_find(fake_flavors, 2, "nope"));
}

Test(inspect, an_unreadable_particle_fails_with_its_reason_and_no_state)
{
	fake_spec s[] = {
	    {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	fake_get("orders")->fail_sync = 1;
	fake_existing("users", "{}");
	cr_assert_eq(status_specs(s, 2), PCF_ECONNECT);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(report_of(run.rr, "orders")->state_read, 0);
	cr_assert_str_eq(report_of(run.rr, "orders")->error.message, "connection refused");
	cr_assert_eq(report_of(run.rr, "users")->outcome, PCF_OUTCOME_IN_SYNC);
	cr_assert_eq(report_of(run.rr, "users")->state_read, 1);
	pcf_run_report_free(run.rr);
	cr_assert_eq(pcf_engine_plan(&run.rr, run.engine, NULL), PCF_ECONNECT);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_FAILED);
	pcf_run_report_free(run.rr);
	cr_assert_eq(pcf_engine_apply(&run.rr, run.engine, NULL), PCF_ECONNECT);
	cr_assert_eq(report_of(run.rr, "orders")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(report_of(run.rr, "users")->outcome, PCF_OUTCOME_CONVERGED);
}
