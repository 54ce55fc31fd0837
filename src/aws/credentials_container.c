/*
 * Container credentials (ECS task roles, EKS Pod Identity):
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on the ECS agent at
 * 169.254.170.2; AWS_CONTAINER_CREDENTIALS_FULL_URI is a whole URL, sent
 * the token in AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read on every
 * fetch, since it is rotated) or AWS_CONTAINER_AUTHORIZATION_TOKEN. As in
 * the SDKs, a full URI over plain http must point at a loopback or the
 * container agents' link-local addresses, so a token is never sent in
 * clear text across a network.
 */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "http.h"

#include "src/common/buf.h"
#include "src/common/util.h"

#define ECS_AGENT "http://169.254.170.2"

static int host_allowed_for_http(const char *host)
{
	static const char *const allowed[] = {"127.0.0.1",     "localhost",      "[::1]",
	                                      "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"};
	size_t len = strcspn(host, ":");
	if (host[0] == '[')
		len = strcspn(host, "]") + 1;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strlen(allowed[i]) == len && strncmp(host, allowed[i], len) == 0)
			return 1;
	return strncmp(host, "127.", 4) == 0;
}

/* The Authorization header line, or NULL in *out when there is no token. */
static int auth_header(char **out, pcf_error *err)
{
	const char *file = pcf_util_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *token = pcf_util_getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char *from_file = NULL;
	pcf_buf b = PCF_BUF_INIT;
	int rc;

	*out = NULL;
	if (file) {
		if ((rc = pcf_aws_read_small_file(&from_file, file, 16384, err)) < 0)
			return rc;
		token = from_file;
	}
	if (token) {
		pcf_buf_printf(&b, "Authorization: %s", token);
		*out = pcf_buf_detach(&b);
	}
	free(from_file);
	return token && !*out ? pcf_error_set(err, PCF_ENOMEM, "out of memory") : 0;
}

static int resolve_url(pcf_aws_endpoint *ep, pcf_error *err)
{
	const char *relative = pcf_util_getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = pcf_util_getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	pcf_buf b = PCF_BUF_INIT;
	int rc;

	if (relative) {
		pcf_buf_printf(&b, "%s%s%s", ECS_AGENT, relative[0] == '/' ? "" : "/", relative);
		rc = b.data ? pcf_aws_endpoint_parse(ep, b.data, err)
		            : pcf_error_set(err, PCF_ENOMEM, "out of memory");
		pcf_buf_cleanup(&b);
		return rc;
	}
	if ((rc = pcf_aws_endpoint_parse(ep, full, err)) < 0)
		return rc;
	if (!ep->https && !host_allowed_for_http(ep->host))
		return pcf_error_set(err, PCF_ECREDENTIALS,
		                     "AWS_CONTAINER_CREDENTIALS_FULL_URI %s uses http:// on a host "
		                     "that is neither loopback nor a container agent",
		                     full);
	return 0;
}

int pcf_aws_credentials_from_container(pcf_aws_credentials *out,
                                       const pcf_aws_credentials_context *ctx, pcf_error *err)
{
	pcf_aws_endpoint ep;
	pcf_aws_http_response r;
	char *auth = NULL;
	const char *headers[3] = {"Accept: application/json", NULL, NULL};
	int rc;

	if (!pcf_util_getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") &&
	    !pcf_util_getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"))
		return pcf_error_set(
		    err, PCF_ENOTFOUND,
		    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set");
	memset(&ep, 0, sizeof(ep));
	memset(&r, 0, sizeof(r));
	if ((rc = resolve_url(&ep, err)) < 0 || (rc = auth_header(&auth, err)) < 0)
		goto fail;
	headers[1] = auth;
	pcf_aws_http_request req = {"GET",
	                            ep.url,
	                            headers,
	                            NULL,
	                            0,
	                            ctx->http_timeout_ms > 0 ? ctx->http_timeout_ms : 5000,
	                            ctx->insecure_skip_tls_verify};
	if ((rc = pcf_aws_http_send(&r, &req, err)) < 0)
		goto fail;
	if (r.status != 200) {
		rc = pcf_error_set(err, PCF_ECREDENTIALS, "%s answered HTTP %ld", ep.url, r.status);
		goto out;
	}
	rc = pcf_aws_credentials_from_json(out, r.body, r.len, "Token", "container", err);
	if (rc < 0)
		pcf_error_prefix(err, "%s", ep.url);
	goto out;
fail:
	if (err && rc != PCF_ENOMEM)
		err->code = rc = PCF_ECREDENTIALS;
out:
	free(auth);
	pcf_aws_endpoint_cleanup(&ep);
	pcf_aws_http_response_cleanup(&r);
	return rc;
}
