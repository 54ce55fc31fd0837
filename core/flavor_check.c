/*
 * The MUST operations of pcf_flavor_ops, checked by name (see
 * flavor_check.h for why). run_step is a MUST only when plan is set: a
 * flavor without plan can only report drift.
 *
 * Also the envelope fields only some flavors honour, each refused by the
 * capability flag the flavor declares, so that the rule lives here once
 * and not in every flavor that lacks it.
 */
#include "core/flavor_check.h"

#include "src/common/buf.h"

static const char *missing_op(const pcf_flavor_ops *ops)
{
	if (!ops->validate)
		return "validate";
	if (!ops->sync_state)
		return "sync_state";
	if (!ops->start)
		return "start";
	if (!ops->terminate)
		return "terminate";
	if (!ops->diff)
		return "diff";
	if (ops->plan && !ops->run_step)
		return "run_step (needed because plan is set)";
	return NULL;
}

int pcf_flavor_check(const pcf_flavor *flavor, pcf_error *err)
{
	const char *name = flavor->name ? flavor->name : "(unnamed)";
	const char *op;

	if (!flavor->name)
		return pcf_error_set(err, PCF_EINVAL, "a flavor has no name");
	if (!flavor->ops)
		return pcf_error_set(err, PCF_EINVAL, "flavor %s has no operations table", name);
	op = missing_op(flavor->ops);
	if (op)
		return pcf_error_set(
		    err, PCF_EINVAL,
		    "flavor %s lacks the operation %s, which every flavor must have", name, op);
	return 0;
}

int pcf_flavor_check_all(const pcf_flavor *const *flavors, size_t count, pcf_error *err)
{
	int rc;

	for (size_t i = 0; flavors && i < count; i++)
		if (flavors[i] && (rc = pcf_flavor_check(flavors[i], err)) < 0)
			return rc;
	return 0;
}

void pcf_flavor_check_envelope(const pcf_flavor *flavor, const pcf_flavor *const *flavors,
                               size_t count, const pcf_particle_def *def, pcf_diags *diags)
{
	pcf_buf which = PCF_BUF_INIT;

	if ((flavor->flags & PCF_FLAVOR_IGNORE_CHANGES) ||
	    !cJSON_GetObjectItemCaseSensitive(def->node, "ignore_changes"))
		return;
	for (size_t i = 0; flavors && i < count; i++)
		if (flavors[i] && flavors[i]->name &&
		    (flavors[i]->flags & PCF_FLAVOR_IGNORE_CHANGES))
			pcf_buf_printf(&which, "%s%s", which.len ? ", " : "", flavors[i]->name);
	pcf_particle_def_report(
	    def, diags, "ignore_changes",
	    "expected no ignore_changes for flavor %s, which does not honour it "
	    "(flavors that do: %s); remove it",
	    flavor->name, which.len && !pcf_buf_failed(&which) ? which.data : "none");
	pcf_buf_cleanup(&which);
}
