/*
 * dynamodb_table against a FAKE DynamoDB (tests/support/fake_http): only
 * for what no open local server can show - the
 * ContinuousBackupsUnavailableException the service answers right after
 * CreateTable, ARCHIVED tables (never acted on), KMS encryption
 * descriptions, and a server without tagging (dynoxide, dynalite and moto
 * all tag; DynamoDB-compatible servers that do not answer
 * UnknownOperationException), and a server that reads resource policies
 * but does not know PutResourcePolicy (no open server stops halfway like
 * that). The fake keeps one table's state and answers the few
 * actions these tests need the way the DynamoDB API reference shows.
 */
#include <criterion/criterion.h>
#include <pcf/engine.h>
#include <pcf/particles.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "fake_answers.h"
#include "local_server.h"
#include "quick_engine.h"

typedef struct fake_table {
	pthread_mutex_t lock;
	const char *status; /* TableStatus answered */
	const char *sse;    /* SSEDescription JSON or "" */
	int pitr;           /* PITR enabled */
	int refuse_backups; /* UpdateContinuousBackups refusals still to answer */
	int backups_calls;
	int policy_puts;
	int mutating;
} fake_table;

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	fake_table *t = payload;
	char action[64];

	pcf_fake_dynamodb_action(action, sizeof(action), req);
	pthread_mutex_lock(&t->lock);
	if (strncmp(action, "Describe", 8) != 0 && strncmp(action, "List", 4) != 0)
		t->mutating++;
	if (!strcmp(action, "DescribeTable")) {
		pcf_fake_reply(
		    resp, 200,
		    "{\"Table\":{\"TableName\":\"t\",\"TableStatus\":\"%s\","
		    "\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t\","
		    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
		    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
		    "\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"
		    "\"ProvisionedThroughput\":{\"NumberOfDecreasesToday\":0,"
		    "\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0},"
		    "\"TableClassSummary\":{\"TableClass\":\"STANDARD\"},"
		    "\"DeletionProtectionEnabled\":false%s%s}}",
		    t->status, t->sse[0] ? ",\"SSEDescription\":" : "", t->sse);
	} else if (!strcmp(action, "DescribeContinuousBackups")) {
		pcf_fake_reply(
		    resp, 200,
		    "{\"ContinuousBackupsDescription\":{\"ContinuousBackupsStatus\":\"ENABLED\","
		    "\"PointInTimeRecoveryDescription\":{\"PointInTimeRecoveryStatus\":\"%s\"}}}",
		    t->pitr ? "ENABLED" : "DISABLED");
	} else if (!strcmp(action, "UpdateContinuousBackups")) {
		t->backups_calls++;
		if (t->refuse_backups > 0) {
			t->refuse_backups--;
			pcf_fake_reply(
			    resp, 400,
			    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#"
			    "ContinuousBackupsUnavailableException\",\"message\":\"Backups are "
			    "being "
			    "enabled for the table: t. Please retry later\"}");
		} else {
			t->pitr = strstr(req->body, "\"PointInTimeRecoveryEnabled\":true") != NULL;
			pcf_fake_reply(resp, 200, "{\"ContinuousBackupsDescription\":{}}");
		}
	} else if (!strcmp(action, "GetResourcePolicy")) {
		pcf_fake_reply(
		    resp, 400,
		    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#PolicyNotFoundException\","
		    "\"message\":\"Resource-based policy not found\"}");
	} else if (!strcmp(action, "PutResourcePolicy")) {
		t->policy_puts++;
		pcf_fake_reply(
		    resp, 400,
		    "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}");
	} else if (strstr(action, "Tag") != NULL) {
		pcf_fake_reply(
		    resp, 400,
		    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#UnknownOperationException\","
		    "\"Message\":\"the fake has no tagging\"}");
	} else {
		pcf_fake_reply(resp, 400,
		               "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
		               "\"message\":\"the fake does not do %s\"}",
		               action);
	}
	pthread_mutex_unlock(&t->lock);
}

typedef struct harness {
	fake_table table;
	pcf_test_fake_run run;
} harness;

static void up(harness *h, const char *resource_yaml)
{
	char yaml[2048];

	snprintf(yaml, sizeof(yaml),
	         "pcf_name: t\nflavor: dynamodb_table\naws_resource:\n  TableName: t\n"
	         "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	         "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	         "  BillingMode: PAY_PER_REQUEST\n%s",
	         resource_yaml);
	pcf_local_server_environment(1);
	pthread_mutex_init(&h->table.lock, NULL);
	pcf_test_fake_run_start(&h->run, handle, &h->table, 1, yaml);
}

static int run(harness *h, int (*fn)(pcf_run_report **, pcf_engine *, pcf_error *), int terminate)
{
	pcf_engine *engine = pcf_test_quick_engine(h->run.defs, h->run.services, 20000);
	pcf_error err = PCF_ERROR_INIT;
	int rc;
	if (terminate)
		pcf_engine_set_desired(engine, PCF_DESIRED_TERMINATED);
	pcf_run_report_free(h->run.report);
	h->run.report = NULL;
	rc = fn(&h->run.report, engine, &err);
	pcf_engine_free(engine);
	return rc;
}

static void down(harness *h)
{
	pcf_test_fake_run_stop(&h->run);
	pthread_mutex_destroy(&h->table.lock);
}

/* apply fails, and the particle fails with an error message containing what. */
static void apply_fails_naming(harness *h, const char *what)
{
	const pcf_particle_report *p;

	cr_assert_lt(run(h, pcf_engine_apply, 0), 0);
	p = &h->run.report->particles[0];
	cr_assert_eq(p->outcome, PCF_OUTCOME_FAILED);
	cr_assert(strstr(p->error.message, what) != NULL, "%s", p->error.message);
}

Test(table_fake, pitr_is_retried_while_backups_are_unavailable)
{
	harness h = {.table = {.status = "ACTIVE", .sse = "", .refuse_backups = 2}};
	up(&h, "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n");
	cr_assert_eq(run(&h, pcf_engine_apply, 0), 0, "%s",
	             h.run.report->particles[0].error.message);
	cr_assert_eq(h.table.backups_calls, 3, "two refusals, then the call that worked");
	cr_assert(h.table.pitr);
	cr_assert_eq(run(&h, pcf_engine_apply, 0), 0);
	cr_assert_eq(h.table.backups_calls, 3, "in sync: not called again");
	down(&h);
}

Test(table_fake, archived_tables_are_never_acted_on)
{
	harness h = {.table = {.status = "ARCHIVED", .sse = ""}};
	up(&h, "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n");
	cr_assert_eq(run(&h, pcf_engine_apply, 0), PCF_EUNAVAILABLE);
	cr_assert_eq(h.run.report->particles[0].state, PCF_STATE_UNAVAILABLE);
	cr_assert(strstr(h.run.report->particles[0].error.message, "ARCHIVED") != NULL, "%s",
	          h.run.report->particles[0].error.message);
	cr_assert_lt(run(&h, pcf_engine_apply, 1), 0, "not even deleted");
	cr_assert_eq(h.table.mutating, 0);
	down(&h);
}

Test(table_fake, kms_encryption_matches_its_definition)
{
	harness h = {
	    .table = {.status = "ACTIVE",
	              .sse = "{\"Status\":\"ENABLED\",\"SSEType\":\"KMS\",\"KMSMasterKeyArn\":"
	                     "\"arn:aws:kms:us-east-1:123456789012:key/abcd\"}"}};
	/* The definition names the key by alias; the service answers its ARN. */
	up(&h, "  SSESpecification: {Enabled: true, SSEType: KMS, KMSMasterKeyId: alias/app}\n");
	cr_assert_eq(run(&h, pcf_engine_status, 0), 0);
	cr_assert_eq(h.run.report->particles[0].outcome, PCF_OUTCOME_IN_SYNC);
	cr_assert_eq(h.run.report->particles[0].drift.count, 0);
	down(&h);
}

Test(table_fake, tags_on_a_server_without_tagging_fail_clearly)
{
	harness h = {.table = {.status = "ACTIVE", .sse = ""}};
	up(&h, "  Tags: [{Key: a, Value: b}]\n");
	apply_fails_naming(&h, "does not support tags");
	cr_assert_eq(h.table.mutating, 0);
	down(&h);
}

/* An unknown action fails once, naming the setting; the engine does not try again. */
Test(table_fake, an_unknown_policy_action_names_the_setting)
{
	harness h = {.table = {.status = "ACTIVE", .sse = ""}};
	up(&h, "  ResourcePolicy: {Version: \"2012-10-17\", Statement: []}\n");
	apply_fails_naming(&h, "does not support PutResourcePolicy (needed for ResourcePolicy");
	cr_assert_eq(h.table.policy_puts, 1);
	down(&h);
}
