/*
 * Parallel Scan: one request per segment (Segment i of TotalSegments n),
 * all sent at once from this thread through pcf_ddb_execute_many. Every
 * round sends the next page of each segment that has one; the scan ends
 * when no segment does. The merged answer has the all-pages shape of
 * pcf_ddb_scan; items come segment after segment within each round.
 */
#include "ddb_internal.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

/* DynamoDB's limit on TotalSegments. */
#define MAX_SEGMENTS 1000000

static int segment_requests(cJSON **requests, const cJSON *request, int segments, pcf_error *err)
{
	for (int i = 0; i < segments; i++) {
		requests[i] = cJSON_Duplicate(request, 1);
		if (!requests[i])
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		cJSON_DeleteItemFromObjectCaseSensitive(requests[i], "Segment");
		cJSON_DeleteItemFromObjectCaseSensitive(requests[i], "TotalSegments");
		if (!cJSON_AddNumberToObject(requests[i], "Segment", i) ||
		    !cJSON_AddNumberToObject(requests[i], "TotalSegments", segments))
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return 0;
}

/* Sends one page of every live segment; finished segments get their request freed. */
static int scan_round(cJSON *total, pcf_ddb *db, cJSON **requests, int segments,
                      pcf_ddb_call *calls, pcf_error *err)
{
	const ddb_page_keys *keys = ddb_page_keys_find("Scan");
	size_t n = 0;
	int rc = 0;
	for (int i = 0; i < segments; i++) {
		if (!requests[i])
			continue;
		memset(&calls[n], 0, sizeof(calls[n]));
		calls[n].action = "Scan";
		calls[n].request = requests[i];
		n++;
	}
	if ((rc = pcf_ddb_execute_many(db, calls, n, 0, err)) < 0)
		return rc;
	for (size_t c = 0, i = 0; c < n; c++, i++) {
		while (!requests[i])
			i++;
		if (rc == 0 && calls[c].rc < 0) {
			if (err)
				*err = calls[c].error;
			rc = pcf_error_prefix(err, "segment %zu", i);
		}
		if (rc == 0 &&
		    (rc = ddb_page_accumulate(total, calls[c].response, keys, err)) == 0) {
			rc = ddb_page_advance(requests[i], calls[c].response, keys, err);
			if (rc == 0) {
				cJSON_Delete(requests[i]);
				requests[i] = NULL;
			}
			rc = rc > 0 ? 0 : rc;
		}
		cJSON_Delete(calls[c].response);
	}
	return rc;
}

static int any_live(cJSON *const *requests, int segments)
{
	for (int i = 0; i < segments; i++)
		if (requests[i])
			return 1;
	return 0;
}

int pcf_ddb_parallel_scan(cJSON **out, pcf_ddb *db, const cJSON *request, int segments,
                          pcf_error *err)
{
	cJSON **requests = NULL, *total = NULL;
	pcf_ddb_call *calls = NULL;
	int rc = 0;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (segments < 1 || segments > MAX_SEGMENTS)
		return pcf_error_set(err, PCF_EINVAL, "segments must be 1..%d", MAX_SEGMENTS);
	if (!cJSON_IsObject(request) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(request, "TableName")))
		return pcf_error_set(err, PCF_EINVAL, "Scan needs a request with a TableName");
	requests = calloc((size_t)segments, sizeof(*requests));
	calls = calloc((size_t)segments, sizeof(*calls));
	total = cJSON_CreateObject();
	if (!requests || !calls || !total || !cJSON_AddArrayToObject(total, "Items")) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = segment_requests(requests, request, segments, err)) < 0)
		goto out;
	while (rc == 0 && any_live(requests, segments))
		rc = scan_round(total, db, requests, segments, calls, err);
	if (rc == 0) {
		*out = total;
		total = NULL;
	}
out:
	for (int i = 0; requests && i < segments; i++)
		cJSON_Delete(requests[i]);
	free(requests);
	free(calls);
	cJSON_Delete(total);
	return rc;
}
