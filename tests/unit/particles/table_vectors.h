/*
 * Helpers for the dynamodb_table unit tests: reading the recorded server
 * answers in tests/vectors/dynamodb_table and writing JSON inline.
 */
#ifndef PCF_TESTS_TABLE_VECTORS_H
#define PCF_TESTS_TABLE_VECTORS_H

#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

/* Parses text (which must be valid JSON); the caller frees. */
static inline cJSON *tv_json(const char *text)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);
	cr_assert_not_null(v, "bad JSON in a test near: %.40s", end ? end : text);
	return v;
}

/* The whole recorded answer in vectors/dynamodb_table/<name>.json. */
static inline cJSON *tv_answer(const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;
	cJSON *v;
	snprintf(path, sizeof(path), "%s/dynamodb_table/%s.json", PCF_TEST_DATA_DIR, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	v = tv_json(buf);
	free(buf);
	return v;
}

/* The "Table" / "TableDescription" (or other) member of a recorded answer, detached. */
static inline cJSON *tv_member(const char *name, const char *member)
{
	cJSON *all = tv_answer(name);
	cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(all, member);
	cr_assert_not_null(m, "%s has no %s", name, member);
	cJSON_Delete(all);
	return m;
}

static inline cJSON *tv_table(const char *name)
{
	cJSON *all = tv_answer(name);
	cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(all, "Table");
	if (m == NULL)
		m = cJSON_DetachItemFromObjectCaseSensitive(all, "TableDescription");
	cr_assert_not_null(m, "%s has no table description", name);
	cJSON_Delete(all);
	return m;
}

static inline char *tv_print(const cJSON *v)
{
	return v ? cJSON_PrintUnformatted(v) : NULL;
}

#endif
