/*
 * Client-side cost of one DynamoDB request through pcf_aws_call.
 *
 *   bench_aws_transport ENDPOINT TABLE REQUESTS
 *
 * Creates TABLE if needed, warms up, then sends REQUESTS requests from one
 * thread, alternating PutItem and GetItem on 100 keys (the same mix as
 * boto3_bench.py), and prints
 *   cpu_us_per_request=<user+system CPU of this process / requests>
 *   requests_per_second=<requests / wall time>
 * and then sends REQUESTS GetItem requests with pcf_aws_call_many, 16 in
 * flight from the one thread, and prints
 *   many_requests_per_second=<requests / wall time>
 * The server runs in another process, so the CPU figure is the client's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <pcf/aws.h>

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static double wall_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int request(pcf_aws_client *c, const char *table, long i)
{
	char body[512];
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;
	const char *action = i % 2 == 0 ? "PutItem" : "GetItem";
	int rc;

	if (i % 2 == 0)
		snprintf(body, sizeof(body),
		         "{\"TableName\":\"%s\",\"Item\":{\"pk\":{\"S\":\"key-%ld\"},"
		         "\"n\":{\"N\":\"%ld\"},\"s\":{\"S\":\"some value\"}}}",
		         table, i % 100, i);
	else
		snprintf(body, sizeof(body),
		         "{\"TableName\":\"%s\",\"Key\":{\"pk\":{\"S\":\"key-%ld\"}}}", table,
		         (i - 1) % 100);
	rc = pcf_aws_call(&r, c, action, body, strlen(body), &err);
	if (rc < 0) {
		fprintf(stderr, "bench_aws_transport: %s: %s %s\n", action, pcf_error_code_name(rc),
		        err.message);
		return rc;
	}
	pcf_aws_response_free(&r);
	return 0;
}

static int create_table(pcf_aws_client *c, const char *table)
{
	char body[512];
	pcf_aws_response r;
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	snprintf(body, sizeof(body),
	         "{\"TableName\":\"%s\",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\","
	         "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":"
	         "\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
	         table);
	rc = pcf_aws_call(&r, c, "CreateTable", body, strlen(body), &err);
	if (rc == PCF_ERESOURCE_IN_USE)
		return 0;
	if (rc < 0) {
		fprintf(stderr, "bench_aws_transport: CreateTable: %s\n", err.message);
		return rc;
	}
	pcf_aws_response_free(&r);
	return 0;
}

#define IN_FLIGHT 16

/* REQUESTS GetItem calls, IN_FLIGHT at a time; the rate, or a negative code. */
static double many_in_flight(pcf_aws_client *c, const char *table, long n)
{
	pcf_aws_call_spec *calls = calloc((size_t)n, sizeof(*calls));
	char(*bodies)[256] = calloc((size_t)n, sizeof(*bodies));
	pcf_error err = PCF_ERROR_INIT;
	double wall0, rate = -1;
	long i;

	if (!calls || !bodies)
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(bodies[i], sizeof(bodies[i]),
		         "{\"TableName\":\"%s\",\"Key\":{\"pk\":{\"S\":\"key-%ld\"}}}", table,
		         i % 100);
		calls[i].action = "GetItem";
		calls[i].body = bodies[i];
		calls[i].len = strlen(bodies[i]);
	}
	wall0 = wall_seconds();
	if (pcf_aws_call_many(c, calls, (size_t)n, IN_FLIGHT, &err) < 0) {
		fprintf(stderr, "bench_aws_transport: call_many: %s\n", err.message);
		goto out;
	}
	rate = (double)n / (wall_seconds() - wall0);
	for (i = 0; i < n; i++) {
		if (calls[i].rc < 0) {
			fprintf(stderr, "bench_aws_transport: GetItem: %s\n",
			        calls[i].error.message);
			rate = -1;
		}
		pcf_aws_response_free(&calls[i].response);
	}
out:
	free(calls);
	free(bodies);
	return rate;
}

int main(int argc, char **argv)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;
	long n, i;
	double cpu0, wall0, cpu, wall;

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: bench_aws_transport ENDPOINT TABLE REQUESTS\n");
		return 2;
	}
	if (pcf_global_init() < 0)
		return 1;
	o.endpoint = argv[1];
	if (pcf_aws_client_new(&c, &o, &err) < 0) {
		fprintf(stderr, "bench_aws_transport: %s\n", err.message);
		return 1;
	}
	if (create_table(c, argv[2]) < 0)
		return 1;
	for (i = 0; i < 200; i++)
		if (request(c, argv[2], i) < 0)
			return 1;
	cpu0 = cpu_seconds();
	wall0 = wall_seconds();
	for (i = 0; i < n; i++)
		if (request(c, argv[2], i) < 0)
			return 1;
	cpu = cpu_seconds() - cpu0;
	wall = wall_seconds() - wall0;
	printf("cpu_us_per_request=%.1f\nrequests_per_second=%.0f\n", cpu * 1e6 / (double)n,
	       (double)n / wall);
	double rate = many_in_flight(c, argv[2], n);
	if (rate < 0)
		return 1;
	printf("many_requests_per_second=%.0f\n", rate);
	pcf_aws_client_free(c);
	pcf_global_cleanup();
	return 0;
}
