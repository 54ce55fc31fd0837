/*
 * Small helpers shared by the table flavor's files: typed field reads,
 * keyed lookups in lists, order-blind list equality, and picking the
 * DynamoDB client for a definition's region.
 *
 * Equality ignores list order everywhere because DynamoDB does: it may
 * answer AttributeDefinitions, KeySchema elements of indexes, NonKeyAttributes
 * and tags in any order (the local servers already differ).
 */
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

const char *pcf_table_str(const cJSON *obj, const char *key)
{
	return pcf_util_json_str(obj, key);
}

int pcf_table_bool(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsBool(item))
		return -1;
	return cJSON_IsTrue(item) ? 1 : 0;
}

cJSON *pcf_table_find_named(const cJSON *array, const char *key, const char *name)
{
	return pcf_util_json_find(array, key, name);
}

int pcf_table_copy_field(cJSON *to, const cJSON *from, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
	cJSON *dup;
	if (v == NULL)
		return 0;
	dup = cJSON_Duplicate(v, 1);
	if (dup == NULL || !cJSON_AddItemToObject(to, key, dup)) {
		cJSON_Delete(dup);
		return -1;
	}
	return 0;
}

static int equal(const cJSON *a, const cJSON *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
		return fabs(a->valuedouble - b->valuedouble) < 1e-9;
	if (cJSON_IsBool(a) && cJSON_IsBool(b))
		return cJSON_IsTrue(a) == cJSON_IsTrue(b);
	if ((a->type & 0xFF) != (b->type & 0xFF))
		return 0;
	if (cJSON_IsArray(a))
		return pcf_util_json_same_items(a, b, equal);
	if (cJSON_IsObject(a))
		return pcf_util_json_same_members(a, b, equal);
	return cJSON_Compare(a, b, 1);
}

int pcf_table_same_set(const cJSON *a, const cJSON *b)
{
	return equal(a, b);
}

int pcf_table_client(pcf_ddb **out, pcf_services *services, const cJSON *resource, pcf_error *err)
{
	*out = NULL;
	if (services == NULL)
		return pcf_error_set(
		    err, PCF_EINVAL,
		    "dynamodb_table: no DynamoDB services were given to the engine");
	return pcf_services_ddb(out, services, pcf_table_str(resource, "region_name"), err);
}
