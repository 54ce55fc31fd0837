/*
 * pcf status [NAME...]: live state and drift of each selected particle.
 *
 * Read-only. A particle is in sync when its live state is its desired
 * state and its flavor finds no drift; otherwise every drifted path is
 * listed with the live and the defined value. Exit 0 in sync, 2 drift or
 * not at the desired state, 1 when a state could not be read.
 */
#include "src/cli/cli.h"

int pcf_cli_status(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_cli_session session;
	pcf_run_report *report = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int i, rc, exit_code;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
	if (pcf_cli_session_open(&session, ctx, argv + 1, (size_t)(argc - 1)) != 0)
		return PCF_CLI_EXIT_ERROR;
	rc = pcf_engine_status(&report, session.engine, &err);
	pcf_cli_progress_free(session.progress);
	session.progress = NULL;
	if (!report) {
		exit_code = pcf_cli_error(ctx, &err, "reading the status");
		goto out;
	}
	exit_code = pcf_cli_report_exit(report, PCF_CLI_REPORT_STATUS, rc);
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		if (pcf_cli_json_emit_take(ctx,
		                           pcf_cli_report_json(report, PCF_CLI_REPORT_STATUS, -1)))
			exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
	} else {
		pcf_cli_report_text(ctx, report, PCF_CLI_REPORT_STATUS, -1);
	}
	if (exit_code == PCF_CLI_EXIT_ERROR)
		pcf_cli_fail(ctx, "some particles could not be read; see each one's error");
out:
	pcf_run_report_free(report);
	pcf_cli_session_close(&session);
	return exit_code;
}
