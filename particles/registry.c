/*
 * The built-in flavors: a static list the CLI and library users hand to the
 * engine. A flavor joins pcf by adding its descriptor here; core/ never
 * names a flavor.
 */
#include <pcf/particles.h>

static const pcf_flavor *const builtin[] = {
    &pcf_flavor_dynamodb_table,
    &pcf_flavor_dynamodb_config_store,
};

const pcf_flavor *const *pcf_particles_flavors(size_t *count)
{
	if (count != NULL)
		*count = sizeof(builtin) / sizeof(builtin[0]);
	return builtin;
}
