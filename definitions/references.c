/*
 * References between particles: duplicate names, parents and children.
 *
 * PCF lets a particle name its relatives either way round: "parents" on
 * the child, or "children" on the parent. Both resolve here against the
 * particles of the same definitions, written "flavor:name" or just "name"
 * (pcf_names are unique, so a bare name is never ambiguous once duplicates
 * are refused), and both end up in the child's `parents` as "flavor:name",
 * each parent once.
 */
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "defs_internal.h"
#include "describe.h"

static void report_duplicates(pcf_definitions *defs, pcf_diags *diags)
{
	size_t i, j;

	for (i = 0; i < defs->count; i++) {
		const pcf_particle_def *d = &defs->particles[i];
		pcf_source_mark first;

		if (d->name == NULL)
			continue;
		for (j = 0; j < i; j++) {
			const pcf_particle_def *e = &defs->particles[j];

			if (e->name == NULL || strcmp(e->name, d->name) != 0)
				continue;
			pcf_particle_def_locate(e, "pcf_name", &first);
			pcf_particle_def_report(d, diags, "pcf_name",
			                        "duplicate particle name \"%s\": expected each "
			                        "pcf_name once, found it again (first at %s:%d:%d)",
			                        d->name, first.file, first.line, first.column);
			break;
		}
	}
}

/* Index of the particle ref names ("flavor:name" or "name"), or -1. */
static long resolve(const pcf_definitions *defs, const char *ref)
{
	size_t i;

	for (i = 0; i < defs->count; i++)
		if (defs->particles[i].id != NULL && strcmp(defs->particles[i].id, ref) == 0)
			return (long)i;
	for (i = 0; i < defs->count; i++)
		if (defs->particles[i].id != NULL && strcmp(defs->particles[i].name, ref) == 0)
			return (long)i;
	return -1;
}

/* Adds id to def's parents unless already there. 0 or PCF_ENOMEM. */
static int add_parent(pcf_particle_def *def, const char *id)
{
	char **grown, *copy;
	size_t i;

	for (i = 0; i < def->parent_count; i++)
		if (strcmp(def->parents[i], id) == 0)
			return 0;
	grown = realloc(def->parents, (def->parent_count + 1) * sizeof(*grown));
	if (grown == NULL)
		return PCF_ENOMEM;
	def->parents = grown;
	if ((copy = strdup(id)) == NULL)
		return PCF_ENOMEM;
	def->parents[def->parent_count++] = copy;
	return 0;
}

/* Every name and id, NULL-terminated, for suggestions; NULL when out of memory. */
static const char **all_names(const pcf_definitions *defs)
{
	const char **names = calloc(defs->count * 2 + 1, sizeof(*names));
	size_t i, n = 0;

	if (names == NULL)
		return NULL;
	for (i = 0; i < defs->count; i++) {
		if (defs->particles[i].id == NULL)
			continue;
		names[n++] = defs->particles[i].name;
		names[n++] = defs->particles[i].id;
	}
	return names;
}

static void report_unknown(const pcf_particle_def *def, pcf_diags *diags, const char *field,
                           int index, const char *ref, const char *const *names)
{
	const char *guess = names ? describe_suggest(ref, names) : NULL;
	char path[64];

	snprintf(path, sizeof(path), "%s[%d]", field, index);
	pcf_particle_def_report(def, diags, path,
	                        "expected the name of a particle in these definitions (\"name\" or "
	                        "\"flavor:name\"), found \"%s\"%s%s%s",
	                        ref, guess ? " (did you mean \"" : "", guess ? guess : "",
	                        guess ? "\"?)" : "");
}

/* Resolves one particle's parents and children lists. 0 or PCF_ENOMEM. */
static int link_one(pcf_definitions *defs, size_t i, const char *const *names, pcf_diags *diags)
{
	pcf_particle_def *def = &defs->particles[i];
	static const char *const fields[] = {"parents", "children"};
	const cJSON *item, *list;
	size_t f;
	long found;
	int index, rc;

	for (f = 0; f < 2; f++) {
		index = 0;
		list = cJSON_GetObjectItemCaseSensitive(def->node, fields[f]);
		if (!cJSON_IsArray(list))
			continue; /* reported by envelope_read */
		cJSON_ArrayForEach(item, list)
		{
			if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
				index++;
				continue; /* already reported by envelope_read */
			}
			found = resolve(defs, item->valuestring);
			if (found < 0)
				report_unknown(def, diags, fields[f], index, item->valuestring,
				               names);
			else if (f == 0 && (rc = add_parent(def, defs->particles[found].id)) < 0)
				return rc;
			else if (f == 1 && def->id != NULL &&
			         (rc = add_parent(&defs->particles[found], def->id)) < 0)
				return rc;
			index++;
		}
	}
	return 0;
}

int envelope_link(pcf_definitions *defs, pcf_diags *diags)
{
	const char **names;
	size_t i;
	int rc = 0;

	report_duplicates(defs, diags);
	names = all_names(defs);
	if (names == NULL)
		return PCF_ENOMEM;
	for (i = 0; i < defs->count && rc == 0; i++)
		rc = link_one(defs, i, names, diags);
	free(names);
	return rc;
}
