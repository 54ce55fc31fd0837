/*
 * Creating and freeing a pcf_aws_client: resolving the region, endpoint,
 * timeouts, attempt limit and connection cap once, up front, so that a bad
 * setting fails at creation with a clear message instead of on the first
 * request. Credentials are looked up lazily, on the first request, so a
 * client that is never used never touches the network or the files.
 */
#include "client.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

static char *dup_or(const char *value, const char *fallback)
{
	return strdup(value && *value ? value : fallback);
}

static int max_connections(int *out, int configured, pcf_error *err)
{
	const char *v = pcf_util_getenv("DYNAMODB_MAX_CLIENTS");
	long n;

	if (configured > 0) {
		*out = configured;
		return 0;
	}
	if (!v) {
		*out = 100;
		return 0;
	}
	if (pcf_util_parse_long(&n, v, 1, 10000) < 0)
		return pcf_error_set(err, PCF_ECONFIG,
		                     "DYNAMODB_MAX_CLIENTS=\"%s\" is not a number from 1 to 10000",
		                     v);
	*out = (int)n;
	return 0;
}

/*
 * A timeout: the option when > 0, else the variable (seconds, fractions
 * allowed, at most a day), else the default.
 */
static int timeout_ms(long *out, long configured, const char *var, long fallback, pcf_error *err)
{
	const char *v = pcf_util_getenv(var);
	char *end = NULL;
	double seconds;

	if (configured > 0) {
		*out = configured;
		return 0;
	}
	if (!v) {
		*out = fallback;
		return 0;
	}
	seconds = strtod(v, &end);
	if (end == v || *end != '\0' || !(seconds >= 0.001 && seconds <= 86400))
		return pcf_error_set(err, PCF_ECONFIG,
		                     "%s=\"%s\" is not a number of seconds from 0.001 to 86400",
		                     var, v);
	*out = (long)(seconds * 1000.0 + 0.5);
	return 0;
}

/* The CA file: the option, else AWS_CA_BUNDLE (as the SDKs read it), else none. */
static int ca_bundle(char **out, const char *option, pcf_error *err)
{
	const char *v = option && *option ? option : getenv("AWS_CA_BUNDLE");

	*out = NULL;
	if (!v || !*v)
		return 0;
	*out = strdup(v);
	return *out ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
}

static int resolve_settings(pcf_aws_client *c, const pcf_aws_options *o, pcf_error *err)
{
	int rc;

	if ((rc = pcf_aws_resolve_region(&c->region, o->region, o->profile, err)) < 0)
		return rc;
	rc = pcf_aws_resolve_endpoint(&c->endpoint, o->endpoint, c->service, c->region, err);
	if (rc < 0)
		return rc;
	/*
	 * A local server needs some region to sign with; any will do. Said at
	 * warning level, so that nobody takes a remote endpoint's signing region
	 * for granted: this runs once per client, and a program has one client
	 * per region.
	 */
	if (!c->region) {
		if (!(c->region = strdup("us-east-1")))
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		pcf_log(&o->logger, PCF_LOG_WARN,
		        "no region set; signing for us-east-1 (set --region or AWS_REGION)");
	}
	if ((rc = pcf_aws_retry_max_attempts(&c->retry.max_attempts, o->max_attempts, err)) < 0)
		return rc;
	rc = timeout_ms(&c->connect_timeout_ms, o->connect_timeout_ms, "PCF_CONNECT_TIMEOUT", 3000,
	                err);
	if (rc < 0)
		return rc;
	rc = timeout_ms(&c->request_timeout_ms, o->request_timeout_ms, "PCF_REQUEST_TIMEOUT", 30000,
	                err);
	if (rc < 0)
		return rc;
	c->deadline_us = o->deadline_us;
	return max_connections(&c->max_connections, o->max_connections, err);
}

/* The user's own credentials from the options when given, else the chain. */
static int credentials_cache(pcf_aws_credentials_cache **out, const pcf_aws_options *o,
                             const pcf_aws_credentials_context *ctx, pcf_error *err)
{
	pcf_aws_credentials creds = PCF_AWS_CREDENTIALS_INIT;
	int has_id = o->access_key_id && *o->access_key_id;
	int has_secret = o->secret_access_key && *o->secret_access_key;
	int rc;

	if (!has_id && !has_secret && !(o->session_token && *o->session_token))
		return pcf_aws_credentials_cache_new(out, ctx, NULL, err);
	if (!has_id || !has_secret)
		return pcf_error_set(err, PCF_ECONFIG,
		                     "pcf_aws_options.%s is set without pcf_aws_options.%s: give "
		                     "the key pair (with session_token for temporary credentials), "
		                     "or none of the three to use the credential chain",
		                     has_id       ? "access_key_id"
		                     : has_secret ? "secret_access_key"
		                                  : "session_token",
		                     has_id ? "secret_access_key" : "access_key_id");
	rc = pcf_aws_credentials_set(&creds, o->access_key_id, o->secret_access_key,
	                             o->session_token, 0, "pcf_aws_options");
	if (rc < 0)
		return pcf_error_set(err, rc, "out of memory");
	rc = pcf_aws_credentials_cache_new_fixed(out, &creds, err);
	pcf_aws_credentials_cleanup(&creds);
	return rc;
}

int pcf_aws_client_new(pcf_aws_client **out, const pcf_aws_options *options, pcf_error *err)
{
	static const pcf_aws_options defaults = PCF_AWS_OPTIONS_INIT;
	const pcf_aws_options *o = options ? options : &defaults;
	pcf_aws_credentials_context ctx = {o->profile, &o->logger, 5000,
	                                   o->insecure_skip_tls_verify};
	pcf_aws_client *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	c->service = dup_or(o->service, "dynamodb");
	c->target_prefix = dup_or(o->target_prefix, "DynamoDB_20120810");
	c->content_type = pcf_util_format("application/x-amz-json-%s",
	                                  o->json_version != NULL ? o->json_version : "1.0");
	if (!c->service || !c->target_prefix || !c->content_type) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = resolve_settings(c, o, err)) < 0)
		goto out;
	c->retry.base_delay_ms =
	    o->retry_base_delay_ms > 0 ? o->retry_base_delay_ms : PCF_AWS_RETRY_BASE_DELAY_MS;
	c->retry.throttle_base_delay_ms = o->retry_throttle_base_delay_ms > 0
	                                      ? o->retry_throttle_base_delay_ms
	                                      : PCF_AWS_RETRY_THROTTLE_BASE_DELAY_MS;
	c->retry.max_delay_ms =
	    o->retry_max_delay_ms > 0 ? o->retry_max_delay_ms : PCF_AWS_RETRY_MAX_DELAY_MS;
	c->insecure_skip_tls_verify = o->insecure_skip_tls_verify;
	if ((rc = ca_bundle(&c->ca_bundle, o->ca_bundle, err)) < 0)
		goto out;
	c->logger = o->logger;
	c->on_request = o->on_request;
	c->on_error = o->on_error;
	c->payload = o->payload;
	if ((rc = pcf_aws_pool_new(&c->pool, c->max_connections, err)) < 0)
		goto out;
	if ((rc = credentials_cache(&c->credentials, o, &ctx, err)) < 0)
		goto out;
	pcf_log(&c->logger, PCF_LOG_DEBUG, "endpoint %s (from %s), region %s, %d attempts",
	        c->endpoint.url, c->endpoint.source, c->region, c->retry.max_attempts);
	*out = c;
	c = NULL;
out:
	pcf_aws_client_free(c);
	return rc;
}

void pcf_aws_client_free(pcf_aws_client *client)
{
	if (!client)
		return;
	pcf_aws_credentials_cache_free(client->credentials);
	pcf_aws_pool_free(client->pool);
	pcf_aws_endpoint_cleanup(&client->endpoint);
	free(client->region);
	free(client->ca_bundle);
	free(client->service);
	free(client->target_prefix);
	free(client->content_type);
	free(client);
}

void pcf_aws_client_set_deadline(pcf_aws_client *client, uint64_t deadline_us)
{
	if (client)
		client->deadline_us = deadline_us;
}

const char *pcf_aws_client_endpoint(const pcf_aws_client *client)
{
	return client->endpoint.url;
}

const char *pcf_aws_client_region(const pcf_aws_client *client)
{
	return client->region;
}

void pcf_aws_response_free(pcf_aws_response *response)
{
	if (!response)
		return;
	free(response->body);
	response->body = NULL;
	response->len = 0;
}
