/*
 * Item operations on a particle's table: get, put, delete, as PCF offers
 * them, taking and giving items as plain JSON or DynamoDB JSON.
 *
 * The table is the one the particle's definition names, in the region its
 * region_name picks, so `pcf item get orders --key ...` reaches the same
 * table `pcf apply` manages. Format detection (PCF_ITEM_AUTO) takes an
 * object for DynamoDB JSON only when every member is a single-member
 * object whose member is an attribute-value type name; anything else is
 * plain JSON, which pcf_ddb_item_from_json converts.
 */
#include "table.h"

#include <string.h>

static int is_type_name(const char *name)
{
	static const char *const types[] = {"S", "N", "B",    "SS",   "NS", "BS",
	                                    "M", "L", "NULL", "BOOL", NULL};
	for (size_t i = 0; types[i] != NULL; i++)
		if (!strcmp(name, types[i]))
			return 1;
	return 0;
}

static int looks_typed(const cJSON *item)
{
	const cJSON *v;
	if (cJSON_GetArraySize(item) == 0)
		return 0;
	cJSON_ArrayForEach(v, item)
	{
		if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 1 ||
		    !is_type_name(v->child->string))
			return 0;
	}
	return 1;
}

/* *out: the item in DynamoDB JSON, new. */
static int to_wire(cJSON **out, const cJSON *item, pcf_item_format format, pcf_error *err)
{
	*out = NULL;
	if (!cJSON_IsObject(item))
		return pcf_error_set(err, PCF_EINVAL, "expected a JSON object for the item or key");
	if (format == PCF_ITEM_DYNAMODB || (format == PCF_ITEM_AUTO && looks_typed(item))) {
		*out = cJSON_Duplicate(item, 1);
		return *out != NULL ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return pcf_ddb_item_from_json(out, item, err);
}

static int from_wire(cJSON **out, const cJSON *item, pcf_item_format format, pcf_error *err)
{
	if (format == PCF_ITEM_DYNAMODB) {
		*out = cJSON_Duplicate(item, 1);
		return *out != NULL ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return pcf_ddb_item_to_json(out, item, err);
}

static int target(pcf_ddb **db, const char **table, pcf_services *services,
                  const pcf_particle_def *def, pcf_error *err)
{
	*table = pcf_table_str(def->aws_resource, "TableName");
	if (*table == NULL)
		return pcf_error_set(err, PCF_EINVAL, "particle %s names no TableName", def->name);
	return pcf_table_client(db, services, def->aws_resource, err);
}

int pcf_table_item_get(cJSON **out, pcf_services *services, const pcf_particle_def *def,
                       const cJSON *key, pcf_item_format input, pcf_item_format output,
                       pcf_error *err)
{
	cJSON *wire = NULL, *answer = NULL;
	const cJSON *item;
	const char *table;
	pcf_ddb *db;
	int rc;

	*out = NULL;
	if ((rc = target(&db, &table, services, def, err)) < 0 ||
	    (rc = to_wire(&wire, key, input, err)) < 0)
		goto out;
	if ((rc = pcf_ddb_get_item(&answer, db, table, wire, NULL, err)) < 0)
		goto out;
	item = cJSON_GetObjectItemCaseSensitive(answer, "Item");
	if (item == NULL) {
		rc = pcf_error_set(err, PCF_ENOTFOUND, "table %s has no item with that key", table);
		goto out;
	}
	rc = from_wire(out, item, output, err);
out:
	cJSON_Delete(wire);
	cJSON_Delete(answer);
	return rc;
}

int pcf_table_item_put(pcf_services *services, const pcf_particle_def *def, const cJSON *item,
                       pcf_item_format input, pcf_error *err)
{
	cJSON *wire = NULL, *answer = NULL;
	const char *table;
	pcf_ddb *db;
	int rc;

	if ((rc = target(&db, &table, services, def, err)) == 0 &&
	    (rc = to_wire(&wire, item, input, err)) == 0)
		rc = pcf_ddb_put_item(&answer, db, table, wire, NULL, err);
	cJSON_Delete(wire);
	cJSON_Delete(answer);
	return rc;
}

int pcf_table_item_delete(cJSON **old, pcf_services *services, const pcf_particle_def *def,
                          const cJSON *key, pcf_item_format input, pcf_item_format output,
                          pcf_error *err)
{
	cJSON *wire = NULL, *answer = NULL, *params = NULL;
	const cJSON *attrs;
	const char *table;
	pcf_ddb *db;
	int rc;

	if (old != NULL)
		*old = NULL;
	if ((rc = target(&db, &table, services, def, err)) < 0 ||
	    (rc = to_wire(&wire, key, input, err)) < 0)
		goto out;
	params = cJSON_CreateObject();
	if (params == NULL || !cJSON_AddStringToObject(params, "ReturnValues", "ALL_OLD")) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = pcf_ddb_delete_item(&answer, db, table, wire, params, err)) < 0)
		goto out;
	attrs = cJSON_GetObjectItemCaseSensitive(answer, "Attributes");
	if (old != NULL && attrs != NULL)
		rc = from_wire(old, attrs, output, err);
out:
	cJSON_Delete(wire);
	cJSON_Delete(answer);
	cJSON_Delete(params);
	return rc;
}
