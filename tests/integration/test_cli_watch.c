/*
 * pcf watch through the pcf binary on dynoxide (in memory, answers in
 * milliseconds, so a one-second interval is long enough for a round): a
 * watcher repairs changes made with another client (libpcf's own DynamoDB
 * client) within two intervals, a deleted table and changed throughput
 * alike, and never deletes without --yes; the metrics endpoint answers
 * GET /metrics on loopback with the counters; SIGHUP picks up a changed
 * definition, and a reload with a problem keeps the definitions in use;
 * SIGTERM stops it with exit 0, between rounds and in the middle of a
 * wait (on a dynalite of the test's own holding tables CREATING).
 */
#include "cli_run.h"
#include "it_process.h"
#include "it_ddb.h"
#include "servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcf/pcf.h>

/* How long a test waits for a line it expects before it gives up, in seconds. */
#define PATIENCE_S 20.0

static const char table_yaml[] = "pcf_name: orders\n"
                                 "flavor: dynamodb_table\n"
                                 "desired_state: %s\n"
                                 "aws_resource:\n"
                                 "  TableName: %s\n" CLI_TABLE_KEY "  BillingMode: PROVISIONED\n"
                                 "  ProvisionedThroughput: {ReadCapacityUnits: %s, "
                                 "WriteCapacityUnits: 5}\n";

/* A watch process and everything it printed so far. */
typedef struct watcher {
	const char *endpoint;
	char dir[256];
	char path[600];
	char table[96];
	cli_process p;
	cli_buf out;
	cli_buf err;
	int status;
} watcher;

static void setup(void)
{
	pcf_local_server_environment(1);
}

TestSuite(cli_watch, .init = setup, .timeout = 120);

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void write_defs(watcher *w, const char *desired, const char *read_units)
{
	char text[1024], tmp[700];

	snprintf(text, sizeof(text), table_yaml, desired, w->table, read_units);
	/* Written aside and renamed, so that a reload never reads half a file. */
	cli_write(tmp, sizeof(tmp), w->dir, "pcf.yml.new", text);
	snprintf(w->path, sizeof(w->path), "%s/pcf.yml", w->dir);
	cr_assert_eq(rename(tmp, w->path), 0);
}

static void watcher_init(watcher *w, pcf_local_server_kind kind, const char *prefix)
{
	memset(w, 0, sizeof(*w));
	w->endpoint = pcf_test_endpoint(kind);
	cli_tempdir(w->dir, sizeof(w->dir));
	pcf_test_table_name(w->table, sizeof(w->table), prefix);
	write_defs(w, "running", "5");
}

/* Starts `pcf --endpoint E -f PATH watch --interval 1 <extra...>`. */
static void watcher_start(watcher *w, const char *e1, const char *e2, const char *e3)
{
	char *argv[] = {(char *)PCF_CLI_PATH,
	                "--endpoint",
	                (char *)w->endpoint,
	                "-f",
	                w->path,
	                "watch",
	                "--interval",
	                "1",
	                (char *)e1,
	                (char *)e2,
	                (char *)e3,
	                NULL};

	cli_start(&w->p, argv);
}

/* Reads what the watcher printed within timeout_s, if anything. */
static void watcher_read(watcher *w, double timeout_s)
{
	struct pollfd fds[2] = {{w->p.out_fd, POLLIN, 0}, {w->p.err_fd, POLLIN, 0}};
	char chunk[4096];

	if (poll(fds, 2, (int)(timeout_s * 1000)) <= 0)
		return;
	for (int k = 0; k < 2; k++) {
		ssize_t got = fds[k].revents ? read(fds[k].fd, chunk, sizeof(chunk)) : 0;

		if (got > 0)
			cli_buf_append(k ? &w->err : &w->out, chunk, (size_t)got);
	}
}

static size_t count_of(const cli_buf *b, const char *needle)
{
	size_t n = 0;

	for (const char *at = b->data; at && (at = strstr(at, needle)) != NULL; at++)
		n++;
	return n;
}

/* Waits until stderr holds needle `times` times; the seconds that took. */
static double wait_for(watcher *w, const char *needle, size_t times)
{
	double t0 = now_s();

	while (count_of(&w->err, needle) < times) {
		cr_assert_lt(now_s() - t0, PATIENCE_S,
		             "no '%s' (x%zu) after %.0f s; stderr so far:\n%s", needle, times,
		             PATIENCE_S, w->err.data ? w->err.data : "");
		watcher_read(w, 0.1);
	}
	return now_s() - t0;
}

/* Sends sig and collects the rest; returns how long the watcher took to exit. */
static double watcher_stop(watcher *w, int sig)
{
	double t0 = now_s();

	w->status = it_signal_and_collect(&w->p, sig, &w->out, &w->err);
	return now_s() - t0;
}

static void watcher_cleanup(watcher *w)
{
	free(w->out.data);
	free(w->err.data);
	cli_rmdir(w->dir);
}

/* Rewrites the definitions and sends SIGHUP to reload them; returns what kill returned. */
static int rewrite_and_hup(watcher *w, const char *desired, const char *read_units)
{
	write_defs(w, desired, read_units);
	return kill(w->p.pid, SIGHUP);
}

/* Starts a watcher on a fresh table with up to three extra arguments and waits for round 1. */
static void watcher_up(watcher *w, const char *prefix, const char *e1, const char *e2,
                       const char *e3)
{
	watcher_init(w, PCF_LOCAL_DYNOXIDE, prefix);
	watcher_start(w, e1, e2, e3);
	wait_for(w, "round 1:", 1);
}

/* Stops the watcher with SIGTERM, which must end it with exit 0, and cleans up. */
static void watcher_down(watcher *w)
{
	watcher_stop(w, SIGTERM);
	cr_assert_eq(w->status, 0, "stderr:\n%s", w->err.data);
	watcher_cleanup(w);
}

/* The table's read units as DescribeTable says, or -1 when it does not exist. */
static int read_units(const watcher *w)
{
	pcf_ddb *db = it_ddb_for(w->endpoint);
	pcf_error err = PCF_ERROR_INIT;
	cJSON *desc = NULL;
	const cJSON *units;
	int n = -1;

	if (pcf_ddb_describe_table(&desc, db, w->table, &err) == 0) {
		units = cJSON_GetObjectItem(cJSON_GetObjectItem(desc, "ProvisionedThroughput"),
		                            "ReadCapacityUnits");
		cr_assert(cJSON_IsNumber(units));
		n = units->valueint;
	}
	cJSON_Delete(desc);
	pcf_ddb_free(db);
	return n;
}

/* Waits for the round that repairs the table and checks its read units then. */
static void await_repaired(watcher *w, int units)
{
	wait_for(w, "1 repaired", 2);
	cr_assert_eq(read_units(w), units);
}

static void delete_table(const watcher *w)
{
	pcf_ddb *db = it_ddb_for(w->endpoint);
	pcf_error err = PCF_ERROR_INIT;
	cJSON *out = NULL;

	cr_assert_eq(pcf_ddb_delete_table(&out, db, w->table, &err), 0, "%s", err.message);
	cJSON_Delete(out);
	pcf_ddb_free(db);
}

static void set_read_units(const watcher *w, int units)
{
	pcf_ddb *db = it_ddb_for(w->endpoint);

	it_ddb_set_read_units(db, w->table, units);
	pcf_ddb_free(db);
}

/* -o json: every stdout line must be one JSON object with an event; counts two kinds. */
static void count_json_events(const cli_buf *out, size_t *changes, size_t *rounds)
{
	const char *line = out->data;

	*changes = *rounds = 0;
	cr_assert_not_null(line);
	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		cJSON *doc = cJSON_ParseWithLength(line, len);
		const char *event = cJSON_GetStringValue(cJSON_GetObjectItem(doc, "event"));

		cr_assert_not_null(event, "not a JSON event line: %.*s", (int)len, line);
		*changes += !strcmp(event, "change");
		*rounds += !strcmp(event, "round");
		cJSON_Delete(doc);
		line += len + (end ? 1 : 0);
	}
}

/* Two intervals of one second, and a little for a busy machine to schedule the watcher. */
#define TWO_INTERVALS_S 2.5

Test(cli_watch, repairs_a_deleted_table_within_two_intervals)
{
	watcher w;
	size_t changes, rounds;
	double took;

	watcher_up(&w, "watchdel", "-o", "json", NULL);
	cr_assert_eq(count_of(&w.err, ": CreateTable"), 1, "%s", w.err.data);
	cr_assert_eq(read_units(&w), 5);

	delete_table(&w);
	took = wait_for(&w, ": CreateTable", 2);
	cr_assert_lt(took, TWO_INTERVALS_S, "repaired after %.1f s:\n%s", took, w.err.data);
	await_repaired(&w, 5);

	cr_assert_lt(watcher_stop(&w, SIGTERM), 3.0);
	cr_assert_eq(w.status, 0, "stderr:\n%s", w.err.data);
	count_json_events(&w.out, &changes, &rounds);
	cr_assert_eq(changes, 2, "two CreateTable changes expected:\n%s", w.out.data);
	cr_assert_geq(rounds, 2);
	watcher_cleanup(&w);
}

Test(cli_watch, repairs_changed_throughput)
{
	watcher w;
	double took;

	watcher_up(&w, "watchtp", NULL, NULL, NULL);

	set_read_units(&w, 9);
	took = wait_for(&w, "orders: UpdateTable", 1);
	cr_assert_lt(took, TWO_INTERVALS_S, "repaired after %.1f s:\n%s", took, w.err.data);
	await_repaired(&w, 5);

	watcher_down(&w);
}

Test(cli_watch, never_deletes_without_yes)
{
	watcher w;

	watcher_up(&w, "watchkeep", NULL, NULL, NULL);
	cr_assert_eq(read_units(&w), 5);

	rewrite_and_hup(&w, "terminated", "5");
	wait_for(&w, "reloaded", 1);
	wait_for(&w, "1 drifted", 1);
	/* Rounds like that one log nothing; a second and a half covers one more. */
	for (double t0 = now_s(); now_s() - t0 < 1.5;)
		watcher_read(&w, 0.1);
	cr_assert_eq(read_units(&w), 5, "the table must survive without --yes");
	cr_assert_not_null(strstr(w.err.data, "--yes"), "%s", w.err.data);

	watcher_down(&w);
}

/* GET (or another method) of path on url's host and port; the whole answer. */
static char *http_request(const char *url, const char *method, const char *path)
{
	struct sockaddr_in sa;
	char host[64], request[256], chunk[4096];
	unsigned port = 0;
	cli_buf answer = {NULL, 0};
	ssize_t n;
	int fd;

	cr_assert_eq(sscanf(url, "http://%63[0-9.]:%u/metrics", host, &port), 2, "%s", url);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	cr_assert_eq(inet_pton(AF_INET, host, &sa.sin_addr), 1);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	snprintf(request, sizeof(request), "%s %s HTTP/1.1\r\nHost: %s\r\n\r\n", method, path,
	         host);
	cr_assert_eq(write(fd, request, strlen(request)), (ssize_t)strlen(request));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		cli_buf_append(&answer, chunk, (size_t)n);
	close(fd);
	cr_assert_not_null(answer.data);
	return answer.data;
}

/* The value of a sample line "name value" in an exposition, or -1. */
static double sample(const char *text, const char *name)
{
	char pattern[160];
	const char *at;

	snprintf(pattern, sizeof(pattern), "\n%s ", name);
	at = strstr(text, pattern);
	return at ? strtod(at + strlen(pattern), NULL) : -1;
}

Test(cli_watch, serves_the_counters_on_loopback)
{
	watcher w;
	char url[128] = "";
	const char *at;
	char *answer;

	watcher_up(&w, "watchmetrics", "--metrics-addr", "127.0.0.1:0", NULL);
	at = strstr(w.err.data, "serving metrics on ");
	cr_assert_not_null(at, "%s", w.err.data);
	cr_assert_eq(sscanf(at, "serving metrics on %127s", url), 1);

	answer = http_request(url, "GET", "/metrics");
	cr_assert_not_null(strstr(answer, "HTTP/1.1 200 OK\r\n"), "%s", answer);
	cr_assert_not_null(strstr(answer, "Content-Type: text/plain; version=0.0.4"), "%s", answer);
	cr_assert_eq(sample(answer, "pcf_watch_particles{state=\"in_sync\"}"), 1, "%s", answer);
	cr_assert_eq(sample(answer, "pcf_watch_particles{state=\"drifted\"}"), 0, "%s", answer);
	cr_assert_eq(sample(answer, "pcf_watch_particles{state=\"converging\"}"), 0, "%s", answer);
	cr_assert_eq(sample(answer, "pcf_watch_particles{state=\"failed\"}"), 0, "%s", answer);
	cr_assert_geq(sample(answer, "pcf_watch_rounds_total"), 1, "%s", answer);
	cr_assert_eq(sample(answer, "pcf_watch_changes_total"), 1, "%s", answer);
	/* The first round read the missing table, created it and read it again. */
	cr_assert_geq(sample(answer, "pcf_watch_requests_total"), 2, "%s", answer);
	cr_assert_gt(sample(answer, "pcf_watch_last_run_timestamp_seconds"), 1.7e9, "%s", answer);
	cr_assert_geq(sample(answer, "pcf_watch_last_run_duration_seconds"), 0, "%s", answer);
	free(answer);

	answer = http_request(url, "GET", "/other");
	cr_assert_not_null(strstr(answer, "HTTP/1.1 404"), "%s", answer);
	free(answer);
	answer = http_request(url, "POST", "/metrics");
	cr_assert_not_null(strstr(answer, "HTTP/1.1 405"), "%s", answer);
	free(answer);

	watcher_down(&w);
}

Test(cli_watch, sighup_picks_up_a_changed_definition)
{
	watcher w;

	watcher_up(&w, "watchhup", NULL, NULL, NULL);
	cr_assert_eq(read_units(&w), 5);

	cr_assert_eq(rewrite_and_hup(&w, "running", "8"), 0);
	wait_for(&w, "reloaded the definitions (1 particle)", 1);
	wait_for(&w, "orders: UpdateTable", 1);
	await_repaired(&w, 8);

	watcher_down(&w);
}

Test(cli_watch, a_bad_reload_keeps_the_old_definitions)
{
	watcher w;
	char text[1024];

	watcher_up(&w, "watchbad", NULL, NULL, NULL);

	/* Line 9, column 46: read units that are not a number. */
	snprintf(text, sizeof(text), table_yaml, "running", w.table, "many");
	cli_write(w.path, sizeof(w.path), w.dir, "pcf.yml", text);
	cr_assert_eq(kill(w.p.pid, SIGHUP), 0);
	wait_for(&w, "reload failed", 1);
	cr_assert_not_null(strstr(w.err.data, "pcf.yml:9:46: "), "%s", w.err.data);

	/* Still at work with the definitions of before: a deleted table comes back at 5. */
	delete_table(&w);
	wait_for(&w, "orders: CreateTable", 2);
	await_repaired(&w, 5);

	watcher_down(&w);
}

Test(cli_watch, sigterm_between_rounds_exits_0_promptly)
{
	watcher w;
	double took;

	watcher_up(&w, "watchterm", NULL, NULL, NULL);

	took = watcher_stop(&w, SIGTERM);
	cr_assert_eq(w.status, 0, "stderr:\n%s", w.err.data);
	cr_assert_lt(took, 1.0, "took %.1f s to stop", took);
	cr_assert_not_null(strstr(w.err.data, "stopped after"), "%s", w.err.data);
	watcher_cleanup(&w);
}

Test(cli_watch, sigterm_during_a_wait_exits_0_promptly)
{
	pcf_local_server held;
	watcher w;
	double took;

	/* A table held CREATING for a minute: the first round waits on it. */
	pcf_test_dynalite_holding(&held, 60000, 0, 0);
	watcher_init(&w, PCF_LOCAL_DYNOXIDE, "watchwait");
	w.endpoint = held.endpoint;
	watcher_start(&w, NULL, NULL, NULL);
	wait_for(&w, "orders: CreateTable", 1);
	watcher_read(&w, 1.0);

	took = watcher_stop(&w, SIGTERM);
	cr_assert_eq(w.status, 0, "stderr:\n%s", w.err.data);
	cr_assert_lt(took, 3.0, "took %.1f s to stop", took);
	cr_assert_not_null(strstr(w.err.data, "stopped after 1 round"), "%s", w.err.data);
	watcher_cleanup(&w);
	pcf_local_server_stop(&held);
}

Test(cli_watch, refuses_bad_options_before_anything_runs)
{
	static const struct {
		const char *option;
		const char *value;
		const char *message;
	} cases[] = {
	    {"--interval", "0",
	     "--interval: expected a number of seconds from 0.1 to 86400, "
	     "found '0'"},
	    {"--interval", "soon", "found 'soon'"},
	    {"--metrics-addr", "9464",
	     "--metrics-addr: expected HOST:PORT (e.g. 127.0.0.1:9464), "
	     "found '9464'"},
	    {"--metrics-addr", "127.0.0.1:http", "found '127.0.0.1:http'"},
	};
	watcher w;

	/* Definitions that do not exist: the option must be refused before they are read. */
	watcher_init(&w, PCF_LOCAL_DYNOXIDE, "watchopts");
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const char *args[] = {"--endpoint", w.endpoint,      "-f",           "missing.yml",
		                      "watch",      cases[k].option, cases[k].value, NULL};
		cli_result r;

		cli_expect(&r, 1, args);
		cr_assert_not_null(strstr(r.err, cases[k].message), "%s", r.err);
		cr_assert_null(strstr(r.err, "missing.yml"), "%s", r.err);
		cli_result_free(&r);
	}
	watcher_cleanup(&w);
}
