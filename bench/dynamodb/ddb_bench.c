/*
 * ddb_bench: GetItem / PutItem throughput and client CPU of the pcf
 * DynamoDB client against the server in AWS_ENDPOINT_URL_DYNAMODB.
 *
 *   ddb_bench setup TABLE            create TABLE (key pk) and 100 items
 *   ddb_bench get TABLE SECONDS      one GetItem at a time
 *   ddb_bench put TABLE SECONDS      one PutItem at a time
 *   ddb_bench many TABLE SECONDS N   GetItems, N in flight from one thread
 *
 * Prints "RESULT <requests per second> <client CPU microseconds per
 * request>", CPU being this process's user + system time, so that
 * boto3_bench.py can measure the same two numbers the same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <pcf/pcf.h>

#define KEYS       100
#define MANY_BATCH 1000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static cJSON *key_of(int i)
{
	char text[64];
	cJSON *key = cJSON_CreateObject();
	snprintf(text, sizeof(text), "k%d", i % KEYS);
	cJSON_AddStringToObject(cJSON_AddObjectToObject(key, "pk"), "S", text);
	return key;
}

static int fail(const char *what, const pcf_error *err)
{
	fprintf(stderr, "ddb_bench: %s: %s %s\n", what, err->aws_type, err->message);
	return 1;
}

static int setup(pcf_ddb *db, const char *table)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *req = cJSON_CreateObject(), *ri = cJSON_CreateObject(), *list;
	cJSON *ad = cJSON_AddArrayToObject(req, "AttributeDefinitions"), *a = cJSON_CreateObject();
	cJSON *ks = cJSON_AddArrayToObject(req, "KeySchema"), *k = cJSON_CreateObject();
	int rc;
	cJSON_AddStringToObject(req, "TableName", table);
	cJSON_AddStringToObject(a, "AttributeName", "pk");
	cJSON_AddStringToObject(a, "AttributeType", "S");
	cJSON_AddItemToArray(ad, a);
	cJSON_AddStringToObject(k, "AttributeName", "pk");
	cJSON_AddStringToObject(k, "KeyType", "HASH");
	cJSON_AddItemToArray(ks, k);
	cJSON_AddStringToObject(req, "BillingMode", "PAY_PER_REQUEST");
	rc = pcf_ddb_ensure_table(NULL, db, req, 60000, &err);
	list = cJSON_AddArrayToObject(ri, table);
	for (int i = 0; rc == 0 && i < KEYS; i++) {
		cJSON *w = cJSON_CreateObject();
		cJSON *item =
		    cJSON_AddObjectToObject(cJSON_AddObjectToObject(w, "PutRequest"), "Item");
		cJSON *key = key_of(i);
		cJSON_AddItemToObject(item, "pk", cJSON_DetachItemFromObject(key, "pk"));
		cJSON_AddStringToObject(cJSON_AddObjectToObject(item, "payload"), "S",
		                        "a modest value of some sixty bytes, like a config entry");
		cJSON_AddItemToArray(list, w);
		cJSON_Delete(key);
	}
	if (rc == 0)
		rc = pcf_ddb_batch_write_item(NULL, db, ri, &err);
	cJSON_Delete(req);
	cJSON_Delete(ri);
	return rc == 0 ? 0 : fail("setup", &err);
}

/* One request at a time until seconds have passed; returns the count or -1. */
static long one_at_a_time(pcf_ddb *db, const char *table, int put, double seconds)
{
	pcf_error err = PCF_ERROR_INIT;
	double end = now_s() + seconds;
	long n = 0;
	while (now_s() < end) {
		cJSON *key = key_of((int)n), *out = NULL;
		int rc;
		if (put) {
			/* The item is the key plus one number attribute. */
			cJSON_AddStringToObject(cJSON_AddObjectToObject(key, "n"), "N", "42");
			rc = pcf_ddb_put_item(&out, db, table, key, NULL, &err);
		} else {
			rc = pcf_ddb_get_item(&out, db, table, key, NULL, &err);
		}
		cJSON_Delete(key);
		cJSON_Delete(out);
		if (rc < 0) {
			fail(put ? "PutItem" : "GetItem", &err);
			return -1;
		}
		n++;
	}
	return n;
}

static long many(pcf_ddb *db, const char *table, double seconds, int in_flight)
{
	pcf_ddb_call *calls = calloc(MANY_BATCH, sizeof(*calls));
	cJSON **reqs = calloc(MANY_BATCH, sizeof(*reqs));
	pcf_error err = PCF_ERROR_INIT;
	double end = now_s() + seconds;
	long n = 0;
	for (int i = 0; calls && reqs && i < MANY_BATCH; i++) {
		reqs[i] = cJSON_CreateObject();
		cJSON_AddStringToObject(reqs[i], "TableName", table);
		cJSON_AddItemToObject(reqs[i], "Key", key_of(i));
		calls[i].action = "GetItem";
		calls[i].request = reqs[i];
	}
	while (calls && reqs && n >= 0 && now_s() < end) {
		if (pcf_ddb_execute_many(db, calls, MANY_BATCH, in_flight, &err) < 0) {
			n = -fail("execute_many", &err);
			break;
		}
		for (int i = 0; i < MANY_BATCH; i++) {
			if (calls[i].rc < 0 && n >= 0)
				n = -fail("GetItem", &calls[i].error);
			cJSON_Delete(calls[i].response);
		}
		if (n >= 0)
			n += MANY_BATCH;
	}
	for (int i = 0; reqs && i < MANY_BATCH; i++)
		cJSON_Delete(reqs[i]);
	free(reqs);
	free(calls);
	return n;
}

int main(int argc, char **argv)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;
	double seconds = argc > 3 ? strtod(argv[3], NULL) : 0, t0, c0;
	long n = -1;
	int rc = 1;
	if (argc < 3 || (strcmp(argv[1], "setup") != 0 && seconds <= 0)) {
		fprintf(stderr,
		        "usage: ddb_bench setup|get|put|many TABLE [SECONDS [IN_FLIGHT]]\n");
		return 2;
	}
	if (pcf_global_init() < 0)
		return 1;
	if (pcf_ddb_new(&db, NULL, &err) < 0) {
		fail("client", &err);
		goto out;
	}
	if (strcmp(argv[1], "setup") == 0) {
		rc = setup(db, argv[2]);
		goto out;
	}
	t0 = now_s();
	c0 = cpu_s();
	if (strcmp(argv[1], "get") == 0 || strcmp(argv[1], "put") == 0)
		n = one_at_a_time(db, argv[2], argv[1][0] == 'p', seconds);
	else if (strcmp(argv[1], "many") == 0)
		n = many(db, argv[2], seconds, argc > 4 ? (int)strtol(argv[4], NULL, 10) : 0);
	if (n > 0) {
		double wall = now_s() - t0, cpu = cpu_s() - c0;
		printf("RESULT %.1f %.1f\n", (double)n / wall, cpu * 1e6 / (double)n);
		rc = 0;
	}
out:
	pcf_ddb_free(db);
	pcf_global_cleanup();
	return rc;
}
