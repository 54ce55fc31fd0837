#include "it_ddb.h"

#include <criterion/criterion.h>

pcf_ddb *it_ddb_for(const char *endpoint)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;

	o.endpoint = endpoint;
	o.region = "us-east-1";
	cr_assert_eq(pcf_ddb_new(&db, &o, &err), 0, "%s", err.message);
	return db;
}

void it_ddb_set_read_units(pcf_ddb *db, const char *table, int read_units)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *req = cJSON_CreateObject(), *pt, *out = NULL;

	cJSON_AddStringToObject(req, "TableName", table);
	pt = cJSON_AddObjectToObject(req, "ProvisionedThroughput");
	cJSON_AddNumberToObject(pt, "ReadCapacityUnits", read_units);
	cJSON_AddNumberToObject(pt, "WriteCapacityUnits", 5);
	cr_assert_eq(pcf_ddb_update_table(&out, db, req, &err), 0, "%s", err.message);
	cJSON_Delete(out);
	cJSON_Delete(req);
}
