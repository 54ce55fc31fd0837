/*
 * JSON trees written as YAML with libyaml's emitter (for `pcf export`).
 *
 * Objects become mappings and arrays sequences, keys in tree order. A
 * collection whose members are all scalars and few is written in flow
 * style ({ReadCapacityUnits: 5, WriteCapacityUnits: 5}) because that is how
 * people write definitions by hand; everything else is block style. A
 * string that a YAML reader would take for something else (a number, a
 * boolean, null, empty) is double-quoted, so reading the output back gives
 * the same tree: that round trip is what `export` promises.
 */
#include "src/cli/cli.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Collections of at most this many scalars are written on one line. */
#define FLOW_MAX_MEMBERS 4

static int is_scalar(const cJSON *v)
{
	return !cJSON_IsObject(v) && !cJSON_IsArray(v);
}

static int use_flow(const cJSON *v)
{
	const cJSON *child;
	int n = 0;

	cJSON_ArrayForEach(child, v)
	{
		if (!is_scalar(child) || ++n > FLOW_MAX_MEMBERS)
			return 0;
	}
	return n > 0;
}

/* Whether a plain scalar with this text would load as something other than a string. */
static int looks_typed(const char *s)
{
	static const char *const words[] = {"true", "false", "yes", "no",   "on",
	                                    "off",  "y",     "n",   "null", "~"};
	char *end = NULL;
	size_t k;

	if (!*s || isspace((unsigned char)s[0]) || isspace((unsigned char)s[strlen(s) - 1]))
		return 1;
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (!strcasecmp(s, words[k]))
			return 1;
	(void)strtod(s, &end);
	if (end && end != s && *end == '\0')
		return 1;
	/* Hex, octal and special floats in YAML 1.1/1.2. */
	return !strncasecmp(s, "0x", 2) || !strncasecmp(s, "0o", 2) || !strcasecmp(s, ".inf") ||
	       !strcasecmp(s, "-.inf") || !strcasecmp(s, ".nan");
}

static int emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	/* yaml_emitter_emit consumes the event whatever it returns. */
	return yaml_emitter_emit(em, ev) ? 0 : PCF_EIO;
}

static int emit_text(yaml_emitter_t *em, const char *text, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text),
	                                  1, 1, style))
		return PCF_ENOMEM;
	return emit(em, &ev);
}

static void number_text(char *buf, size_t size, double d)
{
	if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
		snprintf(buf, size, "%lld", (long long)d);
	else
		snprintf(buf, size, "%.17g", d);
}

static int emit_scalar(yaml_emitter_t *em, const cJSON *v)
{
	char num[64];

	if (cJSON_IsString(v))
		return emit_text(em, v->valuestring,
		                 looks_typed(v->valuestring) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
		                                             : YAML_ANY_SCALAR_STYLE);
	if (cJSON_IsNumber(v)) {
		number_text(num, sizeof(num), v->valuedouble);
		return emit_text(em, num, YAML_PLAIN_SCALAR_STYLE);
	}
	if (cJSON_IsBool(v))
		return emit_text(em, cJSON_IsTrue(v) ? "true" : "false", YAML_PLAIN_SCALAR_STYLE);
	return emit_text(em, "null", YAML_PLAIN_SCALAR_STYLE);
}

static int emit_node(yaml_emitter_t *em, const cJSON *v, int depth);

static int emit_mapping(yaml_emitter_t *em, const cJSON *v, int depth)
{
	yaml_event_t ev;
	const cJSON *child;
	int rc;

	if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
	                                         use_flow(v) ? YAML_FLOW_MAPPING_STYLE
	                                                     : YAML_BLOCK_MAPPING_STYLE))
		return PCF_ENOMEM;
	if ((rc = emit(em, &ev)) != 0)
		return rc;
	cJSON_ArrayForEach(child, v)
	{
		const char *key = child->string ? child->string : "";

		rc = emit_text(em, key,
		               looks_typed(key) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
		                                : YAML_ANY_SCALAR_STYLE);
		if (rc || (rc = emit_node(em, child, depth + 1)) != 0)
			return rc;
	}
	yaml_mapping_end_event_initialize(&ev);
	return emit(em, &ev);
}

static int emit_sequence(yaml_emitter_t *em, const cJSON *v, int depth)
{
	yaml_event_t ev;
	const cJSON *child;
	int rc;

	if (!yaml_sequence_start_event_initialize(
	        &ev, NULL, NULL, 1,
	        use_flow(v) || !v->child ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE))
		return PCF_ENOMEM;
	if ((rc = emit(em, &ev)) != 0)
		return rc;
	cJSON_ArrayForEach(child, v)
	{
		if ((rc = emit_node(em, child, depth + 1)) != 0)
			return rc;
	}
	yaml_sequence_end_event_initialize(&ev);
	return emit(em, &ev);
}

static int emit_node(yaml_emitter_t *em, const cJSON *v, int depth)
{
	/* cJSON's own parser stops far shallower; this guards hand-built trees. */
	if (depth > 200)
		return PCF_EINVAL;
	if (cJSON_IsObject(v))
		return emit_mapping(em, v, depth);
	if (cJSON_IsArray(v))
		return emit_sequence(em, v, depth);
	return emit_scalar(em, v);
}

static int emit_document(yaml_emitter_t *em, const cJSON *value)
{
	yaml_event_t ev;
	int rc;

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if ((rc = emit(em, &ev)) != 0)
		return rc;
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1))
		return PCF_ENOMEM;
	if ((rc = emit(em, &ev)) != 0 || (rc = emit_node(em, value, 0)) != 0)
		return rc;
	yaml_document_end_event_initialize(&ev, 1);
	if ((rc = emit(em, &ev)) != 0)
		return rc;
	yaml_stream_end_event_initialize(&ev);
	if ((rc = emit(em, &ev)) != 0)
		return rc;
	return yaml_emitter_flush(em) ? 0 : PCF_EIO;
}

int pcf_cli_yaml_write(FILE *to, const cJSON *value, pcf_error *err)
{
	yaml_emitter_t em;
	int rc;

	if (!value)
		return pcf_error_set(err, PCF_EINVAL, "nothing to write as YAML");
	if (!yaml_emitter_initialize(&em))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory starting the YAML emitter");
	yaml_emitter_set_output_file(&em, to);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_indent(&em, 2);
	yaml_emitter_set_width(&em, 100);
	rc = emit_document(&em, value);
	if (rc == PCF_EIO)
		pcf_error_set(err, rc, "writing YAML: %s",
		              em.problem ? em.problem : "the output could not be written");
	else if (rc)
		pcf_error_set(err, rc, "writing YAML: %s", pcf_error_code_describe(rc));
	yaml_emitter_delete(&em);
	return rc;
}
