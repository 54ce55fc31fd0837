/*
 * The $inherit$ syntax, free of the engine: splitting a
 * "$inherit$flavor:name$path" value and following a path in a tree. The
 * validator checks references with these; the engine's resolver
 * (inherit.c, declared in engine_internal.h) fills them in at run time.
 */
#ifndef PCF_CORE_INHERIT_H
#define PCF_CORE_INHERIT_H

#include <stddef.h>

#include <cjson/cJSON.h>

/* Splits "$inherit$id$path" into id (caller storage) and *path (borrowed
 * from text): 1 parsed, 0 not an $inherit$ value, -1 malformed. */
int pcf_inherit_parse(const char *text, char *id, size_t id_size, const char **path);
/* The value at a dotted path ("A.B", "A[0]", "A[name]") in tree, or NULL;
 * borrowed from tree. */
const cJSON *pcf_inherit_path_get(const cJSON *tree, const char *path);

#endif
