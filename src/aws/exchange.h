/*
 * One logical request and its attempts: signing and preparing a curl easy
 * handle for each attempt, reading the answer, deciding whether it can be
 * retried, and reporting the outcome to the instrumentation callbacks.
 * Both the blocking call (transport.c) and the many-in-flight call
 * (call_many.c) drive requests through these functions; only the waiting
 * differs.
 */
#ifndef PCF_AWS_EXCHANGE_H
#define PCF_AWS_EXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "client.h"

#include "src/common/buf.h"
#include "src/common/util.h"

typedef struct pcf_aws_exchange {
	pcf_aws_client *client;
	const char *action;
	const char *body;
	size_t len;
	CURL *easy;
	struct curl_slist *headers;
	pcf_buf response;
	char request_id[PCF_ERROR_REQUEST_ID_MAX];
	char error_type[PCF_ERROR_TYPE_MAX]; /* x-amzn-ErrorType */
	char crc32[16];                      /* x-amz-crc32, "" when absent */
	char curl_error[CURL_ERROR_SIZE];
	int attempts;
	int refreshed_credentials; /* 1 after an ExpiredToken refresh */
	int maybe_applied;         /* an earlier attempt reached the server; its answer was lost */
	size_t body_offset;        /* how much of body curl has read for this attempt */
	size_t bytes_sent;
	size_t bytes_received;
	uint64_t started_us;
} pcf_aws_exchange;

void pcf_aws_exchange_init(pcf_aws_exchange *ex, pcf_aws_client *client, const char *action,
                           const char *body, size_t len);

/*
 * Signs the request with current credentials and sets every option of easy
 * for one attempt. Returns 0, or a code that is not worth retrying
 * (credentials, memory).
 */
int pcf_aws_exchange_prepare(pcf_aws_exchange *ex, CURL *easy, pcf_error *err);

/*
 * Reads the outcome of the attempt that curl finished with result. Returns
 * 0 and fills out, or a PCF_E code with err filled and err->retryable set
 * when another attempt may succeed (and attempts remain).
 */
int pcf_aws_exchange_finish(pcf_aws_exchange *ex, CURLcode result, pcf_aws_response *out,
                            pcf_error *err);

/*
 * Milliseconds left before the client's deadline (at least 0), or -1 when
 * there is no deadline.
 */
long pcf_aws_exchange_time_left_ms(const pcf_aws_exchange *ex);

/*
 * Fills err with PCF_ETIMEDOUT for a request the run's deadline cut short
 * (what says whether an attempt was abandoned or not started); returns it.
 */
int pcf_aws_exchange_deadline_error(pcf_aws_exchange *ex, const char *what, pcf_error *err);

/*
 * The one place the final failure is worded and marked: transport failures
 * get the action, the endpoint, the attempts and the time spent; a service
 * refusal keeps the service's message and gets err->maybe_applied when an
 * earlier attempt's answer was lost. Then calls on_request (and on_error
 * for a failure) and sets err->attempts.
 */
void pcf_aws_exchange_report(pcf_aws_exchange *ex, int rc, long http_status, pcf_error *err);

void pcf_aws_exchange_cleanup(pcf_aws_exchange *ex);

#endif
