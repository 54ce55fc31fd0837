/*
 * Errors shared by every pcf module.
 *
 * A function that can fail returns 0 or a negative PCF_E... code and, when
 * the caller passes a pcf_error (it may pass NULL), fills it with the detail:
 * the code, the HTTP status, whether a retry could help, the AWS error name
 * and request id, the number of attempts, and a one-line message. There is
 * no thread-local "last error": particles converge on several threads.
 */
#ifndef PCF_ERROR_H
#define PCF_ERROR_H

#include <stdarg.h>

#include <pcf/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Codes are negative so that "rc < 0" means failure everywhere. The first
 * block is pcf's own; the second names transport failures; the third is one
 * code per DynamoDB / AWS error __type (mapped in src/aws/errors.c, which
 * keeps the raw name and message too). Codes are appended, never renumbered.
 */
typedef enum pcf_error_code {
	PCF_OK = 0,
	PCF_EINTERNAL = -1,   /* a bug in pcf; never used for an expected failure */
	PCF_ENOMEM = -2,      /* out of memory */
	PCF_EINVAL = -3,      /* invalid argument from the caller */
	PCF_EDEFINITION = -4, /* definitions failed to load or validate */
	PCF_EIO = -5,         /* a local file or process could not be read or run */
	PCF_ENOTFOUND = -6,   /* a named particle, file, profile or option does not exist */
	PCF_EREFUSED =
	    -7, /* pcf refused an action (needs --yes, --allow-replace, protected table) */
	PCF_ETIMEDOUT = -8,     /* a wait ran past its deadline */
	PCF_EUNAVAILABLE = -9,  /* the resource is in a state pcf never acts on */
	PCF_EDEPENDENCY = -10,  /* not attempted because a parent failed */
	PCF_ECONFIG = -11,      /* bad configuration: region, endpoint, profile */
	PCF_ECREDENTIALS = -12, /* no credential source produced credentials */
	PCF_ESCHEMA = -13,      /* an existing table's key schema does not match (config store) */
	PCF_ENOCHANGE = -14,    /* a planned step left the resource unchanged */
	PCF_ETABLE_NOT_CREATED =
	    -15, /* a config store's table could not be created (TableNotCreated) */
	PCF_ETABLE_NOT_READY =
	    -16, /* a config store's table did not become ACTIVE in time (TableNotReady) */
	PCF_ECANCELLED = -17, /* the run was cancelled (pcf_engine_cancel, Ctrl-C) */
	PCF_ELOCKED = -18,    /* a particle's lease lock is held by another run (pcf/lock.h) */
	PCF_ELOCK_LOST = -19, /* a lease lock this run held was lost (taken over, not renewed) */

	/* Transport. */
	PCF_ECONNECT = -100,      /* could not connect (refused, DNS, TLS handshake) */
	PCF_ENETWORK = -101,      /* connection broke mid-request */
	PCF_EHTTP_TIMEOUT = -102, /* the request or connect timed out */
	PCF_ECRC32 = -103,        /* x-amz-crc32 did not match the body */
	PCF_EBADRESPONSE = -104,  /* the response was not what the protocol allows */
	PCF_ETLS = -105,          /* certificate verification failed */
	PCF_EHTTP = -106,         /* an HTTP error without a recognisable AWS error body */

	/* Service errors (AWS error __type). */
	PCF_ESERVICE = -200,                         /* an AWS error with an unknown __type */
	PCF_ERESOURCE_NOT_FOUND = -201,              /* ResourceNotFoundException */
	PCF_ERESOURCE_IN_USE = -202,                 /* ResourceInUseException */
	PCF_ECONDITIONAL_CHECK_FAILED = -203,        /* ConditionalCheckFailedException */
	PCF_EVALIDATION = -204,                      /* ValidationException */
	PCF_ETHROTTLING = -205,                      /* ThrottlingException */
	PCF_EPROVISIONED_THROUGHPUT_EXCEEDED = -206, /* ProvisionedThroughputExceededException */
	PCF_EREQUEST_LIMIT_EXCEEDED = -207,          /* RequestLimitExceeded */
	PCF_ELIMIT_EXCEEDED = -208,                  /* LimitExceededException */
	PCF_ETRANSACTION_CANCELED = -209,            /* TransactionCanceledException */
	PCF_ETRANSACTION_CONFLICT = -210,            /* TransactionConflictException */
	PCF_ETRANSACTION_IN_PROGRESS = -211,         /* TransactionInProgressException */
	PCF_EIDEMPOTENT_PARAMETER_MISMATCH = -212,   /* IdempotentParameterMismatchException */
	PCF_EITEM_COLLECTION_SIZE_LIMIT = -213,      /* ItemCollectionSizeLimitExceededException */
	PCF_ECONTINUOUS_BACKUPS_UNAVAILABLE = -214,  /* ContinuousBackupsUnavailableException */
	PCF_EINTERNAL_SERVER = -215,                 /* InternalServerError */
	PCF_ESERVICE_UNAVAILABLE = -216,             /* ServiceUnavailable */
	PCF_EACCESS_DENIED = -217,                   /* AccessDeniedException */
	PCF_EUNRECOGNIZED_CLIENT = -218,             /* UnrecognizedClientException */
	PCF_EINVALID_SIGNATURE = -219,               /* InvalidSignatureException */
	PCF_EEXPIRED_TOKEN = -220,                   /* ExpiredTokenException */
	PCF_EMISSING_AUTHENTICATION_TOKEN = -221,    /* MissingAuthenticationTokenException */
	PCF_EINCOMPLETE_SIGNATURE = -222,            /* IncompleteSignatureException */
	PCF_ESERIALIZATION = -223,                   /* SerializationException */
	PCF_EUNKNOWN_OPERATION = -224,               /* UnknownOperationException */
	PCF_ETABLE_NOT_FOUND = -225,                 /* TableNotFoundException */
	PCF_ETABLE_IN_USE = -226,                    /* TableInUseException */
	PCF_EINDEX_NOT_FOUND = -227,                 /* IndexNotFoundException */
	PCF_EREPLICA_NOT_FOUND = -228,               /* ReplicaNotFoundException */
	PCF_EPOLICY_NOT_FOUND = -229,                /* PolicyNotFoundException */
	PCF_EBACKUP_NOT_FOUND = -230,                /* BackupNotFoundException */
	PCF_EBACKUP_IN_USE = -231,                   /* BackupInUseException */
	PCF_EINVALID_RESTORE_TIME = -232,            /* InvalidRestoreTimeException */
	PCF_EPOINT_IN_TIME_RECOVERY_UNAVAILABLE =
	    -233,                              /* PointInTimeRecoveryUnavailableException */
	PCF_EDUPLICATE_ITEM = -234,            /* DuplicateItemException */
	PCF_EREPLICATED_WRITE_CONFLICT = -235, /* ReplicatedWriteConflictException */
	PCF_EINVALID_ENDPOINT = -236           /* InvalidEndpointException */
} pcf_error_code;

/* Sizes of the fixed buffers in pcf_error; longer text is truncated. */
#define PCF_ERROR_TYPE_MAX       96
#define PCF_ERROR_REQUEST_ID_MAX 96
#define PCF_ERROR_MESSAGE_MAX    1024

/* Caller storage: declare one, pass its address, read it after a failure. */
typedef struct pcf_error {
	int code;                          /* a pcf_error_code, 0 when clear */
	long http_status;                  /* 0 when no HTTP response was received */
	int retryable;                     /* 1: will pass; wait, then try again */
	int attempts;                      /* requests sent, retries included */
	char aws_type[PCF_ERROR_TYPE_MAX]; /* the raw __type, "" when none */
	char request_id[PCF_ERROR_REQUEST_ID_MAX];
	char message[PCF_ERROR_MESSAGE_MAX]; /* one line, no secrets */
	/*
	 * 1 when the request may have taken effect although this error says it
	 * failed: an earlier attempt reached the server and its answer was lost
	 * (reset, timeout, 5xx, unreadable body), and the server then refused
	 * the repeat, or accepted it with an answer pcf could not read. Such a
	 * refusal is no verdict on the change: re-read the live state and judge
	 * by that. Set only by the AWS transport.
	 */
	int maybe_applied;
	/* With retryable: how long to wait before trying again (a lock held
	 * elsewhere is looked at again this soon); 0: the caller's own backoff. */
	long retry_after_ms;
} pcf_error;

#define PCF_ERROR_INIT                                                                             \
	{                                                                                          \
		.code = 0, .http_status = 0, .retryable = 0, .attempts = 0, .aws_type = "",        \
		.request_id = "", .message = "", .maybe_applied = 0, .retry_after_ms = 0           \
	}

/* Resets err to "no error". Accepts NULL. */
PCF_EXTERN void pcf_error_clear(pcf_error *err);

/*
 * Fills err (may be NULL) with code and a printf-style message, clearing
 * the other fields, and returns code so a caller can write
 * "return pcf_error_set(err, PCF_EINVAL, "...")".
 */
PCF_EXTERN int pcf_error_set(pcf_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
PCF_EXTERN int pcf_error_vset(pcf_error *err, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * Puts "prefix: " in front of err's message, keeping everything else, and
 * returns err->code. Used to say where a lower-level failure happened.
 */
PCF_EXTERN int pcf_error_prefix(pcf_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The enum name without "PCF_E", e.g. "RESOURCE_NOT_FOUND"; never NULL, static (never freed). */
PCF_EXTERN const char *pcf_error_code_name(int code);

/* A short English description of a code; never NULL, static (never freed). */
PCF_EXTERN const char *pcf_error_code_describe(int code);

#ifdef __cplusplus
}
#endif
#endif
