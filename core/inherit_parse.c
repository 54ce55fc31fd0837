/*
 * The $inherit$ syntax (see inherit.h): what a reference looks like and
 * how its path walks a tree. Pure functions on strings and trees, shared
 * by the validator and the engine's resolver.
 */
#include "core/inherit.h"

#include <stdlib.h>
#include <string.h>

#define INHERIT_PREFIX "$inherit$"

/* Splits "$inherit$flavor:name$path" into the referenced id and the path. */
int pcf_inherit_parse(const char *text, char *id, size_t id_size, const char **path)
{
	const char *start, *sep;
	size_t n;

	if (strncmp(text, INHERIT_PREFIX, strlen(INHERIT_PREFIX)) != 0)
		return 0;
	start = text + strlen(INHERIT_PREFIX);
	sep = strchr(start, '$');
	if (!sep || sep == start || !sep[1])
		return -1;
	n = (size_t)(sep - start);
	if (n >= id_size)
		return -1;
	memcpy(id, start, n);
	id[n] = '\0';
	*path = sep + 1;
	return 1;
}

/* The element of list whose some string field equals name. */
static const cJSON *find_named(const cJSON *list, const char *name, size_t n)
{
	const cJSON *e, *f;

	cJSON_ArrayForEach(e, list)
	{
		cJSON_ArrayForEach(f, e)
		{
			if (cJSON_IsString(f) && strlen(f->valuestring) == n &&
			    strncmp(f->valuestring, name, n) == 0)
				return e;
		}
	}
	return NULL;
}

const cJSON *pcf_inherit_path_get(const cJSON *tree, const char *path)
{
	const cJSON *node = tree;
	const char *p = path;

	while (node && *p) {
		if (*p == '.') {
			p++;
		} else if (*p == '[') {
			const char *end = strchr(p, ']');
			char *num_end;
			long idx;
			if (!end || !cJSON_IsArray(node))
				return NULL;
			idx = strtol(p + 1, &num_end, 10);
			if (num_end == end && end > p + 1)
				node = idx >= 0 ? cJSON_GetArrayItem(node, (int)idx) : NULL;
			else
				node = find_named(node, p + 1, (size_t)(end - p - 1));
			p = end + 1;
		} else {
			size_t n = strcspn(p, ".[");
			char key[256];
			if (n >= sizeof(key) || !cJSON_IsObject(node))
				return NULL;
			memcpy(key, p, n);
			key[n] = '\0';
			node = cJSON_GetObjectItemCaseSensitive(node, key);
			p += n;
		}
	}
	return node;
}
