/*
 * The shared config and credentials files, found the SDK way:
 * AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, AWS_CONFIG_FILE or
 * ~/.aws/config (a leading "~/" expands to $HOME). A profile "x" is
 * "[x]" in the credentials file and "[profile x]" in the config file
 * ("[default]" in both for the default profile).
 */
#ifndef PCF_AWS_CONFIG_FILES_H
#define PCF_AWS_CONFIG_FILES_H

#include <pcf/error.h>

#include "ini.h"

typedef struct pcf_aws_config_files {
	char *credentials_path;
	char *config_path;
	pcf_aws_ini *credentials; /* NULL when the file does not exist */
	pcf_aws_ini *config;      /* NULL when the file does not exist */
} pcf_aws_config_files;

/*
 * Reads both files; a missing file is not an error. Returns 0, or PCF_EIO /
 * PCF_ENOMEM. Clean up with pcf_aws_config_files_cleanup (also on failure).
 */
int pcf_aws_config_files_load(pcf_aws_config_files *out, pcf_error *err);
void pcf_aws_config_files_cleanup(pcf_aws_config_files *files);

/* key in profile: the credentials file first, then the config file. Borrowed. */
const char *pcf_aws_config_get(const pcf_aws_config_files *files, const char *profile,
                               const char *key);

/* key in profile, config file only (region, role_arn, ...). Borrowed. */
const char *pcf_aws_config_get_config(const pcf_aws_config_files *files, const char *profile,
                                      const char *key);

/* 1 when either file has the profile. */
int pcf_aws_config_has_profile(const pcf_aws_config_files *files, const char *profile);

#endif
