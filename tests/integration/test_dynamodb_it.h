/*
 * Helpers shared by the DynamoDB client's integration tests (one binary
 * each): a client for a local server, JSON literals, throwaway tables.
 * Everything is static: each test binary includes this once.
 */
#ifndef PCF_TEST_DYNAMODB_IT_H
#define PCF_TEST_DYNAMODB_IT_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <pcf/pcf.h>

#include "servers.h"

/* Asserts rc == 0, printing the error's detail otherwise. */
#define IT_OK(expr, err)                                                                           \
	do {                                                                                       \
		int it_rc_ = (expr);                                                               \
		cr_assert_eq(it_rc_, 0, "%s: rc %d (%s) %s: %s", #expr, it_rc_,                    \
		             pcf_error_code_name(it_rc_), (err).aws_type, (err).message);          \
	} while (0)

static inline cJSON *it_json(const char *text)
{
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);
	cr_assert_not_null(j, "test JSON does not parse: %s", text);
	return j;
}

static inline pcf_ddb *it_client_at(const char *endpoint)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;
	o.endpoint = endpoint;
	o.region = "us-east-1";
	IT_OK(pcf_ddb_new(&db, &o, &err), err);
	return db;
}

static inline pcf_ddb *it_client(int kind)
{
	return it_client_at(pcf_test_endpoint((pcf_local_server_kind)kind));
}

/* A CreateTable request: key "pk" (S), plus sort key "sk" (N) when with_sort. */
static inline cJSON *it_table_request(const char *name, int with_sort)
{
	cJSON *req = it_json(
	    with_sort
	        ? "{\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"},"
	          "{\"AttributeName\":\"sk\",\"AttributeType\":\"N\"}],\"KeySchema\":["
	          "{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\","
	          "\"KeyType\":\"RANGE\"}],\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,"
	          "\"WriteCapacityUnits\":5}}"
	        : "{\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
	          "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
	          "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5}}");
	cJSON_AddStringToObject(req, "TableName", name);
	return req;
}

/* Creates a uniquely named table and waits until it is ACTIVE. */
static inline void it_create_table(pcf_ddb *db, char *name, size_t size, const char *prefix,
                                   int with_sort)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *req, *desc = NULL;
	pcf_test_table_name(name, size, prefix);
	req = it_table_request(name, with_sort);
	IT_OK(pcf_ddb_create_table(&desc, db, req, &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(desc, "TableName")->valuestring, name);
	cJSON_Delete(desc);
	cJSON_Delete(req);
	IT_OK(pcf_ddb_wait_table(NULL, db, name, PCF_DDB_TABLE_ACTIVE, 50, 60000, &err), err);
}

static inline void it_drop_table(pcf_ddb *db, const char *name)
{
	pcf_error err = PCF_ERROR_INIT;
	IT_OK(pcf_ddb_delete_table(NULL, db, name, &err), err);
}

#endif
