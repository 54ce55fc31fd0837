/*
 * The read-only tasks: plan (what apply would do) and status (live state
 * and drift). Neither changes anything; both read each particle's state
 * once and resolve $inherit$ values as far as the parents' live state
 * allows, leaving the rest as written.
 *
 * A pending resource is judged by what it is becoming: with a live
 * description it is compared like a running one, without one like a
 * missing one.
 */
#include "core/engine_internal.h"

#include <stdlib.h>
#include <string.h>

/* Reads the state into the report; 0, or < 0 with the report FAILED. */
static int read_into(pcf_engine *e, pcf_particle *p, pcf_particle_report *r, pcf_state *state,
                     const cJSON **current)
{
	int rc;

	pcf_inherit_resolve(e, (size_t)(r->def - e->defs->particles), 0, NULL);
	rc = pcf_engine_read_state(e, p, state, current, &r->error);
	if (rc < 0) {
		/* The run's deadline cut the read short (the transport's wait). */
		r->outcome = rc == PCF_ETIMEDOUT ? PCF_OUTCOME_TIMED_OUT : PCF_OUTCOME_FAILED;
		if (r->error.code >= 0)
			pcf_error_set(&r->error, rc, "reading the state failed");
		return rc;
	}
	r->state = *state;
	r->state_read = 1;
	return 0;
}

static int fail(pcf_particle_report *r, int rc, const char *what)
{
	r->outcome = PCF_OUTCOME_FAILED;
	if (r->error.code >= 0)
		pcf_error_set(&r->error, rc, "%s failed", what);
	return 0;
}

static int plan_start(pcf_particle *p, pcf_particle_report *r)
{
	const pcf_flavor *f = p->flavor;
	char *summary = f->ops->describe_start ? f->ops->describe_start(p) : NULL;
	int rc;

	rc = pcf_plan_add_take(&r->plan, f->start_action ? f->start_action : "start", NULL, 0, "%s",
	                       summary ? summary : p->def->name);
	free(summary);
	if (rc < 0)
		return fail(r, rc, "planning");
	rc = f->ops->plan ? f->ops->plan(&r->plan, p, NULL, &r->error) : 0;
	if (rc < 0)
		return fail(r, rc, "planning");
	return 1;
}

static int plan_terminate(pcf_particle *p, pcf_particle_report *r, int stop, int strict)
{
	const pcf_flavor *f = p->flavor;
	const char *action = stop                  ? "stop"
	                     : f->terminate_action ? f->terminate_action
	                                           : "terminate";
	unsigned flags = !stop && (f->flags & PCF_FLAVOR_DELETES_DATA) ? PCF_STEP_DESTRUCTIVE : 0;
	char *summary;
	int rc;

	if (!stop && p->def->persist_on_termination) {
		r->outcome = PCF_OUTCOME_KEPT;
		if (strict)
			pcf_error_set(
			    &r->error, PCF_EREFUSED,
			    "persist_on_termination is set: pcf never deletes it (--strict "
			    "makes that an error)");
		return r->error.code >= 0;
	}
	summary = !stop && f->ops->describe_terminate ? f->ops->describe_terminate(p) : NULL;
	rc = summary
	         ? pcf_plan_add_take(&r->plan, action, NULL, flags, "%s", summary)
	         : pcf_plan_add_take(&r->plan, action, NULL, flags, "%s %s", action, p->def->name);
	free(summary);
	if (rc < 0)
		return fail(r, PCF_ENOMEM, "planning");
	return 1;
}

static int plan_update(pcf_particle *p, pcf_particle_report *r, const cJSON *current)
{
	const pcf_flavor_ops *ops = p->flavor->ops;
	int rc = ops->diff(&r->drift, p, current, &r->error);

	if (rc < 0)
		return fail(r, rc, "comparing with the definition");
	if (r->drift.count == 0 || p->def->persist_on_update || !ops->plan)
		return 1;
	rc = ops->plan(&r->plan, p, current, &r->error);
	return rc < 0 ? fail(r, rc, "planning") : 1;
}

int pcf_plan_task(pcf_engine *e, size_t index, pcf_particle_report *r)
{
	pcf_particle *p = e->particles[index];
	const cJSON *current;
	pcf_state state, judged;
	int ok = 1;

	if (read_into(e, p, r, &state, &current) < 0)
		return 0;
	judged = state != PCF_STATE_PENDING ? state
	         : current                  ? PCF_STATE_RUNNING
	                                    : PCF_STATE_MISSING;
	switch (pcf_transition_pick(judged, e->desired[index], p->flavor->ops->stop != NULL)) {
	case PCF_TRANSITION_UNAVAILABLE:
		r->outcome = PCF_OUTCOME_FAILED;
		pcf_error_set(&r->error, PCF_EUNAVAILABLE, "unavailable: pcf never acts on it");
		return 0;
	case PCF_TRANSITION_START:
		ok = plan_start(p, r);
		break;
	case PCF_TRANSITION_STOP:
		ok = plan_terminate(p, r, 1, e->options.strict);
		break;
	case PCF_TRANSITION_TERMINATE:
		ok = plan_terminate(p, r, 0, e->options.strict);
		break;
	default:
		if (e->desired[index] == PCF_DESIRED_RUNNING)
			ok = plan_update(p, r, current);
		break;
	}
	if (r->outcome == PCF_OUTCOME_KEPT)
		return ok;
	if (ok && r->outcome != PCF_OUTCOME_REFUSED && r->outcome != PCF_OUTCOME_FAILED)
		r->outcome = r->plan.count || (r->drift.count && !p->def->persist_on_update)
		                 ? PCF_OUTCOME_CHANGES
		                 : PCF_OUTCOME_IN_SYNC;
	return ok && r->outcome != PCF_OUTCOME_FAILED;
}

int pcf_status_task(pcf_engine *e, size_t index, pcf_particle_report *r)
{
	pcf_particle *p = e->particles[index];
	const cJSON *current;
	pcf_state state;
	int reached, rc = 0;

	if (read_into(e, p, r, &state, &current) < 0)
		return 0;
	if (current && e->desired[index] == PCF_DESIRED_RUNNING &&
	    (state == PCF_STATE_RUNNING || state == PCF_STATE_PENDING))
		rc = p->flavor->ops->diff(&r->drift, p, current, &r->error);
	if (rc < 0)
		return fail(r, rc, "comparing with the definition");
	reached = pcf_state_reached(state, e->desired[index], p->flavor->ops->stop != NULL);
	r->outcome = reached && (r->drift.count == 0 || p->def->persist_on_update)
	                 ? PCF_OUTCOME_IN_SYNC
	                 : PCF_OUTCOME_CHANGES;
	return 1;
}
