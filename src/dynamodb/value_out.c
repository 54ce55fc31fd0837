/*
 * Attribute values -> plain JSON, and DynamoDB number text.
 *
 * The reverse of value.c. A number becomes a plain JSON number only when
 * printing that number gives back exactly the text DynamoDB sent ("3",
 * "1.5"); otherwise ("12345678901234567890", "1.10") it stays text inside
 * a {"$N": ...} marker, because a double would change it.
 */
#include "ddb_internal.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#define NUMBER_TEXT_MAX 64
#define MAX_DEPTH       64
/* 2^53: every integer below it is exact in a double. */
#define EXACT_INT_LIMIT 9007199254740992.0

/*
 * printf and strtod follow the program's locale, which may write "1,5";
 * DynamoDB always wants "1.5". These swap the locale's decimal point for
 * '.' and back.
 */
static char locale_point(void)
{
	const char *p = localeconv()->decimal_point;
	return (p && p[0] && !p[1]) ? p[0] : '.';
}

static void swap_point(char *text, char from, char to)
{
	char *p = from == to ? NULL : strchr(text, from);
	if (p)
		*p = to;
}

static double parse_double(const char *text, char **end_ok)
{
	char buf[NUMBER_TEXT_MAX], *end = NULL;
	double d;
	*end_ok = NULL;
	if (strlen(text) >= sizeof(buf))
		return 0;
	memcpy(buf, text, strlen(text) + 1);
	swap_point(buf, '.', locale_point());
	d = strtod(buf, &end);
	if (end && *end == '\0')
		*end_ok = end;
	return d;
}

static void print_double(char *buf, size_t size, int precision, double d)
{
	snprintf(buf, size, "%.*g", precision, d);
	swap_point(buf, locale_point(), '.');
}

int ddb_number_format(char *buf, size_t size, double d)
{
	char *ok;
	if (!isfinite(d))
		return PCF_EINVAL;
	if (d == 0) {
		snprintf(buf, size, "0");
	} else if (d == trunc(d) && fabs(d) < EXACT_INT_LIMIT) {
		snprintf(buf, size, "%.0f", d);
	} else {
		/* The shortest of the two usual precisions that reads back as d. */
		print_double(buf, size, 15, d);
		if (parse_double(buf, &ok) != d || !ok)
			print_double(buf, size, 17, d);
	}
	return 0;
}

static const char *digits(const char *p, int *count)
{
	*count = 0;
	while (*p >= '0' && *p <= '9') {
		p++;
		(*count)++;
	}
	return p;
}

int ddb_number_text_valid(const char *text)
{
	int before, after = 0, exp_digits;
	const char *p = text;
	if (!p)
		return 0;
	if (*p == '-' || *p == '+')
		p++;
	p = digits(p, &before);
	if (*p == '.')
		p = digits(p + 1, &after);
	if (before + after == 0)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		p = digits(p, &exp_digits);
		if (exp_digits == 0)
			return 0;
	}
	return *p == '\0';
}

/* {"$TYPE": content}, consuming content. */
static int make_marker(cJSON **out, const char *type, cJSON *content)
{
	char name[8];
	cJSON *m = cJSON_CreateObject();
	snprintf(name, sizeof(name), "$%s", type);
	if (!m || !content || !cJSON_AddItemToObject(m, name, content)) {
		cJSON_Delete(m);
		cJSON_Delete(content);
		return PCF_ENOMEM;
	}
	*out = m;
	return 0;
}

static int number_to_plain(cJSON **out, const char *text)
{
	char again[NUMBER_TEXT_MAX];
	char *end = NULL;
	double d = parse_double(text, &end);
	if (ddb_number_text_valid(text) && end && ddb_number_format(again, sizeof(again), d) == 0 &&
	    strcmp(again, text) == 0) {
		*out = cJSON_CreateNumber(d);
		return *out ? 0 : PCF_ENOMEM;
	}
	return make_marker(out, "N", cJSON_CreateString(text));
}

static int to_plain(cJSON **out, const cJSON *av, int depth, pcf_error *err);

static int container_to_plain(cJSON **out, const cJSON *src, int is_list, int depth, pcf_error *err)
{
	const cJSON *el;
	cJSON *dst = is_list ? cJSON_CreateArray() : cJSON_CreateObject();
	if (!dst)
		return PCF_ENOMEM;
	cJSON_ArrayForEach(el, src)
	{
		cJSON *v = NULL;
		int rc = to_plain(&v, el, depth + 1, err);
		if (rc == 0 && !(is_list ? cJSON_AddItemToArray(dst, v)
		                         : cJSON_AddItemToObject(dst, el->string, v))) {
			cJSON_Delete(v);
			rc = PCF_ENOMEM;
		}
		if (rc < 0) {
			cJSON_Delete(dst);
			return rc;
		}
	}
	/* A map that would read back as a marker is escaped. */
	if (!is_list && dst->child && !dst->child->next && dst->child->string[0] == '$' &&
	    src->child) {
		static const char *const names[] = {"$S", "$N",  "$B",  "$BOOL", "$NULL", "$L",
		                                    "$M", "$SS", "$NS", "$BS",   NULL};
		for (int i = 0; names[i]; i++)
			if (strcmp(dst->child->string, names[i]) == 0)
				return make_marker(out, "M", dst);
	}
	*out = dst;
	return 0;
}

static int set_to_plain(cJSON **out, const char *type, const cJSON *values, pcf_error *err)
{
	const cJSON *el;
	cJSON_ArrayForEach(el, values)
	{
		if (!cJSON_IsString(el))
			return pcf_error_set(err, PCF_EINVAL, "%s holds a non-string", type);
	}
	return make_marker(out, type, cJSON_Duplicate(values, 1));
}

static int to_plain(cJSON **out, const cJSON *av, int depth, pcf_error *err)
{
	const cJSON *v = av ? av->child : NULL;
	const char *t = v ? v->string : NULL;
	*out = NULL;
	if (depth > MAX_DEPTH)
		return pcf_error_set(err, PCF_EINVAL, "value nested deeper than %d levels",
		                     MAX_DEPTH);
	if (!cJSON_IsObject(av) || !v || v->next || !t)
		return pcf_error_set(err, PCF_EINVAL, "not an attribute value");
	if (strcmp(t, "S") == 0 && cJSON_IsString(v))
		return (*out = cJSON_CreateString(v->valuestring)) ? 0 : PCF_ENOMEM;
	if (strcmp(t, "N") == 0 && cJSON_IsString(v))
		return number_to_plain(out, v->valuestring);
	if (strcmp(t, "B") == 0 && cJSON_IsString(v))
		return make_marker(out, "B", cJSON_CreateString(v->valuestring));
	if (strcmp(t, "BOOL") == 0 && cJSON_IsBool(v))
		return (*out = cJSON_CreateBool(cJSON_IsTrue(v))) ? 0 : PCF_ENOMEM;
	if (strcmp(t, "NULL") == 0)
		return (*out = cJSON_CreateNull()) ? 0 : PCF_ENOMEM;
	if (strcmp(t, "L") == 0 && cJSON_IsArray(v))
		return container_to_plain(out, v, 1, depth, err);
	if (strcmp(t, "M") == 0 && cJSON_IsObject(v))
		return container_to_plain(out, v, 0, depth, err);
	if ((strcmp(t, "SS") == 0 || strcmp(t, "NS") == 0 || strcmp(t, "BS") == 0) &&
	    cJSON_IsArray(v))
		return set_to_plain(out, t, v, err);
	return pcf_error_set(err, PCF_EINVAL, "not an attribute value: type %s", t);
}

static int finish(int rc, cJSON **out, pcf_error *err)
{
	if (rc == PCF_ENOMEM)
		pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (rc < 0) {
		cJSON_Delete(*out);
		*out = NULL;
	}
	return rc;
}

int pcf_ddb_value_to_json(cJSON **out, const cJSON *attribute_value, pcf_error *err)
{
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	return finish(to_plain(out, attribute_value, 0, err), out, err);
}

int pcf_ddb_item_to_json(cJSON **out, const cJSON *item, pcf_error *err)
{
	const cJSON *member;
	int rc = 0;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!cJSON_IsObject(item))
		return pcf_error_set(err, PCF_EINVAL, "an item must be a JSON object");
	if (!(*out = cJSON_CreateObject()))
		return finish(PCF_ENOMEM, out, err);
	cJSON_ArrayForEach(member, item)
	{
		cJSON *v = NULL;
		rc = to_plain(&v, member, 1, err);
		if (rc == 0 && !cJSON_AddItemToObject(*out, member->string, v)) {
			cJSON_Delete(v);
			rc = PCF_ENOMEM;
		}
		if (rc < 0) {
			if (rc != PCF_ENOMEM)
				pcf_error_prefix(err, "attribute %s", member->string);
			break;
		}
	}
	return finish(rc, out, err);
}
