/*
 * Locating and querying the shared config files. Paths are resolved on
 * every load (not cached) because tests and long-running programs may
 * change HOME or the AWS_* variables between clients.
 */
#include "config_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/buf.h"

static char *resolve_path(const char *env_name, const char *default_rel)
{
	const char *env = getenv(env_name);
	const char *home = getenv("HOME");
	pcf_buf b = PCF_BUF_INIT;

	if (env && *env) {
		if (env[0] == '~' && env[1] == '/' && home)
			pcf_buf_printf(&b, "%s%s", home, env + 1);
		else
			pcf_buf_puts(&b, env);
	} else {
		pcf_buf_printf(&b, "%s/%s", home ? home : ".", default_rel);
	}
	return pcf_buf_detach(&b);
}

static int load_one(pcf_aws_ini **out, const char *path, pcf_error *err)
{
	int rc = pcf_aws_ini_load(out, path, err);
	if (rc == PCF_ENOTFOUND) {
		pcf_error_clear(err);
		return 0;
	}
	return rc;
}

int pcf_aws_config_files_load(pcf_aws_config_files *out, pcf_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	out->credentials_path = resolve_path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
	out->config_path = resolve_path("AWS_CONFIG_FILE", ".aws/config");
	if (!out->credentials_path || !out->config_path)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if ((rc = load_one(&out->credentials, out->credentials_path, err)) < 0)
		return rc;
	return load_one(&out->config, out->config_path, err);
}

void pcf_aws_config_files_cleanup(pcf_aws_config_files *files)
{
	if (!files)
		return;
	free(files->credentials_path);
	free(files->config_path);
	pcf_aws_ini_free(files->credentials);
	pcf_aws_ini_free(files->config);
	memset(files, 0, sizeof(*files));
}

/* The config file's section name for profile ("profile x", or "default"). */
static void config_section(char *out, size_t size, const char *profile)
{
	snprintf(out, size, "profile %s", profile);
}

const char *pcf_aws_config_get_config(const pcf_aws_config_files *files, const char *profile,
                                      const char *key)
{
	char section[512];
	const char *v;

	config_section(section, sizeof(section), profile);
	v = pcf_aws_ini_get(files->config, section, key);
	if (!v && strcmp(profile, "default") == 0)
		v = pcf_aws_ini_get(files->config, "default", key);
	return v;
}

const char *pcf_aws_config_get(const pcf_aws_config_files *files, const char *profile,
                               const char *key)
{
	const char *v = pcf_aws_ini_get(files->credentials, profile, key);
	return v ? v : pcf_aws_config_get_config(files, profile, key);
}

int pcf_aws_config_has_profile(const pcf_aws_config_files *files, const char *profile)
{
	char section[512];

	config_section(section, sizeof(section), profile);
	if (pcf_aws_ini_has_section(files->credentials, profile) ||
	    pcf_aws_ini_has_section(files->config, section))
		return 1;
	return strcmp(profile, "default") == 0 && pcf_aws_ini_has_section(files->config, "default");
}
