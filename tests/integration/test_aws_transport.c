/*
 * The AWS transport against two real local servers, dynoxide and dynalite
 * (both answer DynamoDB's JSON protocol and its error shapes like the
 * service): requests are signed, sent, answered and errors mapped.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <pcf/aws.h>

#include "servers.h"

static pcf_aws_client *client_for(pcf_local_server_kind kind, pcf_aws_options *o)
{
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;
	o->endpoint = pcf_test_endpoint(kind);
	cr_assert_eq(pcf_aws_client_new(&c, o, &err), 0, "%s", err.message);
	return c;
}

static void assert_lists_tables(pcf_local_server_kind kind)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = client_for(kind, &o);
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;
	const char *end = NULL;

	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), 0, "%s: %s",
	             pcf_error_code_name(err.code), err.message);
	cr_assert_eq(r.http_status, 200);
	cJSON *json = cJSON_ParseWithLengthOpts(r.body, r.len, &end, 0);
	cr_assert_not_null(json, "ListTables answered JSON: %s", r.body);
	cr_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(json, "TableNames")));
	cJSON_Delete(json);
	pcf_aws_response_free(&r);
	pcf_aws_client_free(c);
}

Test(aws_transport, lists_tables_on_dynoxide)
{
	assert_lists_tables(PCF_LOCAL_DYNOXIDE);
}

Test(aws_transport, lists_tables_on_dynalite)
{
	assert_lists_tables(PCF_LOCAL_DYNALITE);
}

/* One call on a fresh client of a server: what the error tests look at. */
typedef struct one_call {
	pcf_aws_options o;
	pcf_aws_client *c;
	pcf_aws_response r;
	pcf_error err;
	int rc;
} one_call;

static void call_once(one_call *k, pcf_local_server_kind kind, const char *action, const char *body)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	k->o = o;
	k->err = err;
	k->c = client_for(kind, &k->o);
	k->rc = pcf_aws_call(&k->r, k->c, action, body, strlen(body), &k->err);
}

static void assert_missing_table_maps(pcf_local_server_kind kind)
{
	one_call k;

	call_once(&k, kind, "DescribeTable", "{\"TableName\":\"pcf-no-such-table\"}");
	cr_assert_eq(k.rc, PCF_ERESOURCE_NOT_FOUND, "got %s: %s", pcf_error_code_name(k.rc),
	             k.err.message);
	cr_assert_eq(k.err.code, PCF_ERESOURCE_NOT_FOUND);
	cr_assert_str_eq(k.err.aws_type, "ResourceNotFoundException");
	cr_assert_eq(k.err.http_status, 400);
	cr_assert_eq(k.err.attempts, 1, "not retried");
	cr_assert_neq(k.err.message[0], '\0', "the service's message is kept");
	cr_assert_null(k.r.body);
	pcf_aws_client_free(k.c);
}

Test(aws_transport, missing_table_is_resource_not_found_on_dynoxide)
{
	assert_missing_table_maps(PCF_LOCAL_DYNOXIDE);
}

Test(aws_transport, missing_table_is_resource_not_found_on_dynalite)
{
	assert_missing_table_maps(PCF_LOCAL_DYNALITE);
}

Test(aws_transport, validation_error_is_not_retried)
{
	one_call k;

	call_once(&k, PCF_LOCAL_DYNOXIDE, "CreateTable", "{\"TableName\":\"x\"}");
	cr_assert_eq(k.rc, PCF_EVALIDATION, "got %s: %s", pcf_error_code_name(k.rc), k.err.message);
	cr_assert_eq(k.err.attempts, 1);
	cr_assert_eq(k.err.retryable, 0);
	pcf_aws_client_free(k.c);
}

struct seen {
	int requests;
	pcf_aws_request_info last;
};

static void on_request(const pcf_aws_request_info *info, void *payload)
{
	struct seen *s = payload;
	s->requests++;
	s->last = *info;
}

Test(aws_transport, instrumentation_sees_each_request)
{
	struct seen seen;
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	memset(&seen, 0, sizeof(seen));
	o.on_request = on_request;
	o.payload = &seen;
	pcf_aws_client *c = client_for(PCF_LOCAL_DYNALITE, &o);
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_aws_call(&r, c, "ListTables", "{}", 2, &err), 0, "%s", err.message);
	cr_assert_eq(seen.requests, 1);
	cr_assert_str_eq(seen.last.action, "ListTables");
	cr_assert_eq(seen.last.http_status, 200);
	cr_assert_eq(seen.last.attempts, 1);
	cr_assert_eq(seen.last.bytes_sent, 2);
	cr_assert_eq(seen.last.bytes_received, r.len);
	cr_assert_eq(seen.last.code, 0);
	pcf_aws_response_free(&r);
	pcf_aws_client_free(c);
}

Test(aws_transport, call_many_lists_tables_on_both_servers)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = client_for(PCF_LOCAL_DYNOXIDE, &o);
	pcf_aws_call_spec calls[8];
	pcf_error err = PCF_ERROR_INIT;

	memset(calls, 0, sizeof(calls));
	for (int i = 0; i < 8; i++) {
		calls[i].action = i == 7 ? "DescribeTable" : "ListTables";
		calls[i].body = i == 7 ? "{\"TableName\":\"pcf-absent\"}" : "{}";
		calls[i].len = strlen(calls[i].body);
	}
	cr_assert_eq(pcf_aws_call_many(c, calls, 8, 3, &err), 0, "%s", err.message);
	for (int i = 0; i < 7; i++) {
		cr_assert_eq(calls[i].rc, 0, "call %d: %s", i, calls[i].error.message);
		cr_assert_eq(calls[i].response.http_status, 200);
		pcf_aws_response_free(&calls[i].response);
	}
	cr_assert_eq(calls[7].rc, PCF_ERESOURCE_NOT_FOUND);
	cr_assert_str_eq(calls[7].error.aws_type, "ResourceNotFoundException");
	pcf_aws_client_free(c);
}
