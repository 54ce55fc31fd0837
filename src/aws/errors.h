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

#endif
