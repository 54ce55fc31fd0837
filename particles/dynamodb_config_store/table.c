/*
 * The table under the stores: checking its key schema, creating it, and
 * reading its options.
 *
 * A config table's key is exactly the store key (HASH) and the option key
 * (RANGE), both strings. Anything else is the seed's
 * MisconfiguredSchemaException, kept by name in the message so users of
 * the seed recognise it; a failed CreateTable is its TableNotCreated and a
 * table that stays unusable past the deadline its TableNotReady.
 */
#include "store_internal.h"

#include <string.h>

#include "src/common/util.h"

#define DEFAULT_CREATE_TIMEOUT_MS 300000L
#define DEFAULT_POLL_INTERVAL_MS  500L

int config_create_request(cJSON **out, const pcf_config_table *table, long read_units,
                          long write_units, pcf_error *err)
{
	const char *names[2] = {config_store_key(table), config_option_key(table)};
	const char *kinds[2] = {"HASH", "RANGE"};
	cJSON *req = cJSON_CreateObject();
	cJSON *attrs = cJSON_AddArrayToObject(req, "AttributeDefinitions");
	cJSON *keys = cJSON_AddArrayToObject(req, "KeySchema");
	int ok = req && attrs && keys && cJSON_AddStringToObject(req, "TableName", table->name);

	for (int i = 0; ok && i < 2; i++) {
		cJSON *a = cJSON_CreateObject(), *k = cJSON_CreateObject();
		ok = cJSON_AddItemToArray(attrs, a) && cJSON_AddItemToArray(keys, k) &&
		     cJSON_AddStringToObject(a, "AttributeName", names[i]) &&
		     cJSON_AddStringToObject(a, "AttributeType", "S") &&
		     cJSON_AddStringToObject(k, "AttributeName", names[i]) &&
		     cJSON_AddStringToObject(k, "KeyType", kinds[i]);
	}
	if (ok && read_units == 0 && write_units == 0) {
		ok = cJSON_AddStringToObject(req, "BillingMode", "PAY_PER_REQUEST") != NULL;
	} else if (ok) {
		cJSON *pt = cJSON_AddObjectToObject(req, "ProvisionedThroughput");
		ok = pt && cJSON_AddNumberToObject(pt, "ReadCapacityUnits", (double)read_units) &&
		     cJSON_AddNumberToObject(pt, "WriteCapacityUnits", (double)write_units);
	}
	*out = NULL;
	if (!ok) {
		cJSON_Delete(req);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = req;
	return 0;
}

/* The KeyType of attribute name in key_schema, or NULL. */
static const char *key_type_of(const cJSON *key_schema, const char *name)
{
	return pcf_util_json_str(pcf_util_json_find(key_schema, "AttributeName", name), "KeyType");
}

static const char *attribute_type_of(const cJSON *definitions, const char *name)
{
	return pcf_util_json_str(pcf_util_json_find(definitions, "AttributeName", name),
	                         "AttributeType");
}

int config_key_schema_check(const cJSON *description, const pcf_config_table *table, pcf_error *err)
{
	const cJSON *ks = cJSON_GetObjectItemCaseSensitive(description, "KeySchema");
	const cJSON *ad = cJSON_GetObjectItemCaseSensitive(description, "AttributeDefinitions");
	const char *names[2] = {config_store_key(table), config_option_key(table)};
	const char *kinds[2] = {"HASH", "RANGE"};

	if (cJSON_GetArraySize(ks) != 2)
		return pcf_error_set(err, PCF_ESCHEMA,
		                     "MisconfiguredSchema: table %s has %d key attribute(s); a "
		                     "config store needs %s (HASH) and %s (RANGE)",
		                     table->name, cJSON_GetArraySize(ks), names[0], names[1]);
	for (int i = 0; i < 2; i++) {
		const char *kind = key_type_of(ks, names[i]);
		const char *type = attribute_type_of(ad, names[i]);
		if (!kind || strcmp(kind, kinds[i]) != 0)
			return pcf_error_set(err, PCF_ESCHEMA,
			                     "MisconfiguredSchema: table %s does not have %s as "
			                     "its %s key",
			                     table->name, names[i], kinds[i]);
		if (type && strcmp(type, "S") != 0)
			return pcf_error_set(err, PCF_ESCHEMA,
			                     "MisconfiguredSchema: key attribute %s of table %s is "
			                     "of type %s, not S",
			                     names[i], table->name, type);
	}
	return 0;
}

int pcf_config_table_check(pcf_ddb *db, const pcf_config_table *table, pcf_error *err)
{
	cJSON *desc = NULL;
	int rc;
	if ((rc = config_table_valid(table, err)) < 0)
		return rc;
	if (!db)
		return pcf_error_set(err, PCF_EINVAL, "no DynamoDB client given");
	if ((rc = pcf_ddb_describe_table(&desc, db, table->name, err)) < 0)
		return rc;
	rc = config_key_schema_check(desc, table, err);
	cJSON_Delete(desc);
	return rc;
}

/* Creates the table; someone else creating it at the same time is fine. */
static int create_table(pcf_ddb *db, const pcf_config_table *table,
                        const pcf_config_create_options *o, pcf_error *err)
{
	cJSON *req = NULL, *desc = NULL;
	int rc;
	if ((rc = config_create_request(&req, table, o->read_units, o->write_units, err)) < 0)
		return rc;
	rc = pcf_ddb_create_table(&desc, db, req, err);
	cJSON_Delete(req);
	cJSON_Delete(desc);
	if (rc == PCF_ERESOURCE_IN_USE)
		return 0;
	if (rc < 0) {
		pcf_error_prefix(err, "TableNotCreated: creating table %s", table->name);
		if (err)
			err->code = PCF_ETABLE_NOT_CREATED;
		return PCF_ETABLE_NOT_CREATED;
	}
	return 0;
}

int pcf_config_table_ensure(pcf_ddb *db, const pcf_config_table *table,
                            const pcf_config_create_options *options, pcf_error *err)
{
	pcf_config_create_options o = PCF_CONFIG_CREATE_OPTIONS_INIT;
	cJSON *desc = NULL;
	int rc;

	if (options)
		o = *options;
	if ((rc = config_table_valid(table, err)) < 0)
		return rc;
	if (!db)
		return pcf_error_set(err, PCF_EINVAL, "no DynamoDB client given");
	if (o.read_units < 0 || o.write_units < 0 || (o.read_units == 0) != (o.write_units == 0))
		return pcf_error_set(err, PCF_EINVAL,
		                     "read and write units must both be positive, or both 0 "
		                     "for on-demand");
	rc = pcf_ddb_describe_table(&desc, db, table->name, err);
	if (rc == PCF_ERESOURCE_NOT_FOUND)
		rc = create_table(db, table, &o, err);
	else if (rc == 0)
		rc = config_key_schema_check(desc, table, err);
	cJSON_Delete(desc);
	desc = NULL;
	if (rc < 0)
		return rc;
	rc = pcf_ddb_wait_table(&desc, db, table->name, PCF_DDB_TABLE_ACTIVE,
	                        o.poll_interval_ms > 0 ? o.poll_interval_ms
	                                               : DEFAULT_POLL_INTERVAL_MS,
	                        o.timeout_ms > 0 ? o.timeout_ms : DEFAULT_CREATE_TIMEOUT_MS, err);
	if (rc == PCF_ETIMEDOUT || rc == PCF_EREFUSED || rc == PCF_ERESOURCE_NOT_FOUND) {
		pcf_error_prefix(err, "TableNotReady: table %s", table->name);
		if (err)
			err->code = PCF_ETABLE_NOT_READY;
		rc = PCF_ETABLE_NOT_READY;
	} else if (rc == 0) {
		/* A table someone else created at the same time may have other keys. */
		rc = config_key_schema_check(desc, table, err);
	}
	cJSON_Delete(desc);
	return rc;
}

/* A Query for one store, or a Scan of the whole table. */
static int read_request(cJSON **out, const pcf_config_table *table, const char *store,
                        pcf_error *err)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *names, *values, *v;
	int ok = req && cJSON_AddStringToObject(req, "TableName", table->name) &&
	         cJSON_AddTrueToObject(req, "ConsistentRead");
	if (ok && store) {
		names = cJSON_AddObjectToObject(req, "ExpressionAttributeNames");
		values = cJSON_AddObjectToObject(req, "ExpressionAttributeValues");
		v = cJSON_AddObjectToObject(values, ":store");
		ok = names && values && v &&
		     cJSON_AddStringToObject(req, "KeyConditionExpression", "#store = :store") &&
		     cJSON_AddStringToObject(names, "#store", config_store_key(table)) &&
		     cJSON_AddStringToObject(v, "S", store);
	}
	*out = NULL;
	if (!ok) {
		cJSON_Delete(req);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = req;
	return 0;
}

int pcf_config_table_read(cJSON **out, pcf_ddb *db, const pcf_config_table *table,
                          const char *store, pcf_error *err)
{
	cJSON *req = NULL, *resp = NULL, *grouped = NULL;
	int rc;

	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if ((rc = config_table_valid(table, err)) < 0)
		return rc;
	if (!db)
		return pcf_error_set(err, PCF_EINVAL, "no DynamoDB client given");
	if ((rc = read_request(&req, table, store, err)) < 0)
		goto out;
	rc = store ? pcf_ddb_query(&resp, db, req, err) : pcf_ddb_scan(&resp, db, req, err);
	if (rc < 0)
		goto out;
	rc = config_items_group(&grouped, table, cJSON_GetObjectItemCaseSensitive(resp, "Items"),
	                        err);
	if (rc == 0 && !store)
		rc = config_sort_members(grouped, err);
	if (rc < 0)
		goto out;
	*out = grouped;
	grouped = NULL;
out:
	cJSON_Delete(req);
	cJSON_Delete(resp);
	cJSON_Delete(grouped);
	return rc;
}
