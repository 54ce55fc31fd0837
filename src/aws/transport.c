/*
 * pcf_aws_call: one request on the calling thread, with retries.
 *
 * The thread borrows one easy handle from the client's pool for the whole
 * request (all attempts), so a retry can reuse the same connection when it
 * survived, and returns it before reporting, so callbacks never hold a
 * connection slot. Each attempt's timeouts and each backoff are cut to
 * the client's deadline (exchange.c, below), so the call returns by then.
 */
#include <string.h>

#include "exchange.h"

int pcf_aws_call(pcf_aws_response *out, pcf_aws_client *client, const char *action,
                 const char *body, size_t len, pcf_error *err)
{
	pcf_error e = PCF_ERROR_INIT;
	pcf_aws_exchange ex;
	CURL *easy;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!client || !action)
		return pcf_error_set(err, PCF_EINVAL,
		                     "pcf_aws_call: client and action are required");
	pcf_aws_exchange_init(&ex, client, action, body, len);
	easy = pcf_aws_pool_acquire(client->pool);
	if (!easy) {
		rc = pcf_error_set(&e, PCF_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		pcf_error_clear(&e);
		if ((rc = pcf_aws_exchange_prepare(&ex, easy, &e)) < 0)
			break;
		rc = pcf_aws_exchange_finish(&ex, curl_easy_perform(easy), out, &e);
		if (rc == 0 || !e.retryable)
			break;
		long delay = pcf_aws_retry_delay_ms(&client->retry, ex.attempts, rc);
		long left = pcf_aws_exchange_time_left_ms(&ex);
		if (left >= 0 && delay >= left) {
			/* The backoff counts against the run's deadline too. */
			rc = pcf_aws_exchange_deadline_error(&ex, "before the next attempt", &e);
			break;
		}
		pcf_log(&client->logger, PCF_LOG_DEBUG, "%s: %s (%s), retrying in %ld ms", action,
		        pcf_error_code_name(rc), e.message, delay);
		pcf_util_sleep_ms(delay);
	}
	pcf_aws_pool_release(client->pool, easy);
out:
	pcf_aws_exchange_report(&ex, rc, rc == 0 ? out->http_status : e.http_status, &e);
	pcf_aws_exchange_cleanup(&ex);
	if (rc < 0 && err)
		*err = e;
	return rc;
}
