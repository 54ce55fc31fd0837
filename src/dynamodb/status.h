/*
 * DynamoDB table and index status -> what pcf may do with the table: the
 * one mapping the waiter and both DynamoDB flavors use (DESIGN.md, States).
 */
#ifndef PCF_DDB_STATUS_H
#define PCF_DDB_STATUS_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef enum pcf_ddb_status {
	PCF_DDB_STATUS_RUNNING,    /* ACTIVE, and so is every global secondary index */
	PCF_DDB_STATUS_PENDING,    /* changing, or a status we do not know: wait */
	PCF_DDB_STATUS_MISSING,    /* no such table */
	PCF_DDB_STATUS_UNAVAILABLE /* lost KMS key or archived: never acted on */
} pcf_ddb_status;

/*
 * Classifies a DescribeTable "Table" object; NULL (the table was not found)
 * is MISSING. Unless RUNNING, why (size why_size, may be NULL) gets what
 * the table waits on or why it is unavailable, e.g. "table t is CREATING"
 * or "index by_email is CREATING"; else "".
 */
pcf_ddb_status pcf_ddb_table_status(char *why, size_t why_size, const cJSON *table);

#endif
