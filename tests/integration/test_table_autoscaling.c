/*
 * AutoScaling on moto, which serves Application Auto Scaling on the same
 * port as DynamoDB: create with it, a second apply without a mutating
 * call, a change, autoscaled capacity never re-sent, a removal, and an
 * export that reproduces it.
 */
#include <criterion/criterion.h>

#include "test_table_fixture.h"

static fixture f;

static void setup(void)
{
	fx_init(&f, PCF_LOCAL_MOTO, "as");
}

static void teardown(void)
{
	fx_cleanup(&f);
}

TestSuite(table_autoscaling, .init = setup, .fini = teardown, .timeout = 120);

/* A provisioned table with one index; %s: table name, then read units, then AutoScaling. */
#define TABLE_YAML                                                                                 \
	FX_TABLE_T                                                                                 \
	FX_KEYS_ID_E                                                                               \
	"  ProvisionedThroughput: {ReadCapacityUnits: %d, WriteCapacityUnits: 5}\n" FX_INDEX_BY_E  \
	"      ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 2}\n"             \
	"%s"

#define INDEX_SCALING                                                                              \
	"    GlobalSecondaryIndexes:\n"                                                            \
	"      by_e: {WriteCapacity: {Min: 2, Max: 20, TargetUtilization: 60}}\n"
#define SCALING                                                                                    \
	"  AutoScaling:\n"                                                                         \
	"    ReadCapacity: {Min: 5, Max: 50, TargetUtilization: 70}\n" INDEX_SCALING

/* The live AutoScaling as export shows it; caller frees the particle. */
static cJSON *exported(const cJSON **scaling)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *particle = NULL;
	cr_assert_eq(pcf_table_export(&particle, f.services, f.table, NULL, &err), 0, "%s",
	             err.message);
	*scaling =
	    cJSON_GetObjectItem(cJSON_GetObjectItem(particle, "aws_resource"), "AutoScaling");
	return particle;
}

Test(table_autoscaling, create_then_a_second_apply_sends_nothing)
{
	const cJSON *scaling;
	cJSON *particle;

	fx_load(&f, TABLE_YAML, f.table, 5, SCALING);
	fx_apply_ok(&f, NULL);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	particle = exported(&scaling);
	cr_assert_eq(fx_number(scaling, "ReadCapacity.Max"), 50);
	cr_assert_eq(fx_number(scaling, "ReadCapacity.TargetUtilization"), 70);
	cr_assert_eq(fx_number(scaling, "GlobalSecondaryIndexes.by_e.WriteCapacity.Min"), 2);
	cr_assert_eq(
	    fx_number(scaling, "GlobalSecondaryIndexes.by_e.WriteCapacity.TargetUtilization"), 60);
	cr_assert_null(fx_at(scaling, "ReadCapacity.PolicyName"), "export drops pcf's bookkeeping");
	cr_assert_null(fx_at(scaling, "WriteCapacity"));
	cJSON_Delete(particle);
}

/* SCALING changed: another read target, the index's write policy kept. */
#define RESCALED                                                                                   \
	"  AutoScaling:\n"                                                                         \
	"    ReadCapacity: {Min: 6, Max: 80, TargetUtilization: 75}\n" INDEX_SCALING

Test(table_autoscaling, a_change_updates_target_and_policy_and_capacity_is_not_resent)
{
	const cJSON *scaling;
	cJSON *particle;

	fx_load(&f, TABLE_YAML, f.table, 5, SCALING);
	fx_apply_ok(&f, NULL);
	fx_load(&f, TABLE_YAML, f.table, 5, RESCALED);
	cr_assert_eq(fx_apply_ok(&f, NULL), 2, "RegisterScalableTarget and PutScalingPolicy");
	particle = exported(&scaling);
	cr_assert_eq(fx_number(scaling, "ReadCapacity.Min"), 6);
	cr_assert_eq(fx_number(scaling, "ReadCapacity.Max"), 80);
	cr_assert_eq(fx_number(scaling, "ReadCapacity.TargetUtilization"), 75);
	cJSON_Delete(particle);
	/* The autoscaler owns the read capacity: another value in the definition is no drift. */
	fx_load(&f, TABLE_YAML, f.table, 40, RESCALED);
	cr_assert_eq(fx_status(&f)->drift.count, 0);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "sent %s", f.counts.last_mutating);
}

Test(table_autoscaling, removal_deregisters)
{
	const cJSON *scaling;
	cJSON *particle;

	fx_load(&f, TABLE_YAML, f.table, 5, SCALING);
	fx_apply_ok(&f, NULL);
	fx_load(&f, TABLE_YAML, f.table, 5,
	        "  AutoScaling:\n"
	        "    ReadCapacity: {Min: 5, Max: 50, TargetUtilization: 70}\n");
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "one DeregisterScalableTarget");
	cr_assert_str_eq(f.counts.last_mutating, "DeregisterScalableTarget");
	fx_load(&f, TABLE_YAML, f.table, 5, "  AutoScaling: {}\n");
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	particle = exported(&scaling);
	cr_assert_null(scaling, "no scalable target is left");
	cJSON_Delete(particle);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
}

Test(table_autoscaling, export_round_trips)
{
	const cJSON *scaling;
	cJSON *particle;
	char *text;

	fx_load(&f, TABLE_YAML, f.table, 5, SCALING);
	fx_apply_ok(&f, NULL);
	particle = exported(&scaling);
	cr_assert_not_null(scaling);
	text = cJSON_PrintUnformatted(particle);
	/* JSON is YAML: the export loads as a definition, validates, and is in sync. */
	fx_load(&f, "%s", text);
	cr_assert_eq(fx_status(&f)->drift.count, 0);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	cJSON_free(text);
	cJSON_Delete(particle);
}
