/*
 * Plans (the steps that bring a resource in line) and drift lists (what
 * differs), the two growing arrays flavors fill and the engine reports.
 *
 * Both own everything in them: a step's strings and request, a drift
 * entry's path and value copies. Arrays grow by doubling.
 */
#include "core/particle.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

void pcf_plan_init(pcf_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void pcf_plan_cleanup(pcf_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->count; i++) {
		free(plan->steps[i].action);
		free(plan->steps[i].summary);
		cJSON_Delete(plan->steps[i].request);
	}
	free(plan->steps);
	pcf_plan_init(plan);
}

int pcf_plan_add_take(pcf_plan *plan, const char *action, cJSON *request, unsigned flags,
                      const char *summary_fmt, ...)
{
	va_list ap;
	pcf_step step = {NULL, NULL, request, flags};

	if (pcf_util_grow((void **)&plan->steps, &plan->capacity, plan->count, sizeof(pcf_step)) <
	    0)
		goto fail;
	step.action = strdup(action ? action : "");
	if (summary_fmt) {
		va_start(ap, summary_fmt);
		step.summary = pcf_util_vformat(summary_fmt, ap);
		va_end(ap);
	} else {
		step.summary = strdup("");
	}
	if (!step.action || !step.summary)
		goto fail;
	plan->steps[plan->count++] = step;
	return 0;
fail:
	free(step.action);
	free(step.summary);
	cJSON_Delete(request);
	return PCF_ENOMEM;
}

void pcf_drift_init(pcf_drift *drift)
{
	memset(drift, 0, sizeof(*drift));
}

void pcf_drift_cleanup(pcf_drift *drift)
{
	if (!drift)
		return;
	for (size_t i = 0; i < drift->count; i++) {
		free(drift->entries[i].path);
		cJSON_Delete(drift->entries[i].desired);
		cJSON_Delete(drift->entries[i].current);
	}
	free(drift->entries);
	pcf_drift_init(drift);
}

int pcf_drift_add(pcf_drift *drift, const char *path, const cJSON *desired, const cJSON *current)
{
	pcf_drift_entry e = {NULL, NULL, NULL};

	if (pcf_util_grow((void **)&drift->entries, &drift->capacity, drift->count,
	                  sizeof(pcf_drift_entry)) < 0)
		return PCF_ENOMEM;
	e.path = strdup(path ? path : "");
	if (desired)
		e.desired = cJSON_Duplicate(desired, 1);
	if (current)
		e.current = cJSON_Duplicate(current, 1);
	if (!e.path || (desired && !e.desired) || (current && !e.current)) {
		free(e.path);
		cJSON_Delete(e.desired);
		cJSON_Delete(e.current);
		return PCF_ENOMEM;
	}
	drift->entries[drift->count++] = e;
	return 0;
}
