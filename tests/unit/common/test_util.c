/*
 * The shared helpers in src/common (buf.h, util.h) that every layer now
 * calls instead of its own copy: what each promises at its edges.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "src/common/buf.h"
#include "src/common/util.h"

static cJSON *parse(const char *json)
{
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(json, strlen(json), &end, 0);

	cr_assert(v != NULL && end == json + strlen(json), "test JSON does not parse: %s", json);
	return v;
}

static int same_text(const cJSON *a, const cJSON *b)
{
	return cJSON_IsString(a) && cJSON_IsString(b) &&
	       strcmp(a->valuestring, b->valuestring) == 0;
}

Test(buf, appends_formats_and_detaches_a_nul_terminated_copy)
{
	pcf_buf b = PCF_BUF_INIT;
	char *text;

	for (int i = 0; i < 100; i++)
		pcf_buf_puts(&b, "ab");
	pcf_buf_putc(&b, '-');
	pcf_buf_printf(&b, "%d/%s", 42, "x");
	cr_assert_eq(b.len, 205);
	cr_assert_eq(pcf_buf_failed(&b), 0);
	text = pcf_buf_detach(&b);
	cr_assert_str_eq(text + 198, "ab-42/x");
	cr_assert_null(b.data);
	free(text);
}

Test(buf, detach_of_an_empty_buffer_is_an_empty_string)
{
	pcf_buf b = PCF_BUF_INIT;
	char *text = pcf_buf_detach(&b);

	cr_assert_str_eq(text, "");
	free(text);
}

Test(util, sleep_waits_at_least_the_time_asked_on_the_monotonic_clock)
{
	int64_t before = pcf_util_now_ms();
	uint64_t before_us = pcf_util_now_us();

	pcf_util_sleep_ms(20);
	cr_assert_geq(pcf_util_now_ms() - before, 20);
	cr_assert_geq(pcf_util_now_us() - before_us, 20000u);
}

Test(util, format_measures_exactly)
{
	char *text = pcf_util_format("%s=%05d", "width", 42);

	cr_assert_str_eq(text, "width=00042");
	free(text);
}

Test(util, parse_long_takes_only_a_whole_number_in_range)
{
	long n = -7;

	cr_assert_eq(pcf_util_parse_long(&n, "10", 1, 10), 0);
	cr_assert_eq(n, 10);
	cr_assert_eq(pcf_util_parse_long(&n, "11", 1, 10), -1);
	cr_assert_eq(pcf_util_parse_long(&n, "0", 1, 10), -1);
	cr_assert_eq(pcf_util_parse_long(&n, "5x", 1, 10), -1);
	cr_assert_eq(pcf_util_parse_long(&n, "", 1, 10), -1);
	cr_assert_eq(pcf_util_parse_long(&n, "99999999999999999999", 0, LONG_MAX), -1);
	cr_assert_eq(n, 10, "a refused text leaves *out alone");
}

Test(util, getenv_treats_empty_as_unset)
{
	setenv("PCF_TEST_UTIL_VAR", "", 1);
	cr_assert_null(pcf_util_getenv("PCF_TEST_UTIL_VAR"));
	setenv("PCF_TEST_UTIL_VAR", "v", 1);
	cr_assert_str_eq(pcf_util_getenv("PCF_TEST_UTIL_VAR"), "v");
	unsetenv("PCF_TEST_UTIL_VAR");
	cr_assert_null(pcf_util_getenv("PCF_TEST_UTIL_VAR"));
}

Test(util, grow_doubles_only_when_full)
{
	int *items = NULL;
	size_t capacity = 0, count;

	for (count = 0; count < 20; count++) {
		cr_assert_eq(pcf_util_grow((void **)&items, &capacity, count, sizeof(*items)), 0);
		items[count] = (int)count;
	}
	cr_assert_eq(capacity, 32);
	cr_assert_eq(items[19], 19);
	free(items);
}

Test(util, hash_str_is_fnv1a)
{
	/* FNV-1a 64-bit test values from the algorithm's reference page
	 * (isthe.com/chongo/tech/comp/fnv). */
	cr_assert_eq((uint64_t)pcf_util_hash_str(""), 0xcbf29ce484222325ULL);
	cr_assert_eq((uint64_t)pcf_util_hash_str("a"), 0xaf63dc4c8601ec8cULL);
}

Test(util, json_str_and_find)
{
	cJSON *list =
	    parse("[{\"Key\":\"a\",\"Value\":1},{\"Key\":2},{\"Key\":\"b\",\"Value\":\"x\"}]");
	cJSON *b = pcf_util_json_find(list, "Key", "b");

	cr_assert_eq(b, cJSON_GetArrayItem(list, 2));
	cr_assert_str_eq(pcf_util_json_str(b, "Value"), "x");
	cr_assert_null(pcf_util_json_str(cJSON_GetArrayItem(list, 0), "Value"),
	               "a number is no string");
	cr_assert_null(pcf_util_json_find(list, "Key", "c"));
	cr_assert_null(pcf_util_json_find(list, "Key", NULL));
	cr_assert_null(pcf_util_json_str(NULL, "Key"));
	cJSON_Delete(list);
}

Test(util, same_items_pairs_each_element_once)
{
	cJSON *a = parse("[\"x\",\"x\",\"y\"]"), *b = parse("[\"y\",\"x\",\"x\"]");
	cJSON *c = parse("[\"x\",\"y\",\"y\"]"), *e1 = parse("[]"), *e2 = parse("[]");

	cr_assert_eq(pcf_util_json_same_items(a, b, same_text), 1);
	cr_assert_eq(pcf_util_json_same_items(a, c, same_text), 0, "multiplicity counts");
	cr_assert_eq(pcf_util_json_same_items(e1, e2, same_text), 1);
	cr_assert_eq(pcf_util_json_same_items(a, e1, same_text), 0);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	cJSON_Delete(e1);
	cJSON_Delete(e2);
}

Test(util, same_members_needs_every_name_on_both_sides)
{
	cJSON *a = parse("{\"k\":\"v\",\"l\":\"w\"}"), *b = parse("{\"l\":\"w\",\"k\":\"v\"}");
	cJSON *c = parse("{\"k\":\"v\",\"m\":\"w\"}");

	cr_assert_eq(pcf_util_json_same_members(a, b, same_text), 1);
	cr_assert_eq(pcf_util_json_same_members(a, c, same_text), 0);
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
}

Test(util, monotonic_after_carries_milliseconds_into_seconds)
{
	struct timespec before, at;

	clock_gettime(CLOCK_MONOTONIC, &before);
	pcf_util_monotonic_after(&at, 2999);
	cr_assert_lt(at.tv_nsec, 1000000000L, "nanoseconds stay below a second");
	cr_assert_geq(at.tv_nsec, 0);
	/* 2.999 s later, give or take the time between the two clock reads. */
	long long diff_ms =
	    (long long)(at.tv_sec - before.tv_sec) * 1000 + (at.tv_nsec - before.tv_nsec) / 1000000;
	cr_assert_geq(diff_ms, 2999);
	cr_assert_lt(diff_ms, 2999 + 1000);
}
