/*
 * The credentials value: copying, wiping, and the small parsers every
 * source shares (expiration times, the profile name).
 */
#include "credentials.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <cjson/cJSON.h>

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
	           &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6 ||
	    used == 0)
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

static const char *json_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

int pcf_aws_credentials_from_json(pcf_aws_credentials *out, const char *json, size_t len,
                                  const char *token_field, const char *source, pcf_error *err)
{
	const char *end = NULL, *id, *secret, *expiration;
	cJSON *doc = cJSON_ParseWithLengthOpts(json, len, &end, 0);
	time_t expires = 0;
	int rc;

	if (!doc || !cJSON_IsObject(doc)) {
		rc = pcf_error_set(err, PCF_EBADRESPONSE, "the answer is not a JSON object");
		goto out;
	}
	id = json_string(doc, "AccessKeyId");
	secret = json_string(doc, "SecretAccessKey");
	expiration = json_string(doc, "Expiration");
	if (!id || !secret) {
		rc = pcf_error_set(err, PCF_EBADRESPONSE, "the answer has no %s",
		                   id ? "SecretAccessKey" : "AccessKeyId");
		goto out;
	}
	if (expiration && pcf_aws_parse_iso8601(&expires, expiration) < 0) {
		rc = pcf_error_set(err, PCF_EBADRESPONSE,
		                   "Expiration \"%s\" is not an ISO 8601 time", expiration);
		goto out;
	}
	rc = pcf_aws_credentials_set(out, id, secret, json_string(doc, token_field), expires,
	                             source);
	if (rc < 0)
		pcf_error_set(err, rc, "out of memory");
out:
	cJSON_Delete(doc);
	return rc;
}

int pcf_aws_read_small_file(char **out, const char *path, size_t max_len, pcf_error *err)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;

	*out = NULL;
	if (!f)
		return pcf_error_set(err, PCF_EIO, "cannot read %s: %s", path, strerror(errno));
	text = malloc(max_len + 1);
	if (!text) {
		fclose(f);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	n = fread(text, 1, max_len, f);
	fclose(f);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	text[n] = '\0';
	*out = text;
	return 0;
}
