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
 * is, and the client itself holds only settings fixed at creation;
 * pcf_ddb_set_batch_retry is the one setter and belongs before sharing).
 * A pager belongs to one thread. Many requests in flight from one thread
 * go through pcf_ddb_execute_many (and the batch and parallel-scan calls,
 * which use it); the cap is the transport's max_connections
 * (DYNAMODB_MAX_CLIENTS, default 100).
 *
 * Errors: service errors keep their own codes (a failed ConditionExpression
 * is PCF_ECONDITIONAL_CHECK_FAILED, a missing table
 * PCF_ERESOURCE_NOT_FOUND); a body that is not a JSON object is
 * PCF_EBADRESPONSE; a C argument or params member that is malformed is
 * PCF_EINVAL and never reaches the network.
 */
#ifndef PCF_DYNAMODB_H
#define PCF_DYNAMODB_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/export.h>
#include <pcf/aws.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcf_ddb pcf_ddb;

/* Creates a client and its transport from options (may be NULL: defaults). */
PCF_EXTERN int pcf_ddb_new(pcf_ddb **out, const pcf_aws_options *options, pcf_error *err);
PCF_EXTERN void pcf_ddb_free(pcf_ddb *db);
/* The transport underneath; owned by db. */
PCF_EXTERN pcf_aws_client *pcf_ddb_transport(pcf_ddb *db);

/* Any action: sends request (NULL: {}) and returns the whole response. */
PCF_EXTERN int pcf_ddb_execute(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request,
                               pcf_error *err);

/* One request of pcf_ddb_execute_many. */
typedef struct pcf_ddb_call {
	const char *action;   /* in: e.g. "GetItem" */
	const cJSON *request; /* in, borrowed; NULL means {} */
	cJSON *response;      /* out: the whole response when rc == 0; caller frees */
	int rc;               /* out: 0 or a PCF_E code */
	pcf_error error;      /* out: the detail when rc != 0 */
} pcf_ddb_call;

/*
 * Sends every call concurrently from this one thread, at most max_in_flight
 * at once (0: the transport's max_connections, i.e. DYNAMODB_MAX_CLIENTS or
 * 100). Returns 0 when the batch ran (each call's rc says how it went) or a
 * PCF_E code when it could not run at all (then no response is set).
 */
PCF_EXTERN int pcf_ddb_execute_many(pcf_ddb *db, pcf_ddb_call *calls, size_t count,
                                    int max_in_flight, pcf_error *err);

/*
 * Control plane. *out is the response's "TableDescription"/"Table" object
 * (the create/update/delete calls and the TTL and backup updates accept
 * out == NULL when the answer is not wanted); the caller frees *out with
 * cJSON_Delete. create_table/update_table take the whole request,
 * TableName included.
 */
PCF_EXTERN int pcf_ddb_create_table(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
PCF_EXTERN int pcf_ddb_describe_table(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err);
PCF_EXTERN int pcf_ddb_update_table(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
PCF_EXTERN int pcf_ddb_delete_table(cJSON **out, pcf_ddb *db, const char *table, pcf_error *err);
/* Every table name, following LastEvaluatedTableName; *out is a JSON array of strings. */
PCF_EXTERN int pcf_ddb_list_tables(cJSON **out, pcf_ddb *db, pcf_error *err);

PCF_EXTERN int pcf_ddb_tag_resource(pcf_ddb *db, const char *arn, const cJSON *tags,
                                    pcf_error *err);
PCF_EXTERN int pcf_ddb_untag_resource(pcf_ddb *db, const char *arn, const cJSON *tag_keys,
                                      pcf_error *err);
/* *out is the full list of {"Key","Value"} tags, every page. */
PCF_EXTERN int pcf_ddb_list_tags_of_resource(cJSON **out, pcf_ddb *db, const char *arn,
                                             pcf_error *err);
/* *out is the "TimeToLiveDescription" object. */
PCF_EXTERN int pcf_ddb_describe_time_to_live(cJSON **out, pcf_ddb *db, const char *table,
                                             pcf_error *err);
/* spec is a TimeToLiveSpecification {"Enabled":..,"AttributeName":..}. */
PCF_EXTERN int pcf_ddb_update_time_to_live(cJSON **out, pcf_ddb *db, const char *table,
                                           const cJSON *spec, pcf_error *err);
/* *out is the "ContinuousBackupsDescription" object. */
PCF_EXTERN int pcf_ddb_describe_continuous_backups(cJSON **out, pcf_ddb *db, const char *table,
                                                   pcf_error *err);
/* spec is a PointInTimeRecoverySpecification. */
PCF_EXTERN int pcf_ddb_update_continuous_backups(cJSON **out, pcf_ddb *db, const char *table,
                                                 const cJSON *spec, pcf_error *err);
PCF_EXTERN int pcf_ddb_describe_limits(cJSON **out, pcf_ddb *db, pcf_error *err);
PCF_EXTERN int pcf_ddb_describe_endpoints(cJSON **out, pcf_ddb *db, pcf_error *err);

/*
 * Items. key and item are in attribute-value form; see the value helpers
 * below. params (may be NULL) holds every other request member
 * (ConditionExpression, UpdateExpression, ExpressionAttributeNames/Values,
 * ReturnValues, ReturnConsumedCapacity, ConsistentRead, ...); a member that
 * repeats TableName/Key/Item is PCF_EINVAL. *out (may be NULL) is the whole
 * response: GetItem's {"Item":{...}} or {} when there is no such item,
 * PutItem's {} or {"Attributes":...}, and so on.
 */
PCF_EXTERN int pcf_ddb_get_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
                                const cJSON *params, pcf_error *err);
PCF_EXTERN int pcf_ddb_put_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *item,
                                const cJSON *params, pcf_error *err);
PCF_EXTERN int pcf_ddb_update_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
                                   const cJSON *params, pcf_error *err);
PCF_EXTERN int pcf_ddb_delete_item(cJSON **out, pcf_ddb *db, const char *table, const cJSON *key,
                                   const cJSON *params, pcf_error *err);
/*
 * Plain-JSON shortcuts: the key/item are plain JSON (see the value rules).
 * *out is the item as plain JSON, or NULL with 0 returned when there is none.
 */
PCF_EXTERN int pcf_ddb_get_item_json(cJSON **out, pcf_ddb *db, const char *table,
                                     const cJSON *plain_key, const cJSON *params, pcf_error *err);
PCF_EXTERN int pcf_ddb_put_item_json(pcf_ddb *db, const char *table, const cJSON *plain_item,
                                     const cJSON *params, pcf_error *err);
/* request is the whole TransactGetItems / TransactWriteItems request; *out the response. */
PCF_EXTERN int pcf_ddb_transact_get_items(cJSON **out, pcf_ddb *db, const cJSON *request,
                                          pcf_error *err);
PCF_EXTERN int pcf_ddb_transact_write_items(cJSON **out, pcf_ddb *db, const cJSON *request,
                                            pcf_error *err);

/*
 * Query and Scan. request is the whole request (TableName included).
 * pcf_ddb_query / pcf_ddb_scan follow LastEvaluatedKey through every page
 * and return {"Items":[...],"Count":n,"ScannedCount":m} (plus
 * "ConsumedCapacity":[one per page] when asked for). Limit, if given, is
 * the size of each page, not a total.
 */
PCF_EXTERN int pcf_ddb_query(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
PCF_EXTERN int pcf_ddb_scan(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err);
/*
 * Scans `segments` segments (1..1000000) concurrently from this thread,
 * following each segment's pages, and merges them into the shape above.
 */
PCF_EXTERN int pcf_ddb_parallel_scan(cJSON **out, pcf_ddb *db, const cJSON *request, int segments,
                                     pcf_error *err);

/*
 * Every page of a paged action ("Query", "Scan", "ListTables",
 * "ListTagsOfResource"), merged: the list (Items, TableNames, Tags) is
 * concatenated; Count and ScannedCount are summed.
 */
PCF_EXTERN int pcf_ddb_paginate_all(cJSON **out, pcf_ddb *db, const char *action,
                                    const cJSON *request, pcf_error *err);

/* One page at a time. */
typedef struct pcf_ddb_pager pcf_ddb_pager;
/* action is "Query", "Scan", "ListTables" or "ListTagsOfResource"; request is copied. */
PCF_EXTERN int pcf_ddb_pager_new(pcf_ddb_pager **out, pcf_ddb *db, const char *action,
                                 const cJSON *request, pcf_error *err);
/* *page receives the next page's response (caller frees); 0 with *page NULL means done. */
PCF_EXTERN int pcf_ddb_pager_next(cJSON **page, pcf_ddb_pager *pager, pcf_error *err);
PCF_EXTERN void pcf_ddb_pager_free(pcf_ddb_pager *pager);

/*
 * Batches. request_items is the RequestItems map of the API, any size: it
 * is split into legal chunks and UnprocessedItems / UnprocessedKeys are
 * resent with backoff. BatchGet's *out is {"Responses":{table:[items]}}.
 * *unprocessed (may be NULL) receives what remained when the retry budget
 * ran out, in RequestItems shape, or NULL when everything went through.
 *
 * Returns 0 only when everything went through. When the service still
 * left entries unprocessed after the last resend the result is
 * PCF_EPROVISIONED_THROUGHPUT_EXCEEDED (err->retryable set); when a chunk
 * failed outright (e.g. ValidationException) its error is returned and its
 * entries are part of *unprocessed. BatchGet's *out holds the items read
 * even then (an exception to the rule above; the caller frees it).
 */
PCF_EXTERN int pcf_ddb_batch_get_item(cJSON **out, cJSON **unprocessed, pcf_ddb *db,
                                      const cJSON *request_items, pcf_error *err);
PCF_EXTERN int pcf_ddb_batch_write_item(cJSON **unprocessed, pcf_ddb *db,
                                        const cJSON *request_items, pcf_error *err);

/*
 * The batch resend policy: at most max_resends rounds of resending what the
 * service left unprocessed, the first after base_delay_ms, doubling up to
 * max_delay_ms (half of each delay random). Defaults: 8, 50, 2000.
 * Not thread-safe: set it before sharing db.
 */
PCF_EXTERN int pcf_ddb_set_batch_retry(pcf_ddb *db, int max_resends, long base_delay_ms,
                                       long max_delay_ms, pcf_error *err);

/* Table helpers. */
typedef enum pcf_ddb_table_target {
	PCF_DDB_TABLE_ACTIVE, /* table and every GSI ACTIVE */
	PCF_DDB_TABLE_DELETED /* DescribeTable says ResourceNotFound */
} pcf_ddb_table_target;

/*
 * Polls DescribeTable every interval_ms until target, for at most timeout_ms.
 * Fails with PCF_ERESOURCE_NOT_FOUND (waiting for ACTIVE and the table is
 * gone), PCF_EREFUSED (waiting for ACTIVE and the table is DELETING),
 * PCF_EUNAVAILABLE (ARCHIVING, ARCHIVED, INACCESSIBLE_ENCRYPTION_CREDENTIALS)
 * or PCF_ETIMEDOUT (the message names what was still pending); a failing
 * DescribeTable returns its own error. *out (may be NULL) gets the last
 * description seen, also on failure.
 */
PCF_EXTERN int pcf_ddb_wait_table(cJSON **out, pcf_ddb *db, const char *table,
                                  pcf_ddb_table_target target, long interval_ms, long timeout_ms,
                                  pcf_error *err);

/*
 * Creates the table of create_request unless it exists, treating a
 * concurrent creator's ResourceInUseException as success, then waits for
 * ACTIVE. A table that is being deleted is waited out and created anew.
 * Fails with PCF_ESCHEMA when the existing key schema (key attribute names,
 * roles and types) differs, or as pcf_ddb_wait_table does; timeout_ms
 * bounds each wait. *out (may be NULL) gets the ACTIVE description.
 */
PCF_EXTERN int pcf_ddb_ensure_table(cJSON **out, pcf_ddb *db, const cJSON *create_request,
                                    long timeout_ms, pcf_error *err);

/*
 * Values: plain JSON <-> attribute values.
 *
 *   plain JSON                       attribute value
 *   "text"                           {"S":"text"}
 *   3, -1.5                          {"N":"3"}, {"N":"-1.5"}
 *   true / false                     {"BOOL":true} / {"BOOL":false}
 *   null                             {"NULL":true}
 *   [ ... ]                          {"L":[ ... ]}
 *   { ... }                          {"M":{ ... }}
 *   {"$N":"12345678901234567890"}    {"N":"12345678901234567890"}
 *   {"$B":"aGVsbG8="}                {"B":"aGVsbG8="}   (base64)
 *   {"$SS":["a","b"]}                {"SS":["a","b"]}
 *   {"$NS":["1","2.50"]}             {"NS":["1","2.50"]} (numbers also accepted)
 *   {"$BS":["aGk="]}                 {"BS":["aGk="]}
 *   {"$M":{...}} / {"$L":[...]}      {"M":{...}} / {"L":[...]} (contents plain)
 *   {"$S":..} {"$BOOL":..} {"$NULL":true}  the same types, spelled out
 *
 * A marker is an object with exactly one member named "$" + a type; any
 * other object is a map. A JSON number becomes its shortest exact text:
 * integers below 2^53 as digits, other values with 15 or, when needed, 17
 * significant digits. A number whose text a double would change (more
 * than 15-17 significant digits; DynamoDB keeps 38) comes back as
 * {"$N":"text"} and should be written that way (pcf_ddb_number). Going
 * back, B and sets come out as markers and a map whose only key looks like
 * a marker as {"$M":{...}}, so plain -> attribute value -> plain and
 * attribute value -> plain -> attribute value never lose anything.
 * Malformed input is PCF_EINVAL. *out is a new tree the caller frees.
 */
PCF_EXTERN int pcf_ddb_value_from_json(cJSON **out, const cJSON *plain, pcf_error *err);
PCF_EXTERN int pcf_ddb_value_to_json(cJSON **out, const cJSON *attribute_value, pcf_error *err);
/* A whole item: {"id":"a1","n":3} <-> {"id":{"S":"a1"},"n":{"N":"3"}}. */
PCF_EXTERN int pcf_ddb_item_from_json(cJSON **out, const cJSON *plain, pcf_error *err);
PCF_EXTERN int pcf_ddb_item_to_json(cJSON **out, const cJSON *item, pcf_error *err);
/*
 * A {"$N": text} marker for a number given as exact decimal text; NULL when
 * text is not a number (sign, digits, optional fraction and exponent) or on
 * out-of-memory. The caller owns the result (or the tree it is added to).
 */
PCF_EXTERN cJSON *pcf_ddb_number(const char *text);

#ifdef __cplusplus
}
#endif
#endif
