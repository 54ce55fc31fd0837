/*
 * $inherit$ values: parsing "$inherit$flavor:name$path" and looking a path
 * up in a DescribeTable-shaped tree (shape from the DynamoDB API reference,
 * values made up).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/inherit.h"

static const char *table =
    "{\"TableName\":\"users\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/users\","
    "\"KeySchema\":[{\"AttributeName\":\"user_id\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"created\",\"KeyType\":\"RANGE\"}],"
    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by.email\",\"IndexArn\":\"arn:idx\","
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":4}}]}";

Test(inherit, parse_splits_id_and_path)
{
	char id[64];
	const char *path = NULL;
	cr_assert_eq(
	    pcf_inherit_parse("$inherit$dynamodb_table:users$TableArn", id, sizeof(id), &path), 1);
	cr_assert_str_eq(id, "dynamodb_table:users");
	cr_assert_str_eq(path, "TableArn");
	cr_assert_eq(pcf_inherit_parse("plain", id, sizeof(id), &path), 0);
	cr_assert_eq(pcf_inherit_parse("$inherit$users", id, sizeof(id), &path), -1);
	cr_assert_eq(pcf_inherit_parse("$inherit$$x", id, sizeof(id), &path), -1);
	cr_assert_eq(pcf_inherit_parse("$inherit$a:b$", id, sizeof(id), &path), -1);
	cr_assert_eq(pcf_inherit_parse("$inherit$a-very-long-id$x", id, 4, &path), -1);
}

Test(inherit, path_get_follows_keys_indices_and_names)
{
	cJSON *t = cJSON_Parse(table);
	const cJSON *v;

	v = pcf_inherit_path_get(t, "TableArn");
	cr_assert_str_eq(v->valuestring, "arn:aws:dynamodb:us-east-1:000000000000:table/users");
	v = pcf_inherit_path_get(t, "KeySchema[1].AttributeName");
	cr_assert_str_eq(v->valuestring, "created");
	v = pcf_inherit_path_get(t, "GlobalSecondaryIndexes[by.email].IndexArn");
	cr_assert_str_eq(v->valuestring, "arn:idx");
	v = pcf_inherit_path_get(t, "GlobalSecondaryIndexes[by.email].ProvisionedThroughput."
	                            "ReadCapacityUnits");
	cr_assert_eq(v->valueint, 4);
	v = pcf_inherit_path_get(t, "KeySchema[user_id].KeyType");
	cr_assert_str_eq(v->valuestring, "HASH");
	cr_assert_null(pcf_inherit_path_get(t, "KeySchema[7]"));
	cr_assert_null(pcf_inherit_path_get(t, "KeySchema[-1]"));
	cr_assert_null(pcf_inherit_path_get(t, "Nope.Deeper"));
	cr_assert_null(pcf_inherit_path_get(t, "TableName.Deeper"));
	cr_assert_null(pcf_inherit_path_get(t, "KeySchema[0"));
	cr_assert_null(pcf_inherit_path_get(NULL, "TableArn"));
	cJSON_Delete(t);
}
