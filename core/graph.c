/*
 * The dependency graph and nothing else: parents named by "flavor:name"
 * as indices, and the set of particles a command runs (the selection,
 * plus for apply the ancestors of those that should run, since a child
 * cannot converge before its parents).
 *
 * The checks of the whole set (pcf_engine_validate: existence, cycles,
 * $inherit$ references) are in validate.c; the $inherit$ syntax is in
 * inherit_parse.c.
 */
#include "core/graph.h"

#include <stdlib.h>
#include <string.h>

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

void pcf_graph_run_set(int *in_run, size_t count, const int *selected,
                       const pcf_desired_state *desired, size_t *const *parents,
                       const size_t *parent_count, int with_ancestors)
{
	int changed = 1;

	for (size_t i = 0; i < count; i++)
		in_run[i] = selected[i];
	if (!with_ancestors)
		return;
	/* Ancestors of what should run (a particle being deleted needs no
	 * parents); the graph is small, so iterate to a fixpoint. */
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < count; i++) {
			if (!in_run[i] || desired[i] != PCF_DESIRED_RUNNING)
				continue;
			for (size_t k = 0; k < parent_count[i]; k++) {
				size_t j = parents[i][k];
				if (!in_run[j]) {
					in_run[j] = 1;
					changed = 1;
				}
			}
		}
	}
}
