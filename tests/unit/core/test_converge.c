/*
 * The converge loop on the fake flavor and the fake clock: creating and
 * waiting, updating step by step, timeouts, refusals, persist flags,
 * LimitExceeded, steps that change nothing, unavailable resources, the
 * state cache and $inherit$ values.
 */
#include "fake_flavor.h"

/* Reports point into their definitions, so those live until the test ends. */
static pcf_definitions *kept[8];
static size_t kept_count;

/* What a test applies with, and the report of its last apply: the next
 * apply or the end of the test frees it. */
static pcf_engine_options opts = PCF_ENGINE_OPTIONS_INIT;
static pcf_run_report *rep;

static void cleanup(void)
{
	pcf_run_report_free(rep);
	rep = NULL;
	for (size_t i = 0; i < kept_count; i++)
		fake_defs_free(kept[i]);
	kept_count = 0;
	fake_reset();
}

TestSuite(converge, .init = fake_reset, .fini = cleanup);

/* Keeps defs until the test ends, as its reports point into it. */
static void keep(pcf_definitions *defs)
{
	cr_assert_lt(kept_count, 8);
	kept[kept_count++] = defs;
}

/* Applies fake particles with opts; returns apply's code, its report in rep. */
static int apply_specs(const fake_spec *specs, size_t n)
{
	pcf_definitions *defs = fake_defs(specs, n);
	pcf_engine *e = fake_engine(defs, &opts);
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	pcf_run_report_free(rep);
	rep = NULL;
	rc = pcf_engine_apply(&rep, e, &err);
	cr_assert_not_null(rep);
	cr_assert_eq(err.code, rc);
	pcf_engine_free(e);
	keep(defs);
	return rc;
}

/* An outcome expect_refusal does not look at. */
#define ANY_OUTCOME (-1)

/* Applying the one particle s is refused (PCF_EREFUSED), its report has
 * outcome (unless ANY_OUTCOME) and a message naming needle (unless NULL). */
static void expect_refusal(const fake_spec *s, int outcome, const char *needle)
{
	const pcf_particle_report *r;

	cr_assert_eq(apply_specs(s, 1), PCF_EREFUSED);
	r = report_of(rep, strchr(s->id, ':') + 1);
	if (outcome != ANY_OUTCOME)
		cr_assert_eq(r->outcome, outcome);
	if (needle != NULL)
		cr_assert(strstr(r->error.message, needle), "%s", r->error.message);
}

/* After refusals nothing was sent; with --yes the one step goes through. */
static void expect_one_step_with_yes(const fake_spec *s, const fake_res *f)
{
	cr_assert_eq(f->steps, 0);
	opts.yes = 1;
	cr_assert_eq(apply_specs(s, 1), 0);
	cr_assert_eq(f->steps, 1);
}

/* The engine of apply_with_ops while it runs, for ops that act on it. */
static pcf_engine *running;

/* Applies fake particles with the fake flavor as the only one, its ops
 * replaced by the members replace sets; returns apply's code and fills *rr. */
static int apply_with_ops(const pcf_flavor_ops *replace, const fake_spec *specs, size_t n,
                          pcf_run_report **rr)
{
	static pcf_flavor_ops ops;
	static pcf_flavor custom;
	const pcf_flavor *const flavors[] = {&custom};
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_definitions *defs = fake_defs(specs, n);
	int rc;
	ops = fake_ops;
	ops.sync_state = replace->sync_state ? replace->sync_state : ops.sync_state;
	ops.start = replace->start ? replace->start : ops.start;
	ops.plan = replace->plan ? replace->plan : ops.plan;
	ops.run_step = replace->run_step ? replace->run_step : ops.run_step;
	custom = fake_flavor;
	custom.ops = &ops;
	o.flavors = flavors;
	o.flavor_count = 1;
	o.logger.level = PCF_LOG_ERROR;
	cr_assert_eq(pcf_engine_new(&running, defs, &o, NULL), 0);
	pcf_engine_set_clock(running, &fake_clock);
	rc = pcf_engine_apply(rr, running, NULL);
	cr_assert_not_null(*rr);
	pcf_engine_free(running);
	running = NULL;
	keep(defs);
	return rc;
}

Test(converge, creates_missing_and_waits_until_running)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0};
	long t0 = fake_now;

	cr_assert_eq(apply_specs(&s, 1), 0);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CONVERGED, "%s", r->error.message);
	cr_assert_eq(r->state, PCF_STATE_RUNNING);
	cr_assert_eq(r->action_count, 1);
	cr_assert_str_eq(r->actions[0], "Create");
	fake_res *f = fake_get("orders");
	cr_assert_eq(f->starts, 1);
	cr_assert_eq(cJSON_GetObjectItem(f->props, "Size")->valueint, 1);
	/* Noticed within a poll interval (5 s cap + 10% jitter) of going running. */
	cr_assert_geq(fake_now - t0, 2000);
	cr_assert_leq(fake_now - f->running_at, 5500);
	cr_assert_eq(r->elapsed_ms, fake_now - t0);
}

Test(converge, backoff_starts_small_and_is_capped)
{
	/* A 60 s creation: polls start at 25 ms after the create, so a short creation
	 * is seen early, and the cap keeps a long one from being noticed late. */
	fake_spec s = {"fake:big", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	fake_get("big")->create_ms = 60000;

	cr_assert_eq(apply_specs(&s, 1), 0);
	fake_res *f = fake_get("big");
	cr_assert_leq(fake_now - f->running_at, 5500);
	/* 25, 27, 30, ... growing by a tenth to 5000 (about 50 s), then 5000 each:
	 * about 58 reads, not hundreds, not 2. */
	cr_assert_geq(f->syncs, 45);
	cr_assert_leq(f->syncs, 70);

	fake_reset();
	fake_get("big")->create_ms = 300;
	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_leq(fake_now - fake_get("big")->running_at, 900,
	              "a 300 ms creation is noticed within a fraction of a second");
}

Test(converge, polls_of_many_particles_stay_under_the_run_rate)
{
	/* 120 creations of 2 s each: on its own each particle would poll about
	 * 23 times (25 ms growing by a tenth), 1380 reads a second together;
	 * the run's floor keeps them under PCF_POLL_RATE. */
	enum { N = 120 };
	static char ids[N][16];
	fake_spec s[N];
	long t0 = fake_now, reads = 0, seconds_x1000;

	for (int i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "fake:p%d", i);
		s[i] = (fake_spec){ids[i], PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
		fake_get(ids[i] + 5)->create_ms = 2000;
	}
	cr_assert_eq(apply_specs(s, N), 0);
	for (size_t i = 0; i < fake_count; i++)
		reads += fake_table[i].syncs - 1; /* the first read of each decided the create */
	seconds_x1000 = fake_now - t0;
	cr_assert_gt(seconds_x1000, 2000);
	cr_assert_leq(reads * 1000 / seconds_x1000, PCF_POLL_RATE * 11 / 10, "%ld reads in %ld ms",
	              reads, seconds_x1000);
}

Test(converge, converged_particle_is_read_once_and_left_alone)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"Size\":1,\"Ignored\":9,\"Extra\":true}");

	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_eq(report_of(rep, "orders")->action_count, 0);
	cr_assert_eq(f->syncs, 1);
	cr_assert_eq(f->starts + f->steps + f->terminates, 0);
}

Test(converge, drift_is_brought_in_line_one_step_at_a_time)
{
	fake_spec s = {
	    "fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2,\"Color\":\"red\"}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"Size\":1,\"Color\":\"blue\"}");

	cr_assert_eq(apply_specs(&s, 1), 0);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CONVERGED, "%s", r->error.message);
	cr_assert_eq(f->steps, 2);
	cr_assert_eq(r->action_count, 2);
	cr_assert_str_eq(r->actions[0], "Update: Size changes");
	cr_assert_str_eq(r->actions[1], "Update: Color changes");
	cr_assert_eq(cJSON_GetObjectItem(f->props, "Size")->valueint, 2);
	cr_assert_str_eq(cJSON_GetObjectItem(f->props, "Color")->valuestring, "red");
}

Test(converge, timeout_names_what_was_pending)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	long t0 = fake_now;
	fake_get("orders")->create_ms = 120000;
	opts.timeout_ms = 30000;

	cr_assert_eq(apply_specs(&s, 1), PCF_ETIMEDOUT);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert_eq(r->error.code, PCF_ETIMEDOUT);
	cr_assert_eq(r->state, PCF_STATE_PENDING);
	cr_assert(strstr(r->error.message, "resource CREATING"), "%s", r->error.message);
	cr_assert_eq(fake_now - t0, 30000, "waits end exactly at the deadline");
}

Test(converge, deadline_before_a_transition_names_what_was_not_run)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{}");
	/* Still being deleted by someone else until exactly the deadline. */
	f->status = PCF_STATE_PENDING;
	f->deleting = 1;
	f->pending_until = fake_now + 10000;
	opts.timeout_ms = 10000;

	cr_assert_eq(apply_specs(&s, 1), PCF_ETIMEDOUT);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert_eq(r->state, PCF_STATE_MISSING);
	cr_assert(strstr(r->error.message, "still missing, Create not run"), "%s",
	          r->error.message);
	cr_assert_eq(f->starts, 0);
}

Test(converge, terminate_needs_yes_for_data_deleting_flavors)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_TERMINATED, "{}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{}");

	expect_refusal(&s, PCF_OUTCOME_REFUSED, "--yes");
	cr_assert_eq(f->terminates, 0);

	opts.yes = 1;
	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_eq(report_of(rep, "orders")->state, PCF_STATE_MISSING);
	cr_assert_str_eq(report_of(rep, "orders")->actions[0], "Delete");
	cr_assert_eq(f->terminates, 1);
	cr_assert_eq(f->exists, 0);
}

Test(converge, persist_on_termination_is_never_deleted)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_TERMINATED, "{}", NULL, 1, 0};
	fake_res *f = fake_existing("orders", "{}");
	opts.yes = 1;
	opts.allow_replace = 1;

	/* Kept, as PCF does: a success, the table left in place. */
	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_KEPT);
	cr_assert_eq(f->terminates, 0);
	cr_assert_eq(f->exists, 1);

	/* --strict: still kept, and the run fails. */
	opts.strict = 1;
	expect_refusal(&s, PCF_OUTCOME_KEPT, "persist_on_termination");
	cr_assert_eq(f->terminates, 0);
	cr_assert_eq(f->exists, 1);
}

Test(converge, persist_on_update_leaves_drift_alone)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 1};
	fake_res *f = fake_existing("orders", "{\"Size\":1}");

	cr_assert_eq(apply_specs(&s, 1), 0);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_eq(f->steps, 0);
	cr_assert_eq(r->drift.count, 1, "the drift left alone is reported");
	cr_assert_str_eq(r->drift.entries[0].path, "Size");

	/* It is still created when missing. */
	fake_reset();
	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(fake_get("orders")->starts, 1);
}

Test(converge, replacing_needs_allow_replace_and_yes)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Key\":\"b\"}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"Key\":\"a\"}");

	expect_refusal(&s, ANY_OUTCOME, "--allow-replace");
	opts.allow_replace = 1;
	expect_refusal(&s, ANY_OUTCOME, "--yes");
	expect_one_step_with_yes(&s, f);
}

Test(converge, destructive_step_needs_yes)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Wipe\":true}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"Wipe\":false}");

	expect_refusal(&s, PCF_OUTCOME_REFUSED, NULL);
	expect_one_step_with_yes(&s, f);
}

Test(converge, limit_exceeded_is_waited_out)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	fake_res *f = fake_get("orders");
	long t0 = fake_now;
	f->limit_answers = 4;

	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_eq(f->starts, 1);
	cr_assert_eq(f->limit_answers, 0);
	cr_assert_geq(f->started_at - t0, (200 + 250 + 312 + 390) * 9 / 10,
	              "backed off between tries");
}

Test(converge, limit_exceeded_until_the_deadline_times_out)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	fake_get("orders")->limit_answers = 1000;
	opts.timeout_ms = 20000;

	cr_assert_eq(apply_specs(&s, 1), PCF_ETIMEDOUT);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert(strstr(report_of(rep, "orders")->error.message, "simultaneously"));
}

Test(converge, the_accounts_table_quota_is_not_waited_out)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	long t0 = fake_now;
	fake_get("orders")->limit_answers = 1000;
	fake_get("orders")->quota_reached = 1;

	cr_assert_eq(apply_specs(&s, 1), PCF_ELIMIT_EXCEEDED);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_FAILED);
	cr_assert(strstr(report_of(rep, "orders")->error.message, "256 tables"));
	cr_assert_eq(fake_get("orders")->limit_answers, 999, "asked once");
	cr_assert_eq(fake_now, t0, "no waiting");
}

Test(converge, step_that_changes_nothing_fails_instead_of_looping)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"Size\":1}");
	f->noop_steps = 1;

	long t0 = fake_now;

	cr_assert_eq(apply_specs(&s, 1), PCF_ENOCHANGE);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_FAILED);
	cr_assert(strstr(r->error.message, "Size"), "%s", r->error.message);
	cr_assert_eq(f->steps, 1);
	cr_assert_geq(fake_now - t0, 10000, "re-read for a while first");
	cr_assert_lt(fake_now - t0, 20000);
}

/* A flavor whose every plan names its step differently (a counter in the
 * summary), as a planner might when it words a step after what it read. */
static int renamed_plans;

static int renaming_plan(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	(void)p;
	(void)current;
	/* An engine that loops is stopped here, so the test fails instead of hanging. */
	if (++renamed_plans > 100)
		return pcf_error_set(err, PCF_EINTERNAL, "planned 100 times");
	return pcf_plan_add_take(out, "Update", cJSON_CreateObject(), 0, "attempt %d",
	                         renamed_plans);
}

Test(converge, a_step_that_changes_nothing_fails_even_when_planned_under_another_name)
{
	const pcf_flavor_ops ops = {.plan = renaming_plan};
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"Size\":1}");
	f->noop_steps = 1;
	renamed_plans = 0;

	cr_assert_eq(apply_with_ops(&ops, &s, 1, &rep), PCF_ENOCHANGE);
	cr_assert_eq(f->steps, 1, "sent %d times", f->steps);
	cr_assert(strstr(report_of(rep, "orders")->error.message, "attempt 1"), "%s",
	          report_of(rep, "orders")->error.message);
}

/* Records the fake time of every step, to see the waits between them. */
static long step_times[8];
static int step_time_count;

static int timed_step(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	if (step_time_count < 8)
		step_times[step_time_count++] = fake_clock_now(NULL);
	return fake_run_step(p, step, err);
}

Test(converge, mutating_calls_are_never_sent_back_to_back)
{
	const pcf_flavor_ops ops = {.run_step = timed_step};
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"A\":2,\"B\":2,\"C\":2}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{\"A\":1,\"B\":1,\"C\":1}");
	f->update_ms = 0; /* settings that take effect at once, like TTL or tags */
	step_time_count = 0;

	cr_assert_eq(apply_with_ops(&ops, &s, 1, &rep), 0);
	cr_assert_eq(step_time_count, 3);
	cr_assert_gt(step_times[1], step_times[0], "a wait between the first and second step");
	cr_assert_gt(step_times[2], step_times[1], "a wait between the second and third step");
}

/* A step whose effect shows in reads only a while later is not "no change". */
static int lagging_step(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	fake_res *r = fake_of(p);
	(void)err;
	r->steps++;
	r->pending_until = fake_clock_now(NULL) + 3000; /* reused: when the write shows */
	cJSON_Delete(r->props);
	r->props = cJSON_Duplicate(step->request, 1);
	return 0;
}

static int lagging_sync(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err)
{
	fake_res *r = fake_of(p);
	(void)err;
	r->syncs++;
	*state = PCF_STATE_RUNNING;
	*current =
	    cJSON_Parse(r->steps == 0 || fake_clock_now(NULL) < r->pending_until ? "{\"Size\":1}"
	                                                                         : "{\"Size\":2}");
	return 0;
}

Test(converge, a_step_whose_effect_shows_late_is_not_repeated_or_failed)
{
	const pcf_flavor_ops ops = {.sync_state = lagging_sync, .run_step = lagging_step};
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 0};

	cr_assert_eq(apply_with_ops(&ops, &s, 1, &rep), 0);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_eq(fake_get("orders")->steps, 1);
}

Test(converge, unavailable_is_reported_and_never_acted_on)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_TERMINATED, "{}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{}");
	f->status = PCF_STATE_UNAVAILABLE;
	opts.yes = 1;

	cr_assert_eq(apply_specs(&s, 1), PCF_EUNAVAILABLE);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(report_of(rep, "orders")->state, PCF_STATE_UNAVAILABLE);
	cr_assert(strstr(report_of(rep, "orders")->error.message, "ARCHIVED"));
	cr_assert_eq(f->terminates + f->starts + f->steps, 0);
}

Test(converge, failing_start_reports_the_flavor_error)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	fake_get("orders")->fail_start = 1;

	cr_assert_eq(apply_specs(&s, 1), PCF_EVALIDATION);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_str_eq(report_of(rep, "orders")->error.message, "Create: fake start refused");
}

Test(converge, stop_uses_the_stop_op_when_there_is_one)
{
	fake_spec s = {"fakestop:vm", PCF_DESIRED_STOPPED, "{}", NULL, 0, 0};
	fake_res *f = fake_existing("vm", "{}");

	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(f->stops, 1);
	cr_assert_eq(f->terminates, 0);
	cr_assert_eq(report_of(rep, "vm")->state, PCF_STATE_STOPPED);
}

Test(converge, stop_means_terminate_without_a_stop_op)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_STOPPED, "{}", NULL, 0, 0};
	fake_res *f = fake_existing("orders", "{}");
	opts.yes = 1;

	cr_assert_eq(apply_specs(&s, 1), 0);
	cr_assert_eq(f->terminates, 1);
	cr_assert_eq(f->exists, 0);
}

Test(converge, drift_without_a_plan_op_is_refused)
{
	fake_spec s = {"fakestop:vm", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 0};
	fake_existing("vm", "{\"Size\":1}");

	expect_refusal(&s, ANY_OUTCOME, "Size");
}

Test(converge, inherit_takes_the_parents_live_value_from_the_cached_read)
{
	fake_spec s[] = {
	    {"fake:users", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0},
	    {"fake:orders", PCF_DESIRED_RUNNING,
	     "{\"UsersArn\":\"$inherit$fake:users$Arn\",\"Nested\":{\"L\":[\"$inherit$fake:users$"
	     "Size\"]}}",
	     "fake:users", 0, 0},
	};
	pcf_definitions *defs = fake_defs(s, 2);
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_engine *e = fake_engine(defs, &o);
	pcf_run_report *rr = NULL;
	fake_res *users = fake_existing("users", "{\"Size\":1,\"Arn\":\"arn:users\"}");

	cr_assert_eq(pcf_engine_apply(&rr, e, NULL), 0);
	cr_assert_eq(report_of(rr, "orders")->outcome, PCF_OUTCOME_CONVERGED, "%s",
	             report_of(rr, "orders")->error.message);
	fake_res *orders = fake_get("orders");
	cr_assert_str_eq(cJSON_GetObjectItem(orders->props, "UsersArn")->valuestring, "arn:users");
	cr_assert_eq(cJSON_GetArrayItem(
	                 cJSON_GetObjectItem(cJSON_GetObjectItem(orders->props, "Nested"), "L"), 0)
	                 ->valueint,
	             1);
	cr_assert_eq(users->syncs, 1, "the child's lookup reused the parent's fresh read");
	pcf_run_report_free(rr);
	pcf_engine_free(e);
	fake_defs_free(defs);
}

Test(converge, inherit_of_a_missing_value_fails_the_child)
{
	fake_spec s[] = {
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:orders", PCF_DESIRED_RUNNING, "{\"X\":\"$inherit$fake:users$Nope\"}",
	     "fake:users", 0, 0},
	};
	pcf_definitions *defs = fake_defs(s, 2);
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_engine *e = fake_engine(defs, &o);
	pcf_run_report *rr = NULL;
	fake_existing("users", "{}");

	cr_assert_eq(pcf_engine_apply(&rr, e, NULL), PCF_ENOTFOUND);
	cr_assert_eq(report_of(rr, "orders")->outcome, PCF_OUTCOME_FAILED);
	cr_assert(strstr(report_of(rr, "orders")->error.message, "Nope"));
	cr_assert_eq(fake_get("orders")->starts, 0);
	pcf_run_report_free(rr);
	pcf_engine_free(e);
	fake_defs_free(defs);
}

Test(converge, state_reads_are_cached_for_the_ttl)
{
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};
	pcf_definitions *defs = fake_defs(&s, 1);
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_engine *e = fake_engine(defs, &o);
	pcf_run_report *rr = NULL;
	fake_res *f = fake_existing("orders", "{}");

	cr_assert_eq(pcf_engine_status(&rr, e, NULL), 0);
	pcf_run_report_free(rr);
	cr_assert_eq(pcf_engine_plan(&rr, e, NULL), 0);
	pcf_run_report_free(rr);
	cr_assert_eq(f->syncs, 1, "a second look within the TTL reuses the first");
	fake_now += 1000;
	cr_assert_eq(pcf_engine_status(&rr, e, NULL), 0);
	pcf_run_report_free(rr);
	cr_assert_eq(f->syncs, 2, "an older read is not reused");
	pcf_engine_free(e);
	fake_defs_free(defs);
}

Test(converge, a_timeout_with_skipped_dependents_is_a_timeout)
{
	/* The dependent comes first in definition order. */
	fake_spec s[] = {
	    {"fake:orders", PCF_DESIRED_RUNNING, "{}", "fake:users", 0, 0},
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	opts.timeout_ms = 10000;
	fake_get("users")->create_ms = 60000;

	cr_assert_eq(apply_specs(s, 2), PCF_ETIMEDOUT);
	cr_assert_eq(report_of(rep, "orders")->outcome, PCF_OUTCOME_SKIPPED);
	cr_assert_eq(report_of(rep, "users")->outcome, PCF_OUTCOME_TIMED_OUT);
}

Test(converge, a_failure_outranks_a_timeout)
{
	fake_spec s[] = {
	    {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	    {"fake:audit", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	};
	opts.timeout_ms = 10000;
	fake_get("users")->create_ms = 60000;
	fake_get("audit")->fail_sync = 1; /* fails at once, whenever its turn comes */

	cr_assert_eq(apply_specs(s, 2), PCF_ECONNECT);
	cr_assert_eq(report_of(rep, "users")->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert_eq(report_of(rep, "audit")->outcome, PCF_OUTCOME_FAILED);
}

/* A step that fails with an error already naming its action, as a flavor's may. */
static int naming_step(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	(void)p;
	return pcf_error_set(err, PCF_EVALIDATION, "%s on table orders: refused", step->action);
}

Test(converge, the_failing_action_is_named_exactly_once)
{
	const pcf_flavor_ops ops = {.run_step = naming_step};
	fake_spec s[] = {{"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2}", NULL, 0, 0},
	                 {"fake:users", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0}};
	fake_existing("orders", "{\"Size\":1}");
	fake_get("users")->fail_start = 1;

	cr_assert_lt(apply_with_ops(&ops, s, 2, &rep), 0);
	cr_assert_str_eq(report_of(rep, "orders")->error.message,
	                 "Update on table orders: refused");
	cr_assert_str_eq(report_of(rep, "users")->error.message, "Create: fake start refused",
	                 "an error that does not name it gets the action once");
}

/* Reads fail once the resource was created: the server went away meanwhile. */
static int sync_until_started(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err)
{
	if (fake_of(p)->starts > 0)
		return pcf_error_set(err, PCF_ECONNECT, "connection refused");
	return fake_sync(state, current, p, err);
}

Test(converge, the_state_after_a_change_is_unknown_until_read)
{
	const pcf_flavor_ops ops = {.sync_state = sync_until_started};
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0};

	cr_assert_eq(apply_with_ops(&ops, &s, 1, &rep), PCF_ECONNECT);
	cr_assert_eq(fake_get("orders")->starts, 1);
	cr_assert_eq(report_of(rep, "orders")->state_read, 0,
	             "missing was read before Create; after it nothing is known");
}

/* Creates the resource without "Ttl", which only a step after creation sets
 * (as CreateTable cannot set TTL or point-in-time recovery). */
static int start_without_ttl(pcf_particle *p, pcf_error *err)
{
	int rc = fake_start(p, err);
	cJSON_DeleteItemFromObjectCaseSensitive(fake_of(p)->props, "Ttl");
	return rc;
}

Test(converge, persist_on_update_still_finishes_a_creation)
{
	const pcf_flavor_ops ops = {.start = start_without_ttl};
	fake_spec s = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":2,\"Ttl\":true}", NULL, 0, 1};

	cr_assert_eq(apply_with_ops(&ops, &s, 1, &rep), 0);
	cr_assert_eq(fake_get("orders")->starts, 1);
	cr_assert_eq(fake_get("orders")->steps, 1, "the step that completes the creation ran");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(fake_get("orders")->props, "Ttl")));
	cr_assert_eq(report_of(rep, "orders")->drift.count, 0);
}

/* Cancels the engine from inside the run, as a signal handler would, once
 * the resource was created: the next wait must not happen. */
static int start_then_cancel(pcf_particle *p, pcf_error *err)
{
	int rc = fake_start(p, err);
	pcf_engine_cancel(running);
	return rc;
}

Test(converge, cancel_stops_before_the_next_wait_or_change)
{
	const pcf_flavor_ops ops = {.start = start_then_cancel};
	fake_spec s[] = {{"fake:orders", PCF_DESIRED_RUNNING, "{}", NULL, 0, 0},
	                 {"fake:lines", PCF_DESIRED_RUNNING, "{}", "fake:orders", 0, 0}};
	long t0 = fake_now;

	cr_assert_eq(apply_with_ops(&ops, s, 2, &rep), PCF_ECANCELLED);
	const pcf_particle_report *r = report_of(rep, "orders");
	cr_assert_eq(r->outcome, PCF_OUTCOME_CANCELLED);
	cr_assert_eq(r->action_count, 1, "what was done is reported");
	cr_assert_str_eq(r->actions[0], "Create");
	cr_assert_eq(fake_now, t0, "no wait after the cancel");
	cr_assert_eq(fake_get("lines")->starts, 0);
	cr_assert_neq(report_of(rep, "lines")->outcome, PCF_OUTCOME_CONVERGED);
	cr_assert_str_eq(pcf_outcome_name(PCF_OUTCOME_CANCELLED), "cancelled");
}
