/*
 * pcf_engine_validate: the checks that need every particle together and
 * the flavors, so they live in the core and not in a flavor's validate;
 * none touches the network.
 *
 * Per particle: a known flavor, envelope fields the flavor must honour
 * (flavor_check.c), the flavor's own validate, parents that exist,
 * $inherit$ references that name a parent. Across particles: no
 * cycle through parents, and no two particles declaring the same live
 * resource (they would undo each other's changes on every apply).
 *
 * Definitions may be crafted, so nothing here is quadratic: particles are
 * found through a sorted index (binary search), the cycle check is one
 * iterative depth-first search over the whole graph (each particle and
 * each parent edge visited once, no recursion to overflow the stack), and
 * duplicate resources are found by sorting their names.
 *
 * A particle whose own envelope failed to load (no name or flavor) is
 * skipped: the loader already said what is wrong with it.
 */
#include <pcf/engine.h>

#include "core/flavor_check.h"
#include "core/inherit.h"

#include <stdlib.h>
#include <string.h>

struct key {
	const char *text;
	size_t index;
};

/* Particles by id and by name, sorted for binary search. */
struct finder {
	struct key *by_id;
	struct key *by_name;
	size_t ids;
	size_t names;
};

static int compare_keys(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int finder_init(struct finder *f, const pcf_definitions *defs)
{
	f->ids = f->names = 0;
	f->by_id = calloc(defs->count + 1, sizeof(*f->by_id));
	f->by_name = calloc(defs->count + 1, sizeof(*f->by_name));
	if (!f->by_id || !f->by_name)
		return PCF_ENOMEM;
	for (size_t i = 0; i < defs->count; i++) {
		const pcf_particle_def *d = &defs->particles[i];
		if (d->id)
			f->by_id[f->ids++] = (struct key){d->id, i};
		if (d->name)
			f->by_name[f->names++] = (struct key){d->name, i};
	}
	qsort(f->by_id, f->ids, sizeof(struct key), compare_keys);
	qsort(f->by_name, f->names, sizeof(struct key), compare_keys);
	return 0;
}

static void finder_cleanup(struct finder *f)
{
	free(f->by_id);
	free(f->by_name);
}

/* The first of the keys equal to text, or NULL. */
static const struct key *lookup(const struct key *keys, size_t n, const char *text)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(keys[mid].text, text) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(keys[lo].text, text) == 0 ? &keys[lo] : NULL;
}

/* The particle "flavor:name" or "name" refers to, as graph.c resolves it; -1 when none. */
static long find(const struct finder *f, const char *ref)
{
	const struct key *k = lookup(f->by_id, f->ids, ref);

	if (!k)
		k = lookup(f->by_name, f->names, ref);
	return k ? (long)k->index : -1;
}

static int compare_indexes(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Parent edges as indexes, resolved once: edges[start[i]..start[i+1]) are i's parents. */
struct edges {
	size_t *start;
	size_t *to;
};

static int edges_build(struct edges *e, const struct finder *f, const pcf_definitions *defs)
{
	size_t total = 0, n = 0;

	for (size_t i = 0; i < defs->count; i++)
		total += defs->particles[i].parent_count;
	e->start = calloc(defs->count + 1, sizeof(*e->start));
	e->to = calloc(total + 1, sizeof(*e->to));
	if (!e->start || !e->to)
		return PCF_ENOMEM;
	for (size_t i = 0; i < defs->count; i++) {
		const pcf_particle_def *def = &defs->particles[i];
		e->start[i] = n;
		for (size_t k = 0; k < def->parent_count; k++) {
			long j = find(f, def->parents[k]);
			if (j >= 0)
				e->to[n++] = (size_t)j;
		}
	}
	e->start[defs->count] = n;
	/* Sorted per particle, so is_parent is a binary search. */
	for (size_t i = 0; i < defs->count; i++)
		qsort(e->to + e->start[i], e->start[i + 1] - e->start[i], sizeof(*e->to),
		      compare_indexes);
	return 0;
}

/* Does particle i list the particle id names among its parents? */
static int is_parent(const struct finder *f, const struct edges *e, size_t i, const char *id)
{
	long j = find(f, id);
	size_t want = (size_t)j;

	return j >= 0 && bsearch(&want, e->to + e->start[i], e->start[i + 1] - e->start[i],
	                         sizeof(*e->to), compare_indexes) != NULL;
}

/* Where check_inherit is: the particle and the lookups it needs. */
struct inherit_ctx {
	const struct finder *f;
	const struct edges *e;
	size_t i;
	const pcf_particle_def *def;
	pcf_diags *diags;
};

static void check_inherit(const struct inherit_ctx *x, const cJSON *node, char *path, size_t len,
                          size_t cap)
{
	const pcf_particle_def *def = x->def;
	pcf_diags *diags = x->diags;
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
		else if (parsed > 0 && !is_parent(x->f, x->e, x->i, id))
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
		check_inherit(x, c, path, strlen(path), cap);
		path[len] = '\0';
	}
}

static void check_particle(const struct finder *f, const struct edges *e,
                           const pcf_definitions *defs, size_t i, const pcf_flavor *const *flavors,
                           size_t flavor_count, pcf_diags *diags)
{
	const pcf_particle_def *def = &defs->particles[i];
	const struct inherit_ctx x = {f, e, i, def, diags};
	const pcf_flavor *flavor = pcf_flavor_find(flavors, flavor_count, def->flavor);
	char path[1024] = "aws_resource";

	if (!flavor) {
		pcf_particle_def_report(def, diags, "flavor", "expected a known flavor, found %s",
		                        def->flavor);
	} else {
		pcf_flavor_check_envelope(flavor, flavors, flavor_count, def, diags);
		if (flavor->ops && flavor->ops->validate && def->aws_resource)
			flavor->ops->validate(def, diags);
	}
	for (size_t k = 0; k < def->parent_count; k++)
		if (find(f, def->parents[k]) < 0)
			pcf_particle_def_report(def, diags, "parents",
			                        "expected a defined particle, found %s",
			                        def->parents[k]);
	check_inherit(&x, def->aws_resource, path, strlen(path), sizeof(path));
}

static const char *label(const pcf_particle_def *def)
{
	return def->id ? def->id : def->name ? def->name : "(unnamed)";
}

/* Reports the cycle closed by the edge from the particle on top of the
 * stack to the one at stack[from], naming its members (the first few). */
static void report_cycle(const pcf_definitions *defs, const size_t *stack, size_t from,
                         size_t depth, pcf_diags *diags)
{
	const pcf_particle_def *at = &defs->particles[stack[depth - 1]];
	char names[512] = "";
	size_t len = 0, shown = 0;

	for (size_t k = from; k < depth && len < sizeof(names); k++, shown++) {
		if (shown == 6) {
			snprintf(names + len, sizeof(names) - len, " -> ...");
			break;
		}
		snprintf(names + len, sizeof(names) - len, "%s%s", shown ? " -> " : "",
		         label(&defs->particles[stack[k]]));
		len = strlen(names);
	}
	pcf_particle_def_report(at, diags, "parents",
	                        "expected parents without a cycle, found one through %s: %s -> %s "
	                        "(each needs the next as a parent)",
	                        label(at), names, label(&defs->particles[stack[from]]));
}

/* One depth-first search over the whole graph; colour 0 new, 1 open, 2 done. */
static int check_cycles(const pcf_definitions *defs, const struct edges *e, pcf_diags *diags)
{
	size_t n = defs->count, depth;
	unsigned char *colour = calloc(n + 1, 1);
	size_t *stack = calloc(n + 1, sizeof(*stack)), *next = calloc(n + 1, sizeof(*next));
	size_t *at = calloc(n + 1, sizeof(*at)); /* where an open particle sits on the stack */
	int rc = 0;

	if (!colour || !stack || !next || !at) {
		rc = PCF_ENOMEM;
		goto out;
	}
	for (size_t root = 0; root < n; root++) {
		if (colour[root])
			continue;
		depth = 0;
		stack[depth++] = root;
		colour[root] = 1;
		next[root] = e->start[root];
		while (depth > 0) {
			size_t u = stack[depth - 1], v;
			if (next[u] == e->start[u + 1]) {
				colour[u] = 2;
				depth--;
				continue;
			}
			v = e->to[next[u]++];
			if (colour[v] == 1) {
				report_cycle(defs, stack, at[v], depth, diags);
			} else if (colour[v] == 0) {
				colour[v] = 1;
				next[v] = e->start[v];
				at[v] = depth;
				stack[depth++] = v;
			}
		}
	}
out:
	free(colour);
	free(stack);
	free(next);
	free(at);
	return rc;
}

struct resource {
	char *name;
	size_t index;
};

static int compare_resources(const void *a, const void *b)
{
	const struct resource *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void report_shared(const pcf_particle_def *first, const pcf_particle_def *again,
                          const char *resource, pcf_diags *diags)
{
	const pcf_source_mark *a = &first->mark, *b = &again->mark;

	pcf_particle_def_report(
	    again, diags, "aws_resource",
	    "expected each resource declared by one particle, found %s declared "
	    "by both %s (%s:%d:%d) and %s (%s:%d:%d); each apply would undo "
	    "the other's changes",
	    resource, label(first), a->file ? a->file : "?", a->line, a->column, label(again),
	    b->file ? b->file : "?", b->line, b->column);
}

/* Two particles naming one live resource, found by sorting the names;
 * services lets the flavors name a default as the run resolves it. */
static int check_shared(const pcf_definitions *defs, const pcf_flavor *const *flavors,
                        size_t flavor_count, void *services, pcf_diags *diags)
{
	struct resource *r = calloc(defs->count + 1, sizeof(*r));
	size_t n = 0, i;

	if (!r)
		return PCF_ENOMEM;
	for (i = 0; i < defs->count; i++) {
		const pcf_particle_def *def = &defs->particles[i];
		const pcf_flavor *flavor = pcf_flavor_find(flavors, flavor_count, def->flavor);
		if (flavor && flavor->ops && flavor->ops->resource_name && def->aws_resource &&
		    (r[n].name = flavor->ops->resource_name(def, services)) != NULL)
			r[n++].index = i;
	}
	qsort(r, n, sizeof(*r), compare_resources);
	for (i = 1; i < n; i++) {
		size_t first = i - 1;
		if (strcmp(r[i].name, r[first].name) != 0)
			continue;
		while (first > 0 && strcmp(r[first - 1].name, r[i].name) == 0)
			first--;
		report_shared(&defs->particles[r[first].index], &defs->particles[r[i].index],
		              r[i].name, diags);
	}
	for (i = 0; i < n; i++)
		free(r[i].name);
	free(r);
	return 0;
}

int pcf_engine_validate(const pcf_definitions *defs, const pcf_flavor *const *flavors,
                        size_t flavor_count, pcf_diags *diags)
{
	pcf_engine_options options = PCF_ENGINE_OPTIONS_INIT;

	options.flavors = flavors;
	options.flavor_count = flavor_count;
	return pcf_engine_validate_with(defs, &options, diags);
}

int pcf_engine_validate_with(const pcf_definitions *defs, const pcf_engine_options *options,
                             pcf_diags *diags)
{
	const pcf_flavor *const *flavors = options->flavors;
	size_t flavor_count = options->flavor_count, before = diags->count;
	struct finder f = {NULL, NULL, 0, 0};
	struct edges e = {NULL, NULL};
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	/* A flavor missing an operation would fail every particle of it. */
	if ((rc = pcf_flavor_check_all(flavors, flavor_count, &err)) < 0) {
		pcf_diags_add(diags, NULL, 0, 0, "%s", err.message);
		return rc;
	}
	if ((rc = finder_init(&f, defs)) < 0 || (rc = edges_build(&e, &f, defs)) < 0)
		goto out;
	for (size_t i = 0; i < defs->count; i++)
		if (defs->particles[i].name && defs->particles[i].flavor)
			check_particle(&f, &e, defs, i, flavors, flavor_count, diags);
	if ((rc = check_cycles(defs, &e, diags)) < 0 ||
	    (rc = check_shared(defs, flavors, flavor_count, options->services, diags)) < 0)
		goto out;
	rc = diags->count > before ? PCF_EDEFINITION : 0;
out:
	finder_cleanup(&f);
	free(e.start);
	free(e.to);
	return rc;
}
