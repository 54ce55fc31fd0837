/* Table status -> pcf state for the DynamoDB flavors (ddb_state.h). */
#include "ddb_state.h"

pcf_state pcf_particles_ddb_state(pcf_ddb_status status)
{
	switch (status) {
	case PCF_DDB_STATUS_RUNNING:
		return PCF_STATE_RUNNING;
	case PCF_DDB_STATUS_MISSING:
		return PCF_STATE_MISSING;
	case PCF_DDB_STATUS_UNAVAILABLE:
		return PCF_STATE_UNAVAILABLE;
	case PCF_DDB_STATUS_PENDING:
	default:
		return PCF_STATE_PENDING;
	}
}
