/*
 * The credentials value: copying, wiping, and the small parsers every
 * source shares (expiration times, the profile name).
 */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static void free_secret(char *s)
{
	if (!s)
		return;
	OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void pcf_aws_credentials_cleanup(pcf_aws_credentials *creds)
{
	if (!creds)
		return;
	free(creds->access_key_id);
	free_secret(creds->secret_access_key);
	free_secret(creds->session_token);
	memset(creds, 0, sizeof(*creds));
}

int pcf_aws_credentials_set(pcf_aws_credentials *out, const char *access_key_id,
			    const char *secret_access_key, const char *session_token,
			    time_t expiration, const char *source)
{
	pcf_aws_credentials c = PCF_AWS_CREDENTIALS_INIT;

	c.access_key_id = strdup(access_key_id);
	c.secret_access_key = strdup(secret_access_key);
	c.session_token = session_token && *session_token ? strdup(session_token) : NULL;
	if (!c.access_key_id || !c.secret_access_key ||
	    (session_token && *session_token && !c.session_token)) {
		pcf_aws_credentials_cleanup(&c);
		return PCF_ENOMEM;
	}
	c.expiration = expiration;
	snprintf(c.source, sizeof(c.source), "%s", source ? source : "");
	pcf_aws_credentials_cleanup(out);
	*out = c;
	return 0;
}

int pcf_aws_credentials_copy(pcf_aws_credentials *out, const pcf_aws_credentials *src)
{
	return pcf_aws_credentials_set(out, src->access_key_id, src->secret_access_key,
				       src->session_token, src->expiration, src->source);
}

int pcf_aws_parse_iso8601(time_t *out, const char *text)
{
	struct tm tm;
	int used = 0;
	const char *rest;

	if (!text)
		return PCF_EBADRESPONSE;
	memset(&tm, 0, sizeof(tm));
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6 || used == 0)
		return PCF_EBADRESPONSE;
	rest = text + used;
	if (*rest == '.')
		for (rest++; *rest >= '0' && *rest <= '9'; rest++)
			;
	if (strcmp(rest, "Z") != 0 && strcmp(rest, "+00:00") != 0 && *rest != '\0')
		return PCF_EBADRESPONSE;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return 0;
}

const char *pcf_aws_profile_name(const pcf_aws_credentials_context *ctx)
{
	const char *env;

	if (ctx && ctx->profile && *ctx->profile)
		return ctx->profile;
	env = getenv("AWS_PROFILE");
	if (env && *env)
		return env;
	return "default";
}
