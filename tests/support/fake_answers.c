/* Canned FAKE server answers shared by the transport tests (fake_answers.h). */
#include "fake_answers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const pcf_fake_response pcf_fake_reset = {PCF_FAKE_RESET, 0, NULL, NULL, NULL};
const pcf_fake_response pcf_fake_hung = {PCF_FAKE_HANG, 0, NULL, NULL, NULL};
const pcf_fake_response pcf_fake_e500 =
    PCF_FAKE_DDB_ERROR(500, "InternalServerError", "Internal server error");
const pcf_fake_response pcf_fake_e503 = {PCF_FAKE_RESPOND, 503, "", "text/plain", NULL};
const pcf_fake_response pcf_fake_throttled = PCF_FAKE_DDB_ERROR(
    400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.");

void pcf_fake_call_specs(pcf_aws_call_spec *calls, size_t count, const char *action)
{
	size_t i;

	memset(calls, 0, count * sizeof(*calls));
	for (i = 0; i < count; i++) {
		calls[i].action = action;
		calls[i].body = "{}";
		calls[i].len = 2;
	}
}

long pcf_test_scaled_ms(long ms)
{
	const char *v = getenv("PCF_TEST_TIME_SCALE");
	long scale = v ? strtol(v, NULL, 10) : 1;

	return scale > 1 ? ms * scale : ms;
}

void pcf_fake_quick_options(pcf_aws_options *o, const pcf_fake_server *fake, int max_attempts,
                            long timeout_ms)
{
	o->endpoint = pcf_fake_server_url(fake);
	o->max_attempts = max_attempts;
	o->request_timeout_ms = pcf_test_scaled_ms(timeout_ms);
	o->retry_base_delay_ms = 1;
	o->retry_throttle_base_delay_ms = 1;
	o->retry_max_delay_ms = 2;
}

void pcf_fake_reply(pcf_fake_response *resp, int status, const char *fmt, ...)
{
	static _Thread_local char body[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	resp->status = status;
	resp->body = body;
}
