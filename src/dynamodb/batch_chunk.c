/*
 * Splitting RequestItems into requests DynamoDB accepts: at most 25 write
 * requests or 100 keys each, and at most 16 MB of request body. Order is
 * kept (table by table, request by request), and a BatchGetItem chunk
 * carries each table's other parameters (ProjectionExpression,
 * ConsistentRead, ExpressionAttributeNames) along with its share of keys.
 */
#include "ddb_internal.h"

#include <string.h>

#include <pcf/error.h>

/* Room left for the envelope around the entries: {"RequestItems":{...}}. */
#define ENVELOPE_BYTES 1024

typedef struct chunker {
	cJSON *chunks;  /* the array being built */
	cJSON *current; /* its last RequestItems map */
	int count;      /* entries in current */
	long bytes;     /* estimated body size of current */
	int max_count;
	int is_get;
} chunker;

static long printed_size(const cJSON *node)
{
	char *text = cJSON_PrintUnformatted(node);
	long n = text ? (long)strlen(text) : -1;
	cJSON_free(text);
	return n;
}

static int start_chunk(chunker *c)
{
	c->current = cJSON_CreateObject();
	if (!c->current || !cJSON_AddItemToArray(c->chunks, c->current)) {
		cJSON_Delete(c->current);
		c->current = NULL;
		return PCF_ENOMEM;
	}
	c->count = 0;
	c->bytes = ENVELOPE_BYTES;
	return 0;
}

/* The list in the current chunk that entries of table go to, made on first use. */
static cJSON *table_list(chunker *c, const char *table, const cJSON *table_entry)
{
	cJSON *slot = cJSON_GetObjectItemCaseSensitive(c->current, table);
	cJSON *copy;
	if (!c->is_get)
		return slot ? slot : cJSON_AddArrayToObject(c->current, table);
	if (slot)
		return cJSON_GetObjectItemCaseSensitive(slot, "Keys");
	/* Everything but the keys goes along with each table's share. */
	if (!(copy = cJSON_Duplicate(table_entry, 1)))
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(copy, "Keys");
	if (!cJSON_AddItemToObject(c->current, table, copy)) {
		cJSON_Delete(copy);
		return NULL;
	}
	return cJSON_AddArrayToObject(copy, "Keys");
}

static int chunk_add(chunker *c, const char *table, const cJSON *table_entry, const cJSON *entry,
                     pcf_error *err)
{
	long size = printed_size(entry);
	cJSON *list;
	if (size < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	size += (long)strlen(table) + 16;
	if (size + ENVELOPE_BYTES > DDB_BATCH_BYTES_MAX)
		return pcf_error_set(err, PCF_EINVAL, "a request for table %s is larger than 16 MB",
		                     table);
	if (!c->current || c->count >= c->max_count || c->bytes + size > DDB_BATCH_BYTES_MAX) {
		if (start_chunk(c) < 0)
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	list = table_list(c, table, table_entry);
	if (!list || !cJSON_AddItemToArray(list, cJSON_Duplicate(entry, 1)))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	c->count++;
	c->bytes += size;
	return 0;
}

static int chunk_all(cJSON **out, const cJSON *request_items, int is_get, pcf_error *err)
{
	chunker c = {NULL, NULL, 0, 0, is_get ? DDB_BATCH_GET_MAX : DDB_BATCH_WRITE_MAX, is_get};
	const cJSON *table, *entry;
	int rc = 0;
	*out = NULL;
	if (!cJSON_IsObject(request_items))
		return pcf_error_set(err, PCF_EINVAL, "RequestItems must be a JSON object");
	if (!(c.chunks = cJSON_CreateArray()))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(table, request_items)
	{
		const cJSON *list =
		    is_get ? cJSON_GetObjectItemCaseSensitive(table, "Keys") : table;
		if (!cJSON_IsArray(list)) {
			rc = pcf_error_set(err, PCF_EINVAL, "RequestItems.%s%s must be a list",
			                   table->string, is_get ? ".Keys" : "");
			goto out;
		}
		cJSON_ArrayForEach(entry, list)
		{
			if (!cJSON_IsObject(entry)) {
				rc = pcf_error_set(err, PCF_EINVAL,
				                   "RequestItems.%s holds a non-object",
				                   table->string);
				goto out;
			}
			if ((rc = chunk_add(&c, table->string, table, entry, err)) < 0)
				goto out;
		}
	}
	*out = c.chunks;
	c.chunks = NULL;
out:
	cJSON_Delete(c.chunks);
	return rc;
}

int ddb_batch_write_chunks(cJSON **out, const cJSON *request_items, pcf_error *err)
{
	return chunk_all(out, request_items, 0, err);
}

int ddb_batch_get_chunks(cJSON **out, const cJSON *request_items, pcf_error *err)
{
	return chunk_all(out, request_items, 1, err);
}

/* Appends copies of src's entries into dst (both RequestItems maps). */
int ddb_batch_merge(cJSON *dst, const cJSON *src, int is_get)
{
	const cJSON *table, *el;
	cJSON_ArrayForEach(table, src)
	{
		cJSON *slot = cJSON_GetObjectItemCaseSensitive(dst, table->string);
		const cJSON *from =
		    is_get ? cJSON_GetObjectItemCaseSensitive(table, "Keys") : table;
		cJSON *to;
		if (!slot) {
			cJSON *copy = cJSON_Duplicate(table, 1);
			if (!copy || !cJSON_AddItemToObject(dst, table->string, copy)) {
				cJSON_Delete(copy);
				return PCF_ENOMEM;
			}
			continue;
		}
		to = is_get ? cJSON_GetObjectItemCaseSensitive(slot, "Keys") : slot;
		if (!cJSON_IsArray(to))
			return PCF_EBADRESPONSE;
		cJSON_ArrayForEach(el, from)
		{
			if (!cJSON_AddItemToArray(to, cJSON_Duplicate(el, 1)))
				return PCF_ENOMEM;
		}
	}
	return 0;
}

/* The number of write requests or keys in a RequestItems map. */
int ddb_batch_count(const cJSON *request_items, int is_get)
{
	const cJSON *table;
	int n = 0;
	cJSON_ArrayForEach(table, request_items)
	{
		n += cJSON_GetArraySize(is_get ? cJSON_GetObjectItemCaseSensitive(table, "Keys")
		                               : table);
	}
	return n;
}
