/*
 * Item actions, values, transactions, pagination, batches and parallel
 * scan against dynoxide and dynalite (both support all of these but
 * transactions, which only dynoxide has).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <pcf/pcf.h>

#include "servers.h"
#include "test_dynamodb_it.h"

static void each_server(void (*body)(pcf_ddb *db, pcf_local_server_kind kind))
{
	for (int k = 0; k < 2; k++) {
		pcf_ddb *db = it_client(k);
		body(db, k);
		pcf_ddb_free(db);
	}
}

static void items_crud(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128];
	cJSON *item = it_json("{\"pk\":{\"S\":\"a1\"},\"n\":{\"N\":\"3\"}}");
	cJSON *key = it_json("{\"pk\":{\"S\":\"a1\"}}"), *out = NULL;
	cJSON *upd = it_json("{\"UpdateExpression\":\"SET #n = #n + :one\","
	                     "\"ExpressionAttributeNames\":{\"#n\":\"n\"},"
	                     "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"}},"
	                     "\"ReturnValues\":\"UPDATED_NEW\"}");
	cJSON *cond = it_json("{\"ConditionExpression\":\"attribute_not_exists(pk)\"}");
	cJSON *consistent = it_json("{\"ConsistentRead\":true}");
	pcf_error err = PCF_ERROR_INIT;
	it_create_table(db, name, sizeof(name), "items", 0);
	IT_OK(pcf_ddb_put_item(&out, db, name, item, NULL, &err), err);
	cJSON_Delete(out);
	IT_OK(pcf_ddb_get_item(&out, db, name, key, consistent, &err), err);
	cr_assert(cJSON_Compare(cJSON_GetObjectItem(out, "Item"), item, 1), "%s",
	          pcf_local_server_kind_name(kind));
	cJSON_Delete(out);
	IT_OK(pcf_ddb_update_item(&out, db, name, key, upd, &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(
	                     cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Attributes"), "n"), "N")
	                     ->valuestring,
	                 "4");
	cJSON_Delete(out);

	/* A failed condition is its own error, with the server's name kept. */
	cr_assert_eq(pcf_ddb_put_item(&out, db, name, item, cond, &err),
	             PCF_ECONDITIONAL_CHECK_FAILED);
	cr_assert_null(out);
	cr_assert_str_eq(err.aws_type, "ConditionalCheckFailedException");
	cJSON_Delete(cond);
	cond = it_json("{\"ConditionExpression\":\"n = :x\","
	               "\"ExpressionAttributeValues\":{\":x\":{\"N\":\"99\"}}}");
	cr_assert_eq(pcf_ddb_delete_item(NULL, db, name, key, cond, &err),
	             PCF_ECONDITIONAL_CHECK_FAILED);

	IT_OK(pcf_ddb_delete_item(NULL, db, name, key, NULL, &err), err);
	IT_OK(pcf_ddb_get_item(&out, db, name, key, NULL, &err), err);
	cr_assert_null(cJSON_GetObjectItem(out, "Item"), "a deleted item is gone");
	cJSON_Delete(out);
	it_drop_table(db, name);
	cJSON_Delete(item);
	cJSON_Delete(key);
	cJSON_Delete(upd);
	cJSON_Delete(cond);
	cJSON_Delete(consistent);
}

Test(ddb_items, put_get_update_delete_and_conditions)
{
	each_server(items_crud);
}

static void plain_values(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128];
	/* Every kind of value, including what plain JSON needs markers for. */
	cJSON *plain = it_json("{\"pk\":\"v1\",\"s\":\"x\",\"i\":42,\"d\":-1.5,\"t\":true,"
	                       "\"z\":null,\"l\":[1,\"two\",[false]],\"m\":{\"a\":{\"b\":\"c\"}},"
	                       "\"big\":{\"$N\":\"123456789012345678901234567890\"},"
	                       "\"exact\":{\"$N\":\"0.1000000000000000000000000001\"},"
	                       "\"bin\":{\"$B\":\"aGVsbG8=\"},\"ss\":{\"$SS\":[\"a\",\"b\"]},"
	                       "\"ns\":{\"$NS\":[\"1\",\"2.5\"]},\"bs\":{\"$BS\":[\"AAE=\"]},"
	                       "\"esc\":{\"$M\":{\"$S\":\"not a marker\"}}}");
	cJSON *key = it_json("{\"pk\":\"v1\"}"), *back = NULL;
	pcf_error err = PCF_ERROR_INIT;
	it_create_table(db, name, sizeof(name), "values", 0);
	IT_OK(pcf_ddb_put_item_json(db, name, plain, NULL, &err), err);
	IT_OK(pcf_ddb_get_item_json(&back, db, name, key, NULL, &err), err);
	/* Sets come back in the server's order; compare them as sets. */
	cr_assert_eq(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(back, "ss"), "$SS")), 2);
	cJSON_DeleteItemFromObject(back, "ss");
	cJSON_DeleteItemFromObject(plain, "ss");
	cJSON_DeleteItemFromObject(back, "ns");
	cJSON_DeleteItemFromObject(plain, "ns");
	{
		char *got = cJSON_PrintUnformatted(back);
		cr_assert(cJSON_Compare(back, plain, 1), "%s: %s", pcf_local_server_kind_name(kind),
		          got);
		cJSON_free(got);
	}
	cJSON_Delete(back);
	cJSON_Delete(key);
	key = it_json("{\"pk\":\"missing\"}");
	back = (cJSON *)1;
	IT_OK(pcf_ddb_get_item_json(&back, db, name, key, NULL, &err), err);
	cr_assert_null(back);
	it_drop_table(db, name);
	cJSON_Delete(plain);
	cJSON_Delete(key);
}

Test(ddb_items, plain_json_values_round_trip_through_the_server)
{
	each_server(plain_values);
}

/* A TransactItems request with two op entries on table, for the items x and y. */
static cJSON *transact_pair(const char *op, const char *field, const char *table)
{
	char text[1024];

	snprintf(
	    text, sizeof(text),
	    "{\"TransactItems\":[{\"%s\":{\"TableName\":\"%s\",\"%s\":{\"pk\":{\"S\":\"x\"}}}},"
	    "{\"%s\":{\"TableName\":\"%s\",\"%s\":{\"pk\":{\"S\":\"y\"}}}}]}",
	    op, table, field, op, table, field);
	return it_json(text);
}

static void transactions(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128], text[1024];
	cJSON *req, *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	(void)kind;
	it_create_table(db, name, sizeof(name), "tx", 0);
	req = transact_pair("Put", "Item", name);
	IT_OK(pcf_ddb_transact_write_items(&out, db, req, &err), err);
	cJSON_Delete(out);
	cJSON_Delete(req);
	req = transact_pair("Get", "Key", name);
	IT_OK(pcf_ddb_transact_get_items(&out, db, req, &err), err);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(out, "Responses")), 2);
	cJSON_Delete(out);
	cJSON_Delete(req);
	snprintf(
	    text, sizeof(text),
	    "{\"TransactItems\":[{\"Put\":{\"TableName\":\"%s\",\"Item\":{\"pk\":{\"S\":\"x\"}},"
	    "\"ConditionExpression\":\"attribute_not_exists(pk)\"}}]}",
	    name);
	req = it_json(text);
	cr_assert_eq(pcf_ddb_transact_write_items(&out, db, req, &err), PCF_ETRANSACTION_CANCELED);
	cr_assert_null(out);
	cJSON_Delete(req);
	it_drop_table(db, name);
}

Test(ddb_items, transactions_and_their_cancellation)
{
	/* dynalite 4 has no transactions; dynoxide has them. */
	pcf_ddb *db = it_client(PCF_LOCAL_DYNOXIDE);
	transactions(db, PCF_LOCAL_DYNOXIDE);
	pcf_ddb_free(db);
}

/* n items pk="p", sk=0..n-1, written with BatchWriteItem (more than 25 at once). */
static void fill(pcf_ddb *db, const char *name, int n)
{
	cJSON *ri = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(ri, name), *left = NULL;
	pcf_error err = PCF_ERROR_INIT;
	for (int i = 0; i < n; i++) {
		char text[160];
		snprintf(text, sizeof(text),
		         "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"%d\"},"
		         "\"v\":{\"S\":\"value %d\"}}}}",
		         i, i);
		cJSON_AddItemToArray(list, it_json(text));
	}
	IT_OK(pcf_ddb_batch_write_item(&left, db, ri, &err), err);
	cr_assert_null(left);
	cJSON_Delete(ri);
}

static void batches(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128];
	cJSON *ri = cJSON_CreateObject(), *entry, *keys, *out = NULL, *left = NULL;
	pcf_error err = PCF_ERROR_INIT;
	it_create_table(db, name, sizeof(name), "batch", 1);
	fill(db, name, 130);
	entry = cJSON_AddObjectToObject(ri, name);
	keys = cJSON_AddArrayToObject(entry, "Keys");
	cJSON_AddStringToObject(entry, "ProjectionExpression", "sk");
	for (int i = 0; i < 140; i++) { /* 10 of them do not exist */
		char text[96];
		snprintf(text, sizeof(text), "{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"%d\"}}", i);
		cJSON_AddItemToArray(keys, it_json(text));
	}
	IT_OK(pcf_ddb_batch_get_item(&out, &left, db, ri, &err), err);
	cr_assert_null(left);
	cr_assert_eq(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Responses"), name)),
	    130, "%s", pcf_local_server_kind_name(kind));
	cJSON_Delete(out);
	cJSON_Delete(ri);
	/* A malformed write fails outright and is reported as not processed. */
	ri = it_json("{\"x\":[{\"PutRequest\":{\"Item\":{\"nokey\":{\"S\":\"1\"}}}}]}");
	cJSON_AddItemToObject(ri, name, cJSON_DetachItemFromObject(ri, "x"));
	cr_assert_eq(pcf_ddb_batch_write_item(&left, db, ri, &err), PCF_EVALIDATION);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(left, name)), 1);
	cJSON_Delete(left);
	cJSON_Delete(ri);
	it_drop_table(db, name);
}

Test(ddb_items, batches_over_the_chunk_limits)
{
	each_server(batches);
}

static void paging(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128], text[512];
	cJSON *req, *out = NULL, *page = NULL;
	pcf_ddb_pager *pager = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int pages = 0, items = 0;
	it_create_table(db, name, sizeof(name), "pages", 1);
	fill(db, name, 23);
	snprintf(text, sizeof(text),
	         "{\"TableName\":\"%s\",\"KeyConditionExpression\":\"pk = :p\","
	         "\"ExpressionAttributeValues\":{\":p\":{\"S\":\"p\"}},\"Limit\":5}",
	         name);
	req = it_json(text);
	IT_OK(pcf_ddb_query(&out, db, req, &err), err);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(out, "Items")), 23, "%s",
	             pcf_local_server_kind_name(kind));
	cr_assert_eq(cJSON_GetObjectItem(out, "Count")->valueint, 23);
	/* In key order across pages. */
	cr_assert_str_eq(cJSON_GetObjectItem(
	                     cJSON_GetObjectItem(
	                         cJSON_GetArrayItem(cJSON_GetObjectItem(out, "Items"), 22), "sk"),
	                     "N")
	                     ->valuestring,
	                 "22");
	cJSON_Delete(out);

	IT_OK(pcf_ddb_pager_new(&pager, db, "Query", req, &err), err);
	while (pcf_ddb_pager_next(&page, pager, &err) == 0 && page) {
		pages++;
		items += cJSON_GetArraySize(cJSON_GetObjectItem(page, "Items"));
		cJSON_Delete(page);
	}
	cr_assert_eq(err.code, 0, "%s", err.message);
	cr_assert_geq(pages, 5, "23 items at 5 a page");
	cr_assert_eq(items, 23);
	pcf_ddb_pager_free(pager);
	cJSON_Delete(req);

	snprintf(text, sizeof(text), "{\"TableName\":\"%s\",\"Limit\":4}", name);
	req = it_json(text);
	IT_OK(pcf_ddb_scan(&out, db, req, &err), err);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(out, "Items")), 23);
	cJSON_Delete(out);
	IT_OK(pcf_ddb_parallel_scan(&out, db, req, 4, &err), err);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(out, "Items")), 23);
	cr_assert_eq(cJSON_GetObjectItem(out, "Count")->valueint, 23);
	cJSON_Delete(out);
	cJSON_Delete(req);
	it_drop_table(db, name);
}

Test(ddb_items, query_scan_and_parallel_scan_across_pages)
{
	each_server(paging);
}

static void list_tables_paging(pcf_ddb *db, pcf_local_server_kind kind)
{
	char names[3][128];
	cJSON *req = it_json("{\"Limit\":1}"), *all = NULL, *page = NULL;
	pcf_ddb_pager *pager = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int pages = 0, seen = 0;
	for (int i = 0; i < 3; i++)
		it_create_table(db, names[i], sizeof(names[i]), "list", 0);
	IT_OK(pcf_ddb_pager_new(&pager, db, "ListTables", req, &err), err);
	while (pcf_ddb_pager_next(&page, pager, &err) == 0 && page) {
		const cJSON *n;
		pages++;
		cJSON_ArrayForEach(n, cJSON_GetObjectItem(page, "TableNames"))
		{
			for (int i = 0; i < 3; i++)
				seen += strcmp(n->valuestring, names[i]) == 0;
		}
		cJSON_Delete(page);
	}
	cr_assert_eq(seen, 3, "%s", pcf_local_server_kind_name(kind));
	cr_assert_geq(pages, 3);
	pcf_ddb_pager_free(pager);
	IT_OK(pcf_ddb_paginate_all(&all, db, "ListTables", req, &err), err);
	cr_assert_geq(cJSON_GetArraySize(cJSON_GetObjectItem(all, "TableNames")), 3);
	cJSON_Delete(all);
	cJSON_Delete(req);
	for (int i = 0; i < 3; i++)
		it_drop_table(db, names[i]);
}

Test(ddb_items, list_tables_one_table_a_page)
{
	each_server(list_tables_paging);
}

static void many_in_flight(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128], text[320];
	pcf_ddb_call calls[60];
	cJSON *reqs[60];
	pcf_error err = PCF_ERROR_INIT;
	it_create_table(db, name, sizeof(name), "many", 1);
	fill(db, name, 50);
	for (int i = 0; i < 60; i++) {
		snprintf(
		    text, sizeof(text),
		    "{\"TableName\":\"%s\",\"Key\":{\"pk\":{\"S\":\"p\"},\"sk\":{\"N\":\"%d\"}}}",
		    name, i);
		reqs[i] = it_json(text);
		calls[i].action = "GetItem";
		calls[i].request = reqs[i];
	}
	IT_OK(pcf_ddb_execute_many(db, calls, 60, 8, &err), err);
	for (int i = 0; i < 60; i++) {
		cr_assert_eq(calls[i].rc, 0, "%s call %d: %s", pcf_local_server_kind_name(kind), i,
		             calls[i].error.message);
		cr_assert_eq(cJSON_GetObjectItem(calls[i].response, "Item") != NULL, i < 50);
		cJSON_Delete(calls[i].response);
		cJSON_Delete(reqs[i]);
	}
	it_drop_table(db, name);
}

Test(ddb_items, many_requests_in_flight_from_one_thread)
{
	each_server(many_in_flight);
}

struct worker {
	pcf_ddb *db;
	const char *table;
	int id;
	int failures;
	pcf_error err;
};

/* Puts and reads back its own items through the shared client. */
static void *work(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 40; i++) {
		char text[96];
		cJSON *item, *key, *got = NULL;
		snprintf(text, sizeof(text), "{\"pk\":\"w%d-%d\",\"n\":%d}", w->id, i, i);
		item = it_json(text);
		snprintf(text, sizeof(text), "{\"pk\":\"w%d-%d\"}", w->id, i);
		key = it_json(text);
		if (pcf_ddb_put_item_json(w->db, w->table, item, NULL, &w->err) < 0 ||
		    pcf_ddb_get_item_json(&got, w->db, w->table, key, NULL, &w->err) < 0 ||
		    !cJSON_Compare(got, item, 1))
			w->failures++;
		cJSON_Delete(item);
		cJSON_Delete(key);
		cJSON_Delete(got);
	}
	return NULL;
}

static void shared_by_threads(pcf_ddb *db, pcf_local_server_kind kind)
{
	char name[128];
	struct worker w[4];
	pthread_t th[4];
	it_create_table(db, name, sizeof(name), "threads", 0);
	for (int i = 0; i < 4; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].db = db;
		w[i].table = name;
		w[i].id = i;
		cr_assert_eq(pthread_create(&th[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(w[i].failures, 0, "%s thread %d: %s", pcf_local_server_kind_name(kind),
		             i, w[i].err.message);
	}
	it_drop_table(db, name);
}

Test(ddb_items, one_client_shared_by_threads)
{
	each_server(shared_by_threads);
}
