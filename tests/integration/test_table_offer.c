/*
 * A CreateTable answer that says ACTIVE (moto creates at once) stands for
 * the read after the creation only when DescribeTable alone shows every
 * setting the definition names. Settings that other calls read (resource
 * policy, autoscaling) must be read after the creation: moto keeps both
 * from an earlier table of the same name (resource policies by ARN,
 * scalable targets by resource id), so a table created again under that
 * name starts with settings its CreateTable did not make, and an apply
 * that took the answer for the whole state would leave them as they are
 * and report the table converged. Even `ResourcePolicy: null` on a fresh
 * table needs the read: the answer shows no policy either way, and only
 * GetResourcePolicy says "none".
 */
#include <stdlib.h>

#include "particles/services.h"
#include "src/autoscaling/autoscaling.h"
#include "test_table_fixture.h"

#define HEAD                                                                                       \
	FX_TABLE_T                                                                                 \
	"  region_name: us-east-1\n"                                                               \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

#define PROVISIONED HEAD "  ProvisionedThroughput: {ReadCapacityUnits: 5, WriteCapacityUnits: 5}\n"

#define POLICY                                                                                     \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"          \
	"{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"dynamodb:GetItem\","            \
	"\"Resource\":\"*\"}]}"

static cJSON *json(const char *text)
{
	cJSON *tree = cJSON_Parse(text);
	cr_assert_not_null(tree, "bad test JSON: %s", text);
	return tree;
}

static void call(fixture *f, const char *action, const char *fmt, ...)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *req, *answer = NULL;
	char text[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	req = json(text);
	rc = pcf_ddb_execute(&answer, f->db, action, req, &err);
	cr_assert_eq(rc, 0, "%s: %s", action, err.message);
	cJSON_Delete(answer);
	cJSON_Delete(req);
}

static void create_out_of_band(fixture *f)
{
	call(f, "CreateTable",
	     "{\"TableName\":\"%s\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","
	     "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":"
	     "\"HASH\"}],\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,"
	     "\"WriteCapacityUnits\":5}}",
	     f->table);
}

static char *table_arn(fixture *f)
{
	cJSON *t = fx_describe(f);
	char *arn = strdup(fx_string(t, "TableArn"));
	cJSON_Delete(t);
	cr_assert(arn != NULL && arn[0] != '\0');
	return arn;
}

/* The live policy through GetResourcePolicy: 1 when the table has one. */
static int has_policy(fixture *f)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *req = cJSON_CreateObject(), *answer = NULL;
	char *arn = table_arn(f);
	int rc;

	cJSON_AddStringToObject(req, "ResourceArn", arn);
	rc = pcf_ddb_execute(&answer, f->db, "GetResourcePolicy", req, &err);
	cJSON_Delete(req);
	cJSON_Delete(answer);
	free(arn);
	if (rc == PCF_EPOLICY_NOT_FOUND)
		return 0;
	cr_assert_eq(rc, 0, "GetResourcePolicy: %s", err.message);
	return 1;
}

Test(table_offer, a_policy_the_creation_did_not_make_is_removed_by_the_first_apply, .timeout = 120)
{
	fixture f;
	char *arn;

	fx_init(&f, PCF_LOCAL_MOTO, "offerpol");
	create_out_of_band(&f);
	arn = table_arn(&f);
	call(&f, "PutResourcePolicy", "{\"ResourceArn\":\"%s\",\"Policy\":\"%s\"}", arn,
	     "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[]}");
	free(arn);
	call(&f, "DeleteTable", "{\"TableName\":\"%s\"}", f.table);

	fx_load(&f, PROVISIONED "  ResourcePolicy: null\n", f.table);
	fx_apply_ok(&f, NULL);
	cr_assert_not(has_policy(&f), "the first apply left the earlier table's policy");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	fx_cleanup(&f);
}

/* `ResourcePolicy: null` on a table just created, which has none. */
Test(table_offer, no_policy_asked_for_converges_in_one_apply, .timeout = 120)
{
	fixture f;

	fx_init(&f, PCF_LOCAL_MOTO, "offerpol0");
	fx_load(&f, PROVISIONED "  ResourcePolicy: null\n", f.table);
	fx_apply_ok(&f, NULL);
	cr_assert_not(has_policy(&f));
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	fx_cleanup(&f);
}

/* Guard: a policy given at creation (moto drops it from CreateTable) is there after one apply. */
Test(table_offer, a_policy_is_there_after_one_apply, .timeout = 120)
{
	fixture f;

	fx_init(&f, PCF_LOCAL_MOTO, "offerpol2");
	fx_load(&f, PROVISIONED "  ResourcePolicy: '" POLICY "'\n", f.table);
	fx_apply_ok(&f, NULL);
	cr_assert(has_policy(&f), "no policy after one apply");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	fx_cleanup(&f);
}

/* The scalable dimensions moto holds for the table, as one string ("dynamodb:table:..." each). */
static void live_dimensions(fixture *f, char *out, size_t size)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *ids = cJSON_CreateArray(), *targets = NULL, *t;
	char id[192];
	size_t used = 0;
	pcf_aas *aas;

	snprintf(id, sizeof(id), "table/%s", f->table);
	cJSON_AddItemToArray(ids, cJSON_CreateString(id));
	cr_assert_eq(pcf_services_autoscaling(&aas, f->services, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_aas_describe_targets(&targets, aas, ids, &err), 0, "%s", err.message);
	out[0] = '\0';
	cJSON_ArrayForEach(t, targets)
	{
		used += (size_t)snprintf(out + used, size - used, "%s ",
		                         fx_string(t, "ScalableDimension"));
		cr_assert_lt(used, size);
	}
	cJSON_Delete(targets);
	cJSON_Delete(ids);
}

/* A table named f's, created and deleted out of band, whose scalable write target moto keeps. */
static void leave_a_write_target(fixture *f)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *answer = NULL, *req;
	char text[512];
	pcf_aas *aas;

	create_out_of_band(f);
	snprintf(text, sizeof(text),
	         "{\"ServiceNamespace\":\"dynamodb\",\"ResourceId\":\"table/%s\","
	         "\"ScalableDimension\":\"dynamodb:table:WriteCapacityUnits\","
	         "\"MinCapacity\":1,\"MaxCapacity\":10}",
	         f->table);
	req = json(text);
	cr_assert_eq(pcf_services_autoscaling(&aas, f->services, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_aas_execute(&answer, aas, "RegisterScalableTarget", req, &err), 0, "%s",
	             err.message);
	cJSON_Delete(answer);
	cJSON_Delete(req);
	call(f, "DeleteTable", "{\"TableName\":\"%s\"}", f->table);
}

/* `AutoScaling: {}` owns the table's targets: none is left after one apply. */
Test(table_offer, an_empty_autoscaling_leaves_no_target_after_one_apply, .timeout = 120)
{
	fixture f;
	char dims[512];

	fx_init(&f, PCF_LOCAL_MOTO, "offeras0");
	leave_a_write_target(&f);
	fx_load(&f, PROVISIONED "  AutoScaling: {}\n", f.table);
	fx_apply_ok(&f, NULL);
	live_dimensions(&f, dims, sizeof(dims));
	cr_assert_str_eq(dims, "", "the first apply left the earlier table's target");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	fx_cleanup(&f);
}

/* Guard: a target the definition names is registered, one it drops deregistered. */
Test(table_offer, a_scalable_target_the_definition_drops_is_gone_after_one_apply, .timeout = 120)
{
	fixture f;
	char dims[512];

	fx_init(&f, PCF_LOCAL_MOTO, "offeras");
	leave_a_write_target(&f);

	fx_load(&f,
	        PROVISIONED "  AutoScaling:\n"
	                    "    ReadCapacity: {Min: 5, Max: 50, TargetUtilization: 70}\n",
	        f.table);
	fx_apply_ok(&f, NULL);
	live_dimensions(&f, dims, sizeof(dims));
	cr_assert_not_null(strstr(dims, "dynamodb:table:ReadCapacityUnits"), "targets: %s", dims);
	cr_assert_null(strstr(dims, "dynamodb:table:WriteCapacityUnits"),
	               "the first apply left the earlier table's target: %s", dims);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	fx_cleanup(&f);
}
