/*
 * Turning one YAML scalar into a typed cJSON value.
 */
#ifndef PCF_DEFINITIONS_SCALAR_H
#define PCF_DEFINITIONS_SCALAR_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* How the scalar was written. */
typedef struct scalar_text {
	const char *text; /* not NUL-terminated necessarily; len bytes */
	size_t len;
	int plain;       /* 1: unquoted, not a block scalar */
	const char *tag; /* explicit tag as libyaml resolved it, or NULL */
} scalar_text;

/*
 * Builds the value of s in *out (caller frees with cJSON_Delete):
 * ${VAR} substitution first, then, for plain scalars without a tag, the
 * YAML 1.2 core schema (null, booleans, integers, floats; anything else a
 * string). Quoted and block scalars stay strings. Explicit !!str, !!int,
 * !!float, !!bool and !!null tags are honoured. Returns 0, PCF_ENOMEM, or
 * PCF_EDEFINITION with a reason in why and *out still set to the best
 * value (a string) so loading can go on and report more.
 */
int pcf_defs_scalar_to_json(cJSON **out, const scalar_text *s, char *why, size_t why_size);

/*
 * The core-schema value of plain text: 1 and a new node in *out when text
 * is null, a boolean or a number; 0 when it is a plain string (or when out
 * of memory, which the caller notices from the NULL *out on a 1). Exposed
 * for tests.
 */
int pcf_defs_scalar_resolve_plain(cJSON **out, const char *text);

#endif
