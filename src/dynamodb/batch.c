/*
 * BatchWriteItem and BatchGetItem over inputs of any size.
 *
 * Each round splits what is pending into legal chunks, sends them all at
 * once, and collects what the service left undone (UnprocessedItems /
 * UnprocessedKeys) as the next round's work, after a backoff that doubles
 * every round (with jitter). A chunk that fails outright is not resent:
 * its entries join the leftovers and its error is what the call returns.
 * When the resend budget is spent, the leftovers are handed back, exactly,
 * in RequestItems shape.
 */
#include "ddb_internal.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "src/common/util.h"

int ddb_batch_merge(cJSON *dst, const cJSON *src, int is_get);
int ddb_batch_count(const cJSON *request_items, int is_get);

typedef struct batch_run {
	const pcf_ddb *db;
	ddb_sender_fn send;
	void *payload;
	int is_get;
	const char *action;
	cJSON *pending;   /* RequestItems still to send */
	cJSON *failed;    /* entries of chunks that failed outright */
	cJSON *responses; /* BatchGet: table -> items */
	int rc;           /* the first outright failure */
	unsigned rng;
} batch_run;

static long backoff_ms(batch_run *r, int round)
{
	long delay = r->db->batch_base_delay_ms;
	for (int i = 0; i < round && delay < r->db->batch_max_delay_ms; i++)
		delay *= 2;
	if (delay > r->db->batch_max_delay_ms)
		delay = r->db->batch_max_delay_ms;
	/* Half fixed, half random, so that many clients do not resend in step. */
	r->rng = r->rng * 1103515245u + 12345u;
	return delay / 2 + (delay > 1 ? (long)(r->rng % (unsigned)(delay / 2 + 1)) : 0);
}

static int collect_items(batch_run *r, const cJSON *response)
{
	const cJSON *table, *el;
	cJSON_ArrayForEach(table, cJSON_GetObjectItemCaseSensitive(response, "Responses"))
	{
		cJSON *list = cJSON_GetObjectItemCaseSensitive(r->responses, table->string);
		if (!list && !(list = cJSON_AddArrayToObject(r->responses, table->string)))
			return PCF_ENOMEM;
		cJSON_ArrayForEach(el, table)
		{
			if (!cJSON_AddItemToArray(list, cJSON_Duplicate(el, 1)))
				return PCF_ENOMEM;
		}
	}
	return 0;
}

/* Takes one chunk's outcome into the run's state. */
static int take_outcome(batch_run *r, const cJSON *chunk, cJSON *response, int rc,
                        const pcf_error *chunk_err, pcf_error *err)
{
	const char *left = r->is_get ? "UnprocessedKeys" : "UnprocessedItems";
	if (rc < 0) {
		if (r->rc == 0) {
			r->rc = rc;
			if (err)
				*err = *chunk_err;
		}
		return ddb_batch_merge(r->failed, chunk, r->is_get);
	}
	if (r->is_get && collect_items(r, response) < 0)
		return PCF_ENOMEM;
	return ddb_batch_merge(r->pending, cJSON_GetObjectItemCaseSensitive(response, left),
	                       r->is_get);
}

static int wrap_requests(cJSON **requests, const cJSON *chunks, size_t n)
{
	const cJSON *chunk = chunks->child;
	for (size_t i = 0; i < n; i++, chunk = chunk->next) {
		requests[i] = cJSON_CreateObject();
		if (!requests[i] ||
		    !cJSON_AddItemToObject(requests[i], "RequestItems", cJSON_Duplicate(chunk, 1)))
			return PCF_ENOMEM;
	}
	return 0;
}

/* Sends everything pending once. */
static int batch_round(batch_run *r, pcf_error *err)
{
	cJSON *chunks = NULL, **requests = NULL, **responses = NULL;
	pcf_error *errors = NULL;
	int *rcs = NULL, rc;
	size_t n;
	rc = r->is_get ? ddb_batch_get_chunks(&chunks, r->pending, err)
	               : ddb_batch_write_chunks(&chunks, r->pending, err);
	if (rc < 0)
		return rc;
	cJSON_Delete(r->pending);
	r->pending = cJSON_CreateObject();
	n = (size_t)cJSON_GetArraySize(chunks);
	requests = calloc(n + 1, sizeof(*requests));
	responses = calloc(n + 1, sizeof(*responses));
	errors = calloc(n + 1, sizeof(*errors));
	rcs = calloc(n + 1, sizeof(*rcs));
	if (!r->pending || !requests || !responses || !errors || !rcs ||
	    wrap_requests(requests, chunks, n) < 0) {
		rc = PCF_ENOMEM;
		goto out;
	}
	if (n > 0 && (rc = r->send(responses, rcs, errors, r->action, requests, n, r->payload)) < 0)
		goto out;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = take_outcome(r, cJSON_GetArrayItem(chunks, (int)i), responses[i], rcs[i],
		                  &errors[i], err);
out:
	for (size_t i = 0; i < n; i++) {
		cJSON_Delete(requests ? requests[i] : NULL);
		cJSON_Delete(responses ? responses[i] : NULL);
	}
	free(requests);
	free(responses);
	free(errors);
	free(rcs);
	cJSON_Delete(chunks);
	return rc == PCF_ENOMEM ? pcf_error_set(err, PCF_ENOMEM, "out of memory") : rc;
}

/* What remains (pending + failed) into *unprocessed, and the call's result. */
static int batch_finish(batch_run *r, cJSON **unprocessed, int resends, pcf_error *err)
{
	int left, rc = r->rc;
	if (ddb_batch_merge(r->failed, r->pending, r->is_get) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	left = ddb_batch_count(r->failed, r->is_get);
	if (left > 0 && rc == 0) {
		rc = pcf_error_set(err, PCF_EPROVISIONED_THROUGHPUT_EXCEEDED,
		                   "%s: %d %s still unprocessed after %d resends", r->action, left,
		                   r->is_get ? "keys" : "write requests", resends);
		if (err)
			err->retryable = 1;
	} else if (rc < 0) {
		pcf_error_prefix(err, "%s: %d %s not processed", r->action, left,
		                 r->is_get ? "keys" : "write requests");
	}
	if (unprocessed && left > 0) {
		*unprocessed = r->failed;
		r->failed = NULL;
	}
	return rc;
}

static int batch_run_all(batch_run *r, cJSON **unprocessed, const cJSON *request_items,
                         pcf_error *err)
{
	int round = 0, rc;
	if (unprocessed)
		*unprocessed = NULL;
	if (!r->db || !r->send || !cJSON_IsObject(request_items))
		return pcf_error_set(err, PCF_EINVAL, "%s needs a RequestItems object", r->action);
	r->pending = cJSON_Duplicate(request_items, 1);
	r->failed = cJSON_CreateObject();
	r->rng = (unsigned)pcf_util_now_ms() ^ (unsigned)(size_t)r;
	if (!r->pending || !r->failed || (r->is_get && !r->responses))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	for (;;) {
		if ((rc = batch_round(r, err)) < 0)
			return rc;
		if (!r->pending->child || round >= r->db->batch_max_resends)
			break;
		pcf_util_sleep_ms(backoff_ms(r, round));
		round++;
	}
	return batch_finish(r, unprocessed, round, err);
}

int ddb_batch_write_run(cJSON **unprocessed, const pcf_ddb *db, ddb_sender_fn send, void *payload,
                        const cJSON *request_items, pcf_error *err)
{
	batch_run r;
	int rc;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.send = send;
	r.payload = payload;
	r.action = "BatchWriteItem";
	rc = batch_run_all(&r, unprocessed, request_items, err);
	cJSON_Delete(r.pending);
	cJSON_Delete(r.failed);
	return rc;
}

int ddb_batch_get_run(cJSON **out, cJSON **unprocessed, const pcf_ddb *db, ddb_sender_fn send,
                      void *payload, const cJSON *request_items, pcf_error *err)
{
	batch_run r;
	cJSON *result = NULL;
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	memset(&r, 0, sizeof(r));
	r.db = db;
	r.send = send;
	r.payload = payload;
	r.is_get = 1;
	r.action = "BatchGetItem";
	result = cJSON_CreateObject();
	if (result)
		r.responses = cJSON_AddObjectToObject(result, "Responses");
	rc = batch_run_all(&r, unprocessed, request_items, err);
	/* Items read before a failure are still handed back. */
	if (r.responses) {
		*out = result;
		result = NULL;
	}
	cJSON_Delete(result);
	cJSON_Delete(r.pending);
	cJSON_Delete(r.failed);
	return rc;
}

int pcf_ddb_batch_write_item(cJSON **unprocessed, pcf_ddb *db, const cJSON *request_items,
                             pcf_error *err)
{
	return ddb_batch_write_run(unprocessed, db, ddb_send_many, db, request_items, err);
}

int pcf_ddb_batch_get_item(cJSON **out, cJSON **unprocessed, pcf_ddb *db,
                           const cJSON *request_items, pcf_error *err)
{
	return ddb_batch_get_run(out, unprocessed, db, ddb_send_many, db, request_items, err);
}
