/*
 * The scheduler's timer heap: particle indices ordered by when their next
 * turn is due (earliest first; among equal times, first in first out, so
 * that particles made ready together take turns in order). Not locked:
 * the scheduler holds its own lock around every call.
 */
#ifndef PCF_CORE_TIMER_HEAP_H
#define PCF_CORE_TIMER_HEAP_H

#include <stddef.h>

typedef struct pcf_timer_entry {
	long due_ms;
	unsigned long seq; /* insertion order, the tie-break */
	size_t index;
} pcf_timer_entry;

typedef struct pcf_timer_heap {
	pcf_timer_entry *entries;
	size_t count, capacity;
	unsigned long next_seq;
} pcf_timer_heap;

/* Room for capacity entries; 0 or PCF_ENOMEM. */
int pcf_timer_heap_init(pcf_timer_heap *h, size_t capacity);
void pcf_timer_heap_cleanup(pcf_timer_heap *h);
/* Adds index due at due_ms; the caller never adds more than the capacity. */
void pcf_timer_heap_push(pcf_timer_heap *h, size_t index, long due_ms);
/* The earliest entry (count > 0). */
const pcf_timer_entry *pcf_timer_heap_top(const pcf_timer_heap *h);
/* Removes the earliest entry and returns its index (count > 0). */
size_t pcf_timer_heap_pop(pcf_timer_heap *h);
/* Makes every entry due no later than now_ms (a cancel wakes every wait). */
void pcf_timer_heap_due_by(pcf_timer_heap *h, long now_ms);

#endif
