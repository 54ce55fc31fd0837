/*
 * The run's deadline, the wording of transport failures and connection
 * reuse, against a FAKE loopback server (tests/support/fake_http.c) that
 * can hang or count connections, which no real server does on demand.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <valgrind/valgrind.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/aws.h>

#include "fake_answers.h"
#include "fake_http.h"
#include "src/common/util.h"

static void setup(void)
{
	pcf_fake_environment();
}

TestSuite(transport_deadline, .init = setup);

static const pcf_fake_response ok = {PCF_FAKE_RESPOND, 200, "{}", NULL, NULL};
static const pcf_fake_response hung = {PCF_FAKE_HANG, 0, NULL, NULL, NULL};
static const pcf_fake_response e503 = {PCF_FAKE_RESPOND, 503, "", "text/plain", NULL};

static pcf_aws_client *client_at(const char *url, int max_attempts, uint64_t deadline_us,
                                 int max_connections)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;

	o.endpoint = url;
	o.max_attempts = max_attempts;
	o.deadline_us = deadline_us;
	o.max_connections = max_connections;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	return c;
}

Test(transport_deadline, a_hung_request_ends_at_the_deadline)
{
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_response r;
	uint64_t start = pcf_util_now_us();

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &hung), 0);
	/* The default 30 s request timeout and 10 attempts; the deadline is 600 ms away. */
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 0, start + 600000, 0);
	cr_assert_eq(pcf_aws_call(&r, c, "DescribeTable", "{}", 2, &err), PCF_ETIMEDOUT, "%s",
	             err.message);
	cr_assert_lt(pcf_util_now_us() - start, 1000u * (uint64_t)pcf_test_scaled_ms(2000),
	             "took %llu us", (unsigned long long)(pcf_util_now_us() - start));
	cr_assert(strstr(err.message, "DescribeTable") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "deadline") != NULL, "%s", err.message);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_deadline, backoff_counts_against_the_deadline)
{
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_aws_response r;
	uint64_t start = pcf_util_now_us();

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &e503), 0);
	o.endpoint = pcf_fake_server_url(fake);
	o.max_attempts = 50;
	o.retry_base_delay_ms = 400;
	o.retry_max_delay_ms = 400;
	o.deadline_us = start + 500000;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), PCF_ETIMEDOUT, "%s",
	             err.message);
	cr_assert_lt(pcf_util_now_us() - start, 1000u * (uint64_t)pcf_test_scaled_ms(1500));
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_deadline, call_many_ends_at_the_deadline)
{
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_call_spec calls[3];
	uint64_t start = pcf_util_now_us();

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &hung), 0);
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 0, start + 600000, 0);
	pcf_fake_call_specs(calls, 3, "GetItem");
	cr_assert_eq(pcf_aws_call_many(c, calls, 3, 2, &err), 0, "%s", err.message);
	cr_assert_lt(pcf_util_now_us() - start, 1000u * (uint64_t)pcf_test_scaled_ms(2000));
	for (int i = 0; i < 3; i++)
		cr_assert_eq(calls[i].rc, PCF_ETIMEDOUT, "call %d: %s", i, calls[i].error.message);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_deadline, timeouts_come_from_the_environment)
{
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_response r;
	uint64_t start = pcf_util_now_us();

	setenv("PCF_REQUEST_TIMEOUT", "0.2", 1);
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &hung), 0);
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 1, 0, 0);
	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), PCF_EHTTP_TIMEOUT, "%s",
	             err.message);
	cr_assert_lt(pcf_util_now_us() - start, 1000u * (uint64_t)pcf_test_scaled_ms(1500));
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);

	setenv("PCF_CONNECT_TIMEOUT", "soon", 1);
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	o.endpoint = "http://127.0.0.1:1";
	c = NULL;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), PCF_ECONFIG);
	cr_assert(strstr(err.message, "PCF_CONNECT_TIMEOUT") != NULL, "%s", err.message);
}

Test(transport_deadline, one_attempt_names_the_action_endpoint_and_time)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_response r;
	pcf_aws_client *c = client_at("http://127.0.0.1:1", 1, 0, 0);

	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), PCF_ECONNECT, "%s",
	             err.message);
	cr_assert_eq(strncmp(err.message, "ListTables: ", 12), 0, "%s", err.message);
	cr_assert(strstr(err.message, "127.0.0.1:1") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "1 attempt over") != NULL, "%s", err.message);
	pcf_aws_client_free(c);
}

Test(transport_deadline, unreachable_endpoint_reports_real_time_spent)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_aws_response r;

	o.endpoint = "http://127.0.0.1:1";
	o.max_attempts = 3;
	o.retry_base_delay_ms = 150;
	o.retry_max_delay_ms = 150;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), PCF_ECONNECT);
	cr_assert(strstr(err.message, "after 0 ms") == NULL, "%s", err.message);
	cr_assert(strstr(err.message, "3 attempts over") != NULL, "%s", err.message);
	pcf_aws_client_free(c);
}

Test(transport_deadline, sequential_requests_reuse_one_connection)
{
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_response r;

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &ok), 0);
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 1, 0, 8);
	for (int i = 0; i < 20; i++) {
		cr_assert_eq(pcf_aws_call(&r, c, "GetItem", "{}", 2, &err), 0, "%s", err.message);
		pcf_aws_response_free(&r);
	}
	cr_assert_eq(pcf_fake_server_connection_count(fake), 1);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

#define WORKERS 8

static void *worker(void *arg)
{
	pcf_aws_client *c = arg;

	for (int i = 0; i < 15; i++) {
		pcf_error err = PCF_ERROR_INIT;
		pcf_aws_response r;
		if (pcf_aws_call(&r, c, "GetItem", "{}", 2, &err) != 0)
			return (void *)1;
		pcf_aws_response_free(&r);
	}
	return NULL;
}

Test(transport_deadline, concurrent_requests_keep_their_connections)
{
	pcf_fake_server *fake;
	pthread_t threads[WORKERS];

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &ok), 0);
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 1, 0, WORKERS);
	for (int i = 0; i < WORKERS; i++)
		cr_assert_eq(pthread_create(&threads[i], NULL, worker, c), 0);
	for (int i = 0; i < WORKERS; i++) {
		void *failed = NULL;
		pthread_join(threads[i], &failed);
		cr_assert_null(failed);
	}
	/* One connection per handle at most, however the requests interleave. */
	cr_assert_leq(pcf_fake_server_connection_count(fake), WORKERS);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_deadline, call_many_keeps_a_connection_per_slot)
{
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_call_spec calls[40];

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &ok), 0);
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 1, 0, 16);
	pcf_fake_call_specs(calls, 40, "GetItem");
	cr_assert_eq(pcf_aws_call_many(c, calls, 40, 8, &err), 0, "%s", err.message);
	for (int i = 0; i < 40; i++) {
		cr_assert_eq(calls[i].rc, 0, "%s", calls[i].error.message);
		pcf_aws_response_free(&calls[i].response);
	}
	cr_assert_leq(pcf_fake_server_connection_count(fake), 8);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}

Test(transport_deadline, running_out_of_descriptors_says_so)
{
	static const pcf_fake_response closing = {PCF_FAKE_RESPOND, 200, "{}", NULL,
	                                          "Connection: close\r\n"};
	pcf_fake_server *fake;
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_response r;
	struct rlimit limit;
	int fds[4096], count = 0, rc;

	/* valgrind keeps descriptors of its own above the limit and answers
	 * setrlimit itself, so the exhaustion cannot be staged under it. */
	if (RUNNING_ON_VALGRIND)
		cr_skip_test("descriptor exhaustion cannot be staged under valgrind");

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &closing), 0);
	pcf_aws_client *c = client_at(pcf_fake_server_url(fake), 1, 0, 1);
	/* One request first, so that curl's own machinery exists; its connection closes. */
	cr_assert_eq(pcf_aws_call(&r, c, "GetItem", "{}", 2, &err), 0, "%s", err.message);
	pcf_aws_response_free(&r);
	/* The server's side of it closes on the server's thread: a descriptor
	 * it freed after the exhaustion below would let the client connect to
	 * a server that can no longer accept (a 30 s timeout on a loaded
	 * machine instead of the error under test). */
	for (long until = pcf_util_now_ms() + pcf_test_scaled_ms(10000);
	     pcf_fake_server_closed_count(fake) < 1 && pcf_util_now_ms() < until;)
		pcf_util_sleep_ms(5);
	cr_assert_eq(pcf_fake_server_closed_count(fake), 1);
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &limit), 0);
	limit.rlim_cur = 256;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &limit), 0);
	while (count < 4096 && (fds[count] = dup(0)) >= 0)
		count++;
	rc = pcf_aws_call(&r, c, "GetItem", "{}", 2, &err);
	while (count > 0)
		close(fds[--count]);
	cr_assert_eq(rc, PCF_EIO, "%s: %s", pcf_error_code_name(rc), err.message);
	cr_assert(strstr(err.message, "file descriptors") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "GetItem") != NULL, "%s", err.message);
	pcf_aws_client_free(c);
	pcf_fake_server_stop(fake);
}
