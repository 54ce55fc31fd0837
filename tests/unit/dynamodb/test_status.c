/*
 * Table and index status -> state: DESIGN.md's States table, case by case.
 * The statuses are the service's (DynamoDB API reference, TableDescription
 * and GlobalSecondaryIndexDescription); the descriptions are hand-made.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "src/dynamodb/status.h"

struct status_case {
	char table[256];
	pcf_ddb_status want;
	char why[64];
};

#define TABLE(status) "{\"TableName\":\"t\",\"TableStatus\":\"" status "\"}"
#define WITH_GSI(status)                                                                           \
	"{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\",\"GlobalSecondaryIndexes\":"              \
	"[{\"IndexName\":\"g1\",\"IndexStatus\":\"ACTIVE\"},"                                      \
	"{\"IndexName\":\"g2\",\"IndexStatus\":\"" status "\"}]}"

static struct status_case cases[] = {
    {TABLE("ACTIVE"), PCF_DDB_STATUS_RUNNING, ""},
    {WITH_GSI("ACTIVE"), PCF_DDB_STATUS_RUNNING, ""},
    {TABLE("CREATING"), PCF_DDB_STATUS_PENDING, "table t is CREATING"},
    {TABLE("UPDATING"), PCF_DDB_STATUS_PENDING, "table t is UPDATING"},
    {TABLE("DELETING"), PCF_DDB_STATUS_PENDING, "table t is DELETING"},
    {WITH_GSI("CREATING"), PCF_DDB_STATUS_PENDING, "index g2 is CREATING"},
    {WITH_GSI("UPDATING"), PCF_DDB_STATUS_PENDING, "index g2 is UPDATING"},
    {WITH_GSI("DELETING"), PCF_DDB_STATUS_PENDING, "index g2 is DELETING"},
    {TABLE("INACCESSIBLE_ENCRYPTION_CREDENTIALS"), PCF_DDB_STATUS_UNAVAILABLE,
     "table t is INACCESSIBLE_ENCRYPTION_CREDENTIALS"},
    {TABLE("ARCHIVING"), PCF_DDB_STATUS_UNAVAILABLE, "table t is ARCHIVING"},
    {TABLE("ARCHIVED"), PCF_DDB_STATUS_UNAVAILABLE, "table t is ARCHIVED"},
    /* A status added after this was written: wait, never act. */
    {TABLE("REPLICATION_PAUSED"), PCF_DDB_STATUS_PENDING, "table t is REPLICATION_PAUSED"},
    {"{\"TableName\":\"t\"}", PCF_DDB_STATUS_PENDING, "table t is in no known state"},
    /* Unavailable wins over whatever the indexes say. */
    {"{\"TableName\":\"t\",\"TableStatus\":\"ARCHIVED\",\"GlobalSecondaryIndexes\":"
     "[{\"IndexName\":\"g\",\"IndexStatus\":\"CREATING\"}]}",
     PCF_DDB_STATUS_UNAVAILABLE, "table t is ARCHIVED"},
};

ParameterizedTestParameters(status, states_table)
{
	return cr_make_param_array(struct status_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct status_case *c, status, states_table)
{
	char why[128] = "x";
	cJSON *t = cJSON_Parse(c->table);
	cr_assert_not_null(t, "%s", c->table);
	cr_assert_eq(pcf_ddb_table_status(why, sizeof(why), t), c->want, "%s", c->table);
	cr_assert_str_eq(why, c->why);
	cr_assert_eq(pcf_ddb_table_status(NULL, 0, t), c->want, "why may be NULL");
	cJSON_Delete(t);
}

Test(status, no_description_is_missing)
{
	char why[64] = "x";
	cr_assert_eq(pcf_ddb_table_status(why, sizeof(why), NULL), PCF_DDB_STATUS_MISSING);
	cr_assert_str_eq(why, "");
}
