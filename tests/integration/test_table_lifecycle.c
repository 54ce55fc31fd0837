/*
 * dynamodb_table lifecycle against dynoxide and dynalite: terminate
 * (and stop, which means terminate for tables) only with --yes, never for
 * persist_on_termination or deletion protection; replacement only with
 * --allow-replace and --yes; item get/put/delete in both JSON forms; and
 * export, whose output applied under a new name gives an identical table.
 * Deletion protection and persist_on_termination are shown on dynoxide
 * (dynalite has no deletion protection); streams and TTL in an export too.
 */
#include "particles/dynamodb_table/table.h"
#include "test_table_fixture.h"

#define TABLE(extra)                                                                               \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n" extra "aws_resource:\n"                                         \
	"  TableName: %s\n"                                                                        \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                      \
	"  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"

static const fx_run terminate_no = {0, 0, 1, PCF_DESIRED_TERMINATED};
static const fx_run terminate_yes = {1, 0, 1, PCF_DESIRED_TERMINATED};
static const fx_run stop_yes = {1, 0, 1, PCF_DESIRED_STOPPED};

static const pcf_particle_report *refused(fixture *f, const fx_run *run)
{
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(fx_engine(f, pcf_engine_apply, run, &err), PCF_EREFUSED, "%s", err.message);
	cr_assert_eq(f->report->particles[0].outcome, PCF_OUTCOME_REFUSED);
	return &f->report->particles[0];
}

static void terminate(pcf_local_server_kind kind)
{
	fixture f;
	fx_init(&f, kind, "term");
	fx_load(&f, TABLE(""), f.table);
	fx_apply_ok(&f, NULL);
	refused(&f, &terminate_no);
	cr_assert(fx_exists(&f), "no --yes: the table stays");
	cr_assert_eq(fx_apply_ok(&f, &terminate_yes), 1, "DeleteTable");
	cr_assert(!fx_exists(&f));
	cr_assert_eq(fx_apply_ok(&f, &terminate_yes), 0, "already gone: nothing to do");
	fx_cleanup(&f);
}

Test(table_lifecycle, dynoxide_terminate_needs_yes)
{
	terminate(PCF_LOCAL_DYNOXIDE);
}

Test(table_lifecycle, dynalite_terminate_needs_yes)
{
	terminate(PCF_LOCAL_DYNALITE);
}

Test(table_lifecycle, dynalite_stop_means_terminate)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_DYNALITE, "stop");
	fx_load(&f, TABLE(""), f.table);
	fx_apply_ok(&f, NULL);
	cr_assert_eq(fx_apply_ok(&f, &stop_yes), 1);
	cr_assert(!fx_exists(&f));
	fx_cleanup(&f);
}

Test(table_lifecycle, persist_on_termination_is_never_deleted)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_DYNALITE, "persist");
	fx_load(&f, TABLE("persist_on_termination: true\n"), f.table);
	fx_apply_ok(&f, NULL);
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(fx_engine(&f, pcf_engine_apply, &terminate_yes, &err), 0, "%s", err.message);
	cr_assert_eq(f.report->particles[0].outcome, PCF_OUTCOME_KEPT);
	cr_assert(fx_exists(&f));
	cr_assert_eq(f.counts.mutating, 1, "only the CreateTable was sent");
	fx_cleanup(&f);
}

Test(table_lifecycle, dynoxide_deletion_protection_blocks_terminate)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "protect");
	fx_load(&f, TABLE("") "  DeletionProtectionEnabled: true\n", f.table);
	fx_apply_ok(&f, NULL);
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_lt(fx_engine(&f, pcf_engine_apply, &terminate_yes, &err), 0);
	cr_assert(strstr(f.report->particles[0].error.message, "deletion protection") != NULL, "%s",
	          f.report->particles[0].error.message);
	cr_assert(fx_exists(&f));
	fx_cleanup(&f);
}

#define REKEYED                                                                                    \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: %s\n"                                                                        \
	"  AttributeDefinitions: [{AttributeName: pk, AttributeType: N}]\n"                        \
	"  KeySchema: [{AttributeName: pk, KeyType: HASH}]\n"                                      \
	"  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"

Test(table_lifecycle, dynoxide_key_change_needs_allow_replace_and_yes)
{
	fixture f;
	static const fx_run replace_no_yes = {0, 1, 0, PCF_DESIRED_RUNNING};
	static const fx_run replace = {1, 1, 0, PCF_DESIRED_RUNNING};
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "rekey");
	fx_load(&f, TABLE(""), f.table);
	fx_apply_ok(&f, NULL);
	fx_load(&f, REKEYED, f.table);
	const pcf_particle_report *r = refused(&f, NULL);
	cr_assert(strstr(r->error.message, "allow-replace") != NULL, "%s", r->error.message);
	refused(&f, &replace_no_yes);
	cr_assert_eq(f.counts.mutating, 1, "nothing sent while refused");
	cr_assert_eq(fx_apply_ok(&f, &replace), 2, "DeleteTable, CreateTable");
	cJSON *t = fx_describe(&f);
	cr_assert_str_eq(fx_string(t, "KeySchema.0.AttributeName"), "pk");
	cJSON_Delete(t);
	fx_cleanup(&f);
}

static void items(pcf_local_server_kind kind)
{
	fixture f;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *got = NULL, *old = NULL, *key = cJSON_Parse("{\"id\":\"a1\"}");
	cJSON *typed_key = cJSON_Parse("{\"id\":{\"S\":\"a1\"}}");
	cJSON *item = cJSON_Parse("{\"id\":\"a1\",\"n\":3,\"tags\":[\"x\"],\"ok\":true}");
	cJSON *typed = cJSON_Parse("{\"id\":{\"S\":\"a1\"},\"n\":{\"N\":\"4\"}}");
	fx_init(&f, kind, "items");
	fx_load(&f, TABLE(""), f.table);
	fx_apply_ok(&f, NULL);
	const pcf_particle_def *def = &f.defs->particles[0];

	cr_assert_eq(pcf_table_item_put(f.services, def, item, PCF_ITEM_AUTO, &err), 0, "%s",
	             err.message);
	cr_assert_eq(
	    pcf_table_item_get(&got, f.services, def, key, PCF_ITEM_AUTO, PCF_ITEM_PLAIN, &err), 0,
	    "%s", err.message);
	cr_assert(cJSON_Compare(got, item, 1), "plain JSON comes back as it went in");
	cJSON_Delete(got);
	cr_assert_eq(pcf_table_item_get(&got, f.services, def, typed_key, PCF_ITEM_AUTO,
	                                PCF_ITEM_DYNAMODB, &err),
	             0);
	cr_assert_str_eq(fx_string(got, "n.N"), "3");
	cJSON_Delete(got);

	cr_assert_eq(pcf_table_item_put(f.services, def, typed, PCF_ITEM_DYNAMODB, &err), 0);
	cr_assert_eq(
	    pcf_table_item_delete(&old, f.services, def, key, PCF_ITEM_PLAIN, PCF_ITEM_PLAIN, &err),
	    0, "%s", err.message);
	cr_assert_eq(fx_number(old, "n"), 4, "the deleted item is the DynamoDB-JSON one");
	cJSON_Delete(old);
	cr_assert_eq(
	    pcf_table_item_get(&got, f.services, def, key, PCF_ITEM_AUTO, PCF_ITEM_PLAIN, &err),
	    PCF_ENOTFOUND);
	cr_assert_null(got);
	cr_assert_eq(
	    pcf_table_item_delete(&old, f.services, def, key, PCF_ITEM_AUTO, PCF_ITEM_PLAIN, &err),
	    0, "deleting nothing is fine");
	cr_assert_null(old);
	cJSON_Delete(key);
	cJSON_Delete(typed_key);
	cJSON_Delete(item);
	cJSON_Delete(typed);
	fx_cleanup(&f);
}

Test(table_lifecycle, dynoxide_items_plain_and_dynamodb_json)
{
	items(PCF_LOCAL_DYNOXIDE);
}

Test(table_lifecycle, dynalite_items_plain_and_dynamodb_json)
{
	items(PCF_LOCAL_DYNALITE);
}

#define EXPORTED_SOURCE(extra)                                                                     \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: %s\n"                                                                        \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, "                         \
	"{AttributeName: g, AttributeType: N}, {AttributeName: r, AttributeType: S}]\n"            \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: r, KeyType: RANGE}]\n"  \
	"  ProvisionedThroughput: {ReadCapacityUnits: 3, WriteCapacityUnits: 2}\n"                 \
	"  GlobalSecondaryIndexes:\n"                                                              \
	"    - {IndexName: by_g, KeySchema: [{AttributeName: g, KeyType: HASH}], "                 \
	"Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [x, y]}, "                        \
	"ProvisionedThroughput: {ReadCapacityUnits: 2, WriteCapacityUnits: 1}}\n" extra

/* Export a table, apply the export under a new name, export that: equal but for the name. */
static void export_round_trip(pcf_local_server_kind kind, const char *extra)
{
	fixture f, g;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *first = NULL, *second = NULL;
	char yaml[4096], *text;
	fx_init(&f, kind, "export");
	fx_init(&g, kind, "import");
	snprintf(yaml, sizeof(yaml), EXPORTED_SOURCE("%s"), f.table, extra);
	fx_load(&f, "%s", yaml);
	fx_apply_ok(&f, NULL);

	cr_assert_eq(pcf_table_export(&first, f.services, f.table, NULL, &err), 0, "%s",
	             err.message);
	cr_assert_str_eq(fx_string(first, "flavor"), "dynamodb_table");
	cr_assert_null(fx_at(first, "aws_resource.TableArn"), "no server fields");
	cJSON *resource = cJSON_GetObjectItem(first, "aws_resource");
	cJSON_ReplaceItemInObject(resource, "TableName", cJSON_CreateString(g.table));
	text = cJSON_Print(first);
	fx_load(&g, "%s", text); /* JSON is YAML */
	cJSON_free(text);
	cr_assert_geq(fx_apply_ok(&g, NULL), 1);
	cr_assert_eq(fx_apply_ok(&g, NULL), 0);

	cr_assert_eq(pcf_table_export(&second, g.services, g.table, NULL, &err), 0, "%s",
	             err.message);
	cr_assert(pcf_table_same_set(cJSON_GetObjectItem(first, "aws_resource"),
	                             cJSON_GetObjectItem(second, "aws_resource")),
	          "the imported table exports the same definition");
	/* The original definition shows no drift against its own export either. */
	cJSON_ReplaceItemInObject(resource, "TableName", cJSON_CreateString(f.table));
	text = cJSON_Print(first);
	fx_load(&f, "%s", text);
	cJSON_free(text);
	cr_assert_eq(fx_status(&f)->drift.count, 0);
	cJSON_Delete(first);
	cJSON_Delete(second);
	fx_cleanup(&g);
	fx_cleanup(&f);
}

Test(table_lifecycle, dynoxide_export_round_trips)
{
	export_round_trip(
	    PCF_LOCAL_DYNOXIDE,
	    "  StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}\n"
	    "  TimeToLiveSpecification: {Enabled: true, AttributeName: ttl}\n"
	    "  Tags: [{Key: team, Value: core}]\n");
}

Test(table_lifecycle, dynalite_export_round_trips)
{
	export_round_trip(PCF_LOCAL_DYNALITE, "  Tags: [{Key: team, Value: core}]\n");
}

Test(table_lifecycle, dynoxide_persisted_table_is_never_replaced)
{
	fixture f;
	static const fx_run replace = {1, 1, 0, PCF_DESIRED_RUNNING};
	pcf_error err = PCF_ERROR_INIT;
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "keep");
	fx_load(&f, TABLE("persist_on_termination: true\n"), f.table);
	fx_apply_ok(&f, NULL);
	fx_load(&f,
	        "pcf_name: t\nflavor: dynamodb_table\npersist_on_termination: true\n"
	        "aws_resource:\n  TableName: %s\n"
	        "  AttributeDefinitions: [{AttributeName: pk, AttributeType: N}]\n"
	        "  KeySchema: [{AttributeName: pk, KeyType: HASH}]\n"
	        "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n",
	        f.table);
	cr_assert_eq(fx_engine(&f, pcf_engine_apply, &replace, &err), PCF_EREFUSED);
	cr_assert(strstr(f.report->particles[0].error.message, "persist_on_termination") != NULL,
	          "%s", f.report->particles[0].error.message);
	cr_assert_eq(f.counts.mutating, 1, "only the first CreateTable");
	cJSON *t = fx_describe(&f);
	cr_assert_str_eq(fx_string(t, "KeySchema.0.AttributeName"), "id");
	cJSON_Delete(t);
	fx_cleanup(&f);
}
