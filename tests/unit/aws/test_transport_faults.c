/*
 * Retry behaviour of the transport against a FAKE loopback server
 * (tests/support/fake_http.c) that injects faults no real DynamoDB server
 * can produce on demand: 500, 503, throttling, reset and hung connections,
 * and bodies whose x-amz-crc32 is wrong.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/aws.h>

#include "fake_http.h"
#include "src/aws/crc32.h"

#define OK_BODY "{\"TableNames\":[]}"

static void setup(void)
{
	pcf_fake_environment();
}

TestSuite(transport_faults, .init = setup);

struct seen {
	int requests;
	int errors;
	pcf_aws_request_info last;
	int last_error_code;
};

static void on_request(const pcf_aws_request_info *info, void *payload)
{
	struct seen *s = payload;
	s->requests++;
	s->last = *info;
}

static void on_error(const char *action, const pcf_error *err, void *payload)
{
	struct seen *s = payload;
	(void)action;
	s->errors++;
	s->last_error_code = err->code;
}

static pcf_aws_client *client_for(pcf_fake_server *fake, int max_attempts, struct seen *seen)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;

	o.endpoint = pcf_fake_server_url(fake);
	o.max_attempts = max_attempts;
	o.request_timeout_ms = 400;
	o.retry_base_delay_ms = 1;
	o.retry_throttle_base_delay_ms = 2;
	o.retry_max_delay_ms = 5;
	o.on_request = on_request;
	o.on_error = on_error;
	o.payload = seen;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	return c;
}

static int call(pcf_aws_client *c, const char *action, pcf_error *err)
{
	pcf_aws_response r;
	int rc = pcf_aws_call(&r, c, action, "{}", 2, err);
	if (rc == 0) {
		cr_assert_str_eq(r.body, OK_BODY);
		pcf_aws_response_free(&r);
	}
	return rc;
}

static const pcf_fake_response ok = {PCF_FAKE_RESPOND, 200, OK_BODY, NULL, NULL};
static const pcf_fake_response e500 = {
    PCF_FAKE_RESPOND, 500,
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
    "\"message\":\"Internal server error\"}",
    NULL, NULL};
static const pcf_fake_response e503 = {PCF_FAKE_RESPOND, 503, "", "text/plain", NULL};
static const pcf_fake_response throttled = {
    PCF_FAKE_RESPOND, 400,
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
    "\"message\":\"Rate of requests exceeds the allowed throughput.\"}",
    NULL, NULL};
static const pcf_fake_response pt_exceeded = {
    PCF_FAKE_RESPOND, 400,
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
    "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}",
    NULL, NULL};
static const pcf_fake_response validation = {
    PCF_FAKE_RESPOND, 400,
    "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
    "\"message\":\"1 validation error detected\"}",
    NULL, NULL};
static const pcf_fake_response conditional = {
    PCF_FAKE_RESPOND, 400,
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
    "\"message\":\"The conditional request failed\"}",
    NULL, NULL};
static const pcf_fake_response limit_busy = {
    PCF_FAKE_RESPOND, 400,
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#LimitExceededException\","
    "\"message\":\"Too many tables created/updated/deleted simultaneously\"}",
    NULL, NULL};
static const pcf_fake_response reset = {PCF_FAKE_RESET, 0, NULL, NULL, NULL};
static const pcf_fake_response hung = {PCF_FAKE_HANG, 0, NULL, NULL, NULL};

Test(transport_faults, retries_a_500_then_succeeds)
{
	pcf_fake_response script[] = {e500, e500};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 2, &ok), 0);
	pcf_aws_client *c = client_for(fake, 5, &seen);
	cr_assert_eq(call(c, "ListTables", &err), 0, "%s", err.message);
	cr_assert_eq(seen.last.attempts, 3);
	cr_assert_eq(seen.last.http_status, 200);
	cr_assert_eq(seen.errors, 0);
	cr_assert_eq(pcf_fake_server_request_count(fake), 3);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, gives_up_on_503_after_the_attempt_limit)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &e503), 0);
	pcf_aws_client *c = client_for(fake, 4, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_EHTTP);
	cr_assert_eq(err.http_status, 503);
	cr_assert_eq(err.attempts, 4);
	cr_assert_eq(err.retryable, 0, "the transport already waited the 503s out");
	cr_assert_eq(pcf_fake_server_request_count(fake), 4);
	cr_assert_eq(seen.errors, 1, "the error callback sees the final failure once");
	cr_assert_eq(seen.last_error_code, PCF_EHTTP);
	cr_assert_eq(seen.last.attempts, 4);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, maps_a_500_error_type_when_giving_up)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &e500), 0);
	pcf_aws_client *c = client_for(fake, 2, &seen);
	cr_assert_eq(call(c, "GetItem", &err), PCF_EINTERNAL_SERVER);
	cr_assert_str_eq(err.aws_type, "InternalServerError");
	cr_assert_str_eq(err.message, "Internal server error");
	cr_assert_eq(err.attempts, 2);
	cr_assert(strncmp(err.request_id, "fake-", 5) == 0, "request id %s", err.request_id);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, retries_throttling_then_succeeds)
{
	pcf_fake_response script[] = {throttled, pt_exceeded};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 2, &ok), 0);
	pcf_aws_client *c = client_for(fake, 3, &seen);
	cr_assert_eq(call(c, "PutItem", &err), 0, "%s", err.message);
	cr_assert_eq(seen.last.attempts, 3);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, gives_up_on_throttling_with_its_code)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &pt_exceeded), 0);
	pcf_aws_client *c = client_for(fake, 3, &seen);
	cr_assert_eq(call(c, "PutItem", &err), PCF_EPROVISIONED_THROUGHPUT_EXCEEDED);
	cr_assert_eq(err.attempts, 3);
	cr_assert_eq(err.http_status, 400);
	cr_assert_str_eq(err.aws_type, "ProvisionedThroughputExceededException");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, never_retries_validation_or_conditional_check)
{
	pcf_fake_response script[] = {validation, conditional};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 2, &ok), 0);
	pcf_aws_client *c = client_for(fake, 5, &seen);
	cr_assert_eq(call(c, "PutItem", &err), PCF_EVALIDATION);
	cr_assert_eq(err.attempts, 1);
	cr_assert_eq(err.retryable, 0);
	cr_assert_eq(call(c, "PutItem", &err), PCF_ECONDITIONAL_CHECK_FAILED);
	cr_assert_eq(err.attempts, 1);
	cr_assert_eq(pcf_fake_server_request_count(fake), 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, limit_exceeded_is_left_to_the_caller_to_wait_out)
{
	pcf_fake_response script[] = {limit_busy, limit_busy};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 2, &ok), 0);
	pcf_aws_client *c = client_for(fake, 5, &seen);
	cr_assert_eq(call(c, "CreateTable", &err), PCF_ELIMIT_EXCEEDED, "not resent");
	cr_assert_eq(err.attempts, 1);
	cr_assert_eq(err.retryable, 1, "other tables changing at once: passes, the engine waits");
	cr_assert_eq(call(c, "CreateTable", &err), PCF_ELIMIT_EXCEEDED);
	cr_assert_eq(err.attempts, 1);
	cr_assert_eq(pcf_fake_server_request_count(fake), 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, retries_a_reset_connection)
{
	pcf_fake_response script[] = {reset};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 1, &ok), 0);
	pcf_aws_client *c = client_for(fake, 3, &seen);
	cr_assert_eq(call(c, "ListTables", &err), 0, "%s", err.message);
	cr_assert_eq(seen.last.attempts, 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, gives_up_on_resets_with_a_network_error)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &reset), 0);
	pcf_aws_client *c = client_for(fake, 2, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_ENETWORK, "%s", err.message);
	cr_assert_eq(err.attempts, 2);
	cr_assert_eq(err.http_status, 0);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, retries_a_hung_connection_after_the_timeout)
{
	pcf_fake_response script[] = {hung};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 1, &ok), 0);
	pcf_aws_client *c = client_for(fake, 3, &seen);
	cr_assert_eq(call(c, "ListTables", &err), 0, "%s", err.message);
	cr_assert_eq(seen.last.attempts, 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, gives_up_on_hung_connections_with_a_timeout)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &hung), 0);
	pcf_aws_client *c = client_for(fake, 2, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_EHTTP_TIMEOUT, "%s", err.message);
	cr_assert_eq(err.attempts, 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

static char good_crc[64], bad_crc[64];

static void make_crc_headers(void)
{
	snprintf(good_crc, sizeof(good_crc), "x-amz-crc32: %u\r\n",
	         (unsigned)pcf_aws_crc32(OK_BODY, strlen(OK_BODY)));
	snprintf(bad_crc, sizeof(bad_crc), "x-amz-crc32: %u\r\n",
	         (unsigned)pcf_aws_crc32(OK_BODY, strlen(OK_BODY)) ^ 1u);
}

Test(transport_faults, retries_a_bad_crc32_and_accepts_a_good_one)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	make_crc_headers();
	pcf_fake_response bad = {PCF_FAKE_RESPOND, 200, OK_BODY, NULL, bad_crc};
	pcf_fake_response good = {PCF_FAKE_RESPOND, 200, OK_BODY, NULL, good_crc};
	pcf_fake_response script[] = {bad};
	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 1, &good), 0);
	pcf_aws_client *c = client_for(fake, 3, &seen);
	cr_assert_eq(call(c, "ListTables", &err), 0, "%s", err.message);
	cr_assert_eq(seen.last.attempts, 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, gives_up_on_bad_crc32)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	make_crc_headers();
	pcf_fake_response bad = {PCF_FAKE_RESPOND, 200, OK_BODY, NULL, bad_crc};
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &bad), 0);
	pcf_aws_client *c = client_for(fake, 3, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_ECRC32);
	cr_assert_eq(err.attempts, 3);
	cr_assert_eq(err.http_status, 200);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, connection_refused_is_a_connect_error)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;
	char url[64];

	/* A port that was just free: start a fake, note its URL, stop it. */
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	snprintf(url, sizeof(url), "%s", pcf_fake_server_url(fake));
	pcf_fake_server_stop(fake);
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	o.endpoint = url;
	o.max_attempts = 2;
	o.retry_base_delay_ms = 1;
	o.on_request = on_request;
	o.payload = &seen;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0);
	cr_assert_eq(call(c, "ListTables", &err), PCF_ECONNECT, "%s", err.message);
	cr_assert_eq(err.attempts, 2);
	pcf_aws_client_free(c);
}

Test(transport_faults, attempt_limit_comes_from_the_environment)
{
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &e503), 0);
	setenv("DYNAMODB_MAX_RETRIES", "2", 1);
	pcf_aws_client *c = client_for(fake, 0, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_EHTTP);
	cr_assert_eq(err.attempts, 3, "2 retries = 3 attempts");
	pcf_aws_client_free(c);
	setenv("AWS_MAX_ATTEMPTS", "5", 1);
	c = client_for(fake, 0, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_EHTTP);
	cr_assert_eq(err.attempts, 5, "AWS_MAX_ATTEMPTS wins");
	pcf_aws_client_free(c);
	c = client_for(fake, 1, &seen);
	cr_assert_eq(call(c, "ListTables", &err), PCF_EHTTP);
	cr_assert_eq(err.attempts, 1, "the API value wins over both");
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, call_many_retries_each_call_on_its_own)
{
	pcf_fake_response script[] = {e500, throttled, reset, e503};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_call_spec calls[6];

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 4, &ok), 0);
	pcf_aws_client *c = client_for(fake, 4, &seen);
	memset(calls, 0, sizeof(calls));
	for (int i = 0; i < 6; i++) {
		calls[i].action = "GetItem";
		calls[i].body = "{}";
		calls[i].len = 2;
	}
	cr_assert_eq(pcf_aws_call_many(c, calls, 6, 2, &err), 0, "%s", err.message);
	for (int i = 0; i < 6; i++) {
		cr_assert_eq(calls[i].rc, 0, "call %d: %s", i, calls[i].error.message);
		cr_assert_str_eq(calls[i].response.body, OK_BODY);
		pcf_aws_response_free(&calls[i].response);
	}
	cr_assert_eq(pcf_fake_server_request_count(fake), 10);
	cr_assert_eq(seen.requests, 6);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_faults, call_many_reports_final_failures_per_call)
{
	pcf_fake_response script[] = {validation};
	pcf_fake_server *fake;
	struct seen seen = {0};
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_call_spec calls[2];

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 1, &e503), 0);
	pcf_aws_client *c = client_for(fake, 2, &seen);
	memset(calls, 0, sizeof(calls));
	for (int i = 0; i < 2; i++) {
		calls[i].action = "GetItem";
		calls[i].body = "{}";
		calls[i].len = 2;
	}
	cr_assert_eq(pcf_aws_call_many(c, calls, 2, 1, &err), 0, "%s", err.message);
	cr_assert_eq(calls[0].rc, PCF_EVALIDATION);
	cr_assert_eq(calls[0].error.attempts, 1);
	cr_assert_eq(calls[1].rc, PCF_EHTTP);
	cr_assert_eq(calls[1].error.attempts, 2);
	cr_assert_eq(seen.errors, 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}
