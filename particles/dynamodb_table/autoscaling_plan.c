/*
 * AutoScaling, planned and run. Per capacity (the table's or an index's
 * read or write units):
 * - named and not registered, or registered with another Min or Max:
 *   RegisterScalableTarget (it registers or updates);
 * - named and without a target tracking policy at that TargetUtilization:
 *   PutScalingPolicy (it creates or replaces; the live policy's name is
 *   reused so that a console-made policy is updated, not doubled);
 * - registered and no longer named by a definition that has AutoScaling:
 *   DeregisterScalableTarget, which deletes its policies too.
 * These steps are Application Auto Scaling's: run_step sends them through
 * that client, not DynamoDB's.
 */
#include "scaling.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *v = get(obj, key);
	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int same(double a, double b)
{
	return !isnan(a) && !isnan(b) && fabs(a - b) < 1e-9;
}

/* {ServiceNamespace, ResourceId, ScalableDimension} of one capacity. */
static cJSON *target_request(const char *table, const char *index, size_t d, char *what,
                             size_t what_size)
{
	cJSON *req = cJSON_CreateObject();
	char resource[600], dimension[96];

	pcf_table_scaling_resource(resource, sizeof(resource), table, index);
	pcf_table_scaling_dimension(dimension, sizeof(dimension), index, d);
	snprintf(what, what_size, "autoscaling of %s %s %s", index != NULL ? "index" : "table",
	         index != NULL ? index : table, d == 0 ? "read capacity" : "write capacity");
	if (req == NULL || !cJSON_AddStringToObject(req, "ServiceNamespace", "dynamodb") ||
	    !cJSON_AddStringToObject(req, "ResourceId", resource) ||
	    !cJSON_AddStringToObject(req, "ScalableDimension", dimension)) {
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

static int plan_register(pcf_plan *out, const char *table, const char *index, size_t d,
                         const cJSON *w, const cJSON *h, pcf_error *err)
{
	char what[700], before[64] = "not registered";
	cJSON *req;

	if (h != NULL && same(num(w, "Min"), num(h, "Min")) && same(num(w, "Max"), num(h, "Max")))
		return 0;
	req = target_request(table, index, d, what, sizeof(what));
	if (req != NULL && (!cJSON_AddNumberToObject(req, "MinCapacity", num(w, "Min")) ||
	                    !cJSON_AddNumberToObject(req, "MaxCapacity", num(w, "Max")))) {
		cJSON_Delete(req);
		req = NULL;
	}
	if (h != NULL)
		snprintf(before, sizeof(before), "min %g, max %g", num(h, "Min"), num(h, "Max"));
	return pcf_table_managed_step(out, "RegisterScalableTarget", req, err,
	                              "%s: %s -> min %g, max %g", what, before, num(w, "Min"),
	                              num(w, "Max"));
}

static cJSON *policy_config(size_t d, double target)
{
	cJSON *conf = cJSON_CreateObject();
	cJSON *metric = cJSON_AddObjectToObject(conf, "PredefinedMetricSpecification");
	if (metric == NULL || !cJSON_AddNumberToObject(conf, "TargetValue", target) ||
	    !cJSON_AddStringToObject(metric, "PredefinedMetricType",
	                             pcf_table_scaling_dims[d].metric)) {
		cJSON_Delete(conf);
		return NULL;
	}
	return conf;
}

static int plan_policy(pcf_plan *out, const char *table, const char *index, size_t d,
                       const cJSON *w, const cJSON *h, pcf_error *err)
{
	double target = num(w, "TargetUtilization"), had = num(h, "TargetUtilization");
	const char *name = pcf_table_str(h, "PolicyName");
	char what[700], resource[600], own_name[700], before[32] = "none";
	cJSON *req;

	if (same(target, had))
		return 0;
	pcf_table_scaling_resource(resource, sizeof(resource), table, index);
	snprintf(own_name, sizeof(own_name), "%s:%s", pcf_table_scaling_dims[d].metric, resource);
	req = target_request(table, index, d, what, sizeof(what));
	if (req != NULL &&
	    (!cJSON_AddStringToObject(req, "PolicyName", name != NULL ? name : own_name) ||
	     !cJSON_AddStringToObject(req, "PolicyType", "TargetTrackingScaling") ||
	     !cJSON_AddItemToObject(req, "TargetTrackingScalingPolicyConfiguration",
	                            policy_config(d, target)))) {
		cJSON_Delete(req);
		req = NULL;
	}
	if (!isnan(had))
		snprintf(before, sizeof(before), "%g", had);
	return pcf_table_managed_step(out, "PutScalingPolicy", req, err,
	                              "%s: target utilization %s -> %g", what, before, target);
}

static int plan_owner(pcf_plan *out, const char *table, const char *index, const cJSON *want,
                      const cJSON *have, pcf_error *err)
{
	int rc;
	for (size_t d = 0; d < 2; d++) {
		const cJSON *w = get(want, pcf_table_scaling_dims[d].key);
		const cJSON *h = get(have, pcf_table_scaling_dims[d].key);
		if (w == NULL)
			continue;
		if ((rc = plan_register(out, table, index, d, w, h, err)) < 0 ||
		    (rc = plan_policy(out, table, index, d, w, h, err)) < 0)
			return rc;
	}
	return 0;
}

int pcf_table_plan_autoscaling(pcf_plan *out, const cJSON *want, const cJSON *current,
                               const char *table, pcf_error *err)
{
	const cJSON *w = get(want, "AutoScaling"), *h = get(current, "AutoScaling"), *ix;
	int rc;

	if (!cJSON_IsObject(w))
		return 0;
	if ((rc = plan_owner(out, table, NULL, w, h, err)) < 0)
		return rc;
	cJSON_ArrayForEach(ix, get(w, "GlobalSecondaryIndexes"))
	{
		const cJSON *live = get(get(h, "GlobalSecondaryIndexes"), ix->string);
		if ((rc = plan_owner(out, table, ix->string, ix, live, err)) < 0)
			return rc;
	}
	return 0;
}

static int plan_drops(pcf_plan *out, const char *table, const char *index, const cJSON *want,
                      const cJSON *have, pcf_error *err)
{
	char what[700];
	int rc;
	for (size_t d = 0; d < 2; d++) {
		const cJSON *h = get(have, pcf_table_scaling_dims[d].key);
		if (h == NULL || get(want, pcf_table_scaling_dims[d].key) != NULL)
			continue;
		rc = pcf_table_managed_step(out, "DeregisterScalableTarget",
		                            target_request(table, index, d, what, sizeof(what)),
		                            err, "%s: min %g, max %g -> not registered", what,
		                            num(h, "Min"), num(h, "Max"));
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pcf_table_plan_deregistrations(pcf_plan *out, const cJSON *want, const cJSON *current,
                                   const char *table, pcf_error *err)
{
	const cJSON *w = get(want, "AutoScaling"), *h = get(current, "AutoScaling"), *ix;
	int rc;

	if (!cJSON_IsObject(w) || !cJSON_IsObject(h))
		return 0;
	if ((rc = plan_drops(out, table, NULL, w, h, err)) < 0)
		return rc;
	cJSON_ArrayForEach(ix, get(h, "GlobalSecondaryIndexes"))
	{
		const cJSON *wi = get(get(w, "GlobalSecondaryIndexes"), ix->string);
		if ((rc = plan_drops(out, table, ix->string, wi, ix, err)) < 0)
			return rc;
	}
	return 0;
}

int pcf_table_is_autoscaling_action(const char *action)
{
	return action != NULL &&
	       (!strcmp(action, "RegisterScalableTarget") || !strcmp(action, "PutScalingPolicy") ||
	        !strcmp(action, "DeregisterScalableTarget"));
}

int pcf_table_run_autoscaling(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	const cJSON *want = pcf_particle_desired(p);
	cJSON *answer = NULL;
	pcf_aas *aas;
	int rc = pcf_services_autoscaling(&aas, pcf_particle_services(p),
	                                  pcf_table_str(want, "region_name"), err);

	if (rc == 0)
		rc = pcf_aas_execute(&answer, aas, step->action, step->request, err);
	cJSON_Delete(answer);
	/* Gone already (the table or index went with its targets): what was asked. */
	if (rc == PCF_ERESOURCE_NOT_FOUND && !strcmp(step->action, "DeregisterScalableTarget")) {
		pcf_error_clear(err);
		return 0;
	}
	if (pcf_table_feature_missing(rc, err))
		return pcf_error_prefix(err,
		                        "AutoScaling of table %s: the server does not support "
		                        "Application Auto Scaling",
		                        pcf_table_str(want, "TableName"));
	if (rc < 0)
		pcf_error_prefix(err, "AutoScaling of table %s", pcf_table_str(want, "TableName"));
	return rc;
}
