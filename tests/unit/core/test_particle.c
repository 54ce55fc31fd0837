/*
 * Particles, plans and drift lists: the small types flavors build on.
 */
#include <criterion/criterion.h>
#include <pcf/flavor.h>
#include <string.h>

#include "core/particle.h"

static int released;

static void release(pcf_particle *p)
{
	released++;
	free(pcf_particle_flavor_data(p));
}

static const pcf_flavor_ops ops = {.release = release};
static const pcf_flavor flavor = {"fake", 0, "Create", "Delete", &ops};

Test(particle, state_names_match_pcf)
{
	cr_assert_str_eq(pcf_state_name(PCF_STATE_RUNNING), "running");
	cr_assert_str_eq(pcf_state_name(PCF_STATE_PENDING), "pending");
	cr_assert_str_eq(pcf_state_name(PCF_STATE_STOPPED), "stopped");
	cr_assert_str_eq(pcf_state_name(PCF_STATE_TERMINATED), "terminated");
	cr_assert_str_eq(pcf_state_name(PCF_STATE_MISSING), "missing");
	cr_assert_str_eq(pcf_state_name(PCF_STATE_UNAVAILABLE), "unavailable");
	cr_assert_str_eq(pcf_state_name((pcf_state)99), "unknown");
}

Test(particle, new_borrows_resource_and_releases_flavor_data)
{
	pcf_particle_def def;
	memset(&def, 0, sizeof(def));
	def.name = "orders";
	def.id = "fake:orders";
	def.aws_resource = cJSON_CreateObject();
	cJSON_AddStringToObject(def.aws_resource, "TableName", "orders");
	int services = 7;
	pcf_particle *p = NULL;
	pcf_error err = PCF_ERROR_INIT;

	released = 0;
	cr_assert_eq(pcf_particle_new(&p, &def, &flavor, &services, &err), 0);
	cr_assert_eq(pcf_particle_definition(p), &def);
	cr_assert_eq(pcf_particle_services(p), &services);
	/* Without custom_config the definition's own tree is desired, unchanged. */
	cr_assert_eq(pcf_particle_desired(p), def.aws_resource, "desired is borrowed");
	cr_assert_str_eq(cJSON_GetObjectItem(pcf_particle_desired(p), "TableName")->valuestring,
	                 "orders");
	/* A replacement (resolved $inherit$ values) is owned and leaves the definition alone. */
	pcf_particle_set_desired_take(p, cJSON_Parse("{\"TableName\":\"other\"}"));
	cr_assert_neq(pcf_particle_desired(p), def.aws_resource);
	cr_assert_str_eq(cJSON_GetObjectItem(def.aws_resource, "TableName")->valuestring, "orders");
	cr_assert_null(pcf_particle_flavor_data(p));
	pcf_particle_set_flavor_data(p, strdup("mine"));
	cr_assert_str_eq(pcf_particle_flavor_data(p), "mine");
	cr_assert_null(pcf_particle_pending_detail(p));
	pcf_particle_set_pending_detail(p, "table %s", "CREATING");
	cr_assert_str_eq(pcf_particle_pending_detail(p), "table CREATING");
	pcf_particle_set_pending_detail(p, NULL);
	cr_assert_null(pcf_particle_pending_detail(p));
	pcf_particle_log(p, 3, "quiet at the default level %d", 1);
	pcf_particle_free(p);
	cr_assert_eq(released, 1);
	pcf_particle_free(NULL);
	cJSON_Delete(def.aws_resource);
}

Test(particle, new_without_flavor_is_invalid)
{
	pcf_particle_def def;
	memset(&def, 0, sizeof(def));
	pcf_particle *p = (pcf_particle *)&def;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_particle_new(&p, &def, NULL, NULL, &err), PCF_EINVAL);
	cr_assert_null(p);
	cr_assert_eq(err.code, PCF_EINVAL);
}

Test(plan, add_take_formats_summary_and_owns_request)
{
	pcf_plan plan;
	pcf_plan_init(&plan);
	for (int i = 0; i < 10; i++) {
		cJSON *req = cJSON_CreateObject();
		cr_assert_eq(pcf_plan_add_take(&plan, "UpdateTable", req, PCF_STEP_REPLACE,
		                               "ReadCapacityUnits %d -> %d", i, i + 1),
		             0);
	}
	cr_assert_eq(plan.count, 10);
	cr_assert_str_eq(plan.steps[3].action, "UpdateTable");
	cr_assert_str_eq(plan.steps[3].summary, "ReadCapacityUnits 3 -> 4");
	cr_assert_eq(plan.steps[3].flags, PCF_STEP_REPLACE);
	cr_assert_not_null(plan.steps[3].request);
	cr_assert_eq(pcf_plan_add_take(&plan, "TagResource", NULL, 0, NULL), 0);
	cr_assert_str_eq(plan.steps[10].summary, "");
	pcf_plan_cleanup(&plan);
	cr_assert_eq(plan.count, 0);
	cr_assert_null(plan.steps);
	pcf_plan_cleanup(NULL);
}

Test(drift, add_copies_values)
{
	pcf_drift drift;
	cJSON *d = cJSON_CreateNumber(10), *c = cJSON_CreateNumber(5);
	pcf_drift_init(&drift);
	cr_assert_eq(pcf_drift_add(&drift, "ProvisionedThroughput.ReadCapacityUnits", d, c), 0);
	cr_assert_eq(pcf_drift_add(&drift, "Tags[env]", NULL, c), 0);
	cJSON_Delete(d);
	cJSON_Delete(c);
	cr_assert_eq(drift.count, 2);
	cr_assert_eq(drift.entries[0].desired->valuedouble, 10);
	cr_assert_null(drift.entries[1].desired);
	cr_assert_eq(drift.entries[1].current->valuedouble, 5);
	pcf_drift_cleanup(&drift);
	cr_assert_eq(drift.count, 0);
}

/* PCF's own filter drops custom_config from aws_resource; pcf's desired tree does too. */
Test(particle, desired_drops_pcf_custom_config)
{
	pcf_particle_def def;
	pcf_particle *p = NULL;
	pcf_error err = PCF_ERROR_INIT;

	memset(&def, 0, sizeof(def));
	def.name = "orders";
	def.id = "fake:orders";
	def.aws_resource = cJSON_CreateObject();
	cJSON_AddStringToObject(def.aws_resource, "TableName", "orders");
	cJSON_AddObjectToObject(def.aws_resource, "custom_config");
	cr_assert_eq(pcf_particle_new(&p, &def, &flavor, NULL, &err), 0);
	cr_assert_null(cJSON_GetObjectItem(pcf_particle_desired(p), "custom_config"));
	cr_assert_not_null(cJSON_GetObjectItem(pcf_particle_desired(p), "TableName"));
	cr_assert_not_null(cJSON_GetObjectItem(def.aws_resource, "custom_config"),
	                   "the definition is left as loaded");
	pcf_particle_free(p);
	cJSON_Delete(def.aws_resource);
}
