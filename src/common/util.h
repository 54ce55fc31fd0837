/*
 * Small helpers every layer needs and none should own: the monotonic
 * clock, a sleep that survives signals, and reading a string member of a
 * JSON object. Internal to libpcf (not
 * installed); the engine's replaceable pcf_clock is built on these.
 */
#ifndef PCF_COMMON_UTIL_H
#define PCF_COMMON_UTIL_H

#include <stdint.h>

#include <cjson/cJSON.h>

/* Milliseconds on CLOCK_MONOTONIC: only differences mean anything. */
int64_t pcf_util_now_ms(void);

/* Microseconds on CLOCK_MONOTONIC, for latency figures. */
uint64_t pcf_util_now_us(void);

/* Sleeps ms milliseconds, resuming after signals; ms <= 0 returns at once. */
void pcf_util_sleep_ms(long ms);

/*
 * The text of obj's member name when it is a string, else NULL (also when
 * obj is NULL or not an object). Borrowed from obj.
 */
const char *pcf_util_json_str(const cJSON *obj, const char *name);

#endif
