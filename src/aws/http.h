/*
 * A plain HTTP exchange for the credential sources (STS, container and
 * instance metadata endpoints): one request, no signing, no retries, a
 * fresh libcurl handle each time. These calls are rare (once per
 * credential refresh), so pooling them would only add coupling.
 * AWS_CA_BUNDLE, when set, names the trusted CAs for https.
 */
#ifndef PCF_AWS_HTTP_H
#define PCF_AWS_HTTP_H

#include <stddef.h>

#include <pcf/error.h>

typedef struct pcf_aws_http_request {
	const char *method; /* "GET", "PUT" or "POST" */
	const char *url;
	const char *const *headers; /* "Name: value" strings, NULL-terminated; may be NULL */
	const char *body;           /* may be NULL */
	size_t body_len;
	long timeout_ms; /* whole request; connect is bounded by it too */
	int insecure_skip_tls_verify;
} pcf_aws_http_request;

typedef struct pcf_aws_http_response {
	long status;
	char *body; /* NUL-terminated; free with pcf_aws_http_response_cleanup */
	size_t len;
} pcf_aws_http_response;

/*
 * Sends req. Returns 0 when any HTTP response arrived (check out->status),
 * or PCF_ECONNECT / PCF_EHTTP_TIMEOUT / PCF_ENETWORK / PCF_ENOMEM.
 */
int pcf_aws_http_send(pcf_aws_http_response *out, const pcf_aws_http_request *req, pcf_error *err);
void pcf_aws_http_response_cleanup(pcf_aws_http_response *response);

/*
 * The text of the first <tag>...</tag> element in xml, with the five XML
 * entities decoded, as a heap string; NULL when absent or out of memory.
 * Enough for STS's query-protocol responses, which are flat and known.
 */
char *pcf_aws_xml_text(const char *xml, const char *tag);

#endif
