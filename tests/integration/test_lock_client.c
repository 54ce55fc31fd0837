/*
 * The lock library against dynoxide and dynalite: clients racing for an
 * absent lock (exactly one wins), takeover only after a lease unchanged,
 * renewals that keep a lock alive past its lease, a lock whose record
 * another writer changed reported lost, a release that leaves a lock taken
 * over to its new holder, and listing and forced release.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <pcf/pcf.h>

#include "it_servers.h"
#include "servers.h"

#define LEASE_MS 1200

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&t, NULL);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct fixture {
	pcf_ddb *db;
	char table[96];
} fixture;

static void fixture_up(fixture *f, pcf_local_server_kind kind)
{
	pcf_aws_options options = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_options lo = PCF_LOCK_OPTIONS_INIT;
	pcf_lock_client *c;

	options.endpoint = pcf_test_endpoint(kind);
	cr_assert_eq(pcf_ddb_new(&f->db, &options, &err), 0, "%s", err.message);
	pcf_test_table_name(f->table, sizeof(f->table), "locks");
	lo.table = f->table;
	cr_assert_eq(pcf_lock_client_new(&c, f->db, &lo, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_ensure_table(c, 30000, &err), 0, "%s", err.message);
	/* Twice: an existing lock table is accepted as it is. */
	cr_assert_eq(pcf_lock_ensure_table(c, 30000, &err), 0, "%s", err.message);
	pcf_lock_client_free(c);
}

static pcf_lock_client *client(const fixture *f, long wait_ms)
{
	pcf_lock_options lo = PCF_LOCK_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *c;

	lo.table = f->table;
	lo.lease_ms = LEASE_MS;
	lo.wait_ms = wait_ms;
	lo.command = "test";
	lo.logger.level = PCF_LOG_ERROR; /* takeovers and losses are what these tests make */
	cr_assert_eq(pcf_lock_client_new(&c, f->db, &lo, &err), 0, "%s", err.message);
	return c;
}

/* Writes key's record as another writer would, with a version of its own. */
static void overwrite(const fixture *f, const char *key, const char *version)
{
	pcf_error err = PCF_ERROR_INIT;
	char json[512];
	cJSON *item;

	snprintf(json, sizeof(json),
	         "{\"lock_key\":\"%s\",\"record_version\":\"%s\",\"run_id\":\"intruder\","
	         "\"owner_host\":\"elsewhere\",\"owner_pid\":7,\"lease_ms\":%d,\"command\":\"x\","
	         "\"taken_at\":\"-\",\"released\":false,\"expires_at\":1}",
	         key, version, LEASE_MS);
	item = cJSON_Parse(json);
	cr_assert_eq(pcf_ddb_put_item_json(f->db, f->table, item, NULL, &err), 0, "%s",
	             err.message);
	cJSON_Delete(item);
}

ParameterizedTestParameters(lock_client, one_of_many_racing_clients_wins)
{
	return PCF_TEST_TABLE_SERVERS();
}

#define RACERS 6

struct racer {
	pcf_lock_client *c;
	int rc;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	pcf_error err = PCF_ERROR_INIT;

	r->rc = pcf_lock_acquire(r->c, "us-east-1/raced", &err);
	return NULL;
}

ParameterizedTest(pcf_local_server_kind *kind, lock_client, one_of_many_racing_clients_wins)
{
	struct racer racers[RACERS];
	pthread_t threads[RACERS];
	fixture f;
	int won = 0, locked = 0;

	fixture_up(&f, *kind);
	for (int i = 0; i < RACERS; i++) {
		racers[i].c = client(&f, 0);
		pthread_create(&threads[i], NULL, race, &racers[i]);
	}
	for (int i = 0; i < RACERS; i++) {
		pthread_join(threads[i], NULL);
		won += racers[i].rc == 0;
		locked += racers[i].rc == PCF_ELOCKED;
	}
	cr_assert_eq(won, 1, "%d won", won);
	cr_assert_eq(locked, RACERS - 1);
	for (int i = 0; i < RACERS; i++)
		pcf_lock_client_free(racers[i].c);
	pcf_ddb_free(f.db);
}

IT_TABLE_SERVERS_TEST(lock_client, renewed_lock_outlives_its_lease_and_is_never_taken)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *a, *b;
	fixture f;
	double t0;

	fixture_up(&f, *kind);
	a = client(&f, 0);
	b = client(&f, 3 * LEASE_MS);
	cr_assert_eq(pcf_lock_acquire(a, "us-east-1/kept", &err), 0, "%s", err.message);
	t0 = now_s();
	/* b waits three leases; a's renewals keep changing the version, so it never expires. */
	cr_assert_eq(pcf_lock_acquire(b, "us-east-1/kept", &err), PCF_ELOCKED);
	cr_assert_geq(now_s() - t0, 3 * LEASE_MS / 1000.0 - 0.1);
	cr_assert_not_null(strstr(err.message, "locked by "), "%s", err.message);
	cr_assert_not_null(strstr(err.message, pcf_lock_client_run_id(a)), "%s", err.message);
	cr_assert_eq(pcf_lock_check(a, "us-east-1/kept", &err), 0, "%s", err.message);
	/* Released: b takes it at once. */
	cr_assert_eq(pcf_lock_release(a, "us-east-1/kept", &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_acquire(b, "us-east-1/kept", &err), 0, "%s", err.message);
	pcf_lock_client_free(a);
	pcf_lock_client_free(b);
	pcf_ddb_free(f.db);
}

IT_TABLE_SERVERS_TEST(lock_client, dead_holder_is_taken_over_after_one_lease)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *b;
	fixture f;
	double t0, took;

	fixture_up(&f, *kind);
	overwrite(&f, "us-east-1/dead", "v-dead"); /* a holder that never renews */
	b = client(&f, 5 * LEASE_MS);
	t0 = now_s();
	cr_assert_eq(pcf_lock_acquire(b, "us-east-1/dead", &err), 0, "%s", err.message);
	took = now_s() - t0;
	cr_assert_geq(took, LEASE_MS / 1000.0, "took over after %.2f s, before a lease", took);
	cr_assert_lt(took, LEASE_MS / 1000.0 + 1.5, "took %.2f s", took);
	pcf_lock_client_free(b);
	pcf_ddb_free(f.db);
}

IT_TABLE_SERVERS_TEST(lock_client, changed_record_is_lost_and_left_to_its_new_holder)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_info *infos = NULL;
	pcf_lock_client *a;
	size_t count = 0;
	fixture f;
	int rc = 0;

	fixture_up(&f, *kind);
	a = client(&f, 0);
	cr_assert_eq(pcf_lock_acquire(a, "us-east-1/stolen", &err), 0, "%s", err.message);
	overwrite(&f, "us-east-1/stolen", "v-thief");
	/* The next renewal (a third of the lease) finds the record changed. */
	for (int i = 0; i < 40 && (rc = pcf_lock_check(a, "us-east-1/stolen", &err)) == 0; i++)
		sleep_ms(50);
	cr_assert_eq(rc, PCF_ELOCK_LOST);
	cr_assert_not_null(strstr(err.message, "changed by another writer"), "%s", err.message);
	/* Acquire does not quietly take it back either. */
	cr_assert_eq(pcf_lock_acquire(a, "us-east-1/stolen", &err), PCF_ELOCK_LOST);
	/* Its release leaves the new holder's record as it is. */
	cr_assert_eq(pcf_lock_release(a, "us-east-1/stolen", &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_list(&infos, &count, a, &err), 0, "%s", err.message);
	cr_assert_eq(count, 1);
	cr_assert_str_eq(infos[0].version, "v-thief");
	cr_assert_str_eq(infos[0].run_id, "intruder");
	pcf_lock_info_free(infos, count);
	pcf_lock_client_free(a);
	pcf_ddb_free(f.db);
}

IT_TABLE_SERVERS_TEST(lock_client, list_and_force_release)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_info *infos = NULL, was;
	pcf_lock_client *a, *admin;
	size_t count = 0;
	fixture f;

	fixture_up(&f, *kind);
	a = client(&f, 0);
	admin = client(&f, 0);
	cr_assert_eq(pcf_lock_acquire(a, "r/one", &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_acquire(a, "r/two", &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_release(a, "r/two", &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_list(&infos, &count, admin, &err), 0, "%s", err.message);
	cr_assert_eq(count, 1, "released locks are not listed");
	cr_assert_str_eq(infos[0].key, "r/one");
	cr_assert_str_eq(infos[0].command, "test");
	cr_assert_eq(infos[0].lease_ms, LEASE_MS);
	pcf_lock_info_free(infos, count);

	cr_assert_eq(pcf_lock_force_release(&was, admin, "r/one", &err), 0, "%s", err.message);
	cr_assert_str_eq(was.run_id, pcf_lock_client_run_id(a));
	pcf_lock_info_cleanup(&was);
	cr_assert_eq(pcf_lock_force_release(NULL, admin, "r/one", &err), PCF_ENOTFOUND);
	cr_assert_eq(pcf_lock_force_release(NULL, admin, "r/never", &err), PCF_ENOTFOUND);
	pcf_lock_client_free(a);
	pcf_lock_client_free(admin);
	pcf_ddb_free(f.db);
}

/* Tries key until the answer is final, sleeping as each refusal for now says. */
static int try_until_final(pcf_lock_client *c, const char *key, pcf_error *err)
{
	int rc;

	while ((rc = pcf_lock_try_acquire(c, key, err)) == PCF_ELOCKED && err->retryable) {
		cr_assert_gt(err->retry_after_ms, 0);
		cr_assert_leq(err->retry_after_ms, 1000, "looks again within a second");
		sleep_ms(err->retry_after_ms);
	}
	return rc;
}

IT_TABLE_SERVERS_TEST(lock_client, try_acquire_answers_at_once_and_takes_over_across_attempts)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *b;
	fixture f;
	double t0, took;

	fixture_up(&f, *kind);
	overwrite(&f, "us-east-1/tried", "v-dead"); /* a holder that never renews */
	b = client(&f, 5 * LEASE_MS);
	cr_assert_eq(pcf_lock_try_acquire(b, "us-east-1/tried", &err), PCF_ELOCKED);
	cr_assert_eq(err.retryable, 1, "held elsewhere, the wait not over: try again");
	cr_assert_not_null(strstr(err.message, "lock us-east-1/tried held by elsewhere pid 7"),
	                   "%s", err.message);
	/* What the first attempt saw counts: one lease after it, the lock is taken over. */
	t0 = now_s();
	cr_assert_eq(try_until_final(b, "us-east-1/tried", &err), 0, "%s", err.message);
	took = now_s() - t0;
	cr_assert_lt(took, LEASE_MS / 1000.0 + 1.5, "took %.2f s", took);
	cr_assert_eq(pcf_lock_check(b, "us-east-1/tried", &err), 0, "%s", err.message);
	pcf_lock_client_free(b);
	pcf_ddb_free(f.db);
}

IT_TABLE_SERVERS_TEST(lock_client, try_acquire_is_final_once_the_wait_from_the_first_try_ran_out)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *a, *b, *now;
	fixture f;
	double t0;

	fixture_up(&f, *kind);
	a = client(&f, 0);
	b = client(&f, LEASE_MS / 2);
	now = client(&f, 0);
	cr_assert_eq(pcf_lock_acquire(a, "us-east-1/busy", &err), 0, "%s", err.message);
	/* Without a wait the first answer is final. */
	cr_assert_eq(pcf_lock_try_acquire(now, "us-east-1/busy", &err), PCF_ELOCKED);
	cr_assert_eq(err.retryable, 0);
	cr_assert_not_null(strstr(err.message, "locked by "), "%s", err.message);
	t0 = now_s();
	cr_assert_eq(try_until_final(b, "us-east-1/busy", &err), PCF_ELOCKED);
	cr_assert_geq(now_s() - t0, LEASE_MS / 2000.0 - 0.05);
	cr_assert_not_null(strstr(err.message, "locked by "), "%s", err.message);
	cr_assert_not_null(strstr(err.message, pcf_lock_client_run_id(a)), "%s", err.message);
	/* A new try waits afresh; left alone past its wait, it is final at the next try... */
	cr_assert_eq(pcf_lock_try_acquire(b, "us-east-1/busy", &err), PCF_ELOCKED);
	cr_assert_eq(err.retryable, 1, "%s", err.message);
	sleep_ms(LEASE_MS / 2 + 100);
	cr_assert_eq(pcf_lock_try_acquire(b, "us-east-1/busy", &err), PCF_ELOCKED);
	cr_assert_eq(err.retryable, 0, "the wait counts from the first try: %s", err.message);
	/* ...unless a release (of a lock not held) ended the wait given up. */
	cr_assert_eq(pcf_lock_try_acquire(b, "us-east-1/busy", &err), PCF_ELOCKED);
	cr_assert_eq(err.retryable, 1, "%s", err.message);
	sleep_ms(LEASE_MS / 2 + 100);
	cr_assert_eq(pcf_lock_release(b, "us-east-1/busy", &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_try_acquire(b, "us-east-1/busy", &err), PCF_ELOCKED);
	cr_assert_eq(err.retryable, 1, "%s", err.message);
	cr_assert_eq(pcf_lock_release(b, "us-east-1/busy", &err), 0, "%s", err.message);
	pcf_lock_client_free(a);
	pcf_lock_client_free(b);
	pcf_lock_client_free(now);
	pcf_ddb_free(f.db);
}
