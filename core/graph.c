/*
 * The dependency graph: parents named by "flavor:name", checked for
 * existence and cycles, $inherit$ references checked to name a parent,
 * and the set of particles a command runs (the selection, plus for apply
 * the ancestors of those that should run, since a child cannot converge
 * before its parents).
 *
 * Checks here need every particle together, so they live in the core and
 * not in a flavor's validate; none touches the network.
 */
#include "core/engine_internal.h"

#include <stdlib.h>
#include <string.h>

#define INHERIT_PREFIX "$inherit$"

static long find_index(const pcf_definitions *defs, const char *ref)
{
	for (size_t j = 0; j < defs->count; j++)
		if (defs->particles[j].id && strcmp(defs->particles[j].id, ref) == 0)
			return (long)j;
	for (size_t j = 0; j < defs->count; j++)
		if (strcmp(defs->particles[j].name, ref) == 0)
			return (long)j;
	return -1;
}

int pcf_graph_parents(size_t **out, size_t *count, const pcf_definitions *defs, size_t i,
                      pcf_error *err)
{
	const pcf_particle_def *def = &defs->particles[i];
	size_t *idx = NULL;

	*out = NULL;
	*count = 0;
	if (def->parent_count == 0)
		return 0;
	idx = calloc(def->parent_count, sizeof(*idx));
	if (!idx)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	for (size_t k = 0; k < def->parent_count; k++) {
		long j = find_index(defs, def->parents[k]);
		if (j < 0) {
			free(idx);
			return pcf_error_set(err, PCF_ENOTFOUND, "%s: parent %s is not defined",
			                     def->name, def->parents[k]);
		}
		idx[k] = (size_t)j;
	}
	*out = idx;
	*count = def->parent_count;
	return 0;
}

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

static int is_parent(const pcf_particle_def *def, const pcf_definitions *defs, const char *id)
{
	long j = find_index(defs, id);

	for (size_t k = 0; j >= 0 && k < def->parent_count; k++)
		if (find_index(defs, def->parents[k]) == j)
			return 1;
	return 0;
}

static void check_inherit(const pcf_definitions *defs, const pcf_particle_def *def,
                          const cJSON *node, char *path, size_t len, size_t cap, pcf_diags *diags)
{
	char id[256];
	const char *ref;
	const cJSON *c;
	int i = 0, parsed;

	if (cJSON_IsString(node)) {
		parsed = pcf_inherit_parse(node->valuestring, id, sizeof(id), &ref);
		if (parsed < 0)
			pcf_particle_def_report(def, diags, path,
			                        "expected $inherit$flavor:name$path, found %s",
			                        node->valuestring);
		else if (parsed > 0 && !is_parent(def, defs, id))
			pcf_particle_def_report(def, diags, path,
			                        "expected $inherit$ to name a parent, found %s "
			                        "(add it to parents)",
			                        id);
		return;
	}
	cJSON_ArrayForEach(c, node)
	{
		if (cJSON_IsArray(node))
			snprintf(path + len, cap - len, "[%d]", i++);
		else
			snprintf(path + len, cap - len, ".%s", c->string);
		check_inherit(defs, def, c, path, strlen(path), cap, diags);
		path[len] = '\0';
	}
}

/* Depth-first search for a cycle through parents; color 0 new, 1 open, 2 done. */
static int find_cycle(const pcf_definitions *defs, size_t i, char *color)
{
	const pcf_particle_def *def = &defs->particles[i];

	if (color[i] == 1)
		return 1;
	if (color[i] == 2)
		return 0;
	color[i] = 1;
	for (size_t k = 0; k < def->parent_count; k++) {
		long j = find_index(defs, def->parents[k]);
		if (j >= 0 && find_cycle(defs, (size_t)j, color))
			return 1;
	}
	color[i] = 2;
	return 0;
}

static void check_particle(const pcf_definitions *defs, size_t i, const pcf_flavor *const *flavors,
                           size_t flavor_count, pcf_diags *diags)
{
	const pcf_particle_def *def = &defs->particles[i];
	const pcf_flavor *flavor = pcf_flavor_find(flavors, flavor_count, def->flavor);
	char path[1024] = "aws_resource";

	if (!flavor) {
		pcf_particle_def_report(def, diags, "flavor", "expected a known flavor, found %s",
		                        def->flavor ? def->flavor : "nothing");
	} else if (flavor->ops && flavor->ops->validate) {
		flavor->ops->validate(def, diags);
	}
	for (size_t k = 0; k < def->parent_count; k++)
		if (find_index(defs, def->parents[k]) < 0)
			pcf_particle_def_report(def, diags, "parents",
			                        "expected a defined particle, found %s",
			                        def->parents[k]);
	check_inherit(defs, def, def->aws_resource, path, strlen(path), sizeof(path), diags);
}

int pcf_engine_validate(const pcf_definitions *defs, const pcf_flavor *const *flavors,
                        size_t flavor_count, pcf_diags *diags)
{
	size_t before = diags->count;
	char *color = calloc(defs->count + 1, 1);

	if (!color)
		return PCF_ENOMEM;
	for (size_t i = 0; i < defs->count; i++)
		check_particle(defs, i, flavors, flavor_count, diags);
	for (size_t i = 0; i < defs->count; i++) {
		memset(color, 0, defs->count);
		if (find_cycle(defs, i, color))
			pcf_particle_def_report(&defs->particles[i], diags, "parents",
			                        "expected parents without a cycle, found one "
			                        "through %s",
			                        defs->particles[i].id);
	}
	free(color);
	return diags->count > before ? PCF_EDEFINITION : 0;
}

void pcf_graph_run_set(const pcf_engine *engine, pcf_command command, int *in_run)
{
	int changed = 1;

	for (size_t i = 0; i < engine->count; i++)
		in_run[i] = engine->selected[i];
	if (command != PCF_COMMAND_APPLY)
		return;
	/* Ancestors of what should run (a particle being deleted needs no
	 * parents); the graph is small, so iterate to a fixpoint. */
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < engine->count; i++) {
			if (!in_run[i] || engine->desired[i] != PCF_DESIRED_RUNNING)
				continue;
			for (size_t k = 0; k < engine->parent_count[i]; k++) {
				size_t j = engine->parents[i][k];
				if (!in_run[j]) {
					in_run[j] = 1;
					changed = 1;
				}
			}
		}
	}
}
