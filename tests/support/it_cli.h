/*
 * Run-and-check steps the integration tests of the pcf binary repeat: run
 * it, assert the exit status and that one stream says something.
 */
#ifndef PCF_TEST_IT_CLI_H
#define PCF_TEST_IT_CLI_H

/* Runs pcf with args; asserts status and that stderr contains needle. */
void it_expect_err(int status, const char *const *args, const char *needle);

/* Runs pcf with args; asserts status and that stdout contains needle. */
void it_expect_out(int status, const char *const *args, const char *needle);

/* Like it_expect_err, and stdout must be empty. */
void it_expect_err_only(int status, const char *const *args, const char *needle);

#endif
