/*
 * The structural diff, with desired trees shaped like a pcf.yml
 * aws_resource and current trees shaped like a DynamoDB DescribeTable
 * "Table" (field names and nesting from the DynamoDB API reference,
 * values made up).
 */
#include <criterion/criterion.h>
#include <pcf/flavor.h>
#include <string.h>

#include "json_assert.h"

static const char *const table_keys[] = {"IndexName", "AttributeName", "Key", NULL};
static const char *const server_fields[] = {"TableStatus",
                                            "TableArn",
                                            "TableId",
                                            "ItemCount",
                                            "TableSizeBytes",
                                            "GlobalSecondaryIndexes[*].IndexArn",
                                            "*.ProvisionedThroughput.NumberOfDecreasesToday",
                                            NULL};

/* Lists matched by their keys; with table_options also the fields the
 * server adds left out. */
static const pcf_diff_options keyed_options = {NULL, table_keys, NULL};
static const pcf_diff_options table_options = {server_fields, table_keys, NULL};

static const char *describe_table =
    "{\"TableName\":\"orders\",\"TableStatus\":\"ACTIVE\","
    "\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/orders\","
    "\"ItemCount\":0,\"TableSizeBytes\":0,"
    "\"AttributeDefinitions\":[{\"AttributeName\":\"email\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5,"
    "\"NumberOfDecreasesToday\":0},"
    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\",\"IndexStatus\":\"ACTIVE\","
    "\"IndexArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/orders/index/by_email\","
    "\"KeySchema\":[{\"AttributeName\":\"email\",\"KeyType\":\"HASH\"}],"
    "\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"a\",\"b\"]},"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1,"
    "\"NumberOfDecreasesToday\":0}}],"
    "\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"},{\"Key\":\"env\",\"Value\":\"dev\"}]}";

/* The definition that created the table above, lists in another order. */
static const char *matching_definition =
    "{\"TableName\":\"orders\","
    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"email\",\"AttributeType\":\"S\"}],"
    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5.0,\"WriteCapacityUnits\":\"5\"},"
    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\","
    "\"KeySchema\":[{\"AttributeName\":\"email\",\"KeyType\":\"HASH\"}],"
    "\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"b\",\"a\"]},"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}}],"
    "\"Tags\":[{\"Key\":\"env\",\"Value\":\"dev\"},{\"Key\":\"team\",\"Value\":\"core\"}]}";

/* The drift of the test's last run_diff; the next one or the end of the test frees it. */
static pcf_drift the_drift;

static void drop_drift(void)
{
	pcf_drift_cleanup(&the_drift);
}

TestSuite(diff, .fini = drop_drift);

/* Diffs desired against current into the_drift. */
static void run_diff(const char *desired, const char *current, const pcf_diff_options *options)
{
	cJSON *d = pcf_test_json_parse(desired), *c = pcf_test_json_parse(current);
	pcf_drift_cleanup(&the_drift);
	cr_assert_eq(pcf_diff(&the_drift, d, c, options), 0);
	cJSON_Delete(d);
	cJSON_Delete(c);
}

/* Diffs desired against current (run_diff): the drift is one entry, at path. */
static void expect_only_drift(const char *desired, const char *current,
                              const pcf_diff_options *options, const char *path)
{
	run_diff(desired, current, options);
	cr_assert_eq(the_drift.count, 1);
	cr_assert_str_eq(the_drift.entries[0].path, path);
}

static const pcf_drift_entry *find_path(const pcf_drift *drift, const char *path)
{
	for (size_t i = 0; i < drift->count; i++)
		if (strcmp(drift->entries[i].path, path) == 0)
			return &drift->entries[i];
	return NULL;
}

static void set_path(cJSON *root, const char *json_pointer_like, cJSON *value);

Test(diff, converged_table_shows_no_drift)
{
	run_diff(matching_definition, describe_table, &table_options);
	for (size_t i = 0; i < the_drift.count; i++)
		cr_log_error("unexpected drift at %s", the_drift.entries[i].path);
	cr_assert_eq(the_drift.count, 0);
}

Test(diff, index_throughput_change_is_named_by_index)
{
	cJSON *d = pcf_test_json_parse(matching_definition),
	      *c = pcf_test_json_parse(describe_table);
	cJSON *gsi = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "GlobalSecondaryIndexes"), 0);
	set_path(cJSON_GetObjectItem(gsi, "ProvisionedThroughput"), "ReadCapacityUnits",
	         cJSON_CreateNumber(10));
	pcf_drift drift;
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_diff(&drift, d, c, &table_options), 0);
	cr_assert_eq(drift.count, 1);
	cr_assert_str_eq(
	    drift.entries[0].path,
	    "GlobalSecondaryIndexes[by_email].ProvisionedThroughput.ReadCapacityUnits");
	cr_assert_eq(drift.entries[0].desired->valuedouble, 10);
	cr_assert_eq(drift.entries[0].current->valuedouble, 1);
	pcf_drift_cleanup(&drift);
	cJSON_Delete(d);
	cJSON_Delete(c);
}

static void set_path(cJSON *root, const char *key, cJSON *value)
{
	cr_assert(cJSON_ReplaceItemInObjectCaseSensitive(root, key, value));
}

Test(diff, omitted_fields_are_not_drift)
{
	run_diff("{\"TableName\":\"orders\"}", describe_table, NULL);
	cr_assert_eq(the_drift.count, 0);
}

Test(diff, field_missing_from_current_is_drift_with_null_current)
{
	expect_only_drift("{\"StreamSpecification\":{\"StreamEnabled\":true}}", describe_table,
	                  NULL, "StreamSpecification");
	cr_assert_null(the_drift.entries[0].current);
	cr_assert(cJSON_IsObject(the_drift.entries[0].desired));
}

Test(diff, empty_desired_list_equals_absent_current)
{
	run_diff("{\"LocalSecondaryIndexes\":[],\"SSESpecification\":{}}", describe_table, NULL);
	cr_assert_eq(the_drift.count, 0);
}

Test(diff, new_index_is_drift_with_null_current)
{
	expect_only_drift("{\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\"},"
	                  "{\"IndexName\":\"by.date\",\"KeySchema\":[]}]}",
	                  describe_table, &table_options, "GlobalSecondaryIndexes[by.date]");
	cr_assert_null(the_drift.entries[0].current);
}

Test(diff, element_only_in_current_is_drift_unless_list_is_open)
{
	expect_only_drift("{\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"}]}", describe_table,
	                  &keyed_options, "Tags[env]");
	cr_assert_null(the_drift.entries[0].desired);
	cr_assert_str_eq(cJSON_GetObjectItem(the_drift.entries[0].current, "Value")->valuestring,
	                 "dev");

	static const char *const open_lists[] = {"Tags", NULL};
	pcf_diff_options open = {NULL, table_keys, open_lists};
	run_diff("{\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"}]}", describe_table, &open);
	cr_assert_eq(the_drift.count, 0);
}

Test(diff, changed_tag_value_is_named_by_key)
{
	expect_only_drift("{\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"},{\"Key\":"
	                  "\"team\",\"Value\":\"core\"}]}",
	                  describe_table, &keyed_options, "Tags[env].Value");
	cr_assert_str_eq(the_drift.entries[0].desired->valuestring, "prod");
	cr_assert_str_eq(the_drift.entries[0].current->valuestring, "dev");
}

Test(diff, unkeyed_lists_compare_as_multisets)
{
	run_diff("{\"L\":[1,2,2]}", "{\"L\":[2,1,2]}", NULL);
	cr_assert_eq(the_drift.count, 0);
	expect_only_drift("{\"L\":[1,2,2]}", "{\"L\":[2,1,1]}", NULL, "L");
	cr_assert(cJSON_IsArray(the_drift.entries[0].current));
}

Test(diff, non_key_attribute_change_is_reported_on_the_list)
{
	expect_only_drift("{\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\","
	                  "\"Projection\":{\"NonKeyAttributes\":[\"a\",\"c\"]}}]}",
	                  describe_table, &table_options,
	                  "GlobalSecondaryIndexes[by_email].Projection.NonKeyAttributes");
}

Test(diff, numbers_compare_by_value_strings_exactly)
{
	expect_only_drift("{\"a\":5,\"b\":\"5\",\"c\":\"x\",\"d\":1e1}",
	                  "{\"a\":5.0,\"b\":5,\"c\":\"X\",\"d\":10}", NULL, "c");
}

Test(diff, type_changes_and_booleans)
{
	run_diff("{\"a\":true,\"b\":false,\"c\":{\"x\":1},\"d\":\"true\"}",
	         "{\"a\":true,\"b\":true,\"c\":[1],\"d\":true}", NULL);
	cr_assert_eq(the_drift.count, 3);
	cr_assert_not_null(find_path(&the_drift, "b"));
	cr_assert_not_null(find_path(&the_drift, "c"));
	cr_assert_not_null(find_path(&the_drift, "d"));
}

Test(diff, ignore_patterns_match_by_segment)
{
	static const char *const ignore[] = {"region_name", "*.Skip", "G[*].Arn", NULL};
	pcf_diff_options o = {ignore, table_keys, NULL};
	run_diff("{\"region_name\":\"eu-west-1\",\"P\":{\"Skip\":1,\"Keep\":1},"
	         "\"G\":[{\"IndexName\":\"i\",\"Arn\":\"x\",\"Other\":\"y\"}]}",
	         "{\"P\":{\"Skip\":2,\"Keep\":2},\"G\":[{\"IndexName\":\"i\","
	         "\"Arn\":\"z\",\"Other\":\"w\"}]}",
	         &o);
	cr_assert_eq(the_drift.count, 2);
	cr_assert_not_null(find_path(&the_drift, "P.Keep"));
	cr_assert_not_null(find_path(&the_drift, "G[i].Other"));
}

Test(diff, null_desired_is_no_drift)
{
	pcf_drift drift;
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_diff(&drift, NULL, NULL, NULL), 0);
	cr_assert_eq(drift.count, 0);
}

Test(diff, appends_to_existing_drift)
{
	pcf_drift drift;
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_drift_add(&drift, "Earlier", NULL, NULL), 0);
	cJSON *d = pcf_test_json_parse("{\"a\":1}"), *c = pcf_test_json_parse("{\"a\":2}");
	cr_assert_eq(pcf_diff(&drift, d, c, NULL), 0);
	cr_assert_eq(drift.count, 2);
	cr_assert_str_eq(drift.entries[1].path, "a");
	pcf_drift_cleanup(&drift);
	cJSON_Delete(d);
	cJSON_Delete(c);
}

Test(filter, keeps_only_listed_present_keys)
{
	static const char *const keys[] = {"TableName", "KeySchema", "Absent", "TableName", NULL};
	cJSON *src = pcf_test_json_parse(describe_table);
	cJSON *f = pcf_filter_keys(src, keys);
	cr_assert_not_null(f);
	cr_assert_eq(cJSON_GetArraySize(f), 2);
	cr_assert_str_eq(cJSON_GetObjectItem(f, "TableName")->valuestring, "orders");
	cr_assert(cJSON_IsArray(cJSON_GetObjectItem(f, "KeySchema")));
	cJSON_Delete(f);
	cJSON_Delete(src);

	f = pcf_filter_keys(NULL, keys);
	cr_assert(cJSON_IsObject(f));
	cr_assert_eq(cJSON_GetArraySize(f), 0);
	cJSON_Delete(f);
}
