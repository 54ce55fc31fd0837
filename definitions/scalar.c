/*
 * Typing of YAML scalars.
 *
 * pcf follows the YAML 1.2 core schema, not PyYAML's YAML 1.1 rules: "yes",
 * "no", "on" and "off" are strings, and so is "012" read as decimal 12 by
 * 1.2 (a leading zero is just a decimal digit there, as here). ".inf" and
 * ".nan" have no JSON form, so they stay strings. Integers become cJSON
 * numbers (doubles): definitions hold capacities and counts, far below
 * 2^53, where that is exact.
 */
#include "scalar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "substitute.h"

#define TAG_PREFIX "tag:yaml.org,2002:"

static int is_digits(const char *s, const char *set)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (strchr(set, *s) == NULL)
			return 0;
	return 1;
}

static int match_any(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(text, *words) == 0)
			return 1;
	return 0;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int is_float(const char *s)
{
	size_t digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, digits++;
	if (*s == '.') {
		size_t frac = 0;

		s++;
		while (*s >= '0' && *s <= '9')
			s++, frac++;
		if (digits == 0 && frac == 0)
			return 0;
	} else if (digits == 0) {
		return 0;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static int is_int_text(const char *text)
{
	const char *sign_less = (text[0] == '-' || text[0] == '+') ? text + 1 : text;

	return is_digits(sign_less, "0123456789") ||
	       (strncmp(text, "0x", 2) == 0 && is_digits(text + 2, "0123456789abcdefABCDEF")) ||
	       (strncmp(text, "0o", 2) == 0 && is_digits(text + 2, "01234567"));
}

/* text is known to be an integer or float form; base 8/16 digits summed as doubles never overflow.
 */
static cJSON *number_from(const char *text)
{
	const char *p;
	double value = 0;
	int base = 0;

	if (strncmp(text, "0x", 2) == 0)
		base = 16;
	else if (strncmp(text, "0o", 2) == 0)
		base = 8;
	if (base == 0)
		return cJSON_CreateNumber(strtod(text, NULL));
	for (p = text + 2; *p; p++) {
		int digit = (*p >= '0' && *p <= '9') ? *p - '0' : (*p | 0x20) - 'a' + 10;

		value = value * base + digit;
	}
	return cJSON_CreateNumber(value);
}

int pcf_defs_scalar_resolve_plain(cJSON **out, const char *text)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"true", "True", "TRUE", NULL};
	static const char *const falses[] = {"false", "False", "FALSE", NULL};

	*out = NULL;
	if (match_any(text, nulls))
		*out = cJSON_CreateNull();
	else if (match_any(text, trues))
		*out = cJSON_CreateTrue();
	else if (match_any(text, falses))
		*out = cJSON_CreateFalse();
	else if (is_int_text(text) || is_float(text)) {
		*out = number_from(text);
		if (*out != NULL && !isfinite((*out)->valuedouble)) {
			/* "1e999": no JSON number can hold it, so it stays text. */
			cJSON_Delete(*out);
			*out = NULL;
			return 0;
		}
	} else
		return 0;
	return 1;
}

/* Applies an explicit tag; text is already substituted. */
static int apply_tag(cJSON **out, const char *tag, const char *text, char *why, size_t why_size)
{
	const char *kind = tag + strlen(TAG_PREFIX);
	int typed;

	if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) != 0 || strcmp(kind, "str") == 0) {
		*out = cJSON_CreateString(text);
		if (strcmp(tag, "!") == 0 || strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) == 0)
			return *out ? 0 : PCF_ENOMEM;
		return *out ? pcf_defs_why(
		                  why, why_size,
		                  "unsupported tag \"%s\": expected no tag or one of !!str, "
		                  "!!int, !!float, !!bool, !!null",
		                  tag)
		            : PCF_ENOMEM;
	}
	typed = pcf_defs_scalar_resolve_plain(out, text);
	if (typed && *out == NULL)
		return PCF_ENOMEM;
	if (typed && ((strcmp(kind, "int") == 0 && is_int_text(text)) ||
	              (strcmp(kind, "float") == 0 && cJSON_IsNumber(*out)) ||
	              (strcmp(kind, "bool") == 0 && cJSON_IsBool(*out)) ||
	              (strcmp(kind, "null") == 0 && cJSON_IsNull(*out))))
		return 0;
	cJSON_Delete(*out);
	*out = cJSON_CreateString(text);
	if (*out == NULL)
		return PCF_ENOMEM;
	return pcf_defs_why(why, why_size, "tag !!%s: expected %s %s, found \"%s\"", kind,
	                    kind[0] == 'i' ? "an" : "a", kind, text);
}

int pcf_defs_scalar_to_json(cJSON **out, const scalar_text *s, char *why, size_t why_size)
{
	char *text = NULL;
	int rc, typed;

	*out = NULL;
	if (memchr(s->text, '\0', s->len) != NULL) {
		/* The text before the NUL stands in, so later checks do not pile on. */
		*out = cJSON_CreateString(s->text);
		return *out ? pcf_defs_why(why, why_size,
		                           "expected text, found a NUL character (\\0) in a string")
		            : PCF_ENOMEM;
	}
	rc = pcf_defs_substitute_env(&text, s->text, s->len, why, why_size);
	if (rc == PCF_EDEFINITION) {
		/* Keep the raw text so later checks still see a string here. */
		text = strndup(s->text, s->len);
		if (text == NULL)
			return PCF_ENOMEM;
	} else if (rc < 0) {
		return rc;
	}
	if (s->tag != NULL) {
		int tag_rc = apply_tag(out, s->tag, text, why, why_size);

		rc = (rc == 0 || tag_rc == PCF_ENOMEM) ? tag_rc : rc;
	} else if (s->plain && rc == 0 && (typed = pcf_defs_scalar_resolve_plain(out, text)) != 0) {
		if (*out == NULL)
			rc = PCF_ENOMEM;
	} else {
		*out = cJSON_CreateString(text);
		if (*out == NULL)
			rc = PCF_ENOMEM;
	}
	free(text);
	return rc;
}
