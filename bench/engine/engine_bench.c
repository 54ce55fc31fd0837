/*
 * engine_bench: runs one command of the engine over N independent
 * dynamodb_table particles and prints what it cost.
 *
 *   engine_bench MODE N PARALLEL PREFIX HOLD_MS
 *
 * MODE is create (apply from nothing), update (apply with every table's
 * ReadCapacityUnits raised from 1 to 2), delete (apply with the desired
 * state terminated), noop (apply with nothing to change) or status.
 * PARALLEL 0 keeps the engine's default. HOLD_MS is how long the server
 * holds each table in its transitional state, used for "seen late".
 *
 * The server comes from the usual environment (AWS_ENDPOINT_URL_DYNAMODB,
 * set by pcf-with-server). Prints, one per line:
 *   seconds=<wall time of the command>
 *   requests=<requests sent>        (the transport's instrumentation)
 *   requests_by_action=<Action:count,...>
 *   mean_ms_by_action=<Action:mean ms from send to answer,...>
 *   late_mean_ms= late_max_ms=      (from a particle's change to its DONE,
 *                                    less the hold: how late the end of the
 *                                    hold was noticed)
 *   maxrss_kb=<peak resident set size of the process>
 *   rss_file_kb=<resident pages mapped from files (the libraries) at the end>
 *   last_change_ms=<when the last particle's first change went out>:
 *                                    the server's own bound on the wall
 *                                    time is this plus the hold
 * Definitions are loaded and the engine made before the clock starts.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <pcf/pcf.h>

typedef struct bench {
	long n;
	long hold_ms;
	long *action_at; /* by particle number: elapsed ms of its first change, -1: none */
	long late_sum, late_max, late_count;
	long last_change_ms; /* the latest first change sent, elapsed ms */
	long requests;
	/* Requests by action, for requests_by_action= */
	struct {
		char action[48];
		long count;
		uint64_t us; /* their durations, summed */
	} by_action[16];
	pthread_mutex_t lock;
} bench;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* N particles in YAML with the given ReadCapacityUnits; the caller frees the text. */
static char *definitions_text(long n, const char *prefix, int rcu)
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
		             "    ProvisionedThroughput: {ReadCapacityUnits: %d, "
		             "WriteCapacityUnits: 1}\n",
		             i, prefix, i, rcu);
		if (w < 0 || (size_t)w >= size - len) {
			free(text);
			return NULL;
		}
		len += (size_t)w;
	}
	return text;
}

static long parse_count(const char *text, long min)
{
	char *end;
	long v = strtol(text, &end, 10);
	return (*text && !*end && v >= min) ? v : -1;
}

static void on_request(const pcf_aws_request_info *info, void *payload)
{
	bench *b = payload;
	size_t k;

	__atomic_add_fetch(&b->requests, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&b->lock);
	for (k = 0; k < 16 && b->by_action[k].action[0]; k++)
		if (strcmp(b->by_action[k].action, info->action) == 0)
			break;
	if (k < 16) {
		snprintf(b->by_action[k].action, sizeof(b->by_action[k].action), "%s",
		         info->action);
		b->by_action[k].count++;
		b->by_action[k].us += info->duration_us;
	}
	pthread_mutex_unlock(&b->lock);
}

/* The particle number in "dynamodb_table:t<k>", or -1. */
static long particle_number(const char *id)
{
	const char *t = strrchr(id, ':');
	return t && t[1] == 't' ? parse_count(t + 2, 0) : -1;
}

static void on_event(const pcf_event *ev, void *payload)
{
	bench *b = payload;
	long k = particle_number(ev->particle), late;

	if (k < 0 || k >= b->n)
		return;
	pthread_mutex_lock(&b->lock);
	if (ev->kind == PCF_EVENT_ACTION && b->action_at[k] < 0) {
		b->action_at[k] = ev->elapsed_ms;
		if (ev->elapsed_ms > b->last_change_ms)
			b->last_change_ms = ev->elapsed_ms;
	}
	if (ev->kind == PCF_EVENT_DONE && b->action_at[k] >= 0) {
		late = ev->elapsed_ms - b->action_at[k] - b->hold_ms;
		b->late_sum += late;
		b->late_max = late > b->late_max || b->late_count == 0 ? late : b->late_max;
		b->late_count++;
	}
	pthread_mutex_unlock(&b->lock);
}

static int run_command(pcf_engine *engine, const char *mode, pcf_run_report **report,
                       pcf_error *err)
{
	if (strcmp(mode, "status") == 0)
		return pcf_engine_status(report, engine, err);
	if (strcmp(mode, "delete") == 0)
		pcf_engine_set_desired(engine, PCF_DESIRED_TERMINATED);
	return pcf_engine_apply(report, engine, err);
}

/* A "Name:  N kB" line of /proc/self/status, in kB; -1 when absent. */
static long status_kb(const char *name)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t len = strlen(name);
	long kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, name, len) == 0 && line[len] == ':')
			kb = strtol(line + len + 1, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static void print_figures(const bench *b, double seconds)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("seconds=%.3f\n", seconds);
	printf("requests=%ld\n", b->requests);
	printf("requests_by_action=");
	for (size_t k = 0; k < 16 && b->by_action[k].action[0]; k++)
		printf("%s%s:%ld", k ? "," : "", b->by_action[k].action, b->by_action[k].count);
	printf("\nmean_ms_by_action=");
	for (size_t k = 0; k < 16 && b->by_action[k].action[0]; k++)
		printf("%s%s:%.1f", k ? "," : "", b->by_action[k].action,
		       (double)b->by_action[k].us / 1000.0 / (double)b->by_action[k].count);
	printf("\n");
	printf("late_mean_ms=%ld\n", b->late_count ? b->late_sum / b->late_count : 0);
	printf("late_max_ms=%ld\n", b->late_max);
	printf("maxrss_kb=%ld\n", ru.ru_maxrss);
	/* The pages of shared libraries mapped from files, which every process
	 * using them shares: peak RSS less these is the run's own memory. */
	printf("rss_file_kb=%ld\n", status_kb("RssFile"));
	printf("last_change_ms=%ld\n", b->last_change_ms);
}

static int usage(void)
{
	fprintf(stderr, "usage: engine_bench create|update|delete|noop|status N PARALLEL PREFIX "
	                "HOLD_MS\n");
	return 2;
}

int main(int argc, char **argv)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_aws_options aws = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_services *services = NULL;
	pcf_definitions *defs = NULL;
	pcf_engine *engine = NULL;
	pcf_run_report *report = NULL;
	pcf_diags diags;
	bench b;
	char *text = NULL;
	long parallel;
	size_t flavor_count;
	double start;
	int rc = 1;

	memset(&b, 0, sizeof(b));
	if (argc != 6 || (b.n = parse_count(argv[2], 1)) < 0 ||
	    (parallel = parse_count(argv[3], 0)) < 0 || (b.hold_ms = parse_count(argv[5], 0)) < 0)
		return usage();
	pthread_mutex_init(&b.lock, NULL);
	pcf_diags_init(&diags);
	b.action_at = malloc((size_t)b.n * sizeof(long));
	if (!b.action_at || pcf_global_init() < 0 ||
	    !(text = definitions_text(b.n, argv[4], strcmp(argv[1], "update") == 0 ? 2 : 1)))
		goto out;
	memset(b.action_at, 0xff, (size_t)b.n * sizeof(long)); /* all -1 */
	if (pcf_definitions_load_string(&defs, text, strlen(text), "bench.yml", &diags) < 0) {
		pcf_diags_print(&diags, stderr);
		goto out;
	}
	aws.on_request = on_request;
	aws.payload = &b;
	if (pcf_services_new(&services, &aws, &err) < 0)
		goto fail;
	o.flavors = pcf_particles_flavors(&flavor_count);
	o.flavor_count = flavor_count;
	o.services = services;
	o.parallel = (int)parallel;
	o.timeout_ms = 1200000;
	o.yes = 1;
	o.on_event = on_event;
	o.payload = &b;
	if (pcf_engine_new(&engine, defs, &o, &err) < 0)
		goto fail;
	start = now_s();
	if (run_command(engine, argv[1], &report, &err) < 0)
		goto fail;
	print_figures(&b, now_s() - start);
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
	free(b.action_at);
	pthread_mutex_destroy(&b.lock);
	pcf_global_cleanup();
	return rc;
}
