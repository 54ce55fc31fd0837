/*
 * Normalising DescribeTable answers (recorded from dynoxide 1.2.1, dynalite 4
 * and moto 5, see tests/vectors/dynamodb_table/README.md) into the
 * definition's shape, and the equivalence that follows: the definition a
 * table was created from shows no drift against the server's description
 * of it, with every default and timestamp the server adds.
 */
#include <string.h>

#include "particles/dynamodb_table/table.h"
#include "table_vectors.h"

/* The CreateTable requests record.sh sent, as definitions. */
#define FULL_KEYS                                                                                  \
	"\"TableName\":\"full\",\"AttributeDefinitions\":["                                        \
	"{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"                                      \
	"{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"},"                                      \
	"{\"AttributeName\":\"email\",\"AttributeType\":\"S\"},"                                   \
	"{\"AttributeName\":\"lsk\",\"AttributeType\":\"S\"}],"                                    \
	"\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},"                          \
	"{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"                                       \
	"\"BillingMode\":\"PROVISIONED\","                                                         \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":4},"            \
	"\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_email\",\"KeySchema\":["                  \
	"{\"AttributeName\":\"email\",\"KeyType\":\"HASH\"}],\"Projection\":"                      \
	"{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"b\",\"a\"]},"                     \
	"\"ProvisionedThroughput\":{\"ReadCapacityUnits\":2,\"WriteCapacityUnits\":3}}],"          \
	"\"LocalSecondaryIndexes\":[{\"IndexName\":\"by_lsk\",\"KeySchema\":["                     \
	"{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},"                                         \
	"{\"AttributeName\":\"lsk\",\"KeyType\":\"RANGE\"}],"                                      \
	"\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}],"                                     \
	"\"TableClass\":\"STANDARD\",\"DeletionProtectionEnabled\":false,"                         \
	"\"region_name\":\"us-east-1\""

/* The recorded DescribeTable answer vector, normalized alone; the caller frees. */
static cJSON *normalized(const char *vector)
{
	cJSON *t = tv_table(vector);
	cJSON *n = pcf_table_normalize(t, NULL, NULL, NULL);
	cJSON_Delete(t);
	return n;
}

static size_t drift_count(const char *definition, const cJSON *current, pcf_drift *keep)
{
	cJSON *def = pcf_test_json_parse(definition);
	cJSON *want = pcf_table_canonical(def);
	pcf_drift d;
	size_t n;
	pcf_drift_init(&d);
	cr_assert_eq(pcf_diff(&d, want, current, &pcf_table_diff_options), 0);
	n = d.count;
	for (size_t i = 0; i < d.count; i++) {
		char *w = tv_print(d.entries[i].desired), *c = tv_print(d.entries[i].current);
		cr_log_info("drift %s: %s vs %s", d.entries[i].path, w ? w : "-", c ? c : "-");
		cJSON_free(w);
		cJSON_free(c);
	}
	if (keep != NULL)
		*keep = d;
	else
		pcf_drift_cleanup(&d);
	cJSON_Delete(want);
	cJSON_Delete(def);
	return n;
}

Test(table_normalize, dynoxide_full_table_has_the_create_shape)
{
	cJSON *n = normalized("dynoxide_describe_full");
	cJSON *want = pcf_test_json_parse(
	    "{\"TableName\":\"full\",\"BillingMode\":\"PROVISIONED\","
	    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":4},"
	    "\"StreamSpecification\":{\"StreamEnabled\":true,\"StreamViewType\":\"NEW_AND_"
	    "OLD_IMAGES\"},"
	    "\"SSESpecification\":{\"Enabled\":false},\"TableClass\":\"STANDARD\","
	    "\"DeletionProtectionEnabled\":false}");
	cJSON *item;
	cr_assert_not_null(n);
	cJSON_ArrayForEach(item, want)
	{
		cJSON *got = cJSON_GetObjectItemCaseSensitive(n, item->string);
		cr_assert(pcf_table_same_set(item, got), "field %s", item->string);
	}
	cr_assert_str_eq(pcf_table_str(n, "TableArn"),
	                 "arn:aws:dynamodb:dynoxide:000000000000:table/full");
	item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(n, "GlobalSecondaryIndexes"), 0);
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(item, "IndexStatus"));
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(item, "IndexArn"));
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(n, "ProvisionedThroughput"),
	    "NumberOfDecreasesToday"));
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(n, "Tags"), "tags not read: left out");
	cJSON_Delete(n);
	cJSON_Delete(want);
}

Test(table_normalize, dynoxide_full_definition_shows_no_drift)
{
	cJSON *n = normalized("dynoxide_describe_full");
	cr_assert_eq(drift_count("{" FULL_KEYS ",\"StreamSpecification\":{\"StreamEnabled\":true,"
	                         "\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"},"
	                         "\"SSESpecification\":{\"Enabled\":false}}",
	                         n, NULL),
	             0);
	cJSON_Delete(n);
}

Test(table_normalize, dynalite_full_definition_with_tags_shows_no_drift)
{
	/* dynalite keeps no stream and ignores CreateTable's Tags; the tags here
	 * are the ones TagResource set (list_tags answer). */
	cJSON *t = tv_table("dynalite_describe_full");
	cJSON *tags = tv_member("dynalite_list_tags", "Tags");
	cJSON *n = pcf_table_normalize(t, NULL, NULL, tags);
	cr_assert_eq(drift_count("{" FULL_KEYS ",\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"},"
	                         "{\"Key\":\"env\",\"Value\":\"dev\"}]}",
	                         n, NULL),
	             0);
	cJSON_Delete(n);
	cJSON_Delete(tags);
	cJSON_Delete(t);
}

Test(table_normalize, on_demand_tables_report_no_throughput)
{
	static const char *const vectors[] = {"dynoxide_describe_ondemand",
	                                      "dynalite_describe_ondemand"};
	for (size_t i = 0; i < 2; i++) {
		cJSON *n = normalized(vectors[i]);
		cJSON *gsi = cJSON_GetArrayItem(
		    cJSON_GetObjectItemCaseSensitive(n, "GlobalSecondaryIndexes"), 0);
		cr_assert_str_eq(pcf_table_str(n, "BillingMode"), "PAY_PER_REQUEST");
		cr_assert_null(cJSON_GetObjectItemCaseSensitive(n, "ProvisionedThroughput"));
		cr_assert_null(cJSON_GetObjectItemCaseSensitive(gsi, "ProvisionedThroughput"));
		cr_assert_eq(
		    drift_count("{\"TableName\":\"ondemand\",\"AttributeDefinitions\":["
		                "{\"AttributeName\":\"g\",\"AttributeType\":\"S\"},"
		                "{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
		                "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
		                "\"BillingMode\":\"PAY_PER_REQUEST\",\"GlobalSecondaryIndexes\":[{"
		                "\"IndexName\":\"by_g\",\"KeySchema\":[{\"AttributeName\":\"g\","
		                "\"KeyType\":\"HASH\"}],"
		                "\"Projection\":{\"ProjectionType\":\"ALL\"}}]}",
		                n, NULL),
		    0, "%s", vectors[i]);
		cJSON_Delete(n);
	}
}

Test(table_normalize, omitted_fields_and_server_defaults_are_not_drift)
{
	static const char *const vectors[] = {"dynoxide_describe_full", "dynalite_describe_full"};
	for (size_t i = 0; i < 2; i++) {
		cJSON *n = normalized(vectors[i]);
		/* Only the keys; no indexes, no throughput, no stream named. */
		cr_assert_eq(
		    drift_count("{\"TableName\":\"full\",\"AttributeDefinitions\":["
		                "{\"AttributeName\":\"id\",\"AttributeType\":\"S\"},"
		                "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],"
		                "\"KeySchema\":[{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"},"
		                "{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}",
		                n, NULL),
		    0, "%s", vectors[i]);
		/* Server defaults spelled out equal what the server leaves out. */
		cr_assert_eq(drift_count("{\"TableName\":\"full\",\"TableClass\":\"STANDARD\","
		                         "\"DeletionProtectionEnabled\":false,"
		                         "\"SSESpecification\":{\"Enabled\":false},"
		                         "\"BillingMode\":\"PROVISIONED\"}",
		                         n, NULL),
		             0, "%s", vectors[i]);
		cJSON_Delete(n);
	}
}

static void stream_disabled(const char *vector)
{
	cJSON *n = normalized(vector);
	cJSON *s = cJSON_GetObjectItemCaseSensitive(n, "StreamSpecification");
	cr_assert_eq(pcf_table_bool(s, "StreamEnabled"), 0);
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(s, "StreamViewType"));
	cr_assert_eq(drift_count("{\"TableName\":\"full\",\"StreamSpecification\":{"
	                         "\"StreamEnabled\":false,\"StreamViewType\":\"NEW_IMAGE\"}}",
	                         n, NULL),
	             0);
	cr_assert_eq(drift_count("{\"TableName\":\"full\",\"StreamSpecification\":{"
	                         "\"StreamEnabled\":true,\"StreamViewType\":\"NEW_IMAGE\"}}",
	                         n, NULL),
	             2, "StreamEnabled and StreamViewType differ");
	cJSON_Delete(n);
}

Test(table_normalize, a_disabled_stream_is_stream_enabled_false)
{
	/* After UpdateTable StreamEnabled=false dynoxide drops
	 * StreamSpecification and the stream; moto drops StreamSpecification
	 * but keeps LatestStreamArn, as the service does. */
	static const char *const vectors[] = {"dynoxide_describe_stream_disabled",
	                                      "moto_describe_stream_disabled"};
	for (size_t i = 0; i < 2; i++)
		stream_disabled(vectors[i]);
}

Test(table_normalize, ttl_answers_become_a_specification)
{
	cJSON *t = tv_table("dynoxide_describe_minimal");
	cJSON *on = tv_member("dynoxide_ttl_enabled", "TimeToLiveDescription");
	cJSON *off = tv_member("dynalite_ttl_disabled", "TimeToLiveDescription");
	cJSON *n_on = pcf_table_normalize(t, on, NULL, NULL);
	cJSON *n_off = pcf_table_normalize(t, off, NULL, NULL);
	cJSON *spec = cJSON_GetObjectItemCaseSensitive(n_on, "TimeToLiveSpecification");
	cr_assert_eq(pcf_table_bool(spec, "Enabled"), 1);
	cr_assert_str_eq(pcf_table_str(spec, "AttributeName"), "exp");
	spec = cJSON_GetObjectItemCaseSensitive(n_off, "TimeToLiveSpecification");
	cr_assert_eq(pcf_table_bool(spec, "Enabled"), 0);
	cr_assert_eq(drift_count("{\"TimeToLiveSpecification\":{\"Enabled\":false,"
	                         "\"AttributeName\":\"exp\"}}",
	                         n_off, NULL),
	             0);
	cr_assert_eq(drift_count("{\"TimeToLiveSpecification\":{\"Enabled\":true,"
	                         "\"AttributeName\":\"exp\"}}",
	                         n_on, NULL),
	             0);
	cJSON_Delete(n_on);
	cJSON_Delete(n_off);
	cJSON_Delete(on);
	cJSON_Delete(off);
	cJSON_Delete(t);
}

Test(table_normalize, changes_show_as_drift_at_their_path)
{
	cJSON *n = normalized("dynoxide_describe_full");
	pcf_drift d;
	cr_assert_eq(
	    drift_count("{\"ProvisionedThroughput\":{\"ReadCapacityUnits\":10,"
	                "\"WriteCapacityUnits\":4},\"GlobalSecondaryIndexes\":[{"
	                "\"IndexName\":\"by_email\",\"KeySchema\":[{\"AttributeName\":\"email\","
	                "\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"},"
	                "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":2,"
	                "\"WriteCapacityUnits\":3}}]}",
	                n, &d),
	    2);
	cr_assert_str_eq(d.entries[0].path, "ProvisionedThroughput.ReadCapacityUnits");
	cr_assert_eq(d.entries[0].desired->valuedouble, 10);
	cr_assert_eq(d.entries[0].current->valuedouble, 5);
	cr_assert(strncmp(d.entries[1].path, "GlobalSecondaryIndexes[by_email].Projection", 43) ==
	              0,
	          "%s", d.entries[1].path);
	pcf_drift_cleanup(&d);
	cJSON_Delete(n);
}

Test(table_normalize, canonical_drops_what_the_state_makes_meaningless)
{
	cJSON *d =
	    pcf_test_json_parse("{\"TableName\":\"t\",\"region_name\":\"eu-west-1\","
	                        "\"BillingMode\":\"PAY_PER_REQUEST\",\"ProvisionedThroughput\":"
	                        "{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0},"
	                        "\"SSESpecification\":{\"Enabled\":false,\"SSEType\":\"KMS\"}}");
	cJSON *c = pcf_table_canonical(d);
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(c, "region_name"));
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(c, "ProvisionedThroughput"));
	cr_assert_null(cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(c, "SSESpecification"), "SSEType"));
	cJSON_Delete(c);
	cJSON_Delete(d);
	d = pcf_test_json_parse("{\"TableName\":\"t\",\"ProvisionedThroughput\":"
	                        "{\"ReadCapacityUnits\":1,\"WriteCapacityUnits\":1}}");
	c = pcf_table_canonical(d);
	cr_assert_str_eq(pcf_table_str(c, "BillingMode"), "PROVISIONED",
	                 "throughput implies provisioned billing");
	cJSON_Delete(c);
	cJSON_Delete(d);
}

/* A server that keeps an index's old throughput while on demand (and then
 * refuses the same value on the switch back) must be seen by the planner. */
Test(table_normalize, on_demand_keeps_the_raw_throughput_aside)
{
	cJSON *t = pcf_test_json_parse(
	    "{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\","
	    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
	    "\"BillingModeSummary\":{\"BillingMode\":\"PAY_PER_REQUEST\"},"
	    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":0,\"WriteCapacityUnits\":0},"
	    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"by_g\",\"IndexStatus\":\"ACTIVE\","
	    "\"KeySchema\":[{\"AttributeName\":\"g\",\"KeyType\":\"HASH\"}],"
	    "\"Projection\":{\"ProjectionType\":\"ALL\"},"
	    "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":4,\"WriteCapacityUnits\":1}}]}");
	cJSON *n = pcf_table_normalize(t, NULL, NULL, NULL);
	const cJSON *raw = cJSON_GetObjectItemCaseSensitive(n, "RawThroughput");
	const cJSON *ix = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(raw, "Indexes"), 0);

	cr_assert_not_null(ix);
	cr_assert_str_eq(pcf_table_str(ix, "IndexName"), "by_g");
	cr_assert_eq(
	    cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(ix, "ProvisionedThroughput"), "ReadCapacityUnits")
	        ->valueint,
	    4);
	cr_assert_eq(
	    drift_count("{\"TableName\":\"t\",\"BillingMode\":\"PAY_PER_REQUEST\"}", n, NULL), 0,
	    "not drift");
	cJSON_Delete(n);
	cJSON_Delete(t);
}
