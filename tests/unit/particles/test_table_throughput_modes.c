/*
 * OnDemandThroughput, WarmThroughput, the PITR period, ResourcePolicy and
 * ignore_changes: a description normalised, the desired tree settled
 * against it, and the steps planned, each one call DynamoDB accepts.
 * Live trees are written inline in DescribeTable's shape (as dynoxide and
 * moto answer) and normalised as sync_state does.
 */
#include <stdlib.h>
#include <string.h>

#include "particles/dynamodb_table/table.h"
#include "table_vectors.h"

/* An on-demand table with index by_g; %s: table extras, %s: index extras. */
#define DESCRIBED                                                                                  \
	"{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\","                                         \
	"\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/t\","                        \
	"\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"            \
	"{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"                                      \
	"\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"                         \
	"\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"                            \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0},"            \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\",\"IndexStatus\":\"ACTIVE\","          \
	"\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"                          \
	"\"Projection\":{\"ProjectionType\":\"ALL\"}%s}]%s}"

/* The definition side; %s: table extras (JSON members, each with a leading comma). */
#define DEFINED                                                                                    \
	"{\"TableName\":\"t\",\"BillingMode\":\"PAY_PER_REQUEST\","                                \
	"\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"            \
	"{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"                                      \
	"\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"                         \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\",\"KeySchema\":"                       \
	"[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],\"Projection\":"                         \
	"{\"ProjectionType\":\"ALL\"}%s}]%s}"

static cJSON *live_with(const char *index_extra, const char *table_extra, const char *backups,
                        const char *policy)
{
	char text[4096];
	cJSON *d, *b = backups != NULL ? pcf_test_json_parse(backups) : NULL, *out;
	snprintf(text, sizeof(text), DESCRIBED, index_extra, table_extra);
	d = pcf_test_json_parse(text);
	out = pcf_table_normalize(d, NULL, b, NULL);
	cr_assert_not_null(out);
	if (policy != NULL)
		cr_assert_eq(pcf_table_attach_policy(out, pcf_test_json_parse(policy)), 0);
	cJSON_Delete(d);
	cJSON_Delete(b);
	return out;
}

static cJSON *defined(const char *index_extra, const char *table_extra)
{
	char text[4096];
	snprintf(text, sizeof(text), DEFINED, index_extra, table_extra);
	return pcf_test_json_parse(text);
}

static pcf_plan the_plan;
static pcf_drift the_drift;

static void finish(void)
{
	pcf_plan_cleanup(&the_plan);
	pcf_drift_cleanup(&the_drift);
}

TestSuite(table_throughput_modes, .init = finish, .fini = finish);

/* Plans desired (taken) against current (taken), settled with ignore (a JSON list or NULL). */
static const pcf_plan *plan_of(cJSON *desired, cJSON *current, const char *ignore)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_particle_def def;
	cJSON *want = pcf_table_canonical(desired);

	memset(&def, 0, sizeof(def));
	def.node = cJSON_CreateObject();
	if (ignore != NULL)
		cJSON_AddItemToObject(def.node, "ignore_changes", pcf_test_json_parse(ignore));
	finish(); /* a test may plan twice */
	pcf_plan_init(&the_plan);
	pcf_drift_init(&the_drift);
	cr_assert_eq(pcf_table_settle(want, current, &def), 0);
	cr_assert_eq(pcf_table_diff(&the_drift, want, current), 0);
	cr_assert_eq(pcf_table_plan(&the_plan, want, current, &err), 0, "%s", err.message);
	for (size_t i = 0; i < the_plan.count; i++) {
		char *r = tv_print(the_plan.steps[i].request);
		cr_log_info("step %zu %s: %s %s", i, the_plan.steps[i].action,
		            the_plan.steps[i].summary, r);
		cJSON_free(r);
	}
	for (size_t i = 0; i < the_drift.count; i++)
		cr_log_info("drift %s", the_drift.entries[i].path);
	cJSON_Delete(def.node);
	cJSON_Delete(want);
	cJSON_Delete(desired);
	cJSON_Delete(current);
	return &the_plan;
}

static void assert_step(const pcf_plan *p, size_t i, const char *action, const char *json,
                        const char *summary)
{
	cJSON *want = pcf_test_json_parse(json);
	char *got;
	cr_assert_lt(i, p->count, "no step %zu (plan has %zu)", i, p->count);
	cr_assert_str_eq(p->steps[i].action, action, "step %zu", i);
	got = tv_print(p->steps[i].request);
	cr_assert(pcf_table_same_set(want, p->steps[i].request), "step %zu: %s", i, got);
	cr_assert(strstr(p->steps[i].summary, summary) != NULL, "summary %s", p->steps[i].summary);
	cJSON_free(got);
	cJSON_Delete(want);
}

/* The plan is the one step assert_step(p, 0, ...) describes. */
static void assert_only_step(const pcf_plan *p, const char *action, const char *json,
                             const char *summary)
{
	cr_assert_eq(p->count, 1, "plan has %zu steps", p->count);
	assert_step(p, 0, action, json, summary);
}

Test(table_throughput_modes, a_table_without_a_cap_has_no_limit)
{
	cJSON *current = live_with("", "", NULL, NULL);
	cJSON *cap = cJSON_GetObjectItem(current, "OnDemandThroughput");
	cr_assert_eq(cJSON_GetObjectItem(cap, "MaxReadRequestUnits")->valuedouble, -1);
	cr_assert_eq(cJSON_GetObjectItem(cap, "MaxWriteRequestUnits")->valuedouble, -1);
	plan_of(defined("", ",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":-1,"
	                    "\"MaxWriteRequestUnits\":-1}"),
	        current, NULL);
	cr_assert_eq(the_plan.count, 0);
	cr_assert_eq(the_drift.count, 0);
}

Test(table_throughput_modes, a_cap_change_sends_both_members)
{
	const pcf_plan *p = plan_of(
	    defined("", ",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":100,"
	                "\"MaxWriteRequestUnits\":-1}"),
	    live_with("", ",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":50}", NULL, NULL),
	    NULL);
	assert_only_step(p, "UpdateTable",
	                 "{\"TableName\":\"t\",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":100,"
	                 "\"MaxWriteRequestUnits\":-1}}",
	                 "OnDemandThroughput read 50 -> 100");
}

Test(table_throughput_modes, an_index_cap_is_one_index_update)
{
	const pcf_plan *p = plan_of(defined(",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":10,"
	                                    "\"MaxWriteRequestUnits\":20}",
	                                    ""),
	                            live_with(",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":10,"
	                                      "\"MaxWriteRequestUnits\":5}",
	                                      "", NULL, NULL),
	                            NULL);
	assert_only_step(
	    p, "UpdateTable",
	    "{\"TableName\":\"t\",\"GlobalSecondaryIndexUpdates\":[{\"Update\":{"
	    "\"IndexName\":\"by_g\",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":10,"
	    "\"MaxWriteRequestUnits\":20}}}]}",
	    "OnDemandThroughput of index by_g write 5 -> 20");
}

Test(table_throughput_modes, a_warm_floor_below_the_live_value_is_in_sync)
{
	plan_of(defined(",\"WarmThroughput\":{\"ReadUnitsPerSecond\":12000}",
	                ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":12000,"
	                "\"WriteUnitsPerSecond\":4000}"),
	        live_with(",\"WarmThroughput\":{\"ReadUnitsPerSecond\":15000,"
	                  "\"WriteUnitsPerSecond\":4000,\"Status\":\"ACTIVE\"}",
	                  ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":20000,"
	                  "\"WriteUnitsPerSecond\":9000,\"Status\":\"ACTIVE\"}",
	                  NULL, NULL),
	        NULL);
	cr_assert_eq(the_drift.count, 0);
	cr_assert_eq(the_plan.count, 0);
}

Test(table_throughput_modes, a_warm_raise_never_lowers_the_other_member)
{
	const pcf_plan *p = plan_of(defined(",\"WarmThroughput\":{\"WriteUnitsPerSecond\":6000}",
	                                    ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":30000,"
	                                    "\"WriteUnitsPerSecond\":4000}"),
	                            live_with(",\"WarmThroughput\":{\"ReadUnitsPerSecond\":12000,"
	                                      "\"WriteUnitsPerSecond\":4000}",
	                                      ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":20000,"
	                                      "\"WriteUnitsPerSecond\":9000}",
	                                      NULL, NULL),
	                            NULL);
	cr_assert_eq(p->count, 2);
	assert_step(p, 0, "UpdateTable",
	            "{\"TableName\":\"t\",\"WarmThroughput\":{\"ReadUnitsPerSecond\":30000,"
	            "\"WriteUnitsPerSecond\":9000}}",
	            "WarmThroughput read 20000 -> 30000");
	assert_step(p, 1, "UpdateTable",
	            "{\"TableName\":\"t\",\"GlobalSecondaryIndexUpdates\":[{\"Update\":{"
	            "\"IndexName\":\"by_g\",\"WarmThroughput\":{\"WriteUnitsPerSecond\":6000}}}]}",
	            "WarmThroughput of index by_g write 4000 -> 6000");
}

/* The notes of desired (taken) against current (taken), as diff tells them. */
static char *warm_notes_of(cJSON *desired, cJSON *current)
{
	cJSON *want = pcf_table_canonical(desired);
	char *notes = pcf_table_warm_notes(want, current);
	cJSON_Delete(want);
	cJSON_Delete(desired);
	cJSON_Delete(current);
	return notes;
}

Test(table_throughput_modes, a_warm_decrease_is_a_note_not_a_step)
{
	const char *table = ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":12000,"
	                    "\"WriteUnitsPerSecond\":9000}";
	const char *index = ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":3000}";
	const char *live_table = ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":15000,"
	                         "\"WriteUnitsPerSecond\":9000,\"Status\":\"ACTIVE\"}";
	const char *live_index = ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":4000,"
	                         "\"WriteUnitsPerSecond\":4000,\"Status\":\"ACTIVE\"}";
	char *notes =
	    warm_notes_of(defined(index, table), live_with(live_index, live_table, NULL, NULL));

	cr_assert_not_null(notes);
	cr_assert_str_eq(notes,
	                 "WarmThroughput.ReadUnitsPerSecond 12000 is below the live 15000: "
	                 "DynamoDB never lowers warm throughput; nothing to do\n"
	                 "GlobalSecondaryIndexes[by_g].WarmThroughput.ReadUnitsPerSecond 3000 is "
	                 "below the live 4000: DynamoDB never lowers warm throughput; nothing to "
	                 "do\n");
	free(notes);
	plan_of(defined(index, table), live_with(live_index, live_table, NULL, NULL), NULL);
	cr_assert_eq(the_drift.count, 0);
	cr_assert_eq(the_plan.count, 0);
}

Test(table_throughput_modes, a_warm_floor_at_or_above_the_live_value_has_no_note)
{
	cr_assert_null(
	    warm_notes_of(defined("", ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":15000,"
	                              "\"WriteUnitsPerSecond\":9500}"),
	                  live_with("",
	                            ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":15000,"
	                            "\"WriteUnitsPerSecond\":9000}",
	                            NULL, NULL)));
	cr_assert_null(warm_notes_of(defined("", ""), live_with("", "", NULL, NULL)));
	cr_assert_null(pcf_table_warm_notes(NULL, NULL), "a table still to be created");
}

/* A decrease of one member beside a raise of the other: the request keeps
 * the lowered member at its live value. */
Test(table_throughput_modes, a_decrease_beside_a_raise_sends_the_live_value)
{
	const pcf_plan *p = plan_of(defined("", ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":200,"
	                                        "\"WriteUnitsPerSecond\":150}"),
	                            live_with("",
	                                      ",\"WarmThroughput\":{\"ReadUnitsPerSecond\":300,"
	                                      "\"WriteUnitsPerSecond\":100}",
	                                      NULL, NULL),
	                            NULL);
	const cJSON *warm;
	assert_only_step(p, "UpdateTable",
	                 "{\"TableName\":\"t\",\"WarmThroughput\":{\"ReadUnitsPerSecond\":300,"
	                 "\"WriteUnitsPerSecond\":150}}",
	                 "WarmThroughput write 100 -> 150");
	warm = cJSON_GetObjectItem(p->steps[0].request, "WarmThroughput");
	cr_assert_eq(cJSON_GetObjectItem(warm, "ReadUnitsPerSecond")->valuedouble, 300,
	             "never below the live 300");
	cr_assert_null(strstr(p->steps[0].summary, "read"), "%s", p->steps[0].summary);
}

Test(table_throughput_modes, a_new_index_carries_its_cap_and_floor)
{
	cJSON *desired = defined("", "");
	cJSON *ix = cJSON_GetArrayItem(cJSON_GetObjectItem(desired, "GlobalSecondaryIndexes"), 0);
	cJSON_SetValuestring(cJSON_GetObjectItem(ix, "IndexName"), "by_new");
	cJSON_AddItemToObject(ix, "OnDemandThroughput",
	                      pcf_test_json_parse("{\"MaxReadRequestUnits\":5,"
	                                          "\"MaxWriteRequestUnits\":6}"));
	cJSON_AddItemToObject(ix, "WarmThroughput",
	                      pcf_test_json_parse("{\"ReadUnitsPerSecond\":13000}"));
	const pcf_plan *p = plan_of(desired, live_with("", "", NULL, NULL), NULL);
	cr_assert_eq(p->count, 2, "delete by_g, create by_new");
	const cJSON *create = cJSON_GetObjectItem(
	    cJSON_GetArrayItem(
	        cJSON_GetObjectItem(p->steps[1].request, "GlobalSecondaryIndexUpdates"), 0),
	    "Create");
	cr_assert_not_null(cJSON_GetObjectItem(create, "OnDemandThroughput"));
	cr_assert_not_null(cJSON_GetObjectItem(create, "WarmThroughput"));
}

#define PITR_ON(days)                                                                              \
	"{\"PointInTimeRecoveryDescription\":"                                                     \
	"{\"PointInTimeRecoveryStatus\":\"ENABLED\",\"RecoveryPeriodInDays\":" #days "}}"

Test(table_throughput_modes, a_recovery_period_change_is_one_continuous_backups_call)
{
	const pcf_plan *p = plan_of(
	    defined("", ",\"PointInTimeRecoverySpecification\":{\"PointInTimeRecoveryEnabled\":"
	                "true,\"RecoveryPeriodInDays\":7}"),
	    live_with("", "", PITR_ON(35), NULL), NULL);
	assert_only_step(p, "UpdateContinuousBackups",
	                 "{\"TableName\":\"t\",\"PointInTimeRecoverySpecification\":"
	                 "{\"PointInTimeRecoveryEnabled\":true,\"RecoveryPeriodInDays\":7}}",
	                 "RecoveryPeriodInDays 35 -> 7");
	plan_of(defined("", ",\"PointInTimeRecoverySpecification\":{\"PointInTimeRecoveryEnabled\":"
	                    "true,\"RecoveryPeriodInDays\":7}"),
	        live_with("", "", PITR_ON(7), NULL), NULL);
	cr_assert_eq(the_plan.count, 0);
	cr_assert_eq(the_drift.count, 0);
	/* No period named: whatever the table keeps. */
	plan_of(defined("", ",\"PointInTimeRecoverySpecification\":{\"PointInTimeRecoveryEnabled\":"
	                    "true}"),
	        live_with("", "", PITR_ON(7), NULL), NULL);
	cr_assert_eq(the_plan.count, 0);
}

#define POLICY                                                                                     \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"             \
	"\"dynamodb:GetItem\",\"Resource\":\"*\"}]}"
#define POLICY_REORDERED                                                                           \
	"{\"Statement\":[{\"Resource\":\"*\",\"Action\":\"dynamodb:GetItem\",\"Effect\":"          \
	"\"Allow\"}],\"Version\":\"2012-10-17\"}"

Test(table_throughput_modes, policies_compare_as_json_values)
{
	cJSON *text = cJSON_CreateObject();
	cJSON_AddStringToObject(text, "ResourcePolicy", POLICY_REORDERED);
	char *member = cJSON_PrintUnformatted(text);
	char extra[1024];
	snprintf(extra, sizeof(extra), ",%.*s", (int)strlen(member) - 2, member + 1);
	plan_of(defined("", extra), live_with("", "", NULL, POLICY), NULL);
	cr_assert_eq(the_plan.count, 0, "a JSON string equal to the live document");
	cr_assert_eq(the_drift.count, 0);
	cJSON_free(member);
	cJSON_Delete(text);
}

Test(table_throughput_modes, a_policy_is_put_replaced_and_deleted)
{
	const pcf_plan *p = plan_of(defined("", ",\"ResourcePolicy\":" POLICY),
	                            live_with("", "", NULL, "null"), NULL);
	cr_assert_eq(p->count, 1);
	cr_assert_str_eq(p->steps[0].action, "PutResourcePolicy");
	cr_assert(strstr(p->steps[0].summary, "ResourcePolicy none -> {") != NULL);
	cJSON *doc = pcf_test_json_parse(
	    cJSON_GetStringValue(cJSON_GetObjectItem(p->steps[0].request, "Policy")));
	cJSON *expected = pcf_test_json_parse(POLICY);
	cr_assert(pcf_table_same_set(doc, expected));
	cJSON_Delete(doc);
	cJSON_Delete(expected);
	p = plan_of(defined("", ",\"ResourcePolicy\":null"), live_with("", "", NULL, POLICY), NULL);
	assert_only_step(p, "DeleteResourcePolicy",
	                 "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/t\"}",
	                 "-> none");
	plan_of(defined("", ""), live_with("", "", NULL, NULL), NULL);
	cr_assert_eq(the_plan.count, 0, "no key: the policy is someone else's");
}

Test(table_throughput_modes, ignored_paths_take_the_live_values)
{
	cJSON *desired = defined(",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":1,"
	                         "\"MaxWriteRequestUnits\":1}",
	                         ",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":1,"
	                         "\"MaxWriteRequestUnits\":2},\"ResourcePolicy\":null");
	plan_of(desired,
	        live_with(",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":9,"
	                  "\"MaxWriteRequestUnits\":9}",
	                  ",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":7,"
	                  "\"MaxWriteRequestUnits\":2}",
	                  NULL, POLICY),
	        "[\"OnDemandThroughput.MaxReadRequestUnits\","
	        "\"GlobalSecondaryIndexes[*].OnDemandThroughput\",\"ResourcePolicy\"]");
	cr_assert_eq(the_drift.count, 0);
	cr_assert_eq(the_plan.count, 0);
	/* A name that matches no index ignores nothing. */
	plan_of(defined(",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":1,"
	                "\"MaxWriteRequestUnits\":1}",
	                ""),
	        live_with(",\"OnDemandThroughput\":{\"MaxReadRequestUnits\":9,"
	                  "\"MaxWriteRequestUnits\":9}",
	                  "", NULL, NULL),
	        "[\"GlobalSecondaryIndexes[other].OnDemandThroughput\"]");
	cr_assert_eq(the_plan.count, 1);
}

/* A multi-attribute key composes its attributes in order: reordering two
 * HASH attributes makes another index, so it is drift and a delete and a
 * create; the order the server lists HASH against RANGE in is not. */
Test(table_throughput_modes, a_multi_attribute_key_in_another_order_is_another_index)
{
	const char *keys_ab = "[{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"},"
	                      "{\"AttributeName\":\"b\",\"KeyType\":\"HASH\"},"
	                      "{\"AttributeName\":\"c\",\"KeyType\":\"RANGE\"}]";
	const char *keys_ba = "[{\"AttributeName\":\"b\",\"KeyType\":\"HASH\"},"
	                      "{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"},"
	                      "{\"AttributeName\":\"c\",\"KeyType\":\"RANGE\"}]";
	const char *keys_cab = "[{\"AttributeName\":\"c\",\"KeyType\":\"RANGE\"},"
	                       "{\"AttributeName\":\"a\",\"KeyType\":\"HASH\"},"
	                       "{\"AttributeName\":\"b\",\"KeyType\":\"HASH\"}]";
	cJSON *desired = defined("", ""), *current = live_with("", "", NULL, NULL);
	cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItem(desired, "GlobalSecondaryIndexes"), 0);
	cJSON *h = cJSON_GetArrayItem(cJSON_GetObjectItem(current, "GlobalSecondaryIndexes"), 0);
	cJSON_ReplaceItemInObject(w, "KeySchema", pcf_test_json_parse(keys_ba));
	cJSON_ReplaceItemInObject(h, "KeySchema", pcf_test_json_parse(keys_ab));
	const pcf_plan *p = plan_of(desired, current, NULL);
	cr_assert_eq(p->count, 2, "delete and create by_g");
	cr_assert_geq(the_drift.count, 1);

	desired = defined("", "");
	current = live_with("", "", NULL, NULL);
	w = cJSON_GetArrayItem(cJSON_GetObjectItem(desired, "GlobalSecondaryIndexes"), 0);
	h = cJSON_GetArrayItem(cJSON_GetObjectItem(current, "GlobalSecondaryIndexes"), 0);
	cJSON_ReplaceItemInObject(w, "KeySchema", pcf_test_json_parse(keys_ab));
	cJSON_ReplaceItemInObject(h, "KeySchema", pcf_test_json_parse(keys_cab));
	plan_of(desired, current, NULL);
	cr_assert_eq(the_plan.count, 0);
	cr_assert_eq(the_drift.count, 0);
}
