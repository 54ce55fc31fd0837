/*
 * JSON definition files: checked as JSON (with PCF's line comments), then
 * handed to the YAML loader.
 */
#ifndef PCF_DEFINITIONS_JSON_TEXT_H
#define PCF_DEFINITIONS_JSON_TEXT_H

#include <stddef.h>

#include <pcf/definitions.h>

/*
 * Checks len bytes of text (named file in diags) as JSON, allowing `#` and
 * `//` line comments outside strings as PCF's commentjson does. On success
 * *out is a NUL-terminated copy (free with free) whose comments and tabs
 * outside strings are spaces, so every offset, line and column is kept.
 * A syntax error is one "invalid JSON: expected X, found Y" diag at its
 * line and column; then PCF_EDEFINITION and *out NULL. Or PCF_ENOMEM.
 */
int pcf_defs_json_prepare(char **out, const char *text, size_t len, const char *file,
                          pcf_diags *diags);

#endif
