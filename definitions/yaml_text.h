/*
 * libyaml's edges: errors coming out.
 */
#ifndef PCF_DEFINITIONS_YAML_TEXT_H
#define PCF_DEFINITIONS_YAML_TEXT_H

#include <stddef.h>

#include <yaml.h>

#include <pcf/definitions.h>

/*
 * Reports the error p stopped on, for the text it was parsing, as one diag
 * with position, libyaml's words and, for common mistakes (tabs, an
 * unclosed quote, indentation), a hint. Returns PCF_EDEFINITION, or
 * PCF_ENOMEM when libyaml ran out of memory (nothing reported).
 */
int pcf_defs_yaml_text_report_error(const yaml_parser_t *p, const char *text, size_t len,
                                    const char *file, pcf_diags *diags);

#endif
