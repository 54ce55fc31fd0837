/*
 * Retry behaviour of the transport against a FAKE loopback server
 * (tests/support/fake_http.c) that injects faults no real DynamoDB server
 * can produce on demand: 500, 503, throttling, reset and hung connections,
 * and bodies whose x-amz-crc32 is wrong.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/aws.h>

#include "case_table.h"
#include "fake_answers.h"
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

	pcf_fake_quick_options(&o, fake, max_attempts, 400);
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
static const pcf_fake_response pt_exceeded = PCF_FAKE_DDB_ERROR(
    400, "ProvisionedThroughputExceededException",
    "The level of configured provisioned throughput for the table was exceeded.");
static const pcf_fake_response validation = PCF_FAKE_AWS_ERROR(
    400, "com.amazon.coral.validate#ValidationException", "1 validation error detected");
static const pcf_fake_response conditional =
    PCF_FAKE_DDB_ERROR(400, "ConditionalCheckFailedException", "The conditional request failed");
static const pcf_fake_response limit_busy = PCF_FAKE_DDB_ERROR(
    400, "LimitExceededException", "Too many tables created/updated/deleted simultaneously");

static char good_crc[64], bad_crc[64];
static const pcf_fake_response crc_good = {PCF_FAKE_RESPOND, 200, OK_BODY, NULL, good_crc};
static const pcf_fake_response crc_bad = {PCF_FAKE_RESPOND, 200, OK_BODY, NULL, bad_crc};

/* The checksum headers need pcf_aws_crc32, so they are filled at run time. */
static void make_crc_headers(void)
{
	snprintf(good_crc, sizeof(good_crc), "x-amz-crc32: %u\r\n",
	         (unsigned)pcf_aws_crc32(OK_BODY, strlen(OK_BODY)));
	snprintf(bad_crc, sizeof(bad_crc), "x-amz-crc32: %u\r\n",
	         (unsigned)pcf_aws_crc32(OK_BODY, strlen(OK_BODY)) ^ 1u);
}

/* What one call of a fault case must return (attempts as the caller sees them). */
struct fault_call {
	int rc;
	int attempts;
	int retryable; /* checked only when the call fails */
	int http_status;
};

/*
 * One fault case: the fake answers the script in order and then `fallback`
 * forever; the client makes the listed calls in order. Every case checks
 * the code, attempts and status of each call, the requests the fake saw
 * and how often the error callback ran; the optional fields add checks.
 */
struct fault_case {
	const char *name;
	const pcf_fake_response *script[3]; /* NULL-ended */
	const pcf_fake_response *fallback;
	int max_attempts;
	const char *action;
	struct fault_call calls[3]; /* ended by attempts 0 */
	int requests;               /* requests the fake received in all */
	int error_reports;          /* on_error calls */
	const char *aws_type;       /* NULL: not checked */
	const char *message;        /* NULL: not checked */
	int fake_request_id;        /* 1: the error carries the fake's request id */
};

/*
 * One case a line reads best as a table, so clang-format leaves it alone.
 * Columns: name, script, fallback, max_attempts, action, calls as
 * {rc, attempts, retryable, http_status}, requests, error_reports, then
 * the optional aws_type, message and fake_request_id.
 */
/* clang-format off */
static const struct fault_case fault_cases[] = {
    {"retries_a_500_then_succeeds", {&pcf_fake_e500, &pcf_fake_e500}, &ok, 5, "ListTables",
     {{0, 3, 0, 200}}, 3, 0, NULL, NULL, 0},
    /* retryable 0: the transport already waited the 503s out; the error
     * callback sees the final failure once. */
    {"gives_up_on_503_after_the_attempt_limit", {NULL}, &pcf_fake_e503, 4, "ListTables",
     {{PCF_EHTTP, 4, 0, 503}}, 4, 1, NULL, NULL, 0},
    {"maps_a_500_error_type_when_giving_up", {NULL}, &pcf_fake_e500, 2, "GetItem",
     {{PCF_EINTERNAL_SERVER, 2, 0, 500}}, 2, 1, "InternalServerError", "Internal server error", 1},
    {"retries_throttling_then_succeeds", {&pcf_fake_throttled, &pt_exceeded}, &ok, 3, "PutItem",
     {{0, 3, 0, 200}}, 3, 0, NULL, NULL, 0},
    {"gives_up_on_throttling_with_its_code", {NULL}, &pt_exceeded, 3, "PutItem",
     {{PCF_EPROVISIONED_THROUGHPUT_EXCEEDED, 3, 0, 400}}, 3, 1,
     "ProvisionedThroughputExceededException", NULL, 0},
    {"never_retries_validation_or_conditional_check", {&validation, &conditional}, &ok, 5, "PutItem",
     {{PCF_EVALIDATION, 1, 0, 400}, {PCF_ECONDITIONAL_CHECK_FAILED, 1, 0, 400}}, 2, 2, NULL, NULL, 0},
    /* Not resent, yet retryable: other tables changing at once pass, the
     * engine waits. */
    {"limit_exceeded_is_left_to_the_caller_to_wait_out", {&limit_busy, &limit_busy}, &ok, 5, "CreateTable",
     {{PCF_ELIMIT_EXCEEDED, 1, 1, 400}, {PCF_ELIMIT_EXCEEDED, 1, 1, 400}}, 2, 2, NULL, NULL, 0},
    {"retries_a_reset_connection", {&pcf_fake_reset}, &ok, 3, "ListTables",
     {{0, 2, 0, 200}}, 2, 0, NULL, NULL, 0},
    {"gives_up_on_resets_with_a_network_error", {NULL}, &pcf_fake_reset, 2, "ListTables",
     {{PCF_ENETWORK, 2, 0, 0}}, 2, 1, NULL, NULL, 0},
    {"retries_a_hung_connection_after_the_timeout", {&pcf_fake_hung}, &ok, 3, "ListTables",
     {{0, 2, 0, 200}}, 2, 0, NULL, NULL, 0},
    {"gives_up_on_hung_connections_with_a_timeout", {NULL}, &pcf_fake_hung, 2, "ListTables",
     {{PCF_EHTTP_TIMEOUT, 2, 0, 0}}, 2, 1, NULL, NULL, 0},
    {"retries_a_bad_crc32_and_accepts_a_good_one", {&crc_bad}, &crc_good, 3, "ListTables",
     {{0, 2, 0, 200}}, 2, 0, NULL, NULL, 0},
    {"gives_up_on_bad_crc32", {NULL}, &crc_bad, 3, "ListTables",
     {{PCF_ECRC32, 3, 0, 200}}, 3, 1, NULL, NULL, 0},
};
/* clang-format on */

static int case_numbers[sizeof(fault_cases) / sizeof(fault_cases[0])];

ParameterizedTestParameters(transport_faults, fault_table)
{
	return pcf_case_numbers(case_numbers, sizeof(case_numbers) / sizeof(case_numbers[0]));
}

/* Checks one call of a case against what it must return. */
static void check_call(const struct fault_case *k, const struct fault_call *want,
                       const struct seen *seen, const pcf_error *err, int rc)
{
	cr_assert_eq(rc, want->rc, "%s: rc %d (%s)", k->name, rc, err->message);
	if (rc == 0) {
		cr_assert_eq(seen->last.attempts, want->attempts, "%s", k->name);
		cr_assert_eq(seen->last.http_status, want->http_status, "%s", k->name);
		return;
	}
	cr_assert_eq(err->attempts, want->attempts, "%s", k->name);
	cr_assert_eq(err->retryable, want->retryable, "%s", k->name);
	cr_assert_eq(err->http_status, want->http_status, "%s", k->name);
	cr_assert_eq(seen->last.attempts, want->attempts, "%s", k->name);
	cr_assert_eq(seen->last_error_code, want->rc, "%s", k->name);
	if (k->aws_type)
		cr_assert_str_eq(err->aws_type, k->aws_type, "%s", k->name);
	if (k->message)
		cr_assert_str_eq(err->message, k->message, "%s", k->name);
	if (k->fake_request_id)
		cr_assert(strncmp(err->request_id, "fake-", 5) == 0, "%s: request id %s", k->name,
		          err->request_id);
}

ParameterizedTest(const int *number, transport_faults, fault_table)
{
	const struct fault_case *k = &fault_cases[*number];
	pcf_fake_response script[2];
	pcf_fake_server *fake;
	struct seen seen = {0};
	size_t i, n;

	make_crc_headers();
	for (n = 0; k->script[n]; n++)
		script[n] = *k->script[n];
	cr_assert_eq(pcf_fake_server_start_script(&fake, script, n, k->fallback), 0);
	pcf_aws_client *c = client_for(fake, k->max_attempts, &seen);
	for (i = 0; k->calls[i].attempts; i++) {
		pcf_error err = PCF_ERROR_INIT;
		int rc = call(c, k->action, &err);
		check_call(k, &k->calls[i], &seen, &err, rc);
	}
	cr_assert_eq(pcf_fake_server_request_count(fake), k->requests, "%s", k->name);
	cr_assert_eq(seen.errors, k->error_reports, "%s", k->name);
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

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &pcf_fake_e503), 0);
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

/*
 * Starts a fake with the script (then `fallback`) and sends count GetItem
 * calls through pcf_aws_call_many, `parallel` at once; the call itself must
 * succeed. The caller checks the calls and frees *c and *fake.
 */
static void call_many(pcf_fake_server **fake, pcf_aws_client **c, struct seen *seen,
                      const pcf_fake_response *script, size_t script_len,
                      const pcf_fake_response *fallback, int max_attempts, pcf_aws_call_spec *calls,
                      size_t count, size_t parallel)
{
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(fake, script, script_len, fallback), 0);
	*c = client_for(*fake, max_attempts, seen);
	pcf_fake_call_specs(calls, count, "GetItem");
	cr_assert_eq(pcf_aws_call_many(*c, calls, count, parallel, &err), 0, "%s", err.message);
}

Test(transport_faults, call_many_retries_each_call_on_its_own)
{
	pcf_fake_response script[] = {pcf_fake_e500, pcf_fake_throttled, pcf_fake_reset,
	                              pcf_fake_e503};
	pcf_fake_server *fake;
	pcf_aws_client *c;
	struct seen seen = {0};
	pcf_aws_call_spec calls[6];

	call_many(&fake, &c, &seen, script, 4, &ok, 4, calls, 6, 2);
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
	pcf_aws_client *c;
	struct seen seen = {0};
	pcf_aws_call_spec calls[2];

	call_many(&fake, &c, &seen, script, 1, &pcf_fake_e503, 2, calls, 2, 1);
	cr_assert_eq(calls[0].rc, PCF_EVALIDATION);
	cr_assert_eq(calls[0].error.attempts, 1);
	cr_assert_eq(calls[1].rc, PCF_EHTTP);
	cr_assert_eq(calls[1].error.attempts, 2);
	cr_assert_eq(seen.errors, 2);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}
