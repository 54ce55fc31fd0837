/*
 * The built-in flavors and the services they share.
 *
 * pcf_services holds one DynamoDB client per region, created on first use
 * from a base set of transport options (a particle's `region_name` picks
 * its region; otherwise the default region). It is what the CLI passes to
 * the engine as options.services. Thread-safe.
 */
#ifndef PCF_PARTICLES_H
#define PCF_PARTICLES_H

#include <stddef.h>

#include <pcf/dynamodb.h>
#include <pcf/flavor.h>

#ifdef __cplusplus
extern "C" {
#endif

extern const pcf_flavor pcf_flavor_dynamodb_table;
extern const pcf_flavor pcf_flavor_dynamodb_config_store;

/* Every built-in flavor; *count receives how many. The array is static. */
const pcf_flavor *const *pcf_particles_flavors(size_t *count);

typedef struct pcf_services pcf_services;

/* base is copied (its strings too); NULL means defaults. Free with pcf_services_free. */
int pcf_services_new(pcf_services **out, const pcf_aws_options *base, pcf_error *err);
void pcf_services_free(pcf_services *services);

/* The client for region (NULL: the default region); owned by services. */
int pcf_services_ddb(pcf_ddb **out, pcf_services *services, const char *region,
		     pcf_error *err);

#ifdef __cplusplus
}
#endif
#endif
