/*
 * A DynamoDB table's status as the pcf_state both DynamoDB flavors report
 * (DESIGN.md, States): one switch, so that the two never disagree.
 */
#ifndef PCF_PARTICLES_DDB_STATE_H
#define PCF_PARTICLES_DDB_STATE_H

#include <pcf/flavor.h>

#include "src/dynamodb/status.h"

/* RUNNING, MISSING and UNAVAILABLE as they are; PENDING and anything else PENDING. */
pcf_state pcf_particles_ddb_state(pcf_ddb_status status);

#endif
