/*
 * The AWS error taxonomy: one table from error names to pcf codes.
 *
 * JSON-protocol services return {"__type": "...#Name", "message": "..."}.
 * The part before '#' is a namespace that differs between the service and
 * local servers (com.amazonaws.dynamodb.v20120810, com.amazon.coral.validate),
 * and the x-amzn-ErrorType header may append ":<url>", so both are cut off
 * before the lookup. The raw name is kept in pcf_error.aws_type.
 *
 * Whether a failure is worth trying again, and by whom, is decided here
 * too, once, in pcf_aws_error_retry_kind:
 *
 * - NOW: what passes in milliseconds to seconds and says nothing about
 *   the request - throttling, 5xx, a lost connection, a timeout, a bad
 *   CRC. The transport resends these with its quick jittered backoff
 *   (retry.c) until its attempts run out; once they have, the request has
 *   been waited on enough and the final error is not retryable.
 * - LATER: what the service refused because of other work in progress,
 *   which ends on its own in seconds to minutes: LimitExceededException
 *   for too many tables (or indexes) changing at once, and
 *   ContinuousBackupsUnavailableException, answered while the service
 *   still sets backups up after CreateTable. Retrying these within the
 *   transport's ~45 s budget would either give up too early or hold one
 *   worker in a tight loop, so the transport returns them at once with
 *   pcf_error.retryable set, and the engine waits them out with its own
 *   backoff under the run's deadline.
 * - NEVER: everything else, including LimitExceededException for a quota
 *   (the account's number of tables, daily throughput decreases): only a
 *   person can change that, so it fails on the first answer.
 *
 * The service uses one error name for both kinds of LimitExceeded; only
 * its message tells them apart. The messages that pass are these (the
 * first two as users reported them verbatim in hashicorp/terraform-
 * provider-aws issue #1776 and noppoMan/npdynamodb issue #29):
 *   "Subscriber limit exceeded: Only 10 tables can be created, updated, or
 *    deleted simultaneously"
 *   "Subscriber limit exceeded: Only 1 online index can be created or
 *    deleted simultaneously per table"
 *   "Too many operations for a given subscriber"
 * and the quota reads "Subscriber limit exceeded: There is a limit of 256
 * tables per subscriber" (hashicorp/terraform issue #13339). A message we
 * do not recognise is treated as a quota: failing with the service's own
 * words is better than waiting until the deadline for nothing.
 */
#include "errors.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <pcf/aws.h>

struct type_entry {
	const char *name;
	int code;
};

static const struct type_entry types[] = {
    {"ResourceNotFoundException", PCF_ERESOURCE_NOT_FOUND},
    {"ResourceInUseException", PCF_ERESOURCE_IN_USE},
    {"ConditionalCheckFailedException", PCF_ECONDITIONAL_CHECK_FAILED},
    {"ValidationException", PCF_EVALIDATION},
    {"ThrottlingException", PCF_ETHROTTLING},
    {"Throttling", PCF_ETHROTTLING},
    {"ProvisionedThroughputExceededException", PCF_EPROVISIONED_THROUGHPUT_EXCEEDED},
    {"RequestLimitExceeded", PCF_EREQUEST_LIMIT_EXCEEDED},
    {"LimitExceededException", PCF_ELIMIT_EXCEEDED},
    {"TransactionCanceledException", PCF_ETRANSACTION_CANCELED},
    {"TransactionConflictException", PCF_ETRANSACTION_CONFLICT},
    {"TransactionInProgressException", PCF_ETRANSACTION_IN_PROGRESS},
    {"IdempotentParameterMismatchException", PCF_EIDEMPOTENT_PARAMETER_MISMATCH},
    {"ItemCollectionSizeLimitExceededException", PCF_EITEM_COLLECTION_SIZE_LIMIT},
    {"ContinuousBackupsUnavailableException", PCF_ECONTINUOUS_BACKUPS_UNAVAILABLE},
    {"InternalServerError", PCF_EINTERNAL_SERVER},
    {"InternalFailure", PCF_EINTERNAL_SERVER},
    {"ServiceUnavailable", PCF_ESERVICE_UNAVAILABLE},
    {"ServiceUnavailableException", PCF_ESERVICE_UNAVAILABLE},
    {"AccessDeniedException", PCF_EACCESS_DENIED},
    {"UnrecognizedClientException", PCF_EUNRECOGNIZED_CLIENT},
    {"InvalidSignatureException", PCF_EINVALID_SIGNATURE},
    {"ExpiredTokenException", PCF_EEXPIRED_TOKEN},
    {"MissingAuthenticationTokenException", PCF_EMISSING_AUTHENTICATION_TOKEN},
    {"IncompleteSignatureException", PCF_EINCOMPLETE_SIGNATURE},
    {"SerializationException", PCF_ESERIALIZATION},
    {"UnknownOperationException", PCF_EUNKNOWN_OPERATION},
    {"TableNotFoundException", PCF_ETABLE_NOT_FOUND},
    {"TableInUseException", PCF_ETABLE_IN_USE},
    {"TableAlreadyExistsException", PCF_ERESOURCE_IN_USE},
    {"IndexNotFoundException", PCF_EINDEX_NOT_FOUND},
    {"ReplicaNotFoundException", PCF_EREPLICA_NOT_FOUND},
    {"ReplicaAlreadyExistsException", PCF_ERESOURCE_IN_USE},
    {"GlobalTableNotFoundException", PCF_ERESOURCE_NOT_FOUND},
    {"GlobalTableAlreadyExistsException", PCF_ERESOURCE_IN_USE},
    {"PolicyNotFoundException", PCF_EPOLICY_NOT_FOUND},
    {"BackupNotFoundException", PCF_EBACKUP_NOT_FOUND},
    {"BackupInUseException", PCF_EBACKUP_IN_USE},
    {"InvalidRestoreTimeException", PCF_EINVALID_RESTORE_TIME},
    {"PointInTimeRecoveryUnavailableException", PCF_EPOINT_IN_TIME_RECOVERY_UNAVAILABLE},
    {"DuplicateItemException", PCF_EDUPLICATE_ITEM},
    {"ReplicatedWriteConflictException", PCF_EREPLICATED_WRITE_CONFLICT},
    {"InvalidEndpointException", PCF_EINVALID_ENDPOINT},
    /* Application Auto Scaling's name for a scalable target or policy it does not hold. */
    {"ObjectNotFoundException", PCF_ERESOURCE_NOT_FOUND},
};

/* Start and length of the bare name inside a namespaced or suffixed type. */
static const char *bare_name(const char *type, size_t *len)
{
	const char *hash = strrchr(type, '#');
	const char *start = hash ? hash + 1 : type;
	const char *colon = strchr(start, ':');
	*len = colon ? (size_t)(colon - start) : strlen(start);
	return start;
}

int pcf_aws_error_code_for_type(const char *type)
{
	size_t len;
	const char *name;

	if (!type || !*type)
		return PCF_ESERVICE;
	name = bare_name(type, &len);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strlen(types[i].name) == len && memcmp(types[i].name, name, len) == 0)
			return types[i].code;
	return PCF_ESERVICE;
}

/* LimitExceededException messages that name work in progress, not a quota. */
static int limit_passes(const char *message)
{
	return message && (strstr(message, "simultaneously") ||
	                   strstr(message, "Too many operations for a given subscriber"));
}

pcf_aws_retry_kind pcf_aws_error_retry_kind(int code, long http_status, const char *message)
{
	switch (code) {
	case PCF_ETHROTTLING:
	case PCF_EPROVISIONED_THROUGHPUT_EXCEEDED:
	case PCF_EREQUEST_LIMIT_EXCEEDED:
	/* botocore retries this one too: a concurrent transaction will finish. */
	case PCF_ETRANSACTION_IN_PROGRESS:
	case PCF_EINTERNAL_SERVER:
	case PCF_ESERVICE_UNAVAILABLE:
	case PCF_ECONNECT:
	case PCF_ENETWORK:
	case PCF_EHTTP_TIMEOUT:
	case PCF_ECRC32:
		return PCF_AWS_RETRY_NOW;
	case PCF_ELIMIT_EXCEEDED:
		return limit_passes(message) ? PCF_AWS_RETRY_LATER : PCF_AWS_RETRY_NEVER;
	case PCF_ECONTINUOUS_BACKUPS_UNAVAILABLE:
		return PCF_AWS_RETRY_LATER;
	case PCF_EVALIDATION:
	case PCF_ECONDITIONAL_CHECK_FAILED:
		return PCF_AWS_RETRY_NEVER;
	default:
		return http_status >= 500 && http_status <= 599 ? PCF_AWS_RETRY_NOW
		                                                : PCF_AWS_RETRY_NEVER;
	}
}

/* The service's message: "message" or "Message"; never NULL. */
static const char *message_of(const cJSON *json)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "message");
	if (!cJSON_IsString(m))
		m = cJSON_GetObjectItemCaseSensitive(json, "Message");
	return cJSON_IsString(m) ? m->valuestring : "";
}

static void fill_type(pcf_error *err, const char *type)
{
	size_t len;
	const char *name = bare_name(type, &len);
	if (len >= sizeof(err->aws_type))
		len = sizeof(err->aws_type) - 1;
	memcpy(err->aws_type, name, len);
	err->aws_type[len] = '\0';
}

int pcf_aws_error_from_response(pcf_error *err, long http_status, const char *body, size_t len,
                                const char *header_type, const char *request_id)
{
	const char *end = NULL;
	cJSON *json = body && len ? cJSON_ParseWithLengthOpts(body, len, &end, 0) : NULL;
	const cJSON *t = json ? cJSON_GetObjectItemCaseSensitive(json, "__type") : NULL;
	const char *type = cJSON_IsString(t) ? t->valuestring : header_type;
	int code;

	if (type && *type) {
		code = pcf_aws_error_code_for_type(type);
		pcf_error_set(err, code, "%s", json ? message_of(json) : "");
		if (err) {
			fill_type(err, type);
			if (!err->message[0])
				snprintf(err->message, sizeof(err->message), "%s", err->aws_type);
		}
	} else {
		code = pcf_error_set(err, PCF_EHTTP, "HTTP %ld without an AWS error body",
		                     http_status);
	}
	if (err) {
		err->http_status = http_status;
		snprintf(err->request_id, sizeof(err->request_id), "%s",
		         request_id ? request_id : "");
	}
	cJSON_Delete(json);
	return code;
}
