/*
 * Table status -> pcf state, as DESIGN.md's States table says, in the one
 * place that decides it.
 *
 * A table is running only when it is ACTIVE and so is every global
 * secondary index: a GSI backfill can last hours and UpdateTable refuses
 * work meanwhile. The unavailable states (lost KMS key, archived) come
 * first because pcf must never act on such a table, whatever its indexes
 * say. An unknown or absent status is pending: waiting is safe, acting on
 * a state we do not understand is not, and every wait has a deadline. An
 * index without IndexStatus is not waited on: the service always sends
 * one, and a server that leaves it out would otherwise never be done.
 */
#include "status.h"

#include <stdio.h>
#include <string.h>

#include "src/common/util.h"

static int is_unavailable(const char *status)
{
	return !strcmp(status, "INACCESSIBLE_ENCRYPTION_CREDENTIALS") ||
	       !strcmp(status, "ARCHIVING") || !strcmp(status, "ARCHIVED");
}

static pcf_ddb_status say(char *why, size_t why_size, pcf_ddb_status status, const char *what,
                          const char *name, const char *value)
{
	if (why != NULL && why_size > 0)
		snprintf(why, why_size, "%s %s is %s", what, name ? name : "?", value);
	return status;
}

pcf_ddb_status pcf_ddb_table_status(char *why, size_t why_size, const cJSON *table)
{
	const char *name = pcf_util_json_str(table, "TableName");
	const char *status = pcf_util_json_str(table, "TableStatus");
	const cJSON *gsi;

	if (why != NULL && why_size > 0)
		why[0] = '\0';
	if (table == NULL)
		return PCF_DDB_STATUS_MISSING;
	if (status == NULL || !*status)
		return say(why, why_size, PCF_DDB_STATUS_PENDING, "table", name,
		           "in no known state");
	if (is_unavailable(status))
		return say(why, why_size, PCF_DDB_STATUS_UNAVAILABLE, "table", name, status);
	if (strcmp(status, "ACTIVE") != 0)
		return say(why, why_size, PCF_DDB_STATUS_PENDING, "table", name, status);
	cJSON_ArrayForEach(gsi, cJSON_GetObjectItemCaseSensitive(table, "GlobalSecondaryIndexes"))
	{
		const char *index_status = pcf_util_json_str(gsi, "IndexStatus");
		if (index_status != NULL && strcmp(index_status, "ACTIVE") != 0)
			return say(why, why_size, PCF_DDB_STATUS_PENDING, "index",
			           pcf_util_json_str(gsi, "IndexName"), index_status);
	}
	return PCF_DDB_STATUS_RUNNING;
}
