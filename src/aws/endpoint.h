/*
 * Region and endpoint resolution (DESIGN.md, "Environment").
 *
 * Region: the caller's value, else AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's "region" in the config file. Endpoint: the caller's value, else
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, DYNAMODB_ENDPOINT (DynamoDB
 * only), else https://<service>.<region>.amazonaws.com. http:// is allowed
 * for local servers; any other scheme is a configuration error.
 */
#ifndef PCF_AWS_ENDPOINT_H
#define PCF_AWS_ENDPOINT_H

#include <pcf/error.h>

typedef struct pcf_aws_endpoint {
	char *url;       /* scheme://host[:port]/path, as requests are sent */
	char *host;      /* the Host header value (with the port when one was given) */
	char *path;      /* "/" when the URL has none */
	int https;       /* 1 for https:// */
	char source[96]; /* where it came from: "--endpoint", "AWS_ENDPOINT_URL", "default" */
} pcf_aws_endpoint;

/*
 * Resolves the region. *out is a heap string (free with free) or NULL when
 * no source names one. Returns 0, or PCF_ECONFIG for a malformed region,
 * PCF_EIO when a config file cannot be read.
 */
int pcf_aws_resolve_region(char **out, const char *explicit_region, const char *profile,
                           pcf_error *err);

/*
 * Resolves and parses the endpoint for service ("dynamodb", "sts"). region
 * may be NULL only when an explicit or environment endpoint exists.
 * Returns 0 or PCF_ECONFIG. Clean up with pcf_aws_endpoint_cleanup.
 */
int pcf_aws_resolve_endpoint(pcf_aws_endpoint *out, const char *explicit_url, const char *service,
                             const char *region, pcf_error *err);

/* Parses url into out (source left empty). Returns 0 or PCF_ECONFIG. */
int pcf_aws_endpoint_parse(pcf_aws_endpoint *out, const char *url, pcf_error *err);

void pcf_aws_endpoint_cleanup(pcf_aws_endpoint *endpoint);

#endif
