/*
 * Declarative schema checks for a flavor's aws_resource.
 *
 * A flavor describes the shape it accepts as static pcf_schema tables; this
 * walker compares a loaded tree against one and reports, at the exact
 * path, every unknown field, wrong type, missing required field and value
 * outside an enum, in the one form every definitions message has:
 * "path: expected X, found Y". It never stops at the first problem.
 *
 * Where the schema wants a string and the YAML gave a number or boolean
 * (a plain `AttributeName: 2024`), the check accepts it, since YAML typing
 * is the user's accident there, not their intent. The check never writes:
 * turning such a node into its text is pcf_schema_normalize's job
 * (schema_normalize.c), an explicit step of its own.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/definitions.h>

#include "defs_internal.h"
#include "describe.h"

struct walk {
	const pcf_particle_def *def;
	pcf_diags *diags;
	size_t problems;
};

static void vproblem(struct walk *w, const char *path, int at_key, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void vproblem(struct walk *w, const char *path, int at_key, const char *fmt, va_list ap)
{
	char message[1536];

	vsnprintf(message, sizeof(message), fmt, ap);
	if (at_key)
		pcf_defs_report_key(w->def, w->diags, path, "%s", message);
	else
		pcf_particle_def_report(w->def, w->diags, path, "%s", message);
	w->problems++;
}

static void problem(struct walk *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct walk *w, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(w, path, 0, fmt, ap);
	va_end(ap);
}

static void problem_at_key(struct walk *w, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem_at_key(struct walk *w, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem(w, path, 1, fmt, ap);
	va_end(ap);
}

/* path + ".key" or path + "[i]"; NULL when out of memory. */
static char *child_path(const char *path, const char *key, size_t index)
{
	size_t len = strlen(path) + (key ? strlen(key) : 24) + 4;
	char *out = malloc(len);

	if (out == NULL)
		return NULL;
	if (key != NULL)
		snprintf(out, len, "%s%s%s", path, path[0] ? "." : "", key);
	else
		snprintf(out, len, "%s[%zu]", path, index);
	return out;
}

static const char *type_phrase(pcf_schema_type type)
{
	switch (type) {
	case PCF_SCHEMA_STRING:
		return "a string";
	case PCF_SCHEMA_INTEGER:
		return "an integer";
	case PCF_SCHEMA_NUMBER:
		return "a number";
	case PCF_SCHEMA_BOOL:
		return "true or false";
	case PCF_SCHEMA_OBJECT:
	case PCF_SCHEMA_MAP:
		return "a mapping";
	case PCF_SCHEMA_LIST:
		return "a list";
	default:
		return "a value";
	}
}

/* A number or boolean where a string is wanted counts as its text. */
static int is_scalar_text(const cJSON *node)
{
	return cJSON_IsNumber(node) || cJSON_IsBool(node);
}

static void check_enum(struct walk *w, const char *const *values, const cJSON *node,
                       const char *path)
{
	char choices[1024], found[128], text[64];
	const char *value = node->valuestring;
	size_t i, used = 0;

	if (is_scalar_text(node) && pcf_schema_scalar_text(text, sizeof(text), node) == 0)
		value = text;
	for (i = 0; values[i] != NULL; i++)
		if (value != NULL && strcmp(values[i], value) == 0)
			return;
	choices[0] = '\0';
	for (i = 0; values[i] != NULL && used < sizeof(choices); i++) {
		int n = snprintf(choices + used, sizeof(choices) - used, "%s%s", i ? ", " : "",
		                 values[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	pcf_defs_describe_value(node, found, sizeof(found));
	problem(w, path, "expected one of %s, found %s", choices, found);
}

static void check_object(struct walk *w, const pcf_schema *schema, const cJSON *node,
                         const char *path);

static void check_value(struct walk *w, pcf_schema_type type, const char *const *enum_values,
                        const pcf_schema *object, pcf_schema_type item_type,
                        const pcf_schema *item_object, const cJSON *node, const char *path);

static int type_matches(pcf_schema_type type, const cJSON *node)
{
	switch (type) {
	case PCF_SCHEMA_ANY:
		return 1;
	case PCF_SCHEMA_STRING:
		return cJSON_IsString(node);
	case PCF_SCHEMA_INTEGER:
		return cJSON_IsNumber(node) && node->valuedouble == floor(node->valuedouble) &&
		       fabs(node->valuedouble) < 9007199254740992.0;
	case PCF_SCHEMA_NUMBER:
		return cJSON_IsNumber(node);
	case PCF_SCHEMA_BOOL:
		return cJSON_IsBool(node);
	case PCF_SCHEMA_OBJECT:
	case PCF_SCHEMA_MAP:
		return cJSON_IsObject(node);
	case PCF_SCHEMA_LIST:
		return cJSON_IsArray(node);
	}
	return 0;
}

/* Items of a list or values of a map. */
static void check_items(struct walk *w, pcf_schema_type item_type, const char *const *enum_values,
                        const pcf_schema *item_object, const cJSON *node, const char *path)
{
	const cJSON *item;
	size_t i = 0;

	cJSON_ArrayForEach(item, node)
	{
		char *sub = child_path(path, cJSON_IsObject(node) ? item->string : NULL, i++);

		if (sub == NULL)
			return;
		check_value(w, item_type, enum_values, item_object, PCF_SCHEMA_ANY, NULL, item,
		            sub);
		free(sub);
	}
}

static void check_value(struct walk *w, pcf_schema_type type, const char *const *enum_values,
                        const pcf_schema *object, pcf_schema_type item_type,
                        const pcf_schema *item_object, const cJSON *node, const char *path)
{
	char found[128];

	/* The engine puts the parent's live value here after the parent
	 * converges; only then does its type exist. */
	if (cJSON_IsString(node) && strncmp(node->valuestring, "$inherit$", 9) == 0)
		return;
	if (!type_matches(type, node) && !(type == PCF_SCHEMA_STRING && is_scalar_text(node))) {
		pcf_defs_describe_value(node, found, sizeof(found));
		if (type == PCF_SCHEMA_OBJECT && object != NULL && object->name != NULL)
			problem(w, path, "expected a mapping (%s), found %s", object->name, found);
		else
			problem(w, path, "expected %s, found %s%s", type_phrase(type), found,
			        type == PCF_SCHEMA_BOOL ? pcf_defs_describe_bool_hint(node) : "");
		return;
	}
	if (type == PCF_SCHEMA_STRING && enum_values != NULL)
		check_enum(w, enum_values, node, path);
	else if (type == PCF_SCHEMA_OBJECT && object != NULL)
		check_object(w, object, node, path);
	else if (type == PCF_SCHEMA_LIST || type == PCF_SCHEMA_MAP)
		check_items(w, item_type, enum_values, item_object, node, path);
}

static const pcf_schema_field *find_field(const pcf_schema *schema, const char *name)
{
	size_t i;

	for (i = 0; i < schema->field_count; i++)
		if (strcmp(schema->fields[i].name, name) == 0)
			return &schema->fields[i];
	return NULL;
}

static void report_unknown(struct walk *w, const pcf_schema *schema, const char *key,
                           const char *path)
{
	const char *names[128];
	char choices[2048];
	const char *guess;
	size_t i, n = 0;

	for (i = 0; i < schema->field_count && n + 1 < sizeof(names) / sizeof(names[0]); i++)
		names[n++] = schema->fields[i].name;
	names[n] = NULL;
	pcf_defs_describe_choices(names, choices, sizeof(choices));
	guess = pcf_defs_describe_suggest(key, names);
	problem_at_key(w, path, "unknown field in %s: expected one of %s%s%s%s",
	               schema->name ? schema->name : "this mapping", choices,
	               guess ? " (did you mean \"" : "", guess ? guess : "", guess ? "\"?)" : "");
}

static void check_object(struct walk *w, const pcf_schema *schema, const cJSON *node,
                         const char *path)
{
	const pcf_schema_field *field;
	const cJSON *item;
	size_t i;

	cJSON_ArrayForEach(item, node)
	{
		char *sub = child_path(path, item->string, 0);

		if (sub == NULL)
			return;
		field = find_field(schema, item->string);
		if (field == NULL && !schema->allow_unknown)
			report_unknown(w, schema, item->string, sub);
		else if (field != NULL)
			check_value(w, field->type, field->enum_values, field->object,
			            field->item_type, field->item_object, item, sub);
		free(sub);
	}
	for (i = 0; i < schema->field_count; i++) {
		field = &schema->fields[i];
		if ((field->flags & PCF_SCHEMA_REQUIRED) &&
		    cJSON_GetObjectItemCaseSensitive(node, field->name) == NULL)
			problem(w, path, "expected required field \"%s\" (%s) in %s, found none",
			        field->name, type_phrase(field->type),
			        schema->name ? schema->name : "this mapping");
	}
}

size_t pcf_schema_check(const pcf_schema *schema, const cJSON *node, const char *path,
                        const pcf_particle_def *def, pcf_diags *diags)
{
	struct walk w = {def, diags, 0};
	char found[128];

	if (path == NULL)
		path = "";
	if (!cJSON_IsObject(node)) {
		pcf_defs_describe_value(node, found, sizeof(found));
		problem(&w, path, "expected a mapping (%s), found %s",
		        schema->name ? schema->name : "settings", found);
		return w.problems;
	}
	check_object(&w, schema, node, path);
	return w.problems;
}
