/*
 * Internals of the DynamoDB client shared by its files and its unit tests.
 *
 * The loops that decide something (batch resends, table waits, paging) are
 * written against small function pointers so that unit tests can drive them
 * with scripted answers instead of a server; the public functions plug in
 * the real transport.
 */
#ifndef PCF_DDB_INTERNAL_H
#define PCF_DDB_INTERNAL_H

#include <stddef.h>

#include <pcf/dynamodb.h>

#include "ensure.h"

/* DynamoDB's request limits for the batch actions. */
#define DDB_BATCH_WRITE_MAX 25
#define DDB_BATCH_GET_MAX   100
#define DDB_BATCH_BYTES_MAX (16L * 1024 * 1024)

struct pcf_ddb {
	pcf_aws_client *transport;
	int batch_max_resends;    /* rounds of resending unprocessed work */
	long batch_base_delay_ms; /* first backoff; doubles every round */
	long batch_max_delay_ms;
};

/* Numbers: formats d as DynamoDB number text; fails on NaN and infinities. */
int ddb_number_format(char *buf, size_t size, double d);
/* 1 when text is a decimal number DynamoDB accepts (sign, digits, fraction, exponent). */
int ddb_number_text_valid(const char *text);

/*
 * Request building. Returns a new object holding every member of params
 * (may be NULL) added to base, which is consumed. A params member that
 * names a field the C arguments already set is refused with PCF_EINVAL.
 */
int ddb_request_merge(cJSON **out, cJSON *base, const cJSON *params, pcf_error *err);

/*
 * {"TableName": table}, plus a copy of value under key_name when key_name
 * is not NULL, merged with params as above.
 */
int ddb_request_table(cJSON **out, const char *table, const char *key_name, const cJSON *value,
                      const cJSON *params, pcf_error *err);

/* Sends request (NULL: {}) and parses the answer into *out. */
int ddb_call(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request, pcf_error *err);
/* Like ddb_call but consumes request. */
int ddb_call_take(cJSON **out, pcf_ddb *db, const char *action, cJSON *request, pcf_error *err);
/* Parses a response body; a malformed body is PCF_EBADRESPONSE. */
int ddb_parse_body(cJSON **out, const char *body, size_t len, pcf_error *err);
/* Detaches response[field] into *out and frees response (consumed). */
int ddb_take_field(cJSON **out, cJSON *response, const char *field, const char *action,
                   pcf_error *err);

/*
 * Batches. A sender sends a list of requests of one action concurrently
 * and fills responses[i] or rcs[i]/errors[i] for each.
 */
typedef int (*ddb_sender_fn)(cJSON **responses, int *rcs, pcf_error *errors, const char *action,
                             cJSON *const *requests, size_t count, void *payload);

/* Splits RequestItems into legal BatchWriteItem/BatchGetItem requests (an array). */
int ddb_batch_write_chunks(cJSON **out, const cJSON *request_items, pcf_error *err);
int ddb_batch_get_chunks(cJSON **out, const cJSON *request_items, pcf_error *err);

int ddb_batch_write_run(cJSON **unprocessed, const pcf_ddb *db, ddb_sender_fn send, void *payload,
                        const cJSON *request_items, pcf_error *err);
int ddb_batch_get_run(cJSON **out, cJSON **unprocessed, const pcf_ddb *db, ddb_sender_fn send,
                      void *payload, const cJSON *request_items, pcf_error *err);

/* The real sender: pcf_aws_call_many on db's transport (payload is the pcf_ddb). */
int ddb_send_many(cJSON **responses, int *rcs, pcf_error *errors, const char *action,
                  cJSON *const *requests, size_t count, void *payload);

/*
 * Table waits. What one DescribeTable answer means for a target:
 * DDB_WAIT_DONE, DDB_WAIT_PENDING (keep polling) or a negative PCF_E code.
 * rc is the DescribeTable result; table the "Table" object when rc == 0.
 * pending (size pending_size) gets what is not there yet, for the timeout message.
 */
#define DDB_WAIT_DONE    1
#define DDB_WAIT_PENDING 0
int ddb_wait_classify(int rc, const cJSON *table, pcf_ddb_table_target target, char *pending,
                      size_t pending_size, pcf_error *err);

/* Describes a table: rc as pcf_ddb_describe_table. */
typedef int (*ddb_describe_fn)(cJSON **table, const char *name, pcf_error *err, void *payload);

int ddb_wait_run(cJSON **out, ddb_describe_fn describe, void *payload, const char *table,
                 pcf_ddb_table_target target, long interval_ms, long timeout_ms, pcf_error *err);

/* Pagination: the request field that carries on from a response field. */
typedef struct ddb_page_keys {
	const char *action;
	const char *next_in_response; /* LastEvaluatedKey, ... */
	const char *start_in_request; /* ExclusiveStartKey, ... */
	const char *list_field;       /* Items, TableNames, Tags */
} ddb_page_keys;

const ddb_page_keys *ddb_page_keys_find(const char *action);
/*
 * Prepares request (owned) for the page after page: 1 when there is one,
 * 0 when page was the last, negative on failure.
 */
int ddb_page_advance(cJSON *request, const cJSON *page, const ddb_page_keys *keys, pcf_error *err);
/* Appends page's list and counts into total (an object in the all-pages shape). */
int ddb_page_accumulate(cJSON *total, const cJSON *page, const ddb_page_keys *keys, pcf_error *err);

#endif
