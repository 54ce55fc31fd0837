/*
 * EC2 instance metadata (IMDSv2): PUT /latest/api/token for a session
 * token, then GET the role name and the role's credentials with that token
 * in X-aws-ec2-metadata-token. AWS_EC2_METADATA_SERVICE_ENDPOINT moves the
 * service (tests point it at a loopback fake), AWS_EC2_METADATA_DISABLED=true
 * turns this source off.
 *
 * Every request has a short timeout (1 s) and no retry by default
 * (AWS_METADATA_SERVICE_TIMEOUT and AWS_METADATA_SERVICE_NUM_ATTEMPTS
 * change both, as in botocore): on a machine that is not
 * an EC2 instance the address does not answer, and as the last source in
 * the chain it must not make every failing command hang. Not reaching the
 * service therefore counts as "not configured", not as broken.
 */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

#include "src/common/buf.h"

#include "src/common/util.h"

#define IMDS_DEFAULT    "http://169.254.169.254"
#define IMDS_TIMEOUT_MS 1000
#define CREDS_PATH      "/latest/meta-data/iam/security-credentials/"

/* AWS_METADATA_SERVICE_TIMEOUT (seconds) and _NUM_ATTEMPTS, as botocore reads them. */
static void imds_limits(long *timeout_ms, int *attempts)
{
	const char *t = pcf_util_getenv("AWS_METADATA_SERVICE_TIMEOUT");
	const char *a = pcf_util_getenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS");
	char *end;
	double seconds;
	long n;

	*timeout_ms = IMDS_TIMEOUT_MS;
	*attempts = 1;
	if (t && (seconds = strtod(t, &end)) > 0 && *end == '\0' && seconds <= 60)
		*timeout_ms = (long)(seconds * 1000);
	if (a && pcf_util_parse_long(&n, a, 1, 10) == 0)
		*attempts = (int)n;
}

/* One IMDS request, repeated on transport failures and 5xx up to the attempt limit. */
static int imds_request(pcf_aws_http_response *r, const char *method, const char *base,
                        const char *path, const char *header, pcf_error *err)
{
	pcf_buf url = PCF_BUF_INIT;
	const char *headers[2] = {header, NULL};
	size_t blen = strlen(base);
	long timeout_ms;
	int attempts, rc = 0;

	imds_limits(&timeout_ms, &attempts);
	pcf_buf_printf(&url, "%.*s%s", (int)(blen && base[blen - 1] == '/' ? blen - 1 : blen), base,
	               path);
	if (pcf_buf_failed(&url))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	pcf_aws_http_request req = {method, url.data, headers, NULL, 0, timeout_ms, 0};
	for (int i = 0; i < attempts; i++) {
		if (i > 0)
			pcf_aws_http_response_cleanup(r);
		rc = pcf_aws_http_send(r, &req, err);
		if (rc == PCF_ENOMEM || (rc == 0 && r->status < 500))
			break;
	}
	pcf_buf_cleanup(&url);
	return rc;
}

static int fetch_token(char **out, const char *base, pcf_error *err)
{
	pcf_aws_http_response r;
	int rc = imds_request(&r, "PUT", base, "/latest/api/token",
	                      "X-aws-ec2-metadata-token-ttl-seconds: 21600", err);

	*out = NULL;
	if (rc < 0) {
		if (rc != PCF_ENOMEM)
			rc = pcf_error_set(err, PCF_ENOTFOUND, "no instance metadata service at %s",
			                   base);
		return rc;
	}
	if (r.status != 200 || r.len == 0) {
		rc = pcf_error_set(err, PCF_ECREDENTIALS, "IMDSv2 token request answered HTTP %ld",
		                   r.status);
	} else {
		pcf_buf b = PCF_BUF_INIT;
		pcf_buf_printf(&b, "X-aws-ec2-metadata-token: %s", r.body);
		*out = pcf_buf_detach(&b);
		rc = *out ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	pcf_aws_http_response_cleanup(&r);
	return rc;
}

/* GET base+path with the token; the body on HTTP 200. */
static int get_text(pcf_aws_http_response *r, const char *base, const char *path,
                    const char *token_header, pcf_error *err)
{
	int rc = imds_request(r, "GET", base, path, token_header, err);
	if (rc < 0) {
		/* The service answered the token request, so this is a failure, not absence. */
		if (err && rc != PCF_ENOMEM)
			err->code = rc = PCF_ECREDENTIALS;
		return rc;
	}
	if (r->status != 200) {
		rc = pcf_error_set(err, PCF_ECREDENTIALS, "GET %s answered HTTP %ld%s", path,
		                   r->status, r->status == 404 ? " (no IAM role attached?)" : "");
		pcf_aws_http_response_cleanup(r);
	}
	return rc;
}

static int fetch_credentials(pcf_aws_credentials *out, const char *base, const char *token,
                             pcf_error *err)
{
	pcf_aws_http_response role, creds;
	pcf_buf path = PCF_BUF_INIT;
	int rc;

	memset(&creds, 0, sizeof(creds));
	if ((rc = get_text(&role, base, CREDS_PATH, token, err)) < 0)
		return rc;
	role.body[strcspn(role.body, "\r\n")] = '\0';
	pcf_buf_printf(&path, "%s%s", CREDS_PATH, role.body);
	if (pcf_buf_failed(&path)) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = get_text(&creds, base, path.data, token, err)) < 0)
		goto out;
	rc = pcf_aws_credentials_from_json(out, creds.body, creds.len, "Token", "instance metadata",
	                                   err);
	if (rc < 0) {
		pcf_error_prefix(err, "instance metadata role %s", role.body);
		if (err)
			err->code = rc = PCF_ECREDENTIALS;
	}
out:
	pcf_buf_cleanup(&path);
	pcf_aws_http_response_cleanup(&role);
	pcf_aws_http_response_cleanup(&creds);
	return rc;
}

int pcf_aws_credentials_from_imds(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                                  pcf_error *err)
{
	const char *disabled = getenv("AWS_EC2_METADATA_DISABLED");
	const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	char *token = NULL;
	int rc;

	(void)ctx;
	if (disabled && strcasecmp(disabled, "true") == 0)
		return pcf_error_set(err, PCF_ENOTFOUND, "disabled by AWS_EC2_METADATA_DISABLED");
	if (!base || !*base)
		base = IMDS_DEFAULT;
	if ((rc = fetch_token(&token, base, err)) < 0)
		return rc;
	rc = fetch_credentials(out, base, token, err);
	free(token);
	return rc;
}
