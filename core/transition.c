/*
 * PCF's transition table: given the live state and the desired one, what
 * to do next. terminated->running start, running->terminated terminate,
 * running->stopped stop, stopped->running start, stopped->terminated
 * terminate. missing counts as terminated; pending always waits;
 * unavailable is never acted on. A flavor without a stop operation treats
 * stopped as terminated, both as desired and as live state.
 */
#include "core/transition.h"

pcf_transition pcf_transition_pick(pcf_state live, pcf_desired_state desired, int has_stop)
{
	if (live == PCF_STATE_PENDING)
		return PCF_TRANSITION_WAIT;
	if (live == PCF_STATE_UNAVAILABLE)
		return PCF_TRANSITION_UNAVAILABLE;
	if (live == PCF_STATE_MISSING || (!has_stop && live == PCF_STATE_STOPPED))
		live = PCF_STATE_TERMINATED;
	if (!has_stop && desired == PCF_DESIRED_STOPPED)
		desired = PCF_DESIRED_TERMINATED;

	switch (desired) {
	case PCF_DESIRED_RUNNING:
		return live == PCF_STATE_RUNNING ? PCF_TRANSITION_NONE : PCF_TRANSITION_START;
	case PCF_DESIRED_STOPPED:
		/* Nothing to stop once the resource is gone. */
		return live == PCF_STATE_RUNNING ? PCF_TRANSITION_STOP : PCF_TRANSITION_NONE;
	case PCF_DESIRED_TERMINATED:
		return live == PCF_STATE_TERMINATED ? PCF_TRANSITION_NONE
		                                    : PCF_TRANSITION_TERMINATE;
	}
	return PCF_TRANSITION_UNAVAILABLE;
}

int pcf_state_reached(pcf_state live, pcf_desired_state desired, int has_stop)
{
	return pcf_transition_pick(live, desired, has_stop) == PCF_TRANSITION_NONE;
}

const char *pcf_transition_name(pcf_transition t)
{
	switch (t) {
	case PCF_TRANSITION_NONE:
		return "none";
	case PCF_TRANSITION_WAIT:
		return "wait";
	case PCF_TRANSITION_START:
		return "start";
	case PCF_TRANSITION_STOP:
		return "stop";
	case PCF_TRANSITION_TERMINATE:
		return "terminate";
	case PCF_TRANSITION_UNAVAILABLE:
		return "unavailable";
	}
	return "unknown";
}
