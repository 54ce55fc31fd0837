/*
 * Table waits and the key-schema check, driven by a scripted DescribeTable
 * instead of a server: each poll returns the next scripted answer.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <pcf/dynamodb.h>

#include "src/dynamodb/ddb_internal.h"

static cJSON *parse(const char *text)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);
	cr_assert_not_null(j, "test JSON does not parse: %s", text);
	return j;
}

struct script {
	const char *answers[8]; /* table JSON, or "gone" for ResourceNotFound, "boom" for a 500 */
	int n;
	int polls;
};

static int scripted(cJSON **table, const char *name, pcf_error *err, void *payload)
{
	struct script *s = payload;
	const char *a = s->answers[s->polls < s->n ? s->polls : s->n - 1];
	cr_assert_str_eq(name, "t");
	s->polls++;
	*table = NULL;
	if (strcmp(a, "gone") == 0)
		return pcf_error_set(err, PCF_ERESOURCE_NOT_FOUND, "Requested resource not found");
	if (strcmp(a, "boom") == 0)
		return pcf_error_set(err, PCF_EINTERNAL_SERVER, "internal");
	*table = parse(a);
	return 0;
}

#define CREATING "{\"TableName\":\"t\",\"TableStatus\":\"CREATING\"}"
#define ACTIVE   "{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\"}"
#define DELETING "{\"TableName\":\"t\",\"TableStatus\":\"DELETING\"}"
#define GSI_CREATING                                                                               \
	"{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\",\"GlobalSecondaryIndexes\":"              \
	"[{\"IndexName\":\"g1\",\"IndexStatus\":\"ACTIVE\"},{\"IndexName\":\"g2\","                \
	"\"IndexStatus\":\"CREATING\"}]}"
#define GSI_ACTIVE                                                                                 \
	"{\"TableName\":\"t\",\"TableStatus\":\"ACTIVE\",\"GlobalSecondaryIndexes\":"              \
	"[{\"IndexName\":\"g1\",\"IndexStatus\":\"ACTIVE\"}]}"

/* Waits for `target` on table t, polling every millisecond for up to a minute. */
static int wait_for(struct script *s, pcf_ddb_table_target target, cJSON **last, pcf_error *err)
{
	return ddb_wait_run(last, scripted, s, "t", target, 1, 60000, err);
}

Test(waiter, active_after_creating_and_index_backfill)
{
	struct script s = {{CREATING, CREATING, GSI_CREATING, GSI_ACTIVE}, 4, 0};
	cJSON *last = NULL;
	cr_assert_eq(wait_for(&s, PCF_DDB_TABLE_ACTIVE, &last, NULL), 0);
	cr_assert_eq(s.polls, 4);
	cr_assert_not_null(cJSON_GetObjectItem(last, "GlobalSecondaryIndexes"));
	cJSON_Delete(last);
}

Test(waiter, table_gone_while_waiting_for_active)
{
	struct script s = {{CREATING, "gone"}, 2, 0};
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(wait_for(&s, PCF_DDB_TABLE_ACTIVE, NULL, &err), PCF_ERESOURCE_NOT_FOUND);
	cr_assert_eq(err.code, PCF_ERESOURCE_NOT_FOUND);
}

Test(waiter, deleting_is_refused_when_waiting_for_active)
{
	struct script s = {{DELETING}, 1, 0};
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(wait_for(&s, PCF_DDB_TABLE_ACTIVE, NULL, &err), PCF_EREFUSED);
	cr_assert_not_null(strstr(err.message, "deleted"), "%s", err.message);
}

Test(waiter, archived_is_unavailable)
{
	struct script s = {{"{\"TableName\":\"t\",\"TableStatus\":\"ARCHIVED\"}"}, 1, 0};
	cr_assert_eq(wait_for(&s, PCF_DDB_TABLE_ACTIVE, NULL, NULL), PCF_EUNAVAILABLE);
}

Test(waiter, timeout_names_what_is_pending)
{
	struct script s = {{GSI_CREATING}, 1, 0};
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_wait_run(NULL, scripted, &s, "t", PCF_DDB_TABLE_ACTIVE, 5, 20, &err),
	             PCF_ETIMEDOUT);
	cr_assert_not_null(strstr(err.message, "index g2 is CREATING"), "%s", err.message);
	cr_assert_geq(s.polls, 1);
}

Test(waiter, deleted_target_waits_through_deleting)
{
	struct script s = {{DELETING, DELETING, "gone"}, 3, 0};
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(wait_for(&s, PCF_DDB_TABLE_DELETED, NULL, &err), 0);
	cr_assert_eq(err.code, 0);
	cr_assert_eq(s.polls, 3);
}

Test(waiter, other_describe_errors_pass_through)
{
	struct script s = {{"boom"}, 1, 0};
	cr_assert_eq(wait_for(&s, PCF_DDB_TABLE_DELETED, NULL, NULL), PCF_EINTERNAL_SERVER);
}

#define DEF                                                                                        \
	"{\"TableName\":\"t\",\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},"     \
	"{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":["             \
	"{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\","            \
	"\"AttributeType\":\"N\"}]}"

struct schema_case {
	char table[400];
	int rc;
};

static const struct schema_case schema_cases[] = {
    {DEF, 0},
    /* Order of KeySchema entries does not matter; roles do. */
    {"{\"KeySchema\":[{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"},{\"AttributeName\":"
     "\"pk\",\"KeyType\":\"HASH\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"sk\","
     "\"AttributeType\":\"N\"},{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}]}",
     0},
    {"{\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
     "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}]}",
     PCF_ESCHEMA},
    {"{\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"},{\"AttributeName\":"
     "\"sk\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[]}",
     PCF_ESCHEMA},
    {"{\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":"
     "\"sk\",\"KeyType\":\"RANGE\"}],\"AttributeDefinitions\":[{\"AttributeName\":\"pk\","
     "\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}]}",
     PCF_ESCHEMA},
};

#include <criterion/parameterized.h>

ParameterizedTestParameters(waiter, key_schema_check)
{
	return cr_make_param_array(struct schema_case, schema_cases,
	                           sizeof(schema_cases) / sizeof(schema_cases[0]));
}

ParameterizedTest(const struct schema_case *c, waiter, key_schema_check)
{
	cJSON *def = parse(DEF), *table = parse(c->table);
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(ddb_key_schema_check(table, def, &err), c->rc, "%s", err.message);
	if (c->rc)
		cr_assert_neq(err.message[0], '\0');
	cJSON_Delete(def);
	cJSON_Delete(table);
}
