/*
 * Helpers shared by the definitions unit tests: load text, and render the
 * diags a load produced as the exact lines a user would see.
 */
#ifndef PCF_TESTS_DEFS_TEST_H
#define PCF_TESTS_DEFS_TEST_H

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <pcf/definitions.h>

/* Every diag as "file:line:col: message", joined with "\n"; caller frees. */
static inline char *diags_text(const pcf_diags *d)
{
	size_t i, used = 0, size = 1;
	char line[2048], *out;

	for (i = 0; i < d->count; i++)
		size += sizeof(line) + 1;
	out = malloc(size);
	cr_assert_not_null(out);
	out[0] = '\0';
	for (i = 0; i < d->count; i++) {
		pcf_diag_format(line, sizeof(line), &d->items[i]);
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "\n" : "", line);
	}
	return out;
}

/* Loads text named name; returns the rc, fills *defs (may be NULL) and *diags_out. */
static inline int load_text(pcf_definitions **defs, const char *name, const char *text,
                            char **diags_out)
{
	pcf_diags d;
	int rc;

	pcf_diags_init(&d);
	rc = pcf_definitions_load_string(defs, text, strlen(text), name, &d);
	*diags_out = diags_text(&d);
	pcf_diags_cleanup(&d);
	return rc;
}

/* Loads text that must fail and checks the diags are exactly `expected`. */
static inline void expect_diags(const char *name, const char *text, const char *expected)
{
	pcf_definitions *defs = NULL;
	char *got = NULL;
	int rc = load_text(&defs, name, text, &got);

	cr_expect_eq(rc, PCF_EDEFINITION, "rc %d for:\n%s", rc, text);
	cr_expect_null(defs);
	cr_expect_str_eq(got, expected);
	free(got);
	pcf_definitions_free(defs);
}

/* Loads text that must succeed. */
static inline pcf_definitions *expect_load(const char *name, const char *text)
{
	pcf_definitions *defs = NULL;
	char *got = NULL;
	int rc = load_text(&defs, name, text, &got);

	cr_assert_eq(rc, 0, "rc %d, diags:\n%s", rc, got);
	cr_assert_not_null(defs);
	free(got);
	return defs;
}

#endif
