/*
 * Retry decisions, modelled on the AWS SDKs' DynamoDB defaults: exponential
 * backoff with full jitter (so many clients throttled together spread out
 * instead of retrying in lockstep), a larger base after throttling, and a
 * cap. Randomness comes from OpenSSL, which is thread-safe and needs no
 * seeding by us. Which failures are resent is errors.c's verdict; only the
 * transient ones (PCF_AWS_RETRY_NOW) are.
 */
#include "retry.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "errors.h"
#include "src/common/util.h"

int pcf_aws_retry_max_attempts(int *out, int configured, pcf_error *err)
{
	const char *v;
	long n;

	if (configured > 0) {
		*out = configured;
		return 0;
	}
	if ((v = pcf_util_getenv("AWS_MAX_ATTEMPTS")) != NULL) {
		if (pcf_util_parse_long(&n, v, 1, 1000) < 0)
			return pcf_error_set(err, PCF_ECONFIG,
			                     "AWS_MAX_ATTEMPTS=\"%s\" is not a positive integer",
			                     v);
		*out = (int)n;
		return 0;
	}
	if ((v = pcf_util_getenv("DYNAMODB_MAX_RETRIES")) != NULL) {
		if (pcf_util_parse_long(&n, v, 0, 1000) < 0)
			return pcf_error_set(err, PCF_ECONFIG,
			                     "DYNAMODB_MAX_RETRIES=\"%s\" is not a number >= 0", v);
		*out = (int)n + 1;
		return 0;
	}
	*out = PCF_AWS_RETRY_DEFAULT_ATTEMPTS;
	return 0;
}

int pcf_aws_retry_is_throttle(int code)
{
	return code == PCF_ETHROTTLING || code == PCF_EPROVISIONED_THROUGHPUT_EXCEEDED ||
	       code == PCF_EREQUEST_LIMIT_EXCEEDED || code == PCF_ELIMIT_EXCEEDED ||
	       code == PCF_ETRANSACTION_IN_PROGRESS;
}

int pcf_aws_retry_is_idempotent(const char *action)
{
	/* Reads, and the tag calls, whose repeat finds the tags already as asked. */
	static const char *const prefixes[] = {"Describe",    "List",        "Get",
	                                       "BatchGet",    "Query",       "Scan",
	                                       "TransactGet", "TagResource", "UntagResource"};
	if (!action)
		return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(action, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

int pcf_aws_retry_is_retryable(int code, long http_status, const char *message)
{
	return pcf_aws_error_retry_kind(code, http_status, message) == PCF_AWS_RETRY_NOW;
}

long pcf_aws_retry_delay_ms(const pcf_aws_retry_policy *policy, int attempts_made, int code)
{
	long base = pcf_aws_retry_is_throttle(code) ? policy->throttle_base_delay_ms
	                                            : policy->base_delay_ms;
	long ceiling = base;
	uint32_t r = 0;

	for (int i = 1; i < attempts_made && ceiling < policy->max_delay_ms; i++)
		ceiling *= 2;
	if (ceiling > policy->max_delay_ms)
		ceiling = policy->max_delay_ms;
	if (ceiling <= 0)
		return 0;
	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		return ceiling / 2;
	return (long)(r % ((uint32_t)ceiling + 1));
}
