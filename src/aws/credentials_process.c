/*
 * credential_process: a profile names a command that prints credentials as
 * JSON ({"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...,
 * "SessionToken": ..., "Expiration": ...}). The command runs through
 * /bin/sh, as the SDKs run it through the platform shell; its stderr goes
 * to ours so the user sees why it failed.
 */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "src/common/buf.h"

#define PROCESS_OUTPUT_MAX (64 * 1024)

static int read_output(pcf_buf *out, const char *command, int *status, pcf_error *err)
{
	char chunk[4096];
	size_t n;
	FILE *p = popen(command, "r");

	if (!p)
		return pcf_error_set(err, PCF_EIO, "credential_process could not start");
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		if (out->len < PROCESS_OUTPUT_MAX)
			pcf_buf_append(out, chunk, n);
	*status = pclose(p);
	if (pcf_buf_failed(out))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}

static int check_version(const char *text, size_t len, pcf_error *err)
{
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	const cJSON *v = doc ? cJSON_GetObjectItemCaseSensitive(doc, "Version") : NULL;
	int ok = cJSON_IsNumber(v) && v->valueint == 1;

	cJSON_Delete(doc);
	if (ok)
		return 0;
	return pcf_error_set(err, PCF_ECREDENTIALS,
	                     "credential_process output is not JSON with \"Version\": 1");
}

int pcf_aws_credentials_from_process(pcf_aws_credentials *out, const char *command,
                                     const char *source, pcf_error *err)
{
	pcf_buf output = PCF_BUF_INIT;
	int status = 0, rc;

	if ((rc = read_output(&output, command, &status, err)) < 0)
		goto out;
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rc =
		    pcf_error_set(err, PCF_ECREDENTIALS, "credential_process exited with status %d",
		                  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		goto out;
	}
	if ((rc = check_version(output.data ? output.data : "", output.len, err)) < 0)
		goto out;
	rc = pcf_aws_credentials_from_json(out, output.data, output.len, "SessionToken", source,
	                                   err);
	if (rc < 0) {
		pcf_error_prefix(err, "credential_process");
		rc = PCF_ECREDENTIALS;
		if (err)
			err->code = rc;
	}
out:
	if (output.data)
		memset(output.data, 0, output.len);
	pcf_buf_cleanup(&output);
	return rc;
}
