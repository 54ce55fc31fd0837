/*
 * pcf_engine_normalize: the one place a definition is rewritten. Each
 * particle's flavor normalize op runs once, after loading and before
 * validate, so that validate and the engine only ever read definitions.
 */
#include <pcf/engine.h>

int pcf_engine_normalize(pcf_definitions *defs, const pcf_flavor *const *flavors,
                         size_t flavor_count, pcf_error *err)
{
	int rc;

	for (size_t i = 0; defs && i < defs->count; i++) {
		pcf_particle_def *def = &defs->particles[i];
		const pcf_flavor *flavor = pcf_flavor_find(flavors, flavor_count, def->flavor);

		/* An unknown flavor is validate's to report. */
		if (!flavor || !flavor->ops || !flavor->ops->normalize || !def->aws_resource)
			continue;
		rc = flavor->ops->normalize(def, err);
		if (rc < 0) {
			pcf_error_prefix(err, "%s", def->name ? def->name : "a particle");
			return rc;
		}
	}
	return 0;
}
