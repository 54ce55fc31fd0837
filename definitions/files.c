/*
 * Definition files on disk: expanding directories and defaults, reading
 * with a size limit.
 *
 * Every name reaches messages exactly as the user typed it (a directory's
 * entries are joined to the directory as typed), because that is the text
 * a user can find again. The size limit is checked with fstat before any
 * byte is read, so a 100 MB file costs nothing; streams (a pipe given as
 * /dev/stdin) are counted while read instead.
 */
#include "files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcf/error.h>

#include "src/common/util.h"

static const char *const default_files[] = {"pcf.yml", "pcf.yaml", "pcf.json"};

static int has_suffix(const char *name, const char *suffix)
{
	size_t ln = strlen(name), ls = strlen(suffix);

	return ln > ls && strcmp(name + ln - ls, suffix) == 0;
}

int pcf_defs_files_is_json(const char *path)
{
	return has_suffix(path, ".json");
}

static int is_definition_name(const char *name)
{
	return name[0] != '.' &&
	       (has_suffix(name, ".yml") || has_suffix(name, ".yaml") || has_suffix(name, ".json"));
}

struct list {
	char **items;
	size_t count;
	size_t capacity;
};

static int list_push(struct list *l, char *item)
{
	if (item == NULL)
		return PCF_ENOMEM;
	if (pcf_util_grow((void **)&l->items, &l->capacity, l->count, sizeof(*l->items)) < 0) {
		free(item);
		return PCF_ENOMEM;
	}
	l->items[l->count++] = item;
	return 0;
}

static char *join_path(const char *dir, const char *name)
{
	size_t ld = strlen(dir), ln = strlen(name);
	int slash = ld > 0 && dir[ld - 1] != '/';
	char *path = malloc(ld + (size_t)slash + ln + 1);

	if (path == NULL)
		return NULL;
	memcpy(path, dir, ld);
	if (slash)
		path[ld] = '/';
	memcpy(path + ld + (size_t)slash, name, ln + 1);
	return path;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends dir's definition files, sorted by name. */
static int expand_directory(struct list *out, const char *dir, pcf_diags *diags)
{
	struct list names = {NULL, 0, 0};
	struct dirent *entry;
	struct stat st;
	DIR *d = opendir(dir);
	size_t i;
	int rc = 0;

	if (d == NULL) {
		pcf_diags_add(diags, dir, 0, 0, "expected a readable directory, found: %s",
		              strerror(errno));
		return 0;
	}
	while (rc == 0 && (entry = readdir(d)) != NULL) {
		char *path;

		if (!is_definition_name(entry->d_name))
			continue;
		if ((path = join_path(dir, entry->d_name)) == NULL) {
			rc = PCF_ENOMEM;
			break;
		}
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(path);
			continue;
		}
		rc = list_push(&names, path);
	}
	closedir(d);
	if (rc == 0 && names.count == 0)
		pcf_diags_add(
		    diags, dir, 0, 0,
		    "expected *.yml, *.yaml or *.json files in this directory, found none");
	if (names.count > 1)
		qsort(names.items, names.count, sizeof(char *), compare_names);
	for (i = 0; i < names.count; i++) {
		if (rc == 0)
			rc = list_push(out, names.items[i]);
		else
			free(names.items[i]);
	}
	free(names.items);
	return rc;
}

/*
 * The default file, when exactly one of them exists. Two or more are an
 * error rather than a silent pick: PCF users may keep a pcf.json beside a
 * newer pcf.yml, and applying the stale one would act on the wrong tables.
 */
static int expand_defaults(struct list *out, pcf_diags *diags)
{
	const size_t n = sizeof(default_files) / sizeof(default_files[0]);
	const char *found[sizeof(default_files) / sizeof(default_files[0])];
	struct stat st;
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (stat(default_files[i], &st) == 0)
			found[count++] = default_files[i];
	if (count == 1)
		return list_push(out, strdup(found[0]));
	if (count == 2)
		pcf_diags_add(diags, NULL, 0, 0,
		              "expected one default definitions file in the current directory, "
		              "found both ./%s and ./%s (name the one to use with -f)",
		              found[0], found[1]);
	else if (count == 3)
		pcf_diags_add(diags, NULL, 0, 0,
		              "expected one default definitions file in the current directory, "
		              "found ./%s, ./%s and ./%s (name the one to use with -f)",
		              found[0], found[1], found[2]);
	else
		pcf_diags_add(diags, NULL, 0, 0,
		              "no definitions found: expected ./pcf.yml, ./pcf.yaml or ./pcf.json "
		              "in the current directory, found none (or name files and "
		              "directories with -f)");
	return 0;
}

int pcf_defs_files_expand(char ***out, size_t *count, const char *const *paths, size_t path_count,
                          pcf_diags *diags)
{
	struct list l = {NULL, 0, 0};
	struct stat st;
	size_t i;
	int rc = 0;

	*out = NULL;
	*count = 0;
	if (path_count == 0)
		rc = expand_defaults(&l, diags);
	for (i = 0; i < path_count && rc == 0; i++) {
		if (strcmp(paths[i], "-") == 0)
			rc = list_push(&l, strdup(paths[i]));
		else if (stat(paths[i], &st) != 0)
			pcf_diags_add(diags, paths[i], 0, 0,
			              "expected a definitions file or directory, found: %s",
			              strerror(errno));
		else if (S_ISDIR(st.st_mode))
			rc = expand_directory(&l, paths[i], diags);
		else
			rc = list_push(&l, strdup(paths[i]));
	}
	if (rc < 0) {
		pcf_defs_files_list_free(l.items, l.count);
		return rc;
	}
	*out = l.items;
	*count = l.count;
	return 0;
}

void pcf_defs_files_list_free(char **list, size_t count)
{
	size_t i;

	for (i = 0; list != NULL && i < count; i++)
		free(list[i]);
	free(list);
}

static void report_too_large(pcf_diags *diags, const char *path, unsigned long long size)
{
	pcf_diags_add(diags, path, 0, 0,
	              "file too large: expected at most %u MiB of definitions, found %s%llu bytes",
	              PCF_DEFINITIONS_MAX_FILE_BYTES / (1024u * 1024u), size ? "" : "more than ",
	              size ? size : (unsigned long long)PCF_DEFINITIONS_MAX_FILE_BYTES);
}

/* Reads f to its end, refusing more than the limit. */
static int read_stream(char **text, size_t *len, FILE *f, const char *path, pcf_diags *diags)
{
	size_t capacity = 64 * 1024, used = 0, n;
	char *buf = malloc(capacity + 1), *grown;

	if (buf == NULL)
		return PCF_ENOMEM;
	while ((n = fread(buf + used, 1, capacity - used, f)) > 0) {
		used += n;
		if (used > PCF_DEFINITIONS_MAX_FILE_BYTES) {
			free(buf);
			report_too_large(diags, path, 0);
			return PCF_EDEFINITION;
		}
		if (used == capacity) {
			capacity *= 2;
			if ((grown = realloc(buf, capacity + 1)) == NULL) {
				free(buf);
				return PCF_ENOMEM;
			}
			buf = grown;
		}
	}
	if (ferror(f)) {
		pcf_diags_add(diags, path, 0, 0, "expected a readable file, found: %s",
		              strerror(errno));
		free(buf);
		return PCF_EDEFINITION;
	}
	buf[used] = '\0';
	*text = buf;
	*len = used;
	return 0;
}

int pcf_defs_files_read(char **text, size_t *len, const char *path, pcf_diags *diags)
{
	struct stat st;
	FILE *f;
	int rc;

	*text = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		return read_stream(text, len, stdin, FILES_STDIN_NAME, diags);
	if ((f = fopen(path, "rb")) == NULL) {
		pcf_diags_add(diags, path, 0, 0, "expected a readable file, found: %s",
		              strerror(errno));
		return PCF_EDEFINITION;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (unsigned long long)st.st_size > PCF_DEFINITIONS_MAX_FILE_BYTES) {
		report_too_large(diags, path, (unsigned long long)st.st_size);
		fclose(f);
		return PCF_EDEFINITION;
	}
	rc = read_stream(text, len, f, path, diags);
	fclose(f);
	return rc;
}
