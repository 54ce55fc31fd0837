/*
 * pcf on a terminal: stdout and stderr on a pseudo-terminal (the test is
 * the terminal), to see what a person sees. Colour appears only there and
 * only without NO_COLOR; waits on a dynalite that holds tables CREATING
 * draw "waiting for NAME (...)" progress, which a pipe never gets.
 */
#define _XOPEN_SOURCE 700
/* Only a private dynalite is needed here, not the shared servers. */
#define PCF_TEST_SERVERS_NO_HOOKS
#include "cli_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "servers.h"

/* What the shared-server hooks would export, so pcf never looks further for credentials. */
static void setup(void)
{
	pcf_local_server_environment(1);
}

TestSuite(cli_terminal, .init = setup);

/* Runs pcf with stdout and stderr on a new pty; returns all it wrote. */
static char *run_on_terminal(int *status, const char *no_color, const char *const *args)
{
	char *argv[32];
	int master, n = 0, wstatus = 0;
	cli_buf out = {NULL, 0};
	char chunk[4096];
	ssize_t got;
	pid_t pid;

	argv[n++] = PCF_CLI_PATH;
	while (*args && n < 31)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert(master >= 0);
	cr_assert_eq(grantpt(master), 0);
	cr_assert_eq(unlockpt(master), 0);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int slave;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0)
			_exit(126);
		close(master);
		if (no_color)
			setenv("NO_COLOR", no_color, 1);
		else
			unsetenv("NO_COLOR");
		cli_child(slave, slave, argv);
	}
	/* Reading ends with EIO once the child (the last holder of the slave) exits. */
	while ((got = read(master, chunk, sizeof(chunk))) > 0 || (got < 0 && errno == EINTR))
		if (got > 0)
			cli_buf_append(&out, chunk, (size_t)got);
	close(master);
	while (waitpid(pid, &wstatus, 0) < 0)
		cr_assert_eq(errno, EINTR);
	*status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	cli_buf_append(&out, "", 0);
	return out.data;
}

static const char table_yaml[] =
    "pcf_name: %s\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: %s\n" CLI_TABLE_KEY "  BillingMode: PAY_PER_REQUEST\n";

static void write_table(char *path, size_t size, const char *dir, const char *table)
{
	char text[1024];

	snprintf(text, sizeof(text), table_yaml, table, table);
	cli_write(path, size, dir, "pcf.yml", text);
}

Test(cli_terminal, colour_on_a_terminal_unless_no_color)
{
	char dir[256], path[600];
	int status;
	char *text;

	cli_tempdir(dir, sizeof(dir));
	write_table(path, sizeof(path), dir, "colourful");
	{
		const char *args[] = {"-f", path, "validate", NULL};

		text = run_on_terminal(&status, NULL, args);
		cr_assert_eq(status, 0, "%s", text);
		cr_assert_not_null(strstr(text, "\033["), "no colour on a terminal:\n%s", text);
		free(text);
		text = run_on_terminal(&status, "1", args);
		cr_assert_eq(status, 0, "%s", text);
		cr_assert_null(strstr(text, "\033["), "colour despite NO_COLOR:\n%s", text);
		free(text);
	}
	cli_rmdir(dir);
}

Test(cli_terminal, waits_show_progress_on_a_terminal_only)
{
	pcf_local_server server;
	char dir[256], path[600], table[96], want[160];
	cli_result r;
	int status;
	char *text;

	pcf_test_dynalite_holding(&server, 2500, 0, 2500);
	cli_tempdir(dir, sizeof(dir));
	pcf_test_table_name(table, sizeof(table), "cli-tty");
	write_table(path, sizeof(path), dir, table);
	{
		const char *apply[] = {"--endpoint", server.endpoint, "-f", path, "apply", NULL};
		const char *terminate[] = {"--endpoint", server.endpoint, "-f", path,
		                           "terminate",  "--yes",         NULL};

		text = run_on_terminal(&status, "1", apply);
		cr_assert_eq(status, 0, "%s", text);
		snprintf(want, sizeof(want), "waiting for %s (", table);
		cr_assert_not_null(strstr(text, want), "no progress on a terminal:\n%s", text);
		free(text);
		/* The same wait through a pipe: actions are logged, waits are not. */
		cli_expect(&r, 0, terminate);
		cr_assert_not_null(strstr(r.err, "DeleteTable"), "%s", r.err);
		cr_assert_null(strstr(r.err, "waiting for"), "%s", r.err);
		cli_result_free(&r);
	}
	pcf_local_server_stop(&server);
	cli_rmdir(dir);
}
