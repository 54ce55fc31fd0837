/*
 * The dynamodb_config_store flavor without a server: what validate accepts
 * and refuses (each problem at its line), and the descriptor's shape.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include <pcf/pcf.h>

/* Loads one particle from YAML text and runs the flavor's validate on it. */
static size_t validate_text(const char *yaml, pcf_diags *diags)
{
	pcf_definitions *defs = NULL;
	pcf_diags load = {0};
	size_t count;
	pcf_diags_init(&load);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "t.yml", &load), 0,
	             "the envelope loads: %s", load.count ? load.items[0].message : "");
	pcf_diags_cleanup(&load);
	cr_assert_eq(defs->count, 1);
	pcf_flavor_dynamodb_config_store.ops->validate(&defs->particles[0], diags);
	count = diags->count;
	pcf_definitions_free(defs);
	return count;
}

#define HEAD "pcf_name: settings\nflavor: dynamodb_config_store\naws_resource:\n"

Test(config_store_flavor, descriptor)
{
	const pcf_flavor *f = &pcf_flavor_dynamodb_config_store;
	cr_assert_str_eq(f->name, "dynamodb_config_store");
	cr_assert(f->flags & PCF_FLAVOR_DELETES_DATA, "terminate drops the table's data");
	cr_assert_not_null(f->ops->sync_state);
	cr_assert_not_null(f->ops->start);
	cr_assert_not_null(f->ops->terminate);
	cr_assert_not_null(f->ops->diff);
	cr_assert_not_null(f->ops->plan);
	cr_assert_not_null(f->ops->run_step);
}

Test(config_store_flavor, full_definition_is_valid)
{
	pcf_diags d;
	pcf_diags_init(&d);
	cr_assert_eq(
	    validate_text(HEAD
	                  "  TableName: app_config\n"
	                  "  StoreKey: _store\n"
	                  "  OptionKey: _option\n"
	                  "  region_name: eu-west-1\n"
	                  "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 2}\n"
	                  "  Exclusive: true\n"
	                  "  Options:\n"
	                  "    app1:\n"
	                  "      db: {host: db.internal, port: 5432, tls: true}\n"
	                  "      empty: {}\n"
	                  "    app2: {}\n",
	                  &d),
	    0, "%s", d.count ? d.items[0].message : "");
	pcf_diags_cleanup(&d);
}

Test(config_store_flavor, on_demand_and_defaults_are_valid)
{
	pcf_diags d;
	pcf_diags_init(&d);
	cr_assert_eq(validate_text(HEAD "  TableName: t1\n  BillingMode: PAY_PER_REQUEST\n", &d),
	             0);
	cr_assert_eq(validate_text(HEAD "  TableName: t1\n", &d), 0);
	pcf_diags_cleanup(&d);
}

/* PCF files may carry custom_config in aws_resource; PCF drops it, so does pcf. */
Test(config_store_flavor, pcf_custom_config_is_accepted)
{
	pcf_diags d;
	pcf_diags_init(&d);
	cr_assert_eq(validate_text(HEAD "  TableName: t1\n  custom_config: {a: 1}\n", &d), 0, "%s",
	             d.count ? d.items[0].message : "");
	pcf_diags_cleanup(&d);
}

struct bad_case {
	char body[200];
	int line;      /* where the problem is reported */
	char part[48]; /* a piece of the message */
};

ParameterizedTestParameters(config_store_flavor, refused)
{
	static struct bad_case cases[] = {
	    {"  StoreKey: s\n", 0, "TableName"},
	    {"  TableName: t\n  Colour: red\n", 5, "Colour"},
	    {"  TableName: t\n  Exclusive: maybe\n", 5, ""},
	    {"  TableName: t\n  BillingMode: FREE\n", 5, ""},
	    {"  TableName: t\n  BillingMode: PAY_PER_REQUEST\n"
	     "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n",
	     6, "PAY_PER_REQUEST"},
	    {"  TableName: t\n  ProvisionedThroughput: {ReadCapacityUnits: 0, WriteCapacityUnits: "
	     "1}\n",
	     5, "at least 1"},
	    {"  TableName: t\n  StoreKey: k\n  OptionKey: k\n", 6, "must differ"},
	    {"  TableName: t\n  Options:\n    app1: [a, b]\n", 6, "mapping of option names"},
	    {"  TableName: t\n  Options:\n    app1:\n      db: 5\n", 7, "mapping of keys"},
	    {"  TableName: t\n  Options:\n    app1:\n      db: {_store: x}\n", 7, "_store"},
	    {"  TableName: t\n  Options:\n    app1:\n      db: {n: {$NS: []}}\n", 7, "$NS"},
	};
	return cr_make_param_array(struct bad_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_case *c, config_store_flavor, refused)
{
	char yaml[400];
	pcf_diags d;
	pcf_diags_init(&d);
	snprintf(yaml, sizeof(yaml), HEAD "%s", c->body);
	cr_assert_geq(validate_text(yaml, &d), 1, "refused: %s", c->body);
	cr_assert(strstr(d.items[0].message, c->part) != NULL, "message '%s' names '%s'",
	          d.items[0].message, c->part);
	if (c->line)
		cr_assert_eq(d.items[0].line, c->line, "reported at line %d, not %d: %s",
		             d.items[0].line, c->line, d.items[0].message);
	pcf_diags_cleanup(&d);
}

/* A schema problem does not hide the others: one run reports them all. */
Test(config_store_flavor, every_problem_in_one_run)
{
	pcf_diags d;
	pcf_diags_init(&d);
	cr_assert_eq(validate_text(HEAD "  TableName: t1\n  Colour: red\n"
	                                "  ProvisionedThroughput: {ReadCapacityUnits: 0, "
	                                "WriteCapacityUnits: 1}\n"
	                                "  StoreKey: k\n  OptionKey: k\n",
	                           &d),
	             3);
	pcf_diags_cleanup(&d);
}

/* Validates yaml with every built-in flavor, as pcf validate does. */
static int validate_all(const char *yaml, pcf_diags *diags)
{
	pcf_definitions *defs = NULL;
	size_t count = 0;
	const pcf_flavor *const *flavors = pcf_particles_flavors(&count);
	int rc;
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "t.yml", diags), 0,
	             "the envelope loads: %s", diags->count ? diags->items[0].message : "");
	rc = pcf_engine_validate(defs, flavors, count, diags);
	pcf_definitions_free(defs);
	return rc;
}

/* The store has no ignore_changes: a user's would be dropped without a word. */
Test(config_store_flavor, ignore_changes_is_refused_where_written)
{
	pcf_diags d;
	pcf_diags_init(&d);
	cr_assert_eq(validate_all("pcf_name: settings\n"
	                          "flavor: dynamodb_config_store\n"
	                          "ignore_changes:\n"
	                          "  - ProvisionedThroughput\n"
	                          "aws_resource: {TableName: t1}\n",
	                          &d),
	             PCF_EDEFINITION);
	cr_assert_eq(d.count, 1);
	cr_assert_eq(d.items[0].line, 4, "%d: %s", d.items[0].line, d.items[0].message);
	cr_assert_eq(d.items[0].column, 3, "%d", d.items[0].column);
	cr_assert(strstr(d.items[0].message,
	                 "ignore_changes: expected no ignore_changes for flavor "
	                 "dynamodb_config_store"),
	          "%s", d.items[0].message);
	cr_assert(strstr(d.items[0].message, "dynamodb_table"), "names who honours it: %s",
	          d.items[0].message);
	pcf_diags_cleanup(&d);
}

Test(config_store_flavor, an_empty_ignore_changes_is_refused_too)
{
	pcf_diags d;
	pcf_diags_init(&d);
	cr_assert_eq(validate_all(HEAD "  TableName: t1\nignore_changes: []\n", &d),
	             PCF_EDEFINITION);
	cr_assert_eq(d.count, 1);
	pcf_diags_cleanup(&d);
}
