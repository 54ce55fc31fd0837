/*
 * The flavor contract: an engine is not made, and definitions do not
 * validate, with a flavor that lacks an operation flavor.h marks MUST; the
 * message names the flavor and the operation.
 */
#include <string.h>

#include "fake_flavor.h"

TestSuite(flavor_check, .init = fake_reset);

static const fake_spec one = {"fake:orders", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0};

/* The fake flavor with one MUST operation removed (by its name). */
static pcf_flavor_ops ops;
static pcf_flavor broken;

static const pcf_flavor *const *without(const char *op)
{
	static const pcf_flavor *registry[2];

	ops = fake_ops;
	if (strcmp(op, "validate") == 0)
		ops.validate = NULL;
	else if (strcmp(op, "sync_state") == 0)
		ops.sync_state = NULL;
	else if (strcmp(op, "start") == 0)
		ops.start = NULL;
	else if (strcmp(op, "terminate") == 0)
		ops.terminate = NULL;
	else if (strcmp(op, "diff") == 0)
		ops.diff = NULL;
	else if (strcmp(op, "run_step") == 0)
		ops.run_step = NULL;
	broken = fake_flavor;
	broken.ops = &ops;
	registry[0] = &fake_stop_flavor;
	registry[1] = &broken;
	return registry;
}

Test(flavor_check, engine_new_refuses_a_flavor_missing_a_must_operation)
{
	const char *const must[] = {"validate",  "sync_state", "start",
	                            "terminate", "diff",       "run_step"};
	pcf_definitions *defs = fake_defs(&one, 1);

	for (size_t i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
		pcf_engine *e = (pcf_engine *)&o;
		pcf_error err = PCF_ERROR_INIT;

		o.flavors = without(must[i]);
		o.flavor_count = 2;
		cr_expect_eq(pcf_engine_new(&e, defs, &o, &err), PCF_EINVAL, "%s", must[i]);
		cr_expect_null(e);
		cr_expect(strstr(err.message, "flavor fake ") != NULL, "%s", err.message);
		cr_expect(strstr(err.message, must[i]) != NULL, "%s", err.message);
		pcf_engine_free(e);
	}
	fake_defs_free(defs);
}

Test(flavor_check, validate_refuses_a_flavor_missing_a_must_operation)
{
	pcf_definitions *defs = fake_defs(&one, 1);
	pcf_diags d;

	pcf_diags_init(&d);
	cr_expect_eq(pcf_engine_validate(defs, without("diff"), 2, &d), PCF_EINVAL);
	cr_assert_eq(d.count, 1);
	cr_expect(strstr(d.items[0].message, "flavor fake lacks the operation diff") != NULL, "%s",
	          d.items[0].message);
	pcf_diags_cleanup(&d);
	fake_defs_free(defs);
}

Test(flavor_check, a_flavor_with_every_must_operation_is_accepted)
{
	pcf_definitions *defs = fake_defs(&one, 1);
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_engine *e = NULL;
	pcf_diags d;

	o.flavors = fake_flavors;
	o.flavor_count = 2;
	cr_expect_eq(pcf_engine_new(&e, defs, &o, NULL), 0);
	pcf_engine_free(e);
	pcf_diags_init(&d);
	cr_expect_eq(pcf_engine_validate(defs, fake_flavors, 2, &d), 0);
	pcf_diags_cleanup(&d);
	fake_defs_free(defs);
}

/* ignore_changes is refused for a flavor that does not declare it honours it. */
Test(flavor_check, ignore_changes_needs_a_flavor_that_honours_it)
{
	static const fake_spec two[] = {
	    {"fake:kept", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0},
	    {"fakestop:dropped", PCF_DESIRED_RUNNING, "{\"Size\":1}", NULL, 0, 0},
	};
	pcf_flavor honouring = fake_flavor;
	const pcf_flavor *const registry[] = {&honouring, &fake_stop_flavor};
	pcf_definitions *defs = fake_defs(two, 2);
	pcf_diags d;

	honouring.flags |= PCF_FLAVOR_IGNORE_CHANGES;
	for (size_t i = 0; i < 2; i++)
		defs->particles[i].node = cJSON_Parse("{\"ignore_changes\":[\"Size\"]}");
	pcf_diags_init(&d);
	cr_expect_eq(pcf_engine_validate(defs, registry, 2, &d), PCF_EDEFINITION);
	cr_assert_eq(d.count, 1);
	cr_expect(strstr(d.items[0].message,
	                 "ignore_changes: expected no ignore_changes for flavor fakestop, which "
	                 "does not honour it (flavors that do: fake)"),
	          "%s", d.items[0].message);
	pcf_diags_cleanup(&d);
	for (size_t i = 0; i < 2; i++)
		cJSON_Delete(defs->particles[i].node);
	fake_defs_free(defs);
}
