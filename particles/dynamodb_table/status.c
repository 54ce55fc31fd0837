/*
 * Table status -> pcf state: the flavor's name for pcf_ddb_table_status
 * (src/dynamodb/status.c), which holds the one mapping DESIGN.md's States
 * table defines.
 */
#include "replicas.h"

#include "particles/ddb_state.h"
#include "src/dynamodb/status.h"

pcf_state pcf_table_state(const cJSON *description, char *why, size_t why_size)
{
	pcf_ddb_status status = pcf_ddb_table_status(why, why_size, description);

	/* An ACTIVE table whose replica is changing or failed is not running. */
	if (status == PCF_DDB_STATUS_RUNNING)
		return pcf_table_replicas_state(description, why, why_size);
	return pcf_particles_ddb_state(status);
}

void pcf_table_offer_answer(pcf_particle *p, const cJSON *description, int created)
{
	pcf_state state;
	char why[256];
	cJSON *current;

	if (description == NULL)
		return;
	state = pcf_table_state(description, why, sizeof(why));
	if (state == PCF_STATE_PENDING) {
		pcf_particle_set_pending_detail(p, "%s", why);
		pcf_particle_offer_state(p, state, NULL);
		return;
	}
	/* Settled (dynoxide and moto create at once): the answer is all
	 * sync_state would read when the definition names only what
	 * DescribeTable shows (schema.c keeps that list); anything else (TTL,
	 * tags, a resource policy, autoscaling, ...) only its own call tells,
	 * and may be there already (moto keeps a policy or a scalable target of
	 * an earlier table of the same name): the engine reads in full. Only a
	 * creation's answer: an update's may still show the old settings. */
	if (!created || state != PCF_STATE_RUNNING ||
	    !pcf_table_described_alone(pcf_particle_desired(p)))
		return;
	current = pcf_table_normalize(description, NULL, NULL, NULL);
	if (current != NULL)
		pcf_particle_offer_state(p, state, current);
}
