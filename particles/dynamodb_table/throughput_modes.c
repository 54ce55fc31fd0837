/*
 * OnDemandThroughput and WarmThroughput, on the table and on each global
 * index: validate, normalise, settle and plan.
 *
 * OnDemandThroughput caps an on-demand table's (or index's) request units;
 * -1 means no cap. The service refuses a request that names one member
 * alone on some paths (Terraform #39760), so a definition gives both and
 * every request carries both. A live table that reports no cap has none,
 * which normalises to -1 / -1, so a definition of -1 / -1 is in sync.
 *
 * WarmThroughput is a floor the service keeps ready. It raises the floor
 * by itself as traffic grows and never lowers it, so the definition's value
 * is a minimum: a live value at or above it is in sync (Terraform #46281
 * shows a diff on every plan instead). pcf_table_settle_warm applies that
 * to the canonical desired tree before the diff and the planner see it,
 * and a step only ever raises a member to the defined value while keeping
 * the other at least at its live one, so no request asks for a decrease.
 * A defined member below the live one may be a user's decrease, which the
 * service refuses: pcf_table_warm_notes words it for the user (diff logs
 * it as a warning) instead of a step.
 *
 * Each change is one UpdateTable step of its own, after the billing and
 * table throughput steps and before indexes are created (the planner's
 * order); an index created by the plan carries both settings in its
 * Create, a table created by CreateTable carries them there.
 */
#include "table.h"

#include "src/common/buf.h"

#include <stdio.h>
#include <string.h>

static const char *const on_demand_members[] = {"MaxReadRequestUnits", "MaxWriteRequestUnits"};
static const char *const warm_members[] = {"ReadUnitsPerSecond", "WriteUnitsPerSecond"};

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int on_demand_mode(const cJSON *resource)
{
	const char *mode = pcf_table_str(resource, "BillingMode");
	return mode != NULL && !strcmp(mode, "PAY_PER_REQUEST");
}

/* Validation of one owner's (the table's or an index's) two settings at path. */
static void check_owner(const pcf_particle_def *def, pcf_diags *diags, const cJSON *owner,
                        const char *path, int on_demand)
{
	const cJSON *cap = get(owner, "OnDemandThroughput"), *warm = get(owner, "WarmThroughput");
	char at[320];

	snprintf(at, sizeof(at), "%s.OnDemandThroughput", path);
	if (cap != NULL && !on_demand)
		pcf_particle_def_report(def, diags, at,
		                        "expected OnDemandThroughput only with BillingMode "
		                        "PAY_PER_REQUEST, found BillingMode PROVISIONED");
	for (size_t i = 0; i < 2 && cJSON_IsObject(cap); i++) {
		const cJSON *v = get(cap, on_demand_members[i]);
		snprintf(at, sizeof(at), "%s.OnDemandThroughput.%s", path, on_demand_members[i]);
		if (cJSON_IsNumber(v) && v->valuedouble != -1 && v->valuedouble < 1)
			pcf_particle_def_report(
			    def, diags, at,
			    "expected -1 (no limit) or at least 1 request unit, "
			    "found %g",
			    v->valuedouble);
	}
	snprintf(at, sizeof(at), "%s.WarmThroughput", path);
	if (cJSON_IsObject(warm) && get(warm, warm_members[0]) == NULL &&
	    get(warm, warm_members[1]) == NULL)
		pcf_particle_def_report(def, diags, at,
		                        "expected ReadUnitsPerSecond or WriteUnitsPerSecond (or "
		                        "both), found neither");
	for (size_t i = 0; i < 2 && cJSON_IsObject(warm); i++) {
		const cJSON *v = get(warm, warm_members[i]);
		snprintf(at, sizeof(at), "%s.WarmThroughput.%s", path, warm_members[i]);
		if (cJSON_IsNumber(v) && v->valuedouble < 1)
			pcf_particle_def_report(def, diags, at,
			                        "expected at least 1 unit per second, found %g",
			                        v->valuedouble);
	}
}

void pcf_table_check_throughput_modes(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *r = def->aws_resource, *ix;
	int on_demand = on_demand_mode(r), i = 0;
	char at[320];

	check_owner(def, diags, r, "aws_resource", on_demand);
	cJSON_ArrayForEach(ix, get(r, "GlobalSecondaryIndexes"))
	{
		snprintf(at, sizeof(at), "aws_resource.GlobalSecondaryIndexes[%d]", i++);
		check_owner(def, diags, ix, at, on_demand);
	}
}

/* The live cap of from (a table or index description), -1 for a member it lacks. */
static int add_on_demand(cJSON *to, const cJSON *from)
{
	const cJSON *cap = get(from, "OnDemandThroughput");
	cJSON *out = cJSON_AddObjectToObject(to, "OnDemandThroughput");
	if (out == NULL)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		const cJSON *v = get(cap, on_demand_members[i]);
		if (!cJSON_AddNumberToObject(out, on_demand_members[i],
		                             cJSON_IsNumber(v) ? v->valuedouble : -1))
			return -1;
	}
	return 0;
}

/* The live floor's members (the service's Status is no setting). */
static int add_warm(cJSON *to, const cJSON *from)
{
	const cJSON *warm = get(from, "WarmThroughput");
	cJSON *out;
	if (!cJSON_IsObject(warm))
		return 0;
	if ((out = cJSON_AddObjectToObject(to, "WarmThroughput")) == NULL)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		const cJSON *v = get(warm, warm_members[i]);
		if (cJSON_IsNumber(v) &&
		    !cJSON_AddNumberToObject(out, warm_members[i], v->valuedouble))
			return -1;
	}
	return 0;
}

int pcf_table_normalize_throughput_modes(cJSON *out, const cJSON *d)
{
	int on_demand = on_demand_mode(out);
	cJSON *ix;

	if ((on_demand && add_on_demand(out, d) < 0) || add_warm(out, d) < 0)
		return -1;
	cJSON_ArrayForEach(ix, get(out, "GlobalSecondaryIndexes"))
	{
		const cJSON *live = pcf_table_find_named(
		    get(d, "GlobalSecondaryIndexes"), "IndexName", pcf_table_str(ix, "IndexName"));
		if ((on_demand && add_on_demand(ix, live) < 0) || add_warm(ix, live) < 0)
			return -1;
	}
	return 0;
}

/* A defined floor member at or below the live one takes the live value. */
static void settle_floor(cJSON *want_owner, const cJSON *have_owner)
{
	cJSON *want = cJSON_GetObjectItemCaseSensitive(want_owner, "WarmThroughput");
	const cJSON *have = get(have_owner, "WarmThroughput");
	for (size_t i = 0; i < 2 && have != NULL; i++) {
		cJSON *w = cJSON_GetObjectItemCaseSensitive(want, warm_members[i]);
		const cJSON *h = get(have, warm_members[i]);
		if (cJSON_IsNumber(w) && cJSON_IsNumber(h) && h->valuedouble >= w->valuedouble)
			cJSON_SetNumberValue(w, h->valuedouble);
	}
}

void pcf_table_settle_warm(cJSON *want, const cJSON *have)
{
	cJSON *ix;
	if (have == NULL)
		return;
	settle_floor(want, have);
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(want, "GlobalSecondaryIndexes"))
	    settle_floor(ix, pcf_table_find_named(get(have, "GlobalSecondaryIndexes"), "IndexName",
	                                          pcf_table_str(ix, "IndexName")));
}

/* The notes of one owner: each defined member below the live one. */
static void floor_notes(pcf_buf *out, const cJSON *want_owner, const cJSON *have_owner,
                        const char *prefix)
{
	const cJSON *want = get(want_owner, "WarmThroughput");
	const cJSON *have = get(have_owner, "WarmThroughput");
	for (size_t i = 0; i < 2 && cJSON_IsObject(want); i++) {
		const cJSON *w = get(want, warm_members[i]), *h = get(have, warm_members[i]);
		if (cJSON_IsNumber(w) && cJSON_IsNumber(h) && h->valuedouble > w->valuedouble)
			pcf_buf_printf(
			    out,
			    "%sWarmThroughput.%s %g is below the live %g: DynamoDB never "
			    "lowers warm throughput; nothing to do\n",
			    prefix, warm_members[i], w->valuedouble, h->valuedouble);
	}
}

/*
 * pcf keeps no state, so a live floor above the defined one may be the
 * service's own raise or a user lowering the number: either way nothing
 * can be done, and the user is told so instead of seeing a step.
 */
char *pcf_table_warm_notes(const cJSON *want, const cJSON *have)
{
	pcf_buf out = PCF_BUF_INIT;
	const cJSON *ix;
	char prefix[320];

	if (want == NULL || have == NULL)
		return NULL;
	floor_notes(&out, want, have, "");
	cJSON_ArrayForEach(ix, get(want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(ix, "IndexName");
		if (name == NULL)
			continue;
		snprintf(prefix, sizeof(prefix), "GlobalSecondaryIndexes[%s].", name);
		floor_notes(
		    &out, ix,
		    pcf_table_find_named(get(have, "GlobalSecondaryIndexes"), "IndexName", name),
		    prefix);
	}
	if (pcf_buf_failed(&out) || out.len == 0) {
		pcf_buf_cleanup(&out);
		return NULL;
	}
	return pcf_buf_detach(&out);
}

cJSON *pcf_table_with_index_modes(cJSON *body, const cJSON *index)
{
	static const char *const keys[] = {"OnDemandThroughput", "WarmThroughput"};
	for (size_t i = 0; i < 2 && body != NULL; i++) {
		const cJSON *v = get(index, keys[i]);
		cJSON *dup = v != NULL ? cJSON_Duplicate(v, 1) : NULL;
		if (v != NULL && (dup == NULL || !cJSON_AddItemToObject(body, keys[i], dup))) {
			cJSON_Delete(dup);
			cJSON_Delete(body);
			body = NULL;
		}
	}
	return body;
}

/* "no limit" for -1, the number otherwise. */
static const char *units_text(char *buf, size_t size, const cJSON *v)
{
	if (!cJSON_IsNumber(v))
		snprintf(buf, size, "none");
	else if (v->valuedouble < 0)
		snprintf(buf, size, "no limit");
	else
		snprintf(buf, size, "%g", v->valuedouble);
	return buf;
}

/* "read 5 -> 10, write no limit -> 20" for the members of key that differ. */
static void change_text(char *buf, size_t size, const cJSON *want, const cJSON *have,
                        const char *const members[2])
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < 2; i++) {
		const cJSON *w = get(want, members[i]), *h = get(have, members[i]);
		char a[32], b[32];
		if (w == NULL || (cJSON_IsNumber(h) && h->valuedouble == w->valuedouble))
			continue;
		used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s %s -> %s",
		                         used ? ", " : "", i == 0 ? "read" : "write",
		                         units_text(a, sizeof(a), h), units_text(b, sizeof(b), w));
		if (used >= size)
			return;
	}
}

typedef struct modes_ctx {
	pcf_plan *out;
	const char *table;
	pcf_error *err;
} modes_ctx;

/* One UpdateTable carrying key = value for the table (index NULL) or an index. */
static int modes_step(const modes_ctx *c, const char *index, const char *key, const cJSON *value,
                      const char *change)
{
	cJSON *req = cJSON_CreateObject(), *target = req, *dup = cJSON_Duplicate(value, 1);
	if (!cJSON_AddStringToObject(req, "TableName", c->table))
		target = NULL;
	if (target != NULL && index != NULL) {
		cJSON *list = cJSON_AddArrayToObject(req, "GlobalSecondaryIndexUpdates");
		cJSON *update = cJSON_CreateObject();
		if (list == NULL || !cJSON_AddItemToArray(list, update)) {
			cJSON_Delete(update);
			update = NULL;
		}
		target = cJSON_AddObjectToObject(update, "Update");
		if (target != NULL && !cJSON_AddStringToObject(target, "IndexName", index))
			target = NULL;
	}
	if (target == NULL || dup == NULL || !cJSON_AddItemToObject(target, key, dup)) {
		cJSON_Delete(dup);
		cJSON_Delete(req);
		return pcf_error_set(c->err, PCF_ENOMEM, "out of memory planning %s", key);
	}
	if (pcf_plan_add_take(c->out, "UpdateTable", req, 0, "%s%s%s %s", key,
	                      index != NULL ? " of index " : "", index != NULL ? index : "",
	                      change) < 0)
		return pcf_error_set(c->err, PCF_ENOMEM, "out of memory planning %s", key);
	return 0;
}

/* The steps of one owner; on_demand: the billing mode once the billing step ran. */
static int plan_owner(const modes_ctx *c, const cJSON *want, const cJSON *have, const char *index,
                      int on_demand)
{
	const cJSON *cap = get(want, "OnDemandThroughput"), *warm = get(want, "WarmThroughput");
	const cJSON *have_cap = get(have, "OnDemandThroughput");
	cJSON *none = NULL;
	char change[160];
	int rc = 0;

	if (on_demand && cap != NULL) {
		/* A table turning on-demand in this plan has no cap yet: no limit. */
		if (have_cap == NULL) {
			none = cJSON_CreateObject();
			if (add_on_demand(none, NULL) < 0) {
				cJSON_Delete(none);
				return pcf_error_set(c->err, PCF_ENOMEM, "out of memory");
			}
			have_cap = get(none, "OnDemandThroughput");
		}
		change_text(change, sizeof(change), cap, have_cap, on_demand_members);
		if (change[0] != '\0')
			rc = modes_step(c, index, "OnDemandThroughput", cap, change);
		cJSON_Delete(none);
		if (rc < 0)
			return rc;
	}
	if (warm == NULL)
		return 0;
	change_text(change, sizeof(change), warm, get(have, "WarmThroughput"), warm_members);
	return change[0] != '\0' ? modes_step(c, index, "WarmThroughput", warm, change) : 0;
}

static int named_in(const cJSON *names, const char *name)
{
	const cJSON *n;
	cJSON_ArrayForEach(n, names)
	{
		if (cJSON_IsString(n) && !strcmp(n->valuestring, name))
			return 1;
	}
	return 0;
}

int pcf_table_plan_throughput_modes(pcf_plan *out, const cJSON *want, const cJSON *have,
                                    const char *mode, const cJSON *dropped, pcf_error *err)
{
	modes_ctx c = {out, pcf_table_str(want, "TableName"), err};
	int on_demand = mode != NULL && !strcmp(mode, "PAY_PER_REQUEST"), rc;
	const cJSON *w;

	if ((rc = plan_owner(&c, want, have, NULL, on_demand)) < 0)
		return rc;
	cJSON_ArrayForEach(w, get(want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(w, "IndexName");
		const cJSON *h =
		    pcf_table_find_named(get(have, "GlobalSecondaryIndexes"), "IndexName", name);
		/* An index created (or created again) by this plan carries both in its Create. */
		if (name == NULL || h == NULL || named_in(dropped, name))
			continue;
		if ((rc = plan_owner(&c, w, h, name, on_demand)) < 0)
			return rc;
	}
	return 0;
}
