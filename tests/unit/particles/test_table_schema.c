/*
 * validate: every problem of a dynamodb_table definition reported at its
 * line, before anything reaches the network.
 */
#include <string.h>

#include <pcf/engine.h>
#include <pcf/particles.h>

#include "diags_count.h"
#include "fake_answers.h"
#include "table_check.h"
#include "particles/dynamodb_table/table.h"
#include "src/common/util.h"
#include "table_vectors.h"

TestSuite(table_schema, .fini = table_check_done);

/* The start of a table particle's YAML, up to its TableName. */
#define TABLE_NAMED                                                                                \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: table_t\n"
/* ... and an on-demand table with its key. */
#define TABLE_HEAD                                                                                 \
	TABLE_NAMED                                                                                \
	"  BillingMode: PAY_PER_REQUEST\n"                                                         \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

Test(table_schema, a_definition_using_every_field_is_valid)
{
	table_check_valid(
	    "pcf_name: orders\n"
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
	    "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n");
}

Test(table_schema, every_problem_is_reported_at_its_line)
{
	const pcf_diags *d = table_check(
	    "pcf_name: orders\n"                                                       /* 1 */
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
	    "  Colour: blue\n"                                                         /* 13 */
	);
	cr_assert(table_check_reported(6, 0, "X"), "enum value");
	cr_assert(table_check_reported(7, 0, "unused"), "unused attribute definition");
	cr_assert(table_check_reported(8, 0, "HASH"), "first key must be HASH");
	cr_assert(table_check_reported(10, 0, "PAY_PER_REQUEST"),
	          "throughput on an on-demand table");
	cr_assert(table_check_reported(13, 0, "Colour"), "unknown field");
	cr_assert_eq(d->count, 7);
	cr_assert(table_check_reported(11, 0, "StreamViewType"));
	cr_assert(table_check_reported(12, 0, "AttributeName"));
}

Test(table_schema, throughput_must_match_billing_mode)
{
	const pcf_diags *d = table_check(
	    TABLE_NAMED
	    "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: g, "
	    "AttributeType: S}]\n"
	    "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	    "  GlobalSecondaryIndexes:\n"
	    "    - IndexName: by_g\n"
	    "      KeySchema: [{AttributeName: g, KeyType: HASH}]\n"
	    "      Projection: {ProjectionType: ALL, NonKeyAttributes: [a]}\n");
	/* Provisioned by default: the table and its index need throughput; ALL takes no list. */
	cr_assert_eq(d->count, 3);
	cr_assert(table_check_reported(4, 0, "the table"));
	cr_assert(table_check_reported(8, 0, "by_g"));
	cr_assert(table_check_reported(10, 0, "NonKeyAttributes"));
}

Test(table_schema, keys_must_be_defined_and_indexes_unique)
{
	table_check(
	    "pcf_name: t\n"
	    "flavor: dynamodb_table\n"
	    "aws_resource:\n"
	    "  TableName: table_t\n"
	    "  BillingMode: PAY_PER_REQUEST\n"
	    "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	    "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	    "  GlobalSecondaryIndexes:\n"
	    "    - {IndexName: idx, KeySchema: [{AttributeName: nope, KeyType: HASH}], Projection: "
	    "{ProjectionType: ALL}}\n"
	    "    - {IndexName: idx, KeySchema: [{AttributeName: id, KeyType: HASH}], Projection: "
	    "{ProjectionType: ALL}}\n"
	    "  Tags: [{Key: a, Value: b}, {Key: a, Value: c}]\n");
	cr_assert(table_check_reported(9, 0, "nope"));
	cr_assert(table_check_reported(10, 0, "unique index names"));
	cr_assert(table_check_reported(11, 0, "unique tag keys"));
}

Test(table_schema, a_key_type_typo_is_reported_once)
{
	const pcf_diags *d = table_check(
	    TABLE_NAMED "  BillingMode: PAY_PER_REQUEST\n"
	                "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	                "  KeySchema: [{AttributeName: id, KeyType: HASHH}]\n");
	cr_assert_eq(d->count, 1);
	cr_assert(table_check_reported(7, 0, "expected one of HASH, RANGE, found \"HASHH\""));
}

Test(table_schema, names_aws_refuses_are_refused)
{
	const pcf_diags *d = table_check(
	    "pcf_name: t\n"            /* 1 */
	    "flavor: dynamodb_table\n" /* 2 */
	    "aws_resource:\n"          /* 3 */
	    "  TableName: ab\n"        /* 4 */
	    "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: " /**/
	    "g, AttributeType: S}]\n"                                                      /* 5 */
	    "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                          /* 6 */
	    "  ProvisionedThroughput: {ReadCapacityUnits: 0, WriteCapacityUnits: -3}\n"    /* 7 */
	    "  GlobalSecondaryIndexes:\n"                                                  /* 8 */
	    "    - IndexName: by g!\n"                                                     /* 9 */
	    "      KeySchema: [{AttributeName: g, KeyType: HASH}]\n"                       /* 10 */
	    "      Projection: {ProjectionType: ALL}\n"                                    /* 11 */
	    "      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 0}\n" /* 12 */
	);
	cr_assert(table_check_reported(4, 0, "TableName: expected a name of 3 to 255 characters"));
	cr_assert(table_check_reported(
	    7, 0, "ReadCapacityUnits: expected at least 1 capacity unit, found 0"));
	cr_assert(table_check_reported(
	    7, 0, "WriteCapacityUnits: expected at least 1 capacity unit, found -3"));
	cr_assert(table_check_reported(9, 0, "IndexName: expected a name of 3 to 255 characters"));
	cr_assert(table_check_reported(9, 0, "found \"by g!\""));
	cr_assert(table_check_reported(12, 0, "WriteCapacityUnits: expected at least 1"));
	cr_assert_eq(d->count, 5);
}

/* Builds TABLE_HEAD plus `count` tags, keys k0..; returns a malloc'd text. */
static char *with_tags(int count, int duplicate_last)
{
	size_t cap = 128 + (size_t)count * 48 + sizeof(TABLE_HEAD), used;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	used = (size_t)snprintf(text, cap, "%s  Tags:\n", TABLE_HEAD);
	for (int i = 0; i < count; i++)
		used += (size_t)snprintf(text + used, cap - used, "    - {Key: k%d, Value: v}\n",
		                         duplicate_last && i == count - 1 ? 0 : i);
	return text;
}

Test(table_schema, more_than_fifty_tags_are_refused_once)
{
	const pcf_diags *d;
	char *text = with_tags(51, 0);
	d = table_check(text);
	cr_assert_eq(d->count, 1);
	cr_assert(table_check_reported(9, 0, "Tags: expected at most 50 tags, found 51"));
	table_check_done();
	free(text);
	text = with_tags(50, 0);
	d = table_check(text);
	cr_assert_eq(d->count, 0);
	table_check_done();
	free(text);
}

/*
 * 50,000 tags took 25 s with the quadratic duplicate check and take about a
 * second now; the bound is generous and scales with PCF_TEST_TIME_SCALE,
 * since under valgrind the same work takes tens of times longer.
 */
Test(table_schema, fifty_thousand_tags_are_checked_quickly)
{
	const pcf_diags *d;
	char *text = with_tags(50000, 1);
	int64_t start = pcf_util_now_ms();
	long limit_ms = pcf_test_scaled_ms(20000);

	d = table_check(text);
	cr_assert_leq(pcf_util_now_ms() - start, (int64_t)limit_ms,
	              "checking 50,000 tags took over %ld ms", limit_ms);
	cr_assert(diags_count(d, "expected at most 50 tags") == 1);
	cr_assert_eq(diags_count(d, "unique tag keys"), 1);
	table_check_done();
	free(text);
}

Test(table_schema, tag_and_attribute_lengths_are_bounded)
{
	char key[200], value[300], attr[300], text[2048];
	const pcf_diags *d;
	memset(key, 'k', 129);
	key[129] = '\0';
	memset(value, 'v', 257);
	value[257] = '\0';
	memset(attr, 'a', 256);
	attr[256] = '\0';
	snprintf(text, sizeof(text),
	         "pcf_name: t\n"
	         "flavor: dynamodb_table\n"
	         "aws_resource:\n"
	         "  TableName: table_t\n"
	         "  BillingMode: PAY_PER_REQUEST\n"
	         "  AttributeDefinitions: [{AttributeName: %s, AttributeType: S}]\n"
	         "  KeySchema: [{AttributeName: %s, KeyType: HASH}]\n"
	         "  Tags:\n"
	         "    - {Key: %s, Value: v}\n"
	         "    - {Key: ok, Value: %s}\n"
	         "    - {Key: '', Value: ''}\n",
	         attr, attr, key, value);
	d = table_check(text);
	cr_assert(table_check_reported(
	    6, 0, "AttributeName: expected a name of 1 to 255 characters, found 256"));
	cr_assert(table_check_reported(
	    7, 0, "AttributeName: expected a name of 1 to 255 characters, found 256"));
	cr_assert(table_check_reported(
	    9, 0, "Key: expected a tag key of 1 to 128 characters, found 129"));
	cr_assert(table_check_reported(
	    10, 0, "Value: expected a tag value of at most 256 characters, found 257"));
	cr_assert(
	    table_check_reported(11, 0, "Key: expected a tag key of 1 to 128 characters, found 0"));
	cr_assert_eq(d->count, 5);
}

/* `count` indexes of the given list; GSIs get their own hash attribute. */
static char *with_indexes(const char *list, int count)
{
	size_t cap = 4096 + (size_t)count * 256, used;
	char *text = malloc(cap);
	int global = strcmp(list, "GlobalSecondaryIndexes") == 0;
	cr_assert_not_null(text);
	used = (size_t)snprintf(text, cap,
	                        "pcf_name: t\n"
	                        "flavor: dynamodb_table\n"
	                        "aws_resource:\n"
	                        "  TableName: table_t\n"
	                        "  BillingMode: PAY_PER_REQUEST\n"
	                        "  AttributeDefinitions:\n"
	                        "    - {AttributeName: id, AttributeType: S}\n"
	                        "    - {AttributeName: r, AttributeType: S}\n"
	                        "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	                        "  %s:\n",
	                        list);
	for (int i = 0; i < count; i++)
		used += (size_t)snprintf(
		    text + used, cap - used,
		    "    - {IndexName: index%d, KeySchema: [{AttributeName: %s, "
		    "KeyType: HASH}%s], Projection: {ProjectionType: ALL}}\n",
		    i, global ? "r" : "id", global ? "" : ", {AttributeName: r, KeyType: RANGE}");
	return text;
}

Test(table_schema, index_counts_are_bounded)
{
	static const struct {
		const char *key;
		int count;
		const char *problem; /* NULL: none */
	} cases[] = {
	    {"GlobalSecondaryIndexes", 21,
	     "expected at most 20 global secondary indexes, found 21"},
	    {"LocalSecondaryIndexes", 6, "expected at most 5 local secondary indexes, found 6"},
	    {"GlobalSecondaryIndexes", 20, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const pcf_diags *d;
		char *text = with_indexes(cases[i].key, cases[i].count);
		d = table_check(text);
		cr_assert_eq(d->count, cases[i].problem ? 1 : 0, "%s %d", cases[i].key,
		             cases[i].count);
		if (cases[i].problem)
			cr_assert(table_check_reported(11, 0, cases[i].problem));
		table_check_done();
		free(text);
	}
}

/* An empty GSI list means "no global indexes" (the planner deletes live ones); valid. */
Test(table_schema, an_empty_index_list_means_none)
{
	table_check_valid(TABLE_HEAD "  GlobalSecondaryIndexes: []\n"
	                             "  LocalSecondaryIndexes: []\n");
}

Test(table_schema, pcf_custom_config_is_accepted)
{
	table_check_valid(TABLE_HEAD "  custom_config: {anything: [1, 2]}\n");
}

/* The 2025 multi-attribute keys: a global index takes up to 4 HASH and 4
 * RANGE attributes, each kind in its order, HASH ones first. */
#define MULTI_KEY_HEAD                                                                             \
	TABLE_NAMED                                                                                \
	"  BillingMode: PAY_PER_REQUEST\n"                                                         \
	"  AttributeDefinitions:\n"                                                                \
	"    - {AttributeName: id, AttributeType: S}\n"                                            \
	"    - {AttributeName: a, AttributeType: S}\n"                                             \
	"    - {AttributeName: b, AttributeType: S}\n"                                             \
	"    - {AttributeName: c, AttributeType: S}\n"                                             \
	"    - {AttributeName: d, AttributeType: S}\n"                                             \
	"    - {AttributeName: e, AttributeType: N}\n"                                             \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                      \
	"  GlobalSecondaryIndexes:\n"                                                              \
	"    - IndexName: multi\n"                                                                 \
	"      Projection: {ProjectionType: ALL}\n"

Test(table_schema, an_index_key_of_several_hash_and_range_attributes_is_valid)
{
	const pcf_diags *d =
	    table_check(MULTI_KEY_HEAD "      KeySchema:\n"
	                               "        - {AttributeName: a, KeyType: HASH}\n"
	                               "        - {AttributeName: b, KeyType: HASH}\n"
	                               "        - {AttributeName: c, KeyType: HASH}\n"
	                               "        - {AttributeName: d, KeyType: HASH}\n"
	                               "        - {AttributeName: e, KeyType: RANGE}\n"
	                               "        - {AttributeName: id, KeyType: RANGE}\n");
	cr_assert_eq(d->count, 0);
}

Test(table_schema, an_index_key_beyond_four_of_a_kind_or_out_of_order_is_refused)
{
	table_check(MULTI_KEY_HEAD "      KeySchema:\n"                             /* 17 */
	                           "        - {AttributeName: a, KeyType: HASH}\n"  /* 18 */
	                           "        - {AttributeName: e, KeyType: RANGE}\n" /* 19 */
	                           "        - {AttributeName: b, KeyType: HASH}\n"  /* 20 */
	);
	cr_assert(table_check_reported(20, 0, "HASH attributes before RANGE"), "HASH after RANGE");
	table_check_done();
	table_check(MULTI_KEY_HEAD "      KeySchema:\n"
	                           "        - {AttributeName: a, KeyType: HASH}\n"
	                           "        - {AttributeName: b, KeyType: HASH}\n"
	                           "        - {AttributeName: c, KeyType: HASH}\n"
	                           "        - {AttributeName: d, KeyType: HASH}\n"
	                           "        - {AttributeName: e, KeyType: HASH}\n");
	cr_assert(table_check_reported(18, 0, "at most 4 HASH"), "five HASH attributes");
	table_check_done();
	/* The table's own key and a local index's stay at one HASH and one RANGE. */
	table_check(TABLE_NAMED
	            "  BillingMode: PAY_PER_REQUEST\n"
	            "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, "
	            "{AttributeName: a, AttributeType: S}]\n"
	            "  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: a, "
	            "KeyType: HASH}]\n");
	cr_assert(table_check_reported(7, 0, "RANGE"));
}

Test(table_schema, the_2026_fields_are_valid)
{
	table_check_valid(
	    TABLE_HEAD
	    "  OnDemandThroughput: {MaxReadRequestUnits: -1, MaxWriteRequestUnits: 500}\n"
	    "  WarmThroughput: {ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000}\n"
	    "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true, "
	    "RecoveryPeriodInDays: 35}\n"
	    "  ResourcePolicy:\n"
	    "    Version: \"2012-10-17\"\n"
	    "    Statement: [{Effect: Allow, Action: \"dynamodb:GetItem\", Resource: "
	    "\"*\", Principal: {AWS: \"arn:aws:iam::123456789012:root\"}}]\n"
	    "ignore_changes: [WarmThroughput, \"OnDemandThroughput.MaxReadRequestUnits\"]\n");
	/* A JSON string. */
	table_check_valid(TABLE_HEAD
	                  "  ResourcePolicy: '{\"Version\": \"2012-10-17\", \"Statement\": []}'\n");
	/* null: no policy. */
	table_check_valid(TABLE_HEAD "  ResourcePolicy: null\n");
}

Test(table_schema, bad_2026_values_are_refused_at_their_line)
{
	const pcf_diags *d = table_check(
	    TABLE_HEAD
	    "  OnDemandThroughput: {MaxReadRequestUnits: 0, MaxWriteRequestUnits: -2}\n" /* 8 */
	    "  WarmThroughput: {}\n"                                                     /* 9 */
	    "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true, "
	    "RecoveryPeriodInDays: 36}\n"             /* 10 */
	    "  ResourcePolicy: '{\"Version\": '\n"    /* 11 */
	    "ignore_changes: [TableName, Colour.x]\n" /* 12 */
	);
	cr_assert(table_check_reported(8, 0, "found 0"));
	cr_assert(table_check_reported(8, 0, "found -2"));
	cr_assert(table_check_reported(9, 0, "found neither"));
	cr_assert(table_check_reported(10, 0, "expected 1 to 35 days, found 36"));
	cr_assert(table_check_reported(11, 0, "not JSON"));
	cr_assert(table_check_reported(12, 0, "names the table itself"));
	cr_assert(table_check_reported(12, 0, "found Colour"));
	cr_assert_eq(d->count, 7);
	table_check_done();
	/* Caps belong to on-demand tables; a cap names both members (Terraform #39760). */
	d = table_check(TABLE_NAMED
	                "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	                "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	                "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"
	                "  OnDemandThroughput: {MaxReadRequestUnits: 10}\n" /* 8 */
	                "  ResourcePolicy: [a]\n"                           /* 9 */
	);
	cr_assert(table_check_reported(8, 0, "PAY_PER_REQUEST"));
	cr_assert(table_check_reported(8, 0, "MaxWriteRequestUnits"));
	cr_assert(table_check_reported(9, 0, "policy document"));
}

/* A table whose name and key attribute YAML reads as numbers. */
static const char numbered_yaml[] =
    "pcf_name: t\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: 2024\n"
    "  BillingMode: PAY_PER_REQUEST\n"
    "  AttributeDefinitions: [{AttributeName: 7, AttributeType: S}]\n"
    "  KeySchema: [{AttributeName: 7, KeyType: HASH}]\n";

/* validate only reads: YAML's accidental numbers (`TableName: 2024`) stay
 * numbers in the definition until the explicit normalize step. */
Test(table_schema, validate_leaves_the_definition_byte_identical)
{
	const char *yaml = numbered_yaml;
	pcf_definitions *defs = NULL;
	pcf_diags d;
	cJSON *before;

	pcf_diags_init(&d);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "pcf.yml", &d), 0);
	before = cJSON_Duplicate(defs->particles[0].aws_resource, 1);
	pcf_table_validate(&defs->particles[0], &d);
	cr_expect(cJSON_Compare(before, defs->particles[0].aws_resource, 1),
	          "validate changed the definition");
	cJSON_Delete(before);
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}

/* The explicit step: pcf_engine_normalize turns the numbers into the
 * strings the schema wants, once, and validate then finds nothing. */
Test(table_schema, normalize_is_the_step_that_turns_numbers_into_names)
{
	const char *yaml = numbered_yaml;
	size_t count = 0;
	const pcf_flavor *const *flavors = pcf_particles_flavors(&count);
	pcf_error err = PCF_ERROR_INIT;
	const cJSON *name;
	pcf_definitions *defs = NULL;
	pcf_diags d;

	pcf_diags_init(&d);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "pcf.yml", &d), 0);
	cr_assert_eq(pcf_engine_normalize(defs, flavors, count, &err), 0, "%s", err.message);
	name = cJSON_GetObjectItem(defs->particles[0].aws_resource, "TableName");
	cr_expect(cJSON_IsString(name) && strcmp(name->valuestring, "2024") == 0);
	cr_expect_eq(pcf_engine_validate(defs, flavors, count, &d), 0, "%s",
	             d.count ? d.items[0].message : "");
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}

/*
 * Which definitions a DescribeTable answer fully tells (a CreateTable
 * answer that says ACTIVE then stands for the read after the creation):
 * only those whose every key, at the top and in each index, is one that
 * DescribeTable shows. Anything else, a key added to the schema later
 * included, makes the engine read in full.
 */
static int described_alone(const char *json)
{
	cJSON *want = pcf_test_json_parse(json);
	int alone = pcf_table_described_alone(want);
	cJSON_Delete(want);
	return alone;
}

#define DESCRIBED_HEAD                                                                             \
	"{\"TableName\":\"t\",\"region_name\":\"us-east-1\",\"AttributeDefinitions\":[],"          \
	"\"KeySchema\":[],\"BillingMode\":\"PROVISIONED\",\"ProvisionedThroughput\":{},"           \
	"\"StreamSpecification\":{},\"SSESpecification\":{},\"TableClass\":\"STANDARD\","          \
	"\"DeletionProtectionEnabled\":false,\"OnDemandThroughput\":{},\"WarmThroughput\":{},"     \
	"\"LocalSecondaryIndexes\":[{\"IndexName\":\"l\",\"KeySchema\":[],\"Projection\":{}}],"    \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"g\",\"KeySchema\":[],\"Projection\":{},"     \
	"\"ProvisionedThroughput\":{},\"OnDemandThroughput\":{},\"WarmThroughput\":{}"

Test(table_schema, description_alone_tells_the_settings_describe_table_shows)
{
	cr_assert(described_alone(DESCRIBED_HEAD "}]}"));
	cr_assert(described_alone("{\"TableName\":\"t\"}"));
}

Test(table_schema, any_setting_another_call_reads_needs_the_full_read)
{
	static const char *const others[] = {
	    "\"TimeToLiveSpecification\":{}", "\"PointInTimeRecoverySpecification\":{}",
	    "\"Tags\":[]", "\"ResourcePolicy\":null", "\"ContributorInsightsSpecification\":{}",
	    "\"KinesisStreamingDestinations\":[]", "\"AutoScaling\":{}", "\"Replicas\":[]",
	    "\"MultiRegionConsistency\":\"EVENTUAL\"",
	    /* A key added later is read in full until the rule says otherwise. */
	    "\"SomeSettingAddedLater\":{}"};
	char json[2048];

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		snprintf(json, sizeof(json), DESCRIBED_HEAD "}],%s}", others[i]);
		cr_expect_not(described_alone(json), "%s", others[i]);
	}
}

Test(table_schema, an_index_setting_another_call_reads_needs_the_full_read)
{
	cr_expect_not(
	    described_alone(DESCRIBED_HEAD ",\"ContributorInsightsSpecification\":{}}]}"));
	cr_expect_not(described_alone(DESCRIBED_HEAD ",\"SomeIndexSettingAddedLater\":1}]}"));
	cr_expect_not(
	    described_alone("{\"TableName\":\"t\",\"LocalSecondaryIndexes\":[{\"IndexName\":"
	                    "\"l\",\"SomeIndexSettingAddedLater\":1}]}"));
}
