/*
 * A small reader for the AWS shared config format. It keeps a flat list of
 * (section, key, value) entries: the files are tiny and read once per
 * credential resolution, so a list is both simplest and fast enough. Keys
 * are compared case-sensitively as the SDKs do; a later duplicate wins.
 */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

struct entry {
	char *section;
	char *key; /* NULL: a bare section header */
	char *value;
};

struct pcf_aws_ini {
	struct entry *entries;
	size_t count;
	size_t cap;
};

static char *trimmed_copy(const char *start, const char *end)
{
	char *out;
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	out = malloc((size_t)(end - start) + 1);
	if (!out)
		return NULL;
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return out;
}

static int add_entry(pcf_aws_ini *ini, const char *section, char *key, char *value)
{
	if (pcf_util_grow((void **)&ini->entries, &ini->cap, ini->count, sizeof(*ini->entries)) < 0)
		goto fail;
	ini->entries[ini->count].section = strdup(section);
	if (!ini->entries[ini->count].section)
		goto fail;
	ini->entries[ini->count].key = key;
	ini->entries[ini->count].value = value;
	ini->count++;
	return 0;
fail:
	free(key);
	free(value);
	return PCF_ENOMEM;
}

/* Handles one logical line; *section is the current section (heap). */
static int parse_line(pcf_aws_ini *ini, char **section, const char *line, const char *end)
{
	const char *p = line, *eq;
	char *key, *value;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#' || *p == ';')
		return 0;
	if (p != line && *section)
		return 0; /* indented: a sub-setting of the previous key */
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		char *name;
		if (!close)
			return 0;
		name = trimmed_copy(p + 1, close);
		if (!name)
			return PCF_ENOMEM;
		free(*section);
		*section = name;
		return add_entry(ini, name, NULL, NULL);
	}
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq || !*section)
		return 0;
	key = trimmed_copy(p, eq);
	value = trimmed_copy(eq + 1, end);
	if (!key || !value) {
		free(key);
		free(value);
		return PCF_ENOMEM;
	}
	return add_entry(ini, *section, key, value);
}

int pcf_aws_ini_parse(pcf_aws_ini **out, const char *text, pcf_error *err)
{
	pcf_aws_ini *ini = calloc(1, sizeof(*ini));
	char *section = NULL;
	int rc = 0;

	*out = NULL;
	if (!ini)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *line_end = end > p && end[-1] == '\r' ? end - 1 : end;
		if ((rc = parse_line(ini, &section, p, line_end)) < 0) {
			pcf_error_set(err, rc, "out of memory");
			goto out;
		}
		p = nl ? nl + 1 : end;
	}
	*out = ini;
	ini = NULL;
out:
	free(section);
	pcf_aws_ini_free(ini);
	return rc;
}

int pcf_aws_ini_load(pcf_aws_ini **out, const char *path, pcf_error *err)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long size;
	int rc;

	*out = NULL;
	if (!f) {
		if (errno == ENOENT)
			return pcf_error_set(err, PCF_ENOTFOUND, "%s does not exist", path);
		return pcf_error_set(err, PCF_EIO, "cannot open %s: %s", path, strerror(errno));
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		rc = pcf_error_set(err, PCF_EIO, "cannot read %s", path);
		goto out;
	}
	text = malloc((size_t)size + 1);
	if (!text) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		rc = pcf_error_set(err, PCF_EIO, "cannot read %s", path);
		goto out;
	}
	text[size] = '\0';
	rc = pcf_aws_ini_parse(out, text, err);
out:
	free(text);
	fclose(f);
	return rc;
}

const char *pcf_aws_ini_get(const pcf_aws_ini *ini, const char *section, const char *key)
{
	const char *found = NULL;
	if (!ini)
		return NULL;
	for (size_t i = 0; i < ini->count; i++) {
		const struct entry *e = &ini->entries[i];
		if (e->key && strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0)
			found = e->value;
	}
	return found;
}

int pcf_aws_ini_has_section(const pcf_aws_ini *ini, const char *section)
{
	if (!ini)
		return 0;
	for (size_t i = 0; i < ini->count; i++)
		if (strcmp(ini->entries[i].section, section) == 0)
			return 1;
	return 0;
}

void pcf_aws_ini_free(pcf_aws_ini *ini)
{
	if (!ini)
		return;
	for (size_t i = 0; i < ini->count; i++) {
		free(ini->entries[i].section);
		free(ini->entries[i].key);
		free(ini->entries[i].value);
	}
	free(ini->entries);
	free(ini);
}
