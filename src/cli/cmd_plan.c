/*
 * pcf plan [NAME...]: what apply would do, without doing it.
 *
 * The engine reads each selected particle's live state and asks its
 * flavor for the steps; nothing is changed. The text form lists one line
 * per step (old -> new, from the flavor's summary); -o json prints
 * {"particles":[{"name":..,"steps":[{"action":..,"summary":..}]}]}.
 * Exit 0 when nothing would change, 2 when something would, 1 on error.
 */
#include "src/cli/cli.h"

/* Operands are particle names; any option left here is not one of ours. */
static int check_operands(const pcf_cli_context *ctx, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
	return 0;
}

int pcf_cli_plan(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_cli_session session;
	pcf_run_report *report = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int rc, exit_code;

	if (check_operands(ctx, argc, argv))
		return PCF_CLI_EXIT_ERROR;
	if (pcf_cli_session_open(&session, ctx, argv + 1, (size_t)(argc - 1)) != 0)
		return PCF_CLI_EXIT_ERROR;
	rc = pcf_engine_plan(&report, session.engine, &err);
	pcf_cli_progress_free(session.progress);
	session.progress = NULL;
	if (!report) {
		exit_code = pcf_cli_error(ctx, &err, "planning");
		goto out;
	}
	exit_code = pcf_cli_report_exit(report, PCF_CLI_REPORT_PLAN, rc);
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		if (pcf_cli_json_emit_take(ctx,
		                           pcf_cli_report_json(report, PCF_CLI_REPORT_PLAN, -1)))
			exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
	} else {
		pcf_cli_report_text(ctx, report, PCF_CLI_REPORT_PLAN, -1);
	}
	if (exit_code == PCF_CLI_EXIT_ERROR)
		pcf_cli_fail(ctx, "some particles could not be planned; see each one's error");
out:
	pcf_run_report_free(report);
	pcf_cli_session_close(&session);
	return exit_code;
}
