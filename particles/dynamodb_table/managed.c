/*
 * The settings with calls of their own (managed.h) as the flavor's
 * operations see them: one read, one set of checks, one plan tail, one
 * export clean-up. The order of the plan tail is the order they depend
 * on nothing of each other: contributor insights, Kinesis destinations,
 * then autoscaling; the planner puts all of them after every UpdateTable
 * step, and the engine waits for the table and its indexes to be ACTIVE
 * before each step.
 */
#include "managed.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int pcf_table_managed_step(pcf_plan *out, const char *action, cJSON *request, pcf_error *err,
                           const char *fmt, ...)
{
	char summary[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	if (request == NULL || pcf_plan_add_take(out, action, request, 0, "%s", summary) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory planning %s", action);
	return 0;
}

int pcf_table_feature_missing(int rc, const pcf_error *err)
{
	if (rc == PCF_EUNKNOWN_OPERATION)
		return 1;
	if (rc >= 0 || err == NULL)
		return 0;
	return err->http_status == 404 || err->http_status == 501 ||
	       ((rc == PCF_EHTTP || rc == PCF_EBADRESPONSE) && err->http_status >= 500 &&
	        err->aws_type[0] == '\0');
}

void pcf_table_live_pending(pcf_table_live *live, const char *what)
{
	size_t used = strlen(live->why);
	live->pending = 1;
	if (used + 1 < sizeof(live->why))
		snprintf(live->why + used, sizeof(live->why) - used, "%s%s", used ? ", " : "",
		         what);
}

int pcf_table_read_managed(pcf_table_live *live, cJSON *current, const cJSON *want, pcf_error *err)
{
	int rc;
	if ((rc = pcf_table_read_insights(live, current, want, err)) < 0 ||
	    (rc = pcf_table_read_kinesis(live, current, want, err)) < 0)
		return rc;
	return pcf_table_read_autoscaling(live, current, want, err);
}

int pcf_table_plan_managed(pcf_plan *out, const cJSON *want, const cJSON *current,
                           const char *table, pcf_error *err)
{
	int rc;
	if ((rc = pcf_table_plan_insights(out, want, current, table, err)) < 0 ||
	    (rc = pcf_table_plan_kinesis(out, want, current, table, err)) < 0)
		return rc;
	return pcf_table_plan_autoscaling(out, want, current, table, err);
}

void pcf_table_check_managed(const pcf_particle_def *def, pcf_diags *diags)
{
	pcf_table_check_kinesis(def, diags);
	pcf_table_check_autoscaling(def, diags);
}

static void drop_insights_when_off(cJSON *owner)
{
	const cJSON *spec =
	    cJSON_GetObjectItemCaseSensitive(owner, "ContributorInsightsSpecification");
	if (spec != NULL && pcf_table_bool(spec, "Enabled") != 1)
		cJSON_DeleteItemFromObjectCaseSensitive(owner, "ContributorInsightsSpecification");
}

static void drop_policy_names(cJSON *owner)
{
	cJSON_DeleteItemFromObjectCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(owner, "ReadCapacity"), "PolicyName");
	cJSON_DeleteItemFromObjectCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(owner, "WriteCapacity"), "PolicyName");
}

/* What export leaves out of these settings: the off states and pcf's bookkeeping. */
static void export_clean(cJSON *resource)
{
	cJSON *as = cJSON_GetObjectItemCaseSensitive(resource, "AutoScaling"), *ix;
	drop_insights_when_off(resource);
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(resource, "GlobalSecondaryIndexes"))
	    drop_insights_when_off(ix);
	if (cJSON_GetArraySize(
	        cJSON_GetObjectItemCaseSensitive(resource, "KinesisStreamingDestinations")) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(resource, "KinesisStreamingDestinations");
	drop_policy_names(as);
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(as, "GlobalSecondaryIndexes"))
	    drop_policy_names(ix);
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(as, "GlobalSecondaryIndexes")) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(as, "GlobalSecondaryIndexes");
	if (as != NULL && cJSON_GetArraySize(as) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(resource, "AutoScaling");
}

/*
 * Export reads every setting; one the server does not know is left out
 * rather than failing the export (a local server has none of them).
 */
int pcf_table_export_managed(cJSON *resource, pcf_services *services, pcf_ddb *db,
                             const char *region, pcf_error *err)
{
	pcf_table_live live = {.services = services,
	                       .db = db,
	                       .region = region,
	                       .table = pcf_table_str(resource, "TableName"),
	                       .everything = 1};
	int (*const readers[])(pcf_table_live *, cJSON *, const cJSON *, pcf_error *) = {
	    pcf_table_read_insights, pcf_table_read_kinesis, pcf_table_read_autoscaling};
	int rc;

	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		live.missing = 0;
		rc = readers[i](&live, resource, NULL, err);
		if (rc < 0 && !pcf_table_feature_missing(rc, err))
			return rc;
		if (rc < 0)
			pcf_error_clear(err);
	}
	export_clean(resource);
	return 0;
}

int pcf_table_sync_managed(pcf_particle *p, pcf_state *state, cJSON *current, pcf_ddb *db,
                           pcf_error *err)
{
	const cJSON *want = pcf_particle_desired(p);
	pcf_table_live live = {.services = pcf_particle_services(p),
	                       .db = db,
	                       .region = pcf_table_str(want, "region_name"),
	                       .table = pcf_table_str(want, "TableName")};
	int rc = pcf_table_read_managed(&live, current, want, err);

	if (rc == 0 && live.pending && *state == PCF_STATE_RUNNING) {
		*state = PCF_STATE_PENDING;
		pcf_particle_set_pending_detail(p, "%s", live.why);
	}
	return rc;
}

cJSON *pcf_table_wanted(const pcf_particle *p, const cJSON *current)
{
	cJSON *want = pcf_table_canonical(pcf_particle_desired(p));
	if (want != NULL)
		pcf_table_adopt_autoscaled(want, current);
	return want;
}
