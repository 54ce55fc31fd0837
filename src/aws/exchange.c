/*
 * Attempts of one JSON-protocol request.
 *
 * The Host header is set explicitly to the value that was signed. We ask
 * for an unencoded body (Accept-Encoding: identity) because DynamoDB's
 * x-amz-crc32 covers the bytes on the wire, and we turn off
 * "Expect: 100-continue", which would cost a round trip on large bodies.
 */
#include "exchange.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "crc32.h"
#include "errors.h"
#include "sigv4.h"

void pcf_aws_exchange_init(pcf_aws_exchange *ex, pcf_aws_client *client, const char *action,
                           const char *body, size_t len)
{
	memset(ex, 0, sizeof(*ex));
	ex->client = client;
	ex->action = action;
	ex->body = body ? body : "{}";
	ex->len = body ? len : 2;
	ex->started_us = pcf_util_now_us();
}

/* Hands curl the request body. */
static size_t on_read(char *buf, size_t size, size_t n, void *userp)
{
	pcf_aws_exchange *ex = userp;
	size_t left = ex->len - ex->body_offset, chunk = size * n < left ? size * n : left;

	memcpy(buf, ex->body + ex->body_offset, chunk);
	ex->body_offset += chunk;
	return chunk;
}

/*
 * curl rewinds the body to send it again by itself when a reused
 * connection dies before any answer: the server may have acted on the
 * first copy, and pcf's own retry logic never saw it. Note it, then allow
 * the resend.
 */
static int on_seek(void *userp, curl_off_t offset, int origin)
{
	pcf_aws_exchange *ex = userp;

	if (origin != SEEK_SET || offset < 0 || (size_t)offset > ex->len)
		return CURL_SEEKFUNC_CANTSEEK;
	if (ex->body_offset > 0)
		ex->maybe_applied = 1;
	ex->body_offset = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	pcf_aws_exchange *ex = userp;
	pcf_buf_append(&ex->response, data, size * n);
	return pcf_buf_failed(&ex->response) ? 0 : size * n;
}

/* Copies a header's value (trimmed) into out when line is "name: value". */
static void header_value(char *out, size_t size, const char *line, size_t len, const char *name)
{
	size_t nlen = strlen(name), start, end;

	if (len <= nlen || line[nlen] != ':' || strncasecmp(line, name, nlen) != 0)
		return;
	start = nlen + 1;
	while (start < len && (line[start] == ' ' || line[start] == '\t'))
		start++;
	end = len;
	while (end > start &&
	       (line[end - 1] == '\r' || line[end - 1] == '\n' || line[end - 1] == ' '))
		end--;
	if (end - start >= size)
		end = start + size - 1;
	memcpy(out, line + start, end - start);
	out[end - start] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *userp)
{
	pcf_aws_exchange *ex = userp;
	size_t len = size * n;

	header_value(ex->request_id, sizeof(ex->request_id), line, len, "x-amzn-RequestId");
	header_value(ex->crc32, sizeof(ex->crc32), line, len, "x-amz-crc32");
	header_value(ex->error_type, sizeof(ex->error_type), line, len, "x-amzn-ErrorType");
	return len;
}

static void log_redacted(const pcf_logger *logger, const char *prefix, const char *text)
{
	size_t size = strlen(text) * 2 + 64;
	char *clean = malloc(size);
	if (!clean)
		return;
	pcf_redact(clean, size, text);
	pcf_log(logger, PCF_LOG_TRACE, "%s%s", prefix, clean);
	free(clean);
}

static void log_request(pcf_aws_exchange *ex)
{
	pcf_buf b = PCF_BUF_INIT;

	pcf_buf_printf(&b, "POST %s attempt %d", ex->client->endpoint.url, ex->attempts);
	for (struct curl_slist *h = ex->headers; h; h = h->next)
		pcf_buf_printf(&b, " | %s", h->data);
	pcf_buf_puts(&b, " | ");
	pcf_buf_append(&b, ex->body, ex->len);
	if (!pcf_buf_failed(&b))
		log_redacted(&ex->client->logger, "-> ", b.data);
	pcf_buf_cleanup(&b);
}

static int add_header(pcf_aws_exchange *ex, const char *name, const char *value)
{
	pcf_buf b = PCF_BUF_INIT;
	struct curl_slist *grown;

	pcf_buf_printf(&b, "%s: %s", name, value);
	if (pcf_buf_failed(&b))
		return PCF_ENOMEM;
	grown = curl_slist_append(ex->headers, b.data);
	pcf_buf_cleanup(&b);
	if (!grown)
		return PCF_ENOMEM;
	ex->headers = grown;
	return 0;
}

/* Signs and builds the header list for this attempt. */
static int build_headers(pcf_aws_exchange *ex, const pcf_aws_credentials *creds, pcf_error *err)
{
	pcf_aws_client *c = ex->client;
	char target[256];
	pcf_sigv4_header hs[3];
	pcf_sigv4_request req;
	pcf_sigv4_result sig;
	int rc;

	snprintf(target, sizeof(target), "%s.%s", c->target_prefix, ex->action);
	hs[0] = (pcf_sigv4_header){"Host", c->endpoint.host};
	hs[1] = (pcf_sigv4_header){"Content-Type", c->content_type};
	hs[2] = (pcf_sigv4_header){"X-Amz-Target", target};
	req = (pcf_sigv4_request){"POST", c->endpoint.path, NULL, hs, 3, ex->body, ex->len, 1};
	rc = pcf_sigv4_sign(&sig, &req, creds, c->region, c->service, time(NULL), err);
	if (rc < 0)
		return rc;
	curl_slist_free_all(ex->headers);
	ex->headers = NULL;
	rc = PCF_ENOMEM;
	if (add_header(ex, "Host", c->endpoint.host) < 0 ||
	    add_header(ex, "Content-Type", c->content_type) < 0 ||
	    add_header(ex, "X-Amz-Target", target) < 0 ||
	    add_header(ex, "X-Amz-Date", sig.amz_date) < 0 ||
	    (creds->session_token &&
	     add_header(ex, "X-Amz-Security-Token", creds->session_token) < 0) ||
	    add_header(ex, "Authorization", sig.authorization) < 0 ||
	    add_header(ex, "Accept-Encoding", "identity") < 0 || add_header(ex, "Expect", "") < 0)
		pcf_error_set(err, PCF_ENOMEM, "out of memory");
	else
		rc = 0;
	pcf_sigv4_result_cleanup(&sig);
	return rc;
}

static void set_options(pcf_aws_exchange *ex, CURL *easy)
{
	pcf_aws_client *c = ex->client;
	long left = pcf_aws_exchange_time_left_ms(ex);
	long connect_ms = c->connect_timeout_ms, request_ms = c->request_timeout_ms;

	/* The run's deadline cuts every wait: an attempt never outlives it. */
	if (left >= 0 && connect_ms > left)
		connect_ms = left > 0 ? left : 1;
	if (left >= 0 && request_ms > left)
		request_ms = left > 0 ? left : 1;

	curl_easy_setopt(easy, CURLOPT_URL, c->endpoint.url);
	curl_easy_setopt(easy, CURLOPT_POST, 1L);
	/* Read through a callback rather than POSTFIELDS, to see curl's own resends. */
	curl_easy_setopt(easy, CURLOPT_POSTFIELDS, NULL);
	curl_easy_setopt(easy, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(easy, CURLOPT_READDATA, ex);
	curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, on_seek);
	curl_easy_setopt(easy, CURLOPT_SEEKDATA, ex);
	curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)ex->len);
	/* libcurl's smallest upload buffer rather than its 64 KB: each handle of
	 * the pool keeps one for its life (2 MB for the engine's 32 call
	 * threads), and a request body bigger than it is only read in more
	 * pieces. */
	curl_easy_setopt(easy, CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, ex->headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, ex);
	curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(easy, CURLOPT_HEADERDATA, ex);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, ex->curl_error);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, request_ms);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, c->insecure_skip_tls_verify ? 0L : 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, c->insecure_skip_tls_verify ? 0L : 2L);
	if (c->ca_bundle)
		curl_easy_setopt(easy, CURLOPT_CAINFO, c->ca_bundle);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "pcf/" PCF_VERSION_STRING);
	curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, ex);
}

int pcf_aws_exchange_prepare(pcf_aws_exchange *ex, CURL *easy, pcf_error *err)
{
	pcf_aws_credentials creds = PCF_AWS_CREDENTIALS_INIT;
	int rc;

	ex->easy = easy;
	ex->body_offset = 0;
	pcf_buf_reset(&ex->response);
	ex->request_id[0] = ex->crc32[0] = ex->error_type[0] = ex->curl_error[0] = '\0';
	if (pcf_aws_exchange_time_left_ms(ex) == 0)
		return pcf_aws_exchange_deadline_error(ex, "before it could be sent", err);
	if ((rc = pcf_aws_credentials_cache_get(ex->client->credentials, &creds, err)) < 0)
		return rc;
	rc = build_headers(ex, &creds, err);
	pcf_aws_credentials_cleanup(&creds);
	if (rc < 0)
		return rc;
	set_options(ex, easy);
	/* Counted only once the request can go out: a credentials failure sent nothing. */
	ex->attempts++;
	ex->bytes_sent += ex->len;
	/* Bodies only at trace (-vv); -v gets one line per request from the report. */
	if (pcf_log_enabled(&ex->client->logger, PCF_LOG_TRACE))
		log_request(ex);
	return 0;
}
