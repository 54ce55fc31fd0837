/*
 * PCF's transition table, case by case: every live state against every
 * desired state, for flavors with and without a stop operation.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "core/transition.h"

typedef struct tcase {
	pcf_state live;
	pcf_desired_state desired;
	int has_stop;
	pcf_transition expect;
} tcase;

#define R  PCF_STATE_RUNNING
#define P  PCF_STATE_PENDING
#define S  PCF_STATE_STOPPED
#define T  PCF_STATE_TERMINATED
#define M  PCF_STATE_MISSING
#define U  PCF_STATE_UNAVAILABLE
#define DR PCF_DESIRED_RUNNING
#define DS PCF_DESIRED_STOPPED
#define DT PCF_DESIRED_TERMINATED

static tcase cases[] = {
    /* PCF's table, with a stop operation. */
    {T, DR, 1, PCF_TRANSITION_START},
    {M, DR, 1, PCF_TRANSITION_START},
    {S, DR, 1, PCF_TRANSITION_START},
    {R, DR, 1, PCF_TRANSITION_NONE},
    {R, DT, 1, PCF_TRANSITION_TERMINATE},
    {S, DT, 1, PCF_TRANSITION_TERMINATE},
    {T, DT, 1, PCF_TRANSITION_NONE},
    {M, DT, 1, PCF_TRANSITION_NONE},
    {R, DS, 1, PCF_TRANSITION_STOP},
    {S, DS, 1, PCF_TRANSITION_NONE},
    {T, DS, 1, PCF_TRANSITION_NONE},
    {M, DS, 1, PCF_TRANSITION_NONE},
    /* pending waits and unavailable is never acted on, whatever is desired. */
    {P, DR, 1, PCF_TRANSITION_WAIT},
    {P, DT, 0, PCF_TRANSITION_WAIT},
    {P, DS, 0, PCF_TRANSITION_WAIT},
    {U, DR, 1, PCF_TRANSITION_UNAVAILABLE},
    {U, DT, 0, PCF_TRANSITION_UNAVAILABLE},
    {U, DS, 1, PCF_TRANSITION_UNAVAILABLE},
    /* Without a stop operation stopped == terminated. */
    {R, DS, 0, PCF_TRANSITION_TERMINATE},
    {S, DS, 0, PCF_TRANSITION_NONE},
    {M, DS, 0, PCF_TRANSITION_NONE},
    {S, DR, 0, PCF_TRANSITION_START},
    {S, DT, 0, PCF_TRANSITION_NONE},
    {R, DT, 0, PCF_TRANSITION_TERMINATE},
    {M, DR, 0, PCF_TRANSITION_START},
    {R, DR, 0, PCF_TRANSITION_NONE},
};

ParameterizedTestParameters(transition, table)
{
	return cr_make_param_array(tcase, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(tcase *c, transition, table)
{
	pcf_transition got = pcf_transition_pick(c->live, c->desired, c->has_stop);
	cr_assert_eq(got, c->expect, "%s -> desired %d (stop op %d): got %s, want %s",
	             pcf_state_name(c->live), (int)c->desired, c->has_stop,
	             pcf_transition_name(got), pcf_transition_name(c->expect));
	cr_assert_eq(pcf_state_reached(c->live, c->desired, c->has_stop),
	             c->expect == PCF_TRANSITION_NONE);
}

Test(transition, names)
{
	cr_assert_str_eq(pcf_transition_name(PCF_TRANSITION_START), "start");
	cr_assert_str_eq(pcf_transition_name(PCF_TRANSITION_WAIT), "wait");
	cr_assert_str_eq(pcf_transition_name((pcf_transition)42), "unknown");
}
