/*
 * strmap: open addressing, linear probing, FNV-1a hashes, at most half
 * full. Keys are borrowed, never copied: the maps here index strings that
 * live in the cJSON trees or particles being checked, for as long as the
 * check runs.
 */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "src/common/util.h"

struct strmap_slot {
	const char *key;
	const void *value;
};

void pcf_defs_strmap_init(strmap *m)
{
	m->slots = NULL;
	m->capacity = 0;
	m->count = 0;
}

void pcf_defs_strmap_cleanup(strmap *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	pcf_defs_strmap_init(m);
}

static struct strmap_slot *probe(struct strmap_slot *slots, size_t capacity, const char *key)
{
	size_t i = pcf_util_hash_str(key) & (capacity - 1);

	while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int grow(strmap *m)
{
	size_t i, capacity = m->capacity ? m->capacity * 2 : 16;
	struct strmap_slot *slots = calloc(capacity, sizeof(*slots));

	if (slots == NULL)
		return PCF_ENOMEM;
	for (i = 0; i < m->capacity; i++)
		if (m->slots[i].key != NULL)
			*probe(slots, capacity, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->capacity = capacity;
	return 0;
}

int pcf_defs_strmap_put(strmap *m, const char *key, const void *value)
{
	struct strmap_slot *slot;

	if ((m->count + 1) * 2 > m->capacity && grow(m) < 0)
		return PCF_ENOMEM;
	slot = probe(m->slots, m->capacity, key);
	if (slot->key != NULL)
		return 0;
	slot->key = key;
	slot->value = value;
	m->count++;
	return 1;
}

int pcf_defs_strmap_set(strmap *m, const char *key, const void *value)
{
	struct strmap_slot *slot;

	if ((m->count + 1) * 2 > m->capacity && grow(m) < 0)
		return PCF_ENOMEM;
	slot = probe(m->slots, m->capacity, key);
	if (slot->key == NULL)
		m->count++;
	slot->key = key;
	slot->value = value;
	return 0;
}

const void *pcf_defs_strmap_get(const strmap *m, const char *key)
{
	if (m->capacity == 0)
		return NULL;
	return probe(m->slots, m->capacity, key)->value;
}
