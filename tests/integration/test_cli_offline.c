/*
 * The pcf binary without a server: help for every command, usage errors
 * and their exit status, and validate (which never touches the network;
 * the endpoint given here is a closed port to prove it).
 */
#include "cli_run.h"
#include "it_cli.h"

#include "case_table.h"
#include "it_cases.h"

#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/cli/cli.h"

static const char good_yaml[] =
    "pcf_name: orders\n"
    "flavor: dynamodb_table\n"
    "desired_state: running\n"
    "aws_resource:\n"
    "  TableName: orders\n" CLI_TABLE_KEY "  BillingMode: PAY_PER_REQUEST\n";

/* Two problems in the table's schema: an AttributeType and a KeyType outside their enums. */
static const char bad_yaml[] = "pcf_name: broken\n"
                               "flavor: dynamodb_table\n"
                               "desired_state: running\n"
                               "aws_resource:\n"
                               "  TableName: broken\n"
                               "  AttributeDefinitions: [{AttributeName: id, AttributeType: Q}]\n"
                               "  KeySchema: [{AttributeName: id, KeyType: PRIMARY}]\n";

/* The particle envelope: desired_state is not a state. */
static const char bad_state_yaml[] = "pcf_name: sleepy\n"
                                     "flavor: dynamodb_table\n"
                                     "desired_state: sleeping\n"
                                     "aws_resource: {TableName: sleepy}\n";

static char dir[256];
static char good[512], bad[512], bad_state[512];

static void setup(void)
{
	/* No region, so that "the run's region" below is what validate says. */
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("AWS_PROFILE");
	setenv("AWS_CONFIG_FILE", "no-such-aws-config-file", 1);
	cli_tempdir(dir, sizeof(dir));
	cli_write(good, sizeof(good), dir, "good.yml", good_yaml);
	cli_write(bad, sizeof(bad), dir, "bad.yml", bad_yaml);
	cli_write(bad_state, sizeof(bad_state), dir, "state.yml", bad_state_yaml);
}

static void teardown(void)
{
	cli_rmdir(dir);
}

TestSuite(cli_offline, .init = setup, .fini = teardown);

Test(cli_offline, help_lists_every_command)
{
	const char *args[] = {"--help", NULL};
	size_t count, k;
	const pcf_cli_command *commands = pcf_cli_commands(&count);
	cli_result r;

	cli_expect(&r, 0, args);
	for (k = 0; k < count; k++)
		cr_assert_not_null(strstr(r.out, commands[k].name), "%s missing from:\n%s",
		                   commands[k].name, r.out);
	cli_result_free(&r);
}

Test(cli_offline, every_command_has_help)
{
	size_t count, k;
	const pcf_cli_command *commands = pcf_cli_commands(&count);

	cr_assert_gt(count, 0);
	for (k = 0; k < count; k++) {
		const char *name = commands[k].name;
		const char *args[] = {name, "--help", NULL};
		char want[64];
		cli_result r;

		cli_expect(&r, 0, args);
		snprintf(want, sizeof(want), " %s ", name);
		cr_assert(strncmp(r.out, "usage: pcf ", 11) == 0, "%s --help:\n%s", name, r.out);
		cr_assert_not_null(strstr(r.out, want), "%s --help:\n%s", name, r.out);
		cr_assert_not_null(strstr(r.out, "exit status"), "%s --help:\n%s", name, r.out);
		cli_result_free(&r);
	}
}

Test(cli_offline, help_command_spelling)
{
	const char *a1[] = {"help", "status", NULL};
	const char *a2[] = {"help", "nosuch", NULL};
	cli_result r;

	cli_expect(&r, 0, a1);
	cr_assert(strncmp(r.out, "usage: pcf status", 17) == 0, "%s", r.out);
	cli_result_free(&r);
	it_expect_err(1, a2, "unknown command 'nosuch'");
}

Test(cli_offline, no_command_is_a_usage_error)
{
	const char *args[] = {NULL};

	it_expect_err_only(1, args, "usage: pcf");
}

Test(cli_offline, version)
{
	const char *args[] = {"--version", NULL};
	cli_result r;

	cli_expect(&r, 0, args);
	cr_assert(strncmp(r.out, "pcf ", 4) == 0, "%s", r.out);
	cli_result_free(&r);
}

Test(cli_offline, unknown_command_and_option)
{
	const char *a1[] = {"deploy", NULL};
	const char *a2[] = {"-f", good, "plan", "--dry", NULL};
	const char *a3[] = {"-o", "xml", "validate", NULL};

	it_expect_err(1, a1, "unknown command 'deploy'");
	it_expect_err(1, a2, "unknown option '--dry'");
	it_expect_err(1, a3, "found 'xml'");
}

Test(cli_offline, validate_good_definitions)
{
	const char *args[] = {"validate", "-f", good, "--endpoint", "http://127.0.0.1:1", NULL};

	it_expect_out(0, args, "dynamodb_table:orders");
}

Test(cli_offline, validate_reports_every_problem_with_its_place)
{
	const char *args[] = {"-f", bad, "validate", NULL};
	char where[600];
	cli_result r;

	cli_expect(&r, 1, args);
	snprintf(where, sizeof(where), "%s:6:", bad);
	cr_assert_not_null(strstr(r.err, where), "AttributeType at line 6:\n%s", r.err);
	snprintf(where, sizeof(where), "%s:7:", bad);
	cr_assert_not_null(strstr(r.err, where), "KeyType at line 7:\n%s", r.err);
	cr_assert_str_eq(r.out, "");
	cli_result_free(&r);
}

Test(cli_offline, validate_reports_a_bad_desired_state)
{
	const char *args[] = {"validate", "-f", bad_state, NULL};
	char where[600];
	cli_result r;

	cli_expect(&r, 1, args);
	snprintf(where, sizeof(where), "%s:3:", bad_state);
	cr_assert_not_null(strstr(r.err, where), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "sleeping"), "%s", r.err);
	cli_result_free(&r);
}

Test(cli_offline, validate_json_lists_problems)
{
	const char *args[] = {"-f", bad, "-f", good, "validate", "-o", "json", NULL};
	cli_result r;
	cJSON *doc, *p;
	int lines_seen = 0;

	cli_expect(&r, 1, args);
	doc = cli_json(&r);
	cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(doc, "valid")));
	cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "problems"))
	{
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(p, "file")));
		cr_assert(cJSON_IsString(cJSON_GetObjectItem(p, "message")));
		lines_seen |= 1 << (int)cJSON_GetObjectItem(p, "line")->valuedouble;
	}
	cr_assert(lines_seen & (1 << 6), "%s", r.out);
	cr_assert(lines_seen & (1 << 7), "%s", r.out);
	cJSON_Delete(doc);
	cli_result_free(&r);
}

Test(cli_offline, validate_unknown_name)
{
	const char *args[] = {"-f", good, "validate", "nosuch", NULL};

	it_expect_err(1, args, "no particle named 'nosuch'");
}

Test(cli_offline, missing_definitions_file_is_named)
{
	char missing[600];
	const char *args[] = {"-f", missing, "validate", NULL};

	snprintf(missing, sizeof(missing), "%s/none.yml", dir);
	it_expect_err(1, args, "none.yml");
}

Test(cli_offline, item_usage_errors)
{
	const char *a1[] = {"-f", good, "item", "get", "orders", NULL};
	const char *a2[] = {"-f", good, "item", "fetch", "orders", NULL};
	const char *a3[] = {"-f", good, "item", "get", "orders", "--key", "{id:1}", NULL};

	it_expect_err(1, a1, "get needs --key");
	it_expect_err(1, a2, "found 'fetch'");
	it_expect_err(1, a3, "--key: not valid JSON");
}

/* The shipped examples stay valid. */
Test(cli_offline, examples_validate)
{
	const char *args[] = {"-f",       PCF_SOURCE_DIR "/examples/pcf.yml",
	                      "-f",       PCF_SOURCE_DIR "/examples/demo/definitions",
	                      "validate", NULL};

	it_expect_out(0, args, "5 particles valid");
}

/* A directory of the given files (name, text pairs, NULL-terminated) under dir. */
static void write_files(char *sub, size_t size, const char *name, const char *const *files)
{
	char path[600];

	snprintf(sub, size, "%s/%s", dir, name);
	cr_assert_eq(mkdir(sub, 0700), 0);
	for (size_t i = 0; files[i] != NULL; i += 2)
		cli_write(path, sizeof(path), sub, files[i], files[i + 1]);
}

/* Does text hold before, then dir, then after, as one string? */
static int has(const char *text, const char *before, const char *dir_, const char *after)
{
	char want[800];

	snprintf(want, sizeof(want), "%s%s%s", before, dir_, after);
	return strstr(text, want) != NULL;
}

/* Two particles on one table; the third is in another region, so another table. */
static const char *const shared_files[] = {
    "a.yml",
    "pcf_name: first\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: shared\n"
    "  BillingMode: PAY_PER_REQUEST\n" CLI_TABLE_KEY,
    "b.yml",
    "# the same table again, as a config store\n"
    "pcf_name: second\n"
    "flavor: dynamodb_config_store\n"
    "aws_resource:\n"
    "  TableName: shared\n"
    "  BillingMode: PAY_PER_REQUEST\n"
    "---\n"
    "pcf_name: elsewhere\n"
    "flavor: dynamodb_config_store\n"
    "aws_resource: {TableName: shared, region_name: eu-west-1, BillingMode: "
    "PAY_PER_REQUEST}\n",
    NULL};

/* Envelope and flavor schema problems of two files, all reported in one run. */
static const char *const every_files[] = {"a.yml",
                                          "pcf_name: a\n"
                                          "flavor: dynamodb_table\n"
                                          "desired_state: sleeping\n"
                                          "aws_resource:\n"
                                          "  TableName: table_a\n"
                                          "  BillingMode: PAY_PER_REQUEST\n"
                                          "  AttributeDefinitions: [{AttributeName: id, "
                                          "AttributeType: S}]\n"
                                          "  KeySchema: [{AttributeName: id, KeyType: HASHH}]\n",
                                          "b.yml",
                                          "pcf_name: b\n"
                                          "flavor: dynamodb_table\n"
                                          "aws_resource:\n"
                                          "  TableName: table_b\n"
                                          "  BillingMode: PAY_PER_REQUEST\n"
                                          "  AttributeDefinitions: [{AttributeName: id, "
                                          "AttributeType: Q}]\n"
                                          "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n",
                                          NULL};

/* The README's style: ${VAR} inside a flow mapping, with its default. */
static const char *const flow_files[] = {
    "flow.yml",
    "pcf_name: flow\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: ${FLOW_TABLE_UNSET_IN_TESTS:-flow_table}\n" CLI_TABLE_KEY
    "  ProvisionedThroughput: {ReadCapacityUnits: ${RCU_UNSET_IN_TESTS:-5}, "
    "WriteCapacityUnits: ${WCU_UNSET_IN_TESTS:-0}}\n",
    NULL};

/* JSON as PCF's commentjson reads it: # and // line comments. */
static const char *const json_files[] = {
    "pcf.json",
    "// PCF particles\n"
    "[{\"pcf_name\": \"j\", # the name\n"
    "  \"flavor\": \"dynamodb_table\",\n"
    "  \"aws_resource\": {\"TableName\": \"http://x//y#z\", \"BillingMode\": "
    "\"PAY_PER_REQUEST\",\n"
    "    \"AttributeDefinitions\": [{\"AttributeName\": \"id\", \"AttributeType\": "
    "\"S\"}],\n"
    "    \"KeySchema\": [{\"AttributeName\": \"id\", \"KeyType\": \"HASH\"}],\n"
    "    \"custom_config\": {}}}]\n",
    NULL};

/* A JSON syntax error is reported as JSON, not YAML. */
static const char *const bad_json_files[] = {"bad.json",
                                             "{\"pcf_name\": \"j\",\n"
                                             "  \"flavor\" \"dynamodb_table\"}\n",
                                             NULL};

/* PCF quasiparticles are explained, not just refused. */
static const char *const quasi_files[] = {"q.yml",
                                          "pcf_name: group\n"
                                          "flavor: quasiparticle\n"
                                          "particles: []\n",
                                          NULL};

/* A validate run over a directory of files that fails with these messages. */
typedef struct refusal_case {
	const char *name;         /* the directory, under dir */
	const char *const *files; /* name, text pairs, NULL-terminated */
	const char *at[3][2];     /* text before and after the directory, in stderr */
	const char *says[2];      /* further text of stderr */
	const char *never;        /* text stderr must not hold */
} refusal_case;

static const refusal_case refusals[] = {
    {"shared",
     shared_files,
     {{"", "/b.yml:5:3: aws_resource: expected each resource declared by one particle"},
      {"table shared in the run's region declared by both dynamodb_table:first (", "/a.yml:1:1)"},
      {"and dynamodb_config_store:second (", "/b.yml:2:1)"}},
     {"1 problem found"},
     "elsewhere"},
    {"every",
     every_files,
     {{"", "/a.yml:3:16: desired_state"}, {"", "/a.yml:8:"}, {"", "/b.yml:6:"}},
     {"3 problems found"},
     NULL},
    /* The only problem is the substituted 0, at the ${ that produced it. */
    {"flow",
     flow_files,
     {{"", "/flow.yml:7:92: aws_resource.ProvisionedThroughput.WriteCapacityUnits: "
           "expected at least 1 capacity unit, found 0"}},
     {"1 problem found"},
     NULL},
    /* The comment-like text inside a string is kept: that name is invalid. */
    {"json",
     json_files,
     {{"", "/pcf.json:4:33: aws_resource.TableName: expected a name"}},
     {"\"http://x//y#z\""},
     NULL},
    {"badjson",
     bad_json_files,
     {{"", "/bad.json:2:12: invalid JSON: expected ':'"}},
     {NULL},
     "YAML"},
    {"quasi",
     quasi_files,
     {{"", "/q.yml:2:9: flavor: flavor quasiparticle is not supported: list its "
           "particles at top level"}},
     {"1 problem found"},
     NULL},
};

#define REFUSALS (sizeof(refusals) / sizeof(refusals[0]))

IT_CASES_TEST(cli_offline, validate_refuses, REFUSALS)
{
	const refusal_case *k = &refusals[*number];
	char sub[600];
	const char *args[] = {"validate", "-f", sub, NULL};
	cli_result r;

	write_files(sub, sizeof(sub), k->name, k->files);
	cli_expect(&r, 1, args);
	for (size_t i = 0; i < 3 && k->at[i][1] != NULL; i++)
		cr_assert(has(r.err, k->at[i][0], sub, k->at[i][1]), "%s: %s%s%s missing:\n%s",
		          k->name, k->at[i][0], sub, k->at[i][1], r.err);
	for (size_t i = 0; i < 2 && k->says[i] != NULL; i++)
		cr_assert(strstr(r.err, k->says[i]), "%s: %s missing:\n%s", k->name, k->says[i],
		          r.err);
	if (k->never != NULL)
		cr_assert_null(strstr(r.err, k->never), "%s: %s found:\n%s", k->name, k->never,
		               r.err);
	cli_result_free(&r);
}

/* Both default files present: which one is meant is not guessed. */
Test(cli_offline, two_default_files_are_refused)
{
	static const char *const files[] = {"pcf.yml", good_yaml, "pcf.json", "{}\n", NULL};
	char sub[600];
	const char *args[] = {"validate", NULL};
	cli_result r;

	write_files(sub, sizeof(sub), "defaults", files);
	cr_assert_eq(chdir(sub), 0);
	cli_expect(&r, 1, args);
	cr_assert(strstr(r.err, "found both ./pcf.yml and ./pcf.json"), "%s", r.err);
	cli_result_free(&r);
}

/* PCF's custom_config is accepted, and -v says it is ignored. */
Test(cli_offline, custom_config_is_noted_at_debug_level)
{
	static const char *const files[] = {"c.yml",
	                                    "pcf_name: c\n"
	                                    "flavor: dynamodb_table\n"
	                                    "aws_resource:\n"
	                                    "  TableName: table_c\n"
	                                    "  BillingMode: PAY_PER_REQUEST\n"
	                                    "  AttributeDefinitions: [{AttributeName: id, "
	                                    "AttributeType: S}]\n"
	                                    "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	                                    "  custom_config: {owner: me}\n",
	                                    NULL};
	char sub[600];
	const char *quiet[] = {"validate", "-f", sub, NULL};
	const char *verbose[] = {"-v", "validate", "-f", sub, NULL};
	cli_result r;

	write_files(sub, sizeof(sub), "custom", files);
	cli_expect(&r, 0, quiet);
	cr_assert_null(strstr(r.err, "custom_config"), "%s", r.err);
	cli_result_free(&r);
	cli_expect(&r, 0, verbose);
	cr_assert(has(r.err, "", sub, "/c.yml:8:"), "%s", r.err);
	cr_assert(strstr(r.err, "custom_config is PCF's own setting: ignored"), "%s", r.err);
	cli_result_free(&r);
}
