/* JSON helpers for Criterion tests (json_assert.h). */
#include "json_assert.h"

#include <criterion/criterion.h>
#include <string.h>

cJSON *pcf_test_json_parse(const char *text)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);

	cr_assert_not_null(j, "test JSON does not parse: %s", text);
	return j;
}

void pcf_test_assert_json(const cJSON *got, const char *want_text)
{
	cJSON *want = pcf_test_json_parse(want_text);
	char *g = cJSON_PrintUnformatted(got);

	cr_assert(cJSON_Compare(got, want, 1), "got %s, want %s", g, want_text);
	cJSON_free(g);
	cJSON_Delete(want);
}
