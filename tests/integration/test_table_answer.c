/*
 * A creation's own answer stands for the read after it: moto creates a
 * table ACTIVE at once, so an apply of a table whose definition names only
 * what DescribeTable shows is one DescribeTable (not found) and one
 * CreateTable, with no DescribeTable after it; a definition naming tags
 * is read in full after the creation, since only ListTagsOfResource tells
 * them (test_table_offer.c: the other settings read by calls of their own).
 */
#include "test_table_fixture.h"

#define PLAIN                                                                                      \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: %s\n"                                                                        \
	"  region_name: us-east-1\n"                                                               \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                      \
	"  BillingMode: PAY_PER_REQUEST\n"

Test(table_answer, an_active_create_answer_is_the_next_read)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_MOTO, "answer");
	fx_load(&f, PLAIN, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "CreateTable only");
	cr_assert_eq(f.counts.total, 2, "DescribeTable (missing) and CreateTable, sent %d",
	             f.counts.total);
	fx_cleanup(&f);
}

Test(table_answer, tags_are_read_after_the_create)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_MOTO, "answertags");
	fx_load(&f, PLAIN "  Tags: [{Key: team, Value: a}]\n", f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "CreateTable only");
	cr_assert_gt(f.counts.total, 2, "the tags were read after the creation");
	fx_cleanup(&f);
}

/*
 * A delete is decided on the read of its own turn: that read already says
 * whether deletion protection is on, so the delete is the run's first
 * DescribeTable, the DeleteTable, and the reads until the table is gone,
 * with no DescribeTable of its own in between.
 */
Test(table_answer, a_delete_reads_the_table_once_before_deleting)
{
	fixture f;
	fx_run del = {.yes = 1, .set_desired = 1, .desired = PCF_DESIRED_TERMINATED};
	int before;

	fx_init(&f, PCF_LOCAL_MOTO, "answerdel");
	fx_load(&f, PLAIN, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "CreateTable only");
	before = f.counts.total;
	cr_assert_eq(fx_apply_ok(&f, &del), 1, "DeleteTable only");
	cr_assert_str_eq(f.counts.last_mutating, "DeleteTable");
	cr_assert_eq(f.counts.total - before, 3,
	             "DescribeTable (active), DeleteTable, DescribeTable (gone); sent %d",
	             f.counts.total - before);
	cr_assert_not(fx_exists(&f));
	fx_cleanup(&f);
}
