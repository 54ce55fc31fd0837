/*
 * pcf_schema_normalize: the one step that rewrites a definition to the
 * shape its schema names. Where the schema wants a string and the YAML
 * gave a number or boolean (`TableName: 2024`), the node becomes its text,
 * so that the flavor's operations read every such field as a string.
 *
 * It is kept apart from pcf_schema_check on purpose: checking never
 * writes, and a caller decides when the definition changes (pcf's CLI
 * normalises once, right after loading, through pcf_engine_normalize).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/definitions.h>
#include <pcf/error.h>

#include "defs_internal.h"

int pcf_schema_scalar_text(char *text, size_t size, const cJSON *node)
{
	int n;

	if (cJSON_IsBool(node))
		n = snprintf(text, size, "%s", cJSON_IsTrue(node) ? "true" : "false");
	else if (cJSON_IsNumber(node))
		n = snprintf(text, size, "%.17g", node->valuedouble);
	else
		return -1;
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* node becomes a string holding its text. 0 or PCF_ENOMEM. */
static int to_text(cJSON *node)
{
	char text[64];
	char *copy;

	if (pcf_schema_scalar_text(text, sizeof(text), node) < 0)
		return 0;
	if ((copy = strdup(text)) == NULL)
		return PCF_ENOMEM;
	node->type = cJSON_String;
	node->valuestring = copy;
	return 0;
}

static int normalize_object(const pcf_schema *schema, cJSON *node);

static int normalize_value(pcf_schema_type type, const pcf_schema *object,
                           pcf_schema_type item_type, const pcf_schema *item_object, cJSON *node)
{
	cJSON *item;
	int rc;

	if (type == PCF_SCHEMA_STRING && (cJSON_IsNumber(node) || cJSON_IsBool(node)))
		return to_text(node);
	if (type == PCF_SCHEMA_OBJECT && object != NULL && cJSON_IsObject(node))
		return normalize_object(object, node);
	if ((type == PCF_SCHEMA_LIST && cJSON_IsArray(node)) ||
	    (type == PCF_SCHEMA_MAP && cJSON_IsObject(node))) {
		cJSON_ArrayForEach(item, node)
		{
			rc = normalize_value(item_type, item_object, PCF_SCHEMA_ANY, NULL, item);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int normalize_object(const pcf_schema *schema, cJSON *node)
{
	cJSON *item;
	int rc;

	cJSON_ArrayForEach(item, node)
	{
		for (size_t i = 0; i < schema->field_count; i++) {
			const pcf_schema_field *f = &schema->fields[i];
			if (strcmp(f->name, item->string) != 0)
				continue;
			rc =
			    normalize_value(f->type, f->object, f->item_type, f->item_object, item);
			if (rc < 0)
				return rc;
			break;
		}
	}
	return 0;
}

int pcf_schema_normalize(const pcf_schema *schema, cJSON *node)
{
	if (!cJSON_IsObject(node))
		return 0;
	return normalize_object(schema, node);
}
