/*
 * A small program on libpcf's DynamoDB client, through <pcf/pcf.h> only:
 * make sure a table exists, write an item given as plain JSON, read it
 * back, list what the table holds, and (with --drop) delete the table.
 *
 *   pcf-example-client [--drop] [TABLE]
 *
 * The endpoint, region and credentials come from the usual AWS variables
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, AWS_ACCESS_KEY_ID, ...).
 */
#include <stdio.h>
#include <string.h>

#include <pcf/pcf.h>

static int report(const char *what, const pcf_error *err)
{
	fprintf(stderr, "pcf-example-client: %s: %s (%s)\n", what, err->message,
	        pcf_error_code_name(err->code));
	return 1;
}

static cJSON *parse(const char *text)
{
	const char *end = NULL;
	return cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);
}

static void print(const char *label, const cJSON *json)
{
	char *text = cJSON_PrintUnformatted(json);
	printf("%s: %s\n", label, text ? text : "?");
	cJSON_free(text);
}

static int run(pcf_ddb *db, const char *table, int drop)
{
	pcf_error err = PCF_ERROR_INIT;
	char create[512];
	cJSON *req = NULL, *item = NULL, *key = NULL, *got = NULL, *scan = NULL;
	int rc = 1;
	snprintf(create, sizeof(create),
	         "{\"TableName\":\"%s\",\"BillingMode\":\"PAY_PER_REQUEST\","
	         "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
	         "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]}",
	         table);
	req = parse(create);
	/* Plain JSON; sets and exact numbers use the $-markers documented in dynamodb.h. */
	item =
	    parse("{\"id\":\"a1\",\"n\":3,\"balance\":{\"$N\":\"123456789012345678901234567890\"},"
	          "\"tags\":{\"$SS\":[\"new\",\"blue\"]},\"dims\":{\"w\":2.5,\"h\":4}}");
	key = parse("{\"id\":\"a1\"}");
	if (!req || !item || !key) {
		fprintf(stderr, "pcf-example-client: out of memory\n");
		goto out;
	}
	if (pcf_ddb_ensure_table(NULL, db, req, 60000, &err) < 0) {
		report("ensure table", &err);
		goto out;
	}
	if (pcf_ddb_put_item_json(db, table, item, NULL, &err) < 0 ||
	    pcf_ddb_get_item_json(&got, db, table, key, NULL, &err) < 0) {
		report("put/get", &err);
		goto out;
	}
	print("item", got);
	cJSON_Delete(req);
	snprintf(create, sizeof(create), "{\"TableName\":\"%s\",\"Select\":\"COUNT\"}", table);
	req = parse(create);
	if (!req || pcf_ddb_scan(&scan, db, req, &err) < 0) {
		report("scan", &err);
		goto out;
	}
	printf("items in %s: %d\n", table, cJSON_GetObjectItem(scan, "Count")->valueint);
	if (drop && pcf_ddb_delete_table(NULL, db, table, &err) < 0) {
		report("delete table", &err);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(req);
	cJSON_Delete(item);
	cJSON_Delete(key);
	cJSON_Delete(got);
	cJSON_Delete(scan);
	return rc;
}

int main(int argc, char **argv)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;
	const char *table = "pcf-example-client";
	int drop = 0, rc;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--drop") == 0)
			drop = 1;
		else
			table = argv[i];
	}
	if (pcf_global_init() < 0)
		return 1;
	if (pcf_ddb_new(&db, NULL, &err) < 0) {
		pcf_global_cleanup();
		return report("client", &err);
	}
	rc = run(db, table, drop);
	pcf_ddb_free(db);
	pcf_global_cleanup();
	return rc;
}
