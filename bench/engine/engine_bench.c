/*
 * engine_bench: creates N independent tables through the engine and the
 * dynamodb_table flavor, and prints how long the run took.
 *
 *   engine_bench N PARALLEL PREFIX
 *
 * The server comes from the usual environment (AWS_ENDPOINT_URL_DYNAMODB,
 * set by pcf-with-server). Prints "seconds=<wall time of the apply>" on
 * stdout; definitions are loaded and the engine made before the clock
 * starts, so the figure is the converge time alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcf/pcf.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* N particles in YAML; the caller frees the text. */
static char *definitions_text(long n, const char *prefix)
{
	size_t size = (size_t)n * 512 + 1;
	char *text = malloc(size);
	size_t len = 0;

	if (!text)
		return NULL;
	text[0] = '\0';
	for (long i = 0; i < n; i++) {
		int w =
		    snprintf(text + len, size - len,
		             "- pcf_name: t%ld\n"
		             "  flavor: dynamodb_table\n"
		             "  aws_resource:\n"
		             "    TableName: %s-%ld\n"
		             "    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
		             "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
		             "    ProvisionedThroughput: {ReadCapacityUnits: 1, "
		             "WriteCapacityUnits: 1}\n",
		             i, prefix, i);
		if (w < 0 || (size_t)w >= size - len) {
			free(text);
			return NULL;
		}
		len += (size_t)w;
	}
	return text;
}

static long parse_count(const char *text)
{
	char *end;
	long v = strtol(text, &end, 10);
	return (*text && !*end && v > 0) ? v : -1;
}

int main(int argc, char **argv)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_services *services = NULL;
	pcf_definitions *defs = NULL;
	pcf_engine *engine = NULL;
	pcf_run_report *report = NULL;
	pcf_diags diags;
	char *text = NULL;
	long n, parallel;
	size_t flavor_count;
	double start;
	int rc = 1;

	if (argc != 4 || (n = parse_count(argv[1])) < 0 || (parallel = parse_count(argv[2])) < 0) {
		fprintf(stderr, "usage: engine_bench N PARALLEL PREFIX\n");
		return 2;
	}
	pcf_diags_init(&diags);
	if (pcf_global_init() < 0 || !(text = definitions_text(n, argv[3])))
		goto out;
	if (pcf_definitions_load_string(&defs, text, strlen(text), "bench.yml", &diags) < 0) {
		pcf_diags_print(&diags, stderr);
		goto out;
	}
	if (pcf_services_new(&services, NULL, &err) < 0)
		goto fail;
	o.flavors = pcf_particles_flavors(&flavor_count);
	o.flavor_count = flavor_count;
	o.services = services;
	o.parallel = (int)parallel;
	o.timeout_ms = 1200000;
	if (pcf_engine_new(&engine, defs, &o, &err) < 0)
		goto fail;
	start = now_s();
	if (pcf_engine_apply(&report, engine, &err) < 0)
		goto fail;
	printf("seconds=%.3f\n", now_s() - start);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "engine_bench: %s\n", err.message);
out:
	pcf_run_report_free(report);
	pcf_engine_free(engine);
	pcf_definitions_free(defs);
	pcf_services_free(services);
	pcf_diags_cleanup(&diags);
	free(text);
	pcf_global_cleanup();
	return rc;
}
