/*
 * Contributor insights and Kinesis streaming destinations against a FAKE
 * DynamoDB (tests/support/fake_http.c): no open local server has either
 * (dynoxide and dynalite answer UnknownOperationException, moto fails with
 * HTTP 500). The fake keeps one table with one index, answers the actions
 * the way the DynamoDB API reference shows, and moves every transitional
 * status (ENABLING, DISABLING, UPDATING) on after reporting it once, so
 * that the engine sees each change pending before it is done.
 */
#include <criterion/criterion.h>
#include <pthread.h>

#include "fake_answers.h"
#include "test_table_fixture.h"

#define MAX_DESTS 4

typedef struct dest {
	char arn[128];
	char status[16];
	char precision[16];
} dest;

typedef struct fake {
	pthread_mutex_t lock;
	int exists;
	char name[128];
	char insights[2][16]; /* the table's, index by_e's */
	dest dests[MAX_DESTS];
	int ndests;
	int no_features;   /* answer UnknownOperationException to both features */
	int create_active; /* CreateTable answers the table ACTIVE, as dynoxide and moto do */
	int pending_seen;
} fake;

static fake state;
static pcf_fake_server *server;
static fixture f;

static const char *str(const cJSON *obj, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(obj, key));
	return s != NULL ? s : "";
}

/* ENABLING -> ENABLED and so on, once a describe has shown it. */
static void settle(char *status)
{
	static const char *const moves[][2] = {{"ENABLING", "ENABLED"}, {"DISABLING", "DISABLED"}};
	for (size_t i = 0; i < 2; i++)
		if (!strcmp(status, moves[i][0])) {
			state.pending_seen++;
			snprintf(status, 16, "%s", moves[i][1]);
		}
}

/* The table as DescribeTable shows it; wrapper: "Table" or "TableDescription". */
static void reply_table(pcf_fake_response *resp, const char *wrapper)
{
	pcf_fake_reply(
	    resp, 200,
	    "{\"%s\":{\"TableName\":\"%s\",\"TableStatus\":\"ACTIVE\","
	    "\"TableArn\":\"arn:aws:dynamodb:us-east-1:123456789012:table/%s\","
	    "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"
	    "{\"AttributeName\":\"e\",\"AttributeType\":\"S\"}],"
	    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
	    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},"
	    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_e\",\"IndexStatus\":\"ACTIVE\","
	    "\"KeySchema\":[{\"AttributeName\":\"e\",\"KeyType\":\"HASH\"}],"
	    "\"Projection\":{\"ProjectionType\":\"ALL\"},"
	    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}}]}}",
	    wrapper, state.name, state.name);
}

static void describe_table(pcf_fake_response *resp)
{
	if (!state.exists) {
		pcf_fake_reply(
		    resp, 400,
		    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
		    "\"message\":\"Requested resource not found\"}");
		return;
	}
	reply_table(resp, "Table");
}

static void insights(pcf_fake_response *resp, const char *action, const cJSON *req)
{
	char *status = state.insights[str(req, "IndexName")[0] ? 1 : 0];
	if (!strcmp(action, "UpdateContributorInsights"))
		snprintf(status, 16, "%s",
		         !strcmp(str(req, "ContributorInsightsAction"), "ENABLE") ? "ENABLING"
		                                                                  : "DISABLING");
	pcf_fake_reply(resp, 200, "{\"TableName\":\"%s\",\"ContributorInsightsStatus\":\"%s\"}",
	               state.name, status);
	if (!strcmp(action, "DescribeContributorInsights"))
		settle(status);
}

static void describe_destinations(pcf_fake_response *resp)
{
	char list[2048] = "";
	size_t used = 0;
	for (int i = 0; i < state.ndests; i++) {
		dest *d = &state.dests[i];
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		                         "%s{\"StreamArn\":\"%s\",\"DestinationStatus\":\"%s\","
		                         "\"ApproximateCreationDateTimePrecision\":\"%s\"}",
		                         i ? "," : "", d->arn, d->status, d->precision);
		if (!strcmp(d->status, "UPDATING")) {
			state.pending_seen++;
			snprintf(d->status, sizeof(d->status), "ACTIVE");
		} else if (!strcmp(d->status, "ENABLING")) {
			state.pending_seen++;
			snprintf(d->status, sizeof(d->status), "ACTIVE");
		}
		settle(d->status);
	}
	pcf_fake_reply(resp, 200, "{\"TableName\":\"%s\",\"KinesisDataStreamDestinations\":[%s]}",
	               state.name, list);
}

static dest *find_dest(const char *arn)
{
	for (int i = 0; i < state.ndests; i++)
		if (!strcmp(state.dests[i].arn, arn))
			return &state.dests[i];
	if (state.ndests == MAX_DESTS)
		return NULL;
	snprintf(state.dests[state.ndests].arn, sizeof(state.dests[0].arn), "%s", arn);
	snprintf(state.dests[state.ndests].precision, 16, "MILLISECOND");
	return &state.dests[state.ndests++];
}

static void destination(pcf_fake_response *resp, const char *action, const cJSON *req)
{
	dest *d = find_dest(str(req, "StreamArn"));
	const char *p =
	    str(cJSON_GetObjectItem(req, !strcmp(action, "UpdateKinesisStreamingDestination")
	                                     ? "UpdateKinesisStreamingConfiguration"
	                                     : "EnableKinesisStreamingConfiguration"),
	        "ApproximateCreationDateTimePrecision");
	if (d == NULL) {
		pcf_fake_reply(resp, 400,
		               "{\"__type\":\"LimitExceededException\",\"message\":\"full\"}");
		return;
	}
	snprintf(d->status, sizeof(d->status), "%s",
	         !strncmp(action, "Enable", 6)    ? "ENABLING"
	         : !strncmp(action, "Disable", 7) ? "DISABLING"
	                                          : "UPDATING");
	if (p[0])
		snprintf(d->precision, sizeof(d->precision), "%s", p);
	pcf_fake_reply(resp, 200,
	               "{\"TableName\":\"%s\",\"StreamArn\":\"%s\",\"DestinationStatus\":\"%s\"}",
	               state.name, d->arn, d->status);
}

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	cJSON *body = cJSON_Parse(req->body != NULL ? req->body : "{}");
	char action[64];

	(void)payload;
	pcf_fake_dynamodb_action(action, sizeof(action), req);
	pthread_mutex_lock(&state.lock);
	if (state.no_features &&
	    (strstr(action, "ContributorInsights") || strstr(action, "Kinesis"))) {
		pcf_fake_reply(
		    resp, 400,
		    "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}");
	} else if (!strcmp(action, "DescribeTable")) {
		describe_table(resp);
	} else if (!strcmp(action, "CreateTable") || !strcmp(action, "DeleteTable")) {
		state.exists = action[0] == 'C';
		snprintf(state.name, sizeof(state.name), "%s", str(body, "TableName"));
		if (state.exists && state.create_active)
			reply_table(resp, "TableDescription");
		else
			pcf_fake_reply(resp, 200, "{\"TableDescription\":{\"TableName\":\"%s\"}}",
			               state.name);
	} else if (strstr(action, "ContributorInsights") != NULL) {
		insights(resp, action, body);
	} else if (!strcmp(action, "DescribeKinesisStreamingDestination")) {
		describe_destinations(resp);
	} else if (strstr(action, "KinesisStreamingDestination") != NULL) {
		destination(resp, action, body);
	} else {
		/* TTL, backups and tags: what a server without them answers. */
		pcf_fake_reply(resp, 400,
		               "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\","
		               "\"message\":\"the fake does not do %s\"}",
		               action);
	}
	pthread_mutex_unlock(&state.lock);
	cJSON_Delete(body);
}

static void setup(void)
{
	memset(&state, 0, sizeof(state));
	pthread_mutex_init(&state.lock, NULL);
	snprintf(state.insights[0], 16, "DISABLED");
	snprintf(state.insights[1], 16, "DISABLED");
	pcf_fake_environment();
	cr_assert_eq(pcf_fake_server_start(&server, handle, NULL), 0);
	fx_init_at(&f, PCF_LOCAL_MOTO, pcf_fake_server_url(server), "mf");
}

static void teardown(void)
{
	fx_cleanup(&f);
	pcf_fake_server_stop(server);
}

TestSuite(table_managed_fake, .init = setup, .fini = teardown, .timeout = 60);

#define TABLE_YAML                                                                                 \
	FX_TABLE_T                                                                                 \
	FX_KEYS_ID_E                                                                               \
	"  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n" FX_INDEX_BY_E   \
	"      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"             \
	"      ContributorInsightsSpecification: {Enabled: %s}\n"                                  \
	"  ContributorInsightsSpecification: {Enabled: %s}\n"                                      \
	"%s"

#define ARN_A "arn:aws:kinesis:us-east-1:123456789012:stream/a"
#define ARN_B "arn:aws:kinesis:us-east-1:123456789012:stream/b"

#define TWO_STREAMS                                                                                \
	"  KinesisStreamingDestinations:\n"                                                        \
	"    - {StreamArn: '" ARN_A "'}\n"                                                         \
	"    - {StreamArn: '" ARN_B "', ApproximateCreationDateTimePrecision: MICROSECOND}\n"

static const dest *live_dest(const char *arn)
{
	for (int i = 0; i < state.ndests; i++)
		if (!strcmp(state.dests[i].arn, arn))
			return &state.dests[i];
	return NULL;
}

Test(table_managed_fake, create_with_both_then_a_second_apply_sends_nothing)
{
	fx_load(&f, TABLE_YAML, f.table, "true", "true", TWO_STREAMS);
	cr_assert_eq(fx_apply_ok(&f, NULL), 5, "CreateTable, 2 insights, 2 destinations");
	cr_assert_str_eq(state.insights[0], "ENABLED");
	cr_assert_str_eq(state.insights[1], "ENABLED");
	cr_assert_str_eq(live_dest(ARN_A)->status, "ACTIVE");
	cr_assert_str_eq(live_dest(ARN_B)->precision, "MICROSECOND");
	cr_assert_eq(state.pending_seen, 4, "each change was seen pending, then done");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "sent %s", f.counts.last_mutating);
}

Test(table_managed_fake, a_change_disables_updates_and_enables_one_at_a_time)
{
	fx_load(&f, TABLE_YAML, f.table, "true", "true", TWO_STREAMS);
	fx_apply_ok(&f, NULL);
	fx_load(&f, TABLE_YAML, f.table, "false", "true",
	        "  KinesisStreamingDestinations:\n"
	        "    - {StreamArn: '" ARN_B
	        "', ApproximateCreationDateTimePrecision: MILLISECOND}\n");
	cr_assert_eq(fx_apply_ok(&f, NULL), 3);
	cr_assert_str_eq(state.insights[0], "ENABLED");
	cr_assert_str_eq(state.insights[1], "DISABLED");
	cr_assert_str_eq(live_dest(ARN_A)->status, "DISABLED");
	cr_assert_str_eq(live_dest(ARN_B)->precision, "MILLISECOND");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
}

Test(table_managed_fake, removal_turns_both_off)
{
	fx_load(&f, TABLE_YAML, f.table, "true", "true", TWO_STREAMS);
	fx_apply_ok(&f, NULL);
	fx_load(&f, TABLE_YAML, f.table, "false", "false", "  KinesisStreamingDestinations: []\n");
	cr_assert_eq(fx_apply_ok(&f, NULL), 4);
	cr_assert_str_eq(state.insights[0], "DISABLED");
	cr_assert_str_eq(live_dest(ARN_A)->status, "DISABLED");
	cr_assert_str_eq(live_dest(ARN_B)->status, "DISABLED");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
}

Test(table_managed_fake, export_round_trips)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *particle = NULL;
	char *text;

	fx_load(&f, TABLE_YAML, f.table, "true", "false", TWO_STREAMS);
	fx_apply_ok(&f, NULL);
	cr_assert_eq(pcf_table_export(&particle, f.services, f.table, NULL, &err), 0, "%s",
	             err.message);
	text = cJSON_PrintUnformatted(particle);
	cr_log_info("%s", text);
	cr_assert_null(strstr(text, "\"ContributorInsightsSpecification\":{\"Enabled\":false}"),
	               "an off setting is left out");
	cr_assert_not_null(strstr(text, "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_e\""));
	cr_assert_eq(
	    fx_string(particle, "aws_resource.KinesisStreamingDestinations.1.StreamArn")[0], 'a');
	cr_assert_str_eq(fx_string(particle, "aws_resource.GlobalSecondaryIndexes.0."
	                                     "ContributorInsightsSpecification.Enabled"),
	                 "");
	cr_assert(cJSON_IsTrue(fx_at(particle, "aws_resource.GlobalSecondaryIndexes.0."
	                                       "ContributorInsightsSpecification.Enabled")));
	fx_load(&f, "%s", text);
	cr_assert_eq(fx_status(&f)->drift.count, 0);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	cJSON_free(text);
	cJSON_Delete(particle);
}

Test(table_managed_fake, a_server_without_the_features_is_a_clear_error_not_a_loop)
{
	pcf_error err = PCF_ERROR_INIT;
	const pcf_particle_report *r;

	fx_load(&f, TABLE_YAML, f.table, "false", "true", "");
	fx_apply_ok(&f, NULL);
	state.no_features = 1;
	cr_assert_neq(fx_engine(&f, pcf_engine_apply, NULL, &err), 0);
	r = &f.report->particles[0];
	cr_assert_not_null(strstr(r->error.message, "ContributorInsightsSpecification"), "%s",
	                   r->error.message);
	cr_assert_not_null(strstr(r->error.message, "does not support"), "%s", r->error.message);
	/* Turned off, the setting is what such a server has: in sync, nothing sent. */
	fx_load(&f, TABLE_YAML, f.table, "false", "false", "  KinesisStreamingDestinations: []\n");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
}

/*
 * A CreateTable answer that says ACTIVE tells nothing of contributor
 * insights or Kinesis destinations, which only their own calls read: the
 * engine reads them after the creation instead of taking the answer as the
 * table's whole state, so the first apply makes every setting and the
 * second has nothing to do.
 */
Test(table_managed_fake, an_active_create_answer_is_no_read_of_the_settings)
{
	state.create_active = 1;
	fx_load(&f, TABLE_YAML, f.table, "true", "true", TWO_STREAMS);
	cr_assert_eq(fx_apply_ok(&f, NULL), 5, "CreateTable, 2 insights, 2 destinations");
	cr_assert_str_eq(state.insights[0], "ENABLED");
	cr_assert_str_eq(state.insights[1], "ENABLED");
	cr_assert_str_eq(live_dest(ARN_A)->status, "ACTIVE");
	cr_assert_str_eq(live_dest(ARN_B)->status, "ACTIVE");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "sent %s", f.counts.last_mutating);
}

/*
 * Settings the creation did not make (the fake keeps them from an earlier
 * table of the same name, as moto keeps scalable targets and resource
 * policies): the definition turns them off, and the first apply must,
 * although nothing in the CreateTable answer shows them.
 */
Test(table_managed_fake, settings_the_creation_did_not_make_are_turned_off_by_the_first_apply)
{
	state.create_active = 1;
	snprintf(state.insights[0], 16, "ENABLED");
	snprintf(state.insights[1], 16, "ENABLED");
	snprintf(find_dest(ARN_A)->status, 16, "ACTIVE");
	fx_load(&f, TABLE_YAML, f.table, "false", "false", "  KinesisStreamingDestinations: []\n");
	cr_assert_eq(fx_apply_ok(&f, NULL), 4, "CreateTable, 2 insights, 1 destination");
	cr_assert_str_eq(state.insights[0], "DISABLED");
	cr_assert_str_eq(state.insights[1], "DISABLED");
	cr_assert_str_eq(live_dest(ARN_A)->status, "DISABLED");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "sent %s", f.counts.last_mutating);
}
