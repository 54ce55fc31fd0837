/*
 * The AWS shared configuration file format (~/.aws/config,
 * ~/.aws/credentials): "[section]" headers, "key = value" lines, '#' and
 * ';' comments. Indented lines under a key are that key's sub-settings
 * (used by S3 options) and are skipped. Section names are kept as written;
 * the "profile " prefix rule is applied by config_files.c.
 */
#ifndef PCF_AWS_INI_H
#define PCF_AWS_INI_H

#include <pcf/error.h>

typedef struct pcf_aws_ini pcf_aws_ini;

/*
 * Loads path. Returns 0 and *out (free with pcf_aws_ini_free), PCF_ENOTFOUND
 * when the file does not exist, or PCF_EIO / PCF_ENOMEM.
 */
int pcf_aws_ini_load(pcf_aws_ini **out, const char *path, pcf_error *err);

/* Parses text (NUL-terminated). Returns 0 or PCF_ENOMEM. */
int pcf_aws_ini_parse(pcf_aws_ini **out, const char *text, pcf_error *err);

/* The value of key in section, or NULL. Borrowed from ini. */
const char *pcf_aws_ini_get(const pcf_aws_ini *ini, const char *section, const char *key);

/* 1 when section exists (even empty). */
int pcf_aws_ini_has_section(const pcf_aws_ini *ini, const char *section);

void pcf_aws_ini_free(pcf_aws_ini *ini);

#endif
