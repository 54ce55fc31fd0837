/*
 * A Criterion test run once per row of a table of cases: its body sees the
 * row's index as `int *number` (see pcf_case_numbers).
 */
#ifndef PCF_TEST_IT_CASES_H
#define PCF_TEST_IT_CASES_H

#include <criterion/parameterized.h>

#include "case_table.h"

#define IT_CASES_TEST(suite, name, count)                                                          \
	static int name##_numbers[count];                                                          \
	ParameterizedTestParameters(suite, name)                                                   \
	{                                                                                          \
		return pcf_case_numbers(name##_numbers, count);                                    \
	}                                                                                          \
	ParameterizedTest(int *number, suite, name)

#endif
