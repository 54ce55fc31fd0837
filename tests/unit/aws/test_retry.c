/*
 * The retry policy: what is retried and how long the backoff may be.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "src/aws/retry.h"

/* Each code, answered with HTTP 400, must be retryable or not as `want` says. */
static void expect_retryable(const int *codes, size_t count, int want)
{
	for (size_t i = 0; i < count; i++)
		cr_assert_eq(pcf_aws_retry_is_retryable(codes[i], 400, "") != 0, want, "%d",
		             codes[i]);
}

Test(retry, retryable_failures)
{
	int yes[] = {PCF_ETHROTTLING,
	             PCF_EPROVISIONED_THROUGHPUT_EXCEEDED,
	             PCF_EREQUEST_LIMIT_EXCEEDED,
	             PCF_EINTERNAL_SERVER,
	             PCF_ESERVICE_UNAVAILABLE,
	             PCF_ECONNECT,
	             PCF_ENETWORK,
	             PCF_EHTTP_TIMEOUT,
	             PCF_ECRC32};
	expect_retryable(yes, sizeof(yes) / sizeof(yes[0]), 1);
	cr_assert(pcf_aws_retry_is_retryable(PCF_EHTTP, 502, ""), "any 5xx");
	cr_assert(pcf_aws_retry_is_retryable(PCF_ESERVICE, 500, ""), "any 5xx");
}

Test(retry, never_retried)
{
	int no[] = {PCF_EVALIDATION,
	            PCF_ECONDITIONAL_CHECK_FAILED,
	            PCF_ERESOURCE_NOT_FOUND,
	            PCF_EACCESS_DENIED,
	            PCF_ETLS,
	            PCF_ETRANSACTION_CANCELED};
	expect_retryable(no, sizeof(no) / sizeof(no[0]), 0);
	cr_assert_not(pcf_aws_retry_is_retryable(PCF_EVALIDATION, 500, ""),
	              "validation is never retried, whatever the status");
}

Test(retry, what_passes_later_is_left_to_the_caller)
{
	/* The engine waits these out; the transport resending them at once
	 * would only spend its attempts (see errors.c). */
	cr_assert_not(pcf_aws_retry_is_retryable(
	    PCF_ELIMIT_EXCEEDED, 400,
	    "Subscriber limit exceeded: Only 10 tables can be created, updated, or deleted "
	    "simultaneously"));
	cr_assert_not(pcf_aws_retry_is_retryable(
	    PCF_ELIMIT_EXCEEDED, 400,
	    "Subscriber limit exceeded: There is a limit of 256 tables per subscriber"));
	cr_assert_not(pcf_aws_retry_is_retryable(
	    PCF_ECONTINUOUS_BACKUPS_UNAVAILABLE, 400,
	    "Backups are being enabled for the table: t. Please retry later"));
}

Test(retry, full_jitter_stays_under_the_exponential_ceiling_and_cap)
{
	pcf_aws_retry_policy p = {10, 25, 500, 1000};
	int saw_nonzero = 0;
	for (int i = 0; i < 200; i++) {
		long d1 = pcf_aws_retry_delay_ms(&p, 1, PCF_EINTERNAL_SERVER);
		long d3 = pcf_aws_retry_delay_ms(&p, 3, PCF_EINTERNAL_SERVER);
		long t = pcf_aws_retry_delay_ms(&p, 2, PCF_ETHROTTLING);
		long big = pcf_aws_retry_delay_ms(&p, 30, PCF_ETHROTTLING);
		cr_assert(d1 >= 0 && d1 <= 25);
		cr_assert(d3 >= 0 && d3 <= 100);
		cr_assert(t >= 0 && t <= 1000);
		cr_assert(big >= 0 && big <= 1000, "capped");
		saw_nonzero |= d3 > 0;
	}
	cr_assert(saw_nonzero, "the delay is random, not always zero");
}

Test(retry, attempt_limit_sources)
{
	int n = 0;
	pcf_error err = PCF_ERROR_INIT;
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("DYNAMODB_MAX_RETRIES");
	cr_assert_eq(pcf_aws_retry_max_attempts(&n, 0, NULL), 0);
	cr_assert_eq(n, 10);
	setenv("DYNAMODB_MAX_RETRIES", "0", 1);
	cr_assert_eq(pcf_aws_retry_max_attempts(&n, 0, NULL), 0);
	cr_assert_eq(n, 1);
	setenv("AWS_MAX_ATTEMPTS", "4", 1);
	cr_assert_eq(pcf_aws_retry_max_attempts(&n, 0, NULL), 0);
	cr_assert_eq(n, 4);
	cr_assert_eq(pcf_aws_retry_max_attempts(&n, 7, NULL), 0);
	cr_assert_eq(n, 7);
	setenv("AWS_MAX_ATTEMPTS", "lots", 1);
	cr_assert_eq(pcf_aws_retry_max_attempts(&n, 0, &err), PCF_ECONFIG);
	cr_assert(strstr(err.message, "AWS_MAX_ATTEMPTS") != NULL);
}
