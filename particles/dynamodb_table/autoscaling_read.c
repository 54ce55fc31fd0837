/*
 * AutoScaling, read: the table's scalable targets and their target
 * tracking policies folded into the definition's shape,
 *   AutoScaling: {ReadCapacity: {Min, Max, TargetUtilization, PolicyName}, ...,
 *                 GlobalSecondaryIndexes: {I: {...}}}
 * PolicyName is kept so that a change updates the policy that exists
 * (made by the console, say) instead of adding a second one; export drops
 * it. A target without a target tracking policy has no TargetUtilization.
 */
#include "scaling.h"

#include <string.h>

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* The index a ResourceId names: "" for the table itself, NULL for another table. */
static const char *index_of(const char *resource, const char *table)
{
	size_t n = strlen(table);
	if (resource == NULL || strncmp(resource, "table/", 6) != 0 ||
	    strncmp(resource + 6, table, n) != 0)
		return NULL;
	resource += 6 + n;
	if (*resource == '\0')
		return "";
	return strncmp(resource, "/index/", 7) == 0 && resource[7] != '\0' ? resource + 7 : NULL;
}

/* The object of out that holds index's capacities (made when missing). */
static cJSON *owner_of(cJSON *out, const char *index)
{
	cJSON *map, *owner;
	if (index[0] == '\0')
		return out;
	map = cJSON_GetObjectItemCaseSensitive(out, "GlobalSecondaryIndexes");
	if (map == NULL && (map = cJSON_AddObjectToObject(out, "GlobalSecondaryIndexes")) == NULL)
		return NULL;
	owner = cJSON_GetObjectItemCaseSensitive(map, index);
	return owner != NULL ? owner : cJSON_AddObjectToObject(map, index);
}

/* Which of pcf_table_scaling_dims a ScalableDimension is, or -1. */
static int dim_of(const char *dimension, const char *index)
{
	char want[96];
	for (size_t d = 0; d < 2 && dimension != NULL; d++) {
		pcf_table_scaling_dimension(want, sizeof(want), index[0] ? index : NULL, d);
		if (!strcmp(want, dimension))
			return (int)d;
	}
	return -1;
}

static int add_target(cJSON *out, const cJSON *t, const char *table)
{
	const char *index = index_of(pcf_table_str(t, "ResourceId"), table);
	int d = index != NULL ? dim_of(pcf_table_str(t, "ScalableDimension"), index) : -1;
	const cJSON *min = get(t, "MinCapacity"), *max = get(t, "MaxCapacity");
	cJSON *owner, *cap;

	if (d < 0 || !cJSON_IsNumber(min) || !cJSON_IsNumber(max))
		return 0;
	owner = owner_of(out, index);
	cap = owner != NULL ? cJSON_AddObjectToObject(owner, pcf_table_scaling_dims[d].key) : NULL;
	if (cap == NULL || !cJSON_AddNumberToObject(cap, "Min", min->valuedouble) ||
	    !cJSON_AddNumberToObject(cap, "Max", max->valuedouble))
		return -1;
	return 0;
}

/* Adds TargetUtilization and PolicyName from the first target tracking policy of each dim. */
static int add_policies(cJSON *owner, const cJSON *policies, const char *index)
{
	const cJSON *p;
	cJSON_ArrayForEach(p, policies)
	{
		const char *type = pcf_table_str(p, "PolicyType");
		const cJSON *conf = get(p, "TargetTrackingScalingPolicyConfiguration");
		const cJSON *value = get(conf, "TargetValue");
		int d = dim_of(pcf_table_str(p, "ScalableDimension"), index);
		cJSON *cap =
		    d >= 0 ? cJSON_GetObjectItemCaseSensitive(owner, pcf_table_scaling_dims[d].key)
		           : NULL;
		if (cap == NULL || type == NULL || strcmp(type, "TargetTrackingScaling") != 0 ||
		    !cJSON_IsNumber(value) || get(cap, "TargetUtilization") != NULL)
			continue;
		if (!cJSON_AddNumberToObject(cap, "TargetUtilization", value->valuedouble) ||
		    !cJSON_AddStringToObject(cap, "PolicyName", pcf_table_str(p, "PolicyName")))
			return -1;
	}
	return 0;
}

static int read_policies(pcf_aas *aas, cJSON *owner, const char *table, const char *index,
                         pcf_error *err)
{
	cJSON *policies = NULL;
	char resource[600];
	int rc;

	pcf_table_scaling_resource(resource, sizeof(resource), table, index[0] ? index : NULL);
	if ((rc = pcf_aas_describe_policies(&policies, aas, resource, err)) < 0)
		return rc;
	if (add_policies(owner, policies, index) < 0)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_Delete(policies);
	return rc;
}

static cJSON *resource_ids(const cJSON *current, const char *table)
{
	cJSON *ids = cJSON_CreateArray();
	const cJSON *ix;
	char resource[600];

	pcf_table_scaling_resource(resource, sizeof(resource), table, NULL);
	if (!cJSON_AddItemToArray(ids, cJSON_CreateString(resource)))
		goto fail;
	cJSON_ArrayForEach(ix, get(current, "GlobalSecondaryIndexes"))
	{
		pcf_table_scaling_resource(resource, sizeof(resource), table,
		                           pcf_table_str(ix, "IndexName"));
		if (!cJSON_AddItemToArray(ids, cJSON_CreateString(resource)))
			goto fail;
	}
	return ids;
fail:
	cJSON_Delete(ids);
	return NULL;
}

/* Whether the definition's AutoScaling asks for any capacity to be managed. */
static int uses_autoscaling(const cJSON *wanted)
{
	const cJSON *ix;
	if (get(wanted, "ReadCapacity") != NULL || get(wanted, "WriteCapacity") != NULL)
		return 1;
	cJSON_ArrayForEach(ix, get(wanted, "GlobalSecondaryIndexes"))
	{
		if (get(ix, "ReadCapacity") != NULL || get(ix, "WriteCapacity") != NULL)
			return 1;
	}
	return 0;
}

/* Folds targets and their policies into out. */
static int fold(pcf_table_live *live, pcf_aas *aas, cJSON *out, const cJSON *targets,
                pcf_error *err)
{
	const cJSON *t;
	cJSON *ix;
	int rc;

	cJSON_ArrayForEach(t, targets)
	{
		if (add_target(out, t, live->table) < 0)
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	if ((get(out, "ReadCapacity") != NULL || get(out, "WriteCapacity") != NULL) &&
	    (rc = read_policies(aas, out, live->table, "", err)) < 0)
		return rc;
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(out, "GlobalSecondaryIndexes"))
	{
		if ((rc = read_policies(aas, ix, live->table, ix->string, err)) < 0)
			return rc;
	}
	return 0;
}

int pcf_table_read_autoscaling(pcf_table_live *live, cJSON *current, const cJSON *want,
                               pcf_error *err)
{
	const cJSON *wanted = get(want, "AutoScaling");
	cJSON *targets = NULL, *ids = NULL, *out;
	pcf_aas *aas = NULL;
	int rc;

	if (wanted == NULL && !live->everything)
		return 0;
	if ((rc = pcf_services_autoscaling(&aas, live->services, live->region, err)) < 0)
		return rc;
	if ((ids = resource_ids(current, live->table)) == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = pcf_aas_describe_targets(&targets, aas, ids, err);
	cJSON_Delete(ids);
	if (pcf_table_feature_missing(rc, err) && uses_autoscaling(wanted))
		return pcf_error_prefix(err, "AutoScaling: the server does not support Application "
		                             "Auto Scaling, which the definition uses");
	if (pcf_table_feature_missing(rc, err))
		pcf_error_clear(err); /* nothing scales on a server without it */
	else if (rc < 0)
		return pcf_error_prefix(err, "reading AutoScaling");
	out = cJSON_AddObjectToObject(current, "AutoScaling");
	rc = out != NULL ? fold(live, aas, out, targets, err)
	                 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (rc < 0 && rc != PCF_ENOMEM)
		pcf_error_prefix(err, "reading AutoScaling");
	cJSON_Delete(targets);
	return rc;
}
