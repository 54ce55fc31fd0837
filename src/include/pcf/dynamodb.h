/*
 * The DynamoDB client: every action as a C call on the AWS transport.
 *
 * Requests and responses are cJSON trees in DynamoDB's own wire shape
 * (PascalCase, attribute values as {"S": ...}). Every action takes the
 * arguments it cannot do without as C parameters and everything else the
 * API defines through an optional `params` object that is merged into the
 * request (expressions, names and values maps, ReturnValues, Limit, ...).
 *
 * Ownership: `const cJSON *` parameters are borrowed. A `cJSON **out`
 * receives a new tree the caller frees with cJSON_Delete; on failure *out
 * is set to NULL. Strings from cJSON_Print are freed with cJSON_free.
 *
 * Thread-safety: a pcf_ddb is safe to share between threads (its transport
 * is); an iterator belongs to one thread.
 */
#ifndef PCF_DYNAMODB_H
#define PCF_DYNAMODB_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/aws.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcf_ddb pcf_ddb;

/* Creates a client and its transport from options (may be NULL: defaults). */
int pcf_ddb_new(pcf_ddb **out, const pcf_aws_options *options, pcf_error *err);
void pcf_ddb_free(pcf_ddb *db);
/* The transport underneath; owned by db. */
pcf_aws_client *pcf_ddb_transport(pcf_ddb *db);

/* Any action: sends request (NULL: {}) and returns the whole response. */
int pcf_ddb_execute(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request,
		    pcf_error *err);

/* Control plane. *out is the response's "TableDescription"/"Table" object. */
int pcf_ddb_create_table(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
int pcf_ddb_describe_table(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err);
int pcf_ddb_update_table(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
int pcf_ddb_delete_table(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err);
/* Every table name, following LastEvaluatedTableName; *out is a JSON array of strings. */
int pcf_ddb_list_tables(cJSON **out, pcf_ddb *db, pcf_error *err);

int pcf_ddb_tag_resource(pcf_ddb *db, const char *arn, const cJSON *tags, pcf_error *err);
int pcf_ddb_untag_resource(pcf_ddb *db, const char *arn, const cJSON *tag_keys, pcf_error *err);
/* *out is the full list of {"Key","Value"} tags, every page. */
int pcf_ddb_list_tags_of_resource(cJSON **out, pcf_ddb *db, const char *arn, pcf_error *err);
/* *out is the "TimeToLiveDescription" object. */
int pcf_ddb_describe_time_to_live(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err);
/* spec is a TimeToLiveSpecification {"Enabled":..,"AttributeName":..}. */
int pcf_ddb_update_time_to_live(cJSON **out, pcf_ddb *db, const char *table, const cJSON *spec,
				pcf_error *err);
/* *out is the "ContinuousBackupsDescription" object. */
int pcf_ddb_describe_continuous_backups(cJSON **out, pcf_ddb *db, const char *table,
					pcf_error *err);
/* spec is a PointInTimeRecoverySpecification. */
int pcf_ddb_update_continuous_backups(cJSON **out, pcf_ddb *db, const char *table,
				      const cJSON *spec, pcf_error *err);
int pcf_ddb_describe_limits(cJSON **out, pcf_ddb *db, pcf_error *err);
int pcf_ddb_describe_endpoints(cJSON **out, pcf_ddb *db, pcf_error *err);

/* Items. key and item are in attribute-value form; see the value helpers below. */
int pcf_ddb_get_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
		     const cJSON *params, pcf_error *err);
int pcf_ddb_put_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *item,
		     const cJSON *params, pcf_error *err);
int pcf_ddb_update_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
			const cJSON *params, pcf_error *err);
int pcf_ddb_delete_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
			const cJSON *params, pcf_error *err);
int pcf_ddb_transact_get_items(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
int pcf_ddb_transact_write_items(cJSON **out, pcf_ddb *db, const cJSON *request,
				 pcf_error *err);

/*
 * Query and Scan. request is the whole request (TableName included).
 * pcf_ddb_query / pcf_ddb_scan follow LastEvaluatedKey through every page
 * and return {"Items":[...],"Count":n,"ScannedCount":m}.
 */
int pcf_ddb_query(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
int pcf_ddb_scan(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
/* Scans `segments` segments concurrently and merges the items. */
int pcf_ddb_parallel_scan(cJSON **out, pcf_ddb *db, const cJSON *request, int segments,
			  pcf_error *err);

/* One page at a time. */
typedef struct pcf_ddb_pager pcf_ddb_pager;
/* action is "Query", "Scan" or "ListTables"; request is copied. */
int pcf_ddb_pager_new(pcf_ddb_pager **out, pcf_ddb *db, const char *action,
		      const cJSON *request, pcf_error *err);
/* *page receives the next page's response (caller frees); 0 with *page NULL means done. */
int pcf_ddb_pager_next(cJSON **page, pcf_ddb_pager *pager, pcf_error *err);
void pcf_ddb_pager_free(pcf_ddb_pager *pager);

/*
 * Batches. request_items is the RequestItems map of the API, any size: it
 * is split into legal chunks and UnprocessedItems / UnprocessedKeys are
 * resent with backoff. BatchGet's *out is {"Responses":{table:[items]}}.
 * *unprocessed (may be NULL) receives what remained when the retry budget
 * ran out, in RequestItems shape, or NULL when everything went through.
 */
int pcf_ddb_batch_get_item(cJSON **out, cJSON **unprocessed, pcf_ddb *db,
			   const cJSON *request_items, pcf_error *err);
int pcf_ddb_batch_write_item(cJSON **unprocessed, pcf_ddb *db, const cJSON *request_items,
			     pcf_error *err);

/* Table helpers. */
typedef enum pcf_ddb_table_target {
	PCF_DDB_TABLE_ACTIVE,   /* table and every GSI ACTIVE */
	PCF_DDB_TABLE_DELETED   /* DescribeTable says ResourceNotFound */
} pcf_ddb_table_target;

/*
 * Polls DescribeTable every interval_ms until target, for at most timeout_ms.
 * Fails with PCF_ERESOURCE_NOT_FOUND (waiting for ACTIVE and the table is
 * gone), PCF_EREFUSED (waiting for ACTIVE and the table is DELETING) or
 * PCF_ETIMEDOUT. *out (may be NULL) gets the last description.
 */
int pcf_ddb_wait_table(cJSON **out, pcf_ddb *db, const char *table, pcf_ddb_table_target target,
		       long interval_ms, long timeout_ms, pcf_error *err);

/*
 * Creates the table of create_request unless it exists, treating a
 * concurrent creator's ResourceInUseException as success, then waits for
 * ACTIVE. Fails with PCF_ESCHEMA when the existing key schema differs.
 */
int pcf_ddb_ensure_table(cJSON **out, pcf_ddb *db, const cJSON *create_request,
			 long timeout_ms, pcf_error *err);

/*
 * Values: plain JSON <-> attribute values. Numbers keep their exact decimal
 * text (cJSON numbers are printed without loss where they are integers; use
 * strings with pcf_ddb_number for exact decimals). Binary is base64 text.
 */
int pcf_ddb_value_from_json(cJSON **out, const cJSON *plain, pcf_error *err);
int pcf_ddb_value_to_json(cJSON **out, const cJSON *attribute_value, pcf_error *err);
/* A whole item: {"id":"a1","n":3} <-> {"id":{"S":"a1"},"n":{"N":"3"}}. */
int pcf_ddb_item_from_json(cJSON **out, const cJSON *plain, pcf_error *err);
int pcf_ddb_item_to_json(cJSON **out, const cJSON *item, pcf_error *err);

#ifdef __cplusplus
}
#endif
#endif
