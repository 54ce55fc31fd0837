/*
 * ignore_changes and the settling of the desired tree against the live one.
 *
 * `ignore_changes: [PATH...]` in a particle's envelope names settings of
 * aws_resource that something else manages (an autoscaler, an operator's
 * console change): once the live table has a value there, that value is
 * what the definition wants, so it is never drift and never re-sent. Where
 * the live table has nothing yet (a table or an index still to be created,
 * a billing switch that brings throughput), the definition's value is the
 * initial one and is used. A path is segments separated by dots, with
 * "[name]" picking a list element by its IndexName, AttributeName, Key or
 * RegionName and "[*]" every element: ProvisionedThroughput,
 * GlobalSecondaryIndexes[*].ProvisionedThroughput.ReadCapacityUnits, Tags.
 * The definitions layer checks each path's shape; validate checks that it
 * starts at a field of aws_resource.
 *
 * pcf_table_settle runs on the canonical desired tree before the diff and
 * the planner: the ignored paths take the live values, and warm throughput
 * takes a live value above its floor (throughput_modes.c).
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

static const char *const element_keys[] = {"IndexName", "AttributeName", "Key", "RegionName", NULL};

/* The first segment of path: [start, start+len), bracket set for "[x]"; rest after it. */
typedef struct segment {
	const char *start;
	size_t len;
	int bracket;
	const char *rest;
} segment;

static int next_segment(segment *s, const char *path)
{
	if (*path == '.')
		path++;
	if (*path == '[') {
		const char *end = strchr(path, ']');
		if (end == NULL)
			return 0;
		*s = (segment){path + 1, (size_t)(end - path - 1), 1, end + 1};
		return s->len > 0;
	}
	s->len = strcspn(path, ".[");
	*s = (segment){path, s->len, 0, path + s->len};
	return s->len > 0;
}

static int segment_is(const segment *s, const char *text)
{
	return strlen(text) == s->len && !strncmp(s->start, text, s->len);
}

/* The live element of have that the list element w under bracket segment s
 * stands for, or NULL (w not named by s, or nothing live of that name). */
static const cJSON *live_element(const cJSON *have, const cJSON *w, const segment *s)
{
	for (size_t i = 0; element_keys[i] != NULL; i++) {
		const char *name = pcf_table_str(w, element_keys[i]);
		if (name != NULL && (segment_is(s, "*") || segment_is(s, name)))
			return pcf_table_find_named(have, element_keys[i], name);
	}
	return NULL;
}

static void settle_path(cJSON *want, const cJSON *have, const char *path);

/* want's child w (whose live counterpart is h) takes h at the end of the path. */
static void settle_child(cJSON *want, cJSON *w, const cJSON *h, const char *rest)
{
	cJSON *dup;
	if (h == NULL)
		return; /* nothing live yet: the definition's value is the initial one */
	if (*rest != '\0') {
		settle_path(w, h, rest);
		return;
	}
	if ((dup = cJSON_Duplicate(h, 1)) == NULL)
		return;
	/* A member keeps its name only through ...InObject. */
	if (cJSON_IsObject(want) ? !cJSON_ReplaceItemInObjectCaseSensitive(want, w->string, dup)
	                         : !cJSON_ReplaceItemViaPointer(want, w, dup))
		cJSON_Delete(dup);
}

static void settle_path(cJSON *want, const cJSON *have, const char *path)
{
	segment s;
	cJSON *w, *next;

	if (want == NULL || have == NULL || !next_segment(&s, path))
		return;
	for (w = want->child; w != NULL; w = next) {
		const cJSON *h;
		next = w->next;
		if (cJSON_IsArray(want))
			h = s.bracket ? live_element(have, w, &s) : NULL;
		else if (s.bracket ? segment_is(&s, "*") : segment_is(&s, w->string))
			h = cJSON_GetObjectItemCaseSensitive(have, w->string);
		else
			continue;
		settle_child(want, w, h, s.rest);
	}
}

int pcf_table_settle(cJSON *want, const cJSON *have, const pcf_particle_def *def)
{
	const cJSON *paths =
	    def != NULL ? cJSON_GetObjectItemCaseSensitive(def->node, "ignore_changes") : NULL;
	const cJSON *p;

	if (have == NULL)
		return 0;
	cJSON_ArrayForEach(p, paths)
	{
		if (cJSON_IsString(p))
			settle_path(want, have, p->valuestring);
	}
	pcf_table_settle_warm(want, have);
	return 0;
}

void pcf_table_check_ignore_changes(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *paths = cJSON_GetObjectItemCaseSensitive(def->node, "ignore_changes"), *p;
	char at[64], first[128];
	int i = 0;

	cJSON_ArrayForEach(p, paths)
	{
		segment s;
		snprintf(at, sizeof(at), "ignore_changes[%d]", i++);
		if (!cJSON_IsString(p) || !next_segment(&s, p->valuestring) || s.bracket)
			continue; /* the envelope reported its shape */
		snprintf(first, sizeof(first), "%.*s", (int)s.len, s.start);
		if (!strcmp(first, "TableName") || !strcmp(first, "region_name"))
			pcf_particle_def_report(def, diags, at,
			                        "expected a setting of the table, found %s, which "
			                        "names the table itself",
			                        first);
		else if (!pcf_table_known_field(first))
			pcf_particle_def_report(
			    def, diags, at,
			    "expected a path starting at a field of aws_resource "
			    "(such as ProvisionedThroughput), found %s",
			    first);
	}
}
