/*
 * Particles: a definition bound to its flavor, with the desired tree the
 * flavor reads and a slot for the flavor's own data.
 *
 * The desired tree is the definition's own aws_resource, borrowed, unless
 * it holds PCF's custom_config, which the flavor must not see; then it is
 * a copy without it. Nothing writes into a desired tree: resolving
 * $inherit$ values replaces it with a fresh copy (pcf_particle_set_desired_take),
 * so the loaded definitions, which other particles and threads read, stay
 * untouched. Borrowing saves a copy of every definition (about 1 MB for
 * 1000 tables, bench/engine).
 */
#include "core/particle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

const char *pcf_state_name(pcf_state state)
{
	switch (state) {
	case PCF_STATE_RUNNING:
		return "running";
	case PCF_STATE_PENDING:
		return "pending";
	case PCF_STATE_STOPPED:
		return "stopped";
	case PCF_STATE_TERMINATED:
		return "terminated";
	case PCF_STATE_MISSING:
		return "missing";
	case PCF_STATE_UNAVAILABLE:
		return "unavailable";
	}
	return "unknown";
}

cJSON *pcf_particle_resource_copy(const pcf_particle_def *def)
{
	cJSON *copy =
	    def->aws_resource ? cJSON_Duplicate(def->aws_resource, 1) : cJSON_CreateObject();

	cJSON_DeleteItemFromObjectCaseSensitive(copy, "custom_config");
	return copy;
}

int pcf_particle_new(pcf_particle **out, const pcf_particle_def *def,
                     const struct pcf_flavor *flavor, void *services, pcf_error *err)
{
	pcf_particle *p;

	*out = NULL;
	if (!def || !flavor || !flavor->ops)
		return pcf_error_set(err, PCF_EINVAL, "a particle needs a definition and a flavor");
	p = calloc(1, sizeof(*p));
	if (!p)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	p->def = def;
	p->flavor = flavor;
	p->services = services;
	p->desired_owned = !def->aws_resource ||
	                   cJSON_GetObjectItemCaseSensitive(def->aws_resource, "custom_config");
	p->desired = p->desired_owned ? pcf_particle_resource_copy(def) : def->aws_resource;
	if (!p->desired) {
		free(p);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = p;
	return 0;
}

void pcf_particle_free(pcf_particle *p)
{
	if (!p)
		return;
	if (p->flavor->ops->release)
		p->flavor->ops->release(p);
	if (p->desired_owned)
		cJSON_Delete(p->desired);
	cJSON_Delete(p->cache_current);
	cJSON_Delete(p->last_read_current);
	free(p->pending_detail);
	free(p);
}

const pcf_particle_def *pcf_particle_definition(const pcf_particle *p)
{
	return p->def;
}

const cJSON *pcf_particle_desired(const pcf_particle *p)
{
	return p->desired;
}

void *pcf_particle_services(const pcf_particle *p)
{
	return p->services;
}

void *pcf_particle_flavor_data(const pcf_particle *p)
{
	return p->flavor_data;
}

void pcf_particle_set_flavor_data(pcf_particle *p, void *data)
{
	p->flavor_data = data;
}

void pcf_particle_set_pending_detail(pcf_particle *p, const char *fmt, ...)
{
	va_list ap;

	free(p->pending_detail);
	p->pending_detail = NULL;
	if (!fmt)
		return;
	va_start(ap, fmt);
	/* Out of memory only loses the detail, never the state. */
	p->pending_detail = pcf_util_vformat(fmt, ap);
	va_end(ap);
}

const char *pcf_particle_pending_detail(const pcf_particle *p)
{
	return p->pending_detail;
}

void pcf_particle_log(const pcf_particle *p, int level, const char *fmt, ...)
{
	va_list ap;
	char *line;

	if (level < PCF_LOG_ERROR || level > PCF_LOG_TRACE ||
	    !pcf_log_enabled(p->logger, (pcf_log_level)level))
		return;
	va_start(ap, fmt);
	line = pcf_util_vformat(fmt, ap);
	va_end(ap);
	if (!line)
		return;
	pcf_log(p->logger, (pcf_log_level)level, "%s: %s", p->def->id ? p->def->id : p->def->name,
	        line);
	free(line);
}

void pcf_particle_set_desired_take(pcf_particle *p, cJSON *tree)
{
	if (p->desired_owned)
		cJSON_Delete(p->desired);
	p->desired = tree;
	p->desired_owned = 1;
}

void pcf_particle_offer_state(pcf_particle *p, pcf_state state, cJSON *current)
{
	pcf_particle_cache_drop(p);
	p->cache_offered = 1;
	p->cache_state = state;
	p->cache_current = current;
}

void pcf_particle_cache_drop(pcf_particle *p)
{
	p->cache_offered = 0;
	cJSON_Delete(p->cache_current);
	p->cache_current = NULL;
	p->cache_valid = 0;
}

void pcf_particle_cache_to_last_read(pcf_particle *p)
{
	pcf_particle_last_read_drop(p);
	if (p->cache_valid) {
		p->last_read_valid = 1;
		p->last_read_state = p->cache_state;
		p->last_read_current = p->cache_current;
		p->cache_current = NULL;
	}
	pcf_particle_cache_drop(p);
}

void pcf_particle_last_read_drop(pcf_particle *p)
{
	cJSON_Delete(p->last_read_current);
	p->last_read_current = NULL;
	p->last_read_valid = 0;
}

int pcf_particle_last_read(pcf_state *state, const cJSON **current, const pcf_particle *p)
{
	if (!p->last_read_valid)
		return 0;
	*state = p->last_read_state;
	*current = p->last_read_current;
	return 1;
}
