/*
 * The outcome of an attempt: mapping libcurl results to transport codes,
 * checking x-amz-crc32, mapping AWS error bodies, and the retry verdict;
 * then the report to the instrumentation callbacks once the request is
 * finally done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "errors.h"
#include "exchange.h"

static int transport_code(CURLcode result)
{
	switch (result) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_SSL_CONNECT_ERROR:
		return PCF_ECONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return PCF_EHTTP_TIMEOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return PCF_ETLS;
	case CURLE_OUT_OF_MEMORY:
		return PCF_ENOMEM;
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_BAD_CONTENT_ENCODING:
		/* Something answered, but not in HTTP: not a network fault. */
		return PCF_EBADRESPONSE;
	default:
		return PCF_ENETWORK;
	}
}

/* 0 when there is no x-amz-crc32 header or it matches the body. */
static int check_crc32(pcf_aws_exchange *ex, pcf_error *err)
{
	unsigned long expected;
	uint32_t actual;
	char *end;

	if (!ex->crc32[0])
		return 0;
	errno = 0;
	expected = strtoul(ex->crc32, &end, 10);
	actual = pcf_aws_crc32(ex->response.data ? ex->response.data : "", ex->response.len);
	if (errno == 0 && *end == '\0' && expected == actual)
		return 0;
	return pcf_error_set(err, PCF_ECRC32,
	                     "response body CRC32 %lu does not match x-amz-crc32 %s (%zu bytes)",
	                     (unsigned long)actual, ex->crc32, ex->response.len);
}

static void log_response(pcf_aws_exchange *ex, long status)
{
	pcf_buf b = PCF_BUF_INIT;
	size_t size;
	char *clean;

	pcf_buf_printf(&b, "HTTP %ld request-id %s attempt %d | ", status,
	               ex->request_id[0] ? ex->request_id : "-", ex->attempts);
	pcf_buf_append(&b, ex->response.data ? ex->response.data : "", ex->response.len);
	if (pcf_buf_failed(&b))
		goto out;
	size = b.len * 2 + 64;
	clean = malloc(size);
	if (clean) {
		pcf_redact(clean, size, b.data);
		pcf_log(&ex->client->logger, PCF_LOG_TRACE, "<- %s", clean);
		free(clean);
	}
out:
	pcf_buf_cleanup(&b);
}

static int take_body(pcf_aws_exchange *ex, pcf_aws_response *out, long status, pcf_error *err)
{
	size_t len = ex->response.len;
	char *body;

	pcf_buf_puts(&ex->response, "");
	body = pcf_buf_detach(&ex->response);
	if (!body)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	out->body = body;
	out->len = len;
	out->http_status = status;
	snprintf(out->request_id, sizeof(out->request_id), "%s", ex->request_id);
	return 0;
}

int pcf_aws_exchange_finish(pcf_aws_exchange *ex, CURLcode result, pcf_aws_response *out,
                            pcf_error *err)
{
	long status = 0;
	int rc;

	ex->bytes_received += ex->response.len;
	if (result != CURLE_OK) {
		rc =
		    pcf_error_set(err, transport_code(result), "%s: %s", curl_easy_strerror(result),
		                  ex->curl_error[0] ? ex->curl_error : "no detail");
		goto verdict;
	}
	curl_easy_getinfo(ex->easy, CURLINFO_RESPONSE_CODE, &status);
	if (pcf_log_enabled(&ex->client->logger, PCF_LOG_TRACE))
		log_response(ex, status);
	if ((rc = check_crc32(ex, err)) < 0)
		goto verdict;
	if (status >= 200 && status < 300)
		return take_body(ex, out, status, err);
	rc = pcf_aws_error_from_response(err, status, ex->response.data, ex->response.len,
	                                 ex->error_type, ex->request_id);
	if (rc == PCF_EEXPIRED_TOKEN && !ex->refreshed_credentials) {
		/* Our cached temporary credentials went stale early: fetch new ones once. */
		pcf_aws_credentials_cache_invalidate(ex->client->credentials);
		ex->refreshed_credentials = 1;
		if (err)
			err->retryable = ex->attempts < ex->client->retry.max_attempts;
		goto fill;
	}
verdict:
	if (err)
		err->retryable = pcf_aws_retry_is_retryable(rc, status, ex->action, err->message) &&
		                 ex->attempts < ex->client->retry.max_attempts;
fill:
	if (err) {
		err->http_status = status;
		err->attempts = ex->attempts;
		if (!err->request_id[0])
			snprintf(err->request_id, sizeof(err->request_id), "%s", ex->request_id);
	}
	return rc;
}

void pcf_aws_exchange_report(pcf_aws_exchange *ex, int rc, long http_status, pcf_error *err)
{
	pcf_aws_client *c = ex->client;

	if (err && rc < 0) {
		err->attempts = ex->attempts;
		err->retryable =
		    pcf_aws_retry_is_retryable(rc, err->http_status, ex->action, err->message);
	}
	if (c->on_request) {
		pcf_aws_request_info info;
		info.action = ex->action;
		info.http_status = http_status;
		info.attempts = ex->attempts;
		info.bytes_sent = ex->bytes_sent;
		info.bytes_received = ex->bytes_received;
		info.duration_us = pcf_util_now_us() - ex->started_us;
		info.code = rc;
		c->on_request(&info, c->payload);
	}
	if (rc < 0 && c->on_error && err)
		c->on_error(ex->action, err, c->payload);
	pcf_log(&c->logger, PCF_LOG_DEBUG, "%s HTTP %ld in %ld ms, %d attempt(s)", ex->action,
	        http_status, (long)((pcf_util_now_us() - ex->started_us) / 1000), ex->attempts);
	if (rc < 0 && err)
		pcf_log(&c->logger, PCF_LOG_DEBUG, "%s failed after %d attempt(s): %s %s",
		        ex->action, ex->attempts, pcf_error_code_name(rc), err->message);
}

void pcf_aws_exchange_cleanup(pcf_aws_exchange *ex)
{
	curl_slist_free_all(ex->headers);
	ex->headers = NULL;
	pcf_buf_cleanup(&ex->response);
}
