/*
 * The table flavor's check of one YAML definition: see table_check.h.
 */
#include "table_check.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <string.h>

#include "particles/dynamodb_table/table.h"

/* One definition at a time: each Criterion test runs in its own process. */
static pcf_definitions *defs;
static pcf_diags diags;

void table_check_done(void)
{
	pcf_diags_cleanup(&diags);
	pcf_definitions_free(defs);
	defs = NULL;
}

const pcf_diags *table_check(const char *yaml)
{
	pcf_diags load_diags;
	table_check_done(); /* a test may check several definitions */
	pcf_diags_init(&load_diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "pcf.yml", &load_diags),
	             0, "%zu load problems: %s", load_diags.count,
	             load_diags.count ? load_diags.items[0].message : "");
	pcf_diags_cleanup(&load_diags);
	pcf_diags_init(&diags);
	pcf_table_validate(&defs->particles[0], &diags);
	for (size_t i = 0; i < diags.count; i++)
		cr_log_info("%d:%d: %s", diags.items[i].line, diags.items[i].column,
		            diags.items[i].message);
	return &diags;
}

void table_check_valid(const char *yaml)
{
	cr_assert_eq(table_check(yaml)->count, 0, "%zu problems in:\n%s", diags.count, yaml);
}

int table_check_reported(int line, int column, const char *text)
{
	for (size_t i = 0; i < diags.count; i++)
		if (diags.items[i].line == line &&
		    (column == 0 || diags.items[i].column == column) &&
		    strstr(diags.items[i].message, text) != NULL)
			return 1;
	return 0;
}
