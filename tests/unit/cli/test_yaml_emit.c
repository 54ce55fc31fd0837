/*
 * YAML output for `pcf export`: what it writes reads back, through pcf's
 * own definitions loader, as the same tree; strings that look like other
 * types stay strings; short scalar maps are written in flow style.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/cli.h"

static char *write_yaml(const cJSON *tree)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_not_null(f);
	cr_assert_eq(pcf_cli_yaml_write(f, tree, &err), 0, "%s", err.message);
	fclose(f);
	return text;
}

static const char particle_json[] =
    "{\"pcf_name\":\"orders\",\"flavor\":\"dynamodb_table\",\"desired_state\":\"running\","
    "\"aws_resource\":{\"TableName\":\"orders\","
    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"email\",\"AttributeType\":\"S\"}],"
    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
    "\"BillingMode\":\"PROVISIONED\","
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},"
    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\","
    "\"KeySchema\":[{\"AttributeName\":\"email\",\"KeyType\":\"HASH\"}],"
    "\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"yes\",\"123\",\"\"]},"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}}],"
    "\"TimeToLiveSpecification\":{\"Enabled\":true,\"AttributeName\":\"expires_at\"},"
    "\"DeletionProtectionEnabled\":false}}";

Test(cli_yaml, particle_round_trips_through_the_loader)
{
	cJSON *tree = cJSON_Parse(particle_json);
	pcf_definitions *defs = NULL;
	pcf_diags diags;
	char *text;

	cr_assert_not_null(tree);
	text = write_yaml(tree);
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, text, strlen(text), "export.yml", &diags),
	             0, "%s", text);
	cr_assert_eq(defs->count, 1);
	cr_assert_str_eq(defs->particles[0].name, "orders");
	cr_assert(cJSON_Compare(defs->particles[0].aws_resource,
	                        cJSON_GetObjectItem(tree, "aws_resource"), 1),
	          "YAML:\n%s", text);
	pcf_definitions_free(defs);
	pcf_diags_cleanup(&diags);
	free(text);
	cJSON_Delete(tree);
}

Test(cli_yaml, typed_looking_strings_are_quoted)
{
	cJSON *tree = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(tree, "a", "true");
	cJSON_AddStringToObject(tree, "b", "10");
	cJSON_AddStringToObject(tree, "c", "null");
	cJSON_AddStringToObject(tree, "d", "plain");
	cJSON_AddNumberToObject(tree, "e", 10);
	cJSON_AddNumberToObject(tree, "f", 1.5);
	text = write_yaml(tree);
	cr_assert_not_null(strstr(text, "a: \"true\""), "%s", text);
	cr_assert_not_null(strstr(text, "b: \"10\""), "%s", text);
	cr_assert_not_null(strstr(text, "c: \"null\""), "%s", text);
	cr_assert_not_null(strstr(text, "d: plain"), "%s", text);
	cr_assert_not_null(strstr(text, "e: 10"), "%s", text);
	cr_assert_not_null(strstr(text, "f: 1.5"), "%s", text);
	free(text);
	cJSON_Delete(tree);
}

Test(cli_yaml, short_scalar_maps_are_one_line)
{
	cJSON *tree = cJSON_Parse(particle_json);
	char *text = write_yaml(tree);

	cr_assert_not_null(strstr(text, "{ReadCapacityUnits: 5, WriteCapacityUnits: 5}"), "%s",
	                   text);
	free(text);
	cJSON_Delete(tree);
}

Test(cli_yaml, nothing_to_write_is_an_error)
{
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_cli_yaml_write(stdout, NULL, &err), PCF_EINVAL);
	cr_assert_neq(err.message[0], '\0');
}
