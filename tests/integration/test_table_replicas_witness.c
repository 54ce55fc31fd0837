/*
 * The witness Region of an MRSC global table through the CLI, against the
 * FAKE multi-region DynamoDB of tests/support/fake_regions (no open-source
 * server implements replicas or witnesses); the fake refuses what the
 * DynamoDB API refuses, so a request in the wrong shape or order fails
 * the apply. Each test starts its own fake with the table ACTIVE in
 * us-east-1, the CLI's region; the MRSC table is us-east-1 and us-east-2
 * with the witness us-west-2 (all of the US Region set).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_run.h"
#include "fake_http.h"
#include "fake_regions.h"

/* Lines 1-8; line 9 on is the test's. */
#define TABLE_YAML                                                                                 \
	"pcf_name: orders\n"                                                                       \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: orders\n" CLI_TABLE_KEY "  BillingMode: PROVISIONED\n"                       \
	"  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n"

#define MRSC_YAML                                                                                  \
	"  Replicas: [{RegionName: us-east-2}]\n"                                                  \
	"  MultiRegionConsistency: STRONG\n"                                                       \
	"  GlobalTableWitnesses: [{RegionName: us-west-2}]\n"

typedef struct fixture {
	pcf_fake_regions *fake;
	char dir[256];
	char path[512];
} fixture;

static void define(fixture *f, const char *yaml)
{
	char text[4096];
	snprintf(text, sizeof(text), "%s%s", TABLE_YAML, yaml);
	cli_write(f->path, sizeof(f->path), f->dir, "pcf.yml", text);
}

static void start(fixture *f, const char *yaml)
{
	pcf_fake_regions_options o = {"us-east-1", "orders", 0, 300, NULL};

	pcf_fake_environment();
	cr_assert_eq(pcf_fake_regions_start(&f->fake, &o), 0);
	cli_tempdir(f->dir, sizeof(f->dir));
	define(f, yaml);
}

static void stop(fixture *f)
{
	pcf_fake_regions_stop(f->fake);
	cli_rmdir(f->dir);
}

/* Runs `pcf --endpoint FAKE -f DEFS --timeout 30 [--yes] command [table]`. */
static void pcf(cli_result *r, const fixture *f, const char *command, int yes)
{
	const char *args[12] = {
	    "--endpoint", pcf_fake_regions_url(f->fake), "-f", f->path, "--timeout", "30"};
	int n = 6;
	if (yes)
		args[n++] = "--yes";
	args[n++] = command;
	if (!strcmp(command, "export"))
		args[n++] = "orders";
	args[n] = NULL;
	cli_run(r, args);
}

static void expect(const fixture *f, int status, const char *command, int yes, const char *text)
{
	cli_result r;
	pcf(&r, f, command, yes);
	cr_log_info("pcf %s: exit %d\n%s%s", command, r.status, r.out, r.err);
	cr_assert_eq(r.status, status, "%s: exit %d\n%s\n%s", command, r.status, r.out, r.err);
	if (text != NULL)
		cr_assert(strstr(r.out, text) != NULL || strstr(r.err, text) != NULL,
		          "%s: no \"%s\" in\n%s\n%s", command, text, r.out, r.err);
	cli_result_free(&r);
}

/* Whether `pcf export orders` mentions text. */
static int exported(const fixture *f, const char *text)
{
	cli_result r;
	int found;
	pcf(&r, f, "export", 0);
	cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
	found = strstr(r.out, text) != NULL;
	cli_result_free(&r);
	return found;
}

Test(table_witness, the_witness_comes_with_the_replica_and_a_second_apply_is_quiet)
{
	fixture f;
	int writes;

	start(&f, MRSC_YAML);
	expect(&f, 2, "plan", 0,
	       "create replica us-east-2: none -> replica (TableClassOverride inherited, "
	       "ReadCapacityUnits override none, MultiRegionConsistency STRONG, witness "
	       "us-west-2)");
	expect(&f, 0, "apply", 0, NULL);
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-east-1", "UpdateTable"), 1,
	             "replica, consistency and witness in one UpdateTable");
	cr_assert_eq(pcf_fake_regions_limit_refusals(f.fake), 0);
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-west-2", "DescribeTable"), 0,
	             "nothing is asked of the witness region");
	cr_assert(exported(&f, "GlobalTableWitnesses"));
	expect(&f, 0, "status", 0, NULL);
	writes = pcf_fake_regions_writes(f.fake);
	expect(&f, 0, "apply", 0, NULL);
	expect(&f, 0, "plan", 0, NULL);
	cr_assert_eq(pcf_fake_regions_writes(f.fake), writes, "the second apply changes nothing");
	stop(&f);
}

Test(table_witness, the_witness_leaves_with_the_replica)
{
	fixture f;

	start(&f, MRSC_YAML);
	expect(&f, 0, "apply", 0, NULL);
	/* The witness alone cannot go: the service removes it only with a replica. */
	define(&f, "  Replicas: [{RegionName: us-east-2}]\n"
	           "  MultiRegionConsistency: STRONG\n"
	           "  GlobalTableWitnesses: []\n");
	expect(&f, 2, "status", 0, "GlobalTableWitnesses");
	expect(&f, 1, "apply", 1, "DynamoDB removes a witness only together with a replica");
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-east-1", "UpdateTable"), 1);
	/* Both together: one step, destructive. */
	define(&f, "  Replicas: []\n"
	           "  GlobalTableWitnesses: []\n");
	expect(&f, 2, "plan", 0, "delete replica us-east-2 and witness us-west-2");
	expect(&f, 1, "apply", 0, "--yes");
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-east-1", "UpdateTable"), 1);
	expect(&f, 0, "apply", 1, NULL);
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-east-1", "UpdateTable"), 2);
	cr_assert_not(exported(&f, "GlobalTableWitnesses"));
	cr_assert_not(exported(&f, "Replicas"));
	expect(&f, 0, "status", 0, NULL);
	stop(&f);
}

Test(table_witness, a_definition_without_the_key_leaves_the_witness_alone)
{
	fixture f;
	int writes;

	start(&f, MRSC_YAML);
	expect(&f, 0, "apply", 0, NULL);
	define(&f, "  Replicas: [{RegionName: us-east-2}]\n"
	           "  MultiRegionConsistency: STRONG\n");
	writes = pcf_fake_regions_writes(f.fake);
	expect(&f, 0, "status", 0, NULL);
	expect(&f, 0, "apply", 1, NULL);
	cr_assert_eq(pcf_fake_regions_writes(f.fake), writes);
	cr_assert(exported(&f, "us-west-2"));
	stop(&f);
}

Test(table_witness, export_writes_the_witness_back)
{
	fixture f;
	cli_result r;
	char path[512];

	start(&f, MRSC_YAML);
	expect(&f, 0, "apply", 0, NULL);
	pcf(&r, &f, "export", 0);
	cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
	cr_assert(strstr(r.out, "GlobalTableWitnesses") != NULL &&
	              strstr(r.out, "us-west-2") != NULL && strstr(r.out, "STRONG") != NULL &&
	              strstr(r.out, "WitnessStatus") == NULL,
	          "%s", r.out);
	cli_write(path, sizeof(path), f.dir, "pcf.yml", r.out);
	cli_result_free(&r);
	cr_assert_str_eq(path, f.path);
	/* The export validates, and applied to the table it came from is in sync. */
	expect(&f, 0, "validate", 0, NULL);
	expect(&f, 0, "status", 0, NULL);
	stop(&f);
}

Test(table_witness, validate_names_each_witness_problem_at_its_line_without_a_call)
{
	fixture f;

	start(&f, "  Replicas: [{RegionName: us-east-2}]\n"
	          "  MultiRegionConsistency: EVENTUAL\n"
	          "  GlobalTableWitnesses:\n"     /* 11 */
	          "    - RegionName: us-east-2\n" /* 12 */
	          "    - RegionName: us-west-2\n");
	expect(&f, 1, "validate", 0,
	       "pcf.yml:12:5: aws_resource.GlobalTableWitnesses: expected MultiRegionConsistency: "
	       "STRONG with a witness");
	expect(&f, 1, "validate", 0,
	       "pcf.yml:12:19: aws_resource.GlobalTableWitnesses[0].RegionName: expected a witness "
	       "region that holds no replica, found us-east-2");
	expect(&f, 1, "validate", 0,
	       "pcf.yml:13:7: aws_resource.GlobalTableWitnesses[1]: expected at most one witness");
	expect(&f, 1, "apply", 1, "GlobalTableWitnesses");
	cr_assert_eq(pcf_fake_regions_calls(f.fake, NULL, "DescribeTable"), 0);
	stop(&f);
}
