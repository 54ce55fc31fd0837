/*
 * The planner: canonical desired vs normalised current -> ordered steps.
 *
 * UpdateTable accepts one kind of change per call (throughput or billing,
 * one GSI create, one GSI delete, the stream, ...) and nothing while the
 * table is UPDATING, so every step here is one call the service accepts on
 * its own; the engine waits for ACTIVE between them. The order is the one
 * that cannot trip over itself: GSI deletes first (they free the names and
 * attribute definitions that a recreated index needs), then table-level
 * settings (billing and throughput, table class, SSE), then GSI throughput,
 * then GSI creates (an index created on a table about to change billing
 * mode would need throughput it is about to lose), then the stream and
 * deletion protection, then TTL, point-in-time recovery and tags, which
 * never block UpdateTable.
 *
 * A step is planned only for a real difference: unchanged throughput is
 * never re-sent (the service rejects it), TTL is only touched when its
 * state differs (UpdateTimeToLive fails on a no-op and is rate-limited).
 * What DynamoDB cannot change in place (key schema, LSIs, key attribute
 * types) becomes one DeleteTable step flagged as a replacement, which the
 * engine refuses without --allow-replace; nothing else is planned then, so
 * pcf never loops on an impossible change.
 */
#include "replicas.h"
#include "managed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct plan_ctx {
	pcf_plan *plan;
	const cJSON *want;
	const cJSON *have;
	const char *table;
	const char *mode; /* the billing mode in force once the billing step ran */
	cJSON *dropped;   /* names of the GSIs deleted by this plan */
	pcf_error *err;
} plan_ctx;

static int step(plan_ctx *c, const char *action, cJSON *request, unsigned flags, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

static int step(plan_ctx *c, const char *action, cJSON *request, unsigned flags, const char *fmt,
                ...)
{
	char summary[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	if (request == NULL)
		return pcf_error_set(c->err, PCF_ENOMEM, "out of memory planning %s", action);
	if (pcf_plan_add_take(c->plan, action, request, flags, "%s", summary) < 0)
		return pcf_error_set(c->err, PCF_ENOMEM, "out of memory planning %s", action);
	return 0;
}

static cJSON *table_request(const plan_ctx *c)
{
	cJSON *r = cJSON_CreateObject();
	if (r != NULL && !cJSON_AddStringToObject(r, "TableName", c->table)) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* Adds a borrowed value to a request under key, duplicating it; NULL-safe. */
static cJSON *with(cJSON *request, const char *key, const cJSON *value)
{
	cJSON *dup;
	if (request == NULL)
		return NULL;
	dup = value != NULL ? cJSON_Duplicate(value, 1) : NULL;
	if (dup == NULL || !cJSON_AddItemToObject(request, key, dup)) {
		cJSON_Delete(dup);
		cJSON_Delete(request);
		return NULL;
	}
	return request;
}

static const cJSON *field(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static double units(const cJSON *pt, const char *key)
{
	const cJSON *v = field(pt, key);
	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *attr_type(const cJSON *resource, const char *name)
{
	return pcf_table_str(
	    pcf_table_find_named(field(resource, "AttributeDefinitions"), "AttributeName", name),
	    "AttributeType");
}

/* The first key attribute of key_schema whose type differs between want and have. */
static const char *retyped_key(const cJSON *key_schema, const cJSON *want, const cJSON *have)
{
	const cJSON *k;
	cJSON_ArrayForEach(k, key_schema)
	{
		const char *name = pcf_table_str(k, "AttributeName");
		const char *a = attr_type(want, name), *b = attr_type(have, name);
		if (a != NULL && b != NULL && strcmp(a, b) != 0)
			return name;
	}
	return NULL;
}

/* Why the table must be replaced, or NULL when it can be updated in place. */
static const char *replacement_reason(const cJSON *want, const cJSON *have, char *buf, size_t size)
{
	const cJSON *want_lsi = field(want, "LocalSecondaryIndexes"), *ix;
	const cJSON *have_lsi = field(have, "LocalSecondaryIndexes");
	cJSON *empty = NULL;
	const char *name;
	int same;

	if (field(want, "KeySchema") != NULL &&
	    !pcf_table_same_set(field(want, "KeySchema"), field(have, "KeySchema")))
		return "the key schema changes";
	if ((name = retyped_key(field(have, "KeySchema"), want, have)) != NULL) {
		snprintf(buf, size, "key attribute %s changes type", name);
		return buf;
	}
	if (want_lsi == NULL)
		return NULL;
	if (have_lsi == NULL)
		have_lsi = empty = cJSON_CreateArray();
	same = pcf_table_same_set(want_lsi, have_lsi);
	cJSON_Delete(empty);
	if (!same)
		return "the local secondary indexes change";
	cJSON_ArrayForEach(ix, have_lsi)
	{
		if ((name = retyped_key(field(ix, "KeySchema"), want, have)) != NULL) {
			snprintf(buf, size, "key attribute %s of a local index changes type", name);
			return buf;
		}
	}
	return NULL;
}

/* A GSI whose keys or projection change can only be deleted and created again. */
static int gsi_reshaped(const plan_ctx *c, const cJSON *w, const cJSON *h)
{
	return !pcf_table_same_set(field(w, "KeySchema"), field(h, "KeySchema")) ||
	       !pcf_table_same_set(field(w, "Projection"), field(h, "Projection")) ||
	       retyped_key(field(w, "KeySchema"), c->want, c->have) != NULL;
}

static int gsi_dropped(const plan_ctx *c, const char *name)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, c->dropped)
	{
		if (!strcmp(n->valuestring, name))
			return 1;
	}
	return 0;
}

/* {TableName, GlobalSecondaryIndexUpdates: [{verb: body}]}, taking body. */
static cJSON *gsi_request(const plan_ctx *c, const char *verb, cJSON *body)
{
	cJSON *req = table_request(c), *list, *update;
	if (req == NULL || body == NULL)
		goto fail;
	list = cJSON_AddArrayToObject(req, "GlobalSecondaryIndexUpdates");
	update = cJSON_CreateObject();
	if (list == NULL || update == NULL || !cJSON_AddItemToArray(list, update))
		goto fail_update;
	if (!cJSON_AddItemToObject(update, verb, body))
		goto fail;
	return req;
fail_update:
	cJSON_Delete(update);
fail:
	cJSON_Delete(body);
	cJSON_Delete(req);
	return NULL;
}

/* Deletes the indexes whose keys or projection change (they are created
 * again below) and, when the definition lists GlobalSecondaryIndexes at
 * all, the indexes it does not list. A definition without the key leaves
 * the table's indexes to whoever made them. */
static int plan_gsi_deletes(plan_ctx *c)
{
	const cJSON *want_gsis = field(c->want, "GlobalSecondaryIndexes"), *h;
	cJSON_ArrayForEach(h, field(c->have, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(h, "IndexName");
		const cJSON *w = pcf_table_find_named(want_gsis, "IndexName", name);
		cJSON *body;
		int rc;
		if (name == NULL || (w == NULL && want_gsis == NULL) ||
		    (w != NULL && !gsi_reshaped(c, w, h)))
			continue;
		body = cJSON_CreateObject();
		if (body != NULL && !cJSON_AddStringToObject(body, "IndexName", name)) {
			cJSON_Delete(body);
			body = NULL;
		}
		if (!cJSON_AddItemToArray(c->dropped, cJSON_CreateString(name))) {
			cJSON_Delete(body);
			return pcf_error_set(c->err, PCF_ENOMEM, "out of memory");
		}
		rc = step(c, "UpdateTable", gsi_request(c, "Delete", body), 0,
		          "delete index %s (%s)", name,
		          w != NULL ? "its keys or projection change; created again after"
		                    : "not in the definition");
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The throughput a remaining index gets when the table turns PROVISIONED. */
static const cJSON *gsi_throughput_for(const plan_ctx *c, const char *name)
{
	const cJSON *w =
	    pcf_table_find_named(field(c->want, "GlobalSecondaryIndexes"), "IndexName", name);
	const cJSON *pt = field(w, "ProvisionedThroughput");
	/* An index the definition does not list keeps running at the table's rate. */
	return pt != NULL ? pt : field(c->want, "ProvisionedThroughput");
}

static cJSON *gsi_update(const char *name, const cJSON *pt)
{
	cJSON *update = cJSON_CreateObject();
	cJSON *body = cJSON_AddObjectToObject(update, "Update");
	cJSON *dup = pt != NULL ? cJSON_Duplicate(pt, 1) : NULL;
	if (body == NULL || !cJSON_AddStringToObject(body, "IndexName", name) ||
	    !cJSON_AddItemToObject(body, "ProvisionedThroughput", dup)) {
		cJSON_Delete(dup);
		cJSON_Delete(update);
		return NULL;
	}
	return update;
}

/* The throughput the server holds for index name while on demand, or NULL. */
static const cJSON *raw_index_throughput(const plan_ctx *c, const char *name)
{
	const cJSON *raw = field(field(c->have, "RawThroughput"), "Indexes");
	return field(pcf_table_find_named(raw, "IndexName", name), "ProvisionedThroughput");
}

/*
 * PAY_PER_REQUEST -> PROVISIONED must carry every remaining index's
 * throughput, except one the server already holds at that value (some keep
 * it while on demand and refuse it as "equals the current value").
 */
static int to_provisioned(plan_ctx *c)
{
	const cJSON *pt = field(c->want, "ProvisionedThroughput"), *h;
	cJSON *req = with(table_request(c), "BillingMode", field(c->want, "BillingMode"));
	cJSON *list = NULL;

	req = with(req, "ProvisionedThroughput", pt);
	cJSON_ArrayForEach(h, field(c->have, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(h, "IndexName");
		const cJSON *raw = raw_index_throughput(c, name);
		cJSON *update;
		if (name == NULL || gsi_dropped(c, name) ||
		    (raw != NULL && pcf_table_same_set(raw, gsi_throughput_for(c, name))))
			continue;
		if (req != NULL && list == NULL)
			list = cJSON_AddArrayToObject(req, "GlobalSecondaryIndexUpdates");
		update = gsi_update(name, gsi_throughput_for(c, name));
		if (list == NULL || !cJSON_AddItemToArray(list, update)) {
			cJSON_Delete(update);
			cJSON_Delete(req);
			req = NULL;
			break;
		}
	}
	return step(c, "UpdateTable", req, 0, "BillingMode %s -> PROVISIONED (read %g, write %g%s)",
	            pcf_table_str(c->have, "BillingMode"), units(pt, "ReadCapacityUnits"),
	            units(pt, "WriteCapacityUnits"),
	            list != NULL ? ", and throughput for every index" : "");
}

static int plan_billing(plan_ctx *c)
{
	const char *want = pcf_table_str(c->want, "BillingMode");
	const char *have = pcf_table_str(c->have, "BillingMode");
	const cJSON *want_pt = field(c->want, "ProvisionedThroughput");
	const cJSON *have_pt = field(c->have, "ProvisionedThroughput");

	c->mode = have;
	if (want != NULL && have != NULL && strcmp(want, have) != 0) {
		c->mode = want;
		if (!strcmp(want, "PROVISIONED") && want_pt == NULL)
			return pcf_error_set(
			    c->err, PCF_EINVAL,
			    "table %s: BillingMode PROVISIONED needs ProvisionedThroughput",
			    c->table);
		if (!strcmp(want, "PROVISIONED"))
			return to_provisioned(c);
		return step(c, "UpdateTable",
		            with(table_request(c), "BillingMode", field(c->want, "BillingMode")), 0,
		            "BillingMode %s -> %s", have, want);
	}
	if (have == NULL || strcmp(have, "PROVISIONED") != 0 || want_pt == NULL ||
	    pcf_table_same_set(want_pt, have_pt))
		return 0;
	return step(c, "UpdateTable", with(table_request(c), "ProvisionedThroughput", want_pt), 0,
	            "ProvisionedThroughput read %g -> %g, write %g -> %g",
	            units(have_pt, "ReadCapacityUnits"), units(want_pt, "ReadCapacityUnits"),
	            units(have_pt, "WriteCapacityUnits"), units(want_pt, "WriteCapacityUnits"));
}

static int plan_table_class(plan_ctx *c)
{
	const char *want = pcf_table_str(c->want, "TableClass");
	const char *have = pcf_table_str(c->have, "TableClass");
	if (want == NULL || (have != NULL && !strcmp(want, have)))
		return 0;
	return step(c, "UpdateTable",
	            with(table_request(c), "TableClass", field(c->want, "TableClass")), 0,
	            "TableClass %s -> %s", have != NULL ? have : "STANDARD", want);
}

static int plan_protection(plan_ctx *c)
{
	int want = pcf_table_bool(c->want, "DeletionProtectionEnabled");
	int have = pcf_table_bool(c->have, "DeletionProtectionEnabled");
	if (want < 0 || want == (have == 1))
		return 0;
	return step(c, "UpdateTable",
	            with(table_request(c), "DeletionProtectionEnabled",
	                 field(c->want, "DeletionProtectionEnabled")),
	            0, "DeletionProtectionEnabled %s -> %s", want ? "false" : "true",
	            want ? "true" : "false");
}

static int plan_sse(plan_ctx *c)
{
	const cJSON *want = field(c->want, "SSESpecification");
	const cJSON *have = field(c->have, "SSESpecification");
	int on = pcf_table_bool(want, "Enabled");
	const char *type = pcf_table_str(want, "SSEType");
	const char *have_type = pcf_table_str(have, "SSEType");
	if (want == NULL || on < 0)
		return 0;
	if (on == (pcf_table_bool(have, "Enabled") == 1) &&
	    (!on || type == NULL || (have_type != NULL && !strcmp(type, have_type))))
		return 0;
	return step(c, "UpdateTable", with(table_request(c), "SSESpecification", want), 0,
	            "server-side encryption %s", on ? "with a KMS key" : "with the default key");
}

static int provisioned(const plan_ctx *c)
{
	return c->mode == NULL || strcmp(c->mode, "PAY_PER_REQUEST") != 0;
}

/* Throughput of the indexes that stay, in one call; skipped when the billing
 * switch already carried it and never for an on-demand table. */
static int plan_gsi_throughput(plan_ctx *c, int billing_switched)
{
	const cJSON *w;
	cJSON *req = NULL, *list = NULL;
	char names[256] = "";
	size_t used = 0;

	if (!provisioned(c) || billing_switched)
		return 0;
	cJSON_ArrayForEach(w, field(c->want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(w, "IndexName");
		const cJSON *h = pcf_table_find_named(field(c->have, "GlobalSecondaryIndexes"),
		                                      "IndexName", name);
		const cJSON *pt = field(w, "ProvisionedThroughput");
		cJSON *update;
		if (h == NULL || pt == NULL || gsi_dropped(c, name) ||
		    pcf_table_same_set(pt, field(h, "ProvisionedThroughput")))
			continue;
		if (req == NULL && (req = table_request(c)) == NULL)
			return pcf_error_set(c->err, PCF_ENOMEM, "out of memory");
		if (list == NULL &&
		    (list = cJSON_AddArrayToObject(req, "GlobalSecondaryIndexUpdates")) == NULL)
			break;
		update = gsi_update(name, pt);
		if (!cJSON_AddItemToArray(list, update)) {
			cJSON_Delete(update);
			list = NULL;
			break;
		}
		used +=
		    (size_t)snprintf(names + used, used < sizeof(names) ? sizeof(names) - used : 0,
		                     "%s%s", used ? ", " : "", name);
		if (used >= sizeof(names))
			used = sizeof(names) - 1;
	}
	if (req == NULL)
		return 0;
	if (list == NULL) {
		cJSON_Delete(req);
		req = NULL;
	}
	return step(c, "UpdateTable", req, 0, "throughput of index %s", names);
}

/* The attribute definitions an index create needs: the live ones, with the
 * new index's key attributes taken from the definition. */
static cJSON *create_attributes(const plan_ctx *c, const cJSON *index)
{
	cJSON *out = cJSON_Duplicate(field(c->have, "AttributeDefinitions"), 1);
	const cJSON *k;
	if (out == NULL)
		out = cJSON_CreateArray();
	cJSON_ArrayForEach(k, field(index, "KeySchema"))
	{
		const char *name = pcf_table_str(k, "AttributeName");
		cJSON *def = pcf_table_find_named(field(c->want, "AttributeDefinitions"),
		                                  "AttributeName", name);
		cJSON *old = pcf_table_find_named(out, "AttributeName", name);
		if (out == NULL || def == NULL)
			continue;
		if (old != NULL)
			cJSON_Delete(cJSON_DetachItemViaPointer(out, old));
		if (!cJSON_AddItemToArray(out, cJSON_Duplicate(def, 1))) {
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

static cJSON *create_body(const plan_ctx *c, const cJSON *w)
{
	cJSON *body = with(with(cJSON_CreateObject(), "IndexName", field(w, "IndexName")),
	                   "KeySchema", field(w, "KeySchema"));
	const cJSON *pt = field(w, "ProvisionedThroughput");
	body = with(body, "Projection", field(w, "Projection"));
	if (provisioned(c) && pt != NULL)
		body = with(body, "ProvisionedThroughput", pt);
	return body;
}

static int plan_gsi_creates(plan_ctx *c)
{
	const cJSON *w;
	cJSON_ArrayForEach(w, field(c->want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(w, "IndexName");
		cJSON *req, *attrs;
		int rc;
		if (name == NULL || (pcf_table_find_named(field(c->have, "GlobalSecondaryIndexes"),
		                                          "IndexName", name) != NULL &&
		                     !gsi_dropped(c, name)))
			continue;
		req = gsi_request(c, "Create", create_body(c, w));
		attrs = create_attributes(c, w);
		if (req == NULL || attrs == NULL ||
		    !cJSON_AddItemToObject(req, "AttributeDefinitions", attrs)) {
			cJSON_Delete(attrs);
			cJSON_Delete(req);
			req = NULL;
		}
		rc = step(c, "UpdateTable", req, 0, "create index %s", name);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int stream_step(plan_ctx *c, int on, const char *view)
{
	cJSON *spec = cJSON_CreateObject();
	cJSON *req = table_request(c);
	if (spec == NULL || !cJSON_AddBoolToObject(spec, "StreamEnabled", on) ||
	    (on && !cJSON_AddStringToObject(spec, "StreamViewType", view)) || req == NULL ||
	    !cJSON_AddItemToObject(req, "StreamSpecification", spec)) {
		cJSON_Delete(spec);
		cJSON_Delete(req);
		req = NULL;
	}
	if (on)
		return step(c, "UpdateTable", req, 0, "enable stream (%s)", view);
	return step(c, "UpdateTable", req, 0, "disable stream");
}

/* A view type change is disable, then enable: two steps with a wait between. */
static int plan_stream(plan_ctx *c)
{
	const cJSON *want = field(c->want, "StreamSpecification");
	const cJSON *have = field(c->have, "StreamSpecification");
	int want_on = pcf_table_bool(want, "StreamEnabled") == 1;
	int have_on = pcf_table_bool(have, "StreamEnabled") == 1;
	const char *want_view = pcf_table_str(want, "StreamViewType");
	const char *have_view = pcf_table_str(have, "StreamViewType");
	int rc;

	if (want == NULL || pcf_table_bool(want, "StreamEnabled") < 0)
		return 0;
	if (want_on && want_view == NULL)
		return pcf_error_set(c->err, PCF_EINVAL,
		                     "table %s: an enabled stream needs a StreamViewType",
		                     c->table);
	if (have_on && (!want_on || (have_view != NULL && strcmp(want_view, have_view) != 0))) {
		if ((rc = stream_step(c, 0, NULL)) < 0)
			return rc;
		have_on = 0;
	}
	if (want_on && !have_on)
		return stream_step(c, 1, want_view);
	return 0;
}

static int plan_replacement(plan_ctx *c, const char *why)
{
	return step(c, "DeleteTable", table_request(c), PCF_STEP_REPLACE | PCF_STEP_DESTRUCTIVE,
	            "replace table %s: %s (deletes every item; needs --allow-replace and --yes)",
	            c->table, why);
}

static int plan_in_place(plan_ctx *c)
{
	const char *before = pcf_table_str(c->have, "BillingMode");
	int rc;

	if ((rc = plan_gsi_deletes(c)) < 0 || (rc = plan_billing(c)) < 0 ||
	    (rc = plan_table_class(c)) < 0 || (rc = plan_sse(c)) < 0)
		return rc;
	rc = plan_gsi_throughput(c, before != NULL && c->mode != NULL && strcmp(before, c->mode));
	if (rc < 0 || (rc = plan_gsi_creates(c)) < 0 || (rc = plan_stream(c)) < 0)
		return rc;
	/* Last of the UpdateTable steps, so that a server resetting deletion
	 * protection on any other UpdateTable (one local server did) cannot
	 * undo it; the service itself does not care about the order. */
	return plan_protection(c);
}

int pcf_table_plan(pcf_plan *out, const cJSON *desired, const cJSON *current, pcf_error *err)
{
	plan_ctx c = {out, desired, current, pcf_table_str(desired, "TableName"), NULL, NULL, err};
	char buf[256];
	const char *why;
	int rc;

	if (c.table == NULL)
		return pcf_error_set(err, PCF_EINVAL,
		                     "dynamodb_table: the definition has no TableName");
	if (current != NULL) {
		why = replacement_reason(desired, current, buf, sizeof(buf));
		if (why != NULL)
			return plan_replacement(&c, why);
		c.dropped = cJSON_CreateArray();
		if (c.dropped == NULL)
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		rc = pcf_table_plan_deregistrations(out, desired, current, c.table, err);
		if (rc == 0)
			rc = plan_in_place(&c);
		cJSON_Delete(c.dropped);
		if (rc == 0)
			rc = pcf_table_plan_replicas(out, desired, current, err);
		if (rc < 0)
			return rc;
	}
	if ((rc = pcf_table_plan_settings(out, desired, current, c.table, err)) < 0)
		return rc;
	return pcf_table_plan_managed(out, desired, current, c.table, err);
}
