/*
 * Turning an AWS error response into a pcf_error.
 */
#ifndef PCF_AWS_ERRORS_H
#define PCF_AWS_ERRORS_H

#include <stddef.h>

#include <pcf/error.h>

/*
 * Fills err from a non-2xx JSON-protocol response: the __type (or, when the
 * body has none, the x-amzn-ErrorType header value header_type, may be NULL)
 * mapped to a code, the service's message, status and request id. A body
 * that is not an AWS error gives PCF_EHTTP. Returns the code.
 */
int pcf_aws_error_from_response(pcf_error *err, long http_status, const char *body, size_t len,
                                const char *header_type, const char *request_id);

/* Who, if anyone, tries a failed request again (see errors.c for the why). */
typedef enum pcf_aws_retry_kind {
	PCF_AWS_RETRY_NEVER = 0, /* sending it again gives the same answer */
	PCF_AWS_RETRY_NOW,       /* transient at the HTTP level: the transport resends */
	PCF_AWS_RETRY_LATER      /* the service says it will pass: the caller waits it out */
} pcf_aws_retry_kind;

/*
 * The one verdict on a failure with this pcf code, HTTP status (0 when no
 * answer came) and service message (may be NULL).
 */
pcf_aws_retry_kind pcf_aws_error_retry_kind(int code, long http_status, const char *message);

#endif
