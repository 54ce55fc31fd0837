/*
 * The witness of an MRSC global table without a server: validate's rules
 * (each at its line), the witness status as a state, the live witness in
 * the definition's shape, and how its Create and Delete ride on the
 * replica steps (replicas_witness.c).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "json_assert.h"
#include "table_check.h"
#include "particles/dynamodb_table/replicas.h"

/* Lines 1-8; line 9 on is the test's. */
#define HEAD                                                                                       \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: orders\n"                                                                    \
	"  region_name: us-east-1\n"                                                               \
	"  BillingMode: PAY_PER_REQUEST\n"                                                         \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

TestSuite(table_witness, .fini = table_check_done);

Test(table_witness, two_replicas_and_a_witness_of_one_region_set_are_valid)
{
	table_check_valid(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                       "  MultiRegionConsistency: STRONG\n"
	                       "  GlobalTableWitnesses: [{RegionName: us-west-2}]\n");
	/* A region pcf knows no MRSC set of is left to the service. */
	table_check_valid(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                       "  MultiRegionConsistency: STRONG\n"
	                       "  GlobalTableWitnesses: [{RegionName: mx-central-1}]\n");
	table_check_valid(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                       "  GlobalTableWitnesses: []\n");
}

Test(table_witness, a_witness_without_strong_consistency_is_reported)
{
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                 "  MultiRegionConsistency: EVENTUAL\n"
	                 "  GlobalTableWitnesses: [{RegionName: us-west-2}]\n"); /* 11 */
	cr_assert(
	    table_check_reported(11, 25,
	                         "expected MultiRegionConsistency: STRONG with a witness (only "
	                         "MRSC global tables have one), found EVENTUAL"));
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                 "  GlobalTableWitnesses: [{RegionName: us-west-2}]\n"); /* 10 */
	cr_assert(table_check_reported(10, 0, "found no MultiRegionConsistency"));
}

Test(table_witness, a_witness_in_the_home_or_a_replica_region_is_reported)
{
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                 "  MultiRegionConsistency: STRONG\n"
	                 "  GlobalTableWitnesses:\n"
	                 "    - RegionName: us-east-1\n"); /* 12 */
	cr_assert(table_check_reported(12, 19,
	                               "expected a witness region other than the table's own "
	                               "(region_name us-east-1 is its home), found us-east-1"));
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                 "  MultiRegionConsistency: STRONG\n"
	                 "  GlobalTableWitnesses:\n"
	                 "    - RegionName: us-east-2\n"); /* 12 */
	cr_assert(table_check_reported(12, 19,
	                               "expected a witness region that holds no replica, found "
	                               "us-east-2, which Replicas lists"));
}

Test(table_witness, more_than_one_witness_and_a_third_replica_are_reported)
{
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}, {RegionName: us-west-1}]\n"
	                 "  MultiRegionConsistency: STRONG\n"
	                 "  GlobalTableWitnesses:\n" /* 11 */
	                 "    - RegionName: us-west-2\n"
	                 "    - RegionName: us-west-1\n"); /* 13 */
	cr_assert(table_check_reported(13, 7,
	                               "expected at most one witness (an MRSC global table "
	                               "has one), found 2"));
	cr_assert(table_check_reported(13, 0, "which Replicas lists"));
	cr_assert(table_check_reported(12, 0,
	                               "expected exactly one entry in Replicas with a "
	                               "witness (an MRSC table is two replicas and a "
	                               "witness), found 2"));
}

Test(table_witness, a_witness_of_another_region_set_or_shape_is_reported)
{
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                 "  MultiRegionConsistency: STRONG\n"
	                 "  GlobalTableWitnesses: [{RegionName: eu-west-1}]\n"); /* 11 */
	cr_assert(table_check_reported(11, 0,
	                               "expected a region of the same MRSC Region set as the "
	                               "table's replicas, found eu-west-1 (EU set) with us-east-1 "
	                               "(US set)"));
	table_check(HEAD "  Replicas: [{RegionName: us-east-2}]\n"
	                 "  MultiRegionConsistency: STRONG\n"
	                 "  GlobalTableWitnesses: [{RegionName: Oregon}, {Region: x}]\n");
	cr_assert(table_check_reported(11, 0,
	                               "expected an AWS region name such as us-west-2, "
	                               "found Oregon"));
	cr_assert(table_check_reported(11, 0, "RegionName"));
}

static pcf_state state_of(const char *witnesses, char *why, size_t size)
{
	char text[1024];
	cJSON *d;
	pcf_state s;
	snprintf(text, sizeof(text),
	         "{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\",\"Replicas\":[{\"RegionName\":"
	         "\"us-east-2\",\"ReplicaStatus\":\"ACTIVE\"}],\"GlobalTableWitnesses\":%s}",
	         witnesses);
	d = pcf_test_json_parse(text);
	s = pcf_table_state(d, why, size);
	cJSON_Delete(d);
	return s;
}

Test(table_witness, a_changing_witness_makes_the_table_pending)
{
	char why[256] = "";
	cr_assert_eq(state_of("[{\"RegionName\":\"us-west-2\",\"WitnessStatus\":\"ACTIVE\"}]", why,
	                      sizeof(why)),
	             PCF_STATE_RUNNING);
	cr_assert_eq(state_of("[{\"RegionName\":\"us-west-2\",\"WitnessStatus\":\"CREATING\"}]",
	                      why, sizeof(why)),
	             PCF_STATE_PENDING);
	cr_assert_str_eq(why, "witness us-west-2 is CREATING");
	cr_assert_eq(state_of("[{\"RegionName\":\"us-west-2\",\"WitnessStatus\":\"DELETING\"}]",
	                      why, sizeof(why)),
	             PCF_STATE_PENDING);
	cr_assert_str_eq(why, "witness us-west-2 is DELETING");
}

Test(table_witness, the_live_witness_takes_the_definition_shape)
{
	cJSON *d = pcf_test_json_parse(
	    "{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\",\"MultiRegionConsistency\":\"STRONG\","
	    "\"TableArn\":\"arn:aws:dynamodb:us-east-1:1:table/t\","
	    "\"Replicas\":[{\"RegionName\":\"us-east-2\",\"ReplicaStatus\":\"ACTIVE\"}],"
	    "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-west-2\",\"WitnessStatus\":"
	    "\"ACTIVE\"}]}");
	cJSON *n = pcf_table_normalize(d, NULL, NULL, NULL);
	pcf_test_assert_json(cJSON_GetObjectItemCaseSensitive(n, "GlobalTableWitnesses"),
	                     "[{\"RegionName\":\"us-west-2\",\"WitnessStatus\":\"ACTIVE\"}]");
	pcf_table_replicas_export_clean(n);
	pcf_test_assert_json(cJSON_GetObjectItemCaseSensitive(n, "GlobalTableWitnesses"),
	                     "[{\"RegionName\":\"us-west-2\"}]");
	cJSON_Delete(n);
	cJSON_Delete(d);
}

/* The live side: a table in us-east-1, with replica us-east-2 and witness
 * us-west-2 when mrsc, else single-Region. */
static cJSON *live(int mrsc)
{
	return pcf_test_json_parse(
	    mrsc ? "{\"TableName\":\"t\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:1:table/t\","
	           "\"MultiRegionConsistency\":\"STRONG\",\"Replicas\":[{\"RegionName\":"
	           "\"us-east-2\",\"ReplicaStatus\":\"ACTIVE\",\"DeletionProtectionEnabled\":false}"
	           "],"
	           "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-west-2\",\"WitnessStatus\":"
	           "\"ACTIVE\"}]}"
	         : "{\"TableName\":\"t\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:1:table/t\"}");
}

static void plan_of(pcf_plan *plan, const char *want_text, int mrsc, int expect_rc, pcf_error *err)
{
	cJSON *want = pcf_test_json_parse(want_text), *have = live(mrsc);
	pcf_error_clear(err);
	pcf_plan_init(plan);
	cr_assert_eq(pcf_table_plan_replicas(plan, want, have, err), expect_rc, "%s", err->message);
	cJSON_Delete(want);
	cJSON_Delete(have);
}

Test(table_witness, the_witness_is_created_with_the_replica_that_makes_the_table_mrsc)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_plan plan;

	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	        "\"MultiRegionConsistency\":\"STRONG\","
	        "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-west-2\"}]}",
	        0, 0, &err);
	cr_assert_eq(plan.count, 1, "one UpdateTable: replica, consistency and witness together");
	cr_assert_str_eq(plan.steps[0].summary,
	                 "create replica us-east-2: none -> replica (TableClassOverride inherited, "
	                 "ReadCapacityUnits override none, MultiRegionConsistency STRONG, witness "
	                 "us-west-2)");
	pcf_test_assert_json(plan.steps[0].request,
	                     "{\"TableName\":\"t\",\"ReplicaUpdates\":[{\"Create\":{\"RegionName\":"
	                     "\"us-east-2\"}}],\"MultiRegionConsistency\":\"STRONG\","
	                     "\"GlobalTableWitnessUpdates\":[{\"Create\":{\"RegionName\":"
	                     "\"us-west-2\"}}]}");
	pcf_plan_cleanup(&plan);
	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	        "\"MultiRegionConsistency\":\"STRONG\","
	        "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-west-2\"}]}",
	        1, 0, &err);
	cr_assert_eq(plan.count, 0, "in place: nothing to do");
	pcf_plan_cleanup(&plan);
}

Test(table_witness, the_witness_is_deleted_with_the_replica)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_plan plan;

	plan_of(&plan, "{\"TableName\":\"t\",\"Replicas\":[],\"GlobalTableWitnesses\":[]}", 1, 0,
	        &err);
	cr_assert_eq(plan.count, 1);
	cr_assert_str_eq(plan.steps[0].summary,
	                 "delete replica us-east-2 and witness us-west-2 (deletes that region's "
	                 "copy of every item; needs --yes)");
	cr_assert_eq(plan.steps[0].flags, PCF_STEP_DESTRUCTIVE);
	pcf_test_assert_json(plan.steps[0].request,
	                     "{\"TableName\":\"t\",\"ReplicaUpdates\":[{\"Delete\":{\"RegionName\":"
	                     "\"us-east-2\"}}],\"GlobalTableWitnessUpdates\":[{\"Delete\":"
	                     "{\"RegionName\":\"us-west-2\"}}]}");
	pcf_plan_cleanup(&plan);
}

Test(table_witness, what_the_api_cannot_do_is_refused_while_planning)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_plan plan;

	/* The witness alone, without its replica. */
	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	        "\"GlobalTableWitnesses\":[]}",
	        1, PCF_EREFUSED, &err);
	cr_assert(strstr(err.message, "witness us-west-2 is not in the definition, but DynamoDB "
	                              "removes a witness only together with a replica"),
	          "%s", err.message);
	pcf_plan_cleanup(&plan);
	/* The replica alone, the witness left to itself. */
	plan_of(&plan, "{\"TableName\":\"t\",\"Replicas\":[]}", 1, PCF_EREFUSED, &err);
	cr_assert(strstr(err.message, "add GlobalTableWitnesses: [] to remove both"), "%s",
	          err.message);
	pcf_plan_cleanup(&plan);
	/* Moved. */
	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	        "\"MultiRegionConsistency\":\"STRONG\","
	        "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-west-1\"}]}",
	        1, PCF_EREFUSED, &err);
	cr_assert(strstr(err.message, "witness us-west-2 -> us-west-1: DynamoDB cannot move"), "%s",
	          err.message);
	pcf_plan_cleanup(&plan);
	/* Home region, known only from the live ARN. */
	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	        "\"MultiRegionConsistency\":\"STRONG\","
	        "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-east-1\"}]}",
	        0, PCF_EINVAL, &err);
	cr_assert(strstr(err.message, "the table's own region"), "%s", err.message);
	pcf_plan_cleanup(&plan);
	/* A definition without the key leaves the witness alone. */
	plan_of(&plan,
	        "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	        "\"MultiRegionConsistency\":\"STRONG\"}",
	        1, 0, &err);
	cr_assert_eq(plan.count, 0);
	pcf_plan_cleanup(&plan);
}

Test(table_witness, a_witness_is_not_added_to_a_table_that_is_already_global)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_plan plan;
	cJSON *want = pcf_test_json_parse(
	    "{\"TableName\":\"t\",\"Replicas\":[{\"RegionName\":\"us-east-2\"}],"
	    "\"MultiRegionConsistency\":\"STRONG\","
	    "\"GlobalTableWitnesses\":[{\"RegionName\":\"us-west-2\"}]}");
	cJSON *have = live(1);

	cJSON_DeleteItemFromObjectCaseSensitive(have, "GlobalTableWitnesses");
	pcf_plan_init(&plan);
	cr_assert_eq(pcf_table_plan_replicas(&plan, want, have, &err), PCF_EREFUSED);
	cr_assert(strstr(err.message, "DynamoDB adds a witness only with the replica that makes "
	                              "the table an MRSC global table"),
	          "%s", err.message);
	cr_assert_eq(plan.count, 0);
	pcf_plan_cleanup(&plan);
	cJSON_Delete(want);
	cJSON_Delete(have);
}
