/*
 * Loading definitions: the shapes a file may take (one particle, a list,
 * several documents, a directory, the default names, JSON), YAML typing,
 * ${VAR} substitution, anchors and aliases, and where nodes were found.
 */
#include <stdlib.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <pcf/definitions.h>
#include <pcf/error.h>

#include "defs_test.h"

#define VEC PCF_TEST_DATA_DIR "/definitions/"

TestSuite(definitions_loader);

static pcf_definitions *load_paths(const char *const *paths, size_t n)
{
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;
	int rc;

	pcf_diags_init(&d);
	rc = pcf_definitions_load(&defs, paths, n, &d);
	text = diags_text(&d);
	cr_assert_eq(rc, 0, "rc %d:\n%s", rc, text);
	free(text);
	pcf_diags_cleanup(&d);
	return defs;
}

/* obj[key] must be the string want. */
static void expect_str(const cJSON *obj, const char *key, const char *want)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	cr_assert_not_null(item, "no %s", key);
	cr_expect_str_eq(item->valuestring, want, "%s", key);
}

/* obj[key] must be the number want. */
static void expect_num(const cJSON *obj, const char *key, double want)
{
	const cJSON *item = cJSON_GetObjectItem(obj, key);

	cr_assert_not_null(item, "no %s", key);
	cr_expect_eq(item->valuedouble, want, "%s", key);
}

Test(definitions_loader, one_particle_as_a_mapping)
{
	const char *paths[] = {VEC "single.yml"};
	pcf_definitions *defs = load_paths(paths, 1);
	const pcf_particle_def *p = &defs->particles[0];

	cr_assert_eq(defs->count, 1);
	cr_expect_str_eq(p->name, "orders");
	cr_expect_str_eq(p->flavor, "dynamodb_table");
	cr_expect_str_eq(p->id, "dynamodb_table:orders");
	cr_expect_eq(p->desired_state, PCF_DESIRED_RUNNING);
	cr_expect_eq(p->persist_on_termination, 1);
	cr_expect_eq(p->persist_on_update, 0);
	cr_expect_eq(p->parent_count, 0);
	cr_expect_str_eq(p->mark.file, VEC "single.yml");
	cr_expect_eq(p->mark.line, 2);
	cr_expect_eq(p->mark.column, 1);
	cr_assert_not_null(p->aws_resource);
	cr_expect_eq(p->aws_resource, cJSON_GetObjectItemCaseSensitive(p->node, "aws_resource"));
	cr_expect_str_eq(cJSON_GetObjectItem(p->aws_resource, "TableName")->valuestring, "orders");
	cr_expect_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(p->aws_resource, "ProvisionedThroughput"),
	                        "ReadCapacityUnits")
	        ->valuedouble,
	    5);
	pcf_definitions_free(defs);
}

Test(definitions_loader, a_list_with_parents_and_children)
{
	const char *paths[] = {VEC "list.yml"};
	pcf_definitions *defs = load_paths(paths, 1);
	const pcf_particle_def *orders;

	cr_assert_eq(defs->count, 3);
	orders = pcf_definitions_find(defs, "orders");
	cr_assert_not_null(orders);
	cr_expect_eq(orders->desired_state, PCF_DESIRED_TERMINATED);
	/* "children: [orders]" on users and "parents" on orders name users once. */
	cr_assert_eq(orders->parent_count, 2);
	cr_expect_str_eq(orders->parents[0], "dynamodb_table:users");
	cr_expect_str_eq(orders->parents[1], "dynamodb_config_store:settings");
	/* $inherit$ values are the engine's: kept as written. */
	cr_expect_str_eq(
	    cJSON_GetObjectItem(orders->aws_resource, "StreamArnOfParent")->valuestring,
	    "$inherit$dynamodb_table:users$TableArn");
	cr_expect_eq(pcf_definitions_find(defs, "dynamodb_config_store:settings"),
	             &defs->particles[2]);
	cr_expect_eq(defs->particles[2].persist_on_update, 1);
	cr_expect_null(pcf_definitions_find(defs, "dynamodb_table:settings"));
	cr_expect_null(pcf_definitions_find(defs, "nobody"));
	pcf_definitions_free(defs);
}

/* The loaded particles must be exactly these, in this order. */
static void expect_names(const pcf_definitions *defs, const char *const *names, size_t count)
{
	cr_assert_eq(defs->count, count);
	for (size_t i = 0; i < count; i++)
		cr_expect_str_eq(defs->particles[i].name, names[i], "particle %zu", i);
}

Test(definitions_loader, several_documents)
{
	const char *paths[] = {VEC "multi.yml"};
	pcf_definitions *defs = load_paths(paths, 1);

	expect_names(defs, (const char *const[]){"first", "second", "third", "fourth"}, 4);
	cr_expect_eq(defs->particles[3].desired_state, PCF_DESIRED_STOPPED);
	cr_expect_eq(defs->particles[3].mark.line, 14);
	pcf_definitions_free(defs);
}

Test(definitions_loader, a_directory_in_name_order)
{
	const char *paths[] = {VEC "tree"};
	pcf_definitions *defs = load_paths(paths, 1);

	expect_names(defs, (const char *const[]){"users", "orders", "settings"}, 3);
	cr_expect_str_eq(defs->particles[0].mark.file, VEC "tree/10-users.yml");
	cr_expect_str_eq(defs->particles[1].parents[0], "dynamodb_table:users");
	cr_expect_str_eq(defs->particles[2].mark.file, VEC "tree/30-settings.json");
	pcf_definitions_free(defs);
}

Test(definitions_loader, files_and_directories_together)
{
	const char *paths[] = {VEC "single.yml", VEC "multi.yml"};
	pcf_definitions *defs = load_paths(paths, 2);

	cr_expect_eq(defs->count, 5);
	cr_expect_str_eq(defs->particles[4].mark.file, VEC "multi.yml");
	pcf_definitions_free(defs);
}

/* pcf.yaml and pcf.json both there: which one is meant is not guessed. */
Test(definitions_loader, two_default_files_are_refused)
{
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;

	cr_assert_eq(chdir(VEC "defaults"), 0);
	pcf_diags_init(&d);
	cr_assert_eq(pcf_definitions_load(&defs, NULL, 0, &d), PCF_EDEFINITION);
	cr_assert_null(defs);
	text = diags_text(&d);
	cr_expect_str_eq(text,
	                 "expected one default definitions file in the current directory, "
	                 "found both ./pcf.yaml and ./pcf.json (name the one to use with -f)");
	free(text);
	pcf_diags_cleanup(&d);
}

Test(definitions_loader, a_pcf_users_file_loads_unchanged)
{
	const char *paths[] = {VEC "pcf_dynamodb.yml"};
	pcf_definitions *defs = load_paths(paths, 1);
	pcf_source_mark m;

	cr_assert_eq(defs->count, 1);
	cr_expect_str_eq(defs->particles[0].id, "dynamodb_table:pcf_dynamodb");
	pcf_particle_def_locate(&m, &defs->particles[0],
	                        "aws_resource.LocalSecondaryIndexes[0].KeySchema[1].KeyType");
	cr_expect_eq(m.line, 19);
	cr_expect_eq(m.column, 20);
	pcf_definitions_free(defs);
}

Test(definitions_loader, json_with_tabs_and_positions)
{
	const char *json =
	    "{\n\t\"pcf_name\": \"j\",\n\t\"flavor\": \"dynamodb_table\",\n"
	    "\t\"aws_resource\": {\"TableName\": \"t\", \"N\": [1, 2.5, true, null]}\n}\n";
	pcf_definitions *defs = expect_load("defs.json", json);
	const cJSON *n = cJSON_GetObjectItem(defs->particles[0].aws_resource, "N");
	pcf_source_mark m;

	cr_expect(cJSON_IsNumber(cJSON_GetArrayItem(n, 0)));
	cr_expect_eq(cJSON_GetArrayItem(n, 1)->valuedouble, 2.5);
	cr_expect(cJSON_IsTrue(cJSON_GetArrayItem(n, 2)));
	cr_expect(cJSON_IsNull(cJSON_GetArrayItem(n, 3)));
	pcf_particle_def_locate(&m, &defs->particles[0], "aws_resource.N[1]");
	cr_expect_str_eq(m.file, "defs.json");
	cr_expect_eq(m.line, 4);
	cr_expect_eq(m.column, 46);
	pcf_definitions_free(defs);
}

Test(definitions_loader, plain_scalars_follow_the_yaml_1_2_core_schema)
{
	const char *yaml = "pcf_name: typed\nflavor: f\naws_resource:\n"
	                   "  i: 42\n  neg: -7\n  hex: 0x1F\n  oct: 0o17\n  f: 1.5e3\n  dot: .5\n"
	                   "  t: true\n  T: True\n  n: ~\n  empty:\n  yes_word: yes\n  off: off\n"
	                   "  zero_lead: 012\n  inf: .inf\n  quoted: \"42\"\n  single: 'true'\n"
	                   "  tagged: !!str 42\n  tagged_int: !!int \"7\"\n  ver: 1.2.3\n";
	/* What each key must load as, in the order of the text. */
	static const struct scalar_case {
		const char *key;
		enum { K_NUM, K_STR, K_TRUE, K_NULL } kind;
		double num;
		const char *str;
	} cases[] = {
	    {"i", K_NUM, 42, NULL},         {"neg", K_NUM, -7, NULL},
	    {"hex", K_NUM, 31, NULL},       {"oct", K_NUM, 15, NULL},
	    {"f", K_NUM, 1500, NULL},       {"dot", K_NUM, 0.5, NULL},
	    {"t", K_TRUE, 0, NULL},         {"T", K_TRUE, 0, NULL},
	    {"n", K_NULL, 0, NULL},         {"empty", K_NULL, 0, NULL},
	    {"yes_word", K_STR, 0, "yes"},  {"off", K_STR, 0, "off"},
	    {"zero_lead", K_NUM, 12, NULL}, {"inf", K_STR, 0, ".inf"},
	    {"quoted", K_STR, 0, "42"},     {"single", K_STR, 0, "true"},
	    {"tagged", K_STR, 0, "42"},     {"tagged_int", K_NUM, 7, NULL},
	    {"ver", K_STR, 0, "1.2.3"},
	};
	pcf_definitions *defs = expect_load("typed.yml", yaml);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct scalar_case *c = &cases[i];
		const cJSON *item = cJSON_GetObjectItem(defs->particles[0].aws_resource, c->key);
		if (c->kind == K_NUM)
			expect_num(defs->particles[0].aws_resource, c->key, c->num);
		else if (c->kind == K_STR)
			expect_str(defs->particles[0].aws_resource, c->key, c->str);
		else if (c->kind == K_TRUE)
			cr_expect(cJSON_IsTrue(item), "%s", c->key);
		else
			cr_expect(cJSON_IsNull(item), "%s", c->key);
	}
	pcf_definitions_free(defs);
}

Test(definitions_loader, environment_substitution_before_typing)
{
	const char *yaml = "pcf_name: ${PCF_T_NAME}\nflavor: dynamodb_table\naws_resource:\n"
	                   "  TableName: ${PCF_T_NAME}-${PCF_T_STAGE:-dev}\n"
	                   "  Rcu: ${PCF_T_RCU:-5}\n"
	                   "  Quoted: \"${PCF_T_RCU:-5}\"\n"
	                   "  Empty: ${PCF_T_EMPTY:-fallback}\n"
	                   "  EmptyKept: ${PCF_T_EMPTY-fallback}\n"
	                   "  Nested: ${PCF_T_UNSET:-${PCF_T_NAME}}\n"
	                   "  Escaped: $${PCF_T_NAME}\n"
	                   "  Dollar: cost $5\n"
	                   "  Inherit: $inherit$dynamodb_table:users$TableArn\n";
	pcf_definitions *defs;
	const cJSON *r;

	setenv("PCF_T_NAME", "orders", 1);
	setenv("PCF_T_EMPTY", "", 1);
	unsetenv("PCF_T_STAGE");
	unsetenv("PCF_T_RCU");
	unsetenv("PCF_T_UNSET");
	defs = expect_load("env.yml", yaml);
	r = defs->particles[0].aws_resource;
	cr_expect_str_eq(defs->particles[0].name, "orders");
	expect_str(r, "TableName", "orders-dev");
	cr_expect(cJSON_IsNumber(cJSON_GetObjectItem(r, "Rcu")));
	expect_num(r, "Rcu", 5);
	expect_str(r, "Quoted", "5");
	expect_str(r, "Empty", "fallback");
	cr_expect(cJSON_IsNull(cJSON_GetObjectItem(r, "EmptyKept")));
	expect_str(r, "Nested", "orders");
	expect_str(r, "Escaped", "${PCF_T_NAME}");
	expect_str(r, "Dollar", "cost $5");
	expect_str(r, "Inherit", "$inherit$dynamodb_table:users$TableArn");
	pcf_definitions_free(defs);
}

Test(definitions_loader, anchors_aliases_and_merge_keys)
{
	const char *yaml =
	    "- pcf_name: a\n  flavor: dynamodb_table\n  aws_resource: &base\n"
	    "    TableName: a\n    Keys: &keys [{AttributeName: id, KeyType: HASH}]\n"
	    "- pcf_name: b\n  flavor: dynamodb_table\n  aws_resource:\n"
	    "    <<: *base\n    TableName: b\n    More: *keys\n";
	pcf_definitions *defs = expect_load("alias.yml", yaml);
	const cJSON *b = defs->particles[1].aws_resource;
	pcf_source_mark m;

	expect_str(b, "TableName", "b");
	cr_expect(cJSON_Compare(cJSON_GetObjectItem(b, "Keys"),
	                        cJSON_GetObjectItem(defs->particles[0].aws_resource, "Keys"), 1));
	cr_expect(cJSON_Compare(cJSON_GetObjectItem(b, "More"), cJSON_GetObjectItem(b, "Keys"), 1));
	/* A copied node points at the text that defined it. */
	pcf_particle_def_locate(&m, &defs->particles[1], "aws_resource.More[0].KeyType");
	cr_expect_eq(m.line, 5);
	cr_expect_eq(m.column, 47);
	pcf_particle_def_locate(&m, &defs->particles[1], "aws_resource.More");
	cr_expect_eq(m.line, 11);
	cr_expect_eq(m.column, 11);
	pcf_definitions_free(defs);
}

Test(definitions_loader, locate_falls_back_to_the_nearest_ancestor)
{
	const char *yaml = "pcf_name: p\nflavor: f\naws_resource:\n  KeySchema:\n"
	                   "    - {AttributeName: id, KeyType: HASH}\n";
	pcf_definitions *defs = expect_load("loc.yml", yaml);
	const pcf_particle_def *p = &defs->particles[0];
	pcf_source_mark m;

	pcf_particle_def_locate(&m, p, "aws_resource.KeySchema[0].KeyType");
	cr_expect_eq(m.line, 5);
	cr_expect_eq(m.column, 36);
	pcf_particle_def_locate_key(&m, p, "aws_resource.KeySchema[0].KeyType");
	cr_expect_eq(m.column, 27);
	pcf_particle_def_locate(&m, p, "aws_resource.KeySchema[0].Missing");
	cr_expect_eq(m.line, 5);
	cr_expect_eq(m.column, 7);
	pcf_particle_def_locate(&m, p, "aws_resource.KeySchema[3]");
	cr_expect_eq(m.line, 5);
	cr_expect_eq(m.column, 5);
	pcf_particle_def_locate(&m, p, "nothing.at.all");
	cr_expect_str_eq(m.file, "loc.yml");
	cr_expect_eq(m.line, 1);
	cr_expect_eq(m.column, 1);
	pcf_definitions_free(defs);
}

Test(definitions_loader, report_prefixes_the_path)
{
	pcf_definitions *defs = expect_load("rep.yml", "pcf_name: p\nflavor: f\naws_resource:\n"
	                                               "  TableName: 5\n");
	pcf_diags d;
	char *text;

	pcf_diags_init(&d);
	pcf_particle_def_report(&defs->particles[0], &d, "aws_resource.TableName", "too %s",
	                        "short");
	pcf_particle_def_report(&defs->particles[0], &d, "", "whole particle");
	text = diags_text(&d);
	cr_expect_str_eq(text, "rep.yml:4:14: aws_resource.TableName: too short\n"
	                       "rep.yml:1:1: whole particle");
	free(text);
	pcf_diags_cleanup(&d);
	pcf_definitions_free(defs);
}

Test(definitions_loader, a_later_anchor_shadows_an_earlier_one)
{
	pcf_definitions *defs = expect_load("shadow.yml", "pcf_name: p\nflavor: f\naws_resource:\n"
	                                                  "  a: &x 1\n  b: &x [2]\n  c: *x\n");
	const cJSON *c = cJSON_GetObjectItem(defs->particles[0].aws_resource, "c");

	cr_expect(cJSON_IsArray(c));
	cr_expect_eq(cJSON_GetArrayItem(c, 0)->valuedouble, 2);
	pcf_definitions_free(defs);
}

Test(definitions_loader, scalar_aliases_as_keys)
{
	pcf_definitions *defs =
	    expect_load("keys.yml", "- &k pcf_name : p\n  flavor: f\n  aws_resource:\n"
	                            "    n: &n 5\n    *n : five\n    *k : again\n");
	const cJSON *r = defs->particles[0].aws_resource;

	expect_str(r, "5", "five");
	expect_str(r, "pcf_name", "again");
	pcf_definitions_free(defs);
}

Test(definitions_loader, standard_input_as_dash)
{
	const char *paths[] = {"-"};
	pcf_definitions *defs;

	cr_assert_not_null(freopen(VEC "single.yml", "r", stdin));
	defs = load_paths(paths, 1);
	cr_assert_eq(defs->count, 1);
	cr_expect_str_eq(defs->particles[0].mark.file, "<stdin>");
	pcf_definitions_free(defs);
}

/* The README's style: ${VAR} inside { } and [ ], where YAML alone would see a mapping. */
Test(definitions_loader, substitution_inside_flow_collections)
{
	const char *yaml = "pcf_name: flow\nflavor: dynamodb_table\naws_resource:\n"
	                   "  PT: {ReadCapacityUnits: ${PCF_F_RCU:-5}, Write: ${PCF_F_NAME}}\n"
	                   "  List: [${PCF_F_UNSET:-a,b}, x${PCF_F_NAME}y, $${PCF_F_NAME}, "
	                   "${PCF_F_UNSET:-${PCF_F_NAME}}]\n"
	                   "  Keys: [{AttributeName: ${PCF_F_NAME}, KeyType: HASH}]\n"
	                   "  Plain: {a: cost $5, b: \"${PCF_F_NAME}\"}\n";
	pcf_definitions *defs;
	const cJSON *r, *list;
	pcf_source_mark m;

	setenv("PCF_F_NAME", "orders", 1);
	unsetenv("PCF_F_RCU");
	unsetenv("PCF_F_UNSET");
	defs = expect_load("flow.yml", yaml);
	r = defs->particles[0].aws_resource;
	cr_expect(
	    cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "PT"), "ReadCapacityUnits")));
	cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "PT"), "Write")->valuestring,
	                 "orders");
	list = cJSON_GetObjectItem(r, "List");
	cr_assert_eq(cJSON_GetArraySize(list), 4);
	cr_expect_str_eq(cJSON_GetArrayItem(list, 0)->valuestring, "a,b");
	cr_expect_str_eq(cJSON_GetArrayItem(list, 1)->valuestring, "xordersy");
	cr_expect_str_eq(cJSON_GetArrayItem(list, 2)->valuestring, "${PCF_F_NAME}");
	cr_expect_str_eq(cJSON_GetArrayItem(list, 3)->valuestring, "orders");
	cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "Keys"), 0),
	                                     "AttributeName")
	                     ->valuestring,
	                 "orders");
	cr_expect_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "Plain"), "a")->valuestring,
	                 "cost $5");
	/* Positions are those of the text as written. */
	pcf_particle_def_locate(&m, &defs->particles[0], "aws_resource.List[1]");
	cr_expect_eq(m.line, 5);
	cr_expect_eq(m.column, 31);
	pcf_particle_def_locate(&m, &defs->particles[0], "aws_resource.PT.Write");
	cr_expect_eq(m.column, 51);
	pcf_definitions_free(defs);
}

Test(definitions_loader, an_unset_variable_inside_braces_is_named_at_its_place)
{
	pcf_definitions *defs = NULL;
	char *got = NULL;

	unsetenv("PCF_F_UNSET");
	cr_assert_eq(load_text(&defs, "u.yml",
	                       "pcf_name: u\nflavor: f\naws_resource: {T: ${PCF_F_UNSET}}\n", &got),
	             PCF_EDEFINITION);
	cr_expect(strstr(got, "u.yml:3:19: ") == got, "%s", got);
	cr_expect(strstr(got, "PCF_F_UNSET") != NULL, "%s", got);
	free(got);
}

Test(definitions_loader, an_unclosed_variable_inside_braces_gets_a_hint)
{
	pcf_definitions *defs = NULL;
	char *got = NULL;

	cr_assert_eq(load_text(&defs, "h.yml",
	                       "pcf_name: h\nflavor: f\naws_resource: {T: ${PCF_F_X:-a\n  }\n",
	                       &got),
	             PCF_EDEFINITION);
	cr_expect(strstr(got, "must close on its line; or quote it: \"${VAR}\"") != NULL, "%s",
	          got);
	free(got);
}
