/*
 * The scheduler's timer heap: earliest due first, first in first out among
 * equal times, and a cancel's "everything due now" keeping that order.
 */
#include <criterion/criterion.h>

#include "core/timer_heap.h"

Test(timer_heap, pops_by_due_time_then_insertion_order)
{
	pcf_timer_heap h;
	const long due[] = {500, 100, 300, 100, 200, 100};
	const size_t expect[] = {1, 3, 5, 4, 2, 0};

	cr_assert_eq(pcf_timer_heap_init(&h, 6), 0);
	for (size_t i = 0; i < 6; i++)
		pcf_timer_heap_push(&h, i, due[i]);
	cr_assert_eq(pcf_timer_heap_top(&h)->due_ms, 100);
	for (size_t k = 0; k < 6; k++)
		cr_assert_eq(pcf_timer_heap_pop(&h), expect[k], "pop %zu", k);
	cr_assert_eq(h.count, 0);
	pcf_timer_heap_cleanup(&h);
}

Test(timer_heap, due_by_makes_later_entries_due_in_insertion_order)
{
	pcf_timer_heap h;

	cr_assert_eq(pcf_timer_heap_init(&h, 4), 0);
	pcf_timer_heap_push(&h, 0, 9000);
	pcf_timer_heap_push(&h, 1, 50);
	pcf_timer_heap_push(&h, 2, 7000);
	pcf_timer_heap_push(&h, 3, 8000);
	pcf_timer_heap_due_by(&h, 100);
	cr_assert_eq(pcf_timer_heap_pop(&h), 1, "already due: stays first");
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(pcf_timer_heap_top(&h)->due_ms, 100);
		cr_assert_eq(pcf_timer_heap_pop(&h), i == 0 ? 0 : i + 1);
	}
	pcf_timer_heap_cleanup(&h);
}
