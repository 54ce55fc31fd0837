/*
 * pcf_schema_check: the messages a flavor's schema produces, at the exact
 * path and position, all of them at once; string coercion of scalars.
 * The schema below is a small stand-in shaped like CreateTable's.
 */
#include <criterion/criterion.h>
#include <pcf/definitions.h>
#include <pcf/error.h>

#include "defs_test.h"

static const char *const key_types[] = {"HASH", "RANGE", NULL};
static const char *const billing_modes[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};
static const char *const features[] = {"streams", "ttl", NULL};

static const pcf_schema_field key_fields[] = {
    {"AttributeName", PCF_SCHEMA_STRING, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"KeyType", PCF_SCHEMA_STRING, PCF_SCHEMA_REQUIRED, key_types, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema key_schema = {"KeySchema element", key_fields, 2, 0};

static const pcf_schema_field throughput_fields[] = {
    {"ReadCapacityUnits", PCF_SCHEMA_INTEGER, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY,
     NULL},
    {"WriteCapacityUnits", PCF_SCHEMA_INTEGER, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY,
     NULL},
};
static const pcf_schema throughput = {"ProvisionedThroughput", throughput_fields, 2, 0};

static const pcf_schema_field table_fields[] = {
    {"TableName", PCF_SCHEMA_STRING, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"KeySchema", PCF_SCHEMA_LIST, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_OBJECT, &key_schema},
    {"BillingMode", PCF_SCHEMA_STRING, 0, billing_modes, NULL, PCF_SCHEMA_ANY, NULL},
    {"ProvisionedThroughput", PCF_SCHEMA_OBJECT, 0, NULL, &throughput, PCF_SCHEMA_ANY, NULL},
    {"DeletionProtectionEnabled", PCF_SCHEMA_BOOL, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"Ratio", PCF_SCHEMA_NUMBER, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"Features", PCF_SCHEMA_LIST, 0, features, NULL, PCF_SCHEMA_STRING, NULL},
    {"Options", PCF_SCHEMA_MAP, 0, NULL, NULL, PCF_SCHEMA_OBJECT, &throughput},
    {"Anything", PCF_SCHEMA_ANY, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema table = {"CreateTable request", table_fields, 9, 0};

TestSuite(definitions_schema);

/* Loads text, checks its aws_resource against `table`, compares the diags. */
static void check(const char *text, size_t expected_count, const char *expected)
{
	pcf_definitions *defs = expect_load("s.yml", text);
	pcf_diags d;
	size_t n;
	char *got;

	pcf_diags_init(&d);
	n = pcf_schema_check(&table, defs->particles[0].aws_resource, "aws_resource",
	                     &defs->particles[0], &d);
	got = diags_text(&d);
	cr_expect_eq(n, expected_count, "%zu problems:\n%s", n, got);
	cr_expect_eq(d.count, expected_count);
	cr_expect_str_eq(got, expected);
	free(got);
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}

#define HEAD "pcf_name: t\nflavor: dynamodb_table\naws_resource:\n"

Test(definitions_schema, a_valid_resource_passes)
{
	check(HEAD "  TableName: t\n  KeySchema:\n    - {AttributeName: id, KeyType: HASH}\n"
	           "  BillingMode: PROVISIONED\n"
	           "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 1e1}\n"
	           "  DeletionProtectionEnabled: false\n  Ratio: 0.5\n  Features: [ttl]\n"
	           "  Options: {a: {ReadCapacityUnits: 1, WriteCapacityUnits: 2}}\n"
	           "  Anything: [1, {x: y}]\n",
	      0, "");
}

Test(definitions_schema, inherited_values_pass_until_the_engine_resolves_them)
{
	check(HEAD "  TableName: $inherit$dynamodb_table:users$TableName\n  KeySchema:\n"
	           "    - {AttributeName: id, KeyType: HASH}\n"
	           "  ProvisionedThroughput: {ReadCapacityUnits: "
	           "\"$inherit$dynamodb_table:users$ProvisionedThroughput.ReadCapacityUnits\", "
	           "WriteCapacityUnits: 1}\n"
	           "  DeletionProtectionEnabled: "
	           "$inherit$dynamodb_table:users$DeletionProtectionEnabled\n",
	      0, "");
	/* Anything else of the wrong type is still reported. */
	check(HEAD "  TableName: t\n  KeySchema:\n    - {AttributeName: id, KeyType: HASH}\n"
	           "  DeletionProtectionEnabled: inherit\n",
	      1,
	      "s.yml:7:30: aws_resource.DeletionProtectionEnabled: expected true or false, found "
	      "\"inherit\"");
}

Test(definitions_schema, enum_value_with_position)
{
	check(HEAD "  TableName: t\n  KeySchema:\n    - AttributeName: id\n      KeyType: HASHH\n",
	      1,
	      "s.yml:7:16: aws_resource.KeySchema[0].KeyType: expected one of HASH, RANGE, found "
	      "\"HASHH\"");
}

Test(definitions_schema, every_problem_at_once)
{
	check(
	    HEAD
	    "  TableNam: t\n"
	    "  KeySchema:\n    - {KeyType: HASH}\n    - AttributeName: sk\n      KeyType: range\n"
	    "  BillingMode: ON_DEMAND\n"
	    "  ProvisionedThroughput: {ReadCapacityUnits: five, WriteCapacityUnits: 2.5}\n"
	    "  DeletionProtectionEnabled: yes\n  Ratio: \"0.5\"\n  Features: [ttl, backups]\n"
	    "  Options: {a: 1}\n",
	    11,
	    "s.yml:4:3: aws_resource.TableNam: unknown field in CreateTable request: expected one "
	    "of TableName, KeySchema, BillingMode, ProvisionedThroughput, "
	    "DeletionProtectionEnabled, Ratio, Features, Options or Anything (did you mean "
	    "\"TableName\"?)\n"
	    "s.yml:6:7: aws_resource.KeySchema[0]: expected required field \"AttributeName\" (a "
	    "string) in KeySchema element, found none\n"
	    "s.yml:8:16: aws_resource.KeySchema[1].KeyType: expected one of HASH, RANGE, found "
	    "\"range\"\n"
	    "s.yml:9:16: aws_resource.BillingMode: expected one of PROVISIONED, PAY_PER_REQUEST, "
	    "found \"ON_DEMAND\"\n"
	    "s.yml:10:46: aws_resource.ProvisionedThroughput.ReadCapacityUnits: expected an "
	    "integer, found \"five\"\n"
	    "s.yml:10:72: aws_resource.ProvisionedThroughput.WriteCapacityUnits: expected an "
	    "integer, found 2.5\n"
	    "s.yml:11:30: aws_resource.DeletionProtectionEnabled: expected true or false, found "
	    "\"yes\" (pcf reads YAML 1.2, where only true and false are booleans)\n"
	    "s.yml:12:10: aws_resource.Ratio: expected a number, found \"0.5\"\n"
	    "s.yml:13:19: aws_resource.Features[1]: expected one of streams, ttl, found "
	    "\"backups\"\n"
	    "s.yml:14:16: aws_resource.Options.a: expected a mapping (ProvisionedThroughput), "
	    "found 1\n"
	    "s.yml:4:3: aws_resource: expected required field \"TableName\" (a string) in "
	    "CreateTable request, found none");
}

Test(definitions_schema, wrong_container_types)
{
	check(HEAD "  TableName: [t]\n  KeySchema: {AttributeName: id}\n"
	           "  ProvisionedThroughput: 5\n  Options: []\n  BillingMode:\n",
	      5,
	      "s.yml:4:14: aws_resource.TableName: expected a string, found a list\n"
	      "s.yml:5:14: aws_resource.KeySchema: expected a list, found a mapping\n"
	      "s.yml:6:26: aws_resource.ProvisionedThroughput: expected a mapping "
	      "(ProvisionedThroughput), found 5\n"
	      "s.yml:7:12: aws_resource.Options: expected a mapping, found a list\n"
	      "s.yml:8:15: aws_resource.BillingMode: expected a string, found null (an empty "
	      "value)");
}

Test(definitions_schema, scalars_pass_the_check_and_become_strings_when_normalised)
{
	pcf_definitions *defs = expect_load(
	    "c.yml",
	    HEAD "  TableName: 2024\n  KeySchema:\n    - {AttributeName: 7.5, KeyType: HASH}\n"
	         "    - {AttributeName: true, KeyType: RANGE}\n");
	const cJSON *r = defs->particles[0].aws_resource, *keys;
	cJSON *before = cJSON_Duplicate(r, 1);
	pcf_diags d;

	pcf_diags_init(&d);
	cr_expect_eq(pcf_schema_check(&table, defs->particles[0].aws_resource, "aws_resource",
	                              &defs->particles[0], &d),
	             0);
	cr_expect(cJSON_Compare(before, r, 1), "the check changed the tree");
	cJSON_Delete(before);
	cr_expect_eq(pcf_schema_normalize(&table, defs->particles[0].aws_resource), 0);
	keys = cJSON_GetObjectItem(r, "KeySchema");
	cr_expect_str_eq(cJSON_GetObjectItem(r, "TableName")->valuestring, "2024");
	cr_expect_str_eq(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(keys, 0), "AttributeName")->valuestring, "7.5");
	cr_expect_str_eq(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(keys, 1), "AttributeName")->valuestring, "true");
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}

Test(definitions_schema, unknown_fields_pass_when_allowed)
{
	static const pcf_schema open_table = {"open", table_fields, 9, 1};
	pcf_definitions *defs =
	    expect_load("o.yml", HEAD "  TableName: t\n  KeySchema: []\n  Extra: {any: thing}\n");
	pcf_diags d;

	pcf_diags_init(&d);
	cr_expect_eq(pcf_schema_check(&open_table, defs->particles[0].aws_resource, "aws_resource",
	                              &defs->particles[0], &d),
	             0);
	cr_expect_eq(d.count, 0);
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}

Test(definitions_schema, a_node_that_is_not_a_mapping)
{
	pcf_definitions *defs = expect_load("n.yml", HEAD "  TableName: t\n");
	cJSON *name = cJSON_GetObjectItem(defs->particles[0].aws_resource, "TableName");
	pcf_diags d;
	char *got;

	pcf_diags_init(&d);
	cr_expect_eq(
	    pcf_schema_check(&table, name, "aws_resource.TableName", &defs->particles[0], &d), 1);
	got = diags_text(&d);
	cr_expect_str_eq(got, "n.yml:4:14: aws_resource.TableName: expected a mapping (CreateTable "
	                      "request), found \"t\"");
	free(got);
	cr_expect_eq(pcf_schema_check(&table, NULL, "x", &defs->particles[0], NULL), 1);
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}
