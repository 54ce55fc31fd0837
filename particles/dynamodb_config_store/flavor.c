/*
 * The dynamodb_config_store flavor: its descriptor and validation.
 *
 * A definition names the table, its key attribute names, the units a new
 * table gets (or on-demand), and optionally the options stores must hold:
 *
 *   aws_resource:
 *     TableName: app_config
 *     StoreKey: _store            # default _store
 *     OptionKey: _option          # default _option
 *     ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
 *     Exclusive: false
 *     Options: {app1: {db: {host: db.internal, port: 5432}}}
 *
 * The schema catches types and unknown fields; the rules that need several
 * fields at once (units vs billing mode, option data that would overwrite
 * a key attribute) are checked here by hand. Option data is converted the
 * way apply will convert it, so bad data is reported before any request.
 * The operations themselves are in ops.c.
 */
#include "config_flavor.h"

#include <stdio.h>
#include <string.h>

#include <pcf/particles.h>

static const pcf_schema_field throughput_fields[] = {
    {"ReadCapacityUnits", PCF_SCHEMA_INTEGER, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY,
     NULL},
    {"WriteCapacityUnits", PCF_SCHEMA_INTEGER, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY,
     NULL},
};

static const pcf_schema throughput_schema = {
    "ProvisionedThroughput", throughput_fields,
    sizeof(throughput_fields) / sizeof(throughput_fields[0]), 0};

static const char *const billing_modes[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};

static const pcf_schema_field resource_fields[] = {
    {"TableName", PCF_SCHEMA_STRING, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"region_name", PCF_SCHEMA_STRING, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"StoreKey", PCF_SCHEMA_STRING, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"OptionKey", PCF_SCHEMA_STRING, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"ProvisionedThroughput", PCF_SCHEMA_OBJECT, 0, NULL, &throughput_schema, PCF_SCHEMA_ANY, NULL},
    {"BillingMode", PCF_SCHEMA_STRING, 0, billing_modes, NULL, PCF_SCHEMA_ANY, NULL},
    {"Exclusive", PCF_SCHEMA_BOOL, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    /* store -> option -> data; the two inner levels are checked by hand. */
    {"Options", PCF_SCHEMA_MAP, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    /* PCF's own, which its filter drops before any call; so does pcf. */
    {"custom_config", PCF_SCHEMA_ANY, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};

static const pcf_schema resource_schema = {"dynamodb_config_store aws_resource", resource_fields,
                                           sizeof(resource_fields) / sizeof(resource_fields[0]), 0};

static void check_units(const pcf_particle_def *def, const cJSON *r, pcf_diags *diags)
{
	const cJSON *pt = cJSON_GetObjectItemCaseSensitive(r, "ProvisionedThroughput");
	const cJSON *bm = cJSON_GetObjectItemCaseSensitive(r, "BillingMode");
	const char *names[2] = {"ReadCapacityUnits", "WriteCapacityUnits"};
	int on_demand = cJSON_IsString(bm) && strcmp(bm->valuestring, "PAY_PER_REQUEST") == 0;

	if (on_demand && pt)
		pcf_particle_def_report(def, diags, "aws_resource.ProvisionedThroughput",
		                        "ProvisionedThroughput cannot be given with BillingMode "
		                        "PAY_PER_REQUEST");
	for (int i = 0; pt && i < 2; i++) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(pt, names[i]);
		if (cJSON_IsNumber(n) && n->valuedouble < 1) {
			char path[80];
			snprintf(path, sizeof(path), "aws_resource.ProvisionedThroughput.%s",
			         names[i]);
			pcf_particle_def_report(
			    def, diags, path, "expected a number of units of at least 1, found %g",
			    n->valuedouble);
		}
	}
}

/* One option's data: an object, no key attribute names, convertible. */
static void check_option(const pcf_particle_def *def, const pcf_config_table *t, const char *store,
                         const cJSON *option, pcf_diags *diags)
{
	char path[512];
	cJSON *item = NULL;
	pcf_error err = PCF_ERROR_INIT;

	snprintf(path, sizeof(path), "aws_resource.Options.%s.%s", store, option->string);
	if (!cJSON_IsObject(option)) {
		pcf_particle_def_report(
		    def, diags, path, "expected the option's data as a mapping of keys to values");
		return;
	}
	if (pcf_config_item_from_data(&item, t, store, option->string, option, &err) < 0)
		pcf_particle_def_report(def, diags, path, "%s", err.message);
	cJSON_Delete(item);
}

static void check_options(const pcf_particle_def *def, const cJSON *r, pcf_diags *diags)
{
	const cJSON *options = cJSON_GetObjectItemCaseSensitive(r, "Options");
	const cJSON *store_key = cJSON_GetObjectItemCaseSensitive(r, "StoreKey");
	const cJSON *option_key = cJSON_GetObjectItemCaseSensitive(r, "OptionKey");
	pcf_config_table t = PCF_CONFIG_TABLE_INIT;
	const cJSON *store, *option;

	t.name = "validate";
	t.store_key = cJSON_IsString(store_key) ? store_key->valuestring : NULL;
	t.option_key = cJSON_IsString(option_key) ? option_key->valuestring : NULL;
	if (strcmp(config_store_key(&t), config_option_key(&t)) == 0) {
		pcf_particle_def_report(def, diags, "aws_resource.OptionKey",
		                        "StoreKey and OptionKey must differ; both are '%s'",
		                        config_store_key(&t));
		return;
	}
	if (!cJSON_IsObject(options))
		return;
	cJSON_ArrayForEach(store, options)
	{
		if (!cJSON_IsObject(store)) {
			char path[300];
			snprintf(path, sizeof(path), "aws_resource.Options.%s", store->string);
			pcf_particle_def_report(def, diags, path,
			                        "expected a mapping of option names to data");
			continue;
		}
		cJSON_ArrayForEach(option, store)
		    check_option(def, &t, store->string, option, diags);
	}
}

static void config_validate(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *r = def->aws_resource;
	if (!cJSON_IsObject(r)) {
		pcf_particle_def_report(def, diags, "aws_resource",
		                        "expected aws_resource as a mapping");
		return;
	}
	/* The checks below read only values of the right type, so they run
	 * after schema problems too and each mistake is reported once. */
	pcf_schema_check(&resource_schema, r, "aws_resource", def, diags);
	check_units(def, r, diags);
	check_options(def, r, diags);
}

/* Scalars to text where the schema wants strings (`StoreKey: 7`). */
static int config_normalize(pcf_particle_def *def, pcf_error *err)
{
	if (pcf_schema_normalize(&resource_schema, def->aws_resource) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}

static const pcf_flavor_ops config_ops = {
    .validate = config_validate,
    .normalize = config_normalize,
    .sync_state = config_sync_state,
    .start = config_start,
    .terminate = config_terminate,
    .diff = config_diff,
    .plan = config_plan,
    .run_step = config_run_step,
    .describe_start = config_describe_start,
    .resource_name = pcf_particles_table_resource_name,
    /* describe_terminate NULL: "DeleteTable NAME" says enough */
};

const pcf_flavor pcf_flavor_dynamodb_config_store = {
    "dynamodb_config_store", PCF_FLAVOR_DELETES_DATA, "CreateTable", "DeleteTable", &config_ops,
};
