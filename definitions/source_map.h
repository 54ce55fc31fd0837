/*
 * Positions of loaded nodes, kept in two forms.
 *
 * While a file loads, the loader knows each cJSON node it creates and where
 * its text starts: a node_marks table keyed by node pointer records that.
 * Once the particles are cut out of the documents, each gets a
 * pcf_source_map keyed by path ("aws_resource.KeySchema[0].KeyType"),
 * built by walking its tree, so later checks can name a position from a
 * path alone. Both are open-addressing hash tables.
 */
#ifndef PCF_DEFINITIONS_SOURCE_MAP_H
#define PCF_DEFINITIONS_SOURCE_MAP_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct node_marks node_marks;

/* 0, or PCF_ENOMEM. Free with pcf_defs_node_marks_free. */
int pcf_defs_node_marks_new(node_marks **out);
void pcf_defs_node_marks_free(node_marks *marks);
/* Records (or replaces) where node starts; line and column 1-based. 0 or PCF_ENOMEM. */
int pcf_defs_node_marks_put(node_marks *marks, const cJSON *node, int line, int column);
/* 1 and fills line/column when known, else 0. */
int pcf_defs_node_marks_get(const node_marks *marks, const cJSON *node, int *line, int *column);

/*
 * A deep copy of src (free with cJSON_Delete) whose nodes carry the value
 * and key marks of src's nodes, for aliases: an error inside an aliased
 * value points at the text that defined it. NULL when out of memory.
 */
cJSON *pcf_defs_node_marks_copy_tree(node_marks *marks, node_marks *key_marks, const cJSON *src);

/* Nodes in the tree at node; *height becomes the deepest depth seen (start at depth 0). */
size_t pcf_defs_node_marks_count_tree(const cJSON *node, int depth, int *height);

struct pcf_source_map;

/*
 * Builds the path map of the tree at root: "" is root itself, object
 * members append ".key" (no dot at the start), array items "[i]". marks
 * holds where values start, key_marks (may be NULL) where the keys of
 * mapping members start. file is borrowed and must outlive the map.
 * 0 or PCF_ENOMEM.
 */
int pcf_defs_source_map_build(struct pcf_source_map **out, const cJSON *root,
                              const node_marks *marks, const node_marks *key_marks,
                              const char *file);
void pcf_defs_source_map_free(struct pcf_source_map *map);
/*
 * 1 and fills line/column when path has a position, else 0. key: the
 * position of the member's key rather than its value (the value's when
 * there is no key).
 */
int pcf_defs_source_map_find(const struct pcf_source_map *map, const char *path, int key, int *line,
                             int *column);
const char *pcf_defs_source_map_file(const struct pcf_source_map *map);

#endif
