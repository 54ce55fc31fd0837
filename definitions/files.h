/*
 * Which files a set of user paths means, and reading them within limits.
 */
#ifndef PCF_DEFINITIONS_FILES_H
#define PCF_DEFINITIONS_FILES_H

#include <stddef.h>

#include <pcf/definitions.h>

/* How standard input, given as the path "-", is named in messages. */
#define FILES_STDIN_NAME "<stdin>"

/*
 * The files to load for paths: "-" for standard input; a file as given; a directory as its
 * *.yml, *.yaml and *.json entries sorted by name (joined to the path as
 * given); no paths as the first of pcf.yml, pcf.yaml, pcf.json that exists
 * in the working directory. Problems (missing path, empty directory, no
 * default file) go to diags and those paths are skipped. *out is a new
 * array of new strings, free with pcf_defs_files_list_free. Returns 0, or
 * PCF_ENOMEM.
 */
int pcf_defs_files_expand(char ***out, size_t *count, const char *const *paths, size_t path_count,
                          pcf_diags *diags);
void pcf_defs_files_list_free(char **list, size_t count);

/*
 * Reads the whole file at path into *text (free with free; NUL added
 * after len bytes). Files over PCF_DEFINITIONS_MAX_FILE_BYTES are refused
 * before reading. Returns 0, PCF_EDEFINITION (reported), or PCF_ENOMEM.
 */
int pcf_defs_files_read(char **text, size_t *len, const char *path, pcf_diags *diags);

/* 1 when path names a JSON file (by its extension). */
int pcf_defs_files_is_json(const char *path);

#endif
