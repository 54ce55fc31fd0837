/*
 * The engine's clock: CLOCK_MONOTONIC and nanosleep, replaceable through
 * pcf_engine_set_clock so tests run the loop on simulated time.
 */
#include "core/engine_internal.h"

#include "src/common/util.h"

static long system_now_ms(void *ctx)
{
	(void)ctx;
	return (long)pcf_util_now_ms();
}

static void system_sleep_ms(long ms, void *ctx)
{
	(void)ctx;
	pcf_util_sleep_ms(ms);
}

const pcf_clock pcf_clock_system = {system_now_ms, system_sleep_ms, NULL, 1};

void pcf_engine_set_clock(pcf_engine *engine, const pcf_clock *clock)
{
	engine->clock = clock ? *clock : pcf_clock_system;
}
