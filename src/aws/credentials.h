/*
 * AWS credentials and the providers that find them.
 *
 * Each source lives in its own file (credentials_env.c, _web_identity.c,
 * _profile.c, _process.c, _container.c, _imds.c) behind one signature, a
 * pcf_aws_credentials_source_fn. credentials_chain.c tries them in the AWS
 * SDKs' default order and caches the result, refreshing temporary
 * credentials before they expire.
 *
 * A source answers one of three ways: 0 (credentials found), PCF_ENOTFOUND
 * (this source is not configured: the chain moves on and remembers why), or
 * another PCF_E code (the source is configured but broken: the chain stops,
 * like the SDKs do, so a typo never silently falls through to other
 * credentials). In both failure cases err->message says why.
 */
#ifndef PCF_AWS_CREDENTIALS_H
#define PCF_AWS_CREDENTIALS_H

#include <stddef.h>
#include <time.h>

#include <pcf/common.h>
#include <pcf/error.h>

typedef struct pcf_aws_credentials {
	char *access_key_id;
	char *secret_access_key;
	char *session_token; /* NULL for long-term keys */
	time_t expiration;   /* 0: does not expire */
	char source[64];     /* where they came from, for logs ("environment") */
} pcf_aws_credentials;

#define PCF_AWS_CREDENTIALS_INIT                                                                   \
	{                                                                                          \
		NULL, NULL, NULL, 0, ""                                                            \
	}

/* Frees the strings and zeroes the struct (secrets are wiped first). Accepts NULL. */
void pcf_aws_credentials_cleanup(pcf_aws_credentials *creds);

/*
 * Fills out with copies of the given strings (token may be NULL). Returns 0
 * or PCF_ENOMEM. On failure out is left clean.
 */
int pcf_aws_credentials_set(pcf_aws_credentials *out, const char *access_key_id,
                            const char *secret_access_key, const char *session_token,
                            time_t expiration, const char *source);

/* Deep copy of src into out (cleaned first). Returns 0 or PCF_ENOMEM. */
int pcf_aws_credentials_copy(pcf_aws_credentials *out, const pcf_aws_credentials *src);

/* What every source may read besides the environment. */
typedef struct pcf_aws_credentials_context {
	const char *profile;      /* NULL: AWS_PROFILE, else "default" */
	const pcf_logger *logger; /* may be NULL */
	long http_timeout_ms;     /* for STS and container endpoints; 0: 5000 */
	int insecure_skip_tls_verify;
} pcf_aws_credentials_context;

typedef int (*pcf_aws_credentials_source_fn)(pcf_aws_credentials *out,
                                             const pcf_aws_credentials_context *ctx,
                                             pcf_error *err);

/* The sources, in chain order. */
int pcf_aws_credentials_from_env(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                                 pcf_error *err);
int pcf_aws_credentials_from_web_identity(pcf_aws_credentials *out,
                                          const pcf_aws_credentials_context *ctx, pcf_error *err);
int pcf_aws_credentials_from_profile(pcf_aws_credentials *out,
                                     const pcf_aws_credentials_context *ctx, pcf_error *err);
int pcf_aws_credentials_from_container(pcf_aws_credentials *out,
                                       const pcf_aws_credentials_context *ctx, pcf_error *err);
int pcf_aws_credentials_from_imds(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                                  pcf_error *err);

/*
 * Exchanges the token in token_file for role_arn's credentials with STS
 * AssumeRoleWithWebIdentity (session_name may be NULL). Used by the web
 * identity source and by profiles with web_identity_token_file. Returns 0,
 * or PCF_EIO / PCF_ECREDENTIALS / PCF_EBADRESPONSE with a reason.
 */
int pcf_aws_credentials_assume_role_with_web_identity(pcf_aws_credentials *out,
                                                      const pcf_aws_credentials_context *ctx,
                                                      const char *token_file, const char *role_arn,
                                                      const char *session_name, pcf_error *err);

/*
 * Runs a credential_process command line (through /bin/sh) and reads the
 * JSON it prints (Version 1). Returns 0, or PCF_EIO / PCF_ECREDENTIALS with
 * a reason. Used by the profile source.
 */
int pcf_aws_credentials_from_process(pcf_aws_credentials *out, const char *command,
                                     const char *source, pcf_error *err);

/*
 * Parses an ISO 8601 UTC time such as "2026-11-23T20:15:00Z" (fractional
 * seconds allowed) into *out. Returns 0 or PCF_EBADRESPONSE.
 */
int pcf_aws_parse_iso8601(time_t *out, const char *text);

/*
 * Fills out from a JSON credentials document with AccessKeyId,
 * SecretAccessKey, the token under token_field ("Token" or "SessionToken",
 * optional) and an optional ISO 8601 Expiration. Returns 0 or
 * PCF_EBADRESPONSE naming the missing field.
 */
int pcf_aws_credentials_from_json(pcf_aws_credentials *out, const char *json, size_t len,
                                  const char *token_field, const char *source, pcf_error *err);

/*
 * Reads a whole small file (at most max_len bytes) into *out (free with
 * free), trailing whitespace removed. Returns 0 or PCF_EIO naming the path.
 */
int pcf_aws_read_small_file(char **out, const char *path, size_t max_len, pcf_error *err);

/* The resolved profile name: ctx->profile, AWS_PROFILE, else "default". */
const char *pcf_aws_profile_name(const pcf_aws_credentials_context *ctx);

#endif
