/*
 * Region and endpoint resolution. URLs are taken apart with libcurl's URL
 * API so that the Host value pcf signs is the one it sends (pcf sets the
 * Host header itself rather than trusting two parsers to agree).
 */
#include "endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "config_files.h"

#include "src/common/buf.h"
#include "src/common/util.h"

static int region_is_valid(const char *r)
{
	if (!*r)
		return 0;
	for (; *r; r++)
		if (!isalnum((unsigned char)*r) && *r != '-')
			return 0;
	return 1;
}

static int copy_region(char **out, const char *region, const char *source, pcf_error *err)
{
	if (!region_is_valid(region))
		return pcf_error_set(err, PCF_ECONFIG, "invalid region \"%s\" from %s", region,
		                     source);
	*out = strdup(region);
	return *out ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
}

/*
 * A profile the user named (explicitly or through AWS_PROFILE) must exist,
 * whatever else is set: botocore refuses it with ProfileNotFound before any
 * request, and signing with other keys than the ones asked for is worse
 * than stopping. A missing "default" profile only means none is configured.
 */
static int check_profile(const pcf_aws_config_files *files, const char *name, const char *source,
                         pcf_error *err)
{
	if (!strcmp(name, "default") || pcf_aws_config_has_profile(files, name))
		return 0;
	return pcf_error_set(err, PCF_ECONFIG, "profile \"%s\" (from %s) not found in %s or %s",
	                     name, source, files->credentials_path, files->config_path);
}

int pcf_aws_resolve_region(char **out, const char *explicit_region, const char *profile,
                           pcf_error *err)
{
	pcf_aws_config_files files;
	const char *v, *name = profile && *profile ? profile : pcf_util_getenv("AWS_PROFILE");
	const char *source = profile && *profile ? "--profile" : "AWS_PROFILE";
	int rc;

	*out = NULL;
	if ((rc = pcf_aws_config_files_load(&files, err)) < 0)
		goto out;
	if (name && (rc = check_profile(&files, name, source, err)) < 0)
		goto out;
	if (explicit_region && *explicit_region)
		rc = copy_region(out, explicit_region, "--region", err);
	else if ((v = pcf_util_getenv("AWS_REGION")))
		rc = copy_region(out, v, "AWS_REGION", err);
	else if ((v = pcf_util_getenv("AWS_DEFAULT_REGION")))
		rc = copy_region(out, v, "AWS_DEFAULT_REGION", err);
	else if ((v = pcf_aws_config_get_config(&files, name ? name : "default", "region")) && *v)
		rc = copy_region(out, v, files.config_path, err);
out:
	pcf_aws_config_files_cleanup(&files);
	return rc;
}

static char *url_part(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	char *copy;
	if (curl_url_get(u, part, &v, 0) != CURLUE_OK)
		return NULL;
	copy = strdup(v);
	curl_free(v);
	return copy;
}

static int fill_from_url(pcf_aws_endpoint *out, CURLU *u, const char *url, pcf_error *err)
{
	char *scheme = url_part(u, CURLUPART_SCHEME);
	char *host = url_part(u, CURLUPART_HOST);
	char *port = url_part(u, CURLUPART_PORT);
	pcf_buf b = PCF_BUF_INIT;
	int rc = 0;

	if (!scheme || (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
		rc = pcf_error_set(err, PCF_ECONFIG,
		                   "endpoint \"%s\" must be an http:// or https:// URL", url);
		goto out;
	}
	if (!host || !*host) {
		rc = pcf_error_set(err, PCF_ECONFIG,
		                   "endpoint \"%s\" has no host: expected %s://HOST[:PORT]", url,
		                   scheme);
		goto out;
	}
	out->https = strcasecmp(scheme, "https") == 0;
	out->path = url_part(u, CURLUPART_PATH);
	pcf_buf_puts(&b, host);
	if (port)
		pcf_buf_printf(&b, ":%s", port);
	out->host = pcf_buf_detach(&b);
	b = (pcf_buf)PCF_BUF_INIT;
	pcf_buf_printf(&b, "%s://%s%s", out->https ? "https" : "http", out->host ? out->host : "",
	               out->path ? out->path : "/");
	out->url = pcf_buf_detach(&b);
	if (!out->path || !out->host || !out->url)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
out:
	free(scheme);
	free(host);
	free(port);
	return rc;
}

int pcf_aws_endpoint_parse(pcf_aws_endpoint *out, const char *url, pcf_error *err)
{
	CURLU *u = curl_url();
	CURLUcode uc;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!u)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (!strstr(url, "://")) {
		/* libcurl would guess http:// for "localhost:8000"; a guess is not what was meant.
		 */
		rc = pcf_error_set(err, PCF_ECONFIG,
		                   "endpoint \"%s\" has no scheme: expected http://HOST[:PORT] or "
		                   "https://HOST[:PORT]",
		                   url);
		goto out;
	}
	uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (uc == CURLUE_NO_HOST) {
		rc = pcf_error_set(err, PCF_ECONFIG,
		                   "endpoint \"%s\" has no host: expected http://HOST[:PORT] or "
		                   "https://HOST[:PORT]",
		                   url);
		goto out;
	}
	if (uc != CURLUE_OK) {
		rc = pcf_error_set(err, PCF_ECONFIG, "endpoint \"%s\" is not a valid URL (%s)", url,
		                   curl_url_strerror(uc));
		goto out;
	}
	rc = fill_from_url(out, u, url, err);
out:
	curl_url_cleanup(u);
	if (rc < 0)
		pcf_aws_endpoint_cleanup(out);
	return rc;
}

/* AWS_ENDPOINT_URL_<SERVICE>: the service name upper-cased, '-' and ' ' as '_'. */
static void service_env_name(char *out, size_t size, const char *service)
{
	size_t n = (size_t)snprintf(out, size, "AWS_ENDPOINT_URL_");
	for (const char *s = service; *s && n + 1 < size; s++)
		out[n++] = (*s == '-' || *s == ' ') ? '_' : (char)toupper((unsigned char)*s);
	out[n] = '\0';
}

int pcf_aws_resolve_endpoint(pcf_aws_endpoint *out, const char *explicit_url, const char *service,
                             const char *region, pcf_error *err)
{
	char env_name[96], built[256];
	const char *url = NULL, *source = NULL;
	int rc;

	service_env_name(env_name, sizeof(env_name), service);
	if (explicit_url && *explicit_url) {
		url = explicit_url;
		source = "--endpoint";
	} else if ((url = pcf_util_getenv(env_name))) {
		source = env_name;
	} else if ((url = pcf_util_getenv("AWS_ENDPOINT_URL"))) {
		source = "AWS_ENDPOINT_URL";
	} else if (strcmp(service, "dynamodb") == 0 &&
	           (url = pcf_util_getenv("DYNAMODB_ENDPOINT"))) {
		source = "DYNAMODB_ENDPOINT";
	} else {
		if (!region || !*region)
			return pcf_error_set(err, PCF_ECONFIG,
			                     "no region: use --region, AWS_REGION, "
			                     "AWS_DEFAULT_REGION or a profile's region");
		snprintf(built, sizeof(built), "https://%s.%s.amazonaws.com", service, region);
		url = built;
		source = "default";
	}
	rc = pcf_aws_endpoint_parse(out, url, err);
	if (rc < 0)
		return pcf_error_prefix(err, "%s", source);
	snprintf(out->source, sizeof(out->source), "%s", source);
	return 0;
}

void pcf_aws_endpoint_cleanup(pcf_aws_endpoint *endpoint)
{
	if (!endpoint)
		return;
	free(endpoint->url);
	free(endpoint->host);
	free(endpoint->path);
	memset(endpoint, 0, sizeof(*endpoint));
}
