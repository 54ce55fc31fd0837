/*
 * validate: every problem of a dynamodb_table definition reported at its
 * line, before anything reaches the network.
 */
#include <string.h>

#include "particles/dynamodb_table/table.h"
#include "table_vectors.h"

static pcf_definitions *defs;

static void load(const char *yaml, pcf_diags *diags)
{
	pcf_diags load_diags;
	pcf_diags_init(&load_diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "pcf.yml", &load_diags),
	             0, "%zu load problems: %s", load_diags.count,
	             load_diags.count ? load_diags.items[0].message : "");
	pcf_diags_cleanup(&load_diags);
	pcf_diags_init(diags);
	pcf_table_validate(&defs->particles[0], diags);
	for (size_t i = 0; i < diags->count; i++)
		cr_log_info("%d:%d: %s", diags->items[i].line, diags->items[i].column,
		            diags->items[i].message);
}

static void done(pcf_diags *diags)
{
	pcf_diags_cleanup(diags);
	pcf_definitions_free(defs);
	defs = NULL;
}

/* Is there a problem on line `line` whose message holds `text`? */
static int reported(const pcf_diags *diags, int line, const char *text)
{
	for (size_t i = 0; i < diags->count; i++)
		if (diags->items[i].line == line && strstr(diags->items[i].message, text) != NULL)
			return 1;
	return 0;
}

Test(table_schema, a_definition_using_every_field_is_valid)
{
	pcf_diags d;
	load("pcf_name: orders\n"
	     "flavor: dynamodb_table\n"
	     "aws_resource:\n"
	     "  TableName: orders\n"
	     "  region_name: us-east-1\n"
	     "  AttributeDefinitions:\n"
	     "    - {AttributeName: id, AttributeType: S}\n"
	     "    - {AttributeName: at, AttributeType: N}\n"
	     "    - {AttributeName: email, AttributeType: S}\n"
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: "
	     "RANGE}]\n"
	     "  BillingMode: PROVISIONED\n"
	     "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n"
	     "  GlobalSecondaryIndexes:\n"
	     "    - IndexName: by_email\n"
	     "      KeySchema: [{AttributeName: email, KeyType: HASH}]\n"
	     "      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [total]}\n"
	     "      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"
	     "  LocalSecondaryIndexes:\n"
	     "    - IndexName: by_email_local\n"
	     "      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: email, "
	     "KeyType: RANGE}]\n"
	     "      Projection: {ProjectionType: KEYS_ONLY}\n"
	     "  StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}\n"
	     "  SSESpecification: {Enabled: true, SSEType: KMS, KMSMasterKeyId: alias/x}\n"
	     "  TableClass: STANDARD_INFREQUENT_ACCESS\n"
	     "  DeletionProtectionEnabled: false\n"
	     "  Tags: [{Key: team, Value: core}]\n"
	     "  TimeToLiveSpecification: {Enabled: true, AttributeName: expires_at}\n"
	     "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n",
	     &d);
	cr_assert_eq(d.count, 0);
	done(&d);
}

Test(table_schema, every_problem_is_reported_at_its_line)
{
	pcf_diags d;
	load("pcf_name: orders\n"                                                       /* 1 */
	     "flavor: dynamodb_table\n"                                                 /* 2 */
	     "aws_resource:\n"                                                          /* 3 */
	     "  TableName: orders\n"                                                    /* 4 */
	     "  AttributeDefinitions:\n"                                                /* 5 */
	     "    - {AttributeName: id, AttributeType: X}\n"                            /* 6 */
	     "    - {AttributeName: unused, AttributeType: S}\n"                        /* 7 */
	     "  KeySchema: [{AttributeName: id, KeyType: RANGE}]\n"                     /* 8 */
	     "  BillingMode: PAY_PER_REQUEST\n"                                         /* 9 */
	     "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n" /* 10 */
	     "  StreamSpecification: {StreamEnabled: true}\n"                           /* 11 */
	     "  TimeToLiveSpecification: {Enabled: true}\n"                             /* 12 */
	     "  Colour: blue\n",                                                        /* 13 */
	     &d);
	cr_assert(reported(&d, 6, "X"), "enum value");
	cr_assert(reported(&d, 7, "unused"), "unused attribute definition");
	cr_assert(reported(&d, 8, "HASH"), "first key must be HASH");
	cr_assert(reported(&d, 10, "PAY_PER_REQUEST"), "throughput on an on-demand table");
	cr_assert(reported(&d, 13, "Colour"), "unknown field");
	cr_assert_eq(d.count, 7);
	cr_assert(reported(&d, 11, "StreamViewType"));
	cr_assert(reported(&d, 12, "AttributeName"));
	done(&d);
}

Test(table_schema, throughput_must_match_billing_mode)
{
	pcf_diags d;
	load("pcf_name: t\n"
	     "flavor: dynamodb_table\n"
	     "aws_resource:\n"
	     "  TableName: t\n"
	     "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: g, "
	     "AttributeType: S}]\n"
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	     "  GlobalSecondaryIndexes:\n"
	     "    - IndexName: by_g\n"
	     "      KeySchema: [{AttributeName: g, KeyType: HASH}]\n"
	     "      Projection: {ProjectionType: ALL, NonKeyAttributes: [a]}\n",
	     &d);
	/* Provisioned by default: the table and its index need throughput; ALL takes no list. */
	cr_assert_eq(d.count, 3);
	cr_assert(reported(&d, 4, "the table"));
	cr_assert(reported(&d, 8, "by_g"));
	cr_assert(reported(&d, 10, "NonKeyAttributes"));
	done(&d);
}

Test(table_schema, keys_must_be_defined_and_indexes_unique)
{
	pcf_diags d;
	load("pcf_name: t\n"
	     "flavor: dynamodb_table\n"
	     "aws_resource:\n"
	     "  TableName: t\n"
	     "  BillingMode: PAY_PER_REQUEST\n"
	     "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	     "  GlobalSecondaryIndexes:\n"
	     "    - {IndexName: x, KeySchema: [{AttributeName: nope, KeyType: HASH}], Projection: "
	     "{ProjectionType: ALL}}\n"
	     "    - {IndexName: x, KeySchema: [{AttributeName: id, KeyType: HASH}], Projection: "
	     "{ProjectionType: ALL}}\n"
	     "  Tags: [{Key: a, Value: b}, {Key: a, Value: c}]\n",
	     &d);
	cr_assert(reported(&d, 9, "nope"));
	cr_assert(reported(&d, 10, "unique index names"));
	cr_assert(reported(&d, 11, "unique tag keys"));
	done(&d);
}
