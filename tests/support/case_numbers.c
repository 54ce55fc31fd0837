/*
 * Case numbers as ParameterizedTest parameters; see case_numbers.h.
 */
#include "case_numbers.h"

struct criterion_test_params pcf_test_case_numbers(size_t count)
{
	static int numbers[64];

	cr_assert_leq(count, sizeof(numbers) / sizeof(numbers[0]));
	for (size_t i = 0; i < count; i++)
		numbers[i] = (int)i;
	return cr_make_param_array(int, numbers, count);
}
