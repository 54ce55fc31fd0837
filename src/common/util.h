/*
 * Small helpers every layer needs and none should own: the monotonic
 * clock, a sleep that survives signals, growing arrays, the environment, formatting into a new
 * string, reading a string member of a JSON object, and comparing JSON lists and objects under a
 * caller's notion of equal values (the engine's diff and the table planner differ there). Internal
 * to libpcf (not installed); the engine's replaceable pcf_clock is built on these.
 */
#ifndef PCF_COMMON_UTIL_H
#define PCF_COMMON_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cjson/cJSON.h>

/* Milliseconds on CLOCK_MONOTONIC: only differences mean anything. */
int64_t pcf_util_now_ms(void);

/* ms milliseconds from now on CLOCK_MONOTONIC, as the absolute time
 * pthread_cond_timedwait takes on a condition set to that clock. */
void pcf_util_monotonic_after(struct timespec *out, long ms);

/* Microseconds on CLOCK_MONOTONIC, for latency figures. */
uint64_t pcf_util_now_us(void);

/* Sleeps ms milliseconds, resuming after signals; ms <= 0 returns at once. */
void pcf_util_sleep_ms(long ms);

/*
 * Makes room for one more item in the array *items of count used and
 * *capacity allocated items of item_size bytes, doubling (from 8) when
 * full. 0, or PCF_ENOMEM with *items and *capacity unchanged.
 */
int pcf_util_grow(void **items, size_t *capacity, size_t count, size_t item_size);

/* The value of environment variable name when it is set and not empty, else NULL. */
const char *pcf_util_getenv(const char *name);

/*
 * Reads text as a whole decimal integer from min to max into *out. 0, or
 * -1 (*out unchanged) for empty text, trailing characters, or a value out
 * of range.
 */
int pcf_util_parse_long(long *out, const char *text, long min, long max);

/* FNV-1a of the NUL-terminated s: cheap and well spread for hash tables. */
size_t pcf_util_hash_str(const char *s);

/* A new string formatted to its exact size (free with free), or NULL. */
char *pcf_util_vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *pcf_util_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The text of obj's member name when it is a string, else NULL (also when
 * obj is NULL or not an object). Borrowed from obj.
 */
const char *pcf_util_json_str(const cJSON *obj, const char *name);

/*
 * The first element of array whose string member key is value, or NULL
 * (also when value or array is NULL). Borrowed from array; not const so a
 * caller that owns array may change the element.
 */
cJSON *pcf_util_json_find(const cJSON *array, const char *key, const char *value);

/* Decides whether two JSON values are equal; neither argument is NULL. */
typedef int (*pcf_util_json_eq)(const cJSON *a, const cJSON *b);

/*
 * 1 when arrays a and b are equal as multisets under eq: same size, and
 * each element of a pairs with a distinct element of b. 0 otherwise, and
 * when out of memory (a comparison that cannot run is not a match).
 */
int pcf_util_json_same_items(const cJSON *a, const cJSON *b, pcf_util_json_eq eq);

/* 1 when objects a and b have the same member names and eq holds for each pair. */
int pcf_util_json_same_members(const cJSON *a, const cJSON *b, pcf_util_json_eq eq);

#endif
