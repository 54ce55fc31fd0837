/* Row numbers as ParameterizedTest parameters (case_table.h). */
#include "case_table.h"

struct criterion_test_params pcf_case_numbers(int *numbers, size_t count)
{
	for (size_t i = 0; i < count; i++)
		numbers[i] = (int)i;
	return cr_make_param_array(int, numbers, count);
}
