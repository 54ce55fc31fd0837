/*
 * Plain JSON <-> DynamoDB attribute values.
 *
 * Plain JSON maps onto attribute values by its own types: strings are S,
 * numbers N, booleans BOOL, null NULL, arrays L, objects M. What plain JSON
 * cannot say (binary, sets, numbers whose text must be kept exactly) is
 * written as a marker: an object with exactly one member whose name is "$"
 * plus a type ("$B", "$SS", "$N", ...). Going back, a value that a plain
 * JSON type would change is written as a marker again, so that converting
 * there and back never loses anything. A genuine map whose only key looks
 * like a marker is escaped as {"$M": {...}}.
 */
#include "ddb_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#define NUMBER_TEXT_MAX 64
#define MAX_DEPTH       64

static const char *const marker_names[] = {"$S", "$N",  "$B",  "$BOOL", "$NULL", "$L",
                                           "$M", "$SS", "$NS", "$BS",   NULL};

static int is_marker_name(const char *name)
{
	for (int i = 0; name && marker_names[i]; i++)
		if (strcmp(name, marker_names[i]) == 0)
			return 1;
	return 0;
}

/* The marker name of an object that is a marker, or NULL. */
static const char *marker_of(const cJSON *obj)
{
	if (!cJSON_IsObject(obj) || !obj->child || obj->child->next)
		return NULL;
	return is_marker_name(obj->child->string) ? obj->child->string : NULL;
}

static int base64_valid(const char *s)
{
	size_t len = strlen(s), pad = 0;
	if (len % 4 != 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		            (c >= '0' && c <= '9') || c == '+' || c == '/';
		if (c == '=') {
			pad++;
			continue;
		}
		if (!alpha || pad > 0)
			return 0;
	}
	return pad <= 2;
}

/* Number text of a plain JSON number or of a "$N"/"NS" string member. */
static int number_text(char *buf, size_t size, const cJSON *node, pcf_error *err)
{
	if (cJSON_IsNumber(node)) {
		if (ddb_number_format(buf, size, node->valuedouble) < 0)
			return pcf_error_set(err, PCF_EINVAL,
			                     "DynamoDB numbers cannot be NaN or infinite");
		return 0;
	}
	if (cJSON_IsString(node) && ddb_number_text_valid(node->valuestring) &&
	    strlen(node->valuestring) < size) {
		memcpy(buf, node->valuestring, strlen(node->valuestring) + 1);
		return 0;
	}
	return pcf_error_set(err, PCF_EINVAL, "not a DynamoDB number: %s",
	                     cJSON_IsString(node) ? node->valuestring : "(not a string)");
}

static int add_string(cJSON *obj, const char *type, const char *text)
{
	return cJSON_AddStringToObject(obj, type, text) ? 0 : PCF_ENOMEM;
}

/* A set marker's content: a non-empty array of strings of the set's kind. */
static int set_from_marker(cJSON *av, const char *type, const cJSON *content, pcf_error *err)
{
	char num[NUMBER_TEXT_MAX];
	const cJSON *el;
	cJSON *arr = cJSON_AddArrayToObject(av, type);
	if (!arr)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (!cJSON_IsArray(content) || !content->child)
		return pcf_error_set(err, PCF_EINVAL, "$%s needs a non-empty array", type);
	cJSON_ArrayForEach(el, content)
	{
		const char *text = el->valuestring;
		if (type[0] == 'N') {
			if (number_text(num, sizeof(num), el, err) < 0)
				return PCF_EINVAL;
			text = num;
		} else if (!cJSON_IsString(el) || (type[0] == 'B' && !base64_valid(text))) {
			return pcf_error_set(err, PCF_EINVAL, "$%s holds only %s", type,
			                     type[0] == 'B' ? "base64 strings" : "strings");
		}
		if (!cJSON_AddItemToArray(arr, cJSON_CreateString(text)))
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return 0;
}

static int from_plain(cJSON **out, const cJSON *plain, int depth, pcf_error *err);

/* Fills av (an empty object) from a container: L from an array, M from an object. */
static int container_from_plain(cJSON *av, const cJSON *plain, int depth, pcf_error *err)
{
	int is_list = cJSON_IsArray(plain);
	cJSON *dst = is_list ? cJSON_AddArrayToObject(av, "L") : cJSON_AddObjectToObject(av, "M");
	const cJSON *el;
	if (!dst)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(el, plain)
	{
		cJSON *v = NULL;
		int rc = from_plain(&v, el, depth + 1, err);
		if (rc < 0)
			return rc;
		if (!(is_list ? cJSON_AddItemToArray(dst, v)
		              : cJSON_AddItemToObject(dst, el->string, v))) {
			cJSON_Delete(v);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
	}
	return 0;
}

static int from_marker(cJSON *av, const char *marker, const cJSON *content, int depth,
                       pcf_error *err)
{
	const char *type = marker + 1;
	char num[NUMBER_TEXT_MAX];
	if (strcmp(type, "S") == 0 && cJSON_IsString(content))
		return add_string(av, "S", content->valuestring);
	if (strcmp(type, "N") == 0) {
		if (number_text(num, sizeof(num), content, err) < 0)
			return PCF_EINVAL;
		return add_string(av, "N", num);
	}
	if (strcmp(type, "B") == 0 && cJSON_IsString(content) && base64_valid(content->valuestring))
		return add_string(av, "B", content->valuestring);
	if (strcmp(type, "BOOL") == 0 && cJSON_IsBool(content))
		return cJSON_AddBoolToObject(av, "BOOL", cJSON_IsTrue(content)) ? 0 : PCF_ENOMEM;
	if (strcmp(type, "NULL") == 0 && cJSON_IsTrue(content))
		return cJSON_AddTrueToObject(av, "NULL") ? 0 : PCF_ENOMEM;
	if ((strcmp(type, "L") == 0 && cJSON_IsArray(content)) ||
	    (strcmp(type, "M") == 0 && cJSON_IsObject(content)))
		return container_from_plain(av, content, depth, err);
	if (strcmp(type, "SS") == 0 || strcmp(type, "NS") == 0 || strcmp(type, "BS") == 0)
		return set_from_marker(av, type, content, err);
	return pcf_error_set(err, PCF_EINVAL, "the content of %s has the wrong JSON type", marker);
}

static int from_plain(cJSON **out, const cJSON *plain, int depth, pcf_error *err)
{
	char num[NUMBER_TEXT_MAX];
	const char *marker;
	int rc = 0;
	cJSON *av = cJSON_CreateObject();
	*out = NULL;
	if (!av)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (depth > MAX_DEPTH)
		rc =
		    pcf_error_set(err, PCF_EINVAL, "value nested deeper than %d levels", MAX_DEPTH);
	else if (cJSON_IsString(plain))
		rc = add_string(av, "S", plain->valuestring);
	else if (cJSON_IsNumber(plain))
		rc = number_text(num, sizeof(num), plain, err) < 0 ? PCF_EINVAL
		                                                   : add_string(av, "N", num);
	else if (cJSON_IsBool(plain))
		rc = cJSON_AddBoolToObject(av, "BOOL", cJSON_IsTrue(plain)) ? 0 : PCF_ENOMEM;
	else if (cJSON_IsNull(plain))
		rc = cJSON_AddTrueToObject(av, "NULL") ? 0 : PCF_ENOMEM;
	else if ((marker = marker_of(plain)) != NULL)
		rc = from_marker(av, marker, plain->child, depth, err);
	else if (cJSON_IsArray(plain) || cJSON_IsObject(plain))
		rc = container_from_plain(av, plain, depth, err);
	else
		rc = pcf_error_set(err, PCF_EINVAL, "unsupported JSON value");
	if (rc == PCF_ENOMEM)
		pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (rc < 0) {
		cJSON_Delete(av);
		*out = NULL;
		return rc;
	}
	*out = av;
	return 0;
}

int pcf_ddb_value_from_json(cJSON **out, const cJSON *plain, pcf_error *err)
{
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	if (!plain) {
		*out = NULL;
		return pcf_error_set(err, PCF_EINVAL, "no value given");
	}
	return from_plain(out, plain, 0, err);
}

int pcf_ddb_item_from_json(cJSON **out, const cJSON *plain, pcf_error *err)
{
	cJSON *item = NULL;
	const cJSON *member;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!cJSON_IsObject(plain))
		return pcf_error_set(err, PCF_EINVAL, "an item must be a JSON object");
	if (!(item = cJSON_CreateObject()))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(member, plain)
	{
		cJSON *v = NULL;
		int rc = from_plain(&v, member, 1, err);
		if (rc < 0) {
			cJSON_Delete(item);
			return pcf_error_prefix(err, "attribute %s", member->string);
		}
		if (!cJSON_AddItemToObject(item, member->string, v)) {
			cJSON_Delete(v);
			cJSON_Delete(item);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
	}
	*out = item;
	return 0;
}

cJSON *pcf_ddb_number(const char *text)
{
	cJSON *marker;
	if (!text || !ddb_number_text_valid(text))
		return NULL;
	marker = cJSON_CreateObject();
	if (marker && !cJSON_AddStringToObject(marker, "$N", text)) {
		cJSON_Delete(marker);
		return NULL;
	}
	return marker;
}
