/*
 * The client object behind pcf_aws_client, shared by the files of the
 * transport (client.c, exchange.c, transport.c, call_many.c).
 */
#ifndef PCF_AWS_CLIENT_H
#define PCF_AWS_CLIENT_H

#include <pcf/aws.h>

#include "credentials_chain.h"
#include "endpoint.h"
#include "pool.h"
#include "retry.h"

struct pcf_aws_client {
	pcf_aws_endpoint endpoint;
	char *region;
	char *service;
	char *target_prefix;
	char *content_type; /* application/x-amz-json-<json_version> */
	long connect_timeout_ms;
	long request_timeout_ms;
	uint64_t deadline_us; /* 0: none; see pcf_aws_options */
	pcf_aws_retry_policy retry;
	int insecure_skip_tls_verify;
	char *ca_bundle; /* NULL: the system's trust store */
	int max_connections;
	pcf_logger logger;
	pcf_aws_request_fn on_request;
	pcf_aws_error_fn on_error;
	void *payload;
	pcf_aws_pool *pool;
	pcf_aws_credentials_cache *credentials;
};

#endif
