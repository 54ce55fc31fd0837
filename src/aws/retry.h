/*
 * The retry policy: which failures are retried, how long to wait, and how
 * many attempts are allowed.
 */
#ifndef PCF_AWS_RETRY_H
#define PCF_AWS_RETRY_H

#include <pcf/error.h>

typedef struct pcf_aws_retry_policy {
	int max_attempts;            /* >= 1 */
	long base_delay_ms;          /* first backoff ceiling for ordinary failures */
	long throttle_base_delay_ms; /* first backoff ceiling after throttling */
	long max_delay_ms;           /* cap on any one backoff */
} pcf_aws_retry_policy;

/* DynamoDB SDK defaults: 25 ms, 500 ms after throttling, 20 s cap. */
#define PCF_AWS_RETRY_BASE_DELAY_MS          25
#define PCF_AWS_RETRY_THROTTLE_BASE_DELAY_MS 500
#define PCF_AWS_RETRY_MAX_DELAY_MS           20000
#define PCF_AWS_RETRY_DEFAULT_ATTEMPTS       10

/*
 * The attempt limit: configured when > 0, else AWS_MAX_ATTEMPTS, else
 * DYNAMODB_MAX_RETRIES + 1, else 10. Returns 0 or PCF_ECONFIG when a
 * variable is not a positive integer.
 */
int pcf_aws_retry_max_attempts(int *out, int configured, pcf_error *err);

/*
 * 1 when the transport resends a failure with this code, HTTP status and
 * service message at once: the transient ones of pcf_aws_error_retry_kind
 * (throttling, 5xx, connection errors, timeouts, CRC mismatch). What the
 * service says will pass later is left to the caller.
 */
int pcf_aws_retry_is_retryable(int code, long http_status, const char *message);

/*
 * 1 for actions whose repeat changes nothing more than the first call did
 * (reads, TagResource, UntagResource): a 200 whose body is not JSON is
 * retried for these only. A repeated write may be refused, or apply twice.
 */
int pcf_aws_retry_is_idempotent(const char *action);

/* 1 for the throttling codes (they back off from a larger base). */
int pcf_aws_retry_is_throttle(int code);

/*
 * Full-jitter backoff before attempt number attempts_made + 1: a uniform
 * random delay in [0, min(cap, base * 2^(attempts_made - 1))] ms.
 */
long pcf_aws_retry_delay_ms(const pcf_aws_retry_policy *policy, int attempts_made, int code);

#endif
