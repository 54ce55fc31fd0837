/*
 * The dynamodb_config_store operations the engine drives.
 *
 * The live state is the table's status plus the options of the stores the
 * definition names (one consistent Query per store). Describing, checking
 * and creating the table are the configuration store library's
 * (src/config_store): a table whose key schema does not match the
 * definition's keys is refused in sync_state with PCF_ESCHEMA (the seed's
 * MisconfiguredSchema), so apply never writes options into a table laid
 * out for something else.
 *
 * The drift and the plan come from one walk over declared vs live
 * options: a declared option that is missing or different is a PutItem
 * step (the whole option is replaced, as the seed's set does); with
 * Exclusive, a live option of a declared store that the definition does
 * not name is a DeleteItem step. Options of stores the definition does
 * not name are never looked at. Throughput is used when the table is
 * created and not reconciled afterwards: the table's capacity belongs to
 * whoever runs the table, and a dynamodb_table particle can own it.
 */
#include "config_flavor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/particles.h>

#include "src/common/util.h"
#include "particles/ddb_state.h"
#include "src/dynamodb/status.h"

/* What the definition says, borrowed from the desired tree. */
struct resource {
	pcf_config_table table;
	const char *region;
	const cJSON *options; /* store -> option -> data, or NULL */
	int exclusive;
	long read_units; /* 0 and 0: on-demand */
	long write_units;
};

static void resource_read(struct resource *r, const cJSON *desired)
{
	const cJSON *pt = cJSON_GetObjectItemCaseSensitive(desired, "ProvisionedThroughput");
	const char *billing = pcf_util_json_str(desired, "BillingMode");
	const cJSON *rcu = cJSON_GetObjectItemCaseSensitive(pt, "ReadCapacityUnits");
	const cJSON *wcu = cJSON_GetObjectItemCaseSensitive(pt, "WriteCapacityUnits");

	memset(r, 0, sizeof(*r));
	/* Without a TableName, client() refuses before any request. */
	pcf_config_table_from_resource(&r->table, &r->region, desired, NULL);
	r->options = cJSON_GetObjectItemCaseSensitive(desired, "Options");
	r->exclusive = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(desired, "Exclusive"));
	/* The seed creates tables with one read and one write unit. */
	r->read_units = cJSON_IsNumber(rcu) ? (long)rcu->valuedouble : 1;
	r->write_units = cJSON_IsNumber(wcu) ? (long)wcu->valuedouble : 1;
	if (billing && strcmp(billing, "PAY_PER_REQUEST") == 0)
		r->read_units = r->write_units = 0;
}

static int client(pcf_ddb **db, pcf_particle *p, const struct resource *r, pcf_error *err)
{
	pcf_services *services = pcf_particle_services(p);
	*db = NULL;
	if (!services)
		return pcf_error_set(err, PCF_EINVAL,
		                     "dynamodb_config_store: no DynamoDB services were given");
	if (!r->table.name)
		return pcf_error_set(err, PCF_EINVAL, "dynamodb_config_store: no TableName");
	return pcf_services_ddb(db, services, r->region, err);
}

/* The live table's state: pcf_ddb_table_status's verdict, as a pcf_state. */
static pcf_state table_state(const cJSON *desc, char *why, size_t why_size)
{
	return pcf_particles_ddb_state(pcf_ddb_table_status(why, why_size, desc));
}

/* {"store": {"option": {data}}} for every store the definition names. */
static int read_live_options(cJSON **out, pcf_ddb *db, const struct resource *r, pcf_error *err)
{
	const cJSON *store;
	cJSON *all = cJSON_CreateObject();
	*out = NULL;
	if (!all)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(store, r->options)
	{
		cJSON *grouped = NULL, *options;
		int rc = pcf_config_table_read(&grouped, db, &r->table, store->string, err);
		if (rc < 0) {
			cJSON_Delete(all);
			return rc;
		}
		options = cJSON_DetachItemFromObjectCaseSensitive(grouped, store->string);
		cJSON_Delete(grouped);
		if (!options)
			options = cJSON_CreateObject();
		if (!options || !cJSON_AddItemToObject(all, store->string, options)) {
			cJSON_Delete(options);
			cJSON_Delete(all);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
	}
	*out = all;
	return 0;
}

static int current_new(cJSON **out, const struct resource *r, const cJSON *desc)
{
	cJSON *cur = cJSON_CreateObject();
	const char *status = pcf_util_json_str(desc, "TableStatus");
	*out = NULL;
	if (!cur || !cJSON_AddStringToObject(cur, "TableName", r->table.name) ||
	    !cJSON_AddStringToObject(cur, "StoreKey", config_store_key(&r->table)) ||
	    !cJSON_AddStringToObject(cur, "OptionKey", config_option_key(&r->table)) ||
	    !cJSON_AddStringToObject(cur, "TableStatus", status ? status : "")) {
		cJSON_Delete(cur);
		return PCF_ENOMEM;
	}
	*out = cur;
	return 0;
}

int config_sync_state(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err)
{
	struct resource r;
	pcf_ddb *db = NULL;
	cJSON *desc = NULL, *cur = NULL, *live = NULL;
	char why[256];
	int rc;

	*current = NULL;
	resource_read(&r, pcf_particle_desired(p));
	if ((rc = client(&db, p, &r, err)) < 0)
		return rc;
	rc = config_table_describe(&desc, db, &r.table, err);
	if (rc == PCF_ERESOURCE_NOT_FOUND) {
		pcf_error_clear(err);
		*state = PCF_STATE_MISSING;
		return 0;
	}
	if (rc < 0)
		return rc;
	*state = table_state(desc, why, sizeof(why));
	if (*state != PCF_STATE_RUNNING)
		/* The seed's name for a table that cannot take options yet. */
		pcf_particle_set_pending_detail(p, "%s (TableNotReady)", why);
	if (current_new(&cur, &r, desc) < 0) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if (*state == PCF_STATE_RUNNING) {
		if ((rc = read_live_options(&live, db, &r, err)) < 0)
			goto out;
		cJSON_AddItemToObject(cur, "Options", live);
	}
	*current = cur;
	cur = NULL;
out:
	cJSON_Delete(desc);
	cJSON_Delete(cur);
	return rc;
}

int config_start(pcf_particle *p, pcf_error *err)
{
	struct resource r;
	pcf_ddb *db = NULL;
	int rc;

	resource_read(&r, pcf_particle_desired(p));
	if ((rc = client(&db, p, &r, err)) < 0)
		return rc;
	/* No wait here: the engine waits for ACTIVE through sync_state, which
	 * also checks the keys of a table someone else created meanwhile. */
	return config_table_create(db, &r.table, r.read_units, r.write_units, err);
}

int config_terminate(pcf_particle *p, pcf_error *err)
{
	struct resource r;
	pcf_ddb *db = NULL;
	cJSON *desc = NULL;
	int rc;

	resource_read(&r, pcf_particle_desired(p));
	if ((rc = client(&db, p, &r, err)) < 0)
		return rc;
	rc = pcf_ddb_delete_table(&desc, db, r.table.name, err);
	cJSON_Delete(desc);
	if (rc == PCF_ERESOURCE_NOT_FOUND) {
		pcf_error_clear(err);
		return 0;
	}
	return rc;
}

/* One difference between declared and live options. */
struct change {
	const char *store;
	const char *option;
	const cJSON *want; /* normalised declared data; NULL: not declared (Exclusive) */
	const cJSON *have; /* live data; NULL: missing */
};

typedef int (*change_fn)(const struct change *c, void *payload, pcf_error *err);

/* Declared data as a load would return it, so that equal means equal. */
static int normalise(cJSON **out, const pcf_config_table *t, const char *store, const cJSON *option,
                     pcf_error *err)
{
	cJSON *item = NULL;
	int rc = pcf_config_item_from_data(&item, t, store, option->string, option, err);
	if (rc == 0)
		rc = pcf_config_data_from_item(out, t, item, err);
	cJSON_Delete(item);
	return rc;
}

static int walk_store(const struct resource *r, const cJSON *store, const cJSON *live, change_fn fn,
                      void *payload, pcf_error *err)
{
	const cJSON *option;
	int rc = 0;
	cJSON_ArrayForEach(option, store)
	{
		const cJSON *have = cJSON_GetObjectItemCaseSensitive(live, option->string);
		cJSON *want = NULL;
		if ((rc = normalise(&want, &r->table, store->string, option, err)) < 0)
			return rc;
		if (!have || !cJSON_Compare(want, have, 1)) {
			struct change c = {store->string, option->string, want, have};
			rc = fn(&c, payload, err);
		}
		cJSON_Delete(want);
		if (rc < 0)
			return rc;
	}
	if (!r->exclusive)
		return 0;
	cJSON_ArrayForEach(option, live)
	{
		if (!cJSON_GetObjectItemCaseSensitive(store, option->string)) {
			struct change c = {store->string, option->string, NULL, option};
			if ((rc = fn(&c, payload, err)) < 0)
				return rc;
		}
	}
	return 0;
}

static int walk_changes(const struct resource *r, const cJSON *current, change_fn fn, void *payload,
                        pcf_error *err)
{
	const cJSON *live_all = cJSON_GetObjectItemCaseSensitive(current, "Options");
	const cJSON *store;
	cJSON_ArrayForEach(store, r->options)
	{
		const cJSON *live = cJSON_GetObjectItemCaseSensitive(live_all, store->string);
		int rc = walk_store(r, store, live, fn, payload, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int add_drift(const struct change *c, void *payload, pcf_error *err)
{
	char path[512];
	snprintf(path, sizeof(path), "Options.%s.%s", c->store, c->option);
	if (pcf_drift_add(payload, path, c->want, c->have) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}

int config_diff(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	struct resource r;
	resource_read(&r, pcf_particle_desired(p));
	return walk_changes(&r, current, add_drift, out, err);
}

/* "host, port": the top-level keys whose values differ, into buf. */
static void changed_keys(char *buf, size_t size, const cJSON *want, const cJSON *have)
{
	const cJSON *a, *b;
	size_t used = 0;
	buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		/* Pass 0: keys of want that differ; pass 1: keys only have has. */
		const cJSON *from = pass == 0 ? want : have;
		const cJSON *other = pass == 0 ? have : want;
		cJSON_ArrayForEach(a, from)
		{
			b = cJSON_GetObjectItemCaseSensitive(other, a->string);
			if (pass == 0 ? (b && cJSON_Compare(a, b, 1)) : (b != NULL))
				continue;
			int n =
			    snprintf(buf + used, size - used, "%s%s", used ? ", " : "", a->string);
			if (n < 0 || (size_t)n >= size - used)
				return;
			used += (size_t)n;
		}
	}
}

struct plan_walk {
	pcf_plan *plan;
	const pcf_config_table *table;
};

static int add_step(const struct change *c, void *payload, pcf_error *err)
{
	struct plan_walk *w = payload;
	cJSON *req = cJSON_CreateObject(), *part = NULL;
	char keys[256];
	int rc;

	if (!req)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (c->want)
		rc = pcf_config_item_from_data(&part, w->table, c->store, c->option, c->want, err);
	else
		rc = config_item_key(&part, w->table, c->store, c->option, err);
	if (rc < 0) {
		cJSON_Delete(req);
		return rc;
	}
	cJSON_AddItemToObject(req, c->want ? "Item" : "Key", part);
	if (!c->want)
		rc = pcf_plan_add_take(w->plan, "DeleteItem", req, 0,
		                       "%s/%s: delete (not declared, store is Exclusive)", c->store,
		                       c->option);
	else if (!c->have)
		rc = pcf_plan_add_take(w->plan, "PutItem", req, 0, "%s/%s: add", c->store,
		                       c->option);
	else {
		changed_keys(keys, sizeof(keys), c->want, c->have);
		rc = pcf_plan_add_take(w->plan, "PutItem", req, 0, "%s/%s: change %s", c->store,
		                       c->option, keys);
	}
	return rc < 0 ? pcf_error_set(err, rc, "out of memory") : 0;
}

int config_plan(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	struct resource r;
	struct plan_walk w;
	/* current NULL (the steps after CreateTable): every declared option is an add. */
	resource_read(&r, pcf_particle_desired(p));
	w.plan = out;
	w.table = &r.table;
	return walk_changes(&r, current, add_step, &w, err);
}

int config_run_step(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	struct resource r;
	pcf_ddb *db = NULL;
	cJSON *resp = NULL;
	int rc;

	resource_read(&r, pcf_particle_desired(p));
	if ((rc = client(&db, p, &r, err)) < 0)
		return rc;
	if (strcmp(step->action, "PutItem") == 0)
		rc = pcf_ddb_put_item(&resp, db, r.table.name,
		                      cJSON_GetObjectItemCaseSensitive(step->request, "Item"), NULL,
		                      err);
	else if (strcmp(step->action, "DeleteItem") == 0)
		rc = pcf_ddb_delete_item(&resp, db, r.table.name,
		                         cJSON_GetObjectItemCaseSensitive(step->request, "Key"),
		                         NULL, err);
	else
		rc = pcf_error_set(err, PCF_EINTERNAL, "dynamodb_config_store: unknown step %s",
		                   step->action);
	cJSON_Delete(resp);
	if (rc < 0 && err != NULL && err->maybe_applied) {
		/* The write may have been made before its answer was lost: the
		 * engine's next read judges by the options as they are. */
		pcf_particle_log(p, PCF_LOG_INFO,
		                 "%s: %s after an attempt whose answer was lost; "
		                 "judging by the table as it is now",
		                 step->summary ? step->summary : step->action, err->message);
		pcf_error_clear(err);
		rc = 0;
	}
	if (rc < 0)
		pcf_error_prefix(err, "%s", step->summary ? step->summary : step->action);
	return rc;
}

char *config_describe_start(pcf_particle *p)
{
	struct resource r;
	char text[512];
	resource_read(&r, pcf_particle_desired(p));
	if (r.read_units == 0)
		snprintf(text, sizeof(text), "create table %s (keys %s, %s; on-demand)",
		         r.table.name ? r.table.name : "?", config_store_key(&r.table),
		         config_option_key(&r.table));
	else
		snprintf(text, sizeof(text), "create table %s (keys %s, %s; %ld/%ld units)",
		         r.table.name ? r.table.name : "?", config_store_key(&r.table),
		         config_option_key(&r.table), r.read_units, r.write_units);
	return strdup(text);
}
