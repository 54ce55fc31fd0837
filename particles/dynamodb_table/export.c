/*
 * Export: a live table as a particle definition that reproduces it.
 *
 * The export is the normalised live table (the same tree the diff compares
 * against) minus the server's identity fields, minus everything that is a
 * server default or a disabled feature. Leaving those out keeps the
 * output short and portable: applying it on a server without tags or PITR
 * works, and applying it to the table it came from shows no drift because
 * the normaliser spells the same defaults out on the live side.
 */
#include "replicas.h"
#include "managed.h"

#include <string.h>

static int unsupported(int rc, pcf_error *err, cJSON **answer)
{
	if (rc != PCF_EUNKNOWN_OPERATION)
		return rc;
	pcf_error_clear(err);
	cJSON_Delete(*answer);
	*answer = NULL;
	return 0;
}

static int read_live(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err)
{
	cJSON *desc = NULL, *ttl = NULL, *backups = NULL, *tags = NULL;
	const char *arn;
	int rc;

	*out = NULL;
	if ((rc = pcf_ddb_describe_table(&desc, db, table, err)) < 0)
		return rc;
	arn = pcf_table_str(desc, "TableArn");
	rc = unsupported(pcf_ddb_describe_time_to_live(&ttl, db, table, err), err, &ttl);
	if (rc == 0)
		rc = unsupported(pcf_ddb_describe_continuous_backups(&backups, db, table, err), err,
		                 &backups);
	if (rc == 0 && arn != NULL)
		rc = unsupported(pcf_ddb_list_tags_of_resource(&tags, db, arn, err), err, &tags);
	if (rc == 0 && (*out = pcf_table_normalize(desc, ttl, backups, tags)) == NULL)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_Delete(desc);
	cJSON_Delete(ttl);
	cJSON_Delete(backups);
	cJSON_Delete(tags);
	return rc;
}

/* Removes key when the value of its member `flag` (or itself) is false. */
static void drop_when_off(cJSON *r, const char *key, const char *flag)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, key);
	int on = flag != NULL ? pcf_table_bool(v, flag) : cJSON_IsTrue(v);
	if (v != NULL && on != 1)
		cJSON_DeleteItemFromObjectCaseSensitive(r, key);
}

static void drop_defaults(cJSON *r)
{
	const char *cls = pcf_table_str(r, "TableClass");
	for (size_t i = 0; pcf_table_server_fields[i] != NULL; i++)
		cJSON_DeleteItemFromObjectCaseSensitive(r, pcf_table_server_fields[i]);
	if (cls != NULL && !strcmp(cls, "STANDARD"))
		cJSON_DeleteItemFromObjectCaseSensitive(r, "TableClass");
	drop_when_off(r, "DeletionProtectionEnabled", NULL);
	drop_when_off(r, "StreamSpecification", "StreamEnabled");
	drop_when_off(r, "SSESpecification", "Enabled");
	drop_when_off(r, "TimeToLiveSpecification", "Enabled");
	drop_when_off(r, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled");
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "Tags")) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(r, "Tags");
}

int pcf_table_export(cJSON **out, pcf_services *services, const char *table, const char *region,
                     pcf_error *err)
{
	cJSON *resource = NULL, *particle = NULL;
	pcf_ddb *db;
	int rc;

	*out = NULL;
	if (table == NULL || table[0] == '\0')
		return pcf_error_set(err, PCF_EINVAL, "export needs a table name");
	if ((rc = pcf_services_ddb(&db, services, region, err)) < 0)
		return rc;
	if ((rc = read_live(&resource, db, table, err)) < 0 ||
	    (rc = pcf_table_replicas_read(resource, NULL, services, err)) < 0 ||
	    (rc = pcf_table_export_managed(resource, services, db, region, err)) < 0) {
		cJSON_Delete(resource);
		pcf_error_prefix(err, "export %s", table);
		return rc;
	}
	drop_defaults(resource);
	pcf_table_replicas_export_clean(resource);
	particle = cJSON_CreateObject();
	if (particle == NULL || !cJSON_AddStringToObject(particle, "pcf_name", table) ||
	    !cJSON_AddStringToObject(particle, "flavor", "dynamodb_table") ||
	    !cJSON_AddStringToObject(particle, "desired_state", "running") ||
	    (region != NULL && !cJSON_AddStringToObject(resource, "region_name", region)) ||
	    !cJSON_AddItemToObject(particle, "aws_resource", resource)) {
		cJSON_Delete(resource);
		cJSON_Delete(particle);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = particle;
	return 0;
}
