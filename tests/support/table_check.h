/*
 * The dynamodb_table check (pcf_table_validate) of one definition given as
 * YAML, and questions about the problems it reported, for the unit tests of
 * the table flavor's rules.
 */
#ifndef PCF_TEST_TABLE_CHECK_H
#define PCF_TEST_TABLE_CHECK_H

#include <pcf/definitions.h>

/* Loads yaml as pcf.yml (it must load without problems), checks its first
 * particle and logs each problem; returns the problems, which live until
 * table_check_done. */
const pcf_diags *table_check(const char *yaml);

/* table_check of yaml reports no problem. */
void table_check_valid(const char *yaml);

/* Frees what the last table_check made; a suite's .fini. */
void table_check_done(void);

/* Whether the last table_check reported a problem on line, at column unless
 * it is 0, whose message holds text. */
int table_check_reported(int line, int column, const char *text);

#endif
