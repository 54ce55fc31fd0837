/*
 * Table helpers: waiting for a table to reach a state, and making sure a
 * table exists.
 *
 * This is the one place in the client that polls. A wait reads
 * DescribeTable every interval until the target holds, and each way it can
 * fail has its own code: the table vanished (RESOURCE_NOT_FOUND), it is
 * being deleted (REFUSED), it is in a state nobody waits out (UNAVAILABLE),
 * or time ran out (TIMEDOUT, naming what was still pending). What a
 * status means is pcf_ddb_table_status's verdict (status.c).
 */
#include "ddb_internal.h"
#include "status.h"

#include <stdio.h>
#include <string.h>

#include <pcf/error.h>

#include "src/common/util.h"

static const char *status_of(const cJSON *obj, const char *field)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, field);
	return cJSON_IsString(s) ? s->valuestring : "";
}

int ddb_wait_classify(int rc, const cJSON *table, pcf_ddb_table_target target, char *pending,
                      size_t pending_size, pcf_error *err)
{
	const char *name = status_of(table, "TableName");
	pcf_ddb_status status;

	if (rc < 0 && rc != PCF_ERESOURCE_NOT_FOUND)
		return rc;
	status = pcf_ddb_table_status(pending, pending_size, rc < 0 ? NULL : table);
	if (target == PCF_DDB_TABLE_DELETED)
		return status == PCF_DDB_STATUS_MISSING ? DDB_WAIT_DONE : DDB_WAIT_PENDING;
	switch (status) {
	case PCF_DDB_STATUS_RUNNING:
		return DDB_WAIT_DONE;
	case PCF_DDB_STATUS_MISSING:
		return rc;
	case PCF_DDB_STATUS_UNAVAILABLE:
		return pcf_error_set(err, PCF_EUNAVAILABLE, "%s", pending);
	case PCF_DDB_STATUS_PENDING:
	default:
		/* Pending, but a table being deleted never becomes ACTIVE. */
		if (!strcmp(status_of(table, "TableStatus"), "DELETING"))
			return pcf_error_set(err, PCF_EREFUSED, "table %s is being deleted", name);
		return DDB_WAIT_PENDING;
	}
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
