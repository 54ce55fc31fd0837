/*
 * The built-in flavors: a static list the CLI and library users hand to the
 * engine. A flavor joins pcf by adding its descriptor here; core/ never
 * names a flavor. Also the one wording both DynamoDB flavors use to name
 * the table a definition declares, so validate sees a table particle and a
 * config store on the same table, or a table named with the run's region
 * and the same table left to it, as the clash they are.
 */
#include <pcf/particles.h>

#include "particles/services.h"
#include "src/common/util.h"

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

char *pcf_particles_table_resource_name(const pcf_particle_def *def, void *services)
{
	const char *table = pcf_util_json_str(def->aws_resource, "TableName");
	const char *region = pcf_util_json_str(def->aws_resource, "region_name");

	if (table == NULL)
		return NULL;
	/* As pcf_services_ddb picks the client: an empty region_name is the
	 * default region, which is the same table as that region written out. */
	if (region == NULL || region[0] == '\0')
		region = pcf_services_region(services);
	if (region == NULL)
		return pcf_util_format("table %s in the run's region", table);
	return pcf_util_format("table %s in region %s", table, region);
}
