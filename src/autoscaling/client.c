/*
 * The Application Auto Scaling client: one transport signed for
 * "application-autoscaling", JSON 1.1 bodies, and the two paged Describe
 * calls read to the end so that callers see whole lists.
 */
#include "autoscaling.h"

#include "src/common/util.h"

#include <stdlib.h>
#include <string.h>

/* A page cap that no real account reaches; it only stops a server that
 * keeps answering the same NextToken from keeping pcf busy forever. */
#define MAX_PAGES 1000

struct pcf_aas {
	pcf_aws_client *transport;
};

/*
 * DynamoDB moved by the environment to a server of its own (a local one, a
 * VPC endpoint's proxy) while nothing names an endpoint for Application
 * Auto Scaling: autoscaling goes to the same server. Reading or changing
 * the scalable targets of the real account for a local table is never what
 * was meant; moto serves both services on one port, and a server without
 * Application Auto Scaling answers UnknownOperation, which the table
 * flavor reports as a setting the server lacks.
 */
static const char *dynamodb_endpoint_to_follow(void)
{
	const char *url;

	if (pcf_util_getenv("AWS_ENDPOINT_URL_APPLICATION_AUTOSCALING") != NULL ||
	    pcf_util_getenv("AWS_ENDPOINT_URL") != NULL)
		return NULL;
	url = pcf_util_getenv("AWS_ENDPOINT_URL_DYNAMODB");
	return url != NULL ? url : pcf_util_getenv("DYNAMODB_ENDPOINT");
}

int pcf_aas_new(pcf_aas **out, const pcf_aws_options *options, pcf_error *err)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aas *c;
	int rc;

	*out = NULL;
	if (options != NULL)
		o = *options;
	o.service = "application-autoscaling";
	o.target_prefix = "AnyScaleFrontendService";
	o.json_version = "1.1";
	if (o.endpoint == NULL || o.endpoint[0] == '\0')
		o.endpoint = dynamodb_endpoint_to_follow();
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = pcf_aws_client_new(&c->transport, &o, err);
	if (rc < 0) {
		free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void pcf_aas_free(pcf_aas *client)
{
	if (client == NULL)
		return;
	pcf_aws_client_free(client->transport);
	free(client);
}

static int parse(cJSON **out, const pcf_aws_response *resp, const char *action, pcf_error *err)
{
	const char *end = NULL;

	if (resp->body == NULL || resp->len == 0) {
		*out = cJSON_CreateObject();
		return *out != NULL ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = cJSON_ParseWithLengthOpts(resp->body, resp->len, &end, 0);
	if (*out == NULL || !cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return pcf_error_set(err, PCF_EBADRESPONSE, "%s: the answer is not a JSON object",
		                     action);
	}
	return 0;
}

int pcf_aas_execute(cJSON **out, pcf_aas *client, const char *action, const cJSON *request,
                    pcf_error *err)
{
	pcf_aws_response resp;
	char *body = NULL;
	int rc;

	*out = NULL;
	if (client == NULL || action == NULL)
		return pcf_error_set(err, PCF_EINVAL, "a client and an action are required");
	if (request != NULL && (body = cJSON_PrintUnformatted(request)) == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	memset(&resp, 0, sizeof(resp));
	rc = pcf_aws_call(&resp, client->transport, action, body != NULL ? body : "{}",
	                  body != NULL ? strlen(body) : 2, err);
	cJSON_free(body);
	if (rc == 0)
		rc = parse(out, &resp, action, err);
	pcf_aws_response_free(&resp);
	return rc;
}

/* Moves every element of page[field] to the end of list. */
static void take_items(cJSON *list, cJSON *page, const char *field)
{
	cJSON *items = cJSON_GetObjectItemCaseSensitive(page, field), *item;
	while (cJSON_IsArray(items) && (item = cJSON_DetachItemFromArray(items, 0)) != NULL)
		cJSON_AddItemToArray(list, item);
}

/* Sends request (consumed) page after page, collecting field into *out. */
static int read_pages(cJSON **out, pcf_aas *client, const char *action, cJSON *request,
                      const char *field, pcf_error *err)
{
	cJSON *list = cJSON_CreateArray(), *page = NULL;
	int rc = 0;

	*out = NULL;
	if (request == NULL || list == NULL) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	for (int pages = 0; pages < MAX_PAGES; pages++) {
		const char *next;
		if ((rc = pcf_aas_execute(&page, client, action, request, err)) < 0)
			goto out;
		take_items(list, page, field);
		next = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(page, "NextToken"));
		cJSON_DeleteItemFromObjectCaseSensitive(request, "NextToken");
		if (next == NULL || next[0] == '\0')
			break;
		if (!cJSON_AddStringToObject(request, "NextToken", next)) {
			rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
			goto out;
		}
		cJSON_Delete(page);
		page = NULL;
	}
	*out = list;
	list = NULL;
out:
	cJSON_Delete(page);
	cJSON_Delete(list);
	cJSON_Delete(request);
	return rc;
}

static cJSON *dynamodb_request(void)
{
	cJSON *r = cJSON_CreateObject();
	if (r != NULL && !cJSON_AddStringToObject(r, "ServiceNamespace", "dynamodb")) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

int pcf_aas_describe_targets(cJSON **out, pcf_aas *client, const cJSON *resource_ids,
                             pcf_error *err)
{
	cJSON *req = dynamodb_request();
	if (req != NULL &&
	    !cJSON_AddItemToObject(req, "ResourceIds", cJSON_Duplicate(resource_ids, 1))) {
		cJSON_Delete(req);
		req = NULL;
	}
	return read_pages(out, client, "DescribeScalableTargets", req, "ScalableTargets", err);
}

int pcf_aas_describe_policies(cJSON **out, pcf_aas *client, const char *resource_id, pcf_error *err)
{
	cJSON *req = dynamodb_request();
	if (req != NULL && !cJSON_AddStringToObject(req, "ResourceId", resource_id)) {
		cJSON_Delete(req);
		req = NULL;
	}
	return read_pages(out, client, "DescribeScalingPolicies", req, "ScalingPolicies", err);
}
