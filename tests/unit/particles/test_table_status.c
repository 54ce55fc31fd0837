/*
 * Table and index statuses -> pcf states through the flavor's
 * pcf_table_state (src/dynamodb/status.c decides), on answers recorded from
 * dynoxide and dynalite, plus hand-made answers for the statuses no
 * local server can produce (marked as such below).
 */
#include <string.h>

#include "particles/dynamodb_table/table.h"
#include "table_vectors.h"

static pcf_state state_of(const char *vector, char *why, size_t size)
{
	cJSON *t = tv_table(vector);
	pcf_state s = pcf_table_state(t, why, size);
	cJSON_Delete(t);
	return s;
}

Test(table_status, active_tables_with_active_indexes_are_running)
{
	char why[128];
	cr_assert_eq(state_of("dynoxide_describe_full", why, sizeof(why)), PCF_STATE_RUNNING);
	cr_assert_str_eq(why, "");
	cr_assert_eq(state_of("dynalite_describe_full", why, sizeof(why)), PCF_STATE_RUNNING);
	cr_assert_eq(state_of("dynalite_describe_ondemand", NULL, 0), PCF_STATE_RUNNING);
	cr_assert_eq(state_of("dynoxide_describe_minimal", NULL, 0), PCF_STATE_RUNNING);
}

Test(table_status, creating_updating_deleting_tables_are_pending)
{
	char why[128];
	cr_assert_eq(state_of("dynalite_create_full", why, sizeof(why)), PCF_STATE_PENDING);
	cr_assert(strstr(why, " is CREATING") && !strncmp(why, "table ", 6), "%s", why);
	cr_assert_eq(state_of("dynalite_describe_updating", why, sizeof(why)), PCF_STATE_PENDING);
	cr_assert(strstr(why, " is UPDATING") && !strncmp(why, "table ", 6), "%s", why);
	cr_assert_eq(state_of("dynalite_describe_deleting", why, sizeof(why)), PCF_STATE_PENDING);
	cr_assert(strstr(why, " is DELETING") && !strncmp(why, "table ", 6), "%s", why);
}

Test(table_status, an_active_table_with_a_creating_index_is_pending)
{
	char why[128];
	/* No open server holds an index CREATING: dynoxide's answer right after
	 * a GSI create (index ACTIVE at once), then the same answer hand-made
	 * into what the service shows during the backfill. */
	cJSON *t = tv_table("dynoxide_describe_gsi_creating");
	cr_assert_eq(pcf_table_state(t, why, sizeof(why)), PCF_STATE_RUNNING);
	cJSON *ix = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "GlobalSecondaryIndexes"), 0);
	cJSON_ReplaceItemInObject(ix, "IndexStatus", cJSON_CreateString("CREATING"));
	cr_assert_eq(pcf_table_state(t, why, sizeof(why)), PCF_STATE_PENDING);
	cr_assert_str_eq(why, "index by_g is CREATING");
	cJSON_Delete(t);
}

Test(table_status, archived_and_inaccessible_tables_are_unavailable)
{
	/* Hand-made: no local server produces these statuses. */
	static const char *const statuses[] = {"INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ARCHIVING",
	                                       "ARCHIVED"};
	for (size_t i = 0; i < 3; i++) {
		char text[256], why[128];
		snprintf(text, sizeof(text),
		         "{\"TableName\":\"t\",\"TableStatus\":\"%s\",\"GlobalSecondaryIndexes\":"
		         "[{\"IndexName\":\"g\",\"IndexStatus\":\"CREATING\"}]}",
		         statuses[i]);
		cJSON *t = pcf_test_json_parse(text);
		cr_assert_eq(pcf_table_state(t, why, sizeof(why)), PCF_STATE_UNAVAILABLE);
		cr_assert(strstr(why, statuses[i]) != NULL);
		cJSON_Delete(t);
	}
}

Test(table_status, unknown_or_absent_status_waits)
{
	/* Hand-made. */
	cJSON *t =
	    pcf_test_json_parse("{\"TableName\":\"t\",\"TableStatus\":\"REPLICATING_SOMEWHERE\"}");
	cr_assert_eq(pcf_table_state(t, NULL, 0), PCF_STATE_PENDING);
	cJSON_Delete(t);
	t = pcf_test_json_parse("{\"TableName\":\"t\"}");
	cr_assert_eq(pcf_table_state(t, NULL, 0), PCF_STATE_PENDING);
	cJSON_Delete(t);
}

Test(table_status, no_description_is_missing)
{
	cr_assert_eq(pcf_table_state(NULL, NULL, 0), PCF_STATE_MISSING);
}
