/*
 * A map from borrowed strings to borrowed pointers, so that checks over many keys or
 * particles (duplicates, references) stay linear in the input.
 */
#ifndef PCF_DEFINITIONS_STRMAP_H
#define PCF_DEFINITIONS_STRMAP_H

#include <stddef.h>

typedef struct strmap {
	struct strmap_slot *slots;
	size_t capacity;
	size_t count;
} strmap;

/* Caller storage; init cannot fail, the first put allocates. */
void pcf_defs_strmap_init(strmap *m);
void pcf_defs_strmap_cleanup(strmap *m);

/*
 * Maps key (borrowed: it must outlive the map and not change) to value
 * unless key is already there. Returns 1 when added, 0 when key was
 * present (its value unchanged), PCF_ENOMEM.
 */
int pcf_defs_strmap_put(strmap *m, const char *key, const void *value);

/* Maps key to value, replacing (key and value) what was there. 0 or PCF_ENOMEM. */
int pcf_defs_strmap_set(strmap *m, const char *key, const void *value);

/* The value of key, or NULL when key is absent. */
const void *pcf_defs_strmap_get(const strmap *m, const char *key);

#endif
