/*
 * The Application Auto Scaling client on the wire, observed with a FAKE
 * loopback server (tests/support/fake_http.c) that records requests: the
 * JSON 1.1 content type, the AnyScaleFrontendService target, the signing
 * scope of service application-autoscaling, and Describe calls that read
 * every page.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fake_http.h"
#include "src/autoscaling/autoscaling.h"

static pcf_fake_server *fake;
static pcf_aas *client;

static void setup(void)
{
	pcf_fake_environment();
}

static void teardown(void)
{
	pcf_aas_free(client);
	pcf_fake_server_stop(fake);
}

TestSuite(autoscaling_client, .init = setup, .fini = teardown);

static void connect_to(const pcf_fake_response *script, size_t count)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, count, NULL), 0);
	o.endpoint = pcf_fake_server_url(fake);
	o.retry_base_delay_ms = 1;
	cr_assert_eq(pcf_aas_new(&client, &o, &err), 0, "%s", err.message);
}

static void header(int index, const char *name, char *out, size_t size)
{
	cr_assert_eq(pcf_fake_server_request_header(fake, index, name, out, size), 0,
	             "request %d has no %s", index, name);
}

Test(autoscaling_client, speaks_json_1_1_to_any_scale_frontend_service)
{
	static const pcf_fake_response script[] = {{.body = "{\"ScalableTargetARN\":\"arn:x\"}",
	                                            .content_type = "application/x-amz-json-1.1"}};
	pcf_error err = PCF_ERROR_INIT;
	cJSON *req = cJSON_Parse("{\"ServiceNamespace\":\"dynamodb\",\"ResourceId\":\"table/t\"}");
	cJSON *answer = NULL;
	char value[512];

	connect_to(script, 1);
	cr_assert_eq(pcf_aas_execute(&answer, client, "RegisterScalableTarget", req, &err), 0, "%s",
	             err.message);
	cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(answer, "ScalableTargetARN")),
	                 "arn:x");
	header(0, "X-Amz-Target", value, sizeof(value));
	cr_assert_str_eq(value, "AnyScaleFrontendService.RegisterScalableTarget");
	header(0, "Content-Type", value, sizeof(value));
	cr_assert_str_eq(value, "application/x-amz-json-1.1");
	header(0, "Authorization", value, sizeof(value));
	cr_assert_not_null(strstr(value, "/us-east-1/application-autoscaling/aws4_request"), "%s",
	                   value);
	cJSON_Delete(answer);
	cJSON_Delete(req);
}

Test(autoscaling_client, describe_reads_every_page)
{
	static const pcf_fake_response script[] = {
	    {.body = "{\"ScalableTargets\":[{\"ResourceId\":\"table/a\"}],\"NextToken\":\"n1\"}"},
	    {.body = "{\"ScalableTargets\":[{\"ResourceId\":\"table/b\"}],\"NextToken\":null}"}};
	pcf_error err = PCF_ERROR_INIT;
	cJSON *ids = cJSON_Parse("[\"table/a\",\"table/b\"]"), *targets = NULL;

	connect_to(script, 2);
	cr_assert_eq(pcf_aas_describe_targets(&targets, client, ids, &err), 0, "%s", err.message);
	cr_assert_eq(cJSON_GetArraySize(targets), 2);
	cr_assert_str_eq(
	    cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(targets, 1), "ResourceId")),
	    "table/b");
	cr_assert_eq(pcf_fake_server_request_count(fake), 2);
	cJSON_Delete(targets);
	cJSON_Delete(ids);
}

Test(autoscaling_client, a_missing_target_is_resource_not_found)
{
	static const pcf_fake_response script[] = {
	    {.status = 400,
	     .body =
	         "{\"__type\":\"ObjectNotFoundException\",\"Message\":\"No scalable target\"}"}};
	pcf_error err = PCF_ERROR_INIT;
	cJSON *answer = NULL;

	connect_to(script, 1);
	cr_assert_eq(pcf_aas_execute(&answer, client, "DeregisterScalableTarget", NULL, &err),
	             PCF_ERESOURCE_NOT_FOUND, "%s", err.message);
	cr_assert_null(answer);
}

/* A user who moves DynamoDB to a local server with AWS_ENDPOINT_URL_DYNAMODB
 * (or DYNAMODB_ENDPOINT) and names no endpoint of Application Auto Scaling's
 * own must not have pcf read or change autoscaling in the real account: the
 * client follows DynamoDB's endpoint. */
Test(autoscaling_client, follows_a_dynamodb_endpoint_from_the_environment)
{
	static const pcf_fake_response script[] = {{.body = "{\"ScalableTargets\":[]}"}};
	const char *names[] = {"AWS_ENDPOINT_URL_DYNAMODB", "DYNAMODB_ENDPOINT"};
	pcf_error err = PCF_ERROR_INIT;
	cJSON *answer = NULL;

	cr_assert_eq(pcf_fake_server_start_script(&fake, script, 1, NULL), 0);
	for (size_t i = 0; i < 2; i++) {
		pcf_aws_options o = PCF_AWS_OPTIONS_INIT;

		unsetenv("AWS_ENDPOINT_URL_APPLICATION_AUTOSCALING");
		unsetenv("AWS_ENDPOINT_URL");
		unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
		unsetenv("DYNAMODB_ENDPOINT");
		setenv(names[i], pcf_fake_server_url(fake), 1);
		o.max_attempts = 1;
		cr_assert_eq(pcf_aas_new(&client, &o, &err), 0, "%s", err.message);
		cr_assert_eq(pcf_aas_execute(&answer, client, "DescribeScalableTargets", NULL, &err), 0,
		             "%s: %s", names[i], err.message);
		cJSON_Delete(answer);
		answer = NULL;
		pcf_aas_free(client);
		client = NULL;
		unsetenv(names[i]);
	}
	cr_assert_eq(pcf_fake_server_request_count(fake), 2);
}
