/*
 * Global tables without a server: validate's replica rules (each at its
 * line), replica statuses as states, live replicas in the definition's
 * shape, and the replica steps the planner orders.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "json_assert.h"
#include "table_check.h"
#include "particles/dynamodb_table/replicas.h"

/* Lines 1-9; Replicas start on line 10. */
#define HEAD                                                                                       \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: orders\n"                                                                    \
	"  region_name: us-east-1\n"                                                               \
	"  BillingMode: PAY_PER_REQUEST\n"                                                         \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                      \
	"  GlobalSecondaryIndexes: []\n"

TestSuite(table_replicas, .fini = table_check_done);

Test(table_replicas, a_full_replica_definition_is_valid)
{
	table_check_valid(
	    HEAD "  Replicas:\n"
	         "    - RegionName: eu-west-1\n"
	         "      KMSMasterKeyId: alias/orders-eu\n"
	         "      OnDemandThroughputOverride: {MaxReadRequestUnits: 500}\n"
	         "      TableClassOverride: STANDARD_INFREQUENT_ACCESS\n"
	         "      DeletionProtectionEnabled: true\n"
	         "      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
	         "      ContributorInsightsSpecification: {Enabled: true}\n"
	         "      Tags: [{Key: region, Value: eu}]\n"
	         "    - RegionName: us-gov-west-1\n"
	         "  MultiRegionConsistency: EVENTUAL\n");
}

Test(table_replicas, every_replica_problem_is_reported_at_its_line)
{
	table_check(HEAD "  Replicas:\n"
	                 "    - RegionName: Europe\n"                                    /* 11 */
	                 "    - RegionName: us-east-1\n"                                 /* 12 */
	                 "    - RegionName: eu-west-1\n"                                 /* 13 */
	                 "      ProvisionedThroughputOverride: {ReadCapacityUnits: 5}\n" /* 14 */
	                 "      GlobalSecondaryIndexes: [{IndexName: nope}]\n"           /* 15 */
	                 "      TableClassOverride: COLD\n"                              /* 16 */
	                 "    - RegionName: eu-west-1\n"                                 /* 17 */
	                 "      PointInTimeRecoverySpecification:\n"                     /* 18 */
	                 "        {PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 40}\n"
	                 "      Colour: blue\n" /* 20 */
	                 "  StreamSpecification: {StreamEnabled: true, StreamViewType: KEYS_ONLY}\n"
	                 "  MultiRegionConsistency: SOMETIMES\n"); /* 22 */
	cr_assert(table_check_reported(
	    11, 0, "expected an AWS region name such as eu-west-1, found Europe"));
	cr_assert(table_check_reported(12, 0, "other than the table's own (region_name us-east-1"));
	cr_assert(table_check_reported(14, 0,
	                               "expected no ProvisionedThroughputOverride with BillingMode "
	                               "PAY_PER_REQUEST"));
	cr_assert(table_check_reported(15, 0, "found nope, which it does not list"));
	cr_assert(table_check_reported(16, 0, "COLD"));
	cr_assert(table_check_reported(17, 0,
	                               "expected each region once, found eu-west-1 again (first at "
	                               "Replicas[2])"));
	cr_assert(table_check_reported(19, 0, "expected 1 to 35 days, found 40"));
	cr_assert(table_check_reported(20, 0, "Colour"));
	cr_assert(table_check_reported(21, 0, "NEW_AND_OLD_IMAGES"));
	cr_assert(table_check_reported(22, 0, "SOMETIMES"));
}

Test(table_replicas, region_names_have_the_aws_shape)
{
	static const char *const good[] = {"eu-west-1", "ap-southeast-2", "us-gov-west-1",
	                                   "us-isob-east-1", "il-central-1"};
	static const char *const bad[] = {
	    "", "eu", "eu-west", "EU-west-1", "eu_west_1", "europe-west-1", "eu-west-1a", "eu--1"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(pcf_table_region_name_ok(good[i]), "%s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_not(pcf_table_region_name_ok(bad[i]), "%s", bad[i]);
}

static pcf_state state_of(const char *replicas, char *why, size_t size)
{
	char text[1024];
	cJSON *d;
	pcf_state s;
	snprintf(text, sizeof(text),
	         "{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\",\"Replicas\":%s}", replicas);
	d = pcf_test_json_parse(text);
	s = pcf_table_state(d, why, size);
	cJSON_Delete(d);
	return s;
}

Test(table_replicas, failed_replicas_are_unavailable_and_changing_ones_pending)
{
	char why[256];
	cr_assert_eq(state_of("[{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"ACTIVE\"}]", why,
	                      sizeof(why)),
	             PCF_STATE_RUNNING);
	cr_assert_eq(state_of("[{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"CREATING\"}]",
	                      why, sizeof(why)),
	             PCF_STATE_PENDING);
	cr_assert_str_eq(why, "replica eu-west-1 is CREATING");
	static const char *const failed[] = {"CREATION_FAILED", "REGION_DISABLED",
	                                     "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
	                                     "REPLICATION_NOT_AUTHORIZED"};
	for (size_t i = 0; i < 4; i++) {
		char list[256];
		snprintf(list, sizeof(list),
		         "[{\"RegionName\":\"ap-south-1\",\"ReplicaStatus\":\"DELETING\"},"
		         "{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"%s\"}]",
		         failed[i]);
		cr_assert_eq(state_of(list, why, sizeof(why)), PCF_STATE_UNAVAILABLE, "%s",
		             failed[i]);
		cr_assert(strstr(why, "replica eu-west-1 is ") != NULL && strstr(why, failed[i]),
		          "%s", why);
	}
}

Test(table_replicas, live_replicas_take_the_definition_shape)
{
	cJSON *d = pcf_test_json_parse(
	    "{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\","
	    "\"TableArn\":\"arn:aws:dynamodb:us-east-1:1:table/t\","
	    "\"Replicas\":[{\"RegionName\":\"us-east-1\",\"ReplicaStatus\":\"ACTIVE\"},"
	    "{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"ACTIVE\","
	    "\"ProvisionedThroughputOverride\":{\"ReadCapacityUnits\":10},"
	    "\"ReplicaTableClassSummary\":{\"TableClass\":\"STANDARD_INFREQUENT_ACCESS\"},"
	    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_x\"}]}]}");
	cJSON *n = pcf_table_normalize(d, NULL, NULL, NULL);
	pcf_test_assert_json(cJSON_GetObjectItemCaseSensitive(n, "Replicas"),
	                     "[{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"ACTIVE\","
	                     "\"ProvisionedThroughputOverride\":{\"ReadCapacityUnits\":10},"
	                     "\"TableClassOverride\":\"STANDARD_INFREQUENT_ACCESS\","
	                     "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_x\"}]}]");
	cr_assert_str_eq(pcf_table_str(n, "MultiRegionConsistency"), "EVENTUAL");
	cJSON_Delete(n);
	cJSON_Delete(d);
}

/* The live side: a table in us-east-1 with replicas eu-west-1 (protected
 * as given) and ap-south-1. */
static cJSON *live(int protected_ap)
{
	char text[1024];
	snprintf(text, sizeof(text),
	         "{\"TableName\":\"t\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:1:table/t\","
	         "\"MultiRegionConsistency\":\"EVENTUAL\",\"Replicas\":["
	         "{\"RegionName\":\"eu-west-1\",\"ReplicaStatus\":\"ACTIVE\","
	         "\"TableClassOverride\":\"STANDARD\",\"DeletionProtectionEnabled\":false,"
	         "\"ReplicaArn\":\"arn:aws:dynamodb:eu-west-1:1:table/t\","
	         "\"Tags\":[{\"Key\":\"old\",\"Value\":\"x\"}]},"
	         "{\"RegionName\":\"ap-south-1\",\"ReplicaStatus\":\"ACTIVE\","
	         "\"TableClassOverride\":\"STANDARD\",\"DeletionProtectionEnabled\":%s}]}",
	         protected_ap ? "true" : "false");
	return pcf_test_json_parse(text);
}

static void plan_of(pcf_plan *plan, const char *want_text, int protected_ap, int expect_rc,
                    pcf_error *err)
{
	cJSON *want = pcf_test_json_parse(want_text), *have = live(protected_ap);
	pcf_plan_init(plan);
	cr_assert_eq(pcf_table_plan_replicas(plan, want, have, err), expect_rc, "%s", err->message);
	cJSON_Delete(want);
	cJSON_Delete(have);
}

Test(table_replicas, steps_go_deletes_creates_updates_then_each_region)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_plan plan;
	static const char *const summaries[] = {
	    "delete replica ap-south-1 (deletes that region's copy of every item; needs --yes)",
	    "create replica sa-east-1: none -> replica (TableClassOverride inherited, "
	    "ReadCapacityUnits override none)",
	    "update replica eu-west-1: TableClassOverride STANDARD -> STANDARD_INFREQUENT_ACCESS",
	    "replica eu-west-1: point-in-time recovery off -> on",
	    "replica eu-west-1: set tags region",
	    "replica eu-west-1: remove tags old",
	};

	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"eu-west-1\","
	        "\"TableClassOverride\":\"STANDARD_INFREQUENT_ACCESS\","
	        "\"PointInTimeRecoverySpecification\":{\"PointInTimeRecoveryEnabled\":true},"
	        "\"Tags\":[{\"Key\":\"region\",\"Value\":\"eu\"}]},"
	        "{\"RegionName\":\"sa-east-1\"}]}",
	        0, 0, &err);
	cr_assert_eq(plan.count, 6);
	for (size_t i = 0; i < plan.count; i++)
		cr_assert_str_eq(plan.steps[i].summary, summaries[i]);
	cr_assert_eq(plan.steps[0].flags, PCF_STEP_DESTRUCTIVE);
	pcf_test_assert_json(plan.steps[0].request,
	                     "{\"TableName\":\"t\",\"ReplicaUpdates\":[{\"Delete\":"
	                     "{\"RegionName\":\"ap-south-1\"}}]}");
	pcf_test_assert_json(plan.steps[3].request,
	                     "{\"ReplicaRegion\":\"eu-west-1\",\"Request\":{\"TableName\":\"t\","
	                     "\"PointInTimeRecoverySpecification\":"
	                     "{\"PointInTimeRecoveryEnabled\":true}}}");
	pcf_test_assert_json(plan.steps[4].request,
	                     "{\"ReplicaRegion\":\"eu-west-1\",\"Request\":{\"ResourceArn\":"
	                     "\"arn:aws:dynamodb:eu-west-1:1:table/t\",\"Tags\":[{\"Key\":"
	                     "\"region\",\"Value\":\"eu\"}]}}");
	pcf_plan_cleanup(&plan);
}

Test(table_replicas, a_protected_replica_is_refused_and_no_replicas_key_plans_nothing)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_plan plan;

	plan_of(&plan, "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"eu-west-1\"}]}", 1,
	        PCF_EREFUSED, &err);
	cr_assert(strstr(err.message, "replica ap-south-1") != NULL &&
	              strstr(err.message, "deletion protection") != NULL,
	          "%s", err.message);
	pcf_plan_cleanup(&plan);
	pcf_error_clear(&err);
	plan_of(&plan, "{\"TableName\":\"t\"}", 1, 0, &err);
	cr_assert_eq(plan.count, 0, "a definition without Replicas leaves them alone");
	pcf_plan_cleanup(&plan);
	plan_of(&plan, "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-1\"}]}", 0,
	        PCF_EINVAL, &err);
	cr_assert(strstr(err.message, "the table's own region") != NULL, "%s", err.message);
	pcf_plan_cleanup(&plan);
}
