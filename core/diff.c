/*
 * The structural diff of a desired tree against a live one, and the
 * parameter filter.
 *
 * The walk follows desired: whatever the user left out is never drift.
 * The path of the node being compared is kept as text ("A[key].B") plus a
 * stack of segment offsets into it, so ignore patterns are matched by
 * segment without re-parsing a path whose keys may themselves hold dots.
 * Lists of named things (indexes, attributes, tags) are matched as sets by
 * their name field; other lists as multisets of values.
 */
#include "core/engine_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

#define MAX_DEPTH 64

typedef struct segment {
	size_t start; /* offset of the segment text in the path */
	size_t len;
	int bracket; /* "[key]": start/len cover the key only */
} segment;

typedef struct walker {
	pcf_drift *out;
	const pcf_diff_options *options;
	char *path;
	size_t len;
	size_t cap;
	segment segs[MAX_DEPTH];
	size_t depth;
} walker;

static int path_push(walker *w, const char *text, int bracket)
{
	size_t n = strlen(text), need = w->len + n + 3;
	size_t start;

	if (w->depth == MAX_DEPTH)
		return PCF_EINVAL;
	if (need > w->cap) {
		size_t cap = need * 2;
		char *bigger = realloc(w->path, cap);
		if (!bigger)
			return PCF_ENOMEM;
		w->path = bigger;
		w->cap = cap;
	}
	if (bracket)
		w->path[w->len++] = '[';
	else if (w->len > 0)
		w->path[w->len++] = '.';
	start = w->len;
	memcpy(w->path + w->len, text, n);
	w->len += n;
	if (bracket)
		w->path[w->len++] = ']';
	w->path[w->len] = '\0';
	w->segs[w->depth++] = (segment){start, n, bracket};
	return 0;
}

static void path_pop(walker *w)
{
	segment *s = &w->segs[--w->depth];
	w->len = s->start - (s->bracket || s->start > 0 ? 1 : 0);
	w->path[w->len] = '\0';
}

/* Does pattern (e.g. "GlobalSecondaryIndexes[*].IndexArn") name this path? */
static int pattern_matches(const char *pat, const walker *w)
{
	size_t i = 0;

	while (*pat) {
		const char *end;
		int bracket = 0;
		size_t n;

		if (*pat == '.')
			pat++;
		if (*pat == '[') {
			bracket = 1;
			pat++;
			end = strchr(pat, ']');
			if (!end)
				return 0;
		} else {
			end = pat + strcspn(pat, ".[");
		}
		n = (size_t)(end - pat);
		if (i >= w->depth)
			return 0;
		const segment *s = &w->segs[i++];
		int star = n == 1 && pat[0] == '*';
		if (!star && (bracket != s->bracket || n != s->len ||
		              memcmp(pat, w->path + s->start, n) != 0))
			return 0;
		pat = end + bracket;
	}
	return i == w->depth;
}

static int listed(const char *const *patterns, const walker *w)
{
	for (; patterns && *patterns; patterns++)
		if (pattern_matches(*patterns, w))
			return 1;
	return 0;
}

static int number_of(const cJSON *v, double *out)
{
	char *end;

	if (cJSON_IsNumber(v)) {
		*out = v->valuedouble;
		return 1;
	}
	if (!cJSON_IsString(v) || !v->valuestring[0])
		return 0;
	*out = strtod(v->valuestring, &end);
	return *end == '\0' && isfinite(*out);
}

static int values_equal(const cJSON *a, const cJSON *b)
{
	double da, db;

	if (!a || !b)
		return a == b;
	if (cJSON_IsNumber(a) || cJSON_IsNumber(b))
		return number_of(a, &da) && number_of(b, &db) && da == db;
	if (cJSON_IsString(a) && cJSON_IsString(b))
		return strcmp(a->valuestring, b->valuestring) == 0;
	if (cJSON_IsBool(a) && cJSON_IsBool(b))
		return cJSON_IsTrue(a) == cJSON_IsTrue(b);
	if (cJSON_IsNull(a) && cJSON_IsNull(b))
		return 1;
	if (cJSON_IsArray(a) && cJSON_IsArray(b))
		return pcf_util_json_same_items(a, b, values_equal);
	if (cJSON_IsObject(a) && cJSON_IsObject(b))
		return pcf_util_json_same_members(a, b, values_equal);
	return 0;
}

/* The element's name under key as text ("by_email", or "5" for a number). */
static int element_name(const cJSON *elem, const char *key, char *buf, size_t size)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(elem, key);

	if (cJSON_IsString(v)) {
		snprintf(buf, size, "%s", v->valuestring);
		return 1;
	}
	if (cJSON_IsNumber(v)) {
		snprintf(buf, size, "%.17g", v->valuedouble);
		return 1;
	}
	return 0;
}

static int all_named(const cJSON *list, const char *key)
{
	char name[256];
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		if (!cJSON_IsObject(e) || !element_name(e, key, name, sizeof(name)))
			return 0;
	}
	return 1;
}

/* The list_keys field naming every element of both lists, or NULL. */
static const char *key_of_lists(const walker *w, const cJSON *desired, const cJSON *current)
{
	const char *const *k = w->options ? w->options->list_keys : NULL;

	if (cJSON_GetArraySize(desired) == 0 && cJSON_GetArraySize(current) == 0)
		return NULL;
	for (; k && *k; k++)
		if (all_named(desired, *k) && all_named(current, *k))
			return *k;
	return NULL;
}

static const cJSON *find_named(const cJSON *list, const char *key, const char *name)
{
	char other[256];
	const cJSON *e;

	cJSON_ArrayForEach(e, list)
	{
		if (element_name(e, key, other, sizeof(other)) && strcmp(other, name) == 0)
			return e;
	}
	return NULL;
}

static int diff_node(walker *w, const cJSON *desired, const cJSON *current);

static int record(walker *w, const cJSON *desired, const cJSON *current)
{
	return pcf_drift_add(w->out, w->path, desired, current);
}

/* Runs diff_node (or records, when d is NULL) under the child segment. */
static int diff_child(walker *w, const char *seg, int bracket, const cJSON *d, const cJSON *c)
{
	int rc = path_push(w, seg, bracket);

	if (rc == PCF_EINVAL) /* too deep to name by segment: compare whole */
		return values_equal(d, c) ? 0 : record(w, d, c);
	if (rc < 0)
		return rc;
	if (d)
		rc = diff_node(w, d, c);
	else if (!listed(w->options ? w->options->ignore : NULL, w))
		rc = record(w, NULL, c);
	path_pop(w);
	return rc;
}

static int diff_keyed(walker *w, const cJSON *desired, const cJSON *current, const char *key)
{
	char name[256];
	const cJSON *e;
	int rc, open = listed(w->options->open_lists, w);

	cJSON_ArrayForEach(e, desired)
	{
		element_name(e, key, name, sizeof(name));
		rc = diff_child(w, name, 1, e, find_named(current, key, name));
		if (rc < 0)
			return rc;
	}
	cJSON_ArrayForEach(e, current)
	{
		element_name(e, key, name, sizeof(name));
		if (open || find_named(desired, key, name))
			continue;
		rc = diff_child(w, name, 1, NULL, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int diff_object(walker *w, const cJSON *desired, const cJSON *current)
{
	const cJSON *d;
	int rc;

	cJSON_ArrayForEach(d, desired)
	{
		rc = diff_child(w, d->string, 0, d,
		                cJSON_GetObjectItemCaseSensitive(current, d->string));
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int diff_node(walker *w, const cJSON *desired, const cJSON *current)
{
	const char *key;

	if (listed(w->options ? w->options->ignore : NULL, w))
		return 0;
	if (!current) {
		int empty = (cJSON_IsArray(desired) || cJSON_IsObject(desired)) &&
		            cJSON_GetArraySize(desired) == 0;
		return empty ? 0 : record(w, desired, NULL);
	}
	if (cJSON_IsObject(desired) && cJSON_IsObject(current))
		return diff_object(w, desired, current);
	if (cJSON_IsArray(desired) && cJSON_IsArray(current)) {
		key = key_of_lists(w, desired, current);
		if (key)
			return diff_keyed(w, desired, current, key);
	}
	return values_equal(desired, current) ? 0 : record(w, desired, current);
}

int pcf_diff(pcf_drift *out, const cJSON *desired, const cJSON *current,
             const pcf_diff_options *options)
{
	static const pcf_diff_options none = {NULL, NULL, NULL};
	walker w;
	int rc;

	if (!desired)
		return 0;
	memset(&w, 0, sizeof(w));
	w.out = out;
	w.options = options ? options : &none;
	w.cap = 128;
	w.path = malloc(w.cap);
	if (!w.path)
		return PCF_ENOMEM;
	w.path[0] = '\0';
	rc = diff_node(&w, desired, current);
	free(w.path);
	return rc;
}

cJSON *pcf_filter_keys(const cJSON *src, const char *const *keys)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *v;

	if (!out || !cJSON_IsObject(src))
		return out;
	for (; keys && *keys; keys++) {
		cJSON *copy;
		v = cJSON_GetObjectItemCaseSensitive(src, *keys);
		if (!v || cJSON_GetObjectItemCaseSensitive(out, *keys))
			continue;
		copy = cJSON_Duplicate(v, 1);
		if (!copy || !cJSON_AddItemToObject(out, *keys, copy)) {
			cJSON_Delete(copy);
			cJSON_Delete(out);
			return NULL;
		}
	}
	return out;
}

/* cJSON_Compare calls two absent values different; here they are the same. */
static int same_value(const cJSON *a, const cJSON *b)
{
	return (!a && !b) || (a && b && cJSON_Compare(a, b, 1));
}

int pcf_drift_same(const pcf_drift *a, const pcf_drift *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++) {
		const pcf_drift_entry *x = &a->entries[i], *y = &b->entries[i];
		if (strcmp(x->path, y->path) != 0 || !same_value(x->desired, y->desired) ||
		    !same_value(x->current, y->current))
			return 0;
	}
	return 1;
}
