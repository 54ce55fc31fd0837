/*
 * Config store values: key=value typing, option data <-> items, grouping
 * Query items into stores, and the table's key schema check. No network.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "json_assert.h"
#include "src/config_store/store_internal.h"

struct typing_case {
	char arg[64];
	char json[96];
};

ParameterizedTestParameters(config_store_values, typing)
{
	static struct typing_case cases[] = {
	    {"port=5432", "{\"port\":5432}"},
	    {"n=-17", "{\"n\":-17}"},
	    {"ratio=1.25", "{\"ratio\":1.25}"},
	    {"z=0", "{\"z\":0}"},
	    {"half=0.5", "{\"half\":0.5}"},
	    {"zip=01234", "{\"zip\":\"01234\"}"},
	    {"lead=00.5", "{\"lead\":\"00.5\"}"},
	    {"dot=1.", "{\"dot\":\"1.\"}"},
	    {"exp=1e5", "{\"exp\":\"1e5\"}"},
	    {"plus=+3", "{\"plus\":\"+3\"}"},
	    {"big=123456789012345678901234", "{\"big\":{\"$N\":\"123456789012345678901234\"}}"},
	    {"tls=true", "{\"tls\":true}"},
	    {"off=false", "{\"off\":false}"},
	    {"True=True", "{\"True\":\"True\"}"},
	    {"none=null", "{\"none\":null}"},
	    {"host=db.internal", "{\"host\":\"db.internal\"}"},
	    {"empty=", "{\"empty\":\"\"}"},
	    {"url=a=b", "{\"url\":\"a=b\"}"},
	    {"space=hello world", "{\"space\":\"hello world\"}"},
	};
	return cr_make_param_array(struct typing_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct typing_case *c, config_store_values, typing)
{
	const char *args[1] = {c->arg};
	cJSON *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_parse_assignments(&out, args, 1, 0, &err), 0, "%s", err.message);
	pcf_test_assert_json(out, c->json);
	cJSON_Delete(out);
}

Test(config_store_values, several_assignments_keep_their_order)
{
	const char *args[] = {"host=db", "port=5432", "tls=true"};
	cJSON *out = NULL;
	cr_assert_eq(pcf_config_parse_assignments(&out, args, 3, 0, NULL), 0);
	cr_assert_str_eq(out->child->string, "host");
	cr_assert_str_eq(out->child->next->next->string, "tls");
	pcf_test_assert_json(out, "{\"host\":\"db\",\"port\":5432,\"tls\":true}");
	cJSON_Delete(out);
}

Test(config_store_values, no_assignments_is_an_empty_object)
{
	cJSON *out = NULL;
	cr_assert_eq(pcf_config_parse_assignments(&out, NULL, 0, 0, NULL), 0);
	pcf_test_assert_json(out, "{}");
	cJSON_Delete(out);
}

Test(config_store_values, json_values)
{
	const char *args[] = {"db={\"host\":\"x\",\"ports\":[1,2]}", "id=\"007\"", "n=12 ",
	                      "f=false"};
	cJSON *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_parse_assignments(&out, args, 4, 1, &err), 0, "%s", err.message);
	pcf_test_assert_json(out,
	                     "{\"db\":{\"host\":\"x\",\"ports\":[1,2]},\"id\":\"007\",\"n\":12,"
	                     "\"f\":false}");
	cJSON_Delete(out);
}

struct bad_case {
	char arg[32];
	int json;
	char message_part[48];
};

ParameterizedTestParameters(config_store_values, refused)
{
	static struct bad_case cases[] = {
	    {"novalue", 0, "expected key=value"}, {"=5", 0, "key is empty"},
	    {"x=not json", 1, "not valid JSON"},  {"x={\"a\":1} junk", 1, "not valid JSON"},
	    {"x=", 1, "not valid JSON"},
	};
	return cr_make_param_array(struct bad_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_case *c, config_store_values, refused)
{
	const char *args[1] = {c->arg};
	cJSON *out = (cJSON *)1;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_parse_assignments(&out, args, 1, c->json, &err), PCF_EINVAL);
	cr_assert_null(out);
	cr_assert(strstr(err.message, c->message_part), "message: %s", err.message);
	cr_assert(strstr(err.message, c->arg), "the argument is named: %s", err.message);
}

Test(config_store_values, duplicate_key_is_refused)
{
	const char *args[] = {"a=1", "a=2"};
	cJSON *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_parse_assignments(&out, args, 2, 0, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "given twice"), "%s", err.message);
	cr_assert_null(out);
}

Test(config_store_values, item_from_data_adds_the_keys)
{
	pcf_config_table t = {"cfg", NULL, NULL};
	cJSON *data =
	    pcf_test_json_parse("{\"host\":\"db\",\"port\":5432,\"tls\":true,\"tags\":[\"a\"],"
	                        "\"extra\":{\"x\":null}}");
	cJSON *item = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_item_from_data(&item, &t, "app1", "db", data, &err), 0, "%s",
	             err.message);
	pcf_test_assert_json(item, "{\"host\":{\"S\":\"db\"},\"port\":{\"N\":\"5432\"},"
	                           "\"tls\":{\"BOOL\":true},\"tags\":{\"L\":[{\"S\":\"a\"}]},"
	                           "\"extra\":{\"M\":{\"x\":{\"NULL\":true}}},"
	                           "\"_store\":{\"S\":\"app1\"},\"_option\":{\"S\":\"db\"}}");
	cJSON_Delete(item);
	cJSON_Delete(data);
}

Test(config_store_values, custom_key_names)
{
	pcf_config_table t = {"cfg", "app", "name"};
	cJSON *data = pcf_test_json_parse("{\"_store\":\"fine here\"}");
	cJSON *item = NULL, *back = NULL;
	cr_assert_eq(pcf_config_item_from_data(&item, &t, "s", "o", data, NULL), 0);
	pcf_test_assert_json(item, "{\"_store\":{\"S\":\"fine here\"},\"app\":{\"S\":\"s\"},"
	                           "\"name\":{\"S\":\"o\"}}");
	cr_assert_eq(pcf_config_data_from_item(&back, &t, item, NULL), 0);
	pcf_test_assert_json(back, "{\"_store\":\"fine here\"}");
	cJSON_Delete(back);
	cJSON_Delete(item);
	cJSON_Delete(data);
}

/* Asserts the option data data_json of object is refused as invalid, with a
 * message naming named (when not NULL), and no item made. */
static void assert_data_refused(const char *data_json, const char *object, const char *named)
{
	pcf_config_table t = {"cfg", NULL, NULL};
	cJSON *data = pcf_test_json_parse(data_json);
	cJSON *item = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_item_from_data(&item, &t, "s", object, data, &err), PCF_EINVAL,
	             "%s of %s", data_json, object);
	if (named)
		cr_assert(strstr(err.message, named), "%s", err.message);
	cr_assert_null(item);
	cJSON_Delete(data);
}

Test(config_store_values, data_naming_a_key_attribute_is_refused)
{
	assert_data_refused("{\"_option\":\"x\"}", "o", "_option");
}

Test(config_store_values, data_must_be_an_object)
{
	assert_data_refused("[1]", "o", NULL);
	assert_data_refused("[1]", "", NULL);
}

Test(config_store_values, equal_key_names_are_refused)
{
	pcf_config_table t = {"cfg", "k", "k"};
	cJSON *data = pcf_test_json_parse("{}");
	cJSON *item = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_item_from_data(&item, &t, "s", "o", data, &err), PCF_EINVAL);
	cr_assert(strstr(err.message, "both 'k'"), "%s", err.message);
	cJSON_Delete(data);
}

Test(config_store_values, items_group_by_store_and_skip_foreign_items)
{
	pcf_config_table t = {"cfg", NULL, NULL};
	cJSON *items = pcf_test_json_parse(
	    "[{\"_store\":{\"S\":\"a\"},\"_option\":{\"S\":\"x\"},\"v\":{\"N\":\"1\"}},"
	    "{\"_store\":{\"S\":\"b\"},\"_option\":{\"S\":\"x\"},\"v\":{\"S\":\"2\"}},"
	    "{\"_store\":{\"S\":\"a\"},\"_option\":{\"S\":\"y\"}},"
	    "{\"_store\":{\"N\":\"3\"},\"_option\":{\"S\":\"z\"}},"
	    "{\"other\":{\"S\":\"q\"}}]");
	cJSON *grouped = NULL;
	cr_assert_eq(config_items_group(&grouped, &t, items, NULL), 0);
	pcf_test_assert_json(grouped,
	                     "{\"a\":{\"x\":{\"v\":1},\"y\":{}},\"b\":{\"x\":{\"v\":\"2\"}}}");
	cJSON_Delete(grouped);
	cJSON_Delete(items);
}

Test(config_store_values, create_request_provisioned_and_on_demand)
{
	pcf_config_table t = {"cfg", "s", "o"};
	cJSON *req = NULL;
	cr_assert_eq(config_create_request(&req, &t, 2, 3, NULL), 0);
	pcf_test_assert_json(
	    req, "{\"TableName\":\"cfg\",\"AttributeDefinitions\":["
	         "{\"AttributeName\":\"s\",\"AttributeType\":\"S\"},"
	         "{\"AttributeName\":\"o\",\"AttributeType\":\"S\"}],"
	         "\"KeySchema\":[{\"AttributeName\":\"s\",\"KeyType\":\"HASH\"},"
	         "{\"AttributeName\":\"o\",\"KeyType\":\"RANGE\"}],"
	         "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":2,\"WriteCapacityUnits\":3}}");
	cJSON_Delete(req);
	cr_assert_eq(config_create_request(&req, &t, 0, 0, NULL), 0);
	cr_assert_str_eq(cJSON_GetObjectItem(req, "BillingMode")->valuestring, "PAY_PER_REQUEST");
	cr_assert_null(cJSON_GetObjectItem(req, "ProvisionedThroughput"));
	cJSON_Delete(req);
}

struct schema_case {
	char description[400];
	int rc;
	char found[32];    /* the message names what the table has */
	char expected[32]; /* and what a config table needs */
};

ParameterizedTestParameters(config_store_values, key_schema)
{
	static struct schema_case cases[] = {
	    {"{\"KeySchema\":[{\"AttributeName\":\"_store\",\"KeyType\":\"HASH\"},"
	     "{\"AttributeName\":\"_option\",\"KeyType\":\"RANGE\"}],"
	     "\"AttributeDefinitions\":[{\"AttributeName\":\"_store\",\"AttributeType\":\"S\"},"
	     "{\"AttributeName\":\"_option\",\"AttributeType\":\"S\"}]}",
	     0, "", ""},
	    {"{\"KeySchema\":[{\"AttributeName\":\"_option\",\"KeyType\":\"RANGE\"},"
	     "{\"AttributeName\":\"_store\",\"KeyType\":\"HASH\"}],"
	     "\"AttributeDefinitions\":[{\"AttributeName\":\"_option\",\"AttributeType\":\"S\"},"
	     "{\"AttributeName\":\"_store\",\"AttributeType\":\"S\"}]}",
	     0, "", ""},
	    {"{\"KeySchema\":[{\"AttributeName\":\"_store\",\"KeyType\":\"HASH\"}],"
	     "\"AttributeDefinitions\":[{\"AttributeName\":\"_store\",\"AttributeType\":\"S\"}]}",
	     PCF_ESCHEMA, "RANGE key (none)", "_option"},
	    {"{\"KeySchema\":[{\"AttributeName\":\"_option\",\"KeyType\":\"HASH\"},"
	     "{\"AttributeName\":\"_store\",\"KeyType\":\"RANGE\"}]}",
	     PCF_ESCHEMA, "HASH key _option", "_store"},
	    {"{\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},"
	     "{\"AttributeName\":\"_option\",\"KeyType\":\"RANGE\"}]}",
	     PCF_ESCHEMA, "HASH key id", "_store"},
	    {"{\"KeySchema\":[{\"AttributeName\":\"_store\",\"KeyType\":\"HASH\"},"
	     "{\"AttributeName\":\"_option\",\"KeyType\":\"RANGE\"}],"
	     "\"AttributeDefinitions\":[{\"AttributeName\":\"_store\",\"AttributeType\":\"N\"}]}",
	     PCF_ESCHEMA, "type N", "expected S"},
	};
	return cr_make_param_array(struct schema_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct schema_case *c, config_store_values, key_schema)
{
	pcf_config_table t = {"cfg", NULL, NULL};
	cJSON *desc = pcf_test_json_parse(c->description);
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(config_table_keys_check(desc, &t, &err), c->rc, "%s", err.message);
	if (c->rc == PCF_ESCHEMA) {
		cr_assert(strncmp(err.message, "MisconfiguredSchema: table cfg", 30) == 0, "%s",
		          err.message);
		cr_assert(strstr(err.message, c->found) != NULL, "%s", err.message);
		cr_assert(strstr(err.message, c->expected) != NULL, "%s", err.message);
	}
	cJSON_Delete(desc);
}

Test(config_store_values, sort_members_orders_by_name_and_keeps_appending)
{
	cJSON *obj = pcf_test_json_parse("{\"web\":1,\"api\":2,\"db\":3,\"cache\":4}");
	cr_assert_eq(config_sort_members(obj, NULL), 0);
	pcf_test_assert_json(obj, "{\"api\":2,\"cache\":4,\"db\":3,\"web\":1}");
	cr_assert_str_eq(obj->child->string, "api");
	cr_assert_str_eq(obj->child->next->next->next->string, "web");
	/* The list stays well formed: appending lands at the end. */
	cJSON_AddNumberToObject(obj, "zzz", 5);
	cr_assert_str_eq(obj->child->next->next->next->next->string, "zzz");
	cr_assert_str_eq(cJSON_GetArrayItem(obj, 4)->string, "zzz");
	cJSON_Delete(obj);
}
