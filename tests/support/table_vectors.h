/*
 * Helpers for the dynamodb_table unit tests: reading the recorded server
 * answers in tests/vectors/dynamodb_table (JSON written inline: see
 * json_assert.h).
 */
#ifndef PCF_TESTS_TABLE_VECTORS_H
#define PCF_TESTS_TABLE_VECTORS_H

#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_assert.h"

/* The whole recorded answer in vectors/dynamodb_table/<name>.json. */
cJSON *tv_answer(const char *name);
/* The "Table" / "TableDescription" (or other) member of a recorded answer, detached. */
cJSON *tv_member(const char *name, const char *member);
/* The table description of a recorded answer ("Table" or "TableDescription"), detached. */
cJSON *tv_table(const char *name);
/* The tree printed on one line, NULL for NULL; the caller frees with cJSON_free. */
char *tv_print(const cJSON *v);

#endif
