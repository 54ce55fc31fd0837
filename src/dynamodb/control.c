/*
 * Control-plane actions: tables, tags, TTL, continuous backups, limits,
 * endpoints. Each builds the smallest request, sends it through ddb_call
 * and hands back the part of the answer the caller asked for (the table
 * description rather than its envelope), so callers need not know the
 * envelope names.
 */
#include "ddb_internal.h"

#include <pcf/error.h>

/* Sends request (consumed) and hands back response[field]. */
static int call_field(cJSON **out, pcf_ddb *db, const char *action, cJSON *request,
                      const char *field, pcf_error *err)
{
	cJSON *response = NULL;
	int rc;
	if (out)
		*out = NULL;
	rc = ddb_call_take(&response, db, action, request, err);
	if (rc < 0)
		return rc;
	if (!out) {
		cJSON_Delete(response);
		return 0;
	}
	return ddb_take_field(out, response, field, action, err);
}

static int table_request(cJSON **out, const char *table, pcf_error *err)
{
	return ddb_request_table(out, table, NULL, NULL, NULL, err);
}

int pcf_ddb_create_table(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err)
{
	if (!cJSON_IsObject(request))
		return pcf_error_set(err, PCF_EINVAL, "CreateTable needs a request object");
	return call_field(out, db, "CreateTable", cJSON_Duplicate(request, 1), "TableDescription",
	                  err);
}

int pcf_ddb_update_table(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err)
{
	if (!cJSON_IsObject(request))
		return pcf_error_set(err, PCF_EINVAL, "UpdateTable needs a request object");
	return call_field(out, db, "UpdateTable", cJSON_Duplicate(request, 1), "TableDescription",
	                  err);
}

int pcf_ddb_describe_table(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err)
{
	cJSON *req = NULL;
	int rc = table_request(&req, table, err);
	if (rc < 0)
		return rc;
	return call_field(out, db, "DescribeTable", req, "Table", err);
}

int pcf_ddb_delete_table(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err)
{
	cJSON *req = NULL;
	int rc = table_request(&req, table, err);
	if (rc < 0)
		return rc;
	return call_field(out, db, "DeleteTable", req, "TableDescription", err);
}

int pcf_ddb_describe_time_to_live(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err)
{
	cJSON *req = NULL;
	int rc = table_request(&req, table, err);
	if (rc < 0)
		return rc;
	return call_field(out, db, "DescribeTimeToLive", req, "TimeToLiveDescription", err);
}

int pcf_ddb_update_time_to_live(cJSON **out, pcf_ddb *db, const char *table, const cJSON *spec,
                                pcf_error *err)
{
	cJSON *req = NULL;
	int rc = ddb_request_table(&req, table, "TimeToLiveSpecification", spec, NULL, err);
	if (rc < 0)
		return rc;
	return call_field(out, db, "UpdateTimeToLive", req, "TimeToLiveSpecification", err);
}

int pcf_ddb_describe_continuous_backups(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err)
{
	cJSON *req = NULL;
	int rc = table_request(&req, table, err);
	if (rc < 0)
		return rc;
	return call_field(out, db, "DescribeContinuousBackups", req, "ContinuousBackupsDescription",
	                  err);
}

int pcf_ddb_update_continuous_backups(cJSON **out, pcf_ddb *db, const char *table,
                                      const cJSON *spec, pcf_error *err)
{
	cJSON *req = NULL;
	int rc =
	    ddb_request_table(&req, table, "PointInTimeRecoverySpecification", spec, NULL, err);
	if (rc < 0)
		return rc;
	return call_field(out, db, "UpdateContinuousBackups", req, "ContinuousBackupsDescription",
	                  err);
}

int pcf_ddb_describe_limits(cJSON **out, pcf_ddb *db, pcf_error *err)
{
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	return ddb_call(out, db, "DescribeLimits", NULL, err);
}

int pcf_ddb_describe_endpoints(cJSON **out, pcf_ddb *db, pcf_error *err)
{
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	return ddb_call(out, db, "DescribeEndpoints", NULL, err);
}

/* {"ResourceArn": arn, name: copy of list}. */
static int arn_request(cJSON **out, const char *arn, const char *name, const cJSON *list,
                       pcf_error *err)
{
	cJSON *req;
	*out = NULL;
	if (!arn || !*arn)
		return pcf_error_set(err, PCF_EINVAL, "a resource ARN is required");
	if (name && !cJSON_IsArray(list))
		return pcf_error_set(err, PCF_EINVAL, "%s must be a JSON array", name);
	req = cJSON_CreateObject();
	if (!req || !cJSON_AddStringToObject(req, "ResourceArn", arn) ||
	    (name && !cJSON_AddItemToObject(req, name, cJSON_Duplicate(list, 1)))) {
		cJSON_Delete(req);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = req;
	return 0;
}

int pcf_ddb_tag_resource(pcf_ddb *db, const char *arn, const cJSON *tags, pcf_error *err)
{
	cJSON *req = NULL;
	int rc = arn_request(&req, arn, "Tags", tags, err);
	if (rc < 0)
		return rc;
	return ddb_call_take(NULL, db, "TagResource", req, err);
}

int pcf_ddb_untag_resource(pcf_ddb *db, const char *arn, const cJSON *tag_keys, pcf_error *err)
{
	cJSON *req = NULL;
	int rc = arn_request(&req, arn, "TagKeys", tag_keys, err);
	if (rc < 0)
		return rc;
	return ddb_call_take(NULL, db, "UntagResource", req, err);
}

/* Runs a paged action to the end and hands back its merged list field. */
static int all_pages_list(cJSON **out, pcf_ddb *db, const char *action, cJSON *request,
                          const char *field, pcf_error *err)
{
	cJSON *total = NULL;
	int rc;
	*out = NULL;
	rc = pcf_ddb_paginate_all(&total, db, action, request, err);
	cJSON_Delete(request);
	if (rc < 0)
		return rc;
	return ddb_take_field(out, total, field, action, err);
}

int pcf_ddb_list_tags_of_resource(cJSON **out, pcf_ddb *db, const char *arn, pcf_error *err)
{
	cJSON *req = NULL;
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if ((rc = arn_request(&req, arn, NULL, NULL, err)) < 0)
		return rc;
	return all_pages_list(out, db, "ListTagsOfResource", req, "Tags", err);
}

int pcf_ddb_list_tables(cJSON **out, pcf_ddb *db, pcf_error *err)
{
	cJSON *req;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!(req = cJSON_CreateObject()))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return all_pages_list(out, db, "ListTables", req, "TableNames", err);
}
