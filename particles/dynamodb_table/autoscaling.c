/*
 * AutoScaling: pcf's own key in aws_resource, never sent to DynamoDB.
 *
 *   AutoScaling:
 *     ReadCapacity:  {Min: 5, Max: 500, TargetUtilization: 70}
 *     WriteCapacity: {Min: 5, Max: 100, TargetUtilization: 70}
 *     GlobalSecondaryIndexes: {by_email: {ReadCapacity: {...}, WriteCapacity: {...}}}
 *
 * Each capacity is one Application Auto Scaling scalable target
 * (ResourceId table/T or table/T/index/I, ScalableDimension
 * dynamodb:table:ReadCapacityUnits, ...) with one target tracking policy
 * on DynamoDBReadCapacityUtilization or DynamoDBWriteCapacityUtilization.
 * This file holds the schema, the checks, the read into the live tree and
 * the rule that capacity autoscaling manages belongs to the autoscaler: its
 * live value is copied into the desired tree, so it is never drift and
 * never re-sent (autoscaling_plan.c plans and runs the calls).
 */
#include "scaling.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define REQ      PCF_SCHEMA_REQUIRED

const pcf_table_scaling_dim pcf_table_scaling_dims[2] = {
    {"ReadCapacity", "ReadCapacityUnits", "DynamoDBReadCapacityUtilization"},
    {"WriteCapacity", "WriteCapacityUnits", "DynamoDBWriteCapacityUtilization"},
};

static const pcf_schema_field capacity_fields[] = {
    {"Min", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"Max", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"TargetUtilization", PCF_SCHEMA_NUMBER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema capacity_schema = {"AutoScaling capacity", capacity_fields,
                                           COUNT(capacity_fields), 0};

static const pcf_schema_field index_fields[] = {
    {"ReadCapacity", PCF_SCHEMA_OBJECT, 0, NULL, &capacity_schema, PCF_SCHEMA_ANY, NULL},
    {"WriteCapacity", PCF_SCHEMA_OBJECT, 0, NULL, &capacity_schema, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema index_schema = {"AutoScaling index", index_fields, COUNT(index_fields), 0};

static const pcf_schema_field autoscaling_fields[] = {
    {"ReadCapacity", PCF_SCHEMA_OBJECT, 0, NULL, &capacity_schema, PCF_SCHEMA_ANY, NULL},
    {"WriteCapacity", PCF_SCHEMA_OBJECT, 0, NULL, &capacity_schema, PCF_SCHEMA_ANY, NULL},
    {"GlobalSecondaryIndexes", PCF_SCHEMA_MAP, 0, NULL, NULL, PCF_SCHEMA_OBJECT, &index_schema},
};
const pcf_schema pcf_table_autoscaling_schema = {"AutoScaling", autoscaling_fields,
                                                 COUNT(autoscaling_fields), 0};

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int number(const cJSON *obj, const char *key, double *out)
{
	const cJSON *v = get(obj, key);
	if (!cJSON_IsNumber(v))
		return 0;
	*out = v->valuedouble;
	return 1;
}

/* path.leaf into buf; cut short (never reached: names are at most 255 bytes) when too long. */
static const char *join(char *buf, size_t size, const char *path, const char *leaf)
{
	if (snprintf(buf, size, "%s.%s", path, leaf) >= (int)size)
		buf[size - 1] = '\0';
	return buf;
}

/* Min of at least 1, Max of at least Min, TargetUtilization 20 to 90 (the service's range). */
static void check_capacity(const pcf_particle_def *def, pcf_diags *diags, const cJSON *cap,
                           const char *path)
{
	double min, max, target;
	char at[400];

	if (number(cap, "Min", &min) && min < 1) {
		pcf_particle_def_report(def, diags, join(at, sizeof(at), path, "Min"),
		                        "expected a Min of at least 1, found %g", min);
	}
	if (number(cap, "Min", &min) && number(cap, "Max", &max) && max < min) {
		pcf_particle_def_report(def, diags, join(at, sizeof(at), path, "Max"),
		                        "expected a Max of at least Min (%g), found %g", min, max);
	}
	if (number(cap, "TargetUtilization", &target) && (target < 20 || target > 90)) {
		pcf_particle_def_report(def, diags, join(at, sizeof(at), path, "TargetUtilization"),
		                        "expected a TargetUtilization from 20 to 90 (percent), "
		                        "found %g",
		                        target);
	}
}

static void check_owner(const pcf_particle_def *def, pcf_diags *diags, const cJSON *owner,
                        const char *path)
{
	char at[400];
	for (size_t d = 0; d < 2; d++) {
		const cJSON *cap = get(owner, pcf_table_scaling_dims[d].key);
		join(at, sizeof(at), path, pcf_table_scaling_dims[d].key);
		if (cJSON_IsObject(cap))
			check_capacity(def, diags, cap, at);
	}
}

void pcf_table_check_autoscaling(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *as = get(def->aws_resource, "AutoScaling"), *ix;
	const char *mode = pcf_table_str(def->aws_resource, "BillingMode");
	char at[400];

	if (!cJSON_IsObject(as))
		return;
	if (mode != NULL && !strcmp(mode, "PAY_PER_REQUEST"))
		pcf_particle_def_report(def, diags, "aws_resource.AutoScaling",
		                        "expected no AutoScaling with BillingMode PAY_PER_REQUEST "
		                        "(an on-demand table scales by itself), found one");
	check_owner(def, diags, as, "aws_resource.AutoScaling");
	cJSON_ArrayForEach(ix, get(as, "GlobalSecondaryIndexes"))
	{
		snprintf(at, sizeof(at), "aws_resource.AutoScaling.GlobalSecondaryIndexes.%s",
		         ix->string);
		if (pcf_table_find_named(get(def->aws_resource, "GlobalSecondaryIndexes"),
		                         "IndexName", ix->string) == NULL)
			pcf_particle_def_report(def, diags, at,
			                        "expected the name of a global secondary index "
			                        "of this definition, found %s",
			                        ix->string);
		check_owner(def, diags, ix, at);
	}
}

/* Copies the live units of every capacity owner's AutoScaling manages into want's throughput. */
static void adopt_owner(cJSON *want_owner, const cJSON *have_owner, const cJSON *scaling)
{
	cJSON *pt = cJSON_GetObjectItemCaseSensitive(want_owner, "ProvisionedThroughput");
	const cJSON *live = get(have_owner, "ProvisionedThroughput");

	if (!cJSON_IsObject(pt) || !cJSON_IsObject(live))
		return;
	for (size_t d = 0; d < 2; d++) {
		const char *units = pcf_table_scaling_dims[d].units;
		const cJSON *value = get(live, units);
		cJSON *copy;
		if (get(scaling, pcf_table_scaling_dims[d].key) == NULL || !cJSON_IsNumber(value))
			continue;
		copy = cJSON_CreateNumber(value->valuedouble);
		if (copy != NULL && !cJSON_ReplaceItemInObjectCaseSensitive(pt, units, copy))
			cJSON_Delete(copy);
	}
}

void pcf_table_adopt_autoscaled(cJSON *want, const cJSON *current)
{
	const cJSON *as = get(want, "AutoScaling");
	cJSON *ix;

	if (!cJSON_IsObject(as) || current == NULL)
		return;
	adopt_owner(want, current, as);
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(ix, "IndexName");
		const cJSON *scaling =
		    get(get(as, "GlobalSecondaryIndexes"), name != NULL ? name : "");
		if (scaling != NULL)
			adopt_owner(ix,
			            pcf_table_find_named(get(current, "GlobalSecondaryIndexes"),
			                                 "IndexName", name),
			            scaling);
	}
}

/* A live capacity of have_owner that want_owner no longer names: drift at path. */
static int drift_owner(pcf_drift *out, const cJSON *want_owner, const cJSON *have_owner,
                       const char *path)
{
	char at[400];
	cJSON *shown;
	int rc;
	for (size_t d = 0; d < 2; d++) {
		const char *key = pcf_table_scaling_dims[d].key;
		if (get(have_owner, key) == NULL || get(want_owner, key) != NULL)
			continue;
		/* PolicyName is pcf's bookkeeping, not part of the setting. */
		shown = cJSON_Duplicate(get(have_owner, key), 1);
		cJSON_DeleteItemFromObjectCaseSensitive(shown, "PolicyName");
		snprintf(at, sizeof(at), "%s%s", path, key);
		rc = shown != NULL ? pcf_drift_add(out, at, NULL, shown) : PCF_ENOMEM;
		cJSON_Delete(shown);
		if (rc < 0)
			return PCF_ENOMEM;
	}
	return 0;
}

int pcf_table_drift_managed(pcf_drift *out, const cJSON *want, const cJSON *current)
{
	const cJSON *w = get(want, "AutoScaling"), *h = get(current, "AutoScaling"), *ix;
	char at[400];
	int rc;

	if (!cJSON_IsObject(w) || !cJSON_IsObject(h))
		return 0;
	if ((rc = drift_owner(out, w, h, "AutoScaling.")) < 0)
		return rc;
	cJSON_ArrayForEach(ix, get(h, "GlobalSecondaryIndexes"))
	{
		snprintf(at, sizeof(at), "AutoScaling.GlobalSecondaryIndexes.%s.", ix->string);
		if ((rc = drift_owner(out, get(get(w, "GlobalSecondaryIndexes"), ix->string), ix,
		                      at)) < 0)
			return rc;
	}
	return 0;
}

void pcf_table_scaling_resource(char *buf, size_t size, const char *table, const char *index)
{
	if (index != NULL)
		snprintf(buf, size, "table/%s/index/%s", table, index);
	else
		snprintf(buf, size, "table/%s", table);
}

void pcf_table_scaling_dimension(char *buf, size_t size, const char *index, size_t dim)
{
	snprintf(buf, size, "dynamodb:%s:%s", index != NULL ? "index" : "table",
	         pcf_table_scaling_dims[dim].units);
}
