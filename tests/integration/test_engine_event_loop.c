/*
 * The event-driven converge loop against a real dynalite holding tables
 * CREATING: a waiting table holds no call thread, so with two call threads
 * (DYNAMODB_MAX_CLIENTS=2) every CreateTable of twenty tables goes out
 * before the first table is seen ACTIVE; and a create's own answer is the
 * first state the engine acts on, with no DescribeTable right after it;
 * and no poll goes out while a table's first change is still to be sent.
 * All are judged by the order of requests and events, never by the
 * wall clock.
 */
#define PCF_TEST_SERVERS_NO_HOOKS
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/pcf.h>

#include "quick_engine.h"
#include "servers.h"

#define CREATE_MS 1500
#define TABLES    20
#define LOG_MAX   4096

static pcf_local_server server;
static pcf_services *services;
static pcf_definitions *defs;
static pcf_engine *engine;
static pcf_run_report *report;

/* Requests ("req:CreateTable") and engine events ("state:pending t3") in order. */
static char *entries[LOG_MAX];
static size_t entry_count;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void note(const char *kind, const char *what)
{
	char buf[160];

	snprintf(buf, sizeof(buf), "%s:%s", kind, what);
	pthread_mutex_lock(&log_lock);
	if (entry_count < LOG_MAX)
		entries[entry_count++] = strdup(buf);
	pthread_mutex_unlock(&log_lock);
}

static void on_request(const pcf_aws_request_info *info, void *payload)
{
	(void)payload;
	note("req", info->action);
}

static void on_event(const pcf_event *ev, void *payload)
{
	(void)payload;
	if (ev->kind == PCF_EVENT_STATE)
		note("state", pcf_state_name(ev->state));
	else if (ev->kind == PCF_EVENT_WAITING)
		note("waiting", ev->particle);
}

static void up(void)
{
	pcf_aws_options aws = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	pcf_local_server_environment(1);
	/* Two connections, so two call threads: far fewer than the tables. */
	setenv("DYNAMODB_MAX_CLIENTS", "2", 1);
	cr_assert_eq(pcf_global_init(), 0);
	pcf_test_dynalite_holding(&server, CREATE_MS, 0, 0);
	aws.endpoint = server.endpoint;
	aws.region = "us-east-1";
	aws.on_request = on_request;
	cr_assert_eq(pcf_services_new(&services, &aws, &err), 0, "%s", err.message);
}

static void down(void)
{
	for (size_t i = 0; i < entry_count; i++)
		free(entries[i]);
	pcf_test_engine_free_all(report, engine, defs, services);
	pcf_local_server_stop(&server);
	pcf_global_cleanup();
}

TestSuite(engine_event_loop, .init = up, .fini = down, .timeout = 120);

/* Applies count tables named after prefix with the engine's default options. */
static void apply_tables(int count, const char *prefix)
{
	static char text[TABLES * 512];
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_diags diags;
	char table[96];
	size_t len = 0, flavor_count;

	for (int i = 0; i < count; i++) {
		pcf_test_table_name(table, sizeof(table), prefix);
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		                        "- pcf_name: t%d\n"
		                        "  flavor: dynamodb_table\n"
		                        "  aws_resource:\n"
		                        "    TableName: %s\n"
		                        "    AttributeDefinitions: [{AttributeName: id, "
		                        "AttributeType: S}]\n"
		                        "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
		                        "    BillingMode: PAY_PER_REQUEST\n",
		                        i, table);
		cr_assert_lt(len, sizeof(text));
	}
	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, text, len, "loop.yml", &diags), 0);
	pcf_diags_cleanup(&diags);
	o.flavors = pcf_particles_flavors(&flavor_count);
	o.flavor_count = flavor_count;
	o.services = services;
	o.timeout_ms = 60000;
	o.on_event = on_event;
	cr_assert_eq(pcf_engine_new(&engine, defs, &o, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_engine_apply(&report, engine, &err), 0, "%s", err.message);
}

static size_t first(const char *entry)
{
	for (size_t i = 0; i < entry_count; i++)
		if (strcmp(entries[i], entry) == 0)
			return i;
	return entry_count;
}

static size_t last(const char *entry)
{
	for (size_t i = entry_count; i-- > 0;)
		if (strcmp(entries[i], entry) == 0)
			return i;
	return entry_count;
}

Test(engine_event_loop, waiting_tables_hold_no_call_thread)
{
	size_t creates = 0;

	apply_tables(TABLES, "loop");
	for (size_t i = 0; i < entry_count; i++)
		creates += strcmp(entries[i], "req:CreateTable") == 0;
	cr_assert_eq(creates, TABLES);
	cr_assert_lt(last("req:CreateTable"), first("state:running"),
	             "every table was being created before the first was seen ACTIVE");
}

Test(engine_event_loop, the_create_answer_is_the_first_state)
{
	size_t at;

	apply_tables(1, "answer");
	at = first("req:CreateTable");
	cr_assert_lt(at + 2, entry_count);
	cr_assert_str_eq(entries[at + 1], "state:pending", "the answer said CREATING");
	cr_assert_eq(strncmp(entries[at + 2], "waiting:", 8), 0,
	             "a wait, not a DescribeTable, follows the create: %s", entries[at + 2]);
}

Test(engine_event_loop, changes_go_out_before_polls)
{
	size_t reads = 0, end;

	/* A call thread per table (the default 32 is more than the tables) on the
	 * suite's two connections: first turns queue for a connection beside
	 * whatever else a free thread would start. */
	unsetenv("DYNAMODB_MAX_CLIENTS");
	apply_tables(TABLES, "first");
	end = last("req:CreateTable");
	cr_assert_lt(end, entry_count);
	for (size_t i = 0; i < end; i++)
		reads += strcmp(entries[i], "req:DescribeTable") == 0;
	/* Each table's first read decided its create; a poll of a table being
	 * created would only have delayed the creates still to go out. */
	cr_assert_eq(reads, TABLES, "%zu DescribeTable answered before the last CreateTable",
	             reads);
}
