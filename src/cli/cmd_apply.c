/*
 * pcf apply | run | stop | terminate [NAME...]: converge.
 *
 * apply takes each particle to the desired_state of its definition; run,
 * stop and terminate first override the desired state of the selected
 * particles, as in PCF. The engine does the work (parents first, waits
 * bounded by --timeout, --yes and --allow-replace honoured); this prints
 * progress while it runs and a report when it is done. Exit 0 converged,
 * 1 error or refused, 3 timed out, 130 interrupted.
 *
 * SIGINT and SIGTERM while it runs cancel the engine: every particle stops
 * after the request in flight, the report shows what was done, and the exit
 * is 130. The handlers reset themselves, so a second Ctrl-C kills at once.
 */
#include "src/cli/cli.h"

#include <signal.h>
#include <string.h>

/* The engine the signal handler cancels; set only while apply runs. */
static pcf_engine *volatile cancel_target;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	pcf_engine_cancel(cancel_target);
}

/* Installs (old != NULL: saving the previous) or restores the handlers. */
static void catch_signals(pcf_engine *engine, struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = (int)SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	cancel_target = engine;
	interrupted = 0;
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
}

static void release_signals(const struct sigaction *old)
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	cancel_target = NULL;
}

/* The state a verb asks for, or -1 for apply (each definition's own). */
static int verb_state(const char *verb)
{
	if (!strcmp(verb, "run"))
		return PCF_DESIRED_RUNNING;
	if (!strcmp(verb, "stop"))
		return PCF_DESIRED_STOPPED;
	if (!strcmp(verb, "terminate"))
		return PCF_DESIRED_TERMINATED;
	return -1;
}

static int print_report(const pcf_cli_context *ctx, const pcf_run_report *report, int desired)
{
	if (ctx->format == PCF_CLI_FORMAT_JSON)
		return pcf_cli_json_emit_take(
		    ctx, pcf_cli_report_json(report, PCF_CLI_REPORT_APPLY, desired));
	pcf_cli_report_text(ctx, report, PCF_CLI_REPORT_APPLY, desired);
	return 0;
}

int pcf_cli_apply(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_cli_session session;
	pcf_run_report *report = NULL;
	pcf_error err = PCF_ERROR_INIT;
	struct sigaction old[2];
	int desired = verb_state(argv[0]);
	int i, rc, exit_code;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
	if (pcf_cli_session_open(&session, ctx, argv + 1, (size_t)(argc - 1)) != 0)
		return PCF_CLI_EXIT_ERROR;
	if (desired >= 0)
		pcf_engine_set_desired(session.engine, (pcf_desired_state)desired);
	catch_signals(session.engine, old);
	rc = pcf_engine_apply(session.engine, &report, &err);
	release_signals(old);
	pcf_cli_progress_free(session.progress);
	session.progress = NULL;
	if (!report) {
		exit_code = pcf_cli_error(ctx, &err, "%s", argv[0]);
		if (rc == PCF_ETIMEDOUT)
			exit_code = PCF_CLI_EXIT_TIMEOUT;
		goto out;
	}
	exit_code = pcf_cli_report_exit(report, PCF_CLI_REPORT_APPLY, rc);
	if (interrupted)
		exit_code = PCF_CLI_EXIT_CANCELLED;
	if (print_report(ctx, report, desired) != 0)
		exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
	if (exit_code == PCF_CLI_EXIT_CANCELLED)
		pcf_cli_fail(ctx, "interrupted: stopped after the request in flight (the report "
		                  "above shows what was done); rerun to continue");
	else if (exit_code == PCF_CLI_EXIT_TIMEOUT)
		pcf_cli_fail(ctx, "timed out waiting; rerun to continue, or raise --timeout");
	else if (exit_code != PCF_CLI_EXIT_OK)
		pcf_cli_fail(ctx, "not every particle reached its desired state");
out:
	pcf_run_report_free(report);
	pcf_cli_session_close(&session);
	return exit_code;
}
