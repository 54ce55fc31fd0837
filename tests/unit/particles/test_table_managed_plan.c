/*
 * The planner's steps for contributor insights, Kinesis destinations and
 * AutoScaling, from a canonical desired tree and a normalised live one:
 * one step per change with old -> new values, none when in line, and
 * autoscaled capacity never re-sent.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "particles/dynamodb_table/managed.h"

/* A provisioned table with one GSI, as pcf_table_normalize shapes it, plus extra members. */
#define LIVE_READ(read, extra)                                                                     \
	"{\"TableName\":\"t\",\"TableArn\":\"arn:aws:dynamodb:us-east-1:1:table/t\","              \
	"\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"            \
	"{\"AttributeName\":\"e\",\"AttributeType\":\"S\"}],"                                      \
	"\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"                         \
	"\"BillingMode\":\"PROVISIONED\","                                                         \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":" read ",\"WriteCapacityUnits\":5},"     \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_e\",\"KeySchema\":[{\"AttributeName\":"   \
	"\"e\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"},"                \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}" extra

#define WANT_WRITE(write, gsi_extra, extra)                                                        \
	"{\"TableName\":\"t\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","                \
	"\"AttributeType\":\"S\"},{\"AttributeName\":\"e\",\"AttributeType\":\"S\"}],"             \
	"\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"                         \
	"\"BillingMode\":\"PROVISIONED\","                                                         \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":" write "},"    \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_e\",\"KeySchema\":[{\"AttributeName\":"   \
	"\"e\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"},"                \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}" gsi_extra   \
	"}]" extra "}"

#define LIVE(extra)            LIVE_READ("5", extra)
#define WANT(gsi_extra, extra) WANT_WRITE("5", gsi_extra, extra)

static pcf_plan plan;
static cJSON *want, *have;

static void fini(void)
{
	pcf_plan_cleanup(&plan);
	cJSON_Delete(want);
	cJSON_Delete(have);
}

TestSuite(table_managed_plan, .fini = fini);

/* Plans want_json against have_json (NULL: right after CreateTable). */
static void plan_for(const char *want_json, const char *have_json)
{
	pcf_error err = PCF_ERROR_INIT;
	want = cJSON_Parse(want_json);
	have = have_json != NULL ? cJSON_Parse(have_json) : NULL;
	cr_assert_not_null(want);
	cr_assert(have_json == NULL || have != NULL, "bad test JSON: %s", have_json);
	pcf_table_adopt_autoscaled(want, have);
	pcf_plan_init(&plan);
	cr_assert_eq(pcf_table_plan(&plan, want, have, &err), 0, "%s", err.message);
	for (size_t i = 0; i < plan.count; i++)
		cr_log_info("%s: %s", plan.steps[i].action, plan.steps[i].summary);
}

static void expect_step(size_t i, const char *action, const char *summary)
{
	cr_assert_lt(i, plan.count, "no step %zu", i);
	cr_assert_str_eq(plan.steps[i].action, action);
	cr_assert_str_eq(plan.steps[i].summary, summary);
}

Test(table_managed_plan, insights_on_the_table_and_an_index_after_create)
{
	plan_for(WANT(",\"ContributorInsightsSpecification\":{\"Enabled\":true}",
	              ",\"ContributorInsightsSpecification\":{\"Enabled\":true}"),
	         NULL);
	cr_assert_eq(plan.count, 2);
	expect_step(0, "UpdateContributorInsights",
	            "contributor insights of table t: disabled -> enabled");
	expect_step(1, "UpdateContributorInsights",
	            "contributor insights of index by_e: disabled -> enabled");
	cr_assert_str_eq(
	    cJSON_GetStringValue(cJSON_GetObjectItem(plan.steps[1].request, "IndexName")), "by_e");
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(plan.steps[1].request,
	                                                          "ContributorInsightsAction")),
	                 "ENABLE");
}

Test(table_managed_plan, insights_in_line_plan_nothing_and_off_disables)
{
	plan_for(WANT(",\"ContributorInsightsSpecification\":{\"Enabled\":true}",
	              ",\"ContributorInsightsSpecification\":{\"Enabled\":false}"),
	         LIVE(",\"ContributorInsightsSpecification\":{\"Enabled\":true}}],"
	              "\"ContributorInsightsSpecification\":{\"Enabled\":true}}"));
	cr_assert_eq(plan.count, 1);
	expect_step(0, "UpdateContributorInsights",
	            "contributor insights of table t: enabled -> disabled");
}

#define ARN1 "arn:aws:kinesis:us-east-1:1:stream/a"
#define ARN2 "arn:aws:kinesis:us-east-1:1:stream/b"

Test(table_managed_plan, kinesis_disables_enables_and_updates_one_destination_a_step)
{
	plan_for(WANT("", ",\"KinesisStreamingDestinations\":[{\"StreamArn\":\"" ARN2 "\","
	                  "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\"},"
	                  "{\"StreamArn\":\"" ARN1 "\","
	                  "\"ApproximateCreationDateTimePrecision\":\"MICROSECOND\"}]"),
	         LIVE("}],\"KinesisStreamingDestinations\":[{\"StreamArn\":\"" ARN1 "\","
	              "\"ApproximateCreationDateTimePrecision\":\"MILLISECOND\"},"
	              "{\"StreamArn\":\"arn:aws:kinesis:us-east-1:1:stream/old\"}]}"));
	cr_assert_eq(plan.count, 3);
	expect_step(0, "DisableKinesisStreamingDestination",
	            "Kinesis destination arn:aws:kinesis:us-east-1:1:stream/old: enabled -> "
	            "disabled");
	expect_step(1, "EnableKinesisStreamingDestination",
	            "Kinesis destination " ARN2 ": disabled -> enabled, precision MICROSECOND");
	expect_step(2, "UpdateKinesisStreamingDestination",
	            "Kinesis destination " ARN1 ": precision MILLISECOND -> MICROSECOND");
}

Test(table_managed_plan, kinesis_without_a_precision_is_in_line)
{
	plan_for(WANT("", ",\"KinesisStreamingDestinations\":[{\"StreamArn\":\"" ARN1 "\"}]"),
	         LIVE("}],\"KinesisStreamingDestinations\":[{\"StreamArn\":\"" ARN1 "\","
	              "\"ApproximateCreationDateTimePrecision\":\"MILLISECOND\"}]}"));
	cr_assert_eq(plan.count, 0);
}

#define SCALING                                                                                    \
	",\"AutoScaling\":{\"ReadCapacity\":{\"Min\":5,\"Max\":500,\"TargetUtilization\":70},"     \
	"\"GlobalSecondaryIndexes\":{\"by_e\":{\"WriteCapacity\":{\"Min\":1,\"Max\":9,"            \
	"\"TargetUtilization\":50}}}}"

Test(table_managed_plan, autoscaling_registers_then_puts_a_policy)
{
	plan_for(WANT("", SCALING), LIVE_READ("37", "}],\"AutoScaling\":{}}"));
	cr_assert_eq(plan.count, 4, "the autoscaled read capacity 37 is not re-sent");
	expect_step(0, "RegisterScalableTarget",
	            "autoscaling of table t read capacity: not registered -> min 5, max 500");
	expect_step(1, "PutScalingPolicy",
	            "autoscaling of table t read capacity: target utilization none -> 70");
	expect_step(2, "RegisterScalableTarget",
	            "autoscaling of index by_e write capacity: not registered -> min 1, max 9");
	expect_step(3, "PutScalingPolicy",
	            "autoscaling of index by_e write capacity: target utilization none -> 50");
	cr_assert_str_eq(
	    cJSON_GetStringValue(cJSON_GetObjectItem(plan.steps[2].request, "ResourceId")),
	    "table/t/index/by_e");
	cr_assert_str_eq(
	    cJSON_GetStringValue(cJSON_GetObjectItem(plan.steps[2].request, "ScalableDimension")),
	    "dynamodb:index:WriteCapacityUnits");
	cr_assert_str_eq(
	    cJSON_GetStringValue(cJSON_GetObjectItem(plan.steps[3].request, "PolicyName")),
	    "DynamoDBWriteCapacityUtilization:table/t/index/by_e");
}

Test(table_managed_plan, autoscaling_changes_reuse_the_live_policy_and_drops_deregister_first)
{
	plan_for(WANT("", ",\"AutoScaling\":{\"ReadCapacity\":{\"Min\":5,\"Max\":600,"
	                  "\"TargetUtilization\":75}}"),
	         LIVE("}],\"AutoScaling\":{\"ReadCapacity\":{\"Min\":5,\"Max\":500,"
	              "\"TargetUtilization\":70,\"PolicyName\":\"console-made\"},"
	              "\"GlobalSecondaryIndexes\":{\"by_e\":{\"WriteCapacity\":{\"Min\":1,"
	              "\"Max\":9,\"TargetUtilization\":50,\"PolicyName\":\"p\"}}}}}"));
	cr_assert_eq(plan.count, 3);
	expect_step(0, "DeregisterScalableTarget",
	            "autoscaling of index by_e write capacity: min 1, max 9 -> not registered");
	expect_step(1, "RegisterScalableTarget",
	            "autoscaling of table t read capacity: min 5, max 500 -> min 5, max 600");
	expect_step(2, "PutScalingPolicy",
	            "autoscaling of table t read capacity: target utilization 70 -> 75");
	cr_assert_str_eq(
	    cJSON_GetStringValue(cJSON_GetObjectItem(plan.steps[2].request, "PolicyName")),
	    "console-made");
}

Test(table_managed_plan, autoscaled_capacity_is_the_autoscalers_and_the_rest_is_not)
{
	plan_for(WANT_WRITE("8", "",
	                    ",\"AutoScaling\":{\"ReadCapacity\":{\"Min\":5,"
	                    "\"Max\":500,\"TargetUtilization\":70}}"),
	         LIVE_READ("37", "}],\"AutoScaling\":{\"ReadCapacity\":{\"Min\":5,\"Max\":500,"
	                         "\"TargetUtilization\":70}}}"));
	cr_assert_eq(plan.count, 1);
	expect_step(0, "UpdateTable", "ProvisionedThroughput read 37 -> 37, write 5 -> 8");
}

Test(table_managed_plan, empty_autoscaling_deregisters_everything_the_table_has)
{
	plan_for(WANT("", ",\"AutoScaling\":{}"),
	         LIVE("}],\"AutoScaling\":{\"WriteCapacity\":{\"Min\":1,\"Max\":2}}}"));
	cr_assert_eq(plan.count, 1);
	expect_step(0, "DeregisterScalableTarget",
	            "autoscaling of table t write capacity: min 1, max 2 -> not registered");
}

Test(table_managed_plan, a_dropped_capacity_is_drift)
{
	pcf_drift drift;
	want = cJSON_Parse(WANT("", ",\"AutoScaling\":{}"));
	have = cJSON_Parse(
	    LIVE("}],\"AutoScaling\":{\"GlobalSecondaryIndexes\":{\"by_e\":{\"ReadCapacity\":"
	         "{\"Min\":1,\"Max\":2,\"PolicyName\":\"p\"}}}}}"));
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_table_drift_managed(&drift, want, have), 0);
	cr_assert_eq(drift.count, 1);
	cr_assert_str_eq(drift.entries[0].path,
	                 "AutoScaling.GlobalSecondaryIndexes.by_e.ReadCapacity");
	cr_assert_null(drift.entries[0].desired);
	cr_assert_null(cJSON_GetObjectItem(drift.entries[0].current, "PolicyName"));
	pcf_drift_cleanup(&drift);
}
