/*
 * The engine's clock: CLOCK_MONOTONIC and nanosleep, replaceable through
 * pcf_engine_set_clock so tests run the loop on simulated time.
 */
#include "core/engine_internal.h"

#include <errno.h>
#include <time.h>

static long system_now_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void system_sleep_ms(long ms, void *ctx)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	(void)ctx;
	if (ms <= 0)
		return;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

const pcf_clock pcf_clock_system = {system_now_ms, system_sleep_ms, NULL};

void pcf_engine_set_clock(pcf_engine *engine, const pcf_clock *clock)
{
	engine->clock = clock ? *clock : pcf_clock_system;
}
