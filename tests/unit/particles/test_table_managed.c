/*
 * validate for the settings with calls of their own: contributor insights,
 * Kinesis streaming destinations and AutoScaling. A good definition
 * passes; each bad value is reported at its own line and column.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "case_table.h"
#include "table_check.h"
#include "particles/dynamodb_table/table.h"

#define HEAD                                                                                       \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: table_t\n"                                                                   \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S},\n"                        \
	"                         {AttributeName: e, AttributeType: S}]\n"                         \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                      \
	"  GlobalSecondaryIndexes:\n"                                                              \
	"    - IndexName: by_e\n"                                                                  \
	"      KeySchema: [{AttributeName: e, KeyType: HASH}]\n"                                   \
	"      Projection: {ProjectionType: ALL}\n"
/* HEAD ends on line 11. */

TestSuite(table_managed, .fini = table_check_done);

/* A bad definition (HEAD and tail) and the problems it must report. */
typedef struct bad_case {
	const char *name;
	const char *tail;
	struct {
		int line, column;
		const char *text;
	} at[5]; /* ends at the first NULL text */
} bad_case;

static const bad_case bad_cases[] = {
    {"contributor insights need a boolean Enabled",
     "      ContributorInsightsSpecification: {Enable: true}\n"
     "  BillingMode: PAY_PER_REQUEST\n"
     "  ContributorInsightsSpecification: {Enabled: maybe}\n",
     {{12, 42, "Enable"}, {12, 41, "Enabled"}, {14, 47, "Enabled"}}},
    {"Kinesis destinations need a stream ARN, once, and a known precision",
     "  BillingMode: PAY_PER_REQUEST\n"
     "  KinesisStreamingDestinations:\n"
     "    - StreamArn: arn:aws:sqs:us-east-1:123456789012:q\n"
     "    - StreamArn: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"
     "      ApproximateCreationDateTimePrecision: SECOND\n"
     "    - StreamArn: arn:aws:kinesis:us-east-1:123456789012:stream/s\n"
     "    - {ApproximateCreationDateTimePrecision: MILLISECOND}\n",
     {{14, 18, "expected a Kinesis stream ARN"},
      {16, 45, "SECOND"},
      {17, 18, "expected each Kinesis stream named once"},
      {18, 7, "StreamArn"}}},
    {"AutoScaling bounds are checked",
     "      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"
     "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n"
     "  AutoScaling:\n"
     "    ReadCapacity: {Min: 0, Max: 5, TargetUtilization: 95}\n"
     "    WriteCapacity: {Min: 10, Max: 5, TargetUtilization: 70}\n"
     "    GlobalSecondaryIndexes:\n"
     "      by_x: {ReadCapacity: {Min: 1, Max: 2, TargetUtilization: 50}}\n"
     "      by_e: {ReadCapacity: {Min: 1, TargetUtilization: 50}}\n",
     {{15, 25, "expected a Min of at least 1, found 0"},
      {15, 55, "expected a TargetUtilization from 20 to 90"},
      {16, 35, "expected a Max of at least Min (10), found 5"},
      {18, 13, "expected the name of a global secondary index"},
      {19, 28, "Max"}}},
    {"AutoScaling is refused on demand",
     "  BillingMode: PAY_PER_REQUEST\n"
     "  AutoScaling:\n"
     "    ReadCapacity: {Min: 1, Max: 5, TargetUtilization: 70}\n",
     {{14, 5, "expected no AutoScaling with BillingMode PAY_PER_REQUEST"}}},
};

PCF_CASE_TABLE_PARAMETERS(bad_cases, table_managed, bad_settings_are_reported_where_they_are)

ParameterizedTest(int *number, table_managed, bad_settings_are_reported_where_they_are)
{
	const bad_case *k = &bad_cases[*number];
	char yaml[2048];

	snprintf(yaml, sizeof(yaml), "%s%s", HEAD, k->tail);
	table_check(yaml);
	for (size_t i = 0; i < 5 && k->at[i].text != NULL; i++)
		cr_assert(table_check_reported(k->at[i].line, k->at[i].column, k->at[i].text),
		          "%s: no problem at %d:%d with \"%s\"", k->name, k->at[i].line,
		          k->at[i].column, k->at[i].text);
}

Test(table_managed, every_setting_well_formed_is_valid)
{
	table_check_valid(
	    HEAD "      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"
	         "      ContributorInsightsSpecification: {Enabled: true}\n"
	         "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n"
	         "  ContributorInsightsSpecification: {Enabled: false}\n"
	         "  KinesisStreamingDestinations:\n"
	         "    - StreamArn: arn:aws:kinesis:us-east-1:123456789012:stream/s1\n"
	         "      ApproximateCreationDateTimePrecision: MICROSECOND\n"
	         "    - {StreamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s2'}\n"
	         "  AutoScaling:\n"
	         "    ReadCapacity: {Min: 5, Max: 500, TargetUtilization: 70}\n"
	         "    WriteCapacity: {Min: 5, Max: 5, TargetUtilization: 20.5}\n"
	         "    GlobalSecondaryIndexes:\n"
	         "      by_e: {ReadCapacity: {Min: 1, Max: 50, TargetUtilization: 90}}\n");
}
