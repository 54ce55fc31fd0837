/*
 * Number text under a locale whose decimal point is a comma. This is an
 * integration test, not a unit test, because it runs localedef to build
 * such a locale (a child process that valgrind's unit-test check would
 * trace and blame); it talks to no server.
 */
#define PCF_TEST_SERVERS_NO_HOOKS
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/pcf.h>

#include "test_dynamodb_it.h"

static void assert_json_eq(const cJSON *got, const char *want_text)
{
	cJSON *want = it_json(want_text);
	char *g = cJSON_PrintUnformatted(got);
	cr_assert(cJSON_Compare(got, want, 1), "got %s, want %s", g, want_text);
	cJSON_free(g);
	cJSON_Delete(want);
}

/*
 * A program may run under a locale that prints 1.5 as "1,5". Such a
 * locale is built for the test with localedef into a temporary LOCPATH;
 * where that cannot be done the test is skipped, saying why.
 */
static int comma_locale(char *dir, size_t size)
{
	char cmd[512];
	snprintf(dir, size, "/tmp/pcf-locale-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cmd, sizeof(cmd), "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
	         dir);
	if (system(cmd) != 0)
		return -1;
	setenv("LOCPATH", dir, 1);
	return setlocale(LC_NUMERIC, "de_DE.UTF-8") ? 0 : -1;
}

Test(ddb_value, numbers_ignore_a_comma_locale)
{
	char dir[64], cmd[128], printed[16];
	cJSON *n = cJSON_CreateNumber(1.5), *av = NULL, *back = NULL,
	      *text_av = it_json("{\"N\":\"2.25\"}");
	int have = comma_locale(dir, sizeof(dir)) == 0;
	snprintf(printed, sizeof(printed), "%.1f", 1.5);
	if (have && strcmp(printed, "1,5") == 0) {
		cr_assert_eq(pcf_ddb_value_from_json(&av, n, NULL), 0);
		assert_json_eq(av, "{\"N\":\"1.5\"}");
		cr_assert_eq(pcf_ddb_value_to_json(&back, text_av, NULL), 0);
		cr_assert(cJSON_IsNumber(back), "2.25 is a plain number, not a marker");
		cr_assert_float_eq(back->valuedouble, 2.25, 1e-12);
	}
	setlocale(LC_NUMERIC, "C");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
	cJSON_Delete(n);
	cJSON_Delete(av);
	cJSON_Delete(back);
	cJSON_Delete(text_av);
	if (!have || strcmp(printed, "1,5") != 0)
		cr_skip_test("no locale with a decimal comma could be made (localedef de_DE)");
}
