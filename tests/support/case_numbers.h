/*
 * The parameters of a Criterion ParameterizedTest over a table of cases.
 */
#ifndef PCF_TESTS_CASE_NUMBERS_H
#define PCF_TESTS_CASE_NUMBERS_H

#include <stddef.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

/*
 * The parameters 0 .. count-1 (an int each, count at most 64): a test runs
 * in a worker process of its own, where pointers into the parent's table
 * would not hold, so it gets the number of its case.
 */
struct criterion_test_params pcf_test_case_numbers(size_t count);

#endif
