/*
 * The dependency graph: parents named by "flavor:name", checked for
 * existence and cycles, $inherit$ references checked to name a parent,
 * and the set of particles a command runs (the selection, plus for apply
 * the ancestors of those that should run, since a child cannot converge
 * before its parents).
 *
 * The checks of the whole set (pcf_engine_validate) are in validate.c.
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
