/*
 * The dynamodb_config_store flavor driven by the engine against dynoxide and
 * dynalite (both show tables and items; dynalite alone holds CREATING): apply creates the table and
 * writes the declared options, reports which changed, converges to "nothing to do", leaves
 * undeclared options alone unless the store is Exclusive, and refuses a table whose key schema does
 * not match (MisconfiguredSchema).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include <pcf/pcf.h>

#include "it_servers.h"
#include "servers.h"

/* The registry the test hands the engine: both built-in flavors. */
static const pcf_flavor *const flavors[] = {&pcf_flavor_dynamodb_table,
                                            &pcf_flavor_dynamodb_config_store};

static pcf_aws_options aws_options(const char *endpoint)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	o.endpoint = endpoint;
	o.region = "us-east-1";
	return o;
}

static cJSON *parse(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	cr_assert_not_null(v, "test JSON does not parse: %s", text);
	return v;
}

/* Everything one engine run needs, built from YAML text. */
struct run {
	pcf_definitions *defs;
	pcf_services *services;
	pcf_engine *engine;
	pcf_run_report *report;
};

/* The engine's deadline for the next run_engine; tests that want a timeout lower it. */
static long engine_timeout_ms = 60000;

typedef int (*engine_fn)(pcf_run_report **, pcf_engine *, pcf_error *);

static int run_engine(struct run *r, const char *endpoint, const char *yaml, engine_fn fn,
                      pcf_error *err)
{
	pcf_aws_options ao = aws_options(endpoint);
	pcf_engine_options eo = PCF_ENGINE_OPTIONS_INIT;
	pcf_diags diags;

	memset(r, 0, sizeof(*r));
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&r->defs, yaml, strlen(yaml), "t.yml", &diags), 0);
	cr_assert_eq(pcf_engine_validate(r->defs, flavors, 2, &diags), 0, "%s",
	             diags.count ? diags.items[0].message : "");
	pcf_diags_cleanup(&diags);
	cr_assert_eq(pcf_services_new(&r->services, &ao, err), 0);
	eo.flavors = flavors;
	eo.flavor_count = 2;
	eo.services = r->services;
	eo.timeout_ms = engine_timeout_ms;
	eo.poll_initial_ms = 50;
	eo.poll_max_ms = 500;
	eo.yes = 1; /* terminate deletes the table's data */
	cr_assert_eq(pcf_engine_new(&r->engine, r->defs, &eo, err), 0, "%s", err->message);
	return fn(&r->report, r->engine, err);
}

static void run_close(struct run *r)
{
	pcf_run_report_free(r->report);
	pcf_engine_free(r->engine);
	pcf_services_free(r->services);
	pcf_definitions_free(r->defs);
}

/* The first particle ended with outcome, and its error message names what. */
static void assert_first_failed(const struct run *r, pcf_outcome outcome, const char *what)
{
	const pcf_particle_report *p = &r->report->particles[0];

	cr_assert_eq(p->outcome, outcome);
	cr_assert(strstr(p->error.message, what) != NULL, "%s", p->error.message);
}

static int has_action(const pcf_particle_report *pr, const char *text)
{
	for (size_t i = 0; i < pr->action_count; i++)
		if (strcmp(pr->actions[i], text) == 0)
			return 1;
	return 0;
}

static pcf_config_store *open_store(pcf_ddb **db, const char *endpoint, const char *table,
                                    const char *store)
{
	pcf_aws_options ao = aws_options(endpoint);
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_config_store *s = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_new(db, &ao, &err), 0, "%s", err.message);
	o.table.name = table;
	o.store = store;
	o.create_table = 0;
	cr_assert_eq(pcf_config_store_open(&s, *db, &o, &err), 0, "%s", err.message);
	return s;
}

static void assert_store(pcf_config_store *s, const char *expected)
{
	cJSON *all = NULL, *want = parse(expected);
	char *printed;
	cr_assert_eq(pcf_config_store_get_all(&all, s, NULL), 0);
	printed = cJSON_PrintUnformatted(all);
	cr_assert(cJSON_Compare(all, want, 1), "store holds %s, want %s", printed, expected);
	cJSON_free(printed);
	cJSON_Delete(all);
	cJSON_Delete(want);
}

#define DEFINITION                                                                                 \
	"pcf_name: settings\n"                                                                     \
	"flavor: dynamodb_config_store\n"                                                          \
	"aws_resource:\n"                                                                          \
	"  TableName: %s\n"                                                                        \
	"  ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 2}\n"                 \
	"  Exclusive: %s\n"                                                                        \
	"  Options:\n"                                                                             \
	"    app1:\n"                                                                              \
	"      db: {host: %s, port: 5432, tls: true}\n"                                            \
	"      flags: {beta: false, ratio: 0.25, tags: [a, b]}\n"                                  \
	"    app2:\n"                                                                              \
	"      db: {host: other}\n"

/* Writes the usual definition of table into yaml (1024 bytes) and runs fn on it, which
 * must succeed. */
static void define_and_run(struct run *r, const char *endpoint, char yaml[static 1024],
                           const char *table, const char *exclusive, const char *host, engine_fn fn)
{
	pcf_error err = PCF_ERROR_INIT;

	snprintf(yaml, 1024, DEFINITION, table, exclusive, host);
	cr_assert_eq(run_engine(r, endpoint, yaml, fn, &err), 0, "%s", err.message);
}

IT_TABLE_SERVERS_TEST(config_store_flavor_it, apply_converges_and_reports_changes)
{
	const char *endpoint = pcf_test_endpoint(*kind);
	char table[64], yaml[1024];
	pcf_error err = PCF_ERROR_INIT;
	pcf_config_store *app1;
	pcf_ddb *db;
	struct run r;
	cJSON *extra;

	pcf_test_table_name(table, sizeof(table), "cfg-flavor");
	snprintf(yaml, sizeof(yaml), DEFINITION, table, "false", "db.internal");
	/* The plan for a missing table: create it, then add every declared option. */
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_plan, &err), 0, "%s", err.message);
	cr_assert_eq(r.report->particles[0].plan.count, 4);
	cr_assert_str_eq(r.report->particles[0].plan.steps[0].action, "CreateTable");
	cr_assert_str_eq(r.report->particles[0].plan.steps[3].summary, "app2/db: add");
	run_close(&r);

	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_apply, &err), 0, "%s", err.message);
	cr_assert_eq(r.report->particles[0].outcome, PCF_OUTCOME_CONVERGED, "%s",
	             r.report->particles[0].error.message);
	cr_assert(has_action(&r.report->particles[0], "PutItem: app1/db: add"));
	cr_assert(has_action(&r.report->particles[0], "PutItem: app2/db: add"));
	run_close(&r);

	app1 = open_store(&db, endpoint, table, "app1");
	assert_store(app1, "{\"db\":{\"host\":\"db.internal\",\"port\":5432,\"tls\":true},"
	                   "\"flags\":{\"beta\":false,\"ratio\":0.25,\"tags\":[\"a\",\"b\"]}}");

	/* Converged: the plan is empty and status is in sync. */
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_plan, &err), 0, "%s", err.message);
	cr_assert_eq(r.report->particles[0].plan.count, 0);
	run_close(&r);
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_status, &err), 0, "%s", err.message);
	cr_assert_eq(r.report->particles[0].drift.count, 0);
	cr_assert_eq(r.report->particles[0].outcome, PCF_OUTCOME_IN_SYNC);
	run_close(&r);

	/* Someone adds an option; a changed definition updates one option only. */
	extra = parse("{\"by\":\"hand\"}");
	cr_assert_eq(pcf_config_store_set(app1, "manual", extra, NULL), 0);
	cJSON_Delete(extra);
	define_and_run(&r, endpoint, yaml, table, "false", "db2.internal", pcf_engine_status);
	cr_assert_eq(r.report->particles[0].drift.count, 1);
	cr_assert_str_eq(r.report->particles[0].drift.entries[0].path, "Options.app1.db");
	run_close(&r);
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_apply, &err), 0, "%s", err.message);
	cr_assert_eq(r.report->particles[0].action_count, 1);
	cr_assert_str_eq(r.report->particles[0].actions[0], "PutItem: app1/db: change host");
	run_close(&r);
	assert_store(app1, "{\"db\":{\"host\":\"db2.internal\",\"port\":5432,\"tls\":true},"
	                   "\"flags\":{\"beta\":false,\"ratio\":0.25,\"tags\":[\"a\",\"b\"]},"
	                   "\"manual\":{\"by\":\"hand\"}}");

	/* Exclusive: the undeclared option goes. */
	define_and_run(&r, endpoint, yaml, table, "true", "db2.internal", pcf_engine_plan);
	cr_assert_eq(r.report->particles[0].plan.count, 1);
	cr_assert_str_eq(r.report->particles[0].plan.steps[0].action, "DeleteItem");
	run_close(&r);
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_apply, &err), 0, "%s", err.message);
	cr_assert(has_action(&r.report->particles[0],
	                     "DeleteItem: app1/manual: delete (not declared, store is Exclusive)"));
	run_close(&r);
	assert_store(app1, "{\"db\":{\"host\":\"db2.internal\",\"port\":5432,\"tls\":true},"
	                   "\"flags\":{\"beta\":false,\"ratio\":0.25,\"tags\":[\"a\",\"b\"]}}");

	pcf_config_store_close(app1);
	pcf_ddb_free(db);
}

/* Names a fresh table and writes into yaml a config store particle called
 * name on it, with the rest of its aws_resource lines. */
static void store_definition(char *yaml, size_t size, char *table, size_t table_size,
                             const char *prefix, const char *name, const char *rest)
{
	pcf_test_table_name(table, table_size, prefix);
	snprintf(yaml, size,
	         "pcf_name: %s\nflavor: dynamodb_config_store\naws_resource:\n  TableName: %s\n%s",
	         name, table, rest);
}

IT_TABLE_SERVERS_TEST(config_store_flavor_it, mismatched_key_schema_is_refused)
{
	const char *endpoint = pcf_test_endpoint(*kind);
	char table[64], yaml[1024];
	pcf_error err = PCF_ERROR_INIT;
	struct run r;

	/* A config store with other key names owns the table first. */
	store_definition(yaml, sizeof(yaml), table, sizeof(table), "cfg-flavor-schema", "other",
	                 "  StoreKey: app\n  OptionKey: key\n  BillingMode: PAY_PER_REQUEST\n");
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_apply, &err), 0, "%s", err.message);
	run_close(&r);

	snprintf(yaml, sizeof(yaml), DEFINITION, table, "false", "db.internal");
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_apply, &err), PCF_ESCHEMA, "%d %s",
	             err.code, err.message);
	assert_first_failed(&r, PCF_OUTCOME_FAILED, "MisconfiguredSchema");
	run_close(&r);
}

/* Starts a dynalite of the test's own that holds new tables CREATING for
 * create_ms, and writes the usual definition of table into yaml. */
static void holding_server_and_definition(pcf_local_server *server, long create_ms, char *yaml,
                                          size_t size, const char *table)
{
	pcf_test_dynalite_holding(server, create_ms, 0, 0);
	snprintf(yaml, size, DEFINITION, table, "false", "db.internal");
}

Test(config_store_flavor_it, waits_for_a_slow_table_then_writes)
{
	pcf_local_server server;
	char yaml[1024];
	pcf_error err = PCF_ERROR_INIT;
	pcf_config_store *app2;
	pcf_ddb *db;
	struct run r;

	/* A dynalite of this test's own that keeps new tables CREATING for a while. */
	holding_server_and_definition(&server, 1500, yaml, sizeof(yaml), "slow_config");
	cr_assert_eq(run_engine(&r, server.endpoint, yaml, pcf_engine_apply, &err), 0, "%s",
	             err.message);
	cr_assert(has_action(&r.report->particles[0], "PutItem: app2/db: add"));
	run_close(&r);
	app2 = open_store(&db, server.endpoint, "slow_config", "app2");
	assert_store(app2, "{\"db\":{\"host\":\"other\"}}");
	pcf_config_store_close(app2);
	pcf_ddb_free(db);
	pcf_local_server_stop(&server);
}

IT_TABLE_SERVERS_TEST(config_store_flavor_it, failed_create_is_table_not_created)
{
	char table[64], yaml[512];
	pcf_error err = PCF_ERROR_INIT;
	struct run r;

	/* Both servers refuse ten trillion read units in CreateTable. */
	store_definition(yaml, sizeof(yaml), table, sizeof(table), "cfg-flavor-notcreated",
	                 "settings",
	                 "  ProvisionedThroughput: {ReadCapacityUnits: 10000000000000, "
	                 "WriteCapacityUnits: 1}\n");
	cr_assert_eq(run_engine(&r, pcf_test_endpoint(*kind), yaml, pcf_engine_apply, &err),
	             PCF_ETABLE_NOT_CREATED, "%d %s", err.code, err.message);
	assert_first_failed(&r, PCF_OUTCOME_FAILED, "TableNotCreated");
	run_close(&r);
}

Test(config_store_flavor_it, table_never_ready_times_out_naming_table_not_ready)
{
	pcf_local_server server;
	char yaml[1024];
	pcf_error err = PCF_ERROR_INIT;
	struct run r;

	/* A dynalite of this test's own that keeps new tables CREATING past the deadline. */
	holding_server_and_definition(&server, 60000, yaml, sizeof(yaml), "stuck_config");
	engine_timeout_ms = 1000;
	cr_assert_eq(run_engine(&r, server.endpoint, yaml, pcf_engine_apply, &err), PCF_ETIMEDOUT,
	             "%d %s", err.code, err.message);
	assert_first_failed(&r, PCF_OUTCOME_TIMED_OUT, "TableNotReady");
	cr_assert(strstr(r.report->particles[0].error.message, "CREATING") != NULL, "%s",
	          r.report->particles[0].error.message);
	run_close(&r);
	pcf_local_server_stop(&server);
}

IT_TABLE_SERVERS_TEST(config_store_flavor_it, terminate_deletes_the_table)
{
	const char *endpoint = pcf_test_endpoint(*kind);
	char table[64], yaml[1024];
	pcf_error err = PCF_ERROR_INIT;
	pcf_aws_options ao = aws_options(endpoint);
	pcf_ddb *db;
	cJSON *desc = NULL;
	struct run r;

	pcf_test_table_name(table, sizeof(table), "cfg-flavor-term");
	define_and_run(&r, endpoint, yaml, table, "false", "db.internal", pcf_engine_apply);
	run_close(&r);
	snprintf(yaml, sizeof(yaml),
	         "pcf_name: settings\nflavor: dynamodb_config_store\ndesired_state: terminated\n"
	         "aws_resource:\n  TableName: %s\n",
	         table);
	cr_assert_eq(run_engine(&r, endpoint, yaml, pcf_engine_apply, &err), 0, "%s", err.message);
	cr_assert_eq(r.report->particles[0].outcome, PCF_OUTCOME_CONVERGED, "%s",
	             r.report->particles[0].error.message);
	run_close(&r);
	cr_assert_eq(pcf_ddb_new(&db, &ao, &err), 0);
	cr_assert_eq(pcf_ddb_describe_table(&desc, db, table, &err), PCF_ERESOURCE_NOT_FOUND);
	pcf_ddb_free(db);
}
