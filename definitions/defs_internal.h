/*
 * What pcf_definitions keeps behind its `internal` pointer, and the
 * helpers the loading stages share.
 */
#ifndef PCF_DEFINITIONS_DEFS_INTERNAL_H
#define PCF_DEFINITIONS_DEFS_INTERNAL_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/definitions.h>

#include "source_map.h"

struct defs_internal {
	char **files; /* file names as the user gave them; marks point here */
	size_t file_count;
	size_t file_capacity;
	cJSON **roots; /* loaded documents; particles' nodes live inside them */
	size_t root_count;
	size_t root_capacity;
	size_t particle_capacity;
};

/* A stable copy of name owned by defs, or NULL when out of memory. */
const char *pcf_defs_intern_file(pcf_definitions *defs, const char *name);

/* Takes ownership of root. 0 or PCF_ENOMEM (root is then freed). */
int pcf_defs_take_root(pcf_definitions *defs, cJSON *root);

/*
 * Appends a particle for node (inside a root defs owns) with its source
 * map, and reads its envelope, reporting problems to diags. 0 or
 * PCF_ENOMEM.
 */
int pcf_defs_add_particle(pcf_definitions *defs, cJSON *node, const node_marks *marks,
                          const node_marks *key_marks, const char *file, pcf_diags *diags);

/*
 * pcf_particle_def_report, pointing at the key of the member at path
 * (for "unknown field" and the like) rather than at its value.
 */
void pcf_defs_report_key(const pcf_particle_def *def, pcf_diags *diags, const char *path,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Fills def's envelope fields from def->node; reports every problem. */
void pcf_defs_envelope_read(pcf_particle_def *def, pcf_diags *diags);

/*
 * Checks across particles: duplicate pcf_names, parents and children that
 * name particles which exist; folds children into the child's parents.
 * 0 or PCF_ENOMEM.
 */
int pcf_defs_envelope_link(pcf_definitions *defs, pcf_diags *diags);

/* The text a number or boolean stands for where a schema wants a string
 * ("2024", "7.5", "true"); 0, or -1 when node is neither or text is too small. */
int pcf_schema_scalar_text(char *text, size_t size, const cJSON *node);

#endif
