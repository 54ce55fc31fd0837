/*
 * Option data: typing `key=value` arguments and converting between an
 * option's plain JSON data and its DynamoDB item.
 *
 * The typing rules are the CLI's promise (DESIGN.md): integers and decimals
 * become numbers, true/false booleans, null null, everything else a
 * string. A number keeps its exact text: when a double would not print it
 * back the same way (too many digits), it becomes the DynamoDB client's
 * {"$N": "text"} marker instead of a cJSON number. Text with a superfluous
 * leading zero ("007", "00.5") stays a string, because as a number it
 * would lose that zero — zip codes and ids look like this.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when text is -?digits(.digits)? with no superfluous leading zero. */
static int looks_numeric(const char *text)
{
	const char *p = text;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* 1 when a double holding text prints back as the same text. */
static int double_keeps_text(const char *text, double *value)
{
	char printed[64];
	char *end = NULL;
	*value = strtod(text, &end);
	if (!end || *end != '\0')
		return 0;
	snprintf(printed, sizeof(printed), "%.15g", *value);
	return strcmp(printed, text) == 0;
}

/* The value of one `key=value` argument, typed. */
static cJSON *typed_value(const char *text)
{
	double d;
	if (strcmp(text, "true") == 0)
		return cJSON_CreateTrue();
	if (strcmp(text, "false") == 0)
		return cJSON_CreateFalse();
	if (strcmp(text, "null") == 0)
		return cJSON_CreateNull();
	if (looks_numeric(text)) {
		cJSON *marker;
		if (double_keeps_text(text, &d))
			return cJSON_CreateNumber(d);
		marker = cJSON_CreateObject();
		if (marker && !cJSON_AddStringToObject(marker, "$N", text)) {
			cJSON_Delete(marker);
			return NULL;
		}
		return marker;
	}
	return cJSON_CreateString(text);
}

static int json_value(cJSON **out, const char *arg, const char *text, pcf_error *err)
{
	const char *end = NULL;
	size_t len = strlen(text);
	*out = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	/* Only blanks may follow the value. */
	while (*out && end && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
		end++;
	if (*out && end == text + len)
		return 0;
	cJSON_Delete(*out);
	*out = NULL;
	return pcf_error_set(err, PCF_EINVAL, "%s: the value is not valid JSON", arg);
}

/* Parses one "key=value" into obj. */
static int add_assignment(cJSON *obj, const char *arg, int json_values, pcf_error *err)
{
	const char *eq = strchr(arg, '=');
	cJSON *value = NULL;
	char *key = NULL;
	int rc = 0;

	if (!eq)
		return pcf_error_set(err, PCF_EINVAL, "%s: expected key=value", arg);
	if (eq == arg)
		return pcf_error_set(err, PCF_EINVAL, "%s: the key is empty", arg);
	if (!(key = strndup(arg, (size_t)(eq - arg))))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
		rc = pcf_error_set(err, PCF_EINVAL, "%s: key '%s' is given twice", arg, key);
		goto out;
	}
	if (json_values) {
		if ((rc = json_value(&value, arg, eq + 1, err)) < 0)
			goto out;
	} else if (!(value = typed_value(eq + 1))) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if (!cJSON_AddItemToObject(obj, key, value)) {
		cJSON_Delete(value);
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
out:
	free(key);
	return rc;
}

int pcf_config_parse_assignments(cJSON **out, const char *const *args, size_t count,
                                 int json_values, pcf_error *err)
{
	cJSON *obj;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (count > 0 && !args)
		return pcf_error_set(err, PCF_EINVAL, "no arguments given");
	if (!(obj = cJSON_CreateObject()))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		int rc = add_assignment(obj, args[i], json_values, err);
		if (rc < 0) {
			cJSON_Delete(obj);
			return rc;
		}
	}
	*out = obj;
	return 0;
}

const char *config_store_key(const pcf_config_table *table)
{
	return table->store_key && table->store_key[0] ? table->store_key
	                                               : PCF_CONFIG_DEFAULT_STORE_KEY;
}

const char *config_option_key(const pcf_config_table *table)
{
	return table->option_key && table->option_key[0] ? table->option_key
	                                                 : PCF_CONFIG_DEFAULT_OPTION_KEY;
}

int config_table_valid(const pcf_config_table *table, pcf_error *err)
{
	if (!table || !table->name || !table->name[0])
		return pcf_error_set(err, PCF_EINVAL, "no table name given");
	if (strcmp(config_store_key(table), config_option_key(table)) == 0)
		return pcf_error_set(err, PCF_EINVAL,
		                     "the store key and the option key are both '%s'",
		                     config_store_key(table));
	return 0;
}

int config_item_key(cJSON **out, const pcf_config_table *table, const char *store,
                    const char *option, pcf_error *err)
{
	cJSON *key = cJSON_CreateObject();
	cJSON *s = cJSON_AddObjectToObject(key, config_store_key(table));
	cJSON *o = cJSON_AddObjectToObject(key, config_option_key(table));
	*out = NULL;
	if (!s || !o || !cJSON_AddStringToObject(s, "S", store) ||
	    !cJSON_AddStringToObject(o, "S", option)) {
		cJSON_Delete(key);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = key;
	return 0;
}

int pcf_config_item_from_data(cJSON **out, const pcf_config_table *table, const char *store,
                              const char *option, const cJSON *data, pcf_error *err)
{
	cJSON *item = NULL, *key = NULL, *part;
	int rc;

	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if ((rc = config_table_valid(table, err)) < 0)
		return rc;
	if (!store || !store[0] || !option || !option[0])
		return pcf_error_set(err, PCF_EINVAL, "a store and an option name are needed");
	if (!cJSON_IsObject(data))
		return pcf_error_set(err, PCF_EINVAL, "option data must be a JSON object");
	if (cJSON_GetObjectItemCaseSensitive(data, config_store_key(table)) ||
	    cJSON_GetObjectItemCaseSensitive(data, config_option_key(table)))
		return pcf_error_set(err, PCF_EINVAL,
		                     "option data cannot use the key attribute names '%s' and '%s'",
		                     config_store_key(table), config_option_key(table));
	if ((rc = pcf_ddb_item_from_json(&item, data, err)) < 0)
		goto out;
	if ((rc = config_item_key(&key, table, store, option, err)) < 0)
		goto out;
	/* Move the two key attributes into the item. */
	while ((part = key->child) != NULL) {
		cJSON_DetachItemViaPointer(key, part);
		cJSON_AddItemToObject(item, part->string, part);
	}
	*out = item;
	item = NULL;
out:
	cJSON_Delete(key);
	cJSON_Delete(item);
	return rc;
}

int pcf_config_data_from_item(cJSON **out, const pcf_config_table *table, const cJSON *item,
                              pcf_error *err)
{
	cJSON *copy;
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!table || !cJSON_IsObject(item))
		return pcf_error_set(err, PCF_EINVAL, "an item must be a JSON object");
	if (!(copy = cJSON_Duplicate(item, 1)))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(copy, config_store_key(table));
	cJSON_DeleteItemFromObjectCaseSensitive(copy, config_option_key(table));
	rc = pcf_ddb_item_to_json(out, copy, err);
	cJSON_Delete(copy);
	return rc;
}

/* The string value of attribute name in item, or NULL when absent or not S. */
static const char *string_attribute(const cJSON *item, const char *name)
{
	const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, name);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(av, "S");
	return cJSON_IsString(s) ? s->valuestring : NULL;
}

static int group_one(cJSON *into, const pcf_config_table *table, const cJSON *item, pcf_error *err)
{
	const char *store = string_attribute(item, config_store_key(table));
	const char *option = string_attribute(item, config_option_key(table));
	cJSON *group, *data = NULL;
	int rc;

	if (!store || !option)
		return 0;
	group = cJSON_GetObjectItemCaseSensitive(into, store);
	if (!group && !(group = cJSON_AddObjectToObject(into, store)))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if ((rc = pcf_config_data_from_item(&data, table, item, err)) < 0)
		return pcf_error_prefix(err, "option %s/%s", store, option);
	cJSON_DeleteItemFromObjectCaseSensitive(group, option);
	if (!cJSON_AddItemToObject(group, option, data)) {
		cJSON_Delete(data);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return 0;
}

int config_items_group(cJSON **into, const pcf_config_table *table, const cJSON *items,
                       pcf_error *err)
{
	const cJSON *item;
	if (!*into && !(*into = cJSON_CreateObject()))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(item, items)
	{
		int rc = group_one(*into, table, item, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	return strcmp(x->string, y->string);
}

int config_sort_members(cJSON *obj, pcf_error *err)
{
	size_t n = (size_t)cJSON_GetArraySize(obj), i = 0;
	cJSON **members, *m;
	if (n < 2)
		return 0;
	if (!(members = malloc(n * sizeof(*members))))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	for (m = obj->child; m; m = m->next)
		members[i++] = m;
	qsort(members, n, sizeof(*members), compare_names);
	/* Relink in order: cJSON keeps a doubly linked list whose head's prev is the tail. */
	for (i = 0; i < n; i++) {
		members[i]->prev = i > 0 ? members[i - 1] : members[n - 1];
		members[i]->next = i + 1 < n ? members[i + 1] : NULL;
	}
	obj->child = members[0];
	free(members);
	return 0;
}
