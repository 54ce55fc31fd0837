/*
 * AWS error bodies to pcf codes and retry verdicts: namespaces stripped,
 * messages and request ids kept, every DynamoDB error name mapped.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include <pcf/aws.h>

#include "src/aws/errors.h"

/*
 * Answers as DynamoDB sends them: the __type with the namespace the service
 * uses for it (com.amazonaws.dynamodb.v20120810 for DynamoDB's own errors,
 * com.amazon.coral.service / com.amazon.coral.validate for the front end's)
 * and the service's message, as the DynamoDB API reference's "Common
 * Errors" and operation pages name them and as users quoted the messages.
 * The expected outcome is what a caller must see, not a copy of errors.c.
 */
struct answer {
	long status;
	char type[96];
	char message[160];
	int code;
	pcf_aws_retry_kind kind;
};

#define DDB   "com.amazonaws.dynamodb.v20120810#"
#define CORAL "com.amazon.coral.service#"

static struct answer answers[] = {
    {400, DDB "ResourceNotFoundException", "Requested resource not found: Table: t not found",
     PCF_ERESOURCE_NOT_FOUND, PCF_AWS_RETRY_NEVER},
    {400, DDB "ResourceInUseException", "Table already exists: t", PCF_ERESOURCE_IN_USE,
     PCF_AWS_RETRY_NEVER},
    {400, DDB "ConditionalCheckFailedException", "The conditional request failed",
     PCF_ECONDITIONAL_CHECK_FAILED, PCF_AWS_RETRY_NEVER},
    {400, "com.amazon.coral.validate#ValidationException",
     "One or more parameter values were invalid: Missing the key id in the item", PCF_EVALIDATION,
     PCF_AWS_RETRY_NEVER},
    {400, DDB "ThrottlingException", "Rate of requests exceeds the allowed throughput.",
     PCF_ETHROTTLING, PCF_AWS_RETRY_NOW},
    {400, DDB "ProvisionedThroughputExceededException",
     "The level of configured provisioned throughput for the table was exceeded. Consider "
     "increasing your provisioning level with the UpdateTable API.",
     PCF_EPROVISIONED_THROUGHPUT_EXCEEDED, PCF_AWS_RETRY_NOW},
    {400, DDB "RequestLimitExceeded",
     "Throughput exceeds the current throughput limit for your account.",
     PCF_EREQUEST_LIMIT_EXCEEDED, PCF_AWS_RETRY_NOW},
    /* The same name for work in progress, which passes, and for a quota. */
    {400, DDB "LimitExceededException",
     "Subscriber limit exceeded: Only 10 tables can be created, updated, or deleted "
     "simultaneously",
     PCF_ELIMIT_EXCEEDED, PCF_AWS_RETRY_LATER},
    {400, DDB "LimitExceededException",
     "Subscriber limit exceeded: Only 1 online index can be created or deleted "
     "simultaneously per table",
     PCF_ELIMIT_EXCEEDED, PCF_AWS_RETRY_LATER},
    {400, DDB "LimitExceededException", "Too many operations for a given subscriber",
     PCF_ELIMIT_EXCEEDED, PCF_AWS_RETRY_LATER},
    {400, DDB "LimitExceededException",
     "Subscriber limit exceeded: There is a limit of 256 tables per subscriber",
     PCF_ELIMIT_EXCEEDED, PCF_AWS_RETRY_NEVER},
    {400, DDB "ContinuousBackupsUnavailableException",
     "Backups are being enabled for the table: t. Please retry later",
     PCF_ECONTINUOUS_BACKUPS_UNAVAILABLE, PCF_AWS_RETRY_LATER},
    {400, DDB "TransactionCanceledException",
     "Transaction cancelled, please refer cancellation reasons for specific reasons "
     "[ConditionalCheckFailed]",
     PCF_ETRANSACTION_CANCELED, PCF_AWS_RETRY_NEVER},
    {400, DDB "TransactionInProgressException",
     "Transaction is ongoing for the given idempotency token", PCF_ETRANSACTION_IN_PROGRESS,
     PCF_AWS_RETRY_NOW},
    {500, DDB "InternalServerError", "Internal server error", PCF_EINTERNAL_SERVER,
     PCF_AWS_RETRY_NOW},
    {503, CORAL "ServiceUnavailableException", "Service unavailable", PCF_ESERVICE_UNAVAILABLE,
     PCF_AWS_RETRY_NOW},
    {400, DDB "AccessDeniedException",
     "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
     "dynamodb:CreateTable on resource: arn:aws:dynamodb:us-east-1:123456789012:table/t",
     PCF_EACCESS_DENIED, PCF_AWS_RETRY_NEVER},
    {400, CORAL "UnrecognizedClientException",
     "The security token included in the request is invalid.", PCF_EUNRECOGNIZED_CLIENT,
     PCF_AWS_RETRY_NEVER},
    {400, CORAL "ExpiredTokenException", "The security token included in the request is expired",
     PCF_EEXPIRED_TOKEN, PCF_AWS_RETRY_NEVER},
    {400, CORAL "InvalidSignatureException",
     "The request signature we calculated does not match the signature you provided.",
     PCF_EINVALID_SIGNATURE, PCF_AWS_RETRY_NEVER},
    {400, CORAL "MissingAuthenticationTokenException", "Request is missing Authentication Token",
     PCF_EMISSING_AUTHENTICATION_TOKEN, PCF_AWS_RETRY_NEVER},
    {400, CORAL "SerializationException", "Start of structure or map found where not expected.",
     PCF_ESERIALIZATION, PCF_AWS_RETRY_NEVER},
    {400, CORAL "UnknownOperationException", "", PCF_EUNKNOWN_OPERATION, PCF_AWS_RETRY_NEVER},
};

ParameterizedTestParameters(errors, service_answers)
{
	return cr_make_param_array(struct answer, answers, sizeof(answers) / sizeof(answers[0]));
}

ParameterizedTest(struct answer *a, errors, service_answers)
{
	pcf_error err = PCF_ERROR_INIT;
	char body[512];
	const char *bare = strchr(a->type, '#') + 1;

	snprintf(body, sizeof(body), "{\"__type\":\"%s\",\"message\":\"%s\"}", a->type, a->message);
	cr_assert_eq(pcf_aws_error_from_response(&err, a->status, body, strlen(body), NULL, "R1"),
	             a->code, "%s", a->type);
	cr_assert_str_eq(err.aws_type, bare);
	cr_assert_str_eq(err.message, a->message[0] ? a->message : bare, "the service's words");
	cr_assert_eq(pcf_aws_error_retry_kind(err.code, err.http_status, err.message), a->kind,
	             "%s: %s", bare, a->message);
}

/* Every error name the DynamoDB API reference lists has a code of its own. */
static const char *const api_names[] = {
    "BackupInUseException",
    "BackupNotFoundException",
    "DuplicateItemException",
    "GlobalTableAlreadyExistsException",
    "GlobalTableNotFoundException",
    "IdempotentParameterMismatchException",
    "IncompleteSignatureException",
    "IndexNotFoundException",
    "InvalidEndpointException",
    "InvalidRestoreTimeException",
    "ItemCollectionSizeLimitExceededException",
    "PointInTimeRecoveryUnavailableException",
    "PolicyNotFoundException",
    "ReplicaAlreadyExistsException",
    "ReplicaNotFoundException",
    "ReplicatedWriteConflictException",
    "TableAlreadyExistsException",
    "TableInUseException",
    "TableNotFoundException",
    "TransactionConflictException",
};

Test(errors, every_api_reference_name_has_a_code)
{
	for (size_t i = 0; i < sizeof(api_names) / sizeof(api_names[0]); i++) {
		char namespaced[160];
		int code = pcf_aws_error_code_for_type(api_names[i]);
		snprintf(namespaced, sizeof(namespaced), DDB "%s", api_names[i]);
		cr_assert_neq(code, PCF_ESERVICE, "%s", api_names[i]);
		cr_assert_eq(pcf_aws_error_code_for_type(namespaced), code, "%s", namespaced);
	}
}

Test(errors, a_limit_exceeded_we_cannot_read_is_not_waited_out)
{
	/* A quota of another kind, or words we have never seen: fail at once. */
	cr_assert_eq(pcf_aws_error_retry_kind(PCF_ELIMIT_EXCEEDED, 400,
	                                      "Subscriber limit exceeded: Provisioned throughput "
	                                      "decreases are limited within a given UTC day"),
	             PCF_AWS_RETRY_NEVER);
	cr_assert_eq(pcf_aws_error_retry_kind(PCF_ELIMIT_EXCEEDED, 400, NULL), PCF_AWS_RETRY_NEVER);
	cr_assert_eq(pcf_aws_error_retry_kind(PCF_EHTTP, 502, ""), PCF_AWS_RETRY_NOW, "any 5xx");
	cr_assert_eq(pcf_aws_error_retry_kind(PCF_EVALIDATION, 500, ""), PCF_AWS_RETRY_NEVER);
}

Test(errors, unknown_and_empty_types_are_service_errors)
{
	cr_assert_eq(pcf_aws_error_code_for_type("com.example#SomethingNewException"),
	             PCF_ESERVICE);
	cr_assert_eq(pcf_aws_error_code_for_type(""), PCF_ESERVICE);
	cr_assert_eq(pcf_aws_error_code_for_type(NULL), PCF_ESERVICE);
	cr_assert_eq(pcf_aws_error_code_for_type("ResourceNotFound"), PCF_ESERVICE,
	             "no prefix matching");
}

Test(errors, response_body_fills_everything)
{
	pcf_error err = PCF_ERROR_INIT;
	const char *body = "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
	                   "\"message\":\"One or more parameter values were invalid\"}";
	int rc = pcf_aws_error_from_response(&err, 400, body, strlen(body), NULL, "REQ123");
	cr_assert_eq(rc, PCF_EVALIDATION);
	cr_assert_eq(err.code, PCF_EVALIDATION);
	cr_assert_str_eq(err.aws_type, "ValidationException");
	cr_assert_str_eq(err.message, "One or more parameter values were invalid");
	cr_assert_str_eq(err.request_id, "REQ123");
	cr_assert_eq(err.http_status, 400);
}

Test(errors, capitalised_message_and_header_type)
{
	pcf_error err = PCF_ERROR_INIT;
	const char *body = "{\"Message\":\"denied\"}";
	int rc = pcf_aws_error_from_response(
	    &err, 400, body, strlen(body), "AccessDeniedException:http://internal.amazon.com/", "");
	cr_assert_eq(rc, PCF_EACCESS_DENIED);
	cr_assert_str_eq(err.aws_type, "AccessDeniedException");
	cr_assert_str_eq(err.message, "denied");
}

Test(errors, a_body_that_is_not_an_aws_error_is_an_http_error)
{
	pcf_error err = PCF_ERROR_INIT;
	const char *body = "<html>bad gateway</html>";
	cr_assert_eq(pcf_aws_error_from_response(&err, 502, body, strlen(body), NULL, NULL),
	             PCF_EHTTP);
	cr_assert_eq(err.http_status, 502);
	cr_assert_str_eq(err.aws_type, "");
	cr_assert(strstr(err.message, "502") != NULL);
	cr_assert_eq(pcf_aws_error_from_response(NULL, 500, NULL, 0, NULL, NULL), PCF_EHTTP,
	             "err may be NULL");
}
