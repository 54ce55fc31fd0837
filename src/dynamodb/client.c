/*
 * The DynamoDB client handle and the one path every action takes: print
 * the request tree, hand it to the AWS transport, parse the answer.
 *
 * The handle holds nothing but the transport and the batch retry policy,
 * both fixed after creation, so sharing it between threads is as safe as
 * the transport is. Many requests from one thread go through
 * pcf_ddb_execute_many, which rides on pcf_aws_call_many.
 */
#include "ddb_internal.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

int pcf_ddb_new(pcf_ddb **out, const pcf_aws_options *options, pcf_error *err)
{
	pcf_aws_options defaults = PCF_AWS_OPTIONS_INIT;
	pcf_ddb *db;
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!(db = calloc(1, sizeof(*db))))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = pcf_aws_client_new(&db->transport, options ? options : &defaults, err);
	if (rc < 0) {
		free(db);
		return rc;
	}
	db->batch_max_resends = 8;
	db->batch_base_delay_ms = 50;
	db->batch_max_delay_ms = 2000;
	*out = db;
	return 0;
}

void pcf_ddb_free(pcf_ddb *db)
{
	if (!db)
		return;
	pcf_aws_client_free(db->transport);
	free(db);
}

pcf_aws_client *pcf_ddb_transport(pcf_ddb *db)
{
	return db ? db->transport : NULL;
}

int pcf_ddb_set_batch_retry(pcf_ddb *db, int max_resends, long base_delay_ms, long max_delay_ms,
                            pcf_error *err)
{
	if (!db || max_resends < 0 || base_delay_ms < 0 || max_delay_ms < base_delay_ms)
		return pcf_error_set(err, PCF_EINVAL, "invalid batch retry policy");
	db->batch_max_resends = max_resends;
	db->batch_base_delay_ms = base_delay_ms;
	db->batch_max_delay_ms = max_delay_ms;
	return 0;
}

int ddb_parse_body(cJSON **out, const char *body, size_t len, pcf_error *err)
{
	const char *end = NULL;
	*out = NULL;
	/* An empty 200 answer means an empty result; dynalite answers the
	 * actions that return nothing (TagResource, UntagResource) with "". */
	if (!body || len == 0 || (len == 2 && body[0] == '"' && body[1] == '"')) {
		*out = cJSON_CreateObject();
		return *out ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	/* Only white space may follow the object. */
	while (*out && end && end < body + len && strchr(" \t\r\n", *end) && *end)
		end++;
	if (!*out || !cJSON_IsObject(*out) || !end || end != body + len) {
		size_t at = (end && end >= body) ? (size_t)(end - body) : 0;
		cJSON_Delete(*out);
		*out = NULL;
		return pcf_error_set(err, PCF_EBADRESPONSE,
		                     "response is not a JSON object (error at byte %zu of %zu)", at,
		                     len);
	}
	return 0;
}

int ddb_call(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request, pcf_error *err)
{
	pcf_aws_response resp;
	char *body = NULL;
	int rc;
	if (out)
		*out = NULL;
	if (!db || !action || !*action)
		return pcf_error_set(err, PCF_EINVAL, "a client and an action are required");
	if (request && !cJSON_IsObject(request))
		return pcf_error_set(err, PCF_EINVAL, "%s: the request must be a JSON object",
		                     action);
	body = request ? cJSON_PrintUnformatted(request) : NULL;
	if (request && !body)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	memset(&resp, 0, sizeof(resp));
	rc = pcf_aws_call(&resp, db->transport, action, body ? body : "{}", body ? strlen(body) : 2,
	                  err);
	cJSON_free(body);
	if (rc < 0)
		return rc;
	if (out) {
		rc = ddb_parse_body(out, resp.body, resp.len, err);
		if (rc < 0)
			pcf_error_prefix(err, "%s", action);
	}
	pcf_aws_response_free(&resp);
	return rc;
}

int ddb_call_take(cJSON **out, pcf_ddb *db, const char *action, cJSON *request, pcf_error *err)
{
	int rc = ddb_call(out, db, action, request, err);
	cJSON_Delete(request);
	return rc;
}

int ddb_take_field(cJSON **out, cJSON *response, const char *field, const char *action,
                   pcf_error *err)
{
	*out = cJSON_DetachItemFromObjectCaseSensitive(response, field);
	cJSON_Delete(response);
	if (!*out)
		return pcf_error_set(err, PCF_EBADRESPONSE, "%s: the response has no %s", action,
		                     field);
	return 0;
}

int pcf_ddb_execute(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request,
                    pcf_error *err)
{
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	return ddb_call(out, db, action, request, err);
}

static void call_reset(pcf_ddb_call *calls, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		calls[i].response = NULL;
		calls[i].rc = 0;
		pcf_error_clear(&calls[i].error);
	}
}

int pcf_ddb_execute_many(pcf_ddb *db, pcf_ddb_call *calls, size_t count, int max_in_flight,
                         pcf_error *err)
{
	pcf_aws_call_spec *specs = NULL;
	char **bodies = NULL;
	int rc = 0;
	if (!db || (!calls && count > 0) || max_in_flight < 0)
		return pcf_error_set(err, PCF_EINVAL, "invalid arguments to execute_many");
	if (count == 0)
		return 0;
	call_reset(calls, count);
	specs = calloc(count, sizeof(*specs));
	bodies = calloc(count, sizeof(*bodies));
	if (!specs || !bodies) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		bodies[i] = calls[i].request ? cJSON_PrintUnformatted(calls[i].request) : NULL;
		if (!calls[i].action || (calls[i].request && !bodies[i])) {
			rc = pcf_error_set(err, calls[i].action ? PCF_ENOMEM : PCF_EINVAL,
			                   "call %zu could not be prepared", i);
			goto out;
		}
		specs[i].action = calls[i].action;
		specs[i].body = bodies[i] ? bodies[i] : "{}";
		specs[i].len = strlen(specs[i].body);
	}
	rc = pcf_aws_call_many(db->transport, specs, count, max_in_flight, err);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < count; i++) {
		calls[i].rc = specs[i].rc;
		calls[i].error = specs[i].error;
		if (specs[i].rc == 0)
			calls[i].rc = ddb_parse_body(&calls[i].response, specs[i].response.body,
			                             specs[i].response.len, &calls[i].error);
		pcf_aws_response_free(&specs[i].response);
	}
out:
	for (size_t i = 0; bodies && i < count; i++)
		cJSON_free(bodies[i]);
	free(bodies);
	free(specs);
	return rc;
}

int ddb_send_many(cJSON **responses, int *rcs, pcf_error *errors, const char *action,
                  cJSON *const *requests, size_t count, void *payload)
{
	pcf_ddb_call *calls = calloc(count ? count : 1, sizeof(*calls));
	pcf_error err = PCF_ERROR_INIT;
	int rc;
	if (!calls)
		return PCF_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		calls[i].action = action;
		calls[i].request = requests[i];
	}
	rc = pcf_ddb_execute_many(payload, calls, count, 0, &err);
	for (size_t i = 0; i < count; i++) {
		responses[i] = rc < 0 ? NULL : calls[i].response;
		rcs[i] = rc < 0 ? rc : calls[i].rc;
		errors[i] = rc < 0 ? err : calls[i].error;
	}
	free(calls);
	return 0;
}
