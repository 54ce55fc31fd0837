/*
 * The settings of a replica that only its own region holds: deletion
 * protection, point-in-time recovery, contributor insights and tags (on
 * the replica's ARN). The home region's DescribeTable does not answer
 * them, and the service refuses them through another region's endpoint,
 * so each is read with the client pcf_services keeps for that region.
 *
 * Deletion protection is always read (a replica the definition drops must
 * not be deleted while it is protected); the rest only when the
 * definition's replica names it, so a definition that does not care costs
 * no calls, as for the table's own settings (ops.c).
 */
#include "replicas.h"

#include <string.h>

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

typedef struct region_read {
	pcf_ddb *db;
	const char *table;
	const char *region;
	cJSON *replica; /* the normalised live replica that receives the settings */
	int all;        /* export: read everything, skip what the server lacks */
	pcf_error *err;
} region_read;

/* A server without the feature (export only) leaves the field out. */
static int lacking(const region_read *r, int rc)
{
	if (rc == PCF_EUNKNOWN_OPERATION && r->all) {
		pcf_error_clear(r->err);
		return 1;
	}
	return 0;
}

static int read_protection(region_read *r)
{
	cJSON *desc = NULL;
	int rc = pcf_ddb_describe_table(&desc, r->db, r->table, r->err);
	const char *arn = pcf_table_str(desc, "TableArn");

	if (rc < 0)
		return rc;
	if (!cJSON_AddBoolToObject(r->replica, "DeletionProtectionEnabled",
	                           pcf_table_bool(desc, "DeletionProtectionEnabled") == 1) ||
	    (arn != NULL && !cJSON_AddStringToObject(r->replica, "ReplicaArn", arn)))
		rc = pcf_error_set(r->err, PCF_ENOMEM, "out of memory");
	cJSON_Delete(desc);
	return rc;
}

static int read_pitr(region_read *r)
{
	cJSON *answer = NULL, *spec;
	const char *status;
	int rc = pcf_ddb_describe_continuous_backups(&answer, r->db, r->table, r->err);

	if (rc < 0)
		return lacking(r, rc) ? 0 : rc;
	status = pcf_table_str(get(answer, "PointInTimeRecoveryDescription"),
	                       "PointInTimeRecoveryStatus");
	spec = cJSON_AddObjectToObject(r->replica, "PointInTimeRecoverySpecification");
	if (spec == NULL || !cJSON_AddBoolToObject(spec, "PointInTimeRecoveryEnabled",
	                                           status != NULL && !strcmp(status, "ENABLED")))
		rc = pcf_error_set(r->err, PCF_ENOMEM, "out of memory");
	cJSON_Delete(answer);
	return rc;
}

static int read_insights(region_read *r)
{
	cJSON *request = cJSON_CreateObject(), *answer = NULL, *spec;
	const char *status;
	int rc;

	if (request == NULL || !cJSON_AddStringToObject(request, "TableName", r->table)) {
		cJSON_Delete(request);
		return pcf_error_set(r->err, PCF_ENOMEM, "out of memory");
	}
	rc = pcf_ddb_execute(&answer, r->db, "DescribeContributorInsights", request, r->err);
	cJSON_Delete(request);
	if (rc < 0)
		return lacking(r, rc) ? 0 : rc;
	status = pcf_table_str(answer, "ContributorInsightsStatus");
	spec = cJSON_AddObjectToObject(r->replica, "ContributorInsightsSpecification");
	if (spec == NULL || !cJSON_AddBoolToObject(spec, "Enabled",
	                                           status != NULL && (!strcmp(status, "ENABLED") ||
	                                                              !strcmp(status, "ENABLING"))))
		rc = pcf_error_set(r->err, PCF_ENOMEM, "out of memory");
	cJSON_Delete(answer);
	return rc;
}

static int read_tags(region_read *r)
{
	const char *arn = pcf_table_str(r->replica, "ReplicaArn");
	cJSON *tags = NULL;
	int rc;

	if (arn == NULL)
		return pcf_error_set(r->err, PCF_EBADRESPONSE,
		                     "DescribeTable in %s answered no TableArn", r->region);
	rc = pcf_ddb_list_tags_of_resource(&tags, r->db, arn, r->err);
	if (rc < 0)
		return lacking(r, rc) ? 0 : rc;
	if (!cJSON_AddItemToObject(r->replica, "Tags", tags)) {
		cJSON_Delete(tags);
		return pcf_error_set(r->err, PCF_ENOMEM, "out of memory");
	}
	return 0;
}

static int read_region(region_read *r, const cJSON *wanted)
{
	int rc = read_protection(r);

	if (rc == 0 && (r->all || get(wanted, "PointInTimeRecoverySpecification") != NULL))
		rc = read_pitr(r);
	if (rc == 0 && (r->all || get(wanted, "ContributorInsightsSpecification") != NULL))
		rc = read_insights(r);
	if (rc == 0 && (r->all || get(wanted, "Tags") != NULL))
		rc = read_tags(r);
	if (rc < 0)
		pcf_error_prefix(r->err, "replica %s", r->region);
	return rc;
}

int pcf_table_replicas_read(cJSON *current, const cJSON *want, pcf_services *services,
                            pcf_error *err)
{
	cJSON *replica;
	int rc;

	if (want != NULL && get(want, "Replicas") == NULL)
		return 0;
	cJSON_ArrayForEach(replica, cJSON_GetObjectItemCaseSensitive(current, "Replicas"))
	{
		const char *status = pcf_table_str(replica, "ReplicaStatus");
		region_read r = {NULL,
		                 pcf_table_str(current, "TableName"),
		                 pcf_table_str(replica, "RegionName"),
		                 replica,
		                 want == NULL,
		                 err};
		if (r.region == NULL || status == NULL || strcmp(status, "ACTIVE") != 0)
			continue;
		if ((rc = pcf_services_ddb(&r.db, services, r.region, err)) < 0)
			return rc;
		rc = read_region(&r, want != NULL ? pcf_table_find_named(get(want, "Replicas"),
		                                                         "RegionName", r.region)
		                                  : NULL);
		if (rc < 0)
			return rc;
	}
	return 0;
}
