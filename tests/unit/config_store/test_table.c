/*
 * The config table helpers that need no server: reading the table a
 * definition names, and the refusals made before any request.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "json_assert.h"
#include "src/config_store/store_internal.h"

Test(config_store_table, from_resource_reads_the_names_and_region)
{
	cJSON *r = pcf_test_json_parse("{\"TableName\":\"app_config\",\"StoreKey\":\"s\","
	                               "\"OptionKey\":\"o\",\"region_name\":\"eu-west-1\"}");
	pcf_config_table t;
	const char *region = NULL;
	cr_assert_eq(pcf_config_table_from_resource(&t, &region, r, NULL), 0);
	cr_assert_str_eq(t.name, "app_config");
	cr_assert_str_eq(t.store_key, "s");
	cr_assert_str_eq(t.option_key, "o");
	cr_assert_str_eq(region, "eu-west-1");
	cJSON_Delete(r);
}

Test(config_store_table, from_resource_leaves_defaults_to_the_library)
{
	cJSON *r = pcf_test_json_parse("{\"TableName\":\"app_config\"}");
	pcf_config_table t;
	const char *region = "stale";
	cr_assert_eq(pcf_config_table_from_resource(&t, &region, r, NULL), 0);
	cr_assert_null(t.store_key);
	cr_assert_null(region);
	cr_assert_str_eq(config_store_key(&t), "_store");
	cr_assert_str_eq(config_option_key(&t), "_option");
	/* region may be NULL when the caller has no use for it. */
	cr_assert_eq(pcf_config_table_from_resource(&t, NULL, r, NULL), 0);
	cJSON_Delete(r);
}

Test(config_store_table, from_resource_without_table_name_is_refused)
{
	cJSON *r = pcf_test_json_parse("{\"StoreKey\":\"s\"}");
	pcf_config_table t;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_table_from_resource(&t, NULL, r, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "TableName") != NULL, "%s", err.message);
	cr_assert_null(t.name);
	cr_assert_eq(pcf_config_table_from_resource(&t, NULL, NULL, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "aws_resource") != NULL, "%s", err.message);
	cJSON_Delete(r);
}

Test(config_store_table, bad_tables_and_units_are_refused_before_any_request)
{
	pcf_config_table t = {"cfg", "k", "k"};
	pcf_config_table ok = {"cfg", NULL, NULL};
	pcf_config_create_options o = PCF_CONFIG_CREATE_OPTIONS_INIT;
	pcf_aws_options ao = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;

	/* Nothing listens there: a request would fail, and none is made. */
	ao.endpoint = "http://127.0.0.1:9";
	ao.region = "us-east-1";
	ao.max_attempts = 1;
	cr_assert_eq(pcf_ddb_new(&db, &ao, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_config_table_check(db, &t, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "'k'") != NULL, "%s", err.message);
	cr_assert_eq(pcf_config_table_check(NULL, &ok, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "DynamoDB client") != NULL, "%s", err.message);
	o.read_units = 0;
	cr_assert_eq(pcf_config_table_ensure(db, &ok, &o, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "units") != NULL, "%s", err.message);
	cr_assert_eq(config_table_create(db, &ok, 1, 0, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "units") != NULL, "%s", err.message);
	pcf_ddb_free(db);
}
