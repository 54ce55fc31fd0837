/*
 * ContributorInsightsSpecification {Enabled} on the table and on each
 * global secondary index: DescribeContributorInsights reads it,
 * UpdateContributorInsights (ENABLE / DISABLE) changes it, one call for
 * the table or one index at a time. ENABLING and DISABLING are pending:
 * the engine waits for them like for an UPDATING table. CreateTable takes
 * no such field, so the definition's per-index ones are stripped from it
 * and turned on by the steps that follow creation.
 */
#include "managed.h"

#include <stdio.h>
#include <string.h>

#define KEY "ContributorInsightsSpecification"

static const pcf_schema_field insights_fields[] = {
    {"Enabled", PCF_SCHEMA_BOOL, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
const pcf_schema pcf_table_insights_schema = {
    KEY, insights_fields, sizeof(insights_fields) / sizeof(insights_fields[0]), 0};

static cJSON *insights_request(const char *table, const char *index)
{
	cJSON *req = cJSON_CreateObject();
	if (req == NULL || !cJSON_AddStringToObject(req, "TableName", table) ||
	    (index != NULL && !cJSON_AddStringToObject(req, "IndexName", index))) {
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

static int add_spec(cJSON *owner, int on, pcf_error *err)
{
	cJSON *spec = cJSON_AddObjectToObject(owner, KEY);
	if (spec == NULL || !cJSON_AddBoolToObject(spec, "Enabled", on))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}

/* Adds {Enabled} under KEY to owner from one DescribeContributorInsights. */
static int read_one(pcf_table_live *live, cJSON *owner, const char *index, int want_on,
                    pcf_error *err)
{
	cJSON *req = insights_request(live->table, index), *answer = NULL;
	const char *status;
	char what[300];
	int rc;

	if (req == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = pcf_ddb_execute(&answer, live->db, "DescribeContributorInsights", req, err);
	cJSON_Delete(req);
	if (pcf_table_feature_missing(rc, err) && !want_on) {
		pcf_error_clear(err); /* a server without the feature has it off */
		live->missing = 1;
	} else if (pcf_table_feature_missing(rc, err)) {
		return pcf_error_prefix(err,
		                        "%s: the server does not support contributor insights, "
		                        "which the definition enables",
		                        KEY);
	} else if (rc < 0) {
		return pcf_error_prefix(err, "reading %s", KEY);
	}
	status = pcf_table_str(answer, "ContributorInsightsStatus");
	rc = add_spec(owner,
	              status != NULL && (!strcmp(status, "ENABLED") || !strcmp(status, "ENABLING")),
	              err);
	if (status != NULL && (!strcmp(status, "ENABLING") || !strcmp(status, "DISABLING"))) {
		snprintf(what, sizeof(what), "contributor insights of %s %s %s",
		         index != NULL ? "index" : "table", index != NULL ? index : live->table,
		         status);
		pcf_table_live_pending(live, what);
	}
	cJSON_Delete(answer);
	return rc;
}

static int wants_on(const cJSON *owner)
{
	return pcf_table_bool(cJSON_GetObjectItemCaseSensitive(owner, KEY), "Enabled") == 1;
}

int pcf_table_read_insights(pcf_table_live *live, cJSON *current, const cJSON *want, pcf_error *err)
{
	cJSON *ix;
	int rc;

	if ((live->everything || cJSON_GetObjectItemCaseSensitive(want, KEY) != NULL) &&
	    (rc = read_one(live, current, NULL, wants_on(want), err)) < 0)
		return rc;
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(current, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(ix, "IndexName");
		const cJSON *w = pcf_table_find_named(
		    cJSON_GetObjectItemCaseSensitive(want, "GlobalSecondaryIndexes"), "IndexName",
		    name);
		if (name == NULL ||
		    (!live->everything && cJSON_GetObjectItemCaseSensitive(w, KEY) == NULL))
			continue;
		/* A server without the feature for the table has it for no index either. */
		if (live->missing && !wants_on(w))
			rc = add_spec(ix, 0, err);
		else
			rc = read_one(live, ix, name, wants_on(w), err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* One UpdateContributorInsights when owner's wish differs from what have has. */
static int plan_one(pcf_plan *out, const char *table, const char *index, const cJSON *w,
                    const cJSON *h, pcf_error *err)
{
	int want_on = pcf_table_bool(cJSON_GetObjectItemCaseSensitive(w, KEY), "Enabled");
	int have_on = pcf_table_bool(cJSON_GetObjectItemCaseSensitive(h, KEY), "Enabled") == 1;
	cJSON *req;

	if (want_on < 0 || want_on == have_on)
		return 0;
	req = insights_request(table, index);
	if (req != NULL && !cJSON_AddStringToObject(req, "ContributorInsightsAction",
	                                            want_on ? "ENABLE" : "DISABLE")) {
		cJSON_Delete(req);
		req = NULL;
	}
	return pcf_table_managed_step(
	    out, "UpdateContributorInsights", req, err, "contributor insights of %s %s: %s -> %s",
	    index != NULL ? "index" : "table", index != NULL ? index : table,
	    have_on ? "enabled" : "disabled", want_on ? "enabled" : "disabled");
}

int pcf_table_plan_insights(pcf_plan *out, const cJSON *want, const cJSON *current,
                            const char *table, pcf_error *err)
{
	const cJSON *w;
	int rc;

	if ((rc = plan_one(out, table, NULL, want, current, err)) < 0)
		return rc;
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(w, "IndexName");
		const cJSON *h = pcf_table_find_named(
		    cJSON_GetObjectItemCaseSensitive(current, "GlobalSecondaryIndexes"),
		    "IndexName", name);
		if (name != NULL && (rc = plan_one(out, table, name, w, h, err)) < 0)
			return rc;
	}
	return 0;
}

void pcf_table_strip_managed(cJSON *request)
{
	cJSON *ix;
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(request, "GlobalSecondaryIndexes"))
	    cJSON_DeleteItemFromObjectCaseSensitive(ix, KEY);
}
