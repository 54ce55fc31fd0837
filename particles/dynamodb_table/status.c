/*
 * Table status -> pcf state, as DESIGN.md's table says.
 *
 * A table is running only when it is ACTIVE and so is every global
 * secondary index: a GSI backfill can last hours and UpdateTable refuses
 * work meanwhile. The unavailable states (lost KMS key, archived) come
 * first because pcf must never act on such a table, whatever its indexes
 * say. An unknown status is treated as pending: waiting is safe, acting
 * on a state we do not understand is not, and the engine's deadline ends
 * the wait.
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

static int is_unavailable(const char *status)
{
	return !strcmp(status, "INACCESSIBLE_ENCRYPTION_CREDENTIALS") ||
	       !strcmp(status, "ARCHIVING") || !strcmp(status, "ARCHIVED");
}

static void say(char *why, size_t why_size, const char *what, const char *name, const char *status)
{
	if (why == NULL || why_size == 0)
		return;
	if (name != NULL)
		snprintf(why, why_size, "%s %s %s", what, name, status);
	else
		snprintf(why, why_size, "%s %s", what, status);
}

pcf_state pcf_table_state(const cJSON *description, char *why, size_t why_size)
{
	const char *status = pcf_table_str(description, "TableStatus");
	const cJSON *gsis, *gsi;

	if (why != NULL && why_size > 0)
		why[0] = '\0';
	if (status == NULL) {
		say(why, why_size, "table", NULL, "status unknown");
		return PCF_STATE_PENDING;
	}
	if (is_unavailable(status)) {
		say(why, why_size, "table", NULL, status);
		return PCF_STATE_UNAVAILABLE;
	}
	if (strcmp(status, "ACTIVE") != 0) {
		say(why, why_size, "table", NULL, status);
		return PCF_STATE_PENDING;
	}
	gsis = cJSON_GetObjectItemCaseSensitive(description, "GlobalSecondaryIndexes");
	cJSON_ArrayForEach(gsi, gsis)
	{
		const char *index_status = pcf_table_str(gsi, "IndexStatus");
		if (index_status != NULL && strcmp(index_status, "ACTIVE") != 0) {
			say(why, why_size, "index", pcf_table_str(gsi, "IndexName"), index_status);
			return PCF_STATE_PENDING;
		}
	}
	return PCF_STATE_RUNNING;
}
