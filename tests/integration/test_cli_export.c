/*
 * pcf export, tables and item against dynoxide and dynalite, and the
 * timed-out exit status against a dynalite that holds tables CREATING
 * (started by that test itself: only dynalite holds a status, and only
 * for the time it was started with).
 *
 * The export round trip: a table made from hand-written definitions
 * (composite key, LSI, GSI, and TTL and a stream where the server has
 * them) is exported; the export validates, shows in sync against the
 * live table, and applied under a new name makes a table whose own export
 * is the same text apart from the name. That is "identical tables" as far
 * as DescribeTable can tell.
 */
#include "cli_run.h"
#include "it_cli.h"
#include <criterion/parameterized.h>
#include "it_servers.h"
#include "servers.h"

#include <pcf/pcf.h>

static const char gsi_yaml[] =
    "pcf_name: %s\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: %s\n"
    "  AttributeDefinitions:\n"
    "    - {AttributeName: id, AttributeType: S}\n"
    "    - {AttributeName: email, AttributeType: S}\n"
    "  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
    "  BillingMode: PROVISIONED\n"
    "  ProvisionedThroughput: {ReadCapacityUnits: 3, WriteCapacityUnits: 2}\n"
    "  GlobalSecondaryIndexes:\n"
    "    - IndexName: by_email\n"
    "      KeySchema: [{AttributeName: email, KeyType: HASH}]\n"
    "      Projection: {ProjectionType: ALL}\n"
    "      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}\n"
    "%s";

/* The round trip's table: composite key, an LSI with INCLUDE, a GSI, on demand. */
static const char rich_yaml[] =
    "pcf_name: %s\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: %s\n"
    "  AttributeDefinitions:\n"
    "    - {AttributeName: pk, AttributeType: S}\n"
    "    - {AttributeName: sk, AttributeType: S}\n"
    "    - {AttributeName: rank, AttributeType: N}\n"
    "    - {AttributeName: tag, AttributeType: B}\n"
    "  KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: sk, KeyType: RANGE}]\n"
    "  BillingMode: PAY_PER_REQUEST\n"
    "  LocalSecondaryIndexes:\n"
    "    - IndexName: by_rank\n"
    "      KeySchema: [{AttributeName: pk, KeyType: HASH}, {AttributeName: rank, KeyType: RANGE}]\n"
    "      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [title, price]}\n"
    "  GlobalSecondaryIndexes:\n"
    "    - IndexName: by_tag\n"
    "      KeySchema: [{AttributeName: tag, KeyType: HASH}]\n"
    "      Projection: {ProjectionType: KEYS_ONLY}\n"
    "%s";

/* What dynoxide shows and dynalite lacks: TTL and streams. */
static const char dynoxide_yaml[] =
    "  TimeToLiveSpecification: {Enabled: true, AttributeName: expires_at}\n"
    "  StreamSpecification: {StreamEnabled: true, StreamViewType: NEW_IMAGE}\n";

/* Replaces every occurrence of from with to (same length) in text. */
static void rename_in(char *text, const char *from, const char *to)
{
	size_t n = strlen(from);
	char *at;

	cr_assert_eq(strlen(to), n);
	for (at = strstr(text, from); at; at = strstr(at + n, from))
		memcpy(at, to, n);
}

static void run_in(cli_result *r, int status, const char *endpoint, const char *path,
                   const char *w1, const char *w2, const char *w3)
{
	const char *with_file[] = {"--endpoint", endpoint, "-f", path, w1, w2, w3, NULL};
	const char *without[] = {"--endpoint", endpoint, w1, w2, w3, NULL};

	cli_expect(r, status, path ? with_file : without);
}

/* Writes text as dir/pcf.yml (its path into path), applies it, and leaves
 * in r the export of table. */
static void apply_then_export(cli_result *r, char *path, size_t size, const char *endpoint,
                              const char *dir, const char *text, const char *table)
{
	cli_write(path, size, dir, "pcf.yml", text);
	run_in(r, 0, endpoint, path, "apply", NULL, NULL);
	cli_result_free(r);
	run_in(r, 0, endpoint, NULL, "export", table, NULL);
}

IT_TABLE_SERVERS_TEST(cli_export, round_trip)
{
	const char *endpoint = pcf_test_endpoint(*kind);
	char dir[256], path[600], exported[600], copy[600], t1[96], t2[96], text[2048];
	char *first_export;
	cli_result r;

	cli_tempdir(dir, sizeof(dir));
	pcf_test_table_name(t1, sizeof(t1), "cli-exp");
	snprintf(t2, sizeof(t2), "%s", t1);
	t2[4] = 'X'; /* "cli-Xxp-...": same length, another table */
	snprintf(text, sizeof(text), rich_yaml, t1, t1,
	         *kind == PCF_LOCAL_DYNOXIDE ? dynoxide_yaml : "");
	apply_then_export(&r, path, sizeof(path), endpoint, dir, text, t1);
	cr_assert_not_null(strstr(r.out, "by_tag"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "by_rank"), "%s", r.out);
	if (*kind == PCF_LOCAL_DYNOXIDE) {
		cr_assert_not_null(strstr(r.out, "expires_at"), "%s", r.out);
		cr_assert_not_null(strstr(r.out, "NEW_IMAGE"), "%s", r.out);
	}
	first_export = r.out;
	r.out = NULL;
	cli_result_free(&r);
	cli_write(exported, sizeof(exported), dir, "exported.yml", first_export);
	run_in(&r, 0, endpoint, exported, "validate", NULL, NULL);
	cli_result_free(&r);
	run_in(&r, 0, endpoint, exported, "status", NULL, NULL);
	cli_result_free(&r);

	/* The same definition under another name makes an identical table. */
	rename_in(first_export, t1, t2);
	cli_write(copy, sizeof(copy), dir, "copy.yml", first_export);
	run_in(&r, 0, endpoint, copy, "apply", NULL, NULL);
	cli_result_free(&r);
	run_in(&r, 0, endpoint, NULL, "export", t2, NULL);
	cr_assert_str_eq(r.out, first_export, "export of the copy differs");
	cli_result_free(&r);

	run_in(&r, 0, endpoint, NULL, "tables", "-o", "json");
	cr_assert_not_null(strstr(r.out, t1), "%s", r.out);
	cr_assert_not_null(strstr(r.out, t2), "%s", r.out);
	cJSON_Delete(cli_json(&r));
	cli_result_free(&r);
	run_in(&r, 0, endpoint, copy, "terminate", "--yes", NULL);
	cli_result_free(&r);
	run_in(&r, 0, endpoint, path, "terminate", "--yes", NULL);
	cli_result_free(&r);
	free(first_export);
	cli_rmdir(dir);
}

IT_TABLE_SERVERS_TEST(cli_export, items)
{
	const char *endpoint = pcf_test_endpoint(*kind);
	const char *item = "{\"id\":\"a1\",\"n\":3,\"tags\":[\"x\",\"y\"],\"ok\":true}";
	char dir[256], path[600], table[96], text[2048];
	cli_result r;
	cJSON *doc, *want;

	cli_tempdir(dir, sizeof(dir));
	pcf_test_table_name(table, sizeof(table), "cli-item");
	snprintf(text, sizeof(text), gsi_yaml, "store", table, "");
	cli_write(path, sizeof(path), dir, "pcf.yml", text);
	run_in(&r, 0, endpoint, path, "apply", NULL, NULL);
	cli_result_free(&r);
	{
		const char *put[] = {"--endpoint", endpoint, "-f",     path, "item",
		                     "put",        "store",  "--item", item, NULL};
		const char *get[] = {"--endpoint", endpoint, "-f",
		                     path,         "item",   "get",
		                     "store",      "--key",  "{\"id\":{\"S\":\"a1\"}}",
		                     NULL};
		const char *del[] = {"--endpoint", endpoint, "-f",    path,
		                     "item",       "delete", "store", "--key={\"id\":\"a1\"}",
		                     "-o",         "json",   NULL};

		cli_expect(&r, 0, put);
		cr_assert_str_eq(r.out, "");
		cli_result_free(&r);
		cli_expect(&r, 0, get);
		doc = cli_json(&r);
		want = cJSON_Parse(item);
		cr_assert(cJSON_Compare(doc, want, 1), "got %s", r.out);
		cJSON_Delete(doc);
		cJSON_Delete(want);
		cli_result_free(&r);
		cli_expect(&r, 0, del);
		doc = cli_json(&r);
		cr_assert_str_eq(
		    cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "old_item"), "id")->valuestring,
		    "a1", "%s", r.out);
		cJSON_Delete(doc);
		cli_result_free(&r);
		cli_expect(&r, 1, get);
		cr_assert_not_null(strstr(r.err, "no item"), "%s", r.err);
		cli_result_free(&r);
	}
	run_in(&r, 0, endpoint, path, "terminate", "--yes", NULL);
	cli_result_free(&r);
	cli_rmdir(dir);
}

Test(cli_export, missing_table_is_named)
{
	const char *args[] = {"--endpoint", pcf_test_endpoint(PCF_LOCAL_DYNOXIDE), "export",
	                      "cli-no-such-table", NULL};

	it_expect_err_only(1, args, "cli-no-such-table");
}

/*
 * A private dynalite that holds new tables CREATING for 4 s: apply with
 * --timeout 1 stops waiting and exits 3; `export` with no names then
 * exports every table of this server (only ours), and `tables` lists it.
 */
Test(cli_export, timeout_and_export_everything)
{
	pcf_local_server server;
	char dir[256], path[600], table[96], text[2048];
	cli_result r;

	pcf_test_dynalite_holding(&server, 4000, 0, 0);
	cli_tempdir(dir, sizeof(dir));
	pcf_test_table_name(table, sizeof(table), "cli-slow");
	snprintf(text, sizeof(text), gsi_yaml, table, table, "");
	cli_write(path, sizeof(path), dir, "pcf.yml", text);
	run_in(&r, 3, server.endpoint, path, "apply", "--timeout", "1");
	cr_assert_not_null(strstr(r.err, "timed out"), "%s", r.err);
	cli_result_free(&r);
	run_in(&r, 0, server.endpoint, path, "apply", NULL, NULL);
	cli_result_free(&r);
	run_in(&r, 0, server.endpoint, NULL, "tables", NULL, NULL);
	cr_assert_not_null(strstr(r.out, table), "%s", r.out);
	cli_result_free(&r);
	run_in(&r, 0, server.endpoint, NULL, "export", NULL, NULL);
	cr_assert_not_null(strstr(r.out, table), "%s", r.out);
	cli_result_free(&r);
	pcf_local_server_stop(&server);
	cli_rmdir(dir);
}

/* -vv logs every request and response on stderr, with the secrets masked; -q logs nothing. */
Test(cli_export, verbose_logs_are_redacted_and_quiet_is_quiet)
{
	const char *verbose[] = {"--endpoint", pcf_test_endpoint(PCF_LOCAL_DYNALITE), "-vv",
	                         "tables", NULL};
	const char *quiet[] = {"--endpoint", pcf_test_endpoint(PCF_LOCAL_DYNALITE), "-q", "tables",
	                       NULL};
	cli_result r;

	/* Inherited by pcf; this test runs in a process of its own. */
	setenv("AWS_SECRET_ACCESS_KEY", "SECRETKEYdoNotPrint", 1);
	setenv("AWS_SESSION_TOKEN", "SESSIONdoNotPrint", 1);
	cli_expect(&r, 0, verbose);
	cr_assert_not_null(strstr(r.err, "debug:"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "ListTables"), "%s", r.err);
	cr_assert_null(strstr(r.err, "doNotPrint"), "a secret in the log:\n%s", r.err);
	cr_assert_null(strstr(r.out, "doNotPrint"));
	cli_result_free(&r);
	cli_expect(&r, 0, quiet);
	cr_assert_str_eq(r.err, "");
	cli_result_free(&r);
}

/* The 2026 settings moto shows (warm throughput, the PITR period, a
 * resource policy with characters YAML must quote) survive export's YAML:
 * the export is in sync with its table. */
Test(cli_export, moto_modern_settings_round_trip)
{
	const char *endpoint = pcf_test_endpoint(PCF_LOCAL_MOTO);
	char dir[256], path[600], exported[600], table[96], text[2048];
	cli_result r;

	cli_tempdir(dir, sizeof(dir));
	pcf_test_table_name(table, sizeof(table), "cli-modern");
	snprintf(text, sizeof(text),
	         "pcf_name: %s\nflavor: dynamodb_table\naws_resource:\n  TableName: %s\n"
	         "  BillingMode: PAY_PER_REQUEST\n" CLI_TABLE_KEY
	         "  WarmThroughput: {ReadUnitsPerSecond: 13000, WriteUnitsPerSecond: 5000}\n"
	         "  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true, "
	         "RecoveryPeriodInDays: 9}\n"
	         "  ResourcePolicy:\n"
	         "    Version: \"2012-10-17\"\n"
	         "    Statement:\n"
	         "      - Effect: Allow\n"
	         "        Principal: {AWS: \"arn:aws:iam::123456789012:root\"}\n"
	         "        Action: [\"dynamodb:GetItem\", \"dynamodb:Query\"]\n"
	         "        Resource: \"*\"\n",
	         table, table);
	apply_then_export(&r, path, sizeof(path), endpoint, dir, text, table);
	cr_assert_not_null(strstr(r.out, "RecoveryPeriodInDays: 9"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "ReadUnitsPerSecond: 13000"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "dynamodb:Query"), "%s", r.out);
	cli_write(exported, sizeof(exported), dir, "exported.yml", r.out);
	cli_result_free(&r);
	run_in(&r, 0, endpoint, exported, "validate", NULL, NULL);
	cli_result_free(&r);
	run_in(&r, 0, endpoint, exported, "status", NULL, NULL);
	cli_result_free(&r);
	run_in(&r, 0, endpoint, path, "terminate", "--yes", NULL);
	cli_result_free(&r);
	cli_rmdir(dir);
}
