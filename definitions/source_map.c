/*
 * Node positions: a pointer-keyed table filled while loading, and the
 * path-keyed pcf_source_map each particle keeps afterwards.
 *
 * Both tables use open addressing with linear probing, a power-of-two
 * capacity and at most half full, so a lookup is a few probes even for the
 * large option trees a config store can hold. The path map owns its path
 * strings; the file name is borrowed from the definitions that own the map.
 */
#include "source_map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/definitions.h>
#include <pcf/error.h>

#include "src/common/buf.h"
#include "src/common/util.h"

struct mark_slot {
	const cJSON *node;
	int line;
	int column;
};

struct node_marks {
	struct mark_slot *slots;
	size_t capacity;
	size_t count;
};

struct path_slot {
	char *path;
	int line;
	int column;
	int key_line; /* 0 when the node is no mapping member */
	int key_column;
};

struct pcf_source_map {
	struct path_slot *slots;
	size_t capacity;
	size_t count;
	const char *file;
};

static size_t hash_pointer(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

int pcf_defs_node_marks_new(node_marks **out)
{
	node_marks *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (m == NULL)
		return PCF_ENOMEM;
	m->capacity = 64;
	m->slots = calloc(m->capacity, sizeof(*m->slots));
	if (m->slots == NULL) {
		free(m);
		return PCF_ENOMEM;
	}
	*out = m;
	return 0;
}

void pcf_defs_node_marks_free(node_marks *marks)
{
	if (marks == NULL)
		return;
	free(marks->slots);
	free(marks);
}

static struct mark_slot *mark_probe(struct mark_slot *slots, size_t capacity, const cJSON *node)
{
	size_t i = hash_pointer(node) & (capacity - 1);

	while (slots[i].node != NULL && slots[i].node != node)
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int marks_grow(node_marks *m)
{
	size_t i, capacity = m->capacity * 2;
	struct mark_slot *slots = calloc(capacity, sizeof(*slots));

	if (slots == NULL)
		return PCF_ENOMEM;
	for (i = 0; i < m->capacity; i++)
		if (m->slots[i].node != NULL)
			*mark_probe(slots, capacity, m->slots[i].node) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->capacity = capacity;
	return 0;
}

int pcf_defs_node_marks_put(node_marks *marks, const cJSON *node, int line, int column)
{
	struct mark_slot *slot;

	if ((marks->count + 1) * 2 > marks->capacity && marks_grow(marks) < 0)
		return PCF_ENOMEM;
	slot = mark_probe(marks->slots, marks->capacity, node);
	if (slot->node == NULL)
		marks->count++;
	slot->node = node;
	slot->line = line;
	slot->column = column;
	return 0;
}

int pcf_defs_node_marks_get(const node_marks *marks, const cJSON *node, int *line, int *column)
{
	const struct mark_slot *slot;

	if (marks == NULL || node == NULL)
		return 0;
	slot = mark_probe(marks->slots, marks->capacity, node);
	if (slot->node == NULL)
		return 0;
	*line = slot->line;
	*column = slot->column;
	return 1;
}

size_t pcf_defs_node_marks_count_tree(const cJSON *node, int depth, int *height)
{
	const cJSON *child;
	size_t n = 1;

	if (depth > *height)
		*height = depth;
	for (child = node->child; child != NULL; child = child->next)
		n += pcf_defs_node_marks_count_tree(child, depth + 1, height);
	return n;
}

cJSON *pcf_defs_node_marks_copy_tree(node_marks *marks, node_marks *key_marks, const cJSON *src)
{
	cJSON *copy = cJSON_Duplicate(src, 0), *c;
	const cJSON *s;
	int line, column;

	if (copy == NULL)
		return NULL;
	if (pcf_defs_node_marks_get(marks, src, &line, &column) &&
	    pcf_defs_node_marks_put(marks, copy, line, column) < 0)
		goto fail;
	if (pcf_defs_node_marks_get(key_marks, src, &line, &column) &&
	    pcf_defs_node_marks_put(key_marks, copy, line, column) < 0)
		goto fail;
	for (s = src->child; s != NULL; s = s->next) {
		if ((c = pcf_defs_node_marks_copy_tree(marks, key_marks, s)) == NULL)
			goto fail;
		if (cJSON_IsObject(copy))
			cJSON_AddItemToObject(copy, s->string, c);
		else
			cJSON_AddItemToArray(copy, c);
	}
	return copy;
fail:
	cJSON_Delete(copy);
	return NULL;
}

static struct path_slot *path_probe(struct path_slot *slots, size_t capacity, const char *path)
{
	size_t i = pcf_util_hash_str(path) & (capacity - 1);

	while (slots[i].path != NULL && strcmp(slots[i].path, path) != 0)
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int map_grow(struct pcf_source_map *map)
{
	size_t i, capacity = map->capacity * 2;
	struct path_slot *slots = calloc(capacity, sizeof(*slots));

	if (slots == NULL)
		return PCF_ENOMEM;
	for (i = 0; i < map->capacity; i++)
		if (map->slots[i].path != NULL)
			*path_probe(slots, capacity, map->slots[i].path) = map->slots[i];
	free(map->slots);
	map->slots = slots;
	map->capacity = capacity;
	return 0;
}

static int map_put(struct pcf_source_map *map, const char *path, const int pos[4])
{
	struct path_slot *slot;

	if ((map->count + 1) * 2 > map->capacity && map_grow(map) < 0)
		return PCF_ENOMEM;
	slot = path_probe(map->slots, map->capacity, path);
	if (slot->path == NULL) {
		slot->path = strdup(path);
		if (slot->path == NULL)
			return PCF_ENOMEM;
		map->count++;
	}
	slot->line = pos[0];
	slot->column = pos[1];
	slot->key_line = pos[2];
	slot->key_column = pos[3];
	return 0;
}

/* walk() appends a path component to a pcf_buf and truncates back. */
static int path_append(pcf_buf *b, const char *a, const char *c, const char *d)
{
	pcf_buf_puts(b, a);
	pcf_buf_puts(b, c);
	pcf_buf_puts(b, d);
	return pcf_buf_failed(b) ? PCF_ENOMEM : 0;
}

static int walk(struct pcf_source_map *map, const cJSON *node, const node_marks *const marks[2],
                pcf_buf *b)
{
	const cJSON *child;
	size_t len = b->len, index = 0;
	int pos[4] = {0, 0, 0, 0}, rc;

	if (pcf_defs_node_marks_get(marks[0], node, &pos[0], &pos[1])) {
		pcf_defs_node_marks_get(marks[1], node, &pos[2], &pos[3]);
		if ((rc = map_put(map, b->data, pos)) < 0)
			return rc;
	}
	if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
		return 0;
	for (child = node->child; child != NULL; child = child->next, index++) {
		char num[32];

		if (cJSON_IsObject(node)) {
			rc = path_append(b, len ? "." : "", child->string ? child->string : "", "");
		} else {
			snprintf(num, sizeof(num), "%zu", index);
			rc = path_append(b, "[", num, "]");
		}
		if (rc < 0 || (rc = walk(map, child, marks, b)) < 0)
			return rc;
		b->len = len;
		b->data[len] = '\0';
	}
	return 0;
}

int pcf_defs_source_map_build(struct pcf_source_map **out, const cJSON *root,
                              const node_marks *marks, const node_marks *key_marks,
                              const char *file)
{
	const node_marks *both[2] = {marks, key_marks};
	struct pcf_source_map *map = calloc(1, sizeof(*map));
	pcf_buf b = PCF_BUF_INIT;
	int rc = PCF_ENOMEM;

	*out = NULL;
	if (map == NULL)
		return PCF_ENOMEM;
	map->file = file;
	map->capacity = 32;
	map->slots = calloc(map->capacity, sizeof(*map->slots));
	if (map->slots == NULL || path_append(&b, "", "", "") < 0)
		goto out;
	if ((rc = walk(map, root, both, &b)) < 0)
		goto out;
	*out = map;
	map = NULL;
out:
	pcf_buf_cleanup(&b);
	pcf_defs_source_map_free(map);
	return rc;
}

void pcf_defs_source_map_free(struct pcf_source_map *map)
{
	size_t i;

	if (map == NULL)
		return;
	for (i = 0; i < map->capacity && map->slots != NULL; i++)
		free(map->slots[i].path);
	free(map->slots);
	free(map);
}

int pcf_defs_source_map_find(const struct pcf_source_map *map, const char *path, int key, int *line,
                             int *column)
{
	const struct path_slot *slot;

	if (map == NULL || path == NULL)
		return 0;
	slot = path_probe(map->slots, map->capacity, path);
	if (slot->path == NULL)
		return 0;
	*line = (key && slot->key_line) ? slot->key_line : slot->line;
	*column = (key && slot->key_line) ? slot->key_column : slot->column;
	return 1;
}

const char *pcf_defs_source_map_file(const struct pcf_source_map *map)
{
	return map ? map->file : NULL;
}
