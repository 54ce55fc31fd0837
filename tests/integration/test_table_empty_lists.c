/*
 * Empty index lists against dynalite: `GlobalSecondaryIndexes: []` means
 * "no global indexes" (as a Terraform table without index blocks), which
 * CreateTable refuses to be told in so many words, so pcf leaves the empty
 * lists out of it; a second apply then finds nothing to do.
 */
#include "test_table_fixture.h"

Test(table_empty_lists, dynalite_creates_a_table_with_empty_index_lists)
{
	fixture f;

	fx_init(&f, PCF_LOCAL_DYNALITE, "emptyix");
	fx_load(&f,
	        FX_TABLE_T "  BillingMode: PAY_PER_REQUEST\n"
	                   "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	                   "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	                   "  GlobalSecondaryIndexes: []\n"
	                   "  LocalSecondaryIndexes: []\n",
	        f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "one CreateTable");
	cr_assert(fx_exists(&f));
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "nothing left to do");
	fx_cleanup(&f);
}
