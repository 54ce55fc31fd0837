/*
 * The planner: desired (a definition) vs current (a normalised description,
 * from answers recorded on dynoxide / dynalite or written inline in
 * normalised form) -> the ordered steps, each one call DynamoDB accepts on
 * its own.
 */
#include <string.h>

#include "particles/dynamodb_table/table.h"
#include "table_vectors.h"

/* A provisioned table with one GSI, as pcf_table_normalize shapes it. */
#define LIVE                                                                                       \
	"{\"TableName\":\"t\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/t\","   \
	"\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"            \
	"{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"                                      \
	"\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"                         \
	"\"BillingMode\":\"%s\",%s"                                                                \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\",\"KeySchema\":["                      \
	"{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],\"Projection\":"                          \
	"{\"ProjectionType\":\"ALL\"}%s}],"                                                        \
	"\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"},"       \
	"\"SSESpecification\":{\"Enabled\":false},\"TableClass\":\"STANDARD\","                    \
	"\"DeletionProtectionEnabled\":false,"                                                     \
	"\"TimeToLiveSpecification\":{\"Enabled\":true,\"AttributeName\":\"exp\"},"                \
	"\"PointInTimeRecoverySpecification\":{\"PointInTimeRecoveryEnabled\":false},"             \
	"\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"},{\"Key\":\"old\",\"Value\":\"x\"}]}"

#define PT(r, w)                                                                                   \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":" #r ",\"WriteCapacityUnits\":" #w "}"

static cJSON *live(int provisioned)
{
	char text[4096];
	if (provisioned)
		snprintf(text, sizeof(text), LIVE, "PROVISIONED", PT(5, 5) ",", "," PT(1, 1));
	else
		snprintf(text, sizeof(text), LIVE, "PAY_PER_REQUEST", "", "");
	return pcf_test_json_parse(text);
}

/* The live table as a definition: every field equal. */
static cJSON *same_as(const cJSON *current)
{
	cJSON *d = cJSON_Duplicate(current, 1);
	cJSON_DeleteItemFromObject(d, "TableArn");
	return d;
}

static void set(cJSON *obj, const char *key, const char *json)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	cJSON_AddItemToObject(obj, key, pcf_test_json_parse(json));
}

static pcf_plan plan_of(const cJSON *desired, const cJSON *current)
{
	pcf_plan p;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *want = pcf_table_canonical(desired);
	pcf_plan_init(&p);
	cr_assert_eq(pcf_table_plan(&p, want, current, &err), 0, "%s", err.message);
	for (size_t i = 0; i < p.count; i++) {
		char *r = tv_print(p.steps[i].request);
		cr_log_info("step %zu %s: %s %s", i, p.steps[i].action, p.steps[i].summary,
		            r != NULL ? r : "(no request)");
		cJSON_free(r);
	}
	cJSON_Delete(want);
	return p;
}

/* Asserts step i is action and its request equals json (lists in any order). */
static void assert_step(const pcf_plan *p, size_t i, const char *action, const char *json)
{
	cJSON *want = pcf_test_json_parse(json);
	char *got;
	cr_assert_lt(i, p->count, "no step %zu (plan has %zu)", i, p->count);
	cr_assert_str_eq(p->steps[i].action, action, "step %zu", i);
	got = tv_print(p->steps[i].request);
	cr_assert(pcf_table_same_set(want, p->steps[i].request), "step %zu: %s, expected %s", i,
	          got, json);
	cJSON_free(got);
	cJSON_Delete(want);
}

/* The live table, the definition and its plan of the test under way. */
static cJSON *cur, *want;
static pcf_plan p;

static void finish(void)
{
	pcf_plan_cleanup(&p);
	pcf_plan_init(&p);
	cJSON_Delete(want);
	cJSON_Delete(cur);
	cur = want = NULL;
}

/* A live table, provisioned or not, and a definition equal to the live table
 * of mode wanted_provisioned. */
static void table_of(int live_provisioned, int wanted_provisioned)
{
	cJSON *wanted = live(wanted_provisioned);
	finish();
	cur = live(live_provisioned);
	want = same_as(wanted);
	cJSON_Delete(wanted);
}

/* Plans want against current (the live table or NULL after a create). */
static void plan(const cJSON *current)
{
	pcf_plan_cleanup(&p);
	p = plan_of(want, current);
}

/* The plan is exactly these steps: {action, request JSON} each. */
static void assert_steps(const char *const steps[][2], size_t count)
{
	cr_assert_eq(p.count, count, "plan has %zu steps, expected %zu", p.count, count);
	for (size_t i = 0; i < count; i++)
		assert_step(&p, i, steps[i][0], steps[i][1]);
}

/* Plans want against the live table: one step, action with request json. */
static void plan_one_step(const char *action, const char *json)
{
	plan(cur);
	cr_assert_eq(p.count, 1, "plan has %zu steps", p.count);
	assert_step(&p, 0, action, json);
}

TestSuite(table_planner, .init = finish, .fini = finish);

Test(table_planner, an_equal_table_needs_no_step)
{
	for (int provisioned = 0; provisioned < 2; provisioned++) {
		table_of(provisioned, provisioned);
		plan(cur);
		cr_assert_eq(p.count, 0);
	}
}

Test(table_planner, a_recorded_table_against_its_definition_needs_no_step)
{
	cJSON *t = tv_table("dynoxide_describe_full");
	cur = pcf_table_normalize(t, NULL, NULL, NULL);
	want = pcf_test_json_parse(
	    "{\"TableName\":\"full\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","
	    "\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"},"
	    "{\"AttributeName\":\"email\",\"AttributeType\":\"S\"},{\"AttributeName\":\"lsk\","
	    "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":"
	    "\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"ProvisionedThroughput\":"
	    "{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":4},\"GlobalSecondaryIndexes\":[{"
	    "\"IndexName\":\"by_email\",\"KeySchema\":[{\"AttributeName\":\"email\",\"KeyType\":"
	    "\"HASH\"}],\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"b\","
	    "\"a\"]},\"ProvisionedThroughput\":{\"ReadCapacityUnits\":2,\"WriteCapacityUnits\":3}}]"
	    ","
	    "\"LocalSecondaryIndexes\":[{\"IndexName\":\"by_lsk\",\"KeySchema\":[{"
	    "\"AttributeName\":"
	    "\"id\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"lsk\",\"KeyType\":\"RANGE\"}],"
	    "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}],\"StreamSpecification\":{"
	    "\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},\"TableClass\":"
	    "\"STANDARD\",\"DeletionProtectionEnabled\":false}");
	plan(cur);
	cr_assert_eq(p.count, 0);
	cJSON_Delete(t);
}

Test(table_planner, table_throughput_alone)
{
	table_of(1, 1);
	set(want, "ProvisionedThroughput", "{\"ReadCapacityUnits\":10,\"WriteCapacityUnits\":5}");
	plan_one_step("UpdateTable",
	              "{\"TableName\":\"t\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":10,"
	              "\"WriteCapacityUnits\":5}}");
	cr_assert_eq(p.steps[0].flags, 0u);
}

Test(table_planner, to_provisioned_carries_every_index_throughput_in_one_call)
{
	table_of(0, 1);
	plan(cur);
	cr_assert_eq(p.count, 1, "no separate index throughput step");
	assert_step(
	    &p, 0, "UpdateTable",
	    "{\"TableName\":\"t\",\"BillingMode\":\"PROVISIONED\"," PT(
	        5, 5) ","
	              "\"GlobalSecondaryIndexUpdates\":[{\"Update\":{\"IndexName\":\"by_g\"," PT(
	                  1, 1) "}}]}");
}

Test(table_planner, to_provisioned_leaves_out_an_index_throughput_the_server_already_holds)
{
	table_of(0, 1);
	/* The server kept by_g at 1/1 while on demand (as the raw answer shows). */
	set(cur, "RawThroughput", "{\"Indexes\":[{\"IndexName\":\"by_g\"," PT(1, 1) "}]}");
	plan_one_step("UpdateTable",
	              "{\"TableName\":\"t\",\"BillingMode\":\"PROVISIONED\"," PT(5, 5) "}");
}

Test(table_planner, to_on_demand_sends_no_throughput)
{
	table_of(1, 0);
	/* A user who leaves the old throughput in the definition: dropped. */
	set(want, "ProvisionedThroughput", "{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}");
	plan_one_step("UpdateTable", "{\"TableName\":\"t\",\"BillingMode\":\"PAY_PER_REQUEST\"}");
}

Test(table_planner, index_throughput_alone)
{
	table_of(1, 1);
	cJSON *gsi = cJSON_GetArrayItem(cJSON_GetObjectItem(want, "GlobalSecondaryIndexes"), 0);
	set(gsi, "ProvisionedThroughput", "{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":7}");
	plan_one_step("UpdateTable",
	              "{\"TableName\":\"t\",\"GlobalSecondaryIndexUpdates\":[{\"Update\":{"
	              "\"IndexName\":\"by_g\"," PT(1, 7) "}}]}");
}

Test(table_planner, a_new_index_is_one_create_with_its_attributes)
{
	table_of(1, 1);
	cJSON_AddItemToArray(
	    cJSON_GetObjectItem(want, "GlobalSecondaryIndexes"),
	    pcf_test_json_parse("{\"IndexName\":\"by_n\",\"KeySchema\":[{\"AttributeName\":"
	                        "\"n\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":"
	                        "\"KEYS_ONLY\"}," PT(2, 2) "}"));
	cJSON_AddItemToArray(
	    cJSON_GetObjectItem(want, "AttributeDefinitions"),
	    pcf_test_json_parse("{\"AttributeName\":\"n\",\"AttributeType\":\"N\"}"));
	plan_one_step("UpdateTable",
	              "{\"TableName\":\"t\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","
	              "\"AttributeType\":\"S\"},{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},"
	              "{\"AttributeName\":\"n\",\"AttributeType\":\"N\"}],"
	              "\"GlobalSecondaryIndexUpdates\":[{\"Create\":{\"IndexName\":\"by_n\","
	              "\"KeySchema\":[{\"AttributeName\":\"n\",\"KeyType\":\"HASH\"}],"
	              "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}," PT(2, 2) "}}]}");
}

Test(table_planner, without_the_key_the_tables_indexes_are_left_alone)
{
	table_of(1, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(want, "GlobalSecondaryIndexes");
	plan(cur);
	cr_assert_eq(p.count, 0);
}

Test(table_planner, a_listed_set_of_indexes_deletes_the_unlisted_ones)
{
	table_of(1, 1);
	set(want, "GlobalSecondaryIndexes", "[]");
	plan_one_step("UpdateTable", "{\"TableName\":\"t\",\"GlobalSecondaryIndexUpdates\":"
	                             "[{\"Delete\":{\"IndexName\":\"by_g\"}}]}");
	cr_assert(strstr(p.steps[0].summary, "not in the definition") != NULL, "%s",
	          p.steps[0].summary);
}

Test(table_planner, stream_view_change_is_disable_then_enable)
{
	table_of(1, 1);
	set(want, "StreamSpecification",
	    "{\"StreamEnabled\":true,\"StreamViewType\":\"KEYS_ONLY\"}");
	plan(cur);
	cr_assert_eq(p.count, 2);
	assert_step(&p, 0, "UpdateTable",
	            "{\"TableName\":\"t\",\"StreamSpecification\":{\"StreamEnabled\":false}}");
	assert_step(&p, 1, "UpdateTable",
	            "{\"TableName\":\"t\",\"StreamSpecification\":{\"StreamEnabled\":true,"
	            "\"StreamViewType\":\"KEYS_ONLY\"}}");
}

Test(table_planner, ttl_changes_only_when_they_differ)
{
	table_of(1, 1);
	set(want, "TimeToLiveSpecification", "{\"Enabled\":false}");
	plan_one_step("UpdateTimeToLive",
	              "{\"TableName\":\"t\",\"TimeToLiveSpecification\":{\"Enabled\":false,"
	              "\"AttributeName\":\"exp\"}}");
	set(want, "TimeToLiveSpecification", "{\"Enabled\":true,\"AttributeName\":\"gone_at\"}");
	plan(cur);
	/* AWS refuses a second UpdateTimeToLive for up to an hour: the rename is
	 * one step now (the disable), and the summary says the enable must wait. */
	cr_assert_eq(p.count, 1, "another attribute: one step, not disable and enable at once");
	assert_step(&p, 0, "UpdateTimeToLive",
	            "{\"TableName\":\"t\",\"TimeToLiveSpecification\":{\"Enabled\":false,"
	            "\"AttributeName\":\"exp\"}}");
	cr_assert_not_null(strstr(p.steps[0].summary, "rename TTL attribute exp -> gone_at"), "%s",
	                   p.steps[0].summary);
	cr_assert_not_null(strstr(p.steps[0].summary, "hour"), "%s", p.steps[0].summary);
}

Test(table_planner, pitr_and_tags)
{
	table_of(1, 1);
	set(want, "PointInTimeRecoverySpecification", "{\"PointInTimeRecoveryEnabled\":true}");
	set(want, "Tags",
	    "[{\"Key\":\"team\",\"Value\":\"data\"},{\"Key\":\"env\",\"Value\":\"dev\"}]");
	plan(cur);
	assert_steps(
	    (const char *const[][2]){
	        {"UpdateContinuousBackups",
	         "{\"TableName\":\"t\",\"PointInTimeRecoverySpecification\":"
	         "{\"PointInTimeRecoveryEnabled\":true}}"},
	        {"TagResource",
	         "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/t\","
	         "\"Tags\":[{\"Key\":\"env\",\"Value\":\"dev\"},{\"Key\":\"team\","
	         "\"Value\":\"data\"}]}"},
	        {"UntagResource",
	         "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/t\","
	         "\"TagKeys\":[\"old\"]}"}},
	    3);
}

Test(table_planner, several_changes_run_in_dynamodb_order)
{
	table_of(1, 1);
	cJSON *gsi = cJSON_GetArrayItem(cJSON_GetObjectItem(want, "GlobalSecondaryIndexes"), 0);
	set(gsi, "Projection", "{\"ProjectionType\":\"KEYS_ONLY\"}");
	set(want, "ProvisionedThroughput", "{\"ReadCapacityUnits\":6,\"WriteCapacityUnits\":5}");
	set(want, "TableClass", "\"STANDARD_INFREQUENT_ACCESS\"");
	set(want, "DeletionProtectionEnabled", "true");
	set(want, "StreamSpecification", "{\"StreamEnabled\":false}");
	set(want, "TimeToLiveSpecification", "{\"Enabled\":false}");
	set(want, "Tags", "[{\"Key\":\"team\",\"Value\":\"core\"}]");
	plan(cur);
	static const char *const summaries[] = {
	    "delete index by_g", "ProvisionedThroughput",     "TableClass",  "create index by_g",
	    "disable stream",    "DeletionProtectionEnabled", "disable TTL", "remove tags old"};
	cr_assert_eq(p.count, 8);
	for (size_t i = 0; i < 8; i++)
		cr_assert(strncmp(p.steps[i].summary, summaries[i], strlen(summaries[i])) == 0,
		          "step %zu is \"%s\", expected \"%s...\"", i, p.steps[i].summary,
		          summaries[i]);
	assert_step(&p, 0, "UpdateTable",
	            "{\"TableName\":\"t\",\"GlobalSecondaryIndexUpdates\":[{\"Delete\":"
	            "{\"IndexName\":\"by_g\"}}]}");
}

Test(table_planner, key_schema_lsi_and_key_type_changes_need_replacement)
{
	static const char *const changes[][2] = {
	    {"KeySchema", "[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}]"},
	    {"AttributeDefinitions", "[{\"AttributeName\":\"id\",\"AttributeType\":\"N\"},"
	                             "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}]"},
	    {"LocalSecondaryIndexes", "[{\"IndexName\":\"l\",\"KeySchema\":[{\"AttributeName\":"
	                              "\"id\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"g\","
	                              "\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":"
	                              "\"ALL\"}}]"},
	};
	for (size_t i = 0; i < 3; i++) {
		table_of(1, 1);
		set(want, changes[i][0], changes[i][1]);
		set(want, "ProvisionedThroughput",
		    "{\"ReadCapacityUnits\":9,\"WriteCapacityUnits\":9}");
		plan(cur);
		cr_assert_eq(p.count, 1, "only the replacement, nothing else (%s)", changes[i][0]);
		assert_step(&p, 0, "DeleteTable", "{\"TableName\":\"t\"}");
		cr_assert_eq(p.steps[0].flags, PCF_STEP_REPLACE | PCF_STEP_DESTRUCTIVE);
	}
}

Test(table_planner, after_create_only_ttl_and_pitr_need_calls)
{
	table_of(1, 1);
	set(want, "PointInTimeRecoverySpecification", "{\"PointInTimeRecoveryEnabled\":true}");
	plan(NULL);
	assert_steps(
	    (const char *const[][2]){
	        {"UpdateTimeToLive",
	         "{\"TableName\":\"t\",\"TimeToLiveSpecification\":{\"Enabled\":true,"
	         "\"AttributeName\":\"exp\"}}"},
	        {"UpdateContinuousBackups",
	         "{\"TableName\":\"t\",\"PointInTimeRecoverySpecification\":"
	         "{\"PointInTimeRecoveryEnabled\":true}}"}},
	    2);
	set(want, "PointInTimeRecoverySpecification", "{\"PointInTimeRecoveryEnabled\":false}");
	set(want, "TimeToLiveSpecification", "{\"Enabled\":false}");
	plan(NULL);
	cr_assert_eq(p.count, 0, "disabled features need no call after create");
}

Test(table_planner, on_demand_tables_never_get_a_throughput_step)
{
	table_of(0, 0);
	cJSON *gsi = cJSON_GetArrayItem(cJSON_GetObjectItem(want, "GlobalSecondaryIndexes"), 0);
	set(gsi, "ProvisionedThroughput", "{\"ReadCapacityUnits\":3,\"WriteCapacityUnits\":3}");
	plan(cur);
	cr_assert_eq(p.count, 0);
}
