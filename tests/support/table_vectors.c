/*
 * The recorded DynamoDB answers of tests/vectors/dynamodb_table: see
 * table_vectors.h.
 */
#include "table_vectors.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_assert.h"

/* The whole recorded answer in vectors/dynamodb_table/<name>.json. */
cJSON *tv_answer(const char *name)
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
	v = pcf_test_json_parse(buf);
	free(buf);
	return v;
}

/* The "Table" / "TableDescription" (or other) member of a recorded answer, detached. */
cJSON *tv_member(const char *name, const char *member)
{
	cJSON *all = tv_answer(name);
	cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(all, member);
	cr_assert_not_null(m, "%s has no %s", name, member);
	cJSON_Delete(all);
	return m;
}

cJSON *tv_table(const char *name)
{
	cJSON *all = tv_answer(name);
	cJSON *m = cJSON_DetachItemFromObjectCaseSensitive(all, "Table");
	if (m == NULL)
		m = cJSON_DetachItemFromObjectCaseSensitive(all, "TableDescription");
	cr_assert_not_null(m, "%s has no table description", name);
	cJSON_Delete(all);
	return m;
}

char *tv_print(const cJSON *v)
{
	return v ? cJSON_PrintUnformatted(v) : NULL;
}
