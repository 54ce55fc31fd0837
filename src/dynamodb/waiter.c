/*
 * Table helpers: waiting for a table to reach a state, and making sure a
 * table exists.
 *
 * This is the one place in the client that polls. A wait reads
 * DescribeTable every interval until the target holds, and each way it can
 * fail has its own code: the table vanished (RESOURCE_NOT_FOUND), it is
 * being deleted (REFUSED), it is in a state nobody waits out (UNAVAILABLE),
 * or time ran out (TIMEDOUT, naming what was still pending).
 */
#include "ddb_internal.h"

#include <stdio.h>
#include <string.h>

#include <pcf/error.h>

#include "src/common/util.h"

static const char *status_of(const cJSON *obj, const char *field)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, field);
	return cJSON_IsString(s) ? s->valuestring : "";
}

/* "" when every GSI is ACTIVE, else writes the first one that is not into pending. */
static int indexes_active(const cJSON *table, char *pending, size_t pending_size)
{
	const cJSON *gsi;
	cJSON_ArrayForEach(gsi, cJSON_GetObjectItemCaseSensitive(table, "GlobalSecondaryIndexes"))
	{
		const char *st = status_of(gsi, "IndexStatus");
		if (strcmp(st, "ACTIVE") != 0) {
			snprintf(pending, pending_size, "index %s is %s",
			         status_of(gsi, "IndexName"), *st ? st : "not ACTIVE");
			return 0;
		}
	}
	return 1;
}

int ddb_wait_classify(int rc, const cJSON *table, pcf_ddb_table_target target, char *pending,
                      size_t pending_size, pcf_error *err)
{
	const char *name = status_of(table, "TableName");
	const char *st;
	if (target == PCF_DDB_TABLE_DELETED) {
		if (rc == PCF_ERESOURCE_NOT_FOUND)
			return DDB_WAIT_DONE;
		if (rc < 0)
			return rc;
		snprintf(pending, pending_size, "table %s is %s", name,
		         status_of(table, "TableStatus"));
		return DDB_WAIT_PENDING;
	}
	if (rc == PCF_ERESOURCE_NOT_FOUND)
		return rc;
	if (rc < 0)
		return rc;
	st = status_of(table, "TableStatus");
	if (strcmp(st, "DELETING") == 0)
		return pcf_error_set(err, PCF_EREFUSED, "table %s is being deleted", name);
	if (strcmp(st, "ARCHIVING") == 0 || strcmp(st, "ARCHIVED") == 0 ||
	    strcmp(st, "INACCESSIBLE_ENCRYPTION_CREDENTIALS") == 0)
		return pcf_error_set(err, PCF_EUNAVAILABLE, "table %s is %s", name, st);
	if (strcmp(st, "ACTIVE") != 0) {
		snprintf(pending, pending_size, "table %s is %s", name, *st ? st : "not ACTIVE");
		return DDB_WAIT_PENDING;
	}
	return indexes_active(table, pending, pending_size) ? DDB_WAIT_DONE : DDB_WAIT_PENDING;
}

int ddb_wait_run(cJSON **out, ddb_describe_fn describe, void *payload, const char *table,
                 pcf_ddb_table_target target, long interval_ms, long timeout_ms, pcf_error *err)
{
	long long deadline = pcf_util_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	char pending[256] = "";
	cJSON *last = NULL;
	int state;
	if (out)
		*out = NULL;
	if (!describe || !table || interval_ms < 0)
		return pcf_error_set(err, PCF_EINVAL, "invalid wait arguments");
	for (;;) {
		cJSON *desc = NULL;
		int rc = describe(&desc, table, err, payload);
		state = ddb_wait_classify(rc, desc, target, pending, sizeof(pending), err);
		if (desc) {
			cJSON_Delete(last);
			last = desc;
		}
		if (state != DDB_WAIT_PENDING)
			break;
		if (pcf_util_now_ms() + interval_ms > deadline) {
			state = pcf_error_set(err, PCF_ETIMEDOUT, "gave up after %ld ms: %s",
			                      timeout_ms, pending);
			break;
		}
		pcf_util_sleep_ms(interval_ms);
	}
	if (state == DDB_WAIT_DONE)
		pcf_error_clear(err);
	if (out) {
		*out = last;
		last = NULL;
	}
	cJSON_Delete(last);
	return state == DDB_WAIT_DONE ? 0 : state;
}

static int describe_real(cJSON **table, const char *name, pcf_error *err, void *payload)
{
	return pcf_ddb_describe_table(table, payload, name, err);
}

int pcf_ddb_wait_table(cJSON **out, pcf_ddb *db, const char *table, pcf_ddb_table_target target,
                       long interval_ms, long timeout_ms, pcf_error *err)
{
	if (!db)
		return pcf_error_set(err, PCF_EINVAL, "db is NULL");
	return ddb_wait_run(out, describe_real, db, table, target, interval_ms, timeout_ms, err);
}
