/*
 * Ensure-exists for a table: create it from a definition when it is
 * missing (or once it has finished being deleted), accept a concurrent
 * creator (ResourceInUseException) as success, and refuse a table of that
 * name whose key does not match, because items written with one key
 * schema are unreadable with another.
 */
#include "ddb_internal.h"

#include <string.h>

#include <pcf/error.h>

#include "src/common/util.h"

#define ENSURE_POLL_MS 250

/* The attribute with role key_type (HASH or RANGE) in a KeySchema list, or NULL. */
static const char *key_attribute(const cJSON *def, const char *key_type)
{
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(def, "KeySchema");

	return pcf_util_json_str(pcf_util_json_find(keys, "KeyType", key_type), "AttributeName");
}

static const char *attribute_type(const cJSON *def, const char *attribute)
{
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(def, "AttributeDefinitions");

	return pcf_util_json_str(pcf_util_json_find(defs, "AttributeName", attribute),
	                         "AttributeType");
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int ddb_key_schema_check(const cJSON *table, const cJSON *create_request, pcf_error *err)
{
	static const char *const roles[] = {"HASH", "RANGE"};
	const char *name = pcf_util_json_str(create_request, "TableName");
	for (int i = 0; i < 2; i++) {
		const char *want = key_attribute(create_request, roles[i]);
		const char *have = key_attribute(table, roles[i]);
		const char *want_type, *have_type;
		if (!same(want, have))
			return pcf_error_set(err, PCF_ESCHEMA,
			                     "table %s has %s key %s, expected %s",
			                     name ? name : "?", roles[i], have ? have : "(none)",
			                     want ? want : "(none)");
		if (!want)
			continue;
		want_type = attribute_type(create_request, want);
		have_type = attribute_type(table, have);
		if (want_type && !same(want_type, have_type))
			return pcf_error_set(
			    err, PCF_ESCHEMA, "table %s has key %s of type %s, expected %s",
			    name ? name : "?", want, have_type ? have_type : "?", want_type);
	}
	return 0;
}

static int is_deleting(const cJSON *table)
{
	const char *st = pcf_util_json_str(table, "TableStatus");
	return st && strcmp(st, "DELETING") == 0;
}

/* Describes the table, waiting out a deletion: PCF_ERESOURCE_NOT_FOUND when there is none. */
static int look(cJSON **table, pcf_ddb *db, const char *name, long interval_ms, long timeout_ms,
                pcf_error *err)
{
	int rc = pcf_ddb_describe_table(table, db, name, err);
	if (rc == 0 && is_deleting(*table)) {
		/* A table on its way out is waited out, then made anew. */
		cJSON_Delete(*table);
		*table = NULL;
		rc = pcf_ddb_wait_table(NULL, db, name, PCF_DDB_TABLE_DELETED, interval_ms,
		                        timeout_ms, err);
		if (rc == 0)
			rc = PCF_ERESOURCE_NOT_FOUND;
	}
	return rc;
}

/* Creates the table and describes it; a concurrent creator's table is described as well. */
static int create(cJSON **table, pcf_ddb_ensure_step *step, pcf_ddb *db, const char *name,
                  const cJSON *create_request, pcf_error *err)
{
	int rc;
	*step = PCF_DDB_ENSURE_CREATE;
	rc = pcf_ddb_create_table(NULL, db, create_request, err);
	/* Someone else created it between our look and our create. */
	if (rc == PCF_ERESOURCE_IN_USE) {
		pcf_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		return rc;
	*step = PCF_DDB_ENSURE_LOOK;
	return pcf_ddb_describe_table(table, db, name, err);
}

int pcf_ddb_ensure_table_steps(cJSON **out, pcf_ddb_ensure_step *failed, pcf_ddb *db,
                               const cJSON *create_request, long interval_ms, long timeout_ms,
                               pcf_error *err)
{
	const char *name = pcf_util_json_str(create_request, "TableName");
	pcf_ddb_ensure_step step = PCF_DDB_ENSURE_LOOK;
	cJSON *table = NULL;
	int rc;
	if (out)
		*out = NULL;
	if (failed)
		*failed = PCF_DDB_ENSURE_LOOK;
	if (!db || !name || !key_attribute(create_request, "HASH"))
		return pcf_error_set(
		    err, PCF_EINVAL,
		    "ensure_table needs a CreateTable request with a TableName and "
		    "a HASH key");
	if (interval_ms <= 0)
		interval_ms = ENSURE_POLL_MS;
	rc = look(&table, db, name, interval_ms, timeout_ms, err);
	if (rc == PCF_ERESOURCE_NOT_FOUND)
		rc = create(&table, &step, db, name, create_request, err);
	if (rc == 0) {
		step = PCF_DDB_ENSURE_KEYS;
		rc = ddb_key_schema_check(table, create_request, err);
	}
	cJSON_Delete(table);
	if (rc == 0) {
		step = PCF_DDB_ENSURE_WAIT;
		rc = pcf_ddb_wait_table(out, db, name, PCF_DDB_TABLE_ACTIVE, interval_ms,
		                        timeout_ms, err);
	}
	if (rc < 0 && failed)
		*failed = step;
	return rc;
}

int pcf_ddb_ensure_table(cJSON **out, pcf_ddb *db, const cJSON *create_request, long timeout_ms,
                         pcf_error *err)
{
	return pcf_ddb_ensure_table_steps(out, NULL, db, create_request, ENSURE_POLL_MS, timeout_ms,
	                                  err);
}
