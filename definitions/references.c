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
#include "strmap.h"

/* Indexes of the particles by id and by name; the first of duplicates wins. */
struct index {
	strmap by_id;
	strmap by_name;
};

static void index_cleanup(struct index *x)
{
	pcf_defs_strmap_cleanup(&x->by_id);
	pcf_defs_strmap_cleanup(&x->by_name);
}

/* Builds the index and reports duplicate names on the way. 0 or PCF_ENOMEM. */
static int index_build(struct index *x, const pcf_definitions *defs, pcf_diags *diags)
{
	size_t i;
	int rc;

	pcf_defs_strmap_init(&x->by_id);
	pcf_defs_strmap_init(&x->by_name);
	for (i = 0; i < defs->count; i++) {
		const pcf_particle_def *d = &defs->particles[i], *first;
		pcf_source_mark mark;

		if (d->name == NULL)
			continue;
		if (d->id != NULL && (rc = pcf_defs_strmap_put(&x->by_id, d->id, d)) < 0)
			return rc;
		if ((rc = pcf_defs_strmap_put(&x->by_name, d->name, d)) < 0)
			return rc;
		if (rc == 1)
			continue;
		first = pcf_defs_strmap_get(&x->by_name, d->name);
		pcf_particle_def_locate(&mark, first, "pcf_name");
		pcf_particle_def_report(d, diags, "pcf_name",
		                        "duplicate particle name \"%s\": expected each pcf_name "
		                        "once, found it again (first at %s:%d:%d)",
		                        d->name, mark.file, mark.line, mark.column);
	}
	return 0;
}

/* The particle ref names ("flavor:name" or "name"), or NULL. */
static pcf_particle_def *resolve(const struct index *x, const char *ref)
{
	const pcf_particle_def *d = pcf_defs_strmap_get(&x->by_id, ref);

	if (d == NULL)
		d = pcf_defs_strmap_get(&x->by_name, ref);
	/* A particle whose own envelope failed has no id and cannot be a parent. */
	return (d != NULL && d->id != NULL) ? (pcf_particle_def *)d : NULL;
}

/*
 * Appends id to def's parents (duplicates are dropped once all are in, by
 * drop_repeated_parents). The array doubles at powers of two, so a particle
 * with many parents costs linear time. 0 or PCF_ENOMEM.
 */
static int add_parent(pcf_particle_def *def, const char *id)
{
	size_t n = def->parent_count;
	char **grown, *copy;

	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		grown = realloc(def->parents, (n == 0 ? 4 : 2 * n) * sizeof(*grown));
		if (grown == NULL)
			return PCF_ENOMEM;
		def->parents = grown;
	}
	if ((copy = strdup(id)) == NULL)
		return PCF_ENOMEM;
	def->parents[def->parent_count++] = copy;
	return 0;
}

/* Keeps the first of each parent, in the order written. 0 or PCF_ENOMEM. */
static int drop_repeated_parents(pcf_particle_def *def)
{
	strmap seen;
	size_t kept = 0;
	int rc = 0;

	if (def->parent_count < 2)
		return 0;
	pcf_defs_strmap_init(&seen);
	for (size_t i = 0; i < def->parent_count; i++) {
		if (rc >= 0)
			rc = pcf_defs_strmap_put(&seen, def->parents[i], def);
		if (rc == 0) {
			free(def->parents[i]);
			continue;
		}
		def->parents[kept++] = def->parents[i];
	}
	def->parent_count = kept;
	pcf_defs_strmap_cleanup(&seen);
	return rc < 0 ? rc : 0;
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
	const char *guess = names ? pcf_defs_describe_suggest(ref, names) : NULL;
	char path[64];

	snprintf(path, sizeof(path), "%s[%d]", field, index);
	pcf_particle_def_report(def, diags, path,
	                        "expected the name of a particle in these definitions (\"name\" or "
	                        "\"flavor:name\"), found \"%s\"%s%s%s",
	                        ref, guess ? " (did you mean \"" : "", guess ? guess : "",
	                        guess ? "\"?)" : "");
}

/* Resolves one particle's parents and children lists. 0 or PCF_ENOMEM. */
static int link_one(pcf_definitions *defs, const struct index *x, size_t i,
                    const char *const *names, pcf_diags *diags)
{
	pcf_particle_def *def = &defs->particles[i];
	static const char *const fields[] = {"parents", "children"};
	const cJSON *item, *list;
	size_t f;
	pcf_particle_def *found;
	int index, rc;

	for (f = 0; f < 2; f++) {
		index = 0;
		list = cJSON_GetObjectItemCaseSensitive(def->node, fields[f]);
		if (!cJSON_IsArray(list))
			continue; /* reported by pcf_defs_envelope_read */
		cJSON_ArrayForEach(item, list)
		{
			if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
				index++;
				continue; /* already reported by pcf_defs_envelope_read */
			}
			found = resolve(x, item->valuestring);
			if (found == NULL)
				report_unknown(def, diags, fields[f], index, item->valuestring,
				               names);
			else if (f == 0 && (rc = add_parent(def, found->id)) < 0)
				return rc;
			else if (f == 1 && def->id != NULL && (rc = add_parent(found, def->id)) < 0)
				return rc;
			index++;
		}
	}
	return 0;
}

int pcf_defs_envelope_link(pcf_definitions *defs, pcf_diags *diags)
{
	const char **names = NULL;
	struct index x;
	size_t i;
	int rc;

	if ((rc = index_build(&x, defs, diags)) < 0)
		goto out;
	/* Suggestions compare a bad name with every name: only for sets of a sane size. */
	if (defs->count <= 1000 && (names = all_names(defs)) == NULL) {
		rc = PCF_ENOMEM;
		goto out;
	}
	for (i = 0; i < defs->count && rc == 0; i++)
		rc = link_one(defs, &x, i, names, diags);
	for (i = 0; i < defs->count && rc == 0; i++)
		rc = drop_repeated_parents(&defs->particles[i]);
out:
	free(names);
	index_cleanup(&x);
	return rc;
}
