/*
 * One-off HTTP requests for credential endpoints, and the small XML text
 * extraction STS responses need (no XML library is among pcf's
 * dependencies, and STS answers are flat elements with known names).
 */
#include "http.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "src/common/buf.h"
#include "src/common/util.h"

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
	pcf_buf *b = userp;
	/* Credential answers are small; refuse runaway bodies. */
	if (b->len + size * n > 1024 * 1024)
		return 0;
	pcf_buf_append(b, data, size * n);
	return pcf_buf_failed(b) ? 0 : size * n;
}

static int code_for(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return PCF_ECONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return PCF_EHTTP_TIMEOUT;
	case CURLE_OUT_OF_MEMORY:
		return PCF_ENOMEM;
	case CURLE_PEER_FAILED_VERIFICATION:
		return PCF_ETLS;
	default:
		return PCF_ENETWORK;
	}
}

int pcf_aws_http_send(pcf_aws_http_response *out, const pcf_aws_http_request *req, pcf_error *err)
{
	CURL *easy = curl_easy_init();
	struct curl_slist *headers = NULL;
	pcf_buf body = PCF_BUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	const char *ca;
	CURLcode cc;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!easy)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	for (const char *const *h = req->headers; h && *h; h++) {
		struct curl_slist *grown = curl_slist_append(headers, *h);
		if (!grown) {
			rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
			goto out;
		}
		headers = grown;
	}
	curl_easy_setopt(easy, CURLOPT_URL, req->url);
	curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->body) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	} else if (strcmp(req->method, "PUT") == 0) {
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, "");
	}
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, req->timeout_ms);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, req->insecure_skip_tls_verify ? 0L : 1L);
	curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, req->insecure_skip_tls_verify ? 0L : 2L);
	if ((ca = pcf_util_getenv("AWS_CA_BUNDLE")) != NULL)
		curl_easy_setopt(easy, CURLOPT_CAINFO, ca);
	curl_easy_setopt(easy, CURLOPT_USERAGENT, "pcf/" PCF_VERSION_STRING);
	cc = curl_easy_perform(easy);
	if (cc != CURLE_OK) {
		rc = pcf_error_set(err, code_for(cc), "%s %s: %s", req->method, req->url,
		                   errbuf[0] ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &out->status);
	out->len = body.len;
	pcf_buf_puts(&body, "");
	out->body = pcf_buf_detach(&body);
	if (!out->body)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
out:
	pcf_buf_cleanup(&body);
	curl_slist_free_all(headers);
	curl_easy_cleanup(easy);
	return rc;
}

void pcf_aws_http_response_cleanup(pcf_aws_http_response *response)
{
	if (!response)
		return;
	free(response->body);
	memset(response, 0, sizeof(*response));
}

static const struct {
	const char *entity;
	char c;
} entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};

char *pcf_aws_xml_text(const char *xml, const char *tag)
{
	pcf_buf open = PCF_BUF_INIT, close = PCF_BUF_INIT, out = PCF_BUF_INIT;
	const char *start, *end;
	char *text = NULL;

	pcf_buf_printf(&open, "<%s>", tag);
	pcf_buf_printf(&close, "</%s>", tag);
	if (!xml || pcf_buf_failed(&open) || pcf_buf_failed(&close))
		goto out;
	start = strstr(xml, open.data);
	if (!start)
		goto out;
	start += open.len;
	end = strstr(start, close.data);
	if (!end)
		goto out;
	pcf_buf_puts(&out, "");
	for (const char *p = start; p < end;) {
		size_t i, n = sizeof(entities) / sizeof(entities[0]);
		for (i = 0; i < n; i++)
			if (strncmp(p, entities[i].entity, strlen(entities[i].entity)) == 0)
				break;
		if (i < n) {
			pcf_buf_putc(&out, entities[i].c);
			p += strlen(entities[i].entity);
		} else {
			pcf_buf_putc(&out, *p++);
		}
	}
	text = pcf_buf_detach(&out);
out:
	pcf_buf_cleanup(&open);
	pcf_buf_cleanup(&close);
	pcf_buf_cleanup(&out);
	return text;
}
