/*
 * $inherit$ values: a string "$inherit$flavor:name$path" in a child's
 * aws_resource becomes the value at path in that parent's live state
 * (ops->lookup when the flavor has one, else a path lookup in the parent's
 * last state read, then in its desired tree).
 *
 * Runs after the parents finished, so their particles are no longer
 * touched by their own workers; the engine lock serialises the flavor's
 * lookup and the state reads among children of the same parent.
 */
#include "core/engine_internal.h"
#include "core/inherit.h"

#include <stdlib.h>
#include <string.h>

static long parent_index(const pcf_engine *engine, size_t i, const char *id)
{
	for (size_t k = 0; k < engine->parent_count[i]; k++) {
		size_t j = engine->parents[i][k];
		const pcf_particle_def *d = &engine->defs->particles[j];
		if ((d->id && strcmp(d->id, id) == 0) || strcmp(d->name, id) == 0)
			return (long)j;
	}
	return -1;
}

/* A new tree: the parent's value at path, or NULL (err says why). */
static cJSON *lookup_value(pcf_engine *engine, pcf_particle *parent, const char *path,
                           pcf_error *err)
{
	const pcf_flavor_ops *ops = parent->flavor->ops;
	const cJSON *current = NULL, *found = NULL;
	pcf_state state;
	cJSON *value = NULL;

	pthread_mutex_lock(&engine->lock);
	if (pcf_engine_read_state(engine, parent, &state, &current, err) < 0)
		goto out;
	if (ops->lookup) {
		value = ops->lookup(parent, current, path);
		goto out;
	}
	found = pcf_inherit_path_get(current, path);
	if (!found)
		found = pcf_inherit_path_get(parent->desired, path);
	if (found)
		value = cJSON_Duplicate(found, 1);
out:
	pthread_mutex_unlock(&engine->lock);
	return value;
}

static int resolve_node(pcf_engine *engine, size_t i, cJSON *node, int strict, pcf_error *err)
{
	char id[256];
	const char *path;
	cJSON *c, *next, *value;
	pcf_error why;
	long j;
	int rc;

	for (c = node ? node->child : NULL; c; c = next) {
		next = c->next;
		if (!cJSON_IsString(c)) {
			rc = resolve_node(engine, i, c, strict, err);
			if (rc < 0)
				return rc;
			continue;
		}
		if (pcf_inherit_parse(c->valuestring, id, sizeof(id), &path) <= 0)
			continue;
		j = parent_index(engine, i, id);
		pcf_error_clear(&why);
		value = j < 0 ? NULL : lookup_value(engine, engine->particles[j], path, &why);
		if (!value) {
			if (!strict)
				continue;
			if (why.code < 0)
				return pcf_error_set(err, why.code, "cannot inherit %s from %s: %s",
				                     path, id, why.message);
			return pcf_error_set(err, PCF_ENOTFOUND, "%s has no value at %s to inherit",
			                     id, path);
		}
		/* In an object the replacement needs the key, which only this call sets. */
		if (!(cJSON_IsObject(node)
		          ? cJSON_ReplaceItemInObjectCaseSensitive(node, c->string, value)
		          : cJSON_ReplaceItemViaPointer(node, c, value))) {
			cJSON_Delete(value);
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
	}
	return 0;
}

int pcf_inherit_resolve(pcf_engine *engine, size_t i, int strict, pcf_error *err)
{
	pcf_particle *p = engine->particles[i];
	cJSON *fresh;
	int rc;

	if (engine->parent_count[i] == 0)
		return 0;
	/* Start again from the definition: a parent's value may have changed. */
	fresh = pcf_particle_resource_copy(p->def);
	if (!fresh)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = resolve_node(engine, i, fresh, strict, err);
	if (rc < 0) {
		cJSON_Delete(fresh);
		return rc;
	}
	pcf_particle_set_desired_take(p, fresh);
	return 0;
}
