/*
 * Counting the diagnostics a definitions check reported: see diags_count.h.
 */
#include "diags_count.h"

#include <string.h>

size_t diags_count(const pcf_diags *diags, const char *text)
{
	size_t n = 0;
	for (size_t i = 0; i < diags->count; i++)
		n += strstr(diags->items[i].message, text) != NULL;
	return n;
}
