/*
 * Polls give way to first turns still sending their change, but only for a
 * while: a first turn stuck in its call (here a CreateTable the server
 * answers after 3 s, as a throttled call retried by the transport would
 * be) must not keep another table's end of CREATING from being seen. A
 * FAKE DynamoDB (tests/support/fake_http): no open server answers one
 * table's CreateTable late and another's at once.
 */
#include <criterion/criterion.h>
#include <pcf/engine.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fake_answers.h"
#include "local_server.h"
#include "quick_engine.h"
#include "src/common/util.h"

#define SLOW_CREATE_MS 3000
#define QUICK_HOLD_MS  200

typedef struct fake_tables {
	pthread_mutex_t lock;
	long quick_created_at; /* 0: not created */
	int slow_created;
	int quick_seen_active; /* DescribeTable answered ACTIVE for quick */
	int slow_create_done;  /* CreateTable of slow answered */
	int seen_before_slow;  /* quick's ACTIVE answered before slow's create */
} fake_tables;

static void describe(fake_tables *t, const char *name, pcf_fake_response *resp)
{
	int quick = !strcmp(name, "quick");
	int exists = quick ? t->quick_created_at != 0 : t->slow_created;
	int active = !quick || pcf_util_now_ms() - t->quick_created_at >= QUICK_HOLD_MS;

	if (!exists) {
		pcf_fake_reply(resp, 400,
		               "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
		               "ResourceNotFoundException\",\"message\":\"Requested resource not "
		               "found: Table: %s not found\"}",
		               name);
		return;
	}
	if (quick && active && !t->quick_seen_active) {
		t->quick_seen_active = 1;
		t->seen_before_slow = !t->slow_create_done;
	}
	pcf_fake_reply(resp, 200,
	               "{\"Table\":{\"TableName\":\"%s\",\"TableStatus\":\"%s\","
	               "\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/%s\","
	               "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":"
	               "\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
	               "\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"
	               "\"DeletionProtectionEnabled\":false}}",
	               name, active ? "ACTIVE" : "CREATING", name);
}

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	fake_tables *t = payload;
	char action[64];
	const char *name = strstr(req->body, "\"TableName\":\"quick\"") ? "quick" : "slow";

	pcf_fake_dynamodb_action(action, sizeof(action), req);
	if (!strcmp(action, "CreateTable") && !strcmp(name, "slow"))
		pcf_util_sleep_ms(SLOW_CREATE_MS); /* outside the lock: quick goes on meanwhile */
	pthread_mutex_lock(&t->lock);
	if (!strcmp(action, "DescribeTable")) {
		describe(t, name, resp);
	} else if (!strcmp(action, "CreateTable")) {
		if (!strcmp(name, "quick"))
			t->quick_created_at = pcf_util_now_ms();
		else
			t->slow_created = t->slow_create_done = 1;
		pcf_fake_reply(resp, 200,
		               "{\"TableDescription\":{\"TableName\":\"%s\",\"TableStatus\":"
		               "\"CREATING\"}}",
		               name);
	} else {
		pcf_fake_reply(resp, 400,
		               "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
		               "\"message\":\"the fake does not do %s\"}",
		               action);
	}
	pthread_mutex_unlock(&t->lock);
}

Test(engine_first_turn_hold, a_stuck_first_turn_holds_polls_back_only_for_a_while)
{
	static const char yaml[] =
	    "- pcf_name: slow\n  flavor: dynamodb_table\n  aws_resource:\n    TableName: slow\n"
	    "    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	    "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	    "    BillingMode: PAY_PER_REQUEST\n"
	    "- pcf_name: quick\n  flavor: dynamodb_table\n  aws_resource:\n    TableName: quick\n"
	    "    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	    "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	    "    BillingMode: PAY_PER_REQUEST\n";
	fake_tables t;
	pcf_test_fake_run run;
	pcf_engine *engine;
	pcf_error err = PCF_ERROR_INIT;

	memset(&t, 0, sizeof(t));
	pthread_mutex_init(&t.lock, NULL);
	pcf_local_server_environment(1);
	pcf_test_fake_run_start(&run, handle, &t, 1, yaml);
	engine = pcf_test_quick_engine(run.defs, run.services, 30000);
	cr_assert_eq(pcf_engine_apply(&run.report, engine, &err), 0, "%s", err.message);
	cr_assert(t.quick_seen_active);
	cr_assert(t.seen_before_slow,
	          "quick's end of CREATING was seen only after slow's CreateTable answered");
	pcf_engine_free(engine);
	pcf_test_fake_run_stop(&run);
	pthread_mutex_destroy(&t.lock);
}
