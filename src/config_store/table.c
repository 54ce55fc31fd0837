/*
 * The table under the stores: checking its key schema, creating it, and
 * reading its options.
 *
 * A config table's key is exactly the store key (HASH) and the option key
 * (RANGE), both strings. The checks, the create-or-accept and the waits
 * are the DynamoDB client's (pcf_ddb_ensure_table and its key schema
 * check in src/dynamodb/ensure.c); this file only builds the table's
 * CreateTable request and names the failures the seed's way, so its users
 * recognise them: MisconfiguredSchema for other keys, TableNotCreated for
 * a refused CreateTable, TableNotReady for a table still unusable at the
 * deadline.
 */
#include "store_internal.h"

#include <string.h>

#include "src/common/util.h"
#include "src/dynamodb/ensure.h"

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

/* Gives a failure the seed's name and code, keeping the detail (and the AWS error) after it. */
static int seed_failure(pcf_error *err, int code, const char *seed_name, const char *what,
                        const char *table)
{
	if (err) {
		pcf_error_prefix(err, "%s: %s %s", seed_name, what, table);
		err->code = code;
	}
	return code;
}

static int table_usable(pcf_ddb *db, const pcf_config_table *table, pcf_error *err)
{
	int rc = config_table_valid(table, err);
	if (rc == 0 && !db)
		rc = pcf_error_set(err, PCF_EINVAL, "no DynamoDB client given");
	return rc;
}

int config_table_keys_check(const cJSON *description, const pcf_config_table *table, pcf_error *err)
{
	cJSON *want = NULL;
	/* The units do not matter: only the request's keys are compared. */
	int rc = config_create_request(&want, table, 1, 1, err);
	/* The client's message names the table, the key found and the one expected. */
	if (rc == 0 && (rc = ddb_key_schema_check(description, want, err)) < 0 && err)
		pcf_error_prefix(err, "MisconfiguredSchema");
	cJSON_Delete(want);
	return rc;
}

int config_table_describe(cJSON **out, pcf_ddb *db, const pcf_config_table *table, pcf_error *err)
{
	cJSON *desc = NULL;
	int rc;
	if (out)
		*out = NULL;
	if ((rc = table_usable(db, table, err)) < 0)
		return rc;
	if ((rc = pcf_ddb_describe_table(&desc, db, table->name, err)) < 0)
		return rc;
	if ((rc = config_table_keys_check(desc, table, err)) == 0 && out) {
		*out = desc;
		desc = NULL;
	}
	cJSON_Delete(desc);
	return rc;
}

int pcf_config_table_check(pcf_ddb *db, const pcf_config_table *table, pcf_error *err)
{
	return config_table_describe(NULL, db, table, err);
}

static int units_valid(long read_units, long write_units, pcf_error *err)
{
	if (read_units < 0 || write_units < 0 || (read_units == 0) != (write_units == 0))
		return pcf_error_set(err, PCF_EINVAL,
		                     "read and write units must both be positive, or both 0 "
		                     "for on-demand");
	return 0;
}

int config_table_create(pcf_ddb *db, const pcf_config_table *table, long read_units,
                        long write_units, pcf_error *err)
{
	cJSON *req = NULL;
	int rc;
	if ((rc = table_usable(db, table, err)) < 0 ||
	    (rc = units_valid(read_units, write_units, err)) < 0)
		return rc;
	if ((rc = config_create_request(&req, table, read_units, write_units, err)) < 0)
		return rc;
	rc = pcf_ddb_create_table(NULL, db, req, err);
	cJSON_Delete(req);
	if (rc == PCF_ERESOURCE_IN_USE) {
		/* Created meanwhile by someone else; its keys are checked when it is described. */
		pcf_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return seed_failure(err, PCF_ETABLE_NOT_CREATED, "TableNotCreated",
		                    "creating table", table->name);
	return 0;
}

/* The name and code the seed gives a failed step of pcf_config_table_ensure. */
static int ensure_failure(pcf_error *err, int rc, pcf_ddb_ensure_step step, const char *table)
{
	switch (step) {
	case PCF_DDB_ENSURE_CREATE:
		return seed_failure(err, PCF_ETABLE_NOT_CREATED, "TableNotCreated",
		                    "creating table", table);
	case PCF_DDB_ENSURE_KEYS:
		if (err)
			pcf_error_prefix(err, "MisconfiguredSchema");
		return rc;
	case PCF_DDB_ENSURE_WAIT:
		if (rc == PCF_ETIMEDOUT || rc == PCF_EREFUSED || rc == PCF_ERESOURCE_NOT_FOUND)
			return seed_failure(err, PCF_ETABLE_NOT_READY, "TableNotReady", "table",
			                    table);
		return rc;
	case PCF_DDB_ENSURE_LOOK:
	default:
		return rc;
	}
}

int pcf_config_table_ensure(pcf_ddb *db, const pcf_config_table *table,
                            const pcf_config_create_options *options, pcf_error *err)
{
	pcf_config_create_options o = PCF_CONFIG_CREATE_OPTIONS_INIT;
	pcf_ddb_ensure_step step = PCF_DDB_ENSURE_LOOK;
	cJSON *req = NULL;
	int rc;

	if (options)
		o = *options;
	if ((rc = table_usable(db, table, err)) < 0 ||
	    (rc = units_valid(o.read_units, o.write_units, err)) < 0)
		return rc;
	if ((rc = config_create_request(&req, table, o.read_units, o.write_units, err)) < 0)
		return rc;
	rc = pcf_ddb_ensure_table_steps(
	    NULL, &step, db, req,
	    o.poll_interval_ms > 0 ? o.poll_interval_ms : DEFAULT_POLL_INTERVAL_MS,
	    o.timeout_ms > 0 ? o.timeout_ms : DEFAULT_CREATE_TIMEOUT_MS, err);
	cJSON_Delete(req);
	return rc < 0 ? ensure_failure(err, rc, step, table->name) : 0;
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
	if ((rc = table_usable(db, table, err)) < 0)
		return rc;
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

static const char *resource_string(const cJSON *resource, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(resource, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int pcf_config_table_from_resource(pcf_config_table *out, const char **region,
                                   const cJSON *resource, pcf_error *err)
{
	pcf_config_table t = PCF_CONFIG_TABLE_INIT;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = t;
	if (region)
		*region = NULL;
	if (!cJSON_IsObject(resource))
		return pcf_error_set(err, PCF_EINVAL, "aws_resource is not a mapping");
	t.name = resource_string(resource, "TableName");
	t.store_key = resource_string(resource, "StoreKey");
	t.option_key = resource_string(resource, "OptionKey");
	if (!t.name || !t.name[0])
		return pcf_error_set(err, PCF_EINVAL, "aws_resource has no TableName");
	*out = t;
	if (region)
		*region = resource_string(resource, "region_name");
	return 0;
}
