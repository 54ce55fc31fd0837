/*
 * Retry decisions, modelled on the AWS SDKs' DynamoDB defaults: exponential
 * backoff with full jitter (so many clients throttled together spread out
 * instead of retrying in lockstep), a larger base after throttling, and a
 * cap. Randomness comes from OpenSSL, which is thread-safe and needs no
 * seeding by us.
 */
#include "retry.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

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

/* Actions that manage tables rather than items (the control plane). */
static int is_control_plane(const char *action)
{
	static const char *const actions[] = {
	    "CreateTable",
	    "UpdateTable",
	    "DeleteTable",
	    "UpdateTimeToLive",
	    "UpdateContinuousBackups",
	    "TagResource",
	    "UntagResource",
	    "CreateBackup",
	    "DeleteBackup",
	    "CreateGlobalTable",
	    "UpdateGlobalTable",
	    "UpdateContributorInsights",
	    "UpdateKinesisStreamingDestination",
	    "EnableKinesisStreamingDestination",
	    "DisableKinesisStreamingDestination",
	    "RestoreTableFromBackup",
	    "RestoreTableToPointInTime",
	    "ImportTable",
	    "ExportTableToPointInTime",
	    "PutResourcePolicy",
	    "DeleteResourcePolicy",
	    "UpdateTableReplicaAutoScaling",
	};
	if (!action)
		return 0;
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(action, actions[i]) == 0)
			return 1;
	return 0;
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

int pcf_aws_retry_is_retryable(int code, long http_status, const char *action, const char *message)
{
	switch (code) {
	case PCF_ETHROTTLING:
	case PCF_EPROVISIONED_THROUGHPUT_EXCEEDED:
	case PCF_EREQUEST_LIMIT_EXCEEDED:
	/* botocore retries this one too: a concurrent transaction will finish. */
	case PCF_ETRANSACTION_IN_PROGRESS:
	case PCF_EINTERNAL_SERVER:
	case PCF_ESERVICE_UNAVAILABLE:
	case PCF_ECONNECT:
	case PCF_ENETWORK:
	case PCF_EHTTP_TIMEOUT:
	case PCF_ECRC32:
		return 1;
	case PCF_ELIMIT_EXCEEDED:
		/* "Too many tables being created at once" passes; an account quota does not. */
		return is_control_plane(action) && !(message && strstr(message, "maximum number"));
	case PCF_EVALIDATION:
	case PCF_ECONDITIONAL_CHECK_FAILED:
		return 0;
	default:
		return http_status >= 500 && http_status <= 599;
	}
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
