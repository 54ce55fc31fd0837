/*
 * Row numbers as the parameters of a Criterion ParameterizedTest over a
 * static table of cases. Criterion hands each case its parameter in a new
 * process, where pointers inside the parameter would not be valid; a row
 * number is, and the test reads its row from the table.
 */
#ifndef PCF_TESTS_CASE_TABLE_H
#define PCF_TESTS_CASE_TABLE_H

#include <stddef.h>

#include <criterion/parameterized.h>

/* Sets numbers[i] = i for i < count and returns them as the parameters. */
struct criterion_test_params pcf_case_numbers(int *numbers, size_t count);

/* The parameters of ParameterizedTest(int *number, suite, name): the row
 * numbers of the static array table. */
#define PCF_CASE_TABLE_PARAMETERS(table, suite, name)                                              \
	ParameterizedTestParameters(suite, name)                                                   \
	{                                                                                          \
		static int numbers[sizeof(table) / sizeof((table)[0])];                            \
		return pcf_case_numbers(numbers, sizeof(table) / sizeof((table)[0]));              \
	}

#endif
