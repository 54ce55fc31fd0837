/*
 * The lock table itself: creating it when missing, listing the locks held,
 * and releasing a lock whose holder is gone (`pcf unlock`).
 *
 * The table is on-demand (a handful of small writes per run; no capacity
 * to plan) with TTL on expires_at, which every write pushes an hour past
 * the lease, so items of runs long gone disappear on their own while no
 * live lock can expire under its holder.
 */
#include "src/lock/client.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

static cJSON *create_request(const char *table)
{
	cJSON *r = cJSON_CreateObject(), *defs, *keys, *a, *k;

	if (!r)
		return NULL;
	defs = cJSON_AddArrayToObject(r, "AttributeDefinitions");
	keys = cJSON_AddArrayToObject(r, "KeySchema");
	a = cJSON_CreateObject();
	k = cJSON_CreateObject();
	cJSON_AddItemToArray(defs, a);
	cJSON_AddItemToArray(keys, k);
	if (!cJSON_AddStringToObject(r, "TableName", table) ||
	    !cJSON_AddStringToObject(r, "BillingMode", "PAY_PER_REQUEST") || !a || !k ||
	    !cJSON_AddStringToObject(a, "AttributeName", LOCK_ATTR_KEY) ||
	    !cJSON_AddStringToObject(a, "AttributeType", "S") ||
	    !cJSON_AddStringToObject(k, "AttributeName", LOCK_ATTR_KEY) ||
	    !cJSON_AddStringToObject(k, "KeyType", "HASH")) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* TTL on expires_at unless already there; a server without TTL is only logged. */
static void ensure_ttl(pcf_lock_client *c)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *desc = NULL, *spec = cJSON_CreateObject();
	const char *status;
	int rc;

	rc = pcf_ddb_describe_time_to_live(&desc, c->db, c->table, &err);
	status = rc == 0 ? pcf_util_json_str(desc, "TimeToLiveStatus") : NULL;
	if (status && (!strcmp(status, "ENABLED") || !strcmp(status, "ENABLING")))
		goto out;
	if (!spec || !cJSON_AddBoolToObject(spec, "Enabled", 1) ||
	    !cJSON_AddStringToObject(spec, "AttributeName", LOCK_ATTR_EXPIRES))
		goto out;
	pcf_error_clear(&err);
	rc = pcf_ddb_update_time_to_live(NULL, c->db, c->table, spec, &err);
	if (rc < 0)
		pcf_log(&c->logger, PCF_LOG_INFO,
		        "lock table %s: TTL not enabled (%s); released locks stay as items, "
		        "which does not affect locking",
		        c->table, err.message);
out:
	cJSON_Delete(desc);
	cJSON_Delete(spec);
}

int pcf_lock_ensure_table(pcf_lock_client *client, long timeout_ms, pcf_error *err)
{
	cJSON *request = create_request(client->table);
	int rc;

	if (!request)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = pcf_ddb_ensure_table(NULL, client->db, request, timeout_ms, err);
	cJSON_Delete(request);
	if (rc < 0)
		return pcf_error_prefix(err, "lock table %s", client->table);
	ensure_ttl(client);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const pcf_lock_info *)a)->key, ((const pcf_lock_info *)b)->key);
}

/* Appends the held locks among items to *out. */
static int collect(pcf_lock_info **out, size_t *count, size_t *cap, const cJSON *items,
                   pcf_error *err)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, items)
	{
		pcf_lock_info info;
		int rc = lock_info_from_item(&info, item, err);

		if (rc == PCF_EBADRESPONSE) {
			pcf_error_clear(err); /* not pcf's item: not a lock */
			continue;
		}
		if (rc < 0)
			return rc;
		if (info.released) {
			pcf_lock_info_cleanup(&info);
			continue;
		}
		if (pcf_util_grow((void **)out, cap, *count, sizeof(**out)) < 0) {
			pcf_lock_info_cleanup(&info);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
		(*out)[(*count)++] = info;
	}
	return 0;
}

int pcf_lock_list(pcf_lock_info **out, size_t *count, pcf_lock_client *client, pcf_error *err)
{
	cJSON *request = cJSON_CreateObject(), *response = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	if (!request || !cJSON_AddStringToObject(request, "TableName", client->table) ||
	    !cJSON_AddBoolToObject(request, "ConsistentRead", 1)) {
		cJSON_Delete(request);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	rc = pcf_ddb_scan(&response, client->db, request, err);
	if (rc == 0)
		rc = collect(out, count, &cap, cJSON_GetObjectItemCaseSensitive(response, "Items"),
		             err);
	cJSON_Delete(request);
	cJSON_Delete(response);
	if (rc < 0) {
		pcf_lock_info_free(*out, *count);
		*out = NULL;
		*count = 0;
		return pcf_error_prefix(err, "listing locks in table %s", client->table);
	}
	if (*count)
		qsort(*out, *count, sizeof(**out), by_key);
	return 0;
}

int pcf_lock_force_release(pcf_lock_info *was, pcf_lock_client *client, const char *key,
                           pcf_error *err)
{
	char version[LOCK_VERSION_CHARS + 1];
	pcf_lock_info seen;
	int found, rc;

	if (was)
		memset(was, 0, sizeof(*was));
	rc = lock_read(&seen, &found, client, key, err);
	if (rc < 0)
		return pcf_error_prefix(err, "reading lock %s in table %s", key, client->table);
	if (!found || seen.released) {
		if (found)
			pcf_lock_info_cleanup(&seen);
		return pcf_error_set(err, PCF_ENOTFOUND, "no lock %s is held in table %s", key,
		                     client->table);
	}
	/* Written as released by this client, conditional on what was read: a holder
	 * that renewed meanwhile is alive, and keeps its lock. */
	rc = lock_write(client, key, seen.version, seen.taken_at, 1, version, err);
	if (rc == PCF_ECONDITIONAL_CHECK_FAILED)
		pcf_error_set(err, rc,
		              "lock %s changed while being released: its holder (%s pid %ld) "
		              "renewed it, so it is alive; left as it is",
		              key, seen.host, seen.pid);
	else if (rc < 0)
		pcf_error_prefix(err, "releasing lock %s in table %s", key, client->table);
	if (was && rc == 0)
		*was = seen;
	else
		pcf_lock_info_cleanup(&seen);
	return rc;
}
