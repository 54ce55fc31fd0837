/*
 * The flavor contract as the engine enforces it: every operation flavor.h
 * marks MUST is present. Checked when an engine is made and when
 * definitions are validated, so that a flavor missing one fails at once
 * with its name and the operation's, not with a NULL call mid-apply.
 */
#ifndef PCF_CORE_FLAVOR_CHECK_H
#define PCF_CORE_FLAVOR_CHECK_H

#include <stddef.h>

#include <pcf/definitions.h>
#include <pcf/error.h>
#include <pcf/flavor.h>

/* 0, or PCF_EINVAL naming the flavor and the first missing MUST operation. */
int pcf_flavor_check(const pcf_flavor *flavor, pcf_error *err);
/* pcf_flavor_check over a registry; NULL entries are skipped. */
int pcf_flavor_check_all(const pcf_flavor *const *flavors, size_t count, pcf_error *err);

/*
 * Reports, at the field, an envelope field of def that its flavor does not
 * declare it honours: ignore_changes without PCF_FLAVOR_IGNORE_CHANGES
 * (the message names the flavors of the registry that do).
 */
void pcf_flavor_check_envelope(const pcf_flavor *flavor, const pcf_flavor *const *flavors,
                               size_t count, const pcf_particle_def *def, pcf_diags *diags);

#endif
