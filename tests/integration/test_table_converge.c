/*
 * dynamodb_table through the engine against dynoxide, dynalite and moto:
 * create with every field the server supports, a second apply that sends
 * no mutating request, each kind of update step alone and several at
 * once, changes made behind pcf's back seen as drift and undone, and
 * features a server lacks reported clearly only when the definition uses
 * them.
 *
 * Which server shows what (the README's table of local servers):
 * - dynoxide: streams, TTL, tags, deletion protection, table throughput;
 *   it ignores throughput updates of a global secondary index, which pcf
 *   must report and stop on (dynoxide_index_throughput_update_...), so
 *   index throughput, index create/delete and billing switches (which
 *   carry index throughput) are shown on moto.
 * - moto: index create/update/delete, billing switches, every update step.
 * - dynalite: tags, billing, and statuses held CREATING/UPDATING/DELETING.
 * Index create/delete with the index held CREATING is shown by no open
 * server: the planner's unit tests (tests/unit/particles/test_table_planner.c)
 * and the fake server cover it.
 */
#include "test_table_fixture.h"

#include <criterion/parameterized.h>

#include "it_servers.h"

#define HEAD                                                                                       \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: %s\n"                                                                        \
	"  region_name: us-east-1\n"

#define KEYS                                                                                       \
	"  AttributeDefinitions:\n"                                                                \
	"    - {AttributeName: id, AttributeType: S}\n"                                            \
	"    - {AttributeName: at, AttributeType: N}\n"                                            \
	"    - {AttributeName: email, AttributeType: S}\n"                                         \
	"    - {AttributeName: lsk, AttributeType: S}\n"                                           \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: at, KeyType: RANGE}]\n" \
	"  LocalSecondaryIndexes:\n"                                                               \
	"    - IndexName: by_lsk\n"                                                                \
	"      KeySchema: [{AttributeName: id, KeyType: HASH}, {AttributeName: lsk, KeyType: "     \
	"RANGE}]\n"                                                                                \
	"      Projection: {ProjectionType: KEYS_ONLY}\n"

/* %d %d: table read/write, %d %d: index read/write. */
#define PROVISIONED_GSI                                                                            \
	"  BillingMode: PROVISIONED\n"                                                             \
	"  ProvisionedThroughput: {ReadCapacityUnits: %d, WriteCapacityUnits: %d}\n"               \
	"  GlobalSecondaryIndexes:\n"                                                              \
	"    - IndexName: by_email\n"                                                              \
	"      KeySchema: [{AttributeName: email, KeyType: HASH}]\n"                               \
	"      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [total, status]}\n"         \
	"      ProvisionedThroughput: {ReadCapacityUnits: %d, WriteCapacityUnits: %d}\n"

#define DEFAULTS                                                                                   \
	"  SSESpecification: {Enabled: false}\n"                                                   \
	"  TableClass: STANDARD\n"                                                                 \
	"  DeletionProtectionEnabled: false\n"

/* dynoxide: streams, TTL and tags (also in CreateTable); no PITR. */
#define FULL_DYNOXIDE                                                                              \
	HEAD KEYS PROVISIONED_GSI DEFAULTS                                                         \
	    "  StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_AND_OLD_IMAGES}\n"   \
	    "  TimeToLiveSpecification: {Enabled: true, AttributeName: expires_at}\n"              \
	    "  Tags: [{Key: team, Value: core}, {Key: env, Value: test}]\n"

/* dynalite: tags; TTL and PITR only as "off"; no streams. */
#define FULL_DYNALITE                                                                              \
	HEAD KEYS PROVISIONED_GSI DEFAULTS                                                         \
	    "  Tags: [{Key: team, Value: core}, {Key: env, Value: test}]\n"                        \
	    "  TimeToLiveSpecification: {Enabled: false}\n"                                        \
	    "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: false}\n"

#define MINIMAL                                                                                    \
	HEAD "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                   \
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                 \
	     "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"

static void assert_in_sync(fixture *f)
{
	const pcf_particle_report *r = fx_status(f);
	cr_assert_eq(r->drift.count, 0, "drift at %s",
	             r->drift.count ? r->drift.entries[0].path : "");
	cr_assert_eq(r->outcome, PCF_OUTCOME_IN_SYNC);
}

static void create_and_repeat(pcf_local_server_kind kind, const char *yaml)
{
	fixture f;
	fx_init(&f, kind, "full");
	fx_load(&f, yaml, f.table, 5, 4, 2, 3);
	cr_assert_geq(fx_apply_ok(&f, NULL), 1);
	cJSON *t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.ReadCapacityUnits"), 5);
	cr_assert_eq(
	    fx_number(t, "GlobalSecondaryIndexes.0.ProvisionedThroughput.WriteCapacityUnits"), 3);
	cr_assert_str_eq(fx_string(t, "LocalSecondaryIndexes.0.IndexName"), "by_lsk");
	if (kind == PCF_LOCAL_DYNOXIDE)
		cr_assert_str_eq(fx_string(t, "StreamSpecification.StreamViewType"),
		                 "NEW_AND_OLD_IMAGES");
	cJSON_Delete(t);
	int reads = f.counts.total;
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	cr_log_info("a converged apply read the table with %d requests", f.counts.total - reads);
	assert_in_sync(&f);
	fx_cleanup(&f);
}

Test(table_converge, dynoxide_every_field_then_a_quiet_second_apply)
{
	create_and_repeat(PCF_LOCAL_DYNOXIDE, FULL_DYNOXIDE);
}

/* moto: PITR on, TTL, tags; it describes no TableClass, so the definition
 * names none. */
Test(table_converge, moto_every_field_then_a_quiet_second_apply)
{
	create_and_repeat(PCF_LOCAL_MOTO, HEAD KEYS PROVISIONED_GSI
	                  "  DeletionProtectionEnabled: false\n"
	                  "  TimeToLiveSpecification: {Enabled: true, AttributeName: expires_at}\n"
	                  "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n"
	                  "  Tags: [{Key: team, Value: core}]\n");
}

Test(table_converge, dynalite_every_field_then_a_quiet_second_apply)
{
	create_and_repeat(PCF_LOCAL_DYNALITE, FULL_DYNALITE);
}

static void omitted_fields(pcf_local_server_kind kind)
{
	fixture f;
	fx_init(&f, kind, "min");
	fx_load(&f, MINIMAL, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "CreateTable only");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	assert_in_sync(&f);
	fx_cleanup(&f);
}

IT_TABLE_SERVERS_TEST(table_converge, omitted_fields_are_not_drift)
{
	omitted_fields(*kind);
}

/* The full definition's keys and indexes with other settings (keys are unique in YAML). */
#define VARIANT_LOCAL(extra)                                                                       \
	HEAD KEYS PROVISIONED_GSI "  SSESpecification: {Enabled: false}\n" extra

/*
 * Each kind of UpdateTable / UpdateTimeToLive step alone. with_index: also
 * an index throughput change, which dynoxide ignores (see the next test).
 * with_stream: a stream view type change (disable, enable), which moto
 * refuses once a stream was disabled.
 */
static void update_steps(pcf_local_server_kind kind, int with_index, int with_stream)
{
	fixture f;
	cJSON *t;
	int ir = with_index ? 2 : 1;
	fx_init(&f, kind, "steps");
	fx_load(&f,
	        VARIANT_LOCAL(
	            "  StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}\n"
	            "  TimeToLiveSpecification: {Enabled: true, AttributeName: a}\n"),
	        f.table, 5, 5, 1, 1);
	fx_apply_ok(&f, NULL);

	/* table throughput */
	fx_load(&f, VARIANT_LOCAL(""), f.table, 6, 5, 1, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.ReadCapacityUnits"), 6);
	cJSON_Delete(t);

	/* index throughput */
	if (with_index) {
		fx_load(&f, VARIANT_LOCAL(""), f.table, 6, 5, 2, 1);
		cr_assert_eq(fx_apply_ok(&f, NULL), 1);
		t = fx_describe(&f);
		cr_assert_eq(
		    fx_number(t,
		              "GlobalSecondaryIndexes.0.ProvisionedThroughput.ReadCapacityUnits"),
		    2);
		cJSON_Delete(t);
	}

	/* stream view type: disable, then enable */
	if (with_stream) {
		fx_load(&f,
		        VARIANT_LOCAL("  StreamSpecification: {StreamEnabled: true, "
		                      "StreamViewType: KEYS_ONLY}\n"),
		        f.table, 6, 5, ir, 1);
		cr_assert_eq(fx_apply_ok(&f, NULL), 2);
		t = fx_describe(&f);
		cr_assert_str_eq(fx_string(t, "StreamSpecification.StreamViewType"), "KEYS_ONLY");
		cJSON_Delete(t);
	}

	/* TTL to another attribute: disable the old one, enable the new */
	fx_load(&f, VARIANT_LOCAL("  TimeToLiveSpecification: {Enabled: true, AttributeName: b}\n"),
	        f.table, 6, 5, ir, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 2);
	fx_load(&f, VARIANT_LOCAL("  TimeToLiveSpecification: {Enabled: false}\n"), f.table, 6, 5,
	        ir, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);

	/* deletion protection on and off */
	fx_load(&f, VARIANT_LOCAL("  DeletionProtectionEnabled: true\n"), f.table, 6, 5, ir, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	t = fx_describe(&f);
	cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(t, "DeletionProtectionEnabled")));
	cJSON_Delete(t);
	fx_load(&f, VARIANT_LOCAL("  DeletionProtectionEnabled: false\n"), f.table, 6, 5, ir, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	assert_in_sync(&f);
	fx_cleanup(&f);
}

/* A server and the two figures a test of it takes. */
typedef struct server_case {
	pcf_local_server_kind kind;
	int a, b;
} server_case;

/* A test named name that runs fn(kind, a, b) once for each server_case of cases. */
#define SERVER_CASES_TEST(name, cases, fn)                                                         \
	ParameterizedTestParameters(table_converge, name)                                          \
	{                                                                                          \
		return cr_make_param_array(server_case, cases, sizeof(cases) / sizeof(cases[0]));  \
	}                                                                                          \
	ParameterizedTest(server_case *c, table_converge, name)                                    \
	{                                                                                          \
		fn(c->kind, c->a, c->b);                                                           \
	}

/* moto applies index throughput updates, which dynoxide ignores; moto
 * refuses the stream view type change, so it is shown on dynoxide. */
static server_case update_step_cases[] = {{PCF_LOCAL_DYNOXIDE, 0, 1}, {PCF_LOCAL_MOTO, 1, 0}};

SERVER_CASES_TEST(each_update_step_alone, update_step_cases, update_steps)

/*
 * dynoxide accepts an index throughput update and keeps the old figures.
 * pcf must not work around that: it sends the update once, sees nothing
 * changed, and stops with an error naming the field, instead of sending
 * the same request again and again.
 */
Test(table_converge, dynoxide_index_throughput_update_ignored_is_reported_once)
{
	fixture f;
	pcf_error err = PCF_ERROR_INIT;
	const pcf_particle_report *r;
	int before;
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "gsitp");
	fx_load(&f, VARIANT_LOCAL(""), f.table, 5, 5, 1, 1);
	fx_apply_ok(&f, NULL);
	fx_load(&f, VARIANT_LOCAL(""), f.table, 5, 5, 2, 1);
	before = f.counts.mutating;
	cr_assert_lt(fx_engine(&f, pcf_engine_apply, NULL, &err), 0);
	r = &f.report->particles[0];
	cr_assert_eq(r->outcome, PCF_OUTCOME_FAILED);
	cr_assert_not_null(strstr(r->error.message, "GlobalSecondaryIndexes[by_email]."
	                                            "ProvisionedThroughput.ReadCapacityUnits "
	                                            "unchanged; not repeating it"),
	                   "%s", r->error.message);
	cr_assert_eq(f.counts.mutating - before, 1, "one UpdateTable, not repeated");
	fx_cleanup(&f);
}

#define TWO_INDEXES(projection)                                                                    \
	HEAD "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, "                    \
	     "{AttributeName: g, AttributeType: S}, {AttributeName: h, AttributeType: N}]\n"       \
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                 \
	     "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"            \
	     "  GlobalSecondaryIndexes:\n"                                                         \
	     "    - {IndexName: by_g, KeySchema: [{AttributeName: g, KeyType: HASH}], "            \
	     "Projection: {ProjectionType: ALL}, ProvisionedThroughput: {ReadCapacityUnits: 1, "   \
	     "WriteCapacityUnits: 1}}\n"                                                           \
	     "    - {IndexName: by_h, KeySchema: [{AttributeName: h, KeyType: HASH}], "            \
	     "Projection: {ProjectionType: " projection "}, ProvisionedThroughput: "               \
	     "{ReadCapacityUnits: 1, WriteCapacityUnits: 1}}\n"

#define ONLY_BY_H                                                                                  \
	HEAD "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, "                    \
	     "{AttributeName: h, AttributeType: N}]\n"                                             \
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"                                 \
	     "  ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"            \
	     "  GlobalSecondaryIndexes:\n"                                                         \
	     "    - {IndexName: by_h, KeySchema: [{AttributeName: h, KeyType: HASH}], "            \
	     "Projection: {ProjectionType: KEYS_ONLY}, ProvisionedThroughput: "                    \
	     "{ReadCapacityUnits: 1, WriteCapacityUnits: 1}}\n"

/* moto creates and deletes indexes (ACTIVE at once); dynoxide describes an
 * index created by UpdateTable with 0/0 throughput. */
Test(table_converge, moto_index_create_and_recreate)
{
	fixture f;
	cJSON *t;
	fx_init(&f, PCF_LOCAL_MOTO, "gsi");
	fx_load(&f, MINIMAL, f.table);
	fx_apply_ok(&f, NULL);
	fx_load(&f, TWO_INDEXES("ALL"), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 2, "one create per index");
	t = fx_describe(&f);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(t, "GlobalSecondaryIndexes")), 2);
	cJSON_Delete(t);
	fx_load(&f, TWO_INDEXES("KEYS_ONLY"), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 2, "delete, then create");
	t = fx_describe(&f);
	const cJSON *ix;
	cJSON_ArrayForEach(
	    ix, cJSON_GetObjectItem(
	            t, "GlobalSecondaryIndexes")) if (!strcmp(fx_string(ix, "IndexName"), "by_h"))
	    cr_assert_str_eq(fx_string(ix, "Projection.ProjectionType"), "KEYS_ONLY");
	cJSON_Delete(t);
	/* A definition that lists indexes lists all of them: by_g goes. */
	fx_load(&f, ONLY_BY_H, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "one delete");
	t = fx_describe(&f);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(t, "GlobalSecondaryIndexes")), 1);
	cr_assert_str_eq(
	    fx_string(cJSON_GetArrayItem(cJSON_GetObjectItem(t, "GlobalSecondaryIndexes"), 0),
	              "IndexName"),
	    "by_h");
	cJSON_Delete(t);
	/* One without GlobalSecondaryIndexes leaves the table's indexes alone. */
	fx_load(&f, MINIMAL, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_cleanup(&f);
}

#define BILLING(mode_and_throughput, index_throughput)                                             \
	HEAD "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}, "                    \
	     "{AttributeName: g, AttributeType: S}]\n"                                             \
	     "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n" mode_and_throughput             \
	     "  GlobalSecondaryIndexes:\n"                                                         \
	     "    - {IndexName: by_g, KeySchema: [{AttributeName: g, KeyType: HASH}], "            \
	     "Projection: {ProjectionType: ALL}" index_throughput "}\n"

#define ON_DEMAND BILLING("  BillingMode: PAY_PER_REQUEST\n", "")
#define PROVISIONED                                                                                \
	BILLING("  BillingMode: PROVISIONED\n"                                                     \
	        "  ProvisionedThroughput: {ReadCapacityUnits: 3, WriteCapacityUnits: 2}\n",        \
	        ", ProvisionedThroughput: {ReadCapacityUnits: 4, WriteCapacityUnits: 1}")

static void billing_both_ways(pcf_local_server_kind kind)
{
	fixture f;
	cJSON *t;
	fx_init(&f, kind, "bill");
	fx_load(&f, ON_DEMAND, f.table);
	fx_apply_ok(&f, NULL);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "on-demand: no throughput re-sent");
	fx_load(&f, PROVISIONED, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "one call carries table and index throughput");
	t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.ReadCapacityUnits"), 3);
	cr_assert_eq(
	    fx_number(t, "GlobalSecondaryIndexes.0.ProvisionedThroughput.ReadCapacityUnits"), 4);
	cJSON_Delete(t);
	assert_in_sync(&f);
	fx_load(&f, ON_DEMAND, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	assert_in_sync(&f);
	fx_cleanup(&f);
}

/* The switch to PROVISIONED carries index throughput, which dynoxide ignores. */
Test(table_converge, moto_billing_mode_both_ways)
{
	billing_both_ways(PCF_LOCAL_MOTO);
}

Test(table_converge, dynalite_billing_mode_both_ways)
{
	billing_both_ways(PCF_LOCAL_DYNALITE);
}

static void tags_added_and_removed(pcf_local_server_kind kind)
{
	fixture f;
	cJSON *tags = NULL;
	cJSON *t;
	fx_init(&f, kind, "tags");
	fx_load(&f, MINIMAL "  Tags: [{Key: a, Value: '1'}, {Key: b, Value: '2'}]\n", f.table);
	fx_apply_ok(&f, NULL);
	fx_load(&f, MINIMAL "  Tags: [{Key: a, Value: '9'}, {Key: c, Value: '3'}]\n", f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 2, "one TagResource, one UntagResource");
	t = fx_describe(&f);
	cr_assert_eq(pcf_ddb_list_tags_of_resource(&tags, f.db, fx_string(t, "TableArn"), NULL), 0);
	cr_assert_eq(cJSON_GetArraySize(tags), 2);
	char *text = cJSON_PrintUnformatted(tags);
	cr_assert(strstr(text, "\"9\"") && strstr(text, "\"c\"") && !strstr(text, "\"b\""), "%s",
	          text);
	cJSON_free(text);
	cJSON_Delete(tags);
	cJSON_Delete(t);
	fx_cleanup(&f);
}

IT_TABLE_SERVERS_TEST(table_converge, tags_added_and_removed)
{
	tags_added_and_removed(*kind);
}

/* Table throughput, stream, TTL and deletion protection in one apply, and
 * with index_read != 2 an index throughput change too. */
static void several_steps(pcf_local_server_kind kind, int index_read, int steps)
{
	fixture f;
	cJSON *t;
	fx_init(&f, kind, "many");
	fx_load(
	    &f,
	    VARIANT_LOCAL(
	        "  StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_AND_OLD_IMAGES}\n"
	        "  TimeToLiveSpecification: {Enabled: true, AttributeName: expires_at}\n"),
	    f.table, 5, 4, 2, 3);
	fx_apply_ok(&f, NULL);
	fx_load(&f,
	        VARIANT_LOCAL("  StreamSpecification: {StreamEnabled: false}\n"
	                      "  TimeToLiveSpecification: {Enabled: false}\n"
	                      "  DeletionProtectionEnabled: true\n"),
	        f.table, 7, 4, index_read, 3);
	cr_assert_eq(fx_apply_ok(&f, NULL), steps);
	t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.ReadCapacityUnits"), 7);
	cr_assert_eq(
	    fx_number(t, "GlobalSecondaryIndexes.0.ProvisionedThroughput.ReadCapacityUnits"),
	    index_read);
	const cJSON *stream = cJSON_GetObjectItem(t, "StreamSpecification");
	cr_assert(stream == NULL || cJSON_IsFalse(cJSON_GetObjectItem(stream, "StreamEnabled")),
	          "the stream is off");
	cJSON_Delete(t);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_load(&f, VARIANT_LOCAL("  DeletionProtectionEnabled: false\n"), f.table, 7, 4,
	        index_read, 3);
	fx_apply_ok(&f, NULL);
	fx_cleanup(&f);
}

/* On dynoxide the index throughput stays: it would ignore its update. */
static server_case several_step_cases[] = {{PCF_LOCAL_DYNOXIDE, 2, 4}, {PCF_LOCAL_MOTO, 3, 5}};

SERVER_CASES_TEST(several_steps_at_once, several_step_cases, several_steps)

Test(table_converge, dynalite_several_steps_at_once)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_DYNALITE, "many");
	fx_load(&f, FULL_DYNALITE, f.table, 5, 4, 2, 3);
	fx_apply_ok(&f, NULL);
	fx_load(&f, HEAD KEYS PROVISIONED_GSI "  Tags: [{Key: team, Value: data}]\n", f.table, 6, 5,
	        3, 3);
	cr_assert_eq(fx_apply_ok(&f, NULL), 4, "table, index, tag set, tag removed");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_cleanup(&f);
}

static void out_of_band(pcf_local_server_kind kind)
{
	fixture f;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *answer = NULL, *t;
	fx_init(&f, kind, "oob");
	fx_load(&f, MINIMAL, f.table);
	fx_apply_ok(&f, NULL);
	cJSON *req = cJSON_Parse("{\"ProvisionedThroughput\":{\"ReadCapacityUnits\":9,"
	                         "\"WriteCapacityUnits\":1}}");
	cJSON_AddStringToObject(req, "TableName", f.table);
	cr_assert_eq(pcf_ddb_update_table(&answer, f.db, req, &err), 0, "%s", err.message);
	cJSON_Delete(answer);
	cJSON_Delete(req);
	cr_assert_eq(pcf_ddb_wait_table(NULL, f.db, f.table, PCF_DDB_TABLE_ACTIVE, 50, 30000, &err),
	             0);

	const pcf_particle_report *r = fx_status(&f);
	cr_assert_eq(r->outcome, PCF_OUTCOME_CHANGES);
	cr_assert_eq(r->drift.count, 1);
	cr_assert_str_eq(r->drift.entries[0].path, "ProvisionedThroughput.ReadCapacityUnits");
	cr_assert_eq(r->drift.entries[0].current->valuedouble, 9);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.ReadCapacityUnits"), 1);
	cJSON_Delete(t);
	assert_in_sync(&f);
	fx_cleanup(&f);
}

IT_TABLE_SERVERS_TEST(table_converge, out_of_band_change_is_seen_and_undone)
{
	out_of_band(*kind);
}

static void unsupported(pcf_local_server_kind kind, const char *extra, const char *expect)
{
	fixture f;
	pcf_error err = PCF_ERROR_INIT;
	char yaml[2048];
	fx_init(&f, kind, "unsup");
	snprintf(yaml, sizeof(yaml), "%s%s", MINIMAL, extra);
	fx_load(&f, yaml, f.table);
	cr_assert_lt(fx_engine(&f, pcf_engine_apply, NULL, &err), 0);
	cr_assert_eq(f.report->particles[0].outcome, PCF_OUTCOME_FAILED);
	cr_assert(strstr(f.report->particles[0].error.message, expect) != NULL, "%s",
	          f.report->particles[0].error.message);
	fx_cleanup(&f);
}

/* A server without tagging: test_table_fake.c (every open server tags). */
IT_TABLE_SERVERS_TEST(table_converge, pitr_in_the_definition_fails_clearly)
{
	unsupported(*kind,
	            "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}\n",
	            "does not support point-in-time recovery");
}

/* dynalite holding CREATING / UPDATING / DELETING like the service: the
 * engine must wait for ACTIVE between steps, or UpdateTable is refused. */
Test(table_converge, dynalite_with_held_statuses_waits_between_steps)
{
	pcf_local_server server;
	fixture f;
	static const fx_run terminate_yes = {1, 0, 1, PCF_DESIRED_TERMINATED};
	pcf_test_dynalite_holding(&server, 300, 300, 300);
	fx_init_at(&f, PCF_LOCAL_DYNALITE, server.endpoint, "held");
	fx_load(&f, FULL_DYNALITE, f.table, 5, 4, 2, 3);
	fx_apply_ok(&f, NULL);
	fx_load(&f, HEAD KEYS PROVISIONED_GSI "  Tags: [{Key: team, Value: data}]\n", f.table, 6, 5,
	        3, 3);
	cr_assert_eq(fx_apply_ok(&f, NULL), 4, "table, index, tag set, tag removed");
	cJSON *t = fx_describe(&f);
	cr_assert_str_eq(fx_string(t, "TableStatus"), "ACTIVE");
	cr_assert_eq(
	    fx_number(t, "GlobalSecondaryIndexes.0.ProvisionedThroughput.ReadCapacityUnits"), 3);
	cJSON_Delete(t);
	cr_assert_eq(fx_apply_ok(&f, &terminate_yes), 1);
	cr_assert(!fx_exists(&f), "the engine waited through DELETING");
	fx_cleanup(&f);
	pcf_local_server_stop(&server);
}
