/*
 * Ensure-exists for a table, for the layers above the client that need
 * more than pcf_ddb_ensure_table says: their own poll interval, and which
 * step failed, so that a caller can name the failure in its own words
 * (the configuration store's TableNotCreated and TableNotReady).
 */
#ifndef PCF_DDB_ENSURE_H
#define PCF_DDB_ENSURE_H

#include <cjson/cJSON.h>
#include <pcf/dynamodb.h>

/* The step of an ensure that failed. */
typedef enum pcf_ddb_ensure_step {
	PCF_DDB_ENSURE_LOOK,   /* DescribeTable, or waiting out a deletion */
	PCF_DDB_ENSURE_CREATE, /* CreateTable */
	PCF_DDB_ENSURE_KEYS,   /* the table's key schema is not the request's */
	PCF_DDB_ENSURE_WAIT    /* waiting for ACTIVE */
} pcf_ddb_ensure_step;

/*
 * pcf_ddb_ensure_table with a poll interval (<= 0: 250 ms). On failure
 * *failed (may be NULL) gets the step that failed.
 */
int pcf_ddb_ensure_table_steps(cJSON **out, pcf_ddb_ensure_step *failed, pcf_ddb *db,
                               const cJSON *create_request, long interval_ms, long timeout_ms,
                               pcf_error *err);

/*
 * 0 when the DescribeTable "Table" object has the key schema (HASH and
 * RANGE attribute names and their types) of create_request, else
 * PCF_ESCHEMA with a message naming the key found and the key expected.
 */
int ddb_key_schema_check(const cJSON *table, const cJSON *create_request, pcf_error *err);

#endif
