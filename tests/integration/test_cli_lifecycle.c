/*
 * A table's life through the pcf binary, on dynoxide and dynalite (both
 * show every step used here; dynalite also holds statuses for a while):
 * apply creates it, status and plan agree it is in sync, a changed
 * definition plans an UpdateTable and apply makes it, a change made with
 * another client (libpcf's own DynamoDB client here, not the CLI) shows up
 * as drift in status (exit 2, the drifted path) and apply undoes it;
 * terminate refuses without --yes and deletes with it; a particle with
 * persist_on_termination survives terminate; -o json documents parse and
 * follow DESIGN.md's shape throughout.
 */
#include "cli_run.h"
#include <criterion/parameterized.h>
#include "it_servers.h"
#include "it_ddb.h"
#include "servers.h"

#include <pcf/pcf.h>

static const char table_yaml[] =
    "pcf_name: %s\n"
    "flavor: dynamodb_table\n"
    "desired_state: running\n"
    "persist_on_termination: %s\n"
    "aws_resource:\n"
    "  TableName: %s\n" CLI_TABLE_KEY "  BillingMode: PROVISIONED\n"
    "  ProvisionedThroughput: {ReadCapacityUnits: %d, WriteCapacityUnits: 5}\n";

typedef struct fixture {
	const char *endpoint;
	char dir[256];
	char path[600];
	char table[96];
} fixture;

static void write_defs(fixture *f, int read_units, int persist)
{
	char text[1024];

	snprintf(text, sizeof(text), table_yaml, f->table, persist ? "true" : "false", f->table,
	         read_units);
	cli_write(f->path, sizeof(f->path), f->dir, "pcf.yml", text);
}

static void fixture_init(fixture *f, pcf_local_server_kind kind, const char *prefix)
{
	f->endpoint = pcf_test_endpoint(kind);
	cli_tempdir(f->dir, sizeof(f->dir));
	pcf_test_table_name(f->table, sizeof(f->table), prefix);
	write_defs(f, 5, 0);
}

/* Runs `pcf --endpoint E -f PATH <words...>` and expects an exit status. */
static void run_pcf(cli_result *r, const fixture *f, int status, const char *w1, const char *w2,
                    const char *w3, const char *w4)
{
	const char *args[] = {"--endpoint", f->endpoint, "-f", f->path, w1, w2, w3, w4, NULL};

	cli_expect(r, status, args);
}

static int table_exists(const fixture *f)
{
	pcf_ddb *db = it_ddb_for(f->endpoint);
	pcf_error err = PCF_ERROR_INIT;
	cJSON *desc = NULL;
	int rc = pcf_ddb_describe_table(&desc, db, f->table, &err);

	cJSON_Delete(desc);
	pcf_ddb_free(db);
	cr_assert(rc == 0 || rc == PCF_ERESOURCE_NOT_FOUND, "DescribeTable: %s", err.message);
	return rc == 0;
}

/* Changes the read capacity behind pcf's back and waits for ACTIVE. */
static void change_out_of_band(const fixture *f, int read_units)
{
	pcf_ddb *db = it_ddb_for(f->endpoint);
	pcf_error err = PCF_ERROR_INIT;

	it_ddb_set_read_units(db, f->table, read_units);
	cr_assert_eq(pcf_ddb_wait_table(NULL, db, f->table, PCF_DDB_TABLE_ACTIVE, 100, 30000, &err),
	             0, "%s", err.message);
	pcf_ddb_free(db);
}

/* The one particle of a status/plan document, checked against the schema. */
static cJSON *only_particle(cJSON *doc, const fixture *f)
{
	cJSON *list = cJSON_GetObjectItem(doc, "particles"), *p;

	cr_assert(cJSON_IsArray(list));
	cr_assert_eq(cJSON_GetArraySize(list), 1);
	p = cJSON_GetArrayItem(list, 0);
	cr_assert_str_eq(cJSON_GetObjectItem(p, "name")->valuestring, f->table);
	cr_assert_str_eq(cJSON_GetObjectItem(p, "flavor")->valuestring, "dynamodb_table");
	cr_assert_str_eq(cJSON_GetObjectItem(p, "table")->valuestring, f->table);
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(p, "state")));
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(p, "desired_state")));
	return p;
}

static void expect_in_sync(const fixture *f)
{
	cli_result r;
	cJSON *doc, *p;

	run_pcf(&r, f, 0, "status", "-o", "json", NULL);
	doc = cli_json(&r);
	p = only_particle(doc, f);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "in_sync")), "%s", r.out);
	cr_assert_str_eq(cJSON_GetObjectItem(p, "state")->valuestring, "running");
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(p, "drift")), 0);
	cJSON_Delete(doc);
	cli_result_free(&r);
}

IT_TABLE_SERVERS_TEST(cli_lifecycle, apply_change_drift_terminate)
{
	fixture f;
	cli_result r;
	cJSON *doc, *p, *step, *drift;

	fixture_init(&f, *kind, "cli-life");

	/* Missing: plan wants to create it, status says not at desired state. */
	run_pcf(&r, &f, 2, "plan", NULL, NULL, NULL);
	cr_assert_not_null(strstr(r.out, "CreateTable"), "%s", r.out);
	cli_result_free(&r);
	run_pcf(&r, &f, 2, "status", NULL, NULL, NULL);
	cli_result_free(&r);

	run_pcf(&r, &f, 0, "apply", NULL, NULL, NULL);
	cli_result_free(&r);
	cr_assert(table_exists(&f));
	expect_in_sync(&f);
	run_pcf(&r, &f, 0, "plan", NULL, NULL, NULL);
	cr_assert_not_null(strstr(r.out, "No changes"), "%s", r.out);
	cli_result_free(&r);

	/* A changed definition: plan shows one UpdateTable, apply makes it. */
	write_defs(&f, 10, 0);
	run_pcf(&r, &f, 2, "plan", "-o", "json", NULL);
	doc = cli_json(&r);
	p = only_particle(doc, &f);
	step = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "steps"), 0);
	cr_assert_str_eq(cJSON_GetObjectItem(step, "action")->valuestring, "UpdateTable", "%s",
	                 r.out);
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(step, "summary")));
	cJSON_Delete(doc);
	cli_result_free(&r);
	run_pcf(&r, &f, 0, "apply", NULL, NULL, NULL);
	cli_result_free(&r);
	expect_in_sync(&f);

	/* Another client changes the table: status sees it, apply undoes it. */
	change_out_of_band(&f, 7);
	run_pcf(&r, &f, 2, "status", "-o", "json", NULL);
	doc = cli_json(&r);
	p = only_particle(doc, &f);
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(p, "in_sync")));
	drift = cJSON_GetArrayItem(cJSON_GetObjectItem(p, "drift"), 0);
	cr_assert_str_eq(cJSON_GetObjectItem(drift, "path")->valuestring,
	                 "ProvisionedThroughput.ReadCapacityUnits", "%s", r.out);
	cr_assert_eq(cJSON_GetObjectItem(drift, "desired")->valuedouble, 10);
	cr_assert_eq(cJSON_GetObjectItem(drift, "current")->valuedouble, 7);
	cJSON_Delete(doc);
	cli_result_free(&r);
	run_pcf(&r, &f, 2, "status", NULL, NULL, NULL);
	cr_assert_not_null(
	    strstr(r.out, "ProvisionedThroughput.ReadCapacityUnits: 7 (current) -> 10"), "%s",
	    r.out);
	cli_result_free(&r);
	run_pcf(&r, &f, 0, "apply", NULL, NULL, NULL);
	cli_result_free(&r);
	expect_in_sync(&f);

	/* terminate deletes only with --yes. */
	run_pcf(&r, &f, 1, "terminate", NULL, NULL, NULL);
	cr_assert_not_null(strstr(r.out, "--yes"), "stdout:\n%s\nstderr:\n%s", r.out, r.err);
	cli_result_free(&r);
	cr_assert(table_exists(&f), "terminate without --yes left the table alone");
	run_pcf(&r, &f, 0, "terminate", "--yes", "-o", "json");
	doc = cli_json(&r);
	p = only_particle(doc, &f);
	cr_assert_str_eq(cJSON_GetObjectItem(p, "desired_state")->valuestring, "terminated");
	cJSON_Delete(doc);
	cli_result_free(&r);
	cr_assert_not(table_exists(&f));

	/* run and stop override desired_state the same way (stop deletes a table). */
	run_pcf(&r, &f, 0, "run", f.table, NULL, NULL);
	cli_result_free(&r);
	cr_assert(table_exists(&f));
	run_pcf(&r, &f, 0, "stop", "--yes", NULL, NULL);
	cli_result_free(&r);
	cr_assert_not(table_exists(&f));
	cli_rmdir(f.dir);
}

IT_TABLE_SERVERS_TEST(cli_lifecycle, persist_on_termination_keeps_the_table)
{
	fixture f;
	cli_result r;

	fixture_init(&f, *kind, "cli-persist");
	write_defs(&f, 5, 1);
	run_pcf(&r, &f, 0, "apply", NULL, NULL, NULL);
	cli_result_free(&r);
	/* Kept and a success, as in PCF; the output says the table stays. */
	run_pcf(&r, &f, 0, "terminate", "--yes", NULL, NULL);
	cr_assert_not_null(strstr(r.out, "kept: persist_on_termination"), "%s", r.out);
	cli_result_free(&r);
	cr_assert(table_exists(&f), "persist_on_termination: the table must survive");
	/* --strict: a pipeline that wants it to be an error gets exit 1. */
	run_pcf(&r, &f, 1, "terminate", "--yes", "--strict", NULL);
	cr_assert_not_null(strstr(r.out, "persist_on_termination"), "%s", r.out);
	cli_result_free(&r);
	run_pcf(&r, &f, 0, "terminate", "--yes", "-o", "json");
	cr_assert_not_null(strstr(r.out, "\"kept\""), "%s", r.out);
	cli_result_free(&r);
	cr_assert(table_exists(&f), "persist_on_termination: the table must survive");
	run_pcf(&r, &f, 0, "status", NULL, NULL, NULL);
	cli_result_free(&r);
	cli_rmdir(f.dir);
}

/* A key attribute changing type cannot be done in place. */
IT_TABLE_SERVERS_TEST(cli_lifecycle, replacement_needs_allow_replace_and_yes)
{
	fixture f;
	cli_result r;
	char text[1024], *at;

	fixture_init(&f, *kind, "cli-replace");
	run_pcf(&r, &f, 0, "apply", NULL, NULL, NULL);
	cli_result_free(&r);
	snprintf(text, sizeof(text), table_yaml, f.table, "false", f.table, 5);
	at = strstr(text, "AttributeType: S");
	cr_assert_not_null(at);
	at[strlen("AttributeType: ")] = 'N';
	cli_write(f.path, sizeof(f.path), f.dir, "pcf.yml", text);

	run_pcf(&r, &f, 2, "plan", NULL, NULL, NULL);
	cr_assert_not_null(strstr(r.out, "  ! "), "a replacement is marked '!':\n%s", r.out);
	cli_result_free(&r);
	run_pcf(&r, &f, 1, "apply", NULL, NULL, NULL);
	cr_assert_not_null(strstr(r.out, "--allow-replace"), "%s", r.out);
	cli_result_free(&r);
	run_pcf(&r, &f, 1, "apply", "--allow-replace", NULL, NULL);
	cr_assert_not_null(strstr(r.out, "--yes"), "%s", r.out);
	cli_result_free(&r);
	run_pcf(&r, &f, 0, "apply", "--allow-replace", "--yes", NULL);
	cli_result_free(&r);
	expect_in_sync(&f);
	run_pcf(&r, &f, 0, "terminate", "--yes", NULL, NULL);
	cli_result_free(&r);
	cli_rmdir(f.dir);
}

Test(cli_lifecycle, unknown_particle_name_is_an_error)
{
	fixture f;
	cli_result r;

	fixture_init(&f, PCF_LOCAL_DYNOXIDE, "cli-unknown");
	run_pcf(&r, &f, 1, "status", "nosuch", NULL, NULL);
	cr_assert_not_null(strstr(r.err, "nosuch"), "%s", r.err);
	cli_result_free(&r);
	cli_rmdir(f.dir);
}

Test(cli_lifecycle, unreachable_endpoint_is_an_error_not_drift)
{
	fixture f;
	cli_result r;

	fixture_init(&f, PCF_LOCAL_DYNOXIDE, "cli-down");
	f.endpoint = "http://127.0.0.1:1";
	/* Inherited by pcf: fail at the first refused connection. */
	setenv("AWS_MAX_ATTEMPTS", "1", 1);
	run_pcf(&r, &f, 1, "status", "--timeout", "5", NULL);
	cr_assert_not_null(strstr(r.err, "could not be read"), "%s", r.err);
	cr_assert_not_null(strstr(r.out, "error:"), "%s", r.out);
	cli_result_free(&r);
	cli_rmdir(f.dir);
}
