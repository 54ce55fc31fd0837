/*
 * YAML (and JSON) text into cJSON documents, with node positions.
 */
#ifndef PCF_DEFINITIONS_YAML_LOADER_H
#define PCF_DEFINITIONS_YAML_LOADER_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/definitions.h>

#include "source_map.h"

/* Nesting deeper than this is refused (the tree is walked recursively). */
#define YAML_LOADER_MAX_DEPTH 64
/* Nodes that aliases may add to one file, against "billion laughs". */
#define YAML_LOADER_MAX_ALIAS_NODES 100000

/* The documents of one file; caller storage, pcf_defs_yaml_docs_init / pcf_defs_yaml_docs_cleanup.
 */
typedef struct yaml_docs {
	cJSON **roots; /* one per non-empty document, in order */
	size_t count;
	size_t capacity;
	node_marks *marks;     /* where every node of every root starts */
	node_marks *key_marks; /* where the key of every mapping member starts */
} yaml_docs;

void pcf_defs_yaml_docs_init(yaml_docs *docs);
void pcf_defs_yaml_docs_cleanup(yaml_docs *docs);

/*
 * Parses len bytes of text (named file in diags) and appends its
 * documents to docs. is_json: the text is JSON, so tabs between tokens are
 * plain whitespace. Every problem found goes to diags; a syntax error ends
 * the file there, keeping the documents before it. Returns 0 when clean,
 * PCF_EDEFINITION when problems were reported, PCF_ENOMEM.
 */
int pcf_defs_yaml_load_text(yaml_docs *docs, const char *text, size_t len, const char *file,
                            int is_json, pcf_diags *diags);

#endif
