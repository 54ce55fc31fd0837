/*
 * Plain JSON <-> attribute values: the conversion table in dynamodb.h, the
 * number rules, the markers, and lossless round trips both ways.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <string.h>

#include <pcf/dynamodb.h>

#include "json_assert.h"
#include "src/dynamodb/ddb_internal.h"

/* Parameters are copied into each test's process: text in place, no pointers. */
struct pair {
	char plain[128];
	char av[128];
};

struct text {
	char s[64];
};

/* Each case converts plain -> av exactly, and back to the same plain. */
static const struct pair exact_pairs[] = {
    {"\"a1\"", "{\"S\":\"a1\"}"},
    {"\"\"", "{\"S\":\"\"}"},
    {"3", "{\"N\":\"3\"}"},
    {"-17", "{\"N\":\"-17\"}"},
    {"0", "{\"N\":\"0\"}"},
    {"1.5", "{\"N\":\"1.5\"}"},
    {"0.1", "{\"N\":\"0.1\"}"},
    {"123456789012", "{\"N\":\"123456789012\"}"},
    {"4503599627370496", "{\"N\":\"4503599627370496\"}"},
    {"true", "{\"BOOL\":true}"},
    {"false", "{\"BOOL\":false}"},
    {"null", "{\"NULL\":true}"},
    {"[1,\"x\",null]", "{\"L\":[{\"N\":\"1\"},{\"S\":\"x\"},{\"NULL\":true}]}"},
    {"[]", "{\"L\":[]}"},
    {"{\"a\":{\"b\":[true]}}", "{\"M\":{\"a\":{\"M\":{\"b\":{\"L\":[{\"BOOL\":true}]}}}}}"},
    {"{}", "{\"M\":{}}"},
    {"{\"$B\":\"aGVsbG8=\"}", "{\"B\":\"aGVsbG8=\"}"},
    {"{\"$SS\":[\"a\",\"b\"]}", "{\"SS\":[\"a\",\"b\"]}"},
    {"{\"$NS\":[\"1\",\"2.50\"]}", "{\"NS\":[\"1\",\"2.50\"]}"},
    {"{\"$BS\":[\"aGk=\",\"AA==\"]}", "{\"BS\":[\"aGk=\",\"AA==\"]}"},
    {"{\"$N\":\"12345678901234567890123\"}", "{\"N\":\"12345678901234567890123\"}"},
    {"{\"$N\":\"1.10\"}", "{\"N\":\"1.10\"}"},
    {"{\"$N\":\"-0.000000000000000000000000000000000001\"}",
     "{\"N\":\"-0.000000000000000000000000000000000001\"}"},
    {"{\"$N\":\"9007199254740993\"}", "{\"N\":\"9007199254740993\"}"},
    /* A map whose only key looks like a marker is escaped. */
    {"{\"$M\":{\"$S\":\"x\"}}", "{\"M\":{\"$S\":{\"S\":\"x\"}}}"},
    /* Other $-keys and several keys are plain maps. */
    {"{\"$foo\":1}", "{\"M\":{\"$foo\":{\"N\":\"1\"}}}"},
    {"{\"$S\":\"x\",\"y\":1}", "{\"M\":{\"$S\":{\"S\":\"x\"},\"y\":{\"N\":\"1\"}}}"},
};

ParameterizedTestParameters(value, exact_round_trip)
{
	return cr_make_param_array(struct pair, exact_pairs,
	                           sizeof(exact_pairs) / sizeof(exact_pairs[0]));
}

ParameterizedTest(const struct pair *p, value, exact_round_trip)
{
	cJSON *plain = pcf_test_json_parse(p->plain), *av = NULL, *back = NULL,
	      *av_in = pcf_test_json_parse(p->av);
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_value_from_json(&av, plain, &err), 0, "%s: %s", p->plain, err.message);
	pcf_test_assert_json(av, p->av);
	cr_assert_eq(pcf_ddb_value_to_json(&back, av_in, &err), 0, "%s: %s", p->av, err.message);
	pcf_test_assert_json(back, p->plain);
	cJSON_Delete(plain);
	cJSON_Delete(av);
	cJSON_Delete(back);
	cJSON_Delete(av_in);
}

/* Spelled-out markers and number forms that normalise on the way in. */
static const struct pair one_way[] = {
    {"{\"$S\":\"x\"}", "{\"S\":\"x\"}"},
    {"{\"$BOOL\":true}", "{\"BOOL\":true}"},
    {"{\"$NULL\":true}", "{\"NULL\":true}"},
    {"{\"$L\":[1]}", "{\"L\":[{\"N\":\"1\"}]}"},
    {"{\"$N\":42}", "{\"N\":\"42\"}"},
    {"{\"$NS\":[1,2.5]}", "{\"NS\":[\"1\",\"2.5\"]}"},
    {"-0.0", "{\"N\":\"0\"}"},
    {"1e21", "{\"N\":\"1e+21\"}"},
    {"9007199254740992", "{\"N\":\"9007199254740992\"}"},
    {"0.30000000000000004", "{\"N\":\"0.30000000000000004\"}"},
};

ParameterizedTestParameters(value, plain_to_attribute_value)
{
	return cr_make_param_array(struct pair, one_way, sizeof(one_way) / sizeof(one_way[0]));
}

ParameterizedTest(const struct pair *p, value, plain_to_attribute_value)
{
	cJSON *plain = pcf_test_json_parse(p->plain), *av = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_value_from_json(&av, plain, &err), 0, "%s: %s", p->plain, err.message);
	pcf_test_assert_json(av, p->av);
	cJSON_Delete(plain);
	cJSON_Delete(av);
}

static const struct text bad_plain[] = {
    {"{\"$B\":\"not base64!\"}"},
    {"{\"$B\":\"abc\"}"},
    {"{\"$SS\":[]}"},
    {"{\"$SS\":[1]}"},
    {"{\"$NS\":[\"x\"]}"},
    {"{\"$N\":\"1.2.3\"}"},
    {"{\"$N\":\"\"}"},
    {"{\"$NULL\":false}"},
    {"{\"$BOOL\":\"yes\"}"},
    {"{\"$L\":{}}"},
    {"{\"$M\":[]}"},
    {"[{\"$BS\":[\"@@@@\"]}]"},
};

ParameterizedTestParameters(value, malformed_plain_is_einval)
{
	return cr_make_param_array(struct text, bad_plain,
	                           sizeof(bad_plain) / sizeof(bad_plain[0]));
}

ParameterizedTest(const struct text *text, value, malformed_plain_is_einval)
{
	cJSON *plain = pcf_test_json_parse(text->s), *av = (cJSON *)1;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_value_from_json(&av, plain, &err), PCF_EINVAL, "%s", text->s);
	cr_assert_null(av);
	cr_assert_eq(err.code, PCF_EINVAL);
	cr_assert_neq(err.message[0], '\0');
	cJSON_Delete(plain);
}

static const struct text bad_av[] = {
    {"{}"},        {"{\"X\":\"1\"}"}, {"{\"S\":\"a\",\"N\":\"1\"}"},
    {"{\"S\":1}"}, {"{\"SS\":[1]}"},  {"{\"L\":[{\"Q\":1}]}"},
    {"\"S\""},     {"{\"M\":[]}"},
};

ParameterizedTestParameters(value, malformed_attribute_value_is_einval)
{
	return cr_make_param_array(struct text, bad_av, sizeof(bad_av) / sizeof(bad_av[0]));
}

ParameterizedTest(const struct text *text, value, malformed_attribute_value_is_einval)
{
	cJSON *av = pcf_test_json_parse(text->s), *plain = (cJSON *)1;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_value_to_json(&plain, av, &err), PCF_EINVAL, "%s", text->s);
	cr_assert_null(plain);
	cJSON_Delete(av);
}

Test(value, item_as_sprockets_passed_it)
{
	cJSON *plain = pcf_test_json_parse("{\"id\":\"a1\",\"n\":3}"), *item = NULL, *back = NULL;
	cr_assert_eq(pcf_ddb_item_from_json(&item, plain, NULL), 0);
	pcf_test_assert_json(item, "{\"id\":{\"S\":\"a1\"},\"n\":{\"N\":\"3\"}}");
	cr_assert_eq(pcf_ddb_item_to_json(&back, item, NULL), 0);
	cr_assert(cJSON_Compare(back, plain, 1));
	cJSON_Delete(plain);
	cJSON_Delete(item);
	cJSON_Delete(back);
}

Test(value, item_errors_name_the_attribute)
{
	cJSON *plain = pcf_test_json_parse("{\"id\":\"a1\",\"blob\":{\"$B\":\"%%%\"}}"),
	      *item = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_item_from_json(&item, plain, &err), PCF_EINVAL);
	cr_assert_null(item);
	cr_assert_not_null(strstr(err.message, "blob"), "%s", err.message);
	cJSON_Delete(plain);
	plain = pcf_test_json_parse("[1]");
	cr_assert_eq(pcf_ddb_item_from_json(&item, plain, &err), PCF_EINVAL);
	cJSON_Delete(plain);
}

Test(value, nan_and_infinity_are_refused)
{
	cJSON *n = cJSON_CreateNumber(NAN), *av = NULL;
	cr_assert_eq(pcf_ddb_value_from_json(&av, n, NULL), PCF_EINVAL);
	cJSON_SetNumberValue(n, INFINITY);
	cr_assert_eq(pcf_ddb_value_from_json(&av, n, NULL), PCF_EINVAL);
	cr_assert_null(av);
	cJSON_Delete(n);
}

Test(value, number_helper_keeps_text)
{
	cJSON *m = pcf_ddb_number("3.14159265358979323846264338327950288"), *av = NULL;
	cr_assert_not_null(m);
	cr_assert_eq(pcf_ddb_value_from_json(&av, m, NULL), 0);
	pcf_test_assert_json(av, "{\"N\":\"3.14159265358979323846264338327950288\"}");
	cr_assert_null(pcf_ddb_number("pi"));
	cr_assert_null(pcf_ddb_number(NULL));
	cJSON_Delete(m);
	cJSON_Delete(av);
}

struct numtext {
	char text[16];
	int valid;
};

static const struct numtext numtexts[] = {
    {"0", 1},     {"-1", 1},     {"+2", 1}, {"1.5", 1}, {".5", 1},  {"5.", 1},
    {"1e10", 1},  {"1E-130", 1}, {"", 0},   {"-", 0},   {"e5", 0},  {"1e", 0},
    {"1.2.3", 0}, {"0x10", 0},   {" 1", 0}, {"1 ", 0},  {"NaN", 0}, {"1e+", 0},
};

ParameterizedTestParameters(value, number_text_rules)
{
	return cr_make_param_array(struct numtext, numtexts,
	                           sizeof(numtexts) / sizeof(numtexts[0]));
}

ParameterizedTest(const struct numtext *c, value, number_text_rules)
{
	cr_assert_eq(ddb_number_text_valid(c->text), c->valid, "\"%s\"", c->text);
}

Test(value, deep_nesting_is_refused_not_overflowed)
{
	cJSON *root = cJSON_CreateArray(), *cur = root, *av = NULL;
	for (int i = 0; i < 200; i++) {
		cJSON *next = cJSON_CreateArray();
		cJSON_AddItemToArray(cur, next);
		cur = next;
	}
	cr_assert_eq(pcf_ddb_value_from_json(&av, root, NULL), PCF_EINVAL);
	cJSON_Delete(root);
}
