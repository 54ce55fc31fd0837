/*
 * Monotonic time, sleeping, formatting, and JSON getters and comparisons. CLOCK_MONOTONIC, not the
 * wall clock, so retry delays and deadlines are immune to NTP steps; nanosleep is resumed with the
 * time left when a signal interrupts it, so a handler elsewhere in the program never cuts a
 * back-off short.
 */
#include "src/common/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcf/error.h>

int64_t pcf_util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void pcf_util_monotonic_after(struct timespec *out, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, out);
	out->tv_sec += ms / 1000;
	out->tv_nsec += (ms % 1000) * 1000000L;
	if (out->tv_nsec >= 1000000000L) {
		out->tv_sec++;
		out->tv_nsec -= 1000000000L;
	}
}

uint64_t pcf_util_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

void pcf_util_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int pcf_util_grow(void **items, size_t *capacity, size_t count, size_t item_size)
{
	size_t n;
	void *grown;

	if (count < *capacity)
		return 0;
	n = *capacity ? *capacity * 2 : 8;
	if ((grown = realloc(*items, n * item_size)) == NULL)
		return PCF_ENOMEM;
	*items = grown;
	*capacity = n;
	return 0;
}

const char *pcf_util_getenv(const char *name)
{
	const char *v = getenv(name);

	/* An empty variable counts as unset, as the AWS SDKs treat it. */
	return v != NULL && *v != '\0' ? v : NULL;
}

int pcf_util_parse_long(long *out, const char *text, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

size_t pcf_util_hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return (size_t)h;
}

char *pcf_util_vformat(const char *fmt, va_list ap)
{
	va_list copy;
	char *out;
	int n;

	/* Measure on a copy: ap is still needed for the real write. */
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || (out = malloc((size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	return out;
}

char *pcf_util_format(const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	out = pcf_util_vformat(fmt, ap);
	va_end(ap);
	return out;
}

const char *pcf_util_json_str(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

cJSON *pcf_util_json_find(const cJSON *array, const char *key, const char *value)
{
	cJSON *item;

	if (value == NULL)
		return NULL;
	cJSON_ArrayForEach(item, array)
	{
		const char *v = pcf_util_json_str(item, key);

		if (v != NULL && strcmp(v, value) == 0)
			return item;
	}
	return NULL;
}

int pcf_util_json_same_items(const cJSON *a, const cJSON *b, pcf_util_json_eq eq)
{
	int n = cJSON_GetArraySize(a), same = 1;
	const cJSON *x, *y;
	char *used;

	if (n != cJSON_GetArraySize(b))
		return 0;
	/* One byte more so an empty list still gets a real allocation. */
	if ((used = calloc((size_t)n + 1, 1)) == NULL)
		return 0;
	cJSON_ArrayForEach(x, a)
	{
		int i = 0, found = 0;

		cJSON_ArrayForEach(y, b)
		{
			if (!used[i] && eq(x, y)) {
				used[i] = 1;
				found = 1;
				break;
			}
			i++;
		}
		if (!found) {
			same = 0;
			break;
		}
	}
	free(used);
	return same;
}

int pcf_util_json_same_members(const cJSON *a, const cJSON *b, pcf_util_json_eq eq)
{
	const cJSON *x, *y;

	if (cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
		return 0;
	cJSON_ArrayForEach(x, a)
	{
		y = cJSON_GetObjectItemCaseSensitive(b, x->string);
		if (y == NULL || !eq(x, y))
			return 0;
	}
	return 1;
}
