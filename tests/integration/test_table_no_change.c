/*
 * A step the server accepts but that changes nothing, for every kind of
 * step dynamodb_table plans, against a FAKE DynamoDB (tests/support/
 * fake_http): no open server accepts a call and then ignores it. The fake
 * answers DescribeTable (and the TTL, backups and tag reads) with one fixed
 * ACTIVE table and accepts every mutating call without changing anything.
 *
 * The engine runs on a simulated clock whose waits cost no wall-clock
 * time, so the no-change grace (seconds of re-reads) and a long --timeout
 * cost nothing here, and the test can check that the engine waited
 * between any two mutating calls.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pcf/engine.h>
#include <pcf/particles.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/engine_internal.h"
#include "case_table.h"
#include "fake_http.h"
#include "local_server.h"

/* The fixed live table: provisioned 5/5, two indexes, every setting off. */
static const char live_table[] =
    "{\"Table\":{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\","
    "\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t\","
    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"}],"
    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
    "\"BillingModeSummary\":{\"BillingMode\":\"PROVISIONED\"},"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},"
    "\"GlobalSecondaryIndexes\":["
    "{\"IndexName\":\"by_g\",\"IndexStatus\":\"ACTIVE\","
    "\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
    "\"Projection\":{\"ProjectionType\":\"ALL\"},"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}},"
    "{\"IndexName\":\"old\",\"IndexStatus\":\"ACTIVE\","
    "\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
    "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"},"
    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}}],"
    "\"TableClassSummary\":{\"TableClass\":\"STANDARD\"},"
    "\"DeletionProtectionEnabled\":false}}";

typedef struct fake_counts {
	pthread_mutex_t lock;
	int mutating;
	long sleeps_at_last_mutation; /* engine waits seen when the last mutating call came */
	int unwaited;   /* mutating calls with no engine wait since the previous one */
	int refuse_ttl; /* UpdateTimeToLive answers AWS's once-an-hour refusal */
} fake_counts;

/* The simulated clock: waits advance it instead of passing. */
static long sim_ms;
static long sim_sleeps;

static long sim_now(void *ctx)
{
	(void)ctx;
	return __atomic_load_n(&sim_ms, __ATOMIC_SEQ_CST);
}

static void sim_sleep(long ms, void *ctx)
{
	(void)ctx;
	__atomic_add_fetch(&sim_ms, ms, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&sim_sleeps, 1, __ATOMIC_SEQ_CST);
}

static const pcf_clock sim_clock = {sim_now, sim_sleep, NULL, 0};

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	fake_counts *c = payload;
	char action[64];
	long sleeps = __atomic_load_n(&sim_sleeps, __ATOMIC_SEQ_CST);

	pcf_fake_dynamodb_action(action, sizeof(action), req);
	resp->status = 200;
	if (!strcmp(action, "DescribeTable")) {
		resp->body = live_table;
	} else if (!strcmp(action, "DescribeTimeToLive")) {
		resp->body = "{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":\"DISABLED\"}}";
	} else if (!strcmp(action, "DescribeContinuousBackups")) {
		resp->body = "{\"ContinuousBackupsDescription\":{\"ContinuousBackupsStatus\":"
		             "\"ENABLED\",\"PointInTimeRecoveryDescription\":"
		             "{\"PointInTimeRecoveryStatus\":\"DISABLED\"}}}";
	} else if (!strcmp(action, "ListTagsOfResource")) {
		resp->body = "{\"Tags\":[]}";
	} else {
		/* Accepted, and nothing changes; past a flood's first calls the
		 * fake refuses, so that a looping engine ends and the count shows. */
		pthread_mutex_lock(&c->lock);
		if (c->mutating > 0 && sleeps == c->sleeps_at_last_mutation)
			c->unwaited++;
		c->mutating++;
		c->sleeps_at_last_mutation = sleeps;
		if (c->refuse_ttl && !strcmp(action, "UpdateTimeToLive")) {
			/* The service's words (DynamoDB API reference, UpdateTimeToLive). */
			resp->status = 400;
			resp->body =
			    "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
			    "\"message\":\"Time to live has been modified multiple times "
			    "within a fixed interval\"}";
		} else if (c->mutating > 50) {
			resp->status = 400;
			resp->body =
			    "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
			    "\"message\":\"the fake stops a flood\"}";
		} else {
			resp->body = "{}";
		}
		pthread_mutex_unlock(&c->lock);
	}
}

/* One kind of step: what the definition changes and how the step is named. */
typedef struct no_change_case {
	const char *kind;
	const char *table_rcu; /* the table's ReadCapacityUnits, or "" for on-demand */
	const char *index_rcu; /* by_g's ReadCapacityUnits */
	const char *indexes;   /* extra index entries, or "" */
	const char *extra;     /* extra top-level lines */
	const char *expect;    /* in the error: what the step did */
} no_change_case;

static const char old_index[] =
    ", {IndexName: old, KeySchema: [{AttributeName: g, KeyType: HASH}],"
    " Projection: {ProjectionType: KEYS_ONLY},"
    " ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}}";

static const char new_index[] =
    ", {IndexName: old, KeySchema: [{AttributeName: g, KeyType: HASH}],"
    " Projection: {ProjectionType: KEYS_ONLY},"
    " ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}}"
    ", {IndexName: by_h, KeySchema: [{AttributeName: g, KeyType: RANGE},"
    " {AttributeName: id, KeyType: HASH}], Projection: {ProjectionType: ALL},"
    " ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}}";

static const no_change_case cases[] = {
    {"table throughput", "10", "5", old_index, "", "ProvisionedThroughput read 5 -> 10"},
    {"index create", "5", "5", new_index, "", "create index by_h"},
    {"index delete", "5", "5", "", "", "delete index old"},
    {"index throughput", "5", "10", old_index, "", "throughput of index by_g"},
    {"ttl", "5", "5", old_index,
     "TimeToLiveSpecification: {Enabled: true, AttributeName: expires}\n",
     "enable TTL on attribute expires"},
    {"pitr", "5", "5", old_index,
     "PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n",
     "enable point-in-time recovery"},
    {"tags", "5", "5", old_index, "Tags: [{Key: team, Value: data}]\n", "set tags team"},
    {"stream", "5", "5", old_index,
     "StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}\n",
     "enable stream (NEW_IMAGE)"},
    {"table class", "5", "5", old_index, "TableClass: STANDARD_INFREQUENT_ACCESS\n",
     "TableClass STANDARD -> STANDARD_INFREQUENT_ACCESS"},
    {"deletion protection", "5", "5", old_index, "DeletionProtectionEnabled: true\n",
     "DeletionProtectionEnabled false -> true"},
    {"billing mode", "", "5", old_index, "", "BillingMode PROVISIONED -> PAY_PER_REQUEST"},
};

static pcf_definitions *definition(const no_change_case *k)
{
	pcf_definitions *defs = NULL;
	pcf_diags diags;
	char yaml[4096], billing[256];

	if (k->table_rcu[0])
		snprintf(
		    billing, sizeof(billing),
		    "  BillingMode: PROVISIONED\n"
		    "  ProvisionedThroughput: {ReadCapacityUnits: %s, WriteCapacityUnits: 5}\n",
		    k->table_rcu);
	else
		snprintf(billing, sizeof(billing), "  BillingMode: PAY_PER_REQUEST\n");
	snprintf(yaml, sizeof(yaml),
	         "pcf_name: t\nflavor: dynamodb_table\naws_resource:\n  TableName: t\n"
	         "  AttributeDefinitions: [{AttributeName: id, AttributeType: S},"
	         " {AttributeName: g, AttributeType: S}]\n"
	         "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n%s"
	         "  GlobalSecondaryIndexes: [{IndexName: by_g, KeySchema: [{AttributeName: g, "
	         "KeyType: HASH}], Projection: {ProjectionType: ALL}, ProvisionedThroughput: "
	         "{ReadCapacityUnits: %s, WriteCapacityUnits: 5}}%s]\n"
	         "  %s",
	         billing, k->index_rcu, k->indexes, k->extra);
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "pcf.yml", &diags), 0,
	             "%s: the definition does not load:\n%s", k->kind, yaml);
	pcf_diags_cleanup(&diags);
	return defs;
}

static int case_numbers[sizeof(cases) / sizeof(cases[0])];

ParameterizedTestParameters(table_no_change, every_kind_of_step)
{
	return pcf_case_numbers(case_numbers, sizeof(cases) / sizeof(cases[0]));
}

/* Applies case k against the fake; returns apply's code, err its error. */
static int apply_case(const no_change_case *k, fake_counts *counts, pcf_error *err)
{
	pcf_aws_options ao = PCF_AWS_OPTIONS_INIT;
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_fake_server *server = NULL;
	pcf_services *services = NULL;
	pcf_definitions *defs = definition(k);
	pcf_run_report *report = NULL;
	pcf_engine *engine = NULL;
	int rc;

	pcf_local_server_environment(1);
	pthread_mutex_init(&counts->lock, NULL);
	cr_assert_eq(pcf_fake_server_start(&server, handle, counts), 0);
	ao.endpoint = pcf_fake_server_url(server);
	ao.region = "us-east-1";
	ao.max_attempts = 1;
	cr_assert_eq(pcf_services_new(&services, &ao, err), 0, "%s", err->message);
	o.flavors = pcf_particles_flavors(&o.flavor_count);
	o.services = services;
	o.timeout_ms = 3600000; /* an hour of simulated time: the count must not grow with it */
	o.logger.level = PCF_LOG_ERROR;
	cr_assert_eq(pcf_engine_new(&engine, defs, &o, err), 0, "%s", err->message);
	sim_ms = 1000000;
	pcf_engine_set_clock(engine, &sim_clock);
	rc = pcf_engine_apply(&report, engine, err);
	pcf_run_report_free(report);
	pcf_engine_free(engine);
	pcf_definitions_free(defs);
	pcf_services_free(services);
	pcf_fake_server_stop(server);
	pthread_mutex_destroy(&counts->lock);
	return rc;
}

ParameterizedTest(const int *number, table_no_change, every_kind_of_step)
{
	const no_change_case *k = &cases[*number];
	pcf_error err = PCF_ERROR_INIT;
	fake_counts counts = {.mutating = 0};
	int rc = apply_case(k, &counts, &err);

	cr_assert_eq(rc, PCF_ENOCHANGE, "%s: apply returned %d: %s", k->kind, rc, err.message);
	cr_assert(strstr(err.message, k->expect) != NULL, "%s: the error names the step: %s",
	          k->kind, err.message);
	cr_assert_geq(counts.mutating, 1, "%s: the step was sent", k->kind);
	cr_assert_leq(counts.mutating, 2, "%s: %d mutating calls", k->kind, counts.mutating);
	cr_assert_eq(counts.unwaited, 0, "%s: a mutating call came with no wait before it",
	             k->kind);
	cr_assert_lt(sim_ms - 1000000, 60000, "%s: gave up long before the timeout", k->kind);
}

/* After a TTL rename disabled TTL, AWS refuses the enable for up to an hour. */
Test(table_no_change, a_refused_ttl_enable_says_ttl_is_off_and_when_to_rerun)
{
	pcf_error err = PCF_ERROR_INIT;
	fake_counts counts = {.refuse_ttl = 1};
	int rc = apply_case(&cases[4], &counts, &err);

	cr_assert_eq(rc, PCF_EVALIDATION, "%d: %s", rc, err.message);
	cr_assert_eq(counts.mutating, 1, "not retried: %d calls", counts.mutating);
	cr_assert(strstr(err.message, "TTL is off on table t") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "rerun apply after") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "UTC") != NULL, "%s", err.message);
}
