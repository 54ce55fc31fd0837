/*
 * A particle waiting for a lock holds no call thread: with two call
 * threads (DYNAMODB_MAX_CLIENTS=2) and the locks of two tables held by
 * another run, an apply with --lock-timeout creates a third, free table
 * at once, while the two locked ones wait out the lock timeout and fail
 * "locked by ..." (exit 4). A lock wait that slept in a call thread kept
 * both threads, so the free table was not touched until the waits ended.
 */
#include "cli_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcf/pcf.h>

#include "fake_answers.h"
#include "it_ddb.h"
#include "servers.h"
#include "src/common/util.h"

/* The other run's lease: far longer than the wait, so nobody takes its locks over. */
#define HOLDER_LEASE_MS 600000
#define LOCKED          2

TestSuite(cli_lock_wait);

/* Creates the lock table, as a run would on first use. */
static void lock_table_up(pcf_ddb *db, const char *table)
{
	pcf_lock_options lo = PCF_LOCK_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *c;

	lo.table = table;
	cr_assert_eq(pcf_lock_client_new(&c, db, &lo, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_ensure_table(c, 30000, &err), 0, "%s", err.message);
	pcf_lock_client_free(c);
}

/* Writes table's lock record as a live run elsewhere holds it. */
static void hold_elsewhere(pcf_ddb *db, const char *locks, const char *table)
{
	pcf_error err = PCF_ERROR_INIT;
	char json[1024];
	cJSON *item;

	snprintf(json, sizeof(json),
	         "{\"lock_key\":\"us-east-1/%s\",\"record_version\":\"v-elsewhere\","
	         "\"run_id\":\"other-run\",\"owner_host\":\"elsewhere\",\"owner_pid\":7,"
	         "\"lease_ms\":%d,\"command\":\"apply\",\"taken_at\":\"-\",\"released\":false,"
	         "\"expires_at\":1}",
	         table, HOLDER_LEASE_MS);
	item = cJSON_Parse(json);
	cr_assert_not_null(item);
	cr_assert_eq(pcf_ddb_put_item_json(db, locks, item, NULL, &err), 0, "%s", err.message);
	cJSON_Delete(item);
}

static int table_exists(pcf_ddb *db, const char *table)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *out = NULL;
	int rc = pcf_ddb_describe_table(&out, db, table, &err);

	cJSON_Delete(out);
	cr_assert(rc == 0 || rc == PCF_ERESOURCE_NOT_FOUND || rc == PCF_ETABLE_NOT_FOUND,
	          "DescribeTable %s: %s", table, err.message);
	return rc == 0;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

Test(cli_lock_wait, a_free_table_is_created_while_locked_ones_wait)
{
	const char *endpoint = pcf_test_endpoint(PCF_LOCAL_DYNOXIDE);
	/* Whole seconds for --lock-timeout; longer under valgrind, as every bound. */
	long wait_s = pcf_test_scaled_ms(6000) / 1000, created_ms = -1;
	char dir[256], def[600], locks[96], names[LOCKED + 1][96], yaml[2048], timeout[32];
	char *argv[] = {
	    (char *)PCF_CLI_PATH, "--endpoint", (char *)endpoint, "-v",    "-f", def, "apply",
	    "--lock-table",       locks,        "--lock-timeout", timeout, NULL};
	size_t used = 0;
	pcf_ddb *db = it_ddb_for(endpoint);
	cli_process p;
	cli_result r;
	int64_t t0;

	cli_tempdir(dir, sizeof(dir));
	pcf_test_table_name(locks, sizeof(locks), "locks");
	lock_table_up(db, locks);
	/* The locked tables first: the scheduler hands out its two threads in this order. */
	for (int i = 0; i <= LOCKED; i++) {
		pcf_test_table_name(names[i], sizeof(names[i]), i < LOCKED ? "held" : "free");
		if (i < LOCKED)
			hold_elsewhere(db, locks, names[i]);
		used +=
		    (size_t)snprintf(yaml + used, sizeof(yaml) - used,
		                     "- pcf_name: t%d\n  flavor: dynamodb_table\n  aws_resource:\n"
		                     "    TableName: %s\n    BillingMode: PAY_PER_REQUEST\n"
		                     "    AttributeDefinitions: [{AttributeName: id, "
		                     "AttributeType: S}]\n"
		                     "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
		                     i, names[i]);
	}
	cli_write(def, sizeof(def), dir, "tables.yml", yaml);
	snprintf(timeout, sizeof(timeout), "%ld", wait_s);

	setenv("DYNAMODB_MAX_CLIENTS", "2", 1);
	t0 = pcf_util_now_ms();
	cli_start(&p, argv);
	unsetenv("DYNAMODB_MAX_CLIENTS");
	while (created_ms < 0 && pcf_util_now_ms() - t0 < 3 * wait_s * 1000) {
		if (table_exists(db, names[LOCKED]))
			created_ms = (long)(pcf_util_now_ms() - t0);
		else
			sleep_ms(50);
	}
	cli_finish(&r, &p);

	cr_assert_eq(r.status, 4, "exit %d, expected 4 (locked)\nstdout:\n%s\nstderr:\n%s",
	             r.status, r.out, r.err);
	cr_assert_geq(created_ms, 0, "the free table was never created\n%s%s", r.out, r.err);
	/* Not held back by the waits: well within the lock timeout. */
	cr_assert_lt(created_ms, wait_s * 1000 / 2,
	             "the free table was created after %ld ms, the lock timeout being %ld s: "
	             "the locked tables' waits held every call thread\n%s%s",
	             created_ms, wait_s, r.out, r.err);
	cr_assert_not_null(strstr(r.out, "locked by elsewhere pid 7 (run other-run"), "%s", r.out);
	cr_assert_not_null(strstr(r.err, "held by elsewhere pid 7"), "waiting is shown: %s", r.err);
	for (int i = 0; i < LOCKED; i++)
		cr_assert_not(table_exists(db, names[i]), "%s was created under another's lock",
		              names[i]);
	cli_result_free(&r);
	cli_rmdir(dir);
	pcf_ddb_free(db);
}
