/*
 * Ctrl-C during apply, through the pcf binary, against dynalite started
 * with tables held CREATING for a minute: SIGINT (and SIGTERM) while pcf
 * waits stop it within a second or two, after the request in flight, with
 * exit 130 and a report of what was done; a dependent is not started.
 */
#include "test_cli_run.h"

#include <signal.h>
#include <time.h>

#include "local_server.h"
#include "servers.h"

#define CREATE_MS 60000

static pcf_local_server server;

static void up(void)
{
	pcf_local_server_options o = PCF_LOCAL_SERVER_OPTIONS_INIT;
	char errbuf[256];

	setenv("AWS_ACCESS_KEY_ID", "test", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "test", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	o.create_table_ms = CREATE_MS;
	cr_assert_eq(
	    pcf_local_server_start(&server, PCF_LOCAL_DYNALITE, &o, errbuf, sizeof(errbuf)), 0,
	    "%s", errbuf);
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
	int out_pipe[2], err_pipe[2], wstatus = 0;
	cli_buf out = {NULL, 0}, err = {NULL, 0};
	struct timespec pause = {delay_ms / 1000, (delay_ms % 1000) * 1000000L}, t0;
	pid_t pid;

	cr_assert_eq(pipe(out_pipe), 0);
	cr_assert_eq(pipe(err_pipe), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		close(out_pipe[0]);
		close(err_pipe[0]);
		cli_child(out_pipe[1], err_pipe[1], argv);
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	nanosleep(&pause, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(kill(pid, sig), 0);
	cli_drain(out_pipe[0], err_pipe[0], &out, &err);
	while (waitpid(pid, &wstatus, 0) < 0)
		cr_assert_eq(errno, EINTR);
	*stopped_in = seconds_since(&t0);
	cli_buf_append(&out, "", 0);
	cli_buf_append(&err, "", 0);
	r->out = out.data;
	r->err = err.data;
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

static void cancel_while_creating(int sig)
{
	char dir[256], path[600], parent[96], child[96], yaml[2048];
	cli_result r;
	double stopped_in;

	pcf_test_table_name(parent, sizeof(parent), "cancel");
	pcf_test_table_name(child, sizeof(child), "cancelchild");
	snprintf(yaml, sizeof(yaml),
	         "- pcf_name: parent\n  flavor: dynamodb_table\n  aws_resource:\n"
	         "    TableName: %s\n"
	         "    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	         "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
	         "    BillingMode: PAY_PER_REQUEST\n"
	         "- pcf_name: child\n  flavor: dynamodb_table\n  parents: [parent]\n"
	         "  aws_resource:\n    TableName: %s\n"
	         "    AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
	         "    KeySchema: [{AttributeName: id, KeyType: HASH}]\n"
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
