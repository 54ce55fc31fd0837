/*
 * LimitExceededException through every layer (transport, dynamodb_table
 * flavor, engine) against a FAKE DynamoDB (tests/support/fake_http): no
 * local server ever answers it. The fake answers CreateTable with the
 * service's own messages until told otherwise, then creates the table.
 *
 * The messages are the service's words, quoted from the limits the DynamoDB
 * developer guide's "Service, account, and table quotas" page describes
 * and as users reported them verbatim: hashicorp/terraform-provider-aws
 * issue #1776 (and PR #2274, which taught the provider to wait),
 * hashicorp/terraform issue #13339 (the account's table quota):
 * - "Subscriber limit exceeded: Only 10 tables can be created, updated, or
 *   deleted simultaneously" - passes once other tables settle;
 * - "Subscriber limit exceeded: There is a limit of 256 tables per
 *   subscriber" - the account's quota; waiting never helps.
 */
#include <criterion/criterion.h>
#include <pcf/engine.h>
#include <pcf/particles.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fake_http.h"
#include "local_server.h"
#include "quick_engine.h"
#include "src/common/util.h"

#define SIMULTANEOUS                                                                               \
	"Subscriber limit exceeded: Only 10 tables can be created, updated, or deleted "           \
	"simultaneously"
#define QUOTA "Subscriber limit exceeded: There is a limit of 256 tables per subscriber"

typedef struct fake_table {
	pthread_mutex_t lock;
	const char *refusal; /* the LimitExceeded message CreateTable answers */
	int refusals;        /* CreateTable refusals still to answer */
	int creates;         /* CreateTable calls seen */
	int created;
} fake_table;

static const char *describe(const char *status)
{
	static _Thread_local char body[1024];
	snprintf(body, sizeof(body),
	         "{\"TableName\":\"t\",\"TableStatus\":\"%s\","
	         "\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t\","
	         "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
	         "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
	         "\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"
	         "\"TableClassSummary\":{\"TableClass\":\"STANDARD\"},"
	         "\"DeletionProtectionEnabled\":false}",
	         status);
	return body;
}

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	static _Thread_local char body[2048];
	fake_table *t = payload;
	char action[64];

	pcf_fake_dynamodb_action(action, sizeof(action), req);
	pthread_mutex_lock(&t->lock);
	resp->status = 200;
	if (!strcmp(action, "CreateTable")) {
		t->creates++;
		if (t->refusals > 0) {
			t->refusals--;
			resp->status = 400;
			snprintf(body, sizeof(body),
			         "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
			         "LimitExceededException\",\"message\":\"%s\"}",
			         t->refusal);
		} else {
			t->created = 1;
			snprintf(body, sizeof(body), "{\"TableDescription\":%s}",
			         describe("CREATING"));
		}
	} else if (!strcmp(action, "DescribeTable") && t->created) {
		snprintf(body, sizeof(body), "{\"Table\":%s}", describe("ACTIVE"));
	} else if (!strcmp(action, "DescribeTable")) {
		resp->status = 400;
		snprintf(body, sizeof(body),
		         "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
		         "ResourceNotFoundException\",\"message\":\"Requested resource not found: "
		         "Table: t not found\"}");
	} else {
		resp->status = 400;
		snprintf(body, sizeof(body),
		         "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
		         "\"message\":\"the fake does not do %s\"}",
		         action);
	}
	resp->body = body;
	pthread_mutex_unlock(&t->lock);
}

typedef struct harness {
	fake_table table;
	pcf_test_fake_run run;
} harness;

static void up(harness *h)
{
	const char *yaml = "pcf_name: t\nflavor: dynamodb_table\naws_resource:\n  TableName: t\n"
	                   "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	                   "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	                   "  BillingMode: PAY_PER_REQUEST\n";

	pcf_local_server_environment(1);
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("DYNAMODB_MAX_RETRIES");
	pthread_mutex_init(&h->table.lock, NULL);
	/* The transport's own defaults (10 attempts, 500 ms throttle backoff):
	 * a quota refusal it retried would take tens of seconds. */
	pcf_test_fake_run_start(&h->run, handle, &h->table, 0, yaml);
}

static void down(harness *h)
{
	pcf_test_fake_run_stop(&h->run);
	pthread_mutex_destroy(&h->table.lock);
}

static int apply(harness *h)
{
	pcf_engine *engine = pcf_test_quick_engine(h->run.defs, h->run.services, 30000);
	pcf_error err = PCF_ERROR_INIT;
	int rc;
	rc = pcf_engine_apply(&h->run.report, engine, &err);
	pcf_engine_free(engine);
	return rc;
}

Test(limit_exceeded, the_accounts_table_quota_fails_after_one_create_table, .timeout = 120)
{
	harness h = {.table = {.refusal = QUOTA, .refusals = 1000}};
	long long t0;
	up(&h);
	t0 = pcf_util_now_ms();
	cr_assert_eq(apply(&h), PCF_ELIMIT_EXCEEDED);
	cr_assert_lt(pcf_util_now_ms() - t0, 1000, "no wait: failed within a second");
	cr_assert_eq(h.table.creates, 1, "exactly one CreateTable, not retried");
	cr_assert_eq(h.run.report->particles[0].outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(h.run.report->particles[0].error.retryable, 0);
	cr_assert(strstr(h.run.report->particles[0].error.message, "256 tables per subscriber"),
	          "%s", h.run.report->particles[0].error.message);
	down(&h);
}

Test(limit_exceeded, too_many_tables_changing_at_once_is_waited_out, .timeout = 120)
{
	harness h = {.table = {.refusal = SIMULTANEOUS, .refusals = 2}};
	up(&h);
	cr_assert_eq(apply(&h), 0, "%s", h.run.report->particles[0].error.message);
	cr_assert_eq(h.table.creates, 3,
	             "two refusals waited out, then the CreateTable that worked");
	cr_assert(h.table.created);
	cr_assert_eq(h.run.report->particles[0].outcome, PCF_OUTCOME_CONVERGED);
	down(&h);
}
