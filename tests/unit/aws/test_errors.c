/*
 * AWS error bodies to pcf codes: namespaces stripped, messages and request
 * ids kept, every DynamoDB error name mapped.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include <pcf/aws.h>

#include "src/aws/errors.h"

struct mapping {
	char type[96];
	int code;
};

static struct mapping mappings[] = {
    {"ResourceNotFoundException", PCF_ERESOURCE_NOT_FOUND},
    {"ResourceInUseException", PCF_ERESOURCE_IN_USE},
    {"ConditionalCheckFailedException", PCF_ECONDITIONAL_CHECK_FAILED},
    {"ValidationException", PCF_EVALIDATION},
    {"ThrottlingException", PCF_ETHROTTLING},
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
    {"ServiceUnavailable", PCF_ESERVICE_UNAVAILABLE},
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
    {"IndexNotFoundException", PCF_EINDEX_NOT_FOUND},
    {"ReplicaNotFoundException", PCF_EREPLICA_NOT_FOUND},
    {"PolicyNotFoundException", PCF_EPOLICY_NOT_FOUND},
    {"BackupNotFoundException", PCF_EBACKUP_NOT_FOUND},
    {"BackupInUseException", PCF_EBACKUP_IN_USE},
    {"InvalidRestoreTimeException", PCF_EINVALID_RESTORE_TIME},
    {"PointInTimeRecoveryUnavailableException", PCF_EPOINT_IN_TIME_RECOVERY_UNAVAILABLE},
    {"DuplicateItemException", PCF_EDUPLICATE_ITEM},
    {"ReplicatedWriteConflictException", PCF_EREPLICATED_WRITE_CONFLICT},
    {"InvalidEndpointException", PCF_EINVALID_ENDPOINT},
};

ParameterizedTestParameters(errors, every_dynamodb_type_has_a_code)
{
	return cr_make_param_array(struct mapping, mappings,
	                           sizeof(mappings) / sizeof(mappings[0]));
}

ParameterizedTest(struct mapping *m, errors, every_dynamodb_type_has_a_code)
{
	char namespaced[160];
	snprintf(namespaced, sizeof(namespaced), "com.amazonaws.dynamodb.v20120810#%s", m->type);
	cr_assert_eq(pcf_aws_error_code_for_type(m->type), m->code, "%s", m->type);
	cr_assert_eq(pcf_aws_error_code_for_type(namespaced), m->code, "%s", namespaced);
	cr_assert_neq(m->code, PCF_ESERVICE);
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
