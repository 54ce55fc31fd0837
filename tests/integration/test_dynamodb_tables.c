/*
 * Table helpers against real servers: waiting through CREATING and
 * DELETING on a dynalite that holds those states, each way a wait fails,
 * and ensure-exists (missing, present, wrong key, two creators at once).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <pcf/pcf.h>

#include "servers.h"
#include "test_dynamodb_it.h"

static pcf_local_server slow;

/* A dynalite of its own that keeps tables CREATING / DELETING for a while. */
static void slow_up(void)
{
	pcf_test_dynalite_holding(&slow, 600, 600, 600);
}

static void slow_down(void)
{
	pcf_local_server_stop(&slow);
}

TestSuite(ddb_wait, .init = slow_up, .fini = slow_down);

Test(ddb_wait, through_creating_and_deleting_with_a_distinct_error_each_way)
{
	pcf_ddb *db = it_client_at(slow.endpoint);
	char name[128];
	cJSON *req, *desc = NULL;
	pcf_error err = PCF_ERROR_INIT;
	pcf_test_table_name(name, sizeof(name), "wait");
	req = it_table_request(name, 0);
	IT_OK(pcf_ddb_create_table(&desc, db, req, &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(desc, "TableStatus")->valuestring, "CREATING");
	cJSON_Delete(desc);

	/* No time to wait at all: still CREATING. */
	cr_assert_eq(pcf_ddb_wait_table(&desc, db, name, PCF_DDB_TABLE_ACTIVE, 50, 0, &err),
	             PCF_ETIMEDOUT);
	cr_assert_not_null(strstr(err.message, "CREATING"), "%s", err.message);
	cr_assert_str_eq(cJSON_GetObjectItem(desc, "TableStatus")->valuestring, "CREATING");
	cJSON_Delete(desc);

	IT_OK(pcf_ddb_wait_table(&desc, db, name, PCF_DDB_TABLE_ACTIVE, 50, 60000, &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(desc, "TableStatus")->valuestring, "ACTIVE");
	cJSON_Delete(desc);

	IT_OK(pcf_ddb_delete_table(NULL, db, name, &err), err);
	cr_assert_eq(pcf_ddb_wait_table(NULL, db, name, PCF_DDB_TABLE_ACTIVE, 50, 60000, &err),
	             PCF_EREFUSED);
	IT_OK(pcf_ddb_wait_table(NULL, db, name, PCF_DDB_TABLE_DELETED, 50, 60000, &err), err);
	cr_assert_eq(pcf_ddb_wait_table(NULL, db, name, PCF_DDB_TABLE_ACTIVE, 50, 60000, &err),
	             PCF_ERESOURCE_NOT_FOUND);

	/* ensure_table waits out a DELETING table and creates it again. */
	IT_OK(pcf_ddb_ensure_table(NULL, db, req, 60000, &err), err);
	IT_OK(pcf_ddb_delete_table(NULL, db, name, &err), err);
	IT_OK(pcf_ddb_ensure_table(&desc, db, req, 60000, &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(desc, "TableStatus")->valuestring, "ACTIVE");
	cJSON_Delete(desc);
	IT_OK(pcf_ddb_delete_table(NULL, db, name, &err), err);
	cJSON_Delete(req);
	pcf_ddb_free(db);
}

struct racer {
	const char *endpoint;
	const cJSON *req;
	int rc;
	pcf_error err;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	pcf_ddb *db = it_client_at(r->endpoint);
	pcf_error_clear(&r->err);
	r->rc = pcf_ddb_ensure_table(NULL, db, r->req, 60000, &r->err);
	pcf_ddb_free(db);
	return NULL;
}

static void ensure_on(const char *endpoint)
{
	pcf_ddb *db = it_client_at(endpoint);
	char name[128];
	cJSON *req, *other, *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	struct racer r[3];
	pthread_t th[3];
	pcf_test_table_name(name, sizeof(name), "ensure");
	req = it_table_request(name, 0);
	/* Three creators at once: every one succeeds and the table is there once. */
	for (int i = 0; i < 3; i++) {
		r[i].endpoint = endpoint;
		r[i].req = req;
		cr_assert_eq(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		cr_assert_eq(r[i].rc, 0, "%s racer %d: %s", endpoint, i, r[i].err.message);
	}
	IT_OK(pcf_ddb_ensure_table(&out, db, req, 60000, &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(out, "TableStatus")->valuestring, "ACTIVE");
	cJSON_Delete(out);

	/* Same name, different key: refused, with both keys named. */
	other = it_table_request(name, 1);
	cr_assert_eq(pcf_ddb_ensure_table(NULL, db, other, 60000, &err), PCF_ESCHEMA);
	cr_assert_not_null(strstr(err.message, "RANGE"), "%s", err.message);
	cJSON_Delete(other);
	it_drop_table(db, name);
	cJSON_Delete(req);
	pcf_ddb_free(db);
}

Test(ddb_wait, ensure_table_on_both_servers_and_a_slow_one)
{
	ensure_on(pcf_test_endpoint(PCF_LOCAL_DYNOXIDE));
	ensure_on(pcf_test_endpoint(PCF_LOCAL_DYNALITE));
	ensure_on(slow.endpoint);
}
