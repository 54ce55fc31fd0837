/*
 * PCF's transition table (transition.c): live and desired state in, what
 * the converge loop does next out. Knows states only.
 */
#ifndef PCF_CORE_TRANSITION_H
#define PCF_CORE_TRANSITION_H

#include <pcf/definitions.h>
#include <pcf/flavor.h>

/* What the transition table tells the loop to do next. */
typedef enum pcf_transition {
	PCF_TRANSITION_NONE, /* at the desired state: check equivalence if running */
	PCF_TRANSITION_WAIT, /* pending: poll again later */
	PCF_TRANSITION_START,
	PCF_TRANSITION_STOP,
	PCF_TRANSITION_TERMINATE,
	PCF_TRANSITION_UNAVAILABLE /* never acted on */
} pcf_transition;

/* PCF's transition table; has_stop: the flavor has a stop op (else stopped == terminated). */
pcf_transition pcf_transition_pick(pcf_state live, pcf_desired_state desired, int has_stop);
const char *pcf_transition_name(pcf_transition t);
/* Whether live counts as having reached desired (no transition left). */
int pcf_state_reached(pcf_state live, pcf_desired_state desired, int has_stop);

#endif
