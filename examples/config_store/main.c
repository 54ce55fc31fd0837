/*
 * A program that keeps its settings in a pcf configuration store.
 *
 *   config_store_example [TABLE [STORE]]    (defaults: example_config, web)
 *
 * It writes two options through a direct store (every read goes to
 * DynamoDB), then opens the same store time-based (reads come from a
 * snapshot refreshed every second in the background), changes an option
 * through the direct store and watches the snapshot pick the change up.
 * The endpoint, region and credentials come from the environment as for
 * the AWS SDKs; against a local server, for example:
 *
 *   AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 AWS_REGION=us-east-1 \
 *   AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x ./config_store_example
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <pcf/pcf.h>

static int fail(const char *what, const pcf_error *err)
{
	fprintf(stderr, "config_store_example: %s: %s (%s)\n", what, err->message,
	        pcf_error_code_name(err->code));
	return 1;
}

/* Prints a JSON tree with a label, then frees it. */
static void show(const char *label, cJSON *value)
{
	char *text = cJSON_PrintUnformatted(value);
	printf("%-28s %s\n", label, text ? text : "(out of memory)");
	cJSON_free(text);
	cJSON_Delete(value);
}

/* Called on the refresh thread when a background refresh fails. */
static void refresh_failed(const pcf_error *err, void *payload)
{
	(void)payload;
	fprintf(stderr, "config_store_example: refresh failed, still using the last snapshot: %s\n",
	        err->message);
}

static int write_settings(pcf_config_store *store, pcf_error *err)
{
	/* key=value typing as `pcf config set` does it: numbers, booleans, strings. */
	const char *db_args[] = {"host=db.internal", "port=5432", "tls=true"};
	cJSON *db = NULL, *limits = cJSON_CreateObject();
	int rc = pcf_config_parse_assignments(&db, db_args, 3, 0, err);
	if (rc == 0)
		rc = pcf_config_store_set(store, "db", db, err);
	/* Or build the data with cJSON directly. */
	cJSON_AddNumberToObject(limits, "requests_per_second", 100);
	cJSON_AddNumberToObject(limits, "burst", 20);
	if (rc == 0)
		rc = pcf_config_store_set(store, "limits", limits, err);
	cJSON_Delete(db);
	cJSON_Delete(limits);
	return rc;
}

/* Polls the snapshot (no network) until limits.burst is 50, for at most 10 s. */
static int wait_for_burst(pcf_config_store *timed)
{
	struct timespec tick = {0, 100000000L};
	for (int i = 0; i < 100; i++) {
		cJSON *limits = NULL;
		const cJSON *burst;
		int seen;
		if (pcf_config_store_get(&limits, timed, "limits", NULL) != 0)
			return 0;
		burst = cJSON_GetObjectItemCaseSensitive(limits, "burst");
		seen = cJSON_IsNumber(burst) && burst->valuedouble == 50;
		cJSON_Delete(limits);
		if (seen)
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

/* Opens the store time-based, changes limits through direct, waits for the snapshot. */
static int watch_snapshot(pcf_ddb *db, pcf_config_store_options o, pcf_config_store *direct)
{
	pcf_config_store *timed = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *value = NULL;
	int status = 1;

	o.mode = PCF_CONFIG_TIME_BASED;
	o.refresh_interval_ms = 1000;
	o.on_error = refresh_failed;
	if (pcf_config_store_open(&timed, db, &o, &err) != 0)
		return fail("opening the time-based store", &err);
	if (pcf_config_store_get_all(&value, timed, &err) != 0) {
		fail("reading the snapshot", &err);
		goto out;
	}
	show("time-based get_all():", value);
	value = cJSON_CreateObject();
	cJSON_AddNumberToObject(value, "requests_per_second", 100);
	cJSON_AddNumberToObject(value, "burst", 50);
	if (pcf_config_store_set(direct, "limits", value, &err) != 0) {
		fail("changing limits", &err);
		goto out;
	}
	if (!wait_for_burst(timed)) {
		fprintf(stderr, "config_store_example: the snapshot never saw the change\n");
		goto out;
	}
	cJSON_Delete(value);
	value = NULL;
	if (pcf_config_store_get(&value, timed, "limits", &err) != 0) {
		fail("reading limits", &err);
		goto out;
	}
	show("after a refresh, get(limits):", value);
	value = NULL;
	status = 0;
out:
	cJSON_Delete(value);
	pcf_config_store_close(timed);
	return status;
}

int main(int argc, char **argv)
{
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_config_store *direct = NULL;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;
	cJSON *value = NULL;
	int status = 1;

	if (pcf_global_init() != 0)
		return 1;
	if (pcf_ddb_new(&db, NULL, &err) != 0) {
		fail("creating the DynamoDB client", &err);
		goto out;
	}
	o.table.name = argc > 1 ? argv[1] : "example_config";
	o.store = argc > 2 ? argv[2] : "web";
	o.create.read_units = 0; /* a missing table is created on-demand */
	o.create.write_units = 0;
	o.mode = PCF_CONFIG_DIRECT;
	if (pcf_config_store_open(&direct, db, &o, &err) != 0) {
		fail("opening the store", &err);
		goto out;
	}
	if (write_settings(direct, &err) != 0) {
		fail("writing options", &err);
		goto out;
	}
	if (pcf_config_store_get(&value, direct, "db", &err) != 0) {
		fail("reading db", &err);
		goto out;
	}
	show("direct get(db):", value);
	status = watch_snapshot(db, o, direct);
out:
	pcf_config_store_close(direct);
	pcf_ddb_free(db);
	pcf_global_cleanup();
	return status;
}
