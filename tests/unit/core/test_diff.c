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

static pcf_drift run_diff(const char *desired, const char *current, const pcf_diff_options *options)
{
	cJSON *d = pcf_test_json_parse(desired), *c = pcf_test_json_parse(current);
	pcf_drift drift;
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_diff(&drift, d, c, options), 0);
	cJSON_Delete(d);
	cJSON_Delete(c);
	return drift;
}

/* Asserts drift holds exactly one entry, at path. */
static void assert_only_drift(const pcf_drift *drift, const char *path)
{
	cr_assert_eq(drift->count, 1);
	cr_assert_str_eq(drift->entries[0].path, path);
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
	pcf_diff_options o = {server_fields, table_keys, NULL};
	pcf_drift drift = run_diff(matching_definition, describe_table, &o);
	for (size_t i = 0; i < drift.count; i++)
		cr_log_error("unexpected drift at %s", drift.entries[i].path);
	cr_assert_eq(drift.count, 0);
	pcf_drift_cleanup(&drift);
}

Test(diff, index_throughput_change_is_named_by_index)
{
	pcf_diff_options o = {server_fields, table_keys, NULL};
	cJSON *d = pcf_test_json_parse(matching_definition),
	      *c = pcf_test_json_parse(describe_table);
	cJSON *gsi = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "GlobalSecondaryIndexes"), 0);
	set_path(cJSON_GetObjectItem(gsi, "ProvisionedThroughput"), "ReadCapacityUnits",
	         cJSON_CreateNumber(10));
	pcf_drift drift;
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_diff(&drift, d, c, &o), 0);
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
	pcf_drift drift = run_diff("{\"TableName\":\"orders\"}", describe_table, NULL);
	cr_assert_eq(drift.count, 0);
	pcf_drift_cleanup(&drift);
}

Test(diff, field_missing_from_current_is_drift_with_null_current)
{
	pcf_drift drift =
	    run_diff("{\"StreamSpecification\":{\"StreamEnabled\":true}}", describe_table, NULL);
	assert_only_drift(&drift, "StreamSpecification");
	cr_assert_null(drift.entries[0].current);
	cr_assert(cJSON_IsObject(drift.entries[0].desired));
	pcf_drift_cleanup(&drift);
}

Test(diff, empty_desired_list_equals_absent_current)
{
	pcf_drift drift = run_diff("{\"LocalSecondaryIndexes\":[],\"SSESpecification\":{}}",
	                           describe_table, NULL);
	cr_assert_eq(drift.count, 0);
	pcf_drift_cleanup(&drift);
}

Test(diff, new_index_is_drift_with_null_current)
{
	pcf_diff_options o = {server_fields, table_keys, NULL};
	pcf_drift drift = run_diff("{\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\"},"
	                           "{\"IndexName\":\"by.date\",\"KeySchema\":[]}]}",
	                           describe_table, &o);
	assert_only_drift(&drift, "GlobalSecondaryIndexes[by.date]");
	cr_assert_null(drift.entries[0].current);
	pcf_drift_cleanup(&drift);
}

Test(diff, element_only_in_current_is_drift_unless_list_is_open)
{
	pcf_diff_options closed = {NULL, table_keys, NULL};
	pcf_drift drift =
	    run_diff("{\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"}]}", describe_table, &closed);
	assert_only_drift(&drift, "Tags[env]");
	cr_assert_null(drift.entries[0].desired);
	cr_assert_str_eq(cJSON_GetObjectItem(drift.entries[0].current, "Value")->valuestring,
	                 "dev");
	pcf_drift_cleanup(&drift);

	static const char *const open_lists[] = {"Tags", NULL};
	pcf_diff_options open = {NULL, table_keys, open_lists};
	drift =
	    run_diff("{\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"}]}", describe_table, &open);
	cr_assert_eq(drift.count, 0);
	pcf_drift_cleanup(&drift);
}

Test(diff, changed_tag_value_is_named_by_key)
{
	pcf_diff_options o = {NULL, table_keys, NULL};
	pcf_drift drift = run_diff("{\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"},{\"Key\":"
	                           "\"team\",\"Value\":\"core\"}]}",
	                           describe_table, &o);
	assert_only_drift(&drift, "Tags[env].Value");
	cr_assert_str_eq(drift.entries[0].desired->valuestring, "prod");
	cr_assert_str_eq(drift.entries[0].current->valuestring, "dev");
	pcf_drift_cleanup(&drift);
}

Test(diff, unkeyed_lists_compare_as_multisets)
{
	pcf_drift drift = run_diff("{\"L\":[1,2,2]}", "{\"L\":[2,1,2]}", NULL);
	cr_assert_eq(drift.count, 0);
	pcf_drift_cleanup(&drift);
	drift = run_diff("{\"L\":[1,2,2]}", "{\"L\":[2,1,1]}", NULL);
	assert_only_drift(&drift, "L");
	cr_assert(cJSON_IsArray(drift.entries[0].current));
	pcf_drift_cleanup(&drift);
}

Test(diff, non_key_attribute_change_is_reported_on_the_list)
{
	pcf_diff_options o = {server_fields, table_keys, NULL};
	pcf_drift drift = run_diff("{\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\","
	                           "\"Projection\":{\"NonKeyAttributes\":[\"a\",\"c\"]}}]}",
	                           describe_table, &o);
	assert_only_drift(&drift, "GlobalSecondaryIndexes[by_email].Projection.NonKeyAttributes");
	pcf_drift_cleanup(&drift);
}

Test(diff, numbers_compare_by_value_strings_exactly)
{
	pcf_drift drift = run_diff("{\"a\":5,\"b\":\"5\",\"c\":\"x\",\"d\":1e1}",
	                           "{\"a\":5.0,\"b\":5,\"c\":\"X\",\"d\":10}", NULL);
	assert_only_drift(&drift, "c");
	pcf_drift_cleanup(&drift);
}

Test(diff, type_changes_and_booleans)
{
	pcf_drift drift = run_diff("{\"a\":true,\"b\":false,\"c\":{\"x\":1},\"d\":\"true\"}",
	                           "{\"a\":true,\"b\":true,\"c\":[1],\"d\":true}", NULL);
	cr_assert_eq(drift.count, 3);
	cr_assert_not_null(find_path(&drift, "b"));
	cr_assert_not_null(find_path(&drift, "c"));
	cr_assert_not_null(find_path(&drift, "d"));
	pcf_drift_cleanup(&drift);
}

Test(diff, ignore_patterns_match_by_segment)
{
	static const char *const ignore[] = {"region_name", "*.Skip", "G[*].Arn", NULL};
	pcf_diff_options o = {ignore, table_keys, NULL};
	pcf_drift drift = run_diff("{\"region_name\":\"eu-west-1\",\"P\":{\"Skip\":1,\"Keep\":1},"
	                           "\"G\":[{\"IndexName\":\"i\",\"Arn\":\"x\",\"Other\":\"y\"}]}",
	                           "{\"P\":{\"Skip\":2,\"Keep\":2},\"G\":[{\"IndexName\":\"i\","
	                           "\"Arn\":\"z\",\"Other\":\"w\"}]}",
	                           &o);
	cr_assert_eq(drift.count, 2);
	cr_assert_not_null(find_path(&drift, "P.Keep"));
	cr_assert_not_null(find_path(&drift, "G[i].Other"));
	pcf_drift_cleanup(&drift);
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
