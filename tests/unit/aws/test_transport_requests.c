/*
 * What the transport puts on the wire and in its debug log, observed with
 * a FAKE loopback server (tests/support/fake_http.c) that records request
 * headers: no real DynamoDB server here checks signatures.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/aws.h>

#include "fake_answers.h"
#include "fake_http.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN  "FQoGZXIvYXdzEXAMPLETOKENVALUE"

static void setup(void)
{
	setenv("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	setenv("AWS_SESSION_TOKEN", TOKEN, 1);
	setenv("AWS_REGION", "eu-west-1", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("DYNAMODB_MAX_RETRIES");
}

TestSuite(transport_requests, .init = setup);

struct log_lines {
	pthread_mutex_t lock;
	char text[65536];
	size_t used;
};

static void collect(pcf_log_level level, const char *line, void *payload)
{
	struct log_lines *l = payload;
	(void)level;
	pthread_mutex_lock(&l->lock);
	int n = snprintf(l->text + l->used, sizeof(l->text) - l->used, "%s\n", line);
	if (n > 0 && l->used + (size_t)n < sizeof(l->text))
		l->used += (size_t)n;
	pthread_mutex_unlock(&l->lock);
}

static pcf_aws_client *client_for(pcf_fake_server *fake, struct log_lines *log)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;

	o.endpoint = pcf_fake_server_url(fake);
	o.retry_base_delay_ms = 1;
	if (log) {
		o.logger.fn = collect;
		o.logger.level = PCF_LOG_TRACE; /* bodies are logged at trace (-vv) */
		o.logger.payload = log;
	}
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	return c;
}

/* One ListTables call through c that must succeed; the answer is not needed. */
static void list_tables(pcf_aws_client *c)
{
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), 0, "%s", err.message);
	pcf_aws_response_free(&r);
}

Test(transport_requests, signed_headers_with_session_token)
{
	pcf_fake_server *fake;
	char v[1024];

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	pcf_aws_client *c = client_for(fake, NULL);
	list_tables(c);

	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "X-Amz-Target", v, sizeof(v)), 0);
	cr_assert_str_eq(v, "DynamoDB_20120810.ListTables");
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "Content-Type", v, sizeof(v)), 0);
	cr_assert_str_eq(v, "application/x-amz-json-1.0");
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "X-Amz-Security-Token", v, sizeof(v)),
	             0);
	cr_assert_str_eq(v, TOKEN);
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "X-Amz-Date", v, sizeof(v)), 0);
	cr_assert_eq(strlen(v), 16);
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "Authorization", v, sizeof(v)), 0);
	cr_assert(strncmp(v, "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/", 40) == 0, "%s", v);
	cr_assert(strstr(v, "/eu-west-1/dynamodb/aws4_request, SignedHeaders=content-type;host;"
	                    "x-amz-date;x-amz-security-token;x-amz-target, Signature=") != NULL,
	          "%s", v);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_requests, debug_log_shows_requests_without_secrets)
{
	static struct log_lines log = {PTHREAD_MUTEX_INITIALIZER, "", 0};
	pcf_fake_server *fake;
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;
	char auth[1024];
	const char *body = "{\"TableName\":\"orders\"}";

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	pcf_aws_client *c = client_for(fake, &log);
	cr_assert_eq(pcf_aws_call(&r, c, "DescribeTable", body, strlen(body), &err), 0, "%s",
	             err.message);
	pcf_aws_response_free(&r);
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "Authorization", auth, sizeof(auth)),
	             0);
	const char *signature = strstr(auth, "Signature=") + 10;

	cr_assert(strstr(log.text, "DynamoDB_20120810.DescribeTable") != NULL, "%s", log.text);
	cr_assert(strstr(log.text, "\"TableName\":\"orders\"") != NULL, "the body is shown");
	cr_assert(strstr(log.text, "HTTP 200") != NULL, "the response is shown: %s", log.text);
	cr_assert(strstr(log.text, "Credential=ASIAEXAMPLE/") != NULL, "%s", log.text);
	cr_assert(strstr(log.text, TOKEN) == NULL, "session token leaked: %s", log.text);
	cr_assert(strstr(log.text, SECRET) == NULL, "secret leaked");
	cr_assert(strstr(log.text, signature) == NULL, "signature leaked: %s", log.text);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_requests, expired_token_refreshes_credentials_and_retries_once)
{
	static const pcf_fake_response expired =
	    PCF_FAKE_AWS_ERROR(400, "com.amazon.coral.service#ExpiredTokenException",
	                       "The security token included in the request is expired");
	pcf_fake_response script[] = {expired};
	pcf_fake_server *fake;
	char v[256];

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 1, NULL), 0);
	pcf_aws_client *c = client_for(fake, NULL);
	setenv("AWS_SESSION_TOKEN", "REFRESHED", 1);
	list_tables(c);
	cr_assert_eq(pcf_fake_server_request_header(fake, 1, "X-Amz-Security-Token", v, sizeof(v)),
	             0);
	cr_assert_str_eq(v, "REFRESHED", "the retry used newly resolved credentials");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_requests, missing_credentials_fail_before_sending)
{
	pcf_fake_server *fake;
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;

	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
	setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	pcf_aws_client *c = client_for(fake, NULL);
	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), PCF_ECREDENTIALS);
	cr_assert(strstr(err.message, "environment: AWS_ACCESS_KEY_ID not set") != NULL, "%s",
	          err.message);
	cr_assert_eq(pcf_fake_server_request_count(fake), 0);
	cr_assert_eq(err.attempts, 0, "nothing was sent");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

struct thread_arg {
	pcf_aws_client *client;
	int failures;
};

static void *call_many_times(void *p)
{
	struct thread_arg *a = p;
	for (int i = 0; i < 20; i++) {
		pcf_aws_response r;
		pcf_error err = PCF_ERROR_INIT;
		if (pcf_aws_call(&r, a->client, "GetItem", "{}", 2, &err) < 0)
			a->failures++;
		else
			pcf_aws_response_free(&r);
	}
	return NULL;
}

Test(transport_requests, connections_are_reused_across_requests_and_threads)
{
	pcf_fake_server *fake;
	pthread_t threads[4];
	struct thread_arg args[4];

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	pcf_aws_client *c = client_for(fake, NULL);
	for (int i = 0; i < 5; i++) {
		pcf_aws_response r;
		cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, NULL), 0);
		pcf_aws_response_free(&r);
	}
	cr_assert_eq(pcf_fake_server_connection_count(fake), 1, "one connection for 5 requests");

	for (int i = 0; i < 4; i++) {
		args[i].client = c;
		args[i].failures = 0;
		cr_assert_eq(pthread_create(&threads[i], NULL, call_many_times, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		cr_assert_eq(args[i].failures, 0);
	}
	cr_assert_eq(pcf_fake_server_request_count(fake), 85);
	cr_assert_leq(pcf_fake_server_connection_count(fake), 5,
	              "at most one connection per thread, plus the first");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_requests, connection_cap_limits_connections)
{
	pcf_fake_server *fake;
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_aws_call_spec calls[12];
	pthread_t threads[3];
	struct thread_arg args[3];

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	o.endpoint = pcf_fake_server_url(fake);
	o.max_connections = 2;
	cr_assert_eq(pcf_aws_client_new(&c, &o, NULL), 0);
	pcf_fake_call_specs(calls, 12, "GetItem");
	cr_assert_eq(pcf_aws_call_many(c, calls, 12, 0, NULL), 0);
	for (int i = 0; i < 12; i++) {
		cr_assert_eq(calls[i].rc, 0);
		pcf_aws_response_free(&calls[i].response);
	}
	for (int i = 0; i < 3; i++) {
		args[i].client = c;
		args[i].failures = 0;
		cr_assert_eq(pthread_create(&threads[i], NULL, call_many_times, &args[i]), 0);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(threads[i], NULL);
	/*
	 * Two for the batch and two for the threads: a batch's transfers live in
	 * its own multi handle, whose connections close with it, and the pooled
	 * handles keep their own (libcurl cannot share one cache across threads).
	 */
	cr_assert_leq(pcf_fake_server_connection_count(fake), 4, "DYNAMODB_MAX_CLIENTS-style cap");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_requests, credentials_in_the_options_replace_the_chain)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_fake_server *fake;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;
	char v[1024];

	/* The environment (setup) holds ASIAEXAMPLE and a token: neither may be used. */
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	o.endpoint = pcf_fake_server_url(fake);
	o.access_key_id = "AKIASTATICEXAMPLE";
	o.secret_access_key = SECRET;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	list_tables(c);
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "Authorization", v, sizeof(v)), 0);
	cr_assert(strncmp(v, "AWS4-HMAC-SHA256 Credential=AKIASTATICEXAMPLE/", 46) == 0, "%s", v);
	cr_assert_neq(pcf_fake_server_request_header(fake, 0, "X-Amz-Security-Token", v, sizeof(v)),
	              0, "long-term keys from the options carry no session token");
	pcf_aws_client_free(c);

	o.session_token = "OPTIONSTOKEN";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	list_tables(c);
	cr_assert_eq(pcf_fake_server_request_header(fake, 1, "X-Amz-Security-Token", v, sizeof(v)),
	             0);
	cr_assert_str_eq(v, "OPTIONSTOKEN");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

/* The options must be refused as PCF_ECONFIG with a message naming `what`. */
static void expect_config_error(const pcf_aws_options *o, const char *what)
{
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_aws_client_new(&c, o, &err), PCF_ECONFIG);
	cr_assert_null(c);
	cr_assert(strstr(err.message, what) != NULL, "%s", err.message);
}

Test(transport_requests, half_a_key_pair_in_the_options_is_refused)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;

	o.endpoint = "http://127.0.0.1:1";
	o.access_key_id = "AKIASTATICEXAMPLE";
	expect_config_error(
	    &o, "pcf_aws_options.access_key_id is set without pcf_aws_options.secret_access_key");
	o.access_key_id = NULL;
	o.secret_access_key = SECRET;
	expect_config_error(
	    &o, "pcf_aws_options.secret_access_key is set without pcf_aws_options.access_key_id");
	o.secret_access_key = NULL;
	o.session_token = TOKEN;
	expect_config_error(
	    &o, "pcf_aws_options.session_token is set without pcf_aws_options.access_key_id");
}
