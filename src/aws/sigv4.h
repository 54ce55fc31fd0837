/*
 * Signature Version 4 (header form) for AWS requests.
 *
 * The signer is a pure function of its inputs and the clock value it is
 * given, so the published test suite can drive it: it builds the canonical
 * request, the string to sign and the signature, and returns the three plus
 * the Authorization header value. It adds X-Amz-Date and, for temporary
 * credentials, X-Amz-Security-Token to the signed headers; the caller sends
 * both with the values in the result. Hashing and HMAC are OpenSSL's.
 */
#ifndef PCF_AWS_SIGV4_H
#define PCF_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include <pcf/error.h>

#include "credentials.h"

typedef struct pcf_sigv4_header {
	const char *name;
	const char *value;
} pcf_sigv4_header;

typedef struct pcf_sigv4_request {
	const char *method;              /* "POST" */
	const char *path;                /* as sent, e.g. "/"; NULL means "/" */
	const char *query;               /* after '?', NULL or "" when none */
	const pcf_sigv4_header *headers; /* every header to sign; must include host */
	size_t header_count;
	const void *payload;
	size_t payload_len;
	int normalize_path; /* 1: drop "." and ".." segments and empty segments */
} pcf_sigv4_request;

typedef struct pcf_sigv4_result {
	char amz_date[17];       /* "20150830T123600Z": send as X-Amz-Date */
	char signature[65];      /* lowercase hex */
	char *canonical_request; /* heap; kept for tests and trace logs */
	char *string_to_sign;    /* heap */
	char *authorization;     /* heap: the Authorization header value */
} pcf_sigv4_result;

/*
 * Signs req with creds for region and service at time now. Fills out (free
 * with pcf_sigv4_result_cleanup, also after a failure). Returns 0,
 * PCF_EINVAL (no host header, bad input) or PCF_ENOMEM.
 */
int pcf_sigv4_sign(pcf_sigv4_result *out, const pcf_sigv4_request *req,
                   const pcf_aws_credentials *creds, const char *region, const char *service,
                   time_t now, pcf_error *err);
void pcf_sigv4_result_cleanup(pcf_sigv4_result *result);

/* Lowercase hex SHA-256 of data into out (65 bytes). */
void pcf_sigv4_sha256_hex(char out[65], const void *data, size_t len);

#endif
