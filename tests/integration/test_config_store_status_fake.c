/*
 * dynamodb_config_store reads a table's status as DESIGN.md's States table
 * says (through pcf_ddb_table_status), against a FAKE DynamoDB
 * (tests/support/fake_http): no local server produces ARCHIVED or a status
 * newer than this code. The fake answers DescribeTable for one table with
 * a config store's key schema and refuses everything else.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pcf/engine.h>
#include <pcf/particles.h>
#include <stdio.h>
#include <string.h>

#include "fake_http.h"
#include "local_server.h"
#include "quick_engine.h"

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	static _Thread_local char body[1024];
	const char *status = payload;

	if (strstr(req->headers, "X-Amz-Target: DynamoDB_20120810.DescribeTable") != NULL) {
		snprintf(body, sizeof(body),
		         "{\"Table\":{\"TableName\":\"cfg\",\"TableStatus\":\"%s\","
		         "\"AttributeDefinitions\":[{\"AttributeName\":\"_store\","
		         "\"AttributeType\":\"S\"},{\"AttributeName\":\"_option\","
		         "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"_store\","
		         "\"KeyType\":\"HASH\"},{\"AttributeName\":\"_option\",\"KeyType\":"
		         "\"RANGE\"}]}}",
		         status);
		resp->status = 200;
	} else {
		snprintf(body, sizeof(body),
		         "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
		         "\"message\":\"the fake only describes\"}");
		resp->status = 400;
	}
	resp->body = body;
}

struct status_case {
	char status[48];
	int rc;
	pcf_state state;
};

static struct status_case cases[] = {
    /* A status newer than this code is waited on until the deadline. */
    {"REPLICATION_PAUSED", PCF_ETIMEDOUT, PCF_STATE_PENDING},
    {"UPDATING", PCF_ETIMEDOUT, PCF_STATE_PENDING},
    {"ARCHIVED", PCF_EUNAVAILABLE, PCF_STATE_UNAVAILABLE},
};

ParameterizedTestParameters(config_store_status_fake, states_table)
{
	return cr_make_param_array(struct status_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct status_case *c, config_store_status_fake, states_table, .timeout = 60)
{
	const char *yaml = "pcf_name: settings\nflavor: dynamodb_config_store\naws_resource:\n"
	                   "  TableName: cfg\n  Options:\n    app1:\n      db: {host: h}\n";
	pcf_error err = PCF_ERROR_INIT;
	pcf_test_fake_run r = {0};
	pcf_engine *engine;
	pcf_run_report *report;

	pcf_local_server_environment(1);
	pcf_test_fake_run_start(&r, handle, c->status, 1, yaml);
	engine = pcf_test_quick_engine(r.defs, r.services, 500);
	cr_assert_eq(pcf_engine_apply(&r.report, engine, &err), c->rc, "%s: %s", c->status,
	             r.report ? r.report->particles[0].error.message : err.message);
	report = r.report;
	cr_assert_eq(report->particles[0].state, c->state, "%s", c->status);
	cr_assert(strstr(report->particles[0].error.message, c->status) != NULL, "%s",
	          report->particles[0].error.message);
	pcf_engine_free(engine);
	pcf_test_fake_run_stop(&r);
}
