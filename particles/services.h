/*
 * What the built-in flavors take from pcf_services beside the DynamoDB
 * clients of <pcf/particles.h>: the Application Auto Scaling client of a
 * region, made on first use with the same transport options, and the
 * default region itself.
 */
#ifndef PCF_PARTICLES_SERVICES_H
#define PCF_PARTICLES_SERVICES_H

#include <pcf/particles.h>

#include "src/autoscaling/autoscaling.h"

/* The client for region (NULL: the default region); owned by services. */
int pcf_services_autoscaling(pcf_aas **out, pcf_services *services, const char *region,
                             pcf_error *err);

/*
 * The default region (the base options' region, else AWS_REGION,
 * AWS_DEFAULT_REGION, the profile's), resolved on first call without a
 * request; NULL when none is configured or it cannot be read. Owned by
 * services.
 */
const char *pcf_services_region(pcf_services *services);

#endif
