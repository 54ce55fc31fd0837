/*
 * pcf apply | run | stop | terminate [NAME...]: converge.
 *
 * apply takes each particle to the desired_state of its definition; run,
 * stop and terminate first override the desired state of the selected
 * particles, as in PCF. The engine does the work (parents first, waits
 * bounded by --timeout, --yes and --allow-replace honoured); this prints
 * progress while it runs and a report when it is done. Exit 0 converged,
 * 1 error or refused, 3 timed out.
 */
#include "src/cli/cli.h"

#include <string.h>

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
	int desired = verb_state(argv[0]);
	int i, rc, exit_code;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
	if (pcf_cli_session_open(&session, ctx, argv + 1, (size_t)(argc - 1)) != 0)
		return PCF_CLI_EXIT_ERROR;
	if (desired >= 0)
		pcf_engine_set_desired(session.engine, (pcf_desired_state)desired);
	rc = pcf_engine_apply(session.engine, &report, &err);
	pcf_cli_progress_free(session.progress);
	session.progress = NULL;
	if (!report) {
		exit_code = pcf_cli_error(ctx, &err, "%s", argv[0]);
		if (rc == PCF_ETIMEDOUT)
			exit_code = PCF_CLI_EXIT_TIMEOUT;
		goto out;
	}
	exit_code = pcf_cli_report_exit(report, PCF_CLI_REPORT_APPLY, rc);
	if (print_report(ctx, report, desired) != 0)
		exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
	if (exit_code == PCF_CLI_EXIT_TIMEOUT)
		pcf_cli_fail(ctx, "timed out waiting; rerun to continue, or raise --timeout");
	else if (exit_code != PCF_CLI_EXIT_OK)
		pcf_cli_fail(ctx, "not every particle reached its desired state");
out:
	pcf_run_report_free(report);
	pcf_cli_session_close(&session);
	return exit_code;
}
