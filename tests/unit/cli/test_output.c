/*
 * Report output: the JSON documents DESIGN.md fixes for status and plan,
 * the reviewer's text form, and the exit status each report means.
 * Reports are built by hand here, as the engine would fill them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/cli.h"

static pcf_particle_def defs[2];
static pcf_particle_report parts[2];
static pcf_run_report report;
static pcf_cli_context ctx;
static char *out_text;
static size_t out_len;

static void make_def(pcf_particle_def *def, const char *name, const char *table)
{
	memset(def, 0, sizeof(*def));
	def->name = (char *)name;
	def->flavor = "dynamodb_table";
	def->desired_state = PCF_DESIRED_RUNNING;
	def->aws_resource = cJSON_CreateObject();
	cJSON_AddStringToObject(def->aws_resource, "TableName", table);
}

static void setup(void)
{
	make_def(&defs[0], "orders", "orders");
	make_def(&defs[1], "users", "users-prod");
	memset(parts, 0, sizeof(parts));
	parts[0].def = &defs[0];
	parts[1].def = &defs[1];
	parts[0].state_read = 1;
	parts[1].state_read = 1;
	pcf_drift_init(&parts[0].drift);
	pcf_drift_init(&parts[1].drift);
	pcf_plan_init(&parts[0].plan);
	pcf_plan_init(&parts[1].plan);
	report.particles = parts;
	report.count = 2;
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = open_memstream(&out_text, &out_len);
	ctx.err = stderr;
	cr_assert_not_null(ctx.out);
}

static void teardown(void)
{
	size_t k;

	for (k = 0; k < 2; k++) {
		pcf_drift_cleanup(&parts[k].drift);
		pcf_plan_cleanup(&parts[k].plan);
		cJSON_Delete(defs[k].aws_resource);
	}
	fclose(ctx.out);
	free(out_text);
	out_text = NULL;
}

TestSuite(cli_output, .init = setup, .fini = teardown);

static const char *output(void)
{
	fflush(ctx.out);
	return out_text ? out_text : "";
}

/* Both particles run; orders ends with `first`, users with `second`. */
static void set_outcomes(pcf_outcome first, pcf_outcome second)
{
	parts[0].outcome = first;
	parts[0].state = PCF_STATE_RUNNING;
	parts[1].outcome = second;
	parts[1].state = PCF_STATE_RUNNING;
}

/* orders drifted (read units 5 live, 10 defined); users in sync. */
static void fill_status(void)
{
	cJSON *ten = cJSON_CreateNumber(10), *five = cJSON_CreateNumber(5);

	set_outcomes(PCF_OUTCOME_CHANGES, PCF_OUTCOME_IN_SYNC);
	cr_assert_eq(
	    pcf_drift_add(&parts[0].drift, "ProvisionedThroughput.ReadCapacityUnits", ten, five),
	    0);
	cJSON_Delete(ten);
	cJSON_Delete(five);
}

/* obj[key] must be the string want. */
static void assert_str(const cJSON *obj, const char *key, const char *want)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	cr_assert_not_null(item, "no %s", key);
	cr_assert_str_eq(item->valuestring, want, "%s", key);
}

Test(cli_output, status_json_has_the_documented_shape)
{
	cJSON *doc, *p, *d;

	fill_status();
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_STATUS, -1);
	cr_assert_not_null(doc);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0);
	assert_str(p, "name", "orders");
	assert_str(p, "flavor", "dynamodb_table");
	assert_str(p, "table", "orders");
	assert_str(p, "state", "running");
	assert_str(p, "desired_state", "running");
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "in_sync")));
	d = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "drift"), 0);
	assert_str(d, "path", "ProvisionedThroughput.ReadCapacityUnits");
	cr_assert_eq(cJSON_GetObjectItem(d, "desired")->valuedouble, 10);
	cr_assert_eq(cJSON_GetObjectItem(d, "current")->valuedouble, 5);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 1);
	assert_str(p, "table", "users-prod");
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "in_sync")));
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "drift")), 0);
	cJSON_Delete(doc);
}

Test(cli_output, absent_drift_values_are_null)
{
	cJSON *doc, *d;
	cJSON *on = cJSON_CreateTrue();

	parts[0].outcome = PCF_OUTCOME_CHANGES;
	pcf_drift_add(&parts[0].drift, "StreamSpecification.StreamEnabled", on, NULL);
	cJSON_Delete(on);
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_STATUS, -1);
	d = cJSON_GetArrayItem(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0),
	                        "drift"),
	    0);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(d, "desired")));
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(d, "current")));
	cJSON_Delete(doc);
}

/* Text says what JSON says: "current" and "desired", never "live"/"defined". */
Test(cli_output, status_text_reads_current_to_desired)
{
	fill_status();
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_STATUS, -1);
	cr_assert_not_null(strstr(output(), "drift: 1 difference"), "%s", output());
	cr_assert_not_null(
	    strstr(output(),
	           "ProvisionedThroughput.ReadCapacityUnits: 5 (current) -> 10 (desired)"),
	    "%s", output());
	cr_assert_not_null(strstr(output(), "(table users-prod)"), "%s", output());
	cr_assert_not_null(strstr(output(), "in sync"), "%s", output());
	cr_assert_null(strchr(output(), '\033'), "no colour unless asked");
}

static void fill_plan(void)
{
	set_outcomes(PCF_OUTCOME_CHANGES, PCF_OUTCOME_IN_SYNC);
	pcf_plan_add_take(&parts[0].plan, "UpdateTable", NULL, 0,
	                  "ProvisionedThroughput.ReadCapacityUnits 5 -> 10");
	pcf_plan_add_take(&parts[0].plan, "UpdateTimeToLive", NULL, 0, "enable TTL on %s",
	                  "expires_at");
}

Test(cli_output, plan_json_has_the_documented_shape)
{
	cJSON *doc, *steps, *s;

	fill_plan();
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_PLAN, -1);
	steps = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0),
	                            "steps");
	cr_assert_eq(cJSON_GetArraySize(steps), 2);
	s = cJSON_GetArrayItem(steps, 0);
	assert_str(s, "action", "UpdateTable");
	assert_str(s, "summary", "ProvisionedThroughput.ReadCapacityUnits 5 -> 10");
	steps = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 1),
	                            "steps");
	cr_assert_eq(cJSON_GetArraySize(steps), 0);
	cJSON_Delete(doc);
}

Test(cli_output, plan_text_is_one_line_per_step)
{
	fill_plan();
	pcf_plan_add_take(&parts[1].plan, "DeleteTable", NULL, PCF_STEP_DESTRUCTIVE, "delete");
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_PLAN, -1);
	cr_assert_not_null(
	    strstr(output(), "  ~ UpdateTable: ProvisionedThroughput.ReadCapacityUnits 5 -> 10\n"),
	    "%s", output());
	cr_assert_not_null(strstr(output(), "  ~ UpdateTimeToLive: enable TTL on expires_at\n"),
	                   "%s", output());
	cr_assert_not_null(strstr(output(), "  - DeleteTable: delete  (needs --yes)\n"), "%s",
	                   output());
	cr_assert_not_null(strstr(output(), "Plan: 3 steps for 2 of 2 particles."), "%s", output());
}

Test(cli_output, plan_without_steps_says_so)
{
	parts[0].outcome = parts[1].outcome = PCF_OUTCOME_IN_SYNC;
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_PLAN, -1);
	cr_assert_not_null(strstr(output(), "No changes"), "%s", output());
}

Test(cli_output, colour_only_when_asked)
{
	fill_status();
	ctx.color = 1;
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_STATUS, -1);
	cr_assert_not_null(strchr(output(), '\033'));
}

Test(cli_output, apply_json_carries_actions_and_errors)
{
	cJSON *doc, *p;

	set_outcomes(PCF_OUTCOME_CONVERGED, PCF_OUTCOME_REFUSED);
	pcf_error_set(&parts[1].error, PCF_EREFUSED, "deleting users-prod needs --yes");
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_APPLY, PCF_DESIRED_TERMINATED);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 1);
	assert_str(p, "desired_state", "terminated");
	cr_assert_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(p, "error"), "message")->valuestring,
	    "deleting users-prod needs --yes");
	cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "error"), "code")->valuestring,
	                 "REFUSED");
	cJSON_Delete(doc);
}

Test(cli_output, exit_status_per_command)
{
	parts[0].outcome = PCF_OUTCOME_IN_SYNC;
	parts[1].outcome = PCF_OUTCOME_IN_SYNC;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_STATUS, 0), 0);
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_PLAN, 0), 0);
	parts[1].outcome = PCF_OUTCOME_CHANGES;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_STATUS, 0), 2);
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_PLAN, 0), 2);
	parts[0].outcome = PCF_OUTCOME_FAILED;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_STATUS, PCF_EINTERNAL), 1);
	parts[0].outcome = PCF_OUTCOME_CONVERGED;
	parts[1].outcome = PCF_OUTCOME_TIMED_OUT;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_ETIMEDOUT), 3);
	parts[1].outcome = PCF_OUTCOME_REFUSED;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_EREFUSED), 1);
	parts[1].outcome = PCF_OUTCOME_CONVERGED;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, 0), 0);
	cr_assert_eq(pcf_cli_report_exit(NULL, PCF_CLI_REPORT_APPLY, PCF_ETIMEDOUT), 3);
	cr_assert_eq(pcf_cli_report_exit(NULL, PCF_CLI_REPORT_STATUS, PCF_EINVAL), 1);
}

/* Every plan step carries a machine-readable kind. */
Test(cli_output, plan_steps_have_a_kind)
{
	static const char *const want[] = {"create", "update", "delete", "replace"};
	cJSON *doc, *steps;

	parts[0].outcome = PCF_OUTCOME_CHANGES;
	pcf_plan_add_take(&parts[0].plan, "CreateTable", NULL, 0, "orders");
	pcf_plan_add_take(&parts[0].plan, "UpdateTimeToLive", NULL, 0, "enable TTL");
	pcf_plan_add_take(&parts[0].plan, "DeleteTable", NULL, PCF_STEP_DESTRUCTIVE, "orders");
	pcf_plan_add_take(&parts[0].plan, "DeleteTable", NULL,
	                  PCF_STEP_DESTRUCTIVE | PCF_STEP_REPLACE, "key schema changes");
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_PLAN, -1);
	steps = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0),
	                            "steps");
	for (int k = 0; k < 4; k++) {
		const cJSON *kind = cJSON_GetObjectItem(cJSON_GetArrayItem(steps, k), "kind");

		cr_assert(cJSON_IsString(kind), "step %d has no kind", k);
		cr_assert_str_eq(kind->valuestring, want[k]);
	}
	cJSON_Delete(doc);
}

/* apply's actions are step objects with the fields plan's steps have. */
Test(cli_output, apply_actions_are_step_objects)
{
	cJSON *doc, *actions, *a;
	char *texts[] = {"CreateTable", "UpdateTable: ReadCapacityUnits 5 -> 10"};

	parts[0].outcome = PCF_OUTCOME_CONVERGED;
	parts[0].actions = texts;
	parts[0].action_count = 2;
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_APPLY, -1);
	parts[0].actions = NULL;
	parts[0].action_count = 0;
	actions = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0),
	                              "actions");
	cr_assert_eq(cJSON_GetArraySize(actions), 2);
	a = cJSON_GetArrayItem(actions, 0);
	cr_assert(cJSON_IsObject(a), "an action is an object");
	assert_str(a, "kind", "create");
	assert_str(a, "action", "CreateTable");
	assert_str(a, "summary", "");
	a = cJSON_GetArrayItem(actions, 1);
	assert_str(a, "kind", "update");
	assert_str(a, "action", "UpdateTable");
	assert_str(a, "summary", "ReadCapacityUnits 5 -> 10");
	cJSON_Delete(doc);
}

/* Documents are indented with two spaces, never tabs. */
Test(cli_output, json_is_indented_with_two_spaces)
{
	cJSON *doc = cJSON_Parse("{\"a\":[1,{\"b\":\"x\\\"y\"}],\"e\":[],\"o\":{}}");

	ctx.format = PCF_CLI_FORMAT_JSON;
	cr_assert_eq(pcf_cli_json_emit_take(&ctx, doc), 0);
	cr_assert_str_eq(output(), "{\n"
	                           "  \"a\": [\n"
	                           "    1,\n"
	                           "    {\n"
	                           "      \"b\": \"x\\\"y\"\n"
	                           "    }\n"
	                           "  ],\n"
	                           "  \"e\": [],\n"
	                           "  \"o\": {}\n"
	                           "}\n");
}

/* A run that printed no document still ends with one: the error and the problems. */
Test(cli_output, json_finish_prints_the_error_document)
{
	pcf_cli_record record;
	pcf_diags diags;
	cJSON *doc, *problem;

	memset(&record, 0, sizeof(record));
	ctx.record = &record;
	ctx.format = PCF_CLI_FORMAT_JSON;
	ctx.command = "plan";
	ctx.err = fopen("/dev/null", "w");
	pcf_diags_init(&diags);
	pcf_diags_add(&diags, "pcf.yml", 7, 44, "aws_resource.KeySchema[0].KeyType: expected HASH");
	pcf_diags_add(&diags, "pcf.yml", 0, 0, "expected particle definitions, found a string");
	pcf_cli_record_problems(&ctx, &diags);
	pcf_cli_fail(&ctx, "2 problems in the definitions");
	cr_assert_eq(pcf_cli_json_finish(&ctx, PCF_CLI_EXIT_ERROR), PCF_CLI_EXIT_ERROR);
	doc = cJSON_Parse(output());
	cr_assert_not_null(doc, "one JSON document: %s", output());
	assert_str(doc, "command", "plan");
	cr_assert_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "error"), "message")->valuestring,
	    "2 problems in the definitions");
	problem = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "problems"), 0);
	assert_str(problem, "file", "pcf.yml");
	cr_assert_eq(cJSON_GetObjectItem(problem, "line")->valueint, 7);
	cr_assert_eq(cJSON_GetObjectItem(problem, "column")->valueint, 44);
	assert_str(problem, "path", "aws_resource.KeySchema[0].KeyType");
	assert_str(problem, "message", "expected HASH");
	problem = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "problems"), 1);
	cr_assert(cJSON_IsNull(cJSON_GetObjectItem(problem, "path")));
	cJSON_Delete(doc);
	pcf_diags_cleanup(&diags);
	pcf_cli_record_cleanup(&record);
	fclose(ctx.err);
	ctx.err = stderr;
	ctx.record = NULL;
}

/* Once a command printed its document, nothing more goes to stdout. */
Test(cli_output, json_finish_adds_nothing_after_a_document)
{
	pcf_cli_record record;

	memset(&record, 0, sizeof(record));
	ctx.record = &record;
	ctx.format = PCF_CLI_FORMAT_JSON;
	cr_assert_eq(pcf_cli_json_emit_take(&ctx, cJSON_CreateObject()), 0);
	cr_assert_eq(pcf_cli_json_finish(&ctx, PCF_CLI_EXIT_CHANGES), PCF_CLI_EXIT_CHANGES);
	cr_assert_str_eq(output(), "{}\n");
	pcf_cli_record_cleanup(&record);
	ctx.record = NULL;
}

Test(cli_output, a_timeout_that_skipped_a_dependent_exits_3)
{
	parts[0].outcome = PCF_OUTCOME_SKIPPED;
	parts[1].outcome = PCF_OUTCOME_TIMED_OUT;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_ETIMEDOUT), 3);
	parts[1].outcome = PCF_OUTCOME_FAILED;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_EINTERNAL), 1);
}

/* A particle locked by another run (or whose lock was lost) exits 4, unless another failed. */
Test(cli_output, locked_particles_exit_4_unless_another_failed)
{
	parts[0].outcome = PCF_OUTCOME_CONVERGED;
	parts[1].outcome = PCF_OUTCOME_FAILED;
	pcf_error_set(&parts[1].error, PCF_ELOCKED, "locked by h pid 1 (run r, apply, since t)");
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_ELOCKED), 4);
	pcf_error_set(&parts[1].error, PCF_ELOCK_LOST, "lock k lost");
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_ELOCK_LOST), 4);
	parts[0].outcome = PCF_OUTCOME_TIMED_OUT;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_ELOCK_LOST), 4);
	parts[0].outcome = PCF_OUTCOME_FAILED;
	pcf_error_set(&parts[0].error, PCF_ECONNECT, "connection refused");
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_ECONNECT), 1);
}

Test(cli_output, a_state_not_read_is_unknown)
{
	cJSON *doc;

	parts[0].outcome = PCF_OUTCOME_SKIPPED;
	parts[0].state_read = 0; /* state left at 0, which is "running" */
	parts[1].outcome = PCF_OUTCOME_FAILED;
	parts[1].state = PCF_STATE_MISSING;
	parts[1].state_read = 0; /* missing was read, then CreateTable ran */
	pcf_error_set(&parts[1].error, PCF_ECONNECT, "connection refused");
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_APPLY, -1);
	cr_assert_str_eq(cJSON_GetObjectItem(
	                     cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0), "state")
	                     ->valuestring,
	                 "unknown");
	cr_assert_str_eq(cJSON_GetObjectItem(
	                     cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 1), "state")
	                     ->valuestring,
	                 "unknown");
	cJSON_Delete(doc);
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_APPLY, -1);
	cr_assert(strstr(output(), "state running") == NULL, "%s", output());
	cr_assert(strstr(output(), "state missing") == NULL, "%s", output());
	cr_assert(strstr(output(), "state unknown") != NULL, "%s", output());
}

Test(cli_output, a_failed_plan_never_says_no_changes)
{
	parts[0].outcome = PCF_OUTCOME_FAILED;
	pcf_error_set(&parts[0].error, PCF_ECONNECT, "connection refused");
	parts[1].outcome = PCF_OUTCOME_IN_SYNC;
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_PLAN, -1);
	cr_assert_null(strstr(output(), "No changes"), "%s", output());
	cr_assert_not_null(strstr(output(), "Planning failed for 1 of 2 particles"), "%s",
	                   output());
}

Test(cli_output, a_kept_table_succeeds_unless_strict)
{
	cJSON *doc;

	parts[0].outcome = PCF_OUTCOME_KEPT;
	parts[1].outcome = PCF_OUTCOME_CONVERGED;
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, 0), 0);
	doc = pcf_cli_report_json(&report, PCF_CLI_REPORT_APPLY, PCF_DESIRED_TERMINATED);
	cr_assert_str_eq(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0),
	                        "outcome")
	        ->valuestring,
	    "kept");
	cJSON_Delete(doc);
	pcf_cli_report_text(&ctx, &report, PCF_CLI_REPORT_APPLY, PCF_DESIRED_TERMINATED);
	cr_assert_not_null(strstr(output(), "kept: persist_on_termination"), "%s", output());
	/* --strict: the engine gives the kept particle an error. */
	pcf_error_set(&parts[0].error, PCF_EREFUSED, "persist_on_termination is set");
	cr_assert_eq(pcf_cli_report_exit(&report, PCF_CLI_REPORT_APPLY, PCF_EREFUSED), 1);
}
