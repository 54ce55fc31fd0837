/*
 * The engine against a real dynalite that holds tables CREATING, UPDATING
 * and DELETING for a while, through the dynamodb_table flavor: a graph of
 * particles with parents converges parents first, a child inherits its
 * key attribute from its parent's live table, a second apply does nothing, drift is brought in
 * line, a failing parent stops only its own children, and terminate
 * deletes children before parents.
 */
#define PCF_TEST_SERVERS_NO_HOOKS
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/pcf.h>

#include "quick_engine.h"
#include "servers.h"

#define CREATE_MS 1000

static pcf_local_server server;
static pcf_services *services;
static pcf_definitions *defs;
static pcf_engine *engine;
static pcf_run_report *report;
static char users[96], orders[96], lines[96], audit[96];

static void up(void)
{
	pcf_aws_options aws = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	pcf_local_server_environment(1);
	cr_assert_eq(pcf_global_init(), 0);
	pcf_test_dynalite_holding(&server, CREATE_MS, 500, 500);
	aws.endpoint = server.endpoint;
	aws.region = "us-east-1";
	cr_assert_eq(pcf_services_new(&services, &aws, &err), 0, "%s", err.message);
	pcf_test_table_name(users, sizeof(users), "users");
	pcf_test_table_name(orders, sizeof(orders), "orders");
	pcf_test_table_name(lines, sizeof(lines), "lines");
	pcf_test_table_name(audit, sizeof(audit), "audit");
}

static void down(void)
{
	pcf_test_engine_free_all(report, engine, defs, services);
	pcf_local_server_stop(&server);
	pcf_global_cleanup();
}

TestSuite(engine_graph, .init = up, .fini = down, .timeout = 240);

/* One table particle in YAML keyed by key; parent may be empty. */
static void particle_yaml(char *buf, size_t size, const char *name, const char *table,
                          const char *parent, long long rcu, const char *key)
{
	snprintf(buf, size,
	         "- pcf_name: %s\n"
	         "  flavor: dynamodb_table\n"
	         "  desired_state: running\n"
	         "%s%s%s"
	         "  aws_resource:\n"
	         "    TableName: %s\n"
	         "    AttributeDefinitions: [{AttributeName: \"%s\", AttributeType: S}]\n"
	         "    KeySchema: [{AttributeName: \"%s\", KeyType: HASH}]\n"
	         "    ProvisionedThroughput: {ReadCapacityUnits: %lld, WriteCapacityUnits: 1}\n",
	         name, parent[0] ? "  parents: [dynamodb_table:" : "", parent,
	         parent[0] ? "]\n" : "", table, key, key, rcu);
}

/* Loads the graph users <- orders <- lines, plus audit on its own, and makes an engine. */
static void load_graph(long long orders_rcu, long long users_rcu)
{
	char text[8192], p1[1024], p2[1024], p3[1024], p4[1024];
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_diags diags;
	size_t n;

	/* orders is keyed like users: its key attribute comes from users' live table. */
	particle_yaml(p1, sizeof(p1), "users", users, "", users_rcu, "user_id");
	particle_yaml(p2, sizeof(p2), "orders", orders, "users", orders_rcu,
	              "$inherit$dynamodb_table:users$KeySchema[0].AttributeName");
	particle_yaml(p3, sizeof(p3), "lines", lines, "orders", 1, "id");
	particle_yaml(p4, sizeof(p4), "audit", audit, "", 1, "id");
	snprintf(text, sizeof(text), "%s%s%s%s", p3, p2, p1, p4);

	pcf_run_report_free(report);
	report = NULL;
	pcf_engine_free(engine);
	engine = NULL;
	pcf_definitions_free(defs);
	defs = NULL;
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, text, strlen(text), "graph.yml", &diags), 0,
	             "%s", diags.count ? diags.items[0].message : "?");
	o.flavors = pcf_particles_flavors(&n);
	o.flavor_count = n;
	cr_assert_eq(pcf_engine_validate(defs, o.flavors, n, &diags), 0, "%s",
	             diags.count ? diags.items[0].message : "?");
	pcf_diags_cleanup(&diags);
	o.services = services;
	o.parallel = 4;
	o.timeout_ms = 120000;
	o.yes = 1;
	cr_assert_eq(pcf_engine_new(&engine, defs, &o, &err), 0, "%s", err.message);
}

static const pcf_particle_report *outcome_of(const char *name)
{
	for (size_t i = 0; i < report->count; i++)
		if (strcmp(report->particles[i].def->name, name) == 0)
			return &report->particles[i];
	cr_assert_fail("no report for %s", name);
	return NULL;
}

static cJSON *describe(const char *table)
{
	pcf_ddb *db;
	cJSON *t = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_services_ddb(&db, services, NULL, &err), 0);
	int rc = pcf_ddb_describe_table(&t, db, table, &err);
	if (rc == PCF_ERESOURCE_NOT_FOUND)
		return NULL;
	cr_assert_eq(rc, 0, "%s", err.message);
	return t;
}

static double created_at(const char *table)
{
	cJSON *t = describe(table);
	cr_assert_not_null(t);
	double v = cJSON_GetObjectItem(t, "CreationDateTime")->valuedouble;
	cJSON_Delete(t);
	return v;
}

static void apply_ok(void)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc = pcf_engine_apply(&report, engine, &err);
	for (size_t i = 0; rc != 0 && i < report->count; i++)
		cr_log_error("%s: %s %s", report->particles[i].def->name,
		             pcf_outcome_name(report->particles[i].outcome),
		             report->particles[i].error.message);
	cr_assert_eq(rc, 0, "%s", err.message);
}

Test(engine_graph, converges_parents_first_then_is_idempotent_then_terminates_children_first)
{
	load_graph(1, 1);
	apply_ok();
	cr_assert_eq(report->count, 4);
	for (size_t i = 0; i < report->count; i++) {
		cr_assert_eq(report->particles[i].outcome, PCF_OUTCOME_CONVERGED);
		cr_assert_eq(report->particles[i].state, PCF_STATE_RUNNING);
		cr_assert_str_eq(report->particles[i].actions[0], "CreateTable");
	}
	/* Each child was created only once its parent was ACTIVE (server's own clock). */
	cr_assert_geq(created_at(orders) - created_at(users), CREATE_MS / 1000.0 - 0.05);
	cr_assert_geq(created_at(lines) - created_at(orders), CREATE_MS / 1000.0 - 0.05);

	/* orders took its key attribute from users' live table. */
	cJSON *o = describe(orders);
	cJSON *k = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "KeySchema"), 0);
	cr_assert_str_eq(cJSON_GetObjectItem(k, "AttributeName")->valuestring, "user_id");
	cJSON_Delete(o);

	/* A second run finds nothing to do, and status agrees. */
	pcf_run_report_free(report);
	report = NULL;
	apply_ok();
	for (size_t i = 0; i < report->count; i++)
		cr_assert_eq(report->particles[i].action_count, 0, "%s: %s",
		             report->particles[i].def->name, report->particles[i].actions[0]);
	pcf_run_report_free(report);
	report = NULL;
	cr_assert_eq(pcf_engine_status(&report, engine, NULL), 0);
	for (size_t i = 0; i < report->count; i++)
		cr_assert_eq(report->particles[i].outcome, PCF_OUTCOME_IN_SYNC, "%s drifted at %s",
		             report->particles[i].def->name,
		             report->particles[i].drift.count
		                 ? report->particles[i].drift.entries[0].path
		                 : "?");

	/* Terminate everything: lines before orders before users. */
	pcf_run_report_free(report);
	report = NULL;
	pcf_engine_set_desired(engine, PCF_DESIRED_TERMINATED);
	apply_ok();
	for (size_t i = 0; i < report->count; i++) {
		cr_assert_eq(report->particles[i].state, PCF_STATE_MISSING);
		cr_assert_str_eq(report->particles[i].actions[0], "DeleteTable");
	}
	cr_assert_null(describe(users));
	cr_assert_null(describe(lines));
}

Test(engine_graph, drift_is_planned_then_applied_and_a_failed_parent_skips_only_its_children)
{
	load_graph(1, 1);
	apply_ok();

	/* orders wants more read capacity: plan says UpdateTable, apply does it. */
	load_graph(3, 1);
	pcf_run_report_free(report);
	report = NULL;
	cr_assert_eq(pcf_engine_plan(&report, engine, NULL), 0);
	cr_assert_eq(outcome_of("orders")->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(outcome_of("orders")->plan.count, 1);
	cr_assert_str_eq(outcome_of("orders")->plan.steps[0].action, "UpdateTable");
	cr_assert_eq(outcome_of("users")->outcome, PCF_OUTCOME_IN_SYNC);
	pcf_run_report_free(report);
	report = NULL;
	apply_ok();
	cr_assert_eq(outcome_of("orders")->action_count, 1);
	cr_assert(strstr(outcome_of("orders")->actions[0], "UpdateTable"));
	cJSON *t = describe(orders);
	cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "ProvisionedThroughput"),
	                                 "ReadCapacityUnits")
	                 ->valueint,
	             3);
	cr_assert_str_eq(cJSON_GetObjectItem(t, "TableStatus")->valuestring, "ACTIVE");
	cJSON_Delete(t);

	/* users now asks for something the server refuses (validate passes it: the
	 * ceiling is the account's): its children are skipped, audit still converges. */
	load_graph(3, 1000000000001LL);
	pcf_run_report_free(report);
	report = NULL;
	cr_assert_neq(pcf_engine_apply(&report, engine, NULL), 0);
	cr_assert_eq(outcome_of("users")->outcome, PCF_OUTCOME_FAILED);
	cr_assert_eq(outcome_of("users")->error.code, PCF_EVALIDATION, "%s",
	             outcome_of("users")->error.message);
	cr_assert_eq(outcome_of("orders")->outcome, PCF_OUTCOME_SKIPPED);
	cr_assert_eq(outcome_of("lines")->outcome, PCF_OUTCOME_SKIPPED);
	cr_assert_eq(outcome_of("audit")->outcome, PCF_OUTCOME_CONVERGED);
}

Test(engine_graph, timeout_names_the_table_still_creating)
{
	char text[1024];
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_diags diags;
	size_t n;

	particle_yaml(text, sizeof(text), "slow", audit, "", 1, "id");
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, text, strlen(text), "slow.yml", &diags), 0);
	pcf_diags_cleanup(&diags);
	o.flavors = pcf_particles_flavors(&n);
	o.flavor_count = n;
	o.services = services;
	o.timeout_ms = CREATE_MS / 4;
	cr_assert_eq(pcf_engine_new(&engine, defs, &o, &err), 0, "%s", err.message);

	cr_assert_eq(pcf_engine_apply(&report, engine, &err), PCF_ETIMEDOUT, "%s", err.message);
	const pcf_particle_report *r = outcome_of("slow");
	cr_assert_eq(r->outcome, PCF_OUTCOME_TIMED_OUT);
	cr_assert_eq(r->state, PCF_STATE_PENDING);
	cr_assert(strstr(r->error.message, "CREATING"), "%s", r->error.message);
	cr_assert_str_eq(err.message, r->error.message);
}
