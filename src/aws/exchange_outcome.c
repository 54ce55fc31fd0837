/*
 * The outcome of an attempt: mapping libcurl results to transport codes,
 * checking x-amz-crc32 and that a 2xx body is JSON, mapping AWS error
 * bodies, and the retry verdict; then the final wording of a failure and
 * the report to the instrumentation callbacks once the request is done.
 *
 * A lost answer is remembered across attempts (ex->maybe_applied): an
 * attempt whose request went out and whose answer did not come back
 * readable (reset, timeout, 5xx, bad CRC, body not JSON) may have changed
 * the server. When the repeat is then refused, or a write's 200 answer
 * cannot be read, the failure carries err->maybe_applied, the one mark
 * callers read to judge by the live state instead.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>

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

long pcf_aws_exchange_time_left_ms(const pcf_aws_exchange *ex)
{
	uint64_t deadline = ex->client->deadline_us, now = pcf_util_now_us();

	if (deadline == 0)
		return -1;
	if (now >= deadline)
		return 0;
	/* Rounded up, so that a deadline less than 1 ms away is not "passed". */
	return (deadline - now) / 1000 >= LONG_MAX ? LONG_MAX
	                                           : (long)((deadline - now + 999) / 1000);
}

int pcf_aws_exchange_deadline_error(pcf_aws_exchange *ex, const char *what, pcf_error *err)
{
	int rc = pcf_error_set(err, PCF_ETIMEDOUT, "the run's deadline passed %s", what);
	if (err)
		err->attempts = ex->attempts;
	return rc;
}

/*
 * curl keeps no errno when it cannot even open a socket, and calls that
 * "Couldn't connect to server": ask the system whether a socket can be had.
 */
static long socket_errno(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

/* What went wrong on the wire, in words, for an attempt curl gave up on. */
static int curl_failure(pcf_aws_exchange *ex, CURLcode result, pcf_error *err)
{
	const char *url = ex->client->endpoint.url;
	long os_errno = 0;
	int code = transport_code(result);

	curl_easy_getinfo(ex->easy, CURLINFO_OS_ERRNO, &os_errno);
	if (code == PCF_ECONNECT && os_errno == 0)
		os_errno = socket_errno();
	if (os_errno == EMFILE || os_errno == ENFILE)
		return pcf_error_set(
		    err, PCF_EIO,
		    "out of file descriptors opening a connection to %s (%s): raise "
		    "the limit (ulimit -n) or run fewer requests at once",
		    url, strerror((int)os_errno));
	if (code == PCF_ECONNECT)
		/* Not curl's text: it says "after 0 ms" however long the retries took. */
		return pcf_error_set(err, code, "could not connect to %s: %s", url,
		                     os_errno ? strerror((int)os_errno)
		                              : curl_easy_strerror(result));
	return pcf_error_set(err, code, "%s: %s", url,
	                     ex->curl_error[0] ? ex->curl_error : curl_easy_strerror(result));
}

/*
 * Whether a failed attempt may still have changed the server: the request
 * went out (curl counted bytes of it) and no readable answer came back.
 */
static int answer_lost(pcf_aws_exchange *ex, int rc, long status)
{
	long sent = 0;

	if (status >= 500 || rc == PCF_ECRC32 || rc == PCF_EBADRESPONSE)
		return 1;
	if (status != 0 || rc == PCF_ECONNECT)
		return 0;
	curl_easy_getinfo(ex->easy, CURLINFO_REQUEST_SIZE, &sent);
	return sent > 0;
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

/* 0 when a 2xx body is empty or one JSON value, else PCF_EBADRESPONSE. */
static int check_json(pcf_aws_exchange *ex, long status, pcf_error *err)
{
	const char *body = ex->response.data, *end = NULL;
	size_t len = ex->response.len;
	cJSON *json;

	if (len == 0)
		return 0;
	json = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	while (json && end && end < body + len &&
	       (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
		end++;
	cJSON_Delete(json);
	if (json && end == body + len)
		return 0;
	return pcf_error_set(err, PCF_EBADRESPONSE, "the HTTP %ld answer is not JSON (%zu bytes)",
	                     status, len);
}

/* A 2xx answer: the body, or a retry (reads) or a lost-answer failure (writes). */
static int finish_2xx(pcf_aws_exchange *ex, pcf_aws_response *out, long status, pcf_error *err)
{
	int rc = check_json(ex, status, err);

	if (rc == 0)
		return take_body(ex, out, status, err);
	if (err) {
		/* A write that answered 200 was made; only its answer is lost. */
		err->maybe_applied = !pcf_aws_retry_is_idempotent(ex->action);
		err->retryable =
		    !err->maybe_applied && ex->attempts < ex->client->retry.max_attempts;
		err->http_status = status;
		err->attempts = ex->attempts;
		snprintf(err->request_id, sizeof(err->request_id), "%s", ex->request_id);
	}
	ex->maybe_applied = 1;
	return rc;
}

int pcf_aws_exchange_finish(pcf_aws_exchange *ex, CURLcode result, pcf_aws_response *out,
                            pcf_error *err)
{
	long status = 0;
	int rc;

	ex->bytes_received += ex->response.len;
	if (result != CURLE_OK) {
		if (result == CURLE_OPERATION_TIMEDOUT && pcf_aws_exchange_time_left_ms(ex) == 0) {
			ex->maybe_applied |= answer_lost(ex, PCF_EHTTP_TIMEOUT, 0);
			return pcf_aws_exchange_deadline_error(
			    ex, "while an attempt was in flight; it was abandoned", err);
		}
		rc = curl_failure(ex, result, err);
		goto verdict;
	}
	curl_easy_getinfo(ex->easy, CURLINFO_RESPONSE_CODE, &status);
	if (pcf_log_enabled(&ex->client->logger, PCF_LOG_TRACE))
		log_response(ex, status);
	if ((rc = check_crc32(ex, err)) < 0)
		goto verdict;
	if (status >= 200 && status < 300)
		return finish_2xx(ex, out, status, err);
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
		err->retryable = pcf_aws_retry_is_retryable(rc, status, err->message) &&
		                 ex->attempts < ex->client->retry.max_attempts;
fill:
	if (err) {
		err->http_status = status;
		err->attempts = ex->attempts;
		if (!err->request_id[0])
			snprintf(err->request_id, sizeof(err->request_id), "%s", ex->request_id);
	}
	if (answer_lost(ex, rc, status))
		ex->maybe_applied = 1;
	return rc;
}

/* Codes whose message the transport wrote (the service's own are kept as sent). */
static int transport_made(int rc)
{
	return (rc <= PCF_ECONNECT && rc >= PCF_EHTTP) || rc == PCF_ETIMEDOUT || rc == PCF_EIO;
}

/*
 * Words the final failure: "Action: what (N attempts over T ms)" for the
 * transport's own failures, so that even a single attempt names its action
 * and the time is the real time, backoff included.
 */
static void word_failure(pcf_aws_exchange *ex, int rc, pcf_error *err, uint64_t elapsed_us)
{
	pcf_buf b = PCF_BUF_INIT;

	if (!transport_made(rc))
		return;
	pcf_buf_printf(&b, "%s: %s (%d attempt%s over %llu ms)", ex->action, err->message,
	               ex->attempts, ex->attempts == 1 ? "" : "s",
	               (unsigned long long)(elapsed_us / 1000));
	if (!pcf_buf_failed(&b))
		snprintf(err->message, sizeof(err->message), "%s", b.data);
	pcf_buf_cleanup(&b);
}

void pcf_aws_exchange_report(pcf_aws_exchange *ex, int rc, long http_status, pcf_error *err)
{
	pcf_aws_client *c = ex->client;
	uint64_t elapsed_us = pcf_util_now_us() - ex->started_us;

	if (err && rc < 0) {
		err->attempts = ex->attempts;
		/* The transport has resent what it resends; what remains retryable
		 * is what the caller should wait out (see errors.c). */
		err->retryable = rc != PCF_ETIMEDOUT &&
		                 pcf_aws_error_retry_kind(rc, err->http_status, err->message) ==
		                     PCF_AWS_RETRY_LATER;
		/* A refusal of a repeat whose first try may have gone through. */
		if (ex->maybe_applied && err->http_status >= 400 && err->http_status < 500)
			err->maybe_applied = 1;
		word_failure(ex, rc, err, elapsed_us);
	}
	if (c->on_request) {
		pcf_aws_request_info info;
		info.action = ex->action;
		info.http_status = http_status;
		info.attempts = ex->attempts;
		info.bytes_sent = ex->bytes_sent;
		info.bytes_received = ex->bytes_received;
		info.duration_us = elapsed_us;
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
