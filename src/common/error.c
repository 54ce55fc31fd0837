/*
 * pcf_error: filling, prefixing and naming error codes.
 *
 * The code table below is the one place a code gets its printable name and
 * description; src/aws/errors.c maps AWS __type strings onto these codes.
 */
#include <pcf/error.h>

#include <stdio.h>
#include <string.h>

struct code_entry {
	int code;
	const char *name;
	const char *description;
};

static const struct code_entry codes[] = {
    {PCF_OK, "OK", "success"},
    {PCF_EINTERNAL, "INTERNAL", "internal error in pcf"},
    {PCF_ENOMEM, "NOMEM", "out of memory"},
    {PCF_EINVAL, "INVAL", "invalid argument"},
    {PCF_EDEFINITION, "DEFINITION", "invalid definitions"},
    {PCF_EIO, "IO", "input/output error"},
    {PCF_ENOTFOUND, "NOTFOUND", "not found"},
    {PCF_EREFUSED, "REFUSED", "refused"},
    {PCF_ETIMEDOUT, "TIMEDOUT", "timed out"},
    {PCF_EUNAVAILABLE, "UNAVAILABLE", "resource unavailable"},
    {PCF_EDEPENDENCY, "DEPENDENCY", "a dependency failed"},
    {PCF_ECONFIG, "CONFIG", "configuration error"},
    {PCF_ECREDENTIALS, "CREDENTIALS", "no credentials"},
    {PCF_ESCHEMA, "SCHEMA", "key schema mismatch"},
    {PCF_ENOCHANGE, "NOCHANGE", "step made no change"},
    {PCF_ETABLE_NOT_CREATED, "TABLE_NOT_CREATED", "table could not be created"},
    {PCF_ETABLE_NOT_READY, "TABLE_NOT_READY", "table not ready in time"},
    {PCF_ECANCELLED, "CANCELLED", "cancelled"},
    {PCF_ELOCKED, "LOCKED", "locked by another run"},
    {PCF_ELOCK_LOST, "LOCK_LOST", "lock lost"},
    {PCF_ECONNECT, "CONNECT", "could not connect"},
    {PCF_ENETWORK, "NETWORK", "network error"},
    {PCF_EHTTP_TIMEOUT, "HTTP_TIMEOUT", "request timed out"},
    {PCF_ECRC32, "CRC32", "response CRC32 mismatch"},
    {PCF_EBADRESPONSE, "BADRESPONSE", "malformed response"},
    {PCF_ETLS, "TLS", "TLS verification failed"},
    {PCF_EHTTP, "HTTP", "HTTP error"},
    {PCF_ESERVICE, "SERVICE", "service error"},
    {PCF_ERESOURCE_NOT_FOUND, "RESOURCE_NOT_FOUND", "resource not found"},
    {PCF_ERESOURCE_IN_USE, "RESOURCE_IN_USE", "resource in use"},
    {PCF_ECONDITIONAL_CHECK_FAILED, "CONDITIONAL_CHECK_FAILED", "conditional check failed"},
    {PCF_EVALIDATION, "VALIDATION", "validation error"},
    {PCF_ETHROTTLING, "THROTTLING", "throttled"},
    {PCF_EPROVISIONED_THROUGHPUT_EXCEEDED, "PROVISIONED_THROUGHPUT_EXCEEDED",
     "provisioned throughput exceeded"},
    {PCF_EREQUEST_LIMIT_EXCEEDED, "REQUEST_LIMIT_EXCEEDED", "request limit exceeded"},
    {PCF_ELIMIT_EXCEEDED, "LIMIT_EXCEEDED", "limit exceeded"},
    {PCF_ETRANSACTION_CANCELED, "TRANSACTION_CANCELED", "transaction canceled"},
    {PCF_ETRANSACTION_CONFLICT, "TRANSACTION_CONFLICT", "transaction conflict"},
    {PCF_ETRANSACTION_IN_PROGRESS, "TRANSACTION_IN_PROGRESS", "transaction in progress"},
    {PCF_EIDEMPOTENT_PARAMETER_MISMATCH, "IDEMPOTENT_PARAMETER_MISMATCH",
     "idempotent parameter mismatch"},
    {PCF_EITEM_COLLECTION_SIZE_LIMIT, "ITEM_COLLECTION_SIZE_LIMIT",
     "item collection size limit exceeded"},
    {PCF_ECONTINUOUS_BACKUPS_UNAVAILABLE, "CONTINUOUS_BACKUPS_UNAVAILABLE",
     "continuous backups unavailable"},
    {PCF_EINTERNAL_SERVER, "INTERNAL_SERVER", "internal server error"},
    {PCF_ESERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", "service unavailable"},
    {PCF_EACCESS_DENIED, "ACCESS_DENIED", "access denied"},
    {PCF_EUNRECOGNIZED_CLIENT, "UNRECOGNIZED_CLIENT", "unrecognized client"},
    {PCF_EINVALID_SIGNATURE, "INVALID_SIGNATURE", "invalid signature"},
    {PCF_EEXPIRED_TOKEN, "EXPIRED_TOKEN", "expired token"},
    {PCF_EMISSING_AUTHENTICATION_TOKEN, "MISSING_AUTHENTICATION_TOKEN",
     "missing authentication token"},
    {PCF_EINCOMPLETE_SIGNATURE, "INCOMPLETE_SIGNATURE", "incomplete signature"},
    {PCF_ESERIALIZATION, "SERIALIZATION", "serialization error"},
    {PCF_EUNKNOWN_OPERATION, "UNKNOWN_OPERATION", "unknown operation"},
    {PCF_ETABLE_NOT_FOUND, "TABLE_NOT_FOUND", "table not found"},
    {PCF_ETABLE_IN_USE, "TABLE_IN_USE", "table in use"},
    {PCF_EINDEX_NOT_FOUND, "INDEX_NOT_FOUND", "index not found"},
    {PCF_EREPLICA_NOT_FOUND, "REPLICA_NOT_FOUND", "replica not found"},
    {PCF_EPOLICY_NOT_FOUND, "POLICY_NOT_FOUND", "policy not found"},
    {PCF_EBACKUP_NOT_FOUND, "BACKUP_NOT_FOUND", "backup not found"},
    {PCF_EBACKUP_IN_USE, "BACKUP_IN_USE", "backup in use"},
    {PCF_EINVALID_RESTORE_TIME, "INVALID_RESTORE_TIME", "invalid restore time"},
    {PCF_EPOINT_IN_TIME_RECOVERY_UNAVAILABLE, "POINT_IN_TIME_RECOVERY_UNAVAILABLE",
     "point-in-time recovery unavailable"},
    {PCF_EDUPLICATE_ITEM, "DUPLICATE_ITEM", "duplicate item"},
    {PCF_EREPLICATED_WRITE_CONFLICT, "REPLICATED_WRITE_CONFLICT", "replicated write conflict"},
    {PCF_EINVALID_ENDPOINT, "INVALID_ENDPOINT", "invalid endpoint"},
};

static const struct code_entry *find_code(int code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return &codes[i];
	return NULL;
}

const char *pcf_error_code_name(int code)
{
	const struct code_entry *e = find_code(code);
	return e ? e->name : "UNKNOWN";
}

const char *pcf_error_code_describe(int code)
{
	const struct code_entry *e = find_code(code);
	return e ? e->description : "unknown error";
}

void pcf_error_clear(pcf_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int pcf_error_vset(pcf_error *err, int code, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	pcf_error_clear(err);
	err->code = code;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return code;
}

int pcf_error_set(pcf_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pcf_error_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

int pcf_error_prefix(pcf_error *err, const char *fmt, ...)
{
	char joined[PCF_ERROR_MESSAGE_MAX];
	size_t used;
	va_list ap;

	if (!err)
		return PCF_EINTERNAL;
	va_start(ap, fmt);
	vsnprintf(joined, sizeof(joined), fmt, ap);
	va_end(ap);
	used = strlen(joined);
	if (used + 2 < sizeof(joined)) {
		memcpy(joined + used, ": ", 3);
		used += 2;
		memcpy(joined + used, err->message, sizeof(joined) - used - 1);
		joined[sizeof(joined) - 1] = '\0';
	}
	memcpy(err->message, joined, sizeof(err->message));
	return err->code;
}
