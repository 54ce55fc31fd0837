/*
 * pcf validate (and apply, which validates first) on what only the whole
 * run can tell: two particles on one table once the run's region fills in
 * a missing region_name, and an ignore_changes the flavor cannot honour.
 * No server: the endpoint is a closed port, and nothing is sent.
 */
#include "cli_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[256];
static char a_yml[512], b_yml[512];

/* The run's region comes only from what each test sets: no variable and
 * no config file of the machine running the tests. */
static void setup(void)
{
	char none[600];

	cli_tempdir(dir, sizeof(dir));
	snprintf(none, sizeof(none), "%s/no-such-file", dir);
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("AWS_PROFILE");
	setenv("AWS_CONFIG_FILE", none, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", none, 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
}

static void teardown(void)
{
	cli_rmdir(dir);
}

TestSuite(cli_definition_checks, .init = setup, .fini = teardown);

/* first names us-east-1; second names no region (both start at line 1). */
static void write_pair(const char *second_flavor)
{
	char b[512];

	cli_write(a_yml, sizeof(a_yml), dir, "a.yml",
	          "pcf_name: first\n"
	          "flavor: dynamodb_table\n"
	          "aws_resource:\n"
	          "  TableName: orders\n"
	          "  region_name: us-east-1\n"
	          "  BillingMode: PAY_PER_REQUEST\n" CLI_TABLE_KEY);
	snprintf(b, sizeof(b),
	         "pcf_name: second\n"
	         "flavor: %s\n"
	         "aws_resource:\n"
	         "  TableName: orders\n"
	         "  BillingMode: PAY_PER_REQUEST\n%s",
	         second_flavor, strcmp(second_flavor, "dynamodb_table") ? "" : CLI_TABLE_KEY);
	cli_write(b_yml, sizeof(b_yml), dir, "b.yml", b);
}

/* The refusal names both particles, both places and the region. */
static void expect_clash(const cli_result *r, const char *second_id)
{
	char want[2400];

	snprintf(want, sizeof(want),
	         "%s:4:3: aws_resource: expected each resource declared by one particle, found "
	         "table orders in region us-east-1 declared by both dynamodb_table:first "
	         "(%s:1:1) and %s (%s:1:1)",
	         b_yml, a_yml, second_id, b_yml);
	cr_assert(strstr(r->err, want), "want:\n%s\nin:\n%s", want, r->err);
}

Test(cli_definition_checks, region_flag_makes_the_missing_region_name_the_same_table)
{
	const char *args[] = {"--region", "us-east-1", "validate", "-f", dir, NULL};
	cli_result r;

	write_pair("dynamodb_table");
	cli_expect(&r, 1, args);
	expect_clash(&r, "dynamodb_table:second");
	cr_assert(strstr(r.err, "1 problem found"), "%s", r.err);
	cli_result_free(&r);
}

Test(cli_definition_checks, aws_region_counts_for_a_config_store_too)
{
	const char *args[] = {"validate", "-f", dir, NULL};
	cli_result r;

	setenv("AWS_REGION", "us-east-1", 1);
	write_pair("dynamodb_config_store");
	cli_expect(&r, 1, args);
	expect_clash(&r, "dynamodb_config_store:second");
	cli_result_free(&r);
}

Test(cli_definition_checks, the_profile_region_counts)
{
	char config[600];
	const char *args[] = {"--profile", "east", "validate", "-f", dir, NULL};
	cli_result r;

	cli_write(config, sizeof(config), dir, "aws-config",
	          "[default]\nregion = eu-west-1\n[profile east]\nregion = us-east-1\n");
	setenv("AWS_CONFIG_FILE", config, 1);
	write_pair("dynamodb_table");
	cli_expect(&r, 1, args);
	expect_clash(&r, "dynamodb_table:second");
	cli_result_free(&r);
}

Test(cli_definition_checks, apply_refuses_the_pair_before_any_request)
{
	const char *args[] = {"--region",  "us-east-1", "--endpoint", "http://127.0.0.1:1",
	                      "--timeout", "5",         "apply",      "-f",
	                      dir,         NULL};
	cli_result r;

	write_pair("dynamodb_table");
	cli_expect(&r, 1, args);
	expect_clash(&r, "dynamodb_table:second");
	cr_assert_null(strstr(r.err, "127.0.0.1"), "nothing was sent:\n%s", r.err);
	cli_result_free(&r);
}

/* In another region the particle without region_name is another table. */
Test(cli_definition_checks, another_run_region_is_another_table)
{
	const char *args[] = {"--region", "eu-west-1", "validate", "-f", dir, NULL};
	cli_result r;

	write_pair("dynamodb_table");
	cli_expect(&r, 0, args);
	cr_assert(strstr(r.out, "2 particles valid"), "%s", r.out);
	cli_result_free(&r);
}

/*
 * With no region configured validate cannot know the run's region, so the
 * names compare as written: a run that later has a region refuses the pair
 * then, as apply does above.
 */
Test(cli_definition_checks, without_a_region_the_names_compare_as_written)
{
	const char *args[] = {"validate", "-f", dir, NULL};
	cli_result r;

	write_pair("dynamodb_table");
	cli_expect(&r, 0, args);
	cli_result_free(&r);
}

/* A config store has no ignore_changes: refused where it is written, not dropped. */
Test(cli_definition_checks, ignore_changes_is_refused_where_the_flavor_cannot_honour_it)
{
	char c_yml[512], want[800];
	const char *args[] = {"validate", "-f", dir, NULL};
	cli_result r;

	cli_write(c_yml, sizeof(c_yml), dir, "c.yml",
	          "pcf_name: settings\n"
	          "flavor: dynamodb_config_store\n"
	          "ignore_changes: [ProvisionedThroughput]\n"
	          "aws_resource: {TableName: app_config}\n");
	cli_expect(&r, 1, args);
	snprintf(want, sizeof(want),
	         "%s:3:17: ignore_changes: expected no ignore_changes for flavor "
	         "dynamodb_config_store, which does not honour it",
	         c_yml);
	cr_assert(strstr(r.err, want), "want:\n%s\nin:\n%s", want, r.err);
	cr_assert(strstr(r.err, "1 problem found"), "%s", r.err);
	cli_result_free(&r);
}

Test(cli_definition_checks, ignore_changes_of_a_table_is_accepted)
{
	const char *args[] = {"validate", "-f", a_yml, NULL};
	cli_result r;

	cli_write(a_yml, sizeof(a_yml), dir, "a.yml",
	          "pcf_name: orders\n"
	          "flavor: dynamodb_table\n"
	          "ignore_changes: [ProvisionedThroughput]\n"
	          "aws_resource:\n"
	          "  TableName: orders\n"
	          "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: "
	          "1}\n" CLI_TABLE_KEY);
	cli_expect(&r, 0, args);
	cli_result_free(&r);
}
