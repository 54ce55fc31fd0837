/*
 * Credentials from a web identity token: AWS_WEB_IDENTITY_TOKEN_FILE and
 * AWS_ROLE_ARN (optionally AWS_ROLE_SESSION_NAME), or a profile's
 * web_identity_token_file and role_arn, exchanged with STS
 * AssumeRoleWithWebIdentity. That call is unsigned (the token is the
 * proof) and uses STS's query protocol: a form-encoded POST answered in
 * XML. The STS endpoint is resolved like any other service endpoint, so
 * AWS_ENDPOINT_URL_STS can point it at a test server.
 */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "endpoint.h"
#include "http.h"

#include "src/common/buf.h"
#include "src/common/util.h"

static void put_param(pcf_buf *b, const char *name, const char *value)
{
	char *escaped = curl_easy_escape(NULL, value, 0);
	if (!escaped) {
		b->failed = 1;
		return;
	}
	pcf_buf_printf(b, "&%s=%s", name, escaped);
	curl_free(escaped);
}

static int parse_answer(pcf_aws_credentials *out, const pcf_aws_http_response *r,
                        const char *role_arn, pcf_error *err)
{
	char *id = NULL, *secret = NULL, *token = NULL, *expiration = NULL;
	time_t expires = 0;
	int rc;

	if (r->status != 200) {
		char *code = pcf_aws_xml_text(r->body, "Code");
		char *message = pcf_aws_xml_text(r->body, "Message");
		rc = pcf_error_set(err, PCF_ECREDENTIALS,
		                   "STS AssumeRoleWithWebIdentity for %s failed: HTTP %ld %s %s",
		                   role_arn, r->status, code ? code : "", message ? message : "");
		free(code);
		free(message);
		return rc;
	}
	id = pcf_aws_xml_text(r->body, "AccessKeyId");
	secret = pcf_aws_xml_text(r->body, "SecretAccessKey");
	token = pcf_aws_xml_text(r->body, "SessionToken");
	expiration = pcf_aws_xml_text(r->body, "Expiration");
	if (!id || !secret || !token || !expiration ||
	    pcf_aws_parse_iso8601(&expires, expiration) < 0) {
		rc = pcf_error_set(err, PCF_EBADRESPONSE,
		                   "STS AssumeRoleWithWebIdentity answer lacks credentials");
		goto out;
	}
	rc = pcf_aws_credentials_set(out, id, secret, token, expires, "web identity");
	if (rc < 0)
		pcf_error_set(err, rc, "out of memory");
out:
	free(id);
	free(secret);
	free(token);
	free(expiration);
	return rc;
}

/* The form body of the request; NULL when out of memory. */
static char *request_body(const char *role_arn, const char *token, const char *session)
{
	pcf_buf body = PCF_BUF_INIT;
	char fallback[64];

	snprintf(fallback, sizeof(fallback), "pcf-%ld", (long)getpid());
	pcf_buf_puts(&body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15");
	put_param(&body, "RoleArn", role_arn);
	put_param(&body, "RoleSessionName", session ? session : fallback);
	put_param(&body, "WebIdentityToken", token);
	return pcf_buf_detach(&body);
}

int pcf_aws_credentials_assume_role_with_web_identity(pcf_aws_credentials *out,
                                                      const pcf_aws_credentials_context *ctx,
                                                      const char *token_file, const char *role_arn,
                                                      const char *session_name, pcf_error *err)
{
	char *token = NULL, *body = NULL, *region = NULL;
	pcf_aws_endpoint sts;
	pcf_aws_http_response r;
	int rc;

	memset(&sts, 0, sizeof(sts));
	memset(&r, 0, sizeof(r));
	if ((rc = pcf_aws_read_small_file(&token, token_file, 16384, err)) < 0)
		goto out;
	if ((rc = pcf_aws_resolve_region(&region, NULL, ctx->profile, err)) < 0)
		goto out;
	if ((rc = pcf_aws_resolve_endpoint(&sts, NULL, "sts", region ? region : "us-east-1", err)) <
	    0)
		goto out;
	if (!(body = request_body(role_arn, token, session_name))) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	static const char *const headers[] = {
	    "Content-Type: application/x-www-form-urlencoded; charset=utf-8", "Accept: text/xml",
	    NULL};
	pcf_aws_http_request req = {"POST",
	                            sts.url,
	                            headers,
	                            body,
	                            strlen(body),
	                            ctx->http_timeout_ms > 0 ? ctx->http_timeout_ms : 5000,
	                            ctx->insecure_skip_tls_verify};
	if ((rc = pcf_aws_http_send(&r, &req, err)) < 0) {
		pcf_error_prefix(err, "STS AssumeRoleWithWebIdentity");
		rc = PCF_ECREDENTIALS;
		if (err)
			err->code = rc;
		goto out;
	}
	rc = parse_answer(out, &r, role_arn, err);
out:
	if (token)
		memset(token, 0, strlen(token));
	free(token);
	if (body)
		memset(body, 0, strlen(body));
	free(body);
	free(region);
	pcf_aws_endpoint_cleanup(&sts);
	pcf_aws_http_response_cleanup(&r);
	return rc;
}

int pcf_aws_credentials_from_web_identity(pcf_aws_credentials *out,
                                          const pcf_aws_credentials_context *ctx, pcf_error *err)
{
	const char *token_file = pcf_util_getenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *role_arn = pcf_util_getenv("AWS_ROLE_ARN");

	if (!token_file)
		return pcf_error_set(err, PCF_ENOTFOUND, "AWS_WEB_IDENTITY_TOKEN_FILE not set");
	if (!role_arn)
		return pcf_error_set(err, PCF_ECREDENTIALS,
		                     "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not");
	return pcf_aws_credentials_assume_role_with_web_identity(
	    out, ctx, token_file, role_arn, pcf_util_getenv("AWS_ROLE_SESSION_NAME"), err);
}
