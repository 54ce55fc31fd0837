/*
 * The planner's last part: TTL, point-in-time recovery and tags, which
 * have calls of their own and never wait on UpdateTable.
 *
 * UpdateTimeToLive fails when TTL is already in the requested state,
 * disabling needs the attribute name currently in force, and the service
 * allows about one change an hour; so TTL is only touched on a real
 * difference. Moving TTL to another attribute is disable (with the old
 * name) now and enable (with the new one) only after AWS's wait of up to an
 * hour: it is planned as the disable alone, whose summary says so, and the
 * enable is planned by the apply after it (refused until the wait is over,
 * with a message that says TTL is off and when to rerun). Tags are added (or given a new
 * value) by one TagResource and removed by one UntagResource; tags the
 * live table has and the definition does not list are removed only when
 * the definition lists tags at all.
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

static int add_step(pcf_plan *out, const char *action, cJSON *request, const char *summary,
                    pcf_error *err)
{
	if (request == NULL || pcf_plan_add_take(out, action, request, 0, "%s", summary) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory planning %s", action);
	return 0;
}

/* renamed_to: the attribute a disable makes way for, or NULL. */
static int ttl_step(pcf_plan *out, const char *table, int on, const char *attr,
                    const char *renamed_to, pcf_error *err)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *spec = cJSON_AddObjectToObject(req, "TimeToLiveSpecification");
	char summary[512];

	if (!cJSON_AddStringToObject(req, "TableName", table) || spec == NULL ||
	    !cJSON_AddBoolToObject(spec, "Enabled", on) ||
	    !cJSON_AddStringToObject(spec, "AttributeName", attr)) {
		cJSON_Delete(req);
		req = NULL;
	}
	if (renamed_to != NULL)
		snprintf(summary, sizeof(summary),
		         "rename TTL attribute %s -> %s: disables TTL on %s now; AWS allows "
		         "enabling it on %s only after a wait of up to an hour, so TTL stays off "
		         "until an apply after that wait",
		         attr, renamed_to, attr, renamed_to);
	else
		snprintf(summary, sizeof(summary), "%s TTL on attribute %s",
		         on ? "enable" : "disable", attr);
	return add_step(out, "UpdateTimeToLive", req, summary, err);
}

static int plan_ttl(pcf_plan *out, const cJSON *want_all, const cJSON *have_all, const char *table,
                    pcf_error *err)
{
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(want_all, "TimeToLiveSpecification");
	const cJSON *have = cJSON_GetObjectItemCaseSensitive(have_all, "TimeToLiveSpecification");
	int want_on = pcf_table_bool(want, "Enabled");
	int have_on = pcf_table_bool(have, "Enabled") == 1;
	const char *want_attr = pcf_table_str(want, "AttributeName");
	const char *have_attr = pcf_table_str(have, "AttributeName");

	if (want == NULL || want_on < 0)
		return 0;
	if (want_on && want_attr == NULL)
		return pcf_error_set(err, PCF_EINVAL,
		                     "table %s: enabling TTL needs an AttributeName", table);
	if (have_on && have_attr != NULL && (!want_on || strcmp(want_attr, have_attr) != 0))
		return ttl_step(out, table, 0, have_attr, want_on ? want_attr : NULL, err);
	if (want_on && !have_on)
		return ttl_step(out, table, 1, want_attr, NULL, err);
	return 0;
}

static int plan_pitr(pcf_plan *out, const cJSON *want_all, const cJSON *have_all, const char *table,
                     pcf_error *err)
{
	const cJSON *want =
	    cJSON_GetObjectItemCaseSensitive(want_all, "PointInTimeRecoverySpecification");
	const cJSON *have =
	    cJSON_GetObjectItemCaseSensitive(have_all, "PointInTimeRecoverySpecification");
	int want_on = pcf_table_bool(want, "PointInTimeRecoveryEnabled");
	int have_on = pcf_table_bool(have, "PointInTimeRecoveryEnabled") == 1;
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(want, "RecoveryPeriodInDays");
	const cJSON *had = cJSON_GetObjectItemCaseSensitive(have, "RecoveryPeriodInDays");
	char summary[160];
	cJSON *req;

	if (want_on < 0)
		return 0;
	/* On both sides: only a period the definition names and the table lacks. */
	if (want_on == have_on && (!want_on || !cJSON_IsNumber(days) ||
	                           (cJSON_IsNumber(had) && had->valuedouble == days->valuedouble)))
		return 0;
	req = cJSON_CreateObject();
	if (!cJSON_AddStringToObject(req, "TableName", table) ||
	    !cJSON_AddItemToObject(req, "PointInTimeRecoverySpecification",
	                           cJSON_Duplicate(want, 1))) {
		cJSON_Delete(req);
		req = NULL;
	}
	if (!want_on)
		snprintf(summary, sizeof(summary), "disable point-in-time recovery");
	else if (!cJSON_IsNumber(days))
		snprintf(summary, sizeof(summary), "enable point-in-time recovery");
	else if (have_on && cJSON_IsNumber(had))
		snprintf(summary, sizeof(summary),
		         "point-in-time recovery RecoveryPeriodInDays %g -> %g", had->valuedouble,
		         days->valuedouble);
	else
		snprintf(summary, sizeof(summary),
		         "enable point-in-time recovery (RecoveryPeriodInDays %g)",
		         days->valuedouble);
	return add_step(out, "UpdateContinuousBackups", req, summary, err);
}

/* Appends name to a "a, b, c" list kept in buf. */
static void name_list(char *buf, size_t size, const char *name)
{
	size_t used = strlen(buf);
	if (used + 1 < size)
		snprintf(buf + used, size - used, "%s%s", used ? ", " : "", name);
}

static cJSON *tag_request(const char *arn, const char *key, cJSON *list)
{
	cJSON *req = cJSON_CreateObject();
	if (list == NULL || !cJSON_AddStringToObject(req, "ResourceArn", arn) ||
	    !cJSON_AddItemToObject(req, key, list)) {
		cJSON_Delete(list);
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

/* Plans action on the tags in list (consumed) unless list is empty; names feeds the summary. */
static int tag_step(pcf_plan *out, const char *action, const char *arn, const char *key,
                    cJSON *list, const char *verb, const char *names, pcf_error *err)
{
	char summary[300];

	if (cJSON_GetArraySize(list) == 0) {
		cJSON_Delete(list);
		return 0;
	}
	snprintf(summary, sizeof(summary), "%s tags %s", verb, names);
	return add_step(out, action, tag_request(arn, key, list), summary, err);
}

static int plan_tag_adds(pcf_plan *out, const cJSON *want, const cJSON *have, const char *arn,
                         pcf_error *err)
{
	cJSON *adds = cJSON_CreateArray();
	const cJSON *t;
	char names[256] = "";

	cJSON_ArrayForEach(t, want)
	{
		const char *key = pcf_table_str(t, "Key");
		const cJSON *h = pcf_table_find_named(have, "Key", key);
		if (h != NULL && pcf_table_same_set(t, h))
			continue;
		if (!cJSON_AddItemToArray(adds, cJSON_Duplicate(t, 1))) {
			cJSON_Delete(adds);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
		name_list(names, sizeof(names), key != NULL ? key : "?");
	}
	return tag_step(out, "TagResource", arn, "Tags", adds, "set", names, err);
}

static int plan_tag_removals(pcf_plan *out, const cJSON *want, const cJSON *have, const char *arn,
                             pcf_error *err)
{
	cJSON *keys = cJSON_CreateArray();
	const cJSON *h;
	char names[256] = "";

	cJSON_ArrayForEach(h, have)
	{
		const char *key = pcf_table_str(h, "Key");
		if (key == NULL || pcf_table_find_named(want, "Key", key) != NULL)
			continue;
		if (!cJSON_AddItemToArray(keys, cJSON_CreateString(key))) {
			cJSON_Delete(keys);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
		name_list(names, sizeof(names), key);
	}
	return tag_step(out, "UntagResource", arn, "TagKeys", keys, "remove", names, err);
}

static int plan_tags(pcf_plan *out, const cJSON *want_all, const cJSON *have_all, pcf_error *err)
{
	const cJSON *want = cJSON_GetObjectItemCaseSensitive(want_all, "Tags");
	const cJSON *have = cJSON_GetObjectItemCaseSensitive(have_all, "Tags");
	const char *arn = pcf_table_str(have_all, "TableArn");
	int rc;

	if (want == NULL)
		return 0;
	if (arn == NULL)
		return pcf_error_set(err, PCF_EBADRESPONSE,
		                     "the table description has no TableArn to tag");
	if ((rc = plan_tag_adds(out, want, have, arn, err)) < 0)
		return rc;
	return plan_tag_removals(out, want, have, arn, err);
}

int pcf_table_plan_settings(pcf_plan *out, const cJSON *desired, const cJSON *current,
                            const char *table, pcf_error *err)
{
	int rc;
	if ((rc = plan_ttl(out, desired, current, table, err)) < 0 ||
	    (rc = plan_pitr(out, desired, current, table, err)) < 0)
		return rc;
	if (current == NULL)
		return 0; /* CreateTable carried the tags and the resource policy */
	if ((rc = plan_tags(out, desired, current, err)) < 0)
		return rc;
	return pcf_table_plan_policy(out, desired, current, err);
}
