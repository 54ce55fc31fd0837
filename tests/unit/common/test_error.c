#include <criterion/criterion.h>
#include <pcf/common.h>
#include <pcf/error.h>
#include <string.h>

Test(error, set_fills_code_and_message_and_clears_the_rest)
{
	pcf_error err = PCF_ERROR_INIT;
	err.http_status = 500;
	strcpy(err.aws_type, "Old");
	int rc = pcf_error_set(&err, PCF_EINVAL, "bad %s", "thing");
	cr_assert_eq(rc, PCF_EINVAL);
	cr_assert_eq(err.code, PCF_EINVAL);
	cr_assert_str_eq(err.message, "bad thing");
	cr_assert_eq(err.http_status, 0);
	cr_assert_str_eq(err.aws_type, "");
}

Test(error, set_accepts_null)
{
	cr_assert_eq(pcf_error_set(NULL, PCF_ENOMEM, "x"), PCF_ENOMEM);
}

Test(error, prefix_keeps_code_and_says_where)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_error_set(&err, PCF_ERESOURCE_NOT_FOUND, "table gone");
	pcf_error_prefix(&err, "orders");
	cr_assert_str_eq(err.message, "orders: table gone");
	cr_assert_eq(err.code, PCF_ERESOURCE_NOT_FOUND);
}

Test(error, every_code_has_a_name)
{
	cr_assert_str_eq(pcf_error_code_name(PCF_ECONDITIONAL_CHECK_FAILED),
	                 "CONDITIONAL_CHECK_FAILED");
	cr_assert_str_eq(pcf_error_code_name(12345), "UNKNOWN");
	for (int c = 0; c >= PCF_EINVALID_ENDPOINT; c--) {
		const char *n = pcf_error_code_name(c);
		cr_assert_not_null(n);
	}
}

Test(redact, masks_signature_and_tokens)
{
	char out[512];
	pcf_redact(out, sizeof(out),
	           "Authorization: AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, "
	           "Signature=abcdef0123");
	cr_assert_null(strstr(out, "abcdef0123"));
	cr_assert_not_null(strstr(out, "Signature=***"));
	cr_assert_not_null(strstr(out, "Credential=AKID"));

	pcf_redact(out, sizeof(out), "X-Amz-Security-Token: FQoGZXIvYXdzEJr\r\nHost: x");
	cr_assert_null(strstr(out, "FQoGZXIvYXdzEJr"));
	cr_assert_not_null(strstr(out, "Host: x"));

	pcf_redact(out, sizeof(out),
	           "{\"SecretAccessKey\": \"wJalrXUtnFEMI\", \"SessionToken\":\"tok\"}");
	cr_assert_null(strstr(out, "wJalrXUtnFEMI"));
	cr_assert_null(strstr(out, "\"tok\""));
}

Test(redact, truncates_safely)
{
	char out[8];
	pcf_redact(out, sizeof(out), "a long line of text");
	cr_assert_eq(strlen(out), 7);
}
