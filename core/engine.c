/*
 * The engine's handle and its three commands. apply, plan and status all
 * run the same way: pick the particles (the selection, with ancestors for
 * apply), run a per-particle task on the scheduler, and hand back one
 * report per particle in definition order. The tasks themselves live in
 * converge.c (apply) and inspect.c (plan, status).
 */
#include "core/engine_internal.h"
#include "core/flavor_check.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

const pcf_flavor *pcf_flavor_find(const pcf_flavor *const *flavors, size_t count, const char *name)
{
	for (size_t i = 0; name && i < count; i++)
		if (flavors[i] && strcmp(flavors[i]->name, name) == 0)
			return flavors[i];
	return NULL;
}

const char *pcf_outcome_name(pcf_outcome outcome)
{
	switch (outcome) {
	case PCF_OUTCOME_CONVERGED:
		return "converged";
	case PCF_OUTCOME_CHANGES:
		return "changes";
	case PCF_OUTCOME_IN_SYNC:
		return "in_sync";
	case PCF_OUTCOME_FAILED:
		return "failed";
	case PCF_OUTCOME_TIMED_OUT:
		return "timed_out";
	case PCF_OUTCOME_REFUSED:
		return "refused";
	case PCF_OUTCOME_SKIPPED:
		return "skipped";
	case PCF_OUTCOME_KEPT:
		return "kept";
	case PCF_OUTCOME_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

static void fill_defaults(pcf_engine_options *o)
{
	/* Tables changing at once: half of what AWS takes per account and
	 * region (500), leaving the rest to other clients of the account; a
	 * LimitExceeded beyond that is waited out. */
	if (o->parallel <= 0)
		o->parallel = 250;
	if (o->timeout_ms <= 0)
		o->timeout_ms = 1800000;
	if (o->poll_initial_ms <= 0)
		o->poll_initial_ms = 200;
	if (o->poll_max_ms <= 0)
		o->poll_max_ms = 5000;
	if (o->poll_max_ms < o->poll_initial_ms)
		o->poll_max_ms = o->poll_initial_ms;
	if (o->state_cache_ttl_ms == 0)
		o->state_cache_ttl_ms = 1000;
}

static int make_particles(pcf_engine *e, pcf_error *err)
{
	for (size_t i = 0; i < e->count; i++) {
		const pcf_particle_def *def = &e->defs->particles[i];
		const pcf_flavor *flavor =
		    pcf_flavor_find(e->options.flavors, e->options.flavor_count, def->flavor);
		int rc;

		if (!flavor)
			return pcf_error_set(err, PCF_EDEFINITION, "%s: unknown flavor %s",
			                     def->name, def->flavor ? def->flavor : "(none)");
		rc = pcf_particle_new(&e->particles[i], def, flavor, e->options.services, err);
		if (rc < 0)
			return rc;
		e->particles[i]->logger = &e->options.logger;
		if (cJSON_GetObjectItemCaseSensitive(def->aws_resource, "custom_config"))
			pcf_particle_log(
			    e->particles[i], PCF_LOG_DEBUG,
			    "aws_resource.custom_config is PCF's own setting: ignored");
		e->desired[i] = def->desired_state;
		e->selected[i] = 1;
		rc = pcf_graph_parents(&e->parents[i], &e->parent_count[i], e->defs, i, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pcf_engine_new(pcf_engine **out, const pcf_definitions *defs, const pcf_engine_options *options,
                   pcf_error *err)
{
	pcf_engine *e;
	size_t n;
	int rc;

	*out = NULL;
	if (!defs || !options)
		return pcf_error_set(err, PCF_EINVAL, "the engine needs definitions and options");
	if ((rc = pcf_flavor_check_all(options->flavors, options->flavor_count, err)) < 0)
		return rc;
	e = calloc(1, sizeof(*e));
	if (!e)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	n = defs->count ? defs->count : 1;
	e->defs = defs;
	e->count = defs->count;
	e->options = *options;
	fill_defaults(&e->options);
	e->clock = pcf_clock_system;
	pthread_mutex_init(&e->lock, NULL);
	e->particles = calloc(n, sizeof(*e->particles));
	e->desired = calloc(n, sizeof(*e->desired));
	e->parents = calloc(n, sizeof(*e->parents));
	e->parent_count = calloc(n, sizeof(*e->parent_count));
	e->selected = calloc(n, sizeof(*e->selected));
	if (!e->particles || !e->desired || !e->parents || !e->parent_count || !e->selected) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto fail;
	}
	rc = make_particles(e, err);
	if (rc < 0)
		goto fail;
	*out = e;
	return 0;
fail:
	pcf_engine_free(e);
	return rc;
}

void pcf_engine_free(pcf_engine *engine)
{
	if (!engine)
		return;
	for (size_t i = 0; i < engine->count; i++) {
		if (engine->particles)
			pcf_particle_free(engine->particles[i]);
		if (engine->parents)
			free(engine->parents[i]);
	}
	free(engine->particles);
	free(engine->desired);
	free(engine->parents);
	free(engine->parent_count);
	free(engine->selected);
	pthread_mutex_destroy(&engine->lock);
	free(engine);
}

int pcf_engine_select(pcf_engine *engine, const char *const *selectors, size_t count,
                      pcf_error *err)
{
	const pcf_particle_def *def;

	for (size_t k = 0; k < count; k++) {
		def = pcf_definitions_find(engine->defs, selectors[k]);
		if (!def)
			return pcf_error_set(err, PCF_ENOTFOUND, "no particle named %s",
			                     selectors[k]);
	}
	if (count == 0) {
		for (size_t i = 0; i < engine->count; i++)
			engine->selected[i] = 1;
		return 0;
	}
	for (size_t i = 0; i < engine->count; i++)
		engine->selected[i] = 0;
	for (size_t k = 0; k < count; k++) {
		def = pcf_definitions_find(engine->defs, selectors[k]);
		engine->selected[def - engine->defs->particles] = 1;
	}
	return 0;
}

void pcf_engine_cancel(pcf_engine *engine)
{
	if (engine)
		engine->cancelled = 1;
}

void pcf_engine_set_desired(pcf_engine *engine, pcf_desired_state state)
{
	for (size_t i = 0; i < engine->count; i++)
		if (engine->selected[i])
			engine->desired[i] = state;
}

long pcf_engine_elapsed_ms(const pcf_engine *engine)
{
	return engine->clock.now_ms(engine->clock.ctx) - engine->run_start_ms;
}

void pcf_engine_emit(pcf_engine *engine, pcf_event_kind kind, const pcf_particle *p,
                     pcf_state state, const char *detail)
{
	pcf_event ev;

	if (!engine->options.on_event)
		return;
	ev.kind = kind;
	ev.particle = p->def->id ? p->def->id : p->def->name;
	ev.state = state;
	ev.detail = detail;
	ev.elapsed_ms = pcf_engine_elapsed_ms(engine);
	engine->options.on_event(&ev, engine->options.payload);
}

int pcf_engine_read_state(pcf_engine *engine, pcf_particle *p, pcf_state *state,
                          const cJSON **current, pcf_error *err)
{
	long now = engine->clock.now_ms(engine->clock.ctx);
	cJSON *fresh = NULL;
	int rc;

	if (p->cache_valid && now - p->cache_at_ms < engine->options.state_cache_ttl_ms) {
		*state = p->cache_state;
		*current = p->cache_current;
		return 0;
	}
	if (p->cache_offered) {
		/* The answer of the change just made (pcf_particle_offer_state). */
		p->cache_offered = 0;
		p->cache_valid = 1;
		p->cache_at_ms = now;
		*state = p->cache_state;
		*current = p->cache_current;
		pcf_engine_emit(engine, PCF_EVENT_STATE, p, *state, p->pending_detail);
		return 0;
	}
	pcf_particle_cache_drop(p);
	pcf_particle_set_pending_detail(p, NULL);
	rc = p->flavor->ops->sync_state(state, &fresh, p, err);
	if (rc < 0) {
		cJSON_Delete(fresh);
		return rc;
	}
	p->cache_valid = 1;
	p->cache_at_ms = now;
	p->cache_state = *state;
	p->cache_current = fresh;
	*current = fresh;
	pcf_engine_emit(engine, PCF_EVENT_STATE, p, *state, p->pending_detail);
	return 0;
}

int pcf_report_add_action(pcf_particle_report *report, const char *fmt, ...)
{
	va_list ap;
	char *text, **bigger;

	va_start(ap, fmt);
	text = pcf_util_vformat(fmt, ap);
	va_end(ap);
	bigger =
	    text ? realloc(report->actions, (report->action_count + 1) * sizeof(char *)) : NULL;
	if (!bigger) {
		free(text);
		return PCF_ENOMEM;
	}
	report->actions = bigger;
	report->actions[report->action_count++] = text;
	return 0;
}

static void report_cleanup(pcf_particle_report *r)
{
	pcf_drift_cleanup(&r->drift);
	pcf_plan_cleanup(&r->plan);
	for (size_t k = 0; k < r->action_count; k++)
		free(r->actions[k]);
	free(r->actions);
}

void pcf_run_report_free(pcf_run_report *report)
{
	if (!report)
		return;
	for (size_t i = 0; i < report->count; i++)
		report_cleanup(&report->particles[i]);
	free(report->particles);
	free(report);
}

/* How much a particle's outcome weighs in the run's result: a failure the
 * user must fix outranks a cancel (the user's own doing), which outranks a
 * timeout (a rerun may fix that), which outranks a skip (caused by one of
 * the others). */
static int weight(const pcf_particle_report *r)
{
	switch (r->outcome) {
	case PCF_OUTCOME_SKIPPED:
		return 1;
	case PCF_OUTCOME_TIMED_OUT:
		return 2;
	case PCF_OUTCOME_CANCELLED:
		return 3;
	default:
		return 4;
	}
}

/* The failure a run returns: the heaviest, the first in definition order among equals. */
static int run_result(const pcf_run_report *report, pcf_error *err)
{
	const pcf_particle_report *first = NULL;

	for (size_t i = 0; i < report->count; i++) {
		const pcf_particle_report *r = &report->particles[i];
		if (r->error.code >= 0)
			continue;
		if (!first || weight(r) > weight(first))
			first = r;
	}
	if (!first)
		return 0;
	if (err)
		*err = first->error;
	return first->error.code;
}

static int run(pcf_engine *e, pcf_command command, pcf_turn_fn turn, pcf_task_fn once,
               pcf_run_report **out, pcf_error *err)
{
	pcf_particle_report *all = calloc(e->count + 1, sizeof(*all));
	int *in_run = calloc(e->count + 1, sizeof(int));
	pcf_run_report *report = calloc(1, sizeof(*report));
	int rc;

	*out = NULL;
	if (!all || !in_run || !report) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	pcf_graph_run_set(in_run, e->count, e->selected, e->desired, e->parents, e->parent_count,
	                  command == PCF_COMMAND_APPLY);
	for (size_t i = 0; i < e->count; i++)
		all[i].def = &e->defs->particles[i];
	e->run_start_ms = e->clock.now_ms(e->clock.ctx);
	e->deadline_ms = e->run_start_ms + e->options.timeout_ms;
	rc = pcf_schedule_run(e, in_run, turn, once, all, err);
	if (rc < 0)
		goto out;
	report->particles = calloc(e->count + 1, sizeof(*report->particles));
	if (!report->particles) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < e->count; i++) {
		if (!in_run[i])
			continue;
		report->particles[report->count++] = all[i];
		memset(&all[i], 0, sizeof(all[i]));
	}
	rc = run_result(report, err);
	*out = report;
	report = NULL;
out:
	for (size_t i = 0; all && i < e->count; i++)
		report_cleanup(&all[i]);
	free(all);
	free(in_run);
	pcf_run_report_free(report);
	return rc;
}

int pcf_engine_apply(pcf_run_report **out, pcf_engine *engine, pcf_error *err)
{
	return run(engine, PCF_COMMAND_APPLY, pcf_converge_turn, NULL, out, err);
}

int pcf_engine_plan(pcf_run_report **out, pcf_engine *engine, pcf_error *err)
{
	return run(engine, PCF_COMMAND_PLAN, NULL, pcf_plan_task, out, err);
}

int pcf_engine_status(pcf_run_report **out, pcf_engine *engine, pcf_error *err)
{
	return run(engine, PCF_COMMAND_STATUS, NULL, pcf_status_task, out, err);
}
