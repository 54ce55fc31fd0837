/*
 * The credential cache under concurrency: a slow refresh must not stall
 * callers while the cached credentials are still valid, and callers with
 * nothing valid share the one refresh in flight.
 *
 * The source is a test function that blocks on a pipe (the gate) until the
 * test releases it, so "did not wait for the refresh" is shown by order, not
 * by timing: the other thread has to return before the gate opens.
 */
#include <criterion/criterion.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/aws/credentials_chain.h"

#define WAIT_MS 3000
#define THREADS 8

static atomic_int calls;
static atomic_long expires_in;
static atomic_int fail_from; /* calls from this one on fail; 0: none */
static int gated_call;       /* this call (1: the first) blocks on the gate; 0: none */
static int entered[2];       /* the gated call writes a byte here when it starts */
static int gate[2];          /* the test writes a byte here to let that call finish */

static int slow_source(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                       pcf_error *err)
{
	int n = atomic_fetch_add(&calls, 1) + 1;
	char byte = 'x';

	(void)ctx;
	if (n == gated_call) {
		cr_assert_eq(write(entered[1], &byte, 1), 1);
		cr_assert_eq(read(gate[0], &byte, 1), 1);
	}
	if (atomic_load(&fail_from) && n >= atomic_load(&fail_from))
		return pcf_error_set(err, PCF_ECREDENTIALS, "the slow source is down");
	return pcf_aws_credentials_set(out, n == 1 ? "FIRST" : "LATER", "s", "t",
	                               time(NULL) + atomic_load(&expires_in), "slow test source");
}

/* 1 when fd became readable within timeout_ms (the byte is consumed). */
static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	char byte;

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	return read(fd, &byte, 1) == 1;
}

static void open_gate(void)
{
	char byte = 'x';
	cr_assert_eq(write(gate[1], &byte, 1), 1);
}

static void setup(void)
{
	atomic_store(&calls, 0);
	atomic_store(&fail_from, 0);
	gated_call = 1;
	cr_assert_eq(pipe(entered), 0);
	cr_assert_eq(pipe(gate), 0);
}

static void teardown(void)
{
	close(entered[0]);
	close(entered[1]);
	close(gate[0]);
	close(gate[1]);
}

TestSuite(credentials_cache, .init = setup, .fini = teardown);

struct caller {
	pcf_aws_credentials_cache *cache;
	pcf_aws_credentials creds;
	int rc;
	int done[2]; /* a byte is written when get returned */
};

static void *call_get(void *arg)
{
	struct caller *c = arg;
	pcf_error err = PCF_ERROR_INIT;
	char byte = 'x';

	c->rc = pcf_aws_credentials_cache_get(c->cache, &c->creds, &err);
	cr_assert_eq(write(c->done[1], &byte, 1), 1);
	return NULL;
}

static pcf_aws_credentials_cache *new_cache(void)
{
	static pcf_logger quiet = {NULL, PCF_LOG_ERROR, NULL};
	pcf_aws_credentials_context ctx = {NULL, &quiet, 0, 0};
	pcf_aws_credentials_cache *cache;

	cr_assert_eq(pcf_aws_credentials_cache_new(&cache, &ctx, slow_source, NULL), 0);
	return cache;
}

static void caller_start(struct caller *c, pthread_t *t, pcf_aws_credentials_cache *cache)
{
	memset(c, 0, sizeof(*c));
	c->cache = cache;
	cr_assert_eq(pipe(c->done), 0);
	cr_assert_eq(pthread_create(t, NULL, call_get, c), 0);
}

static void caller_cleanup(struct caller *c)
{
	close(c->done[0]);
	close(c->done[1]);
	pcf_aws_credentials_cleanup(&c->creds);
}

Test(credentials_cache, valid_credentials_are_served_while_a_slow_refresh_runs)
{
	pcf_aws_credentials_cache *cache = new_cache();
	pcf_aws_credentials c = PCF_AWS_CREDENTIALS_INIT;
	struct caller refresher, reader;

	pcf_aws_credentials_cache_set_retry_interval(cache, 0);
	pthread_t rt, ot;
	int reader_returned;

	/* Valid for a minute: inside the refresh window, so the next get refreshes. */
	gated_call = 2;
	atomic_store(&expires_in, 60);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	cr_assert_str_eq(c.access_key_id, "FIRST");

	caller_start(&refresher, &rt, cache);
	cr_assert(wait_readable(entered[0], WAIT_MS), "the refresh did not start");
	caller_start(&reader, &ot, cache);
	/* The gate opens only after this wait, so a reader that queues behind the refresh times
	 * out. */
	reader_returned = wait_readable(reader.done[0], WAIT_MS);
	open_gate();
	pthread_join(ot, NULL);
	pthread_join(rt, NULL);

	cr_assert(reader_returned, "a caller waited for the refresh although the cached "
	                           "credentials were still valid");
	cr_assert_eq(reader.rc, 0);
	cr_assert_str_eq(reader.creds.access_key_id, "FIRST", "the reader got the cached ones");
	cr_assert_eq(refresher.rc, 0);
	cr_assert_str_eq(refresher.creds.access_key_id, "LATER", "the refresher got new ones");
	cr_assert_eq(atomic_load(&calls), 2, "one refresh, not one per caller");
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	cr_assert_str_eq(c.access_key_id, "LATER", "the refreshed credentials are cached");
	caller_cleanup(&reader);
	caller_cleanup(&refresher);
	pcf_aws_credentials_cleanup(&c);
	pcf_aws_credentials_cache_free(cache);
}

/*
 * Starts THREADS callers: the first one's lookup holds at the gate, then
 * the others start and get time to reach the cache before the answer.
 */
static void start_crowd(struct caller *callers, pthread_t *threads,
                        pcf_aws_credentials_cache *cache, const char *what)
{
	caller_start(&callers[0], &threads[0], cache);
	cr_assert(wait_readable(entered[0], WAIT_MS), "the %s did not start", what);
	for (int i = 1; i < THREADS; i++)
		caller_start(&callers[i], &threads[i], cache);
	usleep(300 * 1000);
}

/* Lets the lookup answer; all THREADS callers must have shared that one call. */
static void finish_crowd(pthread_t *threads)
{
	open_gate();
	for (int i = 0; i < THREADS; i++)
		pthread_join(threads[i], NULL);
	cr_assert_eq(atomic_load(&calls), 1, "%d threads caused %d source calls", THREADS,
	             atomic_load(&calls));
}

Test(credentials_cache, callers_without_credentials_share_one_refresh)
{
	pcf_aws_credentials_cache *cache = new_cache();
	struct caller callers[THREADS];
	pthread_t threads[THREADS];

	pcf_aws_credentials_cache_set_retry_interval(cache, 0);
	/*
	 * The answer is itself due for a refresh (a minute left, no retry
	 * interval): a caller that waited for it must take it rather than start
	 * a second refresh of its own.
	 */
	atomic_store(&expires_in, 60);
	start_crowd(callers, threads, cache, "refresh");
	for (int i = 1; i < THREADS; i++)
		cr_assert_not(wait_readable(callers[i].done[0], 0),
		              "a caller without credentials returned before the refresh");
	finish_crowd(threads);
	for (int i = 0; i < THREADS; i++) {
		cr_assert_eq(callers[i].rc, 0);
		cr_assert_str_eq(callers[i].creds.access_key_id, "FIRST");
	}
	for (int i = 0; i < THREADS; i++)
		caller_cleanup(&callers[i]);
	pcf_aws_credentials_cache_free(cache);
}

Test(credentials_cache, callers_without_credentials_share_a_failed_lookup)
{
	pcf_aws_credentials_cache *cache = new_cache();
	struct caller callers[THREADS];
	pthread_t threads[THREADS];

	atomic_store(&fail_from, 1);
	start_crowd(callers, threads, cache, "lookup");
	finish_crowd(threads);
	for (int i = 0; i < THREADS; i++) {
		cr_assert_eq(callers[i].rc, PCF_ECREDENTIALS, "no credentials are no credentials");
		caller_cleanup(&callers[i]);
	}
	pcf_aws_credentials_cache_free(cache);
}

Test(credentials_cache, a_failed_refresh_keeps_valid_credentials_and_waits_to_retry)
{
	pcf_aws_credentials_cache *cache = new_cache();
	pcf_aws_credentials c = PCF_AWS_CREDENTIALS_INIT;

	gated_call = 0;
	atomic_store(&expires_in, 60);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	atomic_store(&fail_from, 2);
	pcf_aws_credentials_cache_set_retry_interval(cache, 0);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	cr_assert_str_eq(c.access_key_id, "FIRST", "still valid: kept after the failure");
	cr_assert_eq(atomic_load(&calls), 2);
	pcf_aws_credentials_cache_set_retry_interval(cache, PCF_AWS_CREDENTIALS_RETRY_S);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	cr_assert_eq(atomic_load(&calls), 2,
	             "a failed refresh is retried later, not on every call");
	pcf_aws_credentials_cleanup(&c);
	pcf_aws_credentials_cache_free(cache);
}

Test(credentials_cache, fixed_credentials_survive_invalidate)
{
	pcf_aws_credentials_cache *cache;
	pcf_aws_credentials given = PCF_AWS_CREDENTIALS_INIT, c = PCF_AWS_CREDENTIALS_INIT;

	cr_assert_eq(pcf_aws_credentials_set(&given, "AKIAGIVEN", "s", NULL, 0, "options"), 0);
	cr_assert_eq(pcf_aws_credentials_cache_new_fixed(&cache, &given, NULL), 0);
	pcf_aws_credentials_cleanup(&given);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	cr_assert_str_eq(c.access_key_id, "AKIAGIVEN");
	/* The chain is never consulted, even after the service rejected them. */
	pcf_aws_credentials_cache_invalidate(cache);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &c, NULL), 0);
	cr_assert_str_eq(c.access_key_id, "AKIAGIVEN");
	cr_assert_null(c.session_token);
	pcf_aws_credentials_cleanup(&c);
	pcf_aws_credentials_cache_free(cache);
}
