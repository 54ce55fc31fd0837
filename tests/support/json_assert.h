/* JSON helpers for Criterion tests: parse test text, compare a tree with text. */
#ifndef PCF_TESTS_JSON_ASSERT_H
#define PCF_TESTS_JSON_ASSERT_H

#include <cjson/cJSON.h>

/* Parses text (nothing may follow the value); fails the test if it does not parse. */
cJSON *pcf_test_json_parse(const char *text);

/* Fails the test unless got equals the JSON in want_text (case-sensitive keys). */
void pcf_test_assert_json(const cJSON *got, const char *want_text);

#endif
