/*
 * How definitions messages show values and choices.
 *
 * Every message has the shape "expected X, found Y"; these helpers make the
 * Y side uniform (strings quoted and cut at a readable length, containers
 * named rather than dumped) and offer the nearest valid name when a field
 * or value looks like a typo: an edit distance of at most a third of the
 * word, at least 1 and at most 3.
 */
#include "describe.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SHOWN_MAX 60

void pcf_defs_describe_value(const cJSON *value, char *buf, size_t size)
{
	if (value == NULL)
		snprintf(buf, size, "nothing");
	else if (cJSON_IsString(value) && strlen(value->valuestring) > SHOWN_MAX)
		snprintf(buf, size, "\"%.*s...\"", SHOWN_MAX, value->valuestring);
	else if (cJSON_IsString(value))
		snprintf(buf, size, "\"%s\"", value->valuestring);
	else if (cJSON_IsNumber(value))
		snprintf(buf, size, "%.17g", value->valuedouble);
	else if (cJSON_IsTrue(value))
		snprintf(buf, size, "true");
	else if (cJSON_IsFalse(value))
		snprintf(buf, size, "false");
	else if (cJSON_IsNull(value))
		snprintf(buf, size, "null (an empty value)");
	else if (cJSON_IsObject(value))
		snprintf(buf, size, "a mapping");
	else if (cJSON_IsArray(value))
		snprintf(buf, size, "a list");
	else
		snprintf(buf, size, "an unknown value");
}

void pcf_defs_describe_choices(const char *const *choices, char *buf, size_t size)
{
	size_t n = 0, i, used = 0;

	while (choices[n] != NULL)
		n++;
	buf[0] = '\0';
	for (i = 0; i < n && used < size; i++) {
		const char *sep = i == 0 ? "" : (i + 1 == n ? " or " : ", ");
		int w = snprintf(buf + used, size - used, "%s%s", sep, choices[i]);

		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Levenshtein distance, case-insensitive, of short words (longer ones: no suggestion). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[65], prev_diag, tmp;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev_diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			int same = (a[i - 1] | 0x20) == (b[j - 1] | 0x20);

			tmp = row[j];
			row[j] = min3(row[j] + 1, row[j - 1] + 1, prev_diag + (same ? 0 : 1));
			prev_diag = tmp;
		}
	}
	return row[lb];
}

const char *pcf_defs_describe_suggest(const char *word, const char *const *choices)
{
	size_t best = (size_t)-1, limit = strlen(word) / 3, d;
	const char *found = NULL;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	for (; *choices != NULL; choices++) {
		d = distance(word, *choices);
		if (d < best) {
			best = d;
			found = *choices;
		}
	}
	return best <= limit ? found : NULL;
}

const char *pcf_defs_describe_bool_hint(const cJSON *value)
{
	static const char *const yaml11[] = {"yes", "no", "on", "off", "y", "n", NULL};
	size_t i;

	if (!cJSON_IsString(value))
		return "";
	for (i = 0; yaml11[i] != NULL; i++)
		if (strcasecmp(value->valuestring, yaml11[i]) == 0)
			return " (pcf reads YAML 1.2, where only true and false are booleans)";
	return "";
}
