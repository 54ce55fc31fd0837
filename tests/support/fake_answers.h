/*
 * Canned answers for the FAKE server of fake_http.h, shared by the
 * transport tests: the DynamoDB error bodies and broken connections no real
 * server produces on demand, and a helper that fills call_many specs.
 */
#ifndef PCF_TESTS_FAKE_ANSWERS_H
#define PCF_TESTS_FAKE_ANSWERS_H

#include <stddef.h>

#include <pcf/aws.h>

#include "fake_http.h"

/*
 * An AWS JSON error answer: HTTP `status` with the body
 * {"__type":"<type>","message":"<message>"}; type and message are string
 * literals, type in full (e.g. "com.amazon.coral.validate#ValidationException").
 */
#define PCF_FAKE_AWS_ERROR(status, type, message)                                                  \
	{                                                                                          \
		PCF_FAKE_RESPOND, (status),                                                        \
		    "{\"__type\":\"" type "\",\"message\":\"" message "\"}", NULL, NULL            \
	}

/* A DynamoDB error answer: PCF_FAKE_AWS_ERROR in the DynamoDB namespace. */
#define PCF_FAKE_DDB_ERROR(status, name, message)                                                  \
	PCF_FAKE_AWS_ERROR(status, "com.amazonaws.dynamodb.v20120810#" name, message)

extern const pcf_fake_response pcf_fake_reset;     /* TCP reset, no answer */
extern const pcf_fake_response pcf_fake_hung;      /* never answers */
extern const pcf_fake_response pcf_fake_e500;      /* 500 InternalServerError */
extern const pcf_fake_response pcf_fake_e503;      /* 503 with an empty text body */
extern const pcf_fake_response pcf_fake_throttled; /* 400 ThrottlingException */

/*
 * Answers `status` with the printf-formatted body. The body lives in a
 * buffer of the calling thread (a handler's), valid until its next reply.
 */
void pcf_fake_reply(pcf_fake_response *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Zeroes calls[0..count) and makes each one `action` with the body "{}". */
void pcf_fake_call_specs(pcf_aws_call_spec *calls, size_t count, const char *action);

/*
 * Fills o for a client of `fake` that retries fast: max_attempts tries of
 * timeout_ms each, waiting a millisecond or two in between.
 */
/*
 * A time a test allows for something, scaled by PCF_TEST_TIME_SCALE (a
 * whole number, default 1). scripts/valgrind.sh sets it: under valgrind
 * every request takes many times longer, and a timeout or a bound chosen
 * for native speed would fail for that reason alone.
 */
long pcf_test_scaled_ms(long ms);

void pcf_fake_quick_options(pcf_aws_options *o, const pcf_fake_server *fake, int max_attempts,
                            long timeout_ms);

#endif
