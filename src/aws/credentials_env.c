/*
 * Credentials from the environment: AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and the optional AWS_SESSION_TOKEN. Half a pair is
 * a configuration error, not "absent", so it stops the chain with a clear
 * reason instead of silently using some other identity.
 */
#include "credentials.h"

#include <stdlib.h>

#include "src/common/util.h"

int pcf_aws_credentials_from_env(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                                 pcf_error *err)
{
	const char *id = pcf_util_getenv("AWS_ACCESS_KEY_ID");
	const char *secret = pcf_util_getenv("AWS_SECRET_ACCESS_KEY");

	(void)ctx;
	if (!id && !secret)
		return pcf_error_set(err, PCF_ENOTFOUND, "AWS_ACCESS_KEY_ID not set");
	if (!id)
		return pcf_error_set(err, PCF_ECREDENTIALS,
		                     "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
	if (!secret)
		return pcf_error_set(err, PCF_ECREDENTIALS,
		                     "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
	if (pcf_aws_credentials_set(out, id, secret, pcf_util_getenv("AWS_SESSION_TOKEN"), 0,
	                            "environment") < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}
