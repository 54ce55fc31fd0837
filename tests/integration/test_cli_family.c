/*
 * The pcf binary against dynalite: PCF's own CLI spellings (--cascade,
 * --state, -t), the step objects plan and apply share in -o json, and
 * `config get` / `config list` of a store that does not exist.
 */
#include "cli_run.h"
#include "servers.h"

#include <pcf/pcf.h>

/* A parent table and a child that names it; %s: names and tables. */
static const char family_yaml[] =
    "pcf_name: %s\n"
    "flavor: dynamodb_table\n"
    "desired_state: running\n"
    "aws_resource:\n"
    "  TableName: %s\n" CLI_TABLE_KEY "  BillingMode: PAY_PER_REQUEST\n"
    "---\n"
    "pcf_name: %s\n"
    "flavor: dynamodb_table\n"
    "desired_state: running\n"
    "parents: [dynamodb_table:%s]\n"
    "aws_resource:\n"
    "  TableName: %s\n" CLI_TABLE_KEY "  BillingMode: PAY_PER_REQUEST\n";

typedef struct family {
	const char *endpoint;
	char dir[256];
	char path[600];
	char parent[96];
	char child[96];
} family;

static void family_init(family *f)
{
	char text[2048];

	f->endpoint = pcf_test_endpoint(PCF_LOCAL_DYNALITE);
	cli_tempdir(f->dir, sizeof(f->dir));
	pcf_test_table_name(f->parent, sizeof(f->parent), "cli-parent");
	pcf_test_table_name(f->child, sizeof(f->child), "cli-child");
	snprintf(text, sizeof(text), family_yaml, f->parent, f->parent, f->child, f->parent,
	         f->child);
	cli_write(f->path, sizeof(f->path), f->dir, "pcf.yml", text);
}

/* Runs `pcf --endpoint E -f PATH <words...>` (up to five) and expects a status. */
static void run_words(cli_result *r, const family *f, int status, const char *w1, const char *w2,
                      const char *w3, const char *w4, const char *w5)
{
	const char *args[] = {"--endpoint", f->endpoint, "-f", f->path, w1, w2, w3, w4, w5, NULL};

	cli_expect(r, status, args);
}

/* o.key, which must be a string. */
static const char *field(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	cr_assert(cJSON_IsString(v), "no string \"%s\"", key);
	return v->valuestring;
}

/* The first entry of list ("steps", "actions") of the first particle in doc. */
static const cJSON *first_entry(const cJSON *doc, const char *list)
{
	const cJSON *particle = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0);

	return cJSON_GetArrayItem(cJSON_GetObjectItem(particle, list), 0);
}

/* The live state status reports for a particle. */
static void expect_state(const family *f, const char *name, const char *want)
{
	cli_result r;
	cJSON *doc;
	const cJSON *p;

	run_words(&r, f, 2, "-o", "json", "status", name, NULL);
	doc = cli_json(&r);
	p = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "particles"), 0);
	cr_assert_str_eq(field(p, "state"), want, "%s: %s", name, r.out);
	cJSON_Delete(doc);
	cli_result_free(&r);
}

static void expect_running(const family *f, const char *name)
{
	cli_result r;

	run_words(&r, f, 0, "status", name, NULL, NULL, NULL);
	cli_result_free(&r);
}

TestSuite(cli_family);

/* PCF's --cascade: terminating a parent terminates its children first. */
Test(cli_family, cascade_terminate_takes_the_children)
{
	family f;
	cli_result r;
	cJSON *doc;

	family_init(&f);
	run_words(&r, &f, 0, "apply", NULL, NULL, NULL, NULL);
	cli_result_free(&r);
	expect_running(&f, f.child);

	/* Without --cascade only the named particle goes. */
	run_words(&r, &f, 0, "terminate", "--yes", f.parent, NULL, NULL);
	cli_result_free(&r);
	expect_state(&f, f.parent, "missing");
	expect_running(&f, f.child);

	run_words(&r, &f, 0, "apply", NULL, NULL, NULL, NULL);
	cli_result_free(&r);
	{
		const char *args[] = {"--endpoint", f.endpoint, "-f",    f.path,   "-o", "json",
		                      "terminate",  "-c",       "--yes", f.parent, NULL};

		cli_expect(&r, 0, args);
	}
	doc = cli_json(&r);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "particles")), 2,
	             "the child is part of the run: %s", r.out);
	cJSON_Delete(doc);
	cli_result_free(&r);
	expect_state(&f, f.parent, "missing");
	expect_state(&f, f.child, "missing");
	cli_rmdir(f.dir);
}

/* PCF's --state: apply --state S is run/stop/terminate; a contradiction is refused. */
Test(cli_family, state_option_sets_the_desired_state)
{
	family f;
	cli_result r;

	family_init(&f);
	run_words(&r, &f, 0, "apply", "--state", "running", f.parent, NULL);
	cli_result_free(&r);
	expect_running(&f, f.parent);
	run_words(&r, &f, 0, "apply", "-s", "terminated", "--yes", f.parent);
	cli_result_free(&r);
	expect_state(&f, f.parent, "missing");
	run_words(&r, &f, 0, "apply", "--state=running", "-t", "120", f.parent);
	cli_result_free(&r);
	expect_running(&f, f.parent);

	run_words(&r, &f, 1, "terminate", "--state", "running", f.parent, NULL);
	cr_assert_not_null(strstr(r.err, "pcf apply --state running"), "says what to use: %s",
	                   r.err);
	cli_result_free(&r);
	run_words(&r, &f, 1, "apply", "--state", "sleeping", f.parent, NULL);
	cr_assert_not_null(strstr(r.err, "running, stopped or terminated"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "sleeping"), "%s", r.err);
	cli_result_free(&r);
	run_words(&r, &f, 0, "terminate", "--state", "terminated", "--yes", f.parent);
	cli_result_free(&r);
	expect_state(&f, f.parent, "missing");
	cli_rmdir(f.dir);
}

/* plan's steps and apply's actions are the same objects, with a kind. */
Test(cli_family, plan_steps_and_apply_actions_share_one_shape)
{
	family f;
	cli_result r;
	cJSON *doc;
	const cJSON *step;

	family_init(&f);
	run_words(&r, &f, 2, "-o", "json", "plan", f.parent, NULL);
	doc = cli_json(&r);
	step = first_entry(doc, "steps");
	cr_assert_str_eq(field(step, "kind"), "create", "%s", r.out);
	cr_assert_str_eq(field(step, "action"), "CreateTable");
	cJSON_Delete(doc);
	cli_result_free(&r);

	run_words(&r, &f, 0, "-o", "json", "apply", f.parent, NULL);
	doc = cli_json(&r);
	step = first_entry(doc, "actions");
	cr_assert(cJSON_IsObject(step), "%s", r.out);
	cr_assert_str_eq(field(step, "kind"), "create", "%s", r.out);
	cr_assert_str_eq(field(step, "action"), "CreateTable");
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(step, "summary")));
	cJSON_Delete(doc);
	cli_result_free(&r);
	run_words(&r, &f, 0, "terminate", "--yes", f.parent, NULL, NULL);
	cli_result_free(&r);
	cli_rmdir(f.dir);
}

/* A store with no options does not exist: get and list of it are errors. */
Test(cli_family, config_of_a_store_that_does_not_exist_is_an_error)
{
	const char *ep = pcf_test_endpoint(PCF_LOCAL_DYNALITE);
	pcf_aws_options ao = PCF_AWS_OPTIONS_INIT;
	pcf_config_table t = PCF_CONFIG_TABLE_INIT;
	pcf_config_create_options co = PCF_CONFIG_CREATE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;
	char table[96];
	cli_result r;
	cJSON *doc;

	pcf_test_table_name(table, sizeof(table), "cli-cfg");
	ao.endpoint = ep;
	ao.region = "us-east-1";
	cr_assert_eq(pcf_ddb_new(&db, &ao, &err), 0, "%s", err.message);
	t.name = table;
	co.poll_interval_ms = 100;
	cr_assert_eq(pcf_config_table_ensure(db, &t, &co, &err), 0, "%s", err.message);
	pcf_ddb_free(db);
	{
		const char *set[] = {"--endpoint", ep,    "config",  "set", "app1",
		                     "db",         "h=x", "--table", table, NULL};
		const char *get[] = {"--endpoint", ep,        "config", "get",
		                     "nosuch",     "--table", table,    NULL};
		const char *list[] = {"--endpoint", ep,        "config", "list",
		                      "nosuch",     "--table", table,    NULL};
		const char *get_json[] = {"--endpoint", ep,       "-o",      "json", "config",
		                          "get",        "nosuch", "--table", table,  NULL};

		cli_expect(&r, 0, set);
		cli_result_free(&r);
		cli_expect(&r, 1, get);
		cr_assert_not_null(strstr(r.err, "store nosuch does not exist"), "%s", r.err);
		cr_assert_not_null(strstr(r.err, table), "names the table: %s", r.err);
		cr_assert_str_eq(r.out, "");
		cli_result_free(&r);
		cli_expect(&r, 1, list);
		cr_assert_not_null(strstr(r.err, "store nosuch does not exist"), "%s", r.err);
		cli_result_free(&r);
		cli_expect(&r, 1, get_json);
		doc = cli_json(&r);
		cr_assert_not_null(cJSON_GetObjectItem(doc, "error"), "%s", r.out);
		cJSON_Delete(doc);
		cli_result_free(&r);
	}
}
