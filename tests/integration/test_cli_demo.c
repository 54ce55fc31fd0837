/*
 * The demo (examples/demo/run.sh, what scripts/demo.sh runs) as a test:
 * run against dynoxide, as scripts/demo.sh runs it, it must finish with
 * exit 0 having created, changed, repaired and deleted its tables. The demo
 * uses fixed table names, so it has a test binary of its own, and it owns
 * the names demo-* on the run's shared dynoxide.
 */
#include "cli_run.h"
#include "servers.h"

Test(cli_demo, runs_to_the_end_on_dynoxide)
{
	const char *no_args[] = {NULL};
	cli_result r;

	/* Both inherited by the script; this test runs in a process of its own. */
	setenv("PCF", PCF_CLI_PATH, 1);
	setenv("AWS_ENDPOINT_URL_DYNAMODB", pcf_test_endpoint(PCF_LOCAL_DYNOXIDE), 1);
	cli_run_program(&r, PCF_SOURCE_DIR "/examples/demo/run.sh", no_args);
	cr_assert_eq(r.status, 0, "the demo failed:\n%s\n%s", r.out, r.err);
	cr_assert_not_null(strstr(r.err, "## demo done"), "%s", r.err);
	/* What it shows on the way: the plan of the change and the repaired drift. */
	cr_assert_not_null(strstr(r.out, "ProvisionedThroughput.ReadCapacityUnits: 5 -> 10"), "%s",
	                   r.out);
	cr_assert_not_null(strstr(r.out, "ProvisionedThroughput.WriteCapacityUnits: 5 -> 8"), "%s",
	                   r.out);
	cr_assert_not_null(strstr(r.out, "in sync"), "%s", r.out);
	cli_result_free(&r);
}
