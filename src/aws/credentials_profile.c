/*
 * Credentials from the shared files: a profile's aws_access_key_id /
 * aws_secret_access_key (/ aws_session_token), else its
 * credential_process, else its web_identity_token_file with role_arn
 * (AssumeRoleWithWebIdentity). Profiles that assume a role from another
 * profile's keys (source_profile) are not followed. Keys in the credentials file win over the
 * config file, as in the SDKs.
 *
 * A profile the user named (--profile or AWS_PROFILE) that exists in
 * neither file is an error that stops the chain; a missing "default"
 * profile only means this source is not configured.
 */
#include "credentials.h"

#include <stdio.h>
#include <string.h>

#include "config_files.h"

static int from_keys(pcf_aws_credentials *out, const pcf_aws_config_files *files,
                     const char *profile, const char *source, pcf_error *err)
{
	const char *id = pcf_aws_config_get(files, profile, "aws_access_key_id");
	const char *secret = pcf_aws_config_get(files, profile, "aws_secret_access_key");
	const char *token = pcf_aws_config_get(files, profile, "aws_session_token");

	if (!id || !*id || !secret || !*secret)
		return pcf_error_set(err, PCF_ECREDENTIALS, "profile \"%s\" has %s but not %s",
		                     profile,
		                     id && *id ? "aws_access_key_id" : "aws_secret_access_key",
		                     id && *id ? "aws_secret_access_key" : "aws_access_key_id");
	if (pcf_aws_credentials_set(out, id, secret, token, 0, source) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}

/* PCF_ENOTFOUND when the profile has no web_identity_token_file. */
static int from_web_identity(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                             const pcf_aws_config_files *files, const char *profile, pcf_error *err)
{
	const char *token_file = pcf_aws_config_get(files, profile, "web_identity_token_file");
	const char *role_arn = pcf_aws_config_get(files, profile, "role_arn");
	int rc;

	if (!token_file || !*token_file)
		return PCF_ENOTFOUND;
	if (!role_arn || !*role_arn)
		return pcf_error_set(err, PCF_ECREDENTIALS,
		                     "profile \"%s\" has web_identity_token_file but no role_arn",
		                     profile);
	rc = pcf_aws_credentials_assume_role_with_web_identity(
	    out, ctx, token_file, role_arn, pcf_aws_config_get(files, profile, "role_session_name"),
	    err);
	if (rc < 0)
		pcf_error_prefix(err, "profile \"%s\"", profile);
	return rc;
}

int pcf_aws_credentials_from_profile(pcf_aws_credentials *out,
                                     const pcf_aws_credentials_context *ctx, pcf_error *err)
{
	const char *profile = pcf_aws_profile_name(ctx);
	int named = strcmp(profile, "default") != 0;
	pcf_aws_config_files files;
	const char *process;
	char source[64];
	int rc;

	snprintf(source, sizeof(source), "profile %s", profile);
	if ((rc = pcf_aws_config_files_load(&files, err)) < 0)
		goto out;
	if (!pcf_aws_config_has_profile(&files, profile)) {
		rc = pcf_error_set(err, named ? PCF_ECREDENTIALS : PCF_ENOTFOUND,
		                   "profile \"%s\" not found in %s or %s", profile,
		                   files.credentials_path, files.config_path);
		goto out;
	}
	if (pcf_aws_config_get(&files, profile, "aws_access_key_id") ||
	    pcf_aws_config_get(&files, profile, "aws_secret_access_key")) {
		rc = from_keys(out, &files, profile, source, err);
		goto out;
	}
	process = pcf_aws_config_get(&files, profile, "credential_process");
	if (process && *process) {
		rc = pcf_aws_credentials_from_process(out, process, source, err);
		if (rc < 0)
			pcf_error_prefix(err, "profile \"%s\"", profile);
		goto out;
	}
	rc = from_web_identity(out, ctx, &files, profile, err);
	if (rc == PCF_ENOTFOUND)
		rc = pcf_error_set(err, named ? PCF_ECREDENTIALS : PCF_ENOTFOUND,
		                   "profile \"%s\" has no aws_access_key_id, credential_process "
		                   "or web_identity_token_file",
		                   profile);
out:
	pcf_aws_config_files_cleanup(&files);
	return rc;
}
