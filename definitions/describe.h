/*
 * Wording shared by every definitions message: how a found value is shown,
 * how a list of choices is written, and "did you mean" suggestions.
 */
#ifndef PCF_DEFINITIONS_DESCRIBE_H
#define PCF_DEFINITIONS_DESCRIBE_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* The value as a message shows it: "HASHH" (quoted), 5, true, null, a mapping, a list. */
void pcf_defs_describe_value(const cJSON *value, char *buf, size_t size);

/* "a, b or c" from a NULL-terminated list, into buf. */
void pcf_defs_describe_choices(const char *const *choices, char *buf, size_t size);

/* The choice closest to word when close enough to be a likely typo, else NULL. */
const char *pcf_defs_describe_suggest(const char *word, const char *const *choices);

/* A hint when value is a YAML 1.1 boolean word ("yes", "off") read as a string; else "". */
const char *pcf_defs_describe_bool_hint(const cJSON *value);

#endif
