/*
 * Request building and pagination state, without a server: params merge,
 * the marker each paged action carries forward, and merging pages.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <pcf/dynamodb.h>

#include "src/dynamodb/ddb_internal.h"

static cJSON *parse(const char *text)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);
	cr_assert_not_null(j, "test JSON does not parse: %s", text);
	return j;
}

Test(request, params_are_merged_as_given)
{
	cJSON *key = parse("{\"id\":{\"S\":\"a\"}}");
	cJSON *params =
	    parse("{\"ConditionExpression\":\"attribute_exists(#n)\","
	          "\"ExpressionAttributeNames\":{\"#n\":\"id\"},\"ReturnValues\":\"ALL_OLD\"}");
	cJSON *req = NULL, *want = parse("{\"TableName\":\"t\",\"Key\":{\"id\":{\"S\":\"a\"}},"
	                                 "\"ConditionExpression\":\"attribute_exists(#n)\","
	                                 "\"ExpressionAttributeNames\":{\"#n\":\"id\"},"
	                                 "\"ReturnValues\":\"ALL_OLD\"}");
	cr_assert_eq(ddb_request_table(&req, "t", "Key", key, params, NULL), 0);
	cr_assert(cJSON_Compare(req, want, 1));
	cJSON_Delete(key);
	cJSON_Delete(params);
	cJSON_Delete(req);
	cJSON_Delete(want);
}

Test(request, params_may_not_repeat_an_argument)
{
	cJSON *key = parse("{\"id\":{\"S\":\"a\"}}"), *req = (cJSON *)1;
	cJSON *params = parse("{\"TableName\":\"other\"}");
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_request_table(&req, "t", "Key", key, params, &err), PCF_EINVAL);
	cr_assert_null(req);
	cr_assert_not_null(strstr(err.message, "TableName"), "%s", err.message);
	cJSON_Delete(params);
	params = parse("[1]");
	cr_assert_eq(ddb_request_table(&req, "t", "Key", key, params, &err), PCF_EINVAL);
	cr_assert_eq(ddb_request_table(&req, "", "Key", key, NULL, &err), PCF_EINVAL);
	cr_assert_eq(ddb_request_table(&req, "t", "Key", params, NULL, &err), PCF_EINVAL);
	cJSON_Delete(key);
	cJSON_Delete(params);
}

Test(request, response_bodies_are_checked)
{
	cJSON *out = (cJSON *)1;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_parse_body(&out, "{\"a\":1}\n", 8, &err), 0);
	cJSON_Delete(out);
	cr_assert_eq(ddb_parse_body(&out, "", 0, &err), 0);
	cr_assert(cJSON_IsObject(out));
	cJSON_Delete(out);
	/* dynalite's answer to TagResource / UntagResource. */
	cr_assert_eq(ddb_parse_body(&out, "\"\"", 2, &err), 0);
	cr_assert(cJSON_IsObject(out));
	cJSON_Delete(out);
	cr_assert_eq(ddb_parse_body(&out, "\"x\"", 3, &err), PCF_EBADRESPONSE);
	cr_assert_eq(ddb_parse_body(&out, "{\"a\":", 5, &err), PCF_EBADRESPONSE);
	cr_assert_null(out);
	cr_assert_eq(ddb_parse_body(&out, "[1]", 3, &err), PCF_EBADRESPONSE);
	cr_assert_eq(ddb_parse_body(&out, "{}garbage", 9, &err), PCF_EBADRESPONSE);
	cr_assert_eq(ddb_parse_body(&out, "<html>", 6, &err), PCF_EBADRESPONSE);
	cr_assert_eq(err.code, PCF_EBADRESPONSE);
}

Test(paging, each_action_carries_its_own_marker)
{
	const ddb_page_keys *q = ddb_page_keys_find("Query");
	const ddb_page_keys *l = ddb_page_keys_find("ListTables");
	const ddb_page_keys *t = ddb_page_keys_find("ListTagsOfResource");
	cJSON *req = parse("{\"TableName\":\"t\",\"Limit\":2}");
	cJSON *page = parse("{\"Items\":[],\"LastEvaluatedKey\":{\"id\":{\"S\":\"b\"}}}");
	cr_assert_null(ddb_page_keys_find("GetItem"));
	cr_assert_eq(ddb_page_advance(req, page, q, NULL), 1);
	cr_assert_str_eq(
	    cJSON_GetObjectItem(
	        cJSON_GetObjectItem(cJSON_GetObjectItem(req, "ExclusiveStartKey"), "id"), "S")
	        ->valuestring,
	    "b");
	cJSON_Delete(page);
	page = parse("{\"Items\":[]}");
	cr_assert_eq(ddb_page_advance(req, page, q, NULL), 0);
	cJSON_Delete(page);
	page = parse("{\"TableNames\":[\"a\"],\"LastEvaluatedTableName\":\"a\"}");
	cr_assert_eq(ddb_page_advance(req, page, l, NULL), 1);
	cr_assert_str_eq(cJSON_GetObjectItem(req, "ExclusiveStartTableName")->valuestring, "a");
	cJSON_Delete(page);
	page = parse("{\"Tags\":[],\"NextToken\":\"tok\"}");
	cr_assert_eq(ddb_page_advance(req, page, t, NULL), 1);
	cr_assert_str_eq(cJSON_GetObjectItem(req, "NextToken")->valuestring, "tok");
	cJSON_Delete(page);
	page = parse("{\"Items\":[],\"LastEvaluatedKey\":{}}");
	cr_assert_eq(ddb_page_advance(req, page, q, NULL), 0, "an empty key ends the pages");
	cJSON_Delete(page);
	cJSON_Delete(req);
}

Test(paging, pages_merge_items_counts_and_capacity)
{
	const ddb_page_keys *s = ddb_page_keys_find("Scan");
	cJSON *total = parse("{\"Items\":[]}");
	cJSON *p1 = parse("{\"Items\":[{\"a\":{\"N\":\"1\"}}],\"Count\":1,\"ScannedCount\":3,"
	                  "\"ConsumedCapacity\":{\"TableName\":\"t\",\"CapacityUnits\":0.5}}");
	cJSON *p2 = parse("{\"Items\":[{\"a\":{\"N\":\"2\"}},{\"a\":{\"N\":\"3\"}}],\"Count\":2,"
	                  "\"ScannedCount\":2,\"ConsumedCapacity\":{\"TableName\":\"t\"}}");
	cJSON *bad = parse("{\"Items\":{}}");
	cr_assert_eq(ddb_page_accumulate(total, p1, s, NULL), 0);
	cr_assert_eq(ddb_page_accumulate(total, p2, s, NULL), 0);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(total, "Items")), 3);
	cr_assert_eq(cJSON_GetObjectItem(total, "Count")->valueint, 3);
	cr_assert_eq(cJSON_GetObjectItem(total, "ScannedCount")->valueint, 5);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(total, "ConsumedCapacity")), 2);
	cr_assert_eq(ddb_page_accumulate(total, bad, s, NULL), PCF_EBADRESPONSE);
	cJSON_Delete(total);
	cJSON_Delete(p1);
	cJSON_Delete(p2);
	cJSON_Delete(bad);
}

Test(paging, pager_refuses_actions_that_do_not_page)
{
	pcf_ddb_pager *p = (pcf_ddb_pager *)1;
	pcf_ddb db;
	memset(&db, 0, sizeof(db));
	cr_assert_eq(pcf_ddb_pager_new(&p, &db, "GetItem", NULL, NULL), PCF_EINVAL);
	cr_assert_null(p);
	cr_assert_eq(pcf_ddb_pager_new(&p, &db, "Scan", NULL, NULL), 0);
	pcf_ddb_pager_free(p);
	pcf_ddb_pager_free(NULL);
}
