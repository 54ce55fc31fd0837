/*
 * Counting the diagnostics a definitions check reported.
 */
#ifndef PCF_TEST_DIAGS_COUNT_H
#define PCF_TEST_DIAGS_COUNT_H

#include <pcf/definitions.h>
#include <stddef.h>

/* How many of diags' messages contain text. */
size_t diags_count(const pcf_diags *diags, const char *text);

#endif
