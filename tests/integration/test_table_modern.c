/*
 * The 2026 table settings through the engine against local servers: each
 * is created with the table, left alone by a second apply (no mutating
 * call), changed, removed, and exported so that the export is in sync
 * with the table it came from.
 *
 * Which server shows what (DESIGN.md's server table):
 * - moto: PITR with RecoveryPeriodInDays, resource policies, warm
 *   throughput. Moto keeps no ResourcePolicy given to CreateTable, so the
 *   first apply there puts it with PutResourcePolicy after CreateTable
 *   (its second read sees none); the test checks the outcome, not that
 *   count.
 * - dynoxide: on-demand throughput of the table (it describes no cap of an
 *   index, which the unit tests cover), and a server without resource
 *   policies.
 */
#include "cli_run.h"
#include "test_table_fixture.h"

#define HEAD                                                                                       \
	FX_TABLE_T                                                                                 \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

#define ON_DEMAND HEAD "  BillingMode: PAY_PER_REQUEST\n"

#define PROVISIONED                                                                                \
	HEAD "  ProvisionedThroughput: {ReadCapacityUnits: %d, WriteCapacityUnits: %d}\n"

static void assert_in_sync(fixture *f)
{
	const pcf_particle_report *r = fx_status(f);
	cr_assert_eq(r->drift.count, 0, "drift at %s",
	             r->drift.count ? r->drift.entries[0].path : "");
	cr_assert_eq(r->outcome, PCF_OUTCOME_IN_SYNC);
}

/* The live table's number at path is want. */
static void assert_live_number(fixture *f, const char *path, double want)
{
	cJSON *t = fx_describe(f);
	cr_assert_eq(fx_number(t, path), want, "%s", path);
	cJSON_Delete(t);
}

/* The export of the fixture's table loaded as its definition: must be in sync. */
static void assert_export_in_sync(fixture *f, const char *must_hold)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *particle = NULL;
	char *text;

	cr_assert_eq(pcf_table_export(&particle, f->services, f->table, NULL, &err), 0, "%s",
	             err.message);
	cJSON_ReplaceItemInObject(particle, "pcf_name", cJSON_CreateString("t"));
	text = cJSON_Print(particle);
	cr_log_info("export: %s", text);
	cr_assert_not_null(strstr(text, must_hold), "the export lacks %s", must_hold);
	fx_load(f, "%s", text); /* JSON is YAML */
	assert_in_sync(f);
	cr_assert_eq(fx_apply_ok(f, NULL), 0, "applying the export sent %s",
	             f->counts.last_mutating);
	cJSON_free(text);
	cJSON_Delete(particle);
}

static cJSON *backups(fixture *f)
{
	cJSON *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_describe_continuous_backups(&out, f->db, f->table, &err), 0, "%s",
	             err.message);
	return out;
}

#define PITR(on, days)                                                                             \
	"  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: " #on                    \
	", RecoveryPeriodInDays: " #days "}\n"

Test(table_modern, moto_pitr_recovery_period)
{
	fixture f;
	cJSON *b;
	fx_init(&f, PCF_LOCAL_MOTO, "pitr");
	fx_load(&f, PROVISIONED PITR(true, 7), f.table, 1, 1);
	fx_apply_ok(&f, NULL);
	b = backups(&f);
	cr_assert_eq(fx_number(b, "PointInTimeRecoveryDescription.RecoveryPeriodInDays"), 7);
	cJSON_Delete(b);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);

	fx_load(&f, PROVISIONED PITR(true, 21), f.table, 1, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	b = backups(&f);
	cr_assert_eq(fx_number(b, "PointInTimeRecoveryDescription.RecoveryPeriodInDays"), 21);
	cJSON_Delete(b);
	assert_export_in_sync(&f, "\"RecoveryPeriodInDays\":\t21");

	fx_load(&f,
	        PROVISIONED "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: "
	                    "false}\n",
	        f.table, 1, 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	b = backups(&f);
	cr_assert_str_eq(fx_string(b, "PointInTimeRecoveryDescription.PointInTimeRecoveryStatus"),
	                 "DISABLED");
	cJSON_Delete(b);
	fx_cleanup(&f);
}

/* The live policy document through GetResourcePolicy, JSON null for none. */
static cJSON *live_policy(fixture *f)
{
	cJSON *desc = fx_describe(f), *req = cJSON_CreateObject(), *answer = NULL, *doc;
	pcf_error err = PCF_ERROR_INIT;
	int rc;
	cJSON_AddStringToObject(req, "ResourceArn", fx_string(desc, "TableArn"));
	rc = pcf_ddb_execute(&answer, f->db, "GetResourcePolicy", req, &err);
	cJSON_Delete(req);
	cJSON_Delete(desc);
	if (rc == PCF_EPOLICY_NOT_FOUND)
		return cJSON_CreateNull();
	cr_assert_eq(rc, 0, "%s", err.message);
	doc = cJSON_Parse(fx_string(answer, "Policy"));
	cr_assert_not_null(doc);
	cJSON_Delete(answer);
	return doc;
}

#define POLICY(action)                                                                             \
	"  ResourcePolicy:\n"                                                                      \
	"    Version: \"2012-10-17\"\n"                                                            \
	"    Statement:\n"                                                                         \
	"      - Effect: Allow\n"                                                                  \
	"        Principal: {AWS: \"arn:aws:iam::123456789012:root\"}\n"                           \
	"        Action: \"dynamodb:" action "\"\n"                                                \
	"        Resource: \"*\"\n"

Test(table_modern, moto_resource_policy)
{
	fixture f;
	cJSON *p;
	fx_init(&f, PCF_LOCAL_MOTO, "policy");
	fx_load(&f, ON_DEMAND POLICY("GetItem"), f.table);
	fx_apply_ok(&f, NULL);
	p = live_policy(&f);
	cr_assert_str_eq(fx_string(p, "Statement.0.Action"), "dynamodb:GetItem");
	cJSON_Delete(p);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);

	/* The same document as a JSON string, members in another order: in sync. */
	fx_load(&f,
	        ON_DEMAND "  ResourcePolicy: '{\"Statement\": [{\"Resource\": \"*\", \"Action\": "
	                  "\"dynamodb:GetItem\", \"Principal\": {\"AWS\": "
	                  "\"arn:aws:iam::123456789012:root\"}, \"Effect\": \"Allow\"}], "
	                  "\"Version\": \"2012-10-17\"}'\n",
	        f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);

	fx_load(&f, ON_DEMAND POLICY("Query"), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	cr_assert_str_eq(f.counts.last_mutating, "PutResourcePolicy");
	p = live_policy(&f);
	cr_assert_str_eq(fx_string(p, "Statement.0.Action"), "dynamodb:Query");
	cJSON_Delete(p);
	assert_export_in_sync(&f, "dynamodb:Query");

	/* No key: someone else's policy, never read. */
	fx_load(&f, ON_DEMAND, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_load(&f, ON_DEMAND "  ResourcePolicy: null\n", f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	cr_assert_str_eq(f.counts.last_mutating, "DeleteResourcePolicy");
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	p = live_policy(&f);
	cr_assert(cJSON_IsNull(p));
	cJSON_Delete(p);
	fx_cleanup(&f);
}

/* A server without resource policies: none asked for is fine; one asked for is named. */
Test(table_modern, dynoxide_has_no_resource_policies)
{
	fixture f;
	pcf_error err = PCF_ERROR_INIT;
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "nopolicy");
	fx_load(&f, ON_DEMAND "  ResourcePolicy: null\n", f.table);
	fx_apply_ok(&f, NULL);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_load(&f, ON_DEMAND POLICY("GetItem"), f.table);
	cr_assert_neq(fx_engine(&f, pcf_engine_apply, NULL, &err), 0);
	cr_assert_not_null(strstr(f.report->particles[0].error.message, "ResourcePolicy"), "%s",
	                   f.report->particles[0].error.message);
	fx_cleanup(&f);
}

#define WARM(r, w) "  WarmThroughput: {ReadUnitsPerSecond: " #r ", WriteUnitsPerSecond: " #w "}\n"

static void raise_warm_behind_pcf(fixture *f, int read)
{
	cJSON *req = cJSON_CreateObject(), *answer = NULL, *warm;
	pcf_error err = PCF_ERROR_INIT;
	cJSON_AddStringToObject(req, "TableName", f->table);
	warm = cJSON_AddObjectToObject(req, "WarmThroughput");
	/* Both members: moto replaces the whole setting. */
	cJSON_AddNumberToObject(warm, "ReadUnitsPerSecond", read);
	cJSON_AddNumberToObject(warm, "WriteUnitsPerSecond", 5000);
	cr_assert_eq(pcf_ddb_update_table(&answer, f->db, req, &err), 0, "%s", err.message);
	cJSON_Delete(answer);
	cJSON_Delete(req);
}

Test(table_modern, moto_warm_throughput)
{
	fixture f;
	fx_init(&f, PCF_LOCAL_MOTO, "warm");
	fx_load(&f, ON_DEMAND WARM(13000, 5000), f.table);
	fx_apply_ok(&f, NULL);
	assert_live_number(&f, "WarmThroughput.ReadUnitsPerSecond", 13000);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);

	fx_load(&f, ON_DEMAND WARM(14000, 5000), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	assert_live_number(&f, "WarmThroughput.ReadUnitsPerSecond", 14000);

	/* The service raised it by itself: above the floor is in sync, and a
	 * definition below the live value asks for nothing. */
	raise_warm_behind_pcf(&f, 20000);
	assert_in_sync(&f);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_load(&f, ON_DEMAND WARM(12000, 4000), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	assert_live_number(&f, "WarmThroughput.ReadUnitsPerSecond", 20000);
	assert_export_in_sync(&f, "\"ReadUnitsPerSecond\":\t20000");
	fx_load(&f, ON_DEMAND, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "no key: the floor is left as it is");
	fx_cleanup(&f);
}

/* As a user sees it through the CLI: a floor below the live one is a note
 * on stderr, never a step, and the plan has nothing to do. */
Test(table_modern, moto_warm_decrease_is_a_note_in_plan)
{
	const char *ep = pcf_test_endpoint(PCF_LOCAL_MOTO);
	char dir[256], path[512], yaml[1024];
	const char *apply[] = {"--endpoint", ep, "-f", path, "apply", NULL};
	const char *plan[] = {"--endpoint", ep, "-f", path, "plan", NULL};
	fixture f;
	cli_result r;
	cJSON *t;

	fx_init(&f, PCF_LOCAL_MOTO, "warmnote");
	/* Moto refuses a floor below an on-demand table's initial 12000 / 4000. */
	snprintf(yaml, sizeof(yaml), ON_DEMAND WARM(13000, 5000), f.table);
	cli_tempdir(dir, sizeof(dir));
	cli_write(path, sizeof(path), dir, "t.yaml", yaml);
	cli_expect(&r, 0, apply);
	cli_result_free(&r);
	raise_warm_behind_pcf(&f, 15000);

	cli_expect(&r, 0, plan);
	cr_assert_not_null(strstr(r.err,
	                          "WarmThroughput.ReadUnitsPerSecond 13000 is below the live "
	                          "15000: DynamoDB never lowers warm throughput; nothing to do"),
	                   "%s", r.err);
	cr_assert_null(strstr(r.out, "UpdateTable"), "%s", r.out);
	cli_result_free(&r);
	cli_expect(&r, 0, apply);
	cli_result_free(&r);
	t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "WarmThroughput.ReadUnitsPerSecond"), 15000);
	cJSON_Delete(t);
	cli_rmdir(dir);
	fx_cleanup(&f);
}

#define CAP(r, w)                                                                                  \
	"  OnDemandThroughput: {MaxReadRequestUnits: " #r ", MaxWriteRequestUnits: " #w "}\n"

Test(table_modern, dynoxide_on_demand_throughput)
{
	fixture f;
	cJSON *t;
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "cap");
	fx_load(&f, ON_DEMAND CAP(100, 200), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "CreateTable carries the cap");
	assert_live_number(&f, "OnDemandThroughput.MaxReadRequestUnits", 100);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);

	fx_load(&f, ON_DEMAND CAP(100, 50), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "OnDemandThroughput.MaxReadRequestUnits"), 100,
	             "both members sent");
	cr_assert_eq(fx_number(t, "OnDemandThroughput.MaxWriteRequestUnits"), 50);
	cJSON_Delete(t);
	assert_export_in_sync(&f, "\"MaxWriteRequestUnits\":\t50");

	/* No limit again: -1. */
	fx_load(&f, ON_DEMAND CAP(-1, -1), f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_load(&f, ON_DEMAND, f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);
	fx_cleanup(&f);
}

/* Capacity managed elsewhere: a change behind pcf's back is not drift. */
Test(table_modern, dynoxide_ignore_changes)
{
	fixture f;
	cJSON *req = NULL, *answer = NULL;
	pcf_error err = PCF_ERROR_INIT;
	fx_init(&f, PCF_LOCAL_DYNOXIDE, "ignore");
	fx_load(&f, PROVISIONED "ignore_changes: [ProvisionedThroughput.ReadCapacityUnits]\n",
	        f.table, 1, 1);
	fx_apply_ok(&f, NULL);
	req = cJSON_Parse("{\"ProvisionedThroughput\":{\"ReadCapacityUnits\":7,"
	                  "\"WriteCapacityUnits\":1}}");
	cJSON_AddStringToObject(req, "TableName", f.table);
	cr_assert_eq(pcf_ddb_update_table(&answer, f.db, req, &err), 0, "%s", err.message);
	cJSON_Delete(answer);
	cJSON_Delete(req);
	assert_in_sync(&f);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0);

	/* The member not ignored still converges, and alone: read stays 7. */
	fx_load(&f, PROVISIONED "ignore_changes: [ProvisionedThroughput.ReadCapacityUnits]\n",
	        f.table, 1, 2);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	cJSON *t = fx_describe(&f);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.ReadCapacityUnits"), 7);
	cr_assert_eq(fx_number(t, "ProvisionedThroughput.WriteCapacityUnits"), 2);
	cJSON_Delete(t);
	/* Without ignore_changes the definition wins again. */
	fx_load(&f, PROVISIONED, f.table, 1, 2);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1);
	fx_cleanup(&f);
}

/* A global index keyed by two HASH attributes and two RANGE ones. */
Test(table_modern, moto_multi_attribute_index_key)
{
	fixture f;
	cJSON *t;
	fx_init(&f, PCF_LOCAL_MOTO, "multikey");
	fx_load(&f,
	        FX_TABLE_T "  BillingMode: PAY_PER_REQUEST\n"
	                   "  AttributeDefinitions:\n"
	                   "    - {AttributeName: id, AttributeType: S}\n"
	                   "    - {AttributeName: tenant, AttributeType: S}\n"
	                   "    - {AttributeName: region, AttributeType: S}\n"
	                   "    - {AttributeName: day, AttributeType: S}\n"
	                   "    - {AttributeName: seq, AttributeType: N}\n"
	                   "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	                   "  GlobalSecondaryIndexes:\n"
	                   "    - IndexName: by_tenant_region\n"
	                   "      KeySchema:\n"
	                   "        - {AttributeName: tenant, KeyType: HASH}\n"
	                   "        - {AttributeName: region, KeyType: HASH}\n"
	                   "        - {AttributeName: day, KeyType: RANGE}\n"
	                   "        - {AttributeName: seq, KeyType: RANGE}\n"
	                   "      Projection: {ProjectionType: KEYS_ONLY}\n",
	        f.table);
	cr_assert_eq(fx_apply_ok(&f, NULL), 1, "CreateTable");
	t = fx_describe(&f);
	cr_assert_eq(cJSON_GetArraySize(fx_at(t, "GlobalSecondaryIndexes.0.KeySchema")), 4);
	cJSON_Delete(t);
	cr_assert_eq(fx_apply_ok(&f, NULL), 0, "the second apply sent %s", f.counts.last_mutating);
	assert_export_in_sync(&f, "by_tenant_region");
	fx_cleanup(&f);
}
