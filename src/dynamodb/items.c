/*
 * Item actions: GetItem, PutItem, UpdateItem, DeleteItem and the two
 * transactions. The table and the key or item are C arguments; every other
 * parameter (expressions, ReturnValues, ConsistentRead, ...) comes through
 * params. The whole response is handed back, because what matters in it
 * depends on the parameters (Item, Attributes, ConsumedCapacity, ...).
 */
#include "ddb_internal.h"

#include <pcf/error.h>

static int item_action(cJSON **out, pcf_ddb *db, const char *action, const char *table,
                       const char *field, const cJSON *value, const cJSON *params, pcf_error *err)
{
	cJSON *req = NULL;
	int rc;
	if (out)
		*out = NULL;
	rc = ddb_request_table(&req, table, field, value, params, err);
	if (rc < 0)
		return pcf_error_prefix(err, "%s", action);
	return ddb_call_take(out, db, action, req, err);
}

int pcf_ddb_get_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
                     const cJSON *params, pcf_error *err)
{
	return item_action(out, db, "GetItem", table, "Key", key, params, err);
}

int pcf_ddb_put_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *item,
                     const cJSON *params, pcf_error *err)
{
	return item_action(out, db, "PutItem", table, "Item", item, params, err);
}

int pcf_ddb_update_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
                        const cJSON *params, pcf_error *err)
{
	return item_action(out, db, "UpdateItem", table, "Key", key, params, err);
}

int pcf_ddb_delete_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
                        const cJSON *params, pcf_error *err)
{
	return item_action(out, db, "DeleteItem", table, "Key", key, params, err);
}

static int whole_request(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request,
                         const char *required, pcf_error *err)
{
	if (out)
		*out = NULL;
	if (!cJSON_IsObject(request) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(request, required)))
		return pcf_error_set(err, PCF_EINVAL, "%s needs a request with a %s array", action,
		                     required);
	return ddb_call(out, db, action, request, err);
}

int pcf_ddb_transact_get_items(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err)
{
	return whole_request(out, db, "TransactGetItems", request, "TransactItems", err);
}

int pcf_ddb_transact_write_items(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err)
{
	return whole_request(out, db, "TransactWriteItems", request, "TransactItems", err);
}

int pcf_ddb_get_item_json(cJSON **out, pcf_ddb *db, const char *table, const cJSON *plain_key,
                          const cJSON *params, pcf_error *err)
{
	cJSON *key = NULL, *response = NULL;
	const cJSON *item;
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if ((rc = pcf_ddb_item_from_json(&key, plain_key, err)) < 0)
		return pcf_error_prefix(err, "key");
	rc = pcf_ddb_get_item(&response, db, table, key, params, err);
	if (rc == 0) {
		item = cJSON_GetObjectItemCaseSensitive(response, "Item");
		if (item)
			rc = pcf_ddb_item_to_json(out, item, err);
	}
	cJSON_Delete(key);
	cJSON_Delete(response);
	return rc;
}

int pcf_ddb_put_item_json(pcf_ddb *db, const char *table, const cJSON *plain_item,
                          const cJSON *params, pcf_error *err)
{
	cJSON *item = NULL;
	int rc;
	if ((rc = pcf_ddb_item_from_json(&item, plain_item, err)) < 0)
		return pcf_error_prefix(err, "item");
	rc = pcf_ddb_put_item(NULL, db, table, item, params, err);
	cJSON_Delete(item);
	return rc;
}
