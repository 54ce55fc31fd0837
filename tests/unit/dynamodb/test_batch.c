/*
 * Batch chunking and the resend loop, driven by a scripted sender in place
 * of the network: the script decides which entries each request leaves
 * unprocessed and which requests fail outright.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <pcf/dynamodb.h>

#include "src/dynamodb/ddb_internal.h"

/* {"t1":[{PutRequest:{Item:{id:{S:"t1-0"}}}}, ...]} with n entries per table. */
static cJSON *write_items(const char *const *tables, int ntables, int n, size_t pad)
{
	cJSON *ri = cJSON_CreateObject();
	char *filler = calloc(1, pad + 1);
	memset(filler, 'x', pad);
	for (int t = 0; t < ntables; t++) {
		cJSON *list = cJSON_AddArrayToObject(ri, tables[t]);
		for (int i = 0; i < n; i++) {
			char id[64];
			cJSON *req = cJSON_CreateObject();
			cJSON *item = cJSON_AddObjectToObject(
			    cJSON_AddObjectToObject(req, "PutRequest"), "Item");
			snprintf(id, sizeof(id), "%s-%d", tables[t], i);
			cJSON_AddStringToObject(cJSON_AddObjectToObject(item, "id"), "S", id);
			if (pad)
				cJSON_AddStringToObject(cJSON_AddObjectToObject(item, "pad"), "S",
				                        filler);
			cJSON_AddItemToArray(list, req);
		}
	}
	free(filler);
	return ri;
}

static cJSON *get_items(const char *table, int n)
{
	cJSON *ri = cJSON_CreateObject();
	cJSON *entry = cJSON_AddObjectToObject(ri, table);
	cJSON *keys = cJSON_AddArrayToObject(entry, "Keys");
	cJSON_AddBoolToObject(entry, "ConsistentRead", 1);
	cJSON_AddStringToObject(entry, "ProjectionExpression", "id");
	for (int i = 0; i < n; i++) {
		char id[32];
		cJSON *key = cJSON_CreateObject();
		snprintf(id, sizeof(id), "k%d", i);
		cJSON_AddStringToObject(cJSON_AddObjectToObject(key, "id"), "S", id);
		cJSON_AddItemToArray(keys, key);
	}
	return ri;
}

static int count_entries(const cJSON *chunk, int is_get)
{
	int n = 0;
	const cJSON *t;
	cJSON_ArrayForEach(t, chunk)
	{
		n += cJSON_GetArraySize(is_get ? cJSON_GetObjectItem(t, "Keys") : t);
	}
	return n;
}

Test(batch, writes_split_into_chunks_of_25_in_order)
{
	static const char *const tables[] = {"a", "b"};
	cJSON *ri = write_items(tables, 2, 30, 0), *chunks = NULL;
	cr_assert_eq(ddb_batch_write_chunks(&chunks, ri, NULL), 0);
	cr_assert_eq(cJSON_GetArraySize(chunks), 3);
	cr_assert_eq(count_entries(cJSON_GetArrayItem(chunks, 0), 0), 25);
	cr_assert_eq(count_entries(cJSON_GetArrayItem(chunks, 1), 0), 25);
	cr_assert_eq(count_entries(cJSON_GetArrayItem(chunks, 2), 0), 10);
	/* The second chunk holds the last 5 of a and the first 20 of b. */
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(chunks, 1), "a")),
	             5);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(chunks, 1), "b")),
	             20);
	cJSON_Delete(ri);
	cJSON_Delete(chunks);
}

Test(batch, writes_split_by_16_mb)
{
	static const char *const tables[] = {"big"};
	/* 24 items of ~1 MB: under 25 entries, but over 16 MB together. */
	cJSON *ri = write_items(tables, 1, 24, 1000 * 1000), *chunks = NULL;
	cr_assert_eq(ddb_batch_write_chunks(&chunks, ri, NULL), 0);
	cr_assert_eq(cJSON_GetArraySize(chunks), 2);
	cr_assert_eq(count_entries(cJSON_GetArrayItem(chunks, 0), 0), 16);
	cr_assert_eq(count_entries(cJSON_GetArrayItem(chunks, 1), 0), 8);
	cJSON_Delete(ri);
	cJSON_Delete(chunks);
}

Test(batch, gets_split_by_100_keys_and_keep_table_parameters)
{
	cJSON *ri = get_items("t", 250), *chunks = NULL;
	const cJSON *c;
	cr_assert_eq(ddb_batch_get_chunks(&chunks, ri, NULL), 0);
	cr_assert_eq(cJSON_GetArraySize(chunks), 3);
	cJSON_ArrayForEach(c, chunks)
	{
		const cJSON *t = cJSON_GetObjectItem(c, "t");
		cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(t, "ConsistentRead")));
		cr_assert_str_eq(cJSON_GetObjectItem(t, "ProjectionExpression")->valuestring, "id");
	}
	cr_assert_eq(count_entries(cJSON_GetArrayItem(chunks, 2), 1), 50);
	cJSON_Delete(ri);
	cJSON_Delete(chunks);
}

Test(batch, malformed_request_items_are_einval)
{
	cJSON *chunks = NULL, *bad = cJSON_Parse("{\"t\":{\"x\":1}}");
	cr_assert_eq(ddb_batch_write_chunks(&chunks, bad, NULL), PCF_EINVAL);
	cr_assert_eq(ddb_batch_get_chunks(&chunks, bad, NULL), PCF_EINVAL);
	cr_assert_null(chunks);
	cJSON_Delete(bad);
}

/* The scripted sender. */
struct script {
	int calls;        /* requests seen */
	int rounds;       /* sender invocations */
	int leave_last;   /* each request leaves its last entry unprocessed this many rounds */
	int fail_table_b; /* requests holding table "b" fail with ValidationException */
	int get;
	cJSON *sent_ids; /* every id sent, in order */
};

/* Frees what a test made: the script's record, its request and the result. */
static void free_run(struct script *s, cJSON *ri, cJSON *result)
{
	cJSON_Delete(result);
	cJSON_Delete(ri);
	cJSON_Delete(s->sent_ids);
}

/* How many entries obj holds for table (0 when none). */
static int entries(const cJSON *obj, const char *table)
{
	return cJSON_GetArraySize(cJSON_GetObjectItem(obj, table));
}

static void note_ids(struct script *s, const cJSON *ri)
{
	const cJSON *t, *e;
	cJSON_ArrayForEach(t, ri)
	{
		const cJSON *list = s->get ? cJSON_GetObjectItem(t, "Keys") : t;
		cJSON_ArrayForEach(e, list)
		{
			const cJSON *item =
			    s->get
			        ? e
			        : cJSON_GetObjectItem(cJSON_GetObjectItem(e, "PutRequest"), "Item");
			cJSON_AddItemToArray(
			    s->sent_ids,
			    cJSON_CreateString(
			        cJSON_GetObjectItem(cJSON_GetObjectItem(item, "id"), "S")
			            ->valuestring));
		}
	}
}

static cJSON *answer(struct script *s, const cJSON *ri)
{
	cJSON *resp = cJSON_CreateObject();
	cJSON *left =
	    cJSON_AddObjectToObject(resp, s->get ? "UnprocessedKeys" : "UnprocessedItems");
	const cJSON *t;
	if (s->get) {
		cJSON *r = cJSON_AddObjectToObject(resp, "Responses");
		cJSON_ArrayForEach(t, ri)
		{
			cJSON *items = cJSON_AddArrayToObject(r, t->string);
			const cJSON *keys = cJSON_GetObjectItem(t, "Keys"), *k;
			int n = cJSON_GetArraySize(keys), i = 0;
			cJSON_ArrayForEach(k, keys)
			{
				if (s->rounds <= s->leave_last && ++i == n) {
					cJSON *entry = cJSON_Duplicate(t, 1);
					cJSON_DeleteItemFromObject(entry, "Keys");
					cJSON_AddItemToArray(cJSON_AddArrayToObject(entry, "Keys"),
					                     cJSON_Duplicate(k, 1));
					cJSON_AddItemToObject(left, t->string, entry);
				} else {
					cJSON_AddItemToArray(items, cJSON_Duplicate(k, 1));
				}
			}
		}
		return resp;
	}
	cJSON_ArrayForEach(t, ri)
	{
		if (s->rounds <= s->leave_last) {
			cJSON *list = cJSON_AddArrayToObject(left, t->string);
			cJSON_AddItemToArray(
			    list,
			    cJSON_Duplicate(cJSON_GetArrayItem(t, cJSON_GetArraySize(t) - 1), 1));
		}
	}
	return resp;
}

static int scripted(cJSON **responses, int *rcs, pcf_error *errors, const char *action,
                    cJSON *const *requests, size_t count, void *payload)
{
	struct script *s = payload;
	s->rounds++;
	cr_assert_str_eq(action, s->get ? "BatchGetItem" : "BatchWriteItem");
	for (size_t i = 0; i < count; i++) {
		const cJSON *ri = cJSON_GetObjectItem(requests[i], "RequestItems");
		cr_assert_leq(count_entries(ri, s->get), s->get ? 100 : 25);
		s->calls++;
		note_ids(s, ri);
		pcf_error_clear(&errors[i]);
		if (s->fail_table_b && cJSON_GetObjectItem(ri, "b")) {
			responses[i] = NULL;
			rcs[i] = pcf_error_set(&errors[i], PCF_EVALIDATION, "b is bad");
			continue;
		}
		responses[i] = answer(s, ri);
		rcs[i] = 0;
	}
	return 0;
}

static pcf_ddb policy(int resends)
{
	pcf_ddb db;
	memset(&db, 0, sizeof(db));
	db.batch_max_resends = resends;
	db.batch_base_delay_ms = 1;
	db.batch_max_delay_ms = 2;
	return db;
}

Test(batch, unprocessed_items_are_resent_until_done)
{
	static const char *const tables[] = {"a"};
	struct script s = {0, 0, 2, 0, 0, cJSON_CreateArray()};
	pcf_ddb db = policy(5);
	cJSON *ri = write_items(tables, 1, 60, 0), *left = (cJSON *)1;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_batch_write_run(&left, &db, scripted, &s, ri, &err), 0, "%s", err.message);
	cr_assert_null(left);
	/* Round 1: 3 requests leave 1 each; round 2: 1 request leaves 1; round 3: done. */
	cr_assert_eq(s.rounds, 3);
	cr_assert_eq(cJSON_GetArraySize(s.sent_ids), 60 + 3 + 1);
	free_run(&s, ri, NULL);
}

Test(batch, budget_spent_reports_exactly_what_is_left)
{
	static const char *const tables[] = {"a"};
	struct script s = {0, 0, 100, 0, 0, cJSON_CreateArray()};
	pcf_ddb db = policy(2);
	cJSON *ri = write_items(tables, 1, 30, 0), *left = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_batch_write_run(&left, &db, scripted, &s, ri, &err),
	             PCF_EPROVISIONED_THROUGHPUT_EXCEEDED);
	cr_assert(err.retryable);
	cr_assert_eq(s.rounds, 3);
	/* The one entry the script always leaves: a-29, the last of the last request. */
	cr_assert_not_null(left);
	cr_assert_eq(entries(left, "a"), 1);
	cr_assert_str_eq(
	    cJSON_GetObjectItem(
	        cJSON_GetObjectItem(
	            cJSON_GetObjectItem(
	                cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(left, "a"), 0),
	                                    "PutRequest"),
	                "Item"),
	            "id"),
	        "S")
	        ->valuestring,
	    "a-29");
	free_run(&s, ri, left);
}

Test(batch, a_failed_chunk_is_reported_with_its_entries)
{
	static const char *const tables[] = {"a", "b"};
	struct script s = {0, 0, 0, 1, 0, cJSON_CreateArray()};
	pcf_ddb db = policy(3);
	cJSON *ri = write_items(tables, 2, 20, 0), *left = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_batch_write_run(&left, &db, scripted, &s, ri, &err), PCF_EVALIDATION);
	cr_assert_not_null(strstr(err.message, "b is bad"), "%s", err.message);
	/* Chunk 1 = a0..19 + b0..4 fails, chunk 2 = b5..19 fails: every b and a0..19 left. */
	cr_assert_eq(entries(left, "a"), 20);
	cr_assert_eq(entries(left, "b"), 20);
	cr_assert_eq(s.rounds, 1, "failed chunks are not resent");
	free_run(&s, ri, left);
}

Test(batch, get_collects_responses_and_resends_keys)
{
	struct script s = {0, 0, 1, 0, 1, cJSON_CreateArray()};
	pcf_ddb db = policy(4);
	cJSON *ri = get_items("t", 230), *out = NULL, *left = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_batch_get_run(&out, &left, &db, scripted, &s, ri, &err), 0, "%s",
	             err.message);
	cr_assert_null(left);
	cr_assert_eq(
	    cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Responses"), "t")),
	    230);
	cr_assert_eq(s.rounds, 2);
	free_run(&s, ri, out);
}

Test(batch, empty_input_sends_nothing)
{
	struct script s = {0, 0, 0, 0, 0, cJSON_CreateArray()};
	pcf_ddb db = policy(3);
	cJSON *ri = cJSON_CreateObject(), *left = NULL;
	cr_assert_eq(ddb_batch_write_run(&left, &db, scripted, &s, ri, NULL), 0);
	cr_assert_eq(s.calls, 0);
	cr_assert_null(left);
	free_run(&s, ri, NULL);
}
