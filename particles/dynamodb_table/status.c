/*
 * Table status -> pcf state: the flavor's name for pcf_ddb_table_status
 * (src/dynamodb/status.c), which holds the one mapping DESIGN.md's States
 * table defines.
 */
#include "replicas.h"

#include "src/dynamodb/status.h"

pcf_state pcf_table_state(const cJSON *description, char *why, size_t why_size)
{
	switch (pcf_ddb_table_status(why, why_size, description)) {
	case PCF_DDB_STATUS_RUNNING:
		/* An ACTIVE table whose replica is changing or failed is not running. */
		return pcf_table_replicas_state(description, why, why_size);
	case PCF_DDB_STATUS_MISSING:
		return PCF_STATE_MISSING;
	case PCF_DDB_STATUS_UNAVAILABLE:
		return PCF_STATE_UNAVAILABLE;
	case PCF_DDB_STATUS_PENDING:
	default:
		return PCF_STATE_PENDING;
	}
}

void pcf_table_offer_answer(pcf_particle *p, const cJSON *description)
{
	char why[256];

	/* Only pending: a settled answer lacks the TTL, backups and tags a
	 * comparison needs, so that one is read in full. */
	if (description == NULL ||
	    pcf_table_state(description, why, sizeof(why)) != PCF_STATE_PENDING)
		return;
	pcf_particle_set_pending_detail(p, "%s", why);
	pcf_particle_offer_pending(p);
}
