/*
 * The AWS transport: one client object that signs (SigV4), sends, retries
 * and instruments JSON-protocol requests (DynamoDB's
 * application/x-amz-json-1.0 with X-Amz-Target).
 *
 * Thread-safety: a pcf_aws_client is safe to use from several threads at
 * once. It owns a pool of libcurl easy handles (one per request in flight,
 * each with its own connection cache; DNS answers and TLS sessions shared
 * through a curl share handle) and a locked credential cache.
 *
 * Ownership: what a function hands back through an out-parameter the caller
 * frees with the matching free (response bodies with pcf_aws_response_free).
 */
#ifndef PCF_AWS_H
#define PCF_AWS_H

#include <stddef.h>
#include <stdint.h>

#include <pcf/export.h>
#include <pcf/common.h>
#include <pcf/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcf_aws_client pcf_aws_client;

/* What the instrumentation callback receives for every finished request. */
typedef struct pcf_aws_request_info {
	const char *action;    /* e.g. "DescribeTable" */
	long http_status;      /* last attempt's status, 0 if none */
	int attempts;          /* 1 + retries */
	size_t bytes_sent;     /* request bodies, all attempts */
	size_t bytes_received; /* response bodies, all attempts */
	uint64_t duration_us;  /* first send to final answer, backoff included */
	int code;              /* 0 or the final PCF_E code */
} pcf_aws_request_info;

/* MUST be thread-safe; runs on the thread that made the request. */
typedef void (*pcf_aws_request_fn)(const pcf_aws_request_info *info, void *payload);
/* Called for a failure that was not (or no longer) retried. */
typedef void (*pcf_aws_error_fn)(const char *action, const pcf_error *err, void *payload);

typedef struct pcf_aws_options {
	const char *endpoint;         /* NULL: resolve as DESIGN.md says (flag, env, default) */
	const char *region;           /* NULL: AWS_REGION, AWS_DEFAULT_REGION, profile */
	const char *profile;          /* NULL: AWS_PROFILE, else "default" */
	const char *service;          /* signing name; NULL means "dynamodb" */
	const char *target_prefix;    /* X-Amz-Target prefix; NULL means "DynamoDB_20120810" */
	const char *json_version;     /* the JSON protocol's version; NULL means "1.0" (DynamoDB's),
	                                 "1.1" for services such as Application Auto Scaling */
	long connect_timeout_ms;      /* 0: PCF_CONNECT_TIMEOUT seconds, else 3 s */
	long request_timeout_ms;      /* 0: PCF_REQUEST_TIMEOUT seconds, else 30 s; per attempt */
	int max_attempts;             /* 0: AWS_MAX_ATTEMPTS, DYNAMODB_MAX_RETRIES+1, else 10 */
	int insecure_skip_tls_verify; /* 1 only when the user asked for it */
	int max_connections;          /* 0: DYNAMODB_MAX_CLIENTS, else 100 */
	pcf_logger logger;            /* -v logs requests and responses, redacted */
	pcf_aws_request_fn on_request;
	pcf_aws_error_fn on_error;
	void *payload; /* passed to on_request and on_error */
	/* Backoff (full jitter); tests shorten these. */
	long retry_base_delay_ms;          /* 0: 25 */
	long retry_throttle_base_delay_ms; /* 0: 500, after a throttling error */
	long retry_max_delay_ms;           /* 0: 20000, cap on one wait */
	const char *ca_bundle; /* PEM file of trusted CAs; NULL: AWS_CA_BUNDLE, else the system's */
	/*
	 * The run's deadline on pcf_util_now_us()'s monotonic clock, 0 for none.
	 * Every attempt's timeouts and every backoff are cut to it; a request
	 * still unanswered then is abandoned and fails with PCF_ETIMEDOUT.
	 */
	uint64_t deadline_us;
	/*
	 * Credentials to sign with instead of the credential chain (environment,
	 * profile, container, instance metadata), for a program that already
	 * holds them. Set access_key_id and secret_access_key together (one
	 * without the other is PCF_ECONFIG); session_token only for temporary
	 * credentials. pcf_aws_client_new copies them; they are never refreshed,
	 * so temporary ones end with their session.
	 */
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;
} pcf_aws_options;

/* Designated, so that no value can shift onto another field when one is added (a field
 * left out is 0); every field is named so that C++ -Wextra stays quiet. */
#define PCF_AWS_OPTIONS_INIT                                                                       \
	{                                                                                          \
		.endpoint = NULL, .region = NULL, .profile = NULL, .service = NULL,                \
		.target_prefix = NULL, .json_version = NULL, .connect_timeout_ms = 0,              \
		.request_timeout_ms = 0, .max_attempts = 0, .insecure_skip_tls_verify = 0,         \
		.max_connections = 0, .logger = PCF_LOGGER_INIT, .on_request = NULL,               \
		.on_error = NULL, .payload = NULL, .retry_base_delay_ms = 0,                       \
		.retry_throttle_base_delay_ms = 0, .retry_max_delay_ms = 0, .ca_bundle = NULL,     \
		.deadline_us = 0, .access_key_id = NULL, .secret_access_key = NULL,                \
		.session_token = NULL                                                              \
	}

/*
 * Creates a client. Resolves region, endpoint and the credential chain
 * lazily (credentials on first request) so that a client for a local server
 * costs nothing. Free with pcf_aws_client_free.
 */
PCF_EXTERN int pcf_aws_client_new(pcf_aws_client **out, const pcf_aws_options *options,
                                  pcf_error *err);
PCF_EXTERN void pcf_aws_client_free(pcf_aws_client *client);

/*
 * Moves the deadline (see pcf_aws_options.deadline_us; 0 removes it) for
 * requests that start after this call. Not for use while requests are in
 * flight on other threads.
 */
PCF_EXTERN void pcf_aws_client_set_deadline(pcf_aws_client *client, uint64_t deadline_us);

/* The resolved endpoint URL and region; owned by the client. */
PCF_EXTERN const char *pcf_aws_client_endpoint(const pcf_aws_client *client);
PCF_EXTERN const char *pcf_aws_client_region(const pcf_aws_client *client);

/* A response body: NUL-terminated JSON text of length len. */
typedef struct pcf_aws_response {
	char *body;
	size_t len;
	long http_status;
	char request_id[PCF_ERROR_REQUEST_ID_MAX];
} pcf_aws_response;

/*
 * Sends one JSON-protocol request for action with body (len bytes, JSON),
 * retrying as the client's policy says. On success fills *out (free with
 * pcf_aws_response_free) and returns 0. On failure returns a PCF_E code
 * and fills err, including the AWS __type, message, status, request id and
 * attempt count.
 */
PCF_EXTERN int pcf_aws_call(pcf_aws_response *out, pcf_aws_client *client, const char *action,
                            const char *body, size_t len, pcf_error *err);
PCF_EXTERN void pcf_aws_response_free(pcf_aws_response *response);

/* One request of a batch sent with pcf_aws_call_many. */
typedef struct pcf_aws_call_spec {
	const char *action;        /* in */
	const char *body;          /* in */
	size_t len;                /* in */
	pcf_aws_response response; /* out: filled when rc == 0 */
	int rc;                    /* out: 0 or PCF_E code */
	pcf_error error;           /* out: detail when rc != 0 */
} pcf_aws_call_spec;

/*
 * Sends every call in calls from this one thread, at most max_in_flight at
 * a time (0: the client's max_connections), each retried on its own.
 * Returns 0 when all were sent (each call's rc says how it went), or a
 * PCF_E code when the batch itself could not run.
 */
PCF_EXTERN int pcf_aws_call_many(pcf_aws_client *client, pcf_aws_call_spec *calls, size_t count,
                                 int max_in_flight, pcf_error *err);

/*
 * The pcf code for an AWS error name, with or without its namespace
 * ("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" and
 * "ResourceNotFoundException" both give PCF_ERESOURCE_NOT_FOUND). Unknown
 * or empty names give PCF_ESERVICE.
 */
PCF_EXTERN int pcf_aws_error_code_for_type(const char *type);

#ifdef __cplusplus
}
#endif
#endif
