/*
 * The replica steps of a global table.
 *
 * The service takes one replica Create, Update or Delete per UpdateTable
 * and none while another replica or the table is changing (it answers
 * LimitExceededException), so each is a step of its own and the engine,
 * which plans again after every step, waits for the table and every
 * replica to be ACTIVE before the next. Deletes come first (they only take
 * away), then creates, then updates of the overrides; then the settings
 * each replica's own region holds (deletion protection, point-in-time
 * recovery, contributor insights, tags), which are sent to that region:
 * such a step's request is {ReplicaRegion, Request}, and
 * pcf_table_step_target unwraps it for run_step.
 *
 * Deleting a replica deletes that region's copy of every item: the step is
 * PCF_STEP_DESTRUCTIVE (the engine asks for --yes), and a replica with
 * deletion protection is refused while planning, so `plan` says so before
 * anything runs. A definition without Replicas plans nothing here.
 *
 * The witness of an MRSC table has no step of its own: DynamoDB adds it
 * only in the UpdateTable that creates the MRSC table's replica and
 * removes it only in one that removes a replica, so its Create and Delete
 * ride on those steps (replicas_witness.c decides which).
 */
#include "replicas.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct rplan {
	pcf_plan *out;
	const cJSON *want;
	const cJSON *have;
	const char *table;
	pcf_error *err;
	pcf_table_witness_steps witness; /* rides on the first replica Create / Delete */
} rplan;

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int add(rplan *c, const char *action, cJSON *request, unsigned flags, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int add(rplan *c, const char *action, cJSON *request, unsigned flags, const char *fmt, ...)
{
	char summary[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	if (request == NULL || pcf_plan_add_take(c->out, action, request, flags, "%s", summary) < 0)
		return pcf_error_set(c->err, PCF_ENOMEM, "out of memory planning %s", action);
	return 0;
}

/* Duplicates value into obj under key; obj is freed (and NULL returned) on failure. */
static cJSON *with(cJSON *obj, const char *key, const cJSON *value)
{
	cJSON *dup;
	if (obj == NULL || value == NULL)
		return obj;
	dup = cJSON_Duplicate(value, 1);
	if (dup == NULL || !cJSON_AddItemToObject(obj, key, dup)) {
		cJSON_Delete(dup);
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* {TableName, ReplicaUpdates: [{verb: body}]}, taking body. */
static cJSON *replica_request(const rplan *c, const char *verb, cJSON *body)
{
	cJSON *req = cJSON_CreateObject(), *list, *update = cJSON_CreateObject();
	if (req == NULL || body == NULL || update == NULL ||
	    !cJSON_AddStringToObject(req, "TableName", c->table) ||
	    (list = cJSON_AddArrayToObject(req, "ReplicaUpdates")) == NULL ||
	    !cJSON_AddItemToArray(list, update)) {
		cJSON_Delete(update);
		goto fail;
	}
	if (!cJSON_AddItemToObject(update, verb, body))
		goto fail;
	return req;
fail:
	cJSON_Delete(body);
	cJSON_Delete(req);
	return NULL;
}

/* {ReplicaRegion, Request: {TableName (or ResourceArn), key: value}}, for that region. */
static cJSON *regional(const char *region, const char *name_key, const char *name, const char *key,
                       cJSON *value)
{
	cJSON *outer = cJSON_CreateObject(), *inner = cJSON_CreateObject();
	if (outer == NULL || inner == NULL || value == NULL ||
	    !cJSON_AddStringToObject(outer, "ReplicaRegion", region) ||
	    !cJSON_AddItemToObject(outer, "Request", inner)) {
		cJSON_Delete(inner);
		goto fail;
	}
	if (!cJSON_AddStringToObject(inner, name_key, name) ||
	    !cJSON_AddItemToObject(inner, key, value))
		goto fail;
	return outer;
fail:
	cJSON_Delete(value);
	cJSON_Delete(outer);
	return NULL;
}

static const cJSON *live_replica(const rplan *c, const char *region)
{
	return pcf_table_find_named(get(c->have, "Replicas"), "RegionName", region);
}

/* "10" or "none": an override's units for a summary. */
static const char *units(char *buf, size_t size, const cJSON *override, const char *key)
{
	const cJSON *v = get(override, key);
	if (!cJSON_IsNumber(v))
		return "none";
	snprintf(buf, size, "%g", v->valuedouble);
	return buf;
}

static int refuse_unplannable(const rplan *c)
{
	const char *want = pcf_table_str(c->want, "MultiRegionConsistency");
	const char *have = pcf_table_str(c->have, "MultiRegionConsistency");
	const cJSON *r;
	char home[64];

	pcf_table_arn_region(home, sizeof(home), pcf_table_str(c->have, "TableArn"));
	cJSON_ArrayForEach(r, get(c->want, "Replicas"))
	{
		const char *region = pcf_table_str(r, "RegionName");
		if (region != NULL && !strcmp(region, home))
			return pcf_error_set(c->err, PCF_EINVAL,
			                     "table %s: Replicas lists %s, the table's own region; "
			                     "list only the other regions",
			                     c->table, region);
	}
	if (want != NULL && have != NULL && strcmp(want, have) != 0)
		return pcf_error_set(c->err, PCF_EREFUSED,
		                     "table %s: MultiRegionConsistency %s -> %s: the service sets "
		                     "it only with the first replica; remove the replicas first",
		                     c->table, have, want);
	return 0;
}

static int plan_deletes(rplan *c)
{
	const cJSON *h;
	cJSON_ArrayForEach(h, get(c->have, "Replicas"))
	{
		const char *region = pcf_table_str(h, "RegionName");
		cJSON *body;
		int rc;
		if (region == NULL ||
		    pcf_table_find_named(get(c->want, "Replicas"), "RegionName", region) != NULL)
			continue;
		if (pcf_table_bool(h, "DeletionProtectionEnabled") == 1)
			return pcf_error_set(
			    c->err, PCF_EREFUSED,
			    "table %s: replica %s is not in the definition, but it has deletion "
			    "protection enabled: pcf will not delete it (list it with "
			    "DeletionProtectionEnabled: false and apply first)",
			    c->table, region);
		body = cJSON_CreateObject();
		if (body != NULL && !cJSON_AddStringToObject(body, "RegionName", region)) {
			cJSON_Delete(body);
			body = NULL;
		}
		/* DynamoDB removes a witness only in the call that removes a replica. */
		rc = add(c, "UpdateTable",
		         pcf_table_with_witness_update(replica_request(c, "Delete", body), "Delete",
		                                       c->witness.remove),
		         PCF_STEP_DESTRUCTIVE,
		         "delete replica %s%s%s (deletes that region's copy of every item; needs "
		         "--yes)",
		         region, c->witness.remove != NULL ? " and witness " : "",
		         c->witness.remove != NULL ? c->witness.remove : "");
		if (rc < 0)
			return rc;
		c->witness.remove = NULL;
	}
	return 0;
}

static const char *const create_keys[] = {"RegionName",
                                          "KMSMasterKeyId",
                                          "ProvisionedThroughputOverride",
                                          "OnDemandThroughputOverride",
                                          "GlobalSecondaryIndexes",
                                          "TableClassOverride",
                                          NULL};

static int plan_creates(rplan *c)
{
	const cJSON *w;
	int first = cJSON_GetArraySize(get(c->have, "Replicas")) == 0;
	cJSON_ArrayForEach(w, get(c->want, "Replicas"))
	{
		const char *region = pcf_table_str(w, "RegionName");
		const char *cls = pcf_table_str(w, "TableClassOverride");
		const char *mode = pcf_table_str(c->want, "MultiRegionConsistency");
		cJSON *req;
		char rcu[32];
		int rc;
		if (region == NULL || live_replica(c, region) != NULL)
			continue;
		req = replica_request(c, "Create", pcf_filter_keys(w, create_keys));
		/* Consistency is chosen once, with the table's first replica. */
		if (first && mode != NULL)
			req = with(req, "MultiRegionConsistency",
			           get(c->want, "MultiRegionConsistency"));
		/* ... and so is the witness: only the call that makes the table MRSC adds one. */
		if (first)
			req = pcf_table_with_witness_update(req, "Create", c->witness.create);
		rc = add(c, "UpdateTable", req, 0,
		         "create replica %s: none -> replica (TableClassOverride %s, "
		         "ReadCapacityUnits override %s%s%s%s%s)",
		         region, cls != NULL ? cls : "inherited",
		         units(rcu, sizeof(rcu), get(w, "ProvisionedThroughputOverride"),
		               "ReadCapacityUnits"),
		         first && mode != NULL ? ", MultiRegionConsistency " : "",
		         first && mode != NULL ? mode : "",
		         first && c->witness.create != NULL ? ", witness " : "",
		         first && c->witness.create != NULL ? c->witness.create : "");
		if (rc < 0)
			return rc;
		first = 0;
	}
	return 0;
}

/* Appends "; text" to the summary in buf. */
static void note(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;
	if (used + 3 >= size)
		return;
	if (used > 0) {
		snprintf(buf + used, size - used, ", ");
		used += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

/* An override of w (a replica or one of its indexes) that differs from h's; noted. */
static int override_changed(const cJSON *w, const cJSON *h, const char *key, const char *units_key,
                            const char *who, char *buf, size_t size)
{
	const cJSON *want = get(w, key), *have = get(h, key);
	char a[32], b[32];
	if (want == NULL || pcf_table_same_set(want, have))
		return 0;
	note(buf, size, "%s%s.%s %s -> %s", who, key, units_key,
	     units(a, sizeof(a), have, units_key), units(b, sizeof(b), want, units_key));
	return 1;
}

/* The index overrides that differ, as an Update's GlobalSecondaryIndexes; NULL: none. */
static cJSON *changed_indexes(const cJSON *w, const cJSON *h, char *buf, size_t size, int *oom)
{
	cJSON *list = NULL;
	const cJSON *ix;
	char who[300];

	cJSON_ArrayForEach(ix, get(w, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(ix, "IndexName");
		const cJSON *live =
		    pcf_table_find_named(get(h, "GlobalSecondaryIndexes"), "IndexName", name);
		int changed;
		snprintf(who, sizeof(who), "index %s ", name != NULL ? name : "?");
		changed = override_changed(ix, live, "ProvisionedThroughputOverride",
		                           "ReadCapacityUnits", who, buf, size);
		changed |= override_changed(ix, live, "OnDemandThroughputOverride",
		                            "MaxReadRequestUnits", who, buf, size);
		if (!changed)
			continue;
		if ((list == NULL && (list = cJSON_CreateArray()) == NULL) ||
		    !cJSON_AddItemToArray(list, cJSON_Duplicate(ix, 1))) {
			*oom = 1;
			break;
		}
	}
	return list;
}

static int plan_update(rplan *c, const cJSON *w, const cJSON *h, const char *region)
{
	const char *cls = pcf_table_str(w, "TableClassOverride");
	const char *have_cls = pcf_table_str(h, "TableClassOverride");
	cJSON *body = cJSON_CreateObject(), *indexes;
	char changes[400] = "";
	int oom = 0;

	if (body == NULL || !cJSON_AddStringToObject(body, "RegionName", region))
		oom = 1;
	if (override_changed(w, h, "ProvisionedThroughputOverride", "ReadCapacityUnits", "",
	                     changes, sizeof(changes)))
		body = with(body, "ProvisionedThroughputOverride",
		            get(w, "ProvisionedThroughputOverride"));
	if (override_changed(w, h, "OnDemandThroughputOverride", "MaxReadRequestUnits", "", changes,
	                     sizeof(changes)))
		body =
		    with(body, "OnDemandThroughputOverride", get(w, "OnDemandThroughputOverride"));
	if (cls != NULL && (have_cls == NULL || strcmp(cls, have_cls) != 0)) {
		note(changes, sizeof(changes), "TableClassOverride %s -> %s",
		     have_cls != NULL ? have_cls : "STANDARD", cls);
		body = with(body, "TableClassOverride", get(w, "TableClassOverride"));
	}
	indexes = changed_indexes(w, h, changes, sizeof(changes), &oom);
	if (indexes != NULL && body != NULL &&
	    !cJSON_AddItemToObject(body, "GlobalSecondaryIndexes", indexes))
		oom = 1;
	else if (body == NULL)
		cJSON_Delete(indexes);
	if (oom || body == NULL) {
		cJSON_Delete(body);
		return pcf_error_set(c->err, PCF_ENOMEM, "out of memory");
	}
	if (changes[0] == '\0') {
		cJSON_Delete(body);
		return 0;
	}
	return add(c, "UpdateTable", replica_request(c, "Update", body), 0, "update replica %s: %s",
	           region, changes);
}

static const char *on_off(int on)
{
	return on ? "on" : "off";
}

static int plan_protection(rplan *c, const cJSON *w, const cJSON *h, const char *region)
{
	int want = pcf_table_bool(w, "DeletionProtectionEnabled");
	int have = pcf_table_bool(h, "DeletionProtectionEnabled") == 1;
	if (want < 0 || want == have)
		return 0;
	return add(c, "UpdateTable",
	           regional(region, "TableName", c->table, "DeletionProtectionEnabled",
	                    cJSON_CreateBool(want)),
	           0, "replica %s: DeletionProtectionEnabled %s -> %s", region,
	           have ? "true" : "false", want ? "true" : "false");
}

static int plan_pitr(rplan *c, const cJSON *w, const cJSON *h, const char *region)
{
	const cJSON *spec = get(w, "PointInTimeRecoverySpecification");
	int want = pcf_table_bool(spec, "PointInTimeRecoveryEnabled");
	int have = pcf_table_bool(get(h, "PointInTimeRecoverySpecification"),
	                          "PointInTimeRecoveryEnabled") == 1;
	if (want < 0 || want == have)
		return 0;
	return add(c, "UpdateContinuousBackups",
	           regional(region, "TableName", c->table, "PointInTimeRecoverySpecification",
	                    cJSON_Duplicate(spec, 1)),
	           0, "replica %s: point-in-time recovery %s -> %s", region, on_off(have),
	           on_off(want));
}

static int plan_insights(rplan *c, const cJSON *w, const cJSON *h, const char *region)
{
	int want = pcf_table_bool(get(w, "ContributorInsightsSpecification"), "Enabled");
	int have = pcf_table_bool(get(h, "ContributorInsightsSpecification"), "Enabled") == 1;
	if (want < 0 || want == have)
		return 0;
	return add(c, "UpdateContributorInsights",
	           regional(region, "TableName", c->table, "ContributorInsightsAction",
	                    cJSON_CreateString(want ? "ENABLE" : "DISABLE")),
	           0, "replica %s: contributor insights %s -> %s", region, on_off(have),
	           on_off(want));
}

/* Tags to set (new or with another value) or, with removals, keys to remove. */
static cJSON *tag_changes(const cJSON *want, const cJSON *have, int removals, char *names,
                          size_t size)
{
	const cJSON *list = removals ? have : want, *other = removals ? want : have, *t;
	cJSON *out = cJSON_CreateArray();

	cJSON_ArrayForEach(t, list)
	{
		const char *key = pcf_table_str(t, "Key");
		const cJSON *match = pcf_table_find_named(other, "Key", key);
		if (key == NULL ||
		    (removals ? match != NULL : match != NULL && pcf_table_same_set(t, match)))
			continue;
		note(names, size, "%s", key);
		if (!cJSON_AddItemToArray(out, removals ? cJSON_CreateString(key)
		                                        : cJSON_Duplicate(t, 1))) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

static int plan_tags(rplan *c, const cJSON *w, const cJSON *h, const char *region)
{
	const char *arn = pcf_table_str(h, "ReplicaArn");
	const cJSON *want = get(w, "Tags");
	cJSON *list;
	char names[256];
	int rc = 0;

	if (want == NULL)
		return 0;
	if (arn == NULL)
		return pcf_error_set(c->err, PCF_EBADRESPONSE,
		                     "replica %s: no table ARN was read to tag", region);
	for (int removals = 0; removals < 2 && rc == 0; removals++) {
		names[0] = '\0';
		list = tag_changes(want, get(h, "Tags"), removals, names, sizeof(names));
		if (list == NULL)
			return pcf_error_set(c->err, PCF_ENOMEM, "out of memory");
		if (cJSON_GetArraySize(list) == 0) {
			cJSON_Delete(list);
			continue;
		}
		rc = add(c, removals ? "UntagResource" : "TagResource",
		         regional(region, "ResourceArn", arn, removals ? "TagKeys" : "Tags", list),
		         0, "replica %s: %s tags %s", region, removals ? "remove" : "set", names);
	}
	return rc;
}

static int plan_settings(rplan *c, const cJSON *w, const cJSON *h, const char *region)
{
	int rc;
	if ((rc = plan_protection(c, w, h, region)) < 0 || (rc = plan_pitr(c, w, h, region)) < 0 ||
	    (rc = plan_insights(c, w, h, region)) < 0 || (rc = plan_tags(c, w, h, region)) < 0)
		return rc;
	return 0;
}

typedef int (*replica_step)(rplan *c, const cJSON *w, const cJSON *h, const char *region);

/* step for every wanted replica that already lives; one this plan creates
 * is skipped: its settings follow once it is ACTIVE. */
static int each_live_replica(rplan *c, replica_step step)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, get(c->want, "Replicas"))
	{
		const char *region = pcf_table_str(w, "RegionName");
		const cJSON *h = region != NULL ? live_replica(c, region) : NULL;
		int rc;
		if (h != NULL && (rc = step(c, w, h, region)) < 0)
			return rc;
	}
	return 0;
}

int pcf_table_plan_replicas(pcf_plan *out, const cJSON *want, const cJSON *have, pcf_error *err)
{
	rplan c = {out, want, have, pcf_table_str(want, "TableName"), err, {NULL, NULL}};
	int rc;

	/* Without Replicas, GlobalTableWitnesses plans nothing either: validate
	 * wants both, and a witness only ever changes with a replica. */
	if (get(want, "Replicas") == NULL || have == NULL)
		return 0;
	if ((rc = refuse_unplannable(&c)) < 0 ||
	    (rc = pcf_table_plan_witness(&c.witness, want, have, err)) < 0 ||
	    (rc = plan_deletes(&c)) < 0 || (rc = plan_creates(&c)) < 0 ||
	    (rc = each_live_replica(&c, plan_update)) < 0)
		return rc;
	return each_live_replica(&c, plan_settings);
}

int pcf_table_step_target(pcf_ddb **db, const cJSON **request, pcf_particle *p,
                          const pcf_step *step, pcf_error *err)
{
	const char *region = pcf_table_str(step->request, "ReplicaRegion");

	*request = step->request;
	if (region == NULL)
		return pcf_table_client(db, pcf_particle_services(p), pcf_particle_desired(p), err);
	*request = get(step->request, "Request");
	*db = NULL;
	if (pcf_particle_services(p) == NULL)
		return pcf_error_set(
		    err, PCF_EINVAL,
		    "dynamodb_table: no DynamoDB services were given to the engine");
	return pcf_services_ddb(db, pcf_particle_services(p), region, err);
}
