/*
 * The per-particle lease lock through the pcf binary, against a dynalite of
 * the suite's own that holds tables CREATING and UPDATING for seconds, so
 * that one run is still busy with a table when the next one starts.
 *
 * Covered: two applies of conflicting definitions serialise (the second
 * fails "locked by ..." with exit 4, or waits with --lock-timeout and then
 * converges); a holder killed with SIGKILL blocks for one lease and is
 * then taken over; `unlock` without and with --yes; a lock whose record
 * another writer changes stops its holder before the next change; a lock
 * table that stops answering mid-run (a fault proxy resetting every
 * PutItem) does the same, with a message saying why.
 */
#include "cli_run.h"
#include "it_cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcf/pcf.h>

#include "fault_proxy.h"
#include "it_holding.h"
#include "servers.h"

#define CREATE_MS 3000
#define UPDATE_MS 8000
#define LEASE     "2"

static void up(void)
{
	it_holding_up(CREATE_MS, UPDATE_MS);
}

TestSuite(cli_lock, .init = up, .fini = it_holding_down, .timeout = 180);

/* One test's names and files: a table, a lock table, two definitions. */
typedef struct lock_case {
	char dir[256];
	char table[96];
	char locks[96];
	char a[600]; /* on-demand */
	char b[600]; /* provisioned 3/3: conflicts with a */
	char c[600]; /* provisioned 5/5 */
} lock_case;

static void write_def(char *path, size_t size, const lock_case *lc, const char *name,
                      const char *billing)
{
	char yaml[1024];

	snprintf(yaml, sizeof(yaml),
	         "pcf_name: orders\nflavor: dynamodb_table\naws_resource:\n  TableName: "
	         "%s\n" CLI_TABLE_KEY "%s",
	         lc->table, billing);
	cli_write(path, size, lc->dir, name, yaml);
}

static void case_init(lock_case *lc)
{
	cli_tempdir(lc->dir, sizeof(lc->dir));
	pcf_test_table_name(lc->table, sizeof(lc->table), "locked");
	pcf_test_table_name(lc->locks, sizeof(lc->locks), "locks");
	write_def(lc->a, sizeof(lc->a), lc, "a.yml", "  BillingMode: PAY_PER_REQUEST\n");
	write_def(lc->b, sizeof(lc->b), lc, "b.yml",
	          "  ProvisionedThroughput: {ReadCapacityUnits: 3, WriteCapacityUnits: 3}\n");
	write_def(lc->c, sizeof(lc->c), lc, "c.yml",
	          "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n");
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

/* Starts `pcf --endpoint E -f def VERB --lock-table T --lock-lease 2 [extra...]`. */
static void start_locked(cli_process *p, const char *endpoint, const lock_case *lc, const char *def,
                         const char *verb, const char *extra1, const char *extra2)
{
	char *argv[] = {(char *)PCF_CLI_PATH,
	                "--endpoint",
	                (char *)endpoint,
	                "-f",
	                (char *)def,
	                (char *)verb,
	                "--lock-table",
	                (char *)lc->locks,
	                "--lock-lease",
	                LEASE,
	                (char *)extra1,
	                (char *)extra2,
	                NULL};

	cli_start(p, argv);
}

static void run_locked(cli_result *r, const char *endpoint, const lock_case *lc, const char *def,
                       const char *verb, const char *extra1, const char *extra2)
{
	cli_process p;

	start_locked(&p, endpoint, lc, def, verb, extra1, extra2);
	cli_finish(r, &p);
}

/* Waits until `pcf locks` lists a lock in lc's table; its key into key. */
static void wait_for_lock(const lock_case *lc, char *key, size_t size)
{
	double deadline = now_s() + 30;

	while (now_s() < deadline) {
		const char *args[] = {"--endpoint",   it_holding_endpoint(),
		                      "--lock-table", lc->locks,
		                      "-o",           "json",
		                      "locks",        NULL};
		cli_result r;
		cJSON *doc, *first;

		cli_run(&r, args);
		doc = r.status == 0 ? cli_json(&r) : NULL;
		first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "locks"), 0);
		if (first) {
			snprintf(
			    key, size, "%s",
			    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(first, "key")));
			cJSON_Delete(doc);
			cli_result_free(&r);
			return;
		}
		cJSON_Delete(doc);
		cli_result_free(&r);
		sleep_ms(100);
	}
	cr_assert_fail("no lock showed up in table %s within 30 s", lc->locks);
}

#define EXPECT_STATUS(r, want)                                                                     \
	cr_assert_eq((r)->status, (want), "exit %d, expected %d\nstdout:\n%s\nstderr:\n%s",        \
	             (r)->status, (want), (r)->out, (r)->err)

Test(cli_lock, second_apply_fails_locked_with_exit_4_while_the_first_converges)
{
	lock_case lc;
	cli_process a;
	cli_result ra, rb;
	char key[256], holder[64];

	case_init(&lc);
	start_locked(&a, it_holding_endpoint(), &lc, lc.a, "apply", NULL, NULL);
	wait_for_lock(&lc, key, sizeof(key));
	run_locked(&rb, it_holding_endpoint(), &lc, lc.b, "apply", NULL, NULL);
	cli_finish(&ra, &a);

	EXPECT_STATUS(&ra, 0);
	EXPECT_STATUS(&rb, 4);
	snprintf(holder, sizeof(holder), "pid %d (run ", (int)a.pid);
	cr_assert_not_null(strstr(rb.out, "locked by "), "%s", rb.out);
	cr_assert_not_null(strstr(rb.out, holder), "%s", rb.out);
	cr_assert_not_null(strstr(rb.out, ", apply, since "), "%s", rb.out);
	cr_assert_null(strstr(rb.out, "UpdateTable"), "the locked run changed nothing: %s", rb.out);
	cr_assert_not_null(strstr(rb.err, "locked by another run"), "%s", rb.err);
	cli_result_free(&ra);
	cli_result_free(&rb);
	cli_rmdir(lc.dir);
}

Test(cli_lock, second_apply_with_lock_timeout_waits_then_converges)
{
	const char *status[] = {"--endpoint", it_holding_endpoint(), "-f", NULL, "status", NULL};
	lock_case lc;
	cli_process a;
	cli_result ra, rb, rs;
	char key[256];

	case_init(&lc);
	start_locked(&a, it_holding_endpoint(), &lc, lc.a, "apply", NULL, NULL);
	wait_for_lock(&lc, key, sizeof(key));
	run_locked(&rb, it_holding_endpoint(), &lc, lc.b, "apply", "--lock-timeout", "60");
	cli_finish(&ra, &a);

	EXPECT_STATUS(&ra, 0);
	EXPECT_STATUS(&rb, 0);
	cr_assert_not_null(strstr(ra.out, "CreateTable"), "%s", ra.out);
	/* b read the table only once a had created it: it updates, never creates. */
	cr_assert_not_null(strstr(rb.out, "UpdateTable"), "%s", rb.out);
	cr_assert_null(strstr(rb.out, "CreateTable"), "%s", rb.out);
	status[3] = lc.b;
	cli_expect(&rs, 0, status);
	cli_result_free(&ra);
	cli_result_free(&rb);
	cli_result_free(&rs);
	cli_rmdir(lc.dir);
}

Test(cli_lock, killed_holder_blocks_one_lease_then_a_waiting_run_takes_over)
{
	lock_case lc;
	cli_process a;
	cli_result ra, rb, rc;
	char key[256];
	double t0, took;

	case_init(&lc);
	start_locked(&a, it_holding_endpoint(), &lc, lc.a, "apply", NULL, NULL);
	wait_for_lock(&lc, key, sizeof(key));
	cr_assert_eq(kill(a.pid, SIGKILL), 0);
	cli_finish(&ra, &a);
	cr_assert_eq(ra.status, 128 + SIGKILL);

	/* The dead holder's lock still stands for a run that does not wait... */
	run_locked(&rb, it_holding_endpoint(), &lc, lc.b, "apply", NULL, NULL);
	EXPECT_STATUS(&rb, 4);
	cr_assert_not_null(strstr(rb.out, "locked by "), "%s", rb.out);

	/* ...and a run that waits takes it over after one lease of 2 s unchanged. */
	t0 = now_s();
	run_locked(&rc, it_holding_endpoint(), &lc, lc.b, "apply", "--lock-timeout", "30");
	took = now_s() - t0;
	EXPECT_STATUS(&rc, 0);
	cr_assert_not_null(strstr(rc.err, "took over lock"), "%s", rc.err);
	/* One lease, plus what is left of CREATING, plus its own UPDATING. */
	cr_assert_lt(took, 2.0 + CREATE_MS / 1000.0 + UPDATE_MS / 1000.0 + 3.0, "took %.1f s",
	             took);
	cli_result_free(&ra);
	cli_result_free(&rb);
	cli_result_free(&rc);
	cli_rmdir(lc.dir);
}

Test(cli_lock, unlock_needs_yes_then_releases_a_dead_holders_lock)
{
	const char *list[] = {"--endpoint", it_holding_endpoint(), "--lock-table", NULL, "locks",
	                      NULL};
	const char *unlock[] = {"--endpoint",   it_holding_endpoint(),
	                        "--lock-table", NULL,
	                        "-f",           NULL,
	                        "unlock",       "orders",
	                        NULL,           NULL};
	lock_case lc;
	cli_process a;
	cli_result r;
	char key[256];

	case_init(&lc);
	list[3] = unlock[3] = lc.locks;
	unlock[5] = lc.a;
	start_locked(&a, it_holding_endpoint(), &lc, lc.a, "apply", NULL, NULL);
	wait_for_lock(&lc, key, sizeof(key));
	kill(a.pid, SIGKILL);
	cli_finish(&r, &a);
	cli_result_free(&r);

	cli_expect(&r, 0, list);
	cr_assert_not_null(strstr(r.out, key), "%s", r.out);
	cli_result_free(&r);

	it_expect_err(1, unlock, "--yes");
	cli_expect(&r, 0, list);
	cr_assert_not_null(strstr(r.out, key), "still held without --yes: %s", r.out);
	cli_result_free(&r);

	unlock[8] = "--yes";
	it_expect_out(0, unlock, "released ");
	it_expect_out(0, list, "no locks held");

	/* Nothing left to block a run that does not wait. */
	run_locked(&r, it_holding_endpoint(), &lc, lc.b, "apply", NULL, NULL);
	EXPECT_STATUS(&r, 0);
	cli_result_free(&r);
	cli_rmdir(lc.dir);
}

/*
 * Makes the table UPDATING for UPDATE_MS with an apply that takes no lock
 * (a tool outside the lock), then starts a locked apply of c, which takes
 * the lock and waits for the update to end before its own UpdateTable.
 */
static void locked_apply_waiting_on_update(lock_case *lc, cli_process *locked, cli_process *outside,
                                           const char *endpoint, char *key, size_t size)
{
	const char *create[] = {"--endpoint", it_holding_endpoint(), "-f", NULL, "apply", NULL};
	char *argv[] = {(char *)PCF_CLI_PATH,
	                "--endpoint",
	                (char *)it_holding_endpoint(),
	                "-f",
	                NULL,
	                "apply",
	                NULL};
	cli_result r;

	case_init(lc);
	create[3] = lc->a;
	cli_expect(&r, 0, create);
	cli_result_free(&r);
	argv[4] = lc->b;
	cli_start(outside, argv);
	sleep_ms(1000); /* its UpdateTable went out: UPDATING for 8 s */
	start_locked(locked, endpoint, lc, lc->c, "apply", NULL, NULL);
	wait_for_lock(lc, key, size);
}

static void finish_outside(cli_process *outside)
{
	cli_result r;

	cli_finish(&r, outside);
	EXPECT_STATUS(&r, 0);
	cli_result_free(&r);
}

/* The run that lost its lock changed nothing after that; frees r and the case's files. */
static void assert_no_change_after_loss(cli_result *r, const lock_case *lc)
{
	cr_assert_null(strstr(r->out, "done: UpdateTable"), "changed after losing the lock: %s",
	               r->out);
	cli_result_free(r);
	cli_rmdir(lc->dir);
}

Test(cli_lock, lock_record_changed_by_another_writer_stops_before_the_next_change)
{
	pcf_aws_options options = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	lock_case lc;
	cli_process a, outside;
	cli_result r;
	pcf_ddb *db;
	cJSON *item;
	char key[256], json[1024];

	locked_apply_waiting_on_update(&lc, &a, &outside, it_holding_endpoint(), key, sizeof(key));
	/* Another writer (not a pcf run) overwrites the record while the holder waits. */
	options.endpoint = it_holding_endpoint();
	cr_assert_eq(pcf_ddb_new(&db, &options, &err), 0, "%s", err.message);
	snprintf(json, sizeof(json),
	         "{\"lock_key\":\"%s\",\"record_version\":\"intruder\",\"run_id\":\"other\","
	         "\"owner_host\":\"elsewhere\",\"owner_pid\":1,\"lease_ms\":2000,"
	         "\"command\":\"test\",\"taken_at\":\"-\",\"released\":false,\"expires_at\":1}",
	         key);
	item = cJSON_Parse(json);
	cr_assert_eq(pcf_ddb_put_item_json(db, lc.locks, item, NULL, &err), 0, "%s", err.message);
	cJSON_Delete(item);
	pcf_ddb_free(db);

	finish_outside(&outside);
	cli_finish(&r, &a);
	EXPECT_STATUS(&r, 4);
	cr_assert_not_null(strstr(r.out, "lost: its record was changed by another writer"), "%s",
	                   r.out);
	cr_assert_not_null(strstr(r.out, "stopped before changing it further"), "%s", r.out);
	assert_no_change_after_loss(&r, &lc);
}

Test(cli_lock, lock_table_unreachable_mid_run_stops_before_the_next_change)
{
	pcf_fault_proxy *proxy;
	lock_case lc;
	cli_process a, outside;
	cli_result r;
	char key[256];

	cr_assert_eq(pcf_fault_proxy_start(&proxy, it_holding_endpoint(), 1, 0, 0), 0);
	/* Few resends, so that the renewal thread's failures come quickly. */
	setenv("AWS_MAX_ATTEMPTS", "2", 1);
	locked_apply_waiting_on_update(&lc, &a, &outside, pcf_fault_proxy_url(proxy), key,
	                               sizeof(key));
	/* Every lock write (take, renewal, release) from now on meets a reset connection. */
	pcf_fault_proxy_always(proxy, "PutItem", PCF_FAULT_RESET);
	finish_outside(&outside);
	cli_finish(&r, &a);
	unsetenv("AWS_MAX_ATTEMPTS");
	pcf_fault_proxy_stop(proxy);

	EXPECT_STATUS(&r, 4);
	cr_assert_not_null(strstr(r.out, "lost: not renewed for "), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "PutItem"), "the renewal's error is named: %s", r.out);
	assert_no_change_after_loss(&r, &lc);
}

Test(cli_lock, lock_is_released_after_a_run_that_timed_out)
{
	const char *list[] = {"--endpoint", it_holding_endpoint(), "--lock-table", NULL, "locks",
	                      NULL};
	lock_case lc;
	cli_result r;

	case_init(&lc);
	list[3] = lc.locks;
	run_locked(&r, it_holding_endpoint(), &lc, lc.a, "apply", NULL, NULL);
	EXPECT_STATUS(&r, 0);
	cli_result_free(&r);
	/* UPDATING lasts 8 s: the run's 2 s deadline passes while it waits. */
	run_locked(&r, it_holding_endpoint(), &lc, lc.c, "apply", "--timeout", "2");
	EXPECT_STATUS(&r, 3);
	cr_assert_null(strstr(r.err, "releasing lock"), "%s", r.err);
	cli_result_free(&r);
	cli_expect(&r, 0, list);
	cr_assert_not_null(strstr(r.out, "no locks held"), "released despite the deadline: %s",
	                   r.out);
	cli_result_free(&r);
	cli_rmdir(lc.dir);
}

Test(cli_lock, plan_and_status_never_lock)
{
	const char *plan[] = {
	    "--endpoint", it_holding_endpoint(), "--lock-table", NULL, "-f", NULL, "plan", NULL};
	const char *status[] = {
	    "--endpoint", it_holding_endpoint(), "--lock-table", NULL, "-f", NULL, "status", NULL};
	lock_case lc;
	cli_process a;
	cli_result ra, r;
	char key[256];

	case_init(&lc);
	plan[3] = status[3] = lc.locks;
	plan[5] = status[5] = lc.b;
	start_locked(&a, it_holding_endpoint(), &lc, lc.a, "apply", NULL, NULL);
	wait_for_lock(&lc, key, sizeof(key));
	/* While a holds the particle's lock, both read it without waiting or failing. */
	cli_run(&r, plan);
	cr_assert_neq(r.status, 4, "%s%s", r.out, r.err);
	cr_assert_null(strstr(r.out, "locked by"), "%s", r.out);
	cr_assert_null(strstr(r.err, "locked by"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, status);
	cr_assert_eq(r.status, 2, "drift or pending, not locked: %d\n%s%s", r.status, r.out, r.err);
	cr_assert_null(strstr(r.out, "locked by"), "%s", r.out);
	cli_result_free(&r);
	cli_finish(&ra, &a);
	EXPECT_STATUS(&ra, 0);
	cli_result_free(&ra);
	cli_rmdir(lc.dir);
}
