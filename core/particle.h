/*
 * The particle as the core sees it: the public pcf_particle accessors in
 * flavor.h read these fields, and the engine (converge.c, engine.c) keeps
 * its per-particle run state here too.
 *
 * A particle belongs to one worker thread at a time, so nothing in it is
 * locked; the engine hands a particle to a worker only once its parents
 * are done.
 */
#ifndef PCF_CORE_PARTICLE_H
#define PCF_CORE_PARTICLE_H

#include <pcf/common.h>
#include <pcf/flavor.h>

struct pcf_particle {
	const pcf_particle_def *def;
	const pcf_flavor *flavor;
	void *services;
	cJSON *desired;    /* aws_resource with $inherit$ values resolved */
	int desired_owned; /* 0: desired is the definition's own tree, borrowed */
	void *flavor_data;
	const pcf_logger *logger; /* borrowed from the engine; NULL: stderr */
	char *pending_detail;     /* what the flavor last said it waits on */

	/* The state cache: one read reused while it is younger than the TTL. */
	int cache_valid;
	long cache_at_ms;
	pcf_state cache_state;
	cJSON *cache_current;
	int cache_offered; /* a mutation's answer said pending: the next read
	                      (pcf_particle_offer_state) */
	/* During a mutating call: the read it was decided on (pcf_particle_last_read). */
	int last_read_valid;
	pcf_state last_read_state;
	cJSON *last_read_current;
};

/* Replaces desired with tree (taken). */
void pcf_particle_set_desired_take(pcf_particle *p, cJSON *tree);

/*
 * A copy of def's aws_resource as the flavor gets it: without PCF's
 * custom_config, which PCF's own filter drops for every flavor. An empty
 * object when def has none; NULL only when out of memory.
 */
cJSON *pcf_particle_resource_copy(const pcf_particle_def *def);
/* Forgets the cached state read. */
void pcf_particle_cache_drop(pcf_particle *p);
/* Moves a valid cached read to the last read a mutating call may consult. */
void pcf_particle_cache_to_last_read(pcf_particle *p);
/* Forgets the last read once the mutating call returned. */
void pcf_particle_last_read_drop(pcf_particle *p);

#endif
