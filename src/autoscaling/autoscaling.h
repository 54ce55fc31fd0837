/*
 * A small Application Auto Scaling client: the calls the dynamodb_table
 * flavor needs to keep a table's provisioned capacity under target
 * tracking. Application Auto Scaling speaks the JSON 1.1 protocol
 * (X-Amz-Target AnyScaleFrontendService.<Action>) and is signed for the
 * service "application-autoscaling"; the transport underneath is the one
 * DynamoDB uses (src/aws), so endpoint overrides, credentials, retries and
 * instrumentation work the same. An --endpoint override points this client
 * at the same URL as DynamoDB's, as moto serves every service on one port.
 *
 * Every function that takes a `const cJSON *` borrows it; what comes back
 * through `cJSON **out` is the caller's to cJSON_Delete. Thread-safe as the
 * transport is.
 */
#ifndef PCF_AUTOSCALING_H
#define PCF_AUTOSCALING_H

#include <cjson/cJSON.h>
#include <pcf/aws.h>
#include <pcf/error.h>

typedef struct pcf_aas pcf_aas;

/* A client with options' transport settings (NULL: defaults); free with pcf_aas_free. */
int pcf_aas_new(pcf_aas **out, const pcf_aws_options *options, pcf_error *err);
void pcf_aas_free(pcf_aas *client);

/* Sends action with request (NULL: {}) and parses the answer into *out. */
int pcf_aas_execute(cJSON **out, pcf_aas *client, const char *action, const cJSON *request,
                    pcf_error *err);

/*
 * The scalable targets of service namespace "dynamodb" whose ResourceId is
 * one of resource_ids (a list of strings), every page read, as one list.
 */
int pcf_aas_describe_targets(cJSON **out, pcf_aas *client, const cJSON *resource_ids,
                             pcf_error *err);

/* The scaling policies of the "dynamodb" resource resource_id, every page read. */
int pcf_aas_describe_policies(cJSON **out, pcf_aas *client, const char *resource_id,
                              pcf_error *err);

#endif
