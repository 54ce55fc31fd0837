/*
 * ${VAR} inside flow collections: `{ReadCapacityUnits: ${RCU:-5}}`.
 *
 * In a flow collection YAML ends a plain scalar at "{", so libyaml reads
 * "$" and then a nested mapping, and the file does not parse. Substituting
 * before parsing would lose the positions and let a value's text change
 * the YAML around it. Instead, a first pass with libyaml's own scanner
 * finds each plain scalar inside a flow collection that ends with "$"
 * right before a "{", and the "{...}" that follows (on the same line,
 * nested ${...} counted) is made parseable in a copy: its flow indicators
 * become "_", one byte for one byte, so every offset, line and column
 * stays. The loader parses the copy and, for a plain scalar overlapping
 * such a range, takes its text from the original instead: substitution
 * then sees exactly what the user wrote.
 */
#include "flow_vars.h"

#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include <pcf/error.h>

#include "src/common/util.h"

void pcf_defs_flow_vars_init(flow_vars *fv)
{
	memset(fv, 0, sizeof(*fv));
}

void pcf_defs_flow_vars_cleanup(flow_vars *fv)
{
	free(fv->text);
	free(fv->ranges);
	pcf_defs_flow_vars_init(fv);
}

/* End (one past the "}") of the ${...} whose "{" is at open, or 0 when it does not close on its
 * line. */
static size_t closing(const char *text, size_t len, size_t open)
{
	int depth = 0;

	for (size_t i = open; i < len && text[i] != '\n' && text[i] != '\r'; i++) {
		if (text[i] == '{')
			depth++;
		else if (text[i] == '}' && --depth == 0)
			return i + 1;
	}
	return 0;
}

static int add_range(flow_vars *fv, const char *text, size_t len, size_t open)
{
	size_t end = closing(text, len, open);

	if (end == 0)
		return 0; /* the parser reports it, with a hint (yaml_text.c) */
	if (fv->text == NULL) {
		if ((fv->text = malloc(len + 1)) == NULL)
			return PCF_ENOMEM;
		memcpy(fv->text, text, len);
		fv->text[len] = '\0';
	}
	if (pcf_util_grow((void **)&fv->ranges, &fv->capacity, fv->count, sizeof(*fv->ranges)) < 0)
		return PCF_ENOMEM;
	fv->ranges[fv->count].start = open;
	fv->ranges[fv->count].end = end;
	fv->count++;
	for (size_t i = open; i < end; i++)
		if (strchr("{}[],:#", fv->text[i]) != NULL)
			fv->text[i] = '_';
	return 0;
}

static int has_variable(const char *text, size_t len)
{
	const char *at = text, *end = text + len;

	while ((at = memchr(at, '$', (size_t)(end - at))) != NULL && at + 1 < end) {
		if (at[1] == '{')
			return 1;
		at++;
	}
	return 0;
}

int pcf_defs_flow_vars_prepare(flow_vars *fv, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_token_t token;
	int level = 0, done = 0, rc = 0;

	if (!has_variable(text, len))
		return 0;
	if (!yaml_parser_initialize(&parser))
		return PCF_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	/* A scanner error ends the pass; the parser reports it later. */
	while (!done && rc == 0 && yaml_parser_scan(&parser, &token)) {
		size_t end = token.end_mark.index;

		switch (token.type) {
		case YAML_FLOW_SEQUENCE_START_TOKEN:
		case YAML_FLOW_MAPPING_START_TOKEN:
			level++;
			break;
		case YAML_FLOW_SEQUENCE_END_TOKEN:
		case YAML_FLOW_MAPPING_END_TOKEN:
			level -= level > 0;
			break;
		case YAML_SCALAR_TOKEN:
			if (level > 0 && token.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			    token.data.scalar.length > 0 &&
			    token.data.scalar.value[token.data.scalar.length - 1] == '$' &&
			    end < len && text[end] == '{')
				rc = add_range(fv, text, len, end);
			break;
		case YAML_STREAM_END_TOKEN:
			done = 1;
			break;
		default:
			break;
		}
		yaml_token_delete(&token);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int pcf_defs_flow_vars_touches(const flow_vars *fv, size_t start, size_t end)
{
	size_t lo = 0, hi = fv->count;

	/* Ranges are in text order and never overlap: find the first ending after start. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fv->ranges[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fv->count && fv->ranges[lo].start < end;
}
