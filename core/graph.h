/*
 * The dependency graph: parents named by "flavor:name" (or a name) as
 * definition indices, and the set of particles a command runs. Knows
 * definitions only, nothing of the engine, so the engine, the validator
 * and the tests can all use it.
 */
#ifndef PCF_CORE_GRAPH_H
#define PCF_CORE_GRAPH_H

#include <stddef.h>

#include <pcf/definitions.h>
#include <pcf/error.h>

/* Fills *out (malloc'd, caller frees with free()) with the indices of the
 * parents of particle i; 0 or PCF_ENOMEM / PCF_ENOTFOUND. */
int pcf_graph_parents(size_t **out, size_t *count, const pcf_definitions *defs, size_t i,
                      pcf_error *err);

/*
 * The particles a command runs, into in_run (caller storage of count
 * ints): the selected ones and, with with_ancestors (apply), the
 * ancestors of those whose desired state is running. parents and
 * parent_count are by definition index, as pcf_graph_parents gives them.
 */
void pcf_graph_run_set(int *in_run, size_t count, const int *selected,
                       const pcf_desired_state *desired, size_t *const *parents,
                       const size_t *parent_count, int with_ancestors);

#endif
