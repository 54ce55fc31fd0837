/*
 * A configuration store handle: opening, writes, and direct-mode reads.
 *
 * Direct mode is the seed's DirectConfigStore: every get is a consistent
 * GetItem and get_all a consistent Query on the store's partition, so a
 * read always sees the latest acknowledged write. Time-based mode hands
 * reads to snapshot.c. Writes go to DynamoDB in both modes; set is one
 * PutItem that replaces the whole option, as the seed's set does.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_REFRESH_INTERVAL_MS 300000L

static int copy_string(char **dst, const char *src)
{
	*dst = strdup(src);
	return *dst ? 0 : PCF_ENOMEM;
}

static void store_free(pcf_config_store *store)
{
	if (!store)
		return;
	free(store->table_name);
	free(store->store_key);
	free(store->option_key);
	free(store->store);
	free(store);
}

/* Allocates a store holding copies of the names in options. */
static int store_alloc(pcf_config_store **out, pcf_ddb *db, const pcf_config_store_options *o,
                       pcf_error *err)
{
	pcf_config_store *s = calloc(1, sizeof(*s));
	*out = NULL;
	if (!s)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (copy_string(&s->table_name, o->table.name) < 0 ||
	    copy_string(&s->store_key, config_store_key(&o->table)) < 0 ||
	    copy_string(&s->option_key, config_option_key(&o->table)) < 0 ||
	    copy_string(&s->store, o->store) < 0) {
		store_free(s);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	s->db = db;
	s->table.name = s->table_name;
	s->table.store_key = s->store_key;
	s->table.option_key = s->option_key;
	s->mode = o->mode;
	s->refresh_interval_ms =
	    o->refresh_interval_ms > 0 ? o->refresh_interval_ms : DEFAULT_REFRESH_INTERVAL_MS;
	s->on_error = o->on_error;
	s->payload = o->payload;
	*out = s;
	return 0;
}

int pcf_config_store_open(pcf_config_store **out, pcf_ddb *db,
                          const pcf_config_store_options *options, pcf_error *err)
{
	pcf_config_store *s = NULL;
	int rc;

	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!db || !options)
		return pcf_error_set(err, PCF_EINVAL, "a DynamoDB client and options are needed");
	if ((rc = config_table_valid(&options->table, err)) < 0)
		return rc;
	if (!options->store || !options->store[0])
		return pcf_error_set(err, PCF_EINVAL, "no store name given");
	if (options->mode != PCF_CONFIG_DIRECT && options->mode != PCF_CONFIG_TIME_BASED)
		return pcf_error_set(err, PCF_EINVAL, "unknown config store mode %d",
		                     (int)options->mode);
	if (options->create_table)
		rc = pcf_config_table_ensure(db, &options->table, &options->create, err);
	else
		rc = pcf_config_table_check(db, &options->table, err);
	if (rc < 0)
		return rc;
	if ((rc = store_alloc(&s, db, options, err)) < 0)
		return rc;
	if (s->mode == PCF_CONFIG_TIME_BASED && (rc = config_snapshot_start(s, err)) < 0) {
		store_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void pcf_config_store_close(pcf_config_store *store)
{
	if (!store)
		return;
	if (store->mode == PCF_CONFIG_TIME_BASED)
		config_snapshot_stop(store);
	store_free(store);
}

static int check_option(const char *option, pcf_error *err)
{
	if (!option || !option[0])
		return pcf_error_set(err, PCF_EINVAL, "no option name given");
	return 0;
}

/*
 * Puts what was written into the snapshot in the form a load would give
 * (markers normalised), so a process reads its own writes. Should the
 * conversion fail, the next refresh brings the option in anyway.
 */
static void note_item(pcf_config_store *store, const char *option, const cJSON *item)
{
	cJSON *data = NULL;
	if (pcf_config_data_from_item(&data, &store->table, item, NULL) == 0)
		config_snapshot_note_write(store, option, data);
	cJSON_Delete(data);
}

int pcf_config_store_set(pcf_config_store *store, const char *option, const cJSON *data,
                         pcf_error *err)
{
	cJSON *item = NULL, *resp = NULL;
	int rc;

	if (!store)
		return pcf_error_set(err, PCF_EINVAL, "no store given");
	if ((rc = check_option(option, err)) < 0)
		return rc;
	if ((rc = pcf_config_item_from_data(&item, &store->table, store->store, option, data,
	                                    err)) < 0)
		return rc;
	rc = pcf_ddb_put_item(&resp, store->db, store->table_name, item, NULL, err);
	if (rc == 0 && store->mode == PCF_CONFIG_TIME_BASED)
		note_item(store, option, item);
	cJSON_Delete(item);
	cJSON_Delete(resp);
	return rc;
}

int pcf_config_store_delete(cJSON **old, pcf_config_store *store, const char *option,
                            pcf_error *err)
{
	cJSON *key = NULL, *params = NULL, *resp = NULL;
	const cJSON *attributes;
	int rc;

	if (old)
		*old = NULL;
	if (!store)
		return pcf_error_set(err, PCF_EINVAL, "no store given");
	if ((rc = check_option(option, err)) < 0)
		return rc;
	if ((rc = config_item_key(&key, &store->table, store->store, option, err)) < 0)
		return rc;
	/*
	 * ALL_OLD hands back what was deleted at no extra request. The
	 * condition makes a repeat whose first try deleted the option (its
	 * answer lost) a refusal the transport marks maybe_applied, so "there
	 * was none" and "deleted, answer lost" stay apart.
	 */
	params = cJSON_Parse("{\"ReturnValues\":\"ALL_OLD\",\"ConditionExpression\":"
	                     "\"attribute_exists(#o)\",\"ExpressionAttributeNames\":{}}");
	if (!params || !cJSON_AddStringToObject(
	                   cJSON_GetObjectItemCaseSensitive(params, "ExpressionAttributeNames"),
	                   "#o", config_option_key(&store->table))) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	rc = pcf_ddb_delete_item(&resp, store->db, store->table_name, key, params, err);
	if (rc == PCF_ECONDITIONAL_CHECK_FAILED) {
		/* Gone already: by our own lost first try (err says so) or before. */
		if (err && !err->maybe_applied)
			pcf_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		goto out;
	if (store->mode == PCF_CONFIG_TIME_BASED)
		config_snapshot_note_write(store, option, NULL);
	attributes = cJSON_GetObjectItemCaseSensitive(resp, "Attributes");
	if (old && cJSON_IsObject(attributes))
		rc = pcf_config_data_from_item(old, &store->table, attributes, err);
out:
	cJSON_Delete(key);
	cJSON_Delete(params);
	cJSON_Delete(resp);
	return rc;
}

/* Direct mode: one consistent GetItem. */
static int direct_get(cJSON **out, pcf_config_store *store, const char *option, pcf_error *err)
{
	cJSON *key = NULL, *params = NULL, *resp = NULL;
	const cJSON *item;
	int rc;

	if ((rc = config_item_key(&key, &store->table, store->store, option, err)) < 0)
		return rc;
	params = cJSON_CreateObject();
	if (!params || !cJSON_AddTrueToObject(params, "ConsistentRead")) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = pcf_ddb_get_item(&resp, store->db, store->table_name, key, params, err)) < 0)
		goto out;
	item = cJSON_GetObjectItemCaseSensitive(resp, "Item");
	if (!cJSON_IsObject(item)) {
		rc = pcf_error_set(err, PCF_ENOTFOUND, "store %s has no option %s", store->store,
		                   option);
		goto out;
	}
	rc = pcf_config_data_from_item(out, &store->table, item, err);
out:
	cJSON_Delete(key);
	cJSON_Delete(params);
	cJSON_Delete(resp);
	return rc;
}

int pcf_config_store_get(cJSON **out, pcf_config_store *store, const char *option, pcf_error *err)
{
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!store)
		return pcf_error_set(err, PCF_EINVAL, "no store given");
	if ((rc = check_option(option, err)) < 0)
		return rc;
	if (store->mode == PCF_CONFIG_TIME_BASED)
		return config_snapshot_get(out, store, option, err);
	return direct_get(out, store, option, err);
}

int config_store_load(cJSON **out, pcf_config_store *store, pcf_error *err)
{
	cJSON *grouped = NULL, *options;
	int rc = pcf_config_table_read(&grouped, store->db, &store->table, store->store, err);

	*out = NULL;
	if (rc < 0)
		return rc;
	options = cJSON_DetachItemFromObjectCaseSensitive(grouped, store->store);
	cJSON_Delete(grouped);
	if (!options && !(options = cJSON_CreateObject()))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	*out = options;
	return 0;
}

int pcf_config_store_get_all(cJSON **out, pcf_config_store *store, pcf_error *err)
{
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!store)
		return pcf_error_set(err, PCF_EINVAL, "no store given");
	if (store->mode == PCF_CONFIG_TIME_BASED)
		return config_snapshot_get_all(out, store, err);
	return config_store_load(out, store, err);
}

int pcf_config_store_reload(pcf_config_store *store, pcf_error *err)
{
	if (!store)
		return pcf_error_set(err, PCF_EINVAL, "no store given");
	if (store->mode != PCF_CONFIG_TIME_BASED)
		return 0;
	return config_snapshot_reload(store, err);
}
