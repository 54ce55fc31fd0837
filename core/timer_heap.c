/*
 * A binary min-heap of (due time, insertion order) for the scheduler.
 */
#include "core/timer_heap.h"

#include <stdlib.h>

#include <pcf/error.h>

int pcf_timer_heap_init(pcf_timer_heap *h, size_t capacity)
{
	h->count = 0;
	h->next_seq = 0;
	h->capacity = capacity ? capacity : 1;
	h->entries = calloc(h->capacity, sizeof(*h->entries));
	return h->entries ? 0 : PCF_ENOMEM;
}

void pcf_timer_heap_cleanup(pcf_timer_heap *h)
{
	free(h->entries);
	h->entries = NULL;
	h->count = h->capacity = 0;
}

static int before(const pcf_timer_entry *a, const pcf_timer_entry *b)
{
	return a->due_ms < b->due_ms || (a->due_ms == b->due_ms && a->seq < b->seq);
}

static void swap(pcf_timer_entry *a, pcf_timer_entry *b)
{
	pcf_timer_entry t = *a;
	*a = *b;
	*b = t;
}

static void sift_up(pcf_timer_heap *h, size_t k)
{
	while (k > 0 && before(&h->entries[k], &h->entries[(k - 1) / 2])) {
		swap(&h->entries[k], &h->entries[(k - 1) / 2]);
		k = (k - 1) / 2;
	}
}

static void sift_down(pcf_timer_heap *h, size_t k)
{
	for (;;) {
		size_t l = 2 * k + 1, r = l + 1, m = k;
		if (l < h->count && before(&h->entries[l], &h->entries[m]))
			m = l;
		if (r < h->count && before(&h->entries[r], &h->entries[m]))
			m = r;
		if (m == k)
			return;
		swap(&h->entries[k], &h->entries[m]);
		k = m;
	}
}

void pcf_timer_heap_push(pcf_timer_heap *h, size_t index, long due_ms)
{
	pcf_timer_entry *e = &h->entries[h->count];

	e->due_ms = due_ms;
	e->seq = h->next_seq++;
	e->index = index;
	sift_up(h, h->count++);
}

const pcf_timer_entry *pcf_timer_heap_top(const pcf_timer_heap *h)
{
	return &h->entries[0];
}

size_t pcf_timer_heap_pop(pcf_timer_heap *h)
{
	size_t index = h->entries[0].index;

	h->entries[0] = h->entries[--h->count];
	sift_down(h, 0);
	return index;
}

void pcf_timer_heap_due_by(pcf_timer_heap *h, long now_ms)
{
	/* Lowering every later time to now keeps the order among the rest by
	 * seq, which is still a valid heap once rebuilt. */
	for (size_t k = 0; k < h->count; k++)
		if (h->entries[k].due_ms > now_ms)
			h->entries[k].due_ms = now_ms;
	for (size_t k = h->count / 2; k-- > 0;)
		sift_down(h, k);
}
