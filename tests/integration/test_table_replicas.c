/*
 * Global tables through the CLI, against the FAKE multi-region DynamoDB of
 * tests/support/fake_regions (no open-source server implements replicas:
 * moto accepts ReplicaUpdates and ignores them). Each test starts its own
 * fake with the table ACTIVE in us-east-1, the CLI's region.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cli_run.h"
#include "fake_http.h"
#include "fake_regions.h"

#define TABLE_YAML                                                                                 \
	"pcf_name: orders\n"                                                                       \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: orders\n" CLI_TABLE_KEY "  BillingMode: PROVISIONED\n"                       \
	"  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n"

typedef struct fixture {
	pcf_fake_regions *fake;
	char dir[256];
	char path[512];
} fixture;

static void start(fixture *f, const char *fail_region, const char *replicas_yaml)
{
	pcf_fake_regions_options o = {"us-east-1", "orders", 0, 300, fail_region};
	char text[4096];

	pcf_fake_environment();
	cr_assert_eq(pcf_fake_regions_start(&f->fake, &o), 0);
	cli_tempdir(f->dir, sizeof(f->dir));
	snprintf(text, sizeof(text), "%s%s", TABLE_YAML, replicas_yaml);
	cli_write(f->path, sizeof(f->path), f->dir, "pcf.yml", text);
}

/* A definition with replica eu-west-1 and a live table that has it and
 * ap-southeast-2 as well. */
static void start_with_a_stray_replica(fixture *f)
{
	start(f, NULL, "  Replicas: [{RegionName: eu-west-1}]\n");
	pcf_fake_regions_add_replica(f->fake, "eu-west-1");
	pcf_fake_regions_add_replica(f->fake, "ap-southeast-2");
}

static void stop(fixture *f)
{
	pcf_fake_regions_stop(f->fake);
	cli_rmdir(f->dir);
}

/* Runs `pcf --endpoint FAKE -f DEFS --timeout 30 [-o json] [--yes] command`. */
static void pcf(cli_result *r, const fixture *f, const char *command, int json, int yes)
{
	const char *args[12] = {
	    "--endpoint", pcf_fake_regions_url(f->fake), "-f", f->path, "--timeout", "30"};
	int n = 6;
	if (json) {
		args[n++] = "-o";
		args[n++] = "json";
	}
	if (yes)
		args[n++] = "--yes";
	args[n++] = command;
	args[n] = NULL;
	cli_run(r, args);
}

static void expect(const fixture *f, int status, const char *command, int json, int yes,
                   const char *text)
{
	cli_result r;
	pcf(&r, f, command, json, yes);
	cr_log_info("pcf %s: exit %d\n%s%s", command, r.status, r.out, r.err);
	cr_assert_eq(r.status, status, "%s: exit %d\n%s\n%s", command, r.status, r.out, r.err);
	if (text != NULL)
		cr_assert(strstr(r.out, text) != NULL || strstr(r.err, text) != NULL,
		          "%s: no \"%s\" in\n%s\n%s", command, text, r.out, r.err);
	cli_result_free(&r);
}

/* A field of the fake's state of region, as text ("true", "\"ACTIVE\"", ...). */
static void expect_region(fixture *f, const char *region, const char *key, const char *want)
{
	cJSON *state = pcf_fake_regions_region(f->fake, region);
	char *got = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(state, key));
	cr_assert(got != NULL && strstr(got, want) != NULL, "%s %s: want %s, got %s", region, key,
	          want, got != NULL ? got : "(none)");
	cJSON_free(got);
	cJSON_Delete(state);
}

Test(table_replicas, two_replicas_are_added_one_call_at_a_time)
{
	fixture f;
	start(&f, NULL,
	      "  Replicas:\n"
	      "    - RegionName: eu-west-1\n"
	      "    - RegionName: ap-southeast-2\n"
	      "      TableClassOverride: STANDARD_INFREQUENT_ACCESS\n"
	      "      ProvisionedThroughputOverride: {ReadCapacityUnits: 10}\n");
	expect(&f, 2, "plan", 1, 0, "create replica eu-west-1: none -> replica");
	expect(&f, 2, "plan", 1, 0,
	       "create replica ap-southeast-2: none -> replica (TableClassOverride "
	       "STANDARD_INFREQUENT_ACCESS, ReadCapacityUnits override 10");
	expect(&f, 0, "apply", 0, 0, NULL);
	cr_assert_eq(pcf_fake_regions_limit_refusals(f.fake), 0, "waited for ACTIVE between");
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-east-1", "UpdateTable"), 2);
	expect_region(&f, "eu-west-1", "status", "\"ACTIVE\"");
	expect_region(&f, "ap-southeast-2", "status", "\"ACTIVE\"");
	expect_region(&f, "ap-southeast-2", "overrides",
	              "\"TableClassOverride\":\"STANDARD_INFREQUENT_ACCESS\"");
	expect(&f, 0, "status", 0, 0, NULL);
	stop(&f);
}

Test(table_replicas, overrides_pitr_and_tags_of_one_replica_change_in_its_region)
{
	fixture f;
	start(&f, NULL,
	      "  Replicas:\n"
	      "    - RegionName: eu-west-1\n"
	      "      TableClassOverride: STANDARD_INFREQUENT_ACCESS\n"
	      "      ProvisionedThroughputOverride: {ReadCapacityUnits: 20}\n"
	      "      DeletionProtectionEnabled: true\n"
	      "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
	      "      ContributorInsightsSpecification: {Enabled: true}\n"
	      "      Tags: [{Key: region, Value: eu}]\n"
	      "    - RegionName: ap-southeast-2\n");
	pcf_fake_regions_add_replica(f.fake, "eu-west-1");
	pcf_fake_regions_add_replica(f.fake, "ap-southeast-2");
	expect(&f, 2, "status", 1, 0, "\"Replicas[eu-west-1].TableClassOverride\"");
	expect(&f, 2, "plan", 1, 0,
	       "update replica eu-west-1: ProvisionedThroughputOverride.ReadCapacityUnits none "
	       "-> 20, TableClassOverride STANDARD -> STANDARD_INFREQUENT_ACCESS");
	expect(&f, 2, "plan", 1, 0, "replica eu-west-1: point-in-time recovery off -> on");
	expect(&f, 2, "plan", 1, 0, "replica eu-west-1: DeletionProtectionEnabled false -> true");
	expect(&f, 0, "apply", 0, 0, NULL);
	expect_region(&f, "eu-west-1", "pitr", "true");
	expect_region(&f, "eu-west-1", "protection", "true");
	expect_region(&f, "eu-west-1", "insights", "true");
	expect_region(&f, "eu-west-1", "tags", "{\"Key\":\"region\",\"Value\":\"eu\"}");
	expect_region(&f, "us-east-1", "pitr", "false");
	expect_region(&f, "ap-southeast-2", "tags", "[]");
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "eu-west-1", "UpdateContinuousBackups"), 1);
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "eu-west-1", "TagResource"), 1);
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "us-east-1", "TagResource"), 0);
	expect(&f, 0, "status", 0, 0, NULL);
	stop(&f);
}

Test(table_replicas, removing_a_replica_needs_yes)
{
	fixture f;
	start_with_a_stray_replica(&f);
	expect(&f, 2, "status", 1, 0, "\"Replicas[ap-southeast-2]\"");
	expect(&f, 2, "plan", 1, 0, "\"destructive\": true");
	expect(&f, 2, "plan", 0, 0, "delete replica ap-southeast-2");
	expect(&f, 2, "plan", 1, 0, "delete replica ap-southeast-2 (deletes that region's copy");
	expect(&f, 1, "apply", 0, 0, "--yes");
	cr_assert_eq(pcf_fake_regions_writes(f.fake), 0);
	expect_region(&f, "ap-southeast-2", "present", "true");
	expect(&f, 0, "apply", 0, 1, NULL);
	expect_region(&f, "ap-southeast-2", "present", "false");
	expect_region(&f, "eu-west-1", "present", "true");
	stop(&f);
}

Test(table_replicas, a_protected_replica_is_never_removed)
{
	fixture f;
	start_with_a_stray_replica(&f);
	pcf_fake_regions_set_protection(f.fake, "ap-southeast-2", 1);
	expect(&f, 1, "plan", 0, 0,
	       "replica ap-southeast-2 is not in the definition, but it has "
	       "deletion protection enabled");
	expect(&f, 1, "apply", 0, 1, "deletion protection");
	cr_assert_eq(pcf_fake_regions_writes(f.fake), 0);
	expect_region(&f, "ap-southeast-2", "present", "true");
	stop(&f);
}

Test(table_replicas, a_replica_stuck_in_creation_failed_is_reported_and_left_alone)
{
	fixture f;
	start(&f, "eu-west-1", "  Replicas: [{RegionName: eu-west-1}]\n");
	expect(&f, 1, "apply", 0, 0, "replica eu-west-1 is CREATION_FAILED");
	cr_assert_eq(pcf_fake_regions_writes(f.fake), 1, "the one create, nothing after");
	expect(&f, 1, "apply", 0, 1, "replica eu-west-1 is CREATION_FAILED");
	expect(&f, 2, "status", 1, 0, "\"state\": \"unavailable\"");
	cr_assert_eq(pcf_fake_regions_writes(f.fake), 1, "never acted on");
	stop(&f);
}

Test(table_replicas, export_writes_replicas_back)
{
	fixture f;
	cli_result r;
	char exported[512];

	start(&f, NULL,
	      "  Replicas:\n"
	      "    - RegionName: eu-west-1\n"
	      "      TableClassOverride: STANDARD_INFREQUENT_ACCESS\n"
	      "      DeletionProtectionEnabled: true\n"
	      "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
	      "      Tags: [{Key: region, Value: eu}]\n"
	      "    - RegionName: ap-southeast-2\n"
	      "      ProvisionedThroughputOverride: {ReadCapacityUnits: 7}\n");
	expect(&f, 0, "apply", 0, 0, NULL);
	const char *args[] = {"--endpoint", pcf_fake_regions_url(f.fake), "export", "orders", NULL};
	cli_run(&r, args);
	cr_assert_eq(r.status, 0, "%s\n%s", r.out, r.err);
	cr_assert(strstr(r.out, "Replicas") != NULL && strstr(r.out, "eu-west-1") != NULL &&
	              strstr(r.out, "STANDARD_INFREQUENT_ACCESS") != NULL &&
	              strstr(r.out, "ReplicaStatus") == NULL,
	          "%s", r.out);
	cli_write(exported, sizeof(exported), f.dir, "pcf.yml", r.out);
	cli_result_free(&r);
	cr_assert_str_eq(exported, f.path);
	/* The export, applied to the table it came from, is in sync ... */
	expect(&f, 0, "status", 0, 0, NULL);
	/* ... and names each replica setting, so a change to it would show. */
	pcf_fake_regions_set_protection(f.fake, "eu-west-1", 0);
	expect(&f, 2, "status", 1, 0, "Replicas[eu-west-1].DeletionProtectionEnabled");
	stop(&f);
}

Test(table_replicas, validate_names_each_bad_replica_at_its_line_without_a_call)
{
	fixture f;
	start(&f, NULL,
	      "  Replicas:\n"
	      "    - RegionName: eu-west-1\n"
	      "    - RegionName: eu-west-1\n"
	      "    - RegionName: moon-base\n");
	expect(&f, 1, "validate", 0, 0,
	       "pcf.yml:11:19: aws_resource.Replicas[1].RegionName: expected each region once");
	expect(&f, 1, "validate", 0, 0,
	       "pcf.yml:12:19: aws_resource.Replicas[2].RegionName: expected an AWS region name");
	expect(&f, 1, "apply", 0, 1, "moon-base");
	cr_assert_eq(pcf_fake_regions_calls(f.fake, NULL, "DescribeTable"), 0);
	stop(&f);
}

Test(table_replicas, a_definition_without_replicas_leaves_them_alone)
{
	fixture f;
	start(&f, NULL, "");
	pcf_fake_regions_add_replica(f.fake, "eu-west-1");
	expect(&f, 0, "status", 0, 0, NULL);
	expect(&f, 0, "apply", 0, 1, NULL);
	cr_assert_eq(pcf_fake_regions_writes(f.fake), 0);
	cr_assert_eq(pcf_fake_regions_calls(f.fake, "eu-west-1", "DescribeTable"), 0,
	             "nothing asked of the replica's region");
	stop(&f);
}
