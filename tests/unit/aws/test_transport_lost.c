/*
 * Answers lost after the server acted, against a FAKE loopback server
 * (tests/support/fake_http.c) that resets, times out, answers 5xx or
 * unreadable bodies on demand, which no real server does: a refusal of the
 * repeat is marked maybe_applied, reads retry a 200 whose body is not
 * JSON, and a write's unreadable 200 is marked instead of retried.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/aws.h>

#include "case_table.h"
#include "fake_answers.h"
#include "fake_http.h"

static void setup(void)
{
	pcf_fake_environment();
}

TestSuite(transport_lost, .init = setup);

static const pcf_fake_response ok = {PCF_FAKE_RESPOND, 200, "{\"TableNames\":[]}", NULL, NULL};
static const pcf_fake_response no_change =
    PCF_FAKE_AWS_ERROR(400, "com.amazon.coral.validate#ValidationException",
                       "The provisioned throughput for the table will not change.");
static const pcf_fake_response not_json = {PCF_FAKE_RESPOND, 200, "{\"Table\":{\"Tab", NULL, NULL};

/* One test's fake server and fast-retrying client. */
struct run {
	pcf_fake_server *fake;
	pcf_aws_client *c;
	pcf_error err;
	pcf_aws_response r;
};

/* Starts the fake with the script (then 200 forever) and a client of it. */
static void start(struct run *run, const pcf_fake_response *script, size_t count, int max_attempts)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;

	memset(run, 0, sizeof(*run)); /* all zero is PCF_ERROR_INIT too */
	cr_assert_eq(pcf_fake_server_start_script(&run->fake, script, count, &ok), 0);
	pcf_fake_quick_options(&o, run->fake, max_attempts, 300);
	cr_assert_eq(pcf_aws_client_new(&run->c, &o, &run->err), 0, "%s", run->err.message);
}

static void finish(struct run *run)
{
	pcf_aws_client_free(run->c);
	pcf_fake_server_stop(run->fake);
}

/* Sends action with the script's answers; the call must fail with code. */
static void expect_failure(const pcf_fake_response *script, size_t count, const char *action,
                           int code, int maybe_applied, const char *name)
{
	struct run run;

	start(&run, script, count, 4);
	cr_assert_eq(pcf_aws_call(&run.r, run.c, action, "{}", 2, &run.err), code, "%s: %s", name,
	             run.err.message);
	cr_assert_eq(run.err.maybe_applied, maybe_applied, "%s: %s after %d attempts", name,
	             run.err.message, run.err.attempts);
	finish(&run);
}

/*
 * A refusal of the repeat after `first` (NULL: at the first attempt). Only
 * an answer that was lost after the server may have acted marks it.
 */
struct refusal_case {
	const char *name;
	const pcf_fake_response *first;
	const char *action;
	int maybe_applied;
};

static const struct refusal_case refusal_cases[] = {
    {"refusal_after_a_reset_is_marked", &pcf_fake_reset, "UpdateTable", 1},
    {"refusal_after_a_timeout_is_marked", &pcf_fake_hung, "UpdateTimeToLive", 1},
    {"refusal_after_a_500_is_marked", &pcf_fake_e500, "UpdateTable", 1},
    {"refusal_at_the_first_attempt_is_a_verdict", NULL, "UpdateTable", 0},
    /* A throttled request was turned away unread: nothing was applied. */
    {"refusal_after_throttling_is_a_verdict", &pcf_fake_throttled, "UpdateTable", 0},
};

static int refusal_numbers[sizeof(refusal_cases) / sizeof(refusal_cases[0])];

ParameterizedTestParameters(transport_lost, refusals)
{
	return pcf_case_numbers(refusal_numbers,
	                        sizeof(refusal_numbers) / sizeof(refusal_numbers[0]));
}

ParameterizedTest(const int *number, transport_lost, refusals)
{
	const struct refusal_case *k = &refusal_cases[*number];
	pcf_fake_response script[2];
	size_t count = 0;

	if (k->first)
		script[count++] = *k->first;
	script[count++] = no_change;
	expect_failure(script, count, k->action, PCF_EVALIDATION, k->maybe_applied, k->name);
}

Test(transport_lost, a_write_answered_200_without_json_is_marked_not_repeated)
{
	pcf_fake_response script[] = {not_json};
	struct run run;

	start(&run, script, 1, 4);
	cr_assert_eq(pcf_aws_call(&run.r, run.c, "UpdateTable", "{}", 2, &run.err),
	             PCF_EBADRESPONSE, "%s", run.err.message);
	cr_assert_eq(run.err.maybe_applied, 1);
	cr_assert_eq(pcf_fake_server_request_count(run.fake), 1, "a write is not sent twice");
	cr_assert(strstr(run.err.message, "UpdateTable") != NULL, "%s", run.err.message);
	finish(&run);
}

Test(transport_lost, a_read_answered_200_without_json_is_retried)
{
	pcf_fake_response script[] = {not_json, not_json};
	struct run run;

	start(&run, script, 2, 4);
	cr_assert_eq(pcf_aws_call(&run.r, run.c, "DescribeTable", "{}", 2, &run.err), 0, "%s",
	             run.err.message);
	cr_assert_str_eq(run.r.body, "{\"TableNames\":[]}");
	cr_assert_eq(pcf_fake_server_request_count(run.fake), 3);
	pcf_aws_response_free(&run.r);
	finish(&run);
}

Test(transport_lost, call_many_marks_the_same_way)
{
	pcf_fake_response script[] = {pcf_fake_reset, no_change};
	struct run run;
	pcf_aws_call_spec call;

	start(&run, script, 2, 4);
	pcf_fake_call_specs(&call, 1, "UpdateTable");
	cr_assert_eq(pcf_aws_call_many(run.c, &call, 1, 1, &run.err), 0, "%s", run.err.message);
	cr_assert_eq(call.rc, PCF_EVALIDATION, "%s", call.error.message);
	cr_assert_eq(call.error.maybe_applied, 1);
	finish(&run);
}

Test(transport_lost, curls_own_resend_on_a_reused_connection_is_marked)
{
	/* The reset comes on a kept-alive connection: curl resends by itself. */
	pcf_fake_response script[] = {ok, pcf_fake_reset, no_change};
	struct run run;

	start(&run, script, 3, 1);
	cr_assert_eq(pcf_aws_call(&run.r, run.c, "DescribeTable", "{}", 2, &run.err), 0, "%s",
	             run.err.message);
	pcf_aws_response_free(&run.r);
	cr_assert_eq(pcf_aws_call(&run.r, run.c, "UpdateTable", "{}", 2, &run.err), PCF_EVALIDATION,
	             "%s", run.err.message);
	cr_assert_eq(pcf_fake_server_request_count(run.fake), 3, "curl resent the request");
	cr_assert_eq(run.err.maybe_applied, 1);
	finish(&run);
}
