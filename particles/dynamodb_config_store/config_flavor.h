/*
 * The dynamodb_config_store flavor's operations (ops.c), hooked into its
 * descriptor in flavor.c. The table work itself is the configuration store
 * library's (src/config_store): this flavor only reads the definition and
 * turns declared options into plan steps.
 */
#ifndef PCF_CONFIG_FLAVOR_H
#define PCF_CONFIG_FLAVOR_H

#include <pcf/flavor.h>

#include "src/config_store/config_table.h"

int config_sync_state(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err);
int config_start(pcf_particle *p, pcf_error *err);
int config_terminate(pcf_particle *p, pcf_error *err);
int config_diff(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err);
int config_plan(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err);
int config_run_step(pcf_particle *p, const pcf_step *step, pcf_error *err);
char *config_describe_start(pcf_particle *p);

#endif
