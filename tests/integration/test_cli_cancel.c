/*
 * Ctrl-C during apply, through the pcf binary, against dynalite started
 * with tables held CREATING for a minute: SIGINT (and SIGTERM) while pcf
 * waits stop it within a second or two, after the request in flight, with
 * exit 130 and a report of what was done; a dependent is not started.
 */
#include "cli_run.h"

#include <stdio.h>

#include <signal.h>
#include <time.h>

#include "local_server.h"
#include "servers.h"

#define CREATE_MS 60000

static pcf_local_server server;

static void up(void)
{

	pcf_local_server_environment(1);
	pcf_test_dynalite_holding(&server, CREATE_MS, 0, 0);
}

static void down(void)
{
	pcf_local_server_stop(&server);
}

TestSuite(cli_cancel, .init = up, .fini = down, .timeout = 120);

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Runs pcf apply, sends sig after delay_ms, and collects what it printed. */
static void apply_and_signal(cli_result *r, const char *path, int sig, long delay_ms,
                             double *stopped_in)
{
	char *argv[] = {(char *)PCF_CLI_PATH,
	                "--endpoint",
	                server.endpoint,
	                "-f",
	                (char *)path,
	                "apply",
	                "--timeout",
	                "100",
	                NULL};
	struct timespec pause = {delay_ms / 1000, (delay_ms % 1000) * 1000000L}, t0;
	cli_process p;

	cli_start(&p, argv);
	nanosleep(&pause, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(kill(p.pid, sig), 0);
	cli_finish(r, &p);
	*stopped_in = seconds_since(&t0);
}

/* CLI_TABLE_KEY indented for a table inside a list of particles. */
#define LIST_TABLE_KEY                                                                             \
	"    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                      \
	"    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

static void cancel_while_creating(int sig)
{
	char dir[256], path[600], parent[96], child[96], yaml[2048];
	cli_result r;
	double stopped_in;

	pcf_test_table_name(parent, sizeof(parent), "cancel");
	pcf_test_table_name(child, sizeof(child), "cancelchild");
	snprintf(yaml, sizeof(yaml),
	         "- pcf_name: parent\n  flavor: dynamodb_table\n  aws_resource:\n"
	         "    TableName: %s\n" LIST_TABLE_KEY "    BillingMode: PAY_PER_REQUEST\n"
	         "- pcf_name: child\n  flavor: dynamodb_table\n  parents: [parent]\n"
	         "  aws_resource:\n    TableName: %s\n" LIST_TABLE_KEY
	         "    BillingMode: PAY_PER_REQUEST\n",
	         parent, child);
	cli_tempdir(dir, sizeof(dir));
	cli_write(path, sizeof(path), dir, "pcf.yml", yaml);

	/* 1.5 s: CreateTable went out and pcf waits on CREATING (held a minute). */
	apply_and_signal(&r, path, sig, 1500, &stopped_in);
	cr_assert_eq(r.status, 130, "exit %d\nstdout:\n%s\nstderr:\n%s", r.status, r.out, r.err);
	cr_assert_lt(stopped_in, 5.0, "took %.1f s to stop", stopped_in);
	cr_assert_not_null(strstr(r.out, "cancelled"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "done: CreateTable"), "what was done: %s", r.out);
	cr_assert_not_null(strstr(r.err, "interrupted"), "%s", r.err);
	cr_assert_null(strstr(r.out, "state running"), "%s", r.out);
	cli_result_free(&r);
	cli_rmdir(dir);
}

Test(cli_cancel, ctrl_c_while_waiting_stops_with_130)
{
	cancel_while_creating(SIGINT);
}

Test(cli_cancel, sigterm_while_waiting_stops_with_130)
{
	cancel_while_creating(SIGTERM);
}
