/*
 * Building requests: the C arguments of an action go into a base object,
 * then every member of the caller's `params` is added as it is, so any
 * parameter the API defines (today's or tomorrow's) can be passed without
 * pcf knowing it. A params member that repeats a C argument is refused
 * rather than silently overriding one side.
 */
#include "ddb_internal.h"

#include <pcf/error.h>

int ddb_request_merge(cJSON **out, cJSON *base, const cJSON *params, pcf_error *err)
{
	const cJSON *member;
	int rc = 0;
	*out = NULL;
	if (!base) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if (params && !cJSON_IsObject(params)) {
		rc = pcf_error_set(err, PCF_EINVAL, "params must be a JSON object");
		goto out;
	}
	cJSON_ArrayForEach(member, params)
	{
		cJSON *copy;
		if (!member->string) {
			rc = pcf_error_set(err, PCF_EINVAL, "params member without a name");
			goto out;
		}
		if (cJSON_GetObjectItemCaseSensitive(base, member->string)) {
			rc = pcf_error_set(err, PCF_EINVAL,
			                   "params.%s repeats an argument given directly",
			                   member->string);
			goto out;
		}
		copy = cJSON_Duplicate(member, 1);
		if (!copy || !cJSON_AddItemToObject(base, member->string, copy)) {
			cJSON_Delete(copy);
			rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
			goto out;
		}
	}
	*out = base;
	base = NULL;
out:
	cJSON_Delete(base);
	return rc;
}

/* {"TableName": table} plus, when key_name is given, a copy of value under it. */
int ddb_request_table(cJSON **out, const char *table, const char *key_name, const cJSON *value,
                      const cJSON *params, pcf_error *err)
{
	cJSON *base;
	*out = NULL;
	if (!table || !*table)
		return pcf_error_set(err, PCF_EINVAL, "a table name is required");
	if (key_name && !cJSON_IsObject(value))
		return pcf_error_set(err, PCF_EINVAL, "%s must be a JSON object", key_name);
	base = cJSON_CreateObject();
	if (base && !cJSON_AddStringToObject(base, "TableName", table)) {
		cJSON_Delete(base);
		base = NULL;
	}
	if (base && key_name && !cJSON_AddItemToObject(base, key_name, cJSON_Duplicate(value, 1))) {
		cJSON_Delete(base);
		base = NULL;
	}
	return ddb_request_merge(out, base, params, err);
}
