/*
 * The order of a global index's key attributes.
 *
 * A 2025 multi-attribute key composes up to four HASH attributes, and up
 * to four RANGE attributes, in the order the KeySchema lists them: (a, b)
 * and (b, a) are different keys. What carries no meaning is where the
 * HASH elements sit against the RANGE ones, and servers differ there. So
 * two key schemas are the same when they hold the same elements and list
 * the attributes of each KeyType in the same order. The structural diff
 * matches key elements by AttributeName and cannot see an order; the
 * table's diff adds that here.
 */
#include "table.h"

#include <stdio.h>
#include <string.h>

/* Do a and b list the attributes of type in the same order? */
static int same_order(const cJSON *a, const cJSON *b, const char *type)
{
	const cJSON *x = a != NULL ? a->child : NULL, *y = b != NULL ? b->child : NULL;
	for (;;) {
		const char *tx, *ty;
		while (x != NULL &&
		       ((tx = pcf_table_str(x, "KeyType")) == NULL || strcmp(tx, type)))
			x = x->next;
		while (y != NULL &&
		       ((ty = pcf_table_str(y, "KeyType")) == NULL || strcmp(ty, type)))
			y = y->next;
		if (x == NULL || y == NULL)
			return x == y;
		tx = pcf_table_str(x, "AttributeName");
		ty = pcf_table_str(y, "AttributeName");
		if (tx == NULL || ty == NULL || strcmp(tx, ty) != 0)
			return 0;
		x = x->next;
		y = y->next;
	}
}

int pcf_table_same_key_schema(const cJSON *a, const cJSON *b)
{
	return pcf_table_same_set(a, b) && same_order(a, b, "HASH") && same_order(a, b, "RANGE");
}

int pcf_table_diff(pcf_drift *out, const cJSON *want, const cJSON *current)
{
	const cJSON *w;
	char path[320];
	int rc = pcf_diff(out, want, current, &pcf_table_diff_options);

	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(want, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(w, "IndexName");
		const cJSON *h = pcf_table_find_named(
		    cJSON_GetObjectItemCaseSensitive(current, "GlobalSecondaryIndexes"),
		    "IndexName", name);
		const cJSON *wk = cJSON_GetObjectItemCaseSensitive(w, "KeySchema");
		const cJSON *hk = cJSON_GetObjectItemCaseSensitive(h, "KeySchema");
		/* Only what pcf_diff could not see: the same elements in another order. */
		if (rc < 0 || h == NULL || !pcf_table_same_set(wk, hk) ||
		    pcf_table_same_key_schema(wk, hk))
			continue;
		snprintf(path, sizeof(path), "GlobalSecondaryIndexes[%s].KeySchema", name);
		rc = pcf_drift_add(out, path, wk, hk);
	}
	return rc;
}
