/*
 * How the DynamoDB flavors name the table a particle declares, and the
 * clash validate finds with those names: a table left to the run's region
 * and the same table named in that region are one table. No request is
 * sent (pcf_services resolves the region without a client).
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/pcf.h>

static pcf_definitions *defs;
static pcf_services *services;

/* Nothing of the machine running the tests names a region. */
static void setup(void)
{
	unsetenv("AWS_REGION");
	unsetenv("AWS_DEFAULT_REGION");
	unsetenv("AWS_PROFILE");
	setenv("AWS_CONFIG_FILE", "no-such-aws-config-file", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "no-such-aws-credentials-file", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
}

static void teardown(void)
{
	pcf_definitions_free(defs);
	pcf_services_free(services);
}

TestSuite(registry, .init = setup, .fini = teardown);

static void load(const char *yaml)
{
	pcf_diags d;

	pcf_diags_init(&d);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "t.yml", &d), 0, "%s",
	             d.count ? d.items[0].message : "");
	pcf_diags_cleanup(&d);
}

/* Services whose default region is region (NULL: left to the environment). */
static void make_services(const char *region)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	o.region = region;
	o.endpoint = "http://127.0.0.1:1";
	cr_assert_eq(pcf_services_new(&services, &o, &err), 0, "%s", err.message);
}

/* The name of particle i, checked against want. */
static void expect_name(size_t i, const char *want)
{
	char *name = pcf_particles_table_resource_name(&defs->particles[i], services);

	cr_assert_str_eq(name, want, "particle %zu", i);
	free(name);
}

#define TABLE(name, extra)                                                                         \
	"---\npcf_name: " name "\nflavor: dynamodb_table\naws_resource:\n  TableName: orders\n"    \
	"  BillingMode: PAY_PER_REQUEST\n" extra                                                   \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

#define NAMED "  region_name: us-east-1\n"
#define WEST  "  region_name: eu-west-1\n"
#define EMPTY "  region_name: \"\"\n"

/* Each TABLE starts a document; all four name table orders. */
static const char four_tables[] =
    TABLE("named", NAMED) TABLE("left", "") TABLE("empty", EMPTY) TABLE("west", WEST);

Test(registry, a_missing_region_name_is_the_run_region)
{
	load(four_tables);
	make_services("us-east-1");
	expect_name(0, "table orders in region us-east-1");
	expect_name(1, "table orders in region us-east-1");
	expect_name(2, "table orders in region us-east-1");
	expect_name(3, "table orders in region eu-west-1");
}

Test(registry, the_run_region_comes_from_the_environment)
{
	load(four_tables);
	setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
	make_services(NULL);
	expect_name(1, "table orders in region eu-west-1");
}

Test(registry, without_services_or_a_region_defaults_are_named_as_written)
{
	load(four_tables);
	expect_name(0, "table orders in region us-east-1");
	expect_name(1, "table orders in the run's region");
	make_services(NULL);
	expect_name(1, "table orders in the run's region");
}

/* A table and a config store on one table once the run's region fills in. */
#define STORE                                                                                      \
	"---\npcf_name: second\nflavor: dynamodb_config_store\naws_resource: {TableName: "         \
	"orders}\n"

static const char pair[] = TABLE("first", NAMED) STORE;

static int validate_in(const char *region, pcf_diags *d)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;

	make_services(region);
	o.flavors = pcf_particles_flavors(&o.flavor_count);
	o.services = services;
	return pcf_engine_validate_with(defs, &o, d);
}

Test(registry, validate_refuses_one_table_named_in_the_run_region_and_left_to_it)
{
	pcf_diags d;

	load(pair);
	pcf_diags_init(&d);
	cr_assert_eq(validate_in("us-east-1", &d), PCF_EDEFINITION);
	cr_assert_eq(d.count, 1);
	cr_assert_str_eq(d.items[0].file, "t.yml");
	cr_assert_eq(d.items[0].line, 13, "at the second's aws_resource: %d", d.items[0].line);
	cr_assert(strstr(d.items[0].message,
	                 "found table orders in region us-east-1 declared by both "
	                 "dynamodb_table:first (t.yml:2:1) and dynamodb_config_store:second "
	                 "(t.yml:11:1)"),
	          "%s", d.items[0].message);
	pcf_diags_cleanup(&d);
}

Test(registry, validate_accepts_the_pair_in_another_run_region)
{
	pcf_diags d;

	load(pair);
	pcf_diags_init(&d);
	cr_assert_eq(validate_in("eu-west-1", &d), 0, "%s", d.count ? d.items[0].message : "");
	pcf_diags_cleanup(&d);
}

/* Without the run's region (no services, none configured) the names compare as written. */
Test(registry, validate_without_a_run_region_compares_as_written)
{
	size_t count = 0;
	const pcf_flavor *const *flavors = pcf_particles_flavors(&count);
	pcf_diags d;

	load(pair);
	pcf_diags_init(&d);
	cr_assert_eq(pcf_engine_validate(defs, flavors, count, &d), 0);
	cr_assert_eq(validate_in(NULL, &d), 0, "%s", d.count ? d.items[0].message : "");
	pcf_diags_cleanup(&d);
}
